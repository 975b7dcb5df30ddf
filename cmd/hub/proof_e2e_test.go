package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/ocpitest"
	"github.com/chargehub/hub/ocpp/v201"
	"github.com/chargehub/hub/sim"
	"github.com/chargehub/hub/store/storetest"
)

// TestRoamingSessionProof is the bridge's proof, on both databases and both OCPP versions,
// with a simulated charger and an in-process eMSP: the eMSP pushes a token and sends
// START_SESSION; the charger gets the remote start and charges with meter values; the eMSP
// receives Session PUTs with growing kWh; STOP_SESSION stops it; the CDR arrives, priced,
// with totals equal to the sum of its periods.
func TestRoamingSessionProof(t *testing.T) {
	for _, proto := range []string{"ocpp1.6", "ocpp2.0.1"} {
		t.Run(proto, func(t *testing.T) {
			storetest.ForEachDB(t, func(t *testing.T, dbURL string) { runRoamingProof(t, dbURL, proto) })
		})
	}
}

func runRoamingProof(t *testing.T, dbURL, proto string) {
	ctx := context.Background()
	schema := ocpitest.LoadSchema(t)
	h, tokenA, versionsURL := startHubWithPartner(t, dbURL, nil)
	_, err := h.svc.RegisterStation(ctx, "SIM-1", nil, 0)
	require.NoError(t, err)
	require.NoError(t, h.roam.svc.PutTariff(ctx, ocpi.Tariff{ID: "AC-1", Currency: "INR", Elements: []ocpi.TariffElement{{
		PriceComponents: []ocpi.PriceComponent{{Type: ocpi.TariffDimensionEnergy, Price: ocpi.MustDecimal("18"),
			VAT: func() *ocpi.Decimal { d := ocpi.MustDecimal("18"); return &d }(), StepSize: 1}}}}}))
	loc := map[string]any{"id": "LOC-1", "publish": true, "name": "Mall", "address": "12 MG Road", "city": "Bengaluru",
		"postal_code": "560001", "country": "IND", "coordinates": map[string]string{"latitude": "12.975600", "longitude": "77.606500"},
		"time_zone": "Asia/Kolkata", "station_ids": []string{"SIM-1"}, "connector_defaults": map[string]any{"SIM-1": map[string]any{
			"standard": "IEC_62196_T2", "format": "SOCKET", "power_type": "AC_3_PHASE", "max_voltage": 230, "max_amperage": 32,
			"tariff_ids": []string{"AC-1"}}}}
	require.Equal(t, http.StatusCreated, h.api(t, http.MethodPost, "/api/v1/locations", loc, nil))

	emsp := ocpitest.NewEMSP(t, schema, "NL", "EMP")
	require.NoError(t, emsp.Register(versionsURL, tokenA))
	tokensURL, err := emsp.HubURL(ocpi.ModuleIDTokens, ocpi.InterfaceRoleReceiver)
	require.NoError(t, err)
	commandsURL, err := emsp.HubURL(ocpi.ModuleIDCommands, ocpi.InterfaceRoleReceiver)
	require.NoError(t, err)
	tok := commandToken("APP-0001", ocpi.TokenTypeAppUser, ocpi.WhitelistTypeAlways)
	code, body, _ := emsp.Call(http.MethodPut, tokensURL+"/NL/EMP/APP-0001?type=APP_USER", tok, "")
	require.Contains(t, []int{http.StatusOK, http.StatusCreated}, code, "%s", body)

	ch, err := sim.Dial(ctx, sim.DialOptions{URL: strings.TrimSuffix(h.ws, "/"), ID: "SIM-1", Protocol: proto,
		SessionMeterValues: 200, SessionInterval: 150 * time.Millisecond})
	require.NoError(t, err)
	defer ch.Close()
	if proto == "ocpp2.0.1" {
		_, err = ch.Boot201(ctx, v201.BootReasonPowerUp)
		require.NoError(t, err)
		require.NoError(t, ch.Status201(ctx, 1, 1, v201.ConnectorStatusAvailable))
	} else {
		_, err = ch.Boot(ctx)
		require.NoError(t, err)
		require.NoError(t, ch.Status(ctx, 1, "Available"))
	}
	ocpitest.Eventually(t, 10*time.Second, func() bool {
		l, err := h.db.Roaming().GetLocation(ctx, "LOC-1")
		return err == nil && len(l.OCPI.EVSEs) == 1
	}, "the station's EVSE in LOC-1")

	peer := &commandsPeer{t: t, emsp: emsp, commands: commandsURL}
	resp, path := peer.send(ocpi.CommandTypeStartSession, map[string]any{"token": tok, "location_id": "LOC-1",
		"evse_uid": "SIM-1-1", "authorization_reference": "AR-PROOF"})
	require.Equal(t, ocpi.CommandResponseAccepted, resp.Result)
	require.Equal(t, ocpi.CommandResultAccepted, peer.result(path).Result)

	// the charger charges: Session PUTs with growing kWh
	var sessionID string
	var kwh []decimal.Decimal
	ocpitest.Eventually(t, 20*time.Second, func() bool {
		kwh = kwh[:0]
		for _, r := range emsp.Received("/ocpi/emsp/2.2.1/sessions/IN/HUB/") {
			var s ocpi.Session
			if json.Unmarshal(r.Body, &s) == nil {
				sessionID = s.ID
				kwh = append(kwh, s.KWh.Decimal)
			}
		}
		return len(kwh) >= 3 && kwh[len(kwh)-1].GreaterThan(kwh[0])
	}, "Session PUTs with growing kWh")
	for i := 1; i < len(kwh); i++ {
		require.False(t, kwh[i].LessThan(kwh[i-1]), "kWh went down: %v", kwh)
	}
	last := waitSession(t, emsp, sessionID)
	require.Equal(t, "AR-PROOF", last.AuthorizationReference)
	require.Equal(t, ocpi.AuthMethodCommand, last.AuthMethod)

	resp, path = peer.send(ocpi.CommandTypeStopSession, map[string]any{"session_id": sessionID})
	require.Equal(t, ocpi.CommandResponseAccepted, resp.Result)
	require.Equal(t, ocpi.CommandResultAccepted, peer.result(path).Result)

	var cdr ocpi.CDR
	ocpitest.Eventually(t, 20*time.Second, func() bool {
		cdrs := emsp.Received("/ocpi/emsp/2.2.1/cdrs")
		return len(cdrs) == 1 && json.Unmarshal(cdrs[0].Body, &cdr) == nil
	}, "exactly one CDR")
	require.Equal(t, sessionID, cdr.SessionID)
	require.True(t, cdr.TotalEnergy.IsPositive())
	sum := decimal.Zero
	for _, p := range cdr.ChargingPeriods {
		for _, d := range p.Dimensions {
			if d.Type == ocpi.CdrDimensionEnergy {
				sum = sum.Add(d.Volume.Decimal)
			}
		}
	}
	require.True(t, sum.Sub(cdr.TotalEnergy.Decimal).Abs().LessThan(decimal.RequireFromString("0.0001")),
		"total_energy %s, periods sum %s", cdr.TotalEnergy, sum)
	want := cdr.TotalEnergy.Decimal.Mul(decimal.NewFromInt(18)).Round(2)
	require.True(t, cdr.TotalCost.ExclVat.Decimal.Round(2).Equal(want), "cost %s for %s kWh", cdr.TotalCost.ExclVat, cdr.TotalEnergy)
	require.Len(t, cdr.Tariffs, 1)
}
