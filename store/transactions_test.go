package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/store"
)

// fullTx is a transaction with every field set.
func fullTx(station, key string) charging.Transaction {
	return charging.Transaction{
		StationID: station, StationTxID: "tx-" + key, EVSEID: 1, ConnectorID: 1,
		IDTag: "TAG1", StopIDTag: "TAG2", ReservationID: ptr(7), StartKey: key,
		MeterStartWh: 1000, MeterStopWh: ptr(int64(5000)), LastMeterWh: ptr(int64(4900)),
		StartedAt: at(-time.Hour), StartReceivedAt: at(-time.Hour + time.Second),
		StoppedAt: ptr(at(-time.Minute)), StopReceivedAt: ptr(at(-time.Minute + time.Second)),
		StopReason: "Local", Status: charging.TxCompleted, EnergyWh: 4000,
		Flags: []string{charging.FlagTimestampNoZone, charging.FlagMeterReset},
	}
}

func TestTransactionRoundTrip(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newStation(t, db, "CP")
		newStation(t, db, "CP2")

		full := fullTx("CP", "k1")
		full.ID = 99 // ignored: the database assigns ids
		require.NoError(t, db.CreateTransaction(ctx, &full))
		require.Equal(t, int64(1), full.ID)
		require.Equal(t, testNow, full.UpdatedAt)
		got, err := db.GetTransaction(ctx, 1)
		require.NoError(t, err)
		require.Equal(t, full, got)

		// Minimal transaction: nil pointers, no flags; ids keep increasing.
		min := charging.Transaction{StationID: "CP", ConnectorID: 2, EVSEID: 2, Status: charging.TxActive,
			StartedAt: testNow, StartReceivedAt: testNow}
		require.NoError(t, db.CreateTransaction(ctx, &min))
		require.Equal(t, int64(2), min.ID)
		got, err = db.GetTransaction(ctx, 2)
		require.NoError(t, err)
		require.Equal(t, min, got)
		require.Nil(t, got.Flags)
		require.Nil(t, got.MeterStopWh)

		// Times are stored in UTC at millisecond precision, whatever zone they come in.
		odd := charging.Transaction{StationID: "CP2", Status: charging.TxActive,
			StartedAt:       time.Date(2025, 3, 1, 7, 0, 0, 999_999_999, time.FixedZone("EST", -5*3600)),
			StartReceivedAt: testNow}
		require.NoError(t, db.CreateTransaction(ctx, &odd))
		require.Equal(t, int64(3), odd.ID)
		require.Equal(t, time.Date(2025, 3, 1, 12, 0, 0, 999_000_000, time.UTC), odd.StartedAt)
		got, err = db.GetTransaction(ctx, 3)
		require.NoError(t, err)
		require.Equal(t, odd, got)
		require.Equal(t, time.UTC, got.StartedAt.Location())

		_, err = db.GetTransaction(ctx, 404)
		requireCode(t, charging.CodeNotFound, err)
		bad := charging.Transaction{StationID: "ghost", Status: charging.TxActive}
		requireCode(t, charging.CodeNotFound, db.CreateTransaction(ctx, &bad))
	})
}

func TestTransactionKeys(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newStation(t, db, "CP")
		newStation(t, db, "CP2")
		create := func(station, key, txID string) (charging.Transaction, error) {
			tx := charging.Transaction{StationID: station, StartKey: key, StationTxID: txID, Status: charging.TxActive}
			err := db.CreateTransaction(ctx, &tx)
			return tx, err
		}
		a, err := create("CP", "start-1", "")
		require.NoError(t, err)
		_, err = create("CP", "start-1", "")
		requireCode(t, charging.CodeConflict, err)
		_, err = create("CP2", "start-1", "") // keys are per station
		require.NoError(t, err)
		// Empty keys never collide.
		_, err = create("CP", "", "")
		require.NoError(t, err)
		_, err = create("CP", "", "")
		require.NoError(t, err)
		b, err := create("CP", "", "remote-9")
		require.NoError(t, err)
		_, err = create("CP", "other", "remote-9")
		requireCode(t, charging.CodeConflict, err)

		found, err := db.FindTransactionByStartKey(ctx, "CP", "start-1")
		require.NoError(t, err)
		require.Equal(t, a, found)
		_, err = db.FindTransactionByStartKey(ctx, "CP", "nope")
		requireCode(t, charging.CodeNotFound, err)
		_, err = db.FindTransactionByStartKey(ctx, "CP", "")
		requireCode(t, charging.CodeNotFound, err)

		// Ids are never reused, conflicts included.
		c, err := create("CP", "start-2", "")
		require.NoError(t, err)
		require.Greater(t, c.ID, b.ID)

		// An update colliding with another transaction's key is a conflict.
		c.StationTxID = "remote-9"
		requireCode(t, charging.CodeConflict, db.UpdateTransaction(ctx, c))
	})
}

func TestUpdateTransaction(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newStation(t, db, "CP")
		tx := charging.Transaction{StationID: "CP", EVSEID: 1, ConnectorID: 1, IDTag: "T", StartKey: "k",
			MeterStartWh: 10, StartedAt: at(-time.Hour), StartReceivedAt: at(-time.Hour), Status: charging.TxActive,
			Flags: []string{charging.FlagStartUnknown}}
		require.NoError(t, db.CreateTransaction(ctx, &tx))

		upd := fullTx("CP", "k2")
		upd.ID = tx.ID
		upd.StationID = "ignored" // immutable
		upd.UpdatedAt = at(-time.Hour)
		require.NoError(t, db.UpdateTransaction(ctx, upd))
		got, err := db.GetTransaction(ctx, tx.ID)
		require.NoError(t, err)
		want := upd
		want.StationID, want.UpdatedAt = "CP", testNow
		require.Equal(t, want, got)

		// Back to nil pointers and no flags.
		tx.UpdatedAt = testNow
		require.NoError(t, db.UpdateTransaction(ctx, tx))
		got, err = db.GetTransaction(ctx, tx.ID)
		require.NoError(t, err)
		require.Equal(t, tx, got)

		requireCode(t, charging.CodeNotFound, db.UpdateTransaction(ctx, charging.Transaction{ID: 404, Status: charging.TxActive}))
	})
}

func TestActiveAndListTransactions(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newStation(t, db, "A")
		newStation(t, db, "B")
		// id: station, evse, tag, status, started
		specs := []struct {
			station string
			evse    int
			tag     string
			status  charging.TxStatus
		}{
			{"A", 1, "T1", charging.TxCompleted}, // 1
			{"A", 1, "T1", charging.TxActive},    // 2
			{"A", 2, "T2", charging.TxActive},    // 3
			{"B", 1, "T1", charging.TxActive},    // 4
			{"B", 2, "T3", charging.TxCompleted}, // 5
			{"A", 2, "T1", charging.TxActive},    // 6
		}
		for i, s := range specs {
			tx := charging.Transaction{StationID: s.station, EVSEID: s.evse, ConnectorID: 1, IDTag: s.tag,
				Status: s.status, StartedAt: at(time.Duration(i) * time.Minute), StartReceivedAt: testNow}
			require.NoError(t, db.CreateTransaction(ctx, &tx))
			require.Equal(t, int64(i+1), tx.ID)
		}
		ids := func(txs []charging.Transaction) (out []int64) {
			for _, t := range txs {
				out = append(out, t.ID)
			}
			return out
		}
		active, err := db.ActiveTransactions(ctx, "A", -1)
		require.NoError(t, err)
		require.Equal(t, []int64{2, 3, 6}, ids(active))
		active, err = db.ActiveTransactions(ctx, "A", 2)
		require.NoError(t, err)
		require.Equal(t, []int64{3, 6}, ids(active))
		active, err = db.ActiveTransactions(ctx, "A", 0)
		require.NoError(t, err)
		require.Empty(t, active)
		active, err = db.ActiveTransactionsForTag(ctx, "T1")
		require.NoError(t, err)
		require.Equal(t, []int64{2, 4, 6}, ids(active))

		cases := []struct {
			f     charging.TransactionFilter
			ids   []int64
			total int
		}{
			{charging.TransactionFilter{}, []int64{1, 2, 3, 4, 5, 6}, 6},
			{charging.TransactionFilter{StationID: "A"}, []int64{1, 2, 3, 6}, 4},
			{charging.TransactionFilter{StationID: "A", Limit: 2, Offset: 1}, []int64{2, 3}, 4},
			{charging.TransactionFilter{IDTag: "T1", Status: charging.TxActive}, []int64{2, 4, 6}, 3},
			{charging.TransactionFilter{Status: charging.TxCompleted}, []int64{1, 5}, 2},
			{charging.TransactionFilter{From: ptr(at(time.Minute)), To: ptr(at(4 * time.Minute))}, []int64{2, 3, 4}, 3},
			// Range bounds in another zone mean the same instants.
			{charging.TransactionFilter{From: ptr(at(time.Minute).In(time.FixedZone("X", 9*3600)))}, []int64{2, 3, 4, 5, 6}, 5},
			{charging.TransactionFilter{To: ptr(at(time.Minute)), Limit: 10}, []int64{1}, 1},
			{charging.TransactionFilter{Limit: 4, Offset: 4}, []int64{5, 6}, 6},
			{charging.TransactionFilter{Limit: 2, Offset: 10}, nil, 6},
			{charging.TransactionFilter{StationID: "none"}, nil, 0},
		}
		for _, c := range cases {
			got, n, err := db.ListTransactions(ctx, c.f)
			require.NoError(t, err)
			require.Equal(t, c.ids, ids(got), "%+v", c.f)
			require.Equal(t, c.total, n, "%+v", c.f)
		}
	})
}

func TestInTx(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		boom := errors.New("boom")

		err := db.InTx(ctx, func(tx charging.Store) error {
			require.NoError(t, tx.CreateStation(ctx, charging.Station{ID: "rolled-back"}))
			_, err := tx.GetStation(ctx, "rolled-back") // visible inside
			require.NoError(t, err)
			return boom
		})
		require.ErrorIs(t, err, boom)
		_, err = db.GetStation(ctx, "rolled-back")
		requireCode(t, charging.CodeNotFound, err)

		require.Panics(t, func() {
			_ = db.InTx(ctx, func(tx charging.Store) error {
				require.NoError(t, tx.CreateStation(ctx, charging.Station{ID: "panicked"}))
				panic("boom")
			})
		})
		_, err = db.GetStation(ctx, "panicked")
		requireCode(t, charging.CodeNotFound, err)

		// Nested InTx reuses the transaction: the inner error rolls back everything.
		err = db.InTx(ctx, func(tx charging.Store) error {
			require.NoError(t, tx.CreateStation(ctx, charging.Station{ID: "outer"}))
			return tx.InTx(ctx, func(inner charging.Store) error {
				require.Same(t, tx, inner)
				return boom
			})
		})
		require.ErrorIs(t, err, boom)
		_, err = db.GetStation(ctx, "outer")
		requireCode(t, charging.CodeNotFound, err)

		// A conflict inside a transaction does not spoil it (PostgreSQL aborts a transaction
		// on any failed statement), so the caller can look the existing row up and commit.
		newStation(t, db, "CP")
		first := charging.Transaction{StationID: "CP", StartKey: "k", Status: charging.TxActive}
		require.NoError(t, db.CreateTransaction(ctx, &first))
		require.NoError(t, db.InTx(ctx, func(tx charging.Store) error {
			dup := charging.Transaction{StationID: "CP", StartKey: "k", Status: charging.TxActive}
			requireCode(t, charging.CodeConflict, tx.CreateTransaction(ctx, &dup))
			requireCode(t, charging.CodeConflict, tx.CreateStation(ctx, charging.Station{ID: "CP"}))
			got, err := tx.FindTransactionByStartKey(ctx, "CP", "k")
			require.NoError(t, err)
			require.Equal(t, first.ID, got.ID)
			return tx.UpsertIDTag(ctx, charging.IDTag{IDTag: "committed", Status: charging.AuthAccepted})
		}))
		_, err = db.GetIDTag(ctx, "committed")
		require.NoError(t, err)
	})
}

func TestMeterSamples(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newStation(t, db, "CP")
		tx := charging.Transaction{StationID: "CP", Status: charging.TxActive}
		require.NoError(t, db.CreateTransaction(ctx, &tx))
		require.NoError(t, db.AddMeterSamples(ctx, nil))

		values := []string{"1.500", "-0.001", "123456789012345.123456789", "0", "1e3"}
		const n = 1000 // two INSERT batches
		in := make([]charging.MeterSample, n)
		for i := range in {
			s := charging.MeterSample{
				StationID: "CP", TransactionID: ptr(tx.ID), EVSEID: 1, ConnectorID: 1,
				Timestamp: at(time.Duration(n-i) * time.Second), // inserted newest first
				Measurand: "Energy.Active.Import.Register", Phase: "L1", Location: "Outlet",
				Context: "Sample.Periodic", Format: "Raw", RawValue: fmt.Sprint(i), RawUnit: "kWh",
				Unit: "Wh", ReceivedAt: at(time.Hour),
			}
			switch i % 3 {
			case 0:
				s.Value = ptr(decimal.RequireFromString(values[i%len(values)]))
				s.Flags = []string{charging.FlagDecimalComma}
			case 1:
				s.Format, s.RawValue, s.Value = "SignedData", "BASE64==", nil
			case 2:
				s.Value = ptr(decimal.RequireFromString(values[i%len(values)]))
				s.Flags = []string{charging.FlagDecimalComma, charging.FlagTimestampNoZone}
			}
			in[i] = s
		}
		require.NoError(t, db.AddMeterSamples(ctx, in))
		// A sample without a transaction is not listed with it.
		require.NoError(t, db.AddMeterSamples(ctx, []charging.MeterSample{{StationID: "CP", Timestamp: testNow, ReceivedAt: testNow}}))

		got, err := db.ListMeterSamples(ctx, tx.ID)
		require.NoError(t, err)
		require.Len(t, got, n)
		for j, g := range got {
			w := in[n-1-j] // listed by timestamp
			require.Positive(t, g.ID)
			if w.Value == nil {
				require.Nil(t, g.Value)
			} else {
				require.NotNil(t, g.Value)
				require.True(t, w.Value.Equal(*g.Value), "%s != %s", w.Value, g.Value)
				require.Equal(t, w.Value.String(), g.Value.String())
			}
			w.ID, w.Value, g.Value = g.ID, nil, nil
			require.Equal(t, w, g)
		}
		none, err := db.ListMeterSamples(ctx, 404)
		require.NoError(t, err)
		require.Empty(t, none)
	})
}

func TestMeterSamplesAllOrNothing(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		if db.Dialect() == store.DialectSQLite {
			t.Skip("SQLite stores any value text; there is no per-row failure to provoke")
		}
		ctx := context.Background()
		newStation(t, db, "CP")
		tx := charging.Transaction{StationID: "CP", Status: charging.TxActive}
		require.NoError(t, db.CreateTransaction(ctx, &tx))
		in := make([]charging.MeterSample, 700)
		for i := range in {
			in[i] = charging.MeterSample{StationID: "CP", TransactionID: ptr(tx.ID), Timestamp: testNow, ReceivedAt: testNow}
		}
		in[650].Value = ptr(decimal.New(1, 1<<20)) // overflows numeric: the second INSERT fails
		require.Error(t, db.AddMeterSamples(ctx, in))
		got, err := db.ListMeterSamples(ctx, tx.ID)
		require.NoError(t, err)
		require.Empty(t, got, "the first batch must have been rolled back")
	})
}

// TestConcurrentWriters hammers one database from several goroutines, mixing single-statement
// writes, batches and transactions; SQLite must serialise them without SQLITE_BUSY.
func TestConcurrentWriters(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newStation(t, db, "CP")
		const workers, rounds = 8, 25
		errs := make(chan error, workers)
		for w := range workers {
			go func() {
				errs <- func() error {
					for r := range rounds {
						key := fmt.Sprintf("w%d-r%d", w, r)
						err := db.InTx(ctx, func(tx charging.Store) error {
							trx := charging.Transaction{StationID: "CP", StartKey: key, Status: charging.TxActive}
							if err := tx.CreateTransaction(ctx, &trx); err != nil {
								return err
							}
							trx.Status = charging.TxCompleted
							return tx.UpdateTransaction(ctx, trx)
						})
						if err != nil {
							return err
						}
						frames := []charging.Frame{{StationID: "CP", Direction: charging.DirIn, MessageID: key, At: testNow}}
						if err := db.AddFrames(ctx, frames); err != nil {
							return err
						}
						if err := db.TouchStations(ctx, map[string]time.Time{"CP": at(time.Duration(r) * time.Second)}); err != nil {
							return err
						}
						if _, _, err := db.ListTransactions(ctx, charging.TransactionFilter{Limit: 5}); err != nil {
							return err
						}
					}
					return nil
				}()
			}()
		}
		for range workers {
			require.NoError(t, <-errs)
		}
		_, n, err := db.ListTransactions(ctx, charging.TransactionFilter{Status: charging.TxCompleted})
		require.NoError(t, err)
		require.Equal(t, workers*rounds, n)
	})
}
