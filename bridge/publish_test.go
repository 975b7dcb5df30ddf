package bridge_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/mapping"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store/storetest"
)

// TestEVSEStatusPublishing: a status change is exactly one EVSE PATCH, written in the
// transaction of the change (visible inside it, nowhere else before the commit); nothing when
// the OCPI status stays the same; a rolled-back change leaves no outbox row and no stored change.
func TestEVSEStatusPublishing(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		f := newPubFixture(t, dbURL)
		items := f.news(t)
		require.Len(t, items, 1, "the location PUT (the eMSP takes no tariffs)")
		require.Equal(t, "locations/LOC-1", items[0].ObjectKey)
		require.Empty(t, pubBody[ocpi.Location](t, items[0]).EVSEs, "CP-1 reported no connector yet")

		f.svc.Connected(ctx, "CP-1", charging.OCPP16, f.clk.Now())
		require.Empty(t, f.news(t), "online, but no EVSE yet")

		f.status(t, 1, charging.StatusAvailable)
		items = f.news(t)
		require.Len(t, items, 1, "the new EVSE is PUT")
		require.Equal(t, http.MethodPut, items[0].Method)
		require.Equal(t, "/IN/HUB/LOC-1/CP-1-1", items[0].Path)
		require.Equal(t, "locations/LOC-1", items[0].ObjectKey)
		evse := pubBody[ocpi.EVSE](t, items[0])
		require.Equal(t, ocpi.StatusAvailable, evse.Status)
		require.Equal(t, mapping.EVSEID(mapping.Identity{CountryCode: "IN", PartyID: "HUB"}, "CP-1", 1), evse.EvseID)
		require.Equal(t, []string{"T1"}, evse.Connectors[0].TariffIDs)
		require.Equal(t, ocpi.ConnectorIEC62196T2, evse.Connectors[0].Standard)

		f.status(t, 1, charging.StatusAvailable)
		require.Empty(t, f.news(t), "same status again: nothing to push")

		f.status(t, 1, charging.StatusPreparing)
		items = f.news(t)
		require.Len(t, items, 1)
		require.Equal(t, http.MethodPatch, items[0].Method)
		require.Equal(t, "/IN/HUB/LOC-1/CP-1-1", items[0].Path)
		patch := pubBody[map[string]any](t, items[0])
		require.Equal(t, map[string]any{"status": "CHARGING", "last_updated": patch["last_updated"]}, patch)
		require.Equal(t, "2025-01-14T08:00:03Z", patch["last_updated"], "the hub's receive time of the status")
		l := f.location(t)
		require.Equal(t, ocpi.StatusCharging, l.OCPI.EVSEs[0].Status, "the stored location follows")
		require.Equal(t, "2025-01-14T08:00:03Z", l.OCPI.LastUpdated.String(), "last_updated cascades to the location")

		// In the change's transaction: the PATCH is there, and only there until the commit.
		f.clk.Advance(time.Second)
		before := len(f.outbox(t))
		err := f.db.InTx(ctx, func(tx charging.Store) error {
			c := charging.Connector{StationID: "CP-1", EVSEID: 1, ConnectorID: 1, Status: charging.StatusFaulted,
				ErrorCode: "GroundFailure", StatusAt: f.clk.Now(), UpdatedAt: f.clk.Now()}
			_, err := tx.UpsertConnector(ctx, c)
			require.NoError(t, err)
			require.NoError(t, f.pub.ConnectorChanged(ctx, tx, c))
			in, _, err := tx.(interface{ RoamingStore() roaming.Store }).RoamingStore().ListOutbox(ctx,
				roaming.OutboxFilter{PartnerID: f.partner.ID})
			require.NoError(t, err)
			require.Len(t, in, before+1, "visible in the transaction")
			require.Contains(t, string(in[0].Body), "OUTOFORDER")
			require.Len(t, f.outbox(t), before, "not visible outside before the commit")
			return errors.New("the OCPP change fails")
		})
		require.EqualError(t, err, "the OCPP change fails")
		require.Empty(t, f.news(t), "rolled back: no outbox row")
		require.Equal(t, ocpi.StatusCharging, f.location(t).OCPI.EVSEs[0].Status, "rolled back: the stored EVSE is unchanged")

		// Connector 0 Unavailable: every EVSE of the station is INOPERATIVE.
		f.status(t, 2, charging.StatusAvailable)
		items = f.news(t)
		require.Len(t, items, 1)
		require.Equal(t, "/IN/HUB/LOC-1/CP-1-2", items[0].Path)
		f.status(t, 0, charging.StatusUnavailable)
		items = f.news(t)
		require.Len(t, items, 2, "one PATCH per EVSE")
		for i, uid := range []string{"CP-1-1", "CP-1-2"} {
			require.Equal(t, http.MethodPatch, items[i].Method)
			require.Equal(t, "/IN/HUB/LOC-1/"+uid, items[i].Path)
			require.Equal(t, ocpi.StatusInoperative, *pubBody[ocpi.EVSEPatch](t, items[i]).Status)
		}

		// Offline: UNKNOWN; back online: the statuses again.
		f.clk.Advance(time.Second)
		f.svc.Disconnected(ctx, "CP-1", f.clk.Now())
		items = f.news(t)
		require.Len(t, items, 2)
		require.Equal(t, ocpi.StatusUnknown, *pubBody[ocpi.EVSEPatch](t, items[0]).Status)
		f.clk.Advance(time.Second)
		f.svc.Connected(ctx, "CP-1", charging.OCPP16, f.clk.Now())
		items = f.news(t)
		require.Len(t, items, 2)
		require.Equal(t, ocpi.StatusInoperative, *pubBody[ocpi.EVSEPatch](t, items[1]).Status)
		for _, it := range f.outbox(t) {
			require.Equal(t, roaming.Party{CountryCode: "NL", PartyID: "EMP"}, it.To)
		}
	})
}

// TestLocationGeneratedFromStations: saving a location builds its EVSEs from its stations; a
// station without connector defaults is refused; a station leaving keeps its EVSEs as REMOVED;
// the operator's own EVSEs are kept.
func TestLocationGeneratedFromStations(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		f := newPubFixture(t, dbURL)
		f.svc.Connected(ctx, "CP-1", charging.OCPP16, f.clk.Now())
		f.status(t, 1, charging.StatusCharging)
		_, err := f.svc.RegisterStation(ctx, "CP-2", nil, 0)
		require.NoError(t, err)
		f.svc.Connected(ctx, "CP-2", charging.OCPP16, f.clk.Now())
		require.NoError(t, f.svc.StatusChanged(ctx, charging.Connector{StationID: "CP-2", EVSEID: 1, ConnectorID: 1,
			Status: charging.StatusAvailable}))

		loc := pubLocation()
		manual := ocpi.EVSE{UID: "MANUAL-1", Status: ocpi.StatusAvailable, Connectors: []ocpi.Connector{{ID: "1",
			Standard: ocpi.ConnectorDomesticF, Format: ocpi.ConnectorFormatSocket, PowerType: ocpi.PowerTypeAC1Phase,
			MaxVoltage: 230, MaxAmperage: 16}}}
		loc.EVSEs = []ocpi.EVSE{manual}
		_, err = f.roam.UpdateLocation(ctx, roaming.LocationInput{Location: loc, StationIDs: []string{"CP-1", "CP-2"},
			Connectors: map[string]roaming.ConnectorDefaults{"CP-1": {Standard: ocpi.ConnectorIEC62196T2,
				Format: ocpi.ConnectorFormatSocket, PowerType: ocpi.PowerTypeAC3Phase, MaxVoltage: 230, MaxAmperage: 32}}})
		require.Equal(t, charging.CodeInvalid, charging.ErrorCode(err), "CP-2 reported a connector nobody described: %v", err)

		got, err := f.roam.UpdateLocation(ctx, roaming.LocationInput{Location: loc, StationIDs: []string{"CP-1", "CP-2"},
			Connectors: map[string]roaming.ConnectorDefaults{"*": {Standard: ocpi.ConnectorIEC62196T2, Format: ocpi.ConnectorFormatCable,
				PowerType: ocpi.PowerTypeAC3Phase, MaxVoltage: 230, MaxAmperage: 32, MaxElectricPower: 22000,
				EVSEs: map[string]roaming.ConnectorDefaults{"2": {PowerType: ocpi.PowerTypeDC, MaxVoltage: 500, MaxAmperage: 100}}}}})
		require.NoError(t, err)
		var uids []string
		for _, e := range got.OCPI.EVSEs {
			uids = append(uids, e.UID+"="+string(e.Status))
		}
		require.Equal(t, []string{"CP-1-1=CHARGING", "CP-2-1=AVAILABLE", "MANUAL-1=AVAILABLE"}, uids)
		require.Len(t, got.Connectors, 2, "the * entry is expanded per station")
		last := f.outbox(t)[len(f.outbox(t))-1]
		require.Equal(t, http.MethodPut, last.Method)
		require.Equal(t, "/IN/HUB/LOC-1", last.Path)
		require.Len(t, pubBody[ocpi.Location](t, last).EVSEs, 3)

		_, err = f.roam.UpdateLocation(ctx, roaming.LocationInput{Location: pubLocation(), StationIDs: []string{"CP-2"},
			Connectors: map[string]roaming.ConnectorDefaults{"CP-2": got.Connectors["CP-2"]}})
		require.NoError(t, err)
		uids = nil
		for _, e := range f.location(t).OCPI.EVSEs {
			uids = append(uids, e.UID+"="+string(e.Status))
		}
		require.Equal(t, []string{"CP-2-1=AVAILABLE", "CP-1-1=REMOVED"}, uids, "CP-1 left; the manual EVSE was dropped by the operator")

		_, err = f.roam.UpdateLocation(ctx, roaming.LocationInput{Location: pubLocation(), StationIDs: []string{"CP-2"},
			Connectors: map[string]roaming.ConnectorDefaults{"CP-9": {}}})
		require.Equal(t, charging.CodeInvalid, charging.ErrorCode(err), "defaults for a station not in the location")

		// CP-1 belongs to no location now: its changes publish nothing.
		n := len(f.outbox(t))
		f.status(t, 1, charging.StatusAvailable)
		require.Len(t, f.outbox(t), n)
	})
}

// TestConcurrentStationsOfOneLocation: status changes of several stations of one location,
// concurrently, all end up in the stored location and each EVSE gets one push per change (no
// change of one station is lost to another's read-modify-write of the location).
func TestConcurrentStationsOfOneLocation(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		f := newPubFixture(t, dbURL)
		stations := []string{"CP-1", "CP-2", "CP-3", "CP-4"}
		for _, st := range stations[1:] {
			_, err := f.svc.RegisterStation(ctx, st, nil, 0)
			require.NoError(t, err)
		}
		_, err := f.roam.UpdateLocation(ctx, roaming.LocationInput{Location: pubLocation(), StationIDs: stations,
			Connectors: map[string]roaming.ConnectorDefaults{"*": {Standard: ocpi.ConnectorIEC62196T2, Format: ocpi.ConnectorFormatSocket,
				PowerType: ocpi.PowerTypeAC3Phase, MaxVoltage: 230, MaxAmperage: 32}}})
		require.NoError(t, err)
		for _, st := range stations {
			f.svc.Connected(ctx, st, charging.OCPP16, f.clk.Now())
		}
		f.news(t)
		var wg sync.WaitGroup
		errs := make(chan error, len(stations))
		for i, st := range stations {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := range 8 + i {
					s := charging.StatusAvailable
					if n%2 == 1 {
						s = charging.StatusCharging
					}
					if err := f.svc.StatusChanged(ctx, charging.Connector{StationID: st, EVSEID: 1, ConnectorID: 1, Status: s}); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		perEVSE := map[string]int{}
		for _, it := range f.news(t) {
			perEVSE[it.Path]++
		}
		got := map[string]ocpi.Status{}
		for _, e := range f.location(t).OCPI.EVSEs {
			got[e.UID] = e.Status
		}
		for i, st := range stations {
			want := ocpi.StatusCharging // the last of 8+i changes: odd index
			if (8+i-1)%2 == 0 {
				want = ocpi.StatusAvailable
			}
			uid := mapping.EVSEUID(st, 1)
			require.Equal(t, want, got[uid], "station %s", st)
			require.Equal(t, 8+i, perEVSE["/IN/HUB/LOC-1/"+uid], "one push per change of %s", st)
		}
	})
}

// TestStationMovedBetweenLocations: the publisher remembers which location a station is in, but
// a station moved to another location publishes there from its next change on.
func TestStationMovedBetweenLocations(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		f := newPubFixture(t, dbURL)
		f.news(t) // the location PUT
		f.svc.Connected(ctx, "CP-1", charging.OCPP16, f.clk.Now())
		f.status(t, 1, charging.StatusAvailable)
		items := f.news(t)
		require.Len(t, items, 1)
		require.Equal(t, "/IN/HUB/LOC-1/CP-1-1", items[0].Path)

		defaults := map[string]roaming.ConnectorDefaults{"*": {Standard: ocpi.ConnectorIEC62196T2, Format: ocpi.ConnectorFormatSocket,
			PowerType: ocpi.PowerTypeAC3Phase, MaxVoltage: 230, MaxAmperage: 32}}
		_, err := f.roam.UpdateLocation(ctx, roaming.LocationInput{Location: pubLocation(), Connectors: defaults})
		require.NoError(t, err, "CP-1 leaves LOC-1")
		other := pubLocation()
		other.ID, other.Name = "LOC-2", "Station Road"
		_, err = f.roam.CreateLocation(ctx, roaming.LocationInput{Location: other, StationIDs: []string{"CP-1"}, Connectors: defaults})
		require.NoError(t, err, "and joins LOC-2")
		f.news(t)

		f.status(t, 1, charging.StatusPreparing)
		items = f.news(t)
		require.Len(t, items, 1)
		require.Equal(t, "/IN/HUB/LOC-2/CP-1-1", items[0].Path, "published in the station's new location")
		require.Equal(t, "locations/LOC-2", items[0].ObjectKey)
	})
}
