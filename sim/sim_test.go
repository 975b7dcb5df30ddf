package sim

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/chargehub/hub/ocpp"
	v16 "github.com/chargehub/hub/ocpp/v16"
	"github.com/chargehub/hub/ocpp/wire"
)

func init() { statusStepDelay = 5 * time.Millisecond }

func dialFake(t *testing.T, f *fakeCSMS, id string, mod func(*DialOptions)) *Charger {
	t.Helper()
	o := DialOptions{URL: f.url(), ID: id, SessionInterval: 10 * time.Millisecond, SessionMeterValues: 2, CallTimeout: 5 * time.Second}
	if mod != nil {
		mod(&o)
	}
	c, err := Dial(context.Background(), o)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestChargerSessionAgainstFake(t *testing.T) {
	f := newFakeCSMS(t)
	c := dialFake(t, f, "CP 1", nil) // a space must be path-escaped
	ctx := context.Background()
	boot, err := c.Boot(ctx)
	if err != nil || boot.Status != v16.RegistrationStatusAccepted || boot.Interval != 300 {
		t.Fatalf("Boot = %+v, %v", boot, err)
	}
	if f.station("CP 1") == nil {
		t.Fatal("the fake did not see station \"CP 1\"")
	}
	if _, err := c.Heartbeat(ctx); err != nil {
		t.Fatal(err)
	}
	res := c.RunSession(ctx, 1, "TAG1", 3, 10*time.Millisecond)
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	if !res.Started || !res.Completed || res.TransactionID == 0 || res.MeterValues != 3 || res.EnergyWh <= 0 || res.StopReason != v16.ReasonLocal {
		t.Fatalf("session result %+v", res)
	}
	// a second session continues the register
	res2 := c.RunSession(ctx, 0, "TAG1", 1, 10*time.Millisecond)
	if res2.Err() != nil || res2.MeterStartWh != res.MeterStopWh {
		t.Fatalf("second session %+v, first stopped at %d", res2, res.MeterStopWh)
	}
	for action, want := range map[string]int{"Authorize": 2, "StartTransaction": 2, "StopTransaction": 2, "MeterValues": 4, "StatusNotification": 8} {
		if got := f.count(action); got != want {
			t.Errorf("%s sent %d times, want %d", action, got, want)
		}
	}
	f.mu.Lock()
	stop := f.stops[0]
	f.mu.Unlock()
	if len(stop.TransactionData) != 1 || stop.TransactionData[0].SampledValue[0].Context != v16.ReadingContextTransactionEnd {
		t.Errorf("StopTransaction without a Transaction.End sample: %+v", stop)
	}
	if v := f.violations(); len(v) > 0 {
		t.Errorf("the fake saw violations: %v", v)
	}
	r := c.Stats().Report(time.Second)
	if r.SessionsStarted != 2 || r.SessionsCompleted != 2 || r.SchemaErrors != 0 || r.CallErrors != 0 || r.LatencyMax <= 0 {
		t.Errorf("stats %+v", r)
	}
	c.Close()
	if code := c.CloseCode(); code != websocket.CloseNormalClosure {
		t.Errorf("CloseCode after Close = %d, want 1000", code)
	}
}

// TestChargerAnswersHubCalls drives every built-in answer from the CSMS side and
// decodes each answer strictly.
func TestChargerAnswersHubCalls(t *testing.T) {
	f := newFakeCSMS(t)
	c := dialFake(t, f, "CP2", func(o *DialOptions) {
		o.Connectors = 2
		o.SessionInterval = 50 * time.Millisecond
		o.SessionMeterValues = 20
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.Boot(ctx); err != nil {
		t.Fatal(err)
	}
	s := f.station("CP2")

	var rs v16.RemoteStartTransactionResponse
	if err := s.call(ctx, "RemoteStartTransaction", &v16.RemoteStartTransactionRequest{IDTag: "REMOTE1"}, &rs); err != nil || rs.Status != v16.RemoteStartStopStatusAccepted {
		t.Fatalf("RemoteStartTransaction = %+v, %v", rs, err)
	}
	waitFor(t, "the remote session to start", func() bool { return f.count("StartTransaction") == 1 })
	var gc v16.GetConfigurationResponse
	if err := s.call(ctx, "GetConfiguration", &v16.GetConfigurationRequest{}, &gc); err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	for _, kv := range gc.ConfigurationKey {
		keys[kv.Key] = kv.Value
	}
	if keys["NumberOfConnectors"] != "2" || !strings.Contains(keys["SupportedFeatureProfiles"], "Core") {
		t.Errorf("GetConfiguration = %+v", gc)
	}
	var cc v16.ChangeConfigurationResponse
	if err := s.call(ctx, "ChangeConfiguration", &v16.ChangeConfigurationRequest{Key: "MyKey", Value: "42"}, &cc); err != nil || cc.Status != v16.ConfigurationStatusAccepted {
		t.Fatalf("ChangeConfiguration = %+v, %v", cc, err)
	}
	gc = v16.GetConfigurationResponse{}
	if err := s.call(ctx, "GetConfiguration", &v16.GetConfigurationRequest{Key: []string{"MyKey", "HeartbeatInterval", "Nope"}}, &gc); err != nil {
		t.Fatal(err)
	}
	if len(gc.ConfigurationKey) != 2 || gc.ConfigurationKey[0].Value != "42" || len(gc.UnknownKey) != 1 || gc.UnknownKey[0] != "Nope" {
		t.Errorf("GetConfiguration(keys) = %+v", gc)
	}
	waitFor(t, "the transaction id", func() bool {
		c.state.mu.Lock()
		defer c.state.mu.Unlock()
		return c.state.conns[1].txID != 0
	})
	txID := int(f.nextTx.Load())
	var rst v16.RemoteStopTransactionResponse
	if err := s.call(ctx, "RemoteStopTransaction", &v16.RemoteStopTransactionRequest{TransactionID: txID}, &rst); err != nil || rst.Status != v16.RemoteStartStopStatusAccepted {
		t.Fatalf("RemoteStopTransaction = %+v, %v", rst, err)
	}
	waitFor(t, "the remote session to end", func() bool {
		c.state.mu.Lock()
		busy := c.state.conns[1].busy
		c.state.mu.Unlock()
		f.mu.Lock()
		defer f.mu.Unlock()
		return !busy && len(f.stops) == 1
	})
	f.mu.Lock()
	if f.stops[0].Reason != v16.ReasonRemote || f.stops[0].TransactionID != txID {
		t.Errorf("StopTransaction = %+v, want reason Remote for %d", f.stops[0], txID)
	}
	f.mu.Unlock()

	one := 1
	calls := []struct {
		action string
		req    any
		resp   any
		check  func(any) bool
	}{
		{"Reset", &v16.ResetRequest{Type: v16.ResetTypeSoft}, &v16.ResetResponse{}, func(r any) bool { return r.(*v16.ResetResponse).Status == v16.ResetStatusAccepted }},
		{"ChangeAvailability", &v16.ChangeAvailabilityRequest{ConnectorID: 2, Type: v16.AvailabilityTypeInoperative}, &v16.ChangeAvailabilityResponse{}, func(r any) bool {
			return r.(*v16.ChangeAvailabilityResponse).Status == v16.AvailabilityStatusAccepted
		}},
		{"ClearCache", &v16.ClearCacheRequest{}, &v16.ClearCacheResponse{}, func(r any) bool { return r.(*v16.ClearCacheResponse).Status == v16.ClearCacheStatusAccepted }},
		{"UnlockConnector", &v16.UnlockConnectorRequest{ConnectorID: 1}, &v16.UnlockConnectorResponse{}, func(r any) bool { return r.(*v16.UnlockConnectorResponse).Status == v16.UnlockStatusUnlocked }},
		{"DataTransfer", &v16.DataTransferRequest{VendorID: "acme"}, &v16.DataTransferResponse{}, func(r any) bool {
			return r.(*v16.DataTransferResponse).Status == v16.DataTransferStatusUnknownVendorId
		}},
		{"SendLocalList", &v16.SendLocalListRequest{ListVersion: 7, UpdateType: v16.UpdateTypeFull}, &v16.SendLocalListResponse{}, func(r any) bool { return r.(*v16.SendLocalListResponse).Status == v16.UpdateStatusAccepted }},
		{"GetLocalListVersion", &v16.GetLocalListVersionRequest{}, &v16.GetLocalListVersionResponse{}, func(r any) bool { return r.(*v16.GetLocalListVersionResponse).ListVersion == 7 }},
		{"ReserveNow", &v16.ReserveNowRequest{ConnectorID: 1, ExpiryDate: wire.NewDateTime(time.Now().Add(time.Hour)), IDTag: "T", ReservationID: 5}, &v16.ReserveNowResponse{}, func(r any) bool {
			return r.(*v16.ReserveNowResponse).Status == v16.ReservationStatusAccepted
		}},
		{"CancelReservation", &v16.CancelReservationRequest{ReservationID: 5}, &v16.CancelReservationResponse{}, func(r any) bool {
			return r.(*v16.CancelReservationResponse).Status == v16.CancelReservationStatusAccepted
		}},
		{"SetChargingProfile", &v16.SetChargingProfileRequest{ConnectorID: 1, CSChargingProfiles: v16.ChargingProfile{
			ChargingProfileID: 1, ChargingProfilePurpose: v16.ChargingProfilePurposeTypeTxDefaultProfile, ChargingProfileKind: v16.ChargingProfileKindTypeRelative,
			ChargingSchedule: v16.ChargingSchedule{ChargingRateUnit: v16.ChargingRateUnitTypeA, ChargingSchedulePeriod: []v16.ChargingSchedulePeriod{{Limit: 16}}},
		}}, &v16.SetChargingProfileResponse{}, func(r any) bool {
			return r.(*v16.SetChargingProfileResponse).Status == v16.ChargingProfileStatusAccepted
		}},
		{"ClearChargingProfile", &v16.ClearChargingProfileRequest{}, &v16.ClearChargingProfileResponse{}, func(r any) bool {
			return r.(*v16.ClearChargingProfileResponse).Status == v16.ClearChargingProfileStatusAccepted
		}},
		{"GetCompositeSchedule", &v16.GetCompositeScheduleRequest{ConnectorID: 1, Duration: 60}, &v16.GetCompositeScheduleResponse{}, func(r any) bool {
			return r.(*v16.GetCompositeScheduleResponse).Status == v16.GetCompositeScheduleStatusRejected
		}},
		{"TriggerMessage", &v16.TriggerMessageRequest{RequestedMessage: v16.MessageTriggerMeterValues, ConnectorID: &one}, &v16.TriggerMessageResponse{}, func(r any) bool {
			return r.(*v16.TriggerMessageResponse).Status == v16.TriggerMessageStatusAccepted
		}},
		{"TriggerMessage", &v16.TriggerMessageRequest{RequestedMessage: v16.MessageTriggerHeartbeat}, &v16.TriggerMessageResponse{}, func(r any) bool {
			return r.(*v16.TriggerMessageResponse).Status == v16.TriggerMessageStatusAccepted
		}},
		{"UpdateFirmware", &v16.UpdateFirmwareRequest{Location: "https://fw.example.com/1.bin", RetrieveDate: wire.NewDateTime(time.Now())}, &v16.UpdateFirmwareResponse{}, nil},
		{"GetDiagnostics", &v16.GetDiagnosticsRequest{Location: "ftp://diag.example.com/up"}, &v16.GetDiagnosticsResponse{}, func(r any) bool { return r.(*v16.GetDiagnosticsResponse).FileName != "" }},
	}
	for _, tc := range calls {
		if err := s.call(ctx, tc.action, tc.req, tc.resp); err != nil {
			t.Errorf("%s: %v", tc.action, err)
			continue
		}
		if tc.check != nil && !tc.check(tc.resp) {
			t.Errorf("%s answered %+v", tc.action, tc.resp)
		}
	}
	waitFor(t, "the follow-up messages", func() bool {
		return f.count("FirmwareStatusNotification") == 4 && f.count("DiagnosticsStatusNotification") == 2 &&
			f.count("Heartbeat") >= 1 && f.count("MeterValues") >= 1 && f.count("StatusNotification") >= 1
	})

	// unknown action, a known one the simulator does not do, and a payload the schema refuses
	for _, tc := range []struct{ action, payload, code string }{
		{"FlyToTheMoon", `{}`, "NotImplemented"},
		{"CertificateSigned", `{"certificateChain":"x"}`, "NotSupported"},
		{"Reset", `{"type":"Warm"}`, "PropertyConstraintViolation"},
		{"UnlockConnector", `{}`, "OccurenceConstraintViolation"},
	} {
		fr, err := s.callRaw(ctx, "raw-"+tc.action, tc.action, tc.payload)
		if err != nil || fr.Type != ocpp.TypeCallError || fr.ErrorCode != tc.code {
			t.Errorf("%s %s answered %+v, %v; want CALLERROR %s", tc.action, tc.payload, fr, err, tc.code)
		}
	}
	r := c.Stats().Report(time.Second)
	if r.SchemaErrors != 2 {
		t.Errorf("SchemaErrors = %d, want 2 (the two invalid requests of the hub)", r.SchemaErrors)
	}
	if want := 5 + len(calls) + 4; r.CommandsAnswered != want {
		t.Errorf("CommandsAnswered = %d, want %d", r.CommandsAnswered, want)
	}
	if v := f.violations(); len(v) > 0 {
		t.Errorf("the fake saw violations: %v", v)
	}
}

func TestOnCallHook(t *testing.T) {
	f := newFakeCSMS(t)
	c := dialFake(t, f, "CP3", func(o *DialOptions) {
		o.OnCall = func(c *Charger, action string, req any, raw json.RawMessage) (any, bool, error) {
			switch action {
			case "Reset":
				return &v16.ResetResponse{Status: v16.ResetStatusRejected}, true, nil
			case "ClearCache":
				return nil, true, &CallError{Code: "GenericError", Description: "busy"}
			}
			return nil, false, nil
		}
	})
	if _, err := c.Boot(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := f.station("CP3")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var rr v16.ResetResponse
	if err := s.call(ctx, "Reset", &v16.ResetRequest{Type: v16.ResetTypeHard}, &rr); err != nil || rr.Status != v16.ResetStatusRejected {
		t.Errorf("Reset = %+v, %v", rr, err)
	}
	var ce *CallError
	if err := s.call(ctx, "ClearCache", &v16.ClearCacheRequest{}, &v16.ClearCacheResponse{}); !errors.As(err, &ce) || ce.Code != "GenericError" {
		t.Errorf("ClearCache error = %v", err)
	}
	var ur v16.UnlockConnectorResponse
	if err := s.call(ctx, "UnlockConnector", &v16.UnlockConnectorRequest{ConnectorID: 1}, &ur); err != nil || ur.Status != v16.UnlockStatusUnlocked {
		t.Errorf("UnlockConnector (fallback) = %+v, %v", ur, err)
	}
}

func TestCallErrorsSchemaErrorsTimeouts(t *testing.T) {
	f := newFakeCSMS(t)
	f.override = func(fr ocpp.Frame) []byte {
		switch fr.Action {
		case "Authorize":
			return ocpp.MarshalCallError(fr.ID, "InternalError", "db down", nil)
		case "Heartbeat": // missing currentTime
			return ocpp.MarshalCallResult(fr.ID, json.RawMessage(`{}`))
		case "StatusNotification":
			return []byte{} // never answered
		case "DataTransfer":
			return []byte(`[3,"` + fr.ID + `",{"status":"Accepted"}]`)
		}
		return nil
	}
	c := dialFake(t, f, "CP4", func(o *DialOptions) { o.CallTimeout = 100 * time.Millisecond })
	ctx := context.Background()
	var ce *CallError
	if _, err := c.Authorize(ctx, "T"); !errors.As(err, &ce) || ce.Code != "InternalError" || ce.Description != "db down" {
		t.Errorf("Authorize error = %v, want CALLERROR InternalError", err)
	}
	var se *SchemaError
	if _, err := c.Heartbeat(ctx); !errors.As(err, &se) || se.Action != "Heartbeat" {
		t.Errorf("Heartbeat error = %v, want a schema error", err)
	}
	if err := c.Status(ctx, 0, v16.ChargePointStatusAvailable); !errors.Is(err, ErrTimeout) {
		t.Errorf("Status error = %v, want ErrTimeout", err)
	}
	// a late or unsolicited answer must not confuse the next call
	var dt v16.DataTransferResponse
	if err := c.Call(ctx, "DataTransfer", &v16.DataTransferRequest{VendorID: "x"}, &dt); err != nil || dt.Status != v16.DataTransferStatusAccepted {
		t.Errorf("DataTransfer = %+v, %v", dt, err)
	}
	// an invalid own request is refused before sending
	if err := c.Call(ctx, "Authorize", &v16.AuthorizeRequest{IDTag: strings.Repeat("x", 21)}, nil); err == nil {
		t.Error("an over-long idTag was sent")
	}
	r := c.Stats().Report(time.Second)
	if r.CallErrors != 1 || r.SchemaErrors != 1 || r.Timeouts != 1 || r.Messages != 4 {
		t.Errorf("report %+v, want 1 CALLERROR, 1 schema error, 1 timeout, 4 messages", r)
	}
}

func TestHandshakeRefused(t *testing.T) {
	f := newFakeCSMS(t)
	f.password = "s3cret-password"
	_, err := Dial(context.Background(), DialOptions{URL: f.url(), ID: "CP5", Password: "wrong"})
	var he *HandshakeError
	if !errors.As(err, &he) || he.StatusCode != 401 || !strings.Contains(he.Body, "bad credentials for CP5") {
		t.Fatalf("Dial error = %v, want a 401 HandshakeError with the body", err)
	}
	if !strings.Contains(err.Error(), "401") {
		t.Errorf("error text %q lacks the status", err)
	}
	c, err := Dial(context.Background(), DialOptions{URL: f.url() + "/", ID: "CP5", Password: "s3cret-password"})
	if err != nil {
		t.Fatalf("Dial with the password: %v", err)
	}
	c.Close()

	r, err := Run(context.Background(), Config{URL: f.url(), Count: 3, Password: "nope"}, nil)
	if err == nil || !strings.Contains(err.Error(), "401") || r.DialErrors != 3 || r.Connected != 0 {
		t.Errorf("Run with a bad password = %+v, %v", r, err)
	}
}

// TestDialRetriedAfter503: upgrades the hub defers with 503 are retried after its Retry-After,
// and counted; the stations then run their sessions.
func TestDialRetriedAfter503(t *testing.T) {
	f := newFakeCSMS(t)
	f.defer503.Store(4)
	r, err := Run(context.Background(), Config{URL: f.url(), Count: 3, Sessions: 1, MeterValues: 1, MeterInterval: time.Millisecond}, nil)
	if err != nil || r.DialRetries != 4 || r.DialErrors != 0 || r.Connected != 3 || r.SessionsCompleted != 3 {
		t.Fatalf("Run = %+v, %v", r, err)
	}
	noViolations(t, f)
}

func TestCloseCodeFromHub(t *testing.T) {
	f := newFakeCSMS(t)
	c := dialFake(t, f, "CP6", nil)
	if _, err := c.Boot(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := f.station("CP6")
	s.wmu.Lock()
	s.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.ClosePolicyViolation, "replaced"), time.Now().Add(time.Second))
	s.wmu.Unlock()
	select {
	case <-c.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("Done not closed after the hub closed the socket")
	}
	if code := c.CloseCode(); code != websocket.ClosePolicyViolation {
		t.Errorf("CloseCode = %d, want 1008", code)
	}
	if _, err := c.Heartbeat(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Heartbeat after close = %v, want ErrClosed", err)
	}
}

func TestRunFleet(t *testing.T) {
	f := newFakeCSMS(t)
	cfg := Config{URL: f.url(), Count: 5, Sessions: 2, MeterValues: 2, MeterInterval: 10 * time.Millisecond, HeartbeatInterval: 15 * time.Millisecond, Hold: 40 * time.Millisecond, RampUp: 20 * time.Millisecond}
	r, err := Run(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Report{Stations: 5, Connected: 5, Booted: 5, Accepted: 5, SessionsStarted: 10, SessionsCompleted: 10}
	got := Report{Stations: r.Stations, Connected: r.Connected, Booted: r.Booted, Accepted: r.Accepted, SessionsStarted: r.SessionsStarted, SessionsCompleted: r.SessionsCompleted}
	if got.String() != want.String() {
		t.Errorf("report counts:\n%s\nwant:\n%s", got, want)
	}
	if r.DialErrors+r.CallErrors+r.SchemaErrors+r.Timeouts+r.Disconnects != 0 || len(r.Errors) > 0 {
		t.Errorf("unexpected errors: %s", r)
	}
	for action, want := range map[string]int{"BootNotification": 5, "Authorize": 10, "StartTransaction": 10, "StopTransaction": 10, "MeterValues": 20, "StatusNotification": 5*2 + 10*4} {
		if got := f.count(action); got != want {
			t.Errorf("%s sent %d times, want %d", action, got, want)
		}
	}
	hb := f.count("Heartbeat")
	if hb < 10 { // one after boot plus at least one during the hold, per charger
		t.Errorf("%d heartbeats, want at least 10", hb)
	}
	total := 0
	f.mu.Lock()
	for _, n := range f.actions {
		total += n
	}
	stops := f.stops
	f.mu.Unlock()
	if r.Messages != total || r.MessagesPerSecond <= 0 || r.LatencyP50 <= 0 || r.LatencyP99 < r.LatencyP50 || r.LatencyMax < r.LatencyP99 {
		t.Errorf("Messages %d (fake saw %d), rate %.1f, latency %s/%s/%s", r.Messages, total, r.MessagesPerSecond, r.LatencyP50, r.LatencyP99, r.LatencyMax)
	}
	tags := map[string]bool{}
	for _, s := range stops {
		tags[s.IDTag] = true
	}
	for i := 1; i <= 5; i++ {
		if !tags[TagName("SIMTAG", i)] {
			t.Errorf("no session with tag %s", TagName("SIMTAG", i))
		}
	}
	if r.EnergyWh <= 0 {
		t.Errorf("EnergyWh = %d", r.EnergyWh)
	}
	if v := f.violations(); len(v) > 0 {
		t.Errorf("the fake saw violations: %v", v)
	}
	var back Report
	b, _ := json.Marshal(r)
	if err := json.Unmarshal(b, &back); err != nil || back.Connected != 5 || !strings.Contains(string(b), `"messages_per_second"`) {
		t.Errorf("JSON round trip: %s, %v", b, err)
	}
	if s := r.String(); !strings.Contains(s, "10 completed") {
		t.Errorf("String() = %q", s)
	}
}

func TestRunHoldTogether(t *testing.T) {
	f := newFakeCSMS(t)
	// the first charger would be done long before the last one dials
	cfg := Config{URL: f.url(), Count: 4, Sessions: 1, MeterValues: 1, MeterInterval: time.Millisecond, RampUp: 300 * time.Millisecond, HoldTogether: true, Hold: 10 * time.Millisecond}
	r, err := Run(context.Background(), cfg, nil)
	if err != nil || r.SessionsCompleted != 4 {
		t.Fatalf("Run = %+v, %v", r, err)
	}
	if p := f.peak.Load(); p != 4 {
		t.Errorf("at most %d chargers were connected at once, want 4", p)
	}
}

func TestRunStopsWithContext(t *testing.T) {
	f := newFakeCSMS(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { // stop the fleet once every charger is charging: 2 + 2 status notifications each
		for f.count("StatusNotification") < 12 && ctx.Err() == nil {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	r, err := Run(ctx, Config{URL: f.url(), Count: 3, Sessions: 1, MeterValues: 100000, MeterInterval: 50 * time.Millisecond}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Connected != 3 || r.SessionsStarted != 3 || r.SessionsCompleted != 0 || r.Timeouts != 0 || r.Disconnects != 0 {
		t.Errorf("report %+v", r)
	}
	if r.Elapsed > time.Minute {
		t.Errorf("Run took %s", r.Elapsed)
	}
}

func TestRunConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{URL: "ws://127.0.0.1:1/ocpp", Count: 1, Protocol: "ocpp1.5"}, "supported: ocpp1.6, ocpp2.0.1, mixed"},
		{Config{URL: "ws://127.0.0.1:1/ocpp", Count: 1, Protocol: "mixed", TagPrefix: "AVERYLONGTAGPREFIX"}, "OCPP 1.6 allows 20"},
		{Config{URL: "ws://127.0.0.1:1/ocpp", Count: 0}, "count"},
		{Config{URL: "http://x", Count: 1}, "ws://"},
		{Config{URL: "ws://127.0.0.1:1/ocpp", Count: 1, TagPrefix: "AVERYLONGTAGPREFIX"}, "20"},
	} {
		if _, err := Run(context.Background(), tc.cfg, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Run(%+v) = %v, want an error mentioning %q", tc.cfg, err, tc.want)
		}
	}
}

func TestHistogram(t *testing.T) {
	var h histogram
	for i := 1; i <= 1000; i++ {
		h.observe(time.Duration(i) * time.Millisecond)
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 500 * time.Millisecond}, {0.99, 990 * time.Millisecond}, {1, time.Second}} {
		got := h.quantile(tc.q)
		if diff := float64(got-tc.want) / float64(tc.want); diff < 0 || diff > 0.04 {
			t.Errorf("quantile(%v) = %s, want %s within +4%%", tc.q, got, tc.want)
		}
	}
	for v := uint64(0); v < 1<<20; v += 7 {
		if b := bucketOf(v); v > bucketUpper(b) || (b > 0 && v <= bucketUpper(b-1)) {
			t.Fatalf("value %d in bucket %d [.., %d]", v, b, bucketUpper(b))
		}
	}
}
