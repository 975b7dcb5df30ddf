package store_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/store"
)

// TestTransactionIndexedColumns: UpdateTransaction stores the columns it believes no index
// covers without touching the others; a column some index covers (key or predicate) must be
// on its indexed list, or a change of it alone would be lost.
func TestTransactionIndexedColumns(t *testing.T) {
	t.Parallel()
	indexed, unindexed := store.TransactionColumnsForTest()
	require.NotEmpty(t, indexed)
	forEachDB(t, func(t *testing.T, db *store.DB) {
		defs, err := db.IndexDefinitionsForTest(context.Background(), "transactions")
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(defs), 6, "the schema's indexes of transactions: %q", defs)
		covered := map[string]bool{}
		for _, c := range append(append([]string{}, indexed...), unindexed...) {
			word := regexp.MustCompile(`\b` + c + `\b`)
			for _, d := range defs {
				if word.MatchString(d) {
					covered[c] = true
				}
			}
		}
		for _, c := range unindexed {
			require.False(t, covered[c], "column %s is indexed but UpdateTransaction treats it as not", c)
		}
		for _, c := range indexed {
			require.True(t, covered[c], "column %s is on the indexed list but no index covers it", c)
		}
	})
}

// TestUpdateTransactionStoresEveryChange changes one field at a time, indexed or not, and
// reads the transaction back.
func TestUpdateTransactionStoresEveryChange(t *testing.T) {
	t.Parallel()
	later := at(time.Minute)
	for _, tc := range []struct {
		name      string
		change    func(tx *charging.Transaction)
		unindexed bool // the first statement alone stores it
	}{
		{"nothing", func(*charging.Transaction) {}, true},
		{"meter reading (not indexed)", func(tx *charging.Transaction) { tx.LastMeterWh = ptr(int64(7000)) }, true},
		{"flags (not indexed)", func(tx *charging.Transaction) { tx.Flags = []string{charging.FlagTxUnresolved} }, true},
		{"charging state (not indexed)", func(tx *charging.Transaction) { tx.ChargingState = "SuspendedEV" }, true},
		{"status (indexed)", func(tx *charging.Transaction) { tx.Status = charging.TxCompleted }, false},
		{"id tag (indexed)", func(tx *charging.Transaction) { tx.IDTag = "OTHER" }, false},
		{"evse (indexed)", func(tx *charging.Transaction) { tx.EVSEID = 2 }, false},
		{"station tx id (indexed)", func(tx *charging.Transaction) { tx.StationTxID = "tx-new" }, false},
		{"start key (indexed)", func(tx *charging.Transaction) { tx.StartKey = "k-new" }, false},
		{"started at (indexed)", func(tx *charging.Transaction) { tx.StartedAt = later }, false},
		{"indexed and not together", func(tx *charging.Transaction) {
			tx.Status, tx.LastMeterWh, tx.StoppedAt = charging.TxCompleted, ptr(int64(9000)), &later
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			forEachDB(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				newStation(t, db, "CP")
				tx := fullTx("CP", "k1")
				tx.Status = charging.TxActive
				require.NoError(t, db.CreateTransaction(ctx, &tx))
				other := fullTx("CP", "k2") // the same indexed values but the keys: must not change
				require.NoError(t, db.CreateTransaction(ctx, &other))

				tc.change(&tx)
				n, err := db.UpdateTransactionUnindexedForTest(ctx, tx)
				require.NoError(t, err)
				if tc.unindexed {
					require.EqualValues(t, 1, n, "the indexed columns (times included) compare equal to the stored ones")
				} else {
					require.Zero(t, n)
				}
				require.NoError(t, db.UpdateTransaction(ctx, tx))
				got, err := db.GetTransaction(ctx, tx.ID)
				require.NoError(t, err)
				require.Equal(t, tx, got)
				gotOther, err := db.GetTransaction(ctx, other.ID)
				require.NoError(t, err)
				require.Equal(t, other, gotOther)
			})
		})
	}

	forEachDB(t, func(t *testing.T, db *store.DB) {
		requireCode(t, charging.CodeNotFound, db.UpdateTransaction(context.Background(), charging.Transaction{ID: 42, StationID: "CP"}))
	})
}
