package bridge_test

import (
	"context"
	"log/slog"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/bridge"
	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpp"
	"github.com/chargehub/hub/ocpp/gateway"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
)

// listEntries renders a SendLocalList's entries as "TAG[/TYPE]=Status" ("TAG-" for a removal), sorted.
func listEntries(l gateway.LocalList, withType bool) []string {
	var out []string
	for _, e := range l.Entries {
		tag := strings.ToUpper(e.Token.Tag16)
		if tag == "" {
			tag = strings.ToUpper(e.Token.ID)
		}
		if withType && e.Token.Type != "" {
			tag += "/" + e.Token.Type
		}
		if e.Info == nil {
			out = append(out, tag+"-")
			continue
		}
		out = append(out, tag+"="+string(e.Info.Status))
	}
	sort.Strings(out)
	return out
}

func lists(f *fakeStations, station string) []gateway.LocalList {
	var out []gateway.LocalList
	for _, c := range f.sentTo("SendLocalList") {
		if c.Station == station {
			out = append(out, c.Req.(gateway.LocalList))
		}
	}
	return out
}

func TestLocalListSync(t *testing.T) {
	cmdForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := cmdPartner(t, db)
		put := func(tok ocpi.Token) {
			t.Helper()
			_, err := db.Roaming().PutToken(ctx, roaming.StoredToken{PartnerID: p.ID, Token: tok})
			require.NoError(t, err)
		}
		cmdStation(t, db, "CP-16", charging.OCPP16)
		cmdStation(t, db, "CS-201", charging.OCPP201)
		cmdStation(t, db, "CP-OLD", charging.OCPP16)
		cmdStation(t, db, "CP-OFF", charging.OCPP16)
		st := newStations()
		st.connect("CP-16", charging.OCPP16)
		st.connect("CS-201", charging.OCPP201)
		st.connect("CP-OLD", charging.OCPP16)
		for _, id := range []string{"CP-16", "CS-201", "CP-OLD", "CP-OFF"} {
			require.NoError(t, db.SetOnline(ctx, id, true, "", time.Now()))
		}
		st.on("GetLocalListVersion", func(any) (gateway.Outcome, error) { return "", nil })
		ll := bridge.NewLocalLists(st, db, db.BridgeCommands(), nil, slog.New(slog.DiscardHandler), bridge.LocalListsConfig{BatchSize: 2})

		// no token qualifies: stations are left alone
		put(cmdToken("NEVER-1", ocpi.TokenTypeRFID, ocpi.WhitelistTypeNever, true))
		n, err := ll.SyncAll(ctx)
		require.NoError(t, err)
		require.Zero(t, n)
		require.Empty(t, st.sentTo("SendLocalList"))

		put(cmdToken("AAAA", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAlways, true))
		put(cmdToken("BBBB", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAllowedOffline, true))
		put(cmdToken("CCCC", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAllowed, true))
		put(cmdToken("APP-USER-0123456789ABCDEFGHIJ", ocpi.TokenTypeAppUser, ocpi.WhitelistTypeAlways, true))
		n, err = ll.SyncAll(ctx)
		require.NoError(t, err)
		require.Equal(t, 3, n)
		l16 := lists(st, "CP-16")
		require.Len(t, l16, 2, "three entries in batches of two: Full, then Differential")
		require.True(t, l16[0].Full)
		require.Equal(t, 1, l16[0].Version)
		require.False(t, l16[1].Full)
		require.Equal(t, 2, l16[1].Version)
		all := append(listEntries(l16[0], false), listEntries(l16[1], false)...)
		sort.Strings(all)
		require.Len(t, all, 3)
		require.Equal(t, "AAAA=Accepted", all[1])
		require.Equal(t, "BBBB=Accepted", all[2])
		require.True(t, strings.HasPrefix(all[0], "#"), "the long uid goes as its alias: %v", all)
		require.Len(t, strings.TrimSuffix(all[0], "=Accepted"), 20)
		l201 := lists(st, "CS-201")
		require.Len(t, l201, 2)
		all = append(listEntries(l201[0], true), listEntries(l201[1], true)...)
		sort.Strings(all)
		require.Equal(t, []string{"AAAA/ISO14443=Accepted", "APP-USER-0123456789ABCDEFGHIJ/Central=Accepted", "BBBB/ISO14443=Accepted"}, all)
		require.Empty(t, lists(st, "CP-OFF"), "offline")

		// nothing changed: nothing sent
		before := len(st.sentTo("SendLocalList"))
		_, err = ll.SyncAll(ctx)
		require.NoError(t, err)
		require.Len(t, st.sentTo("SendLocalList"), before)

		// AAAA invalidated (stays, Invalid), BBBB now NEVER (removed), CCCC now ALWAYS (added)
		put(cmdToken("AAAA", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAlways, false))
		put(cmdToken("BBBB", ocpi.TokenTypeRFID, ocpi.WhitelistTypeNever, true))
		put(cmdToken("CCCC", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAlways, true))
		sent, err := ll.SyncStation(ctx, "CP-16")
		require.NoError(t, err)
		require.True(t, sent)
		l16 = lists(st, "CP-16")
		require.Len(t, l16, 4)
		require.Equal(t, 4, l16[3].Version)
		diff := append(listEntries(l16[2], false), listEntries(l16[3], false)...)
		sort.Strings(diff)
		require.Equal(t, []string{"AAAA=Invalid", "BBBB-", "CCCC=Accepted"}, diff)
		entries, err := db.BridgeCommands().ListLocalListEntries(ctx, "CP-16")
		require.NoError(t, err)
		require.Len(t, entries, 3, "alias, AAAA (Invalid), CCCC")

		// the station answers VersionMismatch: a full list follows at once
		put(cmdToken("DDDD", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAllowedOffline, true))
		mismatched := false
		st.on("SendLocalList", func(req any) (gateway.Outcome, error) {
			if !mismatched && !req.(gateway.LocalList).Full {
				mismatched = true
				return gateway.OutcomeVersionMismatch, nil
			}
			return gateway.OutcomeAccepted, nil
		})
		sent, err = ll.SyncStation(ctx, "CS-201")
		require.NoError(t, err)
		require.True(t, sent)
		l201 = lists(st, "CS-201")
		require.False(t, l201[len(l201)-3].Full, "the refused differential")
		require.True(t, l201[len(l201)-2].Full)
		full := append(listEntries(l201[len(l201)-2], true), listEntries(l201[len(l201)-1], true)...)
		sort.Strings(full)
		require.Equal(t, []string{"APP-USER-0123456789ABCDEFGHIJ/Central=Accepted", "CCCC/ISO14443=Accepted", "DDDD/ISO14443=Accepted"}, full,
			"a full list holds only valid ALWAYS / ALLOWED_OFFLINE tokens")
		l, err := db.BridgeCommands().GetLocalList(ctx, "CS-201")
		require.NoError(t, err)
		require.False(t, l.FullNeeded)
		require.Equal(t, l201[len(l201)-1].Version, l.Version)

		// a reconnect with a list version the hub did not send: full list
		st.on("SendLocalList", nil)
		st.mu.Lock()
		st.version["CP-16"] = 99
		st.mu.Unlock()
		st.connect("CP-16", charging.OCPP16)
		sent, err = ll.SyncStation(ctx, "CP-16")
		require.NoError(t, err)
		require.True(t, sent)
		l16 = lists(st, "CP-16")
		require.True(t, l16[len(l16)-2].Full)
		require.Equal(t, 100, l16[len(l16)-2].Version)

		// a station without local lists is paused
		st.on("GetLocalListVersion", func(any) (gateway.Outcome, error) { return "", &ocpp.CallError{Code: ocpp.ErrNotSupported} })
		st.connect("CP-OLD", charging.OCPP16)
		before = len(lists(st, "CP-OLD"))
		sent, err = ll.SyncStation(ctx, "CP-OLD")
		require.NoError(t, err)
		require.False(t, sent)
		l, err = db.BridgeCommands().GetLocalList(ctx, "CP-OLD")
		require.NoError(t, err)
		require.NotNil(t, l.UnsupportedUntil)
		put(cmdToken("EEEE", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAlways, true))
		_, err = ll.SyncStation(ctx, "CP-OLD")
		require.NoError(t, err)
		require.Len(t, lists(st, "CP-OLD"), before)
	})
}
