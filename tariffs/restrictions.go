package tariffs

import (
	"time"

	"github.com/shopspring/decimal"
)

// measures are the instantaneous values of a period that current and power restrictions look at.
type measures struct {
	minCurrent, maxCurrent, avgCurrent optDec
	minPower, maxPower, avgPower       optDec
}

// evalCtx is what restrictions are evaluated against: the state at the start of a (sub-)period.
type evalCtx struct {
	secOfDay     int // local wall-clock seconds after midnight
	date         int // local date yyyymmdd
	weekday      time.Weekday
	elapsed      time.Duration // since the session start, never negative
	energyBefore decimal.Decimal
	m            *measures
}

func newEvalCtx(at time.Time, loc *time.Location, sessionStart time.Time, energyBefore decimal.Decimal, m *measures, local bool) evalCtx {
	ctx := evalCtx{energyBefore: energyBefore, m: m}
	if el := at.Sub(sessionStart); el > 0 {
		ctx.elapsed = el
	}
	if local {
		lt := at.In(loc)
		y, mo, d := lt.Date()
		h, mi, s := lt.Clock()
		ctx.date = y*10000 + int(mo)*100 + d
		ctx.secOfDay = h*3600 + mi*60 + s
		ctx.weekday = lt.Weekday()
	}
	return ctx
}

// match reports whether every set restriction holds (reservation is handled by the caller).
func (r *restrictions) match(c *evalCtx) bool {
	if r.needsTime && !matchClock(r.startSec, r.endSec, c.secOfDay) {
		return false
	}
	if r.startDate != 0 && c.date < r.startDate {
		return false
	}
	if r.endDate != 0 && c.date >= r.endDate {
		return false
	}
	if r.weekdays != 0 && r.weekdays&(1<<uint(c.weekday)) == 0 {
		return false
	}
	if r.minKWh.ok && c.energyBefore.LessThan(r.minKWh.v) {
		return false
	}
	if r.maxKWh.ok && !c.energyBefore.LessThan(r.maxKWh.v) {
		return false
	}
	if r.minDur >= 0 && c.elapsed < r.minDur {
		return false
	}
	if r.maxDur >= 0 && c.elapsed >= r.maxDur {
		return false
	}
	m := c.m
	if r.minCurrent.ok {
		if v, ok := first(m.minCurrent, m.avgCurrent, m.maxCurrent); ok && v.LessThan(r.minCurrent.v) {
			return false
		}
	}
	if r.maxCurr.ok {
		if v, ok := first(m.maxCurrent, m.avgCurrent, m.minCurrent); ok && !v.LessThan(r.maxCurr.v) {
			return false
		}
	}
	if r.minPower.ok {
		if v, ok := first(m.minPower, m.avgPower, m.maxPower); ok && v.LessThan(r.minPower.v) {
			return false
		}
	}
	if r.maxPower.ok {
		if v, ok := first(m.maxPower, m.avgPower, m.minPower); ok && !v.LessThan(r.maxPower.v) {
			return false
		}
	}
	return true
}

// first returns the first present value: the best available estimate of a period's current or
// power for a min_* or max_* restriction.
func first(a, b, c optDec) (decimal.Decimal, bool) {
	switch {
	case a.ok:
		return a.v, true
	case b.ok:
		return b.v, true
	case c.ok:
		return c.v, true
	}
	return decimal.Decimal{}, false
}

// matchClock applies start_time (inclusive) and end_time (exclusive) to a local time of day:
// end < start wraps past midnight, end "00:00" means until midnight, start == end all day.
func matchClock(start, end, t int) bool {
	switch {
	case start >= 0 && end >= 0:
		switch {
		case start < end:
			return start <= t && t < end
		case end < start: // wraps midnight; includes end == 00:00
			return t >= start || t < end
		default:
			return true
		}
	case start >= 0:
		return t >= start
	case end > 0:
		return t < end
	}
	return true // only end_time "00:00": until the end of the day
}

// localBoundaries appends to dst every instant in (from, to) at which the local wall clock in loc
// shows one of clockSecs (seconds after midnight; both occurrences of an hour repeated by a DST
// change), plus every UTC-offset change in (from, to). Local-time restrictions can only change
// their outcome at those instants.
func localBoundaries(dst []time.Time, from, to time.Time, loc *time.Location, clockSecs []int) []time.Time {
	if !from.Before(to) || len(clockSecs) == 0 {
		return dst
	}
	var offsets [4]int
	n := 0
	addOffset := func(o int) {
		for _, x := range offsets[:n] {
			if x == o {
				return
			}
		}
		if n < len(offsets) {
			offsets[n] = o
			n++
		}
	}
	lt := from.In(loc)
	_, off := lt.Zone()
	addOffset(off)
	for t := lt; ; {
		_, end := t.ZoneBounds()
		if end.IsZero() || !end.Before(to) || !end.After(t) {
			break
		}
		dst = append(dst, end)
		t = end.In(loc)
		_, off = t.Zone()
		addOffset(off)
	}
	y, m, d := lt.Date()
	day := time.Date(y, m, d-1, 0, 0, 0, 0, time.UTC) // one day early: offsets shift the wall clock
	last := to.In(loc)
	ly, lm, ld := last.Date()
	lastDay := time.Date(ly, lm, ld, 0, 0, 0, 0, time.UTC)
	for ; !day.After(lastDay); day = day.AddDate(0, 0, 1) {
		for _, s := range clockSecs {
			wall := day.Add(time.Duration(s) * time.Second)
			for _, o := range offsets[:n] {
				inst := wall.Add(-time.Duration(o) * time.Second)
				if !inst.After(from) || !inst.Before(to) {
					continue
				}
				if w := inst.In(loc); sameWall(w, wall) {
					dst = append(dst, inst)
				}
			}
		}
	}
	return dst
}

func sameWall(local, wallUTC time.Time) bool {
	y1, m1, d1 := local.Date()
	y2, m2, d2 := wallUTC.Date()
	h1, i1, s1 := local.Clock()
	h2, i2, s2 := wallUTC.Clock()
	return y1 == y2 && m1 == m2 && d1 == d2 && h1 == h2 && i1 == i2 && s1 == s2
}
