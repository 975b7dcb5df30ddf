package wire

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func ptr[T any](v T) *T { return &v }

func validMsg() tMsg {
	now := NewDateTime(time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC))
	return tMsg{
		ConnectorID: 1, IDTag: "abc", Status: "Charging",
		TransactionID: ptr(0), Limit: ptr(16.1), Enabled: ptr(false),
		Location: "https://example.com/upload", Keys: []string{"abcd"},
		When:       &now,
		MeterValue: []tMeter{{Timestamp: now, SampledValue: []tSampled{{Value: "1", Unit: "kWh"}}}},
		IDTagInfo:  &tInfo{Status: "Faulted"},
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		mod  func(*tMsg)
		kind ViolationKind
		path string
	}{
		{name: "valid"},
		{name: "valid pointer to zero optional", mod: func(m *tMsg) { m.TransactionID = ptr(0); m.ConnectorID = 0 }},
		{name: "empty required string", mod: func(m *tMsg) { m.IDTag = "" }},
		{name: "bad enum", mod: func(m *tMsg) { m.Status = "charging" }, kind: PropertyViolation, path: "status"},
		{name: "empty enum", mod: func(m *tMsg) { m.Status = "" }, kind: PropertyViolation, path: "status"},
		{name: "fallback does not apply", mod: func(m *tMsg) { m.ErrorCode = "Error" }, kind: PropertyViolation, path: "errorCode"},
		{name: "keepraw does not apply", mod: func(m *tMsg) { m.MeterValue[0].SampledValue[0].Unit = "Hz" }, kind: PropertyViolation, path: "meterValue[0].sampledValue[0].unit"},
		{name: "too long", mod: func(m *tMsg) { m.IDTag = "abcdef" }, kind: PropertyViolation, path: "idTag"},
		{name: "item too long", mod: func(m *tMsg) { m.Keys = []string{"a", "abcde"} }, kind: PropertyViolation, path: "keys[1]"},
		{name: "too many items", mod: func(m *tMsg) { m.Keys = []string{"a", "b", "c", "d"} }, kind: OccurrenceViolation, path: "keys"},
		{name: "out of range", mod: func(m *tMsg) { m.ConnectorID = 11 }, kind: PropertyViolation, path: "connectorId"},
		{name: "not multiple", mod: func(m *tMsg) { m.Limit = ptr(16.05) }, kind: PropertyViolation, path: "limit"},
		{name: "multiple with float noise", mod: func(m *tMsg) { m.Limit = ptr(0.1 + 0.2) }},
		{name: "NaN", mod: func(m *tMsg) { m.Limit = ptr(math.NaN()) }, kind: PropertyViolation, path: ""},
		{name: "relative uri", mod: func(m *tMsg) { m.Location = "upload" }, kind: PropertyViolation, path: "location"},
		{name: "min items", mod: func(m *tMsg) { m.MeterValue[0].SampledValue = []tSampled{} }, kind: OccurrenceViolation, path: "meterValue[0].sampledValue"},
		{name: "required nil slice", mod: func(m *tMsg) { m.MeterValue[0].SampledValue = nil }, kind: OccurrenceViolation, path: "meterValue[0].sampledValue"},
		{name: "zero required date-time", mod: func(m *tMsg) { m.MeterValue[0].Timestamp = DateTime{} }, kind: OccurrenceViolation, path: "meterValue[0].timestamp"},
		{name: "zero optional date-time", mod: func(m *tMsg) { m.When = &DateTime{} }, kind: PropertyViolation, path: "when"},
		{name: "nested required enum", mod: func(m *tMsg) { m.IDTagInfo = &tInfo{} }, kind: PropertyViolation, path: "idTagInfo.status"},
		{name: "year out of range", mod: func(m *tMsg) { m.When = &DateTime{Time: time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC)} }, kind: PropertyViolation, path: ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := validMsg()
			if tc.mod != nil {
				tc.mod(&m)
			}
			err := Validate(&m)
			if tc.kind == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if err := Validate(m); err != nil {
					t.Fatalf("by value: %v", err)
				}
				return
			}
			var vio *Violation
			if !errors.As(err, &vio) || vio.Kind != tc.kind || vio.Path != tc.path {
				t.Fatalf("want %v at %q, got %v", tc.kind, tc.path, err)
			}
		})
	}
}

// tNoOmit has an optional pointer without omitempty: it would go out as null.
type tNoOmit struct {
	A *int `json:"a"`
}

type tRequiredSlice struct {
	Items []string `json:"items" ocpp:"required"`
}

func TestValidateShapes(t *testing.T) {
	var vio *Violation
	if err := Validate(tNoOmit{}); !errors.As(err, &vio) || vio.Kind != TypeViolation || vio.Path != "a" {
		t.Fatalf("null optional: %v", err)
	}
	if err := Validate(tRequiredSlice{}); !errors.As(err, &vio) || vio.Kind != OccurrenceViolation || vio.Path != "items" {
		t.Fatalf("nil required slice: %v", err)
	}
	if err := Validate(tRequiredSlice{Items: []string{}}); err != nil {
		t.Fatalf("empty required slice: %v", err)
	}
	if err := Validate(tEmpty{}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []any{nil, (*tMsg)(nil), 5, new(tBadRequiredOmitempty)} {
		if err := Validate(bad); err == nil || errors.As(err, &vio) {
			t.Errorf("Validate(%T): want programming error, got %v", bad, err)
		}
	}
}

func TestValidateMessage(t *testing.T) {
	m := validMsg()
	m.IDTag = strings.Repeat("x", 6)
	err := Validate(m)
	if err == nil || err.Error() != "idTag: longer than 5 characters" {
		t.Fatalf("got %v", err)
	}
}
