package v16

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chargehub/hub/ocpp/wire"
)

func TestCatalogue(t *testing.T) {
	all := Catalogue()
	if len(all) != 39 {
		t.Fatalf("%d actions, want 39", len(all))
	}
	seen := map[string]bool{}
	types := map[reflect.Type]string{}
	for _, m := range all {
		if m.Action == "" || m.Profile == "" || m.NewRequest == nil || m.NewResponse == nil ||
			m.Direction < ToCSMS || m.Direction > Both {
			t.Fatalf("incomplete entry %+v", m)
		}
		if seen[m.Action] {
			t.Fatalf("duplicate action %s", m.Action)
		}
		seen[m.Action] = true
		got, ok := Lookup(m.Action)
		if !ok || got.Action != m.Action || got.Direction != m.Direction || got.Profile != m.Profile {
			t.Fatalf("Lookup(%s) = %+v, %v", m.Action, got, ok)
		}
		for i, v := range []any{m.NewRequest(), m.NewResponse()} {
			rt := reflect.TypeOf(v)
			if rt.Kind() != reflect.Pointer || rt.Elem().Kind() != reflect.Struct {
				t.Fatalf("%s: constructor returns %T", m.Action, v)
			}
			want := m.Action + [2]string{"Request", "Response"}[i]
			if rt.Elem().Name() != want {
				t.Errorf("%s: type %s, want %s", m.Action, rt.Elem().Name(), want)
			}
			if other, dup := types[rt]; dup {
				t.Errorf("%s and %s share %v", m.Action, other, rt)
			}
			types[rt] = m.Action
		}
		// (zero-size empty payload structs may legitimately share an address)
		if reflect.TypeOf(m.NewRequest()).Elem().Size() > 0 && m.NewRequest() == m.NewRequest() {
			t.Fatalf("%s: NewRequest returns a shared value", m.Action)
		}
	}
	for _, bad := range []string{"", "bootnotification", "BootNotification.req", "TransactionEvent"} {
		if _, ok := Lookup(bad); ok {
			t.Errorf("Lookup(%q) succeeded", bad)
		}
	}
	all[0].Action = "Mutated"
	if Catalogue()[0].Action == "Mutated" {
		t.Fatal("Catalogue shares its slice")
	}
	if d, _ := Lookup("DataTransfer"); d.Direction != Both || d.Direction.String() != "Both" {
		t.Fatal("DataTransfer direction")
	}
	if ToCSMS.String() != "ToCSMS" || ToStation.String() != "ToStation" || Direction(0).String() != "Direction(0)" {
		t.Fatal("Direction.String")
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = Lookup("StopTransaction") }); n != 0 {
		t.Errorf("Lookup allocates %v times", n)
	}
}

// hasRequired reports whether struct type t has a required field.
func hasRequired(t reflect.Type) bool {
	for f := range t.Fields() {
		if strings.Contains(","+f.Tag.Get("ocpp")+",", ",required,") {
			return true
		}
	}
	return false
}

var enumerType = reflect.TypeFor[interface{ EnumValues() []string }]()

// minimal builds the smallest schema-valid value of struct type t: required fields only,
// with the first enum value, a fixed timestamp, an absolute URI, and min items.
func minimal(t reflect.Type) reflect.Value {
	v := reflect.New(t).Elem()
	for i := range t.NumField() {
		f := t.Field(i)
		tag := "," + f.Tag.Get("ocpp") + ","
		if !strings.Contains(tag, ",required,") {
			continue
		}
		fillMinimal(v.Field(i), tag)
	}
	return v
}

func fillMinimal(v reflect.Value, tag string) {
	switch t := v.Type(); {
	case t == reflect.TypeFor[wire.DateTime]():
		v.Set(reflect.ValueOf(wire.NewDateTime(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))))
	case t.Implements(enumerType):
		v.SetString(reflect.Zero(t).Interface().(interface{ EnumValues() []string }).EnumValues()[0])
	case t.Kind() == reflect.String && strings.Contains(tag, ",uri,"):
		v.SetString("https://example.com/x")
	case t.Kind() == reflect.Struct:
		v.Set(minimal(t))
	case t.Kind() == reflect.Pointer:
		v.Set(reflect.New(t.Elem()))
		fillMinimal(v.Elem(), tag)
	case t.Kind() == reflect.Slice:
		v.Set(reflect.MakeSlice(t, 0, 1))
		if strings.Contains(tag, ",min=1,") {
			item := reflect.New(t.Elem()).Elem()
			fillMinimal(item, ",")
			v.Set(reflect.Append(v, item))
		}
	}
}

// TestCatalogueMinimalPayloads: for every request and response, {} is accepted exactly
// when the type has no required field, and the minimal valid value validates and
// round-trips through marshal + strict decode.
func TestCatalogueMinimalPayloads(t *testing.T) {
	for _, m := range Catalogue() {
		for _, newValue := range []func() any{m.NewRequest, m.NewResponse} {
			rt := reflect.TypeOf(newValue()).Elem()
			t.Run(rt.Name(), func(t *testing.T) {
				_, err := wire.Decode([]byte(`{}`), newValue(), wire.Options{Strict: true})
				var vio *wire.Violation
				if hasRequired(rt) {
					if !errors.As(err, &vio) || vio.Kind != wire.OccurrenceViolation {
						t.Fatalf("{}: want OccurrenceViolation, got %v", err)
					}
				} else if err != nil {
					t.Fatalf("{}: %v", err)
				}
				min := minimal(rt)
				if err := wire.Validate(min.Interface()); err != nil {
					t.Fatalf("minimal value invalid: %v", err)
				}
				data, err := json.Marshal(min.Interface())
				if err != nil {
					t.Fatal(err)
				}
				back := newValue()
				if _, err := wire.Decode(data, back, wire.Options{Strict: true}); err != nil {
					t.Fatalf("%s: %v", data, err)
				}
				if !reflect.DeepEqual(reflect.ValueOf(back).Elem().Interface(), min.Interface()) {
					t.Fatalf("round trip of %s changed the value", data)
				}
			})
		}
	}
}
