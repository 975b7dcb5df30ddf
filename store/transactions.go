package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/chargehub/hub/charging"
)

// insertBatch is the row count of one batched INSERT (meter samples: 16 parameters a row,
// well under SQLite's 32766 and PostgreSQL's 65535 parameter limits).
const insertBatch = 500

// activeTx is the literal predicate of the partial index transactions_active_idx; it is
// spelled out (not bound) so both query planners can use that index.
const activeTx = "status = '" + string(charging.TxActive) + "'"

// The transactions statements of the hot path (see raw.go).
var (
	txSelect = "SELECT " + columns(transactionCols) + " FROM transactions WHERE "
	txGetSQL = newSQL(txSelect + "id = ?")
	// txGetWithLocationSQL also reads the key of the station's location (see locationmemo.go).
	txGetWithLocationSQL = newSQL("SELECT " + columns(transactionCols) + ", " + locationKeyColumn("transactions") +
		" FROM transactions WHERE id = ?")
	txByStartKey = newSQL(txSelect + "station_id = ? AND start_key = ? AND start_key <> ''") // the partial unique index's predicate, spelled out so it is used
	// The active lists are sorted by id in Go: on SQLite, "ORDER BY id" made the statement with
	// evse_id three times slower (19.9 against 6.8 µs; the plan is the same covering index).
	txActiveSQL    = newSQL(txSelect + "station_id = ? AND " + activeTx)
	txActiveEVSE   = newSQL(txSelect + "station_id = ? AND " + activeTx + " AND evse_id = ?")
	txActiveTagSQL = newSQL(txSelect + "id_tag = ? AND " + activeTx)
	txUpdateSQL    = newSQL("UPDATE transactions SET " + assignments(transactionMutable) + " WHERE id = ?")
	// txUpdateUnindexedSQL stores the columns no index covers, and only when the indexed ones
	// are as t has them (see UpdateTransaction).
	txUpdateUnindexedSQL = newSQL("UPDATE transactions SET " + assignments(transactionUnindexed) +
		" WHERE id = ? AND " + strings.ReplaceAll(assignments(transactionIndexed), ", ", " AND "))
	txInsertSQL = newSQL(insertSQL("transactions", transactionCols[1:], 1) + " ON CONFLICT DO NOTHING RETURNING id")
)

// CreateTransaction inserts t and sets t.ID (ids start at 1 and are never reused), t.UpdatedAt
// and t's times as stored. CodeConflict when (station, start key) or (station, station tx id)
// already exists; CodeNotFound when the station does not exist. A conflict is not a database
// error, so it does not abort an enclosing PostgreSQL transaction.
func (db *DB) CreateTransaction(ctx context.Context, t *charging.Transaction) error {
	r := toTransactionRow(t)
	r.ID = 0
	r.UpdatedAt = db.now()
	err := db.queryRow(ctx, txInsertSQL, []any{&r.ID}, append([]any{r.StationID}, r.mutableArgs()...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return conflict("create transaction of %q (start key %q, station tx id %q)", t.StationID, t.StartKey, t.StationTxID)
	}
	if err != nil {
		return translate(err, "create transaction of %q", t.StationID)
	}
	*t = r.domain()
	return nil
}

// UpdateTransaction stores every field of t but ID and StationID (matched by t.ID); UpdatedAt
// becomes now. CodeNotFound when absent, CodeConflict when a changed key collides.
//
// Most updates (a new meter reading, a 2.0.1 Updated event) leave the indexed columns as they
// are, but an UPDATE that assigns a column rewrites every index that covers it, even with the
// same value: SQLite deleted and re-inserted five index entries at every MeterValues. So the
// columns no index covers are stored first, on the condition that the indexed ones already hold
// t's values; only when that matches no row does the full UPDATE run. (Which columns count as
// indexed decides the cost only: a column on neither list would be lost, and
// TestUpdateTransactionStoresEveryChange changes each in turn.)
func (db *DB) UpdateTransaction(ctx context.Context, t charging.Transaction) error {
	args, split := db.transactionUpdateArgs(t)
	n, err := db.exec(ctx, txUpdateUnindexedSQL, split...)
	if err != nil {
		return translate(err, "update transaction %d", t.ID)
	}
	if n == 1 {
		return nil
	}
	n, err = db.exec(ctx, txUpdateSQL, append(args, t.ID)...)
	if err != nil {
		return translate(err, "update transaction %d", t.ID)
	}
	if n == 0 {
		return notFound("update transaction %d", t.ID)
	}
	return nil
}

// transactionUpdateArgs stamps t as updated now and returns the arguments of txUpdateSQL
// (mutable, without the id) and of txUpdateUnindexedSQL (split).
func (db *DB) transactionUpdateArgs(t charging.Transaction) (mutable, split []any) {
	r := toTransactionRow(&t)
	r.UpdatedAt = db.now()
	mutable = r.mutableArgs()
	return mutable, transactionSplitArgs(mutable, t.ID)
}

// UpdateTransactionReadings stores the last meter reading and the flags of each of txs (whose
// ids are distinct), where the transaction is still active; UpdatedAt becomes now. On
// PostgreSQL it is AddMeterReadings without samples (one statement for any count), on SQLite
// one statement per chunk of rowChunk's sizes.
func (db *DB) UpdateTransactionReadings(ctx context.Context, txs []charging.Transaction) error {
	if db.dialect == DialectPostgres {
		return db.AddMeterReadings(ctx, nil, txs)
	}
	now := db.now()
	err := db.inChunks(ctx, len(txs), func(d *DB, from, to int) error {
		args := make([]any, 0, 4*(to-from))
		for i := range txs[from:to] {
			r := toTransactionRow(&txs[from+i])
			args = append(args, r.ID, r.LastMeterWh, r.Flags, now)
		}
		_, err := d.exec(ctx, txReadingsSQL[to-from], args...)
		return err
	})
	return translate(err, "update the readings of %d transactions", len(txs))
}

// txReadingsSQL[n] is UpdateTransactionReadings' SQLite statement for n transactions.
var txReadingsSQL = byChunk(func(n int) sqlText {
	return sqlText{sqlite: "WITH v(id, w, f, u) AS (VALUES (?, ?, ?, ?)" + strings.Repeat(", (?, ?, ?, ?)", n-1) + ")" +
		" UPDATE transactions SET last_meter_wh = v.w, flags = v.f, updated_at = v.u FROM v" +
		" WHERE transactions.id = v.id AND transactions." + activeTx}
})

// GetTransaction returns the transaction; CodeNotFound when absent.
func (db *DB) GetTransaction(ctx context.Context, id int64) (charging.Transaction, error) {
	var r transactionRow
	var loc sql.NullString
	q, dest := txGetSQL, r.fields()
	if db.memo != nil { // in a transaction: the location key too (see locationmemo.go)
		q, dest = txGetWithLocationSQL, append(dest, &loc)
	}
	if err := db.queryRow(ctx, q, dest, id); err != nil {
		return charging.Transaction{}, translate(err, "get transaction %d", id)
	}
	db.keepLocationKey(r.StationID, loc)
	return r.domain(), nil
}

// getTransactionsSQL[n] reads the transactions of n ids; getTransactionsLocSQL[n] also the
// location key, which GetTransaction reads too in a transaction.
var (
	getTransactionsSQL = byChunk(func(n int) sqlText {
		return newSQL("SELECT " + columns(transactionCols) + " FROM transactions WHERE id IN (" + placeholders(n) + ")")
	})
	getTransactionsLocSQL = byChunk(func(n int) sqlText {
		return newSQL("SELECT " + columns(transactionCols) + ", " + locationKeyColumn("transactions") +
			" FROM transactions WHERE id IN (" + placeholders(n) + ")")
	})
)

// GetTransactions returns the transactions of ids that exist, by ascending id (ids may repeat).
func (db *DB) GetTransactions(ctx context.Context, ids []int64) ([]charging.Transaction, error) {
	out := make([]charging.Transaction, 0, len(ids))
	var r transactionRow
	var loc sql.NullString
	dest, stmts := r.fields(), &getTransactionsSQL
	if db.memo != nil { // in a transaction: the location key too (see locationmemo.go)
		dest, stmts = append(dest, &loc), &getTransactionsLocSQL
	}
	err := forChunks(len(ids), func(from, to int) error {
		args := make([]any, 0, to-from)
		for _, id := range ids[from:to] {
			args = append(args, id)
		}
		return db.query(ctx, stmts[to-from], func(rows *sql.Rows) error {
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			db.keepLocationKey(r.StationID, loc)
			out = append(out, r.domain())
			return nil
		}, args...)
	})
	if err != nil {
		return nil, translate(err, "get %d transactions", len(ids))
	}
	slices.SortFunc(out, func(a, b charging.Transaction) int { return cmp.Compare(a.ID, b.ID) })
	return slices.CompactFunc(out, func(a, b charging.Transaction) bool { return a.ID == b.ID }), nil
}

// FindTransactionByStartKey returns CodeNotFound when no transaction of the station has key.
func (db *DB) FindTransactionByStartKey(ctx context.Context, stationID, key string) (charging.Transaction, error) {
	if key == "" {
		return charging.Transaction{}, notFound("transaction of %q with empty start key", stationID)
	}
	var r transactionRow
	if err := db.queryRow(ctx, txByStartKey, r.fields(), stationID, key); err != nil {
		return charging.Transaction{}, translate(err, "transaction of %q with start key %q", stationID, key)
	}
	return r.domain(), nil
}

// ActiveTransactions lists the station's active transactions, oldest first. connectorID
// selects on the EVSE id (a 1.6 connector N is EVSE N); connectorID < 0 means all.
func (db *DB) ActiveTransactions(ctx context.Context, stationID string, connectorID int) ([]charging.Transaction, error) {
	if connectorID >= 0 {
		return db.transactions(ctx, txActiveEVSE, "active transactions of %q", stationID, connectorID)
	}
	return db.transactions(ctx, txActiveSQL, "active transactions of %q", stationID)
}

// ActiveTransactionsForTag lists active transactions started with idTag on any station, oldest first.
func (db *DB) ActiveTransactionsForTag(ctx context.Context, idTag string) ([]charging.Transaction, error) {
	return db.transactions(ctx, txActiveTagSQL, "active transactions of tag %q", idTag)
}

// ListTransactions returns one page of transactions by ascending id and the number matching f.
func (db *DB) ListTransactions(ctx context.Context, f charging.TransactionFilter) ([]charging.Transaction, int, error) {
	base := func() *gorm.DB {
		q := db.q(ctx).Model(&transactionRow{})
		if f.StationID != "" {
			q = q.Where("station_id = ?", f.StationID)
		}
		if f.IDTag != "" {
			q = q.Where("id_tag = ?", f.IDTag)
		}
		if f.Status != "" {
			q = q.Where("status = ?", string(f.Status))
		}
		if f.From != nil {
			q = q.Where("started_at >= ?", dbTime(*f.From))
		}
		if f.To != nil {
			q = q.Where("started_at < ?", dbTime(*f.To))
		}
		return q
	}
	out, err := db.findTransactions(page(base(), f.Offset, f.Limit), "list transactions")
	if err != nil {
		return nil, 0, err
	}
	n, err := total(f.Offset, f.Limit, len(out), func() (c int64, err error) {
		return c, base().Count(&c).Error
	})
	if err != nil {
		return nil, 0, translate(err, "count transactions")
	}
	return out, n, nil
}

// findTransactions runs q ordered by id.
func (db *DB) findTransactions(q *gorm.DB, op string, args ...any) ([]charging.Transaction, error) {
	var rows []transactionRow
	if err := q.Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, op, args...)
	}
	out := make([]charging.Transaction, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// transactions runs a query of transactions and sorts them by id; the first of args names the
// subject in errors.
func (db *DB) transactions(ctx context.Context, s sqlText, op string, args ...any) ([]charging.Transaction, error) {
	var r transactionRow
	out, err := collect(ctx, db, s, r.fields(), func() charging.Transaction { return r.domain() }, args...)
	if err != nil {
		return nil, translate(err, op, args[0])
	}
	slices.SortFunc(out, func(a, b charging.Transaction) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// AddMeterSamples inserts the samples in batched INSERTs, all or none. Their IDs are not
// reported back.
func (db *DB) AddMeterSamples(ctx context.Context, samples []charging.MeterSample) error {
	if len(samples) == 0 {
		return nil
	}
	args, k := meterSamplesArgs(samples), len(meterSampleCols)
	err := db.inChunks(ctx, len(samples), func(d *DB, from, to int) error {
		_, err := d.exec(ctx, meterSamplesInsertSQL[to-from], args[from*k:to*k]...)
		return err
	})
	return translate(err, "add %d meter samples", len(samples))
}

// forChunks calls each for consecutive chunks [from, to) of n rows, sized by rowChunk.
func forChunks(n int, each func(from, to int) error) error {
	for from := 0; from < n; {
		to := from + rowChunk(n-from)
		if err := each(from, to); err != nil {
			return err
		}
		from = to
	}
	return nil
}

// inChunks is forChunks for writes, all or none: in a transaction when there are several.
func (db *DB) inChunks(ctx context.Context, n int, each func(d *DB, from, to int) error) error {
	run := func(d *DB) error { return forChunks(n, func(from, to int) error { return each(d, from, to) }) }
	if rowChunk(n) == n {
		return run(db)
	}
	return db.atomicDB(ctx, run)
}

// rowChunk is how many of n rows the next statement takes: all of up to 16 (a MeterValues'
// samples), else 64, 32 or 16 (a batch's), so that a few prepared statements (e.g.
// meterSamplesInsertSQL) serve every count.
func rowChunk(n int) int {
	if n <= 16 {
		return n
	}
	c := 64
	for c > n {
		c /= 2
	}
	return c
}

// byChunk builds a statement for each row count rowChunk returns (index: the count; the
// others stay empty).
func byChunk(build func(n int) sqlText) (out [65]sqlText) {
	for n := 1; n <= 64; n++ {
		if rowChunk(n) == n {
			out[n] = build(n)
		}
	}
	return out
}

// placeholders is n comma-separated placeholders, for an IN list.
func placeholders(n int) string { return strings.Repeat("?, ", n-1) + "?" }

// meterSamplesInsertSQL[n] inserts n meter samples.
var meterSamplesInsertSQL = byChunk(func(n int) sqlText { return valuesSQL("meter_samples", meterSampleCols, n) })

// meterSamplesArgs returns the samples' meterSampleCols values, row after row.
func meterSamplesArgs(samples []charging.MeterSample) []any {
	args := make([]any, 0, len(samples)*len(meterSampleCols))
	for i := range samples {
		args = meterSampleArgs(args, &samples[i])
	}
	return args
}

// ListMeterSamples lists the transaction's samples by timestamp (then id). The samples of a
// transaction read before come from memory, with only those added since read from the database
// (see sampleCache).
func (db *DB) ListMeterSamples(ctx context.Context, transactionID int64) ([]charging.MeterSample, error) {
	var out []charging.MeterSample
	var err error
	if db.samples == nil {
		out, err = db.readMeterSamples(ctx, transactionID)
	} else {
		out, err = db.samples.list(ctx, db, transactionID)
	}
	if err != nil {
		return nil, translate(err, "list meter samples of transaction %d", transactionID)
	}
	return out, nil
}

// readMeterSamples reads all the transaction's samples from the database.
func (db *DB) readMeterSamples(ctx context.Context, transactionID int64) ([]charging.MeterSample, error) {
	var r meterSampleRow
	return collect(ctx, db, meterSamplesOfTxSQL, r.fields(), func() charging.MeterSample { return r.domain() }, transactionID)
}

// The statements that read a transaction's samples (at every MeterValues of a transaction in an
// OCPI location and every StopTransaction, see raw.go).
var (
	meterSampleList     = "SELECT id, " + columns(meterSampleCols) // the columns of meterSampleRow.fields
	meterSamplesCountOf = "SELECT count(*) FROM meter_samples WHERE transaction_id = ?"
	meterSamplesOfTxSQL = newSQL(meterSampleList + " FROM meter_samples WHERE transaction_id = ? ORDER BY timestamp, id")
	meterSamplesCount   = newSQL(meterSamplesCountOf)
	// the newer samples, each with the count of all (evaluated once: it does not depend on the row)
	meterSamplesSince = newSQL(meterSampleList + ", (" + meterSamplesCountOf + ") FROM meter_samples" +
		" WHERE transaction_id = ? AND id > ? ORDER BY timestamp, id")
)

// insertRows inserts rows of cols (args holds their values, row after row) with one INSERT per
// insertBatch rows, inside a transaction when it takes more than one statement.
func (db *DB) insertRows(ctx context.Context, table string, cols []string, args []any) error {
	n := len(args) / len(cols)
	insert := func(d *DB) error {
		for from := 0; from < n; from += insertBatch {
			to := min(from+insertBatch, n)
			if _, err := d.exec(ctx, valuesSQL(table, cols, to-from), args[from*len(cols):to*len(cols)]...); err != nil {
				return err
			}
		}
		return nil
	}
	if n <= insertBatch {
		return insert(db)
	}
	return db.atomicDB(ctx, insert)
}
