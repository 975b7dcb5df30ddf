package v201

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/chargehub/hub/ocpp/wire"
)

// FuzzDecodeV201 decodes (action, payload) into the action's request and response types
// in both modes: no panics, only *wire.Violation errors, strict-accepted values pass
// wire.Validate, and accepted values survive marshal + decode with a stable encoding.
// An unknown action picks a catalogue entry, so every request type is reachable.
func FuzzDecodeV201(f *testing.F) {
	for _, ex := range examples {
		f.Add(ex.action, []byte(ex.request))
	}
	f.Fuzz(func(t *testing.T, action string, payload []byte) {
		m, ok := Lookup(action)
		if !ok {
			all := Catalogue()
			m = all[len(action)%len(all)]
		}
		for _, newValue := range []func() any{m.NewRequest, m.NewResponse} {
			for _, strict := range []bool{false, true} {
				v := newValue()
				if _, err := wire.Decode(payload, v, wire.Options{Strict: strict}); err != nil {
					var vio *wire.Violation
					if !errors.As(err, &vio) {
						t.Fatalf("%s strict=%v: non-violation error %v", m.Action, strict, err)
					}
					continue
				}
				out, err := json.Marshal(v)
				if err != nil {
					t.Fatalf("%s strict=%v: accepted value does not marshal: %v", m.Action, strict, err)
				}
				if strict {
					var vio *wire.Violation
					if err := wire.Validate(v); err != nil && !(errors.As(err, &vio) && strings.Contains(vio.Msg, "zero time")) {
						t.Fatalf("%s: strict-accepted value fails Validate: %v\n%s", m.Action, err, payload)
					}
				}
				w := newValue()
				if _, err := wire.Decode(out, w, wire.Options{Strict: strict}); err != nil {
					t.Fatalf("%s strict=%v: re-decode of %s: %v", m.Action, strict, out, err)
				}
				if out2, _ := json.Marshal(w); !bytes.Equal(out, out2) {
					t.Fatalf("%s strict=%v: unstable round trip\n%s\n%s", m.Action, strict, out, out2)
				}
			}
		}
	})
}
