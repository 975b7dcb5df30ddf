package ocpitest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/client"
	"github.com/chargehub/hub/roaming"
)

// Register runs the credentials handshake as its Sender with the hub: versions and details with
// the hub's token A, then a POST of our credentials with a fresh token B; it keeps the hub's
// token C and endpoints. Every envelope is schema-checked.
func (e *EMSP) Register(hubVersionsURL, tokenA string) error {
	return e.handshake(http.MethodPost, hubVersionsURL, tokenA)
}

// Rotate updates our credentials at the hub (PUT) with a new token B and keeps the new C.
func (e *EMSP) Rotate() error {
	e.mu.Lock()
	versions, tok := e.hubVersions, e.hubToken
	e.mu.Unlock()
	if tok == "" {
		return ErrNoHub
	}
	return e.handshake(http.MethodPut, versions, tok)
}

func (e *EMSP) handshake(method, versionsURL, token string) error {
	cred := roaming.Credential{Token: token, Encoding: roaming.EncodingBase64}
	status, body, _ := e.call(method+" versions", http.MethodGet, versionsURL, cred, nil, false)
	if err := e.expect(status, body, "Version[]"); err != nil {
		return err
	}
	var vs ocpi.Response[[]ocpi.Version]
	_ = json.Unmarshal(body, &vs)
	if len(vs.Data) == 0 {
		return fmt.Errorf("the hub lists no version")
	}
	status, body, _ = e.call("details", http.MethodGet, vs.Data[0].URL, cred, nil, false)
	if err := e.expect(status, body, "VersionDetails"); err != nil {
		return err
	}
	var d ocpi.Response[ocpi.VersionDetails]
	_ = json.Unmarshal(body, &d)
	credURL, ok := d.Data.EndpointURL(ocpi.ModuleIDCredentials, ocpi.InterfaceRoleSender)
	if !ok {
		return fmt.Errorf("the hub lists no credentials endpoint")
	}
	tokenB := "emsp-B-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	e.mu.Lock()
	e.inbound[tokenB] = true // the hub reads our versions with it before answering
	e.mu.Unlock()
	status, body, _ = e.call("credentials", method, credURL, cred, e.ourCredentials(tokenB), false)
	if err := e.expect(status, body, "Credentials"); err != nil {
		e.mu.Lock()
		delete(e.inbound, tokenB)
		e.mu.Unlock()
		return err
	}
	var c ocpi.Response[ocpi.Credentials]
	_ = json.Unmarshal(body, &c)
	e.mu.Lock()
	for t := range e.inbound {
		if t != tokenB {
			delete(e.inbound, t)
		}
	}
	e.hubToken, e.hubVersions, e.hubDetails = c.Data.Token, versionsURL, d.Data.Endpoints
	e.mu.Unlock()
	return nil
}

// Unregister deletes our credentials at the hub.
func (e *EMSP) Unregister() error {
	url, err := e.HubURL(ocpi.ModuleIDCredentials, ocpi.InterfaceRoleSender)
	if err != nil {
		return err
	}
	status, body, _ := e.Call(http.MethodDelete, url, nil, "")
	return e.expect(status, body, "")
}

// expect turns a non-success answer into an error.
func (e *EMSP) expect(status int, body []byte, def string) error {
	var env ocpi.RawResponse
	if err := json.Unmarshal(body, &env); err != nil || status/100 != 2 || !env.IsSuccess() {
		return fmt.Errorf("HTTP %d: %s", status, body)
	}
	return nil
}

// HubURL returns a module URL from the hub's version details.
func (e *EMSP) HubURL(m ocpi.ModuleID, role ocpi.InterfaceRole) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.hubToken == "" {
		return "", ErrNoHub
	}
	for _, ep := range e.hubDetails {
		if ep.Identifier == m && (ep.Role == role || m == ocpi.ModuleIDCredentials) {
			return ep.URL, nil
		}
	}
	return "", fmt.Errorf("the hub lists no %s %s", m, role)
}

// Call sends a request to the hub with our token (Base64) and, on functional modules, our
// routing headers, and returns the HTTP status, body and headers. The envelope is checked
// against the schema with dataDef for its data ("" = not checked).
func (e *EMSP) Call(method, url string, body any, dataDef string) (int, []byte, http.Header) {
	e.mu.Lock()
	cred := roaming.Credential{Token: e.hubToken, Encoding: roaming.EncodingBase64}
	e.mu.Unlock()
	functional := !strings.Contains(url, "/credentials") && !strings.HasSuffix(url, "/versions") && !strings.HasSuffix(url, "/2.2.1") &&
		!strings.Contains(url, "/hubclientinfo")
	status, b, h := e.call(method+" "+url, method, url, cred, body, functional)
	if e.schema != nil && status/100 == 2 {
		if err := e.schema.ValidateEnvelope(b, dataDef); err != nil {
			e.t.Errorf("eMSP: %s %s: %v\n%s", method, url, err, b)
		}
	}
	return status, b, h
}

// CallWith is Call with a given Authorization header value and extra headers, and no routing
// headers of its own; the envelope is always checked (without data).
func (e *EMSP) CallWith(method, url, authorization string, extra map[string]string, body []byte) (int, []byte, http.Header) {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	for k, v := range extra {
		req.Header.Set(k, v)
	}
	return e.do(req, method+" "+url, "")
}

// TokenHeader returns "Token <base64 of our hub token>".
func (e *EMSP) TokenHeader() string {
	return "Token " + base64.StdEncoding.EncodeToString([]byte(e.HubToken()))
}

func (e *EMSP) call(what, method, url string, cred roaming.Credential, body any, functional bool) (int, []byte, http.Header) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", client.AuthorizationValue(cred.Token, cred.Encoding))
	req.Header.Set(client.HeaderRequestID, "emsp-req-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	req.Header.Set(client.HeaderCorrelationID, "emsp-corr")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if functional {
		req.Header.Set(client.HeaderFromCountryCode, e.Party.CountryCode)
		req.Header.Set(client.HeaderFromPartyID, e.Party.PartyID)
	}
	st, b, h := e.do(req, what, "")
	if functional && st/100 == 2 {
		if h.Get(client.HeaderToCountryCode) != e.Party.CountryCode || h.Get(client.HeaderToPartyID) != e.Party.PartyID ||
			h.Get(client.HeaderFromCountryCode) == "" || h.Get(client.HeaderFromPartyID) == "" {
			e.t.Errorf("eMSP: %s: the answer's routing headers are wrong: %v", what, h)
		}
	}
	return st, b, h
}

func (e *EMSP) do(req *http.Request, what, def string) (int, []byte, http.Header) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("eMSP: %s: %v", what, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if want := req.Header.Get(client.HeaderRequestID); want != "" && resp.Header.Get(client.HeaderRequestID) != want {
		e.t.Errorf("eMSP: %s: X-Request-ID %q not echoed (got %q)", what, want, resp.Header.Get(client.HeaderRequestID))
	}
	if resp.Header.Get(client.HeaderRequestID) == "" || resp.Header.Get(client.HeaderCorrelationID) == "" {
		e.t.Errorf("eMSP: %s: the answer has no X-Request-ID or X-Correlation-ID", what)
	}
	if e.schema != nil {
		if err := e.schema.ValidateEnvelope(b, def); err != nil {
			e.t.Errorf("eMSP: %s: HTTP %d: %v\n%s", what, resp.StatusCode, err, b)
		}
	}
	return resp.StatusCode, b, resp.Header
}

// Page is one page of a pulled list.
type Page struct {
	URL        string
	Items      []json.RawMessage
	TotalCount string
	Limit      string
}

// Pull GETs a list from the hub, starting at url, following the Link headers; every envelope
// and every object is checked against def (e.g. "Location"). It returns the pages.
func (e *EMSP) Pull(url, def string) []Page {
	var pages []Page
	seen := map[string]bool{}
	for url != "" {
		if seen[url] || len(pages) > 1000 {
			e.t.Fatalf("eMSP: pagination loops at %s", url)
		}
		seen[url] = true
		status, b, h := e.Call(http.MethodGet, url, nil, def+"[]")
		if status != http.StatusOK {
			e.t.Fatalf("eMSP: GET %s: HTTP %d: %s", url, status, b)
		}
		var env ocpi.Response[[]json.RawMessage]
		if err := json.Unmarshal(b, &env); err != nil {
			e.t.Fatalf("eMSP: GET %s: %v", url, err)
		}
		if env.Data == nil {
			e.t.Errorf("eMSP: GET %s: a list answer without data (want [])", url)
		}
		pages = append(pages, Page{URL: url, Items: env.Data, TotalCount: h.Get("X-Total-Count"), Limit: h.Get("X-Limit")})
		url = client.NextLink(h.Values("Link"))
	}
	return pages
}
