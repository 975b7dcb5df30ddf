package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ncruces/go-sqlite3"
)

const (
	// checkpointEveryDefault is how often the checkpointer copies the WAL into the database file.
	checkpointEveryDefault = 200 * time.Millisecond
	// walAutoCheckpointPages is the WAL size, in pages, at which a committing connection
	// checkpoints by itself: a backstop for when the checkpointer falls behind (64 MiB of 4 KiB
	// pages, SQLite's default being 1,000).
	walAutoCheckpointPages = 16384
)

// checkpointer copies a SQLite database's write-ahead log into the database file from a
// connection of its own, in the background.
//
// Left to SQLite, the connection whose COMMIT takes the WAL past 1,000 pages runs the
// checkpoint itself: it syncs the WAL, copies every page into the database file and syncs that
// too, while it still holds the write lock. Under sustained load (10,000 stations metering) that
// was every few hundred milliseconds, inside the group commit, so every writer waited for two
// fsyncs and the copy: checkpoints were 7 % of the hub's CPU and the writer the queue. Here
// PASSIVE checkpoints run beside the writers (SQLite lets a checkpoint and a write transaction
// proceed together) and the committing connections checkpoint only past walAutoCheckpointPages.
type checkpointer struct {
	raw   *sql.Conn // pinned from the pool; used by loop only
	every time.Duration
	log   *slog.Logger
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once // close runs once
	// observe sees every checkpoint that ran (Options.OnCheckpoint); never nil in a running loop.
	observe func(walFrames, copied int, d time.Duration)
}

// newCheckpointer pins one connection of db's pool and starts checkpointing every every.
func newCheckpointer(ctx context.Context, db *DB, every time.Duration, log *slog.Logger,
	observe func(walFrames, copied int, d time.Duration)) (*checkpointer, error) {
	if observe == nil {
		observe = func(int, int, time.Duration) {}
	}
	raw, err := db.sqlDB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: checkpoint connection: %w", err)
	}
	c := &checkpointer{raw: raw, every: every, log: log, stop: make(chan struct{}), done: make(chan struct{}),
		observe: observe}
	go c.loop()
	return c, nil
}

// checkpointWarnEvery is how often a failing checkpoint is logged at most.
const checkpointWarnEvery = time.Minute

func (c *checkpointer) loop() {
	defer close(c.done)
	t := time.NewTicker(c.every)
	defer t.Stop()
	var warned time.Time // the last failure logged
	failed := 0          // failures since then
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			start := time.Now()
			frames, copied, err := c.checkpoint(sqlite3.CHECKPOINT_PASSIVE)
			switch {
			case err == nil:
				c.observe(frames, copied, time.Since(start))
			case errors.Is(err, sqlite3.BUSY):
				// BUSY: another connection (a CLI command, a writer past
				// walAutoCheckpointPages) is checkpointing; the next tick continues.
			case time.Since(warned) >= checkpointWarnEvery:
				c.log.Warn("sqlite checkpoint failed", "err", err, "failures_since_last_logged", failed)
				warned, failed = time.Now(), 0
			default:
				failed++
			}
		}
	}
}

// checkpoint runs one checkpoint of the given mode and returns the WAL's size in frames and
// how many of them are in the database file.
func (c *checkpointer) checkpoint(mode sqlite3.CheckpointMode) (walFrames, copied int, err error) {
	err = c.raw.Raw(func(dc any) error {
		conn, ok := dc.(*cachingConn)
		if !ok {
			return fmt.Errorf("store: checkpoint needs the caching SQLite connection, got %T", dc)
		}
		walFrames, copied, err = conn.Raw().WALCheckpoint("", mode)
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("store: sqlite checkpoint: %w", err)
	}
	return walFrames, copied, nil
}

// close stops the loop and releases the connection; later calls do nothing.
func (c *checkpointer) close() (err error) {
	c.once.Do(func() {
		close(c.stop)
		<-c.done
		err = c.raw.Close()
	})
	return err
}
