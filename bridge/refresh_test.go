package bridge_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/bridge"
	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/store/storetest"
)

// gatedStore is a charging store whose InTx waits until gate is closed: the refresh workers given
// it are held before they touch the database.
type gatedStore struct {
	charging.Store
	gate chan struct{}
}

func (g gatedStore) InTx(ctx context.Context, fn func(tx charging.Store) error) error {
	select {
	case <-g.gate:
	case <-ctx.Done():
		return ctx.Err()
	}
	return g.Store.InTx(ctx, fn)
}

// chargingFixture is the publisher fixture with a transaction of 04AB12CD running on CP-1 (meter
// start 10 kWh), its pushes already seen (news). meter sends a MeterValues of one energy reading,
// taken minutes after the start, a minute after the previous change.
func chargingFixture(t *testing.T, dbURL string) (f *pubFixture, tx charging.Transaction,
	meter func(station string, txID int64, minutes int, wh string)) {
	t.Helper()
	ctx := context.Background()
	f = newPubFixture(t, dbURL)
	f.preparing(t)
	t0 := f.clk.Now()
	tx, _, err := f.svc.StartTransaction(ctx, charging.StartTx{StationID: "CP-1", EVSEID: 1, ConnectorID: 1, IDTag: "04AB12CD",
		MeterStartWh: 10000, Timestamp: t0})
	require.NoError(t, err)
	f.news(t)
	return f, tx, func(station string, txID int64, minutes int, wh string) {
		t.Helper()
		f.clk.Advance(time.Minute)
		require.NoError(t, f.svc.MeterValues(ctx, charging.MeterValuesIn{StationID: station, EVSEID: 1, ConnectorID: 1,
			TransactionID: &txID, Samples: []charging.RawSample{pubEnergy(t0.Add(time.Duration(minutes)*time.Minute), wh, "Sample.Periodic")}}))
	}
}

// TestSessionRefreshAfterMeterValues: with the refresh running, a MeterValues' Session is not
// written in the MeterValues' transaction but queued once it commits; MeterValues that arrive
// while it waits share one republication, built from the latest committed readings; a rolled-back
// MeterValues and a station in no location queue nothing; a transaction stopped before its turn
// is not republished (its stop published the final Session).
func TestSessionRefreshAfterMeterValues(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		f, tx, meter := chargingFixture(t, dbURL)
		t0 := tx.StartedAt

		gate := make(chan struct{})
		stop := f.pub.StartSessionRefresh(gatedStore{Store: f.db, gate: gate}, 2)
		meter("CP-1", tx.ID, 10, "11000")
		meter("CP-1", tx.ID, 20, "12500")
		require.Empty(t, f.news(t), "nothing is published in the MeterValues' own transactions")
		st := f.pub.SessionRefreshStats()
		require.Equal(t, 1, st.Pending, "one republication for the transaction")
		require.Equal(t, uint64(1), st.Coalesced, "the second MeterValues joined the first one's")

		// A MeterValues that rolls back queues nothing.
		boom := errors.New("boom")
		require.ErrorIs(t, f.db.InTx(ctx, func(st charging.Store) error {
			if err := f.pub.TransactionMetered(ctx, st, tx); err != nil {
				return err
			}
			return boom
		}), boom)
		require.Equal(t, uint64(1), f.pub.SessionRefreshStats().Coalesced)

		// A station in no location: nothing to publish, nothing queued.
		_, err := f.svc.RegisterStation(ctx, "CP-9", nil, 0)
		require.NoError(t, err)
		f.svc.Connected(ctx, "CP-9", charging.OCPP16, f.clk.Now())
		other, _, err := f.svc.StartTransaction(ctx, charging.StartTx{StationID: "CP-9", EVSEID: 1, ConnectorID: 1, IDTag: "04AB12CD",
			MeterStartWh: 0, Timestamp: t0})
		require.NoError(t, err)
		meter("CP-9", other.ID, 10, "500")
		st = f.pub.SessionRefreshStats()
		require.Equal(t, 1, st.Pending)
		require.Equal(t, uint64(1), st.Coalesced)

		close(gate)
		stop(ctx) // lets the workers republish what is queued
		sessions, _ := pubSessionItems(f.news(t))
		require.Len(t, sessions, 1, "the two MeterValues made one Session PUT")
		require.Equal(t, http.MethodPut, sessions[0].Method)
		s := pubBody[ocpi.Session](t, sessions[0])
		require.Equal(t, ocpi.SessionStatusActive, s.Status)
		require.Equal(t, "2.5", s.KWh.String(), "built from the latest reading")
		require.Zero(t, f.pub.SessionRefreshStats().Pending, "stopped: nothing left")

		// Stopped before its turn: the stop publishes the final Session, the queued refresh nothing.
		gate = make(chan struct{})
		stop = f.pub.StartSessionRefresh(gatedStore{Store: f.db, gate: gate}, 1)
		meter("CP-1", tx.ID, 30, "13500")
		require.Equal(t, 1, f.pub.SessionRefreshStats().Pending)
		_, err = f.svc.StopTransaction(ctx, charging.StopTx{StationID: "CP-1", TransactionID: tx.ID, IDTag: "04AB12CD",
			MeterStopWh: 14000, Timestamp: t0.Add(40 * time.Minute), Reason: "Local"})
		require.NoError(t, err)
		sessions, cdrs := pubSessionItems(f.news(t))
		require.Len(t, sessions, 1)
		require.Len(t, cdrs, 1)
		require.Equal(t, ocpi.SessionStatusCompleted, pubBody[ocpi.Session](t, sessions[0]).Status)
		close(gate)
		stop(ctx)
		require.Empty(t, f.news(t), "the completed transaction is not republished")
		require.Zero(t, f.pub.SessionRefreshStats().Failed)

		// Stopped: nothing runs, the stats read zero.
		require.Equal(t, bridge.SessionRefreshStats{}, f.pub.SessionRefreshStats())
	})
}

// TestSessionRefreshStopOutOfTime: a stop whose context has ended does not wait for the queued
// rebuilds (here held forever at the gate): it returns, and the Session stays as last published.
func TestSessionRefreshStopOutOfTime(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) { testRefreshStopOutOfTime(t, dbURL) })
}

func testRefreshStopOutOfTime(t *testing.T, dbURL string) {
	ctx := context.Background()
	f, tx, meter := chargingFixture(t, dbURL)
	stop := f.pub.StartSessionRefresh(gatedStore{Store: f.db, gate: make(chan struct{})}, 2)
	meter("CP-1", tx.ID, 1, "10700")
	done, cancel := context.WithCancel(ctx)
	cancel()
	returned := make(chan struct{})
	go func() { stop(done); close(returned) }()
	select {
	case <-returned:
	case <-time.After(10 * time.Second):
		t.Fatal("stop did not return once its context had ended")
	}
	require.Empty(t, f.news(t))
}

// TestSessionRefreshAfterUpdatedEvent: a 2.0.1 Updated event that only brings readings is published
// as a MeterValues (queued after its commit); one that changes the charging state is published in
// its own transaction, as before.
func TestSessionRefreshAfterUpdatedEvent(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		f := newPubFixture(t, dbURL)
		f.pushToken(t, "04AB12CD", ocpi.WhitelistTypeAllowed)
		f.svc.Connected(ctx, "CP-1", charging.OCPP201, f.clk.Now())
		f.status(t, 1, charging.StatusAvailable) // the EVSE is known
		event := func(typ string, seq int, state, wh string) {
			t.Helper()
			f.clk.Advance(time.Minute)
			in := charging.TxEventIn{StationID: "CP-1", EventType: typ, TriggerReason: "MeterValuePeriodic", SeqNo: seq,
				StationTxID: "TX-1", ChargingState: state, Timestamp: f.clk.Now(),
				Samples: []charging.RawSample{pubEnergy(f.clk.Now(), wh, "Sample.Periodic")}}
			if typ == charging.EventStarted {
				in.TriggerReason, in.EVSEID, in.ConnectorID, in.IDToken, in.IDTokenType = "Authorized", 1, 1, "04AB12CD", "ISO14443"
			}
			_, err := f.svc.TransactionEvent(ctx, in)
			require.NoError(t, err)
		}
		event(charging.EventStarted, 0, "Charging", "1000")
		f.news(t)

		gate := make(chan struct{})
		stop := f.pub.StartSessionRefresh(gatedStore{Store: f.db, gate: gate}, 1)
		event(charging.EventUpdated, 1, "Charging", "2500")
		require.Empty(t, f.news(t), "a reading alone: nothing in the event's own transaction")
		require.Equal(t, 1, f.pub.SessionRefreshStats().Pending)

		event(charging.EventUpdated, 2, "SuspendedEV", "2600")
		sessions, _ := pubSessionItems(f.news(t))
		require.Len(t, sessions, 1, "a new charging state is published in the event's transaction")
		require.Equal(t, "1.6", pubBody[ocpi.Session](t, sessions[0]).KWh.String())

		close(gate)
		stop(ctx)
		sessions, _ = pubSessionItems(f.news(t))
		require.Empty(t, sessions, "the queued rebuild finds the Session as published")
	})
}

// TestTransactionsMeteredWithoutRefresh: with no refresh running, a MeterValues' Session is
// republished at once after it commits, in a transaction of its own, from the committed
// readings; a transaction stopped by then is left to its stop's publication.
func TestTransactionsMeteredWithoutRefresh(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		f, tx, meter := chargingFixture(t, dbURL)
		meter("CP-1", tx.ID, 10, "11000")
		sessions, _ := pubSessionItems(f.news(t))
		require.Len(t, sessions, 1)
		require.Equal(t, "1", pubBody[ocpi.Session](t, sessions[0]).KWh.String())

		_, err := f.svc.StopTransaction(ctx, charging.StopTx{StationID: "CP-1", TransactionID: tx.ID, IDTag: "04AB12CD",
			MeterStopWh: 14000, Timestamp: tx.StartedAt.Add(40 * time.Minute), Reason: "Local"})
		require.NoError(t, err)
		require.NotEmpty(t, f.news(t))
		require.NoError(t, f.pub.TransactionsMetered(ctx, f.db, []charging.Transaction{tx}))
		require.Empty(t, f.news(t), "a stopped transaction's Session is not republished as metered")
	})
}
