package bridge_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store/storetest"
)

// TestHousekeeping: a Session PENDING for longer than the TTL (its token was refused) is declared
// INVALID and PUT to the eMSP, and stays INVALID while the transaction only sends readings; a
// transaction of a station offline for longer than the threshold is closed (stop reason
// Abandoned, flag tx_abandoned, ending at its last reading) and its CDR issued, once; a stop the
// station sends later changes nothing billed.
func TestHousekeeping(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		f := newPubFixture(t, dbURL)
		blocked := ocpi.Token{CountryCode: "NL", PartyID: "EMP", UID: "BLOCKED1", Type: ocpi.TokenTypeRFID, ContractID: "NL-EMP-C00000002-X",
			Issuer: "EMP", Valid: false, Whitelist: ocpi.WhitelistTypeAllowed, LastUpdated: ocpi.NewDateTime(f.clk.Now())}
		_, err := f.roam.ReceiveToken(ctx, f.partner, roaming.KeyOf(&blocked), blocked)
		require.NoError(t, err)
		f.pushToken(t, "04AB12CD", ocpi.WhitelistTypeAllowed)
		f.svc.Connected(ctx, "CP-1", charging.OCPP16, f.clk.Now())
		f.status(t, 1, charging.StatusPreparing)
		f.news(t)

		// A refused token: the Session stays PENDING.
		tx, _, err := f.svc.StartTransaction(ctx, charging.StartTx{StationID: "CP-1", EVSEID: 1, ConnectorID: 1, IDTag: "BLOCKED1",
			MeterStartWh: 0, Timestamp: f.clk.Now()})
		require.NoError(t, err)
		sessions, _ := pubSessionItems(f.news(t))
		require.Len(t, sessions, 1)
		require.Equal(t, ocpi.SessionStatusPending, pubBody[ocpi.Session](t, sessions[0]).Status)
		n, err := f.roam.ExpirePendingSessions(ctx, time.Hour, 0)
		require.NoError(t, err)
		require.Zero(t, n, "not stale yet")
		f.clk.Advance(61 * time.Minute)
		n, err = f.roam.ExpirePendingSessions(ctx, time.Hour, 0)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		sessions, _ = pubSessionItems(f.news(t))
		require.Len(t, sessions, 1)
		require.Equal(t, http.MethodPut, sessions[0].Method)
		require.Equal(t, pubEMSP, sessions[0].To)
		require.Equal(t, ocpi.SessionStatusInvalid, pubBody[ocpi.Session](t, sessions[0]).Status)
		id := tx.ID
		require.NoError(t, f.svc.MeterValues(ctx, charging.MeterValuesIn{StationID: "CP-1", EVSEID: 1, ConnectorID: 1,
			TransactionID: &id, Samples: []charging.RawSample{pubEnergy(f.clk.Now(), "0", "Sample.Periodic")}}))
		sessions, _ = pubSessionItems(f.news(t))
		require.Empty(t, sessions, "an expired Session is not made PENDING again")
		n, err = f.roam.ExpirePendingSessions(ctx, time.Hour, 0)
		require.NoError(t, err)
		require.Zero(t, n)
		_, err = f.svc.StopTransaction(ctx, charging.StopTx{StationID: "CP-1", TransactionID: id, MeterStopWh: 0, Timestamp: f.clk.Now()})
		require.NoError(t, err)
		f.news(t)

		// A session whose station goes offline for good.
		f.clk.Advance(time.Minute)
		t0 := f.clk.Now()
		tx, _, err = f.svc.StartTransaction(ctx, charging.StartTx{StationID: "CP-1", EVSEID: 1, ConnectorID: 1, IDTag: "04AB12CD",
			MeterStartWh: 1000, Timestamp: t0})
		require.NoError(t, err)
		id = tx.ID
		f.clk.Advance(10 * time.Minute)
		require.NoError(t, f.svc.MeterValues(ctx, charging.MeterValuesIn{StationID: "CP-1", EVSEID: 1, ConnectorID: 1,
			TransactionID: &id, Samples: []charging.RawSample{pubEnergy(f.clk.Now(), "3500", "Sample.Periodic")}}))
		lastReading := f.clk.Now()
		closed, err := f.svc.CloseAbandoned(ctx, 48*time.Hour)
		require.NoError(t, err)
		require.Empty(t, closed, "the station is online")
		f.clk.Advance(time.Minute)
		f.svc.Disconnected(ctx, "CP-1", f.clk.Now())
		f.news(t)
		f.clk.Advance(47 * time.Hour)
		closed, err = f.svc.CloseAbandoned(ctx, 48*time.Hour)
		require.NoError(t, err)
		require.Empty(t, closed, "offline for 47 hours only")
		f.clk.Advance(2 * time.Hour)
		closed, err = f.svc.CloseAbandoned(ctx, 48*time.Hour)
		require.NoError(t, err)
		require.Len(t, closed, 1)
		got, err := f.db.GetTransaction(ctx, id)
		require.NoError(t, err)
		require.Equal(t, charging.TxCompleted, got.Status)
		require.Equal(t, charging.StopReasonAbandoned, got.StopReason)
		require.True(t, got.HasFlag(charging.FlagAbandoned))
		require.True(t, got.StoppedAt.Equal(lastReading), "ends at its last reading")
		require.Equal(t, int64(2500), got.EnergyWh)
		sessions, cdrs := pubSessionItems(f.news(t))
		require.Len(t, sessions, 1)
		require.Equal(t, ocpi.SessionStatusCompleted, pubBody[ocpi.Session](t, sessions[0]).Status)
		require.Len(t, cdrs, 1, "the closed transaction's CDR is issued")
		cdr := pubBody[ocpi.CDR](t, cdrs[0])
		require.Equal(t, "2.5", cdr.TotalEnergy.String())
		require.Equal(t, "0.75", cdr.TotalCost.ExclVat.String(), "2.5 kWh at 0.30")

		closed, err = f.svc.CloseAbandoned(ctx, 48*time.Hour)
		require.NoError(t, err)
		require.Empty(t, closed)
		_, err = f.svc.StopTransaction(ctx, charging.StopTx{StationID: "CP-1", TransactionID: id, MeterStopWh: 9000,
			Timestamp: t0.Add(3 * time.Hour)})
		require.NoError(t, err)
		_, cdrs = pubSessionItems(f.news(t))
		require.Empty(t, cdrs, "the late stop issues no second CDR")
		got, err = f.db.GetTransaction(ctx, id)
		require.NoError(t, err)
		require.Equal(t, int64(2500), got.EnergyWh)
		require.True(t, got.HasFlag(charging.FlagStopRepeated))
	})
}
