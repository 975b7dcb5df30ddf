package mapping

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/shopspring/decimal"
)

// location16 is the Location of station16 (EVSEs CP-1-1 and CP-1-2, connector "1" each).
func location16(t testing.TB) ocpi.Location {
	t.Helper()
	loc, err := BuildLocation(cpo, LocationInput{Template: template(), Stations: []StationInput{station16()}})
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// txA is a completed 1.6 session 10:00-11:00: 3 kWh, 3 kWh, 0.5 kWh, then a quarter hour of
// parking (no energy, power 0).
func txA() (charging.Transaction, []charging.MeterSample) {
	tx := charging.Transaction{ID: 1, StationID: "CP-1", EVSEID: 1, ConnectorID: 1, IDTag: "04AB12CD",
		MeterStartWh: 1000, MeterStopWh: ptr(int64(7500)), StartedAt: at("10:00:00").Add(400 * time.Millisecond),
		StartReceivedAt: at("10:00:01"), StoppedAt: ptr(at("11:00:00")), StopReceivedAt: ptr(at("11:00:03")),
		Status: charging.TxCompleted, EnergyWh: 6500, UpdatedAt: at("11:00:03")}
	var s []charging.MeterSample
	for _, r := range []struct{ at, wh, w, a string }{
		{"10:15:00", "4000", "12000", "16"}, {"10:30:00", "7000", "12000", "16"},
		{"10:45:00", "7500", "0", ""}, {"11:00:00", "7500", "0", ""},
	} {
		ts := at(r.at)
		s = append(s, energy(1, ts, r.wh), power(1, ts, r.w))
		if r.a != "" {
			for _, ph := range []string{"L1", "L2", "L3"} {
				s = append(s, sample(1, ts, measurandCurrent, ph, "A", r.a))
			}
		}
	}
	s[len(s)-2].Context = "Transaction.End"
	return tx, s
}

var txAPeriods = []string{
	"10:00:00 ENERGY=3 TIME=0.25 MIN_POWER=12 MAX_POWER=12 POWER=12 MIN_CURRENT=48 MAX_CURRENT=48 CURRENT=48",
	"10:15:00 ENERGY=3 TIME=0.25 MIN_POWER=12 MAX_POWER=12 POWER=12 MIN_CURRENT=48 MAX_CURRENT=48 CURRENT=48",
	"10:30:00 ENERGY=0.5 TIME=0.25 MIN_POWER=0 MAX_POWER=0 POWER=0",
	"10:45:00 PARKING_TIME=0.25 MIN_POWER=0 MAX_POWER=0 POWER=0",
}

func buildA(t testing.TB, opts SessionOptions) ocpi.Session {
	t.Helper()
	tx, samples := txA()
	s, err := BuildSession(cpo, tx, samples, location16(t), "CP-1-1", "1", token(), ocpi.AuthMethodWhitelist, "", "inr", opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBuildSessionCompleted16(t *testing.T) {
	s := buildA(t, SessionOptions{MeterID: "MTR-1"})
	checkOCPI(t, "Session", &s)
	if got := periodLines(s.ChargingPeriods); !slices.Equal(got, txAPeriods) {
		t.Fatalf("periods\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(txAPeriods, "\n"))
	}
	if s.ID != "1" || s.CountryCode != "IN" || s.PartyID != "HUB" || s.Status != ocpi.SessionStatusCompleted ||
		s.StartDateTime.String() != "2025-01-14T10:00:00Z" || s.EndDateTime.String() != "2025-01-14T11:00:00Z" ||
		s.KWh.String() != "6.5" || s.Currency != "INR" || s.LocationID != "LOC-1" || s.EvseUID != "CP-1-1" ||
		s.ConnectorID != "1" || s.MeterID != "MTR-1" || s.TotalCost != nil || s.LastUpdated.String() != "2025-01-14T11:00:03Z" {
		t.Fatalf("session %+v", s)
	}
	cost := ocpi.Price{ExclVat: ocpi.MustDecimal("2.45"), InclVat: ocpi.MustDecimal("2.695").Ptr()}
	if s := buildA(t, SessionOptions{TotalCost: &cost, ID: "S-1"}); s.ID != "S-1" || s.TotalCost == nil ||
		s.TotalCost.ExclVat.String() != "2.45" {
		t.Fatalf("total cost/id not applied: %+v", s)
	}
}

func TestBuildSessionPeriods(t *testing.T) {
	const tx16, tx201 = int64(3), int64(4)
	done := func(startWh int64, stop string, stopWh int64, readings []string) charging.Transaction {
		e, _ := charging.SessionEnergyWh(startWh, decs(readings), stopWh)
		return charging.Transaction{ID: tx16, StationID: "CP-1", EVSEID: 1, ConnectorID: 1, IDTag: "T", MeterStartWh: startWh,
			MeterStopWh: &stopWh, StartedAt: at("10:00:00"), StoppedAt: ptr(at(stop)), Status: charging.TxCompleted, EnergyWh: e}
	}
	readings := func(id int64, pairs ...string) []charging.MeterSample {
		var out []charging.MeterSample
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, energy(id, at(pairs[i]), pairs[i+1]))
		}
		return out
	}
	offered := func(ts, w string) charging.MeterSample {
		return sample(tx16, at(ts), measurandPowerOffered, "", "W", w)
	}
	active201 := charging.Transaction{ID: tx201, StationID: "CP-1", StationTxID: "tx-b", EVSEID: 1, ConnectorID: 1,
		IDTag: "T", IDTokenType: "ISO14443", StartedAt: at("10:00:00"), Status: charging.TxActive, ChargingState: "SuspendedEV"}
	begin := energy(tx201, at("10:00:00"), "50000")
	begin.Context = "Transaction.Begin"
	states201 := []StateChange{{at("10:00:00"), "Charging"}, {at("10:20:00"), "SuspendedEV"}}
	for _, tc := range []struct {
		name    string
		tx      charging.Transaction
		samples []charging.MeterSample
		opts    SessionOptions
		kwh     string
		want    []string
	}{
		{"2.0.1 active, state changes inside a reading interval",
			active201, append([]charging.MeterSample{begin}, readings(tx201, "10:10:00", "52000", "10:30:00", "53000", "10:40:00", "53000")...),
			SessionOptions{States: states201}, "3", []string{
				"10:00:00 ENERGY=2 TIME=0.166667", "10:10:00 ENERGY=1 TIME=0.166666",
				"10:20:00 PARKING_TIME=0.166667", "10:30:00 PARKING_TIME=0.166667"}},
		{"2.0.1 active, merged up to 30 minutes",
			active201, append([]charging.MeterSample{begin}, readings(tx201, "10:10:00", "52000", "10:30:00", "53000", "10:40:00", "53000")...),
			SessionOptions{States: states201, MergeUpTo: 30 * time.Minute}, "3", []string{
				"10:00:00 ENERGY=3 TIME=0.333333", "10:20:00 PARKING_TIME=0.333334"}},
		{"2.0.1 active, start register from the first reading",
			active201, readings(tx201, "10:05:00", "50000", "10:10:00", "50600"),
			SessionOptions{}, "0.6", []string{"10:00:00 ENERGY=0 TIME=0.083333", "10:05:00 ENERGY=0.6 TIME=0.083334"}},
		{"meter reset counts from zero",
			done(1000, "10:30:00", 700, []string{"5000", "200"}), readings(tx16, "10:10:00", "5000", "10:20:00", "200"),
			SessionOptions{}, "4.7", []string{
				"10:00:00 ENERGY=4 TIME=0.166667", "10:10:00 ENERGY=0.2 TIME=0.166666", "10:20:00 ENERGY=0.5 TIME=0.166667"}},
		{"small drop is jitter",
			done(1000, "10:30:00", 6000, []string{"5000", "4990"}), readings(tx16, "10:10:00", "5000", "10:20:00", "4990"),
			SessionOptions{}, "5", []string{
				"10:00:00 ENERGY=4 TIME=0.166667", "10:10:00 ENERGY=0 TIME=0.166666", "10:20:00 ENERGY=1 TIME=0.166667"}},
		{"no samples: one period", done(1000, "10:30:00", 4000, nil), nil, SessionOptions{}, "3",
			[]string{"10:00:00 ENERGY=3 TIME=0.5"}},
		{"zero-length session", done(100, "10:00:00", 100, nil), nil, SessionOptions{}, "0",
			[]string{"10:00:00 ENERGY=0 TIME=0"}},
		{"EVSE withholding power (offered 0) is TIME, EV not taking it is PARKING",
			done(0, "11:00:00", 3000, nil), append(readings(tx16, "10:15:00", "3000", "10:30:00", "3000", "10:45:00", "3000"),
				power(tx16, at("10:15:00"), "0"), power(tx16, at("10:30:00"), "0"), offered("10:30:00", "0"),
				power(tx16, at("10:45:00"), "0"), offered("10:45:00", "11000"), power(tx16, at("11:00:00"), "0")),
			SessionOptions{}, "3", []string{
				"10:00:00 ENERGY=3 TIME=0.25 MIN_POWER=0 MAX_POWER=0 POWER=0",
				"10:15:00 ENERGY=0 TIME=0.25 MIN_POWER=0 MAX_POWER=0 POWER=0",
				"10:30:00 ENERGY=0 TIME=0.25 MIN_POWER=0 MAX_POWER=0 POWER=0",
				"10:45:00 PARKING_TIME=0.25 MIN_POWER=0 MAX_POWER=0 POWER=0"}},
		{"no power measured: zero energy alone is TIME",
			done(0, "10:30:00", 1000, nil), readings(tx16, "10:10:00", "1000", "10:20:00", "1000"),
			SessionOptions{}, "1", []string{
				"10:00:00 ENERGY=1 TIME=0.166667", "10:10:00 ENERGY=0 TIME=0.166666", "10:20:00 ENERGY=0 TIME=0.166667"}},
		{"EV connected before any energy is TIME, after energy PARKING",
			done(1000, "10:50:00", 6000, nil), readings(tx16, "10:10:00", "1000", "10:40:00", "6000"),
			SessionOptions{States: []StateChange{{at("10:00:00"), "EVConnected"}, {at("10:10:00"), "Charging"}, {at("10:40:00"), "EVConnected"}}},
			"5", []string{"10:00:00 ENERGY=0 TIME=0.166667", "10:10:00 ENERGY=5 TIME=0.5", "10:40:00 PARKING_TIME=0.166666"}},
		{"energy while SuspendedEV is TIME",
			done(0, "10:30:00", 1200, nil), readings(tx16, "10:15:00", "1000"),
			SessionOptions{States: []StateChange{{at("09:59:00"), "Charging"}, {at("10:15:00"), "SuspendedEV"}}},
			"1.2", []string{"10:00:00 ENERGY=1 TIME=0.25", "10:15:00 ENERGY=0.2 TIME=0.25"}},
		{"other transactions' samples ignored, early samples moved to the start",
			done(1000, "10:30:00", 2000, nil), append(readings(tx16, "09:59:00", "900", "10:10:00", "1500"),
				energy(99, at("10:20:00"), "99999")),
			SessionOptions{}, "1", []string{"10:00:00 ENERGY=0.5 TIME=0.166667", "10:10:00 ENERGY=0.5 TIME=0.333333"}},
		{"fractional and kWh-scaled readings",
			done(0, "10:20:00", 1235, nil), readings(tx16, "10:10:00", "617.25"),
			SessionOptions{}, "1.235", []string{"10:00:00 ENERGY=0.61725 TIME=0.166667", "10:10:00 ENERGY=0.61775 TIME=0.166666"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := BuildSession(cpo, tc.tx, tc.samples, location16(t), "CP-1-1", "1", token(), ocpi.AuthMethodWhitelist, "", "INR", tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			checkOCPI(t, "Session", &s)
			if got := periodLines(s.ChargingPeriods); !slices.Equal(got, tc.want) {
				t.Fatalf("periods\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if s.KWh.String() != tc.kwh {
				t.Fatalf("kwh %s, want %s", s.KWh, tc.kwh)
			}
			assertPeriodInvariants(t, s)
		})
	}
}

func decs(ss []string) []decimal.Decimal {
	out := make([]decimal.Decimal, len(ss))
	for i, s := range ss {
		out[i] = dec(s)
	}
	return out
}

// assertPeriodInvariants: ENERGY sums to kwh and is never negative; periods strictly increase; a
// completed session's hours add up to its duration (6 decimals).
func assertPeriodInvariants(t testing.TB, s ocpi.Session) {
	t.Helper()
	if len(s.ChargingPeriods) == 0 {
		return
	}
	sum, hours := decimal.Zero, decimal.Zero
	for i, p := range s.ChargingPeriods {
		if i > 0 && !p.StartDateTime.After(s.ChargingPeriods[i-1].StartDateTime.Time) {
			t.Fatalf("period %d does not start after period %d", i, i-1)
		}
		for _, d := range p.Dimensions {
			switch d.Type {
			case ocpi.CdrDimensionEnergy:
				if d.Volume.IsNegative() {
					t.Fatalf("negative energy in period %d", i)
				}
				sum = sum.Add(d.Volume.Decimal)
			case ocpi.CdrDimensionTime, ocpi.CdrDimensionParkingTime:
				hours = hours.Add(d.Volume.Decimal)
			}
		}
	}
	if !sum.Equal(s.KWh.Decimal) {
		t.Fatalf("periods hold %s kWh, session %s", sum, s.KWh)
	}
	if s.EndDateTime != nil {
		if want := hours6(s.EndDateTime.Sub(s.StartDateTime.Time)); !hours.Equal(want) {
			t.Fatalf("periods last %s h, session %s h", hours, want)
		}
	}
}

func TestBuildSessionReconcilesEnergy(t *testing.T) {
	for _, tc := range []struct {
		energyWh int64
		kwh      string
		third    string // the last TIME period
		second   string
	}{
		{6600, "6.6", "ENERGY=0.6", "ENERGY=3"},
		{6000, "6", "ENERGY=0", "ENERGY=3"},
		{3500, "3.5", "ENERGY=0", "ENERGY=0.5"},
	} {
		tx, samples := txA()
		tx.EnergyWh = tc.energyWh
		s, err := BuildSession(cpo, tx, samples, location16(t), "CP-1-1", "1", token(), ocpi.AuthMethodWhitelist, "", "INR", SessionOptions{})
		if err != nil {
			t.Fatal(err)
		}
		assertPeriodInvariants(t, s)
		if s.KWh.String() != tc.kwh || !strings.Contains(dims(s.ChargingPeriods[2]), tc.third) ||
			!strings.Contains(dims(s.ChargingPeriods[1]), tc.second) {
			t.Errorf("EnergyWh %d: kwh %s, periods %v", tc.energyWh, s.KWh, periodLines(s.ChargingPeriods))
		}
	}
}

func TestSessionStatusOf(t *testing.T) {
	active := charging.Transaction{IDTag: "T", Status: charging.TxActive}
	done := charging.Transaction{IDTag: "T", Status: charging.TxCompleted, EnergyWh: 10}
	with := func(tx charging.Transaction, f func(*charging.Transaction)) charging.Transaction { f(&tx); return tx }
	for _, tc := range []struct {
		name     string
		tx       charging.Transaction
		rejected bool
		want     ocpi.SessionStatus
	}{
		{"active", active, false, ocpi.SessionStatusActive},
		{"before the Started event", with(active, func(t *charging.Transaction) { t.AddFlag(charging.FlagStartUnknown) }), false, ocpi.SessionStatusPending},
		{"no token yet", with(active, func(t *charging.Transaction) { t.IDTag = "" }), false, ocpi.SessionStatusPending},
		{"active, token rejected", active, true, ocpi.SessionStatusPending},
		{"completed", done, false, ocpi.SessionStatusCompleted},
		{"completed, rejected, energy", done, true, ocpi.SessionStatusCompleted},
		{"completed, rejected, no energy", with(done, func(t *charging.Transaction) { t.EnergyWh = 0 }), true, ocpi.SessionStatusInvalid},
		{"completed, never authorized, no energy", with(done, func(t *charging.Transaction) { t.EnergyWh, t.IDTag = 0, "" }), false, ocpi.SessionStatusInvalid},
		{"completed, accepted, no energy", with(done, func(t *charging.Transaction) { t.EnergyWh = 0 }), false, ocpi.SessionStatusCompleted},
	} {
		if got := SessionStatusOf(tc.tx, tc.rejected); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestBuildSessionErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*charging.Transaction, *string, *string, *ocpi.CdrToken)
		input  bool
	}{
		{"stop before start", func(tx *charging.Transaction, _, _ *string, _ *ocpi.CdrToken) { tx.StoppedAt = ptr(at("09:00:00")) }, true},
		{"no start", func(tx *charging.Transaction, _, _ *string, _ *ocpi.CdrToken) { tx.StartedAt = time.Time{} }, true},
		{"unknown EVSE", func(_ *charging.Transaction, e, _ *string, _ *ocpi.CdrToken) { *e = "CP-1-9" }, true},
		{"unknown connector", func(_ *charging.Transaction, _, c *string, _ *ocpi.CdrToken) { *c = "2" }, true},
		{"token without contract", func(_ *charging.Transaction, _, _ *string, tok *ocpi.CdrToken) { tok.ContractID = "" }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tx, samples := txA()
			evse, conn, tok := "CP-1-1", "1", token()
			tc.mutate(&tx, &evse, &conn, &tok)
			_, err := BuildSession(cpo, tx, samples, location16(t), evse, conn, tok, ocpi.AuthMethodWhitelist, "", "INR", SessionOptions{})
			if err == nil || tc.input != isInputErr(err) || tc.input == errors.Is(err, ocpi.ErrInvalid) {
				t.Fatalf("error %v", err)
			}
		})
	}
	// "#NA" is accepted for both.
	tx, samples := txA()
	if _, err := BuildSession(cpo, tx, samples, location16(t), "#NA", "#NA", token(), ocpi.AuthMethodCommand, "ref-1", "INR", SessionOptions{}); err != nil {
		t.Fatal(err)
	}
}
