package ocpi

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

var (
	dateTimeType = reflect.TypeOf(DateTime{})
	decimalType  = reflect.TypeOf(Decimal{})
)

// normalized returns v in the canonical form that one JSON round trip produces: DateTimes in UTC
// truncated to milliseconds (DateTime emits at most milliseconds), Decimals rebuilt from their
// printed text (1.50 prints as 1.5), and empty lists as nil (omitempty drops them). It works in
// place on v's slices and pointers: use it on values that are not used afterwards.
func normalized[T any](v T) T {
	normalizeValue(reflect.ValueOf(&v).Elem())
	return v
}

func normalizeValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			normalizeValue(v.Elem())
		}
	case reflect.Slice:
		if v.Len() == 0 {
			v.SetZero()
			return
		}
		for i := 0; i < v.Len(); i++ {
			normalizeValue(v.Index(i))
		}
	case reflect.Struct:
		switch v.Type() {
		case dateTimeType:
			d := v.Interface().(DateTime)
			if !d.IsZero() {
				v.Set(reflect.ValueOf(NewDateTime(d.Truncate(time.Millisecond))))
			}
		case decimalType:
			if d := v.Interface().(Decimal); d.IsSet() {
				v.Set(reflect.ValueOf(MustDecimal(d.String())))
			}
		default:
			for i := 0; i < v.NumField(); i++ {
				if f := v.Field(i); f.CanSet() {
					normalizeValue(f)
				}
			}
		}
	}
}

// checkRoundTrip is the fuzz property: decoding arbitrary bytes never panics, and a value that
// decodes and validates re-encodes to JSON that decodes to an equal (normalized) value, which
// validates again and re-encodes to the same bytes.
func checkRoundTrip[T any, PT interface {
	*T
	validatable
}](t *testing.T, data []byte) {
	first := PT(new(T))
	if json.Unmarshal(data, first) != nil || first.Validate() != nil {
		return
	}
	enc, err := json.Marshal(first)
	if err != nil {
		t.Fatalf("valid %T does not encode: %v\ninput: %q", first, err, data)
	}
	second := PT(new(T))
	if err := json.Unmarshal(enc, second); err != nil {
		t.Fatalf("re-encoded %T does not decode: %v\n%s", first, err, enc)
	}
	if err := second.Validate(); err != nil {
		t.Fatalf("re-encoded %T does not validate: %v\n%s", first, err, enc)
	}
	enc2, err := json.Marshal(second)
	if err != nil || string(enc2) != string(enc) {
		t.Fatalf("encoding not stable (%v):\n%s\n%s", err, enc, enc2)
	}
	if a, b := normalized(*first), normalized(*second); !reflect.DeepEqual(a, b) {
		t.Fatalf("round trip changed the value:\n before %+v\n after  %+v\n json %s", a, b, enc)
	}
}

// addSeeds adds the JSON of the given values as seeds.
func addSeeds(f *testing.F, vals ...any) {
	for _, v := range vals {
		b, err := json.Marshal(v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// addExampleSeeds adds shared OCPI example files as seeds when the shared test data is present.
func addExampleSeeds(f *testing.F, files ...string) {
	for _, name := range files {
		if b, err := os.ReadFile(filepath.Join(sharedTestdataDir, "ocpi-examples", name)); err == nil {
			f.Add(b)
		}
	}
}

func FuzzDecodeLocation(f *testing.F) {
	addSeeds(f, fullLocation())
	addExampleSeeds(f, "location_example.json", "location_example_uc4_limited_visibility.json",
		"location_example_parking_garage_opening_hours.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRoundTrip[Location](t, data)
		checkRoundTrip[EVSE](t, data)
		checkRoundTrip[LocationPatch](t, data)
	})
}

func FuzzDecodeToken(f *testing.F) {
	addSeeds(f, fullToken(), fullTokenPatch(), fullAuthorizationInfo())
	addExampleSeeds(f, "token_example_2_full_rfid.json", "token_patch_example.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRoundTrip[Token](t, data)
		checkRoundTrip[TokenPatch](t, data)
		checkRoundTrip[AuthorizationInfo](t, data)
	})
}

func FuzzDecodeCommand(f *testing.F) {
	for _, c := range []CommandRequest{ptrTo(fullStartSession()), ptrTo(fullStopSession()), ptrTo(fullReserveNow()),
		ptrTo(fullCancelReservation()), ptrTo(fullUnlockConnector())} {
		b, err := json.Marshal(c)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(c.Command()), b)
	}
	f.Fuzz(func(t *testing.T, command string, data []byte) {
		req, err := DecodeCommand(CommandType(command), data)
		if err != nil {
			return
		}
		if req.Command() != CommandType(command) {
			t.Fatalf("DecodeCommand(%s) returned a %s body", command, req.Command())
		}
		switch req.(type) {
		case *StartSession:
			checkRoundTrip[StartSession](t, data)
		case *StopSession:
			checkRoundTrip[StopSession](t, data)
		case *ReserveNow:
			checkRoundTrip[ReserveNow](t, data)
		case *CancelReservation:
			checkRoundTrip[CancelReservation](t, data)
		case *UnlockConnector:
			checkRoundTrip[UnlockConnector](t, data)
		default:
			t.Fatalf("unexpected body type %T", req)
		}
	})
}
