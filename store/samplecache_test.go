package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/store"
	"github.com/chargehub/hub/store/storetest"
)

// TestSampleCacheReadsWhatTheDatabaseHas: a transaction's samples read again come from memory
// plus those added since, and equal what a store without the cache reads: after more samples,
// after samples committed with an id below the highest one kept (another node's, or a
// concurrent transaction's on PostgreSQL), and never with the samples of a transaction that
// rolled back.
func TestSampleCacheReadsWhatTheDatabaseHas(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := openDB(t, url, store.Options{})
		db.KeepSamplesFrom(1)
		plain := openDB(t, url, store.Options{SampleCache: -1}) // the same database, no cache
		newStation(t, db, "CP")
		tx := charging.Transaction{StationID: "CP", Status: charging.TxActive}
		require.NoError(t, db.CreateTransaction(ctx, &tx))
		sample := func(at time.Time, wh string) charging.MeterSample {
			return charging.MeterSample{StationID: "CP", TransactionID: ptr(tx.ID), EVSEID: 1, ConnectorID: 1, Timestamp: at,
				Measurand: "Energy.Active.Import.Register", Format: "Raw", RawValue: wh, RawUnit: "Wh", Unit: "Wh", ReceivedAt: testNow}
		}
		same := func(what string, want int) {
			t.Helper()
			got, err := db.ListMeterSamples(ctx, tx.ID)
			require.NoError(t, err)
			exp, err := plain.ListMeterSamples(ctx, tx.ID)
			require.NoError(t, err)
			require.Len(t, got, want, what)
			require.Equal(t, exp, got, what)
			for i := 1; i < len(got); i++ {
				require.False(t, got[i].Timestamp.Before(got[i-1].Timestamp), "%s: by time", what)
			}
			require.Equal(t, want, db.KeptSamples(tx.ID), "%s: kept", what)
		}
		base := testNow.Truncate(time.Second)
		idOf := func(raw string) int64 {
			t.Helper()
			all, err := plain.ListMeterSamples(ctx, tx.ID)
			require.NoError(t, err)
			for _, s := range all {
				if s.RawValue == raw {
					return s.ID
				}
			}
			t.Fatalf("no sample %q", raw)
			return 0
		}
		require.NoError(t, db.AddMeterSamples(ctx, []charging.MeterSample{sample(base.Add(5*time.Second), "1"),
			sample(base.Add(5500*time.Millisecond), "2"), sample(base.Add(4900*time.Millisecond), "3")}))
		hole := idOf("2") // an id below the highest, free once its sample is gone
		require.NoError(t, db.ExecForTest(ctx, "DELETE FROM meter_samples WHERE id = ?", hole))
		same("first read", 2)
		require.NoError(t, db.AddMeterSamples(ctx, []charging.MeterSample{sample(base.Add(2*time.Second), "4"),
			sample(base.Add(9*time.Second), "5")}))
		same("two more, one of them earlier than the kept ones", 4)

		// a sample committed with an id below the highest kept one (another node's, or a
		// concurrent transaction's that committed later)
		require.NoError(t, plain.AddMeterSamples(ctx, []charging.MeterSample{sample(base.Add(7*time.Second), "6")}))
		require.NoError(t, db.ExecForTest(ctx, "UPDATE meter_samples SET id = ? WHERE id = ?", hole, idOf("6")))
		same("a sample below the kept ids", 5)

		// samples of a transaction that rolled back are neither listed nor kept
		boom := errors.New("boom")
		err := db.InTx(ctx, func(st charging.Store) error {
			if err := st.AddMeterSamples(ctx, []charging.MeterSample{sample(base.Add(20*time.Second), "7")}); err != nil {
				return err
			}
			in, err := st.ListMeterSamples(ctx, tx.ID)
			if err != nil {
				return err
			}
			if len(in) != 6 {
				return errors.New("the transaction's own sample is not listed in it")
			}
			return boom
		})
		require.ErrorIs(t, err, boom)
		require.Equal(t, 5, db.KeptSamples(tx.ID), "nothing kept of the rolled back read")
		same("after the rollback", 5)
	})
}

// readTxWithSamples writes a transaction of station CP with three samples and reads them (so
// that the cache may keep them).
func readTxWithSamples(t *testing.T, db *store.DB) int64 {
	t.Helper()
	ctx := context.Background()
	tx := charging.Transaction{StationID: "CP", Status: charging.TxActive}
	require.NoError(t, db.CreateTransaction(ctx, &tx))
	samples := make([]charging.MeterSample, 3)
	for i := range samples {
		samples[i] = charging.MeterSample{StationID: "CP", TransactionID: ptr(tx.ID), Timestamp: at(time.Duration(i) * time.Second),
			Measurand: "Energy.Active.Import.Register", RawValue: "1", ReceivedAt: testNow}
	}
	require.NoError(t, db.AddMeterSamples(ctx, samples))
	got, err := db.ListMeterSamples(ctx, tx.ID)
	require.NoError(t, err)
	require.Len(t, got, 3)
	return tx.ID
}

// TestSampleCacheIsBounded: the cache keeps at most Options.SampleCache samples in all.
func TestSampleCacheIsBounded(t *testing.T) {
	db := openDB(t, storetest.SQLiteURL(t), store.Options{SampleCache: 4})
	db.KeepSamplesFrom(1)
	newStation(t, db, "CP")
	first, second := readTxWithSamples(t, db), readTxWithSamples(t, db)
	require.Equal(t, 0, db.KeptSamples(first), "dropped for the newer list")
	require.Equal(t, 3, db.KeptSamples(second))
}

// TestSampleCacheDropsTheLeastRecentlyRead: over the bound, the list read longest ago goes (a
// finished transaction's), not one still read (a session metering).
func TestSampleCacheDropsTheLeastRecentlyRead(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, storetest.SQLiteURL(t), store.Options{SampleCache: 6})
	db.KeepSamplesFrom(1)
	newStation(t, db, "CP")
	metering := readTxWithSamples(t, db)
	for range 8 { // each round: a transaction read once, then the metering one read again
		once := readTxWithSamples(t, db)
		require.Equal(t, 3, db.KeptSamples(once))
		require.Equal(t, 3, db.KeptSamples(metering), "the list read more recently than the last round's stays")
		_, err := db.ListMeterSamples(ctx, metering)
		require.NoError(t, err)
	}
}

// TestSampleCacheSkipsShortLists: a transaction with fewer samples than the cache's minimum is
// read whole every time and not kept.
func TestSampleCacheSkipsShortLists(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, storetest.SQLiteURL(t), store.Options{})
	newStation(t, db, "CP")
	tx := charging.Transaction{StationID: "CP", Status: charging.TxActive}
	require.NoError(t, db.CreateTransaction(ctx, &tx))
	require.NoError(t, db.AddMeterSamples(ctx, []charging.MeterSample{{StationID: "CP", TransactionID: ptr(tx.ID),
		Timestamp: testNow, Measurand: "Energy.Active.Import.Register", RawValue: "1", ReceivedAt: testNow}}))
	got, err := db.ListMeterSamples(ctx, tx.ID)
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, 0, db.KeptSamples(tx.ID))
}
