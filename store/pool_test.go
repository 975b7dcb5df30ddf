package store_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/store"
	"github.com/chargehub/hub/store/storetest"
)

// TestFullPoolOfTransactionsDoesNotDeadlock: more concurrent transactions than pooled
// connections, each running several statements, all finish (a regression: prepared
// statements inside transactions once needed a second connection and deadlocked).
func TestFullPoolOfTransactionsDoesNotDeadlock(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, url string) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		db, err := store.Open(ctx, url, store.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), MaxOpenConns: 2})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		now := time.Now().UTC()
		for i := 0; i < 20; i++ {
			if err := db.CreateStation(ctx, charging.Station{ID: fmt.Sprintf("P%d", i), CreatedAt: now, UpdatedAt: now}); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- db.InTx(ctx, func(tx charging.Store) error {
					st, err := tx.GetStation(ctx, fmt.Sprintf("P%d", i))
					if err != nil {
						return err
					}
					if _, err := tx.ListConnectors(ctx, st.ID); err != nil {
						return err
					}
					st.Vendor = "V"
					return tx.UpdateStation(ctx, st)
				})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
	})
}
