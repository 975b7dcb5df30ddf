package bridge_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/store/storetest"
)

// TestCachedLocationEqualsStored: the location the publisher keeps after each change it saves
// is deeply equal to the stored one at the stored version (every field; times to the
// nanosecond, with a clock and charger timestamps that carry fractions of a millisecond the
// stored JSON drops), so the station's next change works from it as it would from the database.
func TestCachedLocationEqualsStored(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		f := newPubFixture(t, dbURL)
		f.pushToken(t, "04AB12CD", ocpi.WhitelistTypeAllowed)
		f.clk.Advance(123456789 * time.Nanosecond)
		check := func(what string) {
			t.Helper()
			stored := f.location(t)
			cached, ok := f.pub.CachedLocation("LOC-1")
			require.True(t, ok, what)
			require.Equal(t, stored.Version, cached.Version, what)
			require.Equal(t, stored, *cached, what)
		}
		f.svc.Connected(ctx, "CP-1", charging.OCPP16, f.clk.Now())
		check("connected")
		f.status(t, 1, charging.StatusAvailable)
		check("available")
		f.status(t, 1, charging.StatusPreparing)
		check("preparing")
		t0 := f.clk.Now().Add(-456 * time.Microsecond) // the charger's own clock
		tx, _, err := f.svc.StartTransaction(ctx, charging.StartTx{StationID: "CP-1", EVSEID: 1, ConnectorID: 1, IDTag: "04AB12CD",
			MeterStartWh: 10000, Timestamp: t0})
		require.NoError(t, err)
		check("started")
		f.status(t, 1, charging.StatusCharging)
		check("charging")
		f.clk.Advance(10*time.Minute + 777*time.Microsecond)
		_, err = f.svc.StopTransaction(ctx, charging.StopTx{StationID: "CP-1", TransactionID: tx.ID, IDTag: "04AB12CD",
			MeterStopWh: 14000, Timestamp: t0.Add(10*time.Minute + 1500*time.Microsecond), Reason: "Local"})
		require.NoError(t, err)
		check("stopped")
		f.status(t, 1, charging.StatusAvailable)
		check("available again")
	})
}

// TestLocationChangesInOneTransaction: changes of one location made one after another in one
// database transaction (as SQLite's group commit runs many stations' messages) each work from
// the location as the one before saved it: both EVSEs end with their own status, and what the
// publisher keeps is the stored location.
func TestLocationChangesInOneTransaction(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		f := newPubFixture(t, dbURL)
		f.svc.Connected(ctx, "CP-1", charging.OCPP16, f.clk.Now())
		f.status(t, 1, charging.StatusAvailable)
		f.status(t, 2, charging.StatusAvailable)
		before := f.location(t)
		f.clk.Advance(time.Second)
		require.NoError(t, f.db.InTx(ctx, func(tx charging.Store) error {
			for _, c := range []charging.Connector{
				{StationID: "CP-1", EVSEID: 1, ConnectorID: 1, Status: charging.StatusPreparing, ErrorCode: "NoError", StatusAt: f.clk.Now()},
				{StationID: "CP-1", EVSEID: 2, ConnectorID: 1, Status: charging.StatusFaulted, ErrorCode: "OtherError", StatusAt: f.clk.Now()},
			} {
				if _, err := tx.UpsertConnector(ctx, c); err != nil {
					return err
				}
				if err := f.pub.ConnectorChanged(ctx, tx, c); err != nil {
					return err
				}
			}
			return nil
		}))
		stored := f.location(t)
		require.Equal(t, before.Version+2, stored.Version, "one save per change")
		status := map[string]ocpi.Status{}
		for _, e := range stored.OCPI.EVSEs {
			status[e.UID] = e.Status
		}
		require.Equal(t, map[string]ocpi.Status{"CP-1-1": ocpi.StatusCharging, "CP-1-2": ocpi.StatusOutOfOrder}, status)
		cached, ok := f.pub.CachedLocation("LOC-1")
		require.True(t, ok)
		require.Equal(t, stored, *cached)
	})
}
