package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chargehub/hub/ocpp"
	"github.com/chargehub/hub/store/storetest"
)

func txEvent(eventType string, seq int, at time.Time, extra string) string {
	return fmt.Sprintf(`{"eventType":%q,"timestamp":%q,"triggerReason":"Authorized","seqNo":%d,"transactionInfo":{"transactionId":"TX-1"}%s}`,
		eventType, ts(at), seq, extra)
}

func energy(wh int, ctx string, at time.Time) string {
	return fmt.Sprintf(`,"meterValue":[{"timestamp":%q,"sampledValue":[{"value":%d,"context":%q,"measurand":"Energy.Active.Import.Register","unitOfMeasure":{"unit":"Wh"}}]}]`,
		ts(at), wh, ctx)
}

// TestOCPP201EndToEnd runs a 2.0.1 station through boot, device model, and a transaction
// whose events arrive duplicated, with a gap, and late, on both databases.
func TestOCPP201EndToEnd(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, url string) {
		h := startTestHub(t, url, nil)
		ctx := context.Background()
		if _, err := h.svc.RegisterStation(ctx, "CS-201", nil, 0); err != nil {
			t.Fatal(err)
		}
		h.api(t, "PUT", "/api/v1/idtags/RFID-0001", map[string]any{}, nil)
		st, _, err := dialStationProto(t, h, "CS-201", "", "ocpp2.0.1", "ocpp1.6")
		if err != nil {
			t.Fatal(err)
		}
		if st.c.Subprotocol() != "ocpp2.0.1" {
			t.Fatalf("negotiated %q", st.c.Subprotocol())
		}
		boot := st.result("BootNotification", `{"reason":"PowerUp","chargingStation":{"model":"M1","vendorName":"ACME","modem":{"iccid":"8991"}}}`)
		if boot["status"] != "Accepted" {
			t.Fatalf("boot %v", boot)
		}
		st.result("StatusNotification", `{"timestamp":"`+ts(time.Now())+`","connectorStatus":"Available","evseId":1,"connectorId":1}`)
		st.result("NotifyReport", `{"requestId":1,"generatedAt":"`+ts(time.Now())+`","seqNo":0,"reportData":[
			{"component":{"name":"EVSE","evse":{"id":1}},"variable":{"name":"Power"},"variableAttribute":[{"value":"0"}],"variableCharacteristics":{"unit":"W","dataType":"decimal","maxLimit":22000,"supportsMonitoring":false}},
			{"component":{"name":"Connector","evse":{"id":1,"connectorId":1}},"variable":{"name":"ConnectorType"},"variableAttribute":[{"value":"cType2","mutability":"ReadOnly"}],"variableCharacteristics":{"dataType":"string","supportsMonitoring":false}}]}`)
		if a := st.result("Authorize", `{"idToken":{"idToken":"rfid-0001","type":"ISO14443"}}`); a["idTokenInfo"].(map[string]any)["status"] != "Accepted" {
			t.Fatalf("authorize %v", a)
		}
		if a := st.result("Authorize", `{"idToken":{"idToken":"nobody","type":"ISO14443"}}`); a["idTokenInfo"].(map[string]any)["status"] != "Unknown" {
			t.Fatalf("unknown token %v", a)
		}
		t0 := time.Now().Add(-time.Hour)
		started := st.result("TransactionEvent", txEvent("Started", 0, t0,
			`,"evse":{"id":1,"connectorId":1},"idToken":{"idToken":"RFID-0001","type":"ISO14443"}`+energy(1000, "Transaction.Begin", t0)))
		if started["idTokenInfo"].(map[string]any)["status"] != "Accepted" {
			t.Fatalf("started %v", started)
		}
		upd := txEvent("Updated", 1, t0.Add(10*time.Minute), energy(2500, "Sample.Periodic", t0.Add(10*time.Minute)))
		st.result("TransactionEvent", upd)
		st.result("TransactionEvent", upd) // duplicate with a new messageId: applied once
		st.result("TransactionEvent", txEvent("Ended", 3, t0.Add(30*time.Minute),
			`,"offline":true`+energy(4000, "Transaction.End", t0.Add(30*time.Minute))))

		var list struct {
			Data []struct {
				ID          int64    `json:"id"`
				StationTxID string   `json:"station_transaction_id"`
				Status      string   `json:"status"`
				EnergyWh    int64    `json:"energy_wh"`
				EVSEID      int      `json:"evse_id"`
				IDTag       string   `json:"id_tag"`
				Flags       []string `json:"flags"`
			} `json:"data"`
		}
		h.api(t, "GET", "/api/v1/transactions?station_id=CS-201", nil, &list)
		if len(list.Data) != 1 {
			t.Fatalf("transactions %+v", list)
		}
		tx := list.Data[0]
		if tx.StationTxID != "TX-1" || tx.Status != "Completed" || tx.EnergyWh != 3000 || tx.EVSEID != 1 || tx.IDTag != "RFID-0001" ||
			!contains(fmt.Sprint(tx.Flags), "seq_gap") || !contains(fmt.Sprint(tx.Flags), "offline_events") {
			t.Fatalf("transaction %+v", tx)
		}
		var events struct {
			Data []struct {
				SeqNo int `json:"seq_no"`
			} `json:"data"`
			Gaps []int `json:"gaps"`
		}
		h.api(t, "GET", "/api/v1/transactions/"+ftoa(float64(tx.ID))+"/events", nil, &events)
		if len(events.Data) != 3 || fmt.Sprint(events.Gaps) != "[2]" {
			t.Fatalf("events %+v", events)
		}
		// the missing event arrives late: the gap closes, the transaction stays ended
		st.result("TransactionEvent", txEvent("Updated", 2, t0.Add(20*time.Minute), energy(3200, "Sample.Periodic", t0.Add(20*time.Minute))))
		h.api(t, "GET", "/api/v1/transactions?station_id=CS-201", nil, &list)
		if tx := list.Data[0]; tx.Status != "Completed" || tx.EnergyWh != 3000 || contains(fmt.Sprint(tx.Flags), "seq_gap") {
			t.Fatalf("after the late event: %+v", tx)
		}
		var inv struct {
			Data []struct {
				EVSEID     int     `json:"evse_id"`
				MaxPowerW  *string `json:"max_power_w"`
				Connectors []struct {
					ConnectorType string `json:"connector_type"`
					Status        string `json:"status"`
				} `json:"connectors"`
			} `json:"data"`
		}
		h.api(t, "GET", "/api/v1/stations/CS-201/inventory", nil, &inv)
		if len(inv.Data) != 1 || inv.Data[0].MaxPowerW == nil || *inv.Data[0].MaxPowerW != "22000" ||
			inv.Data[0].Connectors[0].ConnectorType != "cType2" || inv.Data[0].Connectors[0].Status != "Available" {
			t.Fatalf("inventory %+v", inv)
		}
		// a 2.0.1 command through the admin API, validated against the 2.0.1 schema
		st.onCall(func(f ocpp.Frame) []byte {
			return ocpp.MarshalCallResult(f.ID, []byte(`{"getVariableResult":[{"attributeStatus":"Accepted","attributeValue":"300","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}`))
		})
		var out struct {
			Response map[string]any `json:"response"`
		}
		if code := h.api(t, "POST", "/api/v1/stations/CS-201/commands/GetVariables", map[string]any{"getVariableData": []any{
			map[string]any{"component": map[string]any{"name": "OCPPCommCtrlr"}, "variable": map[string]any{"name": "HeartbeatInterval"}}}}, &out); code != 200 {
			t.Fatalf("GetVariables: %d", code)
		}
		if code := h.api(t, "POST", "/api/v1/stations/CS-201/commands/ChangeConfiguration", map[string]any{"key": "a", "value": "b"}, nil); code != 501 {
			t.Fatalf("a 1.6 action sent to a 2.0.1 station: %d", code)
		}
	})
}

// TestOCPP201EndedBeforeStarted: an Ended for an unknown transaction creates it; the late
// Started fills in the start without reopening it.
func TestOCPP201EndedBeforeStarted(t *testing.T) {
	h := startTestHub(t, storetest.SQLiteURL(t), map[string]string{"HUB_UNKNOWN_STATIONS": "accept"})
	st, _, err := dialStationProto(t, h, "CS-2", "", "ocpp2.0.1")
	if err != nil {
		t.Fatal(err)
	}
	st.result("BootNotification", `{"reason":"PowerUp","chargingStation":{"model":"M1","vendorName":"ACME"}}`)
	t0 := time.Now().Add(-2 * time.Hour)
	st.result("TransactionEvent", txEvent("Ended", 1, t0.Add(time.Hour), `,"evse":{"id":2}`+energy(9000, "Transaction.End", t0.Add(time.Hour))))
	st.result("TransactionEvent", txEvent("Started", 0, t0, energy(4000, "Transaction.Begin", t0)))
	var list struct {
		Data []struct {
			Status    string    `json:"status"`
			EnergyWh  int64     `json:"energy_wh"`
			StartedAt time.Time `json:"started_at"`
			Flags     []string  `json:"flags"`
		} `json:"data"`
	}
	h.api(t, "GET", "/api/v1/transactions?station_id=CS-2", nil, &list)
	if len(list.Data) != 1 {
		t.Fatalf("%+v", list)
	}
	got := list.Data[0]
	if got.Status != "Completed" || got.EnergyWh != 5000 || got.StartedAt.Sub(t0).Abs() > time.Second ||
		contains(fmt.Sprint(got.Flags), "start_unknown") || !contains(fmt.Sprint(got.Flags), "late_event") {
		t.Fatalf("transaction %+v", got)
	}
}

// TestStationSwitchesProtocol: a station reconnecting with the other version keeps its
// identity and history.
func TestStationSwitchesProtocol(t *testing.T) {
	h := startTestHub(t, storetest.SQLiteURL(t), map[string]string{"HUB_UNKNOWN_STATIONS": "accept"})
	a, _, err := dialStation(t, h, "FLIP", "")
	if err != nil {
		t.Fatal(err)
	}
	a.result("BootNotification", `{"chargePointVendor":"V","chargePointModel":"M"}`)
	a.c.Close()
	b, _, err := dialStationProto(t, h, "FLIP", "", "ocpp2.0.1")
	if err != nil {
		t.Fatal(err)
	}
	// accepted before: no boot needed on the new connection
	b.result("Heartbeat", `{}`)
	var station struct {
		Protocol string `json:"protocol"`
		Vendor   string `json:"vendor"`
	}
	h.api(t, "GET", "/api/v1/stations/FLIP", nil, &station)
	if station.Protocol != "ocpp2.0.1" || station.Vendor != "V" {
		t.Fatalf("station %+v", station)
	}
}
