package v201

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

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
	required := []string{"BootNotification", "Authorize", "TransactionEvent", "StatusNotification", "MeterValues",
		"NotifyReport", "GetVariables", "SetVariables", "RequestStartTransaction", "RequestStopTransaction", "SetChargingProfile"}
	have := map[string]int{}
	for _, ex := range examples {
		have[ex.action]++
		m, ok := Lookup(ex.action)
		if !ok {
			t.Fatalf("example of unknown action %s", ex.action)
		}
		for i, newValue := range []func() any{m.NewRequest, m.NewResponse} {
			in := []byte([2]string{ex.request, ex.response}[i])
			t.Run(ex.action+"/"+ex.name+"/"+[2]string{"request", "response"}[i], func(t *testing.T) {
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
	for _, a := range required {
		if have[a] == 0 {
			t.Errorf("no example of %s", a)
		}
	}
	if have["TransactionEvent"] < 3 {
		t.Error("TransactionEvent needs Started, Updated and Ended examples")
	}
}

// TestExactDecimals: sampled values and costs keep their decimal text on the way
// through (no float64 rounding, no reformatting).
func TestExactDecimals(t *testing.T) {
	var mv MeterValuesRequest
	for _, ex := range examples {
		if ex.action == "MeterValues" {
			if _, err := wire.Decode([]byte(ex.request), &mv, wire.Options{Strict: true}); err != nil {
				t.Fatal(err)
			}
		}
	}
	svs := mv.MeterValue[0].SampledValue
	if svs[0].Value.String() != "604.2130" || svs[1].Value.String() != "-1.5e3" || svs[1].Value.Float64() != -1500 || svs[0].Value.Flag() != "" {
		t.Fatalf("%+v", svs)
	}
	out, _ := json.Marshal(mv)
	if !strings.Contains(string(out), `"value":604.2130,`) || !strings.Contains(string(out), `"value":-1.5e3,`) {
		t.Fatalf("decimal text not kept: %s", out)
	}
	cost, _ := ParseDecimal("12.30")
	out, _ = json.Marshal(CostUpdatedRequest{TotalCost: cost, TransactionID: "t"})
	if string(out) != `{"totalCost":12.30,"transactionId":"t"}` {
		t.Fatalf("%s", out)
	}
	out, _ = json.Marshal(SampledValue{})
	if string(out) != `{"value":0}` {
		t.Fatalf("zero Decimal: %s", out)
	}
}

func TestDecimal(t *testing.T) {
	for _, s := range []string{"0", "-0", "12", "-12.50", "1e3", "1.5E-7", "123456789012345678901234567890.123456789"} {
		d, err := ParseDecimal(s)
		if err != nil || d.String() != s {
			t.Errorf("ParseDecimal(%q) = %v, %v", s, d, err)
		}
	}
	for _, s := range []string{"", "+1", ".5", "1.", "01", " 1", "1 ", "NaN", "Infinity", "1,5", "0x10", "1e", "--1"} {
		if _, err := ParseDecimal(s); err == nil {
			t.Errorf("ParseDecimal(%q) succeeded", s)
		}
	}
	if d, err := DecimalFromFloat(16.1); err != nil || d.String() != "16.1" {
		t.Errorf("DecimalFromFloat(16.1) = %v, %v", d, err)
	}
	if _, err := DecimalFromFloat(0 / zero()); err == nil {
		t.Error("DecimalFromFloat(NaN) succeeded")
	}
	var d Decimal
	if d.String() != "0" || d.Float64() != 0 {
		t.Error("zero Decimal")
	}
	for in, want := range map[string]string{`12.5`: "", `"12.5"`: wire.FlagTypeStringNumber, ` 7 `: ""} {
		var d Decimal
		if err := json.Unmarshal([]byte(in), &d); err != nil || d.String() != strings.Trim(in, `" `) || d.Flag() != want {
			t.Errorf("Unmarshal(%s) = %+v, %v", in, d, err)
		}
	}
	for _, in := range []string{`"12,5"`, `"abc"`, `true`, `{}`, `[1]`, `""`} {
		var d Decimal
		if err := json.Unmarshal([]byte(in), &d); err == nil {
			t.Errorf("Unmarshal(%s) succeeded: %v", in, d)
		}
	}
}

func zero() float64 { return 0 }

// TestLenientInbound: what real 2.0.1 stations send (ocpp-field-quirks.md §0.2, §1, §5,
// §8, §9, §19) must not refuse a transaction message in lenient mode, and must in strict mode.
func TestLenientInbound(t *testing.T) {
	in := `{"eventType":"updated","timestamp":"2025-01-31 10:35:30Z","triggerReason":"CableUnplugged","seqNo":"3",` +
		`"offline":null,"vendorField":{"x":1},` +
		`"transactionInfo":{"transactionId":"TX-1","chargingState":"Finishing","stoppedReason":"Unplugged"},` +
		`"idToken":{"idToken":"04E91C5A123480","type":"RFID"},` +
		`"meterValue":[{"timestamp":"2025-01-31T10:35:30+01","sampledValue":[` +
		`{"value":"14.720","context":"Weird","measurand":"Temperature","phase":"L1N","location":"Grid",` +
		`"customData":{"vendorId":"com.alfen","raw":"0x1F"}}]}]}`
	var te TransactionEventRequest
	warns, err := wire.Decode([]byte(in), &te, wire.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sv := te.MeterValue[0].SampledValue[0]
	switch {
	case te.EventType != TransactionEventUpdated, te.TriggerReason != "CableUnplugged", te.SeqNo != 3, te.Offline != nil,
		te.Timestamp.Flag != wire.FlagTSSeparator, te.TransactionInfo.ChargingState != "Finishing",
		te.TransactionInfo.StoppedReason != ReasonOther, te.IDToken.Type != "RFID":
		t.Fatalf("%+v", te)
	case sv.Value.String() != "14.720" || sv.Value.Flag() != wire.FlagTypeStringNumber || sv.Context != ReadingContextOther ||
		sv.Measurand != "Temperature" || sv.Phase != "L1N" || sv.Location != "Grid" ||
		sv.CustomData.VendorID != "com.alfen" || string(sv.CustomData.Extra["raw"]) != `"0x1F"`:
		t.Fatalf("%+v", sv)
	case te.MeterValue[0].Timestamp.Hour() != 9:
		t.Fatalf("offset not applied: %v", te.MeterValue[0].Timestamp)
	}
	flags := map[string]int{}
	for _, w := range warns {
		flags[w.Flag]++
	}
	want := map[string]int{wire.FlagEnumCase: 1, wire.FlagTSSeparator: 1, wire.FlagTSNoZone: 0, wire.FlagTypeStringNumber: 1,
		wire.FlagNullField: 1, wire.FlagExtraField: 1, wire.FlagEnumUnknown: 8, wire.FlagTSOffsetForm: 1}
	for f, n := range want {
		if flags[f] != n {
			t.Errorf("%d %s warnings, want %d: %+v", flags[f], f, n, warns)
		}
	}
	if _, err := wire.Decode([]byte(in), &te, wire.Options{Strict: true}); err == nil {
		t.Fatal("strict mode accepted a deviating TransactionEvent")
	}

	boot := `{"chargingStation":{"model":"EVlink Pro AC 22kW","vendorName":"Schneider Electric"},"reason":"ColdBoot"}`
	var bn BootNotificationRequest
	if warns, err := wire.Decode([]byte(boot), &bn, wire.Options{}); err != nil || bn.Reason != BootReasonUnknown || len(warns) != 1 {
		t.Fatalf("%+v %v %v", bn, warns, err)
	}
	var sn StatusNotificationRequest
	_, err = wire.Decode([]byte(`{"timestamp":"2025-01-31T10:21:00Z","connectorStatus":"Charging","evseId":1,"connectorId":1}`), &sn, wire.Options{})
	if vio := (*wire.Violation)(nil); !errors.As(err, &vio) || vio.Path != "connectorStatus" {
		t.Fatalf("an unknown connector status is not interpretable: %v", err)
	}
}

func TestCustomData(t *testing.T) {
	ok := []string{
		`{"evseId":1,"meterValue":[{"timestamp":"2025-01-31T10:30:00.000Z","sampledValue":[{"value":1,"customData":{"vendorId":"x"}}]}],"customData":{"vendorId":"com.example","a":{"b":[1,2]},"c":null}}`,
		`{"evseId":1,"meterValue":[{"timestamp":"2025-01-31T10:30:00.000Z","sampledValue":[{"value":1}]}],"customData":{"n":1,"vendorId":"` + strings.Repeat("é", 255) + `"}}`,
	}
	for _, in := range ok {
		var mv MeterValuesRequest
		if _, err := wire.Decode([]byte(in), &mv, wire.Options{Strict: true}); err != nil {
			t.Errorf("%s: %v", in, err)
		}
		if err := wire.Validate(mv); err != nil {
			t.Errorf("Validate: %v", err)
		}
	}
	bad := map[string]string{
		`{"a":1}`:                         "customData: vendorId: required field missing",
		`{"vendorId":null}`:               "customData: vendorId: expected a string, got null",
		`{"vendorId":5}`:                  "customData: vendorId: expected a string, got 5",
		`{"vendorId":"x","a":1,"a":2}`:    `customData: duplicate key "a"`,
		`{"vendorId":"x","vendorId":"y"}`: `customData: duplicate key "vendorId"`,
		`"com.example"`:                   "customData: expected an object",
		`[]`:                              "customData: expected an object",
		`{"vendorId":"` + strings.Repeat("v", 256) + `"}`: "customData: vendorId: longer than 255 characters",
	}
	for cd, msg := range bad {
		for _, strict := range []bool{true, false} {
			var hb HeartbeatResponse
			_, err := wire.Decode([]byte(`{"currentTime":"2025-01-31T10:20:30.000Z","customData":`+cd+`}`), &hb, wire.Options{Strict: strict})
			var vio *wire.Violation
			if !errors.As(err, &vio) || vio.Kind != wire.TypeViolation || vio.Error() != msg {
				t.Errorf("strict=%v %s: got %v, want %q", strict, cd, err, msg)
			}
		}
	}
	var hb HeartbeatResponse
	_, err := wire.Decode([]byte(`{"currentTime":"2025-01-31T10:20:30.000Z","customData":null}`), &hb, wire.Options{Strict: true})
	if vio := (*wire.Violation)(nil); !errors.As(err, &vio) || vio.Kind != wire.TypeViolation {
		t.Errorf("null customData in strict mode: %v", err)
	}
	if warns, err := wire.Decode([]byte(`{"currentTime":"2025-01-31T10:20:30.000Z","customData":null}`), &hb, wire.Options{}); err != nil || len(warns) != 1 || hb.CustomData != nil {
		t.Errorf("null customData in lenient mode: %v %v", warns, err)
	}
	// Nested path, outgoing validation.
	long := &CustomData{VendorID: strings.Repeat("v", 256)}
	err = wire.Validate(SetVariablesResponse{SetVariableResult: []SetVariableResult{{AttributeStatus: SetVariableStatusAccepted,
		Component: Component{Name: "C", EVSE: &EVSE{ID: 1, CustomData: long}}, Variable: Variable{Name: "V"}}}})
	if vio := (*wire.Violation)(nil); !errors.As(err, &vio) || vio.Path != "setVariableResult[0].component.evse.customData" {
		t.Errorf("nested customData: %v", err)
	}
	out, err := json.Marshal(CustomData{VendorID: "v<1>", Extra: map[string]json.RawMessage{"z": json.RawMessage(`1`), "a": json.RawMessage(` [ true ] `)}})
	if err != nil || string(out) != `{"vendorId":"v\u003c1\u003e","a":[true],"z":1}` {
		t.Errorf("marshal: %s %v", out, err)
	}
	for _, cd := range []CustomData{{Extra: map[string]json.RawMessage{"vendorId": json.RawMessage(`"x"`)}}, {Extra: map[string]json.RawMessage{"a": nil}}} {
		if _, err := json.Marshal(cd); err == nil {
			t.Errorf("marshal of %+v succeeded", cd)
		}
	}
}

func TestValidateOutgoing(t *testing.T) {
	now := testTime
	zeroInt := 0
	profile := ChargingProfile{
		ID: 1, StackLevel: 0,
		ChargingProfilePurpose: ChargingProfilePurposeTxProfile,
		ChargingProfileKind:    ChargingProfileKindRelative,
		ChargingSchedule: []ChargingSchedule{{ID: 1, ChargingRateUnit: ChargingRateUnitA,
			ChargingSchedulePeriod: []ChargingSchedulePeriod{{StartPeriod: 0, Limit: 16}}}},
	}
	free, _ := ParseDecimal("0.00")
	valid := []any{
		BootNotificationResponse{Status: RegistrationStatusAccepted, CurrentTime: now, Interval: 300},
		&BootNotificationResponse{Status: RegistrationStatusRejected, CurrentTime: now, Interval: 0},
		HeartbeatResponse{CurrentTime: now},
		AuthorizeResponse{IDTokenInfo: IdTokenInfo{Status: AuthorizationStatusUnknown}},
		AuthorizeResponse{IDTokenInfo: IdTokenInfo{Status: AuthorizationStatusAccepted, EVSEID: []int{}}}, // empty optional array: omitted
		TransactionEventResponse{},
		TransactionEventResponse{TotalCost: &free, IDTokenInfo: &IdTokenInfo{Status: AuthorizationStatusAccepted}},
		RequestStartTransactionRequest{IDToken: IdToken{IDToken: "HUB1", Type: IdTokenEnumTypeCentral}, RemoteStartID: 0, ChargingProfile: &profile},
		SetChargingProfileRequest{EVSEID: 0, ChargingProfile: profile},
		GetVariablesRequest{GetVariableData: []GetVariableData{{Component: Component{Name: "OCPPCommCtrlr"}, Variable: Variable{Name: "HeartbeatInterval"}}}},
		SetVariablesRequest{SetVariableData: []SetVariableData{{AttributeValue: "", Component: Component{Name: "C", EVSE: &EVSE{ID: 1, ConnectorID: &zeroInt}}, Variable: Variable{Name: "V"}}}},
		GetChargingProfilesRequest{RequestID: 1, ChargingProfile: ChargingProfileCriterion{}},
		SendLocalListRequest{VersionNumber: 0, UpdateType: UpdateFull},
		DataTransferResponse{Status: DataTransferStatusUnknownVendorId},
		StatusNotificationResponse{},
	}
	for _, v := range valid {
		if err := wire.Validate(v); err != nil {
			t.Errorf("%T: %v", v, err)
		}
	}
	out, _ := json.Marshal(GetLocalListVersionResponse{})
	if string(out) != `{"versionNumber":0}` {
		t.Errorf("zero required int must be sent: %s", out)
	}
	out, _ = json.Marshal(RequestStartTransactionRequest{IDToken: IdToken{IDToken: "A", Type: IdTokenEnumTypeCentral}})
	if string(out) != `{"idToken":{"idToken":"A","type":"Central"},"remoteStartId":0}` {
		t.Errorf("optional fields must be omitted: %s", out)
	}

	fourSchedules := profile
	fourSchedules.ChargingSchedule = slices4(profile.ChargingSchedule[0])
	noPeriods := profile
	noPeriods.ChargingSchedule = []ChargingSchedule{{ID: 1, ChargingRateUnit: ChargingRateUnitW, ChargingSchedulePeriod: []ChargingSchedulePeriod{}}}
	soc := 101
	invalid := []struct {
		v    any
		kind wire.ViolationKind
		path string
	}{
		{HeartbeatResponse{}, wire.OccurrenceViolation, "currentTime"},
		{BootNotificationResponse{Status: "accepted", CurrentTime: now}, wire.PropertyViolation, "status"},
		{BootNotificationResponse{CurrentTime: now}, wire.PropertyViolation, "status"},
		{AuthorizeResponse{IDTokenInfo: IdTokenInfo{Status: AuthorizationStatusAccepted, GroupIDToken: &IdToken{IDToken: "G", Type: "RFID"}}}, wire.PropertyViolation, "idTokenInfo.groupIdToken.type"},
		{RequestStartTransactionRequest{IDToken: IdToken{IDToken: strings.Repeat("A", 37), Type: IdTokenEnumTypeCentral}}, wire.PropertyViolation, "idToken.idToken"},
		{SetChargingProfileRequest{ChargingProfile: fourSchedules}, wire.OccurrenceViolation, "chargingProfile.chargingSchedule"},
		{SetChargingProfileRequest{ChargingProfile: noPeriods}, wire.OccurrenceViolation, "chargingProfile.chargingSchedule[0].chargingSchedulePeriod"},
		{GetVariablesRequest{}, wire.OccurrenceViolation, "getVariableData"},
		{GetVariablesRequest{GetVariableData: []GetVariableData{}}, wire.OccurrenceViolation, "getVariableData"},
		{RequestStopTransactionRequest{TransactionID: strings.Repeat("x", 37)}, wire.PropertyViolation, "transactionId"},
		{GetCertificateStatusResponse{Status: "Rejected"}, wire.PropertyViolation, "status"},
		{SetChargingProfileResponse{Status: "NotSupported"}, wire.PropertyViolation, "status"},
		{TransactionEventResponse{IDTokenInfo: &IdTokenInfo{Status: AuthorizationStatusAccepted, PersonalMessage: &MessageContent{Format: MessageFormatUTF8, Content: strings.Repeat("é", 513)}}}, wire.PropertyViolation, "idTokenInfo.personalMessage.content"},
		{NotifyEVChargingNeedsRequest{ChargingNeeds: ChargingNeeds{RequestedEnergyTransfer: EnergyTransferModeDC, DCChargingParameters: &DCChargingParameters{StateOfCharge: &soc}}}, wire.PropertyViolation, "chargingNeeds.dcChargingParameters.stateOfCharge"},
		{longReasonCode(), wire.PropertyViolation, "statusInfo.reasonCode"},
	}
	for _, tc := range invalid {
		err := wire.Validate(tc.v)
		var vio *wire.Violation
		if !errors.As(err, &vio) || vio.Kind != tc.kind || vio.Path != tc.path {
			t.Errorf("%T: want %v at %q, got %v", tc.v, tc.kind, tc.path, err)
		}
	}
}

func slices4(s ChargingSchedule) []ChargingSchedule { return []ChargingSchedule{s, s, s, s} }

// StatusInfoHolder returns a response whose statusInfo.reasonCode is too long.
func longReasonCode() any {
	return ResetResponse{Status: ResetStatusRejected, StatusInfo: &StatusInfo{ReasonCode: strings.Repeat("r", 21)}}
}

func TestDecodeRejects(t *testing.T) {
	cases := []struct {
		action, payload string
		strict, lenient wire.ViolationKind
		path            string
	}{
		{"BootNotification", `{"chargingStation":{"model":"X"},"reason":"PowerUp"}`, wire.OccurrenceViolation, wire.OccurrenceViolation, "chargingStation.vendorName"},
		{"BootNotification", `{"chargingStation":{"model":"EVlink Pro AC 22kW 3-phase","vendorName":"Schneider"},"reason":"PowerUp"}`, wire.PropertyViolation, 0, "chargingStation.model"},
		{"TransactionEvent", `{"eventType":"Started","timestamp":"2025-01-01T00:00:00Z","triggerReason":"Authorized","seqNo":0}`, wire.OccurrenceViolation, wire.OccurrenceViolation, "transactionInfo"},
		{"TransactionEvent", `{"eventType":"Paused","timestamp":"2025-01-01T00:00:00Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"t"}}`, wire.PropertyViolation, wire.PropertyViolation, "eventType"},
		{"TransactionEvent", `{"eventType":"Started","timestamp":"2025-01-01T00:00:00Z","triggerReason":"Authorized","seqNo":0.5,"transactionInfo":{"transactionId":"t"}}`, wire.TypeViolation, wire.TypeViolation, "seqNo"},
		{"TransactionEvent", `{"eventType":"Started","timestamp":"2025-01-01T00:00:00Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"t"},"meterValue":[]}`, wire.OccurrenceViolation, wire.OccurrenceViolation, "meterValue"},
		{"MeterValues", `{"evseId":1,"meterValue":[{"timestamp":"2025-01-01T00:00:00Z","sampledValue":[{"value":"n/a"}]}]}`, wire.TypeViolation, wire.TypeViolation, "meterValue[0].sampledValue[0].value"},
		{"MeterValues", `{"evseId":1,"meterValue":[{"timestamp":"2025-01-01T00:00:00Z","sampledValue":[{"value":1,"unitOfMeasure":{"unit":"Wh","multiplier":1.5}}]}]}`, wire.TypeViolation, wire.TypeViolation, "meterValue[0].sampledValue[0].unitOfMeasure.multiplier"},
		{"MeterValues", `{"evseId":1,"evseId":2,"meterValue":[]}`, wire.FormationViolation, wire.FormationViolation, "evseId"},
		{"Heartbeat", `null`, wire.FormationViolation, wire.FormationViolation, ""},
		{"Heartbeat", `{"x":1}`, wire.FormationViolation, 0, "x"},
		{"Authorize", `{"idToken":{"idToken":"A","type":"ISO14443"},"iso15118CertificateHashData":[]}`, wire.OccurrenceViolation, wire.OccurrenceViolation, "iso15118CertificateHashData"},
		{"NotifyReport", `{"requestId":1,"generatedAt":"2025-01-01T00:00:00Z","seqNo":0,"reportData":[{"component":{"name":"C"},"variable":{"name":"V"},` +
			`"variableAttribute":[{},{},{},{},{}]}]}`, wire.OccurrenceViolation, wire.OccurrenceViolation, "reportData[0].variableAttribute"},
	}
	for _, tc := range cases {
		m, _ := Lookup(tc.action)
		for _, strict := range []bool{true, false} {
			want := tc.lenient
			if strict {
				want = tc.strict
			}
			_, err := wire.Decode([]byte(tc.payload), m.NewRequest(), wire.Options{Strict: strict})
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

func BenchmarkDecodeTransactionEvent(b *testing.B) {
	data := []byte(txUpdated)
	b.ReportAllocs()
	for b.Loop() {
		var v TransactionEventRequest
		if _, err := wire.Decode(data, &v, wire.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
