package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/store"
	"github.com/chargehub/hub/store/storetest"
)

// forEachDBBench runs fn as sub-benchmarks on a fresh SQLite and PostgreSQL database.
func forEachDBBench(b *testing.B, fn func(b *testing.B, db *store.DB)) {
	b.Run(store.DialectSQLite, func(b *testing.B) { fn(b, openDB(b, storetest.SQLiteURL(b), store.Options{})) })
	b.Run(store.DialectPostgres, func(b *testing.B) { fn(b, openDB(b, storetest.PostgresURL(b), store.Options{})) })
}

// BenchmarkAddMeterSamples inserts 100 samples (a busy MeterValues flush) per op.
func BenchmarkAddMeterSamples(b *testing.B) {
	forEachDBBench(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		newStation(b, db, "CP")
		tx := charging.Transaction{StationID: "CP", Status: charging.TxActive}
		require.NoError(b, db.CreateTransaction(ctx, &tx))
		const perOp = 100
		samples := make([]charging.MeterSample, perOp)
		for i := range samples {
			samples[i] = charging.MeterSample{
				StationID: "CP", TransactionID: &tx.ID, EVSEID: 1, ConnectorID: 1,
				Timestamp: at(time.Duration(i) * time.Second), Measurand: "Energy.Active.Import.Register",
				Context: "Sample.Periodic", Format: "Raw", RawValue: fmt.Sprintf("%d.5", i), RawUnit: "kWh",
				Value: ptr(decimal.New(int64(i)*1000+500, 0)), Unit: "Wh", ReceivedAt: testNow,
			}
		}
		ops := 0
		for b.Loop() {
			if err := db.AddMeterSamples(ctx, samples); err != nil {
				b.Fatal(err)
			}
			ops++
		}
		b.ReportMetric(float64(ops*perOp)/b.Elapsed().Seconds(), "samples/s")
	})
}

// BenchmarkCreateTransaction creates one transaction per op.
func BenchmarkCreateTransaction(b *testing.B) {
	forEachDBBench(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		newStation(b, db, "CP")
		i := 0
		for b.Loop() {
			i++
			tx := charging.Transaction{
				StationID: "CP", EVSEID: 1, ConnectorID: 1, IDTag: "TAG", StartKey: fmt.Sprint("k", i),
				MeterStartWh: 1000, StartedAt: testNow, StartReceivedAt: testNow, Status: charging.TxActive,
				Flags: []string{charging.FlagTimestampNoZone},
			}
			if err := db.CreateTransaction(ctx, &tx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
