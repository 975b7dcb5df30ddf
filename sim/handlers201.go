package sim

import (
	"time"

	v201 "github.com/chargehub/hub/ocpp/v201"
	"github.com/chargehub/hub/ocpp/wire"
)

// builtin201 is the default behaviour of a 2.0.1 station: the answer to one CALL of the
// hub, and the follow-up messages (after, run once the answer is on the wire). Actions of
// the catalogue it does not handle are answered NotSupported.
func (c *Charger) builtin201(action string, req any) (resp any, after func(), err error) {
	s := c.v2
	ctx := c.life
	switch r := req.(type) {
	case *v201.RequestStartTransactionRequest:
		want := 0
		if r.EVSEID != nil {
			want = *r.EVSEID
			if want == 0 {
				want = -1 // EVSE 0 is the station: it cannot charge
			}
		}
		evse, cerr := s.claim(want)
		if cerr != nil {
			return &v201.RequestStartTransactionResponse{Status: v201.RequestStartStopStatusRejected,
				StatusInfo: &v201.StatusInfo{ReasonCode: "NoFreeEVSE", AdditionalInfo: cerr.Error()}}, nil, nil
		}
		token, remoteStartID := r.IDToken, r.RemoteStartID
		return &v201.RequestStartTransactionResponse{Status: v201.RequestStartStopStatusAccepted}, func() {
			c.runSession201(ctx, evse, token, c.opts.SessionMeterValues, c.opts.SessionInterval, &remoteStartID)
		}, nil
	case *v201.RequestStopTransactionRequest:
		if s.stopTx(r.TransactionID, v201.ReasonRemote) {
			return &v201.RequestStopTransactionResponse{Status: v201.RequestStartStopStatusAccepted}, nil, nil
		}
		return &v201.RequestStopTransactionResponse{Status: v201.RequestStartStopStatusRejected,
			StatusInfo: &v201.StatusInfo{ReasonCode: "TxNotFound"}}, nil, nil
	case *v201.GetTransactionStatusRequest:
		resp := &v201.GetTransactionStatusResponse{MessagesInQueue: false}
		if r.TransactionID != "" {
			ongoing := s.findTx(r.TransactionID) != 0
			resp.OngoingIndicator = &ongoing
		}
		return resp, nil, nil
	case *v201.GetVariablesRequest:
		return c.getVariables(r), nil, nil
	case *v201.SetVariablesRequest:
		return c.setVariables(r), nil, nil
	case *v201.GetBaseReportRequest:
		if len(c.reportData(r.ReportBase)) == 0 {
			return &v201.GetBaseReportResponse{Status: v201.GenericDeviceModelStatusEmptyResultSet}, nil, nil
		}
		id, base := r.RequestID, r.ReportBase
		return &v201.GetBaseReportResponse{Status: v201.GenericDeviceModelStatusAccepted}, func() {
			c.NotifyReport(ctx, id, base)
		}, nil
	case *v201.ResetRequest:
		status := v201.ResetStatusAccepted
		if r.EVSEID != nil && (*r.EVSEID < 1 || *r.EVSEID >= len(s.evses)) {
			status = v201.ResetStatusRejected
		} else if r.Type == v201.ResetOnIdle && s.anyBusy() {
			status = v201.ResetStatusScheduled
		}
		return &v201.ResetResponse{Status: status}, nil, nil
	case *v201.ChangeAvailabilityRequest:
		return c.changeAvailability201(r)
	case *v201.UnlockConnectorRequest:
		s.mu.Lock()
		defer s.mu.Unlock()
		switch {
		case r.EVSEID < 1 || r.EVSEID >= len(s.evses) || r.ConnectorID != 1:
			return &v201.UnlockConnectorResponse{Status: v201.UnlockStatusUnknownConnector}, nil, nil
		case s.evses[r.EVSEID].txID != "":
			return &v201.UnlockConnectorResponse{Status: v201.UnlockStatusOngoingAuthorizedTransaction}, nil, nil
		}
		return &v201.UnlockConnectorResponse{Status: v201.UnlockStatusUnlocked}, nil, nil
	case *v201.TriggerMessageRequest:
		return c.triggerMessage201(r)
	case *v201.ClearCacheRequest:
		return &v201.ClearCacheResponse{Status: v201.ClearCacheStatusAccepted}, nil, nil
	case *v201.GetLocalListVersionRequest:
		s.mu.Lock()
		defer s.mu.Unlock()
		return &v201.GetLocalListVersionResponse{VersionNumber: s.listVersion}, nil, nil
	case *v201.SendLocalListRequest:
		s.mu.Lock()
		defer s.mu.Unlock()
		if r.UpdateType == v201.UpdateFull {
			s.listEntries = 0
		}
		for _, d := range r.LocalAuthorizationList {
			if d.IDTokenInfo != nil {
				s.listEntries++
			} else if s.listEntries > 0 {
				s.listEntries--
			}
		}
		s.listVersion = r.VersionNumber
		return &v201.SendLocalListResponse{Status: v201.SendLocalListStatusAccepted}, nil, nil
	case *v201.SetChargingProfileRequest:
		return c.setChargingProfile201(r), nil, nil
	case *v201.ClearChargingProfileRequest:
		return c.clearChargingProfile201(r), nil, nil
	case *v201.GetCompositeScheduleRequest:
		return c.compositeSchedule201(r), nil, nil
	case *v201.ReserveNowRequest:
		return &v201.ReserveNowResponse{Status: s.reserve(r.ID, r.EVSEID)}, nil, nil
	case *v201.CancelReservationRequest:
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, ok := s.reservations[r.ReservationID]; ok {
			delete(s.reservations, r.ReservationID)
			return &v201.CancelReservationResponse{Status: v201.CancelReservationStatusAccepted}, nil, nil
		}
		return &v201.CancelReservationResponse{Status: v201.CancelReservationStatusRejected}, nil, nil
	case *v201.DataTransferRequest:
		return &v201.DataTransferResponse{Status: v201.DataTransferStatusUnknownVendorId}, nil, nil
	}
	return nil, nil, &CallError{Code: "NotSupported", Description: action + " is not supported by the simulator"}
}

// anyBusy reports whether a session runs on any EVSE.
func (s *state201) anyBusy() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.evses {
		if e.busy {
			return true
		}
	}
	return false
}

// reserve answers ReserveNow: evse nil reserves any EVSE (NonEvseSpecific).
func (s *state201) reserve(id int, evse *int) v201.ReserveNowStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	target := 0
	if evse != nil {
		target = *evse
		if target < 1 || target >= len(s.evses) {
			return v201.ReserveNowStatusRejected
		}
		switch e := &s.evses[target]; {
		case e.inoperative:
			return v201.ReserveNowStatusUnavailable
		case e.busy:
			return v201.ReserveNowStatusOccupied
		}
	}
	if s.reservations == nil {
		s.reservations = make(map[int]int)
	}
	s.reservations[id] = target
	return v201.ReserveNowStatusAccepted
}

// changeAvailability201 sets the station (no evse) or one EVSE Operative/Inoperative.
// A busy EVSE answers Scheduled; otherwise StatusNotifications follow for the EVSEs whose
// status changed.
func (c *Charger) changeAvailability201(r *v201.ChangeAvailabilityRequest) (any, func(), error) {
	s := c.v2
	s.mu.Lock()
	defer s.mu.Unlock()
	first, last := 1, len(s.evses)-1
	if r.EVSE != nil && r.EVSE.ID != 0 {
		if r.EVSE.ID < 1 || r.EVSE.ID >= len(s.evses) || (r.EVSE.ConnectorID != nil && *r.EVSE.ConnectorID != 1) {
			return &v201.ChangeAvailabilityResponse{Status: v201.ChangeAvailabilityStatusRejected}, nil, nil
		}
		first, last = r.EVSE.ID, r.EVSE.ID
	}
	inoperative := r.OperationalStatus == v201.OperationalStatusInoperative
	for i := first; i <= last; i++ {
		if s.evses[i].busy && s.evses[i].inoperative != inoperative {
			return &v201.ChangeAvailabilityResponse{Status: v201.ChangeAvailabilityStatusScheduled}, nil, nil
		}
	}
	var changed []int
	for i := first; i <= last; i++ {
		if s.evses[i].inoperative != inoperative {
			s.evses[i].inoperative = inoperative
			changed = append(changed, i)
		}
	}
	st := v201.ConnectorStatusAvailable
	if inoperative {
		st = v201.ConnectorStatusUnavailable
	}
	return &v201.ChangeAvailabilityResponse{Status: v201.ChangeAvailabilityStatusAccepted}, func() {
		for _, i := range changed {
			if c.Status201(c.life, i, 1, st) != nil {
				return
			}
		}
	}, nil
}

// triggerMessage201 answers TriggerMessage and sends the requested message afterwards:
// BootNotification (reason Triggered), Heartbeat, StatusNotification, MeterValues,
// TransactionEvent (Updated, triggerReason Trigger, for running transactions),
// FirmwareStatusNotification and LogStatusNotification (Idle). Others are NotImplemented.
func (c *Charger) triggerMessage201(r *v201.TriggerMessageRequest) (any, func(), error) {
	s := c.v2
	n := len(s.evses) - 1
	var evses []int
	if r.EVSE != nil && r.EVSE.ID != 0 {
		if r.EVSE.ID < 1 || r.EVSE.ID > n || (r.EVSE.ConnectorID != nil && *r.EVSE.ConnectorID != 1) {
			return &v201.TriggerMessageResponse{Status: v201.TriggerMessageStatusRejected}, nil, nil
		}
		evses = []int{r.EVSE.ID}
	} else {
		for i := 1; i <= n; i++ {
			evses = append(evses, i)
		}
	}
	ctx := c.life
	accepted := &v201.TriggerMessageResponse{Status: v201.TriggerMessageStatusAccepted}
	switch r.RequestedMessage {
	case v201.MessageTriggerBootNotification:
		return accepted, func() { c.Boot201(ctx, v201.BootReasonTriggered) }, nil
	case v201.MessageTriggerHeartbeat:
		return accepted, func() { c.Heartbeat(ctx) }, nil
	case v201.MessageTriggerStatusNotification:
		return accepted, func() {
			for _, i := range evses {
				s.mu.Lock()
				st := s.evses[i].status
				s.mu.Unlock()
				if c.Status201(ctx, i, 1, st) != nil {
					return
				}
			}
		}, nil
	case v201.MessageTriggerMeterValues:
		return accepted, func() {
			for _, i := range evses {
				s.mu.Lock()
				reg, power := s.evses[i].register, s.evses[i].power
				s.mu.Unlock()
				if c.MeterValues201(ctx, i, reg, power, time.Now(), v201.ReadingContextTrigger) != nil {
					return
				}
			}
		}, nil
	case v201.MessageTriggerTransactionEvent:
		return accepted, func() {
			for _, i := range evses {
				s.mu.Lock()
				reg, power := s.evses[i].register, s.evses[i].power
				s.mu.Unlock()
				now := time.Now()
				req := &v201.TransactionEventRequest{
					EventType:       v201.TransactionEventUpdated,
					Timestamp:       wire.NewDateTime(now),
					TriggerReason:   v201.TriggerReasonTrigger,
					TransactionInfo: v201.Transaction{ChargingState: v201.ChargingStateCharging},
					MeterValue:      []v201.MeterValue{meterValue201(now, v201.ReadingContextTrigger, reg, power, true)},
				}
				if _, _, err := c.sendTxEvent(ctx, i, req, true, false); err != nil {
					return
				}
			}
		}, nil
	case v201.MessageTriggerFirmwareStatusNotification:
		return accepted, func() {
			c.Call(ctx, "FirmwareStatusNotification", &v201.FirmwareStatusNotificationRequest{Status: v201.FirmwareStatusIdle}, &v201.FirmwareStatusNotificationResponse{})
		}, nil
	case v201.MessageTriggerLogStatusNotification:
		return accepted, func() {
			c.Call(ctx, "LogStatusNotification", &v201.LogStatusNotificationRequest{Status: v201.UploadLogStatusIdle}, &v201.LogStatusNotificationResponse{})
		}, nil
	}
	return &v201.TriggerMessageResponse{Status: v201.TriggerMessageStatusNotImplemented}, nil, nil
}

// setChargingProfile201 keeps the profile (its first period's limit) for
// GetCompositeSchedule. ChargingStationExternalConstraints is for the station to set.
func (c *Charger) setChargingProfile201(r *v201.SetChargingProfileRequest) *v201.SetChargingProfileResponse {
	s := c.v2
	p := r.ChargingProfile
	rejected := r.EVSEID < 0 || r.EVSEID >= len(s.evses) ||
		p.ChargingProfilePurpose == v201.ChargingProfilePurposeChargingStationExternalConstraints
	if p.ChargingProfilePurpose == v201.ChargingProfilePurposeTxProfile {
		// a TxProfile belongs to one EVSE and, when it names one, to a running transaction
		rejected = rejected || r.EVSEID == 0 || (p.TransactionID != "" && s.findTx(p.TransactionID) != r.EVSEID)
	}
	if rejected {
		return &v201.SetChargingProfileResponse{Status: v201.ChargingProfileStatusRejected}
	}
	sched := p.ChargingSchedule[0]
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.profiles == nil {
		s.profiles = make(map[int]profile201)
	}
	s.profiles[p.ID] = profile201{evse: r.EVSEID, purpose: p.ChargingProfilePurpose, stackLevel: p.StackLevel,
		unit: sched.ChargingRateUnit, limit: sched.ChargingSchedulePeriod[0].Limit}
	return &v201.SetChargingProfileResponse{Status: v201.ChargingProfileStatusAccepted}
}

// clearChargingProfile201 removes the profiles matching the id or the criteria (all
// without either): Accepted when any matched, else Unknown.
func (c *Charger) clearChargingProfile201(r *v201.ClearChargingProfileRequest) *v201.ClearChargingProfileResponse {
	s := c.v2
	s.mu.Lock()
	defer s.mu.Unlock()
	removed := false
	for id, p := range s.profiles {
		match := r.ChargingProfileID == nil || *r.ChargingProfileID == id
		if k := r.ChargingProfileCriteria; k != nil {
			match = match && (k.EVSEID == nil || *k.EVSEID == p.evse) &&
				(k.ChargingProfilePurpose == "" || k.ChargingProfilePurpose == p.purpose) &&
				(k.StackLevel == nil || *k.StackLevel == p.stackLevel)
		}
		if match {
			delete(s.profiles, id)
			removed = true
		}
	}
	if removed {
		return &v201.ClearChargingProfileResponse{Status: v201.ClearChargingProfileStatusAccepted}
	}
	return &v201.ClearChargingProfileResponse{Status: v201.ClearChargingProfileStatusUnknown}
}

// compositeSchedule201 answers one flat period: the lowest limit of the profiles on the
// EVSE (or the station) in the requested unit, else the EVSE's maximum (22 kW, 32 A).
func (c *Charger) compositeSchedule201(r *v201.GetCompositeScheduleRequest) *v201.GetCompositeScheduleResponse {
	s := c.v2
	if r.EVSEID < 0 || r.EVSEID >= len(s.evses) {
		return &v201.GetCompositeScheduleResponse{Status: v201.GenericStatusRejected, StatusInfo: &v201.StatusInfo{ReasonCode: "UnknownEVSE"}}
	}
	unit := r.ChargingRateUnit
	if unit == "" {
		unit = v201.ChargingRateUnitW
	}
	limit := float64(evseMaxPowerW)
	if unit == v201.ChargingRateUnitA {
		limit = 32
	}
	s.mu.Lock()
	for _, p := range s.profiles {
		if (p.evse == r.EVSEID || p.evse == 0) && p.unit == unit && p.limit < limit {
			limit = p.limit
		}
	}
	s.mu.Unlock()
	return &v201.GetCompositeScheduleResponse{Status: v201.GenericStatusAccepted, Schedule: &v201.CompositeSchedule{
		EVSEID:                 r.EVSEID,
		Duration:               r.Duration,
		ScheduleStart:          wire.NewDateTime(time.Now()),
		ChargingRateUnit:       unit,
		ChargingSchedulePeriod: []v201.ChargingSchedulePeriod{{StartPeriod: 0, Limit: limit}},
	}}
}
