package main

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/chargehub/hub/ocpp"
	"github.com/chargehub/hub/store/storetest"
)

// TestSessionEndToEnd runs a whole 1.6 session against the real server on both databases and
// reads the result back through the admin API.
func TestSessionEndToEnd(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, url string) {
		h := startTestHub(t, url, nil)
		ctx := context.Background()
		if _, err := h.svc.RegisterStation(ctx, "CP-1", []byte("0123456789abcdef"), 1); err != nil {
			t.Fatal(err)
		}
		if code := h.api(t, "PUT", "/api/v1/idtags/04ab12cd", map[string]any{"status": "Accepted"}, nil); code != 200 {
			t.Fatalf("put id tag: %d", code)
		}
		if _, resp, err := dialStation(t, h, "CP-1", "wrong-password-00"); err == nil || resp.StatusCode != 401 {
			t.Fatalf("wrong password accepted: %v", err)
		}
		st, _, err := dialStation(t, h, "CP-1", "0123456789abcdef")
		if err != nil {
			t.Fatal(err)
		}
		boot := st.result("BootNotification", `{"chargePointVendor":"ACME","chargePointModel":"Wallbox 22","firmwareVersion":"1.0"}`)
		if boot["status"] != "Accepted" || boot["interval"] != float64(300) {
			t.Fatalf("boot %v", boot)
		}
		st.result("StatusNotification", `{"connectorId":1,"errorCode":"NoError","status":"Available"}`)
		if got := st.result("Authorize", `{"idTag":"04AB12CD"}`); got["idTagInfo"].(map[string]any)["status"] != "Accepted" {
			t.Fatalf("authorize %v", got)
		}
		start := time.Now().Add(-time.Hour)
		startReq := `{"connectorId":1,"idTag":"04AB12CD","meterStart":1000,"timestamp":"` + ts(start) + `"}`
		first := st.result("StartTransaction", startReq)
		again := st.result("StartTransaction", startReq)
		txID := first["transactionId"].(float64)
		if txID <= 0 || again["transactionId"] != txID {
			t.Fatalf("start %v, resent %v", first, again)
		}
		st.result("MeterValues", `{"connectorId":1,"transactionId":`+ftoa(txID)+`,"meterValue":[{"timestamp":"`+ts(start.Add(30*time.Minute))+
			`","sampledValue":[{"value":"2,5","unit":"kWh"},{"value":7400,"measurand":"Power.Active.Import","unit":"W"}]}]}`)
		stop := st.result("StopTransaction", `{"transactionId":`+ftoa(txID)+`,"idTag":"04AB12CD","meterStop":4000,"timestamp":"`+
			ts(time.Now())+`","reason":"EVDisconnected","transactionData":[{"timestamp":"`+ts(time.Now())+
			`","sampledValue":[{"value":"4000","context":"Transaction.End"}]}]}`)
		if stop["idTagInfo"].(map[string]any)["status"] != "Accepted" {
			t.Fatalf("stop %v", stop)
		}

		var list struct {
			Data []struct {
				ID       int64    `json:"id"`
				Status   string   `json:"status"`
				EnergyWh int64    `json:"energy_wh"`
				Flags    []string `json:"flags"`
			} `json:"data"`
			Total int `json:"total"`
		}
		if code := h.api(t, "GET", "/api/v1/transactions?station_id=CP-1&status=Completed&limit=10", nil, &list); code != 200 {
			t.Fatalf("list: %d", code)
		}
		if list.Total != 1 || list.Data[0].EnergyWh != 3000 || list.Data[0].Status != "Completed" {
			t.Fatalf("transactions %+v", list)
		}
		var tx struct {
			MeterValues []struct {
				RawValue string `json:"raw_value"`
				Value    string `json:"value"`
				Unit     string `json:"unit"`
				Flags    []string
			} `json:"meter_values"`
		}
		h.api(t, "GET", "/api/v1/transactions/"+ftoa(txID), nil, &tx)
		if len(tx.MeterValues) != 3 || tx.MeterValues[0].RawValue != "2,5" || tx.MeterValues[0].Value != "2500" {
			t.Fatalf("meter values %+v", tx.MeterValues)
		}
		var station struct {
			Online     bool   `json:"online"`
			Vendor     string `json:"vendor"`
			Connectors []struct {
				EVSEID int    `json:"evse_id"`
				Status string `json:"status"`
			} `json:"connectors"`
		}
		h.api(t, "GET", "/api/v1/stations/CP-1", nil, &station)
		if !station.Online || station.Vendor != "ACME" || len(station.Connectors) != 1 || station.Connectors[0].EVSEID != 1 {
			t.Fatalf("station %+v", station)
		}
		// the audit log caught the frames (written asynchronously)
		var frames struct {
			Data []struct{ Action string } `json:"data"`
		}
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) && len(frames.Data) < 14 {
			time.Sleep(100 * time.Millisecond)
			h.api(t, "GET", "/api/v1/stations/CP-1/frames?limit=100", nil, &frames)
		}
		if len(frames.Data) < 14 {
			t.Fatalf("audit log has %d frames", len(frames.Data))
		}
	})
}

func ftoa(f float64) string { return strconv.FormatInt(int64(f), 10) }

func TestAdminAPIRequiresToken(t *testing.T) {
	h := startTestHub(t, storetest.SQLiteURL(t), nil)
	for _, path := range []string{"/api/v1/stations", "/api/v1/transactions", "/api/v1/idtags"} {
		for _, auth := range []string{"", "Bearer wrong", "Basic dGVzdA=="} {
			req, _ := http.NewRequest("GET", h.base+path, nil)
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 401 {
				t.Fatalf("%s with %q: %d", path, auth, resp.StatusCode)
			}
		}
	}
	if code := h.api(t, "GET", "/api/v1/transactions?status=Bogus", nil, nil); code != 400 {
		t.Fatalf("bad filter: %d", code)
	}
	if code := h.api(t, "GET", "/api/v1/transactions?limit=0", nil, nil); code != 400 {
		t.Fatalf("bad limit: %d", code)
	}
	if code := h.api(t, "GET", "/api/v1/stations/nope", nil, nil); code != 404 {
		t.Fatalf("unknown station: %d", code)
	}
}

func TestHealthAndMetrics(t *testing.T) {
	h := startTestHub(t, storetest.SQLiteURL(t), nil)
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready",
		"/metrics": "hub_ocpp_connected_stations"} {
		resp, err := http.Get(h.base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
		}
	}
	// the SQLite checkpointer reports to /metrics (every 200 ms)
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, _ := httpGet(t, h.base+"/metrics")
		if strings.Contains(resp, `hub_db_wal_frames{state="pending"}`) && strings.Contains(resp, "hub_db_checkpoint_duration_seconds_count") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no checkpoint metrics after 5 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// the Session republication after MeterValues (bridge.Publisher.StartSessionRefresh)
	resp, _ := httpGet(t, h.base+"/metrics")
	for _, m := range []string{"hub_ocpi_session_refresh_pending 0", "hub_ocpi_session_refresh_coalesced_total 0",
		"hub_ocpi_session_refresh_failed_total 0", `hub_charging_batch_size_count{kind="meter_values"} 0`,
		`hub_charging_batch_retries_total{kind="tx_events"} 0`} {
		if !strings.Contains(resp, m+"\n") {
			t.Fatalf("/metrics lacks %q", m)
		}
	}
}

func TestPreBootGateAndUnknownStations(t *testing.T) {
	h := startTestHub(t, storetest.SQLiteURL(t), map[string]string{"HUB_UNKNOWN_STATIONS": "pending"})
	st, _, err := dialStation(t, h, "NEW-1", "")
	if err != nil {
		t.Fatal(err)
	}
	if f := st.call("Heartbeat", `{}`); f.ErrorCode != "SecurityError" {
		t.Fatalf("heartbeat before acceptance: %+v", f)
	}
	// transaction messages are never refused
	if f := st.call("StartTransaction", `{"connectorId":1,"idTag":"X","meterStart":0,"timestamp":"`+ts(time.Now())+`"}`); f.Type != ocpp.TypeCallResult {
		t.Fatalf("start before acceptance: %+v", f)
	}
	if boot := st.result("BootNotification", `{"chargePointVendor":"V","chargePointModel":"M"}`); boot["status"] != "Pending" {
		t.Fatalf("boot %v", boot)
	}
	h2 := startTestHub(t, storetest.SQLiteURL(t), nil) // default: reject
	if _, resp, err := dialStation(t, h2, "NEW-2", ""); err == nil || resp.StatusCode != 404 {
		t.Fatalf("unknown station not refused: %v", err)
	}
}

func TestMalformedInputKeepsConnection(t *testing.T) {
	h := startTestHub(t, storetest.SQLiteURL(t), map[string]string{"HUB_UNKNOWN_STATIONS": "accept"})
	st, _, err := dialStation(t, h, "CP-2", "")
	if err != nil {
		t.Fatal(err)
	}
	st.result("BootNotification", `{"chargePointVendor":"V","chargePointModel":"M"}`)
	tests := []struct{ frame, code string }{
		{`[2,"a","StatusNotification",{"connectorId":1,"status":"Available"}]`, "OccurenceConstraintViolation"},
		{`[2,"b","StatusNotification",{"connectorId":"one","errorCode":"NoError","status":"Available"}]`, "TypeConstraintViolation"},
		{`[2,"c","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Sleeping"}]`, "PropertyConstraintViolation"},
		{`[2,"d","FlyToTheMoon",{}]`, "NotImplemented"},
		{`[2,"e","SignCertificate",{"csr":"x"}]`, "NotSupported"},
		{`[2,"f","Heartbeat",{]`, "FormationViolation"},
	}
	for _, tt := range tests {
		if f := st.sendRaw(tt.frame); f.Type != ocpp.TypeCallError || f.ErrorCode != tt.code {
			t.Errorf("%s: got %d %s %s", tt.frame, f.Type, f.ErrorCode, f.ErrorDescription)
		}
	}
	// lenient: lowercase enum, extra field, null optional, zone-less timestamp
	st.result("StatusNotification", `{"connectorId":1,"errorCode":"noerror","status":"available","info":null,"extra":1,"timestamp":"2026-01-01T10:00:00"}`)
	// a stop for a transaction the hub never issued is still answered
	if f := st.call("StopTransaction", `{"transactionId":-1,"meterStop":10,"timestamp":"`+ts(time.Now())+`"}`); f.Type != ocpp.TypeCallResult {
		t.Fatalf("unknown stop: %+v", f)
	}
}

func TestCommandsThroughAdminAPI(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, url string) {
		h := startTestHub(t, url, map[string]string{"HUB_UNKNOWN_STATIONS": "accept", "HUB_OCPP_CALL_TIMEOUT": "1s"})
		st, _, err := dialStation(t, h, "CP-3", "")
		if err != nil {
			t.Fatal(err)
		}
		st.result("BootNotification", `{"chargePointVendor":"V","chargePointModel":"M"}`)
		st.onCall(func(f ocpp.Frame) []byte {
			switch f.Action {
			case "RemoteStartTransaction":
				return ocpp.MarshalCallResult(f.ID, []byte(`{"status":"Accepted"}`))
			case "GetConfiguration":
				return ocpp.MarshalCallResult(f.ID, []byte(`{"configurationKey":[{"key":"HeartbeatInterval","readonly":false,"value":"300"}]}`))
			case "Reset":
				return nil // never answers
			}
			return ocpp.MarshalCallError(f.ID, "NotSupported", "", nil)
		})
		var out struct {
			Response map[string]any `json:"response"`
		}
		if code := h.api(t, "POST", "/api/v1/stations/CP-3/commands/RemoteStartTransaction", map[string]any{"connectorId": 1, "idTag": "TAG"}, &out); code != 200 || out.Response["status"] != "Accepted" {
			t.Fatalf("remote start: %d %v", code, out)
		}
		if code := h.api(t, "POST", "/api/v1/stations/CP-3/commands/GetConfiguration", map[string]any{}, &out); code != 200 || out.Response["configurationKey"] == nil {
			t.Fatalf("get configuration: %d %v", code, out)
		}
		cases := []struct {
			path string
			body any
			want int
		}{
			{"/api/v1/stations/CP-3/commands/RemoteStartTransaction", map[string]any{"connectorId": 1}, 400},                 // idTag missing
			{"/api/v1/stations/CP-3/commands/RemoteStartTransaction", map[string]any{"idTag": "123456789012345678901"}, 400}, // too long
			{"/api/v1/stations/CP-3/commands/BootNotification", map[string]any{}, 501},                                       // not a command
			{"/api/v1/stations/CP-3/commands/ClearCache", map[string]any{}, 502},                                             // station CALLERROR
			{"/api/v1/stations/CP-3/commands/Reset", map[string]any{"type": "Soft"}, 504},                                    // no answer
			{"/api/v1/stations/NOPE/commands/Reset", map[string]any{"type": "Soft"}, 404},
		}
		for _, c := range cases {
			if code := h.api(t, "POST", c.path, c.body, nil); code != c.want {
				t.Errorf("%s %v: %d, want %d", c.path, c.body, code, c.want)
			}
		}
		st.c.Close()
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			if _, ok := h.ocpp.Conn("CP-3"); !ok {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if code := h.api(t, "POST", "/api/v1/stations/CP-3/commands/Reset", map[string]any{"type": "Soft"}, nil); code != 503 {
			t.Fatalf("offline station: %d", code)
		}
	})
}

func TestGracefulShutdownClosesWith1001(t *testing.T) {
	h := startTestHub(t, storetest.SQLiteURL(t), map[string]string{"HUB_UNKNOWN_STATIONS": "accept"})
	st, _, err := dialStation(t, h, "CP-4", "")
	if err != nil {
		t.Fatal(err)
	}
	st.result("BootNotification", `{"chargePointVendor":"V","chargePointModel":"M"}`)
	ctx, cancel := context.WithTimeout(context.Background(), shutdownBudget)
	defer cancel()
	start := time.Now()
	if err := h.stop(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-st.closed:
		if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
			t.Fatalf("close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("socket not closed")
	}
	if time.Since(start) > 10*time.Second {
		t.Fatal("shutdown too slow")
	}
}
