package tariffs

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/chargehub/hub/ocpi"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// tariffJSON builds a tariff from its elements (and optional extra top-level fields) in JSON.
func tariffJSON(t testing.TB, currency, elements string, extra ...string) ocpi.Tariff {
	t.Helper()
	js := `{"country_code":"IN","party_id":"HUB","id":"T1","currency":"` + currency +
		`","last_updated":"2025-01-01T00:00:00Z","elements":` + elements
	for _, e := range extra {
		js += "," + e
	}
	var tf ocpi.Tariff
	require.NoError(t, json.Unmarshal([]byte(js+"}"), &tf))
	require.NoError(t, tf.Validate())
	return tf
}

func periodsJSON(t testing.TB, js string) []ocpi.ChargingPeriod {
	t.Helper()
	var ps []ocpi.ChargingPeriod
	require.NoError(t, json.Unmarshal([]byte(js), &ps))
	return ps
}

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// want lists exact expected amounts (excl/incl); "" leaves a field unchecked.
type want struct {
	total, totalIncl       string
	energy, energyIncl     string
	time, timeIncl         string
	parking, parkingIncl   string
	fixed, fixedIncl       string
	reservation, resIncl   string
	totalTime, totalEnergy string
}

func checkMoney(t *testing.T, name string, got decimal.Decimal, want string) {
	t.Helper()
	if want != "" && !got.Equal(dec(want)) {
		t.Errorf("%s = %s, want %s", name, got, want)
	}
}

func checkResult(t *testing.T, r Result, w want) {
	t.Helper()
	b := r.Exact
	checkMoney(t, "total excl", b.Total.ExclVat, w.total)
	checkMoney(t, "total incl", b.Total.InclVat, w.totalIncl)
	checkMoney(t, "energy excl", b.Energy.ExclVat, w.energy)
	checkMoney(t, "energy incl", b.Energy.InclVat, w.energyIncl)
	checkMoney(t, "time excl", b.Time.ExclVat, w.time)
	checkMoney(t, "time incl", b.Time.InclVat, w.timeIncl)
	checkMoney(t, "parking excl", b.Parking.ExclVat, w.parking)
	checkMoney(t, "parking incl", b.Parking.InclVat, w.parkingIncl)
	checkMoney(t, "fixed excl", b.Fixed.ExclVat, w.fixed)
	checkMoney(t, "fixed incl", b.Fixed.InclVat, w.fixedIncl)
	checkMoney(t, "reservation excl", b.Reservation.ExclVat, w.reservation)
	checkMoney(t, "reservation incl", b.Reservation.InclVat, w.resIncl)
	checkMoney(t, "total_time", r.TotalTime.Decimal, w.totalTime)
	checkMoney(t, "total_energy", r.TotalEnergy.Decimal, w.totalEnergy)
	// The rounded Prices are the exact amounts rounded to 4 decimals.
	require.True(t, r.TotalCost.ExclVat.Equal(b.Total.ExclVat.Round(4)), "rounded total excl")
	require.True(t, r.TotalCost.InclVat.Equal(b.Total.InclVat.Round(4)), "rounded total incl")
}

// India: INR, 18 % GST, Asia/Kolkata (UTC+05:30, no DST).
const inrOffPeak = `[
 {"price_components":[{"type":"ENERGY","price":12.00,"vat":18,"step_size":1}],
  "restrictions":{"start_time":"22:00","end_time":"06:00"}},
 {"price_components":[{"type":"FLAT","price":50,"vat":18,"step_size":1},
                      {"type":"ENERGY","price":18.00,"vat":18,"step_size":1}]}]`

const (
	reservationElements = `[{"price_components":[{"type":"FLAT","price":4,"vat":20,"step_size":1}],"restrictions":{"reservation":"RESERVATION_EXPIRES"}},
	  {"price_components":[{"type":"TIME","price":2,"vat":20,"step_size":900}],"restrictions":{"reservation":"RESERVATION"}},
	  {"price_components":[{"type":"FLAT","price":0.5,"vat":20,"step_size":1}]}]`
	reservationOnly = `[{"start_date_time":"2024-06-03T09:00:00Z","dimensions":[{"type":"RESERVATION_TIME","volume":0.7}]}]`
)

func TestRules(t *testing.T) {
	kolkata := mustLoc(t, "Asia/Kolkata")
	amsterdam := mustLoc(t, "Europe/Amsterdam")
	tests := []struct {
		name       string
		currency   string
		elements   string
		extra      []string
		periods    string
		start, end string
		loc        *time.Location
		want       want
		parts      int   // number of PeriodResults (sub-periods) when > 0
		expired    *bool // Options.ReservationExpired
	}{
		{
			// 21:30-00:30 IST in ONE coarse period: split at 22:00 IST (16:30Z), 1/6 of 21 kWh at
			// the peak price: 3.5 x 18 + 17.5 x 12 = 273; FLAT 50; GST 18 %. Local midnight lies
			// inside the wrapping 22:00-06:00 window and changes nothing.
			name: "INR off-peak 22:00-06:00 crossing midnight, coarse period split at 22:00 IST", currency: "INR",
			elements: inrOffPeak, loc: kolkata,
			periods: `[{"start_date_time":"2025-03-10T16:00:00Z","dimensions":[{"type":"ENERGY","volume":21},{"type":"TIME","volume":3}]}]`,
			start:   "2025-03-10T16:00:00Z", end: "2025-03-10T19:00:00Z",
			want: want{total: "323", totalIncl: "381.14", energy: "273", energyIncl: "322.14", fixed: "50",
				fixedIncl: "59", totalTime: "3", totalEnergy: "21"},
			parts: 2,
		},
		{
			name: "INR off-peak, periods already cut at 22:00 IST", currency: "INR", elements: inrOffPeak, loc: kolkata,
			periods: `[{"start_date_time":"2025-03-10T16:00:00Z","dimensions":[{"type":"ENERGY","volume":3.5},{"type":"TIME","volume":0.5}]},
			           {"start_date_time":"2025-03-10T16:30:00Z","dimensions":[{"type":"ENERGY","volume":17.5},{"type":"TIME","volume":2.5}]}]`,
			start: "2025-03-10T16:00:00Z", end: "2025-03-10T19:00:00Z",
			want: want{total: "323", totalIncl: "381.14"}, parts: 2,
		},
		{
			// 05:30-06:30 IST: off-peak ends at 06:00 IST = 00:30Z; 5 x 12 + 5 x 18 + 50 = 200.
			name: "INR off-peak ends at 06:00 IST", currency: "INR", elements: inrOffPeak, loc: kolkata,
			periods: `[{"start_date_time":"2025-03-11T00:00:00Z","dimensions":[{"type":"ENERGY","volume":10},{"type":"TIME","volume":1}]}]`,
			start:   "2025-03-11T00:00:00Z", end: "2025-03-11T01:00:00Z",
			want: want{total: "200", totalIncl: "236", energy: "150"}, parts: 2,
		},
		{
			// 17:00Z is 22:30 IST (off-peak); read as UTC it would be peak (10 x 18 + 50 = 230).
			name: "INR half-hour offset is applied", currency: "INR", elements: inrOffPeak, loc: kolkata,
			periods: `[{"start_date_time":"2025-03-10T17:00:00Z","dimensions":[{"type":"ENERGY","volume":10},{"type":"TIME","volume":1}]}]`,
			start:   "2025-03-10T17:00:00Z", end: "2025-03-10T18:00:00Z",
			want: want{total: "170", totalIncl: "200.6"},
		},
		{
			// Sunday price in IST: Sat 23:00 IST - Sun 01:00 IST, split at local midnight (18:30Z).
			name: "day_of_week at local midnight (IST)", currency: "INR", loc: kolkata,
			elements: `[{"price_components":[{"type":"TIME","price":100,"vat":18,"step_size":1}],"restrictions":{"day_of_week":["SUNDAY"]}},
			            {"price_components":[{"type":"TIME","price":200,"vat":18,"step_size":1}]}]`,
			periods: `[{"start_date_time":"2025-03-08T17:30:00Z","dimensions":[{"type":"TIME","volume":2}]}]`,
			start:   "2025-03-08T17:30:00Z", end: "2025-03-08T19:30:00Z",
			want: want{total: "300", totalIncl: "354", time: "300"}, parts: 2,
		},
		{
			// Spring forward 2025-03-30: 02:00 CET -> 03:00 CEST at 01:00Z. The night window
			// 00:00-03:00 local ends at 01:00Z: 0.5 h x 1 + 1.5 h x 2 = 3.5 (a wall-clock reading
			// 01:30 -> 03:00 would bill 1.5 h at night).
			name: "DST spring forward, Europe/Amsterdam", currency: "EUR", loc: amsterdam,
			elements: `[{"price_components":[{"type":"TIME","price":1,"step_size":1}],"restrictions":{"start_time":"00:00","end_time":"03:00"}},
			            {"price_components":[{"type":"TIME","price":2,"step_size":1}]}]`,
			periods: `[{"start_date_time":"2025-03-30T00:30:00Z","dimensions":[{"type":"TIME","volume":2}]}]`,
			start:   "2025-03-30T00:30:00Z", end: "2025-03-30T02:30:00Z",
			want: want{total: "3.5", totalIncl: "3.5", time: "3.5", totalTime: "2"}, parts: 2,
		},
		{
			// Fall back 2025-10-26: 03:00 CEST -> 02:00 CET at 01:00Z, so 02:00-03:00 local happens
			// twice (00:00Z-01:00Z and 01:00Z-02:00Z). Session 01:30 CEST - 03:30 CET = 3 h:
			// 0.5 h x 2 + 2 h x 1 + 0.5 h x 2 = 4.
			name: "DST fall back, repeated hour, Europe/Amsterdam", currency: "EUR", loc: amsterdam,
			elements: `[{"price_components":[{"type":"TIME","price":1,"step_size":1}],"restrictions":{"start_time":"02:00","end_time":"03:00"}},
			            {"price_components":[{"type":"TIME","price":2,"step_size":1}]}]`,
			periods: `[{"start_date_time":"2025-10-25T23:30:00Z","dimensions":[{"type":"TIME","volume":3}]}]`,
			start:   "2025-10-25T23:30:00Z", end: "2025-10-26T02:30:00Z",
			want: want{total: "4", time: "4", totalTime: "3"},
		},
		{
			// max_kwh 10: one 15 kWh period is split where the session energy reaches 10 kWh
			// (interpolated: 1 h into the 1.5 h period): 10 x 0.30 + 5 x 0.20 = 4.
			name: "min/max_kwh split by energy interpolation", currency: "EUR", loc: time.UTC,
			elements: `[{"price_components":[{"type":"ENERGY","price":0.30,"vat":21,"step_size":1}],"restrictions":{"max_kwh":10}},
			            {"price_components":[{"type":"ENERGY","price":0.20,"vat":21,"step_size":1}],"restrictions":{"min_kwh":10}}]`,
			periods: `[{"start_date_time":"2025-05-05T10:00:00Z","dimensions":[{"type":"ENERGY","volume":15},{"type":"TIME","volume":1.5}]}]`,
			start:   "2025-05-05T10:00:00Z", end: "2025-05-05T11:30:00Z",
			want: want{total: "4", totalIncl: "4.84"}, parts: 2,
		},
		{
			// Free first 30 minutes inside one 1 h period: 4 kWh free, 4 kWh x 0.40 = 1.6.
			name: "max_duration boundary inside a period", currency: "EUR", loc: time.UTC,
			elements: `[{"price_components":[{"type":"ENERGY","price":0,"step_size":1}],"restrictions":{"max_duration":1800}},
			            {"price_components":[{"type":"ENERGY","price":0.40,"step_size":1}]}]`,
			periods: `[{"start_date_time":"2025-05-05T10:00:00Z","dimensions":[{"type":"ENERGY","volume":8},{"type":"TIME","volume":1}]}]`,
			start:   "2025-05-05T10:00:00Z", end: "2025-05-05T11:00:00Z",
			want: want{total: "1.6", energy: "1.6"}, parts: 2,
		},
		{
			// New Year's day energy price (start_date inclusive, end_date exclusive), split at midnight.
			name: "start_date/end_date", currency: "EUR", loc: time.UTC,
			elements: `[{"price_components":[{"type":"ENERGY","price":0.50,"step_size":1}],"restrictions":{"start_date":"2025-01-01","end_date":"2025-01-02"}},
			            {"price_components":[{"type":"ENERGY","price":0.30,"step_size":1}]}]`,
			periods: `[{"start_date_time":"2024-12-31T23:00:00Z","dimensions":[{"type":"ENERGY","volume":4},{"type":"TIME","volume":2}]}]`,
			start:   "2024-12-31T23:00:00Z", end: "2025-01-01T01:00:00Z",
			want: want{total: "1.6"}, parts: 2,
		},
		{
			// min_price raises excl and incl independently: 3 x 0.25 = 0.75 / 0.825 -> 1.00 / 1.30.
			name: "min_price", currency: "EUR", loc: time.UTC,
			elements: `[{"price_components":[{"type":"ENERGY","price":0.25,"vat":10,"step_size":1}]}]`,
			extra:    []string{`"min_price":{"excl_vat":1.00,"incl_vat":1.30}`},
			periods:  `[{"start_date_time":"2025-05-05T10:00:00Z","dimensions":[{"type":"ENERGY","volume":3}]}]`,
			start:    "2025-05-05T10:00:00Z", end: "2025-05-05T11:00:00Z",
			want: want{total: "1", totalIncl: "1.3", energy: "0.75", energyIncl: "0.825"},
		},
		{
			// Mixed VAT: excl 9 stays under max 10, incl 1 + 12 = 13 is capped to 12.
			name: "max_price clamps excl and incl independently", currency: "EUR", loc: time.UTC,
			elements: `[{"price_components":[{"type":"FLAT","price":1,"vat":0,"step_size":1},{"type":"ENERGY","price":1,"vat":50,"step_size":1}]}]`,
			extra:    []string{`"max_price":{"excl_vat":10,"incl_vat":12}`},
			periods:  `[{"start_date_time":"2025-05-05T10:00:00Z","dimensions":[{"type":"ENERGY","volume":8}]}]`,
			start:    "2025-05-05T10:00:00Z", end: "2025-05-05T11:00:00Z",
			want: want{total: "9", totalIncl: "12", energyIncl: "12", fixedIncl: "1"},
		},
		{
			// Each element's FLAT once: the morning FLAT (period 1) and the default FLAT
			// (period 2); period 3 matches the default FLAT again and is not charged again.
			name: "FLAT once per session per matching element", currency: "EUR", loc: time.UTC,
			elements: `[{"price_components":[{"type":"FLAT","price":1,"step_size":1}],"restrictions":{"end_time":"12:00"}},
			            {"price_components":[{"type":"FLAT","price":2,"step_size":1},{"type":"ENERGY","price":0.1,"step_size":1}]}]`,
			periods: `[{"start_date_time":"2025-05-05T11:30:00Z","dimensions":[{"type":"ENERGY","volume":5}]},
			           {"start_date_time":"2025-05-05T12:00:00Z","dimensions":[{"type":"ENERGY","volume":5}]},
			           {"start_date_time":"2025-05-05T12:15:00Z","dimensions":[{"type":"ENERGY","volume":5}]}]`,
			start: "2025-05-05T11:30:00Z", end: "2025-05-05T12:30:00Z",
			want: want{total: "4.5", fixed: "3", energy: "1.5"},
		},
		{
			// The FLAT of an element that only prices parking is a parking cost.
			name: "parking-only FLAT goes to total_parking_cost", currency: "EUR", loc: time.UTC,
			elements: `[{"price_components":[{"type":"ENERGY","price":0.30,"step_size":1}]},
			            {"price_components":[{"type":"FLAT","price":1.5,"step_size":1},{"type":"PARKING_TIME","price":2,"step_size":1}]}]`,
			periods: `[{"start_date_time":"2025-05-05T10:00:00Z","dimensions":[{"type":"ENERGY","volume":10},{"type":"TIME","volume":1}]},
			           {"start_date_time":"2025-05-05T11:00:00Z","dimensions":[{"type":"PARKING_TIME","volume":0.5}]}]`,
			start: "2025-05-05T10:00:00Z", end: "2025-05-05T11:30:00Z",
			want: want{total: "5.5", fixed: "0", parking: "2.5", energy: "3"},
		},
		{
			// step_size 0 (the spec's free-tariff example uses it): no rounding; no vat: incl = excl.
			name: "step_size 0 and no VAT", currency: "EUR", loc: time.UTC,
			elements: `[{"price_components":[{"type":"TIME","price":2,"step_size":0}]}]`,
			periods:  `[{"start_date_time":"2025-05-05T10:00:00Z","dimensions":[{"type":"TIME","volume":0.3333}]}]`,
			start:    "2025-05-05T10:00:00Z", end: "2025-05-05T10:20:00Z",
			want: want{total: "0.6666", totalIncl: "0.6666"},
		},
		{
			// Without current data a current restriction counts as matched; average power
			// ENERGY/TIME = 20 kW is used for max_power 11 (not matched: fallback 0.40).
			name: "current without data, power from ENERGY/TIME", currency: "EUR", loc: time.UTC,
			elements: `[{"price_components":[{"type":"TIME","price":1,"step_size":1}],"restrictions":{"max_current":16}},
			            {"price_components":[{"type":"ENERGY","price":0.20,"step_size":1}],"restrictions":{"max_power":11}},
			            {"price_components":[{"type":"ENERGY","price":0.40,"step_size":1},{"type":"TIME","price":2,"step_size":1}]}]`,
			periods: `[{"start_date_time":"2025-05-05T10:00:00Z","dimensions":[{"type":"ENERGY","volume":10},{"type":"TIME","volume":0.5}]}]`,
			start:   "2025-05-05T10:00:00Z", end: "2025-05-05T10:30:00Z",
			want: want{total: "4.5", time: "0.5", energy: "4"},
		},
		{
			// Unsorted input periods are priced in time order (step on the last billed period: the
			// 17:00 one at 0.27; 5.4 -> 5.5 kWh).
			name: "unsorted periods", currency: "EUR", loc: time.UTC,
			elements: `[{"price_components":[{"type":"ENERGY","price":0.27,"step_size":500}],"restrictions":{"start_time":"17:00"}},
			            {"price_components":[{"type":"ENERGY","price":0.20,"step_size":500}]}]`,
			periods: `[{"start_date_time":"2024-06-03T17:00:00Z","dimensions":[{"type":"ENERGY","volume":1.1}]},
			           {"start_date_time":"2024-06-03T16:00:00Z","dimensions":[{"type":"ENERGY","volume":4.3}]}]`,
			start: "2024-06-03T16:00:00Z", end: "2024-06-03T17:20:00Z",
			want: want{total: "1.184"},
		},
		{
			// Reservation time only: the reservation expired, RESERVATION_EXPIRES applies (FLAT 4)
			// besides RESERVATION (45 min, 15-min steps: 0.75 h x 2); the charging FLAT does not.
			name: "reservation expired (detected)", currency: "EUR", loc: time.UTC,
			elements: reservationElements, periods: reservationOnly,
			start: "2024-06-03T09:00:00Z", end: "2024-06-03T09:45:00Z",
			want: want{total: "5.5", totalIncl: "6.6", reservation: "5.5", fixed: "0"},
		},
		{
			name: "reservation not expired (option)", currency: "EUR", loc: time.UTC,
			elements: reservationElements, periods: reservationOnly, expired: new(bool),
			start: "2024-06-03T09:00:00Z", end: "2024-06-03T09:45:00Z",
			want: want{total: "1.5", totalIncl: "1.8", reservation: "1.5", fixed: "0"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tf := tariffJSON(t, tc.currency, tc.elements, tc.extra...)
			r, err := Price(tf, periodsJSON(t, tc.periods), Options{Location: tc.loc,
				SessionStart: utc(tc.start), SessionEnd: utc(tc.end), ReservationExpired: tc.expired})
			require.NoError(t, err)
			checkResult(t, r, tc.want)
			if tc.parts > 0 {
				require.Len(t, r.Periods, tc.parts)
			}
		})
	}
}

func TestEnergySplitPoint(t *testing.T) {
	tf := tariffJSON(t, "EUR", `[{"price_components":[{"type":"ENERGY","price":0.30,"step_size":1}],"restrictions":{"max_kwh":10}},
	  {"price_components":[{"type":"ENERGY","price":0.20,"step_size":1}]}]`)
	r, err := Price(tf, periodsJSON(t, `[{"start_date_time":"2025-05-05T10:00:00Z","dimensions":[{"type":"ENERGY","volume":15},{"type":"TIME","volume":1.5}]}]`),
		Options{SessionStart: utc("2025-05-05T10:00:00Z"), SessionEnd: utc("2025-05-05T11:30:00Z")})
	require.NoError(t, err)
	require.Len(t, r.Periods, 2)
	second := r.Periods[1]
	require.Equal(t, utc("2025-05-05T11:00:00Z"), second.Start.UTC())
	require.True(t, second.EnergyBefore.Equal(dec("10")), "energy before %s", second.EnergyBefore)
	require.True(t, second.Energy.Equal(dec("5")))
	require.True(t, second.Time.Equal(dec("0.5")), "time %s", second.Time)
	// The breakdown's line costs add up to the total.
	var sum decimal.Decimal
	for _, p := range r.Periods {
		for _, l := range p.Lines {
			sum = sum.Add(l.Cost().ExclVat)
		}
	}
	require.True(t, sum.Equal(r.Exact.Sum.ExclVat))
}

func TestSessionEndDefaults(t *testing.T) {
	tf := tariffJSON(t, "EUR", `[{"price_components":[{"type":"TIME","price":2,"step_size":1}]}]`)
	r, err := Price(tf, periodsJSON(t, `[{"start_date_time":"2025-05-05T10:00:00Z","dimensions":[{"type":"TIME","volume":1}]},
	  {"start_date_time":"2025-05-05T11:00:00Z","dimensions":[{"type":"PARKING_TIME","volume":0.25}]}]`), Options{})
	require.NoError(t, err)
	require.True(t, r.TotalTime.Equal(dec("1.25")), "total time %s", r.TotalTime)
	require.True(t, r.TotalParkingTime.Equal(dec("0.25")))
	require.Nil(t, r.TotalReservationCost)
}

func TestErrors(t *testing.T) {
	ok := periodsJSON(t, `[{"start_date_time":"2025-05-05T10:00:00Z","dimensions":[{"type":"TIME","volume":1}]}]`)
	tf := tariffJSON(t, "EUR", `[{"price_components":[{"type":"TIME","price":2,"step_size":1}]}]`,
		`"start_date_time":"2025-06-01T00:00:00Z"`)
	_, err := Price(tf, ok, Options{})
	require.ErrorIs(t, err, ErrTariffNotActive)
	_, err = Price(tf, ok, Options{IgnoreValidity: true})
	require.NoError(t, err)

	_, err = Price(tariffJSON(t, "EUR", `[{"price_components":[{"type":"TIME","price":2,"step_size":1}]}]`), nil, Options{})
	require.ErrorIs(t, err, ErrInvalidPeriods)

	bad := tariffJSON(t, "EUR", `[{"price_components":[{"type":"TIME","price":2,"step_size":1}]}]`)
	bad.Elements[0].Restrictions = &ocpi.TariffRestrictions{StartTime: "25:00"}
	_, err = Price(bad, ok, Options{})
	require.ErrorIs(t, err, ErrInvalidTariff)
	require.ErrorContains(t, err, "elements[0].restrictions.start_time")

	good := tariffJSON(t, "EUR", `[{"price_components":[{"type":"TIME","price":2,"step_size":1}]}]`)
	cdr := ocpi.CDR{ID: "C1", Currency: "INR", ChargingPeriods: ok}
	_, err = PriceCDR(good, cdr, nil)
	require.ErrorIs(t, err, ErrMismatch)
	cdr.Currency = "EUR"
	cdr.ChargingPeriods = periodsJSON(t, `[{"start_date_time":"2025-05-05T10:00:00Z","tariff_id":"OTHER","dimensions":[{"type":"TIME","volume":1}]}]`)
	_, err = PriceCDR(good, cdr, nil)
	require.ErrorIs(t, err, ErrMismatch)
}

func TestValidateForPricing(t *testing.T) {
	tf := tariffJSON(t, "EUR", `[{"price_components":[{"type":"TIME","price":2,"step_size":1}]}]`)
	tf.PartyID = ""
	warnings, err := ValidateForPricing(&tf, nil)
	require.NoError(t, err)
	require.Len(t, warnings, 1)
	require.Equal(t, "tariff.party_id", warnings[0].Path)

	tf.Elements[0].PriceComponents[0].Price = ocpi.Decimal{}
	_, err = ValidateForPricing(&tf, nil)
	require.ErrorIs(t, err, ocpi.ErrInvalid)
	require.EqualError(t, err, "tariff.elements[0].price_components[0].price: required")
	var ve ocpi.ValidationErrors
	require.True(t, errors.As(err, &ve))
}
