package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/chargehub/hub/charging"
)

// AddMeterReadings stores samples and, as UpdateTransactionReadings does, the readings of txs
// (distinct ids) where the transaction is still active: all or none. It needs no transaction of
// the caller's. On PostgreSQL both go in one statement whatever their count (arrays, unnested),
// so a MeterValues batch outside a transaction costs one round trip, where BEGIN, the
// statements and COMMIT took four or more; on SQLite they run as one InTx callback, which the
// group commit shares with others.
func (db *DB) AddMeterReadings(ctx context.Context, samples []charging.MeterSample, txs []charging.Transaction) error {
	if len(samples) == 0 && len(txs) == 0 {
		return nil
	}
	if db.dialect != DialectPostgres {
		return db.atomicDB(ctx, func(d *DB) error {
			if err := d.AddMeterSamples(ctx, samples); err != nil {
				return err
			}
			return d.UpdateTransactionReadings(ctx, txs)
		})
	}
	_, err := db.exec(ctx, meterReadingsPG, meterReadingsArgs(samples, txs, db.now())...)
	return translate(err, "add %d meter samples and %d readings", len(samples), len(txs))
}

// meterReadingsPG inserts the samples (parameters 1 to 16: one array a column, in the order of
// meterSampleCols) and updates the readings (17 to 19: ids, readings, flags; 20: the time; 21:
// the active status) in one statement. A data-modifying WITH runs once, to completion, whether
// or not the UPDATE reads it; with its UPDATE it is one implicit transaction. Every count takes
// this one prepared statement. Its plan must stay on the primary key (id = ANY(ids)), so the
// status is tested in the assignments, not in the WHERE clause: there "status = 'Active'" let
// PostgreSQL read every active transaction through the partial index transactions_active_idx
// instead, in plans made while the table was small (0.2–6 ms a batch at 5,000 active, seen
// with auto_explain). A transaction stopped between the batch's read and this write (rare)
// gets a row version with the same values.
var meterReadingsPG = sqlText{pg: func() string {
	types := []string{"text", "bigint", "integer", "integer", "timestamptz", "text", "text",
		"text", "text", "text", "text", "text", "numeric", "text", "text", "timestamptz"}
	arrays := make([]string, len(types))
	for i, t := range types {
		arrays[i] = "$" + strconv.Itoa(i+1) + "::" + t + "[]"
	}
	cols := strings.Join(meterSampleCols, ", ")
	return "WITH s AS (INSERT INTO meter_samples (" + cols + ") SELECT " + cols +
		" FROM unnest(" + strings.Join(arrays, ", ") + ") AS m(" + cols + "))" +
		" UPDATE transactions SET" +
		" last_meter_wh = CASE WHEN status = $21 THEN ($18::bigint[])[array_position($17::bigint[], id)] ELSE last_meter_wh END," +
		" flags = CASE WHEN status = $21 THEN ($19::text[])[array_position($17::bigint[], id)] ELSE flags END," +
		" updated_at = CASE WHEN status = $21 THEN $20 ELSE updated_at END" +
		" WHERE id = ANY($17::bigint[])"
}()}

// meterReadingsArgs returns meterReadingsPG's arguments: a slice per column.
func meterReadingsArgs(samples []charging.MeterSample, txs []charging.Transaction, now time.Time) []any {
	n := len(samples)
	var (
		station, measurand, phase, location = make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		sctx, format, rawValue, rawUnit     = make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		unit, flags                         = make([]string, n), make([]string, n)
		value                               = make([]*string, n)
		txID                                = make([]*int64, n)
		evse, connector                     = make([]int32, n), make([]int32, n)
		at, received                        = make([]time.Time, n), make([]time.Time, n)
	)
	for i := range samples {
		s := &samples[i]
		station[i], txID[i], evse[i], connector[i] = s.StationID, s.TransactionID, int32(s.EVSEID), int32(s.ConnectorID)
		at[i], measurand[i], phase[i], location[i] = dbTime(s.Timestamp), s.Measurand, s.Phase, s.Location
		sctx[i], format[i], rawValue[i], rawUnit[i] = s.Context, s.Format, s.RawValue, s.RawUnit
		if s.Value != nil {
			v := s.Value.String()
			value[i] = &v
		}
		unit[i], flags[i], received[i] = s.Unit, joinFlags(s.Flags), dbTime(s.ReceivedAt)
	}
	ids, readings, txFlags := make([]int64, len(txs)), make([]*int64, len(txs)), make([]string, len(txs))
	for i := range txs {
		r := toTransactionRow(&txs[i])
		ids[i], readings[i], txFlags[i] = r.ID, r.LastMeterWh, r.Flags
	}
	return []any{station, txID, evse, connector, at, measurand, phase, location, sctx, format,
		rawValue, rawUnit, value, unit, flags, received, ids, readings, txFlags, now, string(charging.TxActive)}
}
