package store

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// Hand-written statements for the OCPP hot path.
//
// GORM builds every statement from clauses and scans rows by reflection; on the messages a
// charger sends all day (meter values, status, transaction start and stop) that was about
// two thirds of the SQLite writer's time, more than SQLite spent running the statements. Those
// statements are written out here instead, with their column lists next to the row types,
// and run on the same connection or transaction as the GORM ones (db.g.Statement.ConnPool), so
// they mix freely inside one InTx. Everything else stays on GORM.

// sqlText is one statement written with ? placeholders, and its PostgreSQL form ($1, $2, ...).
type sqlText struct{ sqlite, pg string }

// newSQL prepares q for both dialects.
func newSQL(q string) sqlText { return sqlText{sqlite: q, pg: rebind(q)} }

// rebind numbers q's ? placeholders for PostgreSQL ($1, $2, ...), leaving quoted text alone.
func rebind(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 16)
	n, quoted := 0, false
	for i := 0; i < len(q); i++ {
		switch c := q[i]; {
		case c == '\'':
			quoted = !quoted
			b.WriteByte(c)
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// valuesSQL is insertSQL for both dialects.
func valuesSQL(table string, cols []string, rows int) sqlText {
	return newSQL(insertSQL(table, cols, rows))
}

// insertSQL is "INSERT INTO table (cols) VALUES (?, ...), ..." for rows rows of len(cols)
// columns each.
func insertSQL(table string, cols []string, rows int) string {
	var b strings.Builder
	one := "(" + strings.Repeat("?, ", len(cols)-1) + "?)"
	b.Grow(len(table) + 32 + rows*(len(one)+2))
	b.WriteString("INSERT INTO ")
	b.WriteString(table)
	b.WriteString(" (")
	b.WriteString(columns(cols))
	b.WriteString(") VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	return b.String()
}

// stmtObserver logs failed and slow hand-written statements and counts failures, as
// gormLogger and errorCounter do for GORM's.
type stmtObserver struct {
	log   *slog.Logger
	slow  time.Duration // 0: never
	onErr func()        // nil: not counted
}

// done records one hand-written statement that started at start and ended with err, having
// changed rows rows (-1: unknown).
func (o *stmtObserver) done(ctx context.Context, start time.Time, q string, rows int64, err error) {
	if o.onErr != nil && isFailure(err) {
		o.onErr()
	}
	o.report(ctx, time.Since(start), err, func() (string, int64) { return q, rows })
}

// report logs a failed statement at Error and a slow one at Warn, with its SQL (what is asked
// only then: GORM builds it) but no parameter values; nothing else. It does not count.
func (o *stmtObserver) report(ctx context.Context, elapsed time.Duration, err error, what func() (sql string, rows int64)) {
	switch {
	case isFailure(err):
		q, rows := what()
		o.log.ErrorContext(ctx, "database statement failed", "err", err, "sql", clip(q), "rows", rows, "elapsed", elapsed)
	case o.slow > 0 && elapsed > o.slow:
		q, rows := what()
		o.log.WarnContext(ctx, "slow database statement", "sql", clip(q), "rows", rows, "elapsed", elapsed)
	}
}

// text is s in db's dialect.
func (db *DB) text(s sqlText) string {
	if db.dialect == DialectPostgres {
		return s.pg
	}
	return s.sqlite
}

// exec runs a statement on db's connection (its transaction, inside one) and returns the
// number of rows it changed.
func (db *DB) exec(ctx context.Context, s sqlText, args ...any) (int64, error) {
	q, start := db.text(s), time.Now()
	res, err := db.g.Statement.ConnPool.ExecContext(ctx, q, args...)
	var n int64
	if err == nil {
		n, err = res.RowsAffected()
	}
	db.obs.done(ctx, start, q, n, err)
	return n, err
}

// queryRow runs a query and scans its first row into dest; sql.ErrNoRows when it has none.
func (db *DB) queryRow(ctx context.Context, s sqlText, dest []any, args ...any) error {
	q, start := db.text(s), time.Now()
	err := db.g.Statement.ConnPool.QueryRowContext(ctx, q, args...).Scan(dest...)
	db.obs.done(ctx, start, q, -1, err)
	return err
}

// query runs a query and calls scan for each row, with the rows positioned on it.
func (db *DB) query(ctx context.Context, s sqlText, scan func(*sql.Rows) error, args ...any) error {
	q, start := db.text(s), time.Now()
	err := func() error {
		rows, err := db.g.Statement.ConnPool.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}()
	db.obs.done(ctx, start, q, -1, err)
	return err
}

// collect runs a query and returns one value per row: each row is scanned into dest (pointers
// into a row struct; a NULL sets a pointer field to nil, so the struct needs no reset) and
// converted by next.
func collect[T any](ctx context.Context, db *DB, s sqlText, dest []any, next func() T, args ...any) ([]T, error) {
	out := make([]T, 0, 2)
	err := db.query(ctx, s, func(rows *sql.Rows) error {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		out = append(out, next())
		return nil
	}, args...)
	return out, err
}

// updateOrInsert saves a row that is updated far more often than created, in one statement in
// the common case: update, and when it changed no row, insert (an INSERT ... ON CONFLICT DO
// NOTHING, which never aborts a PostgreSQL transaction); when a concurrent save inserted the row
// in between, update again. created reports the insert.
func updateOrInsert(update, insert func() (bool, error)) (created bool, err error) {
	for range 2 {
		if ok, err := update(); err != nil || ok {
			return false, err
		}
		if ok, err := insert(); err != nil || ok {
			return ok, err
		}
	}
	return false, errors.New("store: the row was neither updated nor inserted")
}

// columns joins column names for a SELECT or INSERT list.
func columns(cols []string) string { return strings.Join(cols, ", ") }

// assignments is "a = ?, b = ?" for an UPDATE's SET.
func assignments(cols []string) string { return strings.Join(cols, " = ?, ") + " = ?" }

// excludedAssignments is "a = excluded.a, b = excluded.b" for an upsert's DO UPDATE SET.
func excludedAssignments(cols []string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c + " = excluded." + c
	}
	return strings.Join(parts, ", ")
}
