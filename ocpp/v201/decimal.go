package v201

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/chargehub/hub/ocpp/wire"
)

// Decimal is a 2.0.1 JSON number kept as its exact decimal text ("604.2130" stays
// "604.2130", "1.5e3" stays "1.5e3"), so meter readings and costs are never rounded
// through float64. Parse the text with a decimal library for arithmetic.
//
// The zero Decimal means 0 and is sent as 0. Decimals are built by ParseDecimal or
// DecimalFromFloat, or decoded.
//
// wire hands Decimal to its UnmarshalJSON (it implements json.Unmarshaler), which accepts
// a JSON number, and also a JSON string holding exactly a JSON number ("12.5"): that
// leniency applies in strict mode too, because wire does not pass the mode to such types;
// Flag then reports wire.FlagTypeStringNumber so the caller can warn (see
// ocpp-field-quirks.md §0.2: a transaction message must not be refused for it). Anything
// else (other strings, NaN, booleans, objects) is a TypeViolation.
type Decimal struct {
	text string
	flag string
}

// ParseDecimal returns the Decimal of s, which must be a JSON number literal
// ("-12.5", "0", "1e3"; not "+1", ".5", "1.", " 1" or "NaN").
func ParseDecimal(s string) (Decimal, error) {
	if !isJSONNumber(s) {
		return Decimal{}, fmt.Errorf("v201: %q is not a JSON number", s)
	}
	return Decimal{text: s}, nil
}

// DecimalFromFloat returns the shortest decimal text that reads back as f. NaN and
// infinities are not numbers in JSON and yield an error.
func DecimalFromFloat(f float64) (Decimal, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Decimal{}, fmt.Errorf("v201: %v is not a JSON number", f)
	}
	return Decimal{text: strconv.FormatFloat(f, 'f', -1, 64)}, nil
}

// String returns the decimal text ("0" for the zero Decimal).
func (d Decimal) String() string {
	if d.text == "" {
		return "0"
	}
	return d.text
}

// Float64 returns the value as a float64 (rounded; ±Inf for out-of-range exponents).
func (d Decimal) Float64() float64 {
	f, _ := strconv.ParseFloat(d.String(), 64)
	return f
}

// Flag is "" for a value received as a JSON number (or built in Go), and
// wire.FlagTypeStringNumber for one received as a numeric string.
func (d Decimal) Flag() string { return d.flag }

// MarshalJSON writes the decimal text as a JSON number.
func (d Decimal) MarshalJSON() ([]byte, error) {
	s := d.String()
	if !isJSONNumber(s) {
		return nil, fmt.Errorf("v201: Decimal %q is not a JSON number", s)
	}
	return []byte(s), nil
}

// UnmarshalJSON accepts a JSON number, or a string holding exactly one (flagged, see
// Decimal). JSON null leaves d unchanged, as encoding/json expects.
func (d *Decimal) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case string(data) == "null":
		return nil
	case len(data) > 0 && data[0] == '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		if !isJSONNumber(s) {
			return fmt.Errorf("expected number, got non-numeric string %.32q", s)
		}
		*d = Decimal{text: s, flag: wire.FlagTypeStringNumber}
		return nil
	case isJSONNumber(string(data)):
		*d = Decimal{text: string(data)}
		return nil
	}
	return fmt.Errorf("expected number, got %.32s", data)
}

// isJSONNumber reports whether s is exactly one JSON number literal.
func isJSONNumber(s string) bool {
	if s == "" || !(s[0] == '-' || (s[0] >= '0' && s[0] <= '9')) {
		return false
	}
	if last := s[len(s)-1]; last < '0' || last > '9' {
		return false
	}
	return json.Valid([]byte(s))
}
