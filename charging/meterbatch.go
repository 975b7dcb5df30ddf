package charging

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"
)

// Meter batching: MeterValues are most of what a fleet sends (a station in a transaction sends
// one every few seconds), and each used to be a database transaction of its own: a read of its
// transaction, an insert of its samples, an update of the reading, and on SQLite a savepoint
// pair in the group commit; on PostgreSQL a BEGIN and a COMMIT round trip. Those that arrive
// while others are being stored now share one transaction: one read of all their transactions,
// one insert of all their samples (a few statements), one update per transaction whose reading
// changed. Nothing is answered before the transaction holding its samples has committed, so a
// MeterValues that got its answer is as durable as before.
//
// There is no goroutine of its own: the first callers (up to meterLeaders at a time) store a
// batch each, their own message first and then those queued behind them; a leader that is done
// hands the lead to the oldest message still queued, whose caller stores the next batch. So
// each caller stores at most one batch, and only one that holds its own message.

const (
	meterLeaders  = 4   // batches stored at the same time
	meterMaxBatch = 128 // MeterValues in one batch at most
)

// meterReq is one MeterValues waiting for its batch.
type meterReq struct {
	ctx context.Context
	in  MeterValuesIn
	err error
	// wake gets true when this request is to lead the next batch, false when a batch led by
	// another has stored it (err is then set).
	wake chan bool
}

// meterBatcher queues MeterValues for batches; store stores one batch, setting each request's
// err.
type meterBatcher struct {
	store func(ctx context.Context, batch []*meterReq)

	mu      sync.Mutex
	queue   []*meterReq // guarded by mu; not empty only while leaders == meterLeaders
	leaders int         // guarded by mu
}

// do stores in, in a batch with others, and returns once that batch has committed (or failed).
func (b *meterBatcher) do(ctx context.Context, in MeterValuesIn) error {
	r := &meterReq{ctx: ctx, in: in}
	b.mu.Lock()
	if b.leaders < meterLeaders {
		b.leaders++
		b.mu.Unlock()
		b.lead(r)
		return r.err
	}
	r.wake = make(chan bool, 1)
	b.queue = append(b.queue, r)
	b.mu.Unlock()
	// Once queued, the request is stored by some batch whatever ctx does (as InTx's callbacks
	// are): a leader only skips a request whose context is done before its batch begins.
	if <-r.wake {
		b.lead(r)
	}
	return r.err
}

// lead stores r and those queued behind it, then passes the lead on or gives it up.
func (b *meterBatcher) lead(r *meterReq) {
	b.mu.Lock()
	n := min(len(b.queue), meterMaxBatch-1)
	batch := make([]*meterReq, 0, n+1)
	batch = append(append(batch, r), b.queue[:n]...)
	b.queue = slices.Delete(b.queue, 0, n)
	b.mu.Unlock()

	b.store(context.WithoutCancel(r.ctx), batch)

	// The next leader is woken before the batch's callers: each of those writes its answer
	// when it runs, and a leader queued behind them all would leave the queue unserved as long.
	b.mu.Lock()
	if len(b.queue) == 0 {
		b.leaders--
		b.mu.Unlock()
	} else {
		next := b.queue[0]
		b.queue = slices.Delete(b.queue, 0, 1)
		b.mu.Unlock()
		next.wake <- true
	}
	for _, o := range batch[1:] {
		o.wake <- false
	}
}

// storeMeterValues stores a batch in one transaction. When that fails, each of the batch is
// stored again in a transaction of its own, so that one bad message fails alone.
func (s *Service) storeMeterValues(ctx context.Context, batch []*meterReq) {
	now := s.clock.Now()
	live := batch[:0:0]
	for _, r := range batch {
		if r.err = r.ctx.Err(); r.err == nil {
			live = append(live, r)
		}
	}
	if len(live) == 0 {
		return
	}
	err := s.store.InTx(ctx, func(st Store) error { return s.applyMeterValues(ctx, st, live, now) })
	if err == nil || len(live) == 1 {
		for _, r := range live {
			r.err = err
		}
		return
	}
	for _, r := range live {
		one := []*meterReq{r}
		r.err = s.store.InTx(r.ctx, func(st Store) error { return s.applyMeterValues(r.ctx, st, one, now) })
	}
}

// applyMeterValues stores the samples of batch in st, with the new readings of the
// transactions they belong to, and publishes those transactions.
func (s *Service) applyMeterValues(ctx context.Context, st Store, batch []*meterReq, now time.Time) error {
	var ids []int64
	for _, r := range batch {
		if id := r.in.TransactionID; id != nil && validTxID(*id) {
			ids = append(ids, *id)
		}
	}
	txs := make(map[int64]*Transaction, len(ids))
	if len(ids) > 0 {
		got, err := st.GetTransactions(ctx, ids)
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
				open, err := st.ActiveTransactions(ctx, in.StationID, in.EVSEID)
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
	if len(changed) == 1 { // a MeterValues alone: samples and reading in one statement where the database can
		if err := st.AddMeterSamplesUpdating(ctx, all, *changed[0]); err != nil {
			return err
		}
	} else {
		if err := st.AddMeterSamples(ctx, all); err != nil {
			return err
		}
		// by id: concurrent batches lock the rows they update in one order
		slices.SortFunc(changed, func(a, b *Transaction) int { return cmp.Compare(a.ID, b.ID) })
		for _, tx := range changed {
			if err := st.UpdateTransaction(ctx, *tx); err != nil {
				return err
			}
		}
	}
	for _, tx := range changed {
		if err := s.pub.TransactionMetered(ctx, st, *tx); err != nil {
			return err
		}
	}
	return nil
}
