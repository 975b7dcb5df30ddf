package ocpi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// DisplayText is a text in one language (OCPI class DisplayText).
type DisplayText struct {
	Language string `json:"language"` // string(2), ISO 639-1
	Text     string `json:"text"`     // string(512), plain text
}

func (d *DisplayText) validate(v *validator, path string) {
	if v.str(path+".language", d.Language, 2, true) && len(d.Language) != 2 {
		v.add(path+".language", "must be a 2-letter ISO 639-1 code")
	}
	v.str(path+".text", d.Text, 512, true)
}

// Validate checks a DisplayText on its own; errors are rooted at "display_text".
func (d *DisplayText) Validate() error {
	v := &validator{}
	d.validate(v, "display_text")
	return v.err()
}

// Price is an amount without VAT and, optionally, with VAT (OCPI class Price).
type Price struct {
	ExclVat Decimal  `json:"excl_vat"`
	InclVat *Decimal `json:"incl_vat,omitempty"`
}

func (p *Price) validate(v *validator, path string) {
	v.number(path+".excl_vat", p.ExclVat)
}

// DateTime is an OCPI DateTime: an instant, always UTC on output.
//
// Output is "2006-01-02T15:04:05Z", or "2006-01-02T15:04:05.000Z" when the instant has a fraction
// of a second (truncated to milliseconds, so the text stays within string(25)). Input is lenient:
// "Z", no zone designator (which OCPI defines as UTC) or any numeric offset (converted to UTC),
// with 0 to 9 fractional digits. JSON null or "" leave the DateTime zero (absent).
type DateTime struct{ time.Time }

// NewDateTime returns t as a DateTime in UTC, truncated to the millisecond its JSON keeps: a
// DateTime in memory equals what its JSON reads back as, so an object kept in memory after it
// was stored behaves as the stored one does (e.g. when last_updated times are compared).
func NewDateTime(t time.Time) DateTime { return DateTime{t.UTC().Truncate(time.Millisecond)} }

var dateTimeLayouts = []string{
	"2006-01-02T15:04:05Z07:00", // Z or ±hh:mm; a fraction after the seconds is accepted when parsing
	"2006-01-02T15:04:05",       // no zone designator: UTC
	"2006-01-02T15:04:05Z0700",  // ±hhmm
}

// ParseDateTime reads an OCPI DateTime leniently (see DateTime).
func ParseDateTime(s string) (DateTime, error) {
	for _, layout := range dateTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return NewDateTime(t), nil
		}
	}
	return DateTime{}, fmt.Errorf("ocpi: invalid DateTime %q", s)
}

// String formats the DateTime as OCPI emits it.
func (d DateTime) String() string {
	t := d.UTC()
	if t.Nanosecond() >= int(time.Millisecond) {
		return t.Format("2006-01-02T15:04:05.000Z")
	}
	return t.Format("2006-01-02T15:04:05Z")
}

// MarshalJSON emits the UTC form (see DateTime).
func (d DateTime) MarshalJSON() ([]byte, error) {
	if y := d.UTC().Year(); y < 0 || y > 9999 {
		return nil, fmt.Errorf("ocpi: DateTime year %d out of range", y)
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads a DateTime leniently (see DateTime).
func (d *DateTime) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		*d = DateTime{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("ocpi: DateTime must be a string: %w", err)
	}
	if s == "" {
		*d = DateTime{}
		return nil
	}
	v, err := ParseDateTime(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// GeoLocation is a WGS 84 position. OCPI carries the coordinates as strings (P-LAT, P-LON: 5 to 7
// decimals); JSON numbers from lenient peers are accepted on input and kept as their text.
type GeoLocation struct {
	Latitude  string `json:"latitude"`  // string(10), -?[0-9]{1,2}\.[0-9]{5,7}
	Longitude string `json:"longitude"` // string(11), -?[0-9]{1,3}\.[0-9]{5,7}
}

// UnmarshalJSON accepts each coordinate as a string or as a JSON number.
func (g *GeoLocation) UnmarshalJSON(b []byte) error {
	var raw struct {
		Latitude  json.RawMessage `json:"latitude"`
		Longitude json.RawMessage `json:"longitude"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	lat, err := coordinateText(raw.Latitude)
	if err != nil {
		return fmt.Errorf("ocpi: latitude: %w", err)
	}
	lon, err := coordinateText(raw.Longitude)
	if err != nil {
		return fmt.Errorf("ocpi: longitude: %w", err)
	}
	g.Latitude, g.Longitude = lat, lon
	return nil
}

func coordinateText(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	if raw[0] == '"' {
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	}
	if _, err := strconv.ParseFloat(string(raw), 64); err != nil {
		return "", fmt.Errorf("not a coordinate: %s", raw)
	}
	return string(raw), nil
}

func (g *GeoLocation) validate(v *validator, path string) {
	if v.str(path+".latitude", g.Latitude, 10, true) && !isCoordinate(g.Latitude, 2) {
		v.add(path+".latitude", "must match -?[0-9]{1,2}\\.[0-9]{5,7}, got %q", g.Latitude)
	}
	if v.str(path+".longitude", g.Longitude, 11, true) && !isCoordinate(g.Longitude, 3) {
		v.add(path+".longitude", "must match -?[0-9]{1,3}\\.[0-9]{5,7}, got %q", g.Longitude)
	}
}

// isCoordinate checks -?[0-9]{1,maxInt}\.[0-9]{5,7}.
func isCoordinate(s string, maxInt int) bool {
	s = strings.TrimPrefix(s, "-")
	i, f, ok := strings.Cut(s, ".")
	return ok && len(i) >= 1 && len(i) <= maxInt && allDigits(i) &&
		len(f) >= 5 && len(f) <= 7 && allDigits(f)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// EnergySourceCategory is a category of energy source (closed enum).
type EnergySourceCategory string

// EnergySourceCategory values.
const (
	EnergySourceNuclear       EnergySourceCategory = "NUCLEAR"
	EnergySourceGeneralFossil EnergySourceCategory = "GENERAL_FOSSIL"
	EnergySourceCoal          EnergySourceCategory = "COAL"
	EnergySourceGas           EnergySourceCategory = "GAS"
	EnergySourceGeneralGreen  EnergySourceCategory = "GENERAL_GREEN"
	EnergySourceSolar         EnergySourceCategory = "SOLAR"
	EnergySourceWind          EnergySourceCategory = "WIND"
	EnergySourceWater         EnergySourceCategory = "WATER"
)

// IsValid reports whether c is one of the defined values.
func (c EnergySourceCategory) IsValid() bool {
	switch c {
	case EnergySourceNuclear, EnergySourceGeneralFossil, EnergySourceCoal, EnergySourceGas,
		EnergySourceGeneralGreen, EnergySourceSolar, EnergySourceWind, EnergySourceWater:
		return true
	}
	return false
}

// EnvironmentalImpactCategory is a category of environmental impact (open enum: other values
// are accepted).
type EnvironmentalImpactCategory string

// EnvironmentalImpactCategory values.
const (
	EnvironmentalImpactNuclearWaste  EnvironmentalImpactCategory = "NUCLEAR_WASTE"
	EnvironmentalImpactCarbonDioxide EnvironmentalImpactCategory = "CARBON_DIOXIDE"
)

// EnergyMix describes the energy supplied at a location or under a tariff. It is shared by the
// Locations and Tariffs modules.
type EnergyMix struct {
	IsGreenEnergy     bool                  `json:"is_green_energy"`
	EnergySources     []EnergySource        `json:"energy_sources,omitempty"`
	EnvironImpact     []EnvironmentalImpact `json:"environ_impact,omitempty"`
	SupplierName      string                `json:"supplier_name,omitempty"`       // string(64)
	EnergyProductName string                `json:"energy_product_name,omitempty"` // string(64)
}

// EnergySource is one share of the energy mix.
type EnergySource struct {
	Source     EnergySourceCategory `json:"source"`
	Percentage Decimal              `json:"percentage"` // 0-100
}

// EnvironmentalImpact is an amount of an environmental impact, in g/kWh.
type EnvironmentalImpact struct {
	Category EnvironmentalImpactCategory `json:"category"`
	Amount   Decimal                     `json:"amount"`
}

func (e *EnergyMix) validate(v *validator, path string) {
	for i := range e.EnergySources {
		p := index(path+".energy_sources", i)
		s := &e.EnergySources[i]
		v.closedEnum(p+".source", string(s.Source), s.Source.IsValid(), true)
		v.number(p+".percentage", s.Percentage)
	}
	for i := range e.EnvironImpact {
		p := index(path+".environ_impact", i)
		im := &e.EnvironImpact[i]
		v.openEnum(p+".category", string(im.Category), true)
		v.number(p+".amount", im.Amount)
	}
	v.str(path+".supplier_name", e.SupplierName, 64, false)
	v.str(path+".energy_product_name", e.EnergyProductName, 64, false)
}

// Validate checks an EnergyMix on its own; errors are rooted at "energy_mix".
func (e *EnergyMix) Validate() error {
	v := &validator{}
	e.validate(v, "energy_mix")
	return v.err()
}

// ErrInvalid is matched (errors.Is) by every validation error of this package.
var ErrInvalid = errors.New("ocpi: invalid object")

// ValidationError is one problem found by a Validate method.
type ValidationError struct {
	Path string // full field path including the root, e.g. "tariff.elements[0].price_components[1].type"
	Msg  string // e.g. `unknown value "ENERGYX"` or "required"
}

// Error returns "path: message".
func (e *ValidationError) Error() string { return e.Path + ": " + e.Msg }

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Field returns the path without its root object name: "elements[0].price_components[1].type"
// for "tariff.elements[0].price_components[1].type".
func (e *ValidationError) Field() string {
	if i := strings.IndexAny(e.Path, ".["); i >= 0 && e.Path[i] == '.' {
		return e.Path[i+1:]
	}
	return e.Path
}

// ValidationErrors is every problem found by one Validate call, in field order.
type ValidationErrors []*ValidationError

// Error joins the problems on one line, separated by "; ".
func (es ValidationErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap exposes the single errors to errors.Is and errors.As.
func (es ValidationErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// validator collects ValidationErrors; each check returns whether the value passed.
type validator struct{ errs ValidationErrors }

func (v *validator) add(path, format string, args ...any) {
	v.errs = append(v.errs, &ValidationError{Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (v *validator) err() error {
	if len(v.errs) == 0 {
		return nil
	}
	return v.errs
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// ciString checks a CiString(max): printable ASCII only, at most max characters.
func (v *validator) ciString(path, s string, max int, required bool) bool {
	return v.ciStringLen(path, s, 0, max, required)
}

// ciStringLen checks a CiString with a minimum length too (country_code 2, party_id 3).
func (v *validator) ciStringLen(path, s string, min, max int, required bool) bool {
	if s == "" {
		if required {
			v.add(path, "required")
			return false
		}
		return true
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			v.add(path, "only printable ASCII allowed")
			return false
		}
	}
	if len(s) > max {
		v.add(path, "longer than %d characters", max)
		return false
	}
	if len(s) < min {
		v.add(path, "shorter than %d characters", min)
		return false
	}
	return true
}

// str checks a string(max): valid UTF-8 without control characters, at most max characters.
func (v *validator) str(path, s string, max int, required bool) bool {
	if s == "" {
		if required {
			v.add(path, "required")
			return false
		}
		return true
	}
	if !utf8.ValidString(s) {
		v.add(path, "invalid UTF-8")
		return false
	}
	n := 0
	for _, r := range s {
		if unicode.IsControl(r) {
			v.add(path, "control characters not allowed")
			return false
		}
		n++
	}
	if n > max {
		v.add(path, "longer than %d characters", max)
		return false
	}
	return true
}

// closedEnum checks a value of an enum whose value list is closed.
func (v *validator) closedEnum(path, val string, valid, required bool) bool {
	switch {
	case val == "":
		if required {
			v.add(path, "required")
			return false
		}
		return true
	case !valid:
		v.add(path, "unknown value %q", val)
		return false
	}
	return true
}

// openEnum checks a value of an enum that OCPI declares open: any printable value is accepted.
func (v *validator) openEnum(path, val string, required bool) bool {
	return v.ciString(path, val, 255, required)
}

// number checks a required number.
func (v *validator) number(path string, d Decimal) bool {
	if !d.IsSet() {
		v.add(path, "required")
		return false
	}
	return true
}

// dateTime checks a required DateTime.
func (v *validator) dateTime(path string, d DateTime) bool {
	if d.IsZero() {
		v.add(path, "required")
		return false
	}
	if y := d.UTC().Year(); y < 0 || y > 9999 {
		v.add(path, "year out of range 0000-9999")
		return false
	}
	return true
}
