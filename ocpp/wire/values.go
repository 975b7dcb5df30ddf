package wire

import (
	"math"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Decoders of scalar values: strings, enums, numbers and date-times.

// stringValue decodes a string field (a JSON number is coerced in lenient mode).
func (d *decoder) stringValue(r *rules, v reflect.Value) *Violation {
	var s string
	switch ch := d.peek(); {
	case ch == '"':
		raw, esc, high, vio := d.scanString()
		if vio != nil {
			return vio
		}
		s = decodeString(raw, esc, high)
	case ch == '-' || (ch >= '0' && ch <= '9'):
		lit, vio := d.scanNumber()
		if vio != nil {
			return vio
		}
		if d.rejects(FlagTypeNumberValue) {
			return d.fail(TypeViolation, "expected string, got number")
		}
		canon, ok := canonicalDecimal(lit)
		if !ok {
			return d.fail(TypeViolation, "expected string, got a number too large to convert")
		}
		d.warn(FlagTypeNumberValue, string(lit))
		s = canon
	default:
		return d.typeError("string")
	}
	if r.max >= 0 && utf8.RuneCountInString(s) > r.max {
		if d.rejects(FlagTooLong) {
			return d.fail(PropertyViolation, "longer than %d characters", r.max)
		}
		d.warn(FlagTooLong, s)
	}
	if r.uri && !isAbsURI(s) {
		return d.fail(PropertyViolation, "not an absolute URI")
	}
	v.SetString(s)
	return nil
}

// isAbsURI reports whether s is an absolute URI with a scheme and no whitespace.
func isAbsURI(s string) bool {
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme != ""
}

// enumValue decodes an enum field, applying enum_case, fallback and keepraw leniencies.
func (d *decoder) enumValue(c *codec, r *rules, v reflect.Value) *Violation {
	if d.peek() != '"' {
		return d.typeError("string")
	}
	raw, esc, high, vio := d.scanString()
	if vio != nil {
		return vio
	}
	if !esc && !high {
		for _, ev := range c.enum {
			if string(raw) == ev {
				v.SetString(ev)
				return nil
			}
		}
	}
	s := decodeString(raw, esc, high)
	if i := slices.Index(c.enum, s); i >= 0 {
		v.SetString(c.enum[i])
		return nil
	}
	if d.strict {
		return d.fail(PropertyViolation, "%q is not a valid %s", s, c.typ.Name())
	}
	for _, ev := range c.enum {
		if strings.EqualFold(s, ev) {
			if d.rejects(FlagEnumCase) {
				return d.fail(PropertyViolation, "%q is not a valid %s (wrong case)", s, c.typ.Name())
			}
			d.warn(FlagEnumCase, s)
			v.SetString(ev)
			return nil
		}
	}
	switch {
	case d.rejects(FlagEnumUnknown):
		return d.fail(PropertyViolation, "%q is not a valid %s", s, c.typ.Name())
	case r.fallback != "":
		d.warn(FlagEnumUnknown, s)
		v.SetString(r.fallback)
	case r.keepRaw:
		d.warn(FlagEnumUnknown, s)
		v.SetString(s)
	default:
		return d.fail(PropertyViolation, "%q is not a valid %s", s, c.typ.Name())
	}
	return nil
}

// numberValue decodes an integer or float field (a numeric string is coerced in lenient mode).
func (d *decoder) numberValue(c *codec, r *rules, v reflect.Value) *Violation {
	var lit []byte
	fromString := false
	switch ch := d.peek(); {
	case ch == '"':
		raw, esc, high, vio := d.scanString()
		if vio != nil {
			return vio
		}
		if d.rejects(FlagTypeStringNumber) {
			return d.typeErrorAt(jsonKindOf(c), "string")
		}
		if esc || high || !validNumber(raw) {
			return d.typeErrorAt(jsonKindOf(c), "non-numeric string")
		}
		lit, fromString = raw, true
	case ch == '-' || (ch >= '0' && ch <= '9'):
		var vio *Violation
		if lit, vio = d.scanNumber(); vio != nil {
			return vio
		}
	default:
		return d.typeError(jsonKindOf(c))
	}
	var f float64
	switch c.kind {
	case kindInt, kindUint:
		n, st := parseInt(lit)
		switch {
		case st == intNotIntegral:
			return d.fail(TypeViolation, "expected integer, got %s", lit)
		case st == intOutOfRange,
			c.kind == kindInt && v.OverflowInt(n),
			c.kind == kindUint && (n < 0 || v.OverflowUint(uint64(n))):
			return d.fail(PropertyViolation, "%s is out of range", lit)
		}
		if c.kind == kindInt {
			v.SetInt(n)
		} else {
			v.SetUint(uint64(n))
		}
		f = float64(n)
	default:
		var err error
		f, err = strconv.ParseFloat(string(lit), 64)
		if err != nil || v.OverflowFloat(f) {
			return d.fail(PropertyViolation, "%s is out of range", lit)
		}
		v.SetFloat(f)
	}
	if r.hasMin && f < r.min {
		return d.fail(PropertyViolation, "%s is below the minimum %v", lit, r.min)
	}
	if r.hasMaxv && f > r.maxv {
		return d.fail(PropertyViolation, "%s is above the maximum %v", lit, r.maxv)
	}
	if r.mult != 0 && !isMultiple(f, r.mult) {
		if d.rejects(FlagMultipleOf) {
			return d.fail(PropertyViolation, "%s is not a multiple of %v", lit, r.mult)
		}
		d.warn(FlagMultipleOf, string(lit))
	}
	if fromString {
		d.warn(FlagTypeStringNumber, string(lit))
	}
	return nil
}

func (d *decoder) typeErrorAt(want, got string) *Violation {
	return d.fail(TypeViolation, "expected %s, got %s", want, got)
}

// isMultiple reports whether f is a multiple of m, with a tolerance for binary floats.
func isMultiple(f, m float64) bool {
	q := f / m
	return math.Abs(q-math.Round(q)) <= 1e-9*math.Max(1, math.Abs(q))
}

// dateTimeValue decodes a DateTime field with the layered lenient parser.
func (d *decoder) dateTimeValue(required bool, v reflect.Value) *Violation {
	if d.peek() != '"' {
		return d.typeError("string")
	}
	raw, esc, high, vio := d.scanString()
	if vio != nil {
		return vio
	}
	if esc || high {
		raw = []byte(decodeString(raw, esc, high))
	}
	t, flag, msg := parseDateTime(raw)
	if msg != "" {
		return d.fail(PropertyViolation, "invalid date-time %q: %s", raw, msg)
	}
	if flag != "" && d.rejects(flag) {
		switch flag {
		case FlagTSNoZone:
			msg = "time zone offset missing"
		case FlagTSOffsetForm:
			msg = "zone offset must be Z or ±hh:mm"
		default:
			msg = "date and time must be separated by T"
		}
		return d.fail(PropertyViolation, "invalid date-time %q: %s", raw, msg)
	}
	if d.out && t.IsZero() {
		if required {
			return d.fail(OccurrenceViolation, "required date-time not set (zero time)")
		}
		return d.fail(PropertyViolation, "date-time is the zero time")
	}
	dt := v.Addr().Interface().(*DateTime)
	*dt = DateTime{Time: t, Flag: flag}
	if flag != "" {
		d.warn(flag, string(raw))
	}
	return nil
}
