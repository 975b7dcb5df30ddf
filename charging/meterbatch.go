package charging

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Meter batching: MeterValues are most of what a fleet sends (a station in a transaction sends
// one every few seconds), and each used to be a database transaction of its own: a read of its
// transaction, an insert of its samples, an update of the reading, and on SQLite a savepoint
// pair in the group commit; on PostgreSQL a BEGIN and a COMMIT round trip. Those that arrive
// while others are being stored are stored together: one read of all their transactions, then
// one atomic write of all their samples and readings (Store.AddMeterReadings: on PostgreSQL a
// single statement, on SQLite one callback of the group commit), then their Sessions are
// republished (see applyMeterValues). Nothing is answered before the write holding its samples
// has committed, so a MeterValues that got its answer is as durable as before. On PostgreSQL,
// 2.0.1 Updated events without a token are batched too (storeTxEvents), in one transaction,
// each applied as it would be alone.
//
// A few workers (meterWorkers per kind of message) store the batches. They start when messages
// arrive and end after a second with nothing to store. Callers do not store batches themselves:
// at first each led its own batch and handed the next to a caller it woke, and a trace of a
// PostgreSQL run showed the lead slots unused about 46 % of the time, while the woken caller
// waited for a core behind thousands of runnable connections (bench/README.md, "2026-11-28").
// Workers keep storing while anything waits.

// The kinds of batches, as Observer.Batch reports them.
const (
	BatchMeterValues = "meter_values"
	BatchTxEvents    = "tx_events" // 2.0.1 Updated events without a token
)

const (
	meterWorkers  = 4   // batches stored at the same time, per kind
	meterMaxBatch = 128 // messages in one batch at most
	meterIdle     = time.Second
)

// batchReq is one message waiting for its batch.
type batchReq[In, Out any] struct {
	ctx  context.Context
	in   In
	out  Out
	err  error
	done chan struct{} // closed once a batch has stored it (out and err are then set)
}

// meterReq is one MeterValues waiting for its batch.
type meterReq = batchReq[MeterValuesIn, struct{}]

// batcher queues messages of one kind for batches; store stores one batch, setting each
// request's out and err.
type batcher[In, Out any] struct {
	store func(ctx context.Context, batch []*batchReq[In, Out])
	idle  time.Duration // a worker with nothing to store for this long ends; 0: meterIdle
	more  chan struct{} // wakes workers waiting for work (buffered: meterWorkers)

	mu      sync.Mutex
	queue   []*batchReq[In, Out] // guarded by mu
	workers int                  // guarded by mu
	waiting int                  // guarded by mu: workers waiting for work
}

// meterBatcher batches MeterValues.
type meterBatcher = batcher[MeterValuesIn, struct{}]

// do stores in, in a batch with others, and returns once that batch has committed (or failed).
// Once queued, the request is stored whatever ctx does (as InTx's callbacks are): a worker only
// skips a request whose context is done before its batch begins.
func (b *batcher[In, Out]) do(ctx context.Context, in In) (Out, error) {
	r := &batchReq[In, Out]{ctx: ctx, in: in, done: make(chan struct{})}
	b.mu.Lock()
	if b.more == nil {
		b.more = make(chan struct{}, meterWorkers)
	}
	b.queue = append(b.queue, r)
	switch {
	case b.waiting > 0:
		select {
		case b.more <- struct{}{}:
		default: // wake-ups are pending already
		}
	case b.workers < meterWorkers:
		b.workers++
		go b.work()
	}
	b.mu.Unlock()
	<-r.done
	return r.out, r.err
}

// work stores batches while there are messages to store.
func (b *batcher[In, Out]) work() {
	idle := b.idle
	if idle <= 0 {
		idle = meterIdle
	}
	timer := time.NewTimer(idle)
	defer timer.Stop()
	for {
		b.mu.Lock()
		for len(b.queue) == 0 {
			b.waiting++
			b.mu.Unlock()
			timer.Reset(idle)
			timedOut := false
			select {
			case <-b.more:
			case <-timer.C:
				timedOut = true
			}
			b.mu.Lock()
			b.waiting--
			if timedOut && len(b.queue) == 0 {
				b.workers--
				b.mu.Unlock()
				return
			}
		}
		n := min(len(b.queue), meterMaxBatch)
		batch := slices.Clone(b.queue[:n])
		b.queue = slices.Delete(b.queue, 0, n)
		b.mu.Unlock()

		b.run(batch)
	}
}

// run stores one batch and answers its requests. A panic while storing (a bug) fails the
// batch's requests instead of the process: they were taken from their callers' goroutines,
// where the connection would have recovered it.
func (b *batcher[In, Out]) run(batch []*batchReq[In, Out]) {
	defer func() {
		if p := recover(); p != nil {
			err := fmt.Errorf("charging: storing a batch of %d: panic: %v", len(batch), p)
			for _, r := range batch {
				var zero Out
				r.out, r.err = zero, err
			}
		}
		for _, r := range batch {
			close(r.done)
		}
	}()
	b.store(context.WithoutCancel(batch[0].ctx), batch)
}

// storeMeterValues stores a batch of MeterValues (see storeBatch).
func (s *Service) storeMeterValues(ctx context.Context, batch []*meterReq) {
	now := s.clock.Now()
	storeBatch(ctx, s.obs, BatchMeterValues, batch, func(ctx context.Context, reqs []*meterReq) error {
		return s.applyMeterValues(ctx, reqs, now)
	})
}

// storeBatch stores the requests of batch whose context is not done with store, all or none.
// When that fails, it stores each of them again alone, so that one bad message fails alone.
// store sets the requests' out. obs hears of the batch as kind.
func storeBatch[In, Out any](ctx context.Context, obs Observer, kind string, batch []*batchReq[In, Out],
	store func(ctx context.Context, reqs []*batchReq[In, Out]) error) {
	live := batch[:0:0]
	for _, r := range batch {
		if r.err = r.ctx.Err(); r.err == nil {
			live = append(live, r)
		}
	}
	if len(live) == 0 {
		return
	}
	err := store(ctx, live)
	obs.Batch(kind, len(live), err != nil && len(live) > 1)
	if err == nil || len(live) == 1 {
		for _, r := range live {
			r.err = err
		}
		return
	}
	for _, r := range live {
		var zero Out
		r.out = zero
		r.err = store(r.ctx, []*batchReq[In, Out]{r})
	}
}

// applyMeterValues stores the samples of batch with the new readings of the transactions they
// belong to, then has those transactions' Sessions republished.
//
// The transactions are read before, outside the write: a station sends one message at a time,
// so nothing else moves their readings meanwhile, and a transaction stopped in between keeps
// its final reading (AddMeterReadings updates active ones only). That keeps the read out of
// SQLite's single writer, and on PostgreSQL leaves the write one statement, with no BEGIN and
// COMMIT around it. The Sessions follow the commit (Publisher.TransactionsMetered): a failure
// there is logged, not answered, since a station told of an error would send the stored samples
// again.
func (s *Service) applyMeterValues(ctx context.Context, batch []*meterReq, now time.Time) error {
	var ids []int64
	for _, r := range batch {
		if id := r.in.TransactionID; id != nil && validTxID(*id) {
			ids = append(ids, *id)
		}
	}
	txs := make(map[int64]*Transaction, len(ids))
	if len(ids) > 0 {
		got, err := s.store.GetTransactions(ctx, ids)
		if err != nil {
			return err
		}
		for i := range got {
			txs[got[i].ID] = &got[i]
		}
	}
	var all []MeterSample
	var changed []*Transaction // in order of first change, each once
	for _, r := range batch {
		in := r.in
		var tx *Transaction
		unresolved := false
		if in.TransactionID != nil {
			if t, ok := txs[*in.TransactionID]; ok && t.StationID == in.StationID {
				tx = t
			}
			if tx == nil {
				open, err := s.store.ActiveTransactions(ctx, in.StationID, in.EVSEID)
				if err != nil {
					return err
				}
				if len(open) > 0 {
					t := open[len(open)-1]
					if tx = txs[t.ID]; tx == nil {
						tx = &t
						txs[t.ID] = tx
					}
				}
				unresolved = true
			}
		}
		samples := make([]MeterSample, 0, len(in.Samples))
		for _, raw := range in.Samples {
			m := s.normalise(raw, in.StationID, in.EVSEID, in.ConnectorID, now)
			if tx != nil {
				m.TransactionID = &tx.ID
				if unresolved {
					m.Flags = append(m.Flags, FlagTxUnresolved)
				}
			}
			samples = append(samples, m)
		}
		all = append(all, samples...)
		if tx != nil && applyReading(tx, samples, unresolved, now) && !slices.Contains(changed, tx) {
			changed = append(changed, tx)
		}
	}
	// by id: concurrent batches lock the rows they update in one order
	slices.SortFunc(changed, func(a, b *Transaction) int { return cmp.Compare(a.ID, b.ID) })
	readings := make([]Transaction, len(changed))
	for i, tx := range changed {
		readings[i] = *tx
	}
	if err := s.store.AddMeterReadings(ctx, all, readings); err != nil {
		return err
	}
	if len(readings) > 0 {
		if err := s.pub.TransactionsMetered(ctx, s.store, readings); err != nil {
			s.log.Warn("sessions not republished after meter values; the next ones or the stop will",
				"transactions", len(readings), "err", err)
		}
	}
	return nil
}
