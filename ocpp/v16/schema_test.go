package v16

import (
	"bufio"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chargehub/hub/ocpp/wire"
)

// The reference is the shared, generated field table (from the OCA schemas), read in place.
const referenceDoc = "../../../shared/docs/ocpp-1.6-messages.md"

type refField struct {
	path, typ, constraints string
	required               bool
}

type refAction struct {
	direction, profile  string
	req, resp           []refField
	reqEmpty, respEmpty bool
}

type reference struct {
	actions map[string]*refAction
	enums   map[string][]string
}

var (
	indexRow   = regexp.MustCompile(`^\| \[(\w+)\]\(#\w+\) \| ([^|]+) \| ([^|]+) \|`)
	fieldRow   = regexp.MustCompile("^\\| `([^`]+)` \\| ([^|]+) \\| (yes|no) \\| ([^|]*) \\|$")
	payloadHdr = regexp.MustCompile(`^\*\*(\w+) (request|response)\*\*`)
	backticked = regexp.MustCompile("`([^`]+)`")
)

func loadReference(t *testing.T) reference {
	t.Helper()
	f, err := os.Open(referenceDoc)
	if err != nil {
		if os.IsNotExist(err) && os.Getenv("CI") == "" {
			t.Skipf("%s is absent (../shared is not beside the checkout); skipping the field-table check", referenceDoc)
		}
		t.Fatal(err)
	}
	defer f.Close()
	ref := reference{actions: map[string]*refAction{}, enums: map[string][]string{}}
	var cur *refAction
	var side, enumName string
	inEnums := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "## Enumerations":
			inEnums = true
		case inEnums && strings.HasPrefix(line, "### "):
			enumName = strings.TrimPrefix(line, "### ")
		case inEnums && enumName != "" && strings.HasPrefix(line, "`"):
			for _, m := range backticked.FindAllStringSubmatch(line, -1) {
				ref.enums[enumName] = append(ref.enums[enumName], m[1])
			}
			enumName = ""
		case indexRow.MatchString(line):
			m := indexRow.FindStringSubmatch(line)
			ref.actions[m[1]] = &refAction{direction: strings.TrimSpace(m[2]), profile: strings.TrimSpace(m[3])}
		case payloadHdr.MatchString(line):
			m := payloadHdr.FindStringSubmatch(line)
			cur, side = ref.actions[m[1]], m[2]
			if cur == nil {
				t.Fatalf("payload of unindexed action %s", m[1])
			}
		case cur != nil && strings.HasPrefix(line, "_Empty payload"):
			if side == "request" {
				cur.reqEmpty = true
			} else {
				cur.respEmpty = true
			}
		case cur != nil && fieldRow.MatchString(line):
			m := fieldRow.FindStringSubmatch(line)
			rf := refField{path: m[1], typ: strings.TrimSpace(m[2]), required: m[3] == "yes", constraints: strings.TrimSpace(m[4])}
			if side == "request" {
				cur.req = append(cur.req, rf)
			} else {
				cur.resp = append(cur.resp, rf)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(ref.actions) != 39 || len(ref.enums) < 40 {
		t.Fatalf("reference parse: %d actions, %d enums", len(ref.actions), len(ref.enums))
	}
	return ref
}

// goField is a struct field as seen from JSON.
type goField struct {
	sf        reflect.StructField
	name      string
	omitempty bool
	rules     map[string]string
}

func jsonFields(t reflect.Type) []goField {
	var out []goField
	for sf := range t.Fields() {
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		rules := map[string]string{}
		if tag := sf.Tag.Get("ocpp"); tag != "" {
			for _, r := range strings.Split(tag, ",") {
				k, v, _ := strings.Cut(r, "=")
				rules[k] = v
			}
		}
		out = append(out, goField{sf: sf, name: name, omitempty: opts == "omitempty", rules: rules})
	}
	return out
}

// goPaths lists every JSON path of struct type t in the reference's notation.
func goPaths(t reflect.Type, prefix string, out map[string]goField) {
	for _, f := range jsonFields(t) {
		p := prefix + f.name
		ft := f.sf.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Slice {
			p += "[]"
			ft = ft.Elem()
		}
		out[p] = f
		if ft.Kind() == reflect.Struct && ft != reflect.TypeFor[wire.DateTime]() {
			goPaths(ft, p+".", out)
		}
	}
}

func directionOf(s string) Direction {
	switch s {
	case "Charger → CSMS":
		return ToCSMS
	case "CSMS → Charger":
		return ToStation
	case "both directions":
		return Both
	}
	return 0
}

func profileOf(s string) string {
	rest, security := strings.CutPrefix(s, "Security whitepaper: ")
	words := strings.Fields(rest)
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	name := strings.Join(words, "")
	if security && !strings.HasPrefix(name, "Security") {
		name = "Security" + name
	}
	return name
}

// TestAgainstReference checks every message type field by field against the generated
// reference: names, required flags, JSON types, maxLength, uri, multipleOf, minItems,
// date-times, enum types and values, directions and profiles.
func TestAgainstReference(t *testing.T) {
	ref := loadReference(t)
	goEnums := map[string]reflect.Type{}
	for _, m := range Catalogue() {
		ra := ref.actions[m.Action]
		if ra == nil {
			t.Errorf("%s: not in the reference", m.Action)
			continue
		}
		if directionOf(ra.direction) != m.Direction || profileOf(ra.profile) != m.Profile {
			t.Errorf("%s: direction/profile %v/%s, reference %q/%q", m.Action, m.Direction, m.Profile, ra.direction, ra.profile)
		}
		for i, v := range []any{m.NewRequest(), m.NewResponse()} {
			rt := reflect.TypeOf(v).Elem()
			fields, empty := ra.req, ra.reqEmpty
			if i == 1 {
				fields, empty = ra.resp, ra.respEmpty
			}
			paths := map[string]goField{}
			goPaths(rt, "", paths)
			if empty != (len(paths) == 0) || (!empty && len(fields) == 0) {
				t.Errorf("%s: empty payload mismatch", rt.Name())
			}
			for _, rf := range fields {
				gf, ok := paths[rf.path]
				if !ok {
					t.Errorf("%s: missing field %s", rt.Name(), rf.path)
					continue
				}
				delete(paths, rf.path)
				checkField(t, rt.Name()+"."+rf.path, rf, gf, goEnums)
			}
			for p := range paths {
				t.Errorf("%s: field %s is not in the reference", rt.Name(), p)
			}
		}
	}
	for name, vals := range ref.enums {
		et, ok := goEnums[name]
		if !ok {
			t.Errorf("enum %s is not used by any message type", name)
			continue
		}
		got := reflect.Zero(et).Interface().(interface{ EnumValues() []string }).EnumValues()
		if !slices.Equal(got, vals) {
			t.Errorf("enum %s: %v, reference %v", name, got, vals)
		}
	}
}

func checkField(t *testing.T, where string, rf refField, gf goField, goEnums map[string]reflect.Type) {
	t.Helper()
	_, required := gf.rules["required"]
	if required != rf.required {
		t.Errorf("%s: required=%v, reference %v", where, required, rf.required)
	}
	ft := gf.sf.Type
	if !rf.required && ft.Kind() != reflect.String && ft.Kind() != reflect.Slice && ft.Kind() != reflect.Pointer {
		t.Errorf("%s: optional %v must be a pointer", where, ft)
	}
	if ft.Kind() == reflect.Pointer {
		if rf.required {
			t.Errorf("%s: required field is a pointer", where)
		}
		ft = ft.Elem()
	}
	isSlice := ft.Kind() == reflect.Slice
	if isSlice {
		ft = ft.Elem()
	}
	if strings.HasSuffix(rf.typ, "[]") || strings.HasPrefix(rf.typ, "object[]") {
		if !isSlice {
			t.Errorf("%s: %v is not a slice (%s)", where, gf.sf.Type, rf.typ)
		}
	} else if isSlice {
		t.Errorf("%s: %v is a slice (%s)", where, gf.sf.Type, rf.typ)
	}
	base := strings.TrimSuffix(rf.typ, "[]")
	isEnum := ft.Implements(enumerType)
	switch {
	case strings.HasPrefix(base, "enum "):
		name := strings.TrimPrefix(base, "enum ")
		if ft.Name() != name || !isEnum {
			t.Errorf("%s: type %v, reference %s", where, ft, base)
		}
		goEnums[name] = ft
	case strings.HasPrefix(base, "object"):
		name := strings.Trim(base[strings.Index(base, "(")+1:], ")")
		if ft.Kind() != reflect.Struct || (ft.Name() != name && ft.Name()+"Type" != name) {
			t.Errorf("%s: type %v, reference %s", where, ft, base)
		}
	case base == "string" && strings.Contains(rf.constraints, "date-time"):
		if ft != reflect.TypeFor[wire.DateTime]() {
			t.Errorf("%s: date-time must be wire.DateTime, is %v", where, ft)
		}
	case base == "string":
		if ft.Kind() != reflect.String || isEnum {
			t.Errorf("%s: type %v, reference string", where, ft)
		}
	case base == "integer":
		if ft.Kind() != reflect.Int {
			t.Errorf("%s: type %v, reference integer", where, ft)
		}
	case base == "number":
		if ft.Kind() != reflect.Float64 {
			t.Errorf("%s: type %v, reference number", where, ft)
		}
	case base == "boolean":
		if ft.Kind() != reflect.Bool {
			t.Errorf("%s: type %v, reference boolean", where, ft)
		}
	default:
		t.Errorf("%s: unknown reference type %q", where, rf.typ)
	}
	want := map[string]string{}
	for c := range strings.SplitSeq(rf.constraints, ";") {
		c = strings.TrimSpace(c)
		switch {
		case strings.HasPrefix(c, "each: maxLength "):
			want["itemmax"] = strings.TrimPrefix(c, "each: maxLength ")
		case strings.HasPrefix(c, "maxLength "):
			want["max"] = strings.TrimPrefix(c, "maxLength ")
		case c == "uri":
			want["uri"] = ""
		case strings.HasPrefix(c, "multipleOf "):
			want["mult"] = strings.TrimPrefix(c, "multipleOf ")
		case c == "items 1..*":
			want["min"] = "1"
		case c == "", c == "date-time":
		default:
			t.Errorf("%s: unhandled constraint %q", where, c)
		}
	}
	for _, k := range []string{"max", "itemmax", "uri", "mult", "min", "maxv"} {
		got, has := gf.rules[k]
		exp, wantHas := want[k]
		if has != wantHas || got != exp {
			t.Errorf("%s: rule %s=%q (present %v), reference %q (present %v)", where, k, got, has, exp, wantHas)
		}
	}
}

// TestTypeRules walks every message type and checks the tag conventions: every enum has
// values, no required field is omitempty, every optional field is, fallbacks are valid.
func TestTypeRules(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(rt reflect.Type)
	walk = func(rt reflect.Type) {
		if seen[rt] {
			return
		}
		seen[rt] = true
		for _, f := range jsonFields(rt) {
			where := rt.Name() + "." + f.sf.Name
			_, required := f.rules["required"]
			if required == f.omitempty {
				t.Errorf("%s: required=%v but omitempty=%v", where, required, f.omitempty)
			}
			if f.name == "" || f.name == "-" {
				t.Errorf("%s: no JSON name", where)
			}
			ft := f.sf.Type
			for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			if ft.Implements(enumerType) {
				vals := reflect.Zero(ft).Interface().(interface{ EnumValues() []string }).EnumValues()
				if len(vals) == 0 {
					t.Errorf("%s: enum %v has no values", where, ft)
				}
				if fb, ok := f.rules["fallback"]; ok && !slices.Contains(vals, fb) {
					t.Errorf("%s: fallback %q not in %v", where, fb, ft)
				}
			} else if ft.Kind() == reflect.String && ft.Name() != "string" {
				t.Errorf("%s: named string type %v without EnumValues", where, ft)
			}
			if ft.Kind() == reflect.Struct && ft != reflect.TypeFor[wire.DateTime]() {
				walk(ft)
			}
		}
	}
	for _, m := range Catalogue() {
		walk(reflect.TypeOf(m.NewRequest()).Elem())
		walk(reflect.TypeOf(m.NewResponse()).Elem())
	}
	if len(seen) < 78 {
		t.Fatalf("walked only %d types", len(seen))
	}
}
