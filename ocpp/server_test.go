package ocpp

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/charging"
)

// fakeAuthority accepts stations "CP1".."CP9" (CPB needs Basic "secret") and records presence.
type fakeAuthority struct {
	mu     sync.Mutex
	online map[string]bool
	block  chan struct{} // when set, Connected waits for it to close
}

func (a *fakeAuthority) Authenticate(_ context.Context, r charging.ConnectRequest) (charging.Station, error) {
	switch {
	case r.StationID == "CPB":
		if !r.HasBasic || r.BasicUser != "CPB" || string(r.BasicPassword) != "se:cret" {
			return charging.Station{}, charging.Errorf(charging.CodeUnauthorized, "bad credentials")
		}
	case !strings.HasPrefix(r.StationID, "CP"):
		return charging.Station{}, charging.Errorf(charging.CodeNotFound, "unknown")
	}
	now := time.Now()
	return charging.Station{ID: r.StationID, AcceptedAt: &now}, nil
}
func (a *fakeAuthority) Profile(context.Context, string, string) charging.VendorProfile {
	return charging.VendorProfile{}
}
func (a *fakeAuthority) Connected(_ context.Context, id string, _ charging.Protocol, _ time.Time) {
	if a.block != nil {
		<-a.block
	}
	a.mu.Lock()
	a.online[id] = true
	a.mu.Unlock()
}
func (a *fakeAuthority) Disconnected(_ context.Context, id string, _ time.Time) {
	a.mu.Lock()
	a.online[id] = false
	a.mu.Unlock()
}
func (a *fakeAuthority) isOnline(id string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.online[id]
}

type echoReq struct {
	Text string `json:"text" ocpp:"required,max=10"`
}
type echoResp struct {
	Text string `json:"text" ocpp:"required"`
}

type fixture struct {
	counted *atomic.Int32
	srv     *Server
	auth    *fakeAuthority
	url     string
	http    *httptest.Server
}

func newFixture(t *testing.T, cfg Config) *fixture {
	t.Helper()
	auth := &fakeAuthority{online: map[string]bool{}}
	var w io.Writer = io.Discard
	if testing.Verbose() {
		w = os.Stderr
	}
	log := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := NewServer(context.Background(), cfg, Deps{Log: log, Clock: charging.SystemClock{}, Authority: auth})
	fx := &fixture{}
	router := NewRouter(func(a string) bool { return a == "Echo" || a == "Known" || a == "Count" },
		On("Count", func(ctx context.Context, s *Session, r *echoReq) (*echoResp, error) {
			n := fx.counted.Add(1)
			return &echoResp{Text: r.Text + strconv.Itoa(int(n))}, nil
		}).Remember(),
		On("Echo", func(ctx context.Context, s *Session, r *echoReq) (*echoResp, error) {
			if r.Text == "boom" {
				return nil, errors.New("database exploded")
			}
			if r.Text == "slow" {
				time.Sleep(300 * time.Millisecond)
			}
			return &echoResp{Text: r.Text}, nil
		}))
	srv.Handle(charging.OCPP16, router, nil)
	fx.counted = new(atomic.Int32)
	e := echo.New()
	srv.Mount(e)
	hs := httptest.NewServer(e)
	t.Cleanup(hs.Close)
	fx.srv, fx.auth, fx.url, fx.http = srv, auth, "ws"+strings.TrimPrefix(hs.URL, "http")+"/ocpp/", hs
	return fx
}

func dial(t *testing.T, url string, protos []string, hdr http.Header) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	d := websocket.Dialer{Subprotocols: protos, HandshakeTimeout: 5 * time.Second}
	c, resp, err := d.Dial(url, hdr)
	if c != nil {
		t.Cleanup(func() { c.Close() })
	}
	return c, resp, err
}

func waitConnected(t *testing.T, srv *Server, id string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, ok := srv.Conn(id); ok {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("station %s never registered", id)
}

func roundTrip(t *testing.T, c *websocket.Conn, frame string) Frame {
	t.Helper()
	if err := c.WriteMessage(websocket.TextMessage, []byte(frame)); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, data, err := c.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseFrame(data)
	if err != nil {
		t.Fatalf("hub sent a bad frame %s: %v", data, err)
	}
	return f
}

func TestUpgradeRules(t *testing.T) {
	fx := newFixture(t, Config{})
	basic := func(u, p string) http.Header {
		return http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(u+":"+p))}}
	}
	tests := []struct {
		name       string
		id         string
		protos     []string
		hdr        http.Header
		wantStatus int
		wantProto  string
	}{
		{"ok", "CP1", []string{"ocpp1.6"}, nil, 101, "ocpp1.6"},
		{"client order picks first supported", "CP1", []string{"ocpp2.0.1", "ocpp1.6"}, nil, 101, "ocpp1.6"},
		{"no subprotocol", "CP1", nil, nil, 400, ""},
		{"unsupported subprotocol", "CP1", []string{"ocpp1.5"}, nil, 400, ""},
		{"unknown station", "XX1", []string{"ocpp1.6"}, nil, 404, ""},
		{"basic ok, colon in password", "CPB", []string{"ocpp1.6"}, basic("CPB", "se:cret"), 101, "ocpp1.6"},
		{"basic wrong", "CPB", []string{"ocpp1.6"}, basic("CPB", "nope"), 401, ""},
		{"percent-encoded id", "CP%201", []string{"ocpp1.6"}, nil, 101, "ocpp1.6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, resp, err := dial(t, fx.url+tt.id, tt.protos, tt.hdr)
			if resp == nil {
				t.Fatalf("no response: %v", err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if tt.wantStatus == 101 && c.Subprotocol() != tt.wantProto {
				t.Fatalf("subprotocol %q", c.Subprotocol())
			}
			if resp.StatusCode == 401 && resp.Header.Get("WWW-Authenticate") == "" {
				t.Fatal("401 without WWW-Authenticate")
			}
			if tt.id == "CP%201" {
				waitConnected(t, fx.srv, "CP 1") // the segment is percent-decoded
			}
		})
	}
}

func TestCallsAndErrors(t *testing.T) {
	fx := newFixture(t, Config{})
	c, _, err := dial(t, fx.url+"CP1", []string{"ocpp1.6"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, frame string
		wantType    MessageType
		wantID      string
		wantCode    string
	}{
		{"ok", `[2,"1","Echo",{"text":"hi"}]`, TypeCallResult, "1", ""},
		{"unknown action", `[2,"2","Nope",{}]`, TypeCallError, "2", "NotImplemented"},
		{"known but unrouted", `[2,"3","Known",{}]`, TypeCallError, "3", "NotSupported"},
		{"missing field", `[2,"4","Echo",{}]`, TypeCallError, "4", "OccurenceConstraintViolation"},
		{"wrong type", `[2,"5","Echo",{"text":{"a":1}}]`, TypeCallError, "5", "TypeConstraintViolation"},
		{"bad json keeps id", `[2,"6","Echo",{"text":}]`, TypeCallError, "-1", "FormationViolation"},
		{"payload not object", `[2,"7","Echo",[1]]`, TypeCallError, "7", "FormationViolation"},
		{"internal failure hides details", `[2,"8","Echo",{"text":"boom"}]`, TypeCallError, "8", "InternalError"},
		{"still alive after errors", `[2,"9","Echo",{"text":"again"}]`, TypeCallResult, "9", ""},
	}
	for _, tt := range tests {
		f := roundTrip(t, c, tt.frame)
		if f.Type != tt.wantType || f.ID != tt.wantID || f.ErrorCode != tt.wantCode {
			t.Errorf("%s: got type %d id %q code %q (%s)", tt.name, f.Type, f.ID, f.ErrorCode, f.ErrorDescription)
		}
		if tt.wantCode == "InternalError" && strings.Contains(f.ErrorDescription, "exploded") {
			t.Errorf("internal error leaked: %s", f.ErrorDescription)
		}
	}
	// 1.6 ignores unknown message types: the next answer is for the next call
	if err := c.WriteMessage(websocket.TextMessage, []byte(`[9,"x",{}]`)); err != nil {
		t.Fatal(err)
	}
	if f := roundTrip(t, c, `[2,"10","Echo",{"text":"after"}]`); f.ID != "10" {
		t.Fatalf("unknown type was answered: %+v", f)
	}
}

func TestInboundCallsAnsweredInOrder(t *testing.T) {
	fx := newFixture(t, Config{})
	c, _, err := dial(t, fx.url+"CP1", []string{"ocpp1.6"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b", "c"} {
		text := "fast"
		if id == "a" {
			text = "slow"
		}
		if err := c.WriteMessage(websocket.TextMessage, []byte(`[2,"`+id+`","Echo",{"text":"`+text+`"}]`)); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{"a", "b", "c"} {
		_, data, err := c.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		f, _ := ParseFrame(data)
		if f.ID != want {
			t.Fatalf("answer %q arrived, want %q", f.ID, want)
		}
	}
}

// station answers hub calls on its own goroutine.
func answerCalls(c *websocket.Conn, answer func(f Frame) []byte) {
	go func() {
		for {
			_, data, err := c.ReadMessage()
			if err != nil {
				return
			}
			f, err := ParseFrame(data)
			if err == nil && f.Type == TypeCall {
				if out := answer(f); out != nil {
					_ = c.WriteMessage(websocket.TextMessage, out)
				}
			}
		}
	}()
}

func TestOutboundCallCorrelationTimeoutAndQueue(t *testing.T) {
	fx := newFixture(t, Config{CallTimeout: 2 * time.Second, MaxQueuedCalls: 1, MaxCallTimeouts: 100})
	c, _, err := dial(t, fx.url+"CP1", []string{"ocpp1.6"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	waitConnected(t, fx.srv, "CP1")
	var mu sync.Mutex
	inFlight, maxInFlight := 0, 0
	answerCalls(c, func(f Frame) []byte {
		var p echoReq
		_ = json.Unmarshal(f.Payload, &p)
		switch p.Text {
		case "silent":
			return nil
		case "fail":
			return MarshalCallError(f.ID, "OccurenceConstraintViolation", "nope", nil)
		}
		mu.Lock()
		inFlight++
		if inFlight > maxInFlight {
			maxInFlight = inFlight
		}
		mu.Unlock()
		time.Sleep(20 * time.Millisecond)
		mu.Lock()
		inFlight--
		mu.Unlock()
		// a stray answer first: must be ignored
		_ = c.WriteMessage(websocket.TextMessage, MarshalCallResult("stray", json.RawMessage(`{}`)))
		return MarshalCallResult(f.ID, json.RawMessage(`{"text":"`+p.Text+`"}`))
	})
	ctx := context.Background()
	out, err := fx.srv.Call(ctx, "CP1", "Echo", &echoReq{Text: "x"})
	if err != nil || string(out) != `{"text":"x"}` {
		t.Fatalf("call: %s %v", out, err)
	}
	_, err = fx.srv.Call(ctx, "CP1", "Echo", &echoReq{Text: "fail"})
	var ce *CallError
	if !errors.As(err, &ce) || ce.Code != ErrOccurrenceConstraint || ce.Wire != "OccurenceConstraintViolation" {
		t.Fatalf("callerror: %v", err)
	}
	start := time.Now()
	_, err = fx.srv.Call(ctx, "CP1", "Echo", &echoReq{Text: "silent"})
	if charging.ErrorCode(err) != charging.CodeTimeout || time.Since(start) > 5*time.Second {
		t.Fatalf("timeout: %v after %v", err, time.Since(start))
	}
	if _, err := fx.srv.Call(ctx, "CP1", "Echo", &echoReq{Text: "much too long"}); charging.ErrorCode(err) != charging.CodeInvalid {
		t.Fatalf("invalid outgoing payload was sent: %v", err)
	}
	if _, err := fx.srv.Call(ctx, "NOPE", "Echo", &echoReq{Text: "x"}); charging.ErrorCode(err) != charging.CodeUnavailable {
		t.Fatalf("offline station: %v", err)
	}
	// concurrency: one in flight, queue of 1 behind it, the rest refused
	var wg sync.WaitGroup
	codes := make(chan charging.Code, 6)
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := fx.srv.Call(ctx, "CP1", "Echo", &echoReq{Text: "q"})
			codes <- charging.ErrorCode(err)
		}()
	}
	wg.Wait()
	close(codes)
	var ok, refused int
	for c := range codes {
		switch c {
		case "":
			ok++
		case charging.CodeUnavailable:
			refused++
		}
	}
	if ok < 2 || refused == 0 || ok+refused != 6 {
		t.Fatalf("ok %d refused %d", ok, refused)
	}
	if maxInFlight != 1 {
		t.Fatalf("%d calls were in flight at once", maxInFlight)
	}
}

func TestNewestConnectionWins(t *testing.T) {
	fx := newFixture(t, Config{})
	old, _, err := dial(t, fx.url+"CP1", []string{"ocpp1.6"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	waitConnected(t, fx.srv, "CP1")
	if _, _, err := dial(t, fx.url+"CP1", []string{"ocpp1.6"}, nil); err != nil {
		t.Fatal(err)
	}
	_ = old.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, err = old.ReadMessage()
	if !websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
		t.Fatalf("old socket: %v", err)
	}
	time.Sleep(50 * time.Millisecond)
	if !fx.auth.isOnline("CP1") || fx.srv.Connected() != 1 {
		t.Fatal("the replaced socket's close marked the station offline")
	}
}

func TestReadTimeoutReapsDeadPeer(t *testing.T) {
	fx := newFixture(t, Config{ReadTimeout: 200 * time.Millisecond})
	c, _, err := dial(t, fx.url+"CP2", []string{"ocpp1.6"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.SetPingHandler(func(string) error { return nil }) // a peer that never answers pings and sends nothing
	deadline := time.Now().Add(3 * time.Second)
	for fx.srv.Connected() != 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if fx.srv.Connected() != 0 || fx.auth.isOnline("CP2") {
		t.Fatal("silent connection not reaped")
	}
}

func TestShutdownFinishesCallsThenCloses1001(t *testing.T) {
	fx := newFixture(t, Config{})
	c, _, err := dial(t, fx.url+"CP1", []string{"ocpp1.6"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.WriteMessage(websocket.TextMessage, []byte(`[2,"s","Echo",{"text":"slow"}]`)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- fx.srv.Shutdown(ctx) }()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, data, err := c.ReadMessage()
	if err != nil {
		t.Fatalf("in-flight call not answered: %v", err)
	}
	if f, _ := ParseFrame(data); f.ID != "s" || f.Type != TypeCallResult {
		t.Fatalf("answer %s", data)
	}
	_, _, err = c.ReadMessage()
	if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
		t.Fatalf("close: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, resp, _ := dial(t, fx.url+"CP3", []string{"ocpp1.6"}, nil); resp == nil || resp.StatusCode != 503 {
		t.Fatal("new connections accepted while shutting down")
	}
}

func TestResentCallIsAnsweredFromMemory(t *testing.T) {
	fx := newFixture(t, Config{})
	c, _, err := dial(t, fx.url+"CP1", []string{"ocpp1.6"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	first := roundTrip(t, c, `[2,"r1","Count",{"text":"a"}]`)
	again := roundTrip(t, c, `[2,"r1","Count",{"text":"a"}]`)
	if string(first.Payload) != `{"text":"a1"}` || string(again.Payload) != string(first.Payload) {
		t.Fatalf("first %s, resend %s", first.Payload, again.Payload)
	}
	// the same id with another payload is a new call, and so is a new id
	other := roundTrip(t, c, `[2,"r1","Count",{"text":"b"}]`)
	fresh := roundTrip(t, c, `[2,"r2","Count",{"text":"a"}]`)
	if string(other.Payload) != `{"text":"b2"}` || string(fresh.Payload) != `{"text":"a3"}` {
		t.Fatalf("other %s, fresh %s", other.Payload, fresh.Payload)
	}
	// remembered across a reconnect
	c.Close()
	c2, _, err := dial(t, fx.url+"CP1", []string{"ocpp1.6"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f := roundTrip(t, c2, `[2,"r2","Count",{"text":"a"}]`); string(f.Payload) != `{"text":"a3"}` {
		t.Fatalf("after reconnect %s", f.Payload)
	}
	if fx.counted.Load() != 3 {
		t.Fatalf("handler ran %d times", fx.counted.Load())
	}
}

// TestConnectAdmissionDefersWith503: while MaxConnecting upgrades are being recorded, another
// station waits up to ConnectWait, then is refused with 503 and a Retry-After of 10–30 s; once
// the slot frees, stations connect again.
func TestConnectAdmissionDefersWith503(t *testing.T) {
	fx := newFixture(t, Config{MaxConnecting: 1, ConnectWait: 100 * time.Millisecond})
	fx.auth.block = make(chan struct{})
	if _, _, err := dial(t, fx.url+"CP1", []string{"ocpp1.6"}, nil); err != nil {
		t.Fatal(err) // answered 101; its connect is still being recorded
	}
	_, resp, err := dial(t, fx.url+"CP2", []string{"ocpp1.6"}, nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("second upgrade while the first is recorded: %v %v", resp, err)
	}
	if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || ra < 10 || ra > 30 {
		t.Fatalf("Retry-After %q", resp.Header.Get("Retry-After"))
	}
	close(fx.auth.block)
	waitConnected(t, fx.srv, "CP1")
	if _, _, err := dial(t, fx.url+"CP3", []string{"ocpp1.6"}, nil); err != nil {
		t.Fatalf("after the slot freed: %v", err)
	}
	waitConnected(t, fx.srv, "CP3")
}
