package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// FuzzDecode checks that Decode never panics, that every error is a *Violation of a
// known kind, that strict mode never warns, and that an accepted value survives
// marshalling: strict-accepted values pass Validate, and every accepted value decodes
// again (in the same mode) to the same JSON.
func FuzzDecode(f *testing.F) {
	for _, tc := range decodeCases {
		f.Add([]byte(tc.in))
	}
	f.Add([]byte(meterValuesPayload))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, strict := range []bool{false, true} {
			var v tMsg
			warns, err := Decode(data, &v, Options{Strict: strict})
			if err != nil {
				var vio *Violation
				if !errors.As(err, &vio) || vio.Kind < FormationViolation || vio.Kind > PropertyViolation {
					t.Fatalf("strict=%v: bad error %v", strict, err)
				}
				continue
			}
			if strict && len(warns) != 0 {
				t.Fatalf("strict mode warned: %+v", warns)
			}
			out, err := json.Marshal(&v)
			if err != nil {
				t.Fatalf("strict=%v: accepted value does not marshal: %v", strict, err)
			}
			if strict {
				var vio *Violation
				if err := Validate(&v); err != nil && !(errors.As(err, &vio) && strings.Contains(vio.Msg, "zero time")) {
					t.Fatalf("strict-accepted value fails Validate: %v\ninput: %s\noutput: %s", err, data, out)
				}
			}
			var w tMsg
			if _, err := Decode(out, &w, Options{Strict: strict}); err != nil {
				t.Fatalf("strict=%v: re-decode failed: %v\ninput: %s\noutput: %s", strict, err, data, out)
			}
			out2, err := json.Marshal(&w)
			if err != nil || !bytes.Equal(out, out2) {
				t.Fatalf("strict=%v: unstable round trip:\n%s\n%s", strict, out, out2)
			}
		}
	})
}
