package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"sync"
	"time"

	"github.com/ncruces/go-sqlite3"
)

// writeGateWait is how long a SQLite writer waits for the gate, as long as the busy timeout.
const writeGateWait = 5 * time.Second

// writeGate lets one of the process's SQLite connections write at a time.
//
// SQLite allows one writer anyway; a connection that finds the database locked sleeps in
// SQLite's busy handler, in steps of up to 100 ms, and retries. With the group commit holding
// the write lock batch after batch, such writers (statements outside InTx) waited hundreds of
// milliseconds, each holding a pool connection that reads needed. Waiting here instead, they
// run as soon as the batch in progress commits. Other processes (the hub's CLI on the same
// file) still meet the busy handler.
type writeGate chan struct{}

func newWriteGate() writeGate { return make(writeGate, 1) }

// enter waits for the gate; the error is SQLite's BUSY, as the busy handler would have given.
func (g writeGate) enter(ctx context.Context) (release func(), err error) {
	select {
	case g <- struct{}{}:
		return g.releaser(), nil
	default:
	}
	t := time.NewTimer(writeGateWait)
	defer t.Stop()
	select {
	case g <- struct{}{}:
		return g.releaser(), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
		return nil, fmt.Errorf("store: sqlite write gate: waited %s: %w", writeGateWait, sqlite3.BUSY)
	}
}

// releaser returns a function that leaves the gate once, however often it is called.
func (g writeGate) releaser() func() {
	var once sync.Once
	return func() { once.Do(func() { <-g }) }
}

// gatedTx is a transaction that holds the write gate until it ends.
type gatedTx struct {
	driver.Tx
	release func()
}

func (t gatedTx) Commit() error {
	defer t.release()
	return t.Tx.Commit()
}

func (t gatedTx) Rollback() error {
	defer t.release()
	return t.Tx.Rollback()
}

// BeginTx starts a transaction (IMMEDIATE: it takes SQLite's write lock) once the connection
// holds the write gate.
func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if c.gate == nil {
		return c.Conn.BeginTx(ctx, opts)
	}
	release, err := c.gate.enter(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := c.Conn.BeginTx(ctx, opts)
	if err != nil {
		release()
		return nil, err
	}
	return gatedTx{Tx: tx, release: release}, nil
}

// Begin is BeginTx without a context.
func (c *cachingConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// gated runs one statement outside a transaction under the write gate when it writes.
func (c *cachingConn) gated(ctx context.Context, writes bool, run func() error) error {
	if c.gate == nil || !writes || !c.Raw().GetAutocommit() {
		return run()
	}
	release, err := c.gate.enter(ctx)
	if err != nil {
		return err
	}
	defer release()
	return run()
}
