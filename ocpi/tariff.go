package ocpi

import (
	"fmt"
	"time"
)

// TariffType says which kind of session a tariff is for (open enum: other values are accepted).
type TariffType string

// TariffType values.
const (
	TariffTypeAdHocPayment TariffType = "AD_HOC_PAYMENT"
	TariffTypeProfileCheap TariffType = "PROFILE_CHEAP"
	TariffTypeProfileFast  TariffType = "PROFILE_FAST"
	TariffTypeProfileGreen TariffType = "PROFILE_GREEN"
	TariffTypeRegular      TariffType = "REGULAR"
)

// TariffDimensionType is the dimension a PriceComponent prices (closed enum).
type TariffDimensionType string

// TariffDimensionType values.
const (
	TariffDimensionEnergy      TariffDimensionType = "ENERGY"       // per kWh; step unit 1 Wh
	TariffDimensionFlat        TariffDimensionType = "FLAT"         // per session; no step unit
	TariffDimensionParkingTime TariffDimensionType = "PARKING_TIME" // per hour not charging; step unit 1 s
	TariffDimensionTime        TariffDimensionType = "TIME"         // per hour charging (or reserved); step unit 1 s
)

// IsValid reports whether t is one of the defined values.
func (t TariffDimensionType) IsValid() bool {
	switch t {
	case TariffDimensionEnergy, TariffDimensionFlat, TariffDimensionParkingTime, TariffDimensionTime:
		return true
	}
	return false
}

// DayOfWeek is a local weekday in a TariffRestrictions (closed enum).
type DayOfWeek string

// DayOfWeek values.
const (
	Monday    DayOfWeek = "MONDAY"
	Tuesday   DayOfWeek = "TUESDAY"
	Wednesday DayOfWeek = "WEDNESDAY"
	Thursday  DayOfWeek = "THURSDAY"
	Friday    DayOfWeek = "FRIDAY"
	Saturday  DayOfWeek = "SATURDAY"
	Sunday    DayOfWeek = "SUNDAY"
)

// Weekday converts d to a time.Weekday; ok is false for an unknown value.
func (d DayOfWeek) Weekday() (wd time.Weekday, ok bool) {
	switch d {
	case Monday:
		return time.Monday, true
	case Tuesday:
		return time.Tuesday, true
	case Wednesday:
		return time.Wednesday, true
	case Thursday:
		return time.Thursday, true
	case Friday:
		return time.Friday, true
	case Saturday:
		return time.Saturday, true
	case Sunday:
		return time.Sunday, true
	}
	return 0, false
}

// IsValid reports whether d is one of the defined values.
func (d DayOfWeek) IsValid() bool { _, ok := d.Weekday(); return ok }

// ReservationRestrictionType marks a TariffElement as pricing a reservation (closed enum).
type ReservationRestrictionType string

// ReservationRestrictionType values.
const (
	// ReservationRestrictionReservation: the element prices reservation time, whether or not the
	// reservation was followed by a charging session.
	ReservationRestrictionReservation ReservationRestrictionType = "RESERVATION"
	// ReservationRestrictionExpires: the element prices a reservation that expired without a
	// charging session.
	ReservationRestrictionExpires ReservationRestrictionType = "RESERVATION_EXPIRES"
)

// IsValid reports whether r is one of the defined values.
func (r ReservationRestrictionType) IsValid() bool {
	return r == ReservationRestrictionReservation || r == ReservationRestrictionExpires
}

// Tariff is the OCPI Tariff object.
type Tariff struct {
	CountryCode   string          `json:"country_code"`              // CiString(2)
	PartyID       string          `json:"party_id"`                  // CiString(3)
	ID            string          `json:"id"`                        // CiString(36)
	Currency      string          `json:"currency"`                  // string(3), ISO 4217
	Type          TariffType      `json:"type,omitempty"`            // absent: valid for every session
	TariffAltText []DisplayText   `json:"tariff_alt_text,omitempty"` // human readable tariff text
	TariffAltURL  string          `json:"tariff_alt_url,omitempty"`  // URL, string(255)
	MinPrice      *Price          `json:"min_price,omitempty"`       // a session costs at least this
	MaxPrice      *Price          `json:"max_price,omitempty"`       // a session costs at most this
	Elements      []TariffElement `json:"elements"`                  // at least one
	StartDateTime *DateTime       `json:"start_date_time,omitempty"` // valid from (UTC)
	EndDateTime   *DateTime       `json:"end_date_time,omitempty"`   // valid until (UTC)
	EnergyMix     *EnergyMix      `json:"energy_mix,omitempty"`
	LastUpdated   DateTime        `json:"last_updated"`
}

// TariffElement is a group of price components that apply under the same restrictions.
type TariffElement struct {
	PriceComponents []PriceComponent    `json:"price_components"`       // at least one
	Restrictions    *TariffRestrictions `json:"restrictions,omitempty"` // absent: always applies
}

// PriceComponent prices one dimension.
type PriceComponent struct {
	Type     TariffDimensionType `json:"type"`
	Price    Decimal             `json:"price"`         // per unit, excluding VAT
	VAT      *Decimal            `json:"vat,omitempty"` // percentage; absent: no VAT applies (not the same as 0)
	StepSize int                 `json:"step_size"`     // billing granularity in step units (1 Wh, 1 s)
}

// TariffRestrictions say when a TariffElement applies; all set fields must hold (logical AND).
// Times and dates are local to the Location's time zone.
type TariffRestrictions struct {
	StartTime   string                     `json:"start_time,omitempty"`   // "HH:MM", inclusive
	EndTime     string                     `json:"end_time,omitempty"`     // "HH:MM", exclusive; < start_time wraps past midnight
	StartDate   string                     `json:"start_date,omitempty"`   // "YYYY-MM-DD", inclusive
	EndDate     string                     `json:"end_date,omitempty"`     // "YYYY-MM-DD", exclusive
	MinKWh      *Decimal                   `json:"min_kwh,omitempty"`      // session energy >= this
	MaxKWh      *Decimal                   `json:"max_kwh,omitempty"`      // session energy < this
	MinCurrent  *Decimal                   `json:"min_current,omitempty"`  // A, current >= this
	MaxCurrent  *Decimal                   `json:"max_current,omitempty"`  // A, current < this
	MinPower    *Decimal                   `json:"min_power,omitempty"`    // kW, power >= this
	MaxPower    *Decimal                   `json:"max_power,omitempty"`    // kW, power < this
	MinDuration *int                       `json:"min_duration,omitempty"` // s, session duration >= this
	MaxDuration *int                       `json:"max_duration,omitempty"` // s, session duration < this
	DayOfWeek   []DayOfWeek                `json:"day_of_week,omitempty"`
	Reservation ReservationRestrictionType `json:"reservation,omitempty"`
}

// ParseTimeOfDay parses an OCPI "HH:MM" (pattern ([0-1][0-9]|2[0-3]):[0-5][0-9]) into minutes
// after midnight.
func ParseTimeOfDay(s string) (int, error) {
	if len(s) != 5 || s[2] != ':' || !allDigits(s[:2]) || !allDigits(s[3:]) {
		return 0, fmt.Errorf("ocpi: invalid time of day %q (want HH:MM)", s)
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if h > 23 || m > 59 {
		return 0, fmt.Errorf("ocpi: invalid time of day %q (want HH:MM)", s)
	}
	return h*60 + m, nil
}

// ParseLocalDate parses an OCPI "YYYY-MM-DD" into its year, month and day; the date must exist.
func ParseLocalDate(s string) (year int, month time.Month, day int, err error) {
	t, perr := time.Parse("2006-01-02", s)
	if perr != nil || len(s) != 10 {
		return 0, 0, 0, fmt.Errorf("ocpi: invalid date %q (want YYYY-MM-DD)", s)
	}
	return t.Year(), t.Month(), t.Day(), nil
}

// Validate checks every field of the tariff against OCPI 2.2.1 (required fields, lengths, enums,
// patterns); errors are rooted at "tariff".
func (t *Tariff) Validate() error {
	v := &validator{}
	t.validate(v, "tariff")
	return v.err()
}

func (t *Tariff) validate(v *validator, path string) {
	v.ciStringLen(path+".country_code", t.CountryCode, 2, 2, true)
	v.ciStringLen(path+".party_id", t.PartyID, 3, 3, true)
	v.ciString(path+".id", t.ID, 36, true)
	if v.str(path+".currency", t.Currency, 3, true) && len(t.Currency) != 3 {
		v.add(path+".currency", "must be a 3-letter ISO 4217 code, got %q", t.Currency)
	}
	v.openEnum(path+".type", string(t.Type), false)
	for i := range t.TariffAltText {
		t.TariffAltText[i].validate(v, index(path+".tariff_alt_text", i))
	}
	v.str(path+".tariff_alt_url", t.TariffAltURL, 255, false)
	if t.MinPrice != nil {
		t.MinPrice.validate(v, path+".min_price")
	}
	if t.MaxPrice != nil {
		t.MaxPrice.validate(v, path+".max_price")
	}
	if len(t.Elements) == 0 {
		v.add(path+".elements", "at least one element required")
	}
	for i := range t.Elements {
		t.Elements[i].validate(v, index(path+".elements", i))
	}
	if t.StartDateTime != nil && t.EndDateTime != nil && !t.StartDateTime.IsZero() &&
		!t.EndDateTime.Time.After(t.StartDateTime.Time) {
		v.add(path+".end_date_time", "must be after start_date_time")
	}
	if t.EnergyMix != nil {
		t.EnergyMix.validate(v, path+".energy_mix")
	}
	v.dateTime(path+".last_updated", t.LastUpdated)
}

func (e *TariffElement) validate(v *validator, path string) {
	if len(e.PriceComponents) == 0 {
		v.add(path+".price_components", "at least one price component required")
	}
	reservation := e.Restrictions != nil && e.Restrictions.Reservation != ""
	for i := range e.PriceComponents {
		p := index(path+".price_components", i)
		pc := &e.PriceComponents[i]
		if v.closedEnum(p+".type", string(pc.Type), pc.Type.IsValid(), true) && reservation &&
			pc.Type != TariffDimensionFlat && pc.Type != TariffDimensionTime {
			v.add(p+".type", "%s not allowed in a reservation element (only FLAT and TIME)", pc.Type)
		}
		v.number(p+".price", pc.Price)
		if pc.VAT != nil && pc.VAT.IsNegative() {
			v.add(p+".vat", "must not be negative")
		}
		if pc.StepSize < 0 {
			v.add(p+".step_size", "must not be negative")
		}
	}
	if e.Restrictions != nil {
		e.Restrictions.validate(v, path+".restrictions")
	}
}

func (r *TariffRestrictions) validate(v *validator, path string) {
	for _, f := range []struct{ name, val string }{{"start_time", r.StartTime}, {"end_time", r.EndTime}} {
		if f.val != "" {
			if _, err := ParseTimeOfDay(f.val); err != nil {
				v.add(path+"."+f.name, "must be HH:MM (00:00-23:59), got %q", f.val)
			}
		}
	}
	for _, f := range []struct{ name, val string }{{"start_date", r.StartDate}, {"end_date", r.EndDate}} {
		if f.val != "" {
			if _, _, _, err := ParseLocalDate(f.val); err != nil {
				v.add(path+"."+f.name, "must be a date YYYY-MM-DD, got %q", f.val)
			}
		}
	}
	// Energy thresholds cannot be negative; current and power ones can (discharging, V2G).
	if r.MinKWh != nil && r.MinKWh.IsNegative() {
		v.add(path+".min_kwh", "must not be negative")
	}
	if r.MaxKWh != nil && r.MaxKWh.IsNegative() {
		v.add(path+".max_kwh", "must not be negative")
	}
	for _, f := range []struct {
		name string
		val  *int
	}{{"min_duration", r.MinDuration}, {"max_duration", r.MaxDuration}} {
		if f.val != nil && *f.val < 0 {
			v.add(path+"."+f.name, "must not be negative")
		}
	}
	for i, d := range r.DayOfWeek {
		v.closedEnum(index(path+".day_of_week", i), string(d), d.IsValid(), true)
	}
	v.closedEnum(path+".reservation", string(r.Reservation), r.Reservation.IsValid(), false)
}
