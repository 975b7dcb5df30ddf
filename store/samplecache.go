package store

import (
	"cmp"
	"container/list"
	"context"
	"slices"
	"sync"

	"github.com/chargehub/hub/charging"
)

// sampleCache keeps the meter samples of the transactions whose samples were read lately (of
// sampleCacheMin samples or more), as committed, so that reading them again (the OCPI publisher
// rebuilds a transaction's Session from all its samples at every MeterValues) reads from the
// database only the samples added since: a message late in a long session would otherwise read
// thousands of rows.
//
// Samples are only ever inserted (never updated or deleted), and a kept list is used only once
// the database's count of the transaction's samples confirms it plus the newer ones are all of
// them: samples another node or a concurrent transaction committed with lower ids than those
// seen (PostgreSQL hands out ids before commit) are noticed, and the list is read whole again. A
// list read inside a transaction is kept only once that transaction has committed.
//
// Over the bound, the lists read least recently go first: those of finished transactions, which
// nobody reads again, before those of sessions still metering.
type sampleCache struct {
	limit int // samples kept at most, over all transactions
	least int // samples a transaction must have to be kept (sampleCacheMin)

	mu    sync.Mutex
	byTx  map[int64]*list.Element // guarded by mu; values are *keptSamples
	lru   *list.List              // guarded by mu; front: read most recently
	total int                     // guarded by mu; samples kept
}

// keptSamples is one transaction's list in a sampleCache.
type keptSamples struct {
	txID    int64
	samples []charging.MeterSample // by timestamp, then id; shared, read only
}

// sampleCacheMin is the fewest samples of a transaction worth keeping: a shorter list is read
// whole about as cheaply as its count and newer rows (on PostgreSQL, sessions of 60 MeterValues
// cost a few per cent more CPU kept than read whole; on SQLite, keeping lists from 8 or 16
// samples saved no clear CPU with sessions of 60 samples and held 60 MiB more: bench/README.md,
// "Early morning session"), and keeping it grows the heap the GC scans.
const sampleCacheMin = 64

// sampleCacheDefault is Options.SampleCache's default bound.
const sampleCacheDefault = 1 << 16

func newSampleCache(limit int) *sampleCache {
	return &sampleCache{limit: limit, least: sampleCacheMin, byTx: make(map[int64]*list.Element), lru: list.New()}
}

// list returns the transaction's samples by timestamp, then id, read through db; the caller
// owns the slice (the samples' pointer fields are shared: do not modify what they point at).
func (c *sampleCache) list(ctx context.Context, db *DB, txID int64) ([]charging.MeterSample, error) {
	if kept, ok := c.get(txID); ok {
		newer, n, err := readSamplesSince(ctx, db, txID, maxSampleID(kept))
		if err != nil {
			return nil, err
		}
		if len(kept)+len(newer) == n {
			all := mergeSamples(kept, newer)
			c.putAfterCommit(db, txID, all)
			return slices.Clone(all), nil
		}
	}
	all, err := db.readMeterSamples(ctx, txID)
	if err != nil {
		return nil, err
	}
	c.putAfterCommit(db, txID, all)
	return slices.Clone(all), nil
}

// readSamplesSince reads the transaction's samples with ids above after, and how many samples
// the transaction has in all: one statement when there are newer samples (each row carries the
// count), a count of its own when there are none.
func readSamplesSince(ctx context.Context, db *DB, txID, after int64) ([]charging.MeterSample, int, error) {
	var r meterSampleRow
	n := 0
	dest := append(r.fields(), &n)
	newer, err := collect(ctx, db, meterSamplesSince, dest, func() charging.MeterSample { return r.domain() }, txID, txID, after)
	if err != nil || len(newer) > 0 {
		return newer, n, err
	}
	err = db.queryRow(ctx, meterSamplesCount, []any{&n}, txID)
	return nil, n, err
}

// get returns the transaction's kept list and marks it read.
func (c *sampleCache) get(txID int64) ([]charging.MeterSample, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byTx[txID]
	if !ok {
		return nil, false
	}
	c.lru.MoveToFront(e)
	return e.Value.(*keptSamples).samples, true
}

// putAfterCommit keeps samples, once the transaction db is bound to has committed (at once
// outside one), unless a longer list of the transaction is kept already.
func (c *sampleCache) putAfterCommit(db *DB, txID int64, samples []charging.MeterSample) {
	if len(samples) < c.least || len(samples) > c.limit {
		return
	}
	db.AfterCommit(func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if e, ok := c.byTx[txID]; ok {
			k := e.Value.(*keptSamples)
			c.lru.MoveToFront(e)
			if len(k.samples) > len(samples) {
				return // a later read came first
			}
			c.total += len(samples) - len(k.samples)
			k.samples = samples
		} else {
			c.byTx[txID] = c.lru.PushFront(&keptSamples{txID: txID, samples: samples})
			c.total += len(samples)
		}
		for c.total > c.limit { // over the bound: drop the least recently read (never this one: len <= limit)
			k := c.lru.Remove(c.lru.Back()).(*keptSamples)
			delete(c.byTx, k.txID)
			c.total -= len(k.samples)
		}
	})
}

// maxSampleID is the highest id among samples.
func maxSampleID(samples []charging.MeterSample) int64 {
	var m int64
	for i := range samples {
		m = max(m, samples[i].ID)
	}
	return m
}

// mergeSamples merges two lists ordered by timestamp, then id, into a new one.
func mergeSamples(a, b []charging.MeterSample) []charging.MeterSample {
	out := make([]charging.MeterSample, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if compareSamples(a[0], b[0]) <= 0 {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}

// compareSamples orders samples as meterSamplesOfTxSQL does: by timestamp, then id.
func compareSamples(a, b charging.MeterSample) int {
	if c := a.Timestamp.Compare(b.Timestamp); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}
