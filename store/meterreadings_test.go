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
)

// TestAddMeterReadings stores samples and readings together, outside and inside a
// transaction: the samples read back as AddMeterSamples stores them (every column, a missing
// value and transaction included, more samples than any statement chunk), the readings of
// active transactions move and a completed transaction's do not.
func TestAddMeterReadings(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newStation(t, db, "CP")
		create := func(key string, status charging.TxStatus) charging.Transaction {
			tx := fullTx("CP", key)
			tx.Status = status
			if status == charging.TxActive {
				tx.MeterStopWh, tx.StoppedAt, tx.StopReceivedAt, tx.StopReason = nil, nil, nil, ""
			}
			require.NoError(t, db.CreateTransaction(ctx, &tx))
			return tx
		}
		samplesOf := func(tx charging.Transaction, n int) []charging.MeterSample {
			out := make([]charging.MeterSample, n)
			for i := range out {
				v := decimal.RequireFromString(fmt.Sprintf("%d.5", i))
				out[i] = charging.MeterSample{StationID: "CP", TransactionID: ptr(tx.ID), EVSEID: 2, ConnectorID: 3,
					Timestamp: at(time.Duration(i) * time.Second), Measurand: charging.MeasurandEnergyImport,
					Phase: "L1", Location: "Outlet", Context: "Sample.Periodic", Format: "Raw",
					RawValue: fmt.Sprintf("%d.5", i), RawUnit: "kWh", Value: &v, Unit: "Wh",
					Flags: []string{charging.FlagTxUnresolved}, ReceivedAt: at(time.Minute)}
			}
			out[n-1].Value, out[n-1].Format, out[n-1].Flags = nil, "SignedData", nil
			return out
		}
		// reference: the same samples stored by AddMeterSamples
		ref := create("ref", charging.TxActive)
		require.NoError(t, db.AddMeterSamples(ctx, samplesOf(ref, 3)))
		want, err := db.ListMeterSamples(ctx, ref.ID)
		require.NoError(t, err)

		for _, inTx := range []bool{false, true} {
			a, b := create(fmt.Sprint("a", inTx), charging.TxActive), create(fmt.Sprint("b", inTx), charging.TxActive)
			done := create(fmt.Sprint("c", inTx), charging.TxCompleted)
			samples := append(samplesOf(a, 3), samplesOf(b, 150)...)
			samples = append(samples, charging.MeterSample{StationID: "CP", Timestamp: at(0), RawValue: "x", ReceivedAt: at(0)})
			readings := []charging.Transaction{a, b, done}
			for i := range readings {
				readings[i].LastMeterWh = ptr(int64(7000 + i))
				readings[i].AddFlag(charging.FlagTxUnresolved)
			}
			if inTx {
				require.NoError(t, db.InTx(ctx, func(st charging.Store) error { return st.(*store.DB).AddMeterReadings(ctx, samples, readings) }))
			} else {
				require.NoError(t, db.AddMeterReadings(ctx, samples, readings))
			}

			got, err := db.ListMeterSamples(ctx, a.ID)
			require.NoError(t, err)
			require.Len(t, got, len(want))
			for i := range got {
				w := want[i]
				w.ID, w.TransactionID = got[i].ID, ptr(a.ID)
				require.Equal(t, w, got[i], "sample %d", i)
			}
			got, err = db.ListMeterSamples(ctx, b.ID)
			require.NoError(t, err)
			require.Len(t, got, 150)

			for i, was := range []charging.Transaction{a, b, done} {
				now, err := db.GetTransaction(ctx, was.ID)
				require.NoError(t, err)
				if was.Status == charging.TxActive {
					require.Equal(t, readings[i].LastMeterWh, now.LastMeterWh)
					require.Equal(t, readings[i].Flags, now.Flags)
				} else {
					require.Equal(t, was, now, "a completed transaction was updated")
				}
			}
		}
		require.NoError(t, db.AddMeterReadings(ctx, nil, nil))
		// readings alone, samples alone
		c := create("d", charging.TxActive)
		c.LastMeterWh = ptr(int64(9999))
		require.NoError(t, db.AddMeterReadings(ctx, nil, []charging.Transaction{c}))
		require.NoError(t, db.AddMeterReadings(ctx, samplesOf(c, 2), nil))
		now, err := db.GetTransaction(ctx, c.ID)
		require.NoError(t, err)
		require.Equal(t, int64(9999), *now.LastMeterWh)
		got, err := db.ListMeterSamples(ctx, c.ID)
		require.NoError(t, err)
		require.Len(t, got, 2)
	})
}
