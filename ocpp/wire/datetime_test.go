package wire

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestParseDateTime(t *testing.T) {
	cases := []struct {
		in   string
		want string // UTC, RFC 3339 with ms; "" = error
		flag string
	}{
		{"2024-01-02T03:04:05Z", "2024-01-02T03:04:05.000Z", ""},
		{"2024-01-02t03:04:05z", "2024-01-02T03:04:05.000Z", ""},
		{"2024-01-02T03:04:05.1Z", "2024-01-02T03:04:05.100Z", ""},
		{"2024-01-02T03:04:05.123456789Z", "2024-01-02T03:04:05.123Z", ""},
		{"2022-01-27T14:42:15.1240977Z", "2022-01-27T14:42:15.124Z", ""},
		{"2024-01-02T03:04:05.9999999999Z", "2024-01-02T03:04:05.999Z", ""},
		{"2024-01-02T03:04:05+05:30", "2024-01-01T21:34:05.000Z", ""},
		{"2024-01-02T03:04:05-00:00", "2024-01-02T03:04:05.000Z", ""},
		{"2024-01-02T03:04:05+0530", "2024-01-01T21:34:05.000Z", FlagTSOffsetForm},
		{"2024-01-02T03:04:05.5-03", "2024-01-02T06:04:05.500Z", FlagTSOffsetForm},
		{"2023-10-19T10:11:12", "2023-10-19T10:11:12.000Z", FlagTSNoZone},
		{"2023-10-19 10:11:12", "2023-10-19T10:11:12.000Z", FlagTSNoZone},
		{"2023-10-19 10:11:12Z", "2023-10-19T10:11:12.000Z", FlagTSSeparator},
		{"2023-10-19 10:11:12+02", "2023-10-19T08:11:12.000Z", FlagTSOffsetForm},
		{"1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z", ""},
		{"0000-01-01T00:00:00Z", "0000-01-01T00:00:00.000Z", ""},
		{"", "", ""},
		{"2024-01-02", "", ""},
		{"2024-01-02T03:04Z", "", ""},
		{"2024-13-02T03:04:05Z", "", ""},
		{"2024-00-02T03:04:05Z", "", ""},
		{"2024-04-31T03:04:05Z", "", ""},
		{"2024-01-02T03:60:05Z", "", ""},
		{"2024-01-02T03:04:60Z", "", ""},
		{"2024-01-02X03:04:05Z", "", ""},
		{"2024-01-02T03:04:05.Z", "", ""},
		{"2024-01-02T03:04:05+5", "", ""},
		{"2024-01-02T03:04:05+05:3", "", ""},
		{"2024-01-02T03:04:05+24:00", "", ""},
		{"2024-01-02T03:04:05ZZ", "", ""},
		{"2024-01-02T03:04:05 Z", "", ""},
		{"+2024-01-02T03:04:05Z", "", ""},
		{"0000-01-01T00:00:00+01:00", "", ""},
		{"9999-12-31T23:00:00-05:00", "", ""},
	}
	for _, tc := range cases {
		got, err := ParseDateTime(tc.in)
		if tc.want == "" {
			if err == nil || !errors.Is(err, ErrInvalidDateTime) {
				t.Errorf("ParseDateTime(%q) = %v, %v; want error", tc.in, got, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseDateTime(%q): %v", tc.in, err)
			continue
		}
		if s := got.Format(wireLayout); s != tc.want || got.Flag != tc.flag || got.Location() != time.UTC {
			t.Errorf("ParseDateTime(%q) = %s %q %v; want %s %q", tc.in, s, got.Flag, got.Location(), tc.want, tc.flag)
		}
	}
}

func TestDateTimeJSON(t *testing.T) {
	loc := time.FixedZone("X", 5*3600+1800)
	dt := NewDateTime(time.Date(2024, 3, 4, 5, 6, 7, 891234567, loc))
	b, err := json.Marshal(dt)
	if err != nil || string(b) != `"2024-03-03T23:36:07.891Z"` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	b, _ = json.Marshal(NewDateTime(time.Date(2024, 3, 4, 5, 6, 7, 0, time.UTC)))
	if string(b) != `"2024-03-04T05:06:07.000Z"` {
		t.Fatalf("Marshal = %s", b)
	}
	if _, err := json.Marshal(DateTime{Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}); err == nil {
		t.Fatal("year 10000 marshalled")
	}
	var s struct {
		A DateTime  `json:"a"`
		B *DateTime `json:"b"`
		C *DateTime `json:"c"`
	}
	if err := json.Unmarshal([]byte(`{"a":"2024-01-02T03:04:05+0100","b":"2024-01-02 03:04:05","c":null}`), &s); err != nil {
		t.Fatal(err)
	}
	if s.A.Hour() != 2 || s.A.Flag != FlagTSOffsetForm || s.B.Flag != FlagTSNoZone || s.C != nil {
		t.Fatalf("Unmarshal: %+v", s)
	}
	for _, bad := range []string{`{"a":5}`, `{"a":"nope"}`, `{"a":"2024-01-02T03:04:05\u005a"}`} {
		if err := json.Unmarshal([]byte(bad), &s); err == nil || !errors.Is(err, ErrInvalidDateTime) {
			t.Errorf("Unmarshal(%s): %v", bad, err)
		}
	}
	// Round trip through our own layout keeps the value.
	back, err := ParseDateTime(dt.Format(wireLayout))
	if err != nil || !back.Equal(dt.Time) || back.Flag != "" {
		t.Fatalf("round trip: %v %v", back, err)
	}
}

func TestParseDateTimeAllocs(t *testing.T) {
	b := []byte("2024-01-02T03:04:05.123+05:30")
	if n := testing.AllocsPerRun(100, func() { _, _, _ = parseDateTime(b) }); n != 0 {
		t.Fatalf("parseDateTime allocates %v times", n)
	}
}
