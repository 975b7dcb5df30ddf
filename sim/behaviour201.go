package sim

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	v16 "github.com/chargehub/hub/ocpp/v16"
	v201 "github.com/chargehub/hub/ocpp/v201"
	"github.com/chargehub/hub/ocpp/wire"
)

// OCPP 2.0.1 charging sessions (ocpp-notes.md §7): one TransactionEvent per step, seqNo
// from 0 per transaction, a station-generated UUID as transactionId.

// claim reserves evse for a session; 0 picks the first free, operative one.
func (s *state201) claim(evse int) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if evse == 0 {
		for i := 1; i < len(s.evses); i++ {
			if !s.evses[i].busy && !s.evses[i].inoperative {
				evse = i
				break
			}
		}
		if evse == 0 {
			return 0, errors.New("no free EVSE")
		}
	}
	if evse < 1 || evse >= len(s.evses) {
		return 0, fmt.Errorf("EVSE %d does not exist", evse)
	}
	if s.evses[evse].busy {
		return 0, fmt.Errorf("EVSE %d is busy", evse)
	}
	e := &s.evses[evse]
	e.busy, e.stop, e.reason = true, make(chan struct{}), ""
	return evse, nil
}

// release frees evse after a session.
func (s *state201) release(evse int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := &s.evses[evse]
	e.busy, e.stop, e.txID, e.power, e.remoteStartID = false, nil, "", 0, nil
}

// stopTx asks the session running transaction txID to stop with reason; false when no
// session runs it.
func (s *state201) stopTx(txID string, reason v201.Reason) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.evses {
		e := &s.evses[i]
		if txID != "" && e.txID == txID && e.stop != nil {
			if e.reason == "" {
				e.reason = reason
				close(e.stop)
			}
			return true
		}
	}
	return false
}

// findTx returns the EVSE running txID, or 0.
func (s *state201) findTx(txID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 1; i < len(s.evses); i++ {
		if txID != "" && s.evses[i].txID == txID {
			return i
		}
	}
	return 0
}

// sendTxEvent fills in the transaction's next seqNo and sends req for the transaction
// running on evse. With ifRunning it sends nothing (and returns ok false) when no
// transaction runs there any more; ended clears the transaction once the event is out.
func (c *Charger) sendTxEvent(ctx context.Context, evse int, req *v201.TransactionEventRequest, ifRunning, ended bool) (resp v201.TransactionEventResponse, ok bool, err error) {
	s := c.v2
	s.txSend.Lock()
	defer s.txSend.Unlock()
	s.mu.Lock()
	e := &s.evses[evse]
	if ifRunning && e.txID == "" {
		s.mu.Unlock()
		return resp, false, nil
	}
	req.TransactionInfo.TransactionID = e.txID
	req.TransactionInfo.RemoteStartID = e.remoteStartID
	req.SeqNo = e.seqNo
	e.seqNo++
	if !e.startedAt.IsZero() && req.EventType != v201.TransactionEventStarted {
		secs := int(time.Since(e.startedAt) / time.Second)
		req.TransactionInfo.TimeSpentCharging = &secs
	}
	if ended {
		e.txID, e.power = "", 0
	}
	s.mu.Unlock()
	resp, err = c.TransactionEvent(ctx, req)
	return resp, true, err
}

// runSession201Claim is RunSession on a 2.0.1 charger.
func (c *Charger) runSession201Claim(ctx context.Context, evse int, tag string, meterValues int, interval time.Duration) SessionResult {
	e, err := c.v2.claim(evse)
	if err != nil {
		return SessionResult{Connector: evse, Errors: []error{fmt.Errorf("sim: %s: %w", c.id, err)}}
	}
	return c.runSession201(ctx, e, IDToken201(tag), meterValues, interval, nil)
}

// runSession201 runs a session on an EVSE already claimed and releases it. A local
// session (remoteStartID nil) is Authorize → StatusNotification Occupied → Started
// (triggerReason Authorized) → Updated × meterValues (MeterValuePeriodic) → Ended
// (StopAuthorized, stoppedReason Local) → StatusNotification Available. A remote one
// (RequestStartTransaction) skips Authorize (AuthCtrlr.AuthorizeRemoteStart is false),
// starts with triggerReason RemoteStart and echoes remoteStartId; RequestStopTransaction
// ends it with RemoteStop / Remote. A token the hub refuses in its answer to Started ends
// the transaction at once (Deauthorized / DeAuthorized).
func (c *Charger) runSession201(ctx context.Context, evse int, token v201.IdToken, meterValues int, interval time.Duration, remoteStartID *int) SessionResult {
	s := c.v2
	defer s.release(evse)
	res := SessionResult{Connector: evse}
	s.mu.Lock()
	stop := s.evses[evse].stop
	res.MeterStartWh = s.evses[evse].register
	s.mu.Unlock()
	fatal := func(what string, err error) bool {
		if err == nil {
			return false
		}
		res.Errors = append(res.Errors, fmt.Errorf("%s: %w", what, err))
		return !isTransient(err)
	}
	if remoteStartID == nil {
		info, err := c.Authorize201(ctx, token)
		if err != nil {
			fatal("Authorize", err)
			return res
		}
		if info.Status != v201.AuthorizationStatusAccepted {
			res.TagStatus = v16.AuthorizationStatus(info.Status)
			res.Errors = append(res.Errors, fmt.Errorf("Authorize: idToken %s is %s", token.IDToken, info.Status))
			return res
		}
	}
	if fatal("StatusNotification Occupied", c.Status201(ctx, evse, 1, v201.ConnectorStatusOccupied)) {
		return res
	}
	connector := 1
	now := time.Now()
	s.mu.Lock()
	e := &s.evses[evse]
	e.txID, e.seqNo, e.startedAt, e.remoteStartID, e.power = uuid.NewString(), 0, now, remoteStartID, simPowerW
	res.StationTxID = e.txID
	s.mu.Unlock()
	trigger := v201.TriggerReasonAuthorized
	if remoteStartID != nil {
		trigger = v201.TriggerReasonRemoteStart
	}
	started := &v201.TransactionEventRequest{
		EventType:       v201.TransactionEventStarted,
		Timestamp:       wire.NewDateTime(now),
		TriggerReason:   trigger,
		TransactionInfo: v201.Transaction{ChargingState: v201.ChargingStateCharging},
		EVSE:            &v201.EVSE{ID: evse, ConnectorID: &connector},
		IDToken:         &token,
		MeterValue:      []v201.MeterValue{meterValue201(now, v201.ReadingContextTransactionBegin, res.MeterStartWh, 0, false)},
	}
	resp, _, err := c.sendTxEvent(ctx, evse, started, false, false)
	if err != nil {
		fatal("TransactionEvent Started", err)
		if isTransient(err) { // the hub did not take the transaction: give up on it
			s.mu.Lock()
			s.evses[evse].txID = ""
			s.mu.Unlock()
			c.Status201(ctx, evse, 1, v201.ConnectorStatusAvailable)
		}
		return res
	}
	res.Started = true
	res.TagStatus = v16.AuthorizationStatus(v201.AuthorizationStatusAccepted)
	if resp.IDTokenInfo != nil {
		res.TagStatus = v16.AuthorizationStatus(resp.IDTokenInfo.Status)
	}
	c.stats.sessionsStarted.Add(1)

	reason, register := v201.ReasonLocal, res.MeterStartWh
	endTrigger := v201.TriggerReasonStopAuthorized
	if res.TagStatus != v16.AuthorizationStatus(v201.AuthorizationStatusAccepted) {
		reason, endTrigger = v201.ReasonDeAuthorized, v201.TriggerReasonDeauthorized
		res.Errors = append(res.Errors, fmt.Errorf("TransactionEvent Started: idToken %s is %s", token.IDToken, res.TagStatus))
	} else {
		step := max(simPowerW*int(interval.Milliseconds())/3_600_000, 1)
		for i := 0; i < meterValues; i++ {
			if err := c.sleep(ctx, interval, stop); err != nil {
				fatal("waiting for the next meter value", err)
				return res
			}
			if r := c.stopReason201(evse); r != "" {
				break
			}
			register += step
			s.mu.Lock()
			s.evses[evse].register = register
			s.mu.Unlock()
			upd := &v201.TransactionEventRequest{
				EventType:       v201.TransactionEventUpdated,
				Timestamp:       wire.NewDateTime(time.Now()),
				TriggerReason:   v201.TriggerReasonMeterValuePeriodic,
				TransactionInfo: v201.Transaction{ChargingState: v201.ChargingStateCharging},
				MeterValue:      []v201.MeterValue{meterValue201(time.Now(), v201.ReadingContextSamplePeriodic, register, simPowerW, true)},
			}
			if _, _, err := c.sendTxEvent(ctx, evse, upd, false, false); fatal("TransactionEvent Updated", err) {
				return res
			}
			res.MeterValues++
		}
		if r := c.stopReason201(evse); r != "" {
			reason = r
			if r == v201.ReasonRemote {
				endTrigger = v201.TriggerReasonRemoteStop
			}
		}
	}
	res.MeterStopWh, res.StopReason = register, v16.Reason(reason)
	at := time.Now()
	ended := &v201.TransactionEventRequest{
		EventType:       v201.TransactionEventEnded,
		Timestamp:       wire.NewDateTime(at),
		TriggerReason:   endTrigger,
		TransactionInfo: v201.Transaction{ChargingState: v201.ChargingStateEVConnected, StoppedReason: reason},
		MeterValue:      []v201.MeterValue{meterValue201(at, v201.ReadingContextTransactionEnd, register, 0, false)},
	}
	if endTrigger == v201.TriggerReasonStopAuthorized {
		ended.IDToken = &token // the driver presents the card again
	}
	if _, _, err := c.sendTxEvent(ctx, evse, ended, false, true); err != nil {
		if fatal("TransactionEvent Ended", err) {
			return res
		}
	} else {
		res.Completed = true
		res.EnergyWh = register - res.MeterStartWh
		c.stats.sessionsCompleted.Add(1)
		c.stats.energyWh.Add(int64(res.EnergyWh))
	}
	fatal("StatusNotification Available", c.Status201(ctx, evse, 1, v201.ConnectorStatusAvailable))
	return res
}

func (c *Charger) stopReason201(evse int) v201.Reason {
	c.v2.mu.Lock()
	defer c.v2.mu.Unlock()
	return c.v2.evses[evse].reason
}

// boot201UntilAccepted is bootUntilAccepted for a 2.0.1 charger (reason PowerUp).
func boot201UntilAccepted(ctx context.Context, c *Charger, stats *Stats) (int, error) {
	answered := false
	for attempt := 1; ; attempt++ {
		boot, err := c.Boot201(ctx, v201.BootReasonPowerUp)
		if err != nil {
			return 0, err
		}
		if !answered {
			answered = true
			stats.booted.Add(1)
		}
		if boot.Status == v201.RegistrationStatusAccepted {
			stats.accepted.Add(1)
			return boot.Interval, nil
		}
		if attempt == 3 {
			err := fmt.Errorf("%s: BootNotification %s %d times", c.ID(), boot.Status, attempt)
			stats.noteError(err)
			return 0, err
		}
		wait := min(max(time.Duration(boot.Interval)*time.Second, time.Second), time.Minute)
		if !pause(ctx, wait) {
			return 0, ctx.Err()
		}
	}
}
