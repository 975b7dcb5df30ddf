package store

import "context"

// ExecForTest runs a statement (GORM's ? placeholders) for tests that need rows the API cannot
// write.
func (db *DB) ExecForTest(ctx context.Context, q string, args ...any) error {
	return db.g.WithContext(ctx).Exec(q, args...).Error
}

// KeptSamples is how many samples of the transaction the sample cache keeps (-1: no cache).
func (db *DB) KeptSamples(txID int64) int {
	if db.samples == nil {
		return -1
	}
	s, _ := db.samples.get(txID)
	return len(s)
}

// KeepSamplesFrom sets how many samples a transaction must have for the cache to keep them
// (sampleCacheMin), so that tests need not write dozens.
func (db *DB) KeepSamplesFrom(n int) { db.samples.least = n }
