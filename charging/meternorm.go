package charging

import (
	"regexp"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Measurand, context and location defaults of OCPP sampled values.
const (
	MeasurandEnergyImport = "Energy.Active.Import.Register"
	defaultContext        = "Sample.Periodic"
	defaultLocation       = "Outlet"
	defaultFormat         = "Raw"
	formatSigned          = "SignedData"
)

// Flags recorded on samples.
const (
	FlagValueInvalid = "value_invalid" // the value was not a finite number; kept raw, unused
	FlagTsInvalid    = "ts_invalid"    // the timestamp was implausible and replaced by the receive time
)

// RawSample is one sampled value as a station sent it (version-neutral).
type RawSample struct {
	Timestamp     time.Time
	TimestampFlag string // a wire.DateTime flag such as ts_no_zone
	Value         string // 1.6 string value; 2.0.1 numbers are passed as their decimal text
	Multiplier    int    // 2.0.1 unitOfMeasure.multiplier (power of ten)
	Unit          string
	Measurand     string
	Phase         string
	Location      string
	Context       string
	Format        string
	// Per-vendor leniency: NoDecimalComma refuses "12,5" (the value is kept raw, unused);
	// WhIsKWh scales energy readings labelled Wh (or unlabelled) by 1000.
	NoDecimalComma bool
	WhIsKWh        bool
}

// FlagUnitOverride marks a reading rescaled by a vendor profile.
const FlagUnitOverride = "unit_override"

var decimalComma = regexp.MustCompile(`^-?\d+,\d+$`)

// unitScale maps a unit to its normalised unit and the factor to get there.
var unitScale = map[string]struct {
	unit   string
	factor int32 // power of ten
}{
	"wh": {"Wh", 0}, "kwh": {"Wh", 3}, "varh": {"varh", 0}, "kvarh": {"varh", 3},
	"w": {"W", 0}, "kw": {"W", 3}, "var": {"var", 0}, "kvar": {"var", 3}, "va": {"VA", 0}, "kva": {"VA", 3},
	"a": {"A", 0}, "v": {"V", 0}, "k": {"K", 0}, "celsius": {"Celsius", 0}, "celcius": {"Celsius", 0},
	"fahrenheit": {"Fahrenheit", 0}, "percent": {"Percent", 0},
}

// NormaliseSample turns a raw sample into a stored MeterSample: defaults applied, value
// parsed as a decimal (decimal commas fixed), scaled to Wh/W/var/VA. Unknown units are kept
// as they came; non-numeric values are kept raw with a flag.
func NormaliseSample(r RawSample, stationID string, evseID, connectorID int, receivedAt time.Time, maxAhead time.Duration) MeterSample {
	m := MeterSample{StationID: stationID, EVSEID: evseID, ConnectorID: connectorID, Timestamp: r.Timestamp,
		Measurand: r.Measurand, Phase: r.Phase, Location: r.Location, Context: r.Context, Format: r.Format,
		RawValue: r.Value, RawUnit: r.Unit, ReceivedAt: receivedAt}
	if m.Measurand == "" {
		m.Measurand = MeasurandEnergyImport
	}
	if m.Context == "" {
		m.Context = defaultContext
	}
	if m.Location == "" {
		m.Location = defaultLocation
	}
	if m.Format == "" {
		m.Format = defaultFormat
	}
	if r.TimestampFlag != "" {
		m.Flags = append(m.Flags, r.TimestampFlag)
	}
	if ts, bad := PlausibleTime(r.Timestamp, receivedAt, maxAhead); bad {
		m.Timestamp = ts
		m.Flags = append(m.Flags, FlagTsInvalid)
	}
	if m.Format == formatSigned {
		return m
	}
	text := strings.TrimSpace(r.Value)
	if decimalComma.MatchString(text) && !r.NoDecimalComma {
		text = strings.Replace(text, ",", ".", 1)
		m.Flags = append(m.Flags, FlagDecimalComma)
	}
	v, err := decimal.NewFromString(text)
	if err != nil {
		m.Flags = append(m.Flags, FlagValueInvalid)
		return m
	}
	unit := r.Unit
	if unit == "" && strings.HasPrefix(m.Measurand, "Energy.") {
		unit = "Wh"
		if strings.Contains(m.Measurand, "Reactive") {
			unit = "varh"
		}
	}
	if r.WhIsKWh && strings.HasPrefix(m.Measurand, "Energy.") && (r.Unit == "" || strings.EqualFold(r.Unit, "Wh")) {
		unit = "kWh"
		m.Flags = append(m.Flags, FlagUnitOverride)
	}
	exp := int32(r.Multiplier)
	if sc, ok := unitScale[strings.ToLower(unit)]; ok {
		unit = sc.unit
		exp += sc.factor
	}
	if exp != 0 {
		v = v.Shift(exp)
	}
	m.Value, m.Unit = &v, unit
	return m
}

// PlausibleTime replaces a station timestamp that is zero, before 2010 or more than maxAhead
// after the receive time by the receive time; bad reports the replacement.
func PlausibleTime(ts, receivedAt time.Time, maxAhead time.Duration) (time.Time, bool) {
	if ts.IsZero() || ts.Year() < 2010 || ts.After(receivedAt.Add(maxAhead)) {
		return receivedAt, true
	}
	return ts.UTC(), false
}

// energyRegisterWh returns the whole-meter active import register reading of a sample set
// taken at one instant, in Wh: the phase-less sample if present, else the sum of phases.
func energyRegisterWh(samples []MeterSample) (decimal.Decimal, bool) {
	var sum decimal.Decimal
	var phases int
	for _, s := range samples {
		if s.Measurand != MeasurandEnergyImport || s.Value == nil || s.Unit != "Wh" ||
			(s.Location != defaultLocation && s.Location != "") {
			continue
		}
		if s.Phase == "" {
			return *s.Value, true
		}
		if !strings.HasSuffix(s.Phase, "-N") && len(s.Phase) == 2 { // L1, L2, L3
			sum = sum.Add(*s.Value)
			phases++
		}
	}
	return sum, phases > 0
}

// SessionEnergyWh computes delivered energy from the start reading, the register readings
// seen during the session (in time order) and the stop reading. A drop to well below the
// previous reading is a meter reset (energy restarts from 0); a small drop is jitter and
// ignored. The result is never negative; reset reports whether a reset was seen.
func SessionEnergyWh(start int64, readings []decimal.Decimal, stop int64) (energy int64, reset bool) {
	seq := make([]decimal.Decimal, 0, len(readings)+2)
	seq = append(seq, decimal.NewFromInt(start))
	seq = append(seq, readings...)
	seq = append(seq, decimal.NewFromInt(stop))
	total := decimal.Zero
	prev := seq[0]
	for _, cur := range seq[1:] {
		switch {
		case cur.GreaterThanOrEqual(prev):
			total = total.Add(cur.Sub(prev))
			prev = cur
		case cur.LessThan(prev.Div(decimal.NewFromInt(2))):
			total = total.Add(cur) // register restarted from zero
			reset = true
			prev = cur
		default:
			// small backwards step: keep the higher reading
		}
	}
	return total.Round(0).IntPart(), reset
}
