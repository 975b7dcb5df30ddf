package sim

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	v16 "github.com/chargehub/hub/ocpp/v16"
	v201 "github.com/chargehub/hub/ocpp/v201"
	"github.com/chargehub/hub/ocpp/wire"
)

// OCPP 2.0.1 side of the Charger: the station's state, the catalogue lookups by protocol
// and the messages a 2.0.1 station sends (BootNotification, StatusNotification, Authorize,
// TransactionEvent, MeterValues, NotifyReport). Sessions are in behaviour201.go, the
// answers to the hub's CALLs in handlers201.go, the device model in devicemodel201.go.

// ErrProtocol is returned by a message helper of the other protocol (e.g. Boot on a 2.0.1
// charger, Boot201 on a 1.6 one): nothing is sent.
var ErrProtocol = errors.New("sim: message of the other OCPP version")

// evseMaxPowerW is the Power maxLimit each simulated EVSE reports in its device model.
const evseMaxPowerW = 22_000

// state201 is what a 2.0.1 charger remembers. Everything is guarded by mu; txSend
// serialises TransactionEvents so that seqNo order is send order.
type state201 struct {
	mu           sync.Mutex
	evses        []evse201         // index 0 is unused: EVSEs are 1..N, each with connector 1
	overrides    map[string]string // device-model values set by SetVariables, by varKey
	listVersion  int
	listEntries  int
	reservations map[int]int        // reservation id → EVSE (0 = any)
	profiles     map[int]profile201 // charging profile id → what GetCompositeSchedule needs

	txSend sync.Mutex
}

// evse201 is one EVSE (with its single connector).
type evse201 struct {
	status        v201.ConnectorStatus
	inoperative   bool // ChangeAvailability Inoperative
	busy          bool // a session owns the EVSE
	stop          chan struct{}
	reason        v201.Reason // why stop was closed
	register      int         // energy register, Wh
	power         int         // W drawn now
	txID          string      // running transaction (UUID), "" = none
	seqNo         int         // next TransactionEvent seqNo of txID
	startedAt     time.Time
	remoteStartID *int
}

// profile201 is a charging profile as far as GetCompositeSchedule and
// ClearChargingProfile need it.
type profile201 struct {
	evse       int
	purpose    v201.ChargingProfilePurpose
	stackLevel int
	unit       v201.ChargingRateUnit
	limit      float64
}

func newState201(n int) *state201 {
	s := &state201{evses: make([]evse201, n+1)}
	for i := range s.evses {
		s.evses[i].status = v201.ConnectorStatusAvailable
		s.evses[i].register = 10_000 * i
	}
	return s
}

// need16 refuses a 1.6-only helper on a 2.0.1 charger.
func (c *Charger) need16(action string) error {
	if c.v2 != nil {
		return fmt.Errorf("%w: %s (1.6) on %s charger %s", ErrProtocol, action, c.opts.Protocol, c.id)
	}
	return nil
}

// need201 refuses a 2.0.1-only helper on a 1.6 charger.
func (c *Charger) need201(action string) error {
	if c.v2 == nil {
		return fmt.Errorf("%w: %s (2.0.1) on %s charger %s", ErrProtocol, action, c.opts.Protocol, c.id)
	}
	return nil
}

// requestType returns the request constructor of action in the charger's catalogue.
func (c *Charger) requestType(action string) (func() any, bool) {
	if c.v2 != nil {
		m, ok := v201.Lookup(action)
		return m.NewRequest, ok
	}
	m, ok := v16.Lookup(action)
	return m.NewRequest, ok
}

// newResponse returns a new response value of action in the charger's catalogue, or nil.
func (c *Charger) newResponse(action string) any {
	if c.v2 != nil {
		if m, ok := v201.Lookup(action); ok {
			return m.NewResponse()
		}
		return nil
	}
	if m, ok := v16.Lookup(action); ok {
		return m.NewResponse()
	}
	return nil
}

// violationCode201 maps a schema violation to its OCPP-J 2.0.1 error code.
func violationCode201(k wire.ViolationKind) string {
	switch k {
	case wire.OccurrenceViolation:
		return "OccurrenceConstraintViolation"
	case wire.TypeViolation:
		return "TypeConstraintViolation"
	case wire.PropertyViolation:
		return "PropertyConstraintViolation"
	}
	return "FormatViolation"
}

// IDToken201 is the IdToken the simulator presents for tag: an RFID card (ISO14443).
func IDToken201(tag string) v201.IdToken {
	return v201.IdToken{IDToken: tag, Type: v201.IdTokenEnumTypeISO14443}
}

// Boot201 sends a 2.0.1 BootNotification (chargingStation{model "Sim-1", vendorName
// "ChargeHubSim", serialNumber, firmwareVersion}) with reason and returns the answer.
func (c *Charger) Boot201(ctx context.Context, reason v201.BootReason) (v201.BootNotificationResponse, error) {
	var resp v201.BootNotificationResponse
	if err := c.need201("BootNotification"); err != nil {
		return resp, err
	}
	err := c.Call(ctx, "BootNotification", &v201.BootNotificationRequest{
		Reason: reason,
		ChargingStation: v201.ChargingStation{
			Model:           Model,
			VendorName:      Vendor,
			SerialNumber:    c.opts.SerialNumber,
			FirmwareVersion: Firmware,
		},
	}, &resp)
	if err == nil {
		c.lastHB.Store(time.Now().UnixNano())
	}
	return resp, err
}

func (c *Charger) heartbeat201(ctx context.Context) (time.Time, error) {
	var resp v201.HeartbeatResponse
	err := c.Call(ctx, "Heartbeat", &v201.HeartbeatRequest{}, &resp)
	c.lastHB.Store(time.Now().UnixNano())
	return resp.CurrentTime.Time, err
}

// Status201 sends a 2.0.1 StatusNotification for connector of evse and remembers the
// status (it is what TriggerMessage and the device model report).
func (c *Charger) Status201(ctx context.Context, evse, connector int, status v201.ConnectorStatus) error {
	if err := c.need201("StatusNotification"); err != nil {
		return err
	}
	s := c.v2
	s.mu.Lock()
	if evse >= 1 && evse < len(s.evses) && connector == 1 {
		s.evses[evse].status = status
	}
	s.mu.Unlock()
	return c.Call(ctx, "StatusNotification", &v201.StatusNotificationRequest{
		Timestamp:       wire.NewDateTime(time.Now()),
		ConnectorStatus: status,
		EVSEID:          evse,
		ConnectorID:     connector,
	}, &v201.StatusNotificationResponse{})
}

// Authorize201 sends a 2.0.1 Authorize for token and returns the hub's idTokenInfo.
func (c *Charger) Authorize201(ctx context.Context, token v201.IdToken) (v201.IdTokenInfo, error) {
	var resp v201.AuthorizeResponse
	if err := c.need201("Authorize"); err != nil {
		return resp.IDTokenInfo, err
	}
	err := c.Call(ctx, "Authorize", &v201.AuthorizeRequest{IDToken: token}, &resp)
	return resp.IDTokenInfo, err
}

// TransactionEvent sends req as it is (seqNo included) and returns the hub's answer. The
// sessions of RunSession number their events themselves; use this for hand-made events.
func (c *Charger) TransactionEvent(ctx context.Context, req *v201.TransactionEventRequest) (v201.TransactionEventResponse, error) {
	var resp v201.TransactionEventResponse
	if err := c.need201("TransactionEvent"); err != nil {
		return resp, err
	}
	err := c.Call(ctx, "TransactionEvent", req, &resp)
	return resp, err
}

// MeterValues201 sends a 2.0.1 MeterValues for evse (0 = the station's main meter) with
// one sample of Energy.Active.Import.Register (Wh) and Power.Active.Import (W).
func (c *Charger) MeterValues201(ctx context.Context, evse, energyWh, powerW int, ts time.Time, rc v201.ReadingContext) error {
	if err := c.need201("MeterValues"); err != nil {
		return err
	}
	return c.Call(ctx, "MeterValues", &v201.MeterValuesRequest{
		EVSEID:     evse,
		MeterValue: []v201.MeterValue{meterValue201(ts, rc, energyWh, powerW, true)},
	}, &v201.MeterValuesResponse{})
}

// meterValue201 is one sample: the energy register in Wh and, when withPower, the power
// in W, both as JSON numbers with their unit.
func meterValue201(ts time.Time, rc v201.ReadingContext, energyWh, powerW int, withPower bool) v201.MeterValue {
	sv := []v201.SampledValue{{
		Value:         decimalInt(energyWh),
		Context:       rc,
		Measurand:     v201.MeasurandEnergyActiveImportRegister,
		Location:      v201.LocationOutlet,
		UnitOfMeasure: &v201.UnitOfMeasure{Unit: "Wh"},
	}}
	if withPower {
		sv = append(sv, v201.SampledValue{
			Value:         decimalInt(powerW),
			Context:       rc,
			Measurand:     v201.MeasurandPowerActiveImport,
			Location:      v201.LocationOutlet,
			UnitOfMeasure: &v201.UnitOfMeasure{Unit: "W"},
		})
	}
	return v201.MeterValue{Timestamp: wire.NewDateTime(ts), SampledValue: sv}
}

// decimalInt is n as a 2.0.1 JSON number.
func decimalInt(n int) v201.Decimal {
	d, _ := v201.ParseDecimal(strconv.Itoa(n)) // a decimal integer is always a JSON number
	return d
}

// reportPartSize is the number of reportData entries per NotifyReport part.
const reportPartSize = 20

// NotifyReport sends the device model selected by base as NotifyReport parts of at most
// 20 variables, seqNo 0, 1, ... with tbc on all but the last, for requestID. It returns
// the number of parts sent.
func (c *Charger) NotifyReport(ctx context.Context, requestID int, base v201.ReportBase) (int, error) {
	if err := c.need201("NotifyReport"); err != nil {
		return 0, err
	}
	data := c.reportData(base)
	parts := 0
	for start := 0; start < len(data) || parts == 0; start += reportPartSize {
		end := min(start+reportPartSize, len(data))
		req := &v201.NotifyReportRequest{RequestID: requestID, GeneratedAt: wire.NewDateTime(time.Now()), SeqNo: parts}
		if end > start {
			req.ReportData = data[start:end]
		}
		if end < len(data) {
			tbc := true
			req.TBC = &tbc
		}
		if err := c.Call(ctx, "NotifyReport", req, &v201.NotifyReportResponse{}); err != nil {
			return parts, err
		}
		parts++
		if end >= len(data) {
			break
		}
	}
	return parts, nil
}
