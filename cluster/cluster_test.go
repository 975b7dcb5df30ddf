package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpp"
	"github.com/chargehub/hub/store/storetest"
)

// fakeLocal is a node's OCPP server: stations "connected" with a generation, and a command
// function.
type fakeLocal struct {
	mu      sync.Mutex
	conns   map[string]uint64
	kicked  map[string]uint64
	command func(ctx context.Context, id, action string, payload json.RawMessage) (json.RawMessage, error)
}

func newFakeLocal() *fakeLocal {
	return &fakeLocal{conns: map[string]uint64{}, kicked: map[string]uint64{},
		command: func(_ context.Context, id, action string, payload json.RawMessage) (json.RawMessage, error) {
			return json.RawMessage(fmt.Sprintf(`{"station":%q,"action":%q,"echo":%s}`, id, action, payload)), nil
		}}
}

func (f *fakeLocal) Command(ctx context.Context, id, action string, payload json.RawMessage) (json.RawMessage, error) {
	if _, _, ok := f.ConnectionOf(id); !ok {
		return nil, unavailable(id)
	}
	f.mu.Lock()
	cmd := f.command
	f.mu.Unlock()
	return cmd(ctx, id, action, payload)
}

func (f *fakeLocal) Call(ctx context.Context, id, action string, payload any) ([]byte, error) {
	raw, _ := json.Marshal(payload)
	return f.Command(ctx, id, action, raw)
}

func (f *fakeLocal) ConnectionOf(id string) (charging.Protocol, uint64, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	g, ok := f.conns[id]
	return charging.OCPP16, g, ok
}

func (f *fakeLocal) Kick(id string, upTo uint64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	g, ok := f.conns[id]
	if !ok || g > upTo {
		return false
	}
	delete(f.conns, id)
	f.kicked[id] = g
	return true
}

func (f *fakeLocal) connect(id string, gen uint64) {
	f.mu.Lock()
	f.conns[id] = gen
	f.mu.Unlock()
}

func (f *fakeLocal) wasKicked(id string) (uint64, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	g, ok := f.kicked[id]
	return g, ok
}

// fakeAuthority records presence calls (the charging service's part).
type fakeAuthority struct {
	ocpp.StationAuthority // nil: Authenticate and Profile are not used here
	mu                    sync.Mutex
	events                []string
}

func (a *fakeAuthority) Connected(_ context.Context, id string, _ charging.Protocol, _ time.Time) {
	a.mu.Lock()
	a.events = append(a.events, "connected "+id)
	a.mu.Unlock()
}

func (a *fakeAuthority) Disconnected(_ context.Context, id string, _ time.Time) {
	a.mu.Lock()
	a.events = append(a.events, "disconnected "+id)
	a.mu.Unlock()
}

func (a *fakeAuthority) log() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.events...)
}

// testNode is one simulated hub node.
type testNode struct {
	*Node
	srv  *fakeLocal
	auth *fakeAuthority
	ga   ocpp.GenerationAuthority
}

func startNode(t *testing.T, url, id string, cfg Config) *testNode {
	t.Helper()
	cfg.NodeID = id
	if cfg.Heartbeat == 0 {
		cfg.Heartbeat = 100 * time.Millisecond
	}
	n, err := Open(context.Background(), url, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	tn := &testNode{Node: n, srv: newFakeLocal(), auth: &fakeAuthority{}}
	n.Attach(tn.srv)
	a := n.Authority(tn.auth)
	if ga, ok := a.(ocpp.GenerationAuthority); ok {
		tn.ga = ga
	}
	t.Cleanup(func() { _ = n.Close(context.Background()) })
	return tn
}

// connect opens a station's socket on the node.
func (tn *testNode) connect(id string, gen uint64) {
	tn.srv.connect(id, gen)
	tn.ga.ConnectedGen(context.Background(), id, charging.OCPP16, gen, time.Now())
}

// kill stops the node as SIGKILL would: no goodbye, its rows stay.
func (tn *testNode) kill() {
	tn.mu.Lock()
	tn.closed = true
	tn.mu.Unlock()
	tn.closeOnce.Do(func() {
		tn.cancel()
		tn.wg.Wait()
		tn.pool.Close()
	})
}

func eventually(t *testing.T, timeout time.Duration, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRoutedCommands(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresURL(t)
	a := startNode(t, url, "node-a", Config{})
	b := startNode(t, url, "node-b", Config{})
	a.connect("CP-1", 7)
	ctx := context.Background()

	// B calls A's station: the answer comes back.
	out, err := b.Router().Command(ctx, "CP-1", "Reset", json.RawMessage(`{"type":"Soft"}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"station":"CP-1","action":"Reset","echo":{"type":"Soft"}}`; string(out) != want {
		t.Fatalf("answer %s, want %s", out, want)
	}
	// The gateway's Call with a struct payload, answered the same way.
	raw, err := b.Router().Call(ctx, "CP-1", "ClearCache", &struct{}{})
	if err != nil || !strings.Contains(string(raw), `"ClearCache"`) {
		t.Fatalf("Call: %s %v", raw, err)
	}
	// Where is it? Protocol and a cluster-wide connection number, the same from both nodes.
	pa, ga, oka := a.Router().ConnectionOf("CP-1")
	pb, gb, okb := b.Router().ConnectionOf("CP-1")
	if !oka || !okb || pa != charging.OCPP16 || pb != pa || ga != gb || ga == 0 {
		t.Fatalf("ConnectionOf: A %s %d %v, B %s %d %v", pa, ga, oka, pb, gb, okb)
	}

	// Large payloads both ways go through cluster_rpc.
	big := strings.Repeat("x", 20000)
	out, err = b.Router().Command(ctx, "CP-1", "DataTransfer", json.RawMessage(`{"vendorId":"v","data":"`+big+`"}`))
	if err != nil || !strings.Contains(string(out), big) {
		t.Fatalf("large command: %d bytes, %v", len(out), err)
	}
	var left int
	if err := b.pool.QueryRow(ctx, "SELECT count(*) FROM cluster_rpc").Scan(&left); err != nil || left != 0 {
		t.Fatalf("cluster_rpc rows left: %d (%v)", left, err)
	}

	// Errors keep their kind: a CALLERROR of the station, a coded domain error.
	a.srv.mu.Lock()
	a.srv.command = func(_ context.Context, _, action string, _ json.RawMessage) (json.RawMessage, error) {
		if action == "UnlockConnector" {
			return nil, &ocpp.CallError{Code: ocpp.ErrNotSupported, Wire: "NotSupported", Description: "no",
				Details: json.RawMessage(`{"a":1}`)}
		}
		return nil, charging.Errorf(charging.CodeInvalid, "payload does not validate")
	}
	a.srv.mu.Unlock()
	_, err = b.Router().Command(ctx, "CP-1", "UnlockConnector", json.RawMessage(`{"connectorId":1}`))
	var ce *ocpp.CallError
	if !errors.As(err, &ce) || ce.Wire != "NotSupported" || ce.Description != "no" || string(ce.Details) != `{"a":1}` {
		t.Fatalf("CALLERROR across nodes: %#v", err)
	}
	_, err = b.Router().Command(ctx, "CP-1", "Reset", json.RawMessage(`{}`))
	if charging.ErrorCode(err) != charging.CodeInvalid || !strings.Contains(err.Error(), "does not validate") {
		t.Fatalf("coded error across nodes: %v", err)
	}

	// A station connected nowhere.
	if _, err := b.Router().Command(ctx, "CP-nowhere", "Reset", nil); charging.ErrorCode(err) != charging.CodeUnavailable {
		t.Fatalf("unknown station: %v", err)
	}
	if _, _, ok := b.Router().ConnectionOf("CP-nowhere"); ok {
		t.Fatal("CP-nowhere is connected?")
	}
}

func TestRoutedTimeout(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresURL(t)
	a := startNode(t, url, "node-a", Config{})
	b := startNode(t, url, "node-b", Config{})
	a.connect("CP-1", 1)
	a.srv.mu.Lock()
	a.srv.command = func(ctx context.Context, id, _ string, _ json.RawMessage) (json.RawMessage, error) {
		<-ctx.Done() // the station never answers; the node gives up at the caller's deadline
		return nil, charging.Errorf(charging.CodeTimeout, "station %s did not answer", id)
	}
	a.srv.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 800*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := b.Router().Command(ctx, "CP-1", "Reset", json.RawMessage(`{"type":"Hard"}`))
	took := time.Since(start)
	if charging.ErrorCode(err) != charging.CodeTimeout {
		t.Fatalf("want a timeout, got %v", err)
	}
	if took < 500*time.Millisecond || took > 2*time.Second {
		t.Fatalf("timeout after %s, want about the caller's 800ms", took)
	}
}

func TestTakeoverAcrossNodes(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresURL(t)
	a := startNode(t, url, "node-a", Config{})
	b := startNode(t, url, "node-b", Config{})
	a.connect("CP-1", 3)
	b.connect("CP-1", 1) // the station reconnects to B: newest wins
	eventually(t, 5*time.Second, func() bool { _, ok := a.srv.wasKicked("CP-1"); return ok }, "node A closes its socket")
	if g, _ := a.srv.wasKicked("CP-1"); g != 3 {
		t.Fatalf("A closed generation %d, want 3", g)
	}
	// A's late disconnect must not mark the station offline: B holds it.
	a.ga.DisconnectedGen(context.Background(), "CP-1", 3, time.Now())
	for _, e := range a.auth.log() {
		if e == "disconnected CP-1" {
			t.Fatalf("node A marked CP-1 offline after it moved: %v", a.auth.log())
		}
	}
	if got := b.auth.log(); len(got) != 1 || got[0] != "connected CP-1" {
		t.Fatalf("node B presence calls: %v", got)
	}
	// Commands from A now go to B.
	out, err := a.Router().Command(context.Background(), "CP-1", "Reset", json.RawMessage(`{}`))
	if err != nil || !strings.Contains(string(out), "CP-1") {
		t.Fatalf("A → B: %s %v", out, err)
	}
	// B's disconnect marks it offline.
	b.srv.mu.Lock()
	delete(b.srv.conns, "CP-1")
	b.srv.mu.Unlock()
	b.ga.DisconnectedGen(context.Background(), "CP-1", 1, time.Now())
	if got := b.auth.log(); len(got) != 2 || got[1] != "disconnected CP-1" {
		t.Fatalf("node B presence calls: %v", got)
	}
	if _, err := a.Router().Command(context.Background(), "CP-1", "Reset", nil); charging.ErrorCode(err) != charging.CodeUnavailable {
		t.Fatalf("after disconnect: %v", err)
	}
}

func TestDeadNodeIsReaped(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresURL(t)
	cfg := Config{Heartbeat: 100 * time.Millisecond, DeadAfter: 400 * time.Millisecond}
	a := startNode(t, url, "node-a", cfg)
	c := startNode(t, url, "node-c", cfg)
	c.connect("CP-9", 1)
	if _, _, ok := a.Router().ConnectionOf("CP-9"); !ok {
		t.Fatal("A does not see CP-9 on C")
	}
	c.kill()
	// C's heartbeat stops: after DeadAfter its station is unreachable, then reaped by A.
	eventually(t, 5*time.Second, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		_, err := a.Router().Command(ctx, "CP-9", "Reset", nil) // a timeout while C still looks alive
		return charging.ErrorCode(err) == charging.CodeUnavailable
	}, "CP-9 unavailable once C is dead")
	eventually(t, 5*time.Second, func() bool {
		for _, e := range a.auth.log() {
			if e == "disconnected CP-9" {
				return true
			}
		}
		return false
	}, "A marks CP-9 offline")
	var rows int
	if err := a.pool.QueryRow(context.Background(), "SELECT count(*) FROM station_presence").Scan(&rows); err != nil || rows != 0 {
		t.Fatalf("presence rows left: %d %v", rows, err)
	}
	// The station reconnects to A.
	a.connect("CP-9", 5)
	out, err := a.Router().Command(context.Background(), "CP-9", "Reset", json.RawMessage(`{}`))
	if err != nil || !strings.Contains(string(out), "CP-9") {
		t.Fatalf("after reconnecting: %s %v", out, err)
	}
}

func TestJobRunsOnOneNode(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresURL(t)
	a := startNode(t, url, "node-a", Config{})
	b := startNode(t, url, "node-b", Config{})
	var mu sync.Mutex
	runs, running, overlap := 0, 0, false
	job := func(ctx context.Context) {
		mu.Lock()
		runs++
		running++
		overlap = overlap || running > 1
		mu.Unlock()
		time.Sleep(200 * time.Millisecond)
		mu.Lock()
		running--
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for _, n := range []*testNode{a, b, a, b} {
		wg.Go(n.Job("prune", time.Hour, job))
	}
	wg.Wait()
	b.Job("prune", time.Hour, job)() // ran this period already: skipped
	mu.Lock()
	defer mu.Unlock()
	if runs != 1 || overlap {
		t.Fatalf("runs %d, overlap %v; want one run", runs, overlap)
	}
	// Another job with a short period runs again once its period has passed.
	other := 0
	a.Job("tick", 10*time.Millisecond, func(context.Context) { other++ })()
	time.Sleep(50 * time.Millisecond)
	b.Job("tick", 10*time.Millisecond, func(context.Context) { other++ })()
	if other != 2 {
		t.Fatalf("short job ran %d times, want 2", other)
	}
}

func TestSingleNodePassThrough(t *testing.T) {
	t.Parallel()
	n, err := Open(context.Background(), storetest.SQLiteURL(t), Config{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close(context.Background())
	if n.Clustered() {
		t.Fatal("SQLite is clustered?")
	}
	srv := newFakeLocal()
	n.Attach(srv)
	inner := &fakeAuthority{}
	if got := n.Authority(inner); got != inner {
		t.Fatal("the authority is wrapped on SQLite")
	}
	srv.connect("CP-1", 4)
	out, err := n.Router().Command(context.Background(), "CP-1", "Reset", json.RawMessage(`{}`))
	if err != nil || !strings.Contains(string(out), "CP-1") {
		t.Fatalf("local command: %s %v", out, err)
	}
	if _, g, ok := n.Router().ConnectionOf("CP-1"); !ok || g != 4 {
		t.Fatalf("ConnectionOf: %d %v", g, ok)
	}
	if _, err := n.Router().Command(context.Background(), "CP-2", "Reset", nil); charging.ErrorCode(err) != charging.CodeUnavailable {
		t.Fatalf("unknown station: %v", err)
	}
	ran := false
	n.Job("x", time.Hour, func(context.Context) { ran = true })()
	reset := false
	if _, err := n.ResetOnline(context.Background(), func(context.Context) error { reset = true; return nil }); err != nil || !ran || !reset {
		t.Fatalf("job %v, reset %v, err %v", ran, reset, err)
	}
}

func TestLostKickReconciled(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresURL(t)
	// heartbeats slow enough that node B stays alive on a loaded machine (it must count as live)
	a := startNode(t, url, "node-a", Config{Heartbeat: 250 * time.Millisecond})
	_ = startNode(t, url, "node-b", Config{Heartbeat: 250 * time.Millisecond})
	a.connect("CP-1", 2)
	// B took the station while A's LISTEN connection was down: the row says B, no kick came.
	if _, err := a.pool.Exec(context.Background(), "UPDATE station_presence SET node_id = 'node-b' WHERE station_id = 'CP-1'"); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, func() bool { _, ok := a.srv.wasKicked("CP-1"); return ok }, "A closes its stale socket at a heartbeat")
}

// TestRetriedClaimNewestConnectionWins: a claim retried at a heartbeat (its first write failed)
// takes the station from a live node whose connection is older (the one the station left, e.g.
// on a node that has just died), and gives way to one whose connection is newer.
func TestRetriedClaimNewestConnectionWins(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresURL(t)
	// B must count as live throughout, also on a loaded machine
	a := startNode(t, url, "node-a", Config{Heartbeat: 250 * time.Millisecond})
	b := startNode(t, url, "node-b", Config{Heartbeat: 250 * time.Millisecond})
	ctx := context.Background()
	holder := func(id string) string {
		var node string
		if err := a.pool.QueryRow(ctx, "SELECT node_id FROM station_presence WHERE station_id = $1", id).Scan(&node); err != nil {
			t.Fatal(err)
		}
		return node
	}

	// CP-1: B's connection is older than A's, whose first claim failed.
	b.connect("CP-1", 1)
	a.srv.connect("CP-1", 7)
	a.mu.Lock()
	a.conns["CP-1"] = localConn{gen: 7, proto: string(charging.OCPP16), at: time.Now().Add(time.Second)}
	a.mu.Unlock()
	a.retryPresence(ctx)
	if got := holder("CP-1"); got != "node-a" {
		t.Fatalf("CP-1 held by %s, want node-a (the newer connection)", got)
	}
	if _, kicked := a.srv.wasKicked("CP-1"); kicked {
		t.Fatal("A closed the newer connection")
	}
	eventually(t, 5*time.Second, func() bool { _, ok := b.srv.wasKicked("CP-1"); return ok }, "B closes the older socket")

	// CP-2: B's connection is newer than A's: A gives way and closes its socket.
	b.connect("CP-2", 2)
	a.srv.connect("CP-2", 8)
	a.mu.Lock()
	a.conns["CP-2"] = localConn{gen: 8, proto: string(charging.OCPP16), at: time.Now().Add(-time.Minute)}
	a.mu.Unlock()
	a.retryPresence(ctx)
	if got := holder("CP-2"); got != "node-b" {
		t.Fatalf("CP-2 held by %s, want node-b (the newer connection)", got)
	}
	if g, kicked := a.srv.wasKicked("CP-2"); !kicked || g != 8 {
		t.Fatalf("A did not close its older socket (kicked %v, gen %d)", kicked, g)
	}
}
