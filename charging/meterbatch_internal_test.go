package charging

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestMeterBatcherBatchesWhatQueues holds the first batches until requests have queued behind
// them, then checks that those were stored in batches of several (each at most meterMaxBatch),
// each exactly once, each answered with its own outcome, and that no more than meterLeaders
// batches were ever stored at the same time.
func TestMeterBatcherBatchesWhatQueues(t *testing.T) {
	const queued = 300
	var (
		mu              sync.Mutex
		seen            = map[string]int{}
		sizes           []int
		running, maxRun int
	)
	gate, entered := make(chan struct{}), make(chan struct{}, meterLeaders)
	b := &meterBatcher{}
	b.store = func(ctx context.Context, batch []*meterReq) {
		mu.Lock()
		running++
		maxRun = max(maxRun, running)
		first := len(sizes) < meterLeaders
		sizes = append(sizes, len(batch))
		for _, r := range batch {
			seen[r.in.StationID]++
			if r.in.EVSEID%2 == 1 {
				r.err = errors.New(r.in.StationID)
			}
		}
		mu.Unlock()
		if first {
			entered <- struct{}{}
			<-gate
		}
		mu.Lock()
		running--
		mu.Unlock()
	}
	errs := make([]error, meterLeaders+queued)
	var wg sync.WaitGroup
	send := func(i int) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = b.do(context.Background(), MeterValuesIn{StationID: fmt.Sprint("S", i), EVSEID: i})
		}()
	}
	for i := range meterLeaders {
		send(i)
	}
	for range meterLeaders {
		<-entered
	}
	for i := meterLeaders; i < meterLeaders+queued; i++ {
		send(i)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		b.mu.Lock()
		n := len(b.queue)
		b.mu.Unlock()
		if n == queued {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d requests queued behind the busy leaders", n, queued)
		}
		time.Sleep(time.Millisecond)
	}
	close(gate)
	wg.Wait()

	if len(seen) != meterLeaders+queued {
		t.Fatalf("%d requests stored, want %d", len(seen), meterLeaders+queued)
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
	if maxRun > meterLeaders {
		t.Fatalf("%d batches at once, at most %d allowed", maxRun, meterLeaders)
	}
	queuedBatches := sizes[meterLeaders:]
	if len(queuedBatches) >= queued/2 {
		t.Fatalf("%d queued requests took %d batches: %v", queued, len(queuedBatches), queuedBatches)
	}
	for _, n := range queuedBatches {
		if n > meterMaxBatch {
			t.Fatalf("a batch of %d, at most %d allowed", n, meterMaxBatch)
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.leaders != 0 || len(b.queue) != 0 {
		t.Fatalf("after the burst: %d leaders, %d queued", b.leaders, len(b.queue))
	}
}
