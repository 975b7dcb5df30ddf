package sim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/client"
	"github.com/chargehub/hub/roaming"
)

// EMSPConfig shapes a simulated eMSP (StartEMSP).
type EMSPConfig struct {
	// Listen is the address to serve on, e.g. ":9090" or "127.0.0.1:0".
	Listen string
	// PublicURL is the base URL the hub reaches the peer at ("" = http:// and the listener's
	// address, localhost for an unspecified host); every URL the peer hands out starts with it.
	PublicURL string
	// Party is the peer's OCPI identity (default NL*EMP).
	Party roaming.Party
	// Name is the business name in the peer's credentials (default "Simulated eMSP").
	Name string
	// Timeout bounds each request to the hub (default 10 s).
	Timeout time.Duration
	// Log receives the peer's diagnostics (nil = discarded).
	Log *slog.Logger
	// OnEvent, when set, is called with every object the hub sends, one call at a time, in the
	// order the peer took them.
	OnEvent func(Event)
}

// EMSP is a small OCPI 2.2.1 eMSP that can be run against the hub by hand (`hub sim emsp`) or
// from tests: versions and version details, both sides of the credentials handshake, Receiver
// interfaces for Locations, Sessions, CDRs and Tariffs (the last object of each is kept), a
// Tokens Sender (paginated list and real-time authorization) and the result endpoints of the
// commands it sends. It pushes tokens to the hub's Tokens Receiver and sends START_SESSION and
// STOP_SESSION to its Commands Receiver. It checks nothing beyond decoding with the ocpi types.
type EMSP struct {
	cfg  EMSPConfig
	base string // PublicURL without a trailing slash
	cl   *client.Client
	srv  *http.Server
	ln   net.Listener
	done chan struct{} // closed when Serve returned
	evMu sync.Mutex    // serializes OnEvent

	mu      sync.Mutex
	changed chan struct{} // closed and replaced at every change of the state below
	inbound map[string]bool
	hub     hubLink
	tokens  []ocpi.Token
	pageCap int
	objects map[string]any // Receiver path below the module root ("sessions/IN/HUB/17") → last object
	order   []string       // object keys in first-arrival order
	results map[string]ocpi.CommandResult
}

// hubLink is what the peer knows of the hub once registered.
type hubLink struct {
	token       string // the token we call the hub with (its token C)
	versionsURL string
	endpoints   []ocpi.Endpoint
	party       roaming.Party // the hub's CPO party, from its credentials
}

// Event is one request of the hub to the peer's Receivers or result endpoints.
type Event struct {
	At     time.Time
	Module ocpi.ModuleID // locations, sessions, cdrs, tariffs, commands or credentials
	Method string
	// Path is the request path below the module's URL, e.g. "IN/HUB/LOC-1/SIM00001-1" or
	// "START_SESSION/3f2a…".
	Path string
	// Object is the decoded body: *ocpi.Location, *ocpi.EVSE, *ocpi.Connector, *ocpi.LocationPatch,
	// *ocpi.EVSEPatch, *ocpi.ConnectorPatch, *ocpi.Session, *ocpi.SessionPatch, *ocpi.CDR,
	// *ocpi.Tariff, *ocpi.CommandResult or *ocpi.Credentials; nil for a DELETE or a bad body.
	Object any
	// Err is set when the body could not be decoded (the hub was answered 400/2001).
	Err error
}

// ErrNotRegistered is returned by the calls to the hub before the peer registered.
var ErrNotRegistered = errors.New("sim: the eMSP is not registered with the hub")

// StartEMSP listens on cfg.Listen and serves the peer until Close.
func StartEMSP(cfg EMSPConfig) (*EMSP, error) {
	if cfg.Party.IsZero() {
		cfg.Party = roaming.Party{CountryCode: "NL", PartyID: "EMP"}
	}
	cfg.Party = cfg.Party.Norm()
	if !cfg.Party.Valid() {
		return nil, fmt.Errorf("sim: eMSP party %s: want a 2-letter country code and a 3-character party id", cfg.Party)
	}
	if cfg.Name == "" {
		cfg.Name = "Simulated eMSP"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = discardLogger
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("sim: eMSP listen: %w", err)
	}
	base := strings.TrimSuffix(cfg.PublicURL, "/")
	if base == "" {
		host, port, _ := net.SplitHostPort(ln.Addr().String())
		if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
			host = "localhost"
		}
		base = "http://" + net.JoinHostPort(host, port)
	}
	e := &EMSP{cfg: cfg, base: base, ln: ln, done: make(chan struct{}), changed: make(chan struct{}),
		inbound: map[string]bool{}, pageCap: 100, objects: map[string]any{}, results: map[string]ocpi.CommandResult{},
		cl: client.New(nil, client.Config{Timeout: cfg.Timeout, UserAgent: "chargehub-sim-emsp/2.2.1"}, cfg.Log)}
	e.srv = &http.Server{Handler: http.HandlerFunc(e.handle), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		defer close(e.done)
		if err := e.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			cfg.Log.Error("sim eMSP: serve", "err", err)
		}
	}()
	return e, nil
}

// Close stops serving at once.
func (e *EMSP) Close() error {
	err := e.srv.Close()
	<-e.done
	return err
}

// Addr is the address the peer listens on.
func (e *EMSP) Addr() string { return e.ln.Addr().String() }

// URL is the peer's public base URL.
func (e *EMSP) URL() string { return e.base }

// VersionsURL is the peer's versions list, for `hub partners register`.
func (e *EMSP) VersionsURL() string { return e.base + emspRoot + "versions" }

// Party is the peer's OCPI party.
func (e *EMSP) Party() roaming.Party { return e.cfg.Party }

// HubParty is the hub's CPO party once registered.
func (e *EMSP) HubParty() roaming.Party { e.mu.Lock(); defer e.mu.Unlock(); return e.hub.party }

// Registered reports whether the peer holds a token to call the hub with.
func (e *EMSP) Registered() bool { e.mu.Lock(); defer e.mu.Unlock(); return e.hub.token != "" }

// IssueTokenA returns a fresh token A the hub may register with (`hub partners register`).
func (e *EMSP) IssueTokenA() string {
	tok := roaming.RandomIDs{}.NewToken()
	e.mu.Lock()
	e.inbound[tok] = true
	e.mu.Unlock()
	return tok
}

// SetTokens replaces what the Tokens Sender serves, with its page size cap (≤ 0: 100).
func (e *EMSP) SetTokens(list []ocpi.Token, pageCap int) {
	if pageCap <= 0 {
		pageCap = 100
	}
	e.mu.Lock()
	e.tokens, e.pageCap = slices.Clone(list), pageCap
	e.mu.Unlock()
}

// Tokens returns what the Tokens Sender serves.
func (e *EMSP) Tokens() []ocpi.Token { e.mu.Lock(); defer e.mu.Unlock(); return slices.Clone(e.tokens) }

// addToken adds or replaces a token (same uid and type) in the Tokens Sender's list.
func (e *EMSP) addToken(t ocpi.Token) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, old := range e.tokens {
		if strings.EqualFold(old.UID, t.UID) && old.Type == t.Type {
			e.tokens[i] = t
			return
		}
	}
	e.tokens = append(e.tokens, t)
}

// Object returns the last object the hub pushed at a Receiver path below the peer's module
// root, e.g. "locations/IN/HUB/LOC-1" or "sessions/IN/HUB/17" (a PATCH is applied to it).
func (e *EMSP) Object(path string) (any, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o, ok := e.objects[path]
	return o, ok
}

// Sessions returns the last state of every Session the hub pushed, in order of arrival.
func (e *EMSP) Sessions() []ocpi.Session { return objectsOf[*ocpi.Session](e, "sessions/") }

// CDRs returns every CDR the hub posted, in order of arrival.
func (e *EMSP) CDRs() []ocpi.CDR { return objectsOf[*ocpi.CDR](e, "cdrs/") }

// objectsOf returns copies of the stored objects of type P under a key prefix.
func objectsOf[P interface{ *T }, T any](e *EMSP, prefix string) []T {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []T
	for _, k := range e.order {
		if o, ok := e.objects[k].(P); ok && strings.HasPrefix(k, prefix) {
			out = append(out, *o)
		}
	}
	return out
}

// CommandResult returns the result the hub posted for a command the peer sent.
func (e *EMSP) CommandResult(ref string) (ocpi.CommandResult, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, ok := e.results[ref]
	return r, ok
}

// Wait blocks until cond holds (checked now and after every change of the peer's state) or
// ctx ends.
func (e *EMSP) Wait(ctx context.Context, cond func() bool) error {
	for {
		e.mu.Lock()
		ch := e.changed
		e.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// WaitSession waits for a Session of the hub with the given authorization reference for which
// ok holds (nil: any) and returns it.
func (e *EMSP) WaitSession(ctx context.Context, authRef string, ok func(ocpi.Session) bool) (ocpi.Session, error) {
	return waitFirst(ctx, e, "the session of authorization "+authRef, e.Sessions, func(s ocpi.Session) bool {
		return s.AuthorizationReference == authRef && (ok == nil || ok(s))
	})
}

// waitFirst waits until an item of list() matches and returns it.
func waitFirst[T any](ctx context.Context, e *EMSP, what string, list func() []T, match func(T) bool) (T, error) {
	var found T
	err := e.Wait(ctx, func() bool {
		l := list()
		i := slices.IndexFunc(l, match)
		if i >= 0 {
			found = l[i]
		}
		return i >= 0
	})
	if err != nil {
		return found, fmt.Errorf("sim: waiting for %s: %w", what, err)
	}
	return found, nil
}

// EVSEStatus returns the last status the hub pushed for an EVSE of a location (by a Location or
// EVSE PUT, or an EVSE PATCH).
func (e *EMSP) EVSEStatus(locationID, evseUID string) (ocpi.Status, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, o := range e.objects {
		l, ok := o.(*ocpi.Location)
		if !ok || !strings.EqualFold(l.ID, locationID) {
			continue
		}
		for _, ev := range l.EVSEs {
			if strings.EqualFold(ev.UID, evseUID) {
				return ev.Status, true
			}
		}
	}
	return "", false
}

// WaitCDR waits for the CDR of a session and returns it.
func (e *EMSP) WaitCDR(ctx context.Context, sessionID string) (ocpi.CDR, error) {
	return waitFirst(ctx, e, "the CDR of session "+sessionID, e.CDRs, func(c ocpi.CDR) bool { return c.SessionID == sessionID })
}

// WaitCommandResult waits for the result of a command the peer sent.
func (e *EMSP) WaitCommandResult(ctx context.Context, ref string) (ocpi.CommandResult, error) {
	var r ocpi.CommandResult
	err := e.Wait(ctx, func() bool {
		var ok bool
		r, ok = e.CommandResult(ref)
		return ok
	})
	if err != nil {
		return r, fmt.Errorf("sim: waiting for the result of command %s: %w", ref, err)
	}
	return r, nil
}

// notifyLocked wakes the waiters; e.mu is held.
func (e *EMSP) notifyLocked() {
	close(e.changed)
	e.changed = make(chan struct{})
}

// emit hands an event to OnEvent, one at a time.
func (e *EMSP) emit(ev Event) {
	if e.cfg.OnEvent == nil {
		return
	}
	e.evMu.Lock()
	defer e.evMu.Unlock()
	e.cfg.OnEvent(ev)
}

// String is the event on one readable line, e.g.
// "session PUT IN/HUB/17: ACTIVE, 1.25 kWh at LOC-1/SIM00001-1, total_cost 22.5 INR".
func (ev Event) String() string {
	path := ev.Path
	if c, ok := ev.Object.(*ocpi.CDR); ok && path == "" {
		path = c.ID // CDRs are POSTed to the module URL itself
	}
	head := fmt.Sprintf("%s %s %s", eventNoun(ev), ev.Method, path)
	if ev.Err != nil {
		return head + ": bad body: " + ev.Err.Error()
	}
	switch o := ev.Object.(type) {
	case *ocpi.Location:
		return fmt.Sprintf("%s: %q, %s, %d EVSEs", head, o.Name, o.City, len(o.EVSEs))
	case *ocpi.EVSE:
		return fmt.Sprintf("%s: %s, %d connectors", head, o.Status, len(o.Connectors))
	case *ocpi.EVSEPatch:
		if o.Status != nil {
			return fmt.Sprintf("%s: status %s", head, *o.Status)
		}
	case *ocpi.Connector:
		return fmt.Sprintf("%s: %s %s %d V %d A", head, o.Standard, o.PowerType, o.MaxVoltage, o.MaxAmperage)
	case *ocpi.Session:
		return fmt.Sprintf("%s: %s, %s kWh at %s/%s, token %s, total_cost %s", head, o.Status, o.KWh.String(), o.LocationID,
			o.EvseUID, o.CdrToken.UID, priceText(o.TotalCost, o.Currency))
	case *ocpi.SessionPatch:
		if o.KWh != nil {
			return fmt.Sprintf("%s: %s kWh", head, o.KWh.String())
		}
	case *ocpi.CDR:
		return fmt.Sprintf("%s: session %s, total_energy %s kWh, total_time %s h, total_cost %s", head, o.SessionID,
			o.TotalEnergy.String(), o.TotalTime.String(), priceText(&o.TotalCost, o.Currency))
	case *ocpi.Tariff:
		return fmt.Sprintf("%s: %s, %d elements", head, o.Currency, len(o.Elements))
	case *ocpi.CommandResult:
		return fmt.Sprintf("%s: %s", head, o.Result)
	case *ocpi.AuthorizationInfo:
		return fmt.Sprintf("%s: %s", head, o.Allowed)
	case *ocpi.Credentials:
		return fmt.Sprintf("%s: the hub at %s", head, o.URL)
	}
	return head
}

// eventNoun names what an event is about: "location", "evse", "connector", "session", "cdr",
// "tariff", "command result" or "credentials".
func eventNoun(ev Event) string {
	switch ev.Module {
	case ocpi.ModuleIDLocations:
		return [...]string{"location", "location", "evse", "connector"}[min(max(strings.Count(ev.Path, "/")-1, 0), 3)]
	case ocpi.ModuleIDSessions:
		return "session"
	case ocpi.ModuleIDCdrs:
		return "cdr"
	case ocpi.ModuleIDTariffs:
		return "tariff"
	case ocpi.ModuleIDCommands:
		return "command result"
	case ocpi.ModuleIDTokens:
		return "token"
	}
	return string(ev.Module)
}

// priceText is "12.5 INR (14.75 incl. VAT)", or "-" for no price.
func priceText(p *ocpi.Price, currency string) string {
	if p == nil {
		return "-"
	}
	s := p.ExclVat.String() + " " + currency
	if p.InclVat != nil {
		s += " (" + p.InclVat.String() + " incl. VAT)"
	}
	return s
}
