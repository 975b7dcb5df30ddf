package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/store"
)

func TestTransactionOCPP201Fields(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newStation(t, db, "CP")
		newStation(t, db, "CP2")

		full := fullTx("CP", "k1")
		full.IDTokenType, full.ChargingState = "ISO14443", "SuspendedEV"
		full.RemoteStartID, full.LastSeqNo, full.TimeSpentChargingS = ptr(42), ptr(0), ptr(3600)
		require.NoError(t, db.CreateTransaction(ctx, &full))
		got, err := db.GetTransaction(ctx, full.ID)
		require.NoError(t, err)
		require.Equal(t, full, got)
		require.Equal(t, ptr(0), got.LastSeqNo, "zero is not nil")

		// Set to nil and back through UpdateTransaction.
		cleared := full
		cleared.IDTokenType, cleared.ChargingState = "", ""
		cleared.RemoteStartID, cleared.LastSeqNo, cleared.TimeSpentChargingS = nil, nil, nil
		require.NoError(t, db.UpdateTransaction(ctx, cleared))
		got, err = db.GetTransaction(ctx, full.ID)
		require.NoError(t, err)
		require.Equal(t, cleared, got)

		set := cleared
		set.IDTokenType, set.ChargingState = "eMAID", "Charging"
		set.RemoteStartID, set.LastSeqNo, set.TimeSpentChargingS = ptr(-1), ptr(17), ptr(1<<31-1)
		require.NoError(t, db.UpdateTransaction(ctx, set))
		got, err = db.GetTransaction(ctx, full.ID)
		require.NoError(t, err)
		require.Equal(t, set, got)

		// The row does not alias the caller's pointers.
		*set.LastSeqNo = 99
		got, err = db.GetTransaction(ctx, full.ID)
		require.NoError(t, err)
		require.Equal(t, 17, *got.LastSeqNo)

		// FindTransactionByStationTxID: per station, exact, never on "".
		found, err := db.FindTransactionByStationTxID(ctx, "CP", "tx-k1")
		require.NoError(t, err)
		require.Equal(t, got, found)
		_, err = db.FindTransactionByStationTxID(ctx, "CP2", "tx-k1")
		requireCode(t, charging.CodeNotFound, err)
		_, err = db.FindTransactionByStationTxID(ctx, "CP", "TX-K1")
		requireCode(t, charging.CodeNotFound, err)
		noID := charging.Transaction{StationID: "CP", Status: charging.TxActive}
		require.NoError(t, db.CreateTransaction(ctx, &noID))
		_, err = db.FindTransactionByStationTxID(ctx, "CP", "")
		requireCode(t, charging.CodeNotFound, err)
	})
}

func TestStationOCPP201Fields(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		get := func(id string) charging.Station {
			t.Helper()
			s, err := db.GetStation(ctx, id)
			require.NoError(t, err)
			return s
		}
		s := charging.Station{ID: "CP", ExpectedCN: "cp.example.com", PendingPasswordHash: "$argon2id$pending",
			ClockOffset: ptr(90*time.Second + 1500*time.Microsecond), CreatedAt: testNow}
		require.NoError(t, db.CreateStation(ctx, s))
		want := s
		want.ClockOffset = ptr(90*time.Second + time.Millisecond) // millisecond precision
		want.UpdatedAt = testNow
		require.Equal(t, want, get("CP"))

		// Negative offsets (a station clock ahead of the hub) truncate toward zero too.
		s.ClockOffset = ptr(-(2*time.Hour + 3*time.Millisecond + 999*time.Microsecond))
		require.NoError(t, db.UpdateStation(ctx, s))
		require.Equal(t, -(2*time.Hour + 3*time.Millisecond), *get("CP").ClockOffset)

		s.ClockOffset = ptr(time.Duration(0)) // known to be in sync: not the same as unknown
		require.NoError(t, db.UpdateStation(ctx, s))
		require.Equal(t, ptr(time.Duration(0)), get("CP").ClockOffset)

		s.ExpectedCN, s.PendingPasswordHash, s.ClockOffset = "", "", nil
		require.NoError(t, db.UpdateStation(ctx, s))
		got := get("CP")
		require.Empty(t, got.ExpectedCN)
		require.Empty(t, got.PendingPasswordHash)
		require.Nil(t, got.ClockOffset)

		require.NoError(t, db.CreateStation(ctx, charging.Station{ID: "CP2", ClockOffset: ptr(-time.Millisecond)}))
		require.Equal(t, -time.Millisecond, *get("CP2").ClockOffset)
	})
}

func TestTransactionEvents(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		plus1 := time.FixedZone("UTC+1", 3600)
		event := func(station, txID string, seq int) charging.TxEventRecord {
			return charging.TxEventRecord{StationID: station, StationTxID: txID, SeqNo: seq,
				EventType: "Updated", TriggerReason: "MeterValuePeriodic", Offline: seq%2 == 0,
				Timestamp:  at(time.Duration(seq) * time.Second).In(plus1).Add(999 * time.Microsecond),
				ReceivedAt: at(time.Minute), Payload: fmt.Sprintf(`{"seqNo":%d}`, seq)}
		}
		// Events are kept whether or not the station and transaction are known yet.
		var added []charging.TxEventRecord
		for _, seq := range []int{2, 0, 1, 5} { // out of order, with a gap
			e := event("CP", "tx-1", seq)
			require.NoError(t, db.AddTransactionEvent(ctx, &e))
			require.Positive(t, e.ID)
			require.Equal(t, time.UTC, e.Timestamp.Location(), "times come back as stored")
			require.Equal(t, dbTimeOf(event("CP", "tx-1", seq).Timestamp), e.Timestamp)
			added = append(added, e)
		}
		dup := event("CP", "tx-1", 1)
		dup.EventType = "Ended"
		requireCode(t, charging.CodeConflict, db.AddTransactionEvent(ctx, &dup))
		require.Zero(t, dup.ID)
		// The same seqNo of another transaction or station is no conflict.
		for _, e := range []charging.TxEventRecord{event("CP", "tx-2", 1), event("CP2", "tx-1", 1)} {
			require.NoError(t, db.AddTransactionEvent(ctx, &e))
		}

		got, err := db.ListTransactionEvents(ctx, "CP", "tx-1")
		require.NoError(t, err)
		require.Equal(t, []charging.TxEventRecord{added[1], added[2], added[0], added[3]}, got)
		require.Equal(t, "Updated", got[1].EventType, "the duplicate did not overwrite")
		none, err := db.ListTransactionEvents(ctx, "CP", "tx-404")
		require.NoError(t, err)
		require.Empty(t, none)
	})
}

// dbTimeOf is how the store keeps a time: UTC, millisecond precision.
func dbTimeOf(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// TestTransactionEventConflictInTx: a repeated seqNo inside a transaction leaves it usable
// (PostgreSQL aborts a transaction on any failed statement), so a service can treat the
// event as a duplicate and still commit its other changes.
func TestTransactionEventConflictInTx(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newStation(t, db, "CP")
		first := charging.TxEventRecord{StationID: "CP", StationTxID: "tx", SeqNo: 0, EventType: "Started",
			Timestamp: testNow, ReceivedAt: testNow}
		require.NoError(t, db.AddTransactionEvent(ctx, &first))

		require.NoError(t, db.InTx(ctx, func(tx charging.Store) error {
			again := first
			again.ID = 0
			requireCode(t, charging.CodeConflict, tx.AddTransactionEvent(ctx, &again))
			next := charging.TxEventRecord{StationID: "CP", StationTxID: "tx", SeqNo: 1, EventType: "Ended",
				Timestamp: at(time.Second), ReceivedAt: at(time.Second)}
			if err := tx.AddTransactionEvent(ctx, &next); err != nil {
				return err
			}
			trx := charging.Transaction{StationID: "CP", StationTxID: "tx", Status: charging.TxCompleted, LastSeqNo: ptr(1)}
			return tx.CreateTransaction(ctx, &trx)
		}))
		events, err := db.ListTransactionEvents(ctx, "CP", "tx")
		require.NoError(t, err)
		require.Len(t, events, 2)
		require.Equal(t, []int{0, 1}, []int{events[0].SeqNo, events[1].SeqNo})
		trx, err := db.FindTransactionByStationTxID(ctx, "CP", "tx")
		require.NoError(t, err)
		require.Equal(t, ptr(1), trx.LastSeqNo)
	})
}

func TestDeviceVariables(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newStation(t, db, "CP")
		newStation(t, db, "CP2")
		require.NoError(t, db.UpsertDeviceVariables(ctx, nil))

		v := func(component string, evse, conn int, variable, attr, value string) charging.DeviceVariable {
			return charging.DeviceVariable{StationID: "CP", Component: component, EVSEID: evse, ConnectorID: conn,
				Variable: variable, AttributeType: attr, Value: value, Mutability: "ReadWrite", DataType: "string",
				UpdatedAt: at(-time.Hour)} // ignored: the store stamps now
		}
		full := v("EVSE", 1, 0, "Power", "Actual", "22000")
		full.ComponentInstance, full.VariableInstance = "main", "L1"
		full.Persistent, full.Constant, full.SupportsMonitoring = true, true, true
		full.DataType, full.Unit, full.ValuesList = "decimal", "W", "a,b"
		full.MinLimit, full.MaxLimit = ptr("0"), ptr("22000.5")
		in := []charging.DeviceVariable{
			v("OCPPCommCtrlr", 0, 0, "HeartbeatInterval", "Actual", "300"),
			full,
			v("EVSE", 1, 0, "Power", "MaxSet", "32000"),
			v("EVSE", 2, 0, "Power", "Actual", "0"),
			v("Connector", 1, 1, "ConnectorType", "Actual", "cType2"),
			v("OCPPCommCtrlr", 0, 0, "HeartbeatInterval", "Actual", "600"), // repeated key: last wins
			v("AuthCtrlr", 0, 0, "Enabled", "Actual", "true"),
			v("AuthCtrlr", 0, 0, "Enabled", "Target", "false"),
		}
		in[7].StationID = "CP2"
		require.NoError(t, db.UpsertDeviceVariables(ctx, in))

		list := func(station string, f charging.DeviceFilter) []charging.DeviceVariable {
			t.Helper()
			got, err := db.ListDeviceVariables(ctx, station, f)
			require.NoError(t, err)
			return got
		}
		keys := func(vs []charging.DeviceVariable) (out []string) {
			for _, v := range vs {
				out = append(out, fmt.Sprintf("%s/%s/%d/%d/%s/%s/%s=%s", v.Component, v.ComponentInstance,
					v.EVSEID, v.ConnectorID, v.Variable, v.VariableInstance, v.AttributeType, v.Value))
			}
			return out
		}
		all := list("CP", charging.DeviceFilter{})
		require.Equal(t, []string{
			"AuthCtrlr//0/0/Enabled//Actual=true",
			"Connector//1/1/ConnectorType//Actual=cType2",
			"EVSE//1/0/Power//MaxSet=32000",
			"EVSE//2/0/Power//Actual=0",
			"EVSE/main/1/0/Power/L1/Actual=22000",
			"OCPPCommCtrlr//0/0/HeartbeatInterval//Actual=600",
		}, keys(all))
		want := full
		want.UpdatedAt = testNow
		require.Equal(t, want, all[4], "every field round-trips")
		require.Nil(t, all[0].MinLimit)
		require.Nil(t, all[0].MaxLimit)

		// Filters combine; an EVSE filter of 0 selects station-wide components.
		cases := []struct {
			f    charging.DeviceFilter
			want int
		}{
			{charging.DeviceFilter{Component: "EVSE"}, 3},
			{charging.DeviceFilter{Variable: "Power"}, 3},
			{charging.DeviceFilter{Component: "EVSE", EVSEID: ptr(1)}, 2},
			{charging.DeviceFilter{EVSEID: ptr(0)}, 2},
			{charging.DeviceFilter{EVSEID: ptr(1)}, 3},
			{charging.DeviceFilter{Component: "EVSE", Variable: "HeartbeatInterval"}, 0},
			{charging.DeviceFilter{Component: "evse"}, 0}, // names are exact
		}
		for _, c := range cases {
			require.Len(t, list("CP", c.f), c.want, "%+v", c.f)
		}
		require.Equal(t, []string{"AuthCtrlr//0/0/Enabled//Target=false"}, keys(list("CP2", charging.DeviceFilter{})))
		require.Empty(t, list("nope", charging.DeviceFilter{}))

		// An upsert replaces every non-key field of an existing row.
		repl := full
		repl.Value, repl.Mutability, repl.Unit, repl.ValuesList = "11000", "ReadOnly", "kW", ""
		repl.Persistent, repl.Constant, repl.SupportsMonitoring = false, false, false
		repl.MinLimit, repl.MaxLimit = nil, ptr("11000")
		added := v("EVSE", 3, 0, "Power", "Actual", "7")
		require.NoError(t, db.UpsertDeviceVariables(ctx, []charging.DeviceVariable{repl, added}))
		all = list("CP", charging.DeviceFilter{})
		require.Len(t, all, 7)
		want = repl
		want.UpdatedAt = testNow
		require.Equal(t, want, list("CP", charging.DeviceFilter{Component: "EVSE", EVSEID: ptr(1), Variable: "Power"})[1])

		// An unknown station is CodeNotFound.
		ghost := v("X", 0, 0, "Y", "Actual", "z")
		ghost.StationID = "ghost"
		requireCode(t, charging.CodeNotFound, db.UpsertDeviceVariables(ctx, []charging.DeviceVariable{ghost}))
	})
}

// TestDeviceVariablesBatches upserts a full report (several statements) and checks a failing
// batch rolls back the others.
func TestDeviceVariablesBatches(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newStation(t, db, "CP")
		const n = 1100 // three statements
		report := func(value string) []charging.DeviceVariable {
			vs := make([]charging.DeviceVariable, n)
			for i := range vs {
				vs[i] = charging.DeviceVariable{StationID: "CP", Component: fmt.Sprintf("C%04d", i/10),
					Variable: fmt.Sprintf("V%d", i%10), AttributeType: "Actual", Value: value, MinLimit: ptr(value)}
			}
			return vs
		}
		require.NoError(t, db.UpsertDeviceVariables(ctx, report("1")))
		require.NoError(t, db.UpsertDeviceVariables(ctx, report("2")))
		got, err := db.ListDeviceVariables(ctx, "CP", charging.DeviceFilter{})
		require.NoError(t, err)
		require.Len(t, got, n)
		for i, g := range got {
			require.Equal(t, "2", g.Value, i)
			require.Equal(t, ptr("2"), g.MinLimit, i)
		}

		bad := report("3")
		bad[n-1].StationID = "zz-ghost" // sorts last: the third statement fails
		requireCode(t, charging.CodeNotFound, db.UpsertDeviceVariables(ctx, bad))
		got, err = db.ListDeviceVariables(ctx, "CP", charging.DeviceFilter{})
		require.NoError(t, err)
		for i, g := range got {
			require.Equal(t, "2", g.Value, "row %d was not rolled back", i)
		}
	})
}
