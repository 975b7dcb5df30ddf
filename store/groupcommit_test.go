package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
)

// openGroupSQLite opens a fresh migrated SQLite file with group commit; batches are reported
// on the returned channel.
func openGroupSQLite(t *testing.T) (*DB, <-chan int) {
	t.Helper()
	ctx := context.Background()
	batches := make(chan int, 1024)
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "gc.db"), Options{
		OnGroupCommit: func(n int, _ time.Duration) {
			select {
			case batches <- n:
			default:
			}
		}})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	require.NotNil(t, db.gc)
	_, err = Migrate(ctx, db, "up")
	require.NoError(t, err)
	for len(batches) > 0 { // migrations do not go through InTx, but be sure
		<-batches
	}
	return db, batches
}

func tag(id string) charging.IDTag {
	return charging.IDTag{IDTag: id, Status: charging.AuthAccepted, UpdatedAt: time.Now().UTC()}
}

// holdBatch starts an InTx whose callback blocks until release is closed, and returns once the
// callback is running: every InTx queued meanwhile goes into the next batch together.
func holdBatch(t *testing.T, db *DB) (release func(), done <-chan error) {
	t.Helper()
	running, rel := make(chan struct{}), make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- db.InTx(context.Background(), func(tx charging.Store) error {
			close(running)
			<-rel
			return tx.UpsertIDTag(context.Background(), tag("HOLD"))
		})
	}()
	<-running
	return func() { close(rel) }, errc
}

// waitQueued waits until n requests wait for the committer.
func waitQueued(t *testing.T, db *DB, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return len(db.gc.reqs) >= n }, 10*time.Second, time.Millisecond)
}

// TestGroupCommitIsolatesCallbacks: callbacks queued together share one transaction, yet one
// that fails or panics loses only its own writes and after-commit hooks.
func TestGroupCommitIsolatesCallbacks(t *testing.T) {
	db, batches := openGroupSQLite(t)
	ctx := context.Background()
	release, held := holdBatch(t, db)

	const n = 12
	errs := make([]error, n)
	panics := make([]any, n)
	hooks := make([]bool, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { panics[i] = recover() }()
			errs[i] = db.InTx(ctx, func(tx charging.Store) error {
				if err := tx.UpsertIDTag(ctx, tag(fmt.Sprintf("T%02d", i))); err != nil {
					return err
				}
				tx.(*DB).AfterCommit(func() { hooks[i] = true })
				switch i % 4 {
				case 1:
					return fmt.Errorf("callback %d fails", i)
				case 2:
					if i == 2 {
						panic("callback 2 panics")
					}
				}
				return nil
			})
		}()
	}
	waitQueued(t, db, n)
	release()
	require.NoError(t, <-held)
	wg.Wait()
	require.Equal(t, 1, <-batches, "the held callback commits alone")
	require.Equal(t, n, <-batches, "the queued callbacks commit together")

	for i := range n {
		_, err := db.GetIDTag(ctx, fmt.Sprintf("T%02d", i))
		switch {
		case i == 2:
			require.Equal(t, "callback 2 panics", panics[i])
			require.True(t, charging.IsNotFound(err), "panicked callback's write must be rolled back: %v", err)
			require.False(t, hooks[i])
		case i%4 == 1:
			require.EqualError(t, errs[i], fmt.Sprintf("callback %d fails", i), "the callback's own error, unchanged")
			require.True(t, charging.IsNotFound(err), "failed callback's write must be rolled back: %v", err)
			require.False(t, hooks[i], "no after-commit hook for a rolled back callback")
		default:
			require.NoError(t, errs[i])
			require.Nil(t, panics[i])
			require.NoError(t, err, "committed write of callback %d", i)
			require.True(t, hooks[i], "after-commit hook of callback %d", i)
		}
	}
}

// TestGroupCommitSkipsCancelledCallers: a caller whose context ends while it waits for its
// batch is answered with the context's error and its callback never runs.
func TestGroupCommitSkipsCancelledCallers(t *testing.T) {
	db, _ := openGroupSQLite(t)
	release, held := holdBatch(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	ran := false
	errc := make(chan error, 1)
	go func() {
		errc <- db.InTx(ctx, func(tx charging.Store) error { ran = true; return nil })
	}()
	waitQueued(t, db, 1)
	cancel()
	release()
	require.NoError(t, <-held)
	require.ErrorIs(t, <-errc, context.Canceled)
	require.False(t, ran)
}

// TestGroupCommitCallbackOutlivesItsContext: a context cancelled while the callback runs fails
// that callback's later statements only; it never aborts the shared transaction (SQLite rolls
// back a whole transaction when a write is interrupted), so the batch commits the others.
func TestGroupCommitCallbackOutlivesItsContext(t *testing.T) {
	db, _ := openGroupSQLite(t)
	release, held := holdBatch(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 2)
	go func() {
		errc <- db.InTx(ctx, func(tx charging.Store) error {
			cancel() // the caller gives up while its statements run
			return tx.UpsertIDTag(ctx, tag("CANCELLED"))
		})
	}()
	waitQueued(t, db, 1)
	go func() {
		errc <- db.InTx(context.Background(), func(tx charging.Store) error {
			return tx.UpsertIDTag(context.Background(), tag("OTHER"))
		})
	}()
	waitQueued(t, db, 2)
	release()
	require.NoError(t, <-held)
	var failed int
	for range 2 {
		if err := <-errc; err != nil {
			require.ErrorIs(t, err, context.Canceled)
			failed++
		}
	}
	require.Equal(t, 1, failed)
	for _, id := range []string{"HOLD", "OTHER"} {
		_, err := db.GetIDTag(context.Background(), id)
		require.NoError(t, err, id)
	}
	_, err := db.GetIDTag(context.Background(), "CANCELLED")
	require.True(t, charging.IsNotFound(err), "%v", err)
}

// TestWriteGateQueuesWritesOutsideTransactions: a write outside InTx waits for the batch in
// progress instead of failing or sleeping in SQLite's busy handler, and runs right after it.
func TestWriteGateQueuesWritesOutsideTransactions(t *testing.T) {
	db, _ := openGroupSQLite(t)
	ctx := context.Background()
	release, held := holdBatch(t, db)
	wrote := make(chan error, 1)
	go func() { // a write statement outside InTx that does not go through the committer
		wrote <- db.q(ctx).Exec("INSERT INTO id_tags (id_tag, status, updated_at) VALUES (?, ?, ?)", "OUTSIDE", "Accepted",
			dbTime(time.Now())).Error
	}()
	select {
	case err := <-wrote:
		t.Fatalf("the write ran while a batch held the write lock: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	// reads are not held up
	_, err := db.GetIDTag(ctx, "NONE")
	require.True(t, charging.IsNotFound(err), "%v", err)
	start := time.Now()
	release()
	require.NoError(t, <-held)
	require.NoError(t, <-wrote)
	require.Less(t, time.Since(start), time.Second, "the waiting write runs as soon as the batch ends")
}

// TestWritesOutsideInTxJoinTheGroup: the store's own writes outside InTx (UpsertIDTag) wait for
// the next group transaction in the committer's queue, not at the write gate.
func TestWritesOutsideInTxJoinTheGroup(t *testing.T) {
	db, batches := openGroupSQLite(t)
	ctx := context.Background()
	release, held := holdBatch(t, db)
	wrote := make(chan error, 1)
	go func() { wrote <- db.UpsertIDTag(ctx, tag("QUEUED")) }()
	waitQueued(t, db, 1)
	release()
	require.NoError(t, <-held)
	require.NoError(t, <-wrote)
	require.Equal(t, 1, <-batches)
	require.Equal(t, 1, <-batches, "the write ran as a group transaction of its own")
	_, err := db.GetIDTag(ctx, "QUEUED")
	require.NoError(t, err)
}

// TestGroupCommitAfterClose: InTx on a closed store fails instead of hanging.
func TestGroupCommitAfterClose(t *testing.T) {
	db, _ := openGroupSQLite(t)
	require.NoError(t, db.Close())
	err := db.InTx(context.Background(), func(charging.Store) error { return nil })
	require.True(t, errors.Is(err, errStoreClosed), "%v", err)
}

// TestTxValuesFollowTheWorkKept: a value a callback sets is seen by itself at once and by the
// later callbacks of its group transaction once its work is kept; a callback that fails takes
// its values with it; the next transaction starts with none, and outside one there are none.
func TestTxValuesFollowTheWorkKept(t *testing.T) {
	db, batches := openGroupSQLite(t)
	ctx := context.Background()
	release, held := holdBatch(t, db)

	type seen struct{ a, b any }
	var last seen
	steps := []func(tx *DB) error{
		func(tx *DB) error { // kept
			tx.SetTxValue("a", 1)
			if v, ok := tx.TxValue("a"); !ok || v != 1 {
				return fmt.Errorf("own value not seen: %v %v", v, ok)
			}
			return nil
		},
		func(tx *DB) error { // rolled back
			tx.SetTxValue("b", 2)
			tx.SetTxValue("a", 3)
			return errors.New("fails")
		},
		func(tx *DB) error {
			last.a, _ = tx.TxValue("a")
			last.b, _ = tx.TxValue("b")
			return nil
		},
	}
	errs := make([]error, len(steps))
	var wg sync.WaitGroup
	for i, step := range steps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.InTx(ctx, func(tx charging.Store) error { return step(tx.(*DB)) })
		}()
		waitQueued(t, db, i+1) // queued, hence run, in this order
	}
	release()
	require.NoError(t, <-held)
	wg.Wait()
	require.Equal(t, 1, <-batches)
	require.Equal(t, len(steps), <-batches, "one group transaction")
	require.NoError(t, errs[0])
	require.EqualError(t, errs[1], "fails")
	require.NoError(t, errs[2])
	require.Equal(t, seen{a: 1, b: nil}, last, "the kept value, not the rolled back ones")

	require.NoError(t, db.InTx(ctx, func(tx charging.Store) error {
		if v, ok := tx.(*DB).TxValue("a"); ok {
			return fmt.Errorf("a value of another transaction: %v", v)
		}
		return nil
	}))
	db.SetTxValue("c", 1)
	_, ok := db.TxValue("c")
	require.False(t, ok, "nothing outside a transaction")
}
