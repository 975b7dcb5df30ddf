package store

import (
	"context"

	"github.com/chargehub/hub/charging"
)

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
	c := db.samples
	c.mu.Lock() // not get: looking must not count as reading
	defer c.mu.Unlock()
	if e, ok := c.byTx[txID]; ok {
		return len(e.Value.(*keptSamples).samples)
	}
	return 0
}

// KeepSamplesFrom sets how many samples a transaction must have for the cache to keep them
// (sampleCacheMin), so that tests need not write dozens.
func (db *DB) KeepSamplesFrom(n int) { db.samples.least = n }

// IndexDefinitionsForTest returns the SQL of every index of table (SQLite's sqlite_master.sql,
// PostgreSQL's pg_indexes.indexdef), primary keys aside.
func (db *DB) IndexDefinitionsForTest(ctx context.Context, table string) ([]string, error) {
	var defs []string
	q := "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL"
	if db.dialect == DialectPostgres {
		q = "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ? AND indexname NOT LIKE '%_pkey'"
	}
	err := db.g.WithContext(ctx).Raw(q, table).Scan(&defs).Error
	return defs, err
}

// TransactionColumnsForTest returns the mutable columns of transactions that UpdateTransaction
// treats as indexed and as not indexed.
func TransactionColumnsForTest() (indexed, unindexed []string) {
	return transactionIndexed, transactionUnindexed
}

// UpdateTransactionUnindexedForTest runs only the first statement of UpdateTransaction and
// returns how many rows it changed: 1 when t's indexed columns match the stored ones.
func (db *DB) UpdateTransactionUnindexedForTest(ctx context.Context, t charging.Transaction) (int64, error) {
	_, split := db.transactionUpdateArgs(t)
	return db.exec(ctx, txUpdateUnindexedSQL, split...)
}
