package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/chargehub/hub/ocpp"
)

// testHub is a hub started in-process on a random loopback port.
type testHub struct {
	*hub
	base     string // http://127.0.0.1:PORT
	ws       string // ws://127.0.0.1:PORT/ocpp/
	token    string
	stopOnce sync.Once
}

func startTestHub(t testing.TB, dbURL string, env map[string]string) *testHub {
	t.Helper()
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		switch k {
		case "HUB_DATABASE_URL":
			return dbURL
		case "HUB_HTTP_ADDR":
			return "127.0.0.1:0"
		case "HUB_ADMIN_TOKEN":
			return "test-admin-token"
		}
		return ""
	}
	fs := newFlagSet("serve", io.Discard)
	cfg := bindConfig(fs, getenv)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if err := cfg.validate(); err != nil {
		t.Fatal(err)
	}
	var w io.Writer = io.Discard
	if testing.Verbose() {
		w = os.Stderr
	}
	log := slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h, err := startHub(context.Background(), cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	th := &testHub{hub: h, base: "http://" + h.plain.Addr().String(), ws: "ws://" + h.plain.Addr().String() + "/ocpp/", token: cfg.AdminToken}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownBudget)
		defer cancel()
		_ = th.stop(ctx)
	})
	return th
}

// stop shuts the hub down once.
func (h *testHub) stop(ctx context.Context) error {
	var err error
	h.stopOnce.Do(func() { err = h.shutdown(ctx) })
	return err
}

// api calls the admin API and decodes the JSON answer into out (if not nil).
func (h *testHub) api(t testing.TB, method, path string, body any, out any) int {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, h.base+path, r)
	req.Header.Set("Authorization", "Bearer "+h.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, data, err)
		}
	}
	return resp.StatusCode
}

// station is a bare OCPP-J 1.6 test client: it sends raw frames and answers hub calls with
// a configurable function.
type station struct {
	t      *testing.T
	c      *websocket.Conn
	mu     sync.Mutex
	seq    int
	frames chan ocpp.Frame // answers to our calls
	closed chan error
	answer func(f ocpp.Frame) []byte
}

func dialStation(t *testing.T, h *testHub, id, password string) (*station, *http.Response, error) {
	t.Helper()
	return dialStationProto(t, h, id, password, "ocpp1.6")
}

func dialStationProto(t *testing.T, h *testHub, id, password string, protos ...string) (*station, *http.Response, error) {
	t.Helper()
	hdr := http.Header{}
	if password != "" {
		hdr.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(id+":"+password)))
	}
	d := websocket.Dialer{Subprotocols: protos, HandshakeTimeout: 5 * time.Second}
	c, resp, err := d.Dial(h.ws+id, hdr)
	if err != nil {
		return nil, resp, err
	}
	s := &station{t: t, c: c, frames: make(chan ocpp.Frame, 16), closed: make(chan error, 1)}
	t.Cleanup(func() { c.Close() })
	go s.read()
	// wait until the hub registered the socket
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, ok := h.ocpp.Conn(id); ok {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	return s, resp, nil
}

func (s *station) read() {
	for {
		_, data, err := s.c.ReadMessage()
		if err != nil {
			s.closed <- err
			return
		}
		f, err := ocpp.ParseFrame(data)
		if err != nil {
			s.t.Errorf("hub sent an unparseable frame %s: %v", data, err)
			continue
		}
		if f.Type == ocpp.TypeCall {
			s.mu.Lock()
			ans := s.answer
			s.mu.Unlock()
			var out []byte
			if ans != nil {
				out = ans(f)
			} else {
				out = ocpp.MarshalCallError(f.ID, "NotImplemented", "", nil)
			}
			s.mu.Lock()
			_ = s.c.WriteMessage(websocket.TextMessage, out)
			s.mu.Unlock()
			continue
		}
		s.frames <- f
	}
}

func (s *station) onCall(fn func(f ocpp.Frame) []byte) { s.mu.Lock(); s.answer = fn; s.mu.Unlock() }

func (s *station) sendRaw(frame string) ocpp.Frame {
	s.t.Helper()
	s.mu.Lock()
	err := s.c.WriteMessage(websocket.TextMessage, []byte(frame))
	s.mu.Unlock()
	if err != nil {
		s.t.Fatal(err)
	}
	select {
	case f := <-s.frames:
		return f
	case err := <-s.closed:
		s.t.Fatalf("connection closed: %v", err)
	case <-time.After(10 * time.Second):
		s.t.Fatalf("no answer to %s", frame)
	}
	return ocpp.Frame{}
}

// call sends action with payload (a JSON string) and returns the answer frame.
func (s *station) call(action, payload string) ocpp.Frame {
	s.t.Helper()
	s.mu.Lock()
	s.seq++
	id := fmt.Sprintf("m%d", s.seq)
	s.mu.Unlock()
	f := s.sendRaw(fmt.Sprintf(`[2,%q,%q,%s]`, id, action, payload))
	if f.ID != id {
		s.t.Fatalf("answer id %q for call %q", f.ID, id)
	}
	return f
}

// result calls and requires a CALLRESULT, decoding it into a map.
func (s *station) result(action, payload string) map[string]any {
	s.t.Helper()
	f := s.call(action, payload)
	if f.Type != ocpp.TypeCallResult {
		s.t.Fatalf("%s: %s %s", action, f.ErrorCode, f.ErrorDescription)
	}
	var m map[string]any
	if err := json.Unmarshal(f.Payload, &m); err != nil {
		s.t.Fatal(err)
	}
	return m
}

func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func httpGet(t *testing.T, url string) (string, int) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b), resp.StatusCode
}

// startHubWithPartner starts a hub (CPO IN*HUB) on dbURL with extraEnv, after `hub partners
// add` created the eMSP partner NL*EMP; it returns the hub and the partner's token A and
// versions URL for the eMSP to register with.
func startHubWithPartner(t *testing.T, dbURL string, extraEnv map[string]string) (h *testHub, tokenA, versionsURL string) {
	t.Helper()
	addr := freeAddr(t)
	env := map[string]string{"HUB_DATABASE_URL": dbURL, "HUB_HTTP_ADDR": addr, "HUB_PUBLIC_URL": "http://" + addr,
		"HUB_OCPI_COUNTRY_CODE": "IN", "HUB_OCPI_PARTY_ID": "HUB"}
	maps.Copy(env, extraEnv)
	out, err := cli(t, env, "partners", "add", "--name", "Example eMSP", "--role", "EMSP", "--country", "NL", "--party", "EMP")
	if err != nil {
		t.Fatal(err)
	}
	tokenA, versionsURL = tokenLine.FindStringSubmatch(out)[1], versionsLine.FindStringSubmatch(out)[1]
	return startTestHub(t, dbURL, env), tokenA, versionsURL
}
