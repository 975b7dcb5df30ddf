package charging

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestMeterBatcherBatchesWhatQueues keeps every worker in a batch until requests have queued
// behind them, then checks that those were stored in batches of several (each at most
// meterMaxBatch), each exactly once, each answered with its own outcome; that no more than
// meterWorkers batches were ever stored at the same time; and that idle workers end.
func TestMeterBatcherBatchesWhatQueues(t *testing.T) {
	const queued = 300
	var (
		mu              sync.Mutex
		seen            = map[string]int{}
		sizes           []int
		running, maxRun int
	)
	gate, entered := make(chan struct{}), make(chan struct{}, meterWorkers+queued)
	b := &meterBatcher{idle: 20 * time.Millisecond}
	b.store = func(ctx context.Context, batch []*meterReq) {
		mu.Lock()
		running++
		maxRun = max(maxRun, running)
		sizes = append(sizes, len(batch))
		for _, r := range batch {
			seen[r.in.StationID]++
			if r.in.EVSEID%2 == 1 {
				r.err = errors.New(r.in.StationID)
			}
		}
		mu.Unlock()
		entered <- struct{}{}
		<-gate
		mu.Lock()
		running--
		mu.Unlock()
	}
	errs := make([]error, meterWorkers+queued)
	var wg sync.WaitGroup
	send := func(i int) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = b.do(context.Background(), MeterValuesIn{StationID: fmt.Sprint("S", i), EVSEID: i})
		}()
	}
	for i := range meterWorkers { // one batch each: every worker busy
		send(i)
		<-entered
	}
	for i := meterWorkers; i < meterWorkers+queued; i++ {
		send(i)
	}
	waitUntil(t, "requests queued behind the busy workers", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		return len(b.queue) == queued
	})
	close(gate)
	wg.Wait()

	if len(seen) != meterWorkers+queued {
		t.Fatalf("%d requests stored, want %d", len(seen), meterWorkers+queued)
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("%s stored %d times", id, n)
		}
	}
	for i, err := range errs {
		want := ""
		if i%2 == 1 {
			want = fmt.Sprint("S", i)
		}
		if got := fmt.Sprint(err); (want == "" && err != nil) || (want != "" && got != want) {
			t.Fatalf("request %d answered %v, want %q", i, err, want)
		}
	}
	if maxRun > meterWorkers {
		t.Fatalf("%d batches at once, at most %d allowed", maxRun, meterWorkers)
	}
	queuedBatches := sizes[meterWorkers:]
	if len(queuedBatches) >= queued/2 {
		t.Fatalf("%d queued requests took %d batches: %v", queued, len(queuedBatches), queuedBatches)
	}
	for _, n := range queuedBatches {
		if n > meterMaxBatch {
			t.Fatalf("a batch of %d, at most %d allowed", n, meterMaxBatch)
		}
	}
	waitUntil(t, "idle workers ended", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		return b.workers == 0 && b.waiting == 0 && len(b.queue) == 0
	})

	// after the workers ended, a request starts one again
	if _, err := b.do(context.Background(), MeterValuesIn{StationID: "again", EVSEID: 2}); err != nil || seen["again"] != 1 {
		t.Fatalf("a request after the workers ended: %v, stored %d times", err, seen["again"])
	}
}

// waitUntil polls cond until it holds, failing the test after 10 s.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestMeterBatcherPanic: a batch whose storing panics fails its requests, and the next batch
// is stored as usual.
func TestMeterBatcherPanic(t *testing.T) {
	b := &meterBatcher{idle: 10 * time.Millisecond}
	b.store = func(ctx context.Context, batch []*meterReq) {
		if batch[0].in.StationID == "boom" {
			panic("boom")
		}
	}
	if _, err := b.do(context.Background(), MeterValuesIn{StationID: "boom"}); err == nil {
		t.Fatal("a panicking batch succeeded")
	}
	if _, err := b.do(context.Background(), MeterValuesIn{StationID: "fine"}); err != nil {
		t.Fatalf("the batch after a panic: %v", err)
	}
}
