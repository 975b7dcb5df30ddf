package tariffs

import "github.com/shopspring/decimal"

// unitDecimals is the resolution of a billable total before step rounding: 1e-9 Wh or 1 ns.
const unitDecimals = 9

// stepPrecision is the number of decimals of the quantity a step adds (kWh or h): x/3600 is rarely
// a finite decimal, and 1e-12 h (3.6 ns) keeps the money exact far below 4 decimals while the
// numbers stay small enough for fast arithmetic.
const stepPrecision = 12

// applyStepSizes rounds the billable totals up to whole steps, once per session (see the package
// documentation): ENERGY in Wh; PARKING_TIME in seconds when the session has billable parking,
// else charging TIME in seconds; reservation TIME in seconds on its own. The extra quantity goes
// to the last billable line of the stream.
func applyStepSizes(c *compiled, lines []line) {
	roundStream(c, lines, dimEnergy, false, whPerKWh)
	if !roundStream(c, lines, dimParking, false, sPerHour) {
		roundStream(c, lines, dimTime, false, sPerHour)
	}
	roundStream(c, lines, dimTime, true, sPerHour)
}

// Step units per quantity unit: Wh per kWh, seconds per hour.
const (
	whPerKWh = 1000
	sPerHour = 3600
)

// roundStream rounds one stream of lines; it reports whether the stream had a billable quantity.
// Lines whose component price is zero are not billable (a free component counts as none).
func roundStream(c *compiled, lines []line, d dim, res bool, unitsPer int64) bool {
	var totalFx fx
	fast := true
	last := -1
	for i := range lines {
		l := &lines[i]
		if l.d != d || l.res != res || c.elems[l.elem].comps[d].price.IsZero() {
			continue
		}
		if fast {
			totalFx, fast = sumFx(totalFx, l.qty)
		}
		last = i
	}
	if last < 0 {
		return false
	}
	var total decimal.Decimal
	if fast {
		total = totalFx.dec()
	} else {
		for i := range lines {
			if l := &lines[i]; l.d == d && l.res == res && !c.elems[l.elem].comps[d].price.IsZero() {
				total = addDec(total, l.qty)
			}
		}
	}
	if !total.IsPositive() {
		return false
	}
	step := c.elems[lines[last].elem].comps[d].step
	if step <= 0 {
		return true
	}
	extra, ok := decimal.Decimal{}, false
	if fast {
		extra, ok = stepExtraFx(totalFx, step, unitsPer)
	}
	if !ok {
		extra = stepExtraDec(total, step, unitsPer)
	}
	if !extra.IsZero() {
		lines[last].bill = lines[last].bill.Add(extra)
	}
	return true
}

// stepExtraDec is stepExtraFx in decimal arithmetic, for totals that do not fit in an fx.
func stepExtraDec(total decimal.Decimal, step, unitsPer int64) decimal.Decimal {
	up := decimal.NewFromInt(unitsPer)
	units := total.Mul(up)
	if units.Exponent() < -unitDecimals {
		// Sub-periods are shared out with 16-digit divisions; noise of 1e-16 on a total that is
		// a whole number of steps must not add a step.
		units = units.Round(unitDecimals)
	}
	stepDec := decimal.NewFromInt(step)
	q, rem := units.QuoRem(stepDec, 0)
	if !rem.IsPositive() {
		return decimal.Decimal{}
	}
	return q.Add(one).Mul(stepDec).Sub(units).DivRound(up, stepPrecision)
}
