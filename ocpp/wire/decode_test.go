package wire

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// base holds the required members of tMsg; obj adds more in front of them.
const base = `"connectorId":1,"idTag":"ab","status":"Available"`

func obj(extra string) string {
	if extra == "" {
		return "{" + base + "}"
	}
	return "{" + extra + "," + base + "}"
}

// meter builds a tMsg with one meterValue whose sampledValue items are given.
func meter(sampled string) string {
	return obj(`"meterValue":[{"timestamp":"2024-01-02T03:04:05Z","sampledValue":[` + sampled + `]}]`)
}

type decodeCase struct {
	name    string
	in      string
	strict  ViolationKind // 0 = accepted
	lenient ViolationKind // 0 = accepted
	path    string        // path of the violation (either mode) or of the lenient warning
	flag    string        // warning expected in lenient mode ("" = no warnings)
}

var decodeCases = []decodeCase{
	// framing
	{name: "minimal", in: obj("")},
	{name: "whitespace", in: " \n{ \"connectorId\" : 1 ,\t\"idTag\":\"ab\", \"status\" : \"Available\" }\r\n"},
	{name: "array payload", in: `[]`, strict: FormationViolation, lenient: FormationViolation},
	{name: "null payload", in: `null`, strict: FormationViolation, lenient: FormationViolation},
	{name: "string payload", in: `"x"`, strict: FormationViolation, lenient: FormationViolation},
	{name: "empty input", in: ``, strict: FormationViolation, lenient: FormationViolation},
	{name: "truncated", in: `{"connectorId":1,`, strict: FormationViolation, lenient: FormationViolation},
	{name: "trailing garbage", in: obj("") + ` x`, strict: FormationViolation, lenient: FormationViolation},
	{name: "two objects", in: obj("") + `{}`, strict: FormationViolation, lenient: FormationViolation},
	{name: "trailing comma", in: `{` + base + `,}`, strict: FormationViolation, lenient: FormationViolation},
	{name: "bad literal", in: obj(`"enabled":tru`), strict: FormationViolation, lenient: FormationViolation},
	{name: "leading zero", in: `{"connectorId":01,"idTag":"ab","status":"Available"}`, strict: FormationViolation, lenient: FormationViolation},
	{name: "control char in string", in: obj("\"info\":\"a\x01\""), strict: FormationViolation, lenient: FormationViolation},
	{name: "bad escape", in: obj(`"info":"a\x"`), strict: FormationViolation, lenient: FormationViolation},
	{name: "type error then malformed", in: `{"connectorId":true,"idTag":}`, strict: FormationViolation, lenient: FormationViolation},
	{name: "duplicate key", in: obj(`"connectorId":2`), strict: FormationViolation, lenient: FormationViolation, path: "connectorId"},
	{name: "duplicate nested key", in: obj(`"idTagInfo":{"status":"Faulted","status":"Faulted"}`), strict: FormationViolation, lenient: FormationViolation, path: "idTagInfo.status"},
	{name: "duplicate unknown key", in: obj(`"x":1,"x":2`), strict: FormationViolation, lenient: FormationViolation, path: "x"},
	{name: "unknown key", in: obj(`"foo":{"a":[1,"b",null]}`), strict: FormationViolation, lenient: 0, path: "foo", flag: FlagExtraField},
	{name: "unknown nested key", in: obj(`"idTagInfo":{"status":"Faulted","x":true}`), strict: FormationViolation, path: "idTagInfo.x", flag: FlagExtraField},
	{name: "unknown key malformed value", in: obj(`"foo":[1,]`), strict: FormationViolation, lenient: FormationViolation},
	{name: "too deep", in: obj(`"foo":` + strings.Repeat("[", 100) + strings.Repeat("]", 100)), strict: FormationViolation, lenient: FormationViolation},
	{name: "escaped key", in: `{"\u0069dTag":"ab","connectorId":1,"status":"Available"}`},
	{name: "wrong case key", in: `{"IDTAG":"ab","connectorId":1,"status":"Available"}`, strict: FormationViolation, lenient: OccurrenceViolation},

	// occurrence
	{name: "required missing", in: `{"connectorId":1,"status":"Available"}`, strict: OccurrenceViolation, lenient: OccurrenceViolation, path: "idTag"},
	{name: "required null", in: `{"connectorId":1,"idTag":null,"status":"Available"}`, strict: OccurrenceViolation, lenient: OccurrenceViolation, path: "idTag"},
	{name: "nested required missing", in: obj(`"idTagInfo":{}`), strict: OccurrenceViolation, lenient: OccurrenceViolation, path: "idTagInfo.status"},
	{name: "deep required missing", in: meter(`{"value":"1"},{"unit":"Wh"}`), strict: OccurrenceViolation, lenient: OccurrenceViolation, path: "meterValue[0].sampledValue[1].value"},
	{name: "min items", in: obj(`"meterValue":[]`), strict: OccurrenceViolation, lenient: OccurrenceViolation, path: "meterValue"},
	{name: "nested min items", in: meter(``), strict: OccurrenceViolation, lenient: OccurrenceViolation, path: "meterValue[0].sampledValue"},
	{name: "max items", in: obj(`"keys":["a","b","c","d"]`), strict: OccurrenceViolation, lenient: OccurrenceViolation, path: "keys"},
	{name: "empty optional array", in: obj(`"keys":[]`)},

	// null
	{name: "null optional", in: obj(`"info":null`), strict: TypeViolation, path: "info", flag: FlagNullField},
	{name: "null optional object", in: obj(`"idTagInfo":null`), strict: TypeViolation, path: "idTagInfo", flag: FlagNullField},
	{name: "null array item", in: obj(`"keys":[null]`), strict: TypeViolation, lenient: TypeViolation, path: "keys[0]"},

	// types
	{name: "bool for int", in: `{"connectorId":true,"idTag":"ab","status":"Available"}`, strict: TypeViolation, lenient: TypeViolation, path: "connectorId"},
	{name: "object for int", in: `{"connectorId":{},"idTag":"ab","status":"Available"}`, strict: TypeViolation, lenient: TypeViolation, path: "connectorId"},
	{name: "bool for string", in: `{"connectorId":1,"idTag":true,"status":"Available"}`, strict: TypeViolation, lenient: TypeViolation, path: "idTag"},
	{name: "number for string", in: `{"connectorId":1,"idTag":12,"status":"Available"}`, strict: TypeViolation, path: "idTag", flag: FlagTypeNumberValue},
	{name: "number for enum", in: `{"connectorId":1,"idTag":"a","status":1}`, strict: TypeViolation, lenient: TypeViolation, path: "status"},
	{name: "numeric string for int", in: `{"connectorId":"3","idTag":"ab","status":"Available"}`, strict: TypeViolation, path: "connectorId", flag: FlagTypeStringNumber},
	{name: "fractional string for int", in: `{"connectorId":"3.5","idTag":"ab","status":"Available"}`, strict: TypeViolation, lenient: TypeViolation, path: "connectorId"},
	{name: "non-numeric string for int", in: `{"connectorId":"abc","idTag":"ab","status":"Available"}`, strict: TypeViolation, lenient: TypeViolation, path: "connectorId"},
	{name: "padded numeric string", in: `{"connectorId":" 3","idTag":"ab","status":"Available"}`, strict: TypeViolation, lenient: TypeViolation, path: "connectorId"},
	{name: "zero fraction int", in: `{"connectorId":5.0,"idTag":"ab","status":"Available"}`},
	{name: "exponent int", in: `{"connectorId":0.5e1,"idTag":"ab","status":"Available"}`},
	{name: "fractional int", in: `{"connectorId":5.5,"idTag":"ab","status":"Available"}`, strict: TypeViolation, lenient: TypeViolation, path: "connectorId"},
	{name: "string for bool", in: obj(`"enabled":"true"`), strict: TypeViolation, lenient: TypeViolation, path: "enabled"},
	{name: "number for bool", in: obj(`"enabled":1`), strict: TypeViolation, lenient: TypeViolation, path: "enabled"},
	{name: "bool", in: obj(`"enabled":false`)},
	{name: "string for array", in: obj(`"keys":"a"`), strict: TypeViolation, lenient: TypeViolation, path: "keys"},
	{name: "array for object", in: obj(`"idTagInfo":[]`), strict: TypeViolation, lenient: TypeViolation, path: "idTagInfo"},
	{name: "number for date-time", in: obj(`"when":1700000000`), strict: TypeViolation, lenient: TypeViolation, path: "when"},

	// enums
	{name: "enum", in: obj(`"tags":["Charging","Faulted"]`)},
	{name: "enum wrong case", in: `{"connectorId":1,"idTag":"ab","status":"charging"}`, strict: PropertyViolation, path: "status", flag: FlagEnumCase},
	{name: "enum unknown", in: `{"connectorId":1,"idTag":"ab","status":"Busy"}`, strict: PropertyViolation, lenient: PropertyViolation, path: "status"},
	{name: "enum unknown in slice", in: obj(`"tags":["Charging","Busy"]`), strict: PropertyViolation, lenient: PropertyViolation, path: "tags[1]"},
	{name: "enum fallback", in: obj(`"errorCode":"Error"`), strict: PropertyViolation, path: "errorCode", flag: FlagEnumUnknown},
	{name: "enum fallback nested", in: meter(`{"value":"1","context":"Sample.Weird"}`), strict: PropertyViolation, path: "meterValue[0].sampledValue[0].context", flag: FlagEnumUnknown},
	{name: "enum keepraw", in: meter(`{"value":"1"},{"value":"50","unit":"Hz"}`), strict: PropertyViolation, path: "meterValue[0].sampledValue[1].unit", flag: FlagEnumUnknown},
	{name: "enum escaped", in: `{"connectorId":1,"idTag":"ab","status":"Ch\u0061rging"}`},

	// strings
	{name: "max length exact", in: `{"connectorId":1,"idTag":"abcde","status":"Available"}`},
	{name: "max length runes", in: `{"connectorId":1,"idTag":"ééééé","status":"Available"}`},
	{name: "too long", in: `{"connectorId":1,"idTag":"abcdef","status":"Available"}`, strict: PropertyViolation, path: "idTag", flag: FlagTooLong},
	{name: "item too long", in: obj(`"keys":["abcd","abcde"]`), strict: PropertyViolation, path: "keys[1]", flag: FlagTooLong},
	{name: "empty required string", in: `{"connectorId":1,"idTag":"","status":"Available"}`},
	{name: "uri", in: obj(`"location":"ftp://host/path/file.tgz"`)},
	{name: "uri relative", in: obj(`"location":"/upload/here"`), strict: PropertyViolation, lenient: PropertyViolation, path: "location"},
	{name: "uri with space", in: obj(`"location":"https://a b/c"`), strict: PropertyViolation, lenient: PropertyViolation, path: "location"},

	// numbers
	{name: "min", in: `{"connectorId":0,"idTag":"ab","status":"Available"}`},
	{name: "below min", in: `{"connectorId":-1,"idTag":"ab","status":"Available"}`, strict: PropertyViolation, lenient: PropertyViolation, path: "connectorId"},
	{name: "above maxv", in: `{"connectorId":11,"idTag":"ab","status":"Available"}`, strict: PropertyViolation, lenient: PropertyViolation, path: "connectorId"},
	{name: "int8 overflow", in: obj(`"small":300`), strict: PropertyViolation, lenient: PropertyViolation, path: "small"},
	{name: "int64 overflow", in: obj(`"transactionId":99999999999999999999`), strict: PropertyViolation, lenient: PropertyViolation, path: "transactionId"},
	{name: "int64 max", in: obj(`"transactionId":9223372036854775807`)},
	{name: "uint negative", in: obj(`"count":-1`), strict: PropertyViolation, lenient: PropertyViolation, path: "count"},
	{name: "multiple of", in: obj(`"limit":16.1`)},
	{name: "multiple of int", in: obj(`"limit":32`)},
	{name: "not multiple of", in: obj(`"limit":16.05`), strict: PropertyViolation, path: "limit", flag: FlagMultipleOf},
	{name: "float as string", in: obj(`"limit":"16.1"`), strict: TypeViolation, path: "limit", flag: FlagTypeStringNumber},
	{name: "float overflow", in: obj(`"limit":1e400`), strict: PropertyViolation, lenient: PropertyViolation, path: "limit"},

	// date-time
	{name: "date-time Z", in: obj(`"when":"2024-01-02T03:04:05Z"`)},
	{name: "date-time offset", in: obj(`"when":"2024-01-02T03:04:05.123+05:30"`)},
	{name: "date-time 9 digits", in: obj(`"when":"2024-01-02T03:04:05.123456789Z"`)},
	{name: "date-time offset no colon", in: obj(`"when":"2024-01-02T03:04:05+0530"`), strict: PropertyViolation, path: "when", flag: FlagTSOffsetForm},
	{name: "date-time hour offset", in: obj(`"when":"2024-01-02T03:04:05+05"`), strict: PropertyViolation, path: "when", flag: FlagTSOffsetForm},
	{name: "date-time no zone", in: obj(`"when":"2024-01-02T03:04:05"`), strict: PropertyViolation, path: "when", flag: FlagTSNoZone},
	{name: "date-time space", in: obj(`"when":"2024-01-02 03:04:05Z"`), strict: PropertyViolation, path: "when", flag: FlagTSSeparator},
	{name: "date-time nested no zone", in: obj(`"meterValue":[{"timestamp":"2024-01-02T03:04:05.1","sampledValue":[{"value":"1"}]}]`), strict: PropertyViolation, path: "meterValue[0].timestamp", flag: FlagTSNoZone},
	{name: "date-time garbage", in: obj(`"when":"yesterday"`), strict: PropertyViolation, lenient: PropertyViolation, path: "when"},
	{name: "date-time bad day", in: obj(`"when":"2023-02-29T00:00:00Z"`), strict: PropertyViolation, lenient: PropertyViolation, path: "when"},
	{name: "date-time leap day", in: obj(`"when":"2024-02-29T00:00:00Z"`)},
	{name: "date-time bad hour", in: obj(`"when":"2024-01-02T24:00:00Z"`), strict: PropertyViolation, lenient: PropertyViolation, path: "when"},
	{name: "date-time no seconds", in: obj(`"when":"2024-01-02T03:04Z"`), strict: PropertyViolation, lenient: PropertyViolation, path: "when"},

	// misc
	{name: "raw", in: obj(`"raw":{"a":[1,2,{"b":null}]}`)},
	{name: "optional object", in: obj(`"idTagInfo":{"status":"Faulted","expiryDate":"2030-01-01T00:00:00.000Z"}`)},
	{name: "full meter", in: meter(`{"value":"12.5","context":"Sample.Periodic","unit":"kWh"},{"value":"20","unit":"Celsius"}`)},
}

func TestDecodeCases(t *testing.T) {
	for _, tc := range decodeCases {
		for _, strict := range []bool{false, true} {
			mode, want := "lenient", tc.lenient
			if strict {
				mode, want = "strict", tc.strict
			}
			t.Run(tc.name+"/"+mode, func(t *testing.T) {
				var v tMsg
				warns, err := Decode([]byte(tc.in), &v, Options{Strict: strict})
				if want == 0 {
					if err != nil {
						t.Fatalf("unexpected error: %v", err)
					}
					checkWarnings(t, warns, strict, tc)
					return
				}
				var vio *Violation
				if !errors.As(err, &vio) {
					t.Fatalf("want %v, got %v", want, err)
				}
				if vio.Kind != want {
					t.Fatalf("want %v, got %v (%v)", want, vio.Kind, vio)
				}
				if tc.path != "" && vio.Path != tc.path {
					t.Fatalf("want path %q, got %q (%v)", tc.path, vio.Path, vio)
				}
			})
		}
	}
}

func checkWarnings(t *testing.T, warns []Warning, strict bool, tc decodeCase) {
	t.Helper()
	if strict || tc.flag == "" {
		if len(warns) != 0 {
			t.Fatalf("unexpected warnings %+v", warns)
		}
		return
	}
	if len(warns) != 1 || warns[0].Flag != tc.flag || warns[0].Path != tc.path {
		t.Fatalf("want one %s warning at %q, got %+v", tc.flag, tc.path, warns)
	}
}

func TestDecodeLenientValues(t *testing.T) {
	var v tMsg
	in := `{"connectorId":"7","idTag":12.50,"status":"suspendedev","errorCode":"Error",` +
		`"info":null,"limit":"16.05","extra":[1],"when":"2024-01-02 03:04:05.123456+0100",` +
		`"meterValue":[{"timestamp":"2024-01-02T03:04:05","sampledValue":[{"value":604.213,"context":"Bogus","unit":"Hz"}]}]}`
	warns, err := Decode([]byte(in), &v, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v.ConnectorID != 7 || v.IDTag != "12.5" || v.Status != "SuspendedEV" || v.ErrorCode != "OtherError" ||
		v.Info != "" || v.Limit == nil || *v.Limit != 16.05 {
		t.Fatalf("bad values: %+v", v)
	}
	if got := v.When.Time.Format("2006-01-02T15:04:05.000Z07:00"); got != "2024-01-02T02:04:05.123Z" || v.When.Flag != FlagTSOffsetForm {
		t.Fatalf("when = %s %q", got, v.When.Flag)
	}
	sv := v.MeterValue[0].SampledValue[0]
	if sv.Value != "604.213" || sv.Context != "Other" || sv.Unit != "Hz" || v.MeterValue[0].Timestamp.Flag != FlagTSNoZone {
		t.Fatalf("bad sampled value %+v", v.MeterValue[0])
	}
	want := []Warning{
		{"connectorId", FlagTypeStringNumber, "7"},
		{"idTag", FlagTypeNumberValue, "12.50"},
		{"status", FlagEnumCase, "suspendedev"},
		{"errorCode", FlagEnumUnknown, "Error"},
		{"info", FlagNullField, "null"},
		{"limit", FlagMultipleOf, "16.05"},
		{"limit", FlagTypeStringNumber, "16.05"},
		{"extra", FlagExtraField, "[1]"},
		{"when", FlagTSOffsetForm, "2024-01-02 03:04:05.123456+0100"},
		{"meterValue[0].timestamp", FlagTSNoZone, "2024-01-02T03:04:05"},
		{"meterValue[0].sampledValue[0].value", FlagTypeNumberValue, "604.213"},
		{"meterValue[0].sampledValue[0].context", FlagEnumUnknown, "Bogus"},
		{"meterValue[0].sampledValue[0].unit", FlagEnumUnknown, "Hz"},
	}
	if len(warns) != len(want) {
		t.Fatalf("got %d warnings %+v", len(warns), warns)
	}
	for i := range want {
		if warns[i] != want[i] {
			t.Errorf("warning %d: got %+v, want %+v", i, warns[i], want[i])
		}
	}
}

func TestDecodeStrictValues(t *testing.T) {
	var v tMsg
	in := `{"connectorId":3,"idTag":"a\u00e9\"","status":"Charging","transactionId":-5,` +
		`"keys":["a","b"],"raw":{"x": 1},"when":"2024-01-02T03:04:05.999999Z","enabled":true}`
	warns, err := Decode([]byte(in), &v, Options{Strict: true})
	if err != nil || len(warns) != 0 {
		t.Fatal(err, warns)
	}
	if v.IDTag != "aé\"" || *v.TransactionID != -5 || len(v.Keys) != 2 || string(v.Raw) != `{"x": 1}` ||
		v.When.Nanosecond() != 999000000 || !*v.Enabled {
		t.Fatalf("bad values: %+v", v)
	}
}

func TestDecodeZeroesTarget(t *testing.T) {
	v := tMsg{Info: "old", Keys: []string{"x"}}
	if _, err := Decode([]byte(obj("")), &v, Options{}); err != nil {
		t.Fatal(err)
	}
	if v.Info != "" || v.Keys != nil {
		t.Fatalf("target not zeroed: %+v", v)
	}
}

func TestDecodeEmptyAndEmbedded(t *testing.T) {
	var e tEmpty
	if _, err := Decode([]byte(" {} "), &e, Options{Strict: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := Decode([]byte(`{"a":1}`), &e, Options{Strict: true}); err == nil {
		t.Fatal("unknown key accepted in strict mode")
	}
	var em tEmbedded
	if _, err := Decode([]byte(`{"inner":2,"outer":"x"}`), &em, Options{Strict: true}); err != nil || em.Inner != 2 {
		t.Fatal(err, em)
	}
	_, err := Decode([]byte(`{"outer":"x"}`), &em, Options{})
	var vio *Violation
	if !errors.As(err, &vio) || vio.Kind != OccurrenceViolation || vio.Path != "inner" {
		t.Fatal(err)
	}
}

func TestDecodeProgrammingErrors(t *testing.T) {
	var v tMsg
	for name, target := range map[string]any{
		"non-pointer":            v,
		"nil":                    (*tMsg)(nil),
		"not struct":             new(int),
		"required omitempty":     new(tBadRequiredOmitempty),
		"fallback not in enum":   new(tBadFallback),
		"unknown rule":           new(tBadRule),
		"numeric rule on string": new(tBadMult),
	} {
		_, err := Decode([]byte(`{}`), target, Options{})
		var vio *Violation
		if err == nil || errors.As(err, &vio) {
			t.Errorf("%s: want a programming error, got %v", name, err)
		}
	}
}

func TestViolationError(t *testing.T) {
	_, err := Decode([]byte(meter(`{"value":"1","unit":"Hz"}`)), new(tMsg), Options{Strict: true})
	if got, want := err.Error(), `meterValue[0].sampledValue[0].unit: "Hz" is not a valid tUnit`; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	_, err = Decode([]byte(`[]`), new(tMsg), Options{})
	if got := err.Error(); got != "payload: payload must be a JSON object" {
		t.Fatalf("got %q", got)
	}
	if OccurrenceViolation.String() != "OccurrenceViolation" || ViolationKind(9).String() != "ViolationKind(9)" {
		t.Fatal("bad String")
	}
}

func TestCanonicalDecimal(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "-0": "0", "5": "5", "5.0": "5", "604.2130": "604.213", "-1.5": "-1.5",
		"1e3": "1000", "1.5E+3": "1500", "12e-3": "0.012", "0.000": "0", "-0.0e5": "0",
		"100": "100", "1e-2": "0.01", "123.456e1": "1234.56", "0e999999": "0",
	} {
		got, ok := canonicalDecimal([]byte(in))
		if !ok || got != want {
			t.Errorf("canonicalDecimal(%s) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := canonicalDecimal([]byte("1e65")); ok {
		t.Error("1e65 expanded")
	}
}

func TestDecodeConcurrent(t *testing.T) {
	t.Parallel()
	in := []byte(meter(`{"value":"1","unit":"Wh"}`))
	done := make(chan error, 8)
	for range 8 {
		go func() {
			var v tMsg
			_, err := Decode(in, &v, Options{Strict: true})
			if err == nil {
				_, err = json.Marshal(v)
			}
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
