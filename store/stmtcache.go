package store

import (
	"container/list"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"

	sqlitedriver "github.com/ncruces/go-sqlite3/driver"
)

// stmtCacheSize is how many prepared statements each SQLite connection keeps. The hub issues a
// bounded set of statements (a few hundred, counting IN lists of different lengths).
const stmtCacheSize = 256

// openSQLite opens the embedded database with a cache of prepared statements per connection.
//
// The SQLite driver prepares, runs and finalizes every statement that has arguments; preparing
// (parsing and planning the SQL) was about a fifth of the hub's CPU under load. GORM's own
// PrepareStmt cannot be used (it prepares on the pool from inside transactions and deadlocks a
// pool full of them), so the cache sits below database/sql, where a statement belongs to one
// connection: database/sql never uses a connection from two goroutines at once.
func openSQLite(dsn string) (*sql.DB, error) {
	inner, err := (&sqlitedriver.SQLite{}).OpenConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: sqlite: %w", err)
	}
	return sql.OpenDB(cachingConnector{Connector: inner, size: stmtCacheSize, gate: newWriteGate()}), nil
}

// cachingConnector opens SQLite connections that keep their prepared statements.
type cachingConnector struct {
	driver.Connector
	size int
	gate writeGate // shared by the connections
}

// Connect opens a connection with an empty statement cache.
func (c cachingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	inner, ok := conn.(sqlitedriver.Conn)
	if !ok {
		_ = conn.Close()
		return nil, fmt.Errorf("store: sqlite driver connection %T has no Raw/BeginTx/PrepareContext", conn)
	}
	exec, ok := conn.(driver.ExecerContext)
	if !ok {
		_ = conn.Close()
		return nil, fmt.Errorf("store: sqlite driver connection %T has no ExecContext", conn)
	}
	return &cachingConn{Conn: inner, exec: exec, size: c.size, gate: c.gate, byQuery: map[string]*list.Element{}, lru: list.New()}, nil
}

// cachingConn is a SQLite connection whose prepared statements are reused: Close on a statement
// handed out by PrepareContext resets it and returns it to the cache instead of finalizing it.
// A statement still in use (rows open while the same query runs again) is not shared: the second
// user gets a statement of its own, finalized on Close.
type cachingConn struct {
	sqlitedriver.Conn
	exec driver.ExecerContext
	size int
	gate writeGate // nil: no gate
	// uncancellable: statements ignore the cancellation of their context (the group commit
	// connection, see committer). Set once before the connection is used.
	uncancellable bool

	mu      sync.Mutex
	byQuery map[string]*list.Element // guarded by mu; values are *cachedStmt
	lru     *list.List               // guarded by mu; front: most recently used
}

var (
	_ driver.ExecerContext      = (*cachingConn)(nil)
	_ driver.NamedValueChecker  = (*cachingConn)(nil)
	_ driver.StmtExecContext    = (*cachedStmt)(nil)
	_ driver.StmtQueryContext   = (*cachedStmt)(nil)
	_ driver.NamedValueChecker  = (*cachedStmt)(nil)
	_ driver.ConnPrepareContext = (*cachingConn)(nil)
)

// ExecContext runs statements without arguments directly (DDL, several statements in one
// string), except savepoints, which the group commit issues three times per callback and which
// are therefore prepared once and kept; the driver answers driver.ErrSkip for statements with
// arguments, and database/sql then prepares them here.
func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (res driver.Result, err error) {
	if len(args) != 0 {
		return nil, driver.ErrSkip
	}
	if isSavepoint(query) {
		st, err := c.PrepareContext(ctx, query)
		if err != nil {
			return nil, err
		}
		res, err = st.(driver.StmtExecContext).ExecContext(ctx, nil)
		return res, errors.Join(err, st.Close())
	}
	err = c.gated(ctx, true, func() error {
		res, err = c.exec.ExecContext(c.context(ctx), query, args)
		return err
	})
	return res, err
}

// isSavepoint reports SAVEPOINT, RELEASE and ROLLBACK TO statements.
func isSavepoint(query string) bool {
	for _, p := range []string{"SAVEPOINT ", "RELEASE ", "ROLLBACK TO "} {
		if strings.HasPrefix(query, p) {
			return true
		}
	}
	return false
}

// context is ctx, without its cancellation on an uncancellable connection.
func (c *cachingConn) context(ctx context.Context) context.Context {
	if c.uncancellable {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// CheckNamedValue leaves argument checks to the statements (the driver's fast path).
func (c *cachingConn) CheckNamedValue(*driver.NamedValue) error { return nil }

// Prepare is PrepareContext without a context.
func (c *cachingConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext returns the cached statement of query when it is idle, else prepares one.
func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	c.mu.Lock()
	if el, ok := c.byQuery[query]; ok {
		s := el.Value.(*cachedStmt)
		if !s.busy {
			s.busy = true
			c.lru.MoveToFront(el)
			c.mu.Unlock()
			return s, nil
		}
		c.mu.Unlock()
		return c.prepare(ctx, query, false) // in use: a private one
	}
	c.mu.Unlock()
	return c.prepare(ctx, query, true)
}

// prepare prepares query on the driver; cached statements enter the cache busy.
func (c *cachingConn) prepare(ctx context.Context, query string, cache bool) (driver.Stmt, error) {
	st, err := c.Conn.PrepareContext(c.context(ctx), query)
	if err != nil {
		return nil, err
	}
	inner, ok := st.(sqliteStmt)
	if !ok {
		return st, nil // not a statement this cache knows how to reset: used once, as the driver made it
	}
	s := &cachedStmt{stmt: inner, conn: c, busy: true, readOnly: isReadOnly(st)}
	if !cache {
		return s, nil
	}
	var evicted []*cachedStmt
	c.mu.Lock()
	if _, taken := c.byQuery[query]; !taken {
		s.query, s.cached = query, true
		c.byQuery[query] = c.lru.PushFront(s)
		for el := c.lru.Back(); c.lru.Len() > c.size && el != nil; {
			prev := el.Prev()
			if old := el.Value.(*cachedStmt); !old.busy {
				c.lru.Remove(el)
				delete(c.byQuery, old.query)
				old.cached = false
				evicted = append(evicted, old)
			}
			el = prev
		}
	}
	c.mu.Unlock()
	for _, old := range evicted {
		_ = old.stmt.Close()
	}
	return s, nil
}

// Close finalizes every cached statement, then closes the connection.
func (c *cachingConn) Close() error {
	c.mu.Lock()
	var errs []error
	for el := c.lru.Front(); el != nil; el = el.Next() {
		s := el.Value.(*cachedStmt)
		s.cached = false
		errs = append(errs, s.stmt.Close())
	}
	c.byQuery, c.lru = map[string]*list.Element{}, list.New()
	c.mu.Unlock()
	return errors.Join(errors.Join(errs...), c.Conn.Close())
}

// isReadOnly reports a statement that SQLite says does not write.
func isReadOnly(st driver.Stmt) bool {
	ro, ok := st.(interface{ ReadOnly() bool })
	return ok && ro.ReadOnly()
}

// sqliteStmt is what the SQLite driver's statements offer: the database/sql interfaces and the
// reset of the underlying sqlite3.Stmt.
type sqliteStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
	driver.NamedValueChecker
	Reset() error
	ClearBindings() error
}

// cachedStmt is a prepared statement of a cachingConn.
type cachedStmt struct {
	stmt     sqliteStmt
	conn     *cachingConn
	query    string
	readOnly bool // the statement does not write (no write gate outside transactions)
	busy     bool // guarded by conn.mu
	cached   bool // guarded by conn.mu
}

// Close returns a cached statement to the cache, reset; a private one is finalized.
func (s *cachedStmt) Close() error {
	s.conn.mu.Lock()
	cached := s.cached
	if cached {
		s.busy = false
	}
	s.conn.mu.Unlock()
	if !cached {
		return s.stmt.Close()
	}
	return errors.Join(s.stmt.Reset(), s.stmt.ClearBindings())
}

// NumInput reports the statement's number of placeholders (-1: named or unknown).
func (s *cachedStmt) NumInput() int { return s.stmt.NumInput() }

// Exec is ExecContext without a context.
func (s *cachedStmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.stmt.Exec(args) //nolint:staticcheck // the driver.Stmt contract
}

// Query is QueryContext without a context.
func (s *cachedStmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.stmt.Query(args) //nolint:staticcheck // the driver.Stmt contract
}

// ExecContext runs the statement.
func (s *cachedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (res driver.Result, err error) {
	err = s.conn.gated(ctx, !s.readOnly, func() error {
		res, err = s.stmt.ExecContext(s.conn.context(ctx), args)
		return err
	})
	return res, err
}

// QueryContext runs the statement; closing the rows resets it. A writing query outside a
// transaction (INSERT ... RETURNING) writes while its rows are read: it does not take the
// write gate and meets SQLite's busy handler instead.
func (s *cachedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.stmt.QueryContext(s.conn.context(ctx), args)
}

// CheckNamedValue converts arguments the way the driver does (times in its format).
func (s *cachedStmt) CheckNamedValue(v *driver.NamedValue) error { return s.stmt.CheckNamedValue(v) }
