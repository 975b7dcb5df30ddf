package bridge

import (
	"context"
	"fmt"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpp/gateway"
	"github.com/chargehub/hub/roaming"
)

// profileTarget checks a ChargingProfiles request's session: a running hub transaction on a
// connected station. It returns the synchronous answer when the request cannot go on.
func (c *Commands) profileTarget(ctx context.Context, req roaming.CommandRequest) (charging.Transaction, ocpi.ChargingProfileResponseType, error) {
	tx, ok, err := sessionTransaction(ctx, c.charging, req.Session)
	if err != nil {
		return tx, "", err
	}
	if !ok {
		return tx, ocpi.ChargingProfileResponseUnknownSession, nil
	}
	if tx.Status != charging.TxActive {
		return tx, ocpi.ChargingProfileResponseRejected, fmt.Errorf("session %s has ended", req.Session.ID)
	}
	if tx.EVSEID <= 0 {
		return tx, ocpi.ChargingProfileResponseRejected, fmt.Errorf("session %s has no EVSE yet", req.Session.ID)
	}
	if _, err := c.connected(tx.StationID); err != nil {
		return tx, ocpi.ChargingProfileResponseRejected, err
	}
	return tx, "", nil
}

// profileResult sends a charging profile result; one the service refuses (an invalid
// ActiveChargingProfile, say) is replaced by REJECTED of the same kind.
func (c *Commands) profileResult(r Results, cmd roaming.Command, result any) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.bg), 10*time.Second)
	defer cancel()
	err := r.ChargingProfileResult(ctx, cmd.ID, result)
	if charging.ErrorCode(err) == charging.CodeInvalid {
		c.log.Warn("charging profile result does not validate; sending REJECTED", "command", cmd.ID, "err", err)
		switch result.(type) {
		case ocpi.ActiveChargingProfileResult:
			err = r.ChargingProfileResult(ctx, cmd.ID, ocpi.ActiveChargingProfileResult{Result: ocpi.ChargingProfileResultRejected})
		case ocpi.ClearProfileResult:
			err = r.ChargingProfileResult(ctx, cmd.ID, ocpi.ClearProfileResult{Result: ocpi.ChargingProfileResultRejected})
		default:
			err = r.ChargingProfileResult(ctx, cmd.ID, ocpi.ChargingProfileResult{Result: ocpi.ChargingProfileResultRejected})
		}
	}
	switch {
	case err == nil:
		c.log.Info("charging profile result", "command", cmd.ID, "kind", cmd.Kind, "result", fmt.Sprintf("%+v", result))
	case charging.ErrorCode(err) == charging.CodeConflict:
		c.log.Info("charging profile result came too late", "command", cmd.ID, "kind", cmd.Kind)
	default:
		c.log.Error("send charging profile result", "command", cmd.ID, "kind", cmd.Kind, "err", err)
	}
}

// profileOutcome maps a station's answer to a ChargingProfileResultType: Accepted, Unknown
// (no profile matched), anything else (Rejected, NotSupported, no answer) REJECTED.
func profileOutcome(out gateway.Outcome, err error) ocpi.ChargingProfileResultType {
	switch {
	case err != nil:
		return ocpi.ChargingProfileResultRejected
	case out == gateway.OutcomeAccepted:
		return ocpi.ChargingProfileResultAccepted
	case out == gateway.OutcomeUnknown:
		return ocpi.ChargingProfileResultUnknown
	}
	return ocpi.ChargingProfileResultRejected
}

// SetChargingProfile installs the OCPI profile as the TxProfile of the session's transaction
// (roaming.ChargingProfileExecutor); the result is a ChargingProfileResult.
func (c *Commands) SetChargingProfile(ctx context.Context, req roaming.CommandRequest, p ocpi.SetChargingProfile) (ocpi.ChargingProfileResponseType, error) {
	tx, answer, err := c.profileTarget(ctx, req)
	if answer != "" || err != nil {
		return answer, err
	}
	if len(p.ChargingProfile.ChargingProfilePeriod) == 0 {
		return ocpi.ChargingProfileResponseRejected, fmt.Errorf("the charging profile has no period")
	}
	prof := gateway.TxProfile{Transaction: tx, ProfileID: profileID(tx), StackLevel: c.cfg.StackLevel,
		Schedule: gateway.ScheduleFromOCPI(p.ChargingProfile)}
	return ocpi.ChargingProfileResponseAccepted, c.later(req.Command, func(ctx context.Context, r Results) {
		out, err := c.stations.SetChargingProfile(ctx, tx.StationID, prof)
		if err != nil {
			c.log.Warn("set charging profile", "station", tx.StationID, "transaction", tx.ID, "err", err)
		}
		c.profileResult(r, req.Command, ocpi.ChargingProfileResult{Result: profileOutcome(out, err)})
	})
}

// GetActiveChargingProfile asks the station for the composite schedule of the session's EVSE
// for duration seconds (roaming.ChargingProfileExecutor); the result is an
// ActiveChargingProfileResult.
func (c *Commands) GetActiveChargingProfile(ctx context.Context, req roaming.CommandRequest, duration int) (ocpi.ChargingProfileResponseType, error) {
	tx, answer, err := c.profileTarget(ctx, req)
	if answer != "" || err != nil {
		return answer, err
	}
	if duration <= 0 {
		duration = 3600
	}
	return ocpi.ChargingProfileResponseAccepted, c.later(req.Command, func(ctx context.Context, r Results) {
		cs, err := c.stations.GetCompositeSchedule(ctx, tx.StationID, tx.EVSEID, duration, "")
		if err != nil {
			c.log.Warn("get composite schedule", "station", tx.StationID, "transaction", tx.ID, "err", err)
		}
		res := ocpi.ActiveChargingProfileResult{Result: profileOutcome(cs.Outcome, err)}
		if res.Result == ocpi.ChargingProfileResultAccepted {
			start := cs.Start
			if start.IsZero() {
				start = c.clock.Now()
			}
			res.Profile = &ocpi.ActiveChargingProfile{StartDateTime: ocpi.NewDateTime(start), ChargingProfile: cs.Schedule.OCPI()}
		}
		c.profileResult(r, req.Command, res)
	})
}

// ClearChargingProfile removes the TxProfile the hub set for the session's transaction
// (roaming.ChargingProfileExecutor); the result is a ClearProfileResult (UNKNOWN when the
// station had none).
func (c *Commands) ClearChargingProfile(ctx context.Context, req roaming.CommandRequest) (ocpi.ChargingProfileResponseType, error) {
	tx, answer, err := c.profileTarget(ctx, req)
	if answer != "" || err != nil {
		return answer, err
	}
	id := profileID(tx)
	return ocpi.ChargingProfileResponseAccepted, c.later(req.Command, func(ctx context.Context, r Results) {
		out, err := c.stations.ClearChargingProfile(ctx, tx.StationID, gateway.ClearProfile{ProfileID: &id})
		if err != nil {
			c.log.Warn("clear charging profile", "station", tx.StationID, "transaction", tx.ID, "err", err)
		}
		c.profileResult(r, req.Command, ocpi.ClearProfileResult{Result: profileOutcome(out, err)})
	})
}
