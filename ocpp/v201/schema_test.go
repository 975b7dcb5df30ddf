package v201

import (
	"bufio"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chargehub/hub/ocpp/wire"
)

// The reference is the shared, generated field table (from the OCA schemas), read in place.
const referenceDoc = "../../../shared/docs/ocpp-2.0.1-messages.md"

type refField struct {
	path, typ, constraints string
	required               bool
}

type refAction struct {
	direction, block    string
	req, resp           []refField
	reqEmpty, respEmpty bool
}

type refEnum struct {
	values []string
	usedBy []string
}

type reference struct {
	actions map[string]*refAction
	enums   map[string]*refEnum
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
	ref := reference{actions: map[string]*refAction{}, enums: map[string]*refEnum{}}
	var cur *refAction
	var curEnum *refEnum
	var side string
	inEnums := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "## Enumerations":
			inEnums, cur = true, nil
		case inEnums && strings.HasPrefix(line, "### "):
			curEnum = &refEnum{}
			ref.enums[strings.TrimPrefix(line, "### ")] = curEnum
		case inEnums && curEnum != nil && strings.HasPrefix(line, "`"):
			for _, m := range backticked.FindAllStringSubmatch(line, -1) {
				curEnum.values = append(curEnum.values, m[1])
			}
		case inEnums && curEnum != nil && strings.HasPrefix(line, "Used by: "):
			for a := range strings.SplitSeq(strings.TrimPrefix(line, "Used by: "), ",") {
				curEnum.usedBy = append(curEnum.usedBy, strings.TrimSpace(a))
			}
		case inEnums:
		case indexRow.MatchString(line):
			m := indexRow.FindStringSubmatch(line)
			ref.actions[m[1]] = &refAction{direction: strings.TrimSpace(m[2]), block: strings.TrimSpace(m[3])}
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
	if len(ref.actions) != actionCount || len(ref.enums) != 88 {
		t.Fatalf("reference parse: %d actions, %d enums", len(ref.actions), len(ref.enums))
	}
	for name, e := range ref.enums {
		if len(e.values) == 0 || len(e.usedBy) == 0 {
			t.Fatalf("reference parse: enum %s has %d values, %d users", name, len(e.values), len(e.usedBy))
		}
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
			for r := range strings.SplitSeq(tag, ",") {
				k, v, _ := strings.Cut(r, "=")
				rules[k] = v
			}
		}
		out = append(out, goField{sf: sf, name: name, omitempty: opts == "omitempty", rules: rules})
	}
	return out
}

var (
	enumerType     = reflect.TypeFor[interface{ EnumValues() []string }]()
	dateTimeType   = reflect.TypeFor[wire.DateTime]()
	decimalType    = reflect.TypeFor[Decimal]()
	customDataType = reflect.TypeFor[CustomData]()
	rawType        = reflect.TypeFor[json.RawMessage]()
)

// isObject reports whether t is a message object (a struct wire decodes field by field).
func isObject(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t != dateTimeType && t != decimalType && t != customDataType
}

// goPaths lists every JSON path of struct type t in the reference's notation, leaving
// out customData (the reference leaves it out of its tables).
func goPaths(t reflect.Type, prefix string, out map[string]goField) {
	for _, f := range jsonFields(t) {
		if f.name == "customData" {
			continue
		}
		p := prefix + f.name
		ft := f.sf.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Slice && ft != rawType {
			p += "[]"
			ft = ft.Elem()
		}
		out[p] = f
		if isObject(ft) {
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

// profileOf turns a functional block ("K SmartCharging") into its profile name.
func profileOf(block string) string {
	_, name, _ := strings.Cut(block, " ")
	return name
}

// enumClashes are the schema enums whose short Go name is taken by a data type, so the
// Go enum keeps the full schema name (see the package doc).
var enumClashes = map[string]reflect.Type{
	"IdTokenEnumType": reflect.TypeFor[IdToken](),
	"VPNEnumType":     reflect.TypeFor[VPN](),
}

// goEnumName is the Go type name of schema enum name.
func goEnumName(name string) string {
	if _, ok := enumClashes[name]; ok {
		return name
	}
	return strings.TrimSuffix(name, "EnumType")
}

// TestAgainstReference checks every message type field by field against the generated
// reference: names, required flags, JSON types, maxLength, item bounds, numeric bounds,
// date-times, object and enum type names, enum values and the per-message enum sets,
// directions and functional blocks.
func TestAgainstReference(t *testing.T) {
	ref := loadReference(t)
	enumUse := map[string]map[string]bool{} // schema enum name → actions using it
	goEnums := map[string]reflect.Type{}
	seen := map[string]bool{}
	for _, m := range Catalogue() {
		ra := ref.actions[m.Action]
		if ra == nil {
			t.Errorf("%s: not in the reference", m.Action)
			continue
		}
		seen[m.Action] = true
		if directionOf(ra.direction) != m.Direction || profileOf(ra.block) != m.Profile {
			t.Errorf("%s: direction/profile %v/%s, reference %q/%q", m.Action, m.Direction, m.Profile, ra.direction, ra.block)
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
				if name := checkField(t, rt.Name()+"."+rf.path, rf, gf); name != "" {
					if enumUse[name] == nil {
						enumUse[name] = map[string]bool{}
					}
					enumUse[name][m.Action] = true
					goEnums[name] = baseType(gf.sf.Type)
				}
			}
			for p := range paths {
				t.Errorf("%s: field %s is not in the reference", rt.Name(), p)
			}
		}
	}
	for a := range ref.actions {
		if !seen[a] {
			t.Errorf("%s: in the reference but not in the catalogue", a)
		}
	}
	for name, re := range ref.enums {
		et, ok := goEnums[name]
		if !ok {
			t.Errorf("enum %s is not used by any message type", name)
			continue
		}
		got := reflect.Zero(et).Interface().(interface{ EnumValues() []string }).EnumValues()
		if !slices.Equal(got, re.values) {
			t.Errorf("enum %s: %v, reference %v", name, got, re.values)
		}
		if users := slices.Sorted(maps.Keys(enumUse[name])); !slices.Equal(users, slices.Sorted(slices.Values(re.usedBy))) {
			t.Errorf("enum %s used by %v, reference %v", name, users, re.usedBy)
		}
	}
	for name, st := range enumClashes {
		if st.Kind() != reflect.Struct || st.Name() != strings.TrimSuffix(name, "EnumType") {
			t.Errorf("enum %s: the clash with %v no longer exists; drop the suffix", name, st)
		}
	}
	// Every enum declared in the package is a reference enum used by a message.
	declared := declaredEnums(t)
	for name := range goEnums {
		delete(declared, goEnumName(name))
	}
	for name := range declared {
		t.Errorf("enum type %s is declared but not used by any message type", name)
	}
}

// baseType strips pointers and slices (but not json.RawMessage).
func baseType(ft reflect.Type) reflect.Type {
	for ft.Kind() == reflect.Pointer || (ft.Kind() == reflect.Slice && ft != rawType) {
		ft = ft.Elem()
	}
	return ft
}

// checkField compares one Go field with its reference row and returns the schema enum
// name when the field is an enum.
func checkField(t *testing.T, where string, rf refField, gf goField) (enum string) {
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
	isSlice := ft.Kind() == reflect.Slice && ft != rawType
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
		enum = strings.TrimPrefix(base, "enum ")
		if ft.Name() != goEnumName(enum) || !isEnum {
			t.Errorf("%s: type %v, reference %s (Go name %s)", where, ft, base, goEnumName(enum))
		}
	case strings.HasPrefix(base, "object"):
		name := strings.Trim(base[strings.Index(base, "(")+1:], ")")
		if !isObject(ft) || ft.Name() != strings.TrimSuffix(name, "Type") {
			t.Errorf("%s: type %v, reference %s", where, ft, base)
		}
	case base == "string" && strings.Contains(rf.constraints, "date-time"):
		if ft != dateTimeType {
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
		if ft.Kind() != reflect.Float64 && ft != decimalType {
			t.Errorf("%s: type %v, reference number", where, ft)
		}
	case base == "boolean":
		if ft.Kind() != reflect.Bool {
			t.Errorf("%s: type %v, reference boolean", where, ft)
		}
	case base == "any JSON value":
		if ft != rawType {
			t.Errorf("%s: type %v, reference any JSON value", where, ft)
		}
	default:
		t.Errorf("%s: unknown reference type %q", where, rf.typ)
	}
	want := map[string]string{}
	for c := range strings.SplitSeq(rf.constraints, ";") {
		c = strings.TrimSpace(c)
		var lo, hi string
		switch {
		case strings.HasPrefix(c, "each: maxLength "):
			want["itemmax"] = strings.TrimPrefix(c, "each: maxLength ")
		case strings.HasPrefix(c, "maxLength "):
			want["max"] = strings.TrimPrefix(c, "maxLength ")
		case strings.HasPrefix(c, "items "):
			lo, hi, _ = strings.Cut(strings.TrimPrefix(c, "items "), "..")
			if lo != "0" {
				want["min"] = lo
			}
			if hi != "*" {
				want["max"] = hi
			}
		case strings.HasPrefix(c, "min "):
			want["min"] = strings.TrimPrefix(c, "min ")
		case strings.HasPrefix(c, "max "):
			want["maxv"] = strings.TrimPrefix(c, "max ")
		case c == "uri":
			want["uri"] = ""
		case strings.HasPrefix(c, "multipleOf "):
			want["mult"] = strings.TrimPrefix(c, "multipleOf ")
		case strings.HasPrefix(c, "default "):
			if rf.required {
				t.Errorf("%s: a required field with a default", where)
			}
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
	return enum
}

// TestTypeRules walks every message type and checks the tag conventions: every object
// starts with an optional customData, every enum has values, no required field is
// omitempty, every optional field is, fallbacks are valid, and leniency (fallback,
// keepraw) sits only where the package doc lists it.
func TestTypeRules(t *testing.T) {
	lenient := map[string]string{
		"SampledValue.Context":                  "fallback=Other",
		"SampledValue.Measurand":                "keepraw",
		"SampledValue.Phase":                    "keepraw",
		"SampledValue.Location":                 "keepraw",
		"TransactionEventRequest.TriggerReason": "keepraw",
		"Transaction.ChargingState":             "keepraw",
		"Transaction.StoppedReason":             "fallback=Other",
		"IdToken.Type":                          "keepraw",
		"BootNotificationRequest.Reason":        "fallback=Unknown",
	}
	seen := map[reflect.Type]bool{}
	var walk func(rt reflect.Type)
	walk = func(rt reflect.Type) {
		if seen[rt] {
			return
		}
		seen[rt] = true
		fields := jsonFields(rt)
		if len(fields) == 0 || fields[0].sf.Name != "CustomData" || fields[0].sf.Type != reflect.PointerTo(customDataType) ||
			fields[0].sf.Tag != `json:"customData,omitempty"` {
			t.Errorf("%s: the first field must be CustomData *CustomData `json:\"customData,omitempty\"`", rt.Name())
		}
		for _, f := range fields {
			where := rt.Name() + "." + f.sf.Name
			_, required := f.rules["required"]
			if required == f.omitempty {
				t.Errorf("%s: required=%v but omitempty=%v", where, required, f.omitempty)
			}
			if f.name == "" || f.name == "-" {
				t.Errorf("%s: no JSON name", where)
			}
			var got []string
			for _, k := range []string{"fallback", "keepraw"} {
				if v, ok := f.rules[k]; ok {
					got = append(got, strings.TrimSuffix(k+"="+v, "="))
				}
			}
			if strings.Join(got, ",") != lenient[where] {
				t.Errorf("%s: leniency %v, want %q", where, got, lenient[where])
			}
			delete(lenient, where)
			ft := baseType(f.sf.Type)
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
			if isObject(ft) {
				walk(ft)
			}
		}
	}
	for _, m := range Catalogue() {
		walk(reflect.TypeOf(m.NewRequest()).Elem())
		walk(reflect.TypeOf(m.NewResponse()).Elem())
	}
	if len(seen) < 2*actionCount+54 { // 128 messages, 54 data types
		t.Fatalf("walked only %d types", len(seen))
	}
	for where := range lenient {
		t.Errorf("%s: listed as lenient but not found", where)
	}
}

// sourceFiles parses the package's non-test Go files.
func sourceFiles(t *testing.T) []*ast.File {
	t.Helper()
	fset := token.NewFileSet()
	names, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, e := range names {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

// declaredEnums returns the receiver type names of every EnumValues method in the package.
func declaredEnums(t *testing.T) map[string]bool {
	out := map[string]bool{}
	for _, f := range sourceFiles(t) {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "EnumValues" && fd.Recv != nil {
				if id, ok := fd.Recv.List[0].Type.(*ast.Ident); ok {
					out[id.Name] = true
				}
			}
		}
	}
	return out
}

// TestDocComments: every exported type, function, method and constant block is documented.
func TestDocComments(t *testing.T) {
	for _, f := range sourceFiles(t) {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Name.IsExported() && d.Doc == nil {
					t.Errorf("func %s: no doc comment", d.Name.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() && d.Doc == nil && s.Doc == nil {
							t.Errorf("type %s: no doc comment", s.Name.Name)
						}
					case *ast.ValueSpec:
						if s.Names[0].IsExported() && d.Doc == nil && s.Doc == nil && s.Comment == nil {
							t.Errorf("%s: no doc comment", s.Names[0].Name)
						}
					}
				}
			}
		}
	}
}
