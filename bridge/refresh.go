package bridge

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chargehub/hub/charging"
)

// refreshTimeout bounds one deferred Session republication.
const refreshTimeout = 30 * time.Second

// sessionRefresh is the queue of transactions whose Session is to be republished because
// MeterValues moved their readings (see Publisher.StartSessionRefresh). A transaction is in it
// at most once: marks that arrive while it waits are coalesced into the one republication, and a
// mark that arrives while it is being republished queues it once more, after. Transactions are
// republished in the order they were first marked.
type sessionRefresh struct {
	mu       sync.Mutex
	queue    []refreshItem      // guarded by mu; waiting, oldest first
	queued   map[int64]struct{} // guarded by mu; the transactions in queue
	inflight map[int64]bool     // guarded by mu; being republished -> marked again meanwhile
	wake     chan struct{}      // capacity 1: there may be work

	coalesced atomic.Uint64 // marks that joined a waiting or running republication
	failed    atomic.Uint64 // republications that failed (logged)
}

// refreshItem is one transaction to republish.
type refreshItem struct {
	txID      int64
	stationID string
}

func newSessionRefresh() *sessionRefresh {
	return &sessionRefresh{queued: make(map[int64]struct{}), inflight: make(map[int64]bool), wake: make(chan struct{}, 1)}
}

// mark queues the transaction, unless it waits already.
func (r *sessionRefresh) mark(txID int64, stationID string) {
	r.mu.Lock()
	_, waiting := r.queued[txID]
	again, running := r.inflight[txID]
	switch {
	case waiting || (running && again):
		r.coalesced.Add(1)
	case running:
		r.inflight[txID] = true
		r.coalesced.Add(1)
	default:
		r.queue = append(r.queue, refreshItem{txID: txID, stationID: stationID})
		r.queued[txID] = struct{}{}
	}
	r.mu.Unlock()
	r.signal()
}

func (r *sessionRefresh) signal() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// take hands out the oldest waiting transaction; more reports whether others wait.
func (r *sessionRefresh) take() (it refreshItem, ok, more bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.queue) == 0 {
		return refreshItem{}, false, false
	}
	it = r.queue[0]
	r.queue[0] = refreshItem{}
	r.queue = r.queue[1:]
	if len(r.queue) == 0 {
		r.queue = nil // let the drained backing array go
	}
	delete(r.queued, it.txID)
	r.inflight[it.txID] = false
	return it, true, len(r.queue) > 0
}

// done ends the republication of it, queueing it again when it was marked meanwhile.
func (r *sessionRefresh) done(it refreshItem) {
	r.mu.Lock()
	again := r.inflight[it.txID]
	delete(r.inflight, it.txID)
	if again {
		r.queue = append(r.queue, it)
		r.queued[it.txID] = struct{}{}
	}
	r.mu.Unlock()
	if again {
		r.signal()
	}
}

// waiting is how many transactions wait for a worker.
func (r *sessionRefresh) waiting() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.queue)
}

// pending is how many transactions wait or are being republished.
func (r *sessionRefresh) pending() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.queue) + len(r.inflight)
}

// SessionRefreshStats is what the deferred Session republication did so far.
type SessionRefreshStats struct {
	Pending   int    // transactions waiting or being republished
	Coalesced uint64 // MeterValues whose republication joined one already due
	Failed    uint64 // republications that failed (the next MeterValues or the stop retries)
}

// SessionRefreshStats reports on the deferred Session republication; zero when it is not running.
func (p *Publisher) SessionRefreshStats() SessionRefreshStats {
	r := p.refresh.Load()
	if r == nil {
		return SessionRefreshStats{}
	}
	return SessionRefreshStats{Pending: r.pending(), Coalesced: r.coalesced.Load(), Failed: r.failed.Load()}
}

// StartSessionRefresh moves the Session republication of MeterValues (TransactionMetered) out of
// the MeterValues' transaction: once a MeterValues that moved an active transaction's reading has
// committed, the transaction is queued, and workers goroutines republish its Session, each in a
// transaction of its own on db, from the state committed by then. MeterValues that arrive while a
// Session waits share its one republication, so under load a Session is rebuilt (from all its
// samples) once per round of the queue, not once per message: the cost of metering a session no
// longer grows with the message rate, and the station's answer no longer waits for the rebuild.
//
// What stays in the changes' own transactions: a transaction's start and stop (TransactionChanged,
// with its CDR), connector and station changes. A queued republication that a crash loses leaves
// the Session as it was published before until the next MeterValues or the stop, which rebuild it
// from the database. A transaction that is no longer active when its turn comes is skipped: its
// stop published the final Session.
//
// Stop (the returned function) stops queueing (MeterValues then republish in their own
// transactions again), lets the workers republish what is queued, and waits for them until ctx
// ends.
func (p *Publisher) StartSessionRefresh(db charging.Store, workers int) (stop func(ctx context.Context)) {
	r := newSessionRefresh()
	wctx, cancel := context.WithCancel(context.Background())
	quit := make(chan struct{})
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Go(func() { p.refreshWorker(wctx, db, r, quit) })
	}
	p.refresh.Store(r)
	return func(ctx context.Context) {
		p.refresh.CompareAndSwap(r, nil)
		close(quit)
		finished := make(chan struct{})
		go func() { wg.Wait(); close(finished) }()
		select {
		case <-finished:
		case <-ctx.Done():
			p.log.Warn("sessions still waiting for republication at shutdown; the next MeterValues or stop rebuilds them",
				"pending", r.pending())
		}
		cancel()
		<-finished
	}
}

// refreshWorker republishes queued Sessions until quit is closed and the queue is empty.
func (p *Publisher) refreshWorker(ctx context.Context, db charging.Store, r *sessionRefresh, quit <-chan struct{}) {
	for {
		it, ok, more := r.take()
		if !ok {
			select {
			case <-r.wake:
				continue
			case <-quit:
				if r.waiting() == 0 {
					// an item a busy worker holds and done queues again is taken by that worker
					return
				}
				continue
			}
		}
		if more {
			r.signal() // let an idle worker take the next one
		}
		if ctx.Err() != nil { // stopped out of time: the rest is dropped (the stop said how many)
			r.done(it)
			continue
		}
		if err := p.refreshSession(ctx, db, it); err != nil {
			r.failed.Add(1)
			p.log.Warn("session not republished after meter values", "transaction", it.txID, "err", err)
		}
		r.done(it)
	}
}

// refreshSession republishes the transaction's Session in a transaction of its own, if the
// transaction is still active and its station is in a location. The location is locked before
// the transaction is read (see lockAndRead).
func (p *Publisher) refreshSession(ctx context.Context, db charging.Store, it refreshItem) error {
	ctx, cancel := context.WithTimeout(ctx, refreshTimeout)
	defer cancel()
	return db.InTx(ctx, func(tx charging.Store) error {
		loc, _, rtx, err := p.lockedLocation(ctx, tx, it.stationID)
		if err != nil || loc == nil {
			return p.settle(err, "station", it.stationID)
		}
		t, err := tx.GetTransaction(ctx, it.txID)
		if charging.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if t.Status != charging.TxActive || t.StationID != it.stationID {
			return nil
		}
		return p.settle(p.publishSession(ctx, tx, rtx, loc, t), "transaction", fmt.Sprint(t.ID))
	})
}

// queueSessions queues the Sessions of ts, whose readings have committed, for republication:
// those of stations in a location (as deferSession, for a batch).
func (p *Publisher) queueSessions(ctx context.Context, db charging.Store, r *sessionRefresh, ts []charging.Transaction) error {
	var unknown []string
	for _, t := range ts {
		if _, ok := p.locs.owner(t.StationID); !ok {
			unknown = append(unknown, t.StationID)
		}
	}
	var keys map[string]string
	if len(unknown) > 0 {
		rs, err := p.roamingOf(db)
		if err != nil {
			return err
		}
		if keys, err = rs.LocationKeysOfStations(ctx, unknown); err != nil {
			return err
		}
	}
	for _, t := range ts {
		if _, ok := p.locs.owner(t.StationID); ok || keys[t.StationID] != "" {
			r.mark(t.ID, t.StationID)
		}
	}
	return nil
}

// deferSession queues the transaction's Session for republication once tx commits, when the
// refresh runs (StartSessionRefresh) and the station is in a location. deferred is false when
// the caller must publish in tx itself.
func (p *Publisher) deferSession(ctx context.Context, tx charging.Store, t charging.Transaction) (deferred bool, err error) {
	r := p.refresh.Load()
	if r == nil {
		return false, nil
	}
	rtx, err := p.roamingOf(tx)
	if err != nil {
		return false, err
	}
	ac, ok := rtx.(afterCommitter)
	if !ok {
		return false, nil
	}
	if _, ok := p.locs.owner(t.StationID); !ok {
		_, err := rtx.LocationKeyOfStation(ctx, t.StationID)
		if charging.IsNotFound(err) {
			return true, nil // in no location: nothing to publish
		}
		if err != nil {
			return false, err
		}
	}
	ac.AfterCommit(func() { r.mark(t.ID, t.StationID) })
	return true, nil
}

// afterCommitter is a store bound to a transaction that can run code once it commits.
type afterCommitter interface {
	AfterCommit(fn func())
}
