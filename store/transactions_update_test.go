package store_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
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
	for _, tc := range txChanges() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			forEachDB(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				tx, other := changeTxFixture(t, db)
				tc.change(&tx)
				n, err := db.UpdateTransactionUnindexedForTest(ctx, tx)
				require.NoError(t, err)
				if tc.unindexed {
					require.EqualValues(t, 1, n, "the indexed columns (times included) compare equal to the stored ones")
				} else {
					require.Zero(t, n)
				}
				require.NoError(t, db.UpdateTransaction(ctx, tx))
				requireTxs(t, db, tx, other)
			})
		})
	}

	forEachDB(t, func(t *testing.T, db *store.DB) {
		requireCode(t, charging.CodeNotFound, db.UpdateTransaction(context.Background(), charging.Transaction{ID: 42, StationID: "CP"}))
	})
}

// changeTxFixture stores station CP with an active transaction to change and another that must
// not change.
func changeTxFixture(t *testing.T, db *store.DB) (tx, other charging.Transaction) {
	t.Helper()
	ctx := context.Background()
	newStation(t, db, "CP")
	tx = fullTx("CP", "k1")
	tx.Status = charging.TxActive
	require.NoError(t, db.CreateTransaction(ctx, &tx))
	other = fullTx("CP", "k2") // the same indexed values but the keys: must not change
	require.NoError(t, db.CreateTransaction(ctx, &other))
	return tx, other
}

// requireTxs reads the transactions back and compares them with want.
func requireTxs(t *testing.T, db *store.DB, want ...charging.Transaction) {
	t.Helper()
	for _, w := range want {
		got, err := db.GetTransaction(context.Background(), w.ID)
		require.NoError(t, err)
		require.Equal(t, w, got)
	}
}

// txChange is one change of a transaction, and whether UpdateTransaction's first statement
// (the unindexed columns) stores it alone.
type txChange struct {
	name      string
	change    func(tx *charging.Transaction)
	unindexed bool
}

func txChanges() []txChange {
	later := at(time.Minute)
	return []txChange{
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
	}
}

// TestAddMeterSamplesChunks stores counts that take one INSERT, and counts that take several
// of different sizes (see rowChunk), inside a transaction and outside one.
func TestAddMeterSamplesChunks(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tx, _ := changeTxFixture(t, db)
		want := 0
		for _, k := range []int{5, 16, 17, 37, 64, 200} {
			samples := make([]charging.MeterSample, k)
			for i := range samples {
				v := decimal.NewFromInt(int64(want + i))
				samples[i] = charging.MeterSample{StationID: "CP", TransactionID: ptr(tx.ID), EVSEID: 1, ConnectorID: 1,
					Timestamp: at(time.Duration(want+i) * time.Second), Measurand: charging.MeasurandEnergyImport,
					RawValue: v.String(), Value: &v, Unit: "Wh", ReceivedAt: at(0)}
			}
			if k%2 == 0 {
				require.NoError(t, db.AddMeterSamples(ctx, samples))
			} else {
				require.NoError(t, db.InTx(ctx, func(st charging.Store) error { return st.AddMeterSamples(ctx, samples) }))
			}
			want += k
			got, err := db.ListMeterSamples(ctx, tx.ID)
			require.NoError(t, err)
			require.Len(t, got, want)
			for i := range got {
				require.Equal(t, fmt.Sprint(i), got[i].RawValue)
			}
		}
	})
}

// TestGetTransactions reads several transactions at once: repeated and unknown ids, more ids
// than one statement takes, and in a transaction (where the location key is read too).
func TestGetTransactions(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newStation(t, db, "CP")
		var all []charging.Transaction
		for i := range 140 {
			tx := fullTx("CP", fmt.Sprint("k", i))
			require.NoError(t, db.CreateTransaction(ctx, &tx))
			all = append(all, tx)
		}
		got, err := db.GetTransactions(ctx, []int64{all[3].ID, 999999, all[1].ID, all[3].ID})
		require.NoError(t, err)
		require.Equal(t, []charging.Transaction{all[1], all[3]}, got)

		ids := make([]int64, 0, len(all))
		for i := len(all) - 1; i >= 0; i-- {
			ids = append(ids, all[i].ID)
		}
		require.NoError(t, db.InTx(ctx, func(st charging.Store) error {
			got, err := st.GetTransactions(ctx, ids)
			if err == nil && !assert.Equal(t, all, got) {
				return errors.New("mismatch")
			}
			return err
		}))
		got, err = db.GetTransactions(ctx, nil)
		require.NoError(t, err)
		require.Empty(t, got)
	})
}

// TestUpdateTransactionReadings stores the readings and flags of many transactions at once,
// in chunks of every size, and leaves alone a transaction that is no longer active and every
// other column.
func TestUpdateTransactionReadings(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newStation(t, db, "CP")
		for _, n := range []int{1, 3, 17, 70} {
			var txs []charging.Transaction
			for i := range n {
				tx := fullTx("CP", fmt.Sprint(n, "-", i))
				tx.Status, tx.MeterStopWh, tx.StoppedAt, tx.StopReceivedAt, tx.StopReason = charging.TxActive, nil, nil, nil, ""
				if i == n/2 && n > 1 {
					tx.Status = charging.TxCompleted
				}
				require.NoError(t, db.CreateTransaction(ctx, &tx))
				txs = append(txs, tx)
			}
			changed := make([]charging.Transaction, n)
			for i, tx := range txs {
				tx.LastMeterWh = ptr(int64(100000 + i))
				tx.AddFlag(charging.FlagTxUnresolved)
				tx.EnergyWh, tx.IDTag = 1, "NOT-STORED" // not a reading: stays as stored
				changed[i] = tx
			}
			if n == 3 {
				require.NoError(t, db.InTx(ctx, func(st charging.Store) error { return st.(*store.DB).UpdateTransactionReadings(ctx, changed) }))
			} else {
				require.NoError(t, db.UpdateTransactionReadings(ctx, changed))
			}
			for i, was := range txs {
				got, err := db.GetTransaction(ctx, was.ID)
				require.NoError(t, err)
				want := was
				if was.Status == charging.TxActive {
					want.LastMeterWh, want.Flags = changed[i].LastMeterWh, changed[i].Flags
					require.False(t, got.UpdatedAt.Before(was.UpdatedAt), "updated_at moved back")
				}
				want.UpdatedAt = got.UpdatedAt
				require.Equal(t, want, got, "%d transactions, #%d", n, i)
				if was.Status != charging.TxActive {
					require.Equal(t, was.UpdatedAt, got.UpdatedAt, "a completed transaction was updated")
				}
			}
		}
	})
}
