package tariffs

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chargehub/hub/ocpi"
)

// PriceCDR prices cdr's charging periods under tariff t, with restrictions evaluated in loc (nil:
// UTC), and returns a copy of cdr with every cost and total field filled: total_cost,
// total_fixed_cost, total_energy, total_energy_cost, total_time, total_time_cost,
// total_parking_time, total_parking_cost and (when the tariff prices reservations or the CDR has
// reservation time) total_reservation_cost. Other fields are left as they are.
//
// total_energy and total_parking_time are the sums of the ENERGY and PARKING_TIME volumes; when no
// period carries that dimension at all and the CDR already states the total, the stated total is
// kept (a TIME-only CDR such as the OCPI example still reports its metered energy).
//
// The CDR's currency must equal the tariff's, and every period that names a tariff_id must name
// this tariff (periods without tariff_id are priced under it too). Callers that received the
// objects from outside should Validate them first.
func PriceCDR(t ocpi.Tariff, cdr ocpi.CDR, loc *time.Location) (ocpi.CDR, error) {
	if !strings.EqualFold(t.Currency, cdr.Currency) {
		return ocpi.CDR{}, fmt.Errorf("%w: CDR currency %q, tariff %q currency %q",
			ErrMismatch, cdr.Currency, t.ID, t.Currency)
	}
	for i := range cdr.ChargingPeriods {
		if id := cdr.ChargingPeriods[i].TariffID; id != "" && !strings.EqualFold(id, t.ID) {
			return ocpi.CDR{}, fmt.Errorf("%w: charging_periods[%d].tariff_id is %q, not %q",
				ErrMismatch, i, id, t.ID)
		}
	}
	res, err := Price(t, cdr.ChargingPeriods, Options{
		Location:     loc,
		SessionStart: cdr.StartDateTime.Time,
		SessionEnd:   cdr.EndDateTime.Time,
	})
	if err != nil {
		return ocpi.CDR{}, fmt.Errorf("pricing CDR %q: %w", cdr.ID, err)
	}
	out := cdr
	out.TotalCost = res.TotalCost
	out.TotalFixedCost = res.TotalFixedCost
	if hasDimension(cdr.ChargingPeriods, ocpi.CdrDimensionEnergy) || !cdr.TotalEnergy.IsSet() {
		out.TotalEnergy = res.TotalEnergy
	}
	out.TotalEnergyCost = res.TotalEnergyCost
	out.TotalTime = res.TotalTime
	out.TotalTimeCost = res.TotalTimeCost
	if hasDimension(cdr.ChargingPeriods, ocpi.CdrDimensionParkingTime) || cdr.TotalParkingTime == nil ||
		!cdr.TotalParkingTime.IsSet() {
		pt := res.TotalParkingTime
		out.TotalParkingTime = &pt
	}
	out.TotalParkingCost = res.TotalParkingCost
	out.TotalReservationCost = res.TotalReservationCost
	return out, nil
}

func hasDimension(periods []ocpi.ChargingPeriod, t ocpi.CdrDimensionType) bool {
	for i := range periods {
		for j := range periods[i].Dimensions {
			if periods[i].Dimensions[j].Type == t {
				return true
			}
		}
	}
	return false
}

// pricingFields are the field paths that pricing reads. A validation problem under one of them
// makes the price wrong or impossible; problems elsewhere (owner ids, token, location details)
// do not affect the price.
var pricingFields = []string{
	"tariff.currency", "tariff.min_price", "tariff.max_price", "tariff.elements",
	"tariff.start_date_time", "tariff.end_date_time",
	"cdr.start_date_time", "cdr.end_date_time", "cdr.currency", "cdr.charging_periods",
}

// ValidateForPricing validates the tariff (Validate) and the unpriced CDR (ValidateUnpriced) and
// sorts the problems: err holds those in fields that pricing reads (elements, prices, currency,
// validity and session times, charging periods), warnings those in fields it does not read
// (for example a tariff without party_id, as some public test data has). cdr may be nil.
func ValidateForPricing(t *ocpi.Tariff, cdr *ocpi.CDR) (warnings []*ocpi.ValidationError, err error) {
	var all ocpi.ValidationErrors
	collect := func(e error) {
		var ve ocpi.ValidationErrors
		if errors.As(e, &ve) {
			all = append(all, ve...)
		}
	}
	collect(t.Validate())
	if cdr != nil {
		collect(cdr.ValidateUnpriced())
	}
	var fatal ocpi.ValidationErrors
	for _, e := range all {
		if isPricingField(e.Path) {
			fatal = append(fatal, e)
		} else {
			warnings = append(warnings, e)
		}
	}
	if len(fatal) > 0 {
		return warnings, fatal
	}
	return warnings, nil
}

func isPricingField(path string) bool {
	for _, f := range pricingFields {
		if path == f || strings.HasPrefix(path, f+".") || strings.HasPrefix(path, f+"[") {
			return true
		}
	}
	return false
}
