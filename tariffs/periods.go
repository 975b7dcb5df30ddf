package tariffs

import (
	"fmt"
	"sort"
	"time"

	"github.com/chargehub/hub/ocpi"
	"github.com/shopspring/decimal"
)

// fracPrecision is the number of decimals kept when a period is shared out between sub-periods
// (a division that is rarely exact); 16 decimals is far below anything a 4-decimal price shows.
const fracPrecision = 16

// volumes are the priced quantities of a (sub-)period.
type volumes struct {
	energy   decimal.Decimal // kWh
	hours    decimal.Decimal // TIME, h
	parking  decimal.Decimal // PARKING_TIME, h
	reserved decimal.Decimal // RESERVATION_TIME, h
}

// span is a charging period, or the part of one between two restriction boundaries.
type span struct {
	src          int // index of the input period
	start        time.Time
	energyBefore decimal.Decimal // session energy before start, kWh
	vol          volumes
	charging     bool // has a charging part (ENERGY, TIME or PARKING_TIME, or no RESERVATION_TIME)
	reservation  bool // has a reservation part (RESERVATION_TIME)
	m            *measures
}

// cut is a point inside a period where it is split. Its position is an offset from the period
// start (in ns for a period with a duration, in kWh for a zero-length one); volumes are shared out
// as volume × Δoffset / length, multiplying before dividing so that the parts are exact whenever
// they are finite decimals.
type cut struct {
	offset   decimal.Decimal
	at       time.Time
	energyAt decimal.Decimal // session energy at the cut (exact for an energy boundary)
	energy   bool            // an energy (min/max_kwh) boundary
}

// periodData is what a charging period says, read once.
type periodData struct {
	vol         volumes
	charging    bool
	reservation bool
	m           measures
}

// session is the resolved context of one pricing run.
type session struct {
	loc        *time.Location
	start, end time.Time
	order      []int        // period indices in time order
	data       []periodData // per input period
}

// resolveSession orders the periods and fixes the session start and end.
func resolveSession(c *compiled, periods []ocpi.ChargingPeriod, opt *Options) (session, error) {
	if len(periods) == 0 {
		return session{}, fmt.Errorf("%w: no charging periods", ErrInvalidPeriods)
	}
	s := session{loc: opt.Location, start: opt.SessionStart, end: opt.SessionEnd}
	if s.loc == nil {
		s.loc = time.UTC
	}
	s.order = make([]int, len(periods))
	s.data = make([]periodData, len(periods))
	sorted := true
	for i := range periods {
		s.order[i] = i
		d := &s.data[i]
		d.vol, d.charging, d.reservation = readPeriod(&periods[i], &d.m, c.power)
		if periods[i].StartDateTime.IsZero() {
			return session{}, fmt.Errorf("%w: charging_periods[%d].start_date_time: required", ErrInvalidPeriods, i)
		}
		if i > 0 && periods[i].StartDateTime.Before(periods[i-1].StartDateTime.Time) {
			sorted = false
		}
	}
	if !sorted {
		sort.SliceStable(s.order, func(a, b int) bool {
			return periods[s.order[a]].StartDateTime.Before(periods[s.order[b]].StartDateTime.Time)
		})
	}
	if s.start.IsZero() {
		s.start = periods[s.order[0]].StartDateTime.Time
	}
	if s.end.IsZero() {
		li := s.order[len(s.order)-1]
		v := &s.data[li].vol
		h := addDec(addDec(v.hours, v.parking), v.reserved)
		s.end = periods[li].StartDateTime.Add(time.Duration(h.Mul(decimal.NewFromInt(int64(time.Hour))).IntPart()))
	}
	return s, nil
}

// readPeriod extracts the volumes, the part flags and the current/power measures of a period.
// Repeated volume dimensions are summed; for repeated measures the first one counts. The average
// power ENERGY/TIME is only derived when power restrictions need it.
func readPeriod(p *ocpi.ChargingPeriod, m *measures, power bool) (v volumes, charging, reservation bool) {
	var hasChargingDim bool
	for i := range p.Dimensions {
		d := &p.Dimensions[i]
		x := d.Volume.Decimal
		switch d.Type {
		case ocpi.CdrDimensionEnergy:
			v.energy = addDec(v.energy, x)
			hasChargingDim = true
		case ocpi.CdrDimensionTime:
			v.hours = addDec(v.hours, x)
			hasChargingDim = true
		case ocpi.CdrDimensionParkingTime:
			v.parking = addDec(v.parking, x)
			hasChargingDim = true
		case ocpi.CdrDimensionReservationTime:
			v.reserved = addDec(v.reserved, x)
			reservation = true
		case ocpi.CdrDimensionMinCurrent:
			setOnce(&m.minCurrent, x)
		case ocpi.CdrDimensionMaxCurrent:
			setOnce(&m.maxCurrent, x)
		case ocpi.CdrDimensionCurrent:
			setOnce(&m.avgCurrent, x)
		case ocpi.CdrDimensionMinPower:
			setOnce(&m.minPower, x)
		case ocpi.CdrDimensionMaxPower:
			setOnce(&m.maxPower, x)
		case ocpi.CdrDimensionPower:
			setOnce(&m.avgPower, x)
		}
	}
	if power && !m.avgPower.ok && v.hours.IsPositive() {
		m.avgPower = optDec{v.energy.DivRound(v.hours, fracPrecision), true}
	}
	return v, hasChargingDim || !reservation, reservation
}

func setOnce(o *optDec, v decimal.Decimal) {
	if !o.ok {
		*o = optDec{v, true}
	}
}

// buildSpans turns the periods into spans, splitting each period at every restriction boundary
// inside it (see the package documentation).
func buildSpans(c *compiled, periods []ocpi.ChargingPeriod, s *session) []span {
	spans := make([]span, 0, len(periods)+4)
	var energyBefore decimal.Decimal
	var cuts []cut
	var times []time.Time
	var length decimal.Decimal
	for k, i := range s.order {
		p := &periods[i]
		start := p.StartDateTime.Time
		end := s.end
		if k+1 < len(s.order) {
			end = periods[s.order[k+1]].StartDateTime.Time
		}
		pd := &s.data[i]
		v := pd.vol
		base := span{src: i, start: start, energyBefore: energyBefore, vol: v, charging: pd.charging,
			reservation: pd.reservation, m: &pd.m}
		cuts, times, length = findCuts(cuts[:0], times[:0], c, s, start, end, energyBefore, v.energy)
		if len(cuts) == 0 {
			spans = append(spans, base)
		} else {
			spans = splitSpan(spans, base, cuts, length)
		}
		energyBefore = addDec(energyBefore, v.energy)
	}
	return spans
}

// findCuts lists the restriction boundaries strictly inside [start, end), in order, and returns
// the length that the cut offsets are measured against (ns, or kWh for a zero-length period).
func findCuts(cuts []cut, times []time.Time, c *compiled, s *session, start, end time.Time,
	energyBefore, energy decimal.Decimal) ([]cut, []time.Time, decimal.Decimal) {
	dur := end.Sub(start)
	var length decimal.Decimal
	byEnergy := dur <= 0
	if byEnergy {
		length = energy
	}
	if !byEnergy {
		if c.local {
			times = localBoundaries(times, start, end, s.loc, c.clockSecs)
		}
		for _, d := range c.durations {
			if b := s.start.Add(d); b.After(start) && b.Before(end) {
				times = append(times, b)
			}
		}
		if len(times) > 0 || len(c.kwhs) > 0 {
			length = decimal.NewFromInt(int64(dur))
		}
		for _, tb := range times {
			off := decimal.NewFromInt(int64(tb.Sub(start)))
			cuts = append(cuts, cut{offset: off, at: tb,
				energyAt: energyBefore.Add(energy.Mul(off).DivRound(length, fracPrecision))})
		}
	}
	if !energy.IsZero() && len(c.kwhs) > 0 {
		lo, hi := energyBefore, energyBefore.Add(energy)
		if hi.LessThan(lo) {
			lo, hi = hi, lo
		}
		for _, t := range c.kwhs {
			if !t.GreaterThan(lo) || !t.LessThan(hi) {
				continue
			}
			off := t.Sub(energyBefore)
			if !byEnergy {
				off = off.Mul(length).DivRound(energy, fracPrecision)
			}
			at := start.Add(time.Duration(off.IntPart()))
			if byEnergy {
				at = start
			}
			cuts = append(cuts, cut{offset: off, at: at, energyAt: t, energy: true})
		}
	}
	if len(cuts) < 2 {
		return cuts, times, length
	}
	sort.Slice(cuts, func(a, b int) bool { return cuts[a].offset.LessThan(cuts[b].offset) })
	out := cuts[:1]
	for _, ct := range cuts[1:] {
		lastCut := &out[len(out)-1]
		if ct.offset.Equal(lastCut.offset) {
			if ct.energy { // keep the exact energy of an energy boundary
				lastCut.energyAt, lastCut.energy = ct.energyAt, true
			}
			continue
		}
		out = append(out, ct)
	}
	return out, times, length
}

// splitSpan appends the parts of base between its cuts. Energy is split at the session energy of
// each cut; the other volumes in proportion to the offsets, the last part taking the remainder so
// that the parts always add up to the period's volumes.
func splitSpan(spans []span, base span, cuts []cut, length decimal.Decimal) []span {
	var prevOff decimal.Decimal
	prevEnergy := base.energyBefore
	prevAt := base.start
	var used volumes
	endEnergy := base.energyBefore.Add(base.vol.energy)
	share := func(v, delta decimal.Decimal) decimal.Decimal {
		if v.IsZero() {
			return v
		}
		return v.Mul(delta).DivRound(length, fracPrecision)
	}
	for k := 0; k <= len(cuts); k++ {
		part := base
		part.start, part.energyBefore = prevAt, prevEnergy
		if k == len(cuts) {
			part.vol = volumes{
				energy:   endEnergy.Sub(prevEnergy),
				hours:    base.vol.hours.Sub(used.hours),
				parking:  base.vol.parking.Sub(used.parking),
				reserved: base.vol.reserved.Sub(used.reserved),
			}
			spans = append(spans, part)
			break
		}
		ct := &cuts[k]
		delta := ct.offset.Sub(prevOff)
		part.vol = volumes{
			energy:   ct.energyAt.Sub(prevEnergy),
			hours:    share(base.vol.hours, delta),
			parking:  share(base.vol.parking, delta),
			reserved: share(base.vol.reserved, delta),
		}
		used.hours = addDec(used.hours, part.vol.hours)
		used.parking = addDec(used.parking, part.vol.parking)
		used.reserved = addDec(used.reserved, part.vol.reserved)
		spans = append(spans, part)
		prevOff, prevEnergy, prevAt = ct.offset, ct.energyAt, ct.at
	}
	return spans
}
