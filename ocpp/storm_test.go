package ocpp

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestReconnectStorm: a thousand stations connect at once, drop, and all reconnect at once
// (a network blip); every upgrade succeeds and every station ends up registered once.
func TestReconnectStorm(t *testing.T) {
	if testing.Short() {
		t.Skip("storm test skipped in -short mode")
	}
	fx := newFixture(t, Config{})
	const n = 1000
	connectAll := func() []*websocket.Conn {
		conns := make([]*websocket.Conn, n)
		var failed atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d := websocket.Dialer{Subprotocols: []string{"ocpp1.6"}, HandshakeTimeout: 20 * time.Second}
				c, _, err := d.Dial(fmt.Sprintf("%sCP%d", fx.url, i), nil)
				if err != nil {
					failed.Add(1)
					return
				}
				conns[i] = c
			}()
		}
		wg.Wait()
		if failed.Load() != 0 {
			t.Fatalf("%d of %d upgrades failed", failed.Load(), n)
		}
		return conns
	}
	waitFor := func(want int) {
		deadline := time.Now().Add(20 * time.Second)
		for fx.srv.Connected() != want && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if got := fx.srv.Connected(); got != want {
			t.Fatalf("%d stations registered, want %d", got, want)
		}
	}
	first := connectAll()
	waitFor(n)
	// the blip: the network drops without close frames; stations reconnect before the hub
	// noticed, so each new socket replaces a half-open one
	second := connectAll()
	waitFor(n)
	for _, c := range first {
		c.Close()
	}
	time.Sleep(100 * time.Millisecond)
	waitFor(n) // late closes of replaced sockets must not unregister the new ones
	// every new socket is live: one call each round-trips
	var bad atomic.Int32
	var wg sync.WaitGroup
	for i, c := range second {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.WriteMessage(websocket.TextMessage, []byte(fmt.Sprintf(`[2,"m%d","Echo",{"text":"x"}]`, i))); err != nil {
				bad.Add(1)
				return
			}
			_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
			if _, _, err := c.ReadMessage(); err != nil {
				bad.Add(1)
			}
		}()
	}
	wg.Wait()
	if bad.Load() != 0 {
		t.Fatalf("%d reconnected stations could not talk", bad.Load())
	}
	for _, c := range second {
		c.Close()
	}
}

// TestSilentStationDoesNotBlockOthers: a station that never answers hub calls only delays
// its own commands.
func TestSilentStationDoesNotBlockOthers(t *testing.T) {
	fx := newFixture(t, Config{CallTimeout: 2 * time.Second})
	silent, _, err := dial(t, fx.url+"CP1", []string{"ocpp1.6"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = silent // reads nothing, answers nothing
	chatty, _, err := dial(t, fx.url+"CP2", []string{"ocpp1.6"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	waitConnected(t, fx.srv, "CP1")
	waitConnected(t, fx.srv, "CP2")
	answerCalls(chatty, func(f Frame) []byte { return MarshalCallResult(f.ID, []byte(`{"text":"ok"}`)) })
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		go func() { _, _ = fx.srv.Call(ctx, "CP1", "Echo", &echoReq{Text: "x"}) }()
	}
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	for i := 0; i < 10; i++ {
		if _, err := fx.srv.Call(ctx, "CP2", "Echo", &echoReq{Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("calls to a healthy station took %v while another was silent", d)
	}
}
