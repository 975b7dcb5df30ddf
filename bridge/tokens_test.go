package bridge_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/bridge"
	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
)

// fakeEMSP is a TokenSource: stored tokens and a real-time answer function.
type fakeEMSP struct {
	mu     sync.Mutex
	tokens []roaming.StoredToken
	answer func(uid string) (ocpi.AuthorizationInfo, error)
	calls  []*ocpi.LocationReferences
}

func (e *fakeEMSP) TokensByUID(_ context.Context, uid string) ([]roaming.StoredToken, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []roaming.StoredToken
	for _, t := range e.tokens {
		if strings.EqualFold(t.Token.UID, uid) {
			out = append(out, t)
		}
	}
	return out, nil
}

func (e *fakeEMSP) AuthorizeRealTime(_ context.Context, t roaming.StoredToken, loc *ocpi.LocationReferences) (ocpi.AuthorizationInfo, error) {
	e.mu.Lock()
	e.calls = append(e.calls, loc)
	fn := e.answer
	e.mu.Unlock()
	if fn == nil {
		return ocpi.AuthorizationInfo{}, errors.New("unreachable")
	}
	return fn(t.Token.UID)
}

func (e *fakeEMSP) called() int { e.mu.Lock(); defer e.mu.Unlock(); return len(e.calls) }

func (e *fakeEMSP) reply(fn func(uid string) (ocpi.AuthorizationInfo, error)) {
	e.mu.Lock()
	e.answer = fn
	e.mu.Unlock()
}

// fakeLocations puts every station in LOC-1 with EVSEs <station>-1 and -2.
type fakeLocations struct{}

func (fakeLocations) LocationOfStation(_ context.Context, id string) (roaming.Location, error) {
	if id == "LOST" {
		return roaming.Location{}, charging.Errorf(charging.CodeNotFound, "none")
	}
	return roaming.Location{OCPI: ocpi.Location{ID: "LOC-1", EVSEs: []ocpi.EVSE{{UID: id + "-1"}, {UID: id + "-2"}, {UID: "OTHER-1"}}},
		StationIDs: []string{id}}, nil
}

func TestTokenDecisions(t *testing.T) {
	cmdForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		src := &fakeEMSP{}
		for _, tok := range []ocpi.Token{
			cmdToken("ALWAYS-OK", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAlways, true),
			cmdToken("ALWAYS-BAD", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAlways, false),
			cmdToken("ALLOWED", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAllowed, true),
			cmdToken("OFFLINE", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAllowedOffline, true),
			cmdToken("OFFLINE-BAD", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAllowedOffline, false),
			cmdToken("NEVER", ocpi.TokenTypeRFID, ocpi.WhitelistTypeNever, true),
			cmdToken("04ab12cd", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAlways, true),
		} {
			src.tokens = append(src.tokens, roaming.StoredToken{PartnerID: 1, Token: tok})
		}
		// the same uid at another eMSP, invalid: the valid one wins
		dup := cmdToken("04AB12CD", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAlways, false)
		dup.CountryCode = "DE"
		src.tokens = append(src.tokens, roaming.StoredToken{PartnerID: 2, Token: dup})
		clk := &cmdClock{now: time.Now()}
		tk := bridge.NewTokens(src, fakeLocations{}, db.BridgeCommands(), clk, slog.New(slog.DiscardHandler), bridge.TokensConfig{})
		auth := func(station, tag string) (charging.AuthStatus, bool) {
			t.Helper()
			info, known, err := tk.AuthorizeToken(ctx, station, 1, tag)
			require.NoError(t, err)
			return info.Status, known
		}
		status := func(station, tag string) charging.AuthStatus { s, _ := auth(station, tag); return s }

		// unknown tag; ALWAYS decides from the cache, never asking
		_, known := auth("CP-1", "NOBODY")
		require.False(t, known)
		require.Equal(t, charging.AuthAccepted, status("CP-1", "always-ok"))
		require.Equal(t, charging.AuthInvalid, status("CP-1", "ALWAYS-BAD"))
		require.Equal(t, charging.AuthAccepted, status("CP-1", "04AB12CD"))
		require.Zero(t, src.called())

		// eMSP unreachable: ALLOWED / ALLOWED_OFFLINE by validity, NEVER refused
		require.Equal(t, charging.AuthAccepted, status("CP-1", "ALLOWED"))
		require.Equal(t, charging.AuthAccepted, status("CP-1", "OFFLINE"))
		require.Equal(t, charging.AuthInvalid, status("CP-1", "OFFLINE-BAD"))
		require.Equal(t, charging.AuthInvalid, status("CP-1", "NEVER"))
		require.Equal(t, 4, src.called())
		src.mu.Lock()
		require.Equal(t, &ocpi.LocationReferences{LocationID: "LOC-1", EvseUIDs: []string{"CP-1-1"}}, src.calls[0])
		src.mu.Unlock()

		// the eMSP answers: its verdict, kept Fresh (2 min) without asking again
		verdict := map[string]ocpi.AllowedType{"NEVER": ocpi.AllowedTypeAllowed, "ALLOWED": ocpi.AllowedTypeBlocked,
			"OFFLINE": ocpi.AllowedTypeNoCredit, "OFFLINE-BAD": ocpi.AllowedTypeAllowed}
		src.reply(func(uid string) (ocpi.AuthorizationInfo, error) {
			if a, ok := verdict[uid]; ok {
				return ocpi.AuthorizationInfo{Allowed: a, AuthorizationReference: "AR-" + uid}, nil
			}
			return ocpi.AuthorizationInfo{}, roaming.ErrUnknownToken
		})
		require.Equal(t, charging.AuthAccepted, status("CP-1", "NEVER"))
		require.Equal(t, charging.AuthBlocked, status("CP-1", "ALLOWED"))
		require.Equal(t, charging.AuthInvalid, status("CP-1", "OFFLINE"), "NO_CREDIT")
		require.Equal(t, charging.AuthAccepted, status("CP-1", "OFFLINE-BAD"), "the eMSP's answer beats the cached valid flag")
		n := src.called()
		require.Equal(t, charging.AuthAccepted, status("CP-1", "NEVER"))
		require.Equal(t, n, src.called(), "a fresh answer is reused (Authorize, then StartTransaction)")
		info, ok, err := tk.Lookup(ctx, "CP-1", "never")
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, "AR-NEVER", info.AuthorizationReference)
		require.Equal(t, "NEVER", info.Token.Token.UID)

		// later, unreachable again: ALLOWED falls back to the last answer (CacheTTL), NEVER does not
		clk.add(5 * time.Minute)
		src.reply(nil)
		require.Equal(t, charging.AuthBlocked, status("CP-1", "ALLOWED"))
		require.Equal(t, charging.AuthInvalid, status("CP-1", "NEVER"))
		clk.add(20 * time.Minute)
		require.Equal(t, charging.AuthAccepted, status("CP-1", "ALLOWED"), "the fallback expired: by validity")

		// a token the eMSP does not know is refused; EXPIRED maps to Expired
		src.reply(func(uid string) (ocpi.AuthorizationInfo, error) {
			if uid == "NEVER" {
				return ocpi.AuthorizationInfo{Allowed: ocpi.AllowedTypeExpired}, nil
			}
			return ocpi.AuthorizationInfo{}, roaming.ErrUnknownToken
		})
		require.Equal(t, charging.AuthExpired, status("CS-2", "NEVER"))
		require.Equal(t, charging.AuthInvalid, status("CS-2", "ALLOWED"))
		// a station in no location: asked without LocationReferences
		status("LOST", "OFFLINE")
		src.mu.Lock()
		require.Nil(t, src.calls[len(src.calls)-1])
		src.mu.Unlock()
	})
}

func TestTokenAliasResolution(t *testing.T) {
	cmdForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		long := cmdToken("APP-USER-0123456789ABCDEFGHIJ", ocpi.TokenTypeAppUser, ocpi.WhitelistTypeAlways, true)
		long.GroupID = "GROUP-1"
		src := &fakeEMSP{tokens: []roaming.StoredToken{{PartnerID: 1, Token: long}}}
		k := roaming.KeyOf(&long)
		alias, err := db.BridgeCommands().PutTokenAlias(ctx, k, "#ALIAS")
		require.NoError(t, err)
		tk := bridge.NewTokens(src, fakeLocations{}, db.BridgeCommands(), nil, slog.New(slog.DiscardHandler), bridge.TokensConfig{})
		info, known, err := tk.AuthorizeToken(ctx, "CP-1", 0, alias)
		require.NoError(t, err)
		require.True(t, known)
		require.Equal(t, charging.AuthInfo{Status: charging.AuthAccepted, ParentIDTag: "GROUP-1"}, info)
		ti, ok, err := tk.Lookup(ctx, "CP-1", "#alias")
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, long.UID, ti.Token.Token.UID)
		_, known, err = tk.AuthorizeToken(ctx, "CP-1", 0, "#NOALIAS")
		require.NoError(t, err)
		require.False(t, known)
	})
}

func TestSessionAuthsAlias(t *testing.T) {
	cmdForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := cmdPartner(t, db)
		cmdStation(t, db, "CP-1", charging.OCPP16)
		long := cmdToken("APP-USER-0123456789ABCDEFGHIJ", ocpi.TokenTypeAppUser, ocpi.WhitelistTypeAlways, true)
		_, err := db.Roaming().PutToken(ctx, roaming.StoredToken{PartnerID: p.ID, Token: long})
		require.NoError(t, err)
		alias, err := db.BridgeCommands().PutTokenAlias(ctx, roaming.KeyOf(&long), "#ALIAS01")
		require.NoError(t, err)
		tk := bridge.NewTokens(&fakeEMSP{}, db.Roaming(), db.BridgeCommands(), nil, slog.New(slog.DiscardHandler), bridge.TokensConfig{})
		src := bridge.SessionAuths{Tokens: tk}
		tx := charging.Transaction{ID: 1, StationID: "CP-1", EVSEID: 1, IDTag: alias, StartedAt: time.Now(), StartReceivedAt: time.Now()}
		var a roaming.SessionAuth
		var known bool
		require.NoError(t, db.InTx(ctx, func(txs charging.Store) error {
			var err error
			a, known, err = src.SessionAuth(ctx, txs, tx)
			return err
		}))
		require.True(t, known)
		require.Equal(t, long.UID, a.Token.UID, "the alias stands for the long uid")
		require.Equal(t, ocpi.AuthMethodWhitelist, a.Method)
		require.False(t, a.Rejected)
		tx.IDTag = "04AB12CD" // a plain tag without a real-time answer: left to the publisher
		_, known, err = src.SessionAuth(ctx, db, tx)
		require.NoError(t, err)
		require.False(t, known)
	})
}
