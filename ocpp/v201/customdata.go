package v201

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"unicode/utf8"
)

// customDataVendorIDMax is the schema's maxLength of customData.vendorId.
const customDataVendorIDMax = 255

// CustomData is the 2.0.1 CustomDataType, the one open object of the schemas: a required
// vendorId (at most 255 characters) plus any vendor-specific keys. Every object of every
// 2.0.1 message may carry one as its optional customData member.
//
// Package wire cannot express an open object (in strict mode an unknown key is a
// FormationViolation), so CustomData implements json.Unmarshaler: wire checks the JSON
// syntax and hands the value to UnmarshalJSON, which enforces the schema in both modes
// (an object, no duplicate keys, vendorId present and a string of at most 255
// characters). wire reports any failure as a TypeViolation at the customData path. The
// vendor keys are kept verbatim in Extra and written back after vendorId, sorted by key.
type CustomData struct {
	VendorID string
	// Extra holds every key but vendorId with its raw JSON value; nil when there is none.
	Extra map[string]json.RawMessage
}

// MarshalJSON writes {"vendorId":...} followed by the Extra members in key order. An
// Extra key "vendorId" or an empty raw value is an error.
func (c CustomData) MarshalJSON() ([]byte, error) {
	vid, err := json.Marshal(c.VendorID)
	if err != nil {
		return nil, err
	}
	b := append([]byte(`{"vendorId":`), vid...)
	for _, k := range slices.Sorted(maps.Keys(c.Extra)) {
		raw := c.Extra[k]
		if k == "vendorId" {
			return nil, errors.New("customData: Extra must not hold vendorId")
		}
		if len(raw) == 0 {
			return nil, fmt.Errorf("customData: Extra[%q] is empty", k)
		}
		key, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		b = append(b, ',')
		b = append(b, key...)
		b = append(b, ':')
		b = append(b, raw...)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON decodes a customData object, checking it against the schema (see
// CustomData). JSON null leaves c unchanged, as encoding/json expects.
func (c *CustomData) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil {
		return err
	} else if tok != json.Delim('{') {
		return errors.New("expected an object")
	}
	out := CustomData{}
	hasVendorID := false
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if seen[key] {
			return fmt.Errorf("duplicate key %q", key)
		}
		seen[key] = true
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		if key != "vendorId" {
			if out.Extra == nil {
				out.Extra = map[string]json.RawMessage{}
			}
			out.Extra[key] = raw
			continue
		}
		if len(raw) == 0 || raw[0] != '"' {
			return fmt.Errorf("vendorId: expected a string, got %.32s", raw)
		}
		if err := json.Unmarshal(raw, &out.VendorID); err != nil {
			return fmt.Errorf("vendorId: %w", err)
		}
		if utf8.RuneCountInString(out.VendorID) > customDataVendorIDMax {
			return fmt.Errorf("vendorId: longer than %d characters", customDataVendorIDMax)
		}
		hasVendorID = true
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return err
	}
	if !hasVendorID {
		return errors.New("vendorId: required field missing")
	}
	*c = out
	return nil
}
