package ocpp

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/chargehub/hub/charging"
)

func TestParseFrame(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		wantType MessageType
		wantID   string
		wantErr  ErrorCode // -1 = no error
	}{
		{"call", `[2,"19223201","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]`, TypeCall, "19223201", -1},
		{"call with spaces", ` [ 2 , "a" , "Heartbeat" , { } ] `, TypeCall, "a", -1},
		{"result", `[3,"a",{"currentTime":"2026-01-01T00:00:00Z"}]`, TypeCallResult, "a", -1},
		{"error", `[4,"a","NotImplemented","nope",{}]`, TypeCallError, "a", -1},
		{"not json", `[2,"a","Heartbeat",{}`, 0, "", ErrFormat},
		{"not an array", `{"a":1}`, 0, "", ErrFormat},
		{"too short", `[2,"a"]`, 0, "", ErrFormat},
		{"type not a number", `["2","a","Heartbeat",{}]`, 0, "", ErrFormat},
		{"id not a string", `[2,17,"Heartbeat",{}]`, TypeCall, "", ErrRPCFramework},
		{"call payload array", `[2,"a","Heartbeat",[]]`, TypeCall, "a", ErrFormat},
		{"call payload null", `[2,"a","Heartbeat",null]`, TypeCall, "a", ErrFormat},
		{"call too long", `[2,"a","Heartbeat",{},{}]`, TypeCall, "a", ErrFormat},
		{"empty action", `[2,"a","",{}]`, TypeCall, "a", ErrFormat},
		{"unknown type", `[7,"a","x",{}]`, 7, "a", ErrMessageTypeNotSupported},
		{"error details not object", `[4,"a","X","y",[]]`, TypeCallError, "a", ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseFrame([]byte(tt.in))
			if tt.wantErr < 0 {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if f.Type != tt.wantType || f.ID != tt.wantID {
					t.Fatalf("got %d %q", f.Type, f.ID)
				}
				return
			}
			var fe *FrameError
			if !errors.As(err, &fe) {
				t.Fatalf("want FrameError, got %v", err)
			}
			if fe.Code != tt.wantErr || fe.ID != tt.wantID || fe.Type != tt.wantType {
				t.Fatalf("got code %d id %q type %d (%s)", fe.Code, fe.ID, fe.Type, fe.Reason)
			}
		})
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	call := MarshalCall("id\"1", "Reset", json.RawMessage(`{"type":"Soft"}`))
	f, err := ParseFrame(call)
	if err != nil || f.ID != "id\"1" || f.Action != "Reset" || string(f.Payload) != `{"type":"Soft"}` {
		t.Fatalf("call round trip: %+v %v", f, err)
	}
	res := MarshalCallResult("x", json.RawMessage(`{}`))
	if string(res) != `[3,"x",{}]` {
		t.Fatalf("result %s", res)
	}
	long := make([]rune, 300)
	for i := range long {
		long[i] = 'é'
	}
	e := MarshalCallError("x", "GenericError", string(long), nil)
	f, err = ParseFrame(e)
	if err != nil || len([]rune(f.ErrorDescription)) != 255 || string(f.ErrorDetails) != "{}" {
		t.Fatalf("error frame: %v %d %s", err, len([]rune(f.ErrorDescription)), f.ErrorDetails)
	}
}

func TestErrorCodeSpelling(t *testing.T) {
	tests := []struct {
		code     ErrorCode
		v16, v20 string
	}{
		{ErrFormat, "FormationViolation", "FormatViolation"},
		{ErrOccurrenceConstraint, "OccurenceConstraintViolation", "OccurrenceConstraintViolation"},
		{ErrPropertyConstraint, "PropertyConstraintViolation", "PropertyConstraintViolation"},
		{ErrTypeConstraint, "TypeConstraintViolation", "TypeConstraintViolation"},
		{ErrNotImplemented, "NotImplemented", "NotImplemented"},
		{ErrSecurity, "SecurityError", "SecurityError"},
		{ErrInternal, "InternalError", "InternalError"},
		{ErrRPCFramework, "FormationViolation", "RpcFrameworkError"},
		{ErrGeneric, "GenericError", "GenericError"},
	}
	for _, tt := range tests {
		if got := tt.code.Spell(charging.OCPP16); got != tt.v16 {
			t.Errorf("1.6 spelling of %d = %s, want %s", tt.code, got, tt.v16)
		}
		if got := tt.code.Spell(charging.OCPP201); got != tt.v20 {
			t.Errorf("2.0.1 spelling of %d = %s, want %s", tt.code, got, tt.v20)
		}
		if ParseErrorCode(tt.v16) != tt.code && tt.code != ErrRPCFramework {
			t.Errorf("ParseErrorCode(%s) != %d", tt.v16, tt.code)
		}
		if ParseErrorCode(tt.v20) != tt.code {
			t.Errorf("ParseErrorCode(%s) != %d", tt.v20, tt.code)
		}
	}
	if ParseErrorCode("SomethingElse") != ErrGeneric {
		t.Error("unknown codes must read as GenericError")
	}
}

func FuzzParseFrame(f *testing.F) {
	for _, s := range []string{
		`[2,"1","Heartbeat",{}]`, `[3,"1",{"a":1}]`, `[4,"1","GenericError","",{}]`, `[2,1,"x",{}]`, `[`, `[]`, `[9,"x"]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := ParseFrame(data)
		if err != nil {
			var fe *FrameError
			if !errors.As(err, &fe) {
				t.Fatalf("error is not a FrameError: %v", err)
			}
			return
		}
		var again []byte
		switch fr.Type {
		case TypeCall:
			again = MarshalCall(fr.ID, fr.Action, fr.Payload)
		case TypeCallResult:
			again = MarshalCallResult(fr.ID, fr.Payload)
		case TypeCallError:
			again = MarshalCallError(fr.ID, fr.ErrorCode, fr.ErrorDescription, fr.ErrorDetails)
		default:
			t.Fatalf("accepted unknown type %d", fr.Type)
		}
		fr2, err := ParseFrame(again)
		if err != nil || fr2.ID != fr.ID || fr2.Type != fr.Type || fr2.Action != fr.Action {
			t.Fatalf("re-encoded frame differs: %v %+v vs %+v", err, fr2, fr)
		}
	})
}
