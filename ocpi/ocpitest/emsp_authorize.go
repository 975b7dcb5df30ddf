package ocpitest

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/chargehub/hub/ocpi"
)

// Authorization is the peer's answer to a real-time authorization: the HTTP status, the OCPI
// status code and the AuthorizationInfo (nil: no data, e.g. 404/2004 for an unknown token).
type Authorization struct {
	HTTPStatus int
	StatusCode int
	Info       *ocpi.AuthorizationInfo
	Delay      time.Duration // answer this late (a slow eMSP)
}

// AuthorizeFunc decides a real-time authorization of token uid of type typ at loc (nil when the
// hub sent no LocationReferences).
type AuthorizeFunc func(uid string, typ ocpi.TokenType, loc *ocpi.LocationReferences) Authorization

// ServeAuthorize makes the peer's Tokens Sender answer real-time authorizations, POST
// {tokens}/{uid}/authorize[?type=], with fn; the body is checked against the schema
// (LocationReferences) and the request recorded like every other. It takes the peer off the
// network and back on the same address with the extra route, so call it before the hub uses the
// peer, and again after Stop and Start.
func (e *EMSP) ServeAuthorize(fn AuthorizeFunc) {
	e.Stop()
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
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, "/ocpi/emsp/2.2.1/tokens/")
		if !ok || r.Method != http.MethodPost || !strings.HasSuffix(rest, "/authorize") {
			e.handle(w, r)
			return
		}
		e.authorize(w, r, strings.TrimSuffix(rest, "/authorize"), fn)
	})}
	e.mu.Lock()
	e.srv = srv
	e.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
}

// authorize answers one real-time authorization.
func (e *EMSP) authorize(w http.ResponseWriter, r *http.Request, rawUID string, fn AuthorizeFunc) {
	body, _ := io.ReadAll(r.Body)
	e.mu.Lock()
	e.received = append(e.received, Received{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body, At: time.Now()})
	e.mu.Unlock()
	if !e.authorized(r) {
		e.write(w, http.StatusUnauthorized, ocpi.StatusCodeClientError, nil)
		return
	}
	e.checkRouting(r, r.URL.Path)
	uid, err := url.PathUnescape(rawUID)
	if err != nil || uid == "" || strings.Contains(uid, "/") {
		e.t.Errorf("eMSP: real-time authorization of a bad uid %q", rawUID)
		e.write(w, http.StatusNotFound, ocpi.StatusCodeUnknownToken, nil)
		return
	}
	var loc *ocpi.LocationReferences
	if len(body) > 0 {
		if e.schema != nil {
			if err := e.schema.Validate("LocationReferences", body); err != nil {
				e.t.Errorf("eMSP: the LocationReferences do not validate: %v\n%s", err, body)
			}
		}
		loc = &ocpi.LocationReferences{}
		if err := json.Unmarshal(body, loc); err != nil {
			e.write(w, http.StatusBadRequest, ocpi.StatusCodeClientError, nil)
			return
		}
	}
	typ := ocpi.TokenType(r.URL.Query().Get("type"))
	if typ == "" {
		typ = ocpi.TokenTypeRFID
	}
	a := fn(uid, typ, loc)
	if a.Delay > 0 {
		time.Sleep(a.Delay)
	}
	if a.HTTPStatus == 0 {
		a.HTTPStatus = http.StatusOK
	}
	if a.StatusCode == 0 {
		a.StatusCode = ocpi.StatusCodeSuccess
	}
	var data any
	if a.Info != nil {
		data = a.Info
	}
	e.write(w, a.HTTPStatus, a.StatusCode, data)
}
