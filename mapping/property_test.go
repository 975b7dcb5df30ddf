package mapping

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// tariffPeak has a local-time peak energy price (16:00-18:00 Asia/Kolkata, 10:30-12:30 UTC),
// charging time, parking per 5 minutes, a start fee and a cap, so pricing splits periods and
// rounds steps.
func tariffPeak() ocpi.Tariff {
	vat := ocpi.MustDecimal("18").Ptr()
	pc := func(t ocpi.TariffDimensionType, p string, step int) ocpi.PriceComponent {
		return ocpi.PriceComponent{Type: t, Price: ocpi.MustDecimal(p), VAT: vat, StepSize: step}
	}
	return ocpi.Tariff{CountryCode: "IN", PartyID: "HUB", ID: "T-PEAK", Currency: "INR",
		MaxPrice: &ocpi.Price{ExclVat: ocpi.MustDecimal("400")},
		Elements: []ocpi.TariffElement{
			{PriceComponents: []ocpi.PriceComponent{pc(ocpi.TariffDimensionFlat, "5", 1)}},
			{PriceComponents: []ocpi.PriceComponent{pc(ocpi.TariffDimensionEnergy, "24.5", 1)},
				Restrictions: &ocpi.TariffRestrictions{StartTime: "16:00", EndTime: "18:00"}},
			{PriceComponents: []ocpi.PriceComponent{pc(ocpi.TariffDimensionEnergy, "18", 100),
				pc(ocpi.TariffDimensionTime, "12", 60), pc(ocpi.TariffDimensionParkingTime, "60", 300)}},
		},
		LastUpdated: ocpi.NewDateTime(at("07:00:00"))}
}

// randomSession makes a transaction with random meter readings (rises, pauses, jitter, rare
// resets), power samples and charging states.
func randomSession(r *rand.Rand, i int) (charging.Transaction, []charging.MeterSample, SessionOptions) {
	id := int64(1000 + i)
	start := at("09:00:00").Add(time.Duration(r.IntN(4*3600)) * time.Second).Add(time.Duration(r.IntN(1000)) * time.Millisecond)
	reg := int64(r.IntN(1_000_000))
	startWh := reg
	var samples []charging.MeterSample
	var readings []string
	var states []StateChange
	t := start
	for k, n := 0, r.IntN(14); k < n; k++ {
		t = t.Add(time.Duration(1+r.IntN(2400)) * time.Second)
		switch x := r.IntN(20); {
		case x == 0:
			reg = int64(r.IntN(300)) // meter reset
		case x == 1:
			reg -= int64(r.IntN(5)) // jitter
		case x < 7:
			// a pause
		default:
			reg += int64(r.IntN(6000))
		}
		readings = append(readings, strconv.FormatInt(reg, 10))
		samples = append(samples, energy(id, t, strconv.FormatInt(reg, 10)))
		if r.IntN(3) > 0 {
			samples = append(samples, power(id, t, strconv.Itoa([]int{0, 0, 7400, 11000, 22000}[r.IntN(5)])))
		}
		if r.IntN(4) == 0 {
			states = append(states, StateChange{At: t.Add(-time.Duration(r.IntN(600)) * time.Second),
				State: []string{"Charging", "SuspendedEV", "SuspendedEVSE", "EVConnected", "Idle"}[r.IntN(5)]})
		}
	}
	stop := t.Add(time.Duration(r.IntN(1800)) * time.Second)
	stopWh := reg + int64(r.IntN(2000))
	e, _ := charging.SessionEnergyWh(startWh, decs(readings), stopWh)
	if r.IntN(5) == 0 {
		e += int64(r.IntN(200)) - 100 // the domain's figure differs slightly
		e = max(e, 0)
	}
	tx := charging.Transaction{ID: id, StationID: "CP-1", EVSEID: 1, ConnectorID: 1, IDTag: "04AB12CD",
		MeterStartWh: startWh, MeterStopWh: &stopWh, StartedAt: start, StartReceivedAt: start.Add(time.Second),
		StoppedAt: &stop, StopReceivedAt: ptr(stop.Add(time.Second)), Status: charging.TxCompleted, EnergyWh: e,
		UpdatedAt: stop.Add(time.Second)}
	opts := SessionOptions{States: states}
	if r.IntN(2) == 0 {
		opts.MergeUpTo = 15 * time.Minute
	}
	return tx, samples, opts
}

// TestPropertyCDRTotalsAndPrice: for random completed sessions, the Session's periods add up to
// its kwh and duration, the CDR's totals equal the sums of its periods, and its total_cost (and
// every cost field) is what tariffs.PriceCDR gives for its periods, also after a JSON round trip.
func TestPropertyCDRTotalsAndPrice(t *testing.T) {
	r := rand.New(rand.NewPCG(20250114, 1))
	loc := location16(t)
	tf := tariffPeak()
	for i := range 300 {
		tx, samples, opts := randomSession(r, i)
		sess, err := BuildSession(cpo, tx, samples, loc, "CP-1-1", "1", token(), ocpi.AuthMethodWhitelist, "", "INR", opts)
		if err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
		assertPeriodInvariants(t, sess)
		if want := ocpi.DecimalFromInt(tx.EnergyWh).Shift(-3); !sess.KWh.Equal(want) {
			t.Fatalf("session %d: kwh %s, transaction %s", i, sess.KWh, want)
		}
		var tariff *ocpi.Tariff
		if i%4 != 3 {
			tariff = &tf
		}
		c, err := BuildCDR(cpo, "CDR-"+strconv.Itoa(i), sess, loc, tariff, nil)
		if err != nil {
			t.Fatalf("CDR %d: %v\nperiods %v", i, err, periodLines(sess.ChargingPeriods))
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("CDR %d: %v", i, err)
		}
		assertCDRTotals(t, c)
		if tariff != nil {
			assertReprices(t, c, tf, "Asia/Kolkata")
		}
		cr := CreditCDR(c, "", c.LastUpdated.Add(time.Hour))
		if err := cr.Validate(); err != nil || !cr.TotalCost.ExclVat.Equal(c.TotalCost.ExclVat.Neg()) {
			t.Fatalf("credit %d: %v, %s vs %s", i, err, price(&cr.TotalCost), price(&c.TotalCost))
		}
		if i%25 == 0 {
			checkOCPI(t, "Session", &sess)
			checkOCPI(t, "CDR", &c)
			checkOCPI(t, "CDR", &cr)
		}
	}
}
