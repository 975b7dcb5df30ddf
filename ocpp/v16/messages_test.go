package v16

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chargehub/hub/ocpp/wire"
)

// jsonEqual compares two JSON documents semantically.
func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("bad JSON %s: %v", a, err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("bad JSON %s: %v", b, err)
	}
	return reflect.DeepEqual(x, y)
}

func TestExamplesRoundTrip(t *testing.T) {
	if len(examples) != len(Catalogue()) {
		t.Fatalf("%d examples for %d actions", len(examples), len(Catalogue()))
	}
	for _, m := range Catalogue() {
		ex, ok := examples[m.Action]
		if !ok {
			t.Errorf("%s: no example", m.Action)
			continue
		}
		for i, newValue := range []func() any{m.NewRequest, m.NewResponse} {
			kind := [2]string{"request", "response"}[i]
			t.Run(m.Action+"/"+kind, func(t *testing.T) {
				in := []byte(ex[i])
				for _, strict := range []bool{true, false} {
					v := newValue()
					warns, err := wire.Decode(in, v, wire.Options{Strict: strict})
					if err != nil || len(warns) != 0 {
						t.Fatalf("strict=%v: %v %+v", strict, err, warns)
					}
					out, err := json.Marshal(v)
					if err != nil {
						t.Fatal(err)
					}
					if !jsonEqual(t, in, out) {
						t.Fatalf("round trip changed the payload:\n in: %s\nout: %s", in, out)
					}
					if err := wire.Validate(v); err != nil {
						t.Fatalf("Validate: %v", err)
					}
				}
			})
		}
	}
}

func TestLenientInbound(t *testing.T) {
	// What real chargers send (ocpp-field-quirks.md §1, §5, §6, §8, §9).
	in := `{"connectorId":1,"errorCode":"Error","info":null,"status":"charging","timestamp":"2023-10-19T10:11:12",` +
		`"vendorErrorCode":"0x1F","foo":1}`
	var sn StatusNotificationRequest
	warns, err := wire.Decode([]byte(in), &sn, wire.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sn.ErrorCode != ChargePointErrorCodeOtherError || sn.Status != ChargePointStatusCharging ||
		sn.Timestamp.Flag != wire.FlagTSNoZone || len(warns) != 5 {
		t.Fatalf("%+v %+v", sn, warns)
	}
	if _, err := wire.Decode([]byte(in), &sn, wire.Options{Strict: true}); err == nil {
		t.Fatal("strict mode accepted a deviating StatusNotification")
	}

	mv := `{"connectorId":1,"transactionId":"170","meterValue":[{"timestamp":"2024-01-02T03:04:05+01","sampledValue":[` +
		`{"value":604.213,"unit":"Hz","measurand":"Request.Energy","context":"Weird"}]}]}`
	var m MeterValuesRequest
	if _, err := wire.Decode([]byte(mv), &m, wire.Options{}); err != nil {
		t.Fatal(err)
	}
	sv := m.MeterValue[0].SampledValue[0]
	if *m.TransactionID != 170 || sv.Value != "604.213" || sv.Unit != "Hz" || sv.Measurand != "Request.Energy" ||
		sv.Context != ReadingContextOther || m.MeterValue[0].Timestamp.Hour() != 2 {
		t.Fatalf("%+v", m)
	}

	stop := `{"meterStop":2259988,"timestamp":"2024-01-02T03:04:05Z","transactionId":9223372036854775807,"reason":"Unplugged",` +
		`"idTag":"ABCDEFGHIJKLMNOPQRST\u0010\u000e"}`
	var st StopTransactionRequest
	warns, err = wire.Decode([]byte(stop), &st, wire.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Reason != ReasonOther || st.TransactionID != 9223372036854775807 || len(st.IDTag) != 22 || len(warns) != 2 {
		t.Fatalf("%+v %+v", st, warns)
	}
}

func TestValidateOutgoing(t *testing.T) {
	now := wire.NewDateTime(time.Date(2025, 1, 31, 10, 20, 30, 123456789, time.UTC))
	limit := 16.0
	profile := ChargingProfile{
		ChargingProfileID: 1, StackLevel: 0,
		ChargingProfilePurpose: ChargingProfilePurposeTypeTxProfile,
		ChargingProfileKind:    ChargingProfileKindTypeRelative,
		ChargingSchedule: ChargingSchedule{
			ChargingRateUnit:       ChargingRateUnitTypeA,
			ChargingSchedulePeriod: []ChargingSchedulePeriod{{StartPeriod: 0, Limit: limit}},
		},
	}
	valid := []any{
		BootNotificationResponse{Status: RegistrationStatusAccepted, CurrentTime: now, Interval: 300},
		BootNotificationResponse{Status: RegistrationStatusPending, CurrentTime: now, Interval: 0},
		&HeartbeatResponse{CurrentTime: now},
		StartTransactionResponse{IDTagInfo: IdTagInfo{Status: AuthorizationStatusAccepted}, TransactionID: 1},
		StopTransactionResponse{},
		MeterValuesResponse{},
		AuthorizeResponse{IDTagInfo: IdTagInfo{Status: AuthorizationStatusInvalid, ExpiryDate: &now}},
		RemoteStartTransactionRequest{IDTag: "HUB0000000000001", ChargingProfile: &profile},
		SetChargingProfileRequest{ConnectorID: 0, CSChargingProfiles: profile},
		GetConfigurationRequest{},
		ChangeConfigurationRequest{Key: "HeartbeatInterval", Value: ""},
		SendLocalListRequest{ListVersion: 0, UpdateType: UpdateTypeFull},
		GetDiagnosticsRequest{Location: "ftp://diag.example.com/"},
		DataTransferResponse{Status: DataTransferStatusUnknownVendorId},
	}
	for _, v := range valid {
		if err := wire.Validate(v); err != nil {
			t.Errorf("%T: %v", v, err)
		}
	}
	out, _ := json.Marshal(HeartbeatResponse{CurrentTime: now})
	if string(out) != `{"currentTime":"2025-01-31T10:20:30.123Z"}` {
		t.Errorf("heartbeat: %s", out)
	}
	out, _ = json.Marshal(StartTransactionResponse{IDTagInfo: IdTagInfo{Status: AuthorizationStatusAccepted}})
	if string(out) != `{"idTagInfo":{"status":"Accepted"},"transactionId":0}` {
		t.Errorf("zero required int must be sent: %s", out)
	}

	badProfile := profile
	badProfile.ChargingSchedule.ChargingSchedulePeriod = []ChargingSchedulePeriod{{Limit: 16.05}}
	nilPeriods := profile
	nilPeriods.ChargingSchedule.ChargingSchedulePeriod = nil
	invalid := []struct {
		v    any
		kind wire.ViolationKind
		path string
	}{
		{HeartbeatResponse{}, wire.OccurrenceViolation, "currentTime"},
		{BootNotificationResponse{Status: "accepted", CurrentTime: now}, wire.PropertyViolation, "status"},
		{BootNotificationResponse{CurrentTime: now}, wire.PropertyViolation, "status"},
		{StartTransactionResponse{TransactionID: 1}, wire.PropertyViolation, "idTagInfo.status"},
		{StopTransactionResponse{IDTagInfo: &IdTagInfo{Status: "Unknown"}}, wire.PropertyViolation, "idTagInfo.status"},
		{RemoteStartTransactionRequest{IDTag: strings.Repeat("A", 21)}, wire.PropertyViolation, "idTag"},
		{SetChargingProfileRequest{CSChargingProfiles: badProfile}, wire.PropertyViolation, "csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit"},
		{SetChargingProfileRequest{CSChargingProfiles: nilPeriods}, wire.OccurrenceViolation, "csChargingProfiles.chargingSchedule.chargingSchedulePeriod"},
		{GetDiagnosticsRequest{Location: "diag.example.com"}, wire.PropertyViolation, "location"},
		{ResetRequest{}, wire.PropertyViolation, "type"},
		{MeterValuesRequest{ConnectorID: 1}, wire.OccurrenceViolation, "meterValue"},
		{GetConfigurationRequest{Key: []string{strings.Repeat("k", 51)}}, wire.PropertyViolation, "key[0]"},
		{SendLocalListRequest{UpdateType: UpdateTypeFull, LocalAuthorizationList: []AuthorizationData{{IDTag: "A", IDTagInfo: &IdTagInfo{}}}}, wire.PropertyViolation, "localAuthorizationList[0].idTagInfo.status"},
		{GetInstalledCertificateIdsResponse{Status: "Failed"}, wire.PropertyViolation, "status"},
		{TriggerMessageRequest{RequestedMessage: "SignChargePointCertificate"}, wire.PropertyViolation, "requestedMessage"},
		{StatusNotificationRequest{ErrorCode: "Error", Status: ChargePointStatusFaulted}, wire.PropertyViolation, "errorCode"},
	}
	for _, tc := range invalid {
		err := wire.Validate(tc.v)
		var vio *wire.Violation
		if !errors.As(err, &vio) || vio.Kind != tc.kind || vio.Path != tc.path {
			t.Errorf("%T: want %v at %q, got %v", tc.v, tc.kind, tc.path, err)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	cases := []struct {
		action, payload string
		strict, lenient wire.ViolationKind
		path            string
	}{
		{"BootNotification", `{"chargePointVendor":"X"}`, wire.OccurrenceViolation, wire.OccurrenceViolation, "chargePointModel"},
		{"BootNotification", `{"chargePointVendor":"Schneider Electric","chargePointModel":"EVlink","chargeBoxSerialNumber":"3N1234567890123456789012345678901"}`, wire.PropertyViolation, 0, "chargeBoxSerialNumber"},
		{"StartTransaction", `{"connectorId":1,"idTag":"A","meterStart":0}`, wire.OccurrenceViolation, wire.OccurrenceViolation, "timestamp"},
		{"StartTransaction", `{"connectorId":1,"idTag":"A","meterStart":0.5,"timestamp":"2025-01-01T00:00:00Z"}`, wire.TypeViolation, wire.TypeViolation, "meterStart"},
		{"StatusNotification", `{"connectorId":1,"errorCode":"NoError","status":"Busy"}`, wire.PropertyViolation, wire.PropertyViolation, "status"},
		{"MeterValues", `{"connectorId":1,"meterValue":[{"timestamp":"2025-01-01T00:00:00Z"}]}`, wire.OccurrenceViolation, wire.OccurrenceViolation, "meterValue[0].sampledValue"},
		{"MeterValues", `{"connectorId":1,"connectorId":2,"meterValue":[]}`, wire.FormationViolation, wire.FormationViolation, "connectorId"},
		{"Heartbeat", `null`, wire.FormationViolation, wire.FormationViolation, ""},
		{"Heartbeat", `{"x":1}`, wire.FormationViolation, 0, "x"},
		{"GetInstalledCertificateIds", `{"certificateHashData":[],"status":"NotFound"}`, wire.OccurrenceViolation, wire.OccurrenceViolation, "certificateHashData"},
	}
	for _, tc := range cases {
		m, _ := Lookup(tc.action)
		for _, strict := range []bool{true, false} {
			want := tc.lenient
			if strict {
				want = tc.strict
			}
			v := m.NewRequest()
			if tc.action == "GetInstalledCertificateIds" {
				v = m.NewResponse()
			}
			_, err := wire.Decode([]byte(tc.payload), v, wire.Options{Strict: strict})
			if want == 0 {
				if err != nil {
					t.Errorf("%s strict=%v: %v", tc.action, strict, err)
				}
				continue
			}
			var vio *wire.Violation
			if !errors.As(err, &vio) || vio.Kind != want || vio.Path != tc.path {
				t.Errorf("%s strict=%v: want %v at %q, got %v", tc.action, strict, want, tc.path, err)
			}
		}
	}
}

func BenchmarkDecodeMeterValues(b *testing.B) {
	data := []byte(examples["MeterValues"][0])
	b.ReportAllocs()
	for b.Loop() {
		var v MeterValuesRequest
		if _, err := wire.Decode(data, &v, wire.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
