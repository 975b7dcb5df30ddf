package ocpi

import (
	"bytes"
	"database/sql/driver"
	"fmt"

	"github.com/shopspring/decimal"
)

// maxExponent bounds the decimal exponent accepted from JSON. It keeps a hostile peer from making
// the hub print or multiply numbers such as 1e999999999, which would take gigabytes.
const maxExponent = 64

// Decimal is an OCPI "number": an exact decimal that marshals as a plain JSON number (for example
// 0.25 or 1200, never "0.25" and never 1.2e3) and unmarshals from a JSON number or, to tolerate
// lenient peers, from a quoted numeric string.
//
// A Decimal also records whether it holds a value: the zero Decimal is "absent". Validate reports a
// required number that was absent from the JSON as "required". Build present values with
// [NewDecimal], [DecimalFromInt], [ParseDecimal] or [MustDecimal]; a struct literal that leaves a
// required Decimal out is treated as missing, exactly like JSON that leaves it out. An absent
// Decimal still marshals (as 0) and computes as 0.
//
// The shopspring/decimal package-level MarshalJSONWithoutQuotes setting is neither read nor
// changed: Decimal has its own MarshalJSON.
type Decimal struct {
	decimal.Decimal
	set bool
}

// NewDecimal wraps d as a present Decimal.
func NewDecimal(d decimal.Decimal) Decimal { return Decimal{Decimal: d, set: true} }

// DecimalFromInt returns the present Decimal i.
func DecimalFromInt(i int64) Decimal { return NewDecimal(decimal.NewFromInt(i)) }

// ParseDecimal parses a decimal number such as "0.25", "-3" or "1.5e2".
func ParseDecimal(s string) (Decimal, error) {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return Decimal{}, fmt.Errorf("ocpi: invalid number %q", s)
	}
	if e := d.Exponent(); e > maxExponent || e < -maxExponent {
		return Decimal{}, fmt.Errorf("ocpi: number %q out of range", s)
	}
	return NewDecimal(d), nil
}

// MustDecimal is ParseDecimal for constants in code and tests; it panics on a malformed number.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsSet reports whether the Decimal holds a value (it was present in the JSON or built with a
// constructor of this package).
func (d Decimal) IsSet() bool { return d.set }

// Ptr returns a pointer to a copy of d, for optional fields.
func (d Decimal) Ptr() *Decimal { return &d }

// MarshalJSON prints the number in plain decimal notation.
func (d Decimal) MarshalJSON() ([]byte, error) {
	return []byte(d.Decimal.String()), nil
}

// UnmarshalJSON reads a JSON number, a quoted number (lenient peers) or null (absent).
func (d *Decimal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*d = Decimal{}
		return nil
	}
	s := string(b)
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		s = string(bytes.TrimSpace(b[1 : len(b)-1]))
	}
	v, err := ParseDecimal(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Scan implements sql.Scanner so a Decimal read from a database counts as present.
func (d *Decimal) Scan(value any) error {
	if value == nil {
		*d = Decimal{}
		return nil
	}
	if err := d.Decimal.Scan(value); err != nil {
		return fmt.Errorf("ocpi: scan decimal: %w", err)
	}
	d.set = true
	return nil
}

// Value implements driver.Valuer; an absent Decimal is stored as NULL.
func (d Decimal) Value() (driver.Value, error) {
	if !d.set {
		return nil, nil
	}
	return d.Decimal.String(), nil
}
