package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	v201 "github.com/chargehub/hub/ocpp/v201"
	"github.com/chargehub/hub/sim"
	"github.com/chargehub/hub/store/storetest"
)

// simTx is a transaction as the admin API lists it.
type simTx struct {
	StationID   string `json:"station_id"`
	StationTxID string `json:"station_transaction_id"`
	IDTag       string `json:"id_tag"`
	Status      string `json:"status"`
	EnergyWh    int64  `json:"energy_wh"`
	StopReason  string `json:"stop_reason"`
	EVSEID      int    `json:"evse_id"`
	ConnectorID int    `json:"connector_id"`
}

// listSimTx returns every transaction of the hub, or of station when not "".
func listSimTx(t *testing.T, h *testHub, station string) []simTx {
	t.Helper()
	var all []simTx
	for offset := 0; ; {
		var page struct {
			Data  []simTx `json:"data"`
			Total int     `json:"total"`
		}
		path := fmt.Sprintf("/api/v1/transactions?limit=1000&offset=%d", offset)
		if station != "" {
			path += "&station_id=" + station
		}
		if code := h.api(t, "GET", path, nil, &page); code != 200 {
			t.Fatalf("GET %s: %d", path, code)
		}
		all = append(all, page.Data...)
		offset += len(page.Data)
		if len(page.Data) == 0 || offset >= page.Total {
			return all
		}
	}
}

// TestSimMixedFleetEndToEnd runs a mixed fleet (odd stations OCPP 1.6, even ones 2.0.1)
// against the real hub on both databases and checks through the admin API that every
// session became a completed transaction with the simulator's energy, then drives a
// 2.0.1 station through GetBaseReport, SetVariables and a remote start/stop.
func TestSimMixedFleetEndToEnd(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, url string) {
		h := startTestHub(t, url, map[string]string{"HUB_UNKNOWN_STATIONS": "accept"})
		const stations, sessions, meterValues = 20, 2, 3
		const interval = 20 * time.Millisecond
		for i := 1; i <= stations; i++ {
			if code := h.api(t, "PUT", "/api/v1/idtags/"+sim.TagName("SIMTAG", i), map[string]any{}, nil); code/100 != 2 {
				t.Fatalf("registering tag %d: HTTP %d", i, code)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		r, err := sim.Run(ctx, sim.Config{URL: h.ws, Count: stations, Protocol: sim.ProtocolMixed, Sessions: sessions,
			MeterValues: meterValues, MeterInterval: interval, CallTimeout: 30 * time.Second}, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("fleet report:\n%s", r)
		if r.Connected != stations || r.Accepted != stations || r.SessionsStarted != stations*sessions || r.SessionsCompleted != stations*sessions ||
			r.CallErrors+r.SchemaErrors+r.Timeouts+r.Disconnects+r.DialErrors != 0 || len(r.Errors) > 0 {
			t.Fatalf("report:\n%s", r)
		}
		for _, p := range []string{sim.ProtocolOCPP16, sim.ProtocolOCPP201} {
			if pr := r.Protocols[p]; pr.Stations != stations/2 || pr.SessionsCompleted != stations*sessions/2 || pr.SchemaErrors != 0 {
				t.Errorf("%s: %+v", p, pr)
			}
		}
		// the simulator adds max(11 kW × interval, 1 Wh) per meter value
		perSession := int64(meterValues * max(11_000*int(interval.Milliseconds())/3_600_000, 1))
		if r.EnergyWh != int(perSession)*stations*sessions {
			t.Errorf("simulated energy %d Wh, want %d per session", r.EnergyWh, perSession)
		}

		txs := listSimTx(t, h, "")
		if len(txs) != stations*sessions {
			t.Fatalf("%d transactions, want %d", len(txs), stations*sessions)
		}
		perStation := map[string]int{}
		for _, tx := range txs {
			i, _ := strconv.Atoi(strings.TrimPrefix(tx.StationID, "SIM"))
			_, uuidErr := uuid.Parse(tx.StationTxID)
			if i%2 == 0 && uuidErr != nil || i%2 == 1 && uuidErr == nil { // 2.0.1: the station's UUID; 1.6: the hub's number
				t.Errorf("%s: transaction id %q", tx.StationID, tx.StationTxID)
			}
			if tx.Status != "Completed" || tx.EnergyWh != perSession || tx.IDTag != sim.TagName("SIMTAG", i) || tx.StopReason != "Local" || tx.ConnectorID != 1 {
				t.Errorf("transaction %+v, want Completed with %d Wh", tx, perSession)
			}
			perStation[tx.StationID]++
		}
		for i := 1; i <= stations; i++ {
			id := sim.StationName("SIM", i)
			var st struct {
				Protocol string `json:"protocol"`
			}
			h.api(t, "GET", "/api/v1/stations/"+id, nil, &st)
			want := sim.ProtocolOCPP16
			if i%2 == 0 {
				want = sim.ProtocolOCPP201
			}
			if st.Protocol != want || perStation[id] != sessions {
				t.Errorf("%s: protocol %q, %d transactions", id, st.Protocol, perStation[id])
			}
		}

		remote201(t, h)
	})
}

// remote201 drives one simulated 2.0.1 station through hub commands of the admin API.
func remote201(t *testing.T, h *testHub) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	const id = "SIM-R201"
	c, err := sim.Dial(ctx, sim.DialOptions{URL: h.ws, ID: id, Protocol: sim.ProtocolOCPP201, Connectors: 2,
		SessionMeterValues: 1000, SessionInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if boot, err := c.Boot201(ctx, v201.BootReasonPowerUp); err != nil || boot.Status != v201.RegistrationStatusAccepted {
		t.Fatalf("boot %+v, %v", boot, err)
	}
	for evse := 1; evse <= 2; evse++ {
		if err := c.Status201(ctx, evse, 1, v201.ConnectorStatusAvailable); err != nil {
			t.Fatal(err)
		}
	}
	command := func(action string, payload map[string]any) map[string]any {
		t.Helper()
		var out struct {
			Response map[string]any `json:"response"`
		}
		if code := h.api(t, "POST", "/api/v1/stations/"+id+"/commands/"+action, payload, &out); code != 200 {
			t.Fatalf("%s: HTTP %d", action, code)
		}
		return out.Response
	}
	poll := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
		}
	}

	if resp := command("GetBaseReport", map[string]any{"requestId": 1, "reportBase": "FullInventory"}); resp["status"] != "Accepted" {
		t.Fatalf("GetBaseReport %v", resp)
	}
	type inventory struct {
		Data []struct {
			EVSEID     int     `json:"evse_id"`
			MaxPowerW  *string `json:"max_power_w"`
			Connectors []struct {
				ConnectorType string `json:"connector_type"`
			} `json:"connectors"`
		} `json:"data"`
	}
	poll("the reported inventory", func() bool {
		var inv inventory
		h.api(t, "GET", "/api/v1/stations/"+id+"/inventory", nil, &inv)
		return len(inv.Data) == 2 && inv.Data[1].MaxPowerW != nil && *inv.Data[1].MaxPowerW == "22000" &&
			len(inv.Data[1].Connectors) == 1 && inv.Data[1].Connectors[0].ConnectorType == "cType2"
	})
	resp := command("SetVariables", map[string]any{"setVariableData": []any{map[string]any{"component": map[string]any{"name": "SecurityCtrlr"},
		"variable": map[string]any{"name": "BasicAuthPassword"}, "attributeValue": "sim-password-0123456789"}}})
	if res := resp["setVariableResult"].([]any)[0].(map[string]any); res["attributeStatus"] != "Accepted" {
		t.Errorf("SetVariables %v", resp)
	}

	resp = command("RequestStartTransaction", map[string]any{"evseId": 2, "remoteStartId": 4242,
		"idToken": map[string]any{"idToken": sim.TagName("SIMTAG", 1), "type": "ISO14443"}})
	if resp["status"] != "Accepted" {
		t.Fatalf("RequestStartTransaction %v", resp)
	}
	var active simTx
	poll("the remote transaction to charge", func() bool {
		txs := listSimTx(t, h, id)
		if len(txs) == 1 && txs[0].Status == "Active" && txs[0].EnergyWh > 0 {
			active = txs[0]
			return true
		}
		return false
	})
	if active.EVSEID != 2 || active.IDTag != sim.TagName("SIMTAG", 1) {
		t.Errorf("remote transaction %+v", active)
	}
	if resp := command("RequestStopTransaction", map[string]any{"transactionId": active.StationTxID}); resp["status"] != "Accepted" {
		t.Fatalf("RequestStopTransaction %v", resp)
	}
	poll("the remote transaction to end", func() bool {
		txs := listSimTx(t, h, id)
		return len(txs) == 1 && txs[0].Status == "Completed" && txs[0].StopReason == "Remote" && txs[0].EnergyWh >= active.EnergyWh
	})
	if r := c.Stats().Report(time.Second); r.SchemaErrors != 0 || r.CallErrors != 0 || r.SessionsCompleted != 1 || r.CommandsAnswered != 4 {
		t.Errorf("remote station report:\n%s", r)
	}
}
