package tariffs

import (
	"math"
	"math/bits"

	"github.com/shopspring/decimal"
)

// fx is a small exact decimal c × 10^e (-18 <= e <= 0). The money sums of a session nearly always
// fit in it, which avoids the allocations of arbitrary-precision arithmetic; every operation
// reports overflow, and on overflow the caller redoes the work with shopspring decimals. Results
// are the same either way: fx is exact, never rounded.
type fx struct {
	c int64
	e int32
}

const fxMinExp = -18

var pow10 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
	1e15, 1e16, 1e17, 1e18}

// toFx converts d when its coefficient fits in 18 digits and its exponent in [-18, 18].
func toFx(d decimal.Decimal) (fx, bool) {
	e := d.Exponent()
	if e < fxMinExp || e > 18 || d.NumDigits() > 18 {
		return fx{}, false
	}
	c := d.CoefficientInt64()
	if e > 0 {
		var ok bool
		if c, ok = mulInt(c, pow10[e]); !ok {
			return fx{}, false
		}
		e = 0
	}
	return fx{c, e}, true
}

// dec converts to a decimal; zero needs no allocation.
func (a fx) dec() decimal.Decimal {
	if a.c == 0 {
		return decimal.Decimal{}
	}
	return decimal.New(a.c, a.e)
}

func mulInt(a, b int64) (int64, bool) {
	neg := (a < 0) != (b < 0)
	hi, lo := bits.Mul64(absU(a), absU(b))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if neg {
		return -int64(lo), true
	}
	return int64(lo), true
}

func absU(a int64) uint64 {
	if a < 0 {
		return uint64(-a)
	}
	return uint64(a)
}

func (a fx) mul(b fx) (fx, bool) {
	e := a.e + b.e
	if e < fxMinExp {
		return fx{}, false
	}
	c, ok := mulInt(a.c, b.c)
	return fx{c, e}, ok
}

// shift multiplies by 10^n (n < 0 only moves the exponent).
func (a fx) shift(n int32) (fx, bool) {
	e := a.e + n
	if e < fxMinExp {
		return fx{}, false
	}
	return fx{a.c, e}, true
}

// align returns a and b with the same (smaller) exponent.
func align(a, b fx) (fx, fx, bool) {
	var ok bool
	switch {
	case a.e > b.e:
		a.c, ok = mulInt(a.c, pow10[a.e-b.e])
		a.e = b.e
	case b.e > a.e:
		b.c, ok = mulInt(b.c, pow10[b.e-a.e])
		b.e = a.e
	default:
		ok = true
	}
	return a, b, ok
}

func (a fx) add(b fx) (fx, bool) {
	if b.c == 0 {
		return a, true
	}
	if a.c == 0 {
		return b, true
	}
	a, b, ok := align(a, b)
	if !ok {
		return fx{}, false
	}
	s := a.c + b.c
	if (a.c > 0 && b.c > 0 && s < 0) || (a.c < 0 && b.c < 0 && s >= 0) {
		return fx{}, false
	}
	return fx{s, a.e}, true
}

// round4 rounds half away from zero to 4 decimals; a value with at most 4 decimals is kept as it
// is (no rescaling), and one whose coefficient fits an int64 is rounded in integer arithmetic.
func round4(d decimal.Decimal) decimal.Decimal {
	if d.Exponent() >= -4 {
		return d
	}
	if f, ok := toFx(d); ok {
		return f.round4().dec()
	}
	return d.Round(4)
}

func (a fx) round4() fx {
	if a.e >= -4 {
		return a
	}
	return a.roundTo(4)
}

// sumFx adds decimals in fx arithmetic.
func sumFx(total fx, d decimal.Decimal) (fx, bool) {
	f, ok := toFx(d)
	if !ok {
		return fx{}, false
	}
	return total.add(f)
}

// stepExtraFx is the quantity (kWh or h) that rounding the billable total up to whole steps
// adds, in integer arithmetic: total × unitsPer is the total in step units (Wh or s), taken to
// unitDecimals decimals, rounded up to a multiple of step; the extra is converted back with
// stepPrecision decimals (half up). ok is false when a number does not fit.
func stepExtraFx(total fx, step, unitsPer int64) (decimal.Decimal, bool) {
	units, ok := total.mul(fx{unitsPer, 0})
	if !ok {
		return decimal.Decimal{}, false
	}
	if units.e < -unitDecimals {
		units = units.roundTo(unitDecimals)
	}
	scale := pow10[-units.e]
	stepScaled, ok := mulInt(step, scale)
	if !ok || units.c <= 0 {
		return decimal.Decimal{}, ok
	}
	rem := units.c % stepScaled
	if rem == 0 {
		return decimal.Decimal{}, true
	}
	extra := stepScaled - rem // in step units × 10^units.e
	// extra / unitsPer with stepPrecision decimals: extra × 10^(stepPrecision+units.e) / unitsPer.
	n, ok := mulInt(extra, pow10[stepPrecision+units.e])
	if !ok {
		return decimal.Decimal{}, false
	}
	q := n / unitsPer
	if r := n % unitsPer; r >= unitsPer-r {
		q++
	}
	return fx{q, -stepPrecision}.dec(), true
}

// roundTo rounds half away from zero to places decimals (places < -a.e).
func (a fx) roundTo(places int32) fx {
	p := pow10[-a.e-places]
	q, rem := a.c/p, a.c%p
	if rem < 0 {
		rem = -rem
	}
	if rem >= p-rem {
		if a.c < 0 {
			q--
		} else {
			q++
		}
	}
	return fx{q, -places}
}
