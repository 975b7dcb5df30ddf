package v201

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
	if len(all) != actionCount {
		t.Fatalf("%d actions, want %d", len(all), actionCount)
	}
	seen := map[string]bool{}
	types := map[reflect.Type]string{}
	profiles := map[string]bool{}
	for _, m := range all {
		if m.Action == "" || m.Profile == "" || m.NewRequest == nil || m.NewResponse == nil ||
			m.Direction < ToCSMS || m.Direction > Both {
			t.Fatalf("incomplete entry %+v", m)
		}
		if seen[m.Action] {
			t.Fatalf("duplicate action %s", m.Action)
		}
		seen[m.Action] = true
		profiles[m.Profile] = true
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
		if m.NewRequest() == m.NewRequest() {
			t.Fatalf("%s: NewRequest returns a shared value", m.Action)
		}
	}
	if len(profiles) != 16 {
		t.Errorf("%d profiles, want the 16 functional blocks A-P", len(profiles))
	}
	for _, bad := range []string{"", "bootnotification", "BootNotification.req", "StartTransaction", "RemoteStartTransaction"} {
		if _, ok := Lookup(bad); ok {
			t.Errorf("Lookup(%q) succeeded", bad)
		}
	}
	all[0].Action = "Mutated"
	if Catalogue()[0].Action == "Mutated" {
		t.Fatal("Catalogue shares its slice")
	}
	if d, _ := Lookup("DataTransfer"); d.Direction != Both || d.Direction.String() != "Both" || d.Profile != ProfileDataTransfer {
		t.Fatal("DataTransfer direction")
	}
	if d, _ := Lookup("TransactionEvent"); d.Direction != ToCSMS || d.Profile != ProfileTransactions {
		t.Fatal("TransactionEvent entry")
	}
	if ToCSMS.String() != "ToCSMS" || ToStation.String() != "ToStation" || Direction(0).String() != "Direction(0)" {
		t.Fatal("Direction.String")
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = Lookup("DataTransfer") }); n != 0 {
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

var testTime = wire.NewDateTime(time.Date(2025, 1, 2, 3, 4, 5, 678e6, time.UTC))

// fill builds a schema-valid value of struct type t: with full false the required fields
// only (first enum value, zero numbers, empty strings, min items); with full true every
// field, customData included, so every object and optional field is exercised.
func fill(t reflect.Type, full bool) reflect.Value {
	v := reflect.New(t).Elem()
	for i := range t.NumField() {
		f := t.Field(i)
		tag := "," + f.Tag.Get("ocpp") + ","
		if full || strings.Contains(tag, ",required,") {
			fillValue(v.Field(i), tag, full)
		}
	}
	return v
}

func fillValue(v reflect.Value, tag string, full bool) {
	switch t := v.Type(); {
	case t == dateTimeType:
		v.Set(reflect.ValueOf(testTime))
	case t == decimalType:
		d, _ := ParseDecimal(map[bool]string{false: "0", true: "1234.50"}[full])
		v.Set(reflect.ValueOf(d))
	case t == customDataType:
		v.Set(reflect.ValueOf(CustomData{VendorID: "com.example", Extra: map[string]json.RawMessage{"n": json.RawMessage(`[1,{"a":"b"}]`)}}))
	case t == rawType:
		v.SetBytes([]byte(`{"k":[1,2.5,"x",null,true]}`))
	case t.Implements(enumerType):
		vals := reflect.Zero(t).Interface().(interface{ EnumValues() []string }).EnumValues()
		if full {
			vals = vals[len(vals)-1:] // the last value, so first and last are both exercised
		}
		v.SetString(vals[0])
	case t.Kind() == reflect.String && full:
		v.SetString("ü-x")
	case t.Kind() == reflect.Int && full:
		v.SetInt(7)
	case t.Kind() == reflect.Float64 && full:
		v.SetFloat(16.5)
	case t.Kind() == reflect.Bool && full:
		v.SetBool(true)
	case t.Kind() == reflect.Struct:
		v.Set(fill(t, full))
	case t.Kind() == reflect.Pointer:
		v.Set(reflect.New(t.Elem()))
		fillValue(v.Elem(), tag, full)
	case t.Kind() == reflect.Slice:
		v.Set(reflect.MakeSlice(t, 0, 1))
		if full || strings.Contains(tag, ",min=1,") {
			item := reflect.New(t.Elem()).Elem()
			fillValue(item, ",", full)
			v.Set(reflect.Append(v, item))
		}
	}
}

// TestCatalogueRoundTrips: for every request and response, {} is accepted exactly when
// the type has no required field, and both the minimal and the fully populated value
// validate and round-trip unchanged through marshal + strict decode.
func TestCatalogueRoundTrips(t *testing.T) {
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
				for _, full := range []bool{false, true} {
					val := fill(rt, full)
					if err := wire.Validate(val.Interface()); err != nil {
						t.Fatalf("full=%v: value invalid: %v", full, err)
					}
					data, err := json.Marshal(val.Interface())
					if err != nil {
						t.Fatal(err)
					}
					if full && !strings.Contains(string(data), `"customData":{"vendorId":"com.example","n":[1,{"a":"b"}]}`) {
						t.Fatalf("customData missing or misplaced: %s", data)
					}
					back := newValue()
					warns, err := wire.Decode(data, back, wire.Options{Strict: true})
					if err != nil || len(warns) != 0 {
						t.Fatalf("full=%v: %s: %v %v", full, data, err, warns)
					}
					if !reflect.DeepEqual(reflect.ValueOf(back).Elem().Interface(), val.Interface()) {
						t.Fatalf("full=%v: round trip of %s changed the value", full, data)
					}
				}
			})
		}
	}
}
