package store_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
)

// newPartner creates a registered partner of party cc/pid.
func newPartner(t *testing.T, rs *store.Roaming, cc, pid string) roaming.Partner {
	t.Helper()
	p := roaming.Partner{Name: "eMSP " + pid, Role: ocpi.RoleEMSP, Party: roaming.Party{CountryCode: cc, PartyID: pid},
		Status: roaming.PartnerRegistered, Endpoints: []roaming.Endpoint{{Module: ocpi.ModuleIDLocations,
			Role: ocpi.InterfaceRoleReceiver, URL: "https://emsp.example.com/locations"}}}
	require.NoError(t, rs.CreatePartner(context.Background(), &p))
	return p
}

// The roaming store tests do not run in parallel with the store's timing-sensitive tests
// (TestConcurrentWriters) on small machines.

func TestRoamingPartners(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rs := db.Roaming()
		p := roaming.Partner{Name: "Example eMSP", Role: ocpi.RoleEMSP, Party: roaming.Party{CountryCode: "NL", PartyID: "EMP"},
			Status: roaming.PartnerPending, Roles: []ocpi.CredentialsRole{{Role: ocpi.RoleEMSP, CountryCode: "NL", PartyID: "EMP",
				BusinessDetails: ocpi.BusinessDetails{Name: "Example"}}}, MaxPageSize: 50}
		require.NoError(t, rs.CreatePartner(ctx, &p))
		require.NotZero(t, p.ID)
		require.Equal(t, testNow.Truncate(time.Millisecond), p.CreatedAt)

		got, err := rs.GetPartner(ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, p.Roles, got.Roles)
		require.Equal(t, 50, got.MaxPageSize)
		require.Nil(t, got.Endpoints)

		synced := at(time.Hour)
		got.Status, got.OutboundToken, got.TokenEncoding, got.TokensSyncedAt = roaming.PartnerRegistered, "tok", roaming.EncodingRaw, &synced
		got.Endpoints = []roaming.Endpoint{{Module: ocpi.ModuleIDTokens, Role: ocpi.InterfaceRoleSender, URL: "https://x/tokens"}}
		require.NoError(t, rs.UpdatePartner(ctx, got))
		again, err := rs.GetPartner(ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, got.Endpoints, again.Endpoints)
		require.Equal(t, roaming.EncodingRaw, again.TokenEncoding)
		require.Equal(t, synced, *again.TokensSyncedAt)

		_, err = rs.GetPartner(ctx, 999)
		requireCode(t, charging.CodeNotFound, err)
		requireCode(t, charging.CodeNotFound, rs.UpdatePartner(ctx, roaming.Partner{ID: 999}))

		// Tokens: lookup by hash in one query, kinds, conflicts, deletes.
		a := roaming.HashToken("token-a")
		require.NoError(t, rs.AddPartnerToken(ctx, roaming.PartnerToken{Hash: a, PartnerID: p.ID, Kind: roaming.TokenRegistration}))
		requireCode(t, charging.CodeConflict, rs.AddPartnerToken(ctx, roaming.PartnerToken{Hash: a, PartnerID: p.ID, Kind: roaming.TokenCredentials}))
		byTok, kind, err := rs.PartnerByTokenHash(ctx, a)
		require.NoError(t, err)
		require.Equal(t, p.ID, byTok.ID)
		require.Equal(t, roaming.TokenRegistration, kind)
		require.Equal(t, "Example eMSP", byTok.Name)
		_, _, err = rs.PartnerByTokenHash(ctx, roaming.HashToken("nope"))
		requireCode(t, charging.CodeNotFound, err)

		c := roaming.HashToken("token-c")
		require.NoError(t, rs.AddPartnerToken(ctx, roaming.PartnerToken{Hash: c, PartnerID: p.ID, Kind: roaming.TokenCredentials}))
		require.NoError(t, rs.DeletePartnerTokens(ctx, p.ID, c))
		_, _, err = rs.PartnerByTokenHash(ctx, a)
		requireCode(t, charging.CodeNotFound, err)
		_, kind, err = rs.PartnerByTokenHash(ctx, c)
		require.NoError(t, err)
		require.Equal(t, roaming.TokenCredentials, kind)
		require.NoError(t, rs.DeletePartnerToken(ctx, p.ID, c))
		_, _, err = rs.PartnerByTokenHash(ctx, c)
		requireCode(t, charging.CodeNotFound, err)

		other := newPartner(t, rs, "DE", "ABC")
		list, n, err := rs.ListPartners(ctx, roaming.PartnerFilter{Status: roaming.PartnerRegistered})
		require.NoError(t, err)
		require.Equal(t, 2, n)
		require.Equal(t, []int64{p.ID, other.ID}, []int64{list[0].ID, list[1].ID})
		_, n, err = rs.ListPartners(ctx, roaming.PartnerFilter{Limit: 1})
		require.NoError(t, err)
		require.Equal(t, 2, n)

		// Client infos.
		ci := ocpi.ClientInfo{PartyID: "abc", CountryCode: "de", Role: ocpi.RoleEMSP, Status: ocpi.ConnectionStatusConnected,
			LastUpdated: ocpi.NewDateTime(testNow)}
		created, err := rs.PutClientInfo(ctx, p.ID, ci)
		require.NoError(t, err)
		require.True(t, created)
		ci.Status = ocpi.ConnectionStatusOffline
		created, err = rs.PutClientInfo(ctx, p.ID, ci)
		require.NoError(t, err)
		require.False(t, created)
		gotCI, err := rs.GetClientInfo(ctx, p.ID, roaming.Party{CountryCode: "DE", PartyID: "abc"})
		require.NoError(t, err)
		require.Equal(t, ocpi.ConnectionStatusOffline, gotCI.Status)
		require.Equal(t, "ABC", gotCI.PartyID)
		infos, err := rs.ListClientInfos(ctx, p.ID)
		require.NoError(t, err)
		require.Len(t, infos, 1)

		require.NoError(t, rs.DeletePartner(ctx, p.ID))
		requireCode(t, charging.CodeNotFound, rs.DeletePartner(ctx, p.ID))
		infos, err = rs.ListClientInfos(ctx, p.ID)
		require.NoError(t, err)
		require.Empty(t, infos)
	})
}

func TestRoamingTokens(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rs := db.Roaming()
		p := newPartner(t, rs, "NL", "EMP")
		tok := ocpi.Token{CountryCode: "NL", PartyID: "EMP", UID: "04ab12cd", Type: ocpi.TokenTypeRFID, ContractID: "NL-EMP-1",
			Issuer: "Example", Valid: true, Whitelist: ocpi.WhitelistTypeAllowed, LastUpdated: ocpi.NewDateTime(testNow)}
		created, err := rs.PutToken(ctx, roaming.StoredToken{PartnerID: p.ID, Token: tok})
		require.NoError(t, err)
		require.True(t, created)
		key := roaming.TokenKey{Party: roaming.Party{CountryCode: "nl", PartyID: "emp"}, UID: "04AB12CD"} // type defaults to RFID
		got, err := rs.GetToken(ctx, key)
		require.NoError(t, err)
		require.Equal(t, "04ab12cd", got.Token.UID, "the original spelling is kept")
		require.Equal(t, p.ID, got.PartnerID)

		tok.Valid = false
		created, err = rs.PutToken(ctx, roaming.StoredToken{PartnerID: p.ID, Token: tok})
		require.NoError(t, err)
		require.False(t, created)
		got, err = rs.GetToken(ctx, key)
		require.NoError(t, err)
		require.False(t, got.Token.Valid)

		app := tok
		app.Type, app.Valid = ocpi.TokenTypeAppUser, true
		_, err = rs.PutToken(ctx, roaming.StoredToken{PartnerID: p.ID, Token: app})
		require.NoError(t, err)
		list, n, err := rs.ListTokens(ctx, roaming.TokenFilter{UID: "04AB12CD"})
		require.NoError(t, err)
		require.Equal(t, 2, n)
		require.Len(t, list, 2)
		_, err = rs.GetToken(ctx, roaming.TokenKey{Party: key.Party, UID: "x"})
		requireCode(t, charging.CodeNotFound, err)

		// Both were stored "now" (the fixed clock); tokens stored before a later instant are
		// invalidated.
		n64, err := rs.InvalidateTokens(ctx, p.ID, at(time.Minute))
		require.NoError(t, err)
		require.Equal(t, int64(1), n64, "only the still valid token changes")
		got, err = rs.GetToken(ctx, roaming.TokenKey{Party: key.Party, UID: "04ab12cd", Type: ocpi.TokenTypeAppUser})
		require.NoError(t, err)
		require.False(t, got.Token.Valid)
	})
}

func testLocation(id string, updated time.Time) ocpi.Location {
	return ocpi.Location{CountryCode: "IN", PartyID: "HUB", ID: id, Publish: true, Address: "12 MG Road", City: "Bengaluru",
		Country: "IND", Coordinates: ocpi.GeoLocation{Latitude: "12.975600", Longitude: "77.606500"}, TimeZone: "Asia/Kolkata",
		LastUpdated: ocpi.NewDateTime(updated)}
}

func TestRoamingLocations(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rs := db.Roaming()
		newStation(t, db, "CP-1")
		newStation(t, db, "CP-2")
		created, err := rs.PutLocation(ctx, &roaming.Location{OCPI: testLocation("Loc-1", testNow), StationIDs: []string{"CP-2", "CP-1"}})
		require.NoError(t, err)
		require.True(t, created)
		got, err := rs.GetLocation(ctx, "LOC-1")
		require.NoError(t, err)
		require.Equal(t, "Loc-1", got.OCPI.ID)
		require.Equal(t, []string{"CP-2", "CP-1"}, got.StationIDs)

		_, err = rs.PutLocation(ctx, &roaming.Location{OCPI: testLocation("LOC-2", at(time.Hour)), StationIDs: []string{"CP-1"}})
		requireCode(t, charging.CodeConflict, err)
		hidden := testLocation("LOC-2", at(time.Hour))
		hidden.Publish = false
		created, err = rs.PutLocation(ctx, &roaming.Location{OCPI: hidden})
		require.NoError(t, err)
		require.True(t, created)

		byStation, err := rs.LocationOfStation(ctx, "CP-1")
		require.NoError(t, err)
		require.Equal(t, "Loc-1", byStation.OCPI.ID)
		_, err = rs.LocationOfStation(ctx, "CP-9")
		requireCode(t, charging.CodeNotFound, err)

		// Replacing moves the stations.
		created, err = rs.PutLocation(ctx, &roaming.Location{OCPI: testLocation("loc-1", at(2*time.Hour)), StationIDs: []string{"CP-1"}})
		require.NoError(t, err)
		require.False(t, created)
		got, err = rs.GetLocation(ctx, "Loc-1")
		require.NoError(t, err)
		require.Equal(t, []string{"CP-1"}, got.StationIDs)

		list, n, err := rs.ListLocations(ctx, roaming.ObjectFilter{VisibleOnly: true})
		require.NoError(t, err)
		require.Equal(t, 1, n)
		require.Equal(t, "loc-1", list[0].OCPI.ID)
		list, n, err = rs.ListLocations(ctx, roaming.ObjectFilter{})
		require.NoError(t, err)
		require.Equal(t, 2, n)
		require.Len(t, list, 2)
		from, to := at(time.Hour), at(2*time.Hour)
		list, n, err = rs.ListLocations(ctx, roaming.ObjectFilter{DateFrom: &from, DateTo: &to})
		require.NoError(t, err)
		require.Equal(t, 1, n, "date_from inclusive, date_to exclusive")
		require.Equal(t, "LOC-2", list[0].OCPI.ID)
	})
}

func testSession(id, cc, pid string, updated time.Time) ocpi.Session {
	return ocpi.Session{CountryCode: "IN", PartyID: "HUB", ID: id, StartDateTime: ocpi.NewDateTime(testNow), KWh: ocpi.DecimalFromInt(0),
		CdrToken:   ocpi.CdrToken{CountryCode: cc, PartyID: pid, UID: "04AB", Type: ocpi.TokenTypeRFID, ContractID: "C1"},
		AuthMethod: ocpi.AuthMethodWhitelist, LocationID: "LOC-1", EvseUID: "E1", ConnectorID: "1", Currency: "INR",
		Status: ocpi.SessionStatusActive, LastUpdated: ocpi.NewDateTime(updated)}
}

func TestRoamingSessionsCDRsTariffs(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rs := db.Roaming()
		for i, owner := range []string{"NL/EMP", "DE/ABC", "nl/emp"} {
			s := testSession("S"+string(rune('1'+i)), owner[:2], owner[3:], at(time.Duration(i)*time.Minute))
			created, err := rs.PutSession(ctx, s)
			require.NoError(t, err)
			require.True(t, created)
		}
		s1, err := rs.GetSession(ctx, "s1")
		require.NoError(t, err)
		s1.Status = ocpi.SessionStatusCompleted
		created, err := rs.PutSession(ctx, s1)
		require.NoError(t, err)
		require.False(t, created)

		emp := []roaming.Party{{CountryCode: "NL", PartyID: "EMP"}}
		list, n, err := rs.ListSessions(ctx, roaming.ObjectFilter{Restrict: true, Owners: emp})
		require.NoError(t, err)
		require.Equal(t, 2, n)
		require.Equal(t, []string{"S1", "S3"}, []string{list[0].ID, list[1].ID})
		require.Equal(t, ocpi.SessionStatusCompleted, list[0].Status)
		_, n, err = rs.ListSessions(ctx, roaming.ObjectFilter{Restrict: true})
		require.NoError(t, err)
		require.Zero(t, n, "no owners, no sessions")
		_, n, err = rs.ListSessions(ctx, roaming.ObjectFilter{})
		require.NoError(t, err)
		require.Equal(t, 3, n)
		list, n, err = rs.ListSessions(ctx, roaming.ObjectFilter{Restrict: true, Owners: emp, Offset: 1, Limit: 1})
		require.NoError(t, err)
		require.Equal(t, 2, n)
		require.Equal(t, "S3", list[0].ID)

		cdr := ocpi.CDR{CountryCode: "IN", PartyID: "HUB", ID: "CDR-1", StartDateTime: ocpi.NewDateTime(testNow),
			EndDateTime: ocpi.NewDateTime(at(time.Hour)), CdrToken: s1.CdrToken, AuthMethod: ocpi.AuthMethodWhitelist,
			Currency: "INR", TotalCost: ocpi.Price{ExclVat: ocpi.DecimalFromInt(1)}, TotalEnergy: ocpi.DecimalFromInt(1),
			TotalTime: ocpi.DecimalFromInt(1), LastUpdated: ocpi.NewDateTime(at(time.Hour))}
		require.NoError(t, rs.CreateCDR(ctx, cdr))
		requireCode(t, charging.CodeConflict, rs.CreateCDR(ctx, cdr))
		got, err := rs.GetCDR(ctx, "cdr-1")
		require.NoError(t, err)
		require.Equal(t, "CDR-1", got.ID)
		cdrs, n, err := rs.ListCDRs(ctx, roaming.ObjectFilter{Restrict: true, Owners: []roaming.Party{{CountryCode: "de", PartyID: "abc"}}})
		require.NoError(t, err)
		require.Zero(t, n)
		require.Empty(t, cdrs)

		tariff := ocpi.Tariff{CountryCode: "IN", PartyID: "HUB", ID: "T1", Currency: "INR", Elements: []ocpi.TariffElement{{
			PriceComponents: []ocpi.PriceComponent{{Type: ocpi.TariffDimensionEnergy, Price: ocpi.MustDecimal("0.25"), StepSize: 1}}}},
			LastUpdated: ocpi.NewDateTime(testNow)}
		created, err = rs.PutTariff(ctx, tariff)
		require.NoError(t, err)
		require.True(t, created)
		tariffs, n, err := rs.ListTariffs(ctx, roaming.ObjectFilter{})
		require.NoError(t, err)
		require.Equal(t, 1, n)
		require.Equal(t, "0.25", tariffs[0].Elements[0].PriceComponents[0].Price.String())
		require.NoError(t, rs.DeleteTariff(ctx, "t1"))
		requireCode(t, charging.CodeNotFound, rs.DeleteTariff(ctx, "t1"))
		_, err = rs.GetTariff(ctx, "T1")
		requireCode(t, charging.CodeNotFound, err)
		_, n, err = rs.ListTariffs(ctx, roaming.ObjectFilter{})
		require.NoError(t, err)
		require.Zero(t, n)
		created, err = rs.PutTariff(ctx, tariff)
		require.NoError(t, err)
		require.False(t, created, "a PUT revives the deleted tariff")
		_, err = rs.GetTariff(ctx, "T1")
		require.NoError(t, err)
	})
}

func item(p int64, obj string, n int) roaming.OutboxItem {
	body, _ := json.Marshal(map[string]int{"n": n})
	return roaming.OutboxItem{PartnerID: p, ObjectKey: obj, Module: ocpi.ModuleIDLocations, Path: "/IN/HUB/" + obj,
		Method: "PUT", Body: body, To: roaming.Party{CountryCode: "NL", PartyID: "EMP"}, CorrelationID: "corr"}
}

func TestRoamingOutbox(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rs := db.Roaming()
		p := newPartner(t, rs, "NL", "EMP")
		q := newPartner(t, rs, "DE", "ABC")
		require.NoError(t, rs.EnqueueOutbox(ctx, item(p.ID, "A", 1), item(p.ID, "A", 2), item(p.ID, "B", 1), item(q.ID, "A", 1)))

		claimed, err := rs.ClaimOutbox(ctx, testNow, time.Minute, 10, nil)
		require.NoError(t, err)
		require.Len(t, claimed, 3, "one item per (partner, object)")
		require.Equal(t, `{"n":1}`, string(claimed[0].Body))
		require.Equal(t, "NL", claimed[0].To.CountryCode)
		again, err := rs.ClaimOutbox(ctx, testNow, time.Minute, 10, nil)
		require.NoError(t, err)
		require.Empty(t, again, "leased items and their successors are not claimed twice")

		// Deliver A1 of p: A2 becomes claimable. Retry B. Fail q's A.
		require.NoError(t, rs.CompleteOutbox(ctx, claimed[0].ID, roaming.OutboxResult{Outcome: roaming.OutcomeDelivered, At: testNow, ResultLocation: "loc"}))
		require.NoError(t, rs.CompleteOutbox(ctx, claimed[1].ID, roaming.OutboxResult{Outcome: roaming.OutcomeRetry, At: testNow,
			NextAttemptAt: at(time.Hour), Error: "boom"}))
		require.NoError(t, rs.CompleteOutbox(ctx, claimed[2].ID, roaming.OutboxResult{Outcome: roaming.OutcomeFailed, At: testNow, Error: "400"}))
		requireCode(t, charging.CodeNotFound, rs.CompleteOutbox(ctx, claimed[2].ID, roaming.OutboxResult{Outcome: roaming.OutcomeFailed, At: testNow}))

		next, err := rs.ClaimOutbox(ctx, testNow, time.Minute, 10, nil)
		require.NoError(t, err)
		require.Len(t, next, 1)
		require.Equal(t, `{"n":2}`, string(next[0].Body))
		require.NoError(t, rs.CompleteOutbox(ctx, next[0].ID, roaming.OutboxResult{Outcome: roaming.OutcomeDeferred, At: testNow, NextAttemptAt: testNow}))

		later, err := rs.ClaimOutbox(ctx, at(2*time.Hour), time.Minute, 10, []int64{q.ID})
		require.NoError(t, err)
		require.Len(t, later, 2, "A2 again (deferred) and B after its backoff")
		require.Equal(t, 0, later[0].Attempts, "a deferred item keeps its attempts")
		require.Equal(t, 1, later[1].Attempts)
		require.Equal(t, "boom", later[1].LastError)

		backlog, err := rs.OutboxBacklog(ctx)
		require.NoError(t, err)
		require.Equal(t, []roaming.OutboxCount{{PartnerID: p.ID, Pending: 2}, {PartnerID: q.ID, Failed: 1}}, backlog)

		items, n, err := rs.ListOutbox(ctx, roaming.OutboxFilter{PartnerID: p.ID, Status: roaming.OutboxDelivered})
		require.NoError(t, err)
		require.Equal(t, 1, n)
		require.Equal(t, "loc", items[0].ResultLocation)
		require.NotNil(t, items[0].DeliveredAt)

		requireCode(t, charging.CodeNotFound, rs.RetryOutbox(ctx, p.ID, claimed[2].ID, testNow))
		require.NoError(t, rs.RetryOutbox(ctx, q.ID, claimed[2].ID, testNow))
		n64, err := rs.CancelOutbox(ctx, q.ID, "partner unregistered")
		require.NoError(t, err)
		require.Equal(t, int64(1), n64)

		// A suspended partner's items wait.
		p.Status = roaming.PartnerSuspended
		require.NoError(t, rs.UpdatePartner(ctx, p))
		none, err := rs.ClaimOutbox(ctx, at(3*time.Hour), time.Minute, 10, nil)
		require.NoError(t, err)
		require.Empty(t, none)

		pruned, err := rs.PruneOutbox(ctx, at(time.Minute))
		require.NoError(t, err)
		require.Equal(t, int64(1), pruned)
	})
}

// TestRoamingOutboxConcurrentClaims checks that concurrent workers never claim the same item
// nor two items of the same object (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: the write lock).
func TestRoamingOutboxConcurrentClaims(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rs := db.Roaming()
		p := newPartner(t, rs, "NL", "EMP")
		var items []roaming.OutboxItem
		for i := range 60 {
			items = append(items, item(p.ID, string(rune('A'+i%6)), i))
		}
		require.NoError(t, rs.EnqueueOutbox(ctx, items...))

		var mu sync.Mutex
		order := map[string][]int{}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for {
					got, err := rs.ClaimOutbox(ctx, testNow, time.Minute, 3, nil)
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						mu.Lock()
						done := len(order) == 6 && len(order["A"])+len(order["B"])+len(order["C"])+len(order["D"])+len(order["E"])+len(order["F"]) == 60
						mu.Unlock()
						if done {
							return
						}
						time.Sleep(time.Millisecond)
						continue
					}
					for _, it := range got {
						var body struct{ N int }
						_ = json.Unmarshal(it.Body, &body)
						mu.Lock()
						order[it.ObjectKey] = append(order[it.ObjectKey], body.N)
						mu.Unlock()
						if err := rs.CompleteOutbox(ctx, it.ID, roaming.OutboxResult{Outcome: roaming.OutcomeDelivered, At: testNow}); err != nil {
							t.Error(err)
							return
						}
					}
				}
			})
		}
		wg.Wait()
		for k, ns := range order {
			require.Len(t, ns, 10, k)
			for i := 1; i < len(ns); i++ {
				require.Less(t, ns[i-1], ns[i], "object %s delivered out of order: %v", k, ns)
			}
		}
	})
}

func TestRoamingCommands(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rs := db.Roaming()
		p := newPartner(t, rs, "NL", "EMP")
		c := roaming.Command{ID: "c1", PartnerID: p.ID, From: roaming.Party{CountryCode: "NL", PartyID: "EMP"},
			Kind: string(ocpi.CommandTypeReserveNow), Ref: "R1", ResponseURL: "https://emsp/r", Request: json.RawMessage(`{"a":1}`),
			Status: roaming.CommandPending, ExpiresAt: at(time.Minute), CreatedAt: testNow}
		require.NoError(t, rs.CreateCommand(ctx, c))
		requireCode(t, charging.CodeConflict, rs.CreateCommand(ctx, c))
		got, err := rs.FindCommand(ctx, p.ID, string(ocpi.CommandTypeReserveNow), "R1")
		require.NoError(t, err)
		require.Equal(t, `{"a":1}`, string(got.Request))
		require.Equal(t, "EMP", got.From.PartyID)
		_, err = rs.FindCommand(ctx, p.ID, string(ocpi.CommandTypeReserveNow), "R2")
		requireCode(t, charging.CodeNotFound, err)

		expired, err := rs.ExpiredCommands(ctx, at(2*time.Minute), 10)
		require.NoError(t, err)
		require.Len(t, expired, 1)
		got.Status, got.Result = roaming.CommandDone, "ACCEPTED"
		require.NoError(t, rs.UpdateCommand(ctx, got))
		expired, err = rs.ExpiredCommands(ctx, at(2*time.Minute), 10)
		require.NoError(t, err)
		require.Empty(t, expired)
		got, err = rs.GetCommand(ctx, "c1")
		require.NoError(t, err)
		require.Equal(t, "ACCEPTED", got.Result)
		_, err = rs.GetCommand(ctx, "c2")
		requireCode(t, charging.CodeNotFound, err)
	})
}

// TestRoamingInTx checks that a roaming transaction rolls back, and that roaming rows can be
// written inside a charging transaction.
func TestRoamingInTx(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rs := db.Roaming()
		p := newPartner(t, rs, "NL", "EMP")
		err := rs.InTx(ctx, func(tx roaming.Store) error {
			if err := tx.EnqueueOutbox(ctx, item(p.ID, "A", 1)); err != nil {
				return err
			}
			return charging.Errorf(charging.CodeConflict, "abort")
		})
		requireCode(t, charging.CodeConflict, err)
		_, n, err := rs.ListOutbox(ctx, roaming.OutboxFilter{})
		require.NoError(t, err)
		require.Zero(t, n)

		require.NoError(t, db.InTx(ctx, func(tx charging.Store) error {
			if err := tx.CreateStation(ctx, charging.Station{ID: "CP-9"}); err != nil {
				return err
			}
			return tx.(*store.DB).Roaming().EnqueueOutbox(ctx, item(p.ID, "A", 1))
		}))
		_, n, err = rs.ListOutbox(ctx, roaming.OutboxFilter{PartnerID: p.ID})
		require.NoError(t, err)
		require.Equal(t, 1, n)
	})
}

// TestOutboxLeasesOfDeadNodes: leases name their node; releasing a dead node's leases makes its
// items claimable at once, and leaves the leases of live nodes alone.
func TestOutboxLeasesOfDeadNodes(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := newPartner(t, db.Roaming(), "NL", "EMP")
		require.NoError(t, db.Roaming().EnqueueOutbox(ctx, item(p.ID, "A", 1), item(p.ID, "B", 1)))

		db.SetNodeID("node-a") // the process that dies
		a, err := db.Roaming().ClaimOutbox(ctx, testNow, time.Hour, 1, nil)
		require.NoError(t, err)
		require.Len(t, a, 1)
		db.SetNodeID("node-b")
		b, err := db.Roaming().ClaimOutbox(ctx, testNow, time.Hour, 1, nil)
		require.NoError(t, err)
		require.Len(t, b, 1)

		none, err := db.Roaming().ClaimOutbox(ctx, at(time.Minute), time.Hour, 10, nil)
		require.NoError(t, err)
		require.Empty(t, none, "both leased for an hour")

		n, err := db.ReleaseOutboxLeasesOf(ctx, []string{"node-a", "node-gone"})
		require.NoError(t, err)
		require.Equal(t, int64(1), n, "only node-a's lease")
		again, err := db.Roaming().ClaimOutbox(ctx, at(time.Minute), time.Hour, 10, nil)
		require.NoError(t, err)
		require.Len(t, again, 1)
		require.Equal(t, a[0].ID, again[0].ID, "node-a's item is claimable at once")

		n, err = db.ReleaseOutboxLeasesOf(ctx, nil)
		require.NoError(t, err)
		require.Zero(t, n)
		// a completed item keeps no lease, so releasing its node's leases later changes nothing
		// (node-b holds both now: it claimed the released item)
		require.NoError(t, db.Roaming().CompleteOutbox(ctx, b[0].ID, roaming.OutboxResult{Outcome: roaming.OutcomeDelivered, At: testNow}))
		require.NoError(t, db.Roaming().CompleteOutbox(ctx, again[0].ID, roaming.OutboxResult{Outcome: roaming.OutcomeRetry, At: testNow,
			NextAttemptAt: at(time.Hour)}))
		n, err = db.ReleaseOutboxLeasesOf(ctx, []string{"node-b"})
		require.NoError(t, err)
		require.Zero(t, n)
	})
}
