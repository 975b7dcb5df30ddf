package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
)

// TestPutLocationSetsStoredForm: after PutLocation the location in memory is what GetLocation
// returns (version, creation, update and configuration times as stored), on a first save, a
// save with the same stations, one that changes them and SaveLocationBody (which refuses a
// location read at an older version). The publisher caches saved locations on
// that basis.
func TestPutLocationSetsStoredForm(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rs := db.Roaming()
		newStation(t, db, "CP-1")
		newStation(t, db, "CP-2")
		same := func(l *roaming.Location) {
			t.Helper()
			got, err := rs.GetLocation(ctx, l.OCPI.ID)
			require.NoError(t, err)
			want, err := json.Marshal(got) // times as RFC 3339 with nanoseconds: exact
			require.NoError(t, err)
			have, err := json.Marshal(l)
			require.NoError(t, err)
			require.JSONEq(t, string(want), string(have))
			require.True(t, got.UpdatedAt.Equal(l.UpdatedAt) && got.CreatedAt.Equal(l.CreatedAt))
		}
		l := &roaming.Location{OCPI: testLocation("Loc-S", testNow.Add(123456*time.Microsecond)),
			StationIDs: []string{"CP-1"}, ConfiguredAt: testNow.Add(987654321 * time.Nanosecond)}
		created, err := rs.PutLocation(ctx, l)
		require.NoError(t, err)
		require.True(t, created)
		require.Equal(t, int64(1), l.Version)
		require.False(t, l.CreatedAt.IsZero())
		same(l)

		l.OCPI.EVSEs = append(l.OCPI.EVSEs, ocpi.EVSE{UID: "CP-1-1", Status: ocpi.StatusAvailable,
			Connectors: []ocpi.Connector{{ID: "1", Standard: ocpi.ConnectorIEC62196T2, Format: ocpi.ConnectorFormatSocket,
				PowerType: ocpi.PowerTypeAC3Phase, MaxVoltage: 230, MaxAmperage: 32, LastUpdated: ocpi.NewDateTime(testNow)}},
			LastUpdated: ocpi.NewDateTime(testNow.Add(time.Second + 5*time.Microsecond))})
		created, err = rs.PutLocation(ctx, l) // same stations: the EVSE path
		require.NoError(t, err)
		require.False(t, created)
		require.Equal(t, int64(2), l.Version)
		same(l)

		l.StationIDs = []string{"CP-2", "CP-1"}
		_, err = rs.PutLocation(ctx, l)
		require.NoError(t, err)
		require.Equal(t, int64(3), l.Version)
		same(l)

		// SaveLocationBody: the OCPI object alone, over the version it was read at
		l.OCPI.EVSEs[0].Status = ocpi.StatusCharging
		require.NoError(t, rs.SaveLocationBody(ctx, l))
		require.Equal(t, int64(4), l.Version)
		same(l)
		stale := *l
		stale.Version = 3
		requireCode(t, charging.CodeConflict, rs.SaveLocationBody(ctx, &stale))
		requireCode(t, charging.CodeNotFound, rs.SaveLocationBody(ctx, &roaming.Location{OCPI: testLocation("LOC-X", testNow), Version: 1}))
		got, err := rs.GetLocation(ctx, l.OCPI.ID)
		require.NoError(t, err)
		require.Equal(t, int64(4), got.Version, "a refused save changes nothing")
		require.Equal(t, []string{"CP-2", "CP-1"}, got.StationIDs)
	})
}
