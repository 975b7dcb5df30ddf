package sim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chargehub/hub/ocpp"
	v16 "github.com/chargehub/hub/ocpp/v16"
	"github.com/chargehub/hub/ocpp/wire"
)

// statusStepDelay separates the steps of the firmware and diagnostics status sequences.
var statusStepDelay = 200 * time.Millisecond

// supportedProfiles is the value of the SupportedFeatureProfiles configuration key.
const supportedProfiles = "Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger"

// stationState is what the built-in answers remember. Maps are created lazily so that
// an idle charger stays small.
type stationState struct {
	mu           sync.Mutex
	conns        []connState // index 0 is the station as a whole
	config       map[string]string
	listVersion  int
	reservations map[int]int // reservationId → connectorId
	firmware     v16.FirmwareStatus
	diagnostics  v16.DiagnosticsStatus
}

// connState is one connector.
type connState struct {
	status   v16.ChargePointStatus
	busy     bool // a session owns the connector
	txID     int  // running transaction, 0 = none
	register int  // energy register, Wh
	stop     chan struct{}
	reason   v16.Reason // why stop was closed
}

func (s *stationState) init(n int) {
	s.conns = make([]connState, n+1)
	for i := range s.conns {
		s.conns[i].status = v16.ChargePointStatusAvailable
		s.conns[i].register = 10_000 * i
	}
	s.firmware = v16.FirmwareStatusIdle
	s.diagnostics = v16.DiagnosticsStatusIdle
}

// claim reserves connector for a session; connector 0 picks the first free one. It
// returns the connector or an error.
func (s *stationState) claim(connector int) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if connector == 0 {
		for i := 1; i < len(s.conns); i++ {
			if !s.conns[i].busy && s.conns[i].status != v16.ChargePointStatusUnavailable {
				connector = i
				break
			}
		}
		if connector == 0 {
			return 0, errors.New("no free connector")
		}
	}
	if connector < 1 || connector >= len(s.conns) {
		return 0, fmt.Errorf("connector %d does not exist", connector)
	}
	if s.conns[connector].busy {
		return 0, fmt.Errorf("connector %d is busy", connector)
	}
	s.conns[connector].busy = true
	s.conns[connector].stop = make(chan struct{})
	s.conns[connector].reason = ""
	return connector, nil
}

// release frees connector after a session.
func (s *stationState) release(connector int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conns[connector].busy = false
	s.conns[connector].txID = 0
	s.conns[connector].stop = nil
}

// stopTx asks the session running transaction txID to stop with reason.
func (s *stationState) stopTx(txID int, reason v16.Reason) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.conns {
		cs := &s.conns[i]
		if cs.txID == txID && txID != 0 && cs.stop != nil {
			if cs.reason == "" {
				cs.reason = reason
				close(cs.stop)
			}
			return true
		}
	}
	return false
}

// handleCall answers one CALL of the hub. It runs on the reader goroutine, so anything
// that sends CALLs itself happens afterwards on a new goroutine.
func (c *Charger) handleCall(f ocpp.Frame) {
	newRequest, known := c.requestType(f.Action)
	var req any
	if known {
		req = newRequest()
		if _, err := wire.Decode(f.Payload, req, wire.Options{Strict: true}); err != nil {
			code, desc := "InternalError", err.Error()
			var vio *wire.Violation
			if errors.As(err, &vio) {
				c.stats.schemaErrors.Add(1)
				c.stats.noteError(fmt.Errorf("schema violation in the hub's %s request: %w", f.Action, vio))
				c.log.Warn("hub request violates the schema", "action", f.Action, "err", vio, "payload", string(f.Payload))
				code = c.violationCode(vio.Kind)
			}
			c.answer(f.ID, f.Action, nil, &CallError{Code: code, Description: desc})
			return
		}
	}
	if c.opts.OnCall != nil {
		if resp, handled, err := c.opts.OnCall(c, f.Action, req, f.Payload); handled {
			c.answer(f.ID, f.Action, resp, err)
			return
		}
	}
	if !known {
		c.answer(f.ID, f.Action, nil, &CallError{Code: "NotImplemented", Description: "unknown action " + f.Action})
		return
	}
	resp, after, err := c.builtin(f.Action, req)
	c.answer(f.ID, f.Action, resp, err)
	if after != nil && err == nil {
		go after()
	}
}

// violationCode maps a schema violation to the CALLERROR code of the charger's protocol.
func (c *Charger) violationCode(k wire.ViolationKind) string {
	if c.v2 != nil {
		return violationCode201(k)
	}
	return violationCode16(k)
}

// violationCode16 maps a schema violation to its OCPP-J 1.6 error code (printed spellings).
func violationCode16(k wire.ViolationKind) string {
	switch k {
	case wire.OccurrenceViolation:
		return "OccurenceConstraintViolation"
	case wire.TypeViolation:
		return "TypeConstraintViolation"
	case wire.PropertyViolation:
		return "PropertyConstraintViolation"
	}
	return "FormationViolation"
}

// answer sends the CALLRESULT (resp, validated first) or the CALLERROR (err).
func (c *Charger) answer(id, action string, resp any, err error) {
	var frame []byte
	if err == nil {
		if resp == nil {
			resp = struct{}{}
		}
		if verr := wire.Validate(resp); verr != nil {
			c.stats.noteError(fmt.Errorf("sim bug: own %s answer is invalid: %w", action, verr))
			err = verr
		} else if payload, merr := json.Marshal(resp); merr != nil {
			err = merr
		} else {
			frame = ocpp.MarshalCallResult(id, payload)
		}
	}
	if err != nil {
		var ce *CallError
		if !errors.As(err, &ce) {
			ce = &CallError{Code: "InternalError", Description: err.Error()}
		}
		frame = ocpp.MarshalCallError(id, ce.Code, ce.Description, nil)
	}
	c.stats.commandsAnswered.Add(1) // before the write, so that the hub never sees an uncounted answer
	if werr := c.write(frame); werr != nil {
		c.stats.commandsAnswered.Add(-1)
		c.log.Debug("answer not sent", "action", action, "err", werr)
		return
	}
	c.stats.seen(time.Now())
}

// builtin is the default behaviour of a station. after, when non-nil, runs once the
// answer is on the wire (follow-up messages such as status notifications).
func (c *Charger) builtin(action string, req any) (resp any, after func(), err error) {
	if c.v2 != nil {
		return c.builtin201(action, req)
	}
	s := &c.state
	ctx := c.life
	switch r := req.(type) {
	case *v16.RemoteStartTransactionRequest:
		want := 0
		if r.ConnectorID != nil {
			want = *r.ConnectorID
			if want == 0 {
				want = -1 // connector 0 cannot charge
			}
		}
		conn, cerr := s.claim(want)
		if cerr != nil {
			return &v16.RemoteStartTransactionResponse{Status: v16.RemoteStartStopStatusRejected}, nil, nil
		}
		tag := r.IDTag
		return &v16.RemoteStartTransactionResponse{Status: v16.RemoteStartStopStatusAccepted}, func() {
			c.runSession(ctx, conn, tag, c.opts.SessionMeterValues, c.opts.SessionInterval, false)
		}, nil
	case *v16.RemoteStopTransactionRequest:
		if s.stopTx(r.TransactionID, v16.ReasonRemote) {
			return &v16.RemoteStopTransactionResponse{Status: v16.RemoteStartStopStatusAccepted}, nil, nil
		}
		return &v16.RemoteStopTransactionResponse{Status: v16.RemoteStartStopStatusRejected}, nil, nil
	case *v16.ResetRequest:
		return &v16.ResetResponse{Status: v16.ResetStatusAccepted}, nil, nil
	case *v16.ChangeAvailabilityRequest:
		return c.changeAvailability(r)
	case *v16.ChangeConfigurationRequest:
		return &v16.ChangeConfigurationResponse{Status: c.changeConfiguration(r.Key, r.Value)}, nil, nil
	case *v16.GetConfigurationRequest:
		return c.getConfiguration(r.Key), nil, nil
	case *v16.ClearCacheRequest:
		return &v16.ClearCacheResponse{Status: v16.ClearCacheStatusAccepted}, nil, nil
	case *v16.UnlockConnectorRequest:
		return &v16.UnlockConnectorResponse{Status: v16.UnlockStatusUnlocked}, nil, nil
	case *v16.DataTransferRequest:
		return &v16.DataTransferResponse{Status: v16.DataTransferStatusUnknownVendorId}, nil, nil
	case *v16.GetLocalListVersionRequest:
		s.mu.Lock()
		defer s.mu.Unlock()
		return &v16.GetLocalListVersionResponse{ListVersion: s.listVersion}, nil, nil
	case *v16.SendLocalListRequest:
		s.mu.Lock()
		defer s.mu.Unlock()
		s.listVersion = r.ListVersion
		return &v16.SendLocalListResponse{Status: v16.UpdateStatusAccepted}, nil, nil
	case *v16.ReserveNowRequest:
		return &v16.ReserveNowResponse{Status: s.reserve(r.ReservationID, r.ConnectorID)}, nil, nil
	case *v16.CancelReservationRequest:
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, ok := s.reservations[r.ReservationID]; ok {
			delete(s.reservations, r.ReservationID)
			return &v16.CancelReservationResponse{Status: v16.CancelReservationStatusAccepted}, nil, nil
		}
		return &v16.CancelReservationResponse{Status: v16.CancelReservationStatusRejected}, nil, nil
	case *v16.SetChargingProfileRequest:
		return &v16.SetChargingProfileResponse{Status: v16.ChargingProfileStatusAccepted}, nil, nil
	case *v16.ClearChargingProfileRequest:
		return &v16.ClearChargingProfileResponse{Status: v16.ClearChargingProfileStatusAccepted}, nil, nil
	case *v16.GetCompositeScheduleRequest:
		return &v16.GetCompositeScheduleResponse{Status: v16.GetCompositeScheduleStatusRejected}, nil, nil
	case *v16.TriggerMessageRequest:
		return c.triggerMessage(r)
	case *v16.UpdateFirmwareRequest:
		return &v16.UpdateFirmwareResponse{}, func() {
			for _, st := range []v16.FirmwareStatus{v16.FirmwareStatusDownloading, v16.FirmwareStatusDownloaded, v16.FirmwareStatusInstalling, v16.FirmwareStatusInstalled} {
				s.mu.Lock()
				s.firmware = st
				s.mu.Unlock()
				if c.Call(ctx, "FirmwareStatusNotification", &v16.FirmwareStatusNotificationRequest{Status: st}, &v16.FirmwareStatusNotificationResponse{}) != nil || !pause(ctx, statusStepDelay) {
					return
				}
			}
		}, nil
	case *v16.GetDiagnosticsRequest:
		name := fmt.Sprintf("diagnostics-%s-%s.log", c.id, time.Now().UTC().Format("20060102T150405Z"))
		if r := []rune(name); len(r) > 255 {
			name = string(r[len(r)-255:])
		}
		return &v16.GetDiagnosticsResponse{FileName: name}, func() {
			for _, st := range []v16.DiagnosticsStatus{v16.DiagnosticsStatusUploading, v16.DiagnosticsStatusUploaded} {
				s.mu.Lock()
				s.diagnostics = st
				s.mu.Unlock()
				if c.Call(ctx, "DiagnosticsStatusNotification", &v16.DiagnosticsStatusNotificationRequest{Status: st}, &v16.DiagnosticsStatusNotificationResponse{}) != nil || !pause(ctx, statusStepDelay) {
					return
				}
			}
		}, nil
	}
	return nil, nil, &CallError{Code: "NotSupported", Description: action + " is not supported by the simulator"}
}

// pause waits d; false when ctx ended first.
func pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func (s *stationState) reserve(id, connector int) v16.ReservationStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	if connector < 0 || connector >= len(s.conns) {
		return v16.ReservationStatusRejected
	}
	if connector > 0 && s.conns[connector].busy {
		return v16.ReservationStatusOccupied
	}
	if s.reservations == nil {
		s.reservations = make(map[int]int)
	}
	s.reservations[id] = connector
	return v16.ReservationStatusAccepted
}

func (c *Charger) changeAvailability(r *v16.ChangeAvailabilityRequest) (any, func(), error) {
	s := &c.state
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.ConnectorID < 0 || r.ConnectorID >= len(s.conns) {
		return &v16.ChangeAvailabilityResponse{Status: v16.AvailabilityStatusRejected}, nil, nil
	}
	if s.conns[r.ConnectorID].busy {
		return &v16.ChangeAvailabilityResponse{Status: v16.AvailabilityStatusScheduled}, nil, nil
	}
	st := v16.ChargePointStatusAvailable
	if r.Type == v16.AvailabilityTypeInoperative {
		st = v16.ChargePointStatusUnavailable
	}
	connector := r.ConnectorID
	return &v16.ChangeAvailabilityResponse{Status: v16.AvailabilityStatusAccepted}, func() {
		c.Status(c.life, connector, st)
	}, nil
}

// configDefaults returns the built-in configuration keys, read-only flag and value.
func (c *Charger) configDefaults() []v16.KeyValue {
	hb := time.Duration(c.hbInterval.Load())
	return []v16.KeyValue{
		{Key: "AuthorizeRemoteTxRequests", Value: "false"},
		{Key: "ClockAlignedDataInterval", Value: "0"},
		{Key: "ConnectionTimeOut", Value: "60"},
		{Key: "HeartbeatInterval", Value: strconv.Itoa(int(hb / time.Second))},
		{Key: "LocalAuthListEnabled", Value: "false"},
		{Key: "LocalAuthorizeOffline", Value: "false"},
		{Key: "MeterValueSampleInterval", Value: strconv.Itoa(int(c.opts.SessionInterval / time.Second))},
		{Key: "MeterValuesSampledData", Value: "Energy.Active.Import.Register,Power.Active.Import"},
		{Key: "NumberOfConnectors", Readonly: true, Value: strconv.Itoa(len(c.state.conns) - 1)},
		{Key: "StopTransactionOnInvalidId", Value: "true"},
		{Key: "SupportedFeatureProfiles", Readonly: true, Value: supportedProfiles},
	}
}

func (c *Charger) getConfiguration(keys []string) *v16.GetConfigurationResponse {
	all := c.configDefaults()
	s := &c.state
	s.mu.Lock()
	for i := range all {
		if v, ok := s.config[all[i].Key]; ok {
			all[i].Value = v
		}
	}
	for k, v := range s.config {
		if !slices.ContainsFunc(all, func(kv v16.KeyValue) bool { return kv.Key == k }) {
			all = append(all, v16.KeyValue{Key: k, Value: v})
		}
	}
	s.mu.Unlock()
	slices.SortFunc(all, func(a, b v16.KeyValue) int { return strings.Compare(a.Key, b.Key) })
	resp := &v16.GetConfigurationResponse{}
	if len(keys) == 0 {
		resp.ConfigurationKey = all
		return resp
	}
	for _, k := range keys {
		if i := slices.IndexFunc(all, func(kv v16.KeyValue) bool { return kv.Key == k }); i >= 0 {
			resp.ConfigurationKey = append(resp.ConfigurationKey, all[i])
		} else {
			resp.UnknownKey = append(resp.UnknownKey, k)
		}
	}
	return resp
}

func (c *Charger) changeConfiguration(key, value string) v16.ConfigurationStatus {
	for _, kv := range c.configDefaults() {
		if kv.Key == key && kv.Readonly {
			return v16.ConfigurationStatusRejected
		}
	}
	if key == "HeartbeatInterval" {
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 {
			return v16.ConfigurationStatusRejected
		}
		c.SetHeartbeatInterval(time.Duration(n) * time.Second)
		return v16.ConfigurationStatusAccepted // configDefaults reads it back
	}
	s := &c.state
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.config == nil {
		s.config = make(map[string]string)
	}
	s.config[key] = value
	return v16.ConfigurationStatusAccepted
}

func (c *Charger) triggerMessage(r *v16.TriggerMessageRequest) (any, func(), error) {
	s := &c.state
	n := len(s.conns) - 1
	if r.ConnectorID != nil && (*r.ConnectorID < 0 || *r.ConnectorID > n) {
		return &v16.TriggerMessageResponse{Status: v16.TriggerMessageStatusRejected}, nil, nil
	}
	// connectors lists the connectors the triggered message is about.
	var connectors []int
	switch {
	case r.ConnectorID != nil:
		connectors = []int{*r.ConnectorID}
	case r.RequestedMessage == v16.MessageTriggerMeterValues:
		for i := 1; i <= n; i++ {
			connectors = append(connectors, i)
		}
	default:
		for i := 0; i <= n; i++ {
			connectors = append(connectors, i)
		}
	}
	ctx := c.life
	accepted := &v16.TriggerMessageResponse{Status: v16.TriggerMessageStatusAccepted}
	switch r.RequestedMessage {
	case v16.MessageTriggerBootNotification:
		return accepted, func() { c.Boot(ctx) }, nil
	case v16.MessageTriggerHeartbeat:
		return accepted, func() { c.Heartbeat(ctx) }, nil
	case v16.MessageTriggerStatusNotification:
		return accepted, func() {
			for _, i := range connectors {
				s.mu.Lock()
				st := s.conns[i].status
				s.mu.Unlock()
				if c.Status(ctx, i, st) != nil {
					return
				}
			}
		}, nil
	case v16.MessageTriggerMeterValues:
		return accepted, func() {
			for _, i := range connectors {
				s.mu.Lock()
				tx, reg := s.conns[i].txID, s.conns[i].register
				s.mu.Unlock()
				power := 0
				if tx != 0 {
					power = simPowerW
				}
				if c.meterValues(ctx, i, tx, reg, power, time.Now(), v16.ReadingContextTrigger) != nil {
					return
				}
			}
		}, nil
	case v16.MessageTriggerFirmwareStatusNotification:
		return accepted, func() {
			s.mu.Lock()
			st := s.firmware
			s.mu.Unlock()
			c.Call(ctx, "FirmwareStatusNotification", &v16.FirmwareStatusNotificationRequest{Status: st}, &v16.FirmwareStatusNotificationResponse{})
		}, nil
	case v16.MessageTriggerDiagnosticsStatusNotification:
		return accepted, func() {
			s.mu.Lock()
			st := s.diagnostics
			s.mu.Unlock()
			c.Call(ctx, "DiagnosticsStatusNotification", &v16.DiagnosticsStatusNotificationRequest{Status: st}, &v16.DiagnosticsStatusNotificationResponse{})
		}, nil
	}
	return &v16.TriggerMessageResponse{Status: v16.TriggerMessageStatusNotImplemented}, nil, nil
}
