package mapping

import (
	"slices"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/shopspring/decimal"
)

// IdlePowerW is the active import power in W at or below which a meter sample counts as "no
// power flowing" for the parking rule of intervals without a known charging state (standby
// consumption and meter noise stay below it).
const IdlePowerW = 50

// StateChange is a charging state the session entered at an instant: a 2.0.1 TransactionEvent
// chargingState (Charging, EVConnected, SuspendedEV, SuspendedEVSE, Idle) or a 1.6
// StatusNotification status of the transaction's connector (Charging, SuspendedEV, Finishing...).
// SuspendedEV, EVConnected and Finishing mean the EV is connected but does not ask for power.
type StateChange struct {
	At    time.Time
	State string
}

func parkingState(s string) bool {
	return s == "SuspendedEV" || s == "EVConnected" || s == string(charging.StatusFinishing)
}

// Measurands the periods read besides the energy register.
const (
	measurandPower          = "Power.Active.Import"
	measurandCurrent        = "Current.Import"
	measurandPowerOffered   = "Power.Offered"
	measurandCurrentOffered = "Current.Offered"
	measurandSoC            = "SoC"
)

// measures are the power, current and state-of-charge samples of a period.
type measures struct {
	minP, maxP, sumP decimal.Decimal // kW
	nP               int64
	minI, maxI, sumI decimal.Decimal // A, summed over phases
	nI               int64
	soc              *decimal.Decimal // %, the latest
}

func (m *measures) addPower(kw decimal.Decimal) {
	if m.nP == 0 || kw.LessThan(m.minP) {
		m.minP = kw
	}
	if m.nP == 0 || kw.GreaterThan(m.maxP) {
		m.maxP = kw
	}
	m.sumP, m.nP = m.sumP.Add(kw), m.nP+1
}

func (m *measures) addCurrent(a decimal.Decimal) {
	if m.nI == 0 || a.LessThan(m.minI) {
		m.minI = a
	}
	if m.nI == 0 || a.GreaterThan(m.maxI) {
		m.maxI = a
	}
	m.sumI, m.nI = m.sumI.Add(a), m.nI+1
}

// merge adds the later measures o to m.
func (m *measures) merge(o measures) {
	if o.nP > 0 {
		if m.nP == 0 || o.minP.LessThan(m.minP) {
			m.minP = o.minP
		}
		if m.nP == 0 || o.maxP.GreaterThan(m.maxP) {
			m.maxP = o.maxP
		}
		m.sumP, m.nP = m.sumP.Add(o.sumP), m.nP+o.nP
	}
	if o.nI > 0 {
		if m.nI == 0 || o.minI.LessThan(m.minI) {
			m.minI = o.minI
		}
		if m.nI == 0 || o.maxI.GreaterThan(m.maxI) {
			m.maxI = o.maxI
		}
		m.sumI, m.nI = m.sumI.Add(o.sumI), m.nI+o.nI
	}
	if o.soc != nil {
		m.soc = o.soc
	}
}

// instant is the samples taken at one second.
type instant struct {
	at      time.Time
	samples []charging.MeterSample
}

// part is a period under construction.
type part struct {
	start, end time.Time
	parking    bool
	wantsPark  bool            // its state (or the meter) says the EV does not ask for power
	energyWh   decimal.Decimal // energy in the part
	m          measures
}

// sec truncates t to whole seconds in UTC.
func sec(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// buildPeriods cuts a transaction into charging periods (see the package documentation) and
// returns them with the session energy in Wh.
func buildPeriods(tx *charging.Transaction, samples []charging.MeterSample, states []StateChange, mergeUpTo time.Duration) ([]ocpi.ChargingPeriod, decimal.Decimal, error) {
	start := sec(tx.StartedAt)
	completed := tx.Status == charging.TxCompleted && tx.StoppedAt != nil
	var end time.Time
	if completed {
		end = sec(*tx.StoppedAt)
		if end.Before(start) {
			return nil, decimal.Zero, inputErr("transaction %d stops (%s) before it starts (%s)", tx.ID,
				ocpi.NewDateTime(end), ocpi.NewDateTime(start))
		}
	}
	clamp := func(t time.Time) time.Time {
		t = sec(t)
		switch {
		case t.Before(start):
			return start
		case completed && t.After(end):
			return end
		}
		return t
	}
	insts := groupSamples(tx.ID, samples, clamp)

	// Energy register readings per instant, with the start and stop readings.
	readings := map[time.Time]decimal.Decimal{}
	var first, last *decimal.Decimal
	for _, in := range insts {
		if r, ok := wholeMeter(in.samples, charging.MeasurandEnergyImport, "Wh", true); ok {
			r = r.Round(3)
			readings[in.at] = r
			if first == nil {
				first = &r
			}
			last = &r
		}
	}
	anchor := decimal.NewFromInt(tx.MeterStartWh)
	if tx.StationTxID != "" && tx.MeterStartWh == 0 { // 2.0.1 without a known start register
		if b, ok := beginReading(tx.ID, samples); ok {
			anchor = b.Round(3)
		} else if first != nil {
			anchor = *first
		}
	}
	target := decimal.NewFromInt(max(tx.EnergyWh, 0))
	if completed && !end.After(start) { // a zero-length session: one period at its start
		p := part{start: start, end: start, energyWh: target}
		return toPeriods([]part{p}, start), target, nil
	}
	readings[start] = anchor
	if completed {
		stop := anchor
		switch {
		case tx.MeterStopWh != nil:
			stop = decimal.NewFromInt(*tx.MeterStopWh)
		case tx.LastMeterWh != nil:
			stop = decimal.NewFromInt(*tx.LastMeterWh)
		case last != nil:
			stop = *last
		}
		readings[end] = stop
	}
	times := make([]time.Time, 0, len(readings))
	for t := range readings {
		times = append(times, t)
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	changes := normaliseStates(states, clamp)

	var parts []part
	cum, prev := decimal.Zero, anchor
	for k := 1; k < len(times); k++ {
		a, b := times[k-1], times[k]
		cur := readings[b]
		d := decimal.Zero
		switch {
		case cur.GreaterThanOrEqual(prev):
			d, prev = cur.Sub(prev), cur
		case cur.LessThan(prev.Div(decimal.NewFromInt(2))):
			d, prev = cur, cur // the register restarted from zero
		}
		parts = append(parts, splitInterval(a, b, d, cum, changes, idleBetween(within(insts, a, b)))...)
		cum = cum.Add(d)
	}
	assignMeasures(parts, insts)
	if mergeUpTo > 0 {
		parts = mergeParts(parts, mergeUpTo)
	}
	if !completed {
		target = decimal.Max(target, cum)
	}
	reconcile(parts, target.Sub(cum))
	return toPeriods(parts, start), target, nil
}

// groupSamples groups the transaction's numeric samples by (clamped) second, in time order.
func groupSamples(txID int64, samples []charging.MeterSample, clamp func(time.Time) time.Time) []instant {
	byAt := map[time.Time]int{}
	var out []instant
	for _, s := range samples {
		if s.Value == nil || (s.TransactionID != nil && *s.TransactionID != txID) {
			continue
		}
		at := clamp(s.Timestamp)
		i, ok := byAt[at]
		if !ok {
			i = len(out)
			byAt[at] = i
			out = append(out, instant{at: at})
		}
		out[i].samples = append(out[i].samples, s)
	}
	slices.SortStableFunc(out, func(a, b instant) int { return a.at.Compare(b.at) })
	return out
}

// wholeMeter returns the whole-meter value of a measurand among samples taken at one instant:
// the phase-less sample if there is one, else the sum of L1, L2 and L3. outlet limits it to the
// Outlet (EV side) location.
func wholeMeter(samples []charging.MeterSample, measurand, unit string, outlet bool) (decimal.Decimal, bool) {
	sum, phases := decimal.Zero, 0
	for _, s := range samples {
		if s.Measurand != measurand || s.Value == nil || s.Unit != unit ||
			(outlet && s.Location != "" && s.Location != "Outlet") {
			continue
		}
		switch s.Phase {
		case "":
			return *s.Value, true
		case "L1", "L2", "L3":
			sum, phases = sum.Add(*s.Value), phases+1
		}
	}
	return sum, phases > 0
}

// beginReading returns the energy register of the transaction's Transaction.Begin samples.
func beginReading(txID int64, samples []charging.MeterSample) (decimal.Decimal, bool) {
	var sel []charging.MeterSample
	for _, s := range samples {
		if s.Context == "Transaction.Begin" && (s.TransactionID == nil || *s.TransactionID == txID) {
			sel = append(sel, s)
		}
	}
	return wholeMeter(sel, charging.MeasurandEnergyImport, "Wh", true)
}

// normaliseStates truncates, clamps and orders the state changes.
func normaliseStates(states []StateChange, clamp func(time.Time) time.Time) []StateChange {
	out := make([]StateChange, len(states))
	for i, s := range states {
		out[i] = StateChange{At: clamp(s.At), State: s.State}
	}
	slices.SortStableFunc(out, func(a, b StateChange) int { return a.At.Compare(b.At) })
	return out
}

// stateAt returns the state in effect at t (the latest change at or before t).
func stateAt(changes []StateChange, t time.Time) (string, bool) {
	state, ok := "", false
	for _, c := range changes {
		if c.At.After(t) {
			break
		}
		state, ok = c.State, true
	}
	return state, ok
}

// within returns the instants in [a, b] of the sorted insts.
func within(insts []instant, a, b time.Time) []instant {
	cmp := func(in instant, t time.Time) int { return in.at.Compare(t) }
	lo, _ := slices.BinarySearchFunc(insts, a, cmp)
	hi, found := slices.BinarySearchFunc(insts, b, cmp)
	if found {
		hi++
	}
	return insts[lo:hi]
}

// idleBetween reports whether the samples of an interval show no power flowing: at least one
// active import power sample, all at or below IdlePowerW, and no offered power or current of 0
// (which means the EVSE, not the EV, stopped the flow).
func idleBetween(insts []instant) bool {
	idle := decimal.NewFromInt(IdlePowerW)
	powered := false
	for _, in := range insts {
		if p, ok := wholeMeter(in.samples, measurandPower, "W", true); ok {
			if p.GreaterThan(idle) {
				return false
			}
			powered = true
		}
		if v, ok := wholeMeter(in.samples, measurandPowerOffered, "W", false); ok && v.Sign() <= 0 {
			return false
		}
		if v, ok := wholeMeter(in.samples, measurandCurrentOffered, "A", false); ok && v.Sign() <= 0 {
			return false
		}
	}
	return powered
}

// splitInterval cuts the reading interval [a, b) with energy d at the state changes inside it,
// classifies the parts and shares d out (see the package documentation). before is the session
// energy before a.
func splitInterval(a, b time.Time, d, before decimal.Decimal, changes []StateChange, idle bool) []part {
	cuts := []time.Time{a}
	for _, c := range changes {
		if c.At.After(a) && c.At.Before(b) && !c.At.Equal(cuts[len(cuts)-1]) {
			cuts = append(cuts, c.At)
		}
	}
	cuts = append(cuts, b)
	parts := make([]part, len(cuts)-1)
	charged := false // an earlier part of this interval takes energy
	allPark := true
	for j := range parts {
		p := &parts[j]
		p.start, p.end = cuts[j], cuts[j+1]
		if st, known := stateAt(changes, p.start); known {
			p.wantsPark = parkingState(st)
		} else {
			p.wantsPark = d.IsZero() && idle
		}
		p.parking = p.wantsPark && (before.IsPositive() || (d.IsPositive() && charged))
		if !p.wantsPark {
			charged = true
		}
		allPark = allPark && p.parking
	}
	if d.IsPositive() && allPark { // energy flowed, so someone asked for it
		for j := range parts {
			parts[j].parking = false
		}
	}
	// Energy goes to the parts whose state asks for power, else to every non-parking part.
	var takers []int
	for pass := 0; pass < 2 && len(takers) == 0; pass++ {
		for j := range parts {
			if !parts[j].parking && (pass == 1 || !parts[j].wantsPark) {
				takers = append(takers, j)
			}
		}
	}
	var total int64
	for _, j := range takers {
		total += int64(parts[j].end.Sub(parts[j].start) / time.Second)
	}
	var acc int64
	given := decimal.Zero
	for _, j := range takers {
		acc += int64(parts[j].end.Sub(parts[j].start) / time.Second)
		upTo := d.Mul(decimal.NewFromInt(acc)).DivRound(decimal.NewFromInt(max(total, 1)), 3)
		parts[j].energyWh = upTo.Sub(given)
		given = upTo
	}
	return parts
}

// assignMeasures gives each part the power, current and SoC samples of the instants in
// (start, end]; the samples at the session start go to the first part, those after the last part
// (an active session's latest power samples) to none.
func assignMeasures(parts []part, insts []instant) {
	j := 0
	for _, in := range insts {
		for j < len(parts) && in.at.After(parts[j].end) {
			j++
		}
		if j == len(parts) {
			return
		}
		m := &parts[j].m
		if p, ok := wholeMeter(in.samples, measurandPower, "W", true); ok {
			m.addPower(p.Shift(-3))
		}
		if c, ok := wholeMeter(in.samples, measurandCurrent, "A", true); ok {
			m.addCurrent(c)
		}
		if s, ok := wholeMeter(in.samples, measurandSoC, "Percent", false); ok {
			m.soc = &s
		}
	}
}

// mergeParts merges consecutive parts of the same kind while the merged part lasts at most upTo.
func mergeParts(parts []part, upTo time.Duration) []part {
	var out []part
	for _, p := range parts {
		if n := len(out); n > 0 && out[n-1].parking == p.parking && p.end.Sub(out[n-1].start) <= upTo {
			q := &out[n-1]
			q.end, q.energyWh = p.end, q.energyWh.Add(p.energyWh)
			q.wantsPark = q.wantsPark && p.wantsPark
			q.m.merge(p.m)
			continue
		}
		out = append(out, p)
	}
	return out
}

// reconcile adds delta Wh to the latest charging (non-parking) parts: a positive delta to the
// last one, a negative one taken from the last ones backwards, never below zero.
func reconcile(parts []part, delta decimal.Decimal) {
	if delta.IsZero() || len(parts) == 0 {
		return
	}
	if delta.IsPositive() {
		for j := len(parts) - 1; j >= 0; j-- {
			if !parts[j].parking {
				parts[j].energyWh = parts[j].energyWh.Add(delta)
				return
			}
		}
		p := &parts[len(parts)-1] // only parking parts: the energy makes the last one charging
		p.energyWh, p.parking = p.energyWh.Add(delta), false
		return
	}
	owed := delta.Neg()
	for j := len(parts) - 1; j >= 0 && owed.IsPositive(); j-- {
		take := decimal.Min(parts[j].energyWh, owed)
		parts[j].energyWh, owed = parts[j].energyWh.Sub(take), owed.Sub(take)
	}
}

// hours6 converts a duration to hours rounded half up to 6 decimals, as the tariff engine does
// for total_time.
func hours6(d time.Duration) decimal.Decimal {
	const microHour = int64(time.Hour / 1e6)
	if d < 0 {
		d = 0
	}
	return decimal.New((int64(d)+microHour/2)/microHour, -6)
}

// toPeriods turns parts into OCPI charging periods. Hours are cumulative from the session start,
// rounded to 6 decimals, so the periods add up to the rounded session duration exactly.
func toPeriods(parts []part, sessionStart time.Time) []ocpi.ChargingPeriod {
	out := make([]ocpi.ChargingPeriod, 0, len(parts))
	for _, p := range parts {
		h := hours6(p.end.Sub(sessionStart)).Sub(hours6(p.start.Sub(sessionStart)))
		var dims []ocpi.CdrDimension
		add := func(t ocpi.CdrDimensionType, v decimal.Decimal) {
			dims = append(dims, ocpi.CdrDimension{Type: t, Volume: ocpi.NewDecimal(v)})
		}
		if p.parking {
			add(ocpi.CdrDimensionParkingTime, h)
		} else {
			add(ocpi.CdrDimensionEnergy, p.energyWh.Shift(-3))
			add(ocpi.CdrDimensionTime, h)
		}
		if m := p.m; m.nP > 0 {
			add(ocpi.CdrDimensionMinPower, m.minP)
			add(ocpi.CdrDimensionMaxPower, m.maxP)
			add(ocpi.CdrDimensionPower, m.sumP.DivRound(decimal.NewFromInt(m.nP), 4))
		}
		if m := p.m; m.nI > 0 {
			add(ocpi.CdrDimensionMinCurrent, m.minI)
			add(ocpi.CdrDimensionMaxCurrent, m.maxI)
			add(ocpi.CdrDimensionCurrent, m.sumI.DivRound(decimal.NewFromInt(m.nI), 4))
		}
		if p.m.soc != nil {
			add(ocpi.CdrDimensionStateOfCharge, *p.m.soc)
		}
		out = append(out, ocpi.ChargingPeriod{StartDateTime: ocpi.NewDateTime(p.start), Dimensions: dims})
	}
	return out
}
