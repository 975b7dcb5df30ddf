package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/chargehub/hub/charging"
)

// groupCommitBatch is how many InTx callbacks share one SQLite transaction at most.
const groupCommitBatch = 64

// errStoreClosed answers InTx after Close.
var errStoreClosed = errors.New("store: closed")

// committer runs the InTx callbacks of a SQLite database on one dedicated connection, several
// to a transaction (group commit).
//
// SQLite lets one transaction write at a time, so the callbacks were serialized anyway; each
// paid for its own BEGIN IMMEDIATE, lock calls, WAL frames and fsync, and, because another
// connection had written in between, re-read its pages from the file. Under load that overhead
// was about a fifth of the hub's CPU. Here the callbacks queued while a transaction runs go
// into the next one, each inside its own savepoint: a callback that fails (or panics) rolls
// back to its savepoint and gets its error, the others are unaffected. Nobody is answered
// before the transaction that holds their writes has committed, so an InTx that returns nil is
// as durable as before. A failed COMMIT fails every callback of the batch.
//
// The connection ignores the cancellation of the callers' contexts while a batch runs (see
// cachingConn.uncancellable): SQLite rolls back the whole transaction when a write statement
// is interrupted, which would take the other callbacks' work with it. A callback whose context
// is done before its turn is not run.
type committer struct {
	db   *DB // the root DB (not bound to a transaction)
	reqs chan *commitReq
	stop chan struct{}
	done chan struct{}

	// mu is held (read) across every send on reqs and (write) by close to set closed, so that
	// nothing is queued after close: the loop drains what was queued before it stops.
	mu     sync.RWMutex
	closed bool      // guarded by mu
	raw    *sql.Conn // the dedicated connection; used by run only

	observe func(n int, d time.Duration) // batch size and BEGIN-to-COMMIT time
}

// commitReq is one InTx call waiting for its batch.
type commitReq struct {
	ctx   context.Context
	fn    func(tx charging.Store) error
	hooks []func()
	err   error
	panic any // a panic of fn, re-raised in the caller
	done  chan struct{}
}

// newCommitter pins one connection of db's pool and starts the batching goroutine.
func newCommitter(ctx context.Context, db *DB, observe func(n int, d time.Duration)) (*committer, error) {
	if observe == nil {
		observe = func(int, time.Duration) {}
	}
	raw, err := db.sqlDB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: group commit connection: %w", err)
	}
	if err := raw.Raw(func(dc any) error {
		c, ok := dc.(*cachingConn)
		if !ok {
			return fmt.Errorf("store: group commit needs the caching SQLite connection, got %T", dc)
		}
		c.uncancellable = true
		return nil
	}); err != nil {
		_ = raw.Close()
		return nil, err
	}
	c := &committer{db: db, reqs: make(chan *commitReq, 4*groupCommitBatch), stop: make(chan struct{}),
		done: make(chan struct{}), raw: raw, observe: observe}
	go c.loop()
	return c, nil
}

// do runs fn in the next batch and waits until that batch has committed or rolled back.
func (c *committer) do(ctx context.Context, fn func(tx charging.Store) error) error {
	r := &commitReq{ctx: ctx, fn: fn, done: make(chan struct{})}
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return errStoreClosed
	}
	select {
	case c.reqs <- r:
		c.mu.RUnlock()
	case <-ctx.Done():
		c.mu.RUnlock()
		return ctx.Err()
	}
	<-r.done // once queued, fn may be running: wait for the batch whatever ctx does
	if r.panic != nil {
		panic(r.panic)
	}
	if r.err == nil {
		for _, h := range r.hooks {
			h()
		}
	}
	return r.err
}

// close stops the goroutine after the batch in progress and the queued requests, then
// releases the connection.
func (c *committer) close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	close(c.stop)
	<-c.done
	return c.raw.Close()
}

func (c *committer) loop() {
	defer close(c.done)
	batch := make([]*commitReq, 0, groupCommitBatch)
	for {
		select {
		case r := <-c.reqs:
			batch = append(batch[:0], r)
		case <-c.stop:
			// requests that made it into the queue before stop are still served
			for {
				select {
				case r := <-c.reqs:
					c.run([]*commitReq{r})
				default:
					return
				}
			}
		}
		// Yield once before collecting the batch: the callers that are about to queue (woken by
		// the last batch's answers) join this one, instead of each later getting a commit of its
		// own (bench/README.md, "Morning session": 37 % fewer commits at 5,000 msgs/s).
		runtime.Gosched()
	fill:
		for len(batch) < groupCommitBatch {
			select {
			case r := <-c.reqs:
				batch = append(batch, r)
			default:
				break fill
			}
		}
		c.run(batch)
		clear(batch)
	}
}

// run executes one batch in one transaction and answers its requests. Savepoints and the
// transaction are driven on the *sql.Tx itself: an error on the gorm handle would stick to it
// and fail every later statement of the batch.
func (c *committer) run(batch []*commitReq) {
	start := time.Now()
	defer func() { c.observe(len(batch), time.Since(start)) }()
	bg := context.Background()
	stx, err := c.raw.BeginTx(bg, nil)
	if err != nil {
		c.finish(batch, translate(err, "transaction"))
		return
	}
	tx := c.db.g.Session(&gorm.Session{NewDB: true, Context: bg})
	tx.Statement.ConnPool = stx
	exec := func(stmt string) error {
		if _, err := stx.ExecContext(bg, stmt); err != nil {
			return translate(err, "%s", stmt)
		}
		return nil
	}
	ok := 0 // requests whose work is in the transaction
	memo := &txMemo{}
	var broken error
	for _, r := range batch {
		if broken != nil {
			r.err = broken
			continue
		}
		if err := r.ctx.Err(); err != nil {
			r.err = err
			continue
		}
		if broken = exec("SAVEPOINT gc"); broken != nil {
			r.err = broken
			continue
		}
		r.err, r.panic = c.call(tx, memo, r)
		if r.err == nil && r.panic == nil {
			if broken = exec("RELEASE SAVEPOINT gc"); broken == nil {
				ok++
				memo.keep()
			}
			continue
		}
		r.hooks = nil
		memo.drop()
		if broken = exec("ROLLBACK TO SAVEPOINT gc"); broken == nil {
			broken = exec("RELEASE SAVEPOINT gc")
		}
	}
	if broken != nil || ok == 0 {
		// nothing to keep, or the transaction cannot be trusted any more (SQLite may have
		// rolled it back): those that had succeeded are told so
		_ = stx.Rollback()
		if broken != nil {
			c.fail(batch, fmt.Errorf("store: group transaction aborted: %w", broken))
		}
		c.finish(batch, nil)
		return
	}
	if err := stx.Commit(); err != nil {
		c.fail(batch, translate(err, "commit"))
	}
	c.finish(batch, nil)
}

// fail gives err to the requests that had succeeded.
func (c *committer) fail(batch []*commitReq, err error) {
	for _, r := range batch {
		if r.err == nil && r.panic == nil {
			r.err, r.hooks = err, nil
		}
	}
}

// call runs one callback on a DB bound to tx, turning a panic into a value.
func (c *committer) call(tx *gorm.DB, memo *txMemo, r *commitReq) (err error, p any) {
	defer func() {
		if v := recover(); v != nil {
			p = v
		}
	}()
	b := c.db.bind(tx)
	b.afterCommit, b.memo = &r.hooks, memo
	return r.fn(b), nil
}

// finish answers the requests; err, when set, replaces every request's outcome.
func (c *committer) finish(batch []*commitReq, err error) {
	for _, r := range batch {
		if err != nil {
			r.err, r.panic, r.hooks = err, nil, nil
		}
		close(r.done)
	}
}
