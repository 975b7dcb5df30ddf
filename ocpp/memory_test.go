package ocpp

import (
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// BenchmarkIdleConnMemory measures what an idle, connected station costs the server: n
// stations connect and each has one CALL answered, then the heap, stack and goroutines in
// use are compared with the figures before the fleet (after GCs, so grown stacks shrink as
// they would on a long-running hub). The clients live in the same process; they have no
// goroutines and small buffers (a gorilla Conn and a 256-byte read buffer each, ≈ 1.5 KiB),
// which the heap figure includes.
//
//	go test ./ocpp -run '^$' -bench IdleConnMemory -benchtime 1x
func BenchmarkIdleConnMemory(b *testing.B) {
	const n = 1000
	fx := newFixture(&testing.T{}, Config{PingInterval: time.Minute})
	defer fx.http.Close()
	d := websocket.Dialer{Subprotocols: []string{"ocpp1.6"}, HandshakeTimeout: 5 * time.Second,
		ReadBufferSize: 256, WriteBufferSize: 256, WriteBufferPool: &sync.Pool{}}
	before := memFigures()
	clients := make([]*websocket.Conn, 0, n)
	defer func() {
		for _, c := range clients {
			c.Close()
		}
	}()
	for b.Loop() {
		for i := len(clients); i < n; i++ {
			c, _, err := d.Dial(fx.url+"CPM"+strconv.Itoa(i), nil)
			if err != nil {
				b.Fatal(err)
			}
			clients = append(clients, c)
			if err := c.WriteMessage(websocket.TextMessage, []byte(`[2,"1","Echo",{"text":"hi"}]`)); err != nil {
				b.Fatal(err)
			}
			if _, _, err := c.ReadMessage(); err != nil {
				b.Fatal(err)
			}
		}
	}
	for fx.srv.Connected() < n {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // on-demand worker and writer goroutines exit
	after := memFigures()
	b.ReportMetric(float64(after.heap-before.heap)/n/1024, "heapKiB/conn")
	b.ReportMetric(float64(after.stack-before.stack)/n/1024, "stackKiB/conn")
	b.ReportMetric(float64(after.goroutines-before.goroutines)/n, "goroutines/conn")
}

type memFig struct {
	heap, stack uint64
	goroutines  int
}

func memFigures() memFig {
	var ms runtime.MemStats
	for range 4 { // stacks shrink by half per GC while less than a quarter is used
		runtime.GC()
	}
	runtime.ReadMemStats(&ms)
	return memFig{heap: ms.HeapAlloc, stack: ms.StackInuse, goroutines: runtime.NumGoroutine()}
}

func TestFifoOrderBoundAndDone(t *testing.T) {
	var q fifo[int]
	done := make(chan struct{})
	for i := range 3 {
		ok, start := q.push(i, 3, done)
		if !ok || start != (i == 0) {
			t.Fatalf("push %d: ok=%v start=%v", i, ok, start)
		}
	}
	pushed := make(chan bool)
	go func() { ok, _ := q.push(3, 3, done); pushed <- ok }() // full: waits for room
	if v, ok := q.pop(); !ok || v != 0 {
		t.Fatalf("pop = %d, %v; want 0", v, ok)
	}
	if !<-pushed {
		t.Fatal("push after room was made failed")
	}
	for want := 1; want <= 3; want++ {
		if v, ok := q.pop(); !ok || v != want {
			t.Fatalf("pop = %d, %v; want %d", v, ok, want)
		}
	}
	if !q.busy() {
		t.Fatal("consumer not yet told to stop, want busy")
	}
	if _, ok := q.pop(); ok || q.busy() || q.items != nil {
		t.Fatalf("empty queue: ok=%v busy=%v items=%v", ok, q.busy(), q.items)
	}
	if ok, start := q.push(9, 1, done); !ok || !start {
		t.Fatal("push on a stopped queue must ask for a consumer")
	}
	go func() { ok, _ := q.push(10, 1, done); pushed <- ok }()
	close(done)
	if <-pushed {
		t.Fatal("push to a full queue of a closed connection succeeded")
	}
}
