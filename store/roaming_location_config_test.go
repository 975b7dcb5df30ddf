package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
	"github.com/chargehub/hub/store/storetest"
)

// TestLocationConfigAndLock: connector defaults and the configuration time round-trip per
// station; LockLocation finds (and on PostgreSQL locks) a location; AfterCommit runs after a
// commit only; the charging and roaming stores of one transaction reach each other.
func TestLocationConfigAndLock(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, err := store.Open(ctx, url, store.Options{})
		require.NoError(t, err)
		t.Cleanup(func() { _ = db.Close() })
		rs := db.Roaming()
		at := time.Date(2025, 1, 14, 8, 0, 0, 0, time.UTC)
		loc := ocpi.Location{CountryCode: "IN", PartyID: "HUB", ID: "LOC-1", Publish: true, Address: "a", City: "b", Country: "IND",
			Coordinates: ocpi.GeoLocation{Latitude: "12.975600", Longitude: "77.606500"}, TimeZone: "Asia/Kolkata",
			LastUpdated: ocpi.NewDateTime(at)}
		defaults := map[string]roaming.ConnectorDefaults{"CP-1": {Standard: ocpi.ConnectorIEC62196T2, Format: ocpi.ConnectorFormatSocket,
			PowerType: ocpi.PowerTypeAC3Phase, MaxVoltage: 230, MaxAmperage: 32, TariffIDs: []string{"T1"},
			EVSEs: map[string]roaming.ConnectorDefaults{"2": {PowerType: ocpi.PowerTypeDC}}}}
		_, err = rs.PutLocation(ctx, &roaming.Location{OCPI: loc, StationIDs: []string{"CP-1", "CP-2"}, Connectors: defaults,
			ConfiguredAt: at})
		require.NoError(t, err)
		got, err := rs.GetLocation(ctx, "loc-1")
		require.NoError(t, err)
		require.Equal(t, defaults, got.Connectors, "CP-2 has none")
		require.True(t, at.Equal(got.ConfiguredAt))
		bySt, err := rs.LocationOfStation(ctx, "CP-1")
		require.NoError(t, err)
		require.Equal(t, defaults, bySt.Connectors)

		v, err := rs.LockLocation(ctx, "loc-1")
		require.NoError(t, err)
		require.Equal(t, int64(1), v, "first save")
		require.Equal(t, int64(1), got.Version)
		_, err = rs.PutLocation(ctx, &roaming.Location{OCPI: loc, StationIDs: []string{"CP-1"}, Connectors: defaults, ConfiguredAt: at})
		require.NoError(t, err)
		v, err = rs.LockLocation(ctx, "LOC-1")
		require.NoError(t, err)
		require.Equal(t, int64(2), v, "every save is a version")
		got, err = rs.GetLocation(ctx, "loc-1")
		require.NoError(t, err)
		require.Equal(t, int64(2), got.Version)
		require.Equal(t, []string{"CP-1"}, got.StationIDs)
		_, err = rs.LockLocation(ctx, "LOC-9")
		require.True(t, charging.IsNotFound(err))

		ran := 0
		err = db.InTx(ctx, func(tx charging.Store) error {
			r := tx.(interface{ RoamingStore() roaming.Store }).RoamingStore()
			_, err := r.LockLocation(ctx, "LOC-1")
			require.NoError(t, err)
			require.Same(t, tx, r.(interface{ Charging() charging.Store }).Charging())
			r.(interface{ AfterCommit(func()) }).AfterCommit(func() { ran++ })
			require.Zero(t, ran, "not before the commit")
			return nil
		})
		require.NoError(t, err)
		require.Equal(t, 1, ran)
		err = db.InTx(ctx, func(tx charging.Store) error {
			tx.(*store.DB).AfterCommit(func() { ran++ })
			return errors.New("rollback")
		})
		require.Error(t, err)
		require.Equal(t, 1, ran, "not after a rollback")
		db.AfterCommit(func() { ran++ })
		require.Equal(t, 2, ran, "outside a transaction: at once")
	})
}
