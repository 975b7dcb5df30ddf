package sim

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chargehub/hub/ocpp"
	v16 "github.com/chargehub/hub/ocpp/v16"
	v201 "github.com/chargehub/hub/ocpp/v201"
)

func dialFake201(t *testing.T, f *fakeCSMS, id string, mod func(*DialOptions)) *Charger {
	t.Helper()
	return dialFake(t, f, id, func(o *DialOptions) {
		o.Protocol = ProtocolOCPP201
		if mod != nil {
			mod(o)
		}
	})
}

func noViolations(t *testing.T, f *fakeCSMS) {
	t.Helper()
	if v := f.violations(); len(v) > 0 {
		t.Errorf("the fake saw %d violations, e.g.: %v", len(v), v[:min(len(v), 5)])
	}
}

func TestCharger201SessionAgainstFake(t *testing.T) {
	f := newFakeCSMS(t)
	c := dialFake201(t, f, "CS 201", nil)
	if c.Protocol() != ProtocolOCPP201 || f.station("CS 201").proto != ProtocolOCPP201 {
		t.Fatalf("negotiated %q / %q", c.Protocol(), f.station("CS 201").proto)
	}
	ctx := context.Background()
	boot, err := c.Boot201(ctx, v201.BootReasonPowerUp)
	if err != nil || boot.Status != v201.RegistrationStatusAccepted || boot.Interval != 300 {
		t.Fatalf("Boot201 = %+v, %v", boot, err)
	}
	if _, err := c.Heartbeat(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.reportAvailable(ctx); err != nil {
		t.Fatal(err)
	}
	res := c.RunSession(ctx, 1, "TAG1", 3, 10*time.Millisecond)
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	if !res.Started || !res.Completed || len(res.StationTxID) != 36 || res.TransactionID != 0 || res.MeterValues != 3 ||
		res.EnergyWh != 3 || res.StopReason != v16.Reason(v201.ReasonLocal) || res.TagStatus != v16.AuthorizationStatusAccepted {
		t.Fatalf("session result %+v", res)
	}
	res2 := c.RunSession(ctx, 0, "TAG1", 1, 10*time.Millisecond)
	if res2.Err() != nil || res2.MeterStartWh != res.MeterStopWh || res2.StationTxID == res.StationTxID {
		t.Fatalf("second session %+v, first %+v", res2, res)
	}
	for action, want := range map[string]int{"BootNotification": 1, "Heartbeat": 1, "Authorize": 2, "TransactionEvent": 5 + 3, "StatusNotification": 1 + 4} {
		if got := f.count201(action); got != want {
			t.Errorf("%s sent %d times, want %d", action, got, want)
		}
	}
	txs := f.transactions201()
	if len(txs) != 2 || len(txs[0]) != 5 {
		t.Fatalf("transactions %+v", txs)
	}
	ev := txs[0]
	if ev[0].EventType != v201.TransactionEventStarted || ev[0].TriggerReason != v201.TriggerReasonAuthorized || ev[0].EVSE.ID != 1 ||
		ev[0].IDToken.IDToken != "TAG1" || ev[0].IDToken.Type != v201.IdTokenEnumTypeISO14443 || ev[0].TransactionInfo.RemoteStartID != nil {
		t.Errorf("Started %+v", ev[0])
	}
	if u := ev[1]; u.TriggerReason != v201.TriggerReasonMeterValuePeriodic || len(u.MeterValue[0].SampledValue) != 2 ||
		u.MeterValue[0].SampledValue[1].Measurand != v201.MeasurandPowerActiveImport || u.MeterValue[0].SampledValue[1].Value.String() != "11000" {
		t.Errorf("Updated %+v", u)
	}
	end := ev[4]
	if end.EventType != v201.TransactionEventEnded || end.TriggerReason != v201.TriggerReasonStopAuthorized ||
		end.TransactionInfo.StoppedReason != v201.ReasonLocal || end.TransactionInfo.TimeSpentCharging == nil ||
		register(end.MeterValue, v201.ReadingContextTransactionEnd)-register(ev[0].MeterValue, v201.ReadingContextTransactionBegin) != 3 {
		t.Errorf("Ended %+v", end)
	}
	if raw, _ := json.Marshal(ev[1].MeterValue[0].SampledValue[0]); !strings.Contains(string(raw), `"value":10001,`) {
		t.Errorf("energy not a JSON number in Wh: %s", raw)
	}
	noViolations(t, f)
	r := c.Stats().Report(time.Second)
	if r.SessionsStarted != 2 || r.SessionsCompleted != 2 || r.EnergyWh != 4 || r.SchemaErrors != 0 || r.CallErrors != 0 {
		t.Errorf("stats %+v", r)
	}
}

// TestCharger201ProtocolGuards: the helpers of one version refuse to run on the other.
func TestCharger201ProtocolGuards(t *testing.T) {
	f := newFakeCSMS(t)
	c2 := dialFake201(t, f, "CS2", nil)
	c1 := dialFake(t, f, "CP1", nil)
	ctx := context.Background()
	if _, err := c2.Boot(ctx); !errors.Is(err, ErrProtocol) {
		t.Errorf("Boot on 2.0.1: %v", err)
	}
	if err := c2.Status(ctx, 1, v16.ChargePointStatusAvailable); !errors.Is(err, ErrProtocol) {
		t.Errorf("Status on 2.0.1: %v", err)
	}
	if _, err := c1.Boot201(ctx, v201.BootReasonPowerUp); !errors.Is(err, ErrProtocol) {
		t.Errorf("Boot201 on 1.6: %v", err)
	}
	if _, err := c1.TransactionEvent(ctx, &v201.TransactionEventRequest{}); !errors.Is(err, ErrProtocol) {
		t.Errorf("TransactionEvent on 1.6: %v", err)
	}
	if f.count("BootNotification")+f.count("StatusNotification")+f.count("TransactionEvent") != 0 {
		t.Error("a refused helper sent something")
	}
	if _, err := Dial(ctx, DialOptions{URL: f.url(), ID: "X", Protocol: "ocpp2.0"}); err == nil || !strings.Contains(err.Error(), "ocpp1.6, ocpp2.0.1") {
		t.Errorf("Dial with ocpp2.0: %v", err)
	}
}

// TestCharger201HubErrors: CALLERRORs and schema violations of the hub's 2.0.1 answers
// are counted exactly as on a 1.6 charger, and the session goes on.
func TestCharger201HubErrors(t *testing.T) {
	f := newFakeCSMS(t)
	bad := 0
	f.override = func(fr ocpp.Frame) []byte {
		switch {
		case fr.Action == "Heartbeat": // missing currentTime
			return ocpp.MarshalCallResult(fr.ID, json.RawMessage(`{}`))
		case fr.Action == "TransactionEvent" && strings.Contains(string(fr.Payload), `"Updated"`) && bad == 0:
			bad++ // a 1.6-style answer: idTagInfo is not in the 2.0.1 schema
			return ocpp.MarshalCallResult(fr.ID, json.RawMessage(`{"idTagInfo":{"status":"Accepted"}}`))
		case fr.Action == "StatusNotification" && strings.Contains(string(fr.Payload), `"Available"`):
			return ocpp.MarshalCallError(fr.ID, "InternalError", "db down", nil)
		}
		return nil
	}
	c := dialFake201(t, f, "CS3", nil)
	ctx := context.Background()
	var se *SchemaError
	if _, err := c.Heartbeat(ctx); !errors.As(err, &se) || se.Action != "Heartbeat" {
		t.Errorf("Heartbeat error = %v, want a schema error", err)
	}
	res := c.RunSession(ctx, 1, "TAG3", 2, 5*time.Millisecond)
	if !res.Completed || res.MeterValues != 2 || len(res.Errors) != 2 { // a violating answer is still an answer
		t.Errorf("session %+v", res)
	}
	r := c.Stats().Report(time.Second)
	if r.SchemaErrors != 2 || r.CallErrors != 1 || r.SessionsCompleted != 1 {
		t.Errorf("report %+v, want 2 schema errors, 1 CALLERROR", r)
	}
}

func TestRunMixedFleet(t *testing.T) {
	f := newFakeCSMS(t)
	cfg := Config{URL: f.url(), Count: 5, Protocol: ProtocolMixed, Sessions: 2, Connectors: 2, MeterValues: 2,
		MeterInterval: 10 * time.Millisecond, HeartbeatInterval: 15 * time.Millisecond, Hold: 30 * time.Millisecond}
	r, err := Run(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Stations != 5 || r.Connected != 5 || r.Accepted != 5 || r.SessionsStarted != 10 || r.SessionsCompleted != 10 || r.EnergyWh != 20 {
		t.Errorf("report %s", r)
	}
	if r.DialErrors+r.CallErrors+r.SchemaErrors+r.Timeouts+r.Disconnects != 0 || len(r.Errors) > 0 {
		t.Errorf("unexpected errors: %s", r)
	}
	p16, p201 := r.Protocols[ProtocolOCPP16], r.Protocols[ProtocolOCPP201]
	if len(r.Protocols) != 2 || p16.Stations != 3 || p201.Stations != 2 || p16.Connected != 3 || p201.Connected != 2 ||
		p16.SessionsCompleted != 6 || p201.SessionsCompleted != 4 || p16.Messages+p201.Messages != r.Messages ||
		p16.LatencyP50 <= 0 || p201.LatencyP50 <= 0 || r.LatencyMax != max(p16.LatencyMax, p201.LatencyMax) {
		t.Errorf("per protocol: %+v", r.Protocols)
	}
	if p201.Actions["TransactionEvent"].Count != 4*4 || p16.Actions["StartTransaction"].Count != 6 || r.Actions["StatusNotification"].Count != p16.Actions["StatusNotification"].Count+p201.Actions["StatusNotification"].Count {
		t.Errorf("actions per protocol: 1.6 %+v, 2.0.1 %+v", p16.Actions, p201.Actions)
	}
	// stations 1, 3, 5 speak 1.6; 2 and 4 speak 2.0.1
	for i := 1; i <= 5; i++ {
		want := ProtocolOCPP16
		if i%2 == 0 {
			want = ProtocolOCPP201
		}
		if got := f.station(StationName("SIM", i)).proto; got != want {
			t.Errorf("station %d speaks %s, want %s", i, got, want)
		}
	}
	for action, want := range map[string]int{"BootNotification": 2, "Authorize": 4, "TransactionEvent": 16, "StatusNotification": 2*2 + 4*2} {
		if got := f.count201(action); got != want {
			t.Errorf("2.0.1 %s sent %d times, want %d", action, got, want)
		}
	}
	if f.count("StartTransaction") != 6 || f.count("StopTransaction") != 6 {
		t.Errorf("1.6 sessions: %d starts, %d stops", f.count("StartTransaction"), f.count("StopTransaction"))
	}
	for _, tx := range f.transactions201() {
		if len(tx) != 4 || register(tx[3].MeterValue, v201.ReadingContextTransactionEnd)-register(tx[0].MeterValue, v201.ReadingContextTransactionBegin) != 2 {
			t.Errorf("transaction %+v", tx)
		}
	}
	noViolations(t, f)
	if s := r.String(); !strings.Contains(s, "ocpp2.0.1: 2 stations (2 connected), 4/4 sessions completed") {
		t.Errorf("String() = %s", s)
	}
	var back Report
	if b, _ := json.Marshal(r); json.Unmarshal(b, &back) != nil || back.Protocols[ProtocolOCPP201].SessionsCompleted != 4 {
		t.Errorf("JSON round trip: %s", b)
	}
}

func TestRun201Fleet(t *testing.T) {
	f := newFakeCSMS(t)
	r, err := Run(context.Background(), Config{URL: f.url(), Count: 3, Protocol: ProtocolOCPP201, Sessions: 1, MeterValues: 1,
		MeterInterval: time.Millisecond, TagPrefix: "A-LONGER-TAG-PREFIX-FOR-2.0.1"}, nil)
	if err != nil || r.SessionsCompleted != 3 || len(r.Protocols) != 1 || r.Protocols[ProtocolOCPP201].Stations != 3 {
		t.Fatalf("Run = %s, %v", r, err)
	}
	if f.count("StartTransaction") != 0 || f.count201("TransactionEvent") != 9 {
		t.Errorf("%d StartTransaction, %d TransactionEvent", f.count("StartTransaction"), f.count201("TransactionEvent"))
	}
	noViolations(t, f)
}

// TestCharger201RefusedToken: a token the hub refuses at Started ends the transaction at once.
func TestCharger201RefusedToken(t *testing.T) {
	f := newFakeCSMS(t)
	f.refuse = []string{"BAD"}
	c := dialFake201(t, f, "CS4", nil)
	ctx := context.Background()
	res := c.runSession201(ctx, mustClaim(t, c, 1), IDToken201("BAD"), 3, time.Millisecond, new(int))
	if !res.Completed || res.TagStatus != v16.AuthorizationStatus(v201.AuthorizationStatusInvalid) || res.MeterValues != 0 ||
		res.StopReason != v16.Reason(v201.ReasonDeAuthorized) {
		t.Errorf("session %+v", res)
	}
	tx := f.transactions201()[0]
	if len(tx) != 2 || tx[0].TriggerReason != v201.TriggerReasonRemoteStart || tx[1].TriggerReason != v201.TriggerReasonDeauthorized {
		t.Errorf("events %+v", tx)
	}
	if res := c.RunSession(ctx, 1, "BAD", 1, time.Millisecond); res.Started || res.TagStatus != v16.AuthorizationStatus(v201.AuthorizationStatusInvalid) {
		t.Errorf("local session with a refused token: %+v", res)
	}
	noViolations(t, f)
}

func mustClaim(t *testing.T, c *Charger, evse int) int {
	t.Helper()
	e, err := c.v2.claim(evse)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestRun201BootPending: a Pending answer is retried after its interval; then the
// Configuration and Summary inventories hold what their report base selects.
func TestRun201BootPending(t *testing.T) {
	f := newFakeCSMS(t)
	var boots atomic.Int32
	f.override = func(fr ocpp.Frame) []byte {
		if fr.Action == "BootNotification" && boots.Add(1) == 1 {
			return ocpp.MarshalCallResult(fr.ID, json.RawMessage(`{"status":"Pending","interval":1,"currentTime":"`+time.Now().UTC().Format(time.RFC3339)+`"}`))
		}
		return nil
	}
	reports := make(chan []v201.ReportBase, 1)
	f.onBoot = func(s *fakeStation) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		var got []v201.ReportBase
		for _, base := range []v201.ReportBase{v201.ReportBaseConfigurationInventory, v201.ReportBaseSummaryInventory} {
			var br v201.GetBaseReportResponse
			if err := s.call(ctx, "GetBaseReport", &v201.GetBaseReportRequest{RequestID: len(got) + 1, ReportBase: base}, &br); err == nil && br.Status == v201.GenericDeviceModelStatusAccepted {
				got = append(got, base)
			}
		}
		reports <- got
	}
	r, err := Run(context.Background(), Config{URL: f.url(), Count: 1, Protocol: ProtocolOCPP201, Sessions: 1, MeterValues: 1,
		MeterInterval: time.Millisecond, Hold: 300 * time.Millisecond}, nil)
	if err != nil || r.Booted != 1 || r.Accepted != 1 || r.SessionsCompleted != 1 || boots.Load() != 2 {
		t.Fatalf("Run = %s, %v (%d boots)", r, err, boots.Load())
	}
	if got := <-reports; len(got) != 2 {
		t.Fatalf("GetBaseReport accepted for %v", got)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	byRequest := map[int][]v201.ReportData{}
	for _, rep := range f.reports {
		byRequest[rep.RequestID] = append(byRequest[rep.RequestID], rep.ReportData...)
	}
	for _, d := range byRequest[1] { // configuration: only what the CSMS may set
		if m := d.VariableAttribute[0].Mutability; m == v201.MutabilityReadOnly {
			t.Errorf("ConfigurationInventory reports read-only %s.%s", d.Component.Name, d.Variable.Name)
		}
	}
	for _, d := range byRequest[2] { // summary: availability and problems
		if n := d.Variable.Name; n != "AvailabilityState" && n != "Available" && n != "Problem" {
			t.Errorf("SummaryInventory reports %s.%s", d.Component.Name, n)
		}
	}
	if len(byRequest[1]) < 10 || len(byRequest[2]) != 7 {
		t.Errorf("%d configuration and %d summary variables", len(byRequest[1]), len(byRequest[2]))
	}
}

// TestCharger201CallChecksAnswers: Call without a response value still checks the hub's
// answer against the 2.0.1 catalogue.
func TestCharger201CallChecksAnswers(t *testing.T) {
	f := newFakeCSMS(t)
	f.override = func(fr ocpp.Frame) []byte {
		if fr.Action == "Heartbeat" {
			return ocpp.MarshalCallResult(fr.ID, json.RawMessage(`{"currentTime":"2026-01-01T00:00:00Z","idTagInfo":{}}`))
		}
		return nil
	}
	c := dialFake201(t, f, "CS7", nil)
	var se *SchemaError
	if err := c.Call(context.Background(), "Heartbeat", &v201.HeartbeatRequest{}, nil); !errors.As(err, &se) {
		t.Errorf("Call = %v, want a schema error", err)
	}
	if err := c.Call(context.Background(), "MeterValues", &v201.MeterValuesRequest{EVSEID: 1}, nil); err == nil || errors.As(err, &se) {
		t.Errorf("an invalid own request (no meterValue) = %v, want refused before sending", err)
	}
	if err := c.MeterValues201(context.Background(), 0, 5, 0, time.Now(), v201.ReadingContextSampleClock); err != nil {
		t.Error(err)
	}
	noViolations(t, f)
}
