package ocpi

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// exampleEntry is one file of shared/testdata/ocpi-examples/MANIFEST.json.
type exampleEntry struct {
	Def      string `json:"def"`      // schema definition (and Go type) of the file or of its part at Path
	Path     string `json:"path"`     // top-level key holding the object, if not the whole file
	Envelope bool   `json:"envelope"` // the file is a whole OCPI response
	List     bool   `json:"list"`     // the object is a list of Def
	Expect   string `json:"expect"`   // "invalid": the example is known to be wrong
	Reason   string `json:"reason"`
}

// exampleDecoder decodes an example into the Go type of its definition and validates it. It
// returns the decoded value (to re-encode) and the decode or validation error.
type exampleDecoder func(doc []byte, envelope, list bool) (any, error)

// decodeExample decodes one T, a list of T, or an envelope around either, and validates it.
func decodeExample[T any, PT interface {
	*T
	validatable
}](doc []byte, envelope, list bool) (any, error) {
	if envelope {
		var raw RawResponse
		if err := json.Unmarshal(doc, &raw); err != nil {
			return nil, fmt.Errorf("decode envelope: %w", err)
		}
		if err := raw.Validate(); err != nil {
			return nil, err
		}
	}
	var items []T
	var out any
	switch {
	case envelope && list:
		var r Response[[]T]
		if err := json.Unmarshal(doc, &r); err != nil {
			return nil, err
		}
		items, out = r.Data, r
	case envelope:
		var r Response[T]
		if err := json.Unmarshal(doc, &r); err != nil {
			return nil, err
		}
		items, out = []T{r.Data}, r
	case list:
		if err := json.Unmarshal(doc, &items); err != nil {
			return nil, err
		}
		out = items
	default:
		v := PT(new(T))
		if err := json.Unmarshal(doc, v); err != nil {
			return nil, err
		}
		items, out = []T{*v}, v
	}
	var errs []error
	for i := range items {
		if err := PT(&items[i]).Validate(); err != nil {
			errs = append(errs, fmt.Errorf("item %d: %w", i, err))
		}
	}
	return out, errors.Join(errs...)
}

// exampleDecoders maps each definition used by the manifest to its Go type.
var exampleDecoders = map[string]exampleDecoder{
	"CDR":            decodeExample[CDR],
	"Credentials":    decodeExample[Credentials],
	"DisplayText":    decodeExample[DisplayText],
	"EnergyMix":      decodeExample[EnergyMix],
	"EVSE":           decodeExample[EVSE],
	"EVSEPatch":      decodeExample[EVSEPatch],
	"ConnectorPatch": decodeExample[ConnectorPatch],
	"Hours":          decodeExample[Hours],
	"Location":       decodeExample[Location],
	"LocationPatch":  decodeExample[LocationPatch],
	"Session":        decodeExample[Session],
	"SessionPatch":   decodeExample[SessionPatch],
	"Tariff":         decodeExample[Tariff],
	"Token":          decodeExample[Token],
	"TokenPatch":     decodeExample[TokenPatch],
	"Version":        decodeExample[Version],
	"VersionDetails": decodeExample[VersionDetails],
}

// TestOCPIExamplesRoundTrip decodes every official OCPI 2.2.1 example into its Go type, validates it
// (the ones the manifest marks invalid must fail), re-encodes it and validates the output against
// the JSON schema.
func TestOCPIExamplesRoundTrip(t *testing.T) {
	dir := sharedTestdata(t, "ocpi-examples")
	schema := loadSchema(t)
	manifestBytes, err := os.ReadFile(filepath.Join(dir, "MANIFEST.json"))
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Files map[string]exampleEntry `json:"files"`
	}
	if err := json.Unmarshal(manifestBytes, &manifest); err != nil {
		t.Fatal(err)
	}
	if len(manifest.Files) == 0 {
		t.Fatal("empty manifest")
	}
	names := make([]string, 0, len(manifest.Files))
	for name := range manifest.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	var passed, rejected int
	for _, name := range names {
		e := manifest.Files[name]
		t.Run(name, func(t *testing.T) {
			decode, ok := exampleDecoders[e.Def]
			if !ok {
				t.Fatalf("no Go type registered for definition %q", e.Def)
			}
			doc, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if e.Path != "" {
				var parts map[string]json.RawMessage
				if err := json.Unmarshal(doc, &parts); err != nil {
					t.Fatal(err)
				}
				if doc, ok = parts[e.Path]; !ok {
					t.Fatalf("no %q in the file", e.Path)
				}
			}
			val, err := decode(doc, e.Envelope, e.List)
			if e.Expect == "invalid" {
				if err == nil {
					t.Fatalf("known-invalid example passed (%s)", e.Reason)
				}
				t.Logf("rejected as expected: %v", err)
				rejected++
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", e.Def, err)
			}
			out, err := json.Marshal(val)
			if err != nil {
				t.Fatal(err)
			}
			if err := validateExampleOutput(schema, e, out); err != nil {
				t.Fatalf("re-encoded JSON does not match the schema: %v\n%s", err, out)
			}
			passed++
		})
	}
	t.Logf("%d examples decoded, validated and re-encoded to schema-valid JSON; %d known-invalid examples rejected", passed, rejected)
}

// validateExampleOutput checks re-encoded example JSON against the schema: the envelope against
// OCPIResponse, and the object (or every list item) against the entry's definition.
func validateExampleOutput(s *ocpiSchema, e exampleEntry, out []byte) error {
	data := out
	if e.Envelope {
		if err := s.validate("OCPIResponse", out); err != nil {
			return fmt.Errorf("envelope: %w", err)
		}
		var raw RawResponse
		if err := json.Unmarshal(out, &raw); err != nil {
			return err
		}
		data = raw.Data
	}
	if !e.List {
		return s.validate(e.Def, data)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		return err
	}
	for i, item := range items {
		if err := s.validate(e.Def, item); err != nil {
			return fmt.Errorf("item %d: %w", i, err)
		}
	}
	return nil
}

// TestInvalidEVSEExampleReasons shows that Validate, not only the decoder, rejects
// location_put_example_add_evse.json for the reasons the manifest gives: with the wrongly typed
// physical_reference and the misnamed "floor" removed it decodes, and its connector lacks the
// required power_type, max_voltage, max_amperage and last_updated.
func TestInvalidEVSEExampleReasons(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(sharedTestdata(t, "ocpi-examples"), "location_put_example_add_evse.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "physical_reference")
	delete(m, "floor")
	fixed, _ := json.Marshal(m)
	var e EVSE
	if err := json.Unmarshal(fixed, &e); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, ve := range validationErrors(t, e.Validate()) {
		got[ve.Path] = true
	}
	for _, f := range []string{"power_type", "max_voltage", "max_amperage", "last_updated"} {
		if !got["evse.connectors[0]."+f] {
			t.Errorf("missing connector %s not reported; got %v", f, got)
		}
	}
}
