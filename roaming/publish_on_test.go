package roaming_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store/storetest"
)

// TestEVSEChangesOnALockedLocation: PutEVSEOn and PatchEVSEOn change the location the caller
// locked and read without touching the caller's copy, save the same location that PutEVSE and
// PatchEVSE would, and return it at its new version for the next change.
func TestEVSEChangesOnALockedLocation(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		c := &clock{t: time.Date(2025, 1, 14, 8, 0, 0, 0, time.UTC)}
		svc, db := newService(t, dbURL, hubPeer(), c)
		loc := ocpi.Location{ID: "L1", Publish: true, Address: "a", City: "b", Country: "IND", TimeZone: "Asia/Kolkata",
			Coordinates: ocpi.GeoLocation{Latitude: "12.975600", Longitude: "77.606500"}}
		_, err := svc.CreateLocation(ctx, roaming.LocationInput{Location: loc})
		require.NoError(t, err)
		evse := func(uid string, s ocpi.Status) ocpi.EVSE {
			return ocpi.EVSE{UID: uid, Status: s, LastUpdated: ocpi.NewDateTime(c.Now()), Connectors: []ocpi.Connector{{ID: "1",
				Standard: ocpi.ConnectorIEC62196T2, Format: ocpi.ConnectorFormatSocket, PowerType: ocpi.PowerTypeAC3Phase,
				MaxVoltage: 230, MaxAmperage: 32, LastUpdated: ocpi.NewDateTime(c.Now())}}}
		}
		rs := db.Roaming()
		// The callback runs on the group commit's goroutine on SQLite: it only collects, the
		// assertions come after.
		var have, stored roaming.Location
		var one, two, three *roaming.Location
		var version int64
		err = rs.InTx(ctx, func(tx roaming.Store) (err error) {
			if version, err = tx.LockLocation(ctx, "L1"); err != nil {
				return err
			}
			if have, err = tx.GetLocation(ctx, "L1"); err != nil {
				return err
			}
			c.Advance(time.Second)
			if one, err = svc.PutEVSEOn(ctx, tx, &have, evse("E1", ocpi.StatusAvailable)); err != nil {
				return err
			}
			if two, err = svc.PutEVSEOn(ctx, tx, one, evse("E2", ocpi.StatusAvailable)); err != nil {
				return err
			}
			c.Advance(time.Second)
			status := ocpi.StatusCharging
			if three, err = svc.PatchEVSEOn(ctx, tx, two, "E1", ocpi.EVSEPatch{Status: &status, LastUpdated: ocpi.NewDateTime(c.Now())}); err != nil {
				return err
			}
			stored, err = tx.GetLocation(ctx, "L1")
			return err
		})
		require.NoError(t, err)
		require.Equal(t, version, have.Version)
		require.Empty(t, have.OCPI.EVSEs, "the caller's copy is not touched")
		require.Equal(t, version+1, one.Version)
		require.Len(t, one.OCPI.EVSEs, 1)
		require.Equal(t, ocpi.StatusAvailable, two.OCPI.EVSEs[0].Status, "the caller's copy is not touched")
		require.Equal(t, version+3, three.Version)
		require.Equal(t, three.Version, stored.Version)
		require.Len(t, stored.OCPI.EVSEs, 2)
		require.Equal(t, ocpi.StatusCharging, stored.OCPI.EVSEs[0].Status)
		require.Equal(t, ocpi.StatusAvailable, stored.OCPI.EVSEs[1].Status)
		require.Equal(t, three.OCPI.LastUpdated.String(), stored.OCPI.LastUpdated.String())
		_, err = svc.PatchEVSEOn(ctx, rs, &roaming.Location{OCPI: ocpi.Location{ID: "L1"}}, "NOPE", ocpi.EVSEPatch{})
		require.Equal(t, charging.CodeNotFound, code(err), "an unknown EVSE")
	})
}
