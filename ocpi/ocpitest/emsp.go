package ocpitest

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/client"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/sim"
)

// Received is one request the hub sent to the peer.
type Received struct {
	Method string
	Path   string // below the peer's base URL, e.g. /ocpi/emsp/2.2.1/locations/IN/HUB/LOC1
	Query  string // the raw query
	Header http.Header
	Body   []byte
	At     time.Time // when the peer received it
}

// EMSP is an in-process OCPI 2.2.1 eMSP: Receiver interfaces for Locations, Sessions, CDRs and
// Tariffs, a Tokens Sender, result endpoints for commands and charging profiles, and both sides
// of the credentials handshake. Every request body and every envelope it gets from the hub is
// checked against the schema (failures are test errors). It keeps the same address across
// Stop and Start.
type EMSP struct {
	t      testing.TB
	schema *Schema
	Party  roaming.Party
	Name   string
	addr   string
	cl     *client.Client

	mu          sync.Mutex
	srv         *http.Server
	inbound     map[string]bool // tokens the hub may call us with
	hubToken    string          // the token we call the hub with
	hubVersions string
	hubDetails  []ocpi.Endpoint
	received    []Received
	objects     map[string]json.RawMessage // Receiver path → last PUT body
	tokens      []ocpi.Token
	pageCap     int  // our Tokens Sender's page size cap
	rawOnly     bool // refuse Base64 tokens (a 2.1.1-style peer)
	failWith    int  // answer every push with this HTTP status (0 = normal)
}

// NewEMSP starts a peer for party cc/pid; schema may be nil (no checks). It is stopped at
// cleanup.
func NewEMSP(t testing.TB, schema *Schema, cc, pid string) *EMSP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e := &EMSP{t: t, schema: schema, Party: roaming.Party{CountryCode: cc, PartyID: pid}, Name: "eMSP " + cc + "*" + pid,
		addr: ln.Addr().String(), inbound: map[string]bool{}, objects: map[string]json.RawMessage{}, pageCap: 50,
		cl: client.New(nil, client.Config{Timeout: 10 * time.Second}, slog.New(slog.DiscardHandler))}
	e.serve(ln)
	t.Cleanup(e.Stop)
	return e
}

func (e *EMSP) serve(ln net.Listener) {
	srv := &http.Server{Handler: http.HandlerFunc(e.handle), ReadHeaderTimeout: 5 * time.Second}
	e.mu.Lock()
	e.srv = srv
	e.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
}

// Stop takes the peer off the network (connections are refused) until Start.
func (e *EMSP) Stop() {
	e.mu.Lock()
	srv := e.srv
	e.srv = nil
	e.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
	}
}

// Start brings a stopped peer back on the same address.
func (e *EMSP) Start() {
	var ln net.Listener
	var err error
	for range 50 { // the port may take a moment to be free again
		if ln, err = net.Listen("tcp", e.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		e.t.Fatalf("restart the eMSP on %s: %v", e.addr, err)
	}
	e.serve(ln)
}

// URL is the peer's base URL.
func (e *EMSP) URL() string { return "http://" + e.addr }

// VersionsURL is the peer's versions list.
func (e *EMSP) VersionsURL() string { return e.URL() + "/ocpi/emsp/versions" }

func (e *EMSP) moduleURL(m string) string { return e.URL() + "/ocpi/emsp/2.2.1/" + m }

// IssueTokenA returns a fresh token A for the hub to register with (`hub partners register`).
func (e *EMSP) IssueTokenA() string {
	tok := "emsp-A-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	e.mu.Lock()
	e.inbound[tok] = true
	e.mu.Unlock()
	return tok
}

// SetRawOnly makes the peer accept only raw (not Base64) tokens, like 2.1.1-era peers.
func (e *EMSP) SetRawOnly(raw bool) { e.mu.Lock(); e.rawOnly = raw; e.mu.Unlock() }

// FailPushes makes every push answer HTTP status (0 = normal).
func (e *EMSP) FailPushes(status int) { e.mu.Lock(); e.failWith = status; e.mu.Unlock() }

// SetTokens sets what our Tokens Sender serves, and its page size cap.
func (e *EMSP) SetTokens(list []ocpi.Token, pageCap int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.tokens, e.pageCap = list, pageCap
}

// Received returns the requests the hub sent, in order, optionally only those whose path starts
// with prefix.
func (e *EMSP) Received(prefix string) []Received {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Received
	for _, r := range e.received {
		if strings.HasPrefix(r.Path, prefix) {
			out = append(out, r)
		}
	}
	return out
}

// Object returns the last body PUT at a Receiver path ("locations/IN/HUB/LOC1").
func (e *EMSP) Object(path string) (json.RawMessage, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	b, ok := e.objects["/ocpi/emsp/2.2.1/"+path]
	return b, ok
}

// HubToken returns the token the peer calls the hub with.
func (e *EMSP) HubToken() string { e.mu.Lock(); defer e.mu.Unlock(); return e.hubToken }

// HasInbound reports whether the hub may call the peer with token.
func (e *EMSP) HasInbound(token string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.inbound[token]
}

// write sends an OCPI envelope.
func (e *EMSP) write(w http.ResponseWriter, status, code int, data any) {
	sim.WriteOCPI(w, status, code, data)
}

// authorized checks the hub's Authorization header against our inbound tokens.
func (e *EMSP) authorized(r *http.Request) bool {
	v, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Token ")
	if !ok {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.rawOnly {
		return e.inbound[v]
	}
	b, err := base64.StdEncoding.DecodeString(v)
	return err == nil && e.inbound[string(b)]
}

func (e *EMSP) handle(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	path := r.URL.Path
	e.mu.Lock()
	e.received = append(e.received, Received{Method: r.Method, Path: path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body, At: time.Now()})
	e.mu.Unlock()
	if r.Header.Get(client.HeaderRequestID) == "" || r.Header.Get(client.HeaderCorrelationID) == "" {
		e.t.Errorf("eMSP: %s %s without X-Request-ID or X-Correlation-ID", r.Method, path)
	}
	if !e.authorized(r) {
		e.write(w, http.StatusUnauthorized, ocpi.StatusCodeClientError, nil)
		return
	}
	rest, ok := strings.CutPrefix(path, "/ocpi/emsp/")
	if !ok {
		e.write(w, http.StatusNotFound, ocpi.StatusCodeClientError, nil)
		return
	}
	switch {
	case rest == "versions":
		e.write(w, http.StatusOK, ocpi.StatusCodeSuccess, []ocpi.Version{{Version: ocpi.VersionNumber221, URL: e.URL() + "/ocpi/emsp/2.2.1"}})
	case rest == "2.2.1":
		e.write(w, http.StatusOK, ocpi.StatusCodeSuccess, e.details())
	case rest == "2.2.1/credentials":
		e.credentials(w, r, body)
	case rest == "2.2.1/tokens" && r.Method == http.MethodGet:
		e.checkRouting(r, path)
		e.tokensPage(w, r)
	default:
		e.checkRouting(r, path)
		e.push(w, r, path, strings.TrimPrefix(rest, "2.2.1/"), body)
	}
}

func (e *EMSP) details() ocpi.VersionDetails {
	return ocpi.VersionDetails{Version: ocpi.VersionNumber221, Endpoints: append(sim.EMSPEndpoints(e.moduleURL("")),
		ocpi.Endpoint{Identifier: "nltnm-custom", Role: ocpi.InterfaceRoleSender, URL: e.moduleURL("custom")})}
}

// checkRouting checks the routing headers of a functional request from the hub.
func (e *EMSP) checkRouting(r *http.Request, path string) {
	h := r.Header
	if h.Get(client.HeaderFromCountryCode) == "" || h.Get(client.HeaderFromPartyID) == "" {
		e.t.Errorf("eMSP: %s %s without OCPI-from-* headers", r.Method, path)
	}
	if to := (roaming.Party{CountryCode: h.Get(client.HeaderToCountryCode), PartyID: h.Get(client.HeaderToPartyID)}); !to.Is(e.Party) {
		e.t.Errorf("eMSP: %s %s addressed to %s, we are %s", r.Method, path, to, e.Party)
	}
}

// credentials is our credentials endpoint: the hub registering (POST), rotating (PUT) or
// unregistering (DELETE).
func (e *EMSP) credentials(w http.ResponseWriter, r *http.Request, body []byte) {
	switch r.Method {
	case http.MethodGet:
		e.write(w, http.StatusOK, ocpi.StatusCodeSuccess, e.ourCredentials(""))
	case http.MethodPost, http.MethodPut:
		if e.schema != nil {
			if err := e.schema.Validate("Credentials", body); err != nil {
				e.t.Errorf("eMSP: the hub's credentials do not validate: %v", err)
			}
		}
		var c ocpi.Credentials
		if err := json.Unmarshal(body, &c); err != nil {
			e.write(w, http.StatusBadRequest, ocpi.StatusCodeClientError, nil)
			return
		}
		// Read the hub's versions and details with the token it gave us.
		cred := roaming.Credential{Token: c.Token, Encoding: roaming.EncodingBase64}
		vs, _, err := e.cl.Versions(r.Context(), c.URL, cred)
		if err != nil || len(vs) == 0 {
			e.write(w, http.StatusOK, ocpi.StatusCodeUnableToUseClientAPI, nil)
			return
		}
		d, err := e.cl.VersionDetails(r.Context(), vs[0].URL, cred)
		if err != nil {
			e.write(w, http.StatusOK, ocpi.StatusCodeUnableToUseClientAPI, nil)
			return
		}
		token := "emsp-C-" + strconv.FormatInt(time.Now().UnixNano(), 36)
		e.mu.Lock()
		clear(e.inbound) // token A (POST) or the previous C (PUT) is void now
		e.inbound[token] = true
		e.hubToken, e.hubVersions, e.hubDetails = c.Token, c.URL, d.Endpoints
		e.mu.Unlock()
		e.write(w, http.StatusOK, ocpi.StatusCodeSuccess, e.ourCredentials(token))
	case http.MethodDelete:
		e.mu.Lock()
		clear(e.inbound)
		e.hubToken = ""
		e.mu.Unlock()
		e.write(w, http.StatusOK, ocpi.StatusCodeSuccess, nil)
	default:
		e.write(w, http.StatusMethodNotAllowed, ocpi.StatusCodeClientError, nil)
	}
}

func (e *EMSP) ourCredentials(token string) ocpi.Credentials {
	return ocpi.Credentials{Token: token, URL: e.VersionsURL(), Roles: []ocpi.CredentialsRole{{Role: ocpi.RoleEMSP,
		BusinessDetails: ocpi.BusinessDetails{Name: e.Name}, PartyID: e.Party.PartyID, CountryCode: e.Party.CountryCode}}}
}

// pushDef returns the schema definition of a push body: the module and the URL depth decide.
func pushDef(method, rest string) (string, error) {
	parts := strings.Split(rest, "/")
	module, depth := parts[0], len(parts)-3 // below {cc}/{pid}
	patch := method == http.MethodPatch
	switch module {
	case "locations":
		defs := []string{"Location", "EVSE", "Connector"}
		if depth < 1 || depth > 3 {
			return "", fmt.Errorf("bad locations URL %q", rest)
		}
		d := defs[depth-1]
		if patch {
			d += "Patch"
		}
		return d, nil
	case "sessions":
		if patch {
			return "SessionPatch", nil
		}
		return "Session", nil
	case "cdrs":
		return "CDR", nil
	case "tariffs":
		return "Tariff", nil
	case "commands":
		return "CommandResult", nil
	case "chargingprofiles":
		switch parts[len(parts)-2] {
		case "get":
			return "ActiveChargingProfileResult", nil
		case "clear":
			return "ClearProfileResult", nil
		}
		return "ChargingProfileResult", nil
	}
	return "", fmt.Errorf("unknown module in %q", rest)
}

// push is every Receiver interface: it validates the body and remembers it.
func (e *EMSP) push(w http.ResponseWriter, r *http.Request, path, rest string, body []byte) {
	e.mu.Lock()
	fail := e.failWith
	e.mu.Unlock()
	if fail != 0 {
		e.write(w, fail, ocpi.StatusCodeServerError, nil)
		return
	}
	def, err := pushDef(r.Method, rest)
	if err != nil {
		e.t.Errorf("eMSP: %s %s: %v", r.Method, path, err)
		e.write(w, http.StatusNotFound, ocpi.StatusCodeClientError, nil)
		return
	}
	if r.Method == http.MethodDelete {
		e.mu.Lock()
		delete(e.objects, path)
		e.mu.Unlock()
		e.write(w, http.StatusOK, ocpi.StatusCodeSuccess, nil)
		return
	}
	if e.schema != nil {
		if err := e.schema.Validate(def, body); err != nil {
			e.t.Errorf("eMSP: %s %s: the %s does not validate: %v\n%s", r.Method, path, def, err, body)
		}
	}
	if r.Method == http.MethodPatch && !json.Valid(body) {
		e.write(w, http.StatusBadRequest, ocpi.StatusCodeClientError, nil)
		return
	}
	e.mu.Lock()
	_, existed := e.objects[path]
	if r.Method == http.MethodPut || r.Method == http.MethodPost {
		e.objects[path] = body
	}
	e.mu.Unlock()
	if strings.HasPrefix(rest, "cdrs") {
		var c struct{ ID string }
		_ = json.Unmarshal(body, &c)
		w.Header().Set("Location", e.moduleURL("cdrs")+"/"+url.PathEscape(c.ID))
	}
	status := http.StatusOK
	if !existed && r.Method != http.MethodPatch {
		status = http.StatusCreated
	}
	e.write(w, status, ocpi.StatusCodeSuccess, nil)
}

// tokensPage is our Tokens Sender list: date filters on last_updated, offset/limit capped at
// the page cap, X-Total-Count, X-Limit and a Link to the next page.
func (e *EMSP) tokensPage(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	all, pageCap := slices.Clone(e.tokens), e.pageCap
	e.mu.Unlock()
	sim.ServeTokenList(w, r, all, pageCap, e.moduleURL("tokens"))
}

// ErrNoHub is returned by the peer's client calls before it registered with the hub.
var ErrNoHub = errors.New("ocpitest: the eMSP is not registered with the hub")
