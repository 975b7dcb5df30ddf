package gateway

import (
	"context"
	"math"
	"time"

	"github.com/shopspring/decimal"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpp/v16"
	"github.com/chargehub/hub/ocpp/v201"
	"github.com/chargehub/hub/ocpp/wire"
)

// Schedule is a charging schedule in version-neutral form: upper limits in Unit ("A" per
// phase or "W"), each period running from StartPeriod seconds after the schedule start until
// the next one.
type Schedule struct {
	Start    *time.Time // absolute start; nil = relative to the start of the transaction
	Duration *int       // seconds; nil = until the transaction ends
	Unit     string     // "A" or "W"
	MinRate  *float64
	Periods  []Period
}

// Period is one limit of a Schedule.
type Period struct {
	StartPeriod  int
	Limit        float64
	NumberPhases *int
}

// ScheduleFromOCPI converts an OCPI ChargingProfile (limits in charging_rate_unit) to a
// Schedule.
func ScheduleFromOCPI(p ocpi.ChargingProfile) Schedule {
	s := Schedule{Duration: p.Duration, Unit: string(p.ChargingRateUnit)}
	if p.StartDateTime != nil {
		t := p.StartDateTime.Time
		s.Start = &t
	}
	if p.MinChargingRate != nil {
		f := p.MinChargingRate.InexactFloat64()
		s.MinRate = &f
	}
	for _, pp := range p.ChargingProfilePeriod {
		s.Periods = append(s.Periods, Period{StartPeriod: pp.StartPeriod, Limit: pp.Limit.InexactFloat64()})
	}
	return s
}

// OCPI converts a schedule to an OCPI ChargingProfile; limits keep at most one decimal.
func (s Schedule) OCPI() ocpi.ChargingProfile {
	p := ocpi.ChargingProfile{Duration: s.Duration, ChargingRateUnit: ocpi.ChargingRateUnit(s.Unit)}
	if s.Start != nil {
		d := ocpi.NewDateTime(*s.Start)
		p.StartDateTime = &d
	}
	if s.MinRate != nil {
		p.MinChargingRate = ocpi.NewDecimal(decimal.NewFromFloat(*s.MinRate).Round(1)).Ptr()
	}
	for _, pp := range s.Periods {
		p.ChargingProfilePeriod = append(p.ChargingProfilePeriod, ocpi.ChargingProfilePeriod{StartPeriod: pp.StartPeriod,
			Limit: ocpi.NewDecimal(decimal.NewFromFloat(pp.Limit).Round(1))})
	}
	return p
}

// round1 rounds to a multiple of 0.1 (1.6 limits are multipleOf 0.1).
func round1(f float64) float64 { return math.Round(f*10) / 10 }

func (s Schedule) v16() v16.ChargingSchedule {
	out := v16.ChargingSchedule{Duration: s.Duration, ChargingRateUnit: v16.ChargingRateUnitType(s.Unit),
		ChargingSchedulePeriod: make([]v16.ChargingSchedulePeriod, 0, len(s.Periods))}
	if s.Start != nil {
		d := wire.NewDateTime(*s.Start)
		out.StartSchedule = &d
	}
	if s.MinRate != nil {
		m := round1(*s.MinRate)
		out.MinChargingRate = &m
	}
	for _, p := range s.Periods {
		out.ChargingSchedulePeriod = append(out.ChargingSchedulePeriod, v16.ChargingSchedulePeriod{StartPeriod: p.StartPeriod,
			Limit: round1(p.Limit), NumberPhases: p.NumberPhases})
	}
	return out
}

func (s Schedule) v201(id int) v201.ChargingSchedule {
	out := v201.ChargingSchedule{ID: id, Duration: s.Duration, ChargingRateUnit: v201.ChargingRateUnit(s.Unit), MinChargingRate: s.MinRate}
	if s.Start != nil {
		d := wire.NewDateTime(*s.Start)
		out.StartSchedule = &d
	}
	for _, p := range s.Periods {
		out.ChargingSchedulePeriod = append(out.ChargingSchedulePeriod, v201.ChargingSchedulePeriod{StartPeriod: p.StartPeriod,
			Limit: p.Limit, NumberPhases: p.NumberPhases})
	}
	return out
}

// kind is Absolute with a start, else Relative (to the transaction start).
func (s Schedule) kind() string {
	if s.Start != nil {
		return "Absolute"
	}
	return "Relative"
}

// TxProfile is a charging profile for one running transaction (purpose TxProfile).
type TxProfile struct {
	Transaction charging.Transaction // 1.6 binds the hub id, 2.0.1 the station's id
	ProfileID   int                  // chargingProfileId; a new profile with the same id replaces the old one
	StackLevel  int
	Schedule    Schedule
}

// SetChargingProfile installs a TxProfile on the transaction's EVSE: 1.6 SetChargingProfile
// (connectorId = EVSE, limits rounded to 0.1) or 2.0.1 SetChargingProfile (evseId, transactionId).
// Outcomes: Accepted, Rejected, NotSupported (1.6).
func (g *Gateway) SetChargingProfile(ctx context.Context, stationID string, r TxProfile) (Outcome, error) {
	p, err := g.protocol(stationID)
	if err != nil {
		return "", err
	}
	if len(r.Schedule.Periods) == 0 {
		return "", charging.Errorf(charging.CodeInvalid, "a charging schedule needs at least one period")
	}
	if r.Transaction.EVSEID <= 0 {
		return "", charging.Errorf(charging.CodeInvalid, "transaction %d has no EVSE", r.Transaction.ID)
	}
	if p == charging.OCPP16 {
		txID := int(r.Transaction.ID)
		req := &v16.SetChargingProfileRequest{ConnectorID: r.Transaction.EVSEID, CSChargingProfiles: v16.ChargingProfile{
			ChargingProfileID: r.ProfileID, TransactionID: &txID, StackLevel: r.StackLevel,
			ChargingProfilePurpose: v16.ChargingProfilePurposeTypeTxProfile, ChargingProfileKind: v16.ChargingProfileKindType(r.Schedule.kind()),
			ChargingSchedule: r.Schedule.v16()}}
		var resp v16.SetChargingProfileResponse
		if err := g.call(ctx, stationID, "SetChargingProfile", req, &resp); err != nil {
			return "", err
		}
		return Outcome(resp.Status), nil
	}
	req := &v201.SetChargingProfileRequest{EVSEID: r.Transaction.EVSEID, ChargingProfile: v201.ChargingProfile{
		ID: r.ProfileID, StackLevel: r.StackLevel, ChargingProfilePurpose: v201.ChargingProfilePurposeTxProfile,
		ChargingProfileKind: v201.ChargingProfileKind(r.Schedule.kind()), TransactionID: r.Transaction.StationTxID,
		ChargingSchedule: []v201.ChargingSchedule{r.Schedule.v201(r.ProfileID)}}}
	var resp v201.SetChargingProfileResponse
	if err := g.call(ctx, stationID, "SetChargingProfile", req, &resp); err != nil {
		return "", err
	}
	return Outcome(resp.Status), nil
}

// CompositeSchedule is a station's answer to GetCompositeSchedule: OutcomeAccepted with the
// schedule it will follow from Start, or OutcomeRejected.
type CompositeSchedule struct {
	Outcome  Outcome
	Start    time.Time
	Schedule Schedule
}

// GetCompositeSchedule asks for the schedule of an EVSE for the next duration seconds; unit
// "" lets the station choose.
func (g *Gateway) GetCompositeSchedule(ctx context.Context, stationID string, evseID, duration int, unit string) (CompositeSchedule, error) {
	p, err := g.protocol(stationID)
	if err != nil {
		return CompositeSchedule{}, err
	}
	if p == charging.OCPP16 {
		var resp v16.GetCompositeScheduleResponse
		req := &v16.GetCompositeScheduleRequest{ConnectorID: evseID, Duration: duration, ChargingRateUnit: v16.ChargingRateUnitType(unit)}
		if err := g.call(ctx, stationID, "GetCompositeSchedule", req, &resp); err != nil {
			return CompositeSchedule{}, err
		}
		out := CompositeSchedule{Outcome: Outcome(resp.Status)}
		if resp.ScheduleStart != nil {
			out.Start = resp.ScheduleStart.Time
		}
		if cs := resp.ChargingSchedule; cs != nil {
			out.Schedule = Schedule{Duration: cs.Duration, Unit: string(cs.ChargingRateUnit), MinRate: cs.MinChargingRate}
			if cs.StartSchedule != nil && out.Start.IsZero() {
				out.Start = cs.StartSchedule.Time
			}
			for _, pp := range cs.ChargingSchedulePeriod {
				out.Schedule.Periods = append(out.Schedule.Periods, Period{StartPeriod: pp.StartPeriod, Limit: pp.Limit, NumberPhases: pp.NumberPhases})
			}
		}
		if out.Outcome == OutcomeAccepted && resp.ChargingSchedule == nil {
			out.Outcome = OutcomeRejected // nothing to report
		}
		return out, nil
	}
	var resp v201.GetCompositeScheduleResponse
	req := &v201.GetCompositeScheduleRequest{EVSEID: evseID, Duration: duration, ChargingRateUnit: v201.ChargingRateUnit(unit)}
	if err := g.call(ctx, stationID, "GetCompositeSchedule", req, &resp); err != nil {
		return CompositeSchedule{}, err
	}
	out := CompositeSchedule{Outcome: Outcome(resp.Status)}
	if cs := resp.Schedule; cs != nil {
		d := cs.Duration
		out.Start = cs.ScheduleStart.Time
		out.Schedule = Schedule{Duration: &d, Unit: string(cs.ChargingRateUnit)}
		for _, pp := range cs.ChargingSchedulePeriod {
			out.Schedule.Periods = append(out.Schedule.Periods, Period{StartPeriod: pp.StartPeriod, Limit: pp.Limit, NumberPhases: pp.NumberPhases})
		}
	} else if out.Outcome == OutcomeAccepted {
		out.Outcome = OutcomeRejected
	}
	return out, nil
}

// ClearProfile selects the profiles ClearChargingProfile removes: by id, or by EVSE and
// purpose (TxProfile when TxProfiles is set).
type ClearProfile struct {
	ProfileID  *int
	EVSEID     int // 0 = any
	TxProfiles bool
}

// ClearChargingProfile sends ClearChargingProfile. OutcomeAccepted, or OutcomeUnknown when no
// profile matched.
func (g *Gateway) ClearChargingProfile(ctx context.Context, stationID string, r ClearProfile) (Outcome, error) {
	p, err := g.protocol(stationID)
	if err != nil {
		return "", err
	}
	if p == charging.OCPP16 {
		req := &v16.ClearChargingProfileRequest{ID: r.ProfileID, ConnectorID: positive(r.EVSEID)}
		if r.TxProfiles {
			req.ChargingProfilePurpose = v16.ChargingProfilePurposeTypeTxProfile
		}
		var resp v16.ClearChargingProfileResponse
		if err := g.call(ctx, stationID, "ClearChargingProfile", req, &resp); err != nil {
			return "", err
		}
		return Outcome(resp.Status), nil
	}
	req := &v201.ClearChargingProfileRequest{ChargingProfileID: r.ProfileID}
	if r.ProfileID == nil {
		c := &v201.ClearChargingProfile{EVSEID: positive(r.EVSEID)}
		if r.TxProfiles {
			c.ChargingProfilePurpose = v201.ChargingProfilePurposeTxProfile
		}
		req.ChargingProfileCriteria = c
	}
	var resp v201.ClearChargingProfileResponse
	if err := g.call(ctx, stationID, "ClearChargingProfile", req, &resp); err != nil {
		return "", err
	}
	return Outcome(resp.Status), nil
}
