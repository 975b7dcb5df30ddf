package v201

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpp"
	"github.com/chargehub/hub/ocpp/wire"
)

// idTokenMax is the 2.0.1 identifier limit of IdToken.idToken.
const idTokenMax = 36

// Handler serves the inbound CALLs of OCPP 2.0.1 stations by calling the charging service.
type Handler struct {
	svc *charging.Service
}

// NewHandler builds the 2.0.1 handler.
func NewHandler(svc *charging.Service) *Handler { return &Handler{svc: svc} }

// Router is the 2.0.1 route table. Unrouted station→hub actions (SignCertificate,
// Get15118EVCertificate, GetCertificateStatus: the hub runs no certificate authority or
// OCSP responder) answer NotSupported.
func (h *Handler) Router() *ocpp.Router {
	known := func(action string) bool { _, ok := Lookup(action); return ok }
	return ocpp.NewRouter(known,
		ocpp.On("BootNotification", h.bootNotification),
		ocpp.On("Heartbeat", ocpp.Gate(h.heartbeat)),
		ocpp.On("StatusNotification", ocpp.Gate(h.statusNotification)),
		ocpp.On("Authorize", ocpp.Gate(h.authorize)),
		// transaction messages are always taken, never gated; resends get the same answer
		ocpp.On("TransactionEvent", h.transactionEvent).Remember(),
		ocpp.On("MeterValues", h.meterValues).Remember(),
		ocpp.On("NotifyReport", h.notifyReport), // not gated: a Pending station answers the hub's GetBaseReport
		ocpp.On("NotifyEvent", ocpp.Gate(h.notifyEvent)),
		ocpp.On("NotifyMonitoringReport", ocpp.Gate(record[NotifyMonitoringReportRequest, NotifyMonitoringReportResponse](h, "NotifyMonitoringReport", nil))),
		ocpp.On("SecurityEventNotification", ocpp.Gate(h.securityEvent)),
		ocpp.On("FirmwareStatusNotification", ocpp.Gate(record[FirmwareStatusNotificationRequest, FirmwareStatusNotificationResponse](h, "FirmwareStatusNotification",
			func(r *FirmwareStatusNotificationRequest) string { return string(r.Status) }))),
		ocpp.On("LogStatusNotification", ocpp.Gate(record[LogStatusNotificationRequest, LogStatusNotificationResponse](h, "LogStatusNotification",
			func(r *LogStatusNotificationRequest) string { return string(r.Status) }))),
		ocpp.On("ReservationStatusUpdate", ocpp.Gate(record[ReservationStatusUpdateRequest, ReservationStatusUpdateResponse](h, "ReservationStatusUpdate",
			func(r *ReservationStatusUpdateRequest) string { return string(r.ReservationUpdateStatus) }))),
		ocpp.On("NotifyChargingLimit", ocpp.Gate(record[NotifyChargingLimitRequest, NotifyChargingLimitResponse](h, "NotifyChargingLimit", nil))),
		ocpp.On("ClearedChargingLimit", ocpp.Gate(record[ClearedChargingLimitRequest, ClearedChargingLimitResponse](h, "ClearedChargingLimit", nil))),
		ocpp.On("NotifyEVChargingNeeds", ocpp.Gate(h.notifyEVChargingNeeds)),
		ocpp.On("NotifyEVChargingSchedule", ocpp.Gate(h.notifyEVChargingSchedule)),
		ocpp.On("ReportChargingProfiles", ocpp.Gate(record[ReportChargingProfilesRequest, ReportChargingProfilesResponse](h, "ReportChargingProfiles", nil))),
		ocpp.On("NotifyCustomerInformation", ocpp.Gate(record[NotifyCustomerInformationRequest, NotifyCustomerInformationResponse](h, "NotifyCustomerInformation", nil))),
		ocpp.On("NotifyDisplayMessages", ocpp.Gate(record[NotifyDisplayMessagesRequest, NotifyDisplayMessagesResponse](h, "NotifyDisplayMessages", nil))),
		ocpp.On("PublishFirmwareStatusNotification", ocpp.Gate(record[PublishFirmwareStatusNotificationRequest, PublishFirmwareStatusNotificationResponse](h, "PublishFirmwareStatusNotification", nil))),
		ocpp.On("DataTransfer", ocpp.Gate(h.dataTransfer)).Remember(),
	)
}

// record handles a notification the hub keeps as a station event and answers empty.
func record[Req, Resp any](h *Handler, kind string, status func(*Req) string) func(context.Context, *ocpp.Session, *Req) (*Resp, error) {
	return func(ctx context.Context, s *ocpp.Session, req *Req) (*Resp, error) {
		st := ""
		if status != nil {
			st = status(req)
		}
		return new(Resp), h.event(ctx, s, kind, st, req)
	}
}

func (h *Handler) event(ctx context.Context, s *ocpp.Session, kind, status string, req any) error {
	detail, _ := json.Marshal(req)
	return h.svc.RecordEvent(ctx, charging.StationEvent{StationID: s.StationID, Kind: kind, Status: status, Detail: string(detail)})
}

func (h *Handler) bootNotification(ctx context.Context, s *ocpp.Session, req *BootNotificationRequest) (*BootNotificationResponse, error) {
	cs := req.ChargingStation
	info := charging.BootInfo{Vendor: cs.VendorName, Model: cs.Model, SerialNumber: cs.SerialNumber, FirmwareVersion: cs.FirmwareVersion}
	if cs.Modem != nil {
		info.ICCID, info.IMSI = cs.Modem.ICCID, cs.Modem.IMSI
	}
	res, err := h.svc.Boot(ctx, s.StationID, charging.OCPP201, info)
	if err != nil {
		return nil, err
	}
	if res.Status == charging.RegistrationAccepted {
		s.SetAccepted(true)
	}
	s.SetProfile(h.svc.Profile(ctx, cs.VendorName, cs.Model))
	return &BootNotificationResponse{Status: RegistrationStatus(res.Status), CurrentTime: wire.NewDateTime(res.CurrentTime),
		Interval: int(res.Interval.Seconds())}, nil
}

func (h *Handler) heartbeat(ctx context.Context, s *ocpp.Session, _ *HeartbeatRequest) (*HeartbeatResponse, error) {
	return &HeartbeatResponse{CurrentTime: wire.NewDateTime(h.svc.Heartbeat(ctx, s.StationID))}, nil
}

// profiled applies a station's vendor profile to what its messages say.
type profiled struct {
	s *ocpp.Session
	p charging.VendorProfile
}

func (h *Handler) profile(s *ocpp.Session) profiled { return profiled{s, s.Profile()} }

// samples flattens 2.0.1 meter values into the domain's raw samples; a signed value is
// kept verbatim as a SignedData sample beside its reading.
func (p profiled) samples(mvs []MeterValue) []charging.RawSample {
	var out []charging.RawSample
	for _, mv := range mvs {
		ts := p.s.Time(mv.Timestamp)
		for _, sv := range mv.SampledValue {
			r := charging.RawSample{Timestamp: ts, TimestampFlag: mv.Timestamp.Flag, Value: sv.Value.String(),
				Measurand: string(sv.Measurand), Phase: string(sv.Phase), Location: string(sv.Location),
				Context: string(sv.Context), NoDecimalComma: p.p.DecimalCommaRejected, WhIsKWh: p.p.EnergyWhIsKWh}
			if u := sv.UnitOfMeasure; u != nil {
				r.Unit = u.Unit
				if u.Multiplier != nil {
					r.Multiplier = *u.Multiplier
				}
			}
			out = append(out, r)
			if sm := sv.SignedMeterValue; sm != nil {
				blob, _ := json.Marshal(sm)
				signed := r
				signed.Value, signed.Format, signed.Multiplier = string(blob), "SignedData", 0
				out = append(out, signed)
			}
		}
	}
	return out
}

func (h *Handler) statusNotification(ctx context.Context, s *ocpp.Session, req *StatusNotificationRequest) (*StatusNotificationResponse, error) {
	at := s.Time(req.Timestamp)
	if req.Timestamp.Flag == "" { // statuses are sent live: a zoned timestamp measures the station's clock
		h.svc.ObserveClock(ctx, s.StationID, req.Timestamp.Time)
	}
	if err := h.svc.StatusChanged(ctx, charging.Connector{StationID: s.StationID, EVSEID: req.EVSEID,
		ConnectorID: req.ConnectorID, Status: charging.ConnectorStatus(req.ConnectorStatus), StatusAt: at}); err != nil {
		return nil, err
	}
	return &StatusNotificationResponse{}, nil
}

// tokenInfo maps the domain's verdict to IdTokenInfo.
func tokenInfo(a charging.AuthInfo) IdTokenInfo {
	info := IdTokenInfo{Status: AuthorizationStatus(a.Status)}
	if a.ExpiryDate != nil {
		d := wire.NewDateTime(*a.ExpiryDate)
		info.CacheExpiryDateTime = &d
	}
	if a.ParentIDTag != "" && len(a.ParentIDTag) <= idTokenMax {
		info.GroupIDToken = &IdToken{IDToken: a.ParentIDTag, Type: IdTokenEnumTypeCentral}
	}
	return info
}

// authorizeToken decides a token: NoAuthorization tokens (free vend) are always accepted.
func (h *Handler) authorizeToken(ctx context.Context, s *ocpp.Session, t IdToken) (string, charging.AuthInfo, error) {
	tag, flags := charging.NormaliseIDTag(t.IDToken, idTokenMax)
	if len(flags) > 0 {
		s.Log.Info("id token normalised", "raw", t.IDToken, "flags", flags)
	}
	if t.Type == IdTokenEnumTypeNoAuthorization {
		return tag, charging.AuthInfo{Status: charging.AuthAccepted}, nil
	}
	a, err := h.svc.Authorize(ctx, s.StationID, tag)
	return tag, a, err
}

func (h *Handler) authorize(ctx context.Context, s *ocpp.Session, req *AuthorizeRequest) (*AuthorizeResponse, error) {
	_, a, err := h.authorizeToken(ctx, s, req.IDToken)
	if err != nil {
		return nil, err
	}
	return &AuthorizeResponse{IDTokenInfo: tokenInfo(a)}, nil
}

func (h *Handler) transactionEvent(ctx context.Context, s *ocpp.Session, req *TransactionEventRequest) (*TransactionEventResponse, error) {
	p := h.profile(s)
	ti := req.TransactionInfo
	raw, _ := json.Marshal(req)
	in := charging.TxEventIn{StationID: s.StationID, EventType: string(req.EventType), Timestamp: p.s.Time(req.Timestamp),
		TimestampFlag: req.Timestamp.Flag, TriggerReason: string(req.TriggerReason), SeqNo: req.SeqNo,
		Offline: req.Offline != nil && *req.Offline, StationTxID: ti.TransactionID, ChargingState: string(ti.ChargingState),
		TimeSpentChargingS: ti.TimeSpentCharging, StoppedReason: string(ti.StoppedReason), RemoteStartID: ti.RemoteStartID,
		ReservationID: req.ReservationID, Samples: p.samples(req.MeterValue), Payload: string(raw)}
	if req.EVSE != nil {
		in.EVSEID = req.EVSE.ID
		if req.EVSE.ConnectorID != nil {
			in.ConnectorID = *req.EVSE.ConnectorID
		}
	}
	var noAuth bool
	if req.IDToken != nil {
		in.IDToken, _ = charging.NormaliseIDTag(req.IDToken.IDToken, idTokenMax)
		in.IDTokenType = string(req.IDToken.Type)
		noAuth = req.IDToken.Type == IdTokenEnumTypeNoAuthorization
	}
	res, err := h.svc.TransactionEvent(ctx, in)
	if err != nil {
		return nil, err
	}
	out := &TransactionEventResponse{}
	if res.Auth != nil {
		a := *res.Auth
		if noAuth {
			a = charging.AuthInfo{Status: charging.AuthAccepted}
		}
		info := tokenInfo(a)
		out.IDTokenInfo = &info
	}
	return out, nil
}

func (h *Handler) meterValues(ctx context.Context, s *ocpp.Session, req *MeterValuesRequest) (*MeterValuesResponse, error) {
	in := charging.MeterValuesIn{StationID: s.StationID, EVSEID: req.EVSEID, Samples: h.profile(s).samples(req.MeterValue)}
	if err := h.svc.MeterValues(ctx, in); err != nil {
		return nil, err
	}
	return &MeterValuesResponse{}, nil
}

// notifyReport stores the reported device model (one part of a possibly multi-part report).
func (h *Handler) notifyReport(ctx context.Context, s *ocpp.Session, req *NotifyReportRequest) (*NotifyReportResponse, error) {
	var vars []charging.DeviceVariable
	for _, rd := range req.ReportData {
		base := charging.DeviceVariable{Component: rd.Component.Name, ComponentInstance: rd.Component.Instance,
			Variable: rd.Variable.Name, VariableInstance: rd.Variable.Instance}
		if e := rd.Component.EVSE; e != nil {
			base.EVSEID = e.ID
			if e.ConnectorID != nil {
				base.ConnectorID = *e.ConnectorID
			}
		}
		if c := rd.VariableCharacteristics; c != nil {
			base.DataType, base.Unit, base.ValuesList, base.SupportsMonitoring = string(c.DataType), c.Unit, c.ValuesList, c.SupportsMonitoring
			base.MinLimit, base.MaxLimit = floatText(c.MinLimit), floatText(c.MaxLimit)
		}
		for _, a := range rd.VariableAttribute {
			v := base
			v.AttributeType, v.Value, v.Mutability = string(a.Type), a.Value, string(a.Mutability)
			if v.Mutability == "" {
				v.Mutability = string(MutabilityReadWrite)
			}
			v.Persistent = a.Persistent != nil && *a.Persistent
			v.Constant = a.Constant != nil && *a.Constant
			vars = append(vars, v)
		}
	}
	if err := h.svc.NotifyReport(ctx, s.StationID, vars); err != nil {
		return nil, err
	}
	return &NotifyReportResponse{}, nil
}

func floatText(f *float64) *string {
	if f == nil {
		return nil
	}
	s := strconv.FormatFloat(*f, 'f', -1, 64)
	return &s
}

// notifyEvent keeps the events; connector AvailabilityState events also update the
// connector status (some stations report it this way instead of StatusNotification).
func (h *Handler) notifyEvent(ctx context.Context, s *ocpp.Session, req *NotifyEventRequest) (*NotifyEventResponse, error) {
	for _, ev := range req.EventData {
		if ev.Component.Name == "Connector" && ev.Variable.Name == "AvailabilityState" && ev.Component.EVSE != nil &&
			ev.Component.EVSE.ConnectorID != nil {
			if err := h.svc.StatusChanged(ctx, charging.Connector{StationID: s.StationID, EVSEID: ev.Component.EVSE.ID,
				ConnectorID: *ev.Component.EVSE.ConnectorID, Status: charging.ConnectorStatus(ev.ActualValue),
				StatusAt: s.Time(ev.Timestamp)}); err != nil {
				return nil, err
			}
		}
	}
	return &NotifyEventResponse{}, h.event(ctx, s, "NotifyEvent", "", req)
}

func (h *Handler) securityEvent(ctx context.Context, s *ocpp.Session, req *SecurityEventNotificationRequest) (*SecurityEventNotificationResponse, error) {
	s.Log.Warn("station security event", "type", req.Type, "tech_info", req.TechInfo)
	return &SecurityEventNotificationResponse{}, h.event(ctx, s, "SecurityEventNotification", req.Type, req)
}

// notifyEVChargingNeeds is kept; the hub computes no ISO 15118 schedules, so it answers
// Rejected (the station then charges with its own limits).
func (h *Handler) notifyEVChargingNeeds(ctx context.Context, s *ocpp.Session, req *NotifyEVChargingNeedsRequest) (*NotifyEVChargingNeedsResponse, error) {
	return &NotifyEVChargingNeedsResponse{Status: NotifyEVChargingNeedsStatusRejected}, h.event(ctx, s, "NotifyEVChargingNeeds", "", req)
}

func (h *Handler) notifyEVChargingSchedule(ctx context.Context, s *ocpp.Session, req *NotifyEVChargingScheduleRequest) (*NotifyEVChargingScheduleResponse, error) {
	return &NotifyEVChargingScheduleResponse{Status: GenericStatusAccepted}, h.event(ctx, s, "NotifyEVChargingSchedule", "", req)
}

// dataTransfer keeps the payload and answers UnknownVendorId: the hub runs no vendor extensions.
func (h *Handler) dataTransfer(ctx context.Context, s *ocpp.Session, req *DataTransferRequest) (*DataTransferResponse, error) {
	return &DataTransferResponse{Status: DataTransferStatusUnknownVendorId}, h.event(ctx, s, "DataTransfer", req.VendorID, req)
}

// Commands is the 2.0.1 catalogue of hub→station actions (ocpp.Catalogue).
type Commands struct{}

// OutboundRequest returns a new request value for a hub→station 2.0.1 action.
func (Commands) OutboundRequest(action string) (any, bool) {
	m, ok := Lookup(action)
	if !ok || m.Direction == ToCSMS {
		return nil, false
	}
	return m.NewRequest(), true
}
