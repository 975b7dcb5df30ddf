package sim

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/client"
	"github.com/chargehub/hub/roaming"
)

// emspRoot is the path below the peer's base URL where its OCPI API lives.
const emspRoot = "/ocpi/emsp/"

// maxBody bounds a request body the peer reads.
const maxBody = 4 << 20

// WriteOCPI writes an OCPI envelope: data (nil = none), status_code code and the timestamp.
func WriteOCPI(w http.ResponseWriter, status, code int, data any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(ocpi.Response[any]{Data: data, StatusCode: code, Timestamp: ocpi.NewDateTime(time.Now())})
}

// writeError writes an OCPI error envelope with a message.
func writeError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(ocpi.NewStatusResponse(code, msg))
}

// ServeTokenList answers a Tokens Sender GET from all: date_from (inclusive) and date_to
// (exclusive) on last_updated, offset and limit (capped at pageCap), X-Total-Count, X-Limit and
// a Link to the next page below listURL.
func ServeTokenList(w http.ResponseWriter, r *http.Request, all []ocpi.Token, pageCap int, listURL string) {
	q := r.URL.Query()
	var from, to time.Time
	if v := q.Get("date_from"); v != "" {
		d, _ := ocpi.ParseDateTime(v)
		from = d.Time
	}
	if v := q.Get("date_to"); v != "" {
		d, _ := ocpi.ParseDateTime(v)
		to = d.Time
	}
	var list []ocpi.Token
	for _, t := range all {
		if (!from.IsZero() && t.LastUpdated.Before(from)) || (!to.IsZero() && !t.LastUpdated.Before(to)) {
			continue
		}
		list = append(list, t)
	}
	offset, _ := strconv.Atoi(q.Get("offset"))
	offset = max(offset, 0)
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit <= 0 || limit > pageCap {
		limit = pageCap
	}
	end := min(offset+limit, len(list))
	page := []ocpi.Token{}
	if offset < len(list) {
		page = list[offset:end]
	}
	w.Header().Set(client.HeaderTotalCount, strconv.Itoa(len(list)))
	w.Header().Set(client.HeaderLimit, strconv.Itoa(pageCap))
	if end < len(list) {
		q.Set("offset", strconv.Itoa(end))
		q.Set("limit", strconv.Itoa(limit))
		w.Header().Set(client.HeaderLink, "<"+listURL+"?"+q.Encode()+`>; rel="next"`)
	}
	WriteOCPI(w, http.StatusOK, ocpi.StatusCodeSuccess, page)
}

// moduleURL is the URL of one of the peer's modules.
func (e *EMSP) moduleURL(m ocpi.ModuleID) string { return e.base + emspRoot + "2.2.1/" + string(m) }

// details is the peer's version details.
func (e *EMSP) details() ocpi.VersionDetails {
	return ocpi.VersionDetails{Version: ocpi.VersionNumber221, Endpoints: EMSPEndpoints(e.base + emspRoot + "2.2.1/")}
}

// EMSPEndpoints are the endpoints of the peer's version details, each at base + its module id:
// credentials, Receivers of locations, sessions, cdrs and tariffs, and the Senders of tokens and
// commands (the command result endpoints).
func EMSPEndpoints(base string) []ocpi.Endpoint {
	ep := func(m ocpi.ModuleID, role ocpi.InterfaceRole) ocpi.Endpoint {
		return ocpi.Endpoint{Identifier: m, Role: role, URL: base + string(m)}
	}
	return []ocpi.Endpoint{
		ep(ocpi.ModuleIDCredentials, ocpi.InterfaceRoleSender),
		ep(ocpi.ModuleIDLocations, ocpi.InterfaceRoleReceiver),
		ep(ocpi.ModuleIDSessions, ocpi.InterfaceRoleReceiver),
		ep(ocpi.ModuleIDCdrs, ocpi.InterfaceRoleReceiver),
		ep(ocpi.ModuleIDTariffs, ocpi.InterfaceRoleReceiver),
		ep(ocpi.ModuleIDTokens, ocpi.InterfaceRoleSender),
		ep(ocpi.ModuleIDCommands, ocpi.InterfaceRoleSender),
	}
}

// ourCredentials is the peer's credentials object with token.
func (e *EMSP) ourCredentials(token string) ocpi.Credentials {
	return ocpi.Credentials{Token: token, URL: e.VersionsURL(), Roles: []ocpi.CredentialsRole{{Role: ocpi.RoleEMSP,
		BusinessDetails: ocpi.BusinessDetails{Name: e.cfg.Name}, PartyID: e.cfg.Party.PartyID, CountryCode: e.cfg.Party.CountryCode}}}
}

// authorized returns the inbound token the request carries (Base64 or raw), or "".
func (e *EMSP) authorized(r *http.Request) string {
	v, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Token ")
	if !ok {
		return ""
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if b, err := base64.StdEncoding.DecodeString(v); err == nil && e.inbound[string(b)] {
		return string(b)
	}
	if e.inbound[v] {
		return v
	}
	return ""
}

func (e *EMSP) handle(w http.ResponseWriter, r *http.Request) {
	for _, h := range []string{client.HeaderRequestID, client.HeaderCorrelationID} {
		v := r.Header.Get(h)
		if v == "" {
			v = roaming.RandomIDs{}.NewID()
		}
		w.Header().Set(h, v)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		writeError(w, http.StatusBadRequest, ocpi.StatusCodeClientError, "cannot read the body")
		return
	}
	token := e.authorized(r)
	if token == "" {
		writeError(w, http.StatusUnauthorized, ocpi.StatusCodeClientError, "unknown or missing token")
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, emspRoot)
	if !ok {
		writeError(w, http.StatusNotFound, ocpi.StatusCodeClientError, "not found")
		return
	}
	rest = strings.TrimSuffix(rest, "/")
	switch rest {
	case "versions":
		if r.Method != http.MethodGet {
			writeError(w, http.StatusMethodNotAllowed, ocpi.StatusCodeClientError, "method not allowed")
			return
		}
		WriteOCPI(w, http.StatusOK, ocpi.StatusCodeSuccess, []ocpi.Version{{Version: ocpi.VersionNumber221, URL: e.base + emspRoot + "2.2.1"}})
		return
	case "2.2.1":
		if r.Method != http.MethodGet {
			writeError(w, http.StatusMethodNotAllowed, ocpi.StatusCodeClientError, "method not allowed")
			return
		}
		WriteOCPI(w, http.StatusOK, ocpi.StatusCodeSuccess, e.details())
		return
	case "2.2.1/credentials":
		e.credentials(w, r, token, body)
		return
	}
	module, path, _ := strings.Cut(strings.TrimPrefix(rest, "2.2.1/"), "/")
	// Functional modules answer with the swapped routing headers.
	w.Header().Set(client.HeaderFromCountryCode, e.cfg.Party.CountryCode)
	w.Header().Set(client.HeaderFromPartyID, e.cfg.Party.PartyID)
	if cc, pid := r.Header.Get(client.HeaderFromCountryCode), r.Header.Get(client.HeaderFromPartyID); cc != "" && pid != "" {
		w.Header().Set(client.HeaderToCountryCode, cc)
		w.Header().Set(client.HeaderToPartyID, pid)
	}
	switch m := ocpi.ModuleID(module); m {
	case ocpi.ModuleIDTokens:
		switch uid, isAuth := strings.CutSuffix(path, "/authorize"); {
		case r.Method == http.MethodGet && path == "":
			e.mu.Lock()
			all, pageCap := slices.Clone(e.tokens), e.pageCap
			e.mu.Unlock()
			ServeTokenList(w, r, all, pageCap, e.moduleURL(ocpi.ModuleIDTokens))
		case r.Method == http.MethodPost && isAuth:
			e.authorize(w, r, uid)
		default:
			writeError(w, http.StatusMethodNotAllowed, ocpi.StatusCodeClientError, "method not allowed")
		}
	case ocpi.ModuleIDLocations, ocpi.ModuleIDSessions, ocpi.ModuleIDCdrs, ocpi.ModuleIDTariffs, ocpi.ModuleIDCommands:
		e.receive(w, r, m, path, body)
	default:
		writeError(w, http.StatusNotFound, ocpi.StatusCodeClientError, "unknown module "+module)
	}
}

// credentials is the peer's credentials endpoint: the hub registering (POST), rotating (PUT),
// reading (GET) or unregistering (DELETE).
func (e *EMSP) credentials(w http.ResponseWriter, r *http.Request, token string, body []byte) {
	switch r.Method {
	case http.MethodGet:
		WriteOCPI(w, http.StatusOK, ocpi.StatusCodeSuccess, e.ourCredentials(token))
	case http.MethodPost, http.MethodPut:
		var c ocpi.Credentials
		if err := json.Unmarshal(body, &c); err != nil || c.Token == "" || c.URL == "" {
			writeError(w, http.StatusBadRequest, ocpi.StatusCodeInvalidParameters, "credentials need a token and a url")
			return
		}
		d, err := e.readHub(r.Context(), c.URL, roaming.Credential{Token: c.Token})
		if err != nil {
			writeError(w, http.StatusOK, ocpi.StatusCodeUnableToUseClientAPI, err.Error())
			return
		}
		tokenC := roaming.RandomIDs{}.NewToken()
		e.link(c.Token, c.URL, d, c, tokenC)
		e.emit(Event{At: time.Now(), Module: ocpi.ModuleIDCredentials, Method: r.Method, Object: &c})
		WriteOCPI(w, http.StatusOK, ocpi.StatusCodeSuccess, e.ourCredentials(tokenC))
	case http.MethodDelete:
		e.mu.Lock()
		clear(e.inbound)
		e.hub = hubLink{}
		e.notifyLocked()
		e.mu.Unlock()
		e.emit(Event{At: time.Now(), Module: ocpi.ModuleIDCredentials, Method: r.Method})
		WriteOCPI(w, http.StatusOK, ocpi.StatusCodeSuccess, nil)
	default:
		writeError(w, http.StatusMethodNotAllowed, ocpi.StatusCodeClientError, "method not allowed")
	}
}

// authorize answers a real-time authorization of one of the peer's tokens: ALLOWED when it is
// valid, BLOCKED when not, 404/2004 when unknown.
func (e *EMSP) authorize(w http.ResponseWriter, r *http.Request, rawUID string) {
	uid, err := url.PathUnescape(rawUID)
	if err != nil {
		writeError(w, http.StatusBadRequest, ocpi.StatusCodeInvalidParameters, "bad token uid")
		return
	}
	typ := ocpi.TokenType(r.URL.Query().Get("type"))
	if typ == "" {
		typ = ocpi.TokenTypeRFID
	}
	e.mu.Lock()
	i := slices.IndexFunc(e.tokens, func(t ocpi.Token) bool { return strings.EqualFold(t.UID, uid) && t.Type == typ })
	var tok ocpi.Token
	if i >= 0 {
		tok = e.tokens[i]
	}
	e.mu.Unlock()
	if i < 0 {
		writeError(w, http.StatusNotFound, ocpi.StatusCodeUnknownToken, "unknown token "+uid)
		return
	}
	info := &ocpi.AuthorizationInfo{Allowed: ocpi.AllowedTypeAllowed, Token: tok}
	if !tok.Valid {
		info.Allowed = ocpi.AllowedTypeBlocked
	}
	e.emit(Event{At: time.Now(), Module: ocpi.ModuleIDTokens, Method: r.Method, Path: rawUID + "/authorize", Object: info})
	WriteOCPI(w, http.StatusOK, ocpi.StatusCodeSuccess, info)
}

// decodeAs decodes body into a new T.
func decodeAs[T any](body []byte) (any, error) {
	v := new(T)
	if err := json.Unmarshal(body, v); err != nil {
		return nil, err
	}
	return v, nil
}

// decodePush decodes the body of a Receiver request by module, URL depth and method.
func decodePush(m ocpi.ModuleID, method string, segments int, body []byte) (any, error) {
	patch := method == http.MethodPatch
	switch m {
	case ocpi.ModuleIDLocations:
		switch {
		case segments == 3 && patch:
			return decodeAs[ocpi.LocationPatch](body)
		case segments == 3:
			return decodeAs[ocpi.Location](body)
		case segments == 4 && patch:
			return decodeAs[ocpi.EVSEPatch](body)
		case segments == 4:
			return decodeAs[ocpi.EVSE](body)
		case segments == 5 && patch:
			return decodeAs[ocpi.ConnectorPatch](body)
		case segments == 5:
			return decodeAs[ocpi.Connector](body)
		}
		return nil, fmt.Errorf("want locations/{country_code}/{party_id}/{location_id}[/{evse_uid}[/{connector_id}]]")
	case ocpi.ModuleIDSessions:
		if segments != 3 {
			return nil, fmt.Errorf("want sessions/{country_code}/{party_id}/{session_id}")
		}
		if patch {
			return decodeAs[ocpi.SessionPatch](body)
		}
		return decodeAs[ocpi.Session](body)
	case ocpi.ModuleIDCdrs:
		if segments != 0 || method != http.MethodPost {
			return nil, fmt.Errorf("CDRs are POSTed to the cdrs URL itself")
		}
		return decodeAs[ocpi.CDR](body)
	case ocpi.ModuleIDTariffs:
		if segments != 3 || patch {
			return nil, fmt.Errorf("want PUT tariffs/{country_code}/{party_id}/{tariff_id}")
		}
		return decodeAs[ocpi.Tariff](body)
	case ocpi.ModuleIDCommands:
		if segments != 2 || method != http.MethodPost {
			return nil, fmt.Errorf("want POST commands/{command}/{id}")
		}
		return decodeAs[ocpi.CommandResult](body)
	}
	return nil, fmt.Errorf("module %s has no Receiver here", m)
}

// receive is every Receiver interface and the command result endpoints: it decodes the body,
// keeps the object, tells OnEvent and answers 1000.
func (e *EMSP) receive(w http.ResponseWriter, r *http.Request, m ocpi.ModuleID, path string, body []byte) {
	segments := 0
	if path != "" {
		segments = strings.Count(path, "/") + 1
	}
	key := string(m) + "/" + path
	ev := Event{At: time.Now(), Module: m, Method: r.Method, Path: path}
	switch r.Method {
	case http.MethodGet:
		o, ok := e.Object(key)
		if !ok || segments == 0 {
			writeError(w, http.StatusNotFound, ocpi.StatusCodeUnknownLocation, "no such object")
			return
		}
		WriteOCPI(w, http.StatusOK, ocpi.StatusCodeSuccess, o)
		return
	case http.MethodDelete:
		e.mu.Lock()
		delete(e.objects, key)
		e.notifyLocked()
		e.mu.Unlock()
		e.emit(ev)
		WriteOCPI(w, http.StatusOK, ocpi.StatusCodeSuccess, nil)
		return
	case http.MethodPut, http.MethodPost, http.MethodPatch:
	default:
		writeError(w, http.StatusMethodNotAllowed, ocpi.StatusCodeClientError, "method not allowed")
		return
	}
	obj, err := decodePush(m, r.Method, segments, body)
	if err != nil {
		ev.Err = err
		e.cfg.Log.Warn("sim eMSP: bad push", "method", r.Method, "path", r.URL.Path, "err", err)
		e.emit(ev)
		writeError(w, http.StatusBadRequest, ocpi.StatusCodeInvalidParameters, err.Error())
		return
	}
	ev.Object = obj
	status := http.StatusOK
	switch o := obj.(type) {
	case *ocpi.CDR:
		key = string(m) + "/" + o.ID
		w.Header().Set("Location", e.moduleURL(ocpi.ModuleIDCdrs)+"/"+url.PathEscape(o.ID))
	}
	e.emit(ev) // before the waiters see the object
	e.mu.Lock()
	if !e.storeLocked(key, obj) {
		status = http.StatusCreated
	}
	if res, ok := obj.(*ocpi.CommandResult); ok {
		_, ref, _ := strings.Cut(path, "/")
		e.results[ref] = *res
	}
	e.notifyLocked()
	e.mu.Unlock()
	if r.Method == http.MethodPatch {
		status = http.StatusOK
	}
	WriteOCPI(w, status, ocpi.StatusCodeSuccess, nil)
}

// storeLocked keeps a pushed object (a patch is applied to the object it patches, also to the
// EVSE inside a stored Location) and reports whether one was there before; e.mu is held.
func (e *EMSP) storeLocked(key string, obj any) bool {
	old, existed := e.objects[key]
	put := func(o any) {
		if !existed {
			e.order = append(e.order, key)
		}
		e.objects[key] = o
	}
	switch p := obj.(type) {
	case *ocpi.LocationPatch:
		if l, ok := old.(*ocpi.Location); ok {
			l.ApplyPatch(p)
		}
	case *ocpi.EVSEPatch:
		if ev, ok := old.(*ocpi.EVSE); ok {
			ev.ApplyPatch(p)
		}
		if l, i := e.locationEVSELocked(key); i >= 0 {
			l.EVSEs[i].ApplyPatch(p)
		}
	case *ocpi.EVSE:
		put(obj)
		if l, i := e.locationEVSELocked(key); l != nil && i >= 0 {
			l.EVSEs[i] = *p
		} else if l != nil {
			l.EVSEs = append(l.EVSEs, *p)
		}
	case *ocpi.ConnectorPatch:
		if c, ok := old.(*ocpi.Connector); ok {
			c.ApplyPatch(p)
		}
	case *ocpi.SessionPatch:
		if s, ok := old.(*ocpi.Session); ok {
			s.ApplyPatch(p)
		}
	default:
		put(obj)
	}
	return existed
}

// locationEVSELocked finds the stored Location of an EVSE key ("locations/CC/PID/LOC/EVSE") and
// the EVSE's index in it (-1: not in it; nil Location: none stored); e.mu is held.
func (e *EMSP) locationEVSELocked(key string) (*ocpi.Location, int) {
	i := strings.LastIndexByte(key, '/')
	l, ok := e.objects[key[:i]].(*ocpi.Location)
	if !ok {
		return nil, -1
	}
	return l, slices.IndexFunc(l.EVSEs, func(ev ocpi.EVSE) bool { return strings.EqualFold(ev.UID, key[i+1:]) })
}
