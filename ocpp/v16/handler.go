package v16

import (
	"context"
	"encoding/json"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpp"
	"github.com/chargehub/hub/ocpp/wire"
)

// idTagMax is the 1.6 CiString20 limit of idTag.
const idTagMax = 20

// Handler serves the inbound CALLs of OCPP 1.6J stations by calling the charging service.
type Handler struct {
	svc *charging.Service
}

// NewHandler builds the 1.6 handler.
func NewHandler(svc *charging.Service) *Handler { return &Handler{svc: svc} }

// Router is the 1.6 route table: every station→hub action the hub handles. The rest of
// the catalogue answers NotSupported (e.g. SignCertificate: the hub signs no certificates).
func (h *Handler) Router() *ocpp.Router {
	known := func(action string) bool { _, ok := Lookup(action); return ok }
	return ocpp.NewRouter(known,
		ocpp.On("BootNotification", h.bootNotification),
		ocpp.On("Heartbeat", ocpp.Gate(h.heartbeat)),
		ocpp.On("StatusNotification", ocpp.Gate(h.statusNotification)),
		ocpp.On("Authorize", ocpp.Gate(h.authorize)),
		// transaction messages are always taken, never gated; resends get the same answer
		ocpp.On("StartTransaction", h.startTransaction).Remember(),
		ocpp.On("StopTransaction", h.stopTransaction).Remember(),
		ocpp.On("MeterValues", h.meterValues).Remember(),
		ocpp.On("DataTransfer", ocpp.Gate(h.dataTransfer)).Remember(),
		ocpp.On("DiagnosticsStatusNotification", ocpp.Gate(h.diagnosticsStatus)),
		ocpp.On("FirmwareStatusNotification", ocpp.Gate(h.firmwareStatus)),
		ocpp.On("SecurityEventNotification", ocpp.Gate(h.securityEvent)),
		ocpp.On("LogStatusNotification", ocpp.Gate(h.logStatus)),
		ocpp.On("SignedFirmwareStatusNotification", ocpp.Gate(h.signedFirmwareStatus)),
	)
}

func (h *Handler) bootNotification(ctx context.Context, s *ocpp.Session, req *BootNotificationRequest) (*BootNotificationResponse, error) {
	res, err := h.svc.Boot(ctx, s.StationID, charging.OCPP16, charging.BootInfo{
		Vendor: req.ChargePointVendor, Model: req.ChargePointModel, SerialNumber: req.ChargePointSerialNumber,
		ChargeBoxSerial: req.ChargeBoxSerialNumber, FirmwareVersion: req.FirmwareVersion, ICCID: req.ICCID,
		IMSI: req.IMSI, MeterType: req.MeterType, MeterSerialNumber: req.MeterSerialNumber,
	})
	if err != nil {
		return nil, err
	}
	if res.Status == charging.RegistrationAccepted {
		s.SetAccepted(true)
	}
	s.SetProfile(h.svc.Profile(ctx, req.ChargePointVendor, req.ChargePointModel))
	return &BootNotificationResponse{Status: RegistrationStatus(res.Status), CurrentTime: wire.NewDateTime(res.CurrentTime),
		Interval: int(res.Interval.Seconds())}, nil
}

func (h *Handler) heartbeat(ctx context.Context, s *ocpp.Session, _ *HeartbeatRequest) (*HeartbeatResponse, error) {
	return &HeartbeatResponse{CurrentTime: wire.NewDateTime(h.svc.Heartbeat(ctx, s.StationID))}, nil
}

// evseOf maps a 1.6 connector id to the hub's EVSE/connector pair: N>0 is EVSE N connector
// 1; 0 (the whole station) is EVSE 0 connector 0.
func evseOf(connectorID int) (evse, connector int) {
	if connectorID <= 0 {
		return 0, 0
	}
	return connectorID, 1
}

func (h *Handler) statusNotification(ctx context.Context, s *ocpp.Session, req *StatusNotificationRequest) (*StatusNotificationResponse, error) {
	evse, conn := evseOf(req.ConnectorID)
	c := charging.Connector{StationID: s.StationID, EVSEID: evse, ConnectorID: conn,
		Status: charging.ConnectorStatus(req.Status), ErrorCode: string(req.ErrorCode), Info: req.Info,
		VendorID: req.VendorID, VendorErrorCode: req.VendorErrorCode}
	if req.Timestamp != nil {
		c.StatusAt = s.Time(*req.Timestamp)
		if req.Timestamp.Flag == "" { // statuses are sent live: a zoned timestamp measures the station's clock
			h.svc.ObserveClock(ctx, s.StationID, req.Timestamp.Time)
		}
	}
	if err := h.svc.StatusChanged(ctx, c); err != nil {
		return nil, err
	}
	return &StatusNotificationResponse{}, nil
}

func idTagInfo(a charging.AuthInfo) IdTagInfo {
	status := AuthorizationStatus(a.Status)
	if a.Status == charging.AuthUnknown {
		status = AuthorizationStatusInvalid // 1.6 has no Unknown
	}
	info := IdTagInfo{Status: status}
	if a.ExpiryDate != nil {
		d := wire.NewDateTime(*a.ExpiryDate)
		info.ExpiryDate = &d
	}
	if a.ParentIDTag != "" && len(a.ParentIDTag) <= idTagMax {
		info.ParentIDTag = a.ParentIDTag
	}
	return info
}

func (h *Handler) authorize(ctx context.Context, s *ocpp.Session, req *AuthorizeRequest) (*AuthorizeResponse, error) {
	tag, flags := charging.NormaliseIDTag(req.IDTag, idTagMax)
	if len(flags) > 0 {
		s.Log.Info("id tag normalised", "raw", req.IDTag, "flags", flags)
	}
	a, err := h.svc.Authorize(ctx, s.StationID, tag)
	if err != nil {
		return nil, err
	}
	return &AuthorizeResponse{IDTagInfo: idTagInfo(a)}, nil
}

func (h *Handler) startTransaction(ctx context.Context, s *ocpp.Session, req *StartTransactionRequest) (*StartTransactionResponse, error) {
	tag, flags := charging.NormaliseIDTag(req.IDTag, idTagMax)
	if f := req.Timestamp.Flag; f != "" {
		flags = append(flags, f)
	}
	evse, conn := evseOf(req.ConnectorID)
	tx, auth, err := h.svc.StartTransaction(ctx, charging.StartTx{StationID: s.StationID, EVSEID: evse,
		ConnectorID: conn, IDTag: tag, MeterStartWh: int64(req.MeterStart), Timestamp: s.Time(req.Timestamp),
		ReservationID: req.ReservationID, Flags: flags})
	if err != nil {
		return nil, err
	}
	return &StartTransactionResponse{TransactionID: int(tx.ID), IDTagInfo: idTagInfo(auth)}, nil
}

func (h *Handler) stopTransaction(ctx context.Context, s *ocpp.Session, req *StopTransactionRequest) (*StopTransactionResponse, error) {
	in := charging.StopTx{StationID: s.StationID, TransactionID: int64(req.TransactionID),
		MeterStopWh: int64(req.MeterStop), Timestamp: s.Time(req.Timestamp), Reason: string(req.Reason),
		Samples: h.profile(s).samples(req.TransactionData)}
	if req.IDTag != "" {
		in.IDTag, in.Flags = charging.NormaliseIDTag(req.IDTag, idTagMax)
	}
	if f := req.Timestamp.Flag; f != "" {
		in.Flags = append(in.Flags, f)
	}
	res, err := h.svc.StopTransaction(ctx, in)
	if err != nil {
		return nil, err
	}
	out := &StopTransactionResponse{}
	if res.Auth != nil {
		info := idTagInfo(*res.Auth)
		out.IDTagInfo = &info
	}
	return out, nil
}

// profiled applies a station's vendor profile to what its messages say.
type profiled struct {
	s *ocpp.Session
	p charging.VendorProfile
}

func (h *Handler) profile(s *ocpp.Session) profiled { return profiled{s, s.Profile()} }

// samples flattens 1.6 meter values into the domain's raw samples.
func (p profiled) samples(mvs []MeterValue) []charging.RawSample {
	var out []charging.RawSample
	for _, mv := range mvs {
		ts := p.s.Time(mv.Timestamp)
		for _, sv := range mv.SampledValue {
			out = append(out, charging.RawSample{Timestamp: ts, TimestampFlag: mv.Timestamp.Flag,
				Value: sv.Value, Unit: string(sv.Unit), Measurand: string(sv.Measurand), Phase: string(sv.Phase),
				Location: string(sv.Location), Context: string(sv.Context), Format: string(sv.Format),
				NoDecimalComma: p.p.DecimalCommaRejected, WhIsKWh: p.p.EnergyWhIsKWh})
		}
	}
	return out
}

func (h *Handler) meterValues(ctx context.Context, s *ocpp.Session, req *MeterValuesRequest) (*MeterValuesResponse, error) {
	evse, conn := evseOf(req.ConnectorID)
	in := charging.MeterValuesIn{StationID: s.StationID, EVSEID: evse, ConnectorID: conn, Samples: h.profile(s).samples(req.MeterValue)}
	if req.TransactionID != nil {
		id := int64(*req.TransactionID)
		in.TransactionID = &id
	}
	if err := h.svc.MeterValues(ctx, in); err != nil {
		return nil, err
	}
	return &MeterValuesResponse{}, nil
}

// dataTransfer keeps the payload and answers UnknownVendorId: the hub runs no vendor
// extensions.
func (h *Handler) dataTransfer(ctx context.Context, s *ocpp.Session, req *DataTransferRequest) (*DataTransferResponse, error) {
	detail, _ := json.Marshal(req)
	if err := h.svc.RecordEvent(ctx, charging.StationEvent{StationID: s.StationID, Kind: "DataTransfer",
		Status: req.VendorID, Detail: string(detail)}); err != nil {
		return nil, err
	}
	return &DataTransferResponse{Status: DataTransferStatusUnknownVendorId}, nil
}

func (h *Handler) event(ctx context.Context, s *ocpp.Session, kind, status string, req any) error {
	detail, _ := json.Marshal(req)
	return h.svc.RecordEvent(ctx, charging.StationEvent{StationID: s.StationID, Kind: kind, Status: status, Detail: string(detail)})
}

func (h *Handler) diagnosticsStatus(ctx context.Context, s *ocpp.Session, req *DiagnosticsStatusNotificationRequest) (*DiagnosticsStatusNotificationResponse, error) {
	return &DiagnosticsStatusNotificationResponse{}, h.event(ctx, s, "DiagnosticsStatusNotification", string(req.Status), req)
}

func (h *Handler) firmwareStatus(ctx context.Context, s *ocpp.Session, req *FirmwareStatusNotificationRequest) (*FirmwareStatusNotificationResponse, error) {
	return &FirmwareStatusNotificationResponse{}, h.event(ctx, s, "FirmwareStatusNotification", string(req.Status), req)
}

func (h *Handler) securityEvent(ctx context.Context, s *ocpp.Session, req *SecurityEventNotificationRequest) (*SecurityEventNotificationResponse, error) {
	s.Log.Warn("station security event", "type", req.Type)
	return &SecurityEventNotificationResponse{}, h.event(ctx, s, "SecurityEventNotification", req.Type, req)
}

func (h *Handler) logStatus(ctx context.Context, s *ocpp.Session, req *LogStatusNotificationRequest) (*LogStatusNotificationResponse, error) {
	return &LogStatusNotificationResponse{}, h.event(ctx, s, "LogStatusNotification", string(req.Status), req)
}

func (h *Handler) signedFirmwareStatus(ctx context.Context, s *ocpp.Session, req *SignedFirmwareStatusNotificationRequest) (*SignedFirmwareStatusNotificationResponse, error) {
	return &SignedFirmwareStatusNotificationResponse{}, h.event(ctx, s, "SignedFirmwareStatusNotification", string(req.Status), req)
}

// Commands is the 1.6 catalogue of hub→station actions (ocpp.Catalogue).
type Commands struct{}

// OutboundRequest returns a new request value for a hub→station 1.6 action.
func (Commands) OutboundRequest(action string) (any, bool) {
	m, ok := Lookup(action)
	if !ok || m.Direction == ToCSMS {
		return nil, false
	}
	return m.NewRequest(), true
}
