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

func TestStationRoundTrip(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		plus2 := time.FixedZone("UTC+2", 2*3600)
		full := charging.Station{
			ID: "CP-1", Vendor: "V", Model: "M", SerialNumber: "SN", ChargeBoxSerial: "CBS",
			FirmwareVersion: "1.2.3", ICCID: "8901", IMSI: "2620", MeterType: "MT", MeterSerialNumber: "MSN",
			Protocol: charging.OCPP201, Registration: charging.RegistrationPending,
			AcceptedAt:      ptr(time.Date(2025, 1, 2, 5, 4, 5, 678_999_999, plus2)), // stored UTC, ms
			SecurityProfile: 2, PasswordHash: "$argon2id$x", Online: true,
			LastSeen: ptr(at(-time.Minute)), LastBootAt: ptr(at(-time.Hour)),
			CreatedAt: at(-24 * time.Hour),
		}
		require.NoError(t, db.CreateStation(ctx, full))
		got, err := db.GetStation(ctx, "CP-1")
		require.NoError(t, err)
		want := full
		want.AcceptedAt = ptr(time.Date(2025, 1, 2, 3, 4, 5, 678_000_000, time.UTC))
		want.UpdatedAt = testNow
		require.Equal(t, want, got)

		// Zero values and nil pointers round-trip too; CreatedAt defaults to now.
		require.NoError(t, db.CreateStation(ctx, charging.Station{ID: "CP-2"}))
		got, err = db.GetStation(ctx, "CP-2")
		require.NoError(t, err)
		require.Equal(t, charging.Station{ID: "CP-2", CreatedAt: testNow, UpdatedAt: testNow}, got)
		require.False(t, got.EverAccepted())

		requireCode(t, charging.CodeConflict, db.CreateStation(ctx, charging.Station{ID: "CP-1"}))
		_, err = db.GetStation(ctx, "nope")
		requireCode(t, charging.CodeNotFound, err)

		// UpdateStation replaces every field but CreatedAt.
		upd := charging.Station{ID: "CP-1", Vendor: "V2", Protocol: charging.OCPP16,
			Registration: charging.RegistrationAccepted, CreatedAt: at(time.Hour), UpdatedAt: at(time.Hour)}
		require.NoError(t, db.UpdateStation(ctx, upd))
		got, err = db.GetStation(ctx, "CP-1")
		require.NoError(t, err)
		want = upd
		want.CreatedAt, want.UpdatedAt = full.CreatedAt, testNow
		require.Equal(t, want, got)
		requireCode(t, charging.CodeNotFound, db.UpdateStation(ctx, charging.Station{ID: "nope"}))
	})
}

func TestListStations(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i := range 5 {
			s := charging.Station{ID: fmt.Sprintf("S%d", 4-i), Online: i%2 == 0, CreatedAt: at(time.Duration(i) * time.Second)}
			require.NoError(t, db.CreateStation(ctx, s))
		}
		ids := func(ss []charging.Station) (out []string) {
			for _, s := range ss {
				out = append(out, s.ID)
			}
			return out
		}
		cases := []struct {
			f     charging.StationFilter
			ids   []string
			total int
		}{
			{charging.StationFilter{}, []string{"S4", "S3", "S2", "S1", "S0"}, 5},
			{charging.StationFilter{Limit: 2}, []string{"S4", "S3"}, 5},
			{charging.StationFilter{Offset: 2, Limit: 2}, []string{"S2", "S1"}, 5},
			{charging.StationFilter{Offset: 4, Limit: 2}, []string{"S0"}, 5},
			{charging.StationFilter{Offset: 9, Limit: 2}, nil, 5},
			{charging.StationFilter{Offset: 3}, []string{"S1", "S0"}, 5},
			{charging.StationFilter{Limit: 5}, []string{"S4", "S3", "S2", "S1", "S0"}, 5},
			{charging.StationFilter{Online: ptr(true)}, []string{"S4", "S2", "S0"}, 3},
			{charging.StationFilter{Online: ptr(false), Limit: 1}, []string{"S3"}, 2},
		}
		for _, c := range cases {
			got, n, err := db.ListStations(ctx, c.f)
			require.NoError(t, err)
			require.Equal(t, c.ids, ids(got), "%+v", c.f)
			require.Equal(t, c.total, n, "%+v", c.f)
		}
	})
}

func TestOnlineAndLastSeen(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newStation(t, db, "A")
		newStation(t, db, "B")
		newStation(t, db, "C")

		require.NoError(t, db.SetOnline(ctx, "A", true, "", at(time.Minute)))
		s, err := db.GetStation(ctx, "A")
		require.NoError(t, err)
		require.True(t, s.Online)
		require.Equal(t, at(time.Minute), *s.LastSeen)

		// Going offline with an older time keeps the newer last_seen.
		require.NoError(t, db.SetOnline(ctx, "A", false, "", at(time.Second)))
		s, err = db.GetStation(ctx, "A")
		require.NoError(t, err)
		require.False(t, s.Online)
		require.Equal(t, at(time.Minute), *s.LastSeen)
		requireCode(t, charging.CodeNotFound, db.SetOnline(ctx, "nope", true, "", testNow))

		require.NoError(t, db.SetOnline(ctx, "B", true, "", at(time.Hour)))
		require.NoError(t, db.TouchStations(ctx, map[string]time.Time{
			"A":       at(2 * time.Minute).In(time.FixedZone("X", -5*3600)), // moves forward
			"B":       at(time.Minute),                                      // older: ignored
			"C":       at(3 * time.Minute),                                  // was NULL
			"unknown": testNow,                                              // ignored
		}))
		want := map[string]time.Time{"A": at(2 * time.Minute), "B": at(time.Hour), "C": at(3 * time.Minute)}
		for id, w := range want {
			s, err := db.GetStation(ctx, id)
			require.NoError(t, err)
			require.Equal(t, w, *s.LastSeen, id)
		}
		require.NoError(t, db.TouchStations(ctx, nil))

		require.NoError(t, db.SetOnline(ctx, "C", true, "", at(3*time.Minute)))
		require.NoError(t, db.ResetOnline(ctx))
		_, n, err := db.ListStations(ctx, charging.StationFilter{Online: ptr(true)})
		require.NoError(t, err)
		require.Zero(t, n)
	})
}

func TestTouchManyStations(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const n = 1200 // three statements
		seen := make(map[string]time.Time, n)
		require.NoError(t, db.InTx(ctx, func(tx charging.Store) error {
			for i := range n {
				id := fmt.Sprintf("T%04d", i)
				seen[id] = at(time.Duration(i) * time.Millisecond)
				if err := tx.CreateStation(ctx, charging.Station{ID: id}); err != nil {
					return err
				}
			}
			return nil
		}))
		require.NoError(t, db.TouchStations(ctx, seen))
		all, total, err := db.ListStations(ctx, charging.StationFilter{})
		require.NoError(t, err)
		require.Equal(t, n, total)
		for _, s := range all {
			require.NotNil(t, s.LastSeen, s.ID)
			require.Equal(t, seen[s.ID], *s.LastSeen, s.ID)
		}
	})
}

// TestConnectors runs outside a transaction and inside one, where UpsertConnector also reads
// the station's location key (a statement of its own).
func TestConnectors(t *testing.T) {
	t.Parallel()
	for _, inTx := range []bool{false, true} {
		t.Run(fmt.Sprint("in transaction ", inTx), func(t *testing.T) { testConnectors(t, inTx) })
	}
}

func testConnectors(t *testing.T, inTx bool) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newStation(t, db, "CP")
		c := charging.Connector{StationID: "CP", EVSEID: 2, ConnectorID: 1, Status: charging.StatusFaulted,
			ErrorCode: "GroundFailure", Info: "info", VendorID: "vid", VendorErrorCode: "E42", StatusAt: at(-time.Second)}
		upsertErr := func(c charging.Connector) (applied bool, err error) {
			if !inTx {
				return db.UpsertConnector(ctx, c)
			}
			err = db.InTx(ctx, func(st charging.Store) (err error) {
				applied, err = st.UpsertConnector(ctx, c)
				return err
			})
			return applied, err
		}
		upsert := func(c charging.Connector) bool {
			t.Helper()
			applied, err := upsertErr(c)
			require.NoError(t, err)
			return applied
		}
		require.True(t, upsert(c))
		require.True(t, upsert(charging.Connector{StationID: "CP", EVSEID: 1, ConnectorID: 1, Status: charging.StatusAvailable, StatusAt: testNow}))
		require.True(t, upsert(charging.Connector{StationID: "CP", EVSEID: 0, ConnectorID: 0, Status: charging.StatusAvailable, StatusAt: testNow}))

		got, err := db.ListConnectors(ctx, "CP")
		require.NoError(t, err)
		require.Len(t, got, 3)
		require.Equal(t, [][2]int{{0, 0}, {1, 1}, {2, 1}}, [][2]int{{got[0].EVSEID, got[0].ConnectorID}, {got[1].EVSEID, got[1].ConnectorID}, {got[2].EVSEID, got[2].ConnectorID}})
		want := c
		want.UpdatedAt = testNow
		require.Equal(t, want, got[2])

		// Upsert replaces every field.
		repl := charging.Connector{StationID: "CP", EVSEID: 2, ConnectorID: 1, Status: charging.StatusCharging, StatusAt: at(time.Second)}
		require.True(t, upsert(repl))
		got, err = db.ListConnectors(ctx, "CP")
		require.NoError(t, err)
		require.Len(t, got, 3)
		repl.UpdatedAt = testNow
		require.Equal(t, repl, got[2])

		// An older status (out of order after a reconnect) leaves the newer one; the same time
		// replaces it.
		require.False(t, upsert(charging.Connector{StationID: "CP", EVSEID: 2, ConnectorID: 1, Status: charging.StatusAvailable,
			StatusAt: at(time.Millisecond)}))
		same := charging.Connector{StationID: "CP", EVSEID: 2, ConnectorID: 1, Status: charging.StatusFinishing, StatusAt: at(time.Second)}
		require.True(t, upsert(same))
		got, err = db.ListConnectors(ctx, "CP")
		require.NoError(t, err)
		same.UpdatedAt = testNow
		require.Equal(t, same, got[2])

		none, err := db.ListConnectors(ctx, "other")
		require.NoError(t, err)
		require.Empty(t, none)
		_, err = upsertErr(charging.Connector{StationID: "ghost", StatusAt: testNow})
		requireCode(t, charging.CodeNotFound, err)
	})
}

func TestStationEvents(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newStation(t, db, "CP")
		newStation(t, db, "other")
		for i, kind := range []string{"FirmwareStatusNotification", "DataTransfer", "SecurityEventNotification"} {
			e := charging.StationEvent{StationID: "CP", Kind: kind, Status: fmt.Sprint("s", i), Detail: `{"i":` + fmt.Sprint(i) + `}`, At: at(time.Duration(i) * time.Second)}
			require.NoError(t, db.AddStationEvent(ctx, e))
		}
		require.NoError(t, db.AddStationEvent(ctx, charging.StationEvent{StationID: "other", Kind: "DataTransfer", At: at(time.Hour)}))

		got, err := db.ListStationEvents(ctx, "CP", 0)
		require.NoError(t, err)
		require.Len(t, got, 3)
		require.Equal(t, "SecurityEventNotification", got[0].Kind)
		require.Positive(t, got[0].ID)
		want := charging.StationEvent{ID: got[0].ID, StationID: "CP", Kind: "SecurityEventNotification", Status: "s2", Detail: `{"i":2}`, At: at(2 * time.Second)}
		require.Equal(t, want, got[0])
		require.Equal(t, "FirmwareStatusNotification", got[2].Kind)

		got, err = db.ListStationEvents(ctx, "CP", 2)
		require.NoError(t, err)
		require.Len(t, got, 2)
		requireCode(t, charging.CodeNotFound, db.AddStationEvent(ctx, charging.StationEvent{StationID: "ghost", At: testNow}))
	})
}
