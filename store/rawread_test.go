package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
)

// Tests of the hand-written list queries (raw.go): every filter field and paging shape, so
// that a wrong WHERE, ORDER BY or LIMIT in any variant of a statement's text fails.

func TestListPartnersFiltersAndPages(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rs := db.Roaming()
		statuses := []roaming.PartnerStatus{roaming.PartnerRegistered, roaming.PartnerSuspended, roaming.PartnerRegistered,
			roaming.PartnerPending, roaming.PartnerRegistered}
		ids := make([]int64, len(statuses))
		for i, st := range statuses {
			p := newPartner(t, rs, "NL", fmt.Sprintf("P%d", i))
			if st != p.Status {
				p.Status = st
				require.NoError(t, rs.UpdatePartner(ctx, p))
			}
			ids[i] = p.ID
		}
		idx := func(is ...int) []int64 {
			out := []int64{}
			for _, i := range is {
				out = append(out, ids[i])
			}
			return out
		}
		reg := roaming.PartnerRegistered
		cases := []struct {
			f     roaming.PartnerFilter
			want  []int64
			total int
		}{
			{roaming.PartnerFilter{}, idx(0, 1, 2, 3, 4), 5},
			{roaming.PartnerFilter{Status: reg}, idx(0, 2, 4), 3},
			{roaming.PartnerFilter{Status: roaming.PartnerSuspended}, idx(1), 1},
			{roaming.PartnerFilter{Status: roaming.PartnerUnregistered}, idx(), 0},
			{roaming.PartnerFilter{Status: reg, Limit: 2}, idx(0, 2), 3},
			{roaming.PartnerFilter{Status: reg, Offset: 1, Limit: 1}, idx(2), 3},
			{roaming.PartnerFilter{Status: reg, Offset: 2}, idx(4), 3},
			{roaming.PartnerFilter{Status: reg, Offset: 5}, idx(), 3},
			{roaming.PartnerFilter{Status: reg, Offset: 1, Limit: 5}, idx(2, 4), 3},
			{roaming.PartnerFilter{Limit: 10}, idx(0, 1, 2, 3, 4), 5},
			{roaming.PartnerFilter{Limit: 2}, idx(0, 1), 5},
			{roaming.PartnerFilter{Offset: 3}, idx(3, 4), 5},
			{roaming.PartnerFilter{Offset: 4, Limit: 1}, idx(4), 5},
			{roaming.PartnerFilter{Offset: 2, Limit: 2}, idx(2, 3), 5},
			{roaming.PartnerFilter{Offset: 9, Limit: 2}, idx(), 5},
			{roaming.PartnerFilter{Offset: -1, Limit: -1}, idx(0, 1, 2, 3, 4), 5},
		}
		for _, c := range cases {
			list, n, err := rs.ListPartners(ctx, c.f)
			require.NoError(t, err, "%+v", c.f)
			require.NotNil(t, list, "%+v", c.f)
			got := []int64{}
			for _, p := range list {
				got = append(got, p.ID)
			}
			require.Equal(t, c.want, got, "%+v", c.f)
			require.Equal(t, c.total, n, "%+v", c.f)
		}

		// Every field reads back as GetPartner reads it.
		list, _, err := rs.ListPartners(ctx, roaming.PartnerFilter{Status: roaming.PartnerSuspended})
		require.NoError(t, err)
		p, err := rs.GetPartner(ctx, ids[1])
		require.NoError(t, err)
		synced := at(-time.Hour)
		p.TokensSyncedAt, p.RegisteredAt, p.Version, p.MaxPageSize = &synced, ptr(at(-2*time.Hour)), ocpi.VersionNumber("2.2.1"), 50
		p.Roles = []ocpi.CredentialsRole{{Role: ocpi.RoleEMSP, PartyID: "P1", CountryCode: "NL"}}
		require.NoError(t, rs.UpdatePartner(ctx, p))
		p, err = rs.GetPartner(ctx, ids[1])
		require.NoError(t, err)
		list, _, err = rs.ListPartners(ctx, roaming.PartnerFilter{Status: roaming.PartnerSuspended})
		require.NoError(t, err)
		require.Equal(t, []roaming.Partner{p}, list)
		require.Equal(t, time.UTC, list[0].CreatedAt.Location())
		require.Equal(t, time.UTC, list[0].TokensSyncedAt.Location())
	})
}

func TestFindRemoteStartsFilters(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := newPartner(t, db.Roaming(), "NL", "EMP")
		bc := db.BridgeCommands()
		tok := ocpi.Token{CountryCode: "NL", PartyID: "EMP", UID: "u", Type: ocpi.TokenTypeRFID, Valid: true,
			Whitelist: ocpi.WhitelistTypeNever, LastUpdated: ocpi.NewDateTime(testNow)}
		byCmd := map[string]store.RemoteStart{}
		add := func(cmd, station, tag, status, stationTx string, created time.Duration) {
			r := store.RemoteStart{CommandID: cmd, PartnerID: p.ID, From: p.Party, StationID: station, IDTag: tag, Token: tok,
				Status: status, StationTxID: stationTx, CreatedAt: at(created), ExpiresAt: at(created + 15*time.Minute)}
			require.NoError(t, bc.CreateRemoteStart(ctx, &r))
			byCmd[cmd] = r
		}
		add("a", "CP-1", "tag-1", store.RemoteStartPending, "", -3*time.Minute)
		add("b", "CP-1", "tag-1", store.RemoteStartAccepted, "TX-B", -2*time.Minute)
		add("c", "CP-2", "tag-2", store.RemoteStartTimeout, "", -time.Minute)
		add("d", "CP-1", "tag-1", store.RemoteStartRejected, "", 0)
		add("e", "CP-2", "tag-1", store.RemoteStartFailed, "TX-E", time.Minute)
		require.NoError(t, bc.LinkRemoteStart(ctx, byCmd["b"].ID, 42))
		require.NoError(t, bc.LinkRemoteStart(ctx, byCmd["e"].ID, 43))

		cases := []struct {
			f    store.RemoteStartFilter
			want string // command ids, newest first
		}{
			{store.RemoteStartFilter{}, "edcba"},
			{store.RemoteStartFilter{ID: byCmd["c"].ID}, "c"},
			{store.RemoteStartFilter{ID: 999}, ""},
			{store.RemoteStartFilter{TransactionID: 42}, "b"},
			{store.RemoteStartFilter{TransactionID: 44}, ""},
			{store.RemoteStartFilter{CommandID: "c"}, "c"},
			{store.RemoteStartFilter{CommandID: "C"}, ""}, // command ids are exact
			{store.RemoteStartFilter{StationID: "CP-2"}, "ec"},
			{store.RemoteStartFilter{IDTag: "TAG-1"}, "edba"},
			{store.RemoteStartFilter{IDTag: "tag-2"}, "c"},
			{store.RemoteStartFilter{StationTxID: "TX-B"}, "b"},
			{store.RemoteStartFilter{Unlinked: true}, "dca"},
			{store.RemoteStartFilter{Matchable: true}, "cba"},
			{store.RemoteStartFilter{CreatedFrom: at(-2 * time.Minute)}, "edcb"},
			{store.RemoteStartFilter{CreatedTo: at(-2 * time.Minute)}, "ba"},
			{store.RemoteStartFilter{CreatedFrom: at(-2 * time.Minute), CreatedTo: at(0)}, "dcb"},
			{store.RemoteStartFilter{Limit: 2}, "ed"},
			{store.RemoteStartFilter{StationID: "CP-1", Limit: 1}, "d"},
			{store.RemoteStartFilter{StationID: "CP-1", IDTag: "tag-1", Matchable: true, Unlinked: true}, "a"},
			{store.RemoteStartFilter{StationID: "CP-2", StationTxID: "TX-E", TransactionID: 43}, "e"},
			{store.RemoteStartFilter{ID: byCmd["a"].ID, StationID: "CP-1", Unlinked: true, Limit: 1}, "a"},
			{store.RemoteStartFilter{ID: byCmd["a"].ID, CommandID: "b"}, ""},
			{store.RemoteStartFilter{Matchable: true, CreatedFrom: at(-90 * time.Second), CreatedTo: at(time.Hour)}, "c"},
		}
		for _, c := range cases {
			got, err := bc.FindRemoteStarts(ctx, c.f)
			require.NoError(t, err, "%+v", c.f)
			require.NotNil(t, got, "%+v", c.f)
			ids := ""
			for _, r := range got {
				ids += r.CommandID
			}
			require.Equal(t, c.want, ids, "%+v", c.f)
		}

		// Every field reads back as stored, in UTC.
		got, err := bc.FindRemoteStarts(ctx, store.RemoteStartFilter{CommandID: "b"})
		require.NoError(t, err)
		require.Len(t, got, 1)
		want := byCmd["b"]
		want.TransactionID = ptr(int64(42))
		require.Equal(t, want, got[0])
		require.Equal(t, time.UTC, got[0].CreatedAt.Location())
		require.Equal(t, time.UTC, got[0].ExpiresAt.Location())
		require.Nil(t, byCmd["a"].TransactionID)
	})
}

func TestListDeviceVariablesFilterShapes(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newStation(t, db, "CP")
		newStation(t, db, "CP2")
		v := func(station, component string, evse int, variable string) charging.DeviceVariable {
			return charging.DeviceVariable{StationID: station, Component: component, EVSEID: evse, Variable: variable,
				AttributeType: "Actual", Value: station}
		}
		require.NoError(t, db.UpsertDeviceVariables(ctx, []charging.DeviceVariable{
			v("CP", "A", 0, "X"), v("CP", "A", 1, "X"), v("CP", "A", 1, "Y"), v("CP", "B", 1, "X"),
			v("CP", "B", 2, "Y"), v("CP", "A", 2, "X"), v("CP2", "A", 1, "X"),
		}))
		cases := []struct {
			f    charging.DeviceFilter
			want []string // component/evse/variable, in order
		}{
			{charging.DeviceFilter{}, []string{"A/0/X", "A/1/X", "A/1/Y", "A/2/X", "B/1/X", "B/2/Y"}},
			{charging.DeviceFilter{Component: "A"}, []string{"A/0/X", "A/1/X", "A/1/Y", "A/2/X"}},
			{charging.DeviceFilter{Variable: "Y"}, []string{"A/1/Y", "B/2/Y"}},
			{charging.DeviceFilter{EVSEID: ptr(1)}, []string{"A/1/X", "A/1/Y", "B/1/X"}},
			{charging.DeviceFilter{Component: "B", Variable: "X"}, []string{"B/1/X"}},
			{charging.DeviceFilter{Component: "A", EVSEID: ptr(2)}, []string{"A/2/X"}},
			{charging.DeviceFilter{Variable: "X", EVSEID: ptr(1)}, []string{"A/1/X", "B/1/X"}},
			{charging.DeviceFilter{Component: "A", Variable: "X", EVSEID: ptr(0)}, []string{"A/0/X"}},
			{charging.DeviceFilter{Component: "C"}, []string{}},
		}
		for _, c := range cases {
			got, err := db.ListDeviceVariables(ctx, "CP", c.f)
			require.NoError(t, err, "%+v", c.f)
			require.NotNil(t, got, "%+v", c.f)
			keys := []string{}
			for _, g := range got {
				require.Equal(t, "CP", g.Value)
				keys = append(keys, fmt.Sprintf("%s/%d/%s", g.Component, g.EVSEID, g.Variable))
			}
			require.Equal(t, c.want, keys, "%+v", c.f)
		}
		got, err := db.ListDeviceVariables(ctx, "CP2", charging.DeviceFilter{Component: "A", Variable: "X", EVSEID: ptr(1)})
		require.NoError(t, err)
		require.Len(t, got, 1)
		require.Equal(t, "CP2", got[0].Value)
		require.Equal(t, time.UTC, got[0].UpdatedAt.Location())
	})
}

func TestListTokensFiltersAndPages(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rs := db.Roaming()
		p1, p2 := newPartner(t, rs, "NL", "EMP"), newPartner(t, rs, "DE", "EMP")
		put := func(partner roaming.Partner, uid string, typ ocpi.TokenType) {
			tok := ocpi.Token{CountryCode: partner.Party.CountryCode, PartyID: partner.Party.PartyID, UID: uid, Type: typ,
				ContractID: "C-1", Issuer: "EMP", Valid: true, Whitelist: ocpi.WhitelistTypeAllowed, LastUpdated: ocpi.NewDateTime(testNow)}
			_, err := rs.PutToken(ctx, roaming.StoredToken{PartnerID: partner.ID, Token: tok})
			require.NoError(t, err)
		}
		// by key: country code, party, uid, type
		put(p1, "b", ocpi.TokenTypeRFID)      // NL b RFID
		put(p2, "a", ocpi.TokenTypeRFID)      // DE a RFID
		put(p1, "a", ocpi.TokenTypeRFID)      // NL a RFID
		put(p1, "a", ocpi.TokenTypeAppUser)   // NL a APP_USER
		put(p2, "c", ocpi.TokenTypeAdHocUser) // DE c AD_HOC_USER
		keys := func(list []roaming.StoredToken) []string {
			out := []string{}
			for _, st := range list {
				out = append(out, st.Token.CountryCode+" "+st.Token.UID+" "+string(st.Token.Type))
			}
			return out
		}
		all := []string{"DE a RFID", "DE c AD_HOC_USER", "NL a APP_USER", "NL a RFID", "NL b RFID"}
		for _, c := range []struct {
			f     roaming.TokenFilter
			want  []string
			total int
		}{
			{roaming.TokenFilter{}, all, 5},
			{roaming.TokenFilter{PartnerID: p1.ID}, all[2:], 3},
			{roaming.TokenFilter{PartnerID: p2.ID}, all[:2], 2},
			{roaming.TokenFilter{UID: "A"}, []string{"DE a RFID", "NL a APP_USER", "NL a RFID"}, 3},
			{roaming.TokenFilter{UID: "a", PartnerID: p1.ID}, []string{"NL a APP_USER", "NL a RFID"}, 2},
			{roaming.TokenFilter{UID: "z"}, []string{}, 0},
			{roaming.TokenFilter{Limit: 2}, all[:2], 5},
			{roaming.TokenFilter{Offset: 1, Limit: 2}, all[1:3], 5},
			{roaming.TokenFilter{Offset: 3}, all[3:], 5},
			{roaming.TokenFilter{PartnerID: p1.ID, Offset: 1, Limit: 1}, all[3:4], 3},
			{roaming.TokenFilter{UID: "a", Offset: 2}, []string{"NL a RFID"}, 3},
			{roaming.TokenFilter{Offset: 9, Limit: 1}, []string{}, 5},
		} {
			list, n, err := rs.ListTokens(ctx, c.f)
			require.NoError(t, err, "%+v", c.f)
			require.Equal(t, c.want, keys(list), "%+v", c.f)
			require.Equal(t, c.total, n, "%+v", c.f)
		}
		got, err := rs.GetToken(ctx, roaming.TokenKey{Party: p1.Party, UID: "b", Type: ocpi.TokenTypeRFID})
		require.NoError(t, err)
		list, _, err := rs.ListTokens(ctx, roaming.TokenFilter{UID: "b"})
		require.NoError(t, err)
		require.Equal(t, []roaming.StoredToken{got}, list, "every field as GetToken reads it")
	})
}
