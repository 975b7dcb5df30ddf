package store

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ncruces/go-sqlite3"
	"github.com/stretchr/testify/require"
)

// walState reports the WAL's size in frames and how many of them are in the database file,
// without checkpointing.
func walState(t *testing.T, db *DB) (walFrames, copied int) {
	t.Helper()
	conn, err := db.sqlDB.Conn(context.Background())
	require.NoError(t, err)
	defer conn.Close()
	c := &checkpointer{raw: conn}
	walFrames, copied, err = c.checkpoint(sqlite3.CHECKPOINT_NOOP)
	require.NoError(t, err)
	return walFrames, copied
}

func TestCheckpointerCopiesTheWAL(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		every  time.Duration
		copies bool
	}{
		{"background checkpoints", 10 * time.Millisecond, true},
		{"off: only past the auto-checkpoint size", -1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var observed atomic.Int64 // the most frames a checkpoint reported copied
			db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "ckpt.db"), Options{CheckpointEvery: tc.every,
				OnCheckpoint: func(_, copied int, _ time.Duration) {
					if int64(copied) > observed.Load() {
						observed.Store(int64(copied))
					}
				}})
			require.NoError(t, err)
			defer db.Close()
			require.Equal(t, tc.every > 0, db.ckpt != nil)
			_, err = db.sqlDB.ExecContext(ctx, `CREATE TABLE t (x TEXT)`)
			require.NoError(t, err)
			// about 250 pages: more than SQLite's default auto-checkpoint would let pass, far
			// fewer than walAutoCheckpointPages
			_, err = db.sqlDB.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 5000)
				INSERT INTO t SELECT printf('%0200d', i) FROM n`)
			require.NoError(t, err)

			deadline := time.Now().Add(5 * time.Second)
			for {
				frames, copied := walState(t, db)
				require.Greater(t, frames, 200, "the inserts are in the WAL")
				if !tc.copies {
					time.Sleep(100 * time.Millisecond)
					frames, copied = walState(t, db)
					require.Zero(t, copied, "nothing checkpoints below walAutoCheckpointPages")
					return
				}
				if copied == frames {
					break
				}
				require.True(t, time.Now().Before(deadline), "the WAL was not copied: %d of %d frames", copied, frames)
				time.Sleep(10 * time.Millisecond)
			}
			require.Eventually(t, func() bool { return observed.Load() > 200 }, 5*time.Second, 10*time.Millisecond,
				"OnCheckpoint saw the copy")
			var n int
			require.NoError(t, db.sqlDB.QueryRowContext(ctx, `SELECT count(*) FROM t`).Scan(&n))
			require.Equal(t, 5000, n)
		})
	}
}
