package tariffs

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/chargehub/hub/ocpi"
	"github.com/shopspring/decimal"
)

// gen draws random tariffs and sessions from a fixed seed, so failures are reproducible.
type gen struct{ r *rand.Rand }

func newGen(seed uint64) *gen { return &gen{rand.New(rand.NewPCG(seed, 0x5eed))} }

func (g *gen) pick(n int) int { return g.r.IntN(n) }

func (g *gen) decimal(choices ...string) ocpi.Decimal {
	return ocpi.MustDecimal(choices[g.pick(len(choices))])
}

func (g *gen) component(d ocpi.TariffDimensionType, reservation bool) ocpi.PriceComponent {
	pc := ocpi.PriceComponent{Type: d, Price: g.decimal("0", "0.25", "1.2", "2.4", "18.5", "0.3333")}
	switch d {
	case ocpi.TariffDimensionEnergy:
		pc.StepSize = []int{0, 1, 100, 500}[g.pick(4)]
	case ocpi.TariffDimensionFlat:
		pc.StepSize = 1
	default:
		pc.StepSize = []int{0, 1, 60, 300, 900}[g.pick(5)]
	}
	if g.pick(3) > 0 {
		v := g.decimal("0", "5.2", "18", "21")
		pc.VAT = &v
	}
	_ = reservation
	return pc
}

func (g *gen) restrictions() *ocpi.TariffRestrictions {
	if g.pick(3) == 0 {
		return nil
	}
	r := &ocpi.TariffRestrictions{}
	clock := func() string { return fmt.Sprintf("%02d:%02d", g.pick(24), []int{0, 30}[g.pick(2)]) }
	switch g.pick(8) {
	case 0:
		r.StartTime, r.EndTime = clock(), clock()
	case 1:
		r.StartTime = clock()
	case 2:
		r.EndTime = clock()
	case 3:
		days := []ocpi.DayOfWeek{ocpi.Monday, ocpi.Tuesday, ocpi.Wednesday, ocpi.Thursday, ocpi.Friday, ocpi.Saturday, ocpi.Sunday}
		r.DayOfWeek = []ocpi.DayOfWeek{days[g.pick(7)], days[g.pick(7)]}
	case 4:
		k := g.decimal("1", "5", "12.5")
		if g.pick(2) == 0 {
			r.MinKWh = &k
		} else {
			r.MaxKWh = &k
		}
	case 5:
		d := []int{600, 1800, 3600}[g.pick(3)]
		if g.pick(2) == 0 {
			r.MinDuration = &d
		} else {
			r.MaxDuration = &d
		}
	case 6:
		p := g.decimal("7.4", "11", "22")
		r.MaxPower = &p
	case 7:
		r.StartDate, r.EndDate = "2025-03-30", "2025-10-27"
	}
	return r
}

func (g *gen) tariff() ocpi.Tariff {
	dims := []ocpi.TariffDimensionType{ocpi.TariffDimensionFlat, ocpi.TariffDimensionEnergy,
		ocpi.TariffDimensionTime, ocpi.TariffDimensionParkingTime}
	t := ocpi.Tariff{CountryCode: "IN", PartyID: "HUB", ID: "P", Currency: "EUR",
		LastUpdated: ocpi.NewDateTime(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))}
	for n := 1 + g.pick(4); n > 0; n-- {
		var e ocpi.TariffElement
		for _, d := range dims {
			if g.pick(2) == 0 {
				e.PriceComponents = append(e.PriceComponents, g.component(d, false))
			}
		}
		if len(e.PriceComponents) == 0 {
			e.PriceComponents = append(e.PriceComponents, g.component(ocpi.TariffDimensionEnergy, false))
		}
		e.Restrictions = g.restrictions()
		t.Elements = append(t.Elements, e)
	}
	return t
}

// session draws 1-5 periods whose lengths are multiples of 6 minutes (exact hour volumes), some
// of them parking, starting on days that include both 2025 DST changes in Europe.
func (g *gen) session() ([]ocpi.ChargingPeriod, time.Time, time.Time) {
	days := []time.Time{
		time.Date(2025, 3, 29, 20, 0, 0, 0, time.UTC), time.Date(2025, 10, 25, 21, 0, 0, 0, time.UTC),
		time.Date(2025, 6, 14, 15, 0, 0, 0, time.UTC), time.Date(2025, 12, 31, 22, 30, 0, 0, time.UTC),
	}
	start := days[g.pick(len(days))].Add(time.Duration(g.pick(40)) * 6 * time.Minute)
	at := start
	var periods []ocpi.ChargingPeriod
	for n := 1 + g.pick(5); n > 0; n-- {
		minutes := 6 * (1 + g.pick(30))
		h := decimal.NewFromInt(int64(minutes)).Div(decimal.NewFromInt(60))
		p := ocpi.ChargingPeriod{StartDateTime: ocpi.NewDateTime(at)}
		if g.pick(4) == 0 {
			p.Dimensions = []ocpi.CdrDimension{{Type: ocpi.CdrDimensionParkingTime, Volume: ocpi.NewDecimal(h)}}
		} else {
			kw := g.decimal("3.7", "7.4", "11", "22", "50")
			p.Dimensions = []ocpi.CdrDimension{
				{Type: ocpi.CdrDimensionEnergy, Volume: ocpi.NewDecimal(kw.Mul(h))},
				{Type: ocpi.CdrDimensionTime, Volume: ocpi.NewDecimal(h)},
			}
		}
		periods = append(periods, p)
		at = at.Add(time.Duration(minutes) * time.Minute)
	}
	return periods, start, at
}

func (g *gen) location(t *testing.T) *time.Location {
	return mustLoc(t, []string{"UTC", "Asia/Kolkata", "Europe/Amsterdam"}[g.pick(3)])
}

const propertyRuns = 400

func mustPrice(t *testing.T, tf ocpi.Tariff, ps []ocpi.ChargingPeriod, opt Options) Result {
	t.Helper()
	r, err := Price(tf, ps, opt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func sameMoney(a, b Money, tol decimal.Decimal) bool {
	return a.ExclVat.Sub(b.ExclVat).Abs().LessThanOrEqual(tol) && a.InclVat.Sub(b.InclVat).Abs().LessThanOrEqual(tol)
}

// Property: total_cost (before min/max) is the sum of the dimension costs, and of the line costs.
func TestPropertyTotalIsSumOfParts(t *testing.T) {
	g := newGen(1)
	for run := 0; run < propertyRuns; run++ {
		tf := g.tariff()
		ps, start, end := g.session()
		r := mustPrice(t, tf, ps, Options{Location: g.location(t), SessionStart: start, SessionEnd: end})
		b := r.Exact
		parts := b.Fixed.add(b.Energy).add(b.Time).add(b.Parking).add(b.Reservation)
		if !sameMoney(parts, b.Sum, decimal.Zero) || !sameMoney(b.Sum, b.Total, decimal.Zero) {
			t.Fatalf("run %d: sum of parts %v, Sum %v, Total %v", run, parts, b.Sum, b.Total)
		}
		var lines Money
		for _, p := range r.Periods {
			for _, l := range p.Lines {
				lines = lines.add(l.Cost())
			}
		}
		if !sameMoney(lines, b.Sum, decimal.Zero) {
			t.Fatalf("run %d: lines add up to %v, Sum is %v", run, lines, b.Sum)
		}
	}
}

// Property: appending a zero-price, unrestricted element for every dimension changes nothing.
func TestPropertyZeroPriceElementAtEnd(t *testing.T) {
	g := newGen(2)
	for run := 0; run < propertyRuns; run++ {
		tf := g.tariff()
		ps, start, end := g.session()
		opt := Options{Location: g.location(t), SessionStart: start, SessionEnd: end}
		before := mustPrice(t, tf, ps, opt)
		zero := ocpi.TariffElement{}
		for _, d := range []ocpi.TariffDimensionType{ocpi.TariffDimensionFlat, ocpi.TariffDimensionEnergy,
			ocpi.TariffDimensionTime, ocpi.TariffDimensionParkingTime} {
			pc := g.component(d, false)
			pc.Price = ocpi.DecimalFromInt(0)
			zero.PriceComponents = append(zero.PriceComponents, pc)
		}
		tf.Elements = append(tf.Elements, zero)
		after := mustPrice(t, tf, ps, opt)
		if !sameBreakdown(before.Exact, after.Exact, decimal.Zero) {
			t.Fatalf("run %d: zero element changed the price:\n%+v\n%+v", run, before.Exact, after.Exact)
		}
	}
}

func sameBreakdown(a, b Breakdown, tol decimal.Decimal) bool {
	return sameMoney(a.Fixed, b.Fixed, tol) && sameMoney(a.Energy, b.Energy, tol) && sameMoney(a.Time, b.Time, tol) &&
		sameMoney(a.Parking, b.Parking, tol) && sameMoney(a.Reservation, b.Reservation, tol) &&
		sameMoney(a.Total, b.Total, tol)
}

// Property: splitting a period in two where no restriction boundary lies (volumes shared in
// proportion to time) does not change the price.
func TestPropertySplitWithoutBoundary(t *testing.T) {
	g := newGen(3)
	tol := decimal.New(1, -9)
	tested := 0
	for run := 0; run < propertyRuns; run++ {
		tf := g.tariff()
		ps, start, end := g.session()
		loc := g.location(t)
		opt := Options{Location: loc, SessionStart: start, SessionEnd: end}
		before := mustPrice(t, tf, ps, opt)

		i := g.pick(len(ps))
		pStart := ps[i].StartDateTime.Time
		pEnd := end
		if i+1 < len(ps) {
			pEnd = ps[i+1].StartDateTime.Time
		}
		minutes := int(pEnd.Sub(pStart) / time.Minute)
		if minutes < 2 {
			continue
		}
		k := 1 + g.pick(minutes-1)
		at := pStart.Add(time.Duration(k) * time.Minute)
		if isBoundary(t, tf, ps, opt, i, pStart, pEnd, at) {
			continue
		}
		frac := decimal.NewFromInt(int64(k)).DivRound(decimal.NewFromInt(int64(minutes)), 16)
		first, second := ps[i], ps[i]
		first.Dimensions = make([]ocpi.CdrDimension, len(ps[i].Dimensions))
		second.Dimensions = make([]ocpi.CdrDimension, len(ps[i].Dimensions))
		for j, d := range ps[i].Dimensions {
			a := d.Volume.Decimal.Mul(frac)
			first.Dimensions[j] = ocpi.CdrDimension{Type: d.Type, Volume: ocpi.NewDecimal(a)}
			second.Dimensions[j] = ocpi.CdrDimension{Type: d.Type, Volume: ocpi.NewDecimal(d.Volume.Decimal.Sub(a))}
		}
		second.StartDateTime = ocpi.NewDateTime(at)
		split := append(append(append([]ocpi.ChargingPeriod{}, ps[:i]...), first, second), ps[i+1:]...)
		after := mustPrice(t, tf, split, opt)
		if !sameBreakdown(before.Exact, after.Exact, tol) {
			t.Fatalf("run %d: splitting period %d at %s changed the price:\n%+v\n%+v", run, i, at, before.Exact, after.Exact)
		}
		tested++
	}
	if tested < propertyRuns/4 {
		t.Fatalf("only %d of %d runs could be split", tested, propertyRuns)
	}
}

// isBoundary reports whether at is a restriction boundary of period i (where the engine itself
// would cut it).
func isBoundary(t *testing.T, tf ocpi.Tariff, ps []ocpi.ChargingPeriod, opt Options, i int, from, to, at time.Time) bool {
	t.Helper()
	c, err := compile(&tf)
	if err != nil {
		t.Fatal(err)
	}
	s, err := resolveSession(c, ps, &opt)
	if err != nil {
		t.Fatal(err)
	}
	var before decimal.Decimal
	for _, j := range s.order {
		if j == i {
			break
		}
		before = before.Add(s.data[j].vol.energy)
	}
	cuts, _, _ := findCuts(nil, nil, c, &s, from, to, before, s.data[i].vol.energy)
	for _, ct := range cuts {
		if ct.at.Sub(at).Abs() < time.Second {
			return true
		}
	}
	return false
}
