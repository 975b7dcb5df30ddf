package wire

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// maxDepth bounds JSON nesting (payloads are shallow; this protects the stack).
const maxDepth = 64

// Decode parses data (an OCPP-J payload: one JSON object) into v, a non-nil pointer to a
// struct, checking it against the struct's json/ocpp tags. v is zeroed first; after an
// error its contents are unspecified.
//
// Both modes reject: anything but one JSON object, malformed JSON, duplicate keys
// (FormationViolation); a missing or null required field, too few/many array items
// (OccurrenceViolation); a wrong JSON type (TypeViolation; 5.0 is a valid integer, 5.5
// is not); an unknown enum value without fallback/keepraw, a number out of range, a bad
// date-time or URI (PropertyViolation).
//
// Lenient mode (opt.Strict false) applies these leniencies, each reported as a Warning:
// null for an optional field is treated as absent (null_field); an unknown key is
// ignored (extra_field); a JSON number for a string becomes its canonical decimal text
// (type_number_value); a numeric string for a number is parsed (type_string_number); an
// enum in the wrong case is canonicalised (enum_case), an unknown one takes the fallback
// or is kept raw (enum_unknown); a string over max is kept in full (too_long); a
// multipleOf miss is accepted (multiple_of); date-times with "+hhmm"/"+hh" offsets
// (ts_offset_form), no offset (read as UTC, ts_no_zone) or a space for "T"
// (ts_separator) are accepted. Strict mode turns each of these into a Violation.
// Date-times are always converted to UTC and truncated to milliseconds.
//
// Schema violations are returned as *Violation (use errors.As); the warnings gathered
// up to that point are returned with it. Any other error means v or its type's tags are
// unusable (a programming error).
//
// # Struct tags
//
// JSON names come from the usual `json:"name,omitempty"` tag; omitempty is allowed on
// optional fields only (a required field with omitempty is rejected as a programming
// error, see ocpp-field-quirks.md §21). Schema rules go into an `ocpp:"..."` tag as a
// comma-separated list:
//
//	required       the key must be present (and not null)
//	max=N          string: at most N characters (runes); slice: at most N items
//	min=N          number: inclusive minimum; slice: at least N items (minItems)
//	maxv=N         number: inclusive maximum
//	uri            string: absolute URI with a scheme
//	mult=0.1       number: multipleOf (float tolerance applied)
//	fallback=V     enum: in lenient mode an unknown value becomes V (Warning enum_unknown)
//	keepraw        enum: in lenient mode an unknown value is kept verbatim (Warning enum_unknown)
//	itemmax=N      slice of strings: each item at most N characters (schema "each: maxLength")
//
// On slice fields uri, mult, maxv, fallback and keepraw apply to every item.
// Enum types are named string types implementing interface{ EnumValues() []string };
// membership is checked for every field (or slice item) of such a type. Optional numbers,
// bools, objects and DateTimes are pointers; optional strings and slices use omitempty.
//
// # Supported Go types
//
// string and named string types, all int/uint kinds, float32/float64, bool, DateTime,
// structs (embedded non-pointer structs are flattened like encoding/json does), pointers
// and slices of these, and json.RawMessage (kept verbatim). Any other type (maps,
// interfaces, types with their own UnmarshalJSON) is handed to encoding/json without
// schema checks.
func Decode(data []byte, v any, opt Options) ([]Warning, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("wire: Decode needs a non-nil pointer to a struct, got %T", v)
	}
	c, err := codecFor(rv.Elem().Type())
	if err != nil {
		return nil, err
	}
	d := decoder{data: data, strict: opt.Strict, reject: opt.Reject}
	if vio := d.run(c, rv.Elem()); vio != nil {
		return d.warns, vio
	}
	return d.warns, nil
}

// decoder walks the JSON bytes once, filling a reflect.Value as it goes.
type decoder struct {
	data   []byte
	pos    int
	strict bool
	reject []string // leniency flags refused even in lenient mode
	out    bool     // validating an outgoing value (Validate)
	depth  int
	warns  []Warning
	path   []seg
}

// rejects reports whether the leniency flag is refused: always in strict mode, and for the
// flags listed in Options.Reject.
func (d *decoder) rejects(flag string) bool {
	if d.strict {
		return true
	}
	for _, f := range d.reject {
		if f == flag {
			return true
		}
	}
	return false
}

// seg is one step of the current path: a member name (index < 0) or an array index.
type seg struct {
	name  string
	index int
}

func nameSeg(name string) seg { return seg{name: name, index: -1} }

func (d *decoder) run(c *codec, v reflect.Value) *Violation {
	v.SetZero()
	d.path = make([]seg, 0, 8)
	d.skipWS()
	if d.pos >= len(d.data) || d.data[d.pos] != '{' {
		return &Violation{Kind: FormationViolation, Msg: "payload must be a JSON object"}
	}
	if vio := d.object(c, v); vio != nil {
		if vio.Kind != FormationViolation && !json.Valid(d.data) {
			return &Violation{Kind: FormationViolation, Msg: "malformed JSON"}
		}
		return vio
	}
	d.skipWS()
	if d.pos != len(d.data) {
		return &Violation{Kind: FormationViolation, Msg: "unexpected data after the payload object"}
	}
	return nil
}

func (d *decoder) push(s seg) { d.path = append(d.path, s) }
func (d *decoder) pop()       { d.path = d.path[:len(d.path)-1] }

func (d *decoder) pathString() string {
	var b strings.Builder
	for i, s := range d.path {
		if s.index >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.name)
	}
	return b.String()
}

func (d *decoder) fail(k ViolationKind, format string, args ...any) *Violation {
	return &Violation{Kind: k, Path: d.pathString(), Msg: fmt.Sprintf(format, args...)}
}

func (d *decoder) warn(flag, raw string) {
	d.warns = append(d.warns, Warning{Path: d.pathString(), Flag: flag, Raw: raw})
}

func (d *decoder) skipWS() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// peek returns the next byte, or 0 at the end of input.
func (d *decoder) peek() byte {
	if d.pos < len(d.data) {
		return d.data[d.pos]
	}
	return 0
}

// object decodes a JSON object (d.data[d.pos] == '{') into the struct v.
func (d *decoder) object(c *codec, v reflect.Value) *Violation {
	d.pos++
	if d.depth++; d.depth > maxDepth {
		return d.fail(FormationViolation, "nesting too deep")
	}
	var seen [maxFields / 64]uint64
	var extra []string
	d.skipWS()
	if d.peek() == '}' {
		d.pos++
	} else {
		for {
			d.skipWS()
			if d.peek() != '"' {
				return d.fail(FormationViolation, "expected a member name")
			}
			raw, esc, high, vio := d.scanString()
			if vio != nil {
				return vio
			}
			d.skipWS()
			if d.peek() != ':' {
				return d.fail(FormationViolation, "expected ':' after a member name")
			}
			d.pos++
			d.skipWS()
			var fi int
			var name string
			if esc || high {
				name = decodeString(raw, esc, high)
				fi = c.lookupString(name)
			} else if fi = c.lookup(raw); fi < 0 {
				name = string(raw)
			}
			if fi < 0 {
				if vio := d.extraMember(name, &extra); vio != nil {
					return vio
				}
			} else {
				f := &c.fields[fi]
				d.push(nameSeg(f.name))
				if seen[fi/64]&(1<<(fi%64)) != 0 {
					return d.fail(FormationViolation, "duplicate key")
				}
				seen[fi/64] |= 1 << (fi % 64)
				if vio := d.member(f, v); vio != nil {
					return vio
				}
				d.pop()
			}
			d.skipWS()
			switch d.peek() {
			case ',':
				d.pos++
				continue
			case '}':
				d.pos++
			default:
				return d.fail(FormationViolation, "expected ',' or '}' in object")
			}
			break
		}
	}
	d.depth--
	for i := range c.fields {
		if c.fields[i].rules.required && seen[i/64]&(1<<(i%64)) == 0 {
			d.push(nameSeg(c.fields[i].name))
			return d.fail(OccurrenceViolation, "required field missing")
		}
	}
	return nil
}

// extraMember handles a member whose name is not in the struct.
func (d *decoder) extraMember(name string, extra *[]string) *Violation {
	d.push(nameSeg(name))
	if slices.Contains(*extra, name) {
		return d.fail(FormationViolation, "duplicate key")
	}
	*extra = append(*extra, name)
	start := d.pos
	if vio := d.skipValue(); vio != nil {
		return vio
	}
	if d.rejects(FlagExtraField) {
		return d.fail(FormationViolation, "unknown field")
	}
	raw := d.data[start:d.pos]
	if len(raw) > 256 {
		raw = raw[:256]
	}
	d.warn(FlagExtraField, string(raw))
	d.pop()
	return nil
}

// member decodes the value of a known field, handling null.
func (d *decoder) member(f *field, v reflect.Value) *Violation {
	if d.peek() == 'n' {
		if vio := d.literal("null"); vio != nil {
			return vio
		}
		switch {
		case f.rules.required:
			return d.fail(OccurrenceViolation, "required field is null")
		case d.rejects(FlagNullField):
			return d.fail(TypeViolation, "null is not allowed; omit the field")
		}
		d.warn(FlagNullField, "null")
		return nil
	}
	var fv reflect.Value
	if len(f.index) == 1 {
		fv = v.Field(f.index[0])
	} else {
		fv = v.FieldByIndex(f.index)
	}
	if f.codec.kind == kindSlice || (f.codec.kind == kindPtr && f.codec.elem.kind == kindSlice) {
		return d.sliceField(f, fv)
	}
	return d.value(f.codec, &f.rules, f.rules.required, fv)
}

// sliceField decodes an array field and checks its item count.
func (d *decoder) sliceField(f *field, v reflect.Value) *Violation {
	c := f.codec
	if c.kind == kindPtr {
		if v.IsNil() {
			v.Set(reflect.New(c.elem.typ))
		}
		v, c = v.Elem(), c.elem
	}
	if d.peek() != '[' {
		return d.typeError("array")
	}
	n, vio := d.array(c, f.item, v)
	if vio != nil {
		return vio
	}
	if f.rules.hasMin && float64(n) < f.rules.min {
		return d.fail(OccurrenceViolation, "at least %v items required, got %d", f.rules.min, n)
	}
	if f.rules.max >= 0 && n > f.rules.max {
		return d.fail(OccurrenceViolation, "at most %d items allowed, got %d", f.rules.max, n)
	}
	return nil
}

// array decodes a JSON array (d.data[d.pos] == '[') into the slice v and returns its length.
func (d *decoder) array(c *codec, item *rules, v reflect.Value) (int, *Violation) {
	d.pos++
	if d.depth++; d.depth > maxDepth {
		return 0, d.fail(FormationViolation, "nesting too deep")
	}
	d.skipWS()
	n := 0
	if d.peek() == ']' {
		d.pos++
		v.Set(reflect.MakeSlice(c.typ, 0, 0))
	} else {
		if v.IsNil() {
			v.Set(reflect.MakeSlice(c.typ, 0, 4))
		}
		for {
			d.skipWS()
			if n == v.Cap() {
				v.Grow(1)
			}
			v.SetLen(n + 1)
			d.push(seg{index: n})
			if vio := d.value(c.elem, item, false, v.Index(n)); vio != nil {
				return 0, vio
			}
			d.pop()
			n++
			d.skipWS()
			switch d.peek() {
			case ',':
				d.pos++
				continue
			case ']':
				d.pos++
			default:
				return 0, d.fail(FormationViolation, "expected ',' or ']' in array")
			}
			break
		}
	}
	d.depth--
	return n, nil
}

// value decodes one JSON value into v according to c and the field rules r.
func (d *decoder) value(c *codec, r *rules, required bool, v reflect.Value) *Violation {
	ch := d.peek()
	switch c.kind {
	case kindPtr:
		if ch == 'n' {
			return d.typeError(jsonKindOf(c.elem))
		}
		if v.IsNil() {
			v.Set(reflect.New(c.elem.typ))
		}
		return d.value(c.elem, r, required, v.Elem())
	case kindStruct:
		if ch != '{' {
			return d.typeError("object")
		}
		return d.object(c, v)
	case kindSlice:
		if ch != '[' {
			return d.typeError("array")
		}
		_, vio := d.array(c, &rules{max: -1, itemMax: -1}, v)
		return vio
	case kindString:
		return d.stringValue(r, v)
	case kindEnum:
		return d.enumValue(c, r, v)
	case kindInt, kindUint, kindFloat:
		return d.numberValue(c, r, v)
	case kindBool:
		switch ch {
		case 't':
			v.SetBool(true)
			return d.literal("true")
		case 'f':
			v.SetBool(false)
			return d.literal("false")
		}
		return d.typeError("boolean")
	case kindDateTime:
		return d.dateTimeValue(required, v)
	case kindRaw:
		start := d.pos
		if vio := d.skipValue(); vio != nil {
			return vio
		}
		v.SetBytes(slices.Clone(d.data[start:d.pos]))
		return nil
	default: // kindJSON
		start := d.pos
		if vio := d.skipValue(); vio != nil {
			return vio
		}
		if err := json.Unmarshal(d.data[start:d.pos], v.Addr().Interface()); err != nil {
			return d.fail(TypeViolation, "%v", err)
		}
		return nil
	}
}

// jsonKindOf names the JSON type expected for c, for error messages.
func jsonKindOf(c *codec) string {
	switch c.kind {
	case kindString, kindEnum, kindDateTime:
		return "string"
	case kindInt, kindUint:
		return "integer"
	case kindFloat:
		return "number"
	case kindBool:
		return "boolean"
	case kindStruct:
		return "object"
	case kindSlice:
		return "array"
	case kindPtr:
		return jsonKindOf(c.elem)
	}
	return "value"
}

// typeError reports the JSON value at d.pos as not being of the wanted type. An invalid
// JSON start character is a FormationViolation.
func (d *decoder) typeError(want string) *Violation {
	var got string
	switch ch := d.peek(); {
	case ch == '{':
		got = "object"
	case ch == '[':
		got = "array"
	case ch == '"':
		got = "string"
	case ch == 't' || ch == 'f':
		got = "boolean"
	case ch == 'n':
		got = "null"
	case ch == '-' || (ch >= '0' && ch <= '9'):
		got = "number"
	default:
		return d.fail(FormationViolation, "invalid JSON value")
	}
	return d.fail(TypeViolation, "expected %s, got %s", want, got)
}

func (c *codec) lookup(name []byte) int {
	for i := range c.fields {
		if string(name) == c.fields[i].name {
			return i
		}
	}
	return -1
}

func (c *codec) lookupString(name string) int {
	for i := range c.fields {
		if name == c.fields[i].name {
			return i
		}
	}
	return -1
}
