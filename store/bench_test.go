package store_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync/atomic"
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

// BenchmarkMeterValuesPath runs, per op, the statements one MeterValues message costs in one
// transaction (read the transaction, insert two samples, move its register forward, look up the
// station's location), from 8 goroutines at once, as many stations do.
func BenchmarkMeterValuesPath(b *testing.B) {
	forEachDBBench(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		const stations = 64
		txs := make([]int64, stations)
		for i := range txs {
			id := fmt.Sprint("CP", i)
			newStation(b, db, id)
			tx := charging.Transaction{StationID: id, EVSEID: 1, ConnectorID: 1, IDTag: "TAG",
				StartedAt: testNow, StartReceivedAt: testNow, Status: charging.TxActive}
			require.NoError(b, db.CreateTransaction(ctx, &tx))
			txs[i] = tx.ID
		}
		var next atomic.Int64
		b.SetParallelism(4) // 8 goroutines on 2 cores
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				n := next.Add(1)
				txID := txs[n%stations]
				err := db.InTx(ctx, func(st charging.Store) error {
					t, err := st.GetTransaction(ctx, txID)
					if err != nil {
						return err
					}
					v := decimal.New(n, 0)
					samples := []charging.MeterSample{
						{StationID: t.StationID, TransactionID: &t.ID, EVSEID: 1, ConnectorID: 1, Timestamp: at(time.Duration(n)),
							Measurand: "Energy.Active.Import.Register", Context: "Sample.Periodic", Format: "Raw",
							RawValue: v.String(), RawUnit: "Wh", Value: &v, Unit: "Wh", ReceivedAt: testNow},
						{StationID: t.StationID, TransactionID: &t.ID, EVSEID: 1, ConnectorID: 1, Timestamp: at(time.Duration(n)),
							Measurand: "Power.Active.Import", Context: "Sample.Periodic", Format: "Raw",
							RawValue: "7000", RawUnit: "W", Value: ptr(decimal.New(7000, 0)), Unit: "W", ReceivedAt: testNow},
					}
					if err := st.AddMeterSamples(ctx, samples); err != nil {
						return err
					}
					wh := n
					t.LastMeterWh = &wh
					if err := st.UpdateTransaction(ctx, t); err != nil {
						return err
					}
					if _, err := st.(*store.DB).Roaming().LocationKeyOfStation(ctx, t.StationID); !charging.IsNotFound(err) {
						return fmt.Errorf("location of station: %v", err)
					}
					return nil
				})
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkAddFrames inserts 500 audit frames (one batch of the frame writer) per op.
func BenchmarkAddFrames(b *testing.B) {
	forEachDBBench(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		const perOp = 500
		frames := make([]charging.Frame, perOp)
		for i := range frames {
			frames[i] = charging.Frame{StationID: fmt.Sprint("CP", i%50), Direction: charging.DirIn, MessageType: 2,
				MessageID: fmt.Sprint(i), Action: "MeterValues", At: at(time.Duration(i) * time.Millisecond),
				Payload: `{"connectorId":1,"transactionId":42,"meterValue":[{"timestamp":"2025-03-01T12:00:00Z","sampledValue":[{"value":"1234","context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","location":"Outlet","unit":"Wh"}]}]}`}
		}
		b.ReportAllocs()
		ops := 0
		for b.Loop() {
			if err := db.AddFrames(ctx, frames); err != nil {
				b.Fatal(err)
			}
			ops++
		}
		b.ReportMetric(float64(ops*perOp)/b.Elapsed().Seconds(), "frames/s")
	})
}

// BenchmarkFindRemoteStarts runs the two lookups every transaction start and stop makes of the
// remote starts (bridge linkage): by transaction, and the match by station, tag and time.
func BenchmarkFindRemoteStarts(b *testing.B) {
	forEachDBBench(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		bc := db.BridgeCommands()
		i := int64(0)
		for b.Loop() {
			i++
			if _, err := bc.FindRemoteStarts(ctx, store.RemoteStartFilter{TransactionID: i, Limit: 1}); err != nil {
				b.Fatal(err)
			}
			if _, err := bc.FindRemoteStarts(ctx, store.RemoteStartFilter{StationID: "CP", IDTag: "TAG", Unlinked: true,
				Matchable: true, CreatedFrom: at(-time.Minute), CreatedTo: at(time.Second), Limit: 10}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkMeterBatchWrite writes, per op, the samples (two each) and readings of a batch of
// k MeterValues of distinct transactions from 4 goroutines at once: with AddMeterReadings
// ("readings"), and as its two parts in one InTx ("in_tx").
func BenchmarkMeterBatchWrite(b *testing.B) {
	forEachDBBench(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		const stations = 256
		txs := make([]charging.Transaction, stations)
		for i := range txs {
			id := fmt.Sprint("CP", i)
			newStation(b, db, id)
			txs[i] = charging.Transaction{StationID: id, EVSEID: 1, ConnectorID: 1, IDTag: "TAG",
				StartedAt: testNow, StartReceivedAt: testNow, Status: charging.TxActive}
			require.NoError(b, db.CreateTransaction(ctx, &txs[i]))
		}
		batch := func(n int64, k int) ([]charging.MeterSample, []charging.Transaction) {
			var samples []charging.MeterSample
			var readings []charging.Transaction
			first := int(n*int64(k)) % stations
			for i := range k {
				t := txs[(first+i)%stations]
				v := decimal.New(n, 0)
				samples = append(samples,
					charging.MeterSample{StationID: t.StationID, TransactionID: &t.ID, EVSEID: 1, ConnectorID: 1,
						Timestamp: at(time.Duration(n)), Measurand: "Energy.Active.Import.Register", Context: "Sample.Periodic",
						Format: "Raw", RawValue: v.String(), RawUnit: "Wh", Value: &v, Unit: "Wh", ReceivedAt: testNow},
					charging.MeterSample{StationID: t.StationID, TransactionID: &t.ID, EVSEID: 1, ConnectorID: 1,
						Timestamp: at(time.Duration(n)), Measurand: "Power.Active.Import", Context: "Sample.Periodic",
						Format: "Raw", RawValue: "7000", RawUnit: "W", Value: ptr(decimal.New(7000, 0)), Unit: "W", ReceivedAt: testNow})
				wh := n
				t.LastMeterWh = &wh
				readings = append(readings, t)
			}
			slices.SortFunc(readings, func(a, b charging.Transaction) int { return cmp.Compare(a.ID, b.ID) })
			return samples, readings
		}
		for _, k := range []int{1, 4, 32} {
			for _, how := range []string{"readings", "in_tx"} {
				b.Run(fmt.Sprintf("k=%d/%s", k, how), func(b *testing.B) {
					var next atomic.Int64
					b.SetParallelism(2) // 4 goroutines on 2 cores, as the batch workers
					b.ReportAllocs()
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							samples, readings := batch(next.Add(1), k)
							var err error
							if how == "readings" {
								err = db.AddMeterReadings(ctx, samples, readings)
							} else {
								err = db.InTx(ctx, func(st charging.Store) error {
									if err := st.AddMeterSamples(ctx, samples); err != nil {
										return err
									}
									return st.(*store.DB).UpdateTransactionReadings(ctx, readings)
								})
							}
							if err != nil {
								b.Error(err)
								return
							}
						}
					})
				})
			}
		}
	})
}
