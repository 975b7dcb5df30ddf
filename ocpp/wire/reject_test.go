package wire

import (
	"errors"
	"testing"
)

// TestRejectSingleLeniencies: a profile can refuse one leniency while keeping the others.
func TestRejectSingleLeniencies(t *testing.T) {
	tests := []struct {
		name, in, flag string
		kind           ViolationKind
	}{
		{"extra field", obj(`"foo":1`), FlagExtraField, FormationViolation},
		{"null optional", obj(`"info":null`), FlagNullField, TypeViolation},
		{"zone-less timestamp", obj(`"when":"2024-01-02T03:04:05"`), FlagTSNoZone, PropertyViolation},
		{"enum case", `{"connectorId":1,"idTag":"ab","status":"available"}`, FlagEnumCase, PropertyViolation},
		{"too long", `{"connectorId":1,"idTag":"abcdefghijklmnopqrstuvwxyz","status":"Available"}`, FlagTooLong, PropertyViolation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m tMsg
			warns, err := Decode([]byte(tt.in), &m, Options{})
			if err != nil {
				t.Fatalf("lenient decode: %v", err)
			}
			found := false
			for _, w := range warns {
				found = found || w.Flag == tt.flag
			}
			if !found {
				t.Fatalf("lenient decode did not warn %s: %v", tt.flag, warns)
			}
			_, err = Decode([]byte(tt.in), &m, Options{Reject: []string{tt.flag}})
			var v *Violation
			if !errors.As(err, &v) || v.Kind != tt.kind {
				t.Fatalf("with %s rejected: %v", tt.flag, err)
			}
			// other leniencies stay on
			if _, err := Decode([]byte(tt.in), &m, Options{Reject: []string{"some_other_flag"}}); err != nil {
				t.Fatalf("unrelated reject list refused it: %v", err)
			}
		})
	}
}
