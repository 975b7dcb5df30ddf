package mapping

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // IANA zones without depending on the host

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/tariffs"
)

// tariffAC: a 1.00 start fee, 0.30/kWh, 2.00/h parking billed per minute, all with 10 % VAT.
func tariffAC() ocpi.Tariff {
	vat := ocpi.MustDecimal("10").Ptr()
	return ocpi.Tariff{CountryCode: "IN", PartyID: "HUB", ID: "T-AC", Currency: "INR",
		Elements: []ocpi.TariffElement{
			{PriceComponents: []ocpi.PriceComponent{{Type: ocpi.TariffDimensionFlat, Price: ocpi.MustDecimal("1.00"), VAT: vat, StepSize: 1}}},
			{PriceComponents: []ocpi.PriceComponent{
				{Type: ocpi.TariffDimensionEnergy, Price: ocpi.MustDecimal("0.30"), VAT: vat, StepSize: 1},
				{Type: ocpi.TariffDimensionParkingTime, Price: ocpi.MustDecimal("2.00"), VAT: vat, StepSize: 60}}},
		},
		LastUpdated: ocpi.NewDateTime(at("07:00:00"))}
}

var txACDRPeriods = []string{
	"10:00:00 ENERGY=3 TIME=0.25 MIN_POWER=12 MAX_POWER=12 MIN_CURRENT=48 MAX_CURRENT=48",
	"10:15:00 ENERGY=3 TIME=0.25 MIN_POWER=12 MAX_POWER=12 MIN_CURRENT=48 MAX_CURRENT=48",
	"10:30:00 ENERGY=0.5 TIME=0.25 MIN_POWER=0 MAX_POWER=0",
	"10:45:00 PARKING_TIME=0.25 MIN_POWER=0 MAX_POWER=0",
}

func price(p *ocpi.Price) string {
	if p == nil {
		return "-"
	}
	s := p.ExclVat.String()
	if p.InclVat != nil {
		s += "/" + p.InclVat.String()
	}
	return s
}

func TestBuildCDRPriced(t *testing.T) {
	loc := location16(t)
	sess := buildA(t, SessionOptions{})
	tf := tariffAC()
	c, err := BuildCDR(cpo, "CDR-1", sess, loc, &tf, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkOCPI(t, "CDR", &c)
	if got := periodLines(c.ChargingPeriods); !slices.Equal(got, txACDRPeriods) {
		t.Fatalf("periods\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(txACDRPeriods, "\n"))
	}
	for i, p := range c.ChargingPeriods {
		if p.TariffID != "T-AC" {
			t.Fatalf("period %d tariff_id %q", i, p.TariffID)
		}
	}
	// By hand: FLAT 1.00; 6.5 kWh × 0.30 = 1.95; 900 s parking (15 whole minutes) × 2.00/h = 0.50;
	// 3.45 excluding and 3.795 including 10 % VAT.
	for _, x := range []struct{ name, got, want string }{
		{"total_cost", price(&c.TotalCost), "3.45/3.795"},
		{"total_fixed_cost", price(c.TotalFixedCost), "1/1.1"},
		{"total_energy_cost", price(c.TotalEnergyCost), "1.95/2.145"},
		{"total_parking_cost", price(c.TotalParkingCost), "0.5/0.55"},
		{"total_time_cost", price(c.TotalTimeCost), "0/0"},
		{"total_energy", c.TotalEnergy.String(), "6.5"},
		{"total_time", c.TotalTime.String(), "1"},
		{"total_parking_time", c.TotalParkingTime.String(), "0.25"},
		{"last_updated", c.LastUpdated.String(), "2025-01-14T11:00:03Z"},
	} {
		if x.got != x.want {
			t.Errorf("%s = %s, want %s", x.name, x.got, x.want)
		}
	}
	want := ocpi.CdrLocation{ID: "LOC-1", Name: "Example Mall P2", Address: "12 MG Road", City: "Bengaluru",
		PostalCode: "560001", Country: "IND", Coordinates: loc.Coordinates, EvseUID: "CP-1-1",
		EvseID: loc.EVSEs[0].EvseID, ConnectorID: "1", ConnectorStandard: ocpi.ConnectorIEC62196T2,
		ConnectorFormat: ocpi.ConnectorFormatSocket, ConnectorPowerType: ocpi.PowerTypeAC3Phase}
	if c.CdrLocation != want {
		t.Errorf("cdr_location %+v, want %+v", c.CdrLocation, want)
	}
	if c.ID != "CDR-1" || c.SessionID != "1" || c.CdrToken != token() || c.AuthMethod != ocpi.AuthMethodWhitelist ||
		c.Currency != "INR" || len(c.Tariffs) != 1 || c.Tariffs[0].ID != "T-AC" || c.Credit != nil {
		t.Errorf("CDR %+v", c)
	}
	assertCDRTotals(t, c)
	assertReprices(t, c, tf, "Asia/Kolkata")
}

func TestBuildCDRUnpriced(t *testing.T) {
	sess := buildA(t, SessionOptions{})
	c, err := BuildCDR(cpo, "CDR-2", sess, location16(t), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkOCPI(t, "CDR", &c)
	if price(&c.TotalCost) != "0/0" || c.TotalEnergyCost != nil || c.Tariffs != nil || c.ChargingPeriods[0].TariffID != "" ||
		c.TotalParkingTime.String() != "0.25" {
		t.Fatalf("unpriced CDR %+v", c)
	}
	assertCDRTotals(t, c)
	cost := ocpi.Price{ExclVat: ocpi.MustDecimal("12.5"), InclVat: ocpi.MustDecimal("14.75").Ptr()}
	sess.TotalCost = &cost
	if c, err = BuildCDR(cpo, "CDR-2", sess, location16(t), nil, nil); err != nil || price(&c.TotalCost) != "12.5/14.75" {
		t.Fatalf("session total_cost not carried: %v %s", err, price(&c.TotalCost))
	}
	if c.TotalCost.InclVat == sess.TotalCost.InclVat {
		t.Fatal("total_cost shares its incl_vat with the session")
	}
}

func TestBuildCDRSnapshotLengths(t *testing.T) {
	loc := location16(t)
	loc.Address = strings.Repeat("Long Street ", 5) + "1"    // 61 characters: fine in Location, not in a CDR
	loc.State = "Karnataka State Region"                     // 22 characters
	loc.City = "Königstraße-Überlandstadt-Großgemeinde-Nord" // 43 characters, 47 bytes
	checkOCPI(t, "Location", &loc)
	c, err := BuildCDR(cpo, "CDR-3", buildA(t, SessionOptions{}), loc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkOCPI(t, "CDR", &c)
	if c.CdrLocation.Address != "Long Street Long Street Long Street Long Stre" || c.CdrLocation.State != "Karnataka State Regi" ||
		c.CdrLocation.City != "Königstraße-Überlandstadt-Großgemeinde-No" || len(c.CdrLocation.City) > 45 {
		t.Fatalf("cdr_location %q / %q / %q", c.CdrLocation.Address, c.CdrLocation.State, c.CdrLocation.City)
	}
}

func TestFit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly 10", 10, "exactly 10"},
		{"eleven char", 10, "eleven cha"},
		{"ab cd", 3, "ab"},
		{"ääää", 4, "ää"}, // 8 bytes: cut to 4 bytes
		{"aäää", 4, "aä"}, // a rune is never split
		{"€€", 2, ""},     // 3-byte runes cannot fit 2 bytes
	} {
		if got := fit(tc.in, tc.n); got != tc.want {
			t.Errorf("fit(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestBuildCDRErrors(t *testing.T) {
	tf := tariffAC()
	for _, tc := range []struct {
		name   string
		mutate func(*ocpi.Session, *ocpi.Location, *ocpi.Tariff, *string)
		input  bool
	}{
		{"active session", func(s *ocpi.Session, _ *ocpi.Location, _ *ocpi.Tariff, _ *string) {
			s.Status, s.EndDateTime = ocpi.SessionStatusActive, nil
		}, true},
		{"invalid session", func(s *ocpi.Session, _ *ocpi.Location, _ *ocpi.Tariff, _ *string) {
			s.Status = ocpi.SessionStatusInvalid
		}, true},
		{"EVSE not in the location", func(s *ocpi.Session, _ *ocpi.Location, _ *ocpi.Tariff, _ *string) { s.EvseUID = "X" }, true},
		{"EVSE without evse_id", func(_ *ocpi.Session, l *ocpi.Location, _ *ocpi.Tariff, _ *string) { l.EVSEs[0].EvseID = "" }, true},
		{"periods out of order", func(s *ocpi.Session, _ *ocpi.Location, _ *ocpi.Tariff, _ *string) {
			s.ChargingPeriods[1], s.ChargingPeriods[2] = s.ChargingPeriods[2], s.ChargingPeriods[1]
		}, true},
		{"periods disagree with kwh", func(s *ocpi.Session, _ *ocpi.Location, _ *ocpi.Tariff, _ *string) { s.KWh = ocpi.MustDecimal("7") }, true},
		{"periods start late", func(s *ocpi.Session, _ *ocpi.Location, _ *ocpi.Tariff, _ *string) {
			s.StartDateTime = ocpi.NewDateTime(at("09:00:00"))
		}, true},
		{"unknown time zone", func(_ *ocpi.Session, l *ocpi.Location, _ *ocpi.Tariff, _ *string) { l.TimeZone = "Mars/Olympus" }, true},
		{"currency mismatch", func(_ *ocpi.Session, _ *ocpi.Location, t *ocpi.Tariff, _ *string) { t.Currency = "EUR" }, false},
		{"tariff not yet valid", func(_ *ocpi.Session, _ *ocpi.Location, t *ocpi.Tariff, _ *string) {
			t.StartDateTime = ptr(ocpi.NewDateTime(at("12:00:00")))
		}, false},
		{"CDR id longer than 36", func(_ *ocpi.Session, _ *ocpi.Location, _ *ocpi.Tariff, id *string) { *id = strings.Repeat("C", 37) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sess, loc, tariff, id := buildA(t, SessionOptions{}), location16(t), tf, "CDR-E"
			tc.mutate(&sess, &loc, &tariff, &id)
			_, err := BuildCDR(cpo, id, sess, loc, &tariff, nil)
			if err == nil || tc.input != isInputErr(err) {
				t.Fatalf("error %v (ErrInput %v)", err, isInputErr(err))
			}
		})
	}
	// Currency and validity errors come from the tariff engine.
	sess, tariff := buildA(t, SessionOptions{}), tf
	tariff.Currency = "EUR"
	if _, err := BuildCDR(cpo, "C", sess, location16(t), &tariff, nil); !errors.Is(err, tariffs.ErrMismatch) {
		t.Fatalf("currency mismatch: %v", err)
	}
}

func TestBuildCDRWithoutPeriodsAndForeignPeriods(t *testing.T) {
	sess := buildA(t, SessionOptions{})
	sess.ChargingPeriods = nil
	c, err := BuildCDR(cpo, "CDR-4", sess, location16(t), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := periodLines(c.ChargingPeriods); !slices.Equal(got, []string{"10:00:00 ENERGY=6.5 TIME=1"}) {
		t.Fatalf("periods %v", got)
	}
	// Periods with only Session dimensions or sloppy hours get their time recomputed.
	sess = buildA(t, SessionOptions{})
	sess.ChargingPeriods = []ocpi.ChargingPeriod{
		{StartDateTime: ocpi.NewDateTime(at("10:00:00")), Dimensions: []ocpi.CdrDimension{
			{Type: ocpi.CdrDimensionEnergy, Volume: ocpi.MustDecimal("6.5")}, {Type: ocpi.CdrDimensionTime, Volume: ocpi.MustDecimal("0.3")}}},
		{StartDateTime: ocpi.NewDateTime(at("10:20:00")), Dimensions: []ocpi.CdrDimension{
			{Type: ocpi.CdrDimensionPower, Volume: ocpi.MustDecimal("3")}}},
	}
	if c, err = BuildCDR(cpo, "CDR-5", sess, location16(t), nil, nil); err != nil {
		t.Fatal(err)
	}
	checkOCPI(t, "CDR", &c)
	if got := periodLines(c.ChargingPeriods); !slices.Equal(got, []string{"10:00:00 ENERGY=6.5 TIME=0.333333", "10:20:00 TIME=0.666667"}) {
		t.Fatalf("periods %v", got)
	}
}

func TestCreditCDR(t *testing.T) {
	tf := tariffAC()
	orig, err := BuildCDR(cpo, "CDR-1", buildA(t, SessionOptions{}), location16(t), &tf, nil)
	if err != nil {
		t.Fatal(err)
	}
	cr := CreditCDR(orig, "", at("12:00:00"))
	checkOCPI(t, "CDR", &cr)
	if cr.ID != "CDR-1-C" || cr.Credit == nil || !*cr.Credit || cr.CreditReferenceID != "CDR-1" ||
		cr.LastUpdated.String() != "2025-01-14T12:00:00Z" {
		t.Fatalf("credit %s credit=%v ref %s at %s", cr.ID, cr.Credit, cr.CreditReferenceID, cr.LastUpdated)
	}
	for _, x := range []struct{ name, got, want string }{
		{"total_cost", price(&cr.TotalCost), "-3.45/-3.795"},
		{"total_fixed_cost", price(cr.TotalFixedCost), "-1/-1.1"},
		{"total_energy_cost", price(cr.TotalEnergyCost), "-1.95/-2.145"},
		{"total_parking_cost", price(cr.TotalParkingCost), "-0.5/-0.55"},
		{"total_time_cost", price(cr.TotalTimeCost), "0/0"},
		{"total_energy", cr.TotalEnergy.String(), "6.5"},
		{"total_time", cr.TotalTime.String(), "1"},
		{"total_parking_time", cr.TotalParkingTime.String(), "0.25"},
		{"original total_cost", price(&orig.TotalCost), "3.45/3.795"},
		{"original energy cost", price(orig.TotalEnergyCost), "1.95/2.145"},
	} {
		if x.got != x.want {
			t.Errorf("%s = %s, want %s", x.name, x.got, x.want)
		}
	}
	if !slices.Equal(periodLines(cr.ChargingPeriods), periodLines(orig.ChargingPeriods)) {
		t.Fatal("credit periods differ")
	}
	cr.ChargingPeriods[0].Dimensions[0].Volume = ocpi.MustDecimal("99")
	if orig.ChargingPeriods[0].Dimensions[0].Volume.String() != "3" {
		t.Fatal("credit shares its periods with the original")
	}
	if named := CreditCDR(orig, "CDR-1-CR1", at("12:00:00")); named.ID != "CDR-1-CR1" {
		t.Fatalf("credit id %s", named.ID)
	}
}

// assertCDRTotals: total_energy, total_time and total_parking_time are the sums of the periods.
func assertCDRTotals(t testing.TB, c ocpi.CDR) {
	t.Helper()
	energy, hours, parking := sumVolumes(c.ChargingPeriods)
	if !energy.Equal(c.TotalEnergy.Decimal) || !hours.Equal(c.TotalTime.Decimal) {
		t.Fatalf("totals %s kWh %s h, periods %s kWh %s h", c.TotalEnergy, c.TotalTime, energy, hours)
	}
	gotParking := c.TotalParkingTime
	if (gotParking == nil && parking.IsPositive()) || (gotParking != nil && !gotParking.Equal(parking)) {
		t.Fatalf("total_parking_time %v, periods %s", gotParking, parking)
	}
}

// assertReprices: pricing the CDR's periods again, also after a JSON round trip (as a partner or
// `hub tariffs price` sees it), reproduces every cost field.
func assertReprices(t testing.TB, c ocpi.CDR, tf ocpi.Tariff, zone string) {
	t.Helper()
	tz, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []ocpi.CDR{c, roundTrip(t, c)} {
		bare := in
		bare.TotalCost, bare.TotalFixedCost, bare.TotalEnergyCost, bare.TotalTimeCost = ocpi.Price{}, nil, nil, nil
		bare.TotalParkingCost, bare.TotalReservationCost = nil, nil
		again, err := tariffs.PriceCDR(tf, bare, tz)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range [][2]*ocpi.Price{{&again.TotalCost, &c.TotalCost}, {again.TotalFixedCost, c.TotalFixedCost},
			{again.TotalEnergyCost, c.TotalEnergyCost}, {again.TotalTimeCost, c.TotalTimeCost},
			{again.TotalParkingCost, c.TotalParkingCost}, {again.TotalReservationCost, c.TotalReservationCost}} {
			if price(x[0]) != price(x[1]) {
				t.Fatalf("re-priced %s, CDR says %s", price(x[0]), price(x[1]))
			}
		}
		if !again.TotalTime.Equal(c.TotalTime.Decimal) || !again.TotalEnergy.Equal(c.TotalEnergy.Decimal) {
			t.Fatalf("re-priced totals %s h %s kWh, CDR %s h %s kWh", again.TotalTime, again.TotalEnergy, c.TotalTime, c.TotalEnergy)
		}
	}
}
