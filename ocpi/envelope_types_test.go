package ocpi

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestResponseDataPresence(t *testing.T) {
	at := testAt("09:00:00")
	cases := []struct {
		name string
		v    any
		want string
	}{
		{"empty list is kept", Response[[]Token]{Data: []Token{}, StatusCode: 1000, Timestamp: at},
			`{"data":[],"status_code":1000,"timestamp":"2025-01-14T09:00:00Z"}`},
		{"nil list is absent", Response[[]Token]{StatusCode: 1000, Timestamp: at},
			`{"status_code":1000,"timestamp":"2025-01-14T09:00:00Z"}`},
		{"no data", Response[any]{StatusCode: 2001, StatusMessage: "field last_updated missing", Timestamp: at},
			`{"status_code":2001,"status_message":"field last_updated missing","timestamp":"2025-01-14T09:00:00Z"}`},
		{"nil pointer", Response[*Token]{StatusCode: 1000, Timestamp: at},
			`{"status_code":1000,"timestamp":"2025-01-14T09:00:00Z"}`},
		{"string data", Response[ChargingPreferencesResponse]{Data: ChargingPreferencesAccepted, StatusCode: 1000, Timestamp: at},
			`{"data":"ACCEPTED","status_code":1000,"timestamp":"2025-01-14T09:00:00Z"}`},
	}
	for _, tc := range cases {
		b, err := json.Marshal(tc.v)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, b, tc.want)
		}
	}
	if b, _ := json.Marshal(NewListResponse[Location](nil)); !strings.HasPrefix(string(b), `{"data":[],"status_code":1000,"timestamp":"`) {
		t.Errorf("NewListResponse(nil): %s", b)
	}
}

func TestResponseTimestampFormat(t *testing.T) {
	r := NewStatusResponse(StatusCodeSuccess, "")
	r.Timestamp = NewDateTime(time.Date(2025, 1, 14, 9, 0, 0, 123456789, time.FixedZone("IST", 19800)))
	b, _ := json.Marshal(r)
	if want := `"timestamp":"2025-01-14T03:30:00.123Z"`; !strings.Contains(string(b), want) {
		t.Errorf("got %s, want %s", b, want)
	}
	now := NewResponse(1)
	if s := now.Timestamp.String(); len(s) > 25 || !strings.HasSuffix(s, "Z") {
		t.Errorf("timestamp %q", s)
	}
}

func TestDecodeResponse(t *testing.T) {
	ok := `{"data": [{"version": "2.2.1", "url": "https://x.example.com/2.2.1"}], "status_code": 1000,
	  "status_message": "Success", "timestamp": "2015-06-30T21:59:59Z", "extra": 1}`
	r, err := DecodeResponse[[]Version]([]byte(ok))
	if err != nil || len(r.Data) != 1 || r.Data[0].Version != VersionNumber221 || r.StatusMessage != "Success" {
		t.Fatalf("got %+v, %v", r, err)
	}
	// OCPI leaves data undefined on errors: it may be anything and is not decoded.
	bad := `{"data": "debug info", "status_code": 2004, "status_message": "unknown token", "timestamp": "2015-06-30T21:59:59Z"}`
	tr, err := DecodeResponse[AuthorizationInfo]([]byte(bad))
	var se *StatusError
	if !errors.As(err, &se) || se.Code != StatusCodeUnknownToken || tr.StatusCode != 2004 {
		t.Fatalf("got %+v, %v", tr, err)
	}
	if !strings.Contains(err.Error(), "2004 (unknown token): unknown token") {
		t.Errorf("error text %q", err)
	}
	for _, body := range []string{`{"status_code": 1000, "timestamp": "2015-06-30T21:59:59Z"}`,
		`{"data": null, "status_code": 1000, "timestamp": "2015-06-30T21:59:59Z"}`} {
		r, err := DecodeResponse[*Token]([]byte(body))
		if err != nil || r.Data != nil {
			t.Errorf("%s: %+v %v", body, r, err)
		}
	}
	if _, err := DecodeResponse[Token]([]byte(`<html>`)); err == nil {
		t.Error("non-JSON accepted")
	}
	if _, err := DecodeResponse[Token]([]byte(`{"data": {"uid": 5}, "status_code": 1000}`)); err == nil {
		t.Error("bad data accepted")
	}
	if _, err := DecodeResponse[Token]([]byte(`{}`)); err == nil {
		t.Error("missing status_code accepted")
	}
}

func TestRawResponse(t *testing.T) {
	var raw RawResponse
	if err := json.Unmarshal([]byte(`{"data": null, "status_code": 1000, "timestamp": "2015-06-30T21:59:59"}`), &raw); err != nil {
		t.Fatal(err)
	}
	if raw.HasData() || !raw.IsSuccess() || raw.Err() != nil || raw.Validate() != nil {
		t.Errorf("raw %+v", raw)
	}
	raw.StatusCode = 999
	if es := validationErrors(t, raw.Validate()); es[0].Path != "response.status_code" {
		t.Errorf("got %v", es)
	}
}

func TestStatusCodes(t *testing.T) {
	for code, class := range map[int]func(int) bool{
		StatusCodeSuccess: IsSuccessStatus, 1900: IsSuccessStatus,
		StatusCodeClientError: IsClientErrorStatus, StatusCodeInvalidParameters: IsClientErrorStatus,
		StatusCodeNotEnoughInformation: IsClientErrorStatus, StatusCodeUnknownLocation: IsClientErrorStatus,
		StatusCodeUnknownToken: IsClientErrorStatus, StatusCodeServerError: IsServerErrorStatus,
		StatusCodeUnableToUseClientAPI: IsServerErrorStatus, StatusCodeUnsupportedVersion: IsServerErrorStatus,
		StatusCodeNoMatchingEndpoints: IsServerErrorStatus, StatusCodeHubError: IsHubErrorStatus,
		StatusCodeUnknownReceiver: IsHubErrorStatus, StatusCodeHubTimeout: IsHubErrorStatus,
		StatusCodeConnectionProblem: IsHubErrorStatus,
	} {
		if !class(code) {
			t.Errorf("%d in wrong class", code)
		}
		if StatusText(code) == "unknown status code" {
			t.Errorf("%d has no text", code)
		}
	}
	if StatusText(2950) != "custom client error" || StatusText(42) != "unknown status code" {
		t.Error("StatusText of custom/unknown codes")
	}
	if e := NewStatusError(StatusCodeUnknownLocation, "location %s", "LOC1"); e.Error() != "ocpi: status 2003 (unknown location): location LOC1" {
		t.Error(e)
	}
}
