package wire

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// kind is how the decoder treats a Go type.
type kind uint8

const (
	kindString kind = iota + 1
	kindEnum
	kindInt
	kindUint
	kindFloat
	kindBool
	kindDateTime
	kindStruct
	kindPtr
	kindSlice
	kindRaw  // json.RawMessage: kept verbatim
	kindJSON // anything else: handed to encoding/json
)

// maxFields bounds the fields of one struct (the decoder tracks them in a bitset).
const maxFields = 128

// codec is the cached decoding plan of one Go type.
type codec struct {
	typ    reflect.Type
	kind   kind
	enum   []string // kindEnum: allowed values, schema order
	elem   *codec   // kindPtr, kindSlice
	fields []field  // kindStruct
}

// field is one JSON member of a struct.
type field struct {
	name  string
	index []int
	codec *codec
	rules rules
	item  *rules // rules for the items of a slice field
}

// rules are the schema constraints of one field (or of the items of a slice field).
type rules struct {
	required  bool
	omitempty bool
	max       int // -1: none
	itemMax   int // -1: none
	min       float64
	hasMin    bool
	maxv      float64
	hasMaxv   bool
	uri       bool
	mult      float64 // 0: none
	fallback  string
	keepRaw   bool
}

var (
	enumerType    = reflect.TypeFor[interface{ EnumValues() []string }]()
	unmarshalType = reflect.TypeFor[json.Unmarshaler]()
	dateTimeType  = reflect.TypeFor[DateTime]()
	rawType       = reflect.TypeFor[json.RawMessage]()
)

// codecs caches *codec by reflect.Type. Plans are built under buildMu and published
// only when complete, so readers never see a half-built plan.
var (
	codecs  sync.Map
	buildMu sync.Mutex
)

// codecFor returns the plan of t, building and caching it on first use. An error means
// the type or its tags are unusable (a programming error, not a payload problem).
func codecFor(t reflect.Type) (*codec, error) {
	if c, ok := codecs.Load(t); ok {
		return c.(*codec), nil
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	if c, ok := codecs.Load(t); ok {
		return c.(*codec), nil
	}
	b := builder{seen: map[reflect.Type]*codec{}}
	c, err := b.build(t)
	if err != nil {
		return nil, err
	}
	for typ, bc := range b.seen {
		codecs.Store(typ, bc)
	}
	return c, nil
}

type builder struct {
	seen map[reflect.Type]*codec
}

func (b *builder) build(t reflect.Type) (*codec, error) {
	if c, ok := b.seen[t]; ok {
		return c, nil // recursive type: the pointer is filled in by the outer call
	}
	c := &codec{typ: t}
	b.seen[t] = c
	switch {
	case t == dateTimeType:
		c.kind = kindDateTime
		return c, nil
	case t == rawType:
		c.kind = kindRaw
		return c, nil
	case t.Kind() == reflect.String && (t.Implements(enumerType) || reflect.PointerTo(t).Implements(enumerType)):
		c.kind = kindEnum
		var vals []string
		if t.Implements(enumerType) {
			vals = reflect.Zero(t).Interface().(interface{ EnumValues() []string }).EnumValues()
		} else {
			vals = reflect.New(t).Interface().(interface{ EnumValues() []string }).EnumValues()
		}
		if len(vals) == 0 {
			return nil, fmt.Errorf("wire: enum type %v has no values", t)
		}
		c.enum = slices.Clone(vals)
		return c, nil
	case reflect.PointerTo(t).Implements(unmarshalType) && t.Kind() != reflect.Pointer:
		c.kind = kindJSON
		return c, nil
	}
	switch t.Kind() {
	case reflect.String:
		c.kind = kindString
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		c.kind = kindInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		c.kind = kindUint
	case reflect.Float32, reflect.Float64:
		c.kind = kindFloat
	case reflect.Bool:
		c.kind = kindBool
	case reflect.Pointer:
		c.kind = kindPtr
		elem, err := b.build(t.Elem())
		if err != nil {
			return nil, err
		}
		c.elem = elem
	case reflect.Slice:
		c.kind = kindSlice
		elem, err := b.build(t.Elem())
		if err != nil {
			return nil, err
		}
		c.elem = elem
	case reflect.Struct:
		c.kind = kindStruct
		if err := b.structFields(c, t, nil); err != nil {
			return nil, err
		}
		if len(c.fields) > maxFields {
			return nil, fmt.Errorf("wire: %v has more than %d fields", t, maxFields)
		}
	default:
		c.kind = kindJSON
	}
	return c, nil
}

// structFields appends the JSON members of t (flattening embedded structs) to c.fields.
func (b *builder) structFields(c *codec, t reflect.Type, prefix []int) error {
	for i := range t.NumField() {
		sf := t.Field(i)
		jsonTag := sf.Tag.Get("json")
		if jsonTag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(jsonTag, ",")
		index := append(slices.Clone(prefix), i)
		if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct {
			if err := b.structFields(c, sf.Type, index); err != nil {
				return err
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		r, err := parseRules(sf.Tag.Get("ocpp"))
		if err != nil {
			return fmt.Errorf("wire: %v.%s: %w", t, sf.Name, err)
		}
		r.omitempty = slices.Contains(strings.Split(opts, ","), "omitempty")
		if r.required && r.omitempty {
			return fmt.Errorf("wire: %v.%s: a required field must not be omitempty", t, sf.Name)
		}
		fc, err := b.build(sf.Type)
		if err != nil {
			return err
		}
		f := field{name: name, index: index, codec: fc, rules: r}
		if err := checkRules(&f); err != nil {
			return fmt.Errorf("wire: %v.%s: %w", t, sf.Name, err)
		}
		for _, g := range c.fields {
			if g.name == name {
				return fmt.Errorf("wire: %v: duplicate JSON name %q", t, name)
			}
		}
		c.fields = append(c.fields, f)
	}
	return nil
}

// parseRules parses an ocpp struct tag.
func parseRules(tag string) (rules, error) {
	r := rules{max: -1, itemMax: -1}
	if tag == "" {
		return r, nil
	}
	for _, part := range strings.Split(tag, ",") {
		key, val, hasVal := strings.Cut(strings.TrimSpace(part), "=")
		var err error
		switch key {
		case "required":
			r.required = true
		case "uri":
			r.uri = true
		case "keepraw":
			r.keepRaw = true
		case "max":
			r.max, err = strconv.Atoi(val)
		case "itemmax":
			r.itemMax, err = strconv.Atoi(val)
		case "min":
			r.min, err = strconv.ParseFloat(val, 64)
			r.hasMin = true
		case "maxv":
			r.maxv, err = strconv.ParseFloat(val, 64)
			r.hasMaxv = true
		case "mult":
			r.mult, err = strconv.ParseFloat(val, 64)
			if err == nil && r.mult <= 0 {
				err = fmt.Errorf("must be positive")
			}
		case "fallback":
			r.fallback = val
			if val == "" {
				err = fmt.Errorf("empty value")
			}
		default:
			return r, fmt.Errorf("unknown ocpp rule %q", key)
		}
		if err != nil {
			return r, fmt.Errorf("ocpp rule %q: %w", part, err)
		}
		if !hasVal && slices.Contains([]string{"max", "itemmax", "min", "maxv", "mult", "fallback"}, key) {
			return r, fmt.Errorf("ocpp rule %q needs a value", key)
		}
	}
	return r, nil
}

// checkRules verifies that the rules fit the field's type and derives the item rules of
// slice fields.
func checkRules(f *field) error {
	c := f.codec
	if c.kind == kindPtr {
		c = c.elem
	}
	target := c // the codec the value rules apply to
	if c.kind == kindSlice {
		item := rules{max: f.rules.itemMax, itemMax: -1, uri: f.rules.uri, mult: f.rules.mult,
			maxv: f.rules.maxv, hasMaxv: f.rules.hasMaxv, fallback: f.rules.fallback, keepRaw: f.rules.keepRaw}
		f.item = &item
		target = c.elem
		if target.kind == kindPtr {
			target = target.elem
		}
	} else {
		f.item = &rules{max: -1, itemMax: -1}
		if f.rules.itemMax >= 0 {
			return fmt.Errorf("itemmax on a non-slice field")
		}
	}
	isNum := target.kind == kindInt || target.kind == kindUint || target.kind == kindFloat
	isStr := target.kind == kindString || target.kind == kindEnum
	switch {
	case f.rules.uri && target.kind != kindString:
		return fmt.Errorf("uri on a non-string field")
	case f.rules.mult != 0 && !isNum, f.rules.hasMaxv && !isNum:
		return fmt.Errorf("numeric rule on a non-number field")
	case f.rules.hasMin && !isNum && c.kind != kindSlice:
		return fmt.Errorf("min on a field that is neither number nor slice")
	case f.rules.max >= 0 && !isStr && c.kind != kindSlice:
		return fmt.Errorf("max on a field that is neither string nor slice")
	case f.rules.itemMax >= 0 && !isStr:
		return fmt.Errorf("itemmax on a slice whose items are not strings")
	case (f.rules.fallback != "" || f.rules.keepRaw) && target.kind != kindEnum:
		return fmt.Errorf("fallback/keepraw on a non-enum field")
	case f.rules.fallback != "" && !slices.Contains(target.enum, f.rules.fallback):
		return fmt.Errorf("fallback %q is not a value of %v", f.rules.fallback, target.typ)
	}
	return nil
}
