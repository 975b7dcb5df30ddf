package tariffs

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/chargehub/hub/ocpi"
	"github.com/shopspring/decimal"
)

// Errors returned by Price and PriceCDR (wrapped with details; match them with errors.Is).
var (
	// ErrInvalidTariff: the tariff cannot be interpreted (bad restriction syntax, no elements...).
	ErrInvalidTariff = errors.New("tariffs: invalid tariff")
	// ErrInvalidPeriods: there are no charging periods or they cannot be priced.
	ErrInvalidPeriods = errors.New("tariffs: invalid charging periods")
	// ErrTariffNotActive: the session starts outside the tariff's start/end_date_time.
	ErrTariffNotActive = errors.New("tariffs: tariff not valid at session start")
	// ErrMismatch: the CDR does not belong to the tariff (currency or tariff_id differ).
	ErrMismatch = errors.New("tariffs: CDR does not match the tariff")
)

// dim is a priced dimension.
type dim uint8

const (
	dimFlat dim = iota
	dimEnergy
	dimTime
	dimParking
	numDims
)

var dimTypes = [numDims]ocpi.TariffDimensionType{
	ocpi.TariffDimensionFlat, ocpi.TariffDimensionEnergy, ocpi.TariffDimensionTime, ocpi.TariffDimensionParkingTime,
}

// component is the first price component of one dimension in an element.
type component struct {
	ok     bool
	index  int // index in the element's price_components
	price  decimal.Decimal
	hasVAT bool
	vat    decimal.Decimal // percentage
	step   int64
}

// optDec is an optional decimal.
type optDec struct {
	v  decimal.Decimal
	ok bool
}

func opt(d *ocpi.Decimal) optDec {
	if d == nil || !d.IsSet() {
		return optDec{}
	}
	return optDec{d.Decimal, true}
}

// restrictions is a compiled TariffRestrictions.
type restrictions struct {
	startSec, endSec     int // seconds after local midnight; -1 when absent
	startDate, endDate   int // local date as yyyymmdd; 0 when absent
	minKWh, maxKWh       optDec
	minCurrent, maxCurr  optDec
	minPower, maxPower   optDec
	minDur, maxDur       time.Duration // -1 when absent
	weekdays             uint8         // bit per time.Weekday; 0 = any day
	reservation          ocpi.ReservationRestrictionType
	local                bool // any time-of-day, date or weekday restriction
	needsTime, needsDate bool
}

// element is a compiled TariffElement.
type element struct {
	comps       [numDims]component
	r           restrictions
	parkingOnly bool // prices PARKING_TIME but neither ENERGY nor TIME: its FLAT is a parking cost
}

// compiled is a tariff prepared for pricing.
type compiled struct {
	elemBuf     [4]element // backing store for small tariffs (one allocation less)
	clockBuf    [8]int
	elems       []element
	clockSecs   []int           // distinct local times of day (s) where a restriction may change
	durations   []time.Duration // distinct min/max_duration values
	kwhs        []decimal.Decimal
	local       bool // some restriction depends on local time, date or weekday
	power       bool // some restriction looks at power (average power may be needed)
	reservation bool // some element prices reservations
	minPrice    *ocpi.Price
	maxPrice    *ocpi.Price
}

var one = decimal.NewFromInt(1)

func compile(t *ocpi.Tariff) (*compiled, error) {
	if len(t.Elements) == 0 {
		return nil, fmt.Errorf("%w: no elements", ErrInvalidTariff)
	}
	c := &compiled{minPrice: t.MinPrice, maxPrice: t.MaxPrice}
	if len(t.Elements) <= len(c.elemBuf) {
		c.elems = c.elemBuf[:len(t.Elements)]
	} else {
		c.elems = make([]element, len(t.Elements))
	}
	c.clockSecs = c.clockBuf[:0]
	for i := range t.Elements {
		te := &t.Elements[i]
		e := &c.elems[i]
		for j := range te.PriceComponents {
			pc := &te.PriceComponents[j]
			d, ok := dimOf(pc.Type)
			if !ok {
				return nil, fmt.Errorf("%w: elements[%d].price_components[%d].type: unknown value %q",
					ErrInvalidTariff, i, j, pc.Type)
			}
			if e.comps[d].ok {
				continue // the first component of a dimension wins
			}
			if pc.StepSize < 0 {
				return nil, fmt.Errorf("%w: elements[%d].price_components[%d].step_size: negative",
					ErrInvalidTariff, i, j)
			}
			comp := component{ok: true, index: j, price: pc.Price.Decimal, step: int64(pc.StepSize)}
			if pc.VAT != nil && pc.VAT.IsSet() {
				comp.hasVAT = true
				comp.vat = pc.VAT.Decimal
			}
			e.comps[d] = comp
		}
		e.parkingOnly = e.comps[dimParking].ok && !e.comps[dimEnergy].ok && !e.comps[dimTime].ok
		r, err := compileRestrictions(te.Restrictions)
		if err != nil {
			return nil, fmt.Errorf("%w: elements[%d].restrictions.%w", ErrInvalidTariff, i, err)
		}
		e.r = r
		if r.reservation != "" {
			c.reservation = true
		}
		if r.local {
			c.local = true
			// Local midnight changes the outcome of date and weekday restrictions and of a
			// one-sided time window (start only: active until midnight; end only: from midnight).
			if r.needsDate || r.weekdays != 0 || (r.startSec >= 0) != (r.endSec >= 0) {
				c.clockSecs = addClock(c.clockSecs, 0)
			}
			if r.startSec >= 0 {
				c.clockSecs = addClock(c.clockSecs, r.startSec)
			}
			if r.endSec >= 0 {
				c.clockSecs = addClock(c.clockSecs, r.endSec)
			}
		}
		c.power = c.power || r.minPower.ok || r.maxPower.ok
		for _, d := range []time.Duration{r.minDur, r.maxDur} {
			if d >= 0 && !containsDur(c.durations, d) {
				c.durations = append(c.durations, d)
			}
		}
		for _, k := range []optDec{r.minKWh, r.maxKWh} {
			if k.ok && !containsDec(c.kwhs, k.v) {
				c.kwhs = append(c.kwhs, k.v)
			}
		}
	}
	sort.Ints(c.clockSecs)
	return c, nil
}

func dimOf(t ocpi.TariffDimensionType) (dim, bool) {
	for d, dt := range dimTypes {
		if dt == t {
			return dim(d), true
		}
	}
	return 0, false
}

// compileRestrictions parses r; the returned error names the field ("start_time: ...").
func compileRestrictions(r *ocpi.TariffRestrictions) (restrictions, error) {
	out := restrictions{startSec: -1, endSec: -1, minDur: -1, maxDur: -1}
	if r == nil {
		return out, nil
	}
	var err error
	if r.StartTime != "" {
		if out.startSec, err = clockSeconds(r.StartTime); err != nil {
			return out, fmt.Errorf("start_time: %w", err)
		}
	}
	if r.EndTime != "" {
		if out.endSec, err = clockSeconds(r.EndTime); err != nil {
			return out, fmt.Errorf("end_time: %w", err)
		}
	}
	if r.StartDate != "" {
		if out.startDate, err = dateNumber(r.StartDate); err != nil {
			return out, fmt.Errorf("start_date: %w", err)
		}
	}
	if r.EndDate != "" {
		if out.endDate, err = dateNumber(r.EndDate); err != nil {
			return out, fmt.Errorf("end_date: %w", err)
		}
	}
	for i, d := range r.DayOfWeek {
		wd, ok := d.Weekday()
		if !ok {
			return out, fmt.Errorf("day_of_week[%d]: unknown value %q", i, d)
		}
		out.weekdays |= 1 << uint(wd)
	}
	out.minKWh, out.maxKWh = opt(r.MinKWh), opt(r.MaxKWh)
	out.minCurrent, out.maxCurr = opt(r.MinCurrent), opt(r.MaxCurrent)
	out.minPower, out.maxPower = opt(r.MinPower), opt(r.MaxPower)
	if r.MinDuration != nil {
		out.minDur = time.Duration(*r.MinDuration) * time.Second
	}
	if r.MaxDuration != nil {
		out.maxDur = time.Duration(*r.MaxDuration) * time.Second
	}
	if r.Reservation != "" && !r.Reservation.IsValid() {
		return out, fmt.Errorf("reservation: unknown value %q", r.Reservation)
	}
	out.reservation = r.Reservation
	out.needsTime = out.startSec >= 0 || out.endSec >= 0
	out.needsDate = out.startDate != 0 || out.endDate != 0
	out.local = out.needsTime || out.needsDate || out.weekdays != 0
	return out, nil
}

func clockSeconds(s string) (int, error) {
	m, err := ocpi.ParseTimeOfDay(s)
	return m * 60, err
}

func dateNumber(s string) (int, error) {
	y, m, d, err := ocpi.ParseLocalDate(s)
	return y*10000 + int(m)*100 + d, err
}

func containsDur(s []time.Duration, d time.Duration) bool {
	for _, x := range s {
		if x == d {
			return true
		}
	}
	return false
}

func containsDec(s []decimal.Decimal, d decimal.Decimal) bool {
	for _, x := range s {
		if x.Equal(d) {
			return true
		}
	}
	return false
}

func addClock(s []int, sec int) []int {
	for _, x := range s {
		if x == sec {
			return s
		}
	}
	return append(s, sec)
}

// addDec adds without allocating when one side is zero (the common case for accumulators).
func addDec(a, b decimal.Decimal) decimal.Decimal {
	switch {
	case b.IsZero():
		return a
	case a.IsZero():
		return b
	}
	return a.Add(b)
}

// incl returns excl plus the component's VAT (excl when it has no VAT).
func (c *component) incl(excl decimal.Decimal) decimal.Decimal {
	if !c.hasVAT || excl.IsZero() {
		return excl
	}
	return excl.Add(excl.Mul(c.vat).Shift(-2))
}
