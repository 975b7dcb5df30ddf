package push_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/ocpitest"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store/storetest"
)

var (
	base = time.Date(2025, 1, 14, 8, 0, 0, 0, time.UTC)
	emp  = roaming.Party{CountryCode: "NL", PartyID: "EMP"}
)

func location(id string) ocpi.Location {
	return ocpi.Location{ID: id, Publish: true, Address: "12 MG Road", City: "Bengaluru", Country: "IND",
		Coordinates: ocpi.GeoLocation{Latitude: "12.975600", Longitude: "77.606500"}, TimeZone: "Asia/Kolkata",
		EVSEs: []ocpi.EVSE{{UID: id + "-E1", EvseID: "IN*HUB*E1*1", Status: ocpi.StatusAvailable, Connectors: []ocpi.Connector{{
			ID: "1", Standard: ocpi.ConnectorIEC62196T2, Format: ocpi.ConnectorFormatSocket, PowerType: ocpi.PowerTypeAC3Phase,
			MaxVoltage: 230, MaxAmperage: 32}}}}}
}

func session(id string) ocpi.Session {
	return ocpi.Session{ID: id, StartDateTime: ocpi.NewDateTime(base), KWh: ocpi.MustDecimal("0"),
		CdrToken:   ocpi.CdrToken{CountryCode: "NL", PartyID: "EMP", UID: "04AB", Type: ocpi.TokenTypeRFID, ContractID: "NL-EMP-1"},
		AuthMethod: ocpi.AuthMethodWhitelist, LocationID: "LOC-1", EvseUID: "LOC-1-E1", ConnectorID: "1", Currency: "INR",
		Status: ocpi.SessionStatusActive}
}

func cdr(id string) ocpi.CDR {
	s := session(id)
	return ocpi.CDR{ID: id, StartDateTime: ocpi.NewDateTime(base), EndDateTime: ocpi.NewDateTime(base.Add(time.Hour)), SessionID: id,
		CdrToken: s.CdrToken, AuthMethod: ocpi.AuthMethodWhitelist,
		CdrLocation: ocpi.CdrLocation{ID: "LOC-1", Address: "12 MG Road", City: "Bengaluru", Country: "IND",
			Coordinates: ocpi.GeoLocation{Latitude: "12.975600", Longitude: "77.606500"}, EvseUID: "LOC-1-E1", EvseID: "IN*HUB*E1*1",
			ConnectorID: "1", ConnectorStandard: ocpi.ConnectorIEC62196T2, ConnectorFormat: ocpi.ConnectorFormatSocket,
			ConnectorPowerType: ocpi.PowerTypeAC3Phase},
		Currency: "INR", ChargingPeriods: []ocpi.ChargingPeriod{{StartDateTime: ocpi.NewDateTime(base),
			Dimensions: []ocpi.CdrDimension{{Type: ocpi.CdrDimensionEnergy, Volume: ocpi.MustDecimal("7.5")}}}},
		TotalCost: ocpi.Price{ExclVat: ocpi.MustDecimal("2.5")}, TotalEnergy: ocpi.MustDecimal("7.5"), TotalTime: ocpi.MustDecimal("1")}
}

// setup starts a hub with a location and an eMSP registered with it.
func setup(t *testing.T, dbURL string, o ocpitest.HubOptions) (*ocpitest.Hub, *ocpitest.EMSP, roaming.Partner) {
	t.Helper()
	ctx := context.Background()
	hub := ocpitest.NewHub(t, dbURL, o)
	_, err := hub.Svc.CreateLocation(ctx, roaming.LocationInput{Location: location("LOC-1")})
	require.NoError(t, err)
	emsp := ocpitest.NewEMSP(t, ocpitest.LoadSchema(t), "NL", "EMP")
	p, tokenA, err := hub.Svc.CreatePartner(ctx, roaming.NewPartner{Name: "eMSP", Role: ocpi.RoleEMSP, Party: emp})
	require.NoError(t, err)
	require.NoError(t, emsp.Register(hub.VersionsURL(), tokenA))
	return hub, emsp, p
}

// pushes returns the method and path (below the eMSP's 2.2.1 base) of what it received.
func pushes(e *ocpitest.EMSP, module string) []string {
	var out []string
	for _, r := range e.Received("/ocpi/emsp/2.2.1/" + module) {
		out = append(out, r.Method+" "+strings.TrimPrefix(r.Path, "/ocpi/emsp/2.2.1/"))
	}
	return out
}

func waitIdle(t *testing.T, hub *ocpitest.Hub, partnerID int64) {
	t.Helper()
	ocpitest.Eventually(t, 10*time.Second, func() bool {
		_, n, err := hub.Svc.ListOutbox(context.Background(), roaming.OutboxFilter{PartnerID: partnerID, Status: roaming.OutboxPending})
		return err == nil && n == 0
	}, "the outbox of partner %d drains", partnerID)
}

func TestPushesEveryModule(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		hub, emsp, p := setup(t, dbURL, ocpitest.HubOptions{})
		svc := hub.Svc
		waitIdle(t, hub, p.ID)
		require.Equal(t, []string{"PUT locations/IN/HUB/LOC-1"}, pushes(emsp, "locations"), "the initial sync pushes our locations")

		l := location("LOC-1")
		l.Name = "Renamed"
		_, err := svc.UpdateLocation(ctx, roaming.LocationInput{Location: l})
		require.NoError(t, err)
		require.NoError(t, svc.PatchEVSE(ctx, "LOC-1", "loc-1-e1", ocpi.EVSEPatch{Status: new(ocpi.StatusCharging)}))
		require.NoError(t, svc.PatchConnector(ctx, "LOC-1", "LOC-1-E1", "1", ocpi.ConnectorPatch{TariffIDs: []string{"T1"}}))
		require.NoError(t, svc.PutConnector(ctx, "LOC-1", "LOC-1-E1", ocpi.Connector{ID: "2", Standard: ocpi.ConnectorIEC62196T2Combo,
			Format: ocpi.ConnectorFormatCable, PowerType: ocpi.PowerTypeDC, MaxVoltage: 920, MaxAmperage: 200}))
		e2 := location("X").EVSEs[0]
		e2.UID = "LOC-1-E2"
		require.NoError(t, svc.PutEVSE(ctx, "LOC-1", e2))
		require.NoError(t, svc.PatchLocation(ctx, "LOC-1", ocpi.LocationPatch{Name: new("Patched")}))
		require.NoError(t, svc.PutSession(ctx, session("S1")))
		require.NoError(t, svc.PatchSession(ctx, "S1", ocpi.SessionPatch{KWh: new(ocpi.MustDecimal("3.25")),
			ChargingPeriods: []ocpi.ChargingPeriod{{StartDateTime: ocpi.NewDateTime(base),
				Dimensions: []ocpi.CdrDimension{{Type: ocpi.CdrDimensionEnergy, Volume: ocpi.MustDecimal("3.25")}}}}}))
		require.NoError(t, svc.PostCDR(ctx, cdr("C1")))
		require.ErrorContains(t, svc.PostCDR(ctx, cdr("C1")), "already exists", "CDRs are immutable")
		tariff := ocpi.Tariff{ID: "T1", Currency: "INR", Elements: []ocpi.TariffElement{{PriceComponents: []ocpi.PriceComponent{
			{Type: ocpi.TariffDimensionFlat, Price: ocpi.MustDecimal("0"), StepSize: 1}}}}}
		require.NoError(t, svc.PutTariff(ctx, tariff))
		require.NoError(t, svc.DeleteTariff(ctx, "T1"))
		// A session of a token no partner owns goes nowhere.
		other := session("S-OTHER")
		other.CdrToken.CountryCode, other.CdrToken.PartyID = "FR", "XYZ"
		require.NoError(t, svc.PutSession(ctx, other))
		waitIdle(t, hub, p.ID)

		require.Equal(t, []string{"PUT locations/IN/HUB/LOC-1", "PUT locations/IN/HUB/LOC-1",
			"PATCH locations/IN/HUB/LOC-1/LOC-1-E1", "PATCH locations/IN/HUB/LOC-1/LOC-1-E1/1",
			"PUT locations/IN/HUB/LOC-1/LOC-1-E1/2", "PUT locations/IN/HUB/LOC-1/LOC-1-E2", "PATCH locations/IN/HUB/LOC-1"},
			pushes(emsp, "locations"), "in order per object")
		require.Equal(t, []string{"PUT sessions/IN/HUB/S1", "PATCH sessions/IN/HUB/S1"}, pushes(emsp, "sessions"))
		require.Equal(t, []string{"POST cdrs"}, pushes(emsp, "cdrs"))
		require.Equal(t, []string{"PUT tariffs/IN/HUB/T1", "DELETE tariffs/IN/HUB/T1"}, pushes(emsp, "tariffs"))

		// The CDR's Location header is kept; the location's last_updated cascaded.
		items, _, err := svc.ListOutbox(ctx, roaming.OutboxFilter{PartnerID: p.ID, Status: roaming.OutboxDelivered})
		require.NoError(t, err)
		var cdrItem roaming.OutboxItem
		for _, it := range items {
			if it.Module == ocpi.ModuleIDCdrs {
				cdrItem = it
			}
		}
		require.Equal(t, emsp.URL()+"/ocpi/emsp/2.2.1/cdrs/C1", cdrItem.ResultLocation)
		loc, err := svc.GetLocation(ctx, "LOC-1")
		require.NoError(t, err)
		require.Equal(t, "Patched", loc.OCPI.Name)
		require.Len(t, loc.OCPI.EVSEs, 2)
		require.Equal(t, ocpi.StatusCharging, loc.OCPI.EVSEs[0].Status)
		require.False(t, loc.OCPI.LastUpdated.Before(loc.OCPI.EVSEs[0].LastUpdated.Time))

		// Routing headers of every push: from us, to the eMSP.
		for _, r := range emsp.Received("/ocpi/emsp/2.2.1/") {
			if r.Method != http.MethodGet && !strings.Contains(r.Path, "credentials") {
				require.Equal(t, "IN", r.Header.Get("OCPI-from-country-code"), r.Path)
				require.Equal(t, "NL", r.Header.Get("OCPI-to-country-code"), r.Path)
			}
		}

		hub.Worker.RefreshBacklog(ctx)
		require.Zero(t, metric(t, hub, "hub_ocpi_outbox_deliveries_total", map[string]string{"result": "failed"}))
		require.GreaterOrEqual(t, metric(t, hub, "hub_ocpi_outbox_deliveries_total", map[string]string{"result": "delivered"}), 12.0)
		require.Zero(t, metric(t, hub, "hub_ocpi_outbox_backlog", map[string]string{"status": "pending"}), "no backlog left")
	})
}

// metric returns the value of a gauge or counter with the given labels from the hub's registry
// (0 when absent).
func metric(t *testing.T, hub *ocpitest.Hub, name string, labels map[string]string) float64 {
	t.Helper()
	families, err := hub.Registry.Gather()
	require.NoError(t, err)
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	next:
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if v, ok := labels[l.GetName()]; ok && v != l.GetValue() {
					continue next
				}
			}
			if m.GetCounter() != nil {
				return m.GetCounter().GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	return 0
}
