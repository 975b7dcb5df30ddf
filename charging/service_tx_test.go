package charging_test

import (
	"testing"
	"time"

	"github.com/chargehub/hub/charging"
)

func setupCP(t *testing.T, e env) {
	t.Helper()
	must[charging.Station](t)(e.svc.RegisterStation(e.ctx, "CP1", nil, 0))
	must[charging.IDTag](t)(e.svc.PutIDTag(e.ctx, charging.IDTag{IDTag: "TAG1"}))
	must[charging.IDTag](t)(e.svc.PutIDTag(e.ctx, charging.IDTag{IDTag: "TAG2"}))
}

type startOut struct {
	tx   charging.Transaction
	auth charging.AuthInfo
}

func start(t *testing.T, e env, evse int, tag string, meter int64, at time.Time) startOut {
	t.Helper()
	tx, auth, err := e.svc.StartTransaction(e.ctx, charging.StartTx{StationID: "CP1", EVSEID: evse, ConnectorID: 1,
		IDTag: tag, MeterStartWh: meter, Timestamp: at})
	if err != nil {
		t.Fatal(err)
	}
	return startOut{tx, auth}
}

func TestStartIsIdempotentAndIDsArePositive(t *testing.T) {
	forEachEnv(t, charging.Config{}, func(t *testing.T, e env) {
		setupCP(t, e)
		a := start(t, e, 1, "TAG1", 1000, t0.Add(-time.Minute))
		b := start(t, e, 1, "TAG1", 1000, t0.Add(-time.Minute)) // resent
		if a.tx.ID <= 0 || a.tx.ID != b.tx.ID || b.auth.Status != charging.AuthAccepted {
			t.Fatalf("resend gave %d (%s), first %d", b.tx.ID, b.auth.Status, a.tx.ID)
		}
		c := start(t, e, 2, "TAG2", 50, t0)
		if c.tx.ID == a.tx.ID || c.tx.ID <= 0 || c.tx.ID > 1<<31-1 {
			t.Fatalf("second transaction id %d", c.tx.ID)
		}
		list, total, err := e.svc.Transactions(e.ctx, charging.TransactionFilter{StationID: "CP1"})
		if err != nil || total != 2 || len(list) != 2 {
			t.Fatalf("transactions: %d %v", total, err)
		}
	})
}

func TestConcurrentTxAndUnknownTagStillGetAnID(t *testing.T) {
	forEachEnv(t, charging.Config{}, func(t *testing.T, e env) {
		setupCP(t, e)
		start(t, e, 1, "TAG1", 0, t0)
		busy := start(t, e, 2, "TAG1", 0, t0.Add(time.Second))
		if busy.auth.Status != charging.AuthConcurrentTx || busy.tx.ID <= 0 {
			t.Fatalf("same tag on another EVSE: %s id %d", busy.auth.Status, busy.tx.ID)
		}
		unknown := start(t, e, 3, "NOBODY", 0, t0)
		if unknown.auth.Status != charging.AuthUnknown || unknown.tx.ID <= 0 {
			t.Fatalf("unknown tag: %s id %d", unknown.auth.Status, unknown.tx.ID)
		}
	})
}

func TestStopComputesEnergyAndIsIdempotent(t *testing.T) {
	forEachEnv(t, charging.Config{}, func(t *testing.T, e env) {
		setupCP(t, e)
		s := start(t, e, 1, "TAG1", 1000, t0.Add(-time.Hour))
		id := s.tx.ID
		if err := e.svc.MeterValues(e.ctx, charging.MeterValuesIn{StationID: "CP1", EVSEID: 1, ConnectorID: 1, TransactionID: &id,
			Samples: []charging.RawSample{{Timestamp: t0.Add(-30 * time.Minute), Value: "2.5", Unit: "kWh"},
				{Timestamp: t0.Add(-30 * time.Minute), Value: "7.2", Unit: "kW", Measurand: "Power.Active.Import"}}}); err != nil {
			t.Fatal(err)
		}
		tx := must[charging.Transaction](t)(e.db.GetTransaction(e.ctx, id))
		if tx.LastMeterWh == nil || *tx.LastMeterWh != 2500 {
			t.Fatalf("last meter %v", tx.LastMeterWh)
		}
		stop := charging.StopTx{StationID: "CP1", TransactionID: id, IDTag: "TAG1", MeterStopWh: 4000, Timestamp: t0, Reason: "EVDisconnected"}
		r1 := must[charging.StopResult](t)(e.svc.StopTransaction(e.ctx, stop))
		if r1.Transaction.Status != charging.TxCompleted || r1.Transaction.EnergyWh != 3000 || r1.Auth == nil ||
			r1.Auth.Status != charging.AuthAccepted || r1.Duplicate {
			t.Fatalf("stop: %+v", r1)
		}
		r2 := must[charging.StopResult](t)(e.svc.StopTransaction(e.ctx, stop))
		if !r2.Duplicate || r2.Transaction.EnergyWh != 3000 {
			t.Fatalf("resent stop: %+v", r2)
		}
		samples := must[[]charging.MeterSample](t)(e.db.ListMeterSamples(e.ctx, id))
		if len(samples) != 2 || samples[0].RawValue == "" {
			t.Fatalf("samples %+v", samples)
		}
	})
}

func TestStopWithBadIDIsReconciled(t *testing.T) {
	forEachEnv(t, charging.Config{}, func(t *testing.T, e env) {
		setupCP(t, e)
		s := start(t, e, 1, "TAG1", 1000, t0.Add(-time.Hour))
		r := must[charging.StopResult](t)(e.svc.StopTransaction(e.ctx, charging.StopTx{StationID: "CP1", TransactionID: -1,
			IDTag: "TAG1", MeterStopWh: 1500, Timestamp: t0}))
		if r.Transaction.ID != s.tx.ID || r.Transaction.EnergyWh != 500 || !r.Transaction.HasFlag(charging.FlagTxUnresolved) {
			t.Fatalf("reconciled stop: %+v", r.Transaction)
		}
	})
}

func TestStopForUnknownTransactionBecomesOrphan(t *testing.T) {
	forEachEnv(t, charging.Config{}, func(t *testing.T, e env) {
		setupCP(t, e)
		in := charging.StopTx{StationID: "CP1", TransactionID: 777, IDTag: "TAG2", MeterStopWh: 9000, Timestamp: t0,
			Samples: []charging.RawSample{{Timestamp: t0.Add(-2 * time.Hour), Value: "6000", Context: "Transaction.Begin"}}}
		r := must[charging.StopResult](t)(e.svc.StopTransaction(e.ctx, in))
		tx := r.Transaction
		if !tx.HasFlag(charging.FlagTxOrphan) || tx.Status != charging.TxCompleted || tx.MeterStartWh != 6000 ||
			tx.EnergyWh != 3000 || !tx.StartedAt.Equal(t0.Add(-2*time.Hour)) {
			t.Fatalf("orphan: %+v", tx)
		}
		again := must[charging.StopResult](t)(e.svc.StopTransaction(e.ctx, in))
		if again.Transaction.ID != tx.ID || !again.Duplicate {
			t.Fatalf("resent orphan stop created %d (dup=%v), first %d", again.Transaction.ID, again.Duplicate, tx.ID)
		}
	})
}

func TestMeterResetNeverNegative(t *testing.T) {
	forEachEnv(t, charging.Config{}, func(t *testing.T, e env) {
		setupCP(t, e)
		s := start(t, e, 1, "TAG1", 50000, t0.Add(-time.Hour))
		id := s.tx.ID
		for i, v := range []string{"52000", "100"} {
			if err := e.svc.MeterValues(e.ctx, charging.MeterValuesIn{StationID: "CP1", EVSEID: 1, ConnectorID: 1, TransactionID: &id,
				Samples: []charging.RawSample{{Timestamp: t0.Add(time.Duration(i-50) * time.Minute), Value: v}}}); err != nil {
				t.Fatal(err)
			}
		}
		r := must[charging.StopResult](t)(e.svc.StopTransaction(e.ctx, charging.StopTx{StationID: "CP1", TransactionID: id,
			MeterStopWh: 600, Timestamp: t0}))
		if r.Transaction.EnergyWh != 2000+100+500 || !r.Transaction.HasFlag(charging.FlagMeterReset) {
			t.Fatalf("energy %d flags %v", r.Transaction.EnergyWh, r.Transaction.Flags)
		}
	})
}

func TestNewStartSupersedesForgottenTransaction(t *testing.T) {
	forEachEnv(t, charging.Config{}, func(t *testing.T, e env) {
		setupCP(t, e)
		first := start(t, e, 1, "TAG1", 100, t0.Add(-2*time.Hour))
		second := start(t, e, 1, "TAG2", 900, t0)
		old := must[charging.Transaction](t)(e.db.GetTransaction(e.ctx, first.tx.ID))
		if old.Status != charging.TxCompleted || old.StopReason != charging.StopReasonSuperseded || !old.HasFlag(charging.FlagSuperseded) {
			t.Fatalf("old transaction: %+v", old)
		}
		if second.auth.Status != charging.AuthAccepted {
			t.Fatalf("second start %s", second.auth.Status)
		}
	})
}

func TestMeterValuesWithUnusableIDAttachToOpenTransaction(t *testing.T) {
	forEachEnv(t, charging.Config{}, func(t *testing.T, e env) {
		setupCP(t, e)
		s := start(t, e, 2, "TAG1", 0, t0.Add(-time.Hour))
		zero := int64(0)
		if err := e.svc.MeterValues(e.ctx, charging.MeterValuesIn{StationID: "CP1", EVSEID: 2, ConnectorID: 1, TransactionID: &zero,
			Samples: []charging.RawSample{{Timestamp: t0, Value: "1234"}}}); err != nil {
			t.Fatal(err)
		}
		samples := must[[]charging.MeterSample](t)(e.db.ListMeterSamples(e.ctx, s.tx.ID))
		if len(samples) != 1 {
			t.Fatalf("samples attached: %d", len(samples))
		}
		tx := must[charging.Transaction](t)(e.db.GetTransaction(e.ctx, s.tx.ID))
		if !tx.HasFlag(charging.FlagTxUnresolved) || *tx.LastMeterWh != 1234 {
			t.Fatalf("tx %+v", tx)
		}
	})
}
