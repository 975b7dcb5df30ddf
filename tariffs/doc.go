// Package tariffs is the OCPI 2.2.1 tariff engine: it prices a CDR's charging periods under a tariff, exactly, in decimal arithmetic.
//
// The engine is pure: no I/O, no clock and no mutable package state. Time zones come in as a
// *time.Location from the caller. All arithmetic is exact decimal: money sums and step rounding run
// in overflow-checked int64 fixed point (c × 10^e) when the numbers fit, and in shopspring/decimal
// otherwise, with identical results. The only divisions are converting a step remainder back to
// hours (12 decimals, 3.6 ns) and sharing a period out between sub-periods (16 decimals); money is
// rounded only once, when a Result is produced.
//
// # Interpretation
//
// The rules follow shared/docs/ocpi-2.2.1.md section 6 and the shared test cases
// (shared/testdata/ocpi-tariffs). Where OCPI is silent, the choice is stated here.
//
// Periods. Period i lasts from its start_date_time to the next period's start; the last one until
// the session end (Options.SessionEnd). Volumes are taken from the dimensions exactly as written:
// ENERGY (kWh), TIME (h charging), PARKING_TIME (h not asking for power), RESERVATION_TIME (h
// reserved). A period with RESERVATION_TIME has a reservation part; a period with ENERGY, TIME or
// PARKING_TIME (or without RESERVATION_TIME) has a charging part.
//
// Splitting. A well-formed CDR starts a new period at every moment another price component could
// become active, and then restrictions evaluated at the period start are exact. To also price
// coarser CDRs correctly, a period that contains a restriction boundary is split there: local
// time-of-day boundaries (every start_time/end_time, local midnight for dates and weekdays, and UTC
// offset changes), session-duration boundaries (min_duration/max_duration) and session-energy
// boundaries (min_kwh/max_kwh). Every volume of the period is shared out in proportion to time,
// i.e. assuming constant power within the period (for an energy boundary, the split instant is
// interpolated likewise). A split where nothing changes never changes the price.
//
// Restrictions (all set fields must hold) are evaluated at the start of each (sub-)period:
// local time of day, date and weekday in Options.Location (DST-aware); start_time inclusive,
// end_time exclusive, end_time < start_time wraps past midnight, end_time "00:00" means until
// midnight and start_time == end_time means the whole day; start_date inclusive, end_date
// exclusive; day_of_week is the weekday of the instant itself; min/max_kwh against the session
// energy before that instant; min/max_duration against the seconds since Options.SessionStart
// (an instant before the session start counts as 0). Current and power restrictions use the
// period's MIN_/MAX_CURRENT and MIN_/MAX_POWER (for min_* the minimum, for max_* the maximum), else
// the Session-only averages CURRENT/POWER, else average power ENERGY/TIME, else the opposite bound;
// with no data at all the restriction counts as matched (as tandemdrive ocpi-tariffs does).
//
// Element choice. For each dimension (FLAT, ENERGY, TIME, PARKING_TIME) and each (sub-)period,
// the first element in list order that has a component of that dimension and whose restrictions
// all match applies, with its first component of that dimension. Elements with a reservation
// restriction only price reservation parts (TIME prices RESERVATION_TIME); RESERVATION_EXPIRES
// elements only when the reservation expired, i.e. the CDR has reservation time and no charging
// part at all (OCPI 2.2.1 CDRs carry no expiry flag; Options.ReservationExpired overrides).
// Elements without a reservation restriction never price reservation time.
//
// FLAT is charged once per session per matching element: in each period the applicable FLAT is
// chosen like any other dimension, and each element's FLAT is charged the first time it applies
// (so a single start-fee element is charged once however many periods match, and a FLAT that only
// applies later, e.g. an overstay fee restricted by min_duration, is charged too). Reservation
// parts choose among reservation elements, charging parts among the others. (tandemdrive
// ocpi-tariffs charges only the first FLAT; no shared test case tells the two apart.)
//
// step_size is applied once per session on the billable total of a dimension, never per period:
// ENERGY in Wh; TIME and PARKING_TIME in seconds, and only one of them: parking when the session
// has billable parking, else charging time; reservation TIME on its own. The billable total sums
// the periods whose applicable component has a non-zero price (a free component counts as no
// component, so an explicit zero-price element never changes the bill). The step_size is that of
// the last such component, and the extra quantity is added to the last such period at its price.
// step_size 0 means no rounding. The billable total is taken to 9 decimals of the step unit
// before rounding up, so that division noise from sharing out a period never adds a step.
//
// Cost and VAT. Each priced line costs billed quantity × price (ENERGY per kWh, TIME and
// PARKING_TIME per hour, FLAT once); incl_vat = excl_vat × (1 + vat/100) per component, and
// incl_vat = excl_vat when a component has no vat. total_fixed_cost holds the charging FLAT (a
// FLAT of an element that prices only PARKING_TIME goes to total_parking_cost),
// total_reservation_cost holds the reservation FLAT and reservation TIME.
//
// min_price/max_price clamp total_cost.excl_vat and, independently, total_cost.incl_vat (only
// when the bound has incl_vat). The per-dimension totals are left as computed.
//
// Rounding. Nothing is rounded while computing. Every money value of a Result (and of the priced
// CDR) is rounded half away from zero to 4 decimals; total_cost is rounded from the exact total,
// not summed from rounded parts. total_time is the session duration in hours rounded to 6
// decimals; total_energy and total_parking_time are the exact sums of the volumes.
package tariffs
