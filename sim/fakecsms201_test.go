package sim

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/chargehub/hub/ocpp"
	v201 "github.com/chargehub/hub/ocpp/v201"
	"github.com/chargehub/hub/ocpp/wire"
)

// fake201 is what the fake CSMS records of its 2.0.1 stations (guarded by fakeCSMS.mu).
type fake201 struct {
	actions201 map[string]int                            // inbound 2.0.1 CALLs per action
	txEvents   map[string][]v201.TransactionEventRequest // station/transactionId → events in arrival order
	txOrder    []string                                  // keys of txEvents in order of their first event
	reports    []v201.NotifyReportRequest
	// refuse lists idTokens the fake answers Invalid (Authorize and TransactionEvent).
	refuse []string
}

func (f *fake201) init() {
	f.actions201 = map[string]int{}
	f.txEvents = map[string][]v201.TransactionEventRequest{}
}

// count201 returns how many CALLs of action 2.0.1 stations sent.
func (f *fakeCSMS) count201(action string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.actions201[action]
}

// transactions201 returns the events of every 2.0.1 transaction, in order of their start.
func (f *fakeCSMS) transactions201() [][]v201.TransactionEventRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([][]v201.TransactionEventRequest, 0, len(f.txOrder))
	for _, k := range f.txOrder {
		out = append(out, slices.Clone(f.txEvents[k]))
	}
	return out
}

// handle201 answers one CALL of a 2.0.1 station after decoding it strictly, and checks
// what OCPP 2.0.1 expects of TransactionEvents (ocpp-notes.md §7): a UUID transactionId,
// seqNo 0, 1, 2... per transaction, Started first with evse, idToken and a
// Transaction.Begin register, Ended with a Transaction.End register and a stoppedReason,
// meter values as JSON numbers.
func (s *fakeStation) handle201(fr ocpp.Frame) {
	f := s.csms
	m, ok := v201.Lookup(fr.Action)
	if !ok || m.Direction == v201.ToStation {
		f.violation("%s: unexpected 2.0.1 action %s", s.id, fr.Action)
		s.write(ocpp.MarshalCallError(fr.ID, "NotImplemented", "", nil))
		return
	}
	req := m.NewRequest()
	if _, err := wire.Decode(fr.Payload, req, wire.Options{Strict: true}); err != nil {
		f.violation("%s: %s: %v (%s)", s.id, fr.Action, err, fr.Payload)
		s.write(ocpp.MarshalCallError(fr.ID, "FormatViolation", err.Error(), nil))
		return
	}
	now := wire.NewDateTime(time.Now())
	var resp any
	switch r := req.(type) {
	case *v201.BootNotificationRequest:
		if r.Reason != v201.BootReasonPowerUp && r.Reason != v201.BootReasonTriggered {
			f.violation("%s: boot reason %s", s.id, r.Reason)
		}
		if r.ChargingStation.Model != Model || r.ChargingStation.VendorName != Vendor || r.ChargingStation.SerialNumber == "" || r.ChargingStation.FirmwareVersion == "" {
			f.violation("%s: chargingStation %+v", s.id, r.ChargingStation)
		}
		resp = &v201.BootNotificationResponse{Status: v201.RegistrationStatusAccepted, CurrentTime: now, Interval: 300}
		if f.onBoot != nil {
			defer func() { go f.onBoot(s) }()
		}
	case *v201.HeartbeatRequest:
		resp = &v201.HeartbeatResponse{CurrentTime: now}
	case *v201.AuthorizeRequest:
		resp = &v201.AuthorizeResponse{IDTokenInfo: f.tokenInfo(r.IDToken)}
	case *v201.TransactionEventRequest:
		f.checkTxEvent(s.id, r)
		out := &v201.TransactionEventResponse{}
		if r.IDToken != nil {
			info := f.tokenInfo(*r.IDToken)
			out.IDTokenInfo = &info
		}
		resp = out
	case *v201.NotifyReportRequest:
		f.mu.Lock()
		f.reports = append(f.reports, *r)
		f.mu.Unlock()
		resp = &v201.NotifyReportResponse{}
	case *v201.StatusNotificationRequest:
		if r.EVSEID < 1 || r.ConnectorID != 1 {
			f.violation("%s: StatusNotification for EVSE %d connector %d", s.id, r.EVSEID, r.ConnectorID)
		}
		resp = &v201.StatusNotificationResponse{}
	case *v201.MeterValuesRequest:
		f.checkNumbers(s.id, r.MeterValue)
		resp = &v201.MeterValuesResponse{}
	default:
		resp = m.NewResponse() // the empty answers: FirmwareStatusNotification, LogStatusNotification, ...
	}
	if err := wire.Validate(resp); err != nil {
		f.t.Errorf("fake CSMS 2.0.1 answer invalid: %v", err)
	}
	payload, _ := json.Marshal(resp)
	s.write(ocpp.MarshalCallResult(fr.ID, payload))
}

func (f *fakeCSMS) tokenInfo(t v201.IdToken) v201.IdTokenInfo {
	f.mu.Lock()
	defer f.mu.Unlock()
	if slices.Contains(f.refuse, t.IDToken) {
		return v201.IdTokenInfo{Status: v201.AuthorizationStatusInvalid}
	}
	return v201.IdTokenInfo{Status: v201.AuthorizationStatusAccepted}
}

// checkNumbers flags meter values sent as strings (Decimal accepts them even in strict mode).
func (f *fakeCSMS) checkNumbers(id string, mvs []v201.MeterValue) {
	for _, mv := range mvs {
		for _, sv := range mv.SampledValue {
			if sv.Value.Flag() != "" || sv.UnitOfMeasure == nil || sv.Measurand == "" {
				f.violation("%s: sampled value %+v is not a JSON number with measurand and unit", id, sv)
			}
		}
	}
}

// register returns the Energy.Active.Import.Register of context rc in mvs, or -1.
func register(mvs []v201.MeterValue, rc v201.ReadingContext) float64 {
	for _, mv := range mvs {
		for _, sv := range mv.SampledValue {
			if sv.Measurand == v201.MeasurandEnergyActiveImportRegister && sv.Context == rc {
				return sv.Value.Float64()
			}
		}
	}
	return -1
}

func (f *fakeCSMS) checkTxEvent(id string, r *v201.TransactionEventRequest) {
	txID := r.TransactionInfo.TransactionID
	if _, err := uuid.Parse(txID); err != nil || len(txID) != 36 {
		f.violation("%s: transactionId %q is not a UUID", id, txID)
	}
	f.checkNumbers(id, r.MeterValue)
	key := id + "/" + txID
	f.mu.Lock()
	prev := f.txEvents[key]
	if len(prev) == 0 {
		f.txOrder = append(f.txOrder, key)
	}
	f.txEvents[key] = append(prev, *r)
	f.mu.Unlock()
	if r.SeqNo != len(prev) {
		f.violation("%s: %s event of %s has seqNo %d, want %d", id, r.EventType, txID, r.SeqNo, len(prev))
	}
	switch r.EventType {
	case v201.TransactionEventStarted:
		if len(prev) != 0 || r.EVSE == nil || r.IDToken == nil || r.IDToken.Type != v201.IdTokenEnumTypeISO14443 && r.IDToken.Type != v201.IdTokenEnumTypeCentral ||
			register(r.MeterValue, v201.ReadingContextTransactionBegin) < 0 {
			f.violation("%s: bad Started event %+v", id, r)
		}
	case v201.TransactionEventUpdated:
		if len(prev) == 0 || prev[len(prev)-1].EventType == v201.TransactionEventEnded {
			f.violation("%s: Updated outside a transaction: %+v", id, r)
		}
	case v201.TransactionEventEnded:
		if len(prev) == 0 || prev[len(prev)-1].EventType == v201.TransactionEventEnded || r.TransactionInfo.StoppedReason == "" ||
			register(r.MeterValue, v201.ReadingContextTransactionEnd) < 0 {
			f.violation("%s: bad Ended event %+v", id, r)
		}
	}
}
