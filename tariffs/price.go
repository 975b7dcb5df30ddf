package tariffs

import (
	"fmt"
	"time"

	"github.com/chargehub/hub/ocpi"
	"github.com/shopspring/decimal"
)

// Options are the session facts that are not in the charging periods.
type Options struct {
	// Location is the time zone in which start/end_time, start/end_date and day_of_week
	// restrictions are evaluated (the Location's time_zone). nil means UTC.
	Location *time.Location
	// SessionStart is the CDR's start_date_time: min/max_duration count from it and total_time
	// starts there. Zero means the first period's start.
	SessionStart time.Time
	// SessionEnd is the CDR's end_date_time: the last period ends there and total_time ends
	// there. Zero means the last period's start plus its TIME, PARKING_TIME and RESERVATION_TIME.
	SessionEnd time.Time
	// ReservationExpired, when set, says whether the reservation expired without a charging
	// session (RESERVATION_EXPIRES elements apply). nil: expired when the periods have
	// RESERVATION_TIME and no charging part.
	ReservationExpired *bool
	// IgnoreValidity prices even when the session starts outside the tariff's
	// start_date_time/end_date_time (otherwise ErrTariffNotActive).
	IgnoreValidity bool
}

// Money is an exact amount without and with VAT.
type Money struct {
	ExclVat decimal.Decimal
	InclVat decimal.Decimal
}

func (m Money) add(o Money) Money {
	return Money{addDec(m.ExclVat, o.ExclVat), addDec(m.InclVat, o.InclVat)}
}

// Price returns the amount rounded to 4 decimals as an OCPI Price with incl_vat.
func (m Money) Price() ocpi.Price {
	incl := ocpi.NewDecimal(round4(m.InclVat))
	return ocpi.Price{ExclVat: ocpi.NewDecimal(round4(m.ExclVat)), InclVat: &incl}
}

// Breakdown holds the exact (unrounded) cost totals.
type Breakdown struct {
	Fixed       Money // charging FLAT (total_fixed_cost)
	Energy      Money // ENERGY (total_energy_cost)
	Time        Money // charging TIME (total_time_cost)
	Parking     Money // PARKING_TIME and parking-only FLAT (total_parking_cost)
	Reservation Money // reservation FLAT and TIME (total_reservation_cost)
	Sum         Money // the five above, before min_price/max_price
	Total       Money // after min_price/max_price (total_cost)
}

// Line is one priced component in one (sub-)period.
type Line struct {
	Dimension   ocpi.TariffDimensionType
	Reservation bool             // prices the reservation part (RESERVATION_TIME or reservation FLAT)
	Element     int              // index in tariff.elements
	Component   int              // index in that element's price_components
	Quantity    decimal.Decimal  // measured: kWh, hours, or 1 for FLAT
	Billed      decimal.Decimal  // after step_size
	Price       decimal.Decimal  // per unit, excl. VAT
	VAT         *decimal.Decimal // percentage; nil: no VAT
}

// Cost is the exact cost of the line: Billed × Price, plus VAT.
func (l Line) Cost() Money {
	excl := l.Billed.Mul(l.Price)
	c := component{price: l.Price, hasVAT: l.VAT != nil}
	if l.VAT != nil {
		c.vat = *l.VAT
	}
	return Money{excl, c.incl(excl)}
}

// PeriodResult is the pricing of one charging period or of the part of one between two
// restriction boundaries.
type PeriodResult struct {
	Source          int       // index of the charging period
	Start           time.Time // start of this (part of the) period
	EnergyBefore    decimal.Decimal
	Energy          decimal.Decimal // kWh
	Time            decimal.Decimal // TIME, h
	ParkingTime     decimal.Decimal // h
	ReservationTime decimal.Decimal // h
	Lines           []Line
}

// Result is the priced session: every CDR cost and total field, plus the exact figures behind them.
type Result struct {
	TotalCost            ocpi.Price  // after min_price/max_price, 4 decimals
	TotalFixedCost       *ocpi.Price // always set
	TotalEnergyCost      *ocpi.Price // always set
	TotalTimeCost        *ocpi.Price // always set
	TotalParkingCost     *ocpi.Price // always set
	TotalReservationCost *ocpi.Price // set when the tariff prices reservations or there is reservation time

	TotalEnergy          ocpi.Decimal // kWh, Σ ENERGY
	TotalTime            ocpi.Decimal // h, session end - start, 6 decimals
	TotalParkingTime     ocpi.Decimal // h, Σ PARKING_TIME
	TotalReservationTime ocpi.Decimal // h, Σ RESERVATION_TIME

	MinPriceApplied bool // total_cost was raised to min_price (excl or incl)
	MaxPriceApplied bool // total_cost was lowered to max_price (excl or incl)
	Exact           Breakdown
	Periods         []PeriodResult
}

// line is a Line under construction.
type line struct {
	span int
	d    dim
	res  bool
	elem int
	qty  decimal.Decimal
	bill decimal.Decimal
}

// Price prices the charging periods under tariff t. The periods need not be sorted. See the
// package documentation for the rules.
func Price(t ocpi.Tariff, periods []ocpi.ChargingPeriod, opt Options) (Result, error) {
	c, err := Compile(t)
	if err != nil {
		return Result{}, err
	}
	return c.Price(periods, opt)
}

// Compiled is a tariff prepared once for pricing many CDRs (a finance run, a CDR sync): it is
// read-only after Compile and safe for concurrent use.
type Compiled struct {
	t ocpi.Tariff
	c *compiled
}

// Compile checks and prepares a tariff.
func Compile(t ocpi.Tariff) (*Compiled, error) {
	c, err := compile(&t)
	if err != nil {
		return nil, err
	}
	return &Compiled{t: t, c: c}, nil
}

// Price prices charging periods under the compiled tariff (see the package Price).
func (cp *Compiled) Price(periods []ocpi.ChargingPeriod, opt Options) (Result, error) {
	t, c := &cp.t, cp.c
	s, err := resolveSession(c, periods, &opt)
	if err != nil {
		return Result{}, err
	}
	if !opt.IgnoreValidity {
		if t.StartDateTime != nil && !t.StartDateTime.IsZero() && s.start.Before(t.StartDateTime.Time) {
			return Result{}, fmt.Errorf("%w: session starts %s, tariff %q starts %s",
				ErrTariffNotActive, ocpi.NewDateTime(s.start), t.ID, t.StartDateTime)
		}
		if t.EndDateTime != nil && !t.EndDateTime.IsZero() && !s.start.Before(t.EndDateTime.Time) {
			return Result{}, fmt.Errorf("%w: session starts %s, tariff %q ended %s",
				ErrTariffNotActive, ocpi.NewDateTime(s.start), t.ID, t.EndDateTime)
		}
	}
	spans := buildSpans(c, periods, &s)
	expired := reservationExpired(spans, opt.ReservationExpired)
	lines := chooseComponents(c, spans, &s, expired)
	applyStepSizes(c, lines)
	return assemble(c, spans, lines, &s), nil
}

func reservationExpired(spans []span, override *bool) bool {
	if override != nil {
		return *override
	}
	reserved := false
	for i := range spans {
		if spans[i].charging {
			return false
		}
		reserved = reserved || spans[i].reservation
	}
	return reserved
}

// chooseComponents picks, per span and dimension, the first matching element (see package doc).
func chooseComponents(c *compiled, spans []span, s *session, expired bool) []line {
	lines := make([]line, 0, len(spans)*3+2)
	n := len(c.elems)
	scratch := make([]int8, 2*n)
	cache := scratch[:n]    // per span: 0 unknown, 1 match, -1 no match
	flatDone := scratch[n:] // per element: its FLAT has been charged
	for si := range spans {
		sp := &spans[si]
		ctx := newEvalCtx(sp.start, s.loc, s.start, sp.energyBefore, sp.m, c.local)
		clear(cache)
		matches := func(i int) bool {
			if cache[i] == 0 {
				cache[i] = -1
				if c.elems[i].r.match(&ctx) {
					cache[i] = 1
				}
			}
			return cache[i] == 1
		}
		pick := func(d dim, res bool) int {
			for i := range c.elems {
				e := &c.elems[i]
				if !e.comps[d].ok {
					continue
				}
				switch e.r.reservation {
				case "":
					if res {
						continue
					}
				case ocpi.ReservationRestrictionExpires:
					if !res || !expired {
						continue
					}
				default:
					if !res {
						continue
					}
				}
				if matches(i) {
					return i
				}
			}
			return -1
		}
		if sp.charging {
			if e := pick(dimFlat, false); e >= 0 && flatDone[e] == 0 {
				lines = append(lines, line{span: si, d: dimFlat, elem: e, qty: one, bill: one})
				flatDone[e] = 1
			}
			for _, dq := range [...]struct {
				d   dim
				qty decimal.Decimal
			}{{dimEnergy, sp.vol.energy}, {dimTime, sp.vol.hours}, {dimParking, sp.vol.parking}} {
				if dq.qty.IsZero() {
					continue
				}
				if e := pick(dq.d, false); e >= 0 {
					lines = append(lines, line{span: si, d: dq.d, elem: e, qty: dq.qty, bill: dq.qty})
				}
			}
		}
		if sp.reservation {
			if e := pick(dimFlat, true); e >= 0 && flatDone[e] == 0 {
				lines = append(lines, line{span: si, d: dimFlat, res: true, elem: e, qty: one, bill: one})
				flatDone[e] = 1
			}
			if !sp.vol.reserved.IsZero() {
				if e := pick(dimTime, true); e >= 0 {
					lines = append(lines, line{span: si, d: dimTime, res: true, elem: e, qty: sp.vol.reserved, bill: sp.vol.reserved})
				}
			}
		}
	}
	return lines
}

// assemble computes the costs of the lines and builds the Result. Quantities are first summed
// per price component, then multiplied by the price and the VAT factor: by distributivity this
// is exactly the sum of the line costs, with far fewer decimal operations.
func assemble(c *compiled, spans []span, lines []line, s *session) Result {
	var r Result
	var b Breakdown
	var aggBuf [8]aggregate
	aggs := aggBuf[:0]
	out := make([]Line, len(lines))
	for i := range lines {
		l := &lines[i]
		comp := &c.elems[l.elem].comps[l.d]
		found := false
		for k := range aggs {
			if a := &aggs[k]; a.elem == l.elem && a.d == l.d && a.res == l.res {
				a.qty, found = addDec(a.qty, l.bill), true
				break
			}
		}
		if !found {
			aggs = append(aggs, aggregate{l.elem, l.d, l.res, l.bill})
		}
		out[i] = Line{Dimension: dimTypes[l.d], Reservation: l.res, Element: l.elem, Component: comp.index,
			Quantity: l.qty, Billed: l.bill, Price: comp.price}
		if comp.hasVAT {
			out[i].VAT = &comp.vat
		}
	}
	var cats [numCats]Money
	fast, ok := fastCategories(c, aggs)
	var sum [2]fx
	for i := 0; ok && i < numCats; i++ {
		var ok1, ok2 bool
		sum[0], ok1 = sum[0].add(fast[i][0])
		sum[1], ok2 = sum[1].add(fast[i][1])
		ok = ok1 && ok2
	}
	if ok {
		for i := range cats {
			cats[i] = Money{fast[i][0].dec(), fast[i][1].dec()}
		}
		b.Sum = Money{sum[0].dec(), sum[1].dec()}
	} else {
		for k := range aggs {
			a := &aggs[k]
			comp := &c.elems[a.elem].comps[a.d]
			excl := a.qty.Mul(comp.price)
			i := c.category(a)
			cats[i] = cats[i].add(Money{excl, comp.incl(excl)})
		}
	}
	b.Fixed, b.Energy, b.Time, b.Parking, b.Reservation =
		cats[catFixed], cats[catEnergy], cats[catTime], cats[catParking], cats[catReservation]
	if !ok {
		b.Sum = b.Fixed.add(b.Energy).add(b.Time).add(b.Parking).add(b.Reservation)
	}
	b.Total = b.Sum
	if p := c.minPrice; p != nil {
		if p.ExclVat.IsSet() && b.Total.ExclVat.LessThan(p.ExclVat.Decimal) {
			b.Total.ExclVat, r.MinPriceApplied = p.ExclVat.Decimal, true
		}
		if p.InclVat != nil && p.InclVat.IsSet() && b.Total.InclVat.LessThan(p.InclVat.Decimal) {
			b.Total.InclVat, r.MinPriceApplied = p.InclVat.Decimal, true
		}
	}
	if p := c.maxPrice; p != nil {
		if p.ExclVat.IsSet() && b.Total.ExclVat.GreaterThan(p.ExclVat.Decimal) {
			b.Total.ExclVat, r.MaxPriceApplied = p.ExclVat.Decimal, true
		}
		if p.InclVat != nil && p.InclVat.IsSet() && b.Total.InclVat.GreaterThan(p.InclVat.Decimal) {
			b.Total.InclVat, r.MaxPriceApplied = p.InclVat.Decimal, true
		}
	}
	r.Exact = b
	blk := new(priceBlock)
	r.TotalCost = blk.price(5, b.Total)
	r.TotalFixedCost = ptr(blk, 0, b.Fixed)
	r.TotalEnergyCost = ptr(blk, 1, b.Energy)
	r.TotalTimeCost = ptr(blk, 2, b.Time)
	r.TotalParkingCost = ptr(blk, 3, b.Parking)

	var energy, parking, reserved decimal.Decimal
	anyReserved := false
	for i := range s.data {
		d := &s.data[i]
		energy = addDec(energy, d.vol.energy)
		parking = addDec(parking, d.vol.parking)
		reserved = addDec(reserved, d.vol.reserved)
		anyReserved = anyReserved || d.reservation
	}
	if c.reservation || anyReserved {
		r.TotalReservationCost = ptr(blk, 4, b.Reservation)
	}
	r.TotalEnergy = ocpi.NewDecimal(energy)
	r.TotalParkingTime = ocpi.NewDecimal(parking)
	r.TotalReservationTime = ocpi.NewDecimal(reserved)
	r.TotalTime = ocpi.NewDecimal(hours(s.end.Sub(s.start)))

	r.Periods = make([]PeriodResult, len(spans))
	li := 0
	for i := range spans {
		sp := &spans[i]
		from := li
		for li < len(out) && lines[li].span == i {
			li++
		}
		r.Periods[i] = PeriodResult{Source: sp.src, Start: sp.start, EnergyBefore: sp.energyBefore,
			Energy: sp.vol.energy, Time: sp.vol.hours, ParkingTime: sp.vol.parking,
			ReservationTime: sp.vol.reserved, Lines: out[from:li:li]}
	}
	return r
}

// Cost categories (CDR cost fields).
const (
	catFixed = iota
	catEnergy
	catTime
	catParking
	catReservation
	numCats
)

// aggregate is the billed quantity of one price component over the session.
type aggregate struct {
	elem int
	d    dim
	res  bool
	qty  decimal.Decimal
}

// category is the CDR cost field an aggregate belongs to.
func (c *compiled) category(a *aggregate) int {
	switch {
	case a.res:
		return catReservation
	case a.d == dimFlat && c.elems[a.elem].parkingOnly, a.d == dimParking:
		return catParking
	case a.d == dimFlat:
		return catFixed
	case a.d == dimEnergy:
		return catEnergy
	}
	return catTime
}

// fastCategories sums the aggregated costs per category in fx arithmetic; ok is false when a
// number does not fit (the caller then uses decimals).
func fastCategories(c *compiled, aggs []aggregate) (out [numCats][2]fx, ok bool) {
	for k := range aggs {
		a := &aggs[k]
		comp := &c.elems[a.elem].comps[a.d]
		q, ok1 := toFx(a.qty)
		p, ok2 := toFx(comp.price)
		if !ok1 || !ok2 {
			return out, false
		}
		excl, ok := q.mul(p)
		if !ok {
			return out, false
		}
		incl := excl
		if comp.hasVAT && excl.c != 0 {
			v, ok := toFx(comp.vat)
			if !ok {
				return out, false
			}
			vat, ok := excl.mul(v)
			if !ok {
				return out, false
			}
			if vat, ok = vat.shift(-2); !ok {
				return out, false
			}
			if incl, ok = excl.add(vat); !ok {
				return out, false
			}
		}
		i := c.category(a)
		if out[i][0], ok = out[i][0].add(excl); !ok {
			return out, false
		}
		if out[i][1], ok = out[i][1].add(incl); !ok {
			return out, false
		}
	}
	return out, true
}

// hours converts a duration to hours rounded half up to 6 decimals (1e-6 h = 3.6 ms).
func hours(d time.Duration) decimal.Decimal {
	const microHour = int64(time.Hour / 1e6)
	if d < 0 {
		d = 0
	}
	return decimal.New((int64(d)+microHour/2)/microHour, -6)
}

// priceBlock holds the Prices of a Result in one allocation.
type priceBlock struct {
	prices [5]ocpi.Price
	incl   [6]ocpi.Decimal
}

func (blk *priceBlock) price(i int, m Money) ocpi.Price {
	blk.incl[i] = ocpi.NewDecimal(round4(m.InclVat))
	return ocpi.Price{ExclVat: ocpi.NewDecimal(round4(m.ExclVat)), InclVat: &blk.incl[i]}
}

func ptr(blk *priceBlock, i int, m Money) *ocpi.Price {
	blk.prices[i] = blk.price(i, m)
	return &blk.prices[i]
}
