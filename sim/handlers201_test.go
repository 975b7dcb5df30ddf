package sim

import (
	"context"
	"testing"
	"time"

	"github.com/chargehub/hub/ocpp"
	v201 "github.com/chargehub/hub/ocpp/v201"
	"github.com/chargehub/hub/ocpp/wire"
)

// TestCharger201AnswersHubCalls drives every built-in 2.0.1 answer from the CSMS side,
// decodes each answer strictly, and checks the follow-up messages.
func TestCharger201AnswersHubCalls(t *testing.T) {
	f := newFakeCSMS(t)
	c := dialFake201(t, f, "CS5", func(o *DialOptions) {
		o.Connectors = 2
		o.SessionInterval = 30 * time.Millisecond
		o.SessionMeterValues = 50
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := c.Boot201(ctx, v201.BootReasonPowerUp); err != nil {
		t.Fatal(err)
	}
	s := f.station("CS5")

	// remote start on EVSE 2, echoing remoteStartId
	two := 2
	var rs v201.RequestStartTransactionResponse
	if err := s.call(ctx, "RequestStartTransaction", &v201.RequestStartTransactionRequest{EVSEID: &two,
		IDToken: v201.IdToken{IDToken: "REMOTE1", Type: v201.IdTokenEnumTypeCentral}, RemoteStartID: 77}, &rs); err != nil || rs.Status != v201.RequestStartStopStatusAccepted {
		t.Fatalf("RequestStartTransaction = %+v, %v", rs, err)
	}
	waitFor(t, "the remote transaction to start", func() bool { return len(f.transactions201()) == 1 })
	started := f.transactions201()[0][0]
	if started.TriggerReason != v201.TriggerReasonRemoteStart || started.TransactionInfo.RemoteStartID == nil ||
		*started.TransactionInfo.RemoteStartID != 77 || started.EVSE.ID != 2 || started.IDToken.IDToken != "REMOTE1" {
		t.Fatalf("Started %+v", started)
	}
	if f.count201("Authorize") != 0 {
		t.Error("a remote start was authorized first (AuthorizeRemoteStart is false)")
	}
	if err := s.call(ctx, "RequestStartTransaction", &v201.RequestStartTransactionRequest{EVSEID: &two,
		IDToken: v201.IdToken{IDToken: "REMOTE2", Type: v201.IdTokenEnumTypeCentral}, RemoteStartID: 78}, &rs); err != nil || rs.Status != v201.RequestStartStopStatusRejected {
		t.Errorf("second RequestStartTransaction on a busy EVSE = %+v, %v", rs, err)
	}
	txID := started.TransactionInfo.TransactionID
	var ts v201.GetTransactionStatusResponse
	if err := s.call(ctx, "GetTransactionStatus", &v201.GetTransactionStatusRequest{TransactionID: txID}, &ts); err != nil || ts.OngoingIndicator == nil || !*ts.OngoingIndicator {
		t.Errorf("GetTransactionStatus = %+v, %v", ts, err)
	}

	// device model
	comp := func(name string, evse, connector int) v201.Component {
		c := v201.Component{Name: name}
		if evse > 0 {
			c.EVSE = &v201.EVSE{ID: evse}
			if connector > 0 {
				c.EVSE.ConnectorID = &connector
			}
		}
		return c
	}
	var sv v201.SetVariablesResponse
	if err := s.call(ctx, "SetVariables", &v201.SetVariablesRequest{SetVariableData: []v201.SetVariableData{
		{Component: comp("SecurityCtrlr", 0, 0), Variable: v201.Variable{Name: "BasicAuthPassword"}, AttributeValue: "a-new-password-of-24-chr"},
		{Component: comp("OCPPCommCtrlr", 0, 0), Variable: v201.Variable{Name: "HeartbeatInterval"}, AttributeValue: "120"},
		{Component: comp("EVSE", 1, 0), Variable: v201.Variable{Name: "Power"}, AttributeValue: "1"},
		{Component: comp("TxCtrlr", 0, 0), Variable: v201.Variable{Name: "TxStartPoint"}, AttributeValue: "Authorized,Bogus"},
		{Component: comp("SecurityCtrlr", 0, 0), Variable: v201.Variable{Name: "BasicAuthPassword"}, AttributeValue: "short"},
		{Component: comp("Flux", 0, 0), Variable: v201.Variable{Name: "Capacitor"}, AttributeValue: "1.21"},
	}}, &sv); err != nil {
		t.Fatal(err)
	}
	want := []v201.SetVariableStatus{"Accepted", "Accepted", "Rejected", "Rejected", "Rejected", "UnknownComponent"}
	for i, r := range sv.SetVariableResult {
		if r.AttributeStatus != want[i] {
			t.Errorf("SetVariables[%d] = %s, want %s", i, r.AttributeStatus, want[i])
		}
	}
	var gv v201.GetVariablesResponse
	if err := s.call(ctx, "GetVariables", &v201.GetVariablesRequest{GetVariableData: []v201.GetVariableData{
		{Component: comp("OCPPCommCtrlr", 0, 0), Variable: v201.Variable{Name: "HeartbeatInterval"}},
		{Component: comp("Connector", 2, 1), Variable: v201.Variable{Name: "ConnectorType"}},
		{Component: comp("EVSE", 2, 0), Variable: v201.Variable{Name: "AvailabilityState"}},
		{Component: comp("DeviceDataCtrlr", 0, 0), Variable: v201.Variable{Name: "ItemsPerMessage", Instance: "GetVariables"}},
		{Component: comp("SecurityCtrlr", 0, 0), Variable: v201.Variable{Name: "BasicAuthPassword"}},
		{Component: comp("SecurityCtrlr", 0, 0), Variable: v201.Variable{Name: "Nope"}},
		{Component: comp("EVSE", 3, 0), Variable: v201.Variable{Name: "Power"}},
		{Component: comp("EVSE", 1, 0), Variable: v201.Variable{Name: "Power"}, AttributeType: v201.AttributeMaxSet},
	}}, &gv); err != nil {
		t.Fatal(err)
	}
	wantGet := []struct {
		status v201.GetVariableStatus
		value  string
	}{{"Accepted", "120"}, {"Accepted", "cType2"}, {"Accepted", "Occupied"}, {"Accepted", "50"}, {"Rejected", ""},
		{"UnknownVariable", ""}, {"UnknownComponent", ""}, {"NotSupportedAttributeType", ""}}
	for i, r := range gv.GetVariableResult {
		if r.AttributeStatus != wantGet[i].status || r.AttributeValue != wantGet[i].value {
			t.Errorf("GetVariables[%d] = %s %q, want %s %q", i, r.AttributeStatus, r.AttributeValue, wantGet[i].status, wantGet[i].value)
		}
	}
	if time.Duration(c.hbInterval.Load()) != 120*time.Second {
		t.Errorf("heartbeat interval %s after SetVariables", time.Duration(c.hbInterval.Load()))
	}
	var br v201.GetBaseReportResponse
	if err := s.call(ctx, "GetBaseReport", &v201.GetBaseReportRequest{RequestID: 9, ReportBase: v201.ReportBaseFullInventory}, &br); err != nil || br.Status != v201.GenericDeviceModelStatusAccepted {
		t.Fatalf("GetBaseReport = %+v, %v", br, err)
	}
	waitFor(t, "the last NotifyReport part", func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		n := len(f.reports)
		return n > 0 && f.reports[n-1].TBC == nil
	})
	f.mu.Lock()
	reports := append([]v201.NotifyReportRequest(nil), f.reports...)
	f.mu.Unlock()
	seen := map[string]v201.ReportData{}
	for i, r := range reports {
		if r.RequestID != 9 || r.SeqNo != i || (i < len(reports)-1) != (r.TBC != nil && *r.TBC) || len(r.ReportData) > reportPartSize {
			t.Errorf("NotifyReport part %d: requestId %d seqNo %d tbc %v, %d entries", i, r.RequestID, r.SeqNo, r.TBC, len(r.ReportData))
		}
		for _, d := range r.ReportData {
			k := d.Component.Name + "." + d.Variable.Name
			if d.Component.EVSE != nil {
				k += "@" + string(rune('0'+d.Component.EVSE.ID))
			}
			seen[k] = d
		}
	}
	if p := seen["EVSE.Power@1"]; len(reports) < 2 || p.VariableCharacteristics == nil || p.VariableCharacteristics.MaxLimit == nil ||
		*p.VariableCharacteristics.MaxLimit != evseMaxPowerW || p.VariableCharacteristics.Unit != "W" {
		t.Errorf("%d parts, EVSE 1 Power %+v", len(reports), p)
	}
	if ct := seen["Connector.ConnectorType@2"]; len(ct.VariableAttribute) != 1 || ct.VariableAttribute[0].Value != "cType2" {
		t.Errorf("ConnectorType %+v", ct)
	}
	if pw := seen["SecurityCtrlr.BasicAuthPassword"]; len(pw.VariableAttribute) != 1 || pw.VariableAttribute[0].Value != "" || pw.VariableAttribute[0].Mutability != v201.MutabilityWriteOnly {
		t.Errorf("the password is reported: %+v", pw)
	}
	if hb := seen["OCPPCommCtrlr.HeartbeatInterval"]; hb.VariableAttribute[0].Value != "120" {
		t.Errorf("HeartbeatInterval reported as %+v", hb)
	}

	// remote stop
	var rst v201.RequestStopTransactionResponse
	if err := s.call(ctx, "RequestStopTransaction", &v201.RequestStopTransactionRequest{TransactionID: txID}, &rst); err != nil || rst.Status != v201.RequestStartStopStatusAccepted {
		t.Fatalf("RequestStopTransaction = %+v, %v", rst, err)
	}
	waitFor(t, "the remote transaction to end", func() bool {
		tx := f.transactions201()[0]
		return tx[len(tx)-1].EventType == v201.TransactionEventEnded && f.count201("StatusNotification") >= 2
	})
	tx := f.transactions201()[0]
	if end := tx[len(tx)-1]; end.TriggerReason != v201.TriggerReasonRemoteStop || end.TransactionInfo.StoppedReason != v201.ReasonRemote ||
		end.TransactionInfo.RemoteStartID == nil || end.IDToken != nil {
		t.Errorf("Ended %+v", end)
	}
	if err := s.call(ctx, "RequestStopTransaction", &v201.RequestStopTransactionRequest{TransactionID: txID}, &rst); err != nil || rst.Status != v201.RequestStartStopStatusRejected {
		t.Errorf("RequestStopTransaction of an ended transaction = %+v, %v", rst, err)
	}

	one, unknownEVSE := 1, 7
	calls := []struct {
		action     string
		req, resp  any
		check      func(any) bool
		followUp   string // action the station sends afterwards
		followUpBy int    // how many of them in total once done
	}{
		{"Reset", &v201.ResetRequest{Type: v201.ResetOnIdle}, &v201.ResetResponse{}, func(r any) bool { return r.(*v201.ResetResponse).Status == v201.ResetStatusAccepted }, "", 0},
		{"Reset", &v201.ResetRequest{Type: v201.ResetImmediate, EVSEID: &unknownEVSE}, &v201.ResetResponse{}, func(r any) bool { return r.(*v201.ResetResponse).Status == v201.ResetStatusRejected }, "", 0},
		{"ChangeAvailability", &v201.ChangeAvailabilityRequest{EVSE: &v201.EVSE{ID: 2}, OperationalStatus: v201.OperationalStatusInoperative}, &v201.ChangeAvailabilityResponse{},
			func(r any) bool {
				return r.(*v201.ChangeAvailabilityResponse).Status == v201.ChangeAvailabilityStatusAccepted
			}, "StatusNotification", 3},
		{"ChangeAvailability", &v201.ChangeAvailabilityRequest{EVSE: &v201.EVSE{ID: 9}, OperationalStatus: v201.OperationalStatusOperative}, &v201.ChangeAvailabilityResponse{},
			func(r any) bool {
				return r.(*v201.ChangeAvailabilityResponse).Status == v201.ChangeAvailabilityStatusRejected
			}, "", 0},
		{"UnlockConnector", &v201.UnlockConnectorRequest{EVSEID: 1, ConnectorID: 1}, &v201.UnlockConnectorResponse{}, func(r any) bool { return r.(*v201.UnlockConnectorResponse).Status == v201.UnlockStatusUnlocked }, "", 0},
		{"UnlockConnector", &v201.UnlockConnectorRequest{EVSEID: 1, ConnectorID: 2}, &v201.UnlockConnectorResponse{}, func(r any) bool { return r.(*v201.UnlockConnectorResponse).Status == v201.UnlockStatusUnknownConnector }, "", 0},
		{"TriggerMessage", &v201.TriggerMessageRequest{RequestedMessage: v201.MessageTriggerStatusNotification, EVSE: &v201.EVSE{ID: 1, ConnectorID: &one}}, &v201.TriggerMessageResponse{},
			func(r any) bool { return r.(*v201.TriggerMessageResponse).Status == v201.TriggerMessageStatusAccepted }, "StatusNotification", 4},
		{"TriggerMessage", &v201.TriggerMessageRequest{RequestedMessage: v201.MessageTriggerHeartbeat}, &v201.TriggerMessageResponse{},
			func(r any) bool { return r.(*v201.TriggerMessageResponse).Status == v201.TriggerMessageStatusAccepted }, "Heartbeat", 1},
		{"TriggerMessage", &v201.TriggerMessageRequest{RequestedMessage: v201.MessageTriggerMeterValues}, &v201.TriggerMessageResponse{},
			func(r any) bool { return r.(*v201.TriggerMessageResponse).Status == v201.TriggerMessageStatusAccepted }, "MeterValues", 2},
		{"TriggerMessage", &v201.TriggerMessageRequest{RequestedMessage: v201.MessageTriggerBootNotification}, &v201.TriggerMessageResponse{},
			func(r any) bool { return r.(*v201.TriggerMessageResponse).Status == v201.TriggerMessageStatusAccepted }, "BootNotification", 2},
		{"TriggerMessage", &v201.TriggerMessageRequest{RequestedMessage: v201.MessageTriggerFirmwareStatusNotification}, &v201.TriggerMessageResponse{},
			func(r any) bool { return r.(*v201.TriggerMessageResponse).Status == v201.TriggerMessageStatusAccepted }, "FirmwareStatusNotification", 1},
		{"TriggerMessage", &v201.TriggerMessageRequest{RequestedMessage: v201.MessageTriggerSignV2GCertificate}, &v201.TriggerMessageResponse{},
			func(r any) bool {
				return r.(*v201.TriggerMessageResponse).Status == v201.TriggerMessageStatusNotImplemented
			}, "", 0},
		{"SendLocalList", &v201.SendLocalListRequest{VersionNumber: 7, UpdateType: v201.UpdateFull, LocalAuthorizationList: []v201.AuthorizationData{
			{IDToken: IDToken201("T1"), IDTokenInfo: &v201.IdTokenInfo{Status: v201.AuthorizationStatusAccepted}}}}, &v201.SendLocalListResponse{},
			func(r any) bool { return r.(*v201.SendLocalListResponse).Status == v201.SendLocalListStatusAccepted }, "", 0},
		{"GetLocalListVersion", &v201.GetLocalListVersionRequest{}, &v201.GetLocalListVersionResponse{}, func(r any) bool { return r.(*v201.GetLocalListVersionResponse).VersionNumber == 7 }, "", 0},
		{"SetChargingProfile", &v201.SetChargingProfileRequest{EVSEID: 1, ChargingProfile: v201.ChargingProfile{ID: 3, StackLevel: 1,
			ChargingProfilePurpose: v201.ChargingProfilePurposeTxDefaultProfile, ChargingProfileKind: v201.ChargingProfileKindAbsolute,
			ChargingSchedule: []v201.ChargingSchedule{{ID: 1, ChargingRateUnit: v201.ChargingRateUnitA, ChargingSchedulePeriod: []v201.ChargingSchedulePeriod{{Limit: 16}}}}}},
			&v201.SetChargingProfileResponse{}, func(r any) bool {
				return r.(*v201.SetChargingProfileResponse).Status == v201.ChargingProfileStatusAccepted
			}, "", 0},
		{"GetCompositeSchedule", &v201.GetCompositeScheduleRequest{EVSEID: 1, Duration: 600, ChargingRateUnit: v201.ChargingRateUnitA}, &v201.GetCompositeScheduleResponse{}, func(r any) bool {
			g := r.(*v201.GetCompositeScheduleResponse)
			return g.Status == v201.GenericStatusAccepted && g.Schedule.ChargingSchedulePeriod[0].Limit == 16 && g.Schedule.Duration == 600
		}, "", 0},
		{"ClearChargingProfile", &v201.ClearChargingProfileRequest{ChargingProfileID: &[]int{3}[0]}, &v201.ClearChargingProfileResponse{}, func(r any) bool {
			return r.(*v201.ClearChargingProfileResponse).Status == v201.ClearChargingProfileStatusAccepted
		}, "", 0},
		{"ClearChargingProfile", &v201.ClearChargingProfileRequest{ChargingProfileID: &[]int{3}[0]}, &v201.ClearChargingProfileResponse{}, func(r any) bool {
			return r.(*v201.ClearChargingProfileResponse).Status == v201.ClearChargingProfileStatusUnknown
		}, "", 0},
		{"GetCompositeSchedule", &v201.GetCompositeScheduleRequest{EVSEID: 1, Duration: 60}, &v201.GetCompositeScheduleResponse{}, func(r any) bool {
			g := r.(*v201.GetCompositeScheduleResponse)
			return g.Schedule.ChargingRateUnit == v201.ChargingRateUnitW && g.Schedule.ChargingSchedulePeriod[0].Limit == evseMaxPowerW
		}, "", 0},
		{"ReserveNow", &v201.ReserveNowRequest{ID: 5, ExpiryDateTime: wire.NewDateTime(time.Now().Add(time.Hour)), IDToken: IDToken201("T"), EVSEID: &one}, &v201.ReserveNowResponse{},
			func(r any) bool { return r.(*v201.ReserveNowResponse).Status == v201.ReserveNowStatusAccepted }, "", 0},
		{"ReserveNow", &v201.ReserveNowRequest{ID: 6, ExpiryDateTime: wire.NewDateTime(time.Now().Add(time.Hour)), IDToken: IDToken201("T"), EVSEID: &two}, &v201.ReserveNowResponse{},
			func(r any) bool { return r.(*v201.ReserveNowResponse).Status == v201.ReserveNowStatusUnavailable }, "", 0},
		{"CancelReservation", &v201.CancelReservationRequest{ReservationID: 5}, &v201.CancelReservationResponse{}, func(r any) bool {
			return r.(*v201.CancelReservationResponse).Status == v201.CancelReservationStatusAccepted
		}, "", 0},
		{"CancelReservation", &v201.CancelReservationRequest{ReservationID: 5}, &v201.CancelReservationResponse{}, func(r any) bool {
			return r.(*v201.CancelReservationResponse).Status == v201.CancelReservationStatusRejected
		}, "", 0},
		{"DataTransfer", &v201.DataTransferRequest{VendorID: "acme"}, &v201.DataTransferResponse{}, func(r any) bool {
			return r.(*v201.DataTransferResponse).Status == v201.DataTransferStatusUnknownVendorId
		}, "", 0},
		{"ClearCache", &v201.ClearCacheRequest{}, &v201.ClearCacheResponse{}, func(r any) bool { return r.(*v201.ClearCacheResponse).Status == v201.ClearCacheStatusAccepted }, "", 0},
	}
	for _, tc := range calls {
		if err := s.call(ctx, tc.action, tc.req, tc.resp); err != nil {
			t.Errorf("%s: %v", tc.action, err)
			continue
		}
		if !tc.check(tc.resp) {
			t.Errorf("%s %+v answered %+v", tc.action, tc.req, tc.resp)
		}
		if tc.followUp != "" {
			waitFor(t, tc.action+" → "+tc.followUp, func() bool { return f.count201(tc.followUp) >= tc.followUpBy })
		}
	}

	// unknown action, known ones the simulator does not do, payloads the schema refuses
	for _, tc := range []struct{ action, payload, code string }{
		{"FlyToTheMoon", `{}`, "NotImplemented"},
		{"GetLog", `{"log":{"remoteLocation":"ftp://x/y"},"logType":"DiagnosticsLog","requestId":1}`, "NotSupported"},
		{"Reset", `{"type":"Hard"}`, "PropertyConstraintViolation"},
		{"UnlockConnector", `{"evseId":1}`, "OccurrenceConstraintViolation"},
		{"GetVariables", `{"getVariableData":"x"}`, "TypeConstraintViolation"},
		{"ClearCache", `{"x":1}`, "FormatViolation"},
	} {
		fr, err := s.callRaw(ctx, "raw-"+tc.action+tc.code, tc.action, tc.payload)
		if err != nil || fr.Type != ocpp.TypeCallError || fr.ErrorCode != tc.code {
			t.Errorf("%s %s answered %+v, %v; want CALLERROR %s", tc.action, tc.payload, fr, err, tc.code)
		}
	}
	r := c.Stats().Report(time.Second)
	if r.SchemaErrors != 4 {
		t.Errorf("SchemaErrors = %d, want 4 (the invalid requests of the hub)", r.SchemaErrors)
	}
	if want := 8 + len(calls) + 6; r.CommandsAnswered != want {
		t.Errorf("CommandsAnswered = %d, want %d", r.CommandsAnswered, want)
	}
	noViolations(t, f)
}

// TestCharger201TriggeredTransactionEvent: a triggered TransactionEvent takes the next
// seqNo of the running transaction.
func TestCharger201TriggeredTransactionEvent(t *testing.T) {
	f := newFakeCSMS(t)
	c := dialFake201(t, f, "CS6", func(o *DialOptions) { o.SessionInterval = 40 * time.Millisecond; o.SessionMeterValues = 10 })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan SessionResult, 1)
	go func() { done <- c.RunSession(ctx, 1, "TAG6", 4, 40*time.Millisecond) }()
	waitFor(t, "the transaction", func() bool { return len(f.transactions201()) == 1 })
	s := f.station("CS6")
	var tr v201.TriggerMessageResponse
	if err := s.call(ctx, "TriggerMessage", &v201.TriggerMessageRequest{RequestedMessage: v201.MessageTriggerTransactionEvent}, &tr); err != nil || tr.Status != v201.TriggerMessageStatusAccepted {
		t.Fatalf("TriggerMessage = %+v, %v", tr, err)
	}
	res := <-done
	if res.Err() != nil {
		t.Fatal(res.Err())
	}
	tx := f.transactions201()[0]
	triggered := 0
	for _, e := range tx {
		if e.TriggerReason == v201.TriggerReasonTrigger {
			triggered++
		}
	}
	if len(tx) != 7 || triggered != 1 {
		t.Errorf("%d events, %d triggered", len(tx), triggered)
	}
	noViolations(t, f) // seqNo contiguity is checked by the fake
}
