package tariffs

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// The int64 fast paths must give exactly what the decimal fallbacks give.

func randomDecimal(r *rand.Rand) decimal.Decimal {
	return decimal.New(r.Int64N(2_000_000_000), -int32(r.IntN(10)))
}

func TestStepExtraFxMatchesDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	steps := []int64{1, 25, 60, 100, 300, 500, 900, 1800, 8000}
	for i := 0; i < 20000; i++ {
		total := randomDecimal(r)
		step := steps[r.IntN(len(steps))]
		unitsPer := []int64{whPerKWh, sPerHour}[r.IntN(2)]
		f, ok := toFx(total)
		if !ok {
			t.Fatalf("toFx(%s) failed", total)
		}
		fast, ok := stepExtraFx(f, step, unitsPer)
		if !ok {
			continue
		}
		slow := stepExtraDec(total, step, unitsPer)
		if !fast.Equal(slow) {
			t.Fatalf("total %s step %d per %d: fx %s, decimal %s", total, step, unitsPer, fast, slow)
		}
	}
}

func TestFxArithmetic(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	for i := 0; i < 20000; i++ {
		a, b := randomDecimal(r), randomDecimal(r)
		if r.IntN(2) == 0 {
			a = a.Neg()
		}
		fa, _ := toFx(a)
		fb, _ := toFx(b)
		if s, ok := fa.add(fb); ok && !s.dec().Equal(a.Add(b)) {
			t.Fatalf("%s + %s: fx %s", a, b, s.dec())
		}
		if p, ok := fa.mul(fb); ok && !p.dec().Equal(a.Mul(b)) {
			t.Fatalf("%s * %s: fx %s", a, b, p.dec())
		}
		if got, want := round4(a), a.Round(4); !got.Equal(want) {
			t.Fatalf("round4(%s) = %s, want %s", a, got, want)
		}
	}
	// Overflow is reported, never wrapped.
	big := fx{c: 9_000_000_000_000_000_000, e: 0}
	if _, ok := big.add(big); ok {
		t.Fatal("add overflow not reported")
	}
	if _, ok := big.mul(fx{c: 2}); ok {
		t.Fatal("mul overflow not reported")
	}
	if _, ok := toFx(decimal.RequireFromString("1234567890123456789012")); ok {
		t.Fatal("toFx accepted 22 digits")
	}
}
