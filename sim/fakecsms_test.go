package sim

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"github.com/chargehub/hub/ocpp"
	v16 "github.com/chargehub/hub/ocpp/v16"
	"github.com/chargehub/hub/ocpp/wire"
)

// fakeCSMS is a minimal OCPP 1.6 and 2.0.1 central system for the simulator's tests: it
// answers the station's CALLs correctly, strictly checks every payload it receives, can
// send CALLs of its own and records what it saw. 2.0.1 stations are served by handle201
// (fakecsms201_test.go).
type fakeCSMS struct {
	t        *testing.T
	srv      *httptest.Server
	password string // "" = no auth

	// override, when set, may answer a CALL itself: a non-nil frame is sent instead of
	// the normal answer; an empty non-nil frame leaves the CALL unanswered.
	override func(fr ocpp.Frame) []byte
	// onBoot, when set, runs (on its own goroutine) after a BootNotification was answered.
	onBoot func(s *fakeStation)

	mu       sync.Mutex
	actions  map[string]int // inbound CALLs per action
	stations map[string]*fakeStation
	bad      []string // schema violations seen
	nextTx   atomic.Int64
	defer503 atomic.Int64 // upgrades still to refuse with 503 and Retry-After: 0 (connect admission)
	open     atomic.Int64 // connected stations now
	peak     atomic.Int64 // most stations connected at once
	stops    []v16.StopTransactionRequest
	fake201  // what 2.0.1 stations sent
}

// fakeStation is one connected station as the fake CSMS sees it.
type fakeStation struct {
	id    string
	proto string // negotiated subprotocol
	csms  *fakeCSMS
	conn  *websocket.Conn
	wmu   sync.Mutex

	pmu     sync.Mutex
	pending map[string]chan ocpp.Frame
}

func newFakeCSMS(t *testing.T) *fakeCSMS {
	t.Helper()
	f := &fakeCSMS{t: t, actions: map[string]int{}, stations: map[string]*fakeStation{}}
	f.fake201.init()
	up := websocket.Upgrader{Subprotocols: []string{"ocpp1.6", "ocpp2.0.1"}}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := strings.CutPrefix(r.URL.EscapedPath(), "/ocpp/")
		if !ok || id == "" {
			http.Error(w, "unknown path", http.StatusNotFound)
			return
		}
		id = mustUnescape(id)
		if f.password != "" {
			want := "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+f.password))
			if r.Header.Get("Authorization") != want {
				w.Header().Set("WWW-Authenticate", "Basic")
				http.Error(w, "bad credentials for "+id, http.StatusUnauthorized)
				return
			}
		}
		if f.defer503.Add(-1) >= 0 {
			w.Header().Set("Retry-After", "0")
			http.Error(w, "too many stations connecting", http.StatusServiceUnavailable)
			return
		}
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		s := &fakeStation{id: id, proto: conn.Subprotocol(), csms: f, conn: conn, pending: map[string]chan ocpp.Frame{}}
		f.mu.Lock()
		f.stations[id] = s
		f.mu.Unlock()
		n := f.open.Add(1)
		for p := f.peak.Load(); n > p && !f.peak.CompareAndSwap(p, n); p = f.peak.Load() {
		}
		s.serve()
		f.open.Add(-1)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func mustUnescape(s string) string {
	out, err := url.PathUnescape(s)
	if err != nil {
		return s
	}
	return out
}

// url returns the OCPP base URL of the fake.
func (f *fakeCSMS) url() string { return "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ocpp" }

func (f *fakeCSMS) count(action string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.actions[action]
}

func (f *fakeCSMS) violations() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.bad...)
}

// station returns the fake's record of a station, waiting a little for a socket the client
// saw upgraded but the fake has not registered yet.
func (f *fakeCSMS) station(id string) *fakeStation {
	deadline := time.Now().Add(5 * time.Second)
	for {
		f.mu.Lock()
		st := f.stations[id]
		f.mu.Unlock()
		if st != nil || time.Now().After(deadline) {
			return st
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (f *fakeCSMS) violation(format string, args ...any) {
	f.mu.Lock()
	f.bad = append(f.bad, fmt.Sprintf(format, args...))
	f.mu.Unlock()
}

func (s *fakeStation) write(b []byte) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return s.conn.WriteMessage(websocket.TextMessage, b)
}

// serve reads until the socket ends.
func (s *fakeStation) serve() {
	defer s.conn.Close()
	for {
		_, data, err := s.conn.ReadMessage()
		if err != nil {
			return
		}
		fr, err := ocpp.ParseFrame(data)
		if err != nil {
			s.csms.violation("%s: bad frame %s: %v", s.id, data, err)
			continue
		}
		switch fr.Type {
		case ocpp.TypeCall:
			s.handle(fr)
		default:
			s.pmu.Lock()
			ch := s.pending[fr.ID]
			delete(s.pending, fr.ID)
			s.pmu.Unlock()
			if ch == nil {
				s.csms.violation("%s: answer to unknown id %s", s.id, fr.ID)
				continue
			}
			ch <- fr
		}
	}
}

// handle answers one CALL of the station.
func (s *fakeStation) handle(fr ocpp.Frame) {
	f := s.csms
	f.mu.Lock()
	f.actions[fr.Action]++
	if s.proto == ProtocolOCPP201 {
		f.actions201[fr.Action]++
	}
	f.mu.Unlock()
	if f.override != nil {
		if b := f.override(fr); b != nil {
			if len(b) > 0 { // an empty frame means: do not answer
				s.write(b)
			}
			return
		}
	}
	if s.proto == ProtocolOCPP201 {
		s.handle201(fr)
		return
	}
	m, ok := v16.Lookup(fr.Action)
	if !ok || m.Direction == v16.ToStation {
		f.violation("%s: unexpected action %s", s.id, fr.Action)
		s.write(ocpp.MarshalCallError(fr.ID, "NotImplemented", "", nil))
		return
	}
	req := m.NewRequest()
	if _, err := wire.Decode(fr.Payload, req, wire.Options{Strict: true}); err != nil {
		f.violation("%s: %s: %v (%s)", s.id, fr.Action, err, fr.Payload)
		s.write(ocpp.MarshalCallError(fr.ID, "FormationViolation", err.Error(), nil))
		return
	}
	now := wire.NewDateTime(time.Now())
	accepted := v16.IdTagInfo{Status: v16.AuthorizationStatusAccepted}
	var resp any
	switch r := req.(type) {
	case *v16.BootNotificationRequest:
		resp = &v16.BootNotificationResponse{Status: v16.RegistrationStatusAccepted, CurrentTime: now, Interval: 300}
		if f.onBoot != nil {
			defer func() { go f.onBoot(s) }()
		}
	case *v16.HeartbeatRequest:
		resp = &v16.HeartbeatResponse{CurrentTime: now}
	case *v16.AuthorizeRequest:
		resp = &v16.AuthorizeResponse{IDTagInfo: accepted}
	case *v16.StartTransactionRequest:
		resp = &v16.StartTransactionResponse{IDTagInfo: accepted, TransactionID: int(f.nextTx.Add(1))}
	case *v16.StopTransactionRequest:
		f.mu.Lock()
		f.stops = append(f.stops, *r)
		f.mu.Unlock()
		resp = &v16.StopTransactionResponse{IDTagInfo: &accepted}
	default:
		resp = m.NewResponse() // the empty answers: StatusNotification, MeterValues, ...
	}
	if err := wire.Validate(resp); err != nil {
		f.t.Errorf("fake CSMS answer invalid: %v", err)
	}
	payload, _ := json.Marshal(resp)
	s.write(ocpp.MarshalCallResult(fr.ID, payload))
}

// call sends a CALL to the station and strictly decodes its answer into resp.
func (s *fakeStation) call(ctx context.Context, action string, req, resp any) error {
	if err := wire.Validate(req); err != nil {
		return err
	}
	payload, _ := json.Marshal(req)
	id := uuid.NewString()
	ch := make(chan ocpp.Frame, 1)
	s.pmu.Lock()
	s.pending[id] = ch
	s.pmu.Unlock()
	if err := s.write(ocpp.MarshalCall(id, action, payload)); err != nil {
		return err
	}
	return awaitAnswer(ctx, ch, resp)
}

// callRaw sends a hand-made CALL frame and returns the station's answer frame.
func (s *fakeStation) callRaw(ctx context.Context, id, action, payload string) (ocpp.Frame, error) {
	ch := make(chan ocpp.Frame, 1)
	s.pmu.Lock()
	s.pending[id] = ch
	s.pmu.Unlock()
	if err := s.write(ocpp.MarshalCall(id, action, json.RawMessage(payload))); err != nil {
		return ocpp.Frame{}, err
	}
	select {
	case fr := <-ch:
		return fr, nil
	case <-ctx.Done():
		return ocpp.Frame{}, ctx.Err()
	}
}

func awaitAnswer(ctx context.Context, ch chan ocpp.Frame, resp any) error {
	select {
	case fr := <-ch:
		if fr.Type == ocpp.TypeCallError {
			return &CallError{Code: fr.ErrorCode, Description: fr.ErrorDescription}
		}
		if _, err := wire.Decode(fr.Payload, resp, wire.Options{Strict: true}); err != nil {
			return fmt.Errorf("station answer violates the schema: %w (%s)", err, fr.Payload)
		}
		return nil
	case <-ctx.Done():
		return errors.New("no answer from the station")
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
