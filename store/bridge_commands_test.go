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

func TestBridgeRemoteStarts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := newPartner(t, db.Roaming(), "NL", "EMP")
		bc := db.BridgeCommands()
		tok := ocpi.Token{CountryCode: "NL", PartyID: "EMP", UID: "app-1", Type: ocpi.TokenTypeAppUser, ContractID: "C1", Issuer: "EMP",
			Valid: true, Whitelist: ocpi.WhitelistTypeNever, LastUpdated: ocpi.NewDateTime(testNow)}
		a := store.RemoteStart{CommandID: "cmd-1", PartnerID: p.ID, From: p.Party, StationID: "CP-1", EVSEID: 2, IDTag: "app-1",
			Token: tok, AuthorizationReference: "AR-1", Status: store.RemoteStartPending, ExpiresAt: at(15 * time.Minute)}
		require.NoError(t, bc.CreateRemoteStart(ctx, &a))
		require.Positive(t, a.ID)
		require.Equal(t, "APP-1", a.IDTag)
		b := a
		b.CommandID, b.IDTag, b.Status = "cmd-2", "OTHER", store.RemoteStartPending
		require.NoError(t, bc.CreateRemoteStart(ctx, &b))
		require.Greater(t, b.ID, a.ID)
		dup := a
		requireCode(t, charging.CodeConflict, bc.CreateRemoteStart(ctx, &dup))

		got, err := bc.FindRemoteStarts(ctx, store.RemoteStartFilter{StationID: "CP-1", IDTag: "App-1", Matchable: true, Unlinked: true,
			CreatedFrom: at(-time.Minute), CreatedTo: at(time.Minute)})
		require.NoError(t, err)
		require.Len(t, got, 1)
		require.Equal(t, a.ID, got[0].ID)
		require.Equal(t, tok.UID, got[0].Token.UID)
		require.Equal(t, "AR-1", got[0].AuthorizationReference)
		require.Equal(t, roaming.Party{CountryCode: "NL", PartyID: "EMP"}, got[0].From)

		require.NoError(t, bc.SetRemoteStartStatus(ctx, b.ID, store.RemoteStartRejected, ""))
		got, err = bc.FindRemoteStarts(ctx, store.RemoteStartFilter{StationID: "CP-1", Matchable: true})
		require.NoError(t, err)
		require.Len(t, got, 1, "a rejected remote start is not matchable")
		require.NoError(t, bc.SetRemoteStartStatus(ctx, a.ID, store.RemoteStartAccepted, "TX-9"))
		requireCode(t, charging.CodeNotFound, bc.SetRemoteStartStatus(ctx, 999, store.RemoteStartAccepted, ""))

		require.NoError(t, bc.LinkRemoteStart(ctx, a.ID, 77))
		requireCode(t, charging.CodeConflict, bc.LinkRemoteStart(ctx, a.ID, 78))
		requireCode(t, charging.CodeConflict, bc.LinkRemoteStart(ctx, b.ID, 77)) // one remote start per transaction
		got, err = bc.FindRemoteStarts(ctx, store.RemoteStartFilter{TransactionID: 77})
		require.NoError(t, err)
		require.Len(t, got, 1)
		require.Equal(t, int64(77), *got[0].TransactionID)
		require.Equal(t, "TX-9", got[0].StationTxID)
		got, err = bc.FindRemoteStarts(ctx, store.RemoteStartFilter{ID: a.ID, Unlinked: true})
		require.NoError(t, err)
		require.Empty(t, got)
	})
}

func TestBridgeReservationsAndAliases(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := newPartner(t, db.Roaming(), "NL", "EMP")
		bc := db.BridgeCommands()
		r := store.Reservation{PartnerID: p.ID, Key: "res-1", LocationID: "loc-1", StationID: "CP-1", EVSEID: 1, CommandID: "c1",
			IDTag: "04AB", Status: store.ReservationPending, ExpiresAt: at(time.Hour)}
		created, err := bc.PutReservation(ctx, &r)
		require.NoError(t, err)
		require.True(t, created)
		id := r.ID
		r2 := store.Reservation{PartnerID: p.ID, Key: "RES-1", LocationID: "loc-1", StationID: "CP-1", EVSEID: 2, CommandID: "c2",
			Status: store.ReservationPending, ExpiresAt: at(2 * time.Hour)}
		created, err = bc.PutReservation(ctx, &r2)
		require.NoError(t, err)
		require.False(t, created, "same reservation_id: replaced")
		require.Equal(t, id, r2.ID, "the OCPP id is kept")
		require.Equal(t, 2, r2.EVSEID)
		got, err := bc.GetReservation(ctx, p.ID, "Res-1")
		require.NoError(t, err)
		require.Equal(t, "c2", got.CommandID)
		require.True(t, got.ExpiresAt.Equal(at(2*time.Hour)))
		require.NoError(t, bc.SetReservationStatus(ctx, id, store.ReservationActive))
		got, err = bc.ReservationByID(ctx, id)
		require.NoError(t, err)
		require.Equal(t, store.ReservationActive, got.Status)
		_, err = bc.GetReservation(ctx, p.ID, "other")
		requireCode(t, charging.CodeNotFound, err)

		k := roaming.TokenKey{Party: roaming.Party{CountryCode: "nl", PartyID: "emp"}, UID: "app-user-0123456789abcdef", Type: ocpi.TokenTypeAppUser}
		alias, err := bc.PutTokenAlias(ctx, k, "#abc")
		require.NoError(t, err)
		require.Equal(t, "#ABC", alias)
		alias, err = bc.PutTokenAlias(ctx, k, "#other")
		require.NoError(t, err)
		require.Equal(t, "#ABC", alias, "a token keeps its alias")
		k2 := k
		k2.UID = "another"
		_, err = bc.PutTokenAlias(ctx, k2, "#abc")
		requireCode(t, charging.CodeConflict, err)
		back, err := bc.TokenOfAlias(ctx, "#Abc")
		require.NoError(t, err)
		require.Equal(t, k.Norm(), back.Norm())
		_, err = bc.TokenOfAlias(ctx, "04AB12CD")
		requireCode(t, charging.CodeNotFound, err)
	})
}

func TestBridgeLocalLists(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newStation(t, db, "CP-1")
		bc := db.BridgeCommands()
		l, err := bc.GetLocalList(ctx, "CP-1")
		require.NoError(t, err)
		require.True(t, l.FullNeeded)
		require.Zero(t, l.Version)

		cur := at(-time.Minute)
		l = store.LocalList{StationID: "CP-1", Version: 1, TokenCursor: &cur, LastResult: "Accepted"}
		require.NoError(t, bc.SaveLocalList(ctx, l, true, []store.LocalListChange{
			{Entry: store.LocalListEntry{IDTag: "aa", Status: "Accepted"}},
			{Entry: store.LocalListEntry{IDTag: "BB", Status: "Accepted", ParentIDTag: "G"}}}))
		l.Version = 2
		require.NoError(t, bc.SaveLocalList(ctx, l, false, []store.LocalListChange{
			{Entry: store.LocalListEntry{IDTag: "AA"}, Remove: true},
			{Entry: store.LocalListEntry{IDTag: "bb", Status: "Invalid"}},
			{Entry: store.LocalListEntry{IDTag: "CC", TokenType: "Central", Status: "Accepted"}}}))
		got, err := bc.GetLocalList(ctx, "CP-1")
		require.NoError(t, err)
		require.False(t, got.FullNeeded)
		require.Equal(t, 2, got.Version)
		require.True(t, got.TokenCursor.Equal(cur))
		entries, err := bc.ListLocalListEntries(ctx, "CP-1")
		require.NoError(t, err)
		require.Equal(t, []store.LocalListEntry{{IDTag: "BB", Status: "Invalid"}, {IDTag: "CC", TokenType: "Central", Status: "Accepted"}}, entries)
		require.NoError(t, bc.SaveLocalList(ctx, store.LocalList{StationID: "CP-1", Version: 3}, true, nil))
		entries, err = bc.ListLocalListEntries(ctx, "CP-1")
		require.NoError(t, err)
		require.Empty(t, entries)
	})
}

func TestBridgeChangedTokens(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rs := db.Roaming()
		p := newPartner(t, rs, "NL", "EMP")
		wl := []ocpi.WhitelistType{ocpi.WhitelistTypeAlways, ocpi.WhitelistTypeNever, ocpi.WhitelistTypeAllowedOffline}
		for i := range 7 {
			tok := ocpi.Token{CountryCode: "NL", PartyID: "EMP", UID: fmt.Sprintf("T%02d", i), Type: ocpi.TokenTypeRFID, ContractID: "C",
				Issuer: "EMP", Valid: i != 6, Whitelist: wl[i%3], LastUpdated: ocpi.NewDateTime(testNow)}
			_, err := rs.PutToken(ctx, roaming.StoredToken{PartnerID: p.ID, Token: tok})
			require.NoError(t, err)
		}
		bc := db.BridgeCommands()
		var all []string
		var after *store.TokenPos
		for range 10 { // every token has the same stored time (fixed clock): the key orders them
			page, err := bc.ChangedTokens(ctx, store.TokenPage{After: after, Limit: 3})
			require.NoError(t, err)
			if len(page) == 0 {
				break
			}
			for _, st := range page {
				all = append(all, st.Token.UID)
			}
			last := page[len(page)-1]
			after = &store.TokenPos{UpdatedAt: last.UpdatedAt, Key: roaming.KeyOf(&last.Token)}
		}
		require.Equal(t, []string{"T00", "T01", "T02", "T03", "T04", "T05", "T06"}, all)
		listable, err := bc.ChangedTokens(ctx, store.TokenPage{Listable: true})
		require.NoError(t, err)
		var uids []string
		for _, st := range listable {
			uids = append(uids, st.Token.UID)
		}
		require.Equal(t, []string{"T00", "T02", "T03", "T05"}, uids, "valid ALWAYS and ALLOWED_OFFLINE tokens")
		since := at(time.Second)
		none, err := bc.ChangedTokens(ctx, store.TokenPage{Since: &since})
		require.NoError(t, err)
		require.Empty(t, none)
	})
}
