package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/ocpitest"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store/storetest"
)

// TestBridgeEndToEnd is the issue "End to end: chargers' state becomes OCPI" on both databases
// and both OCPP versions: an eMSP registered with the hub and pushed a token; a station of a
// location runs a session with it; the eMSP receives the EVSE's status changes, Session PUTs with
// growing kWh and exactly one priced CDR, all valid under the OCPI 2.2.1 schema.
func TestBridgeEndToEnd(t *testing.T) {
	for _, proto := range []string{"ocpp1.6", "ocpp2.0.1"} {
		t.Run(proto, func(t *testing.T) {
			storetest.ForEachDB(t, func(t *testing.T, dbURL string) { runBridgeEndToEnd(t, dbURL, proto) })
		})
	}
}

func runBridgeEndToEnd(t *testing.T, dbURL, proto string) {
	ctx := context.Background()
	schema := ocpitest.LoadSchema(t)
	h, tokenA, versionsURL := startHubWithPartner(t, dbURL, nil)
	_, err := h.svc.RegisterStation(ctx, "CP-1", nil, 0)
	require.NoError(t, err)
	require.NoError(t, h.roam.svc.PutTariff(ctx, ocpi.Tariff{ID: "T1", Currency: "EUR", Elements: []ocpi.TariffElement{{
		PriceComponents: []ocpi.PriceComponent{{Type: ocpi.TariffDimensionEnergy, Price: ocpi.MustDecimal("0.30"), StepSize: 1}}}}}))
	loc := map[string]any{"id": "LOC-1", "publish": true, "name": "Mall", "address": "12 MG Road", "city": "Bengaluru",
		"postal_code": "560001", "country": "IND", "coordinates": map[string]string{"latitude": "12.975600", "longitude": "77.606500"},
		"time_zone": "Asia/Kolkata", "station_ids": []string{"CP-1"}, "connector_defaults": map[string]any{"CP-1": map[string]any{
			"standard": "IEC_62196_T2", "format": "SOCKET", "power_type": "AC_3_PHASE", "max_voltage": 230, "max_amperage": 32,
			"tariff_ids": []string{"T1"}}}}
	require.Equal(t, http.StatusCreated, h.api(t, http.MethodPost, "/api/v1/locations", loc, nil))

	emsp := ocpitest.NewEMSP(t, schema, "NL", "EMP")
	require.NoError(t, emsp.Register(versionsURL, tokenA))
	tokens, err := emsp.HubURL(ocpi.ModuleIDTokens, ocpi.InterfaceRoleReceiver)
	require.NoError(t, err)
	code, body, _ := emsp.Call(http.MethodPut, tokens+"/NL/EMP/04AB12CD?type=RFID", ocpi.Token{CountryCode: "NL", PartyID: "EMP",
		UID: "04AB12CD", Type: ocpi.TokenTypeRFID, ContractID: "NL-EMP-C12345678-X", Issuer: "Example eMSP", Valid: true,
		Whitelist: ocpi.WhitelistTypeAlways, LastUpdated: ocpi.NewDateTime(time.Now())}, "") // decided from the cache: no real-time authorization
	require.Contains(t, []int{http.StatusOK, http.StatusCreated}, code, "%s", body)

	const base = "/ocpi/emsp/2.2.1/"
	metered := func() { // the last reading's Session is republished after it commits, before the stop
		ocpitest.Eventually(t, 10*time.Second, func() bool {
			sessions := emsp.Received(base + "sessions/IN/HUB/")
			var s ocpi.Session
			return len(sessions) > 0 && json.Unmarshal(sessions[len(sessions)-1].Body, &s) == nil && s.KWh.String() == "3"
		}, "the Session of the last reading (3 kWh) reaches the eMSP")
	}
	if proto == "ocpp1.6" {
		drive16(t, h, metered)
	} else {
		drive201(t, h, metered)
	}

	ocpitest.Eventually(t, 15*time.Second, func() bool {
		sessions := emsp.Received(base + "sessions/IN/HUB/")
		if len(sessions) == 0 || len(emsp.Received(base+"cdrs")) == 0 {
			return false
		}
		var s ocpi.Session
		return json.Unmarshal(sessions[len(sessions)-1].Body, &s) == nil && s.Status == ocpi.SessionStatusCompleted
	}, "the final Session PUT and the CDR reach the eMSP")
	ocpitest.Eventually(t, 10*time.Second, func() bool {
		evse := emsp.Received(base + "locations/IN/HUB/LOC-1/CP-1-1")
		return len(evse) > 0 && strings.Contains(string(evse[len(evse)-1].Body), `"AVAILABLE"`)
	}, "the EVSE is AVAILABLE again")

	// The EVSE: PUT once when the station first reported it, then one PATCH per status change.
	var statuses []string
	for i, r := range emsp.Received(base + "locations/IN/HUB/LOC-1/CP-1-1") {
		var e struct {
			Status      ocpi.Status   `json:"status"`
			LastUpdated ocpi.DateTime `json:"last_updated"`
		}
		require.NoError(t, json.Unmarshal(r.Body, &e))
		if i == 0 {
			require.Equal(t, http.MethodPut, r.Method, "the new EVSE is PUT")
		} else {
			require.Equal(t, http.MethodPatch, r.Method, "then its status is PATCHed: %s", r.Body)
			require.NotEqual(t, statuses[len(statuses)-1], string(e.Status), "a PATCH only when the status changed")
		}
		statuses = append(statuses, string(e.Status))
	}
	t.Logf("EVSE statuses pushed: %v", statuses)
	require.Contains(t, statuses, "CHARGING", "statuses %v", statuses)
	require.Equal(t, "AVAILABLE", statuses[0])

	// Sessions: PUT to the token's eMSP, kWh growing, COMPLETED at the end.
	prev := decimal.NewFromInt(-1)
	sessions := emsp.Received(base + "sessions/IN/HUB/")
	require.GreaterOrEqual(t, len(sessions), 3, "start, progress, stop")
	var final ocpi.Session
	for _, r := range sessions {
		require.Equal(t, http.MethodPut, r.Method)
		require.NoError(t, json.Unmarshal(r.Body, &final))
		require.True(t, final.KWh.GreaterThan(prev), "kWh grows: %s after %s", final.KWh, prev)
		prev = final.KWh.Decimal
		require.Equal(t, "NL-EMP-C12345678-X", final.CdrToken.ContractID)
		require.Equal(t, "LOC-1", final.LocationID)
	}
	t.Logf("Session PUTs: %d, final %s kWh, total_cost %v", len(sessions), final.KWh, final.TotalCost)
	require.Equal(t, ocpi.SessionStatusCompleted, final.Status)
	require.Equal(t, "4", final.KWh.String())

	// Exactly one CDR, priced, with totals equal to the sums of its periods.
	time.Sleep(200 * time.Millisecond) // a second CDR would have been delivered by now
	cdrs := emsp.Received(base + "cdrs")
	require.Len(t, cdrs, 1)
	require.Equal(t, http.MethodPost, cdrs[0].Method)
	var cdr ocpi.CDR
	require.NoError(t, json.Unmarshal(cdrs[0].Body, &cdr))
	require.Equal(t, final.ID, cdr.SessionID)
	energy := decimal.Zero
	for _, p := range cdr.ChargingPeriods {
		for _, d := range p.Dimensions {
			if d.Type == ocpi.CdrDimensionEnergy {
				energy = energy.Add(d.Volume.Decimal)
			}
		}
	}
	require.True(t, energy.Equal(cdr.TotalEnergy.Decimal), "total_energy %s, Σ ENERGY %s", cdr.TotalEnergy, energy)
	require.Equal(t, "4", cdr.TotalEnergy.String())
	require.Equal(t, "1.2", cdr.TotalCost.ExclVat.String(), "4 kWh at 0.30 EUR")
	require.Equal(t, "EUR", cdr.Currency)
	stored, total, err := h.db.Roaming().ListCDRs(ctx, roaming.ObjectFilter{})
	require.NoError(t, err)
	require.Equal(t, 1, total)
	require.Equal(t, cdr.ID, stored[0].ID)

	// The operator's view: the EVSE generated from the station, the connector defaults kept.
	var got struct {
		EVSEs             []ocpi.EVSE               `json:"evses"`
		ConnectorDefaults map[string]map[string]any `json:"connector_defaults"`
	}
	require.Equal(t, http.StatusOK, h.api(t, http.MethodGet, "/api/v1/locations/LOC-1", nil, &got))
	require.Len(t, got.EVSEs, 1)
	require.Equal(t, "CP-1-1", got.EVSEs[0].UID)
	require.Equal(t, ocpi.StatusAvailable, got.EVSEs[0].Status)
	require.Equal(t, []any{"T1"}, got.ConnectorDefaults["CP-1"]["tariff_ids"])
}

// drive16 runs an OCPP 1.6 session on CP-1: 4 kWh in three readings, then a resent stop;
// afterMeter runs between the last MeterValues and the stop.
func drive16(t *testing.T, h *testHub, afterMeter func()) {
	st, _, err := dialStation(t, h, "CP-1", "")
	require.NoError(t, err)
	st.result("BootNotification", `{"chargePointVendor":"ACME","chargePointModel":"Wallbox 22"}`)
	st.result("StatusNotification", `{"connectorId":1,"errorCode":"NoError","status":"Available"}`)
	st.result("StatusNotification", `{"connectorId":1,"errorCode":"NoError","status":"Preparing"}`)
	start := time.Now().Add(-time.Hour)
	started := st.result("StartTransaction", `{"connectorId":1,"idTag":"04AB12CD","meterStart":1000,"timestamp":"`+ts(start)+`"}`)
	txID := ftoa(started["transactionId"].(float64))
	st.result("StatusNotification", `{"connectorId":1,"errorCode":"NoError","status":"Charging"}`)
	for i, wh := range []int{2500, 4000} {
		st.result("MeterValues", fmt.Sprintf(`{"connectorId":1,"transactionId":%s,"meterValue":[{"timestamp":%q,"sampledValue":[`+
			`{"value":"%d","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}`, txID, ts(start.Add(time.Duration(i+1)*10*time.Minute)), wh))
	}
	afterMeter()
	stop := `{"transactionId":` + txID + `,"idTag":"04AB12CD","meterStop":5000,"timestamp":"` + ts(start.Add(30*time.Minute)) +
		`","reason":"EVDisconnected"}`
	st.result("StopTransaction", stop)
	st.result("StopTransaction", stop) // resent: applied once, no second CDR
	st.result("StatusNotification", `{"connectorId":1,"errorCode":"NoError","status":"Finishing"}`)
	st.result("StatusNotification", `{"connectorId":1,"errorCode":"NoError","status":"Available"}`)
}

// drive201 runs an OCPP 2.0.1 session on CP-1: 4 kWh in TransactionEvents, the Ended one resent;
// afterMeter runs between the last Updated event and the Ended one.
func drive201(t *testing.T, h *testHub, afterMeter func()) {
	st, _, err := dialStationProto(t, h, "CP-1", "", "ocpp2.0.1")
	require.NoError(t, err)
	st.result("BootNotification", `{"reason":"PowerUp","chargingStation":{"model":"M1","vendorName":"ACME"}}`)
	st.result("NotifyReport", `{"requestId":1,"generatedAt":"`+ts(time.Now())+`","seqNo":0,"reportData":[
		{"component":{"name":"Connector","evse":{"id":1,"connectorId":1}},"variable":{"name":"ConnectorType"},"variableAttribute":[{"value":"cType2","mutability":"ReadOnly"}],"variableCharacteristics":{"dataType":"string","supportsMonitoring":false}}]}`)
	status := func(s string) {
		st.result("StatusNotification", `{"timestamp":"`+ts(time.Now())+`","connectorStatus":"`+s+`","evseId":1,"connectorId":1}`)
	}
	status("Available")
	status("Occupied")
	t0 := time.Now().Add(-time.Hour)
	st.result("TransactionEvent", txEvent("Started", 0, t0,
		`,"evse":{"id":1,"connectorId":1},"idToken":{"idToken":"04AB12CD","type":"ISO14443"}`+energy(1000, "Transaction.Begin", t0)))
	for i, wh := range []int{2500, 4000} {
		at := t0.Add(time.Duration(i+1) * 10 * time.Minute)
		st.result("TransactionEvent", txEvent("Updated", i+1, at, energy(wh, "Sample.Periodic", at)))
	}
	afterMeter()
	end := t0.Add(30 * time.Minute)
	ended := txEvent("Ended", 3, end, energy(5000, "Transaction.End", end))
	st.result("TransactionEvent", ended)
	st.result("TransactionEvent", ended) // resent: applied once, no second CDR
	status("Available")
}
