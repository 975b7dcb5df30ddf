package mapping

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/tariffs"
	"github.com/shopspring/decimal"
)

// BuildCDR builds the CDR of a completed Session; it is BuildCDRInZone with the time zone of
// loc.TimeZone (looked up in the IANA database with time.LoadLocation; only when a tariff is
// given). Link time/tzdata into the binary so the lookup does not depend on the host.
func BuildCDR(id Identity, cdrID string, sess ocpi.Session, loc ocpi.Location, tariff *ocpi.Tariff, signed *ocpi.SignedData) (ocpi.CDR, error) {
	var tz *time.Location
	if tariff != nil {
		if loc.TimeZone == "" || loc.TimeZone == "Local" {
			return ocpi.CDR{}, inputErr("CDR %q: location %q has no IANA time zone", cdrID, loc.ID)
		}
		z, err := time.LoadLocation(loc.TimeZone)
		if err != nil {
			return ocpi.CDR{}, fmt.Errorf("%w: CDR %q: location %q time zone: %v", ErrInput, cdrID, loc.ID, err)
		}
		tz = z
	}
	return BuildCDRInZone(id, cdrID, sess, loc, tariff, signed, tz)
}

// BuildCDRInZone builds the CDR cdrID (at most 36 characters) of a completed Session, an
// immutable snapshot:
//
//   - cdr_location from loc and the Session's EVSE and connector ([CdrLocationOf]); pass the
//     Location as it was at session start (OCPI wants the state at session start);
//   - start/end, session_id, cdr_token, auth_method, authorization_reference, meter_id and
//     currency from the Session;
//   - the Session's charging periods without the Session-only dimensions (CURRENT, POWER,
//     STATE_OF_CHARGE, ENERGY_IMPORT, ENERGY_EXPORT), each TIME/PARKING_TIME volume recomputed
//     from the period's boundaries (cumulative from the start, 6 decimals; a period with neither
//     and no RESERVATION_TIME gets a TIME dimension), and with tariff_id set when priced; a
//     Session without periods gets one period with its kwh and duration;
//   - total_energy, total_time and total_parking_time equal to the sums of the ENERGY,
//     TIME+PARKING_TIME+RESERVATION_TIME and PARKING_TIME volumes; an error when they disagree
//     with the Session (kwh) or its duration;
//   - with a tariff: every cost field from tariffs.PriceCDR in tz (nil: UTC), tariffs holding a
//     copy of the tariff (the caller passes the tariff frozen at session start); without one:
//     total_cost from the Session's total_cost, else 0 (free: prefer referencing an explicit
//     free tariff, as OCPI advises);
//   - signed_data as given; last_updated the Session's last_updated or its end, whichever is
//     later (the roaming service may replace it with the issue time).
//
// The result is validated.
func BuildCDRInZone(id Identity, cdrID string, sess ocpi.Session, loc ocpi.Location, tariff *ocpi.Tariff, signed *ocpi.SignedData, tz *time.Location) (ocpi.CDR, error) {
	fail := func(err error) (ocpi.CDR, error) {
		return ocpi.CDR{}, fmt.Errorf("mapping: CDR %q of session %q: %w", cdrID, sess.ID, err)
	}
	if sess.Status != ocpi.SessionStatusCompleted || sess.EndDateTime == nil {
		return fail(inputErr("session is %s, not COMPLETED with an end_date_time", sess.Status))
	}
	start, end := sess.StartDateTime.Time, sess.EndDateTime.Time
	cl, err := CdrLocationOf(loc, sess.EvseUID, sess.ConnectorID)
	if err != nil {
		return fail(err)
	}
	periods, err := cdrPeriods(sess.ChargingPeriods, start, end)
	if err != nil {
		return fail(err)
	}
	if len(periods) == 0 {
		periods = []ocpi.ChargingPeriod{{StartDateTime: ocpi.NewDateTime(start), Dimensions: []ocpi.CdrDimension{
			{Type: ocpi.CdrDimensionEnergy, Volume: ocpi.NewDecimal(sess.KWh.Decimal)},
			{Type: ocpi.CdrDimensionTime, Volume: ocpi.NewDecimal(hours6(end.Sub(start)))}}}}
	}
	energy, timeH, parking := sumVolumes(periods)
	if want := hours6(end.Sub(start)); !timeH.Equal(want) {
		return fail(inputErr("charging periods add up to %s h, the session lasts %s h", timeH, want))
	}
	if sess.KWh.IsSet() && !energy.Equal(sess.KWh.Decimal) {
		return fail(inputErr("charging periods add up to %s kWh, the session says %s kWh", energy, sess.KWh.Decimal))
	}
	n := id.norm()
	c := ocpi.CDR{
		CountryCode: n.CountryCode, PartyID: n.PartyID, ID: cdrID,
		StartDateTime: ocpi.NewDateTime(start), EndDateTime: ocpi.NewDateTime(end), SessionID: sess.ID,
		CdrToken: sess.CdrToken, AuthMethod: sess.AuthMethod, AuthorizationReference: sess.AuthorizationReference,
		CdrLocation: cl, MeterID: sess.MeterID, Currency: sess.Currency, ChargingPeriods: periods,
		SignedData: signed, TotalEnergy: ocpi.NewDecimal(energy), TotalTime: ocpi.NewDecimal(timeH),
		LastUpdated: ocpi.NewDateTime(later(sess.LastUpdated.Time, end)),
	}
	if parking.IsPositive() {
		c.TotalParkingTime = ocpi.NewDecimal(parking).Ptr()
	}
	if tariff == nil {
		c.TotalCost = ocpi.Price{ExclVat: ocpi.DecimalFromInt(0), InclVat: ocpi.DecimalFromInt(0).Ptr()}
		if sess.TotalCost != nil {
			c.TotalCost = clonePrice(*sess.TotalCost)
		}
	} else {
		for i := range c.ChargingPeriods {
			c.ChargingPeriods[i].TariffID = tariff.ID
		}
		c.Tariffs = []ocpi.Tariff{*tariff}
		if c, err = tariffs.PriceCDR(*tariff, c, tz); err != nil {
			return fail(err)
		}
	}
	if err := c.Validate(); err != nil {
		return fail(err)
	}
	return c, nil
}

// CdrLocationOf returns the CdrLocation of a Location's EVSE and connector (matched
// case-insensitively). The EVSE must have an evse_id (required in a CDR). Texts longer than the
// CdrLocation limits (address 45 and state 20 characters, which Location allows longer; name 255,
// city 45, postal_code 10) are cut on a character boundary to fit the limit both in characters
// and in bytes (some validators count bytes), and trailing spaces are trimmed.
func CdrLocationOf(loc ocpi.Location, evseUID, connectorID string) (ocpi.CdrLocation, error) {
	for i := range loc.EVSEs {
		e := &loc.EVSEs[i]
		if !strings.EqualFold(e.UID, evseUID) {
			continue
		}
		if e.EvseID == "" {
			return ocpi.CdrLocation{}, inputErr("location %q EVSE %q has no evse_id", loc.ID, e.UID)
		}
		for j := range e.Connectors {
			k := &e.Connectors[j]
			if !strings.EqualFold(k.ID, connectorID) {
				continue
			}
			return ocpi.CdrLocation{
				ID: loc.ID, Name: fit(loc.Name, 255), Address: fit(loc.Address, 45), City: fit(loc.City, 45),
				PostalCode: fit(loc.PostalCode, 10), State: fit(loc.State, 20), Country: loc.Country,
				Coordinates: loc.Coordinates, EvseUID: e.UID, EvseID: e.EvseID, ConnectorID: k.ID,
				ConnectorStandard: k.Standard, ConnectorFormat: k.Format, ConnectorPowerType: k.PowerType,
			}, nil
		}
		return ocpi.CdrLocation{}, inputErr("location %q EVSE %q has no connector %q", loc.ID, e.UID, connectorID)
	}
	return ocpi.CdrLocation{}, inputErr("location %q has no EVSE %q", loc.ID, evseUID)
}

// fit cuts s on a character boundary so that it has at most n characters and n bytes.
func fit(s string, n int) string {
	if len(s) <= n {
		return s
	}
	count, cut := 0, 0
	for i, r := range s {
		if count == n || i+utf8.RuneLen(r) > n {
			break
		}
		count, cut = count+1, i+utf8.RuneLen(r)
	}
	return strings.TrimRight(s[:cut], " ")
}

// cdrPeriods copies Session periods for a CDR (see BuildCDRInZone). The periods must start in
// strictly increasing order within [start, end].
func cdrPeriods(in []ocpi.ChargingPeriod, start, end time.Time) ([]ocpi.ChargingPeriod, error) {
	out := make([]ocpi.ChargingPeriod, 0, len(in))
	for i := range in {
		p := &in[i]
		at := p.StartDateTime.Time
		switch {
		case at.Before(start) || at.After(end):
			return nil, inputErr("charging_periods[%d] starts %s, outside the session", i, p.StartDateTime)
		case i > 0 && !at.After(in[i-1].StartDateTime.Time):
			return nil, inputErr("charging_periods[%d] does not start after the previous period", i)
		}
		next := end
		if i+1 < len(in) {
			next = in[i+1].StartDateTime.Time
		}
		h := hours6(next.Sub(start)).Sub(hours6(at.Sub(start)))
		q := ocpi.ChargingPeriod{StartDateTime: ocpi.NewDateTime(at), TariffID: p.TariffID}
		var nTime, nPark, nRes int
		for _, d := range p.Dimensions {
			switch d.Type {
			case ocpi.CdrDimensionTime:
				nTime++
			case ocpi.CdrDimensionParkingTime:
				nPark++
			case ocpi.CdrDimensionReservationTime:
				nRes++
			}
			if !d.Type.SessionOnly() {
				q.Dimensions = append(q.Dimensions, ocpi.CdrDimension{Type: d.Type, Volume: d.Volume})
			}
		}
		switch {
		case nTime+nPark == 1 && nRes == 0:
			for j := range q.Dimensions {
				if t := q.Dimensions[j].Type; t == ocpi.CdrDimensionTime || t == ocpi.CdrDimensionParkingTime {
					q.Dimensions[j].Volume = ocpi.NewDecimal(h)
				}
			}
		case nTime+nPark+nRes == 0:
			q.Dimensions = append(q.Dimensions, ocpi.CdrDimension{Type: ocpi.CdrDimensionTime, Volume: ocpi.NewDecimal(h)})
		}
		out = append(out, q)
	}
	return out, nil
}

// sumVolumes returns the sums of ENERGY, of TIME+PARKING_TIME+RESERVATION_TIME and of
// PARKING_TIME over the periods.
func sumVolumes(periods []ocpi.ChargingPeriod) (energy, hours, parking decimal.Decimal) {
	for _, p := range periods {
		for _, d := range p.Dimensions {
			switch d.Type {
			case ocpi.CdrDimensionEnergy:
				energy = energy.Add(d.Volume.Decimal)
			case ocpi.CdrDimensionTime, ocpi.CdrDimensionReservationTime:
				hours = hours.Add(d.Volume.Decimal)
			case ocpi.CdrDimensionParkingTime:
				hours = hours.Add(d.Volume.Decimal)
				parking = parking.Add(d.Volume.Decimal)
			}
		}
	}
	return energy, hours, parking
}

// CreditCDR returns the credit CDR of orig (OCPI 7.3): all data copied, id creditID ("" gives
// orig.ID+"-C"; at most 39 characters), credit true, credit_reference_id orig.ID, every money
// field (total_cost and the five total_*_cost, excl_vat and incl_vat) negated, volumes and times
// unchanged, last_updated at (the issue time). The periods are copied; tariffs and signed data
// are shared with orig (treat CDRs as immutable). Send a new, normal CDR after it to correct.
func CreditCDR(orig ocpi.CDR, creditID string, at time.Time) ocpi.CDR {
	c := orig
	if creditID == "" {
		creditID = orig.ID + "-C"
	}
	credit := true
	c.ID, c.Credit, c.CreditReferenceID = creditID, &credit, orig.ID
	c.TotalCost = negPrice(orig.TotalCost)
	for _, p := range []**ocpi.Price{&c.TotalFixedCost, &c.TotalEnergyCost, &c.TotalTimeCost, &c.TotalParkingCost,
		&c.TotalReservationCost} {
		if *p != nil {
			n := negPrice(**p)
			*p = &n
		}
	}
	c.ChargingPeriods = make([]ocpi.ChargingPeriod, len(orig.ChargingPeriods))
	for i, p := range orig.ChargingPeriods {
		p.Dimensions = slices.Clone(p.Dimensions)
		c.ChargingPeriods[i] = p
	}
	c.Tariffs = slices.Clone(orig.Tariffs)
	if orig.TotalParkingTime != nil {
		c.TotalParkingTime = orig.TotalParkingTime.Ptr()
	}
	c.LastUpdated = ocpi.NewDateTime(at)
	return c
}

func negPrice(p ocpi.Price) ocpi.Price {
	out := ocpi.Price{ExclVat: ocpi.NewDecimal(p.ExclVat.Neg())}
	if p.InclVat != nil {
		out.InclVat = ocpi.NewDecimal(p.InclVat.Neg()).Ptr()
	}
	return out
}

func clonePrice(p ocpi.Price) ocpi.Price {
	if p.InclVat != nil {
		p.InclVat = p.InclVat.Ptr()
	}
	return p
}
