package roaming

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// ProfileRequest is one ChargingProfiles Receiver call: PUT (Set), GET or DELETE on a session.
type ProfileRequest struct {
	Kind        string // KindSetChargingProfile, KindGetChargingProfile or KindClearChargingProfile
	SessionID   string
	Set         *ocpi.SetChargingProfile // PUT body
	Duration    int                      // GET: seconds of schedule asked for
	ResponseURL string                   // where the result goes (GET, DELETE: query; PUT: body)
}

// HandleChargingProfile checks the session named by a ChargingProfiles request and hands the
// request to the ChargingProfileExecutor. Without an executor the answer is NOT_SUPPORTED.
func (s *Service) HandleChargingProfile(ctx context.Context, c Caller, r ProfileRequest) (ocpi.ChargingProfileResponse, error) {
	answer := func(t ocpi.ChargingProfileResponseType) ocpi.ChargingProfileResponse {
		resp := ocpi.ChargingProfileResponse{Result: t}
		if t == ocpi.ChargingProfileResponseAccepted {
			resp.Timeout = int(s.cfg.CommandTimeout.Seconds())
		}
		return resp
	}
	sess, err := s.store.GetSession(ctx, r.SessionID)
	if charging.IsNotFound(err) {
		return answer(ocpi.ChargingProfileResponseUnknownSession), nil
	}
	if err != nil {
		return ocpi.ChargingProfileResponse{}, err
	}
	if !c.mayUse(tokenOwner(&sess.CdrToken)) {
		return answer(ocpi.ChargingProfileResponseRejected), nil
	}
	if s.profiles == nil {
		return answer(ocpi.ChargingProfileResponseNotSupported), nil
	}
	raw, err := json.Marshal(r)
	if err != nil {
		return ocpi.ChargingProfileResponse{}, fmt.Errorf("encode profile request: %w", err)
	}
	now := s.clock.Now()
	req := CommandRequest{Partner: c.Partner, Session: &sess, Command: Command{ID: s.ids.NewID(), PartnerID: c.Partner.ID,
		From: c.party(), Kind: r.Kind, Ref: sess.ID, ResponseURL: r.ResponseURL, Request: raw, CorrelationID: c.CorrelationID,
		Status: CommandPending, ExpiresAt: now.Add(s.cfg.CommandTimeout), CreatedAt: now, UpdatedAt: now}}
	if err := s.store.CreateCommand(ctx, req.Command); err != nil {
		return ocpi.ChargingProfileResponse{}, err
	}
	var result ocpi.ChargingProfileResponseType
	switch r.Kind {
	case KindSetChargingProfile:
		result, err = s.profiles.SetChargingProfile(ctx, req, *r.Set)
	case KindGetChargingProfile:
		result, err = s.profiles.GetActiveChargingProfile(ctx, req, r.Duration)
	case KindClearChargingProfile:
		result, err = s.profiles.ClearChargingProfile(ctx, req)
	default:
		return ocpi.ChargingProfileResponse{}, invalid("unknown charging profile request %q", r.Kind)
	}
	if err != nil {
		s.log.Warn("ocpi charging profile request refused by the executor", "command", req.Command.ID, "err", err)
		result = ocpi.ChargingProfileResponseRejected
	}
	if !result.IsValid() {
		result = ocpi.ChargingProfileResponseRejected
	}
	if err := s.closeUnlessAccepted(ctx, req.Command.ID, string(result), result == ocpi.ChargingProfileResponseAccepted); err != nil {
		return ocpi.ChargingProfileResponse{}, err
	}
	return answer(result), nil
}

// ChargingProfileResult POSTs the outcome of an accepted ChargingProfiles request to its
// response_url: an ocpi.ChargingProfileResult after a PUT, an ocpi.ClearProfileResult after a
// DELETE, an ocpi.ActiveChargingProfileResult after a GET.
func (s *Service) ChargingProfileResult(ctx context.Context, id string, result any) error {
	var kind, value string
	var err error
	switch r := result.(type) {
	case ocpi.ChargingProfileResult:
		kind, value, err = KindSetChargingProfile, string(r.Result), r.Validate()
	case ocpi.ClearProfileResult:
		kind, value, err = KindClearChargingProfile, string(r.Result), r.Validate()
	case ocpi.ActiveChargingProfileResult:
		kind, value, err = KindGetChargingProfile, string(r.Result), r.Validate()
	default:
		return invalid("unknown charging profile result %T", result)
	}
	if err != nil {
		return validation("charging profile result", err)
	}
	return s.sendResult(ctx, id, value, result, func(k string) bool { return k == kind })
}
