package bridge

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
)

// TokenSource is what Tokens needs of the roaming domain; *roaming.Service implements it.
type TokenSource interface {
	TokensByUID(ctx context.Context, uid string) ([]roaming.StoredToken, error)
	AuthorizeRealTime(ctx context.Context, t roaming.StoredToken, loc *ocpi.LocationReferences) (ocpi.AuthorizationInfo, error)
}

var _ TokenSource = (*roaming.Service)(nil)

// LocationLookup finds the location of a station; roaming.Store implements it.
type LocationLookup interface {
	LocationOfStation(ctx context.Context, stationID string) (roaming.Location, error)
}

// TokensConfig tunes Tokens. Zero fields take the defaults.
type TokensConfig struct {
	Timeout           time.Duration // a real-time authorization's limit (charger timeouts are short); 3 s
	Fresh             time.Duration // an eMSP answer this recent is reused without asking again; 2 min
	CacheTTL          time.Duration // the last answer stands in for an eMSP that cannot answer this long; 15 min
	RemoteStartWindow time.Duration // a remote-started tag is accepted at its station this long; 15 min
	MaxCache          int           // answers kept; 10000
}

func (c *TokensConfig) fill() {
	if c.Timeout <= 0 {
		c.Timeout = 3 * time.Second
	}
	if c.Fresh <= 0 {
		c.Fresh = 2 * time.Minute
	}
	if c.CacheTTL <= 0 {
		c.CacheTTL = 15 * time.Minute
	}
	if c.RemoteStartWindow <= 0 {
		c.RemoteStartWindow = 15 * time.Minute
	}
	if c.MaxCache <= 0 {
		c.MaxCache = 10000
	}
}

// Tokens decides the id tags of roaming partners' tokens at the chargers: it implements
// charging.TokenAuthorizer (the charging service calls it for tags that are not local id tags).
//
// Decision, in order:
//
//	| case                                                          | verdict                                      |
//	|---------------------------------------------------------------|----------------------------------------------|
//	| the tag of a START_SESSION/RESERVE_NOW sent to this station   | Accepted (pre-authorized by the eMSP, OCPI   |
//	|   within RemoteStartWindow (uid, or its 1.6 alias)            |   5.6: no real-time request)                 |
//	| no eMSP token with that uid (RFID uids case-insensitive) or   | unknown: known=false (the station gets       |
//	|   alias                                                       |   Invalid / Unknown)                         |
//	| whitelist ALWAYS                                              | Accepted if valid, else Invalid; never asked |
//	| ALLOWED, ALLOWED_OFFLINE, NEVER, with an eMSP answer younger   | that answer                                  |
//	|   than Fresh (e.g. Authorize, then StartTransaction)          |                                              |
//	| ALLOWED, ALLOWED_OFFLINE, NEVER: real-time POST authorize     | the eMSP's allowed: ALLOWED→Accepted,        |
//	|   with LocationReferences, within Timeout                     |   BLOCKED→Blocked, EXPIRED→Expired,          |
//	|                                                               |   NO_CREDIT/NOT_ALLOWED→Invalid; unknown     |
//	|                                                               |   token (404/2004)→Invalid                   |
//	| ALLOWED or ALLOWED_OFFLINE, the eMSP cannot answer            | its last answer within CacheTTL, else        |
//	|                                                               |   Accepted if valid, else Invalid            |
//	| NEVER (or an unknown whitelist), the eMSP cannot answer       | Invalid (never decided locally)              |
//
// The parent id tag of an accepted token is its group_id (sent to 1.6 stations only when it
// fits 20 characters).
type Tokens struct {
	src   TokenSource
	locs  LocationLookup
	state *store.BridgeCommands
	clock charging.Clock
	log   *slog.Logger
	cfg   TokensConfig

	mu    sync.Mutex
	cache map[string]answer // token key + location → last eMSP answer; guarded by mu
}

// answer is an eMSP's real-time verdict.
type answer struct {
	info   charging.AuthInfo
	ref    string // authorization_reference
	at     time.Time
	parent string
}

var _ charging.TokenAuthorizer = (*Tokens)(nil)

// NewTokens builds the authorizer.
func NewTokens(src TokenSource, locs LocationLookup, state *store.BridgeCommands, clock charging.Clock, log *slog.Logger, cfg TokensConfig) *Tokens {
	cfg.fill()
	if log == nil {
		log = slog.Default()
	}
	if clock == nil {
		clock = charging.SystemClock{}
	}
	return &Tokens{src: src, locs: locs, state: state, clock: clock, log: log, cfg: cfg, cache: map[string]answer{}}
}

// TokenInfo is what the hub knows of a roaming token presented at a station.
type TokenInfo struct {
	Token roaming.StoredToken
	// AuthorizationReference of the eMSP's last real-time answer for it (at that station's
	// location), "" if none: copy it into the Session and CDR.
	AuthorizationReference string
}

// Lookup resolves a tag a station sent (a token uid, or the 1.6 alias of a longer one) to the
// eMSP token it stands for, with the authorization_reference of the last real-time answer;
// ok is false when no eMSP knows the tag. The session publisher uses it for sessions that were
// not remote-started.
func (t *Tokens) Lookup(ctx context.Context, stationID, tag string) (TokenInfo, bool, error) {
	tok, ok, err := t.resolve(ctx, tag)
	if err != nil || !ok {
		return TokenInfo{}, false, err
	}
	out := TokenInfo{Token: tok}
	loc := t.location(ctx, stationID, 0)
	t.mu.Lock()
	if a, hit := t.cache[cacheKey(&tok, loc)]; hit {
		out.AuthorizationReference = a.ref
	}
	t.mu.Unlock()
	return out, true, nil
}

// AuthorizeToken decides a tag (charging.TokenAuthorizer); see the Tokens table.
func (t *Tokens) AuthorizeToken(ctx context.Context, stationID string, evseID int, tag string) (charging.AuthInfo, bool, error) {
	now := t.clock.Now()
	if rs, ok, err := t.remoteStarted(ctx, stationID, tag, now); err != nil || ok {
		return charging.AuthInfo{Status: charging.AuthAccepted, ParentIDTag: rs.Token.GroupID}, ok, err
	}
	tok, ok, err := t.resolve(ctx, tag)
	if err != nil || !ok {
		return charging.AuthInfo{}, false, err
	}
	local := localVerdict(&tok.Token)
	if tok.Token.Whitelist == ocpi.WhitelistTypeAlways {
		return local, true, nil
	}
	loc := t.location(ctx, stationID, evseID)
	key := cacheKey(&tok, loc)
	if a, ok := t.cached(key, now, t.cfg.Fresh); ok {
		return a.info, true, nil
	}
	rctx, cancel := context.WithTimeout(ctx, t.cfg.Timeout)
	info, err := t.src.AuthorizeRealTime(rctx, tok, loc)
	cancel()
	if err == nil {
		verdict := allowedVerdict(info.Allowed, tok.Token.GroupID)
		t.remember(key, answer{info: verdict, ref: info.AuthorizationReference, at: now})
		return verdict, true, nil
	}
	if errors.Is(err, roaming.ErrUnknownToken) {
		t.log.Info("the eMSP does not know the token", "uid", tok.Token.UID, "station", stationID)
		verdict := charging.AuthInfo{Status: charging.AuthInvalid}
		t.remember(key, answer{info: verdict, at: now})
		return verdict, true, nil
	}
	t.log.Warn("real-time authorization failed; deciding by the whitelist", "uid", tok.Token.UID, "whitelist", tok.Token.Whitelist,
		"station", stationID, "err", err)
	switch tok.Token.Whitelist {
	case ocpi.WhitelistTypeAllowed, ocpi.WhitelistTypeAllowedOffline:
		if a, ok := t.cached(key, now, t.cfg.CacheTTL); ok {
			return a.info, true, nil
		}
		return local, true, nil
	default: // NEVER: never decided locally
		return charging.AuthInfo{Status: charging.AuthInvalid}, true, nil
	}
}

// remoteStarted finds a START_SESSION of the tag at the station within the window, or an
// unexpired reservation (RESERVE_NOW) of the tag there (its Token is then empty).
func (t *Tokens) remoteStarted(ctx context.Context, stationID, tag string, now time.Time) (store.RemoteStart, bool, error) {
	list, err := t.state.FindRemoteStarts(ctx, store.RemoteStartFilter{StationID: stationID, IDTag: tag, Matchable: true,
		CreatedFrom: now.Add(-t.cfg.RemoteStartWindow), Limit: 1})
	if err != nil || len(list) > 0 {
		return first(list), len(list) > 0, err
	}
	if stationID == "" {
		return store.RemoteStart{}, false, nil
	}
	res, err := t.state.ReservationFor(ctx, stationID, tag, now)
	if charging.IsNotFound(err) {
		return store.RemoteStart{}, false, nil
	}
	if err != nil {
		return store.RemoteStart{}, false, err
	}
	return store.RemoteStart{StationID: res.StationID, IDTag: res.IDTag, CommandID: res.CommandID}, true, nil
}

// resolve finds the eMSP token of a tag: by uid (case-insensitive; a valid token, then an RFID
// one, is preferred when several eMSPs share a uid), else by 1.6 alias.
func (t *Tokens) resolve(ctx context.Context, tag string) (roaming.StoredToken, bool, error) {
	tag = strings.TrimSpace(tag)
	if tag == "" {
		return roaming.StoredToken{}, false, nil
	}
	list, err := t.src.TokensByUID(ctx, tag)
	if err != nil {
		return roaming.StoredToken{}, false, err
	}
	var want *roaming.TokenKey
	if len(list) == 0 && strings.HasPrefix(tag, "#") {
		k, err := t.state.TokenOfAlias(ctx, tag)
		if charging.IsNotFound(err) {
			return roaming.StoredToken{}, false, nil
		}
		if err != nil {
			return roaming.StoredToken{}, false, err
		}
		if list, err = t.src.TokensByUID(ctx, k.UID); err != nil {
			return roaming.StoredToken{}, false, err
		}
		want = &k
	}
	var best *roaming.StoredToken
	for i := range list {
		c := &list[i]
		if want != nil && !roaming.KeyOf(&c.Token).Norm().Party.Is(want.Party) {
			continue
		}
		if want != nil && !strings.EqualFold(string(roaming.KeyOf(&c.Token).Norm().Type), string(want.Norm().Type)) {
			continue
		}
		if best == nil || better(c, best) {
			best = c
		}
	}
	if best == nil {
		return roaming.StoredToken{}, false, nil
	}
	if len(list) > 1 && want == nil {
		t.log.Warn("several eMSP tokens share a uid; using one", "uid", tag, "tokens", len(list), "party",
			roaming.Party{CountryCode: best.Token.CountryCode, PartyID: best.Token.PartyID}, "type", best.Token.Type)
	}
	return *best, true, nil
}

// better prefers a valid token, then an RFID one.
func better(a, b *roaming.StoredToken) bool {
	if a.Token.Valid != b.Token.Valid {
		return a.Token.Valid
	}
	return a.Token.Type == ocpi.TokenTypeRFID && b.Token.Type != ocpi.TokenTypeRFID
}

// location returns the LocationReferences of a station's EVSE (evseID 0: all its EVSEs), nil
// when the station belongs to no location.
func (t *Tokens) location(ctx context.Context, stationID string, evseID int) *ocpi.LocationReferences {
	if stationID == "" || t.locs == nil {
		return nil
	}
	loc, err := t.locs.LocationOfStation(ctx, stationID)
	if err != nil {
		if !charging.IsNotFound(err) {
			t.log.Warn("location of station", "station", stationID, "err", err)
		}
		return nil
	}
	uids := evseUIDsOf(&loc, stationID, evseID)
	if len(uids) == 0 && evseID > 0 {
		uids = evseUIDsOf(&loc, stationID, 0)
	}
	return &ocpi.LocationReferences{LocationID: loc.OCPI.ID, EvseUIDs: uids}
}

// cacheKey keys an answer by token and location.
func cacheKey(tok *roaming.StoredToken, loc *ocpi.LocationReferences) string {
	k := roaming.KeyOf(&tok.Token).Norm()
	l := ""
	if loc != nil {
		l = strings.ToUpper(loc.LocationID)
	}
	return k.Party.String() + "|" + string(k.Type) + "|" + k.UID + "|" + l
}

func (t *Tokens) cached(key string, now time.Time, maxAge time.Duration) (answer, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	a, ok := t.cache[key]
	if !ok || now.Sub(a.at) > maxAge {
		return answer{}, false
	}
	return a, true
}

// remember keeps an answer; when the cache is full, expired answers go first, then all.
func (t *Tokens) remember(key string, a answer) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.cache) >= t.cfg.MaxCache {
		for k, v := range t.cache {
			if a.at.Sub(v.at) > t.cfg.CacheTTL {
				delete(t.cache, k)
			}
		}
		if len(t.cache) >= t.cfg.MaxCache {
			clear(t.cache)
		}
	}
	t.cache[key] = a
}

// localVerdict decides a token from the cache alone: Accepted if valid, else Invalid.
func localVerdict(t *ocpi.Token) charging.AuthInfo {
	if !t.Valid {
		return charging.AuthInfo{Status: charging.AuthInvalid}
	}
	return charging.AuthInfo{Status: charging.AuthAccepted, ParentIDTag: t.GroupID}
}

// allowedVerdict maps an OCPI AllowedType to the station's verdict (OCPI 9.4; 1.6 has no
// NoCredit/NotAtThisLocation, so they are Invalid for both protocols).
func allowedVerdict(a ocpi.AllowedType, group string) charging.AuthInfo {
	switch a {
	case ocpi.AllowedTypeAllowed:
		return charging.AuthInfo{Status: charging.AuthAccepted, ParentIDTag: group}
	case ocpi.AllowedTypeBlocked:
		return charging.AuthInfo{Status: charging.AuthBlocked}
	case ocpi.AllowedTypeExpired:
		return charging.AuthInfo{Status: charging.AuthExpired}
	}
	return charging.AuthInfo{Status: charging.AuthInvalid}
}
