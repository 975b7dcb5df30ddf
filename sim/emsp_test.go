package sim

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// emspCall sends a request to the peer with token (Base64) and decodes the envelope.
func emspCall(t *testing.T, e *EMSP, token, method, path, body string) (int, ocpi.RawResponse, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, e.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Token "+base64.StdEncoding.EncodeToString([]byte(token)))
	}
	req.Header.Set("X-Request-ID", "req-1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var env ocpi.RawResponse
	if err := json.Unmarshal(b, &env); err != nil {
		t.Fatalf("%s %s: not an envelope: %s", method, path, b)
	}
	if env.Timestamp.IsZero() || env.StatusCode == 0 {
		t.Errorf("%s %s: envelope without timestamp or status_code: %s", method, path, b)
	}
	if resp.Header.Get("X-Request-ID") != "req-1" || resp.Header.Get("X-Correlation-ID") == "" {
		t.Errorf("%s %s: request/correlation ids %v", method, path, resp.Header)
	}
	return resp.StatusCode, env, resp.Header
}

func startTestEMSP(t *testing.T) (*EMSP, *[]string) {
	t.Helper()
	var mu sync.Mutex
	var lines []string
	e, err := StartEMSP(EMSPConfig{Listen: "127.0.0.1:0", OnEvent: func(ev Event) {
		mu.Lock()
		lines = append(lines, ev.String())
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return e, &lines
}

func TestEMSPServesOCPI(t *testing.T) {
	e, lines := startTestEMSP(t)
	tok := e.IssueTokenA()
	if code, _, _ := emspCall(t, e, "", http.MethodGet, "/ocpi/emsp/versions", ""); code != http.StatusUnauthorized {
		t.Errorf("no token: HTTP %d", code)
	}
	code, env, _ := emspCall(t, e, tok, http.MethodGet, "/ocpi/emsp/versions", "")
	var vs []ocpi.Version
	if code != 200 || env.StatusCode != ocpi.StatusCodeSuccess || env.DecodeData(&vs) != nil || len(vs) != 1 || vs[0].URL != e.URL()+"/ocpi/emsp/2.2.1" {
		t.Fatalf("versions: %d %+v", code, env)
	}
	var d ocpi.VersionDetails
	if _, env, _ = emspCall(t, e, tok, http.MethodGet, "/ocpi/emsp/2.2.1/", ""); env.DecodeData(&d) != nil {
		t.Fatal(env)
	}
	if u, ok := d.EndpointURL(ocpi.ModuleIDSessions, ocpi.InterfaceRoleReceiver); !ok || u != e.URL()+"/ocpi/emsp/2.2.1/sessions" {
		t.Errorf("sessions endpoint %q", u)
	}
	var cred ocpi.Credentials
	if _, env, _ = emspCall(t, e, tok, http.MethodGet, "/ocpi/emsp/2.2.1/credentials", ""); env.DecodeData(&cred) != nil || cred.Token != tok ||
		cred.URL != e.VersionsURL() || cred.Roles[0].CountryCode != "NL" || cred.Roles[0].PartyID != "EMP" {
		t.Errorf("credentials %+v", cred)
	}

	// Receivers: the EVSE of a location, its PATCH, a Session with a PATCH, a CDR, a tariff, a command result.
	push := func(method, path string, body any, want int) http.Header {
		t.Helper()
		b, _ := json.Marshal(body)
		code, env, h := emspCall(t, e, tok, method, "/ocpi/emsp/2.2.1/"+path, string(b))
		if code != want || env.StatusCode != ocpi.StatusCodeSuccess {
			t.Fatalf("%s %s: HTTP %d, %+v", method, path, code, env)
		}
		return h
	}
	now := ocpi.NewDateTime(time.Now())
	evse := ocpi.EVSE{UID: "CP-1-1", Status: ocpi.StatusAvailable, Connectors: []ocpi.Connector{{ID: "1"}}, LastUpdated: now}
	push(http.MethodPut, "locations/IN/HUB/LOC-1", ocpi.Location{ID: "LOC-1", Name: "Mall", City: "Pune", EVSEs: []ocpi.EVSE{evse}}, http.StatusCreated)
	push(http.MethodPatch, "locations/IN/HUB/LOC-1/CP-1-1", map[string]any{"status": "CHARGING", "last_updated": now}, http.StatusOK)
	if s, ok := e.EVSEStatus("loc-1", "CP-1-1"); !ok || s != ocpi.StatusCharging {
		t.Errorf("EVSE status %q %v after the PATCH", s, ok)
	}
	sess := ocpi.Session{ID: "17", KWh: ocpi.MustDecimal("1.5"), Status: ocpi.SessionStatusActive, AuthorizationReference: "AR-1",
		LocationID: "LOC-1", EvseUID: "CP-1-1", Currency: "EUR", CdrToken: ocpi.CdrToken{UID: "TOK-1"}}
	push(http.MethodPut, "sessions/IN/HUB/17", sess, http.StatusCreated)
	push(http.MethodPut, "sessions/IN/HUB/17", sess, http.StatusOK)
	push(http.MethodPatch, "sessions/IN/HUB/17", map[string]any{"kwh": 2.25, "last_updated": now}, http.StatusOK)
	if got := e.Sessions(); len(got) != 1 || got[0].KWh.String() != "2.25" {
		t.Errorf("sessions %+v", got)
	}
	h := push(http.MethodPost, "cdrs", ocpi.CDR{ID: "CDR-1", SessionID: "17", TotalEnergy: ocpi.MustDecimal("2.25"), Currency: "EUR",
		TotalCost: ocpi.Price{ExclVat: ocpi.MustDecimal("0.68")}}, http.StatusCreated)
	if h.Get("Location") != e.URL()+"/ocpi/emsp/2.2.1/cdrs/CDR-1" {
		t.Errorf("CDR Location %q", h.Get("Location"))
	}
	push(http.MethodPut, "tariffs/IN/HUB/T1", ocpi.Tariff{ID: "T1", Currency: "EUR", Elements: []ocpi.TariffElement{{}}}, http.StatusCreated)
	push(http.MethodPost, "commands/START_SESSION/ref-1", ocpi.CommandResult{Result: ocpi.CommandResultAccepted}, http.StatusCreated)
	if code, env, _ := emspCall(t, e, tok, http.MethodPut, "/ocpi/emsp/2.2.1/sessions/IN/HUB/17", "{"); code != 400 || env.StatusCode != ocpi.StatusCodeInvalidParameters {
		t.Errorf("bad body: HTTP %d, %+v", code, env)
	}
	if code, env, _ := emspCall(t, e, tok, http.MethodGet, "/ocpi/emsp/2.2.1/sessions/IN/HUB/17", ""); code != 200 || !env.HasData() {
		t.Errorf("GET of a pushed session: HTTP %d", code)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if s, err := e.WaitSession(ctx, "AR-1", nil); err != nil || s.ID != "17" {
		t.Errorf("WaitSession %+v, %v", s, err)
	}
	if c, err := e.WaitCDR(ctx, "17"); err != nil || c.ID != "CDR-1" {
		t.Errorf("WaitCDR %+v, %v", c, err)
	}
	if r, err := e.WaitCommandResult(ctx, "ref-1"); err != nil || r.Result != ocpi.CommandResultAccepted {
		t.Errorf("WaitCommandResult %+v, %v", r, err)
	}
	short, cancel2 := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel2()
	if _, err := e.WaitCDR(short, "18"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitCDR of a missing CDR: %v", err)
	}

	want := []string{
		`location PUT IN/HUB/LOC-1: "Mall", Pune, 1 EVSEs`,
		`evse PATCH IN/HUB/LOC-1/CP-1-1: status CHARGING`,
		`session PUT IN/HUB/17: ACTIVE, 1.5 kWh at LOC-1/CP-1-1, token TOK-1, total_cost -`,
		`session PUT IN/HUB/17: ACTIVE, 1.5 kWh at LOC-1/CP-1-1, token TOK-1, total_cost -`,
		`session PATCH IN/HUB/17: 2.25 kWh`,
		`cdr POST CDR-1: session 17, total_energy 2.25 kWh, total_time 0 h, total_cost 0.68 EUR`,
		`tariff PUT IN/HUB/T1: EUR, 1 elements`,
		`command result POST START_SESSION/ref-1: ACCEPTED`,
	}
	got := *lines
	if len(got) < len(want) {
		t.Fatalf("events:\n%s", strings.Join(got, "\n"))
	}
	for i, w := range want {
		if got[i] != w {
			t.Errorf("event %d: %q, want %q", i, got[i], w)
		}
	}
	if last := got[len(got)-1]; !strings.HasPrefix(last, "session PUT IN/HUB/17: bad body:") {
		t.Errorf("the bad body's event: %q", last)
	}
}

func TestEMSPTokensSender(t *testing.T) {
	e, lines := startTestEMSP(t)
	tok := e.IssueTokenA()
	var list []ocpi.Token
	for i := range 5 {
		tk := e.NewToken(fmt.Sprintf("TOK-%d", i), ocpi.TokenTypeRFID, ocpi.WhitelistTypeAllowed)
		tk.Valid = i != 4
		list = append(list, tk)
	}
	e.SetTokens(list, 2)
	var uids []string
	for next := "/ocpi/emsp/2.2.1/tokens?limit=10"; next != ""; {
		code, env, h := emspCall(t, e, tok, http.MethodGet, next, "")
		var page []ocpi.Token
		if code != 200 || env.DecodeData(&page) != nil || h.Get("X-Total-Count") != "5" || h.Get("X-Limit") != "2" {
			t.Fatalf("GET %s: HTTP %d, headers %v", next, code, h)
		}
		for _, p := range page {
			uids = append(uids, p.UID)
		}
		next = ""
		if l := h.Get("Link"); l != "" {
			next = strings.TrimPrefix(l[strings.Index(l, "<")+1:strings.Index(l, ">")], e.URL())
		}
	}
	if strings.Join(uids, ",") != "TOK-0,TOK-1,TOK-2,TOK-3,TOK-4" {
		t.Errorf("pulled %v", uids)
	}
	var info ocpi.AuthorizationInfo
	if code, env, _ := emspCall(t, e, tok, http.MethodPost, "/ocpi/emsp/2.2.1/tokens/TOK-1/authorize?type=RFID", ""); code != 200 ||
		env.DecodeData(&info) != nil || info.Allowed != ocpi.AllowedTypeAllowed || info.Token.UID != "TOK-1" {
		t.Errorf("authorize TOK-1: HTTP %d, %+v", code, info)
	}
	if _, env, _ := emspCall(t, e, tok, http.MethodPost, "/ocpi/emsp/2.2.1/tokens/TOK-4/authorize", ""); env.DecodeData(&info) != nil ||
		info.Allowed != ocpi.AllowedTypeBlocked {
		t.Errorf("authorize an invalid token: %+v", info)
	}
	if code, env, _ := emspCall(t, e, tok, http.MethodPost, "/ocpi/emsp/2.2.1/tokens/NOPE/authorize", ""); code != 404 || env.StatusCode != ocpi.StatusCodeUnknownToken {
		t.Errorf("authorize an unknown token: HTTP %d, %+v", code, env)
	}
	if got := *lines; len(got) != 2 || got[0] != "token POST TOK-1/authorize: ALLOWED" {
		t.Errorf("events %q", got)
	}
}

func TestEMSPNeedsRegistration(t *testing.T) {
	e, _ := startTestEMSP(t)
	ctx := context.Background()
	if _, err := e.PushToken(ctx, e.NewToken("T", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAlways)); !errors.Is(err, ErrNotRegistered) {
		t.Errorf("PushToken before registering: %v", err)
	}
	if _, err := e.StopSession(ctx, "1"); !errors.Is(err, ErrNotRegistered) {
		t.Errorf("StopSession before registering: %v", err)
	}
	err := e.Register(ctx, "http://127.0.0.1:1/ocpi/versions", "token-a")
	if err == nil || !strings.Contains(err.Error(), "read the versions") || strings.Contains(err.Error(), "\n") {
		t.Errorf("Register with an unreachable hub: %v", err)
	}
	if _, err := StartEMSP(EMSPConfig{Listen: e.Addr()}); err == nil {
		t.Error("a second peer on a busy address started")
	}
	if _, err := StartEMSP(EMSPConfig{Listen: "127.0.0.1:0", Party: roaming.Party{CountryCode: "NLD", PartyID: "EMP"}}); err == nil {
		t.Error("a bad party was accepted")
	}
	var buf bytes.Buffer
	fmt.Fprint(&buf, Event{Module: ocpi.ModuleIDCdrs, Method: http.MethodPost, Err: errors.New("boom")})
	if buf.String() != "cdr POST : bad body: boom" {
		t.Errorf("event %q", buf.String())
	}
}
