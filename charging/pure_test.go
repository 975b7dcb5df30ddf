package charging

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestErrorCodes(t *testing.T) {
	cause := errors.New("disk on fire")
	err := fmt.Errorf("outer: %w", Errorf(CodeConflict, "station %s: %w", "A", cause))
	if got := ErrorCode(err); got != CodeConflict {
		t.Fatalf("code = %q, want conflict", got)
	}
	if !errors.Is(err, cause) {
		t.Fatal("cause lost")
	}
	if got := err.Error(); got != "outer: station A: disk on fire" {
		t.Fatalf("message = %q", got)
	}
	if ErrorCode(errors.New("plain")) != CodeInternal || ErrorCode(nil) != "" {
		t.Fatal("plain errors are internal, nil has no code")
	}
	if !IsNotFound(Errorf(CodeNotFound, "x")) {
		t.Fatal("IsNotFound")
	}
}

func TestNormaliseIDTag(t *testing.T) {
	tests := []struct {
		in, want string
		flags    []string
	}{
		{"abc123", "ABC123", nil},
		{"04A2B3C4D5E6F7\x10\x0e", "04A2B3C4D5E6F7", []string{FlagIDTagTrimmed}},
		{"TAG ", "TAG", []string{FlagIDTagTrimmed}},
		{"ABCDEFGHIJKLMNOPQRSTU", "ABCDEFGHIJKLMNOPQRSTU", []string{FlagIDTagTooLong}},
	}
	for _, tt := range tests {
		got, flags := NormaliseIDTag(tt.in, 20)
		if got != tt.want || fmt.Sprint(flags) != fmt.Sprint(tt.flags) {
			t.Errorf("NormaliseIDTag(%q) = %q %v, want %q %v", tt.in, got, flags, tt.want, tt.flags)
		}
	}
}

func TestNormaliseSample(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	ts := now.Add(-time.Minute)
	tests := []struct {
		name      string
		raw       RawSample
		wantValue string // "" = nil
		wantUnit  string
		wantFlags []string
	}{
		{"defaults to Wh register", RawSample{Timestamp: ts, Value: "1234"}, "1234", "Wh", nil},
		{"kWh scaled", RawSample{Timestamp: ts, Value: "0.505", Unit: "kWh"}, "505", "Wh", nil},
		{"decimal comma", RawSample{Timestamp: ts, Value: "12,5", Unit: "kWh"}, "12500", "Wh", []string{FlagDecimalComma}},
		{"kW power", RawSample{Timestamp: ts, Value: "7.4", Unit: "kW", Measurand: "Power.Active.Import"}, "7400", "W", nil},
		{"2.0.1 multiplier", RawSample{Timestamp: ts, Value: "12.5", Multiplier: 3, Unit: "Wh"}, "12500", "Wh", nil},
		{"Celcius alias", RawSample{Timestamp: ts, Value: "30", Unit: "Celcius", Measurand: "Temperature"}, "30", "Celsius", nil},
		{"garbage kept raw", RawSample{Timestamp: ts, Value: "NaN"}, "", "", []string{FlagValueInvalid}},
		{"signed data not parsed", RawSample{Timestamp: ts, Value: "OCMF|{}", Format: "SignedData"}, "", "", nil},
		{"unknown unit kept", RawSample{Timestamp: ts, Value: "50", Unit: "Hz", Measurand: "Frequency"}, "50", "Hz", nil},
		{"1970 clock replaced", RawSample{Timestamp: time.Unix(5, 0).UTC(), Value: "1"}, "1", "Wh", []string{FlagTsInvalid}},
		{"no zone flag kept", RawSample{Timestamp: ts, TimestampFlag: "ts_no_zone", Value: "1"}, "1", "Wh", []string{"ts_no_zone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NormaliseSample(tt.raw, "CP1", 1, 1, now, time.Hour)
			got := ""
			if m.Value != nil {
				got = m.Value.String()
			}
			if got != tt.wantValue || m.Unit != tt.wantUnit || fmt.Sprint(m.Flags) != fmt.Sprint(tt.wantFlags) {
				t.Fatalf("got value %q unit %q flags %v, want %q %q %v", got, m.Unit, m.Flags, tt.wantValue, tt.wantUnit, tt.wantFlags)
			}
			if m.RawValue != tt.raw.Value {
				t.Fatalf("raw value %q not kept", m.RawValue)
			}
			if m.Measurand == "" || m.Context != "Sample.Periodic" && tt.raw.Context == "" {
				t.Fatalf("defaults not applied: %+v", m)
			}
		})
	}
}

func dec(vs ...int64) []decimal.Decimal {
	out := make([]decimal.Decimal, len(vs))
	for i, v := range vs {
		out[i] = decimal.NewFromInt(v)
	}
	return out
}

func TestSessionEnergyWh(t *testing.T) {
	tests := []struct {
		name        string
		start       int64
		readings    []decimal.Decimal
		stop        int64
		want        int64
		wantResetOK bool
	}{
		{"plain", 1000, nil, 3500, 2500, false},
		{"with samples", 1000, dec(1500, 2500), 3500, 2500, false},
		{"reset mid-session adds pre-reset maximum", 10000, dec(12000, 300), 1300, 2000 + 300 + 1000, true},
		{"stop below start without samples never negative", 5000, nil, 100, 100, true},
		{"small backwards jitter ignored", 1000, dec(2000, 1990), 3000, 2000, false},
	}
	for _, tt := range tests {
		got, reset := SessionEnergyWh(tt.start, tt.readings, tt.stop)
		if got != tt.want || reset != tt.wantResetOK {
			t.Errorf("%s: got %d reset=%v, want %d reset=%v", tt.name, got, reset, tt.want, tt.wantResetOK)
		}
		if got < 0 {
			t.Errorf("%s: negative energy", tt.name)
		}
	}
}

func TestEnergyRegisterPrefersTotalOverPhases(t *testing.T) {
	v := func(s string) *decimal.Decimal { d := decimal.RequireFromString(s); return &d }
	phases := []MeterSample{
		{Measurand: MeasurandEnergyImport, Phase: "L1", Value: v("100"), Unit: "Wh", Location: "Outlet"},
		{Measurand: MeasurandEnergyImport, Phase: "L2", Value: v("110"), Unit: "Wh", Location: "Outlet"},
		{Measurand: MeasurandEnergyImport, Phase: "L3", Value: v("120"), Unit: "Wh", Location: "Outlet"},
	}
	got, ok := energyRegisterWh(phases)
	if !ok || got.String() != "330" {
		t.Fatalf("sum of phases = %v %v", got, ok)
	}
	total := append(phases, MeterSample{Measurand: MeasurandEnergyImport, Value: v("333"), Unit: "Wh", Location: "Outlet"})
	got, _ = energyRegisterWh(total)
	if got.String() != "333" {
		t.Fatalf("total not preferred: %v", got)
	}
	inlet := []MeterSample{{Measurand: MeasurandEnergyImport, Value: v("9"), Unit: "Wh", Location: "Inlet"}}
	if _, ok := energyRegisterWh(inlet); ok {
		t.Fatal("inlet register must not count as the EV's energy")
	}
}

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword([]byte("s3cr3t-\x00binary"))
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPassword(h, []byte("s3cr3t-\x00binary")) || CheckPassword(h, []byte("s3cr3t-")) || CheckPassword("garbage", nil) {
		t.Fatal("password check wrong")
	}
	h2, _ := HashPassword([]byte("s3cr3t-\x00binary"))
	if h == h2 {
		t.Fatal("hashes must be salted")
	}
}

func TestOnlyMetered(t *testing.T) {
	base := Transaction{ID: 1, StationID: "CP", StationTxID: "tx", EVSEID: 1, ConnectorID: 1, IDTag: "T", Status: TxActive,
		ChargingState: "Charging", StartedAt: time.Unix(100, 0).UTC(), StartReceivedAt: time.Unix(101, 0).UTC()}
	wh, seq, spent := int64(500), 3, 60
	stop := time.Unix(200, 0).UTC()
	remote := 7
	for _, tc := range []struct {
		name   string
		change func(t *Transaction)
		want   bool
	}{
		{"nothing", func(*Transaction) {}, true},
		{"readings and bookkeeping", func(t *Transaction) {
			t.LastMeterWh, t.EnergyWh, t.TimeSpentChargingS, t.LastSeqNo = &wh, 500, &spent, &seq
			t.Flags, t.UpdatedAt = []string{FlagLateEvent}, time.Unix(300, 0)
		}, true},
		{"charging state", func(t *Transaction) { t.ChargingState = "SuspendedEV" }, false},
		{"token", func(t *Transaction) { t.IDTag = "OTHER" }, false},
		{"evse", func(t *Transaction) { t.EVSEID = 2 }, false},
		{"connector", func(t *Transaction) { t.ConnectorID = 2 }, false},
		{"status", func(t *Transaction) { t.Status = TxCompleted }, false},
		{"stopped", func(t *Transaction) { t.StoppedAt = &stop }, false},
		{"start time", func(t *Transaction) { t.StartedAt = stop }, false},
		{"remote start id", func(t *Transaction) { t.RemoteStartID = &remote }, false},
		{"meter start", func(t *Transaction) { t.MeterStartWh = 1 }, false},
	} {
		after := base
		tc.change(&after)
		if got := onlyMetered(base, after); got != tc.want {
			t.Errorf("%s: onlyMetered = %v, want %v", tc.name, got, tc.want)
		}
	}
}
