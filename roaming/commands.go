package roaming

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// Caller is who sent an inbound request: the authenticated partner, the party it acts for
// (OCPI-from-*, else its primary party) and the request's correlation id.
type Caller struct {
	Partner       Partner
	From          Party
	CorrelationID string
}

// party returns the acting party.
func (c *Caller) party() Party {
	if !c.From.IsZero() {
		return c.From.Norm()
	}
	return c.Partner.Party
}

// mayUse reports whether the caller may act for owner: its acting party, one of its parties, or
// anyone behind a hub.
func (c *Caller) mayUse(owner Party) bool {
	if c.Partner.IsHub() {
		return c.From.IsZero() || c.From.Is(owner)
	}
	if !c.From.IsZero() {
		return c.From.Is(owner)
	}
	return c.Partner.HasParty(owner)
}

// CommandAnswer is the synchronous answer to a command: the CommandResponse and the OCPI status
// code of the envelope (1000, or 2003 for an unknown location, which still carries REJECTED).
type CommandAnswer struct {
	Response   ocpi.CommandResponse
	StatusCode int
	Message    string
}

func (s *Service) answer(result ocpi.CommandResponseType, msg string) CommandAnswer {
	a := CommandAnswer{Response: ocpi.CommandResponse{Result: result}, StatusCode: ocpi.StatusCodeSuccess, Message: msg}
	if result == ocpi.CommandResponseAccepted {
		a.Response.Timeout = int(s.cfg.CommandTimeout.Seconds())
	}
	if msg != "" {
		a.Response.Message = []ocpi.DisplayText{{Language: "en", Text: truncate(msg, 512)}}
	}
	return a
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// HandleCommand validates a partner's command (its body already decoded and valid), checks the
// objects it names and hands it to the CommandExecutor. Without an executor the answer is
// NOT_SUPPORTED.
func (s *Service) HandleCommand(ctx context.Context, c Caller, cmd ocpi.CommandRequest) (CommandAnswer, error) {
	req := CommandRequest{Partner: c.Partner}
	var ref string
	switch x := cmd.(type) {
	case *ocpi.StartSession:
		if a, done := s.checkTokenAndPlace(ctx, &c, &req, &x.Token, x.LocationID, x.EvseUID, x.ConnectorID); done {
			return a, nil
		}
	case *ocpi.ReserveNow:
		if a, done := s.checkTokenAndPlace(ctx, &c, &req, &x.Token, x.LocationID, x.EvseUID, ""); done {
			return a, nil
		}
		ref = x.ReservationID
	case *ocpi.UnlockConnector:
		if a, done := s.checkPlace(ctx, &req, x.LocationID, x.EvseUID, x.ConnectorID); done {
			return a, nil
		}
	case *ocpi.StopSession:
		sess, err := s.store.GetSession(ctx, x.SessionID)
		if charging.IsNotFound(err) {
			return s.answer(ocpi.CommandResponseUnknownSession, fmt.Sprintf("unknown session %q", x.SessionID)), nil
		}
		if err != nil {
			return CommandAnswer{}, err
		}
		if !c.mayUse(tokenOwner(&sess.CdrToken)) {
			return s.answer(ocpi.CommandResponseRejected, "the session belongs to another party"), nil
		}
		req.Session, ref = &sess, sess.ID
	case *ocpi.CancelReservation:
		if _, err := s.store.FindCommand(ctx, c.Partner.ID, string(ocpi.CommandTypeReserveNow), x.ReservationID); err != nil {
			if charging.IsNotFound(err) {
				return s.answer(ocpi.CommandResponseRejected, fmt.Sprintf("unknown reservation %q", x.ReservationID)), nil
			}
			return CommandAnswer{}, err
		}
		ref = x.ReservationID
	default:
		return CommandAnswer{}, invalid("unknown command %T", cmd)
	}
	if s.commands == nil {
		return s.answer(ocpi.CommandResponseNotSupported, "remote commands are not supported by this CPO yet"), nil
	}
	raw, err := json.Marshal(cmd)
	if err != nil {
		return CommandAnswer{}, fmt.Errorf("encode command: %w", err)
	}
	now := s.clock.Now()
	req.Command = Command{ID: s.ids.NewID(), PartnerID: c.Partner.ID, From: c.party(), Kind: string(cmd.Command()), Ref: ref,
		ResponseURL: ocpi.CommandResponseURL(cmd), Request: raw, CorrelationID: c.CorrelationID, Status: CommandPending,
		ExpiresAt: now.Add(s.cfg.CommandTimeout), CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateCommand(ctx, req.Command); err != nil {
		return CommandAnswer{}, err
	}
	result, err := s.execute(ctx, req, cmd)
	msg := ""
	if err != nil {
		s.log.Warn("ocpi command refused by the executor", "command", req.Command.ID, "kind", req.Command.Kind, "err", err)
		result, msg = ocpi.CommandResponseRejected, err.Error()
	}
	if !result.IsValid() {
		result = ocpi.CommandResponseRejected
	}
	if err := s.closeUnlessAccepted(ctx, req.Command.ID, string(result), result == ocpi.CommandResponseAccepted); err != nil {
		return CommandAnswer{}, err
	}
	return s.answer(result, msg), nil
}

func (s *Service) execute(ctx context.Context, req CommandRequest, cmd ocpi.CommandRequest) (ocpi.CommandResponseType, error) {
	switch x := cmd.(type) {
	case *ocpi.StartSession:
		return s.commands.StartSession(ctx, req, *x)
	case *ocpi.StopSession:
		return s.commands.StopSession(ctx, req, *x)
	case *ocpi.ReserveNow:
		return s.commands.ReserveNow(ctx, req, *x)
	case *ocpi.CancelReservation:
		return s.commands.CancelReservation(ctx, req, *x)
	case *ocpi.UnlockConnector:
		return s.commands.UnlockConnector(ctx, req, *x)
	}
	return "", errors.New("unknown command")
}

// closeUnlessAccepted records the synchronous answer; a command not accepted expects no result.
func (s *Service) closeUnlessAccepted(ctx context.Context, id, response string, accepted bool) error {
	return s.store.InTx(ctx, func(tx Store) error {
		c, err := tx.GetCommand(ctx, id)
		if err != nil {
			return err
		}
		c.Response, c.UpdatedAt = response, s.clock.Now()
		if !accepted && c.Status == CommandPending {
			c.Status = CommandDone
		}
		return tx.UpdateCommand(ctx, c)
	})
}

// checkTokenAndPlace checks a command's token (the caller's own) and place.
func (s *Service) checkTokenAndPlace(ctx context.Context, c *Caller, req *CommandRequest, t *ocpi.Token,
	locationID, evseUID, connectorID string) (CommandAnswer, bool) {
	if !c.mayUse(Party{CountryCode: t.CountryCode, PartyID: t.PartyID}) {
		return s.answer(ocpi.CommandResponseRejected, "the token belongs to another party"), true
	}
	return s.checkPlace(ctx, req, locationID, evseUID, connectorID)
}

// checkPlace resolves a command's location, EVSE and connector; an unknown one is answered
// REJECTED with status 2003.
func (s *Service) checkPlace(ctx context.Context, req *CommandRequest, locationID, evseUID, connectorID string) (CommandAnswer, bool) {
	unknown := func(msg string) (CommandAnswer, bool) {
		a := s.answer(ocpi.CommandResponseRejected, msg)
		a.StatusCode = ocpi.StatusCodeUnknownLocation
		return a, true
	}
	loc, err := s.store.GetLocation(ctx, locationID)
	if err != nil {
		if !charging.IsNotFound(err) {
			s.log.Error("command: load location", "location", locationID, "err", err)
		}
		return unknown(fmt.Sprintf("unknown location %q", locationID))
	}
	req.Location = &loc
	if evseUID == "" {
		return CommandAnswer{}, false
	}
	e, ok := FindEVSE(&loc.OCPI, evseUID)
	if !ok {
		return unknown(fmt.Sprintf("location %q has no EVSE %q", locationID, evseUID))
	}
	if connectorID != "" {
		if _, ok := FindConnector(e, connectorID); !ok {
			return unknown(fmt.Sprintf("EVSE %q has no connector %q", evseUID, connectorID))
		}
	}
	return CommandAnswer{}, false
}

// CommandResult records the outcome of an accepted command and POSTs it to the command's
// response_url (through the outbox, addressed to the party that sent the command). A second
// result for the same command is CodeConflict.
func (s *Service) CommandResult(ctx context.Context, commandID string, r ocpi.CommandResult) error {
	if err := r.Validate(); err != nil {
		return validation("command result", err)
	}
	return s.sendResult(ctx, commandID, string(r.Result), r, func(kind string) bool { return ocpi.CommandType(kind).IsValid() })
}

// sendResult closes a pending command with result and enqueues body for its response_url.
func (s *Service) sendResult(ctx context.Context, id, result string, body any, kindOK func(string) bool) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	return s.inTx(ctx, func(tx Store, q *queue) error {
		c, err := tx.GetCommand(ctx, id)
		if err != nil {
			return err
		}
		if !kindOK(c.Kind) {
			return invalid("command %s is a %s, which takes another kind of result", id, c.Kind)
		}
		if c.Result != "" {
			return charging.Errorf(charging.CodeConflict, "command %s already has the result %s", id, c.Result)
		}
		c.Result, c.Status, c.UpdatedAt = result, CommandDone, s.clock.Now()
		if err := tx.UpdateCommand(ctx, c); err != nil {
			return err
		}
		module := ocpi.ModuleIDCommands
		if !ocpi.CommandType(c.Kind).IsValid() {
			module = ocpi.ModuleIDChargingProfiles
		}
		q.add(OutboxItem{PartnerID: c.PartnerID, ObjectKey: "commands/" + c.ID, Module: module, URL: c.ResponseURL,
			Method: http.MethodPost, Body: raw, To: c.From, CorrelationID: c.CorrelationID})
		return nil
	})
}

// ExpireCommands sends TIMEOUT (commands) or REJECTED (charging profiles) for accepted requests
// whose result did not come within Config.CommandTimeout. It returns how many it closed.
func (s *Service) ExpireCommands(ctx context.Context) (int, error) {
	list, err := s.store.ExpiredCommands(ctx, s.clock.Now(), 100)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range list {
		var err error
		switch c.Kind {
		case KindSetChargingProfile:
			err = s.ChargingProfileResult(ctx, c.ID, ocpi.ChargingProfileResult{Result: ocpi.ChargingProfileResultRejected})
		case KindClearChargingProfile:
			err = s.ChargingProfileResult(ctx, c.ID, ocpi.ClearProfileResult{Result: ocpi.ChargingProfileResultRejected})
		case KindGetChargingProfile:
			err = s.ChargingProfileResult(ctx, c.ID, ocpi.ActiveChargingProfileResult{Result: ocpi.ChargingProfileResultRejected})
		default:
			err = s.CommandResult(ctx, c.ID, ocpi.CommandResult{Result: ocpi.CommandResultTimeout})
		}
		if err != nil && charging.ErrorCode(err) != charging.CodeConflict {
			return n, err
		}
		n++
	}
	return n, nil
}
