package main

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/chargehub/hub/ocpp"
	"github.com/chargehub/hub/store/storetest"
)

// TestClockSkewIsMeasuredAndCorrected: a station whose clock runs an hour behind has the
// offset measured from its live statuses, shown in the admin API, and its transaction
// timestamps corrected and flagged.
func TestClockSkewIsMeasuredAndCorrected(t *testing.T) {
	h := startTestHub(t, storetest.SQLiteURL(t), map[string]string{"HUB_UNKNOWN_STATIONS": "accept"})
	st, _, err := dialStation(t, h, "SKEW", "")
	if err != nil {
		t.Fatal(err)
	}
	st.result("BootNotification", `{"chargePointVendor":"V","chargePointModel":"M"}`)
	behind := -time.Hour
	for i := 0; i < 3; i++ {
		st.result("StatusNotification", fmt.Sprintf(`{"connectorId":1,"errorCode":"NoError","status":"Available","timestamp":%q}`,
			ts(time.Now().Add(behind))))
	}
	var station struct {
		ClockOffsetMs *int64 `json:"clock_offset_ms"`
	}
	h.api(t, "GET", "/api/v1/stations/SKEW", nil, &station)
	if station.ClockOffsetMs == nil || time.Duration(*station.ClockOffsetMs)*time.Millisecond < 59*time.Minute {
		t.Fatalf("clock offset %v", station.ClockOffsetMs)
	}
	stationNow := time.Now().Add(behind)
	res := st.result("StartTransaction", fmt.Sprintf(`{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":%q}`, ts(stationNow)))
	id := ftoa(res["transactionId"].(float64))
	var tx struct {
		StartedAt time.Time `json:"started_at"`
		Flags     []string  `json:"flags"`
	}
	h.api(t, "GET", "/api/v1/transactions/"+id, nil, &tx)
	if time.Since(tx.StartedAt).Abs() > time.Minute || !contains(fmt.Sprint(tx.Flags), "ts_skew_corrected") {
		t.Fatalf("start time %v (now %v) flags %v", tx.StartedAt, time.Now(), tx.Flags)
	}
	resp, _ := httpGet(t, h.base+"/metrics")
	if !contains(resp, "hub_station_clock_offset_seconds_count") {
		t.Fatal("clock offset metric missing")
	}
}

// TestPasswordRotation: the hub pushes a new password in the station's protocol and accepts
// only the new one once the station confirmed; unconfirmed, both work until one is used.
func TestPasswordRotation(t *testing.T) {
	for _, proto := range []string{"ocpp1.6", "ocpp2.0.1"} {
		t.Run(proto, func(t *testing.T) {
			h := startTestHub(t, storetest.SQLiteURL(t), map[string]string{"HUB_OCPP_CALL_TIMEOUT": "500ms"})
			if _, err := h.svc.RegisterStation(context.Background(), "ROT", []byte("old-password-0001"), 1); err != nil {
				t.Fatal(err)
			}
			st, _, err := dialStationProto(t, h, "ROT", "old-password-0001", proto)
			if err != nil {
				t.Fatal(err)
			}
			var pushed string
			st.onCall(func(f ocpp.Frame) []byte {
				switch f.Action {
				case "ChangeConfiguration":
					var p struct{ Key, Value string }
					_ = json.Unmarshal(f.Payload, &p)
					if p.Key != "AuthorizationKey" {
						t.Errorf("key %q", p.Key)
					}
					pushed = p.Value
					return ocpp.MarshalCallResult(f.ID, []byte(`{"status":"Accepted"}`))
				case "SetVariables":
					var p struct {
						SetVariableData []struct {
							AttributeValue string `json:"attributeValue"`
							Component      struct{ Name string }
							Variable       struct{ Name string }
						} `json:"setVariableData"`
					}
					_ = json.Unmarshal(f.Payload, &p)
					d := p.SetVariableData[0]
					pushed = d.AttributeValue
					return ocpp.MarshalCallResult(f.ID, []byte(`{"setVariableResult":[{"attributeStatus":"Accepted","component":{"name":"`+
						d.Component.Name+`"},"variable":{"name":"`+d.Variable.Name+`"}}]}`))
				}
				return ocpp.MarshalCallError(f.ID, "NotSupported", "", nil)
			})
			var out struct {
				Password  string `json:"password"`
				Confirmed bool   `json:"confirmed"`
			}
			if code := h.api(t, "POST", "/api/v1/stations/ROT/password", nil, &out); code != 200 || !out.Confirmed || len(out.Password) != 20 {
				t.Fatalf("rotate: %d %+v", code, out)
			}
			want := out.Password
			if proto == "ocpp1.6" {
				want = fmt.Sprintf("%x", out.Password) // AuthorizationKey travels hex-encoded
			}
			if pushed != want {
				t.Fatalf("pushed %q, want %q", pushed, want)
			}
			st.c.Close()
			if _, resp, _ := dialStationProto(t, h, "ROT", "old-password-0001", proto); resp == nil || resp.StatusCode != 401 {
				t.Fatal("old password still accepted after the station confirmed the new one")
			}
			if _, _, err := dialStationProto(t, h, "ROT", out.Password, proto); err != nil {
				t.Fatalf("new password refused: %v", err)
			}
		})
	}
	t.Run("unconfirmed", func(t *testing.T) {
		h := startTestHub(t, storetest.SQLiteURL(t), map[string]string{"HUB_OCPP_CALL_TIMEOUT": "300ms"})
		if _, err := h.svc.RegisterStation(context.Background(), "ROT", []byte("old-password-0001"), 1); err != nil {
			t.Fatal(err)
		}
		st, _, err := dialStation(t, h, "ROT", "old-password-0001")
		if err != nil {
			t.Fatal(err)
		}
		st.onCall(func(f ocpp.Frame) []byte { return nil }) // never answers
		var out struct {
			Password  string `json:"password"`
			Confirmed bool   `json:"confirmed"`
		}
		if code := h.api(t, "POST", "/api/v1/stations/ROT/password", nil, &out); code != 202 || out.Confirmed {
			t.Fatalf("rotate without answer: %d %+v", code, out)
		}
		st.c.Close()
		if _, _, err := dialStation(t, h, "ROT", out.Password); err != nil {
			t.Fatalf("new password refused while unconfirmed: %v", err)
		}
		// the station used the new one: the old one is gone now
		if _, resp, _ := dialStation(t, h, "ROT", "old-password-0001"); resp == nil || resp.StatusCode != 401 {
			t.Fatal("old password accepted after the new one was used")
		}
	})
}

// TestVendorProfile: zone-less timestamps are read in the vendor's zone, kWh-labelled-Wh
// readings are rescaled, and a refused leniency becomes a CALLERROR.
func TestVendorProfile(t *testing.T) {
	h := startTestHub(t, storetest.SQLiteURL(t), map[string]string{"HUB_UNKNOWN_STATIONS": "accept"})
	if code := h.api(t, "PUT", "/api/v1/vendor-profiles/Growatt", map[string]any{"time_zone": "Asia/Kolkata",
		"energy_wh_is_kwh": true, "reject": []string{"extra_field"}}, nil); code != 200 {
		t.Fatalf("put profile: %d", code)
	}
	if code := h.api(t, "PUT", "/api/v1/vendor-profiles/X", map[string]any{"reject": []string{"bogus"}}, nil); code != 400 {
		t.Fatalf("bogus flag accepted: %d", code)
	}
	st, _, err := dialStation(t, h, "GW1", "")
	if err != nil {
		t.Fatal(err)
	}
	st.result("BootNotification", `{"chargePointVendor":"growatt","chargePointModel":"THOR"}`)
	local := time.Now().In(time.FixedZone("IST", 5*3600+1800)).Add(-time.Hour)
	res := st.result("StartTransaction", fmt.Sprintf(`{"connectorId":1,"idTag":"T","meterStart":100,"timestamp":%q}`,
		local.Format("2006-01-02T15:04:05")))
	id := ftoa(res["transactionId"].(float64))
	st.result("MeterValues", `{"connectorId":1,"transactionId":`+id+`,"meterValue":[{"timestamp":"`+ts(time.Now())+
		`","sampledValue":[{"value":"361","unit":"Wh"}]}]}`)
	var tx struct {
		StartedAt   time.Time `json:"started_at"`
		LastMeterWh int64     `json:"last_meter_wh"`
		Flags       []string  `json:"flags"`
	}
	h.api(t, "GET", "/api/v1/transactions/"+id, nil, &tx)
	if tx.StartedAt.Sub(local.Truncate(time.Second)).Abs() > time.Second || tx.LastMeterWh != 361000 {
		t.Fatalf("started %v (want %v), last meter %d", tx.StartedAt, local.UTC(), tx.LastMeterWh)
	}
	if f := st.call("Heartbeat", `{"extra":1}`); f.ErrorCode != "FormationViolation" {
		t.Fatalf("refused leniency accepted: %+v", f)
	}
}
