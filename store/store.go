// Package store is the GORM implementation of the domain's store interfaces, on embedded SQLite or PostgreSQL.
//
// Open a database with Open, bring its schema up to date with Migrate (goose, SQL files from
// the migrations package; there is no AutoMigrate), then use the *DB as a charging.Store.
//
// Times: every time is written as UTC truncated to the millisecond, on both dialects, and read
// back in UTC. On SQLite, times live in DATETIME columns as text "YYYY-MM-DD HH:MM:SS.SSS"
// (the driver's _timefmt), which sorts and compares chronologically.
//
// Housekeeping columns: CreatedAt (when zero) and UpdatedAt are set by the store from
// Options.Clock, so callers need not (and cannot) set UpdatedAt themselves.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/ncruces/go-sqlite3/gormlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"github.com/chargehub/hub/charging"
)

// Dialect names returned by (*DB).Dialect.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// sqliteTimeFormat is the driver's sqlite3.TimeFormat4: the driver converts bound times to UTC
// before formatting and parses it (with or without fraction or zone) when reading DATETIME
// columns. It is also the format of SQLite's own datetime() output, which goose uses.
const sqliteTimeFormat = "2006-01-02 15:04:05.000"

// Options configure Open. The zero value is usable.
type Options struct {
	// Logger receives slow queries (Warn) and failed queries (Error); nil means slog.Default().
	Logger *slog.Logger
	// OnDBError, when set, is called once per failed database statement. Not found rows,
	// unique-key conflicts and cancelled contexts are outcomes, not failures, and are not counted.
	OnDBError func()
	// SlowQuery is the threshold above which a statement is logged; 0 means 200ms, < 0 never.
	SlowQuery time.Duration
	// Clock stamps CreatedAt/UpdatedAt; nil means charging.SystemClock.
	Clock charging.Clock
	// MaxOpenConns caps the connection pool; 0 means 8 on SQLite and 16 on PostgreSQL. On
	// SQLite one more connection is kept for the group commit and one for the checkpointer.
	MaxOpenConns int
	// NoGroupCommit runs every SQLite InTx in a transaction of its own, as on PostgreSQL,
	// instead of sharing transactions between concurrent callers (see committer).
	NoGroupCommit bool
	// OnGroupCommit, when set, observes every group commit: the InTx calls it held and the time
	// from BEGIN to COMMIT.
	OnGroupCommit func(n int, d time.Duration)
	// SampleCache bounds the meter samples kept in memory for transactions whose samples were
	// read (see sampleCache); 0 means 65,536 (at most about 60 MiB: a kept sample costs about 1 KiB
	// of heap), < 0 keeps none.
	SampleCache int
	// CheckpointEvery is how often a SQLite database's WAL is copied into the database file in
	// the background (see checkpointer); 0 means 200 ms, < 0 leaves checkpoints to the committing
	// connections (SQLite's own way, past walAutoCheckpointPages).
	CheckpointEvery time.Duration
	// OnCheckpoint, when set, observes every background checkpoint that ran: the WAL's size in
	// frames (pages), how many of them were in the database file after it, and its duration.
	OnCheckpoint func(walFrames, copied int, d time.Duration)
}

// DB is a database handle implementing charging.Store. It is safe for concurrent use.
// A DB handed to an InTx callback is bound to that transaction.
type DB struct {
	g       *gorm.DB
	sqlDB   *sql.DB
	dialect string
	clock   charging.Clock
	node    string        // the node id written with outbox leases (SetNodeID)
	gc      *committer    // SQLite group commit; nil on PostgreSQL and with NoGroupCommit
	ckpt    *checkpointer // SQLite background checkpoints; nil on PostgreSQL and when off
	obs     *stmtObserver // logs and counts the hand-written statements (raw.go)
	samples *sampleCache  // nil: none kept
	inTx    bool
	// afterCommit collects the callbacks of AfterCommit for the outermost transaction (shared by
	// every copy bound to it); nil outside a transaction.
	afterCommit *[]func()
	// memo holds the values of TxValue for the transaction (shared by every copy bound to it);
	// nil outside a transaction.
	memo *txMemo
}

var _ charging.Store = (*DB)(nil)

// Open connects to the database named by url and pings it:
//
//	sqlite:PATH, sqlite://PATH, file:PATH[?query]   embedded SQLite file (created if missing)
//	postgres://... or postgresql://...               PostgreSQL (pgx); runtime parameters such
//	                                                  as search_path may be given in the query
//
// It does not migrate; call Migrate.
func Open(ctx context.Context, url string, opts Options) (*DB, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Clock == nil {
		opts.Clock = charging.SystemClock{}
	}
	if opts.SlowQuery == 0 {
		opts.SlowQuery = 200 * time.Millisecond
	}

	var (
		dialector gorm.Dialector
		dialect   string
		maxConns  = opts.MaxOpenConns
	)
	switch scheme, _, _ := strings.Cut(url, ":"); strings.ToLower(scheme) {
	case "sqlite", "file":
		dsn, err := sqliteDSN(url)
		if err != nil {
			return nil, err
		}
		sqlDB, err := openSQLite(dsn)
		if err != nil {
			return nil, err
		}
		dialector, dialect = gormlite.OpenDB(sqlDB), DialectSQLite
		if maxConns <= 0 {
			maxConns = 8
		}
		if !opts.NoGroupCommit {
			maxConns++
		}
		if opts.CheckpointEvery >= 0 {
			maxConns++
		}
	case "postgres", "postgresql":
		dialector = postgres.New(postgres.Config{DSN: url, PreferSimpleProtocol: false})
		dialect = DialectPostgres
		if maxConns <= 0 {
			maxConns = 16
		}
	default:
		return nil, fmt.Errorf("store: unsupported database URL scheme %q (want sqlite:PATH, file:PATH or postgres://...)", scheme)
	}

	clock := opts.Clock
	obs := &stmtObserver{log: opts.Logger, slow: max(opts.SlowQuery, 0), onErr: opts.OnDBError}
	g, err := gorm.Open(dialector, &gorm.Config{
		SkipDefaultTransaction: true, // every write is one statement; multi-statement writes use a tx
		// No GORM PrepareStmt: inside a transaction it prepares on the pool first, which needs a
		// second connection, so a pool full of transactions deadlocks (seen under load). pgx
		// caches prepared statements per connection by itself.
		DisableAutomaticPing: true,
		Logger:               &gormLogger{obs: obs, log: opts.Logger},
		NowFunc:              func() time.Time { return dbTime(clock.Now()) },
	})
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", dialect, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", dialect, err)
	}
	sqlDB.SetMaxOpenConns(maxConns)
	sqlDB.SetMaxIdleConns(maxConns)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	if dialect == DialectPostgres {
		sqlDB.SetConnMaxLifetime(30 * time.Minute)
	}
	if opts.OnDBError != nil {
		if err := g.Use(&errorCounter{hook: opts.OnDBError}); err != nil {
			_ = sqlDB.Close()
			return nil, fmt.Errorf("store: register error counter: %w", err)
		}
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("store: connect %s: %w", dialect, err)
	}
	db := &DB{g: g, sqlDB: sqlDB, dialect: dialect, clock: clock, obs: obs}
	switch {
	case opts.SampleCache == 0:
		db.samples = newSampleCache(sampleCacheDefault)
	case opts.SampleCache > 0:
		db.samples = newSampleCache(opts.SampleCache)
	}
	if dialect == DialectSQLite && !opts.NoGroupCommit {
		if db.gc, err = newCommitter(ctx, db, opts.OnGroupCommit); err != nil {
			_ = sqlDB.Close()
			return nil, err
		}
	}
	if dialect == DialectSQLite && opts.CheckpointEvery >= 0 {
		every := opts.CheckpointEvery
		if every == 0 {
			every = checkpointEveryDefault
		}
		if db.ckpt, err = newCheckpointer(ctx, db, every, opts.Logger, opts.OnCheckpoint); err != nil {
			_ = db.Close()
			return nil, err
		}
	}
	return db, nil
}

// sqliteDSN turns a hub SQLite URL into a driver "file:" URI with the hub's pragmas. Pragmas in
// the URL's query run after the hub's, so they win.
func sqliteDSN(raw string) (string, error) {
	var rest string
	switch {
	case strings.HasPrefix(raw, "sqlite://"):
		rest = escapePath(raw[len("sqlite://"):])
	case strings.HasPrefix(raw, "sqlite:"):
		rest = escapePath(raw[len("sqlite:"):])
	case strings.HasPrefix(raw, "file:"):
		rest = raw[len("file:"):] // already a URI
	}
	path, rawQuery, _ := strings.Cut(rest, "?")
	switch {
	case path == "":
		return "", errors.New("store: sqlite URL has no file path")
	case path == ":memory:" || strings.Contains(rawQuery, "mode=memory"):
		// Every pooled connection would open its own empty database.
		return "", errors.New("store: in-memory SQLite is not supported; use a file (tests: storetest)")
	}
	user, err := url.ParseQuery(rawQuery)
	if err != nil {
		return "", fmt.Errorf("store: sqlite URL query: %w", err)
	}
	q := url.Values{}
	for k, vs := range user {
		q[k] = append(q[k], vs...)
	}
	q["_pragma"] = append([]string{
		"busy_timeout(5000)", // must come first
		"journal_mode(wal)",
		"synchronous(normal)", // durable with WAL except for the last commits on power loss
		"foreign_keys(1)",
		"journal_size_limit(67108864)", // truncate the WAL back to 64 MiB after checkpoints
		"cache_size(-32768)",           // 32 MiB page cache per connection (the default 2 MiB thrashes)
		fmt.Sprintf("wal_autocheckpoint(%d)", walAutoCheckpointPages), // the checkpointer does it before
	}, user["_pragma"]...)
	if q.Get("_txlock") == "" {
		q.Set("_txlock", "immediate")
	}
	q.Set("_timefmt", sqliteTimeFormat) // the store depends on it
	return "file:" + path + "?" + q.Encode(), nil
}

// escapePath makes a plain file path safe inside a file: URI (the query is kept as is).
func escapePath(s string) string {
	path, query, hasQuery := strings.Cut(s, "?")
	path = strings.NewReplacer("%", "%25", "#", "%23").Replace(path)
	if hasQuery {
		return path + "?" + query
	}
	return path
}

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect }

// Close closes the connection pool. It must not be called on a transaction-bound DB.
func (db *DB) Close() error {
	if db.inTx {
		return errors.New("store: Close called on a transaction-bound DB")
	}
	var gcErr, ckptErr error
	if db.gc != nil {
		gcErr = db.gc.close()
	}
	if db.ckpt != nil {
		ckptErr = db.ckpt.close()
	}
	return errors.Join(gcErr, ckptErr, db.sqlDB.Close())
}

// GroupsCommits reports whether InTx shares one database transaction among concurrent callers
// (SQLite's group commit: charging.GroupCommitter).
func (db *DB) GroupsCommits() bool { return db.gc != nil }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// InTx runs fn in one database transaction with a Store bound to it; fn's error (returned
// unchanged) or a panic rolls back. Inside a transaction, InTx just calls fn with the same tx.
// The bound Store must be used only by fn's goroutine and not after fn returns. On SQLite the
// transaction takes the write lock at BEGIN (IMMEDIATE), so transactions never deadlock, and
// concurrent callers share transactions (group commit, see committer): fn must not call InTx
// on a DB that is not bound to its transaction, nor wait for another InTx.
func (db *DB) InTx(ctx context.Context, fn func(tx charging.Store) error) error {
	if db.inTx {
		return fn(db)
	}
	if db.gc != nil {
		return db.gc.do(ctx, fn)
	}
	var fnErr error
	hooks := []func(){}
	err := db.g.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		b := db.bind(tx)
		b.afterCommit, b.memo = &hooks, &txMemo{}
		fnErr = fn(b)
		return fnErr
	})
	if err != nil && fnErr == nil { // begin or commit failed
		return translate(err, "transaction")
	}
	if err == nil {
		for _, h := range hooks {
			h()
		}
	}
	return err
}

// AfterCommit runs fn once the transaction db is bound to has committed (never when it rolls
// back), after InTx's callback returned; outside a transaction fn runs at once. Use it for
// side effects that must not see uncommitted rows, e.g. waking the outbox worker. fn must not
// block.
func (db *DB) AfterCommit(fn func()) {
	if !db.inTx || db.afterCommit == nil {
		fn()
		return
	}
	*db.afterCommit = append(*db.afterCommit, fn)
}

// TxValue returns what SetTxValue set for key in the transaction db is bound to: in this
// callback, or in an earlier callback of the same database transaction (group commit) whose
// work was kept. Outside a transaction there is nothing.
func (db *DB) TxValue(key any) (any, bool) {
	if db.memo == nil {
		return nil, false
	}
	return db.memo.get(key)
}

// SetTxValue remembers v for key until the transaction db is bound to ends; it is forgotten
// with the callback's work when that rolls back (see TxValue). Outside a transaction it does
// nothing. Use it for what a callback learnt of rows it read or wrote in the transaction, which
// other transactions must not see before the commit.
func (db *DB) SetTxValue(key, v any) {
	if db.memo != nil {
		db.memo.set(key, v)
	}
}

// txMemo holds the values of TxValue for one database transaction: what the running callback
// set (own), and what the callbacks before it whose work is in the transaction set (kept).
// Callbacks of a transaction run one after another, so it needs no lock.
type txMemo struct {
	kept map[any]any
	own  map[any]any
}

func (m *txMemo) get(key any) (any, bool) {
	if v, ok := m.own[key]; ok {
		return v, true
	}
	v, ok := m.kept[key]
	return v, ok
}

func (m *txMemo) set(key, v any) {
	if m.own == nil {
		m.own = make(map[any]any)
	}
	m.own[key] = v
}

// keep moves the running callback's values to the transaction's (its work was kept).
func (m *txMemo) keep() {
	for k, v := range m.own {
		if m.kept == nil {
			m.kept = make(map[any]any, len(m.own))
		}
		m.kept[k] = v
	}
	clear(m.own)
}

// drop forgets the running callback's values (its work was rolled back).
func (m *txMemo) drop() { clear(m.own) }

// bind returns a copy of db running on tx.
func (db *DB) bind(tx *gorm.DB) *DB {
	c := *db
	c.g = tx
	c.inTx = true
	return &c
}

// atomic runs fn in a transaction unless db already is one.
func (db *DB) atomic(ctx context.Context, fn func(g *gorm.DB) error) error {
	return db.atomicDB(ctx, func(d *DB) error { return fn(d.q(ctx)) })
}

// atomicDB is atomic for callbacks that take the DB bound to the transaction.
func (db *DB) atomicDB(ctx context.Context, fn func(d *DB) error) error {
	if db.inTx {
		return fn(db)
	}
	return db.InTx(ctx, func(tx charging.Store) error { return fn(tx.(*DB)) })
}

// write runs fn, which issues write statements, with a handle to run them on. On SQLite with
// group commit, a write outside InTx goes into the next group transaction: it waits in the
// committer's queue rather than holding a pooled connection at the write gate, where reads
// need those connections. Elsewhere fn runs at once on db.
func (db *DB) write(ctx context.Context, fn func(d *DB) error) error {
	if db.gc != nil && !db.inTx {
		return db.gc.do(ctx, func(tx charging.Store) error { return fn(tx.(*DB)) })
	}
	return fn(db)
}

// q starts a statement.
func (db *DB) q(ctx context.Context) *gorm.DB { return db.g.WithContext(ctx) }

// now is the clock's time as stored.
func (db *DB) now() time.Time { return dbTime(db.clock.Now()) }

// dbTime is t as the store keeps it: UTC, millisecond precision (the precision of the SQLite
// format; applied to PostgreSQL too so both dialects behave the same).
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// dbTimePtr is dbTime for optional times.
func dbTimePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := dbTime(*t)
	return &v
}

// utcPtr converts an optional time read from the database to UTC.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := t.UTC()
	return &v
}

// page applies offset and limit (0 = none; negative values count as 0).
func page(q *gorm.DB, offset, limit int) *gorm.DB {
	if offset > 0 {
		q = q.Offset(offset)
	}
	if limit > 0 {
		q = q.Limit(limit)
	}
	return q
}

// total returns the number of rows matching a paged query that returned n rows, counting with
// count only when the page does not tell.
func total(offset, limit, n int, count func() (int64, error)) (int, error) {
	if offset < 0 {
		offset = 0
	}
	if (limit <= 0 || n < limit) && (n > 0 || offset == 0) {
		return offset + n, nil
	}
	c, err := count()
	return int(c), err
}
