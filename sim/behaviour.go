package sim

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	v16 "github.com/chargehub/hub/ocpp/v16"
	"github.com/chargehub/hub/ocpp/wire"
)

// Identity the simulated stations report in BootNotification.
const (
	Vendor   = "ChargeHubSim"
	Model    = "Sim-1"
	Firmware = "sim-1.0"
)

// simPowerW is the charging power the simulated EV draws, in W.
const simPowerW = 11_000

// Boot sends BootNotification (vendor "ChargeHubSim", model "Sim-1", the serial number)
// and returns the hub's answer. 1.6 only (see Boot201).
func (c *Charger) Boot(ctx context.Context) (v16.BootNotificationResponse, error) {
	var resp v16.BootNotificationResponse
	if err := c.need16("BootNotification"); err != nil {
		return resp, err
	}
	err := c.Call(ctx, "BootNotification", &v16.BootNotificationRequest{
		ChargePointVendor:       Vendor,
		ChargePointModel:        Model,
		ChargePointSerialNumber: c.opts.SerialNumber,
		FirmwareVersion:         Firmware,
	}, &resp)
	if err == nil {
		c.lastHB.Store(time.Now().UnixNano())
	}
	return resp, err
}

// Heartbeat sends Heartbeat and returns the hub's currentTime (either protocol).
func (c *Charger) Heartbeat(ctx context.Context) (time.Time, error) {
	if c.v2 != nil {
		return c.heartbeat201(ctx)
	}
	var resp v16.HeartbeatResponse
	err := c.Call(ctx, "Heartbeat", &v16.HeartbeatRequest{}, &resp)
	c.lastHB.Store(time.Now().UnixNano())
	return resp.CurrentTime.Time, err
}

// Status sends StatusNotification for connector (0 = the station) with errorCode NoError.
// 1.6 only (see Status201).
func (c *Charger) Status(ctx context.Context, connector int, status v16.ChargePointStatus) error {
	if err := c.need16("StatusNotification"); err != nil {
		return err
	}
	if connector >= 0 && connector < len(c.state.conns) {
		c.state.mu.Lock()
		c.state.conns[connector].status = status
		c.state.mu.Unlock()
	}
	ts := wire.NewDateTime(time.Now())
	return c.Call(ctx, "StatusNotification", &v16.StatusNotificationRequest{
		ConnectorID: connector,
		ErrorCode:   v16.ChargePointErrorCodeNoError,
		Status:      status,
		Timestamp:   &ts,
	}, &v16.StatusNotificationResponse{})
}

// Authorize sends Authorize for tag and returns the hub's idTagInfo. 1.6 only (see
// Authorize201).
func (c *Charger) Authorize(ctx context.Context, tag string) (v16.IdTagInfo, error) {
	var resp v16.AuthorizeResponse
	if err := c.need16("Authorize"); err != nil {
		return resp.IDTagInfo, err
	}
	err := c.Call(ctx, "Authorize", &v16.AuthorizeRequest{IDTag: tag}, &resp)
	return resp.IDTagInfo, err
}

// StartTransaction sends StartTransaction and returns the transaction id the hub
// assigned and the tag's authorization status. 1.6 only (see TransactionEvent).
func (c *Charger) StartTransaction(ctx context.Context, connector int, tag string, meterStartWh int, ts time.Time) (int, v16.AuthorizationStatus, error) {
	var resp v16.StartTransactionResponse
	if err := c.need16("StartTransaction"); err != nil {
		return 0, "", err
	}
	err := c.Call(ctx, "StartTransaction", &v16.StartTransactionRequest{
		ConnectorID: connector,
		IDTag:       tag,
		MeterStart:  meterStartWh,
		Timestamp:   wire.NewDateTime(ts),
	}, &resp)
	return resp.TransactionID, resp.IDTagInfo.Status, err
}

// MeterValues sends one periodic sample: Energy.Active.Import.Register (Wh) and
// Power.Active.Import (W). txID 0 sends no transactionId. 1.6 only (see MeterValues201).
func (c *Charger) MeterValues(ctx context.Context, connector, txID, energyWh, powerW int, ts time.Time) error {
	if err := c.need16("MeterValues"); err != nil {
		return err
	}
	return c.meterValues(ctx, connector, txID, energyWh, powerW, ts, v16.ReadingContextSamplePeriodic)
}

func (c *Charger) meterValues(ctx context.Context, connector, txID, energyWh, powerW int, ts time.Time, rc v16.ReadingContext) error {
	req := &v16.MeterValuesRequest{
		ConnectorID: connector,
		MeterValue: []v16.MeterValue{{
			Timestamp: wire.NewDateTime(ts),
			SampledValue: []v16.SampledValue{
				{Value: strconv.Itoa(energyWh), Context: rc, Measurand: v16.MeasurandEnergyActiveImportRegister, Location: v16.LocationOutlet, Unit: v16.UnitOfMeasureWh},
				{Value: strconv.Itoa(powerW), Context: rc, Measurand: v16.MeasurandPowerActiveImport, Location: v16.LocationOutlet, Unit: v16.UnitOfMeasureW},
			},
		}},
	}
	if txID != 0 {
		req.TransactionID = &txID
	}
	return c.Call(ctx, "MeterValues", req, &v16.MeterValuesResponse{})
}

// StopTransaction sends StopTransaction with a Transaction.End register sample in
// transactionData. tag "" omits idTag, reason "" omits the reason (Local by default).
// 1.6 only (see TransactionEvent).
func (c *Charger) StopTransaction(ctx context.Context, txID int, tag string, meterStopWh int, ts time.Time, reason v16.Reason) (v16.StopTransactionResponse, error) {
	var resp v16.StopTransactionResponse
	if err := c.need16("StopTransaction"); err != nil {
		return resp, err
	}
	err := c.Call(ctx, "StopTransaction", &v16.StopTransactionRequest{
		IDTag:         tag,
		MeterStop:     meterStopWh,
		Timestamp:     wire.NewDateTime(ts),
		TransactionID: txID,
		Reason:        reason,
		TransactionData: []v16.MeterValue{{
			Timestamp: wire.NewDateTime(ts),
			SampledValue: []v16.SampledValue{{
				Value:     strconv.Itoa(meterStopWh),
				Context:   v16.ReadingContextTransactionEnd,
				Measurand: v16.MeasurandEnergyActiveImportRegister,
				Location:  v16.LocationOutlet,
				Unit:      v16.UnitOfMeasureWh,
			}},
		}},
	}, &resp)
	return resp, err
}

// SessionResult is the outcome of one charging session. On a 2.0.1 charger Connector is
// the EVSE, TransactionID stays 0 (StationTxID is the station's UUID), TagStatus is the
// 2.0.1 AuthorizationStatus and StopReason the 2.0.1 stoppedReason, as the same strings.
type SessionResult struct {
	Connector     int
	TransactionID int                     // 1.6: 0 when StartTransaction was not answered
	StationTxID   string                  // the transaction id as on the wire: 1.6 decimal id, 2.0.1 UUID; "" before the start
	TagStatus     v16.AuthorizationStatus // from StartTransaction (or Authorize when refused there)
	MeterStartWh  int
	MeterStopWh   int
	EnergyWh      int // MeterStopWh - MeterStartWh once StopTransaction was answered
	MeterValues   int // MeterValues messages answered
	StopReason    v16.Reason
	Started       bool // StartTransaction answered
	Completed     bool // StopTransaction answered
	Errors        []error
}

// Err joins the session's errors (nil when it ran cleanly).
func (r SessionResult) Err() error { return errors.Join(r.Errors...) }

// RunSession runs one charging session on connector (0 = the first free one): Authorize
// → StatusNotification Preparing → StartTransaction → Charging → meterValues periodic
// MeterValues interval apart with a rising register → StopTransaction (reason Local, or
// Remote after RemoteStopTransaction) → Finishing → Available. Answers that are
// CALLERRORs, schema violations or timeouts are collected in Errors and the session goes
// on where it can; a closed socket or an ended context stops it.
//
// On a 2.0.1 charger connector is the EVSE and the session is Authorize →
// StatusNotification Occupied → TransactionEvent Started → Updated × meterValues →
// Ended → StatusNotification Available (see runSession201).
func (c *Charger) RunSession(ctx context.Context, connector int, tag string, meterValues int, interval time.Duration) SessionResult {
	if c.v2 != nil {
		return c.runSession201Claim(ctx, connector, tag, meterValues, interval)
	}
	conn, err := c.state.claim(connector)
	if err != nil {
		return SessionResult{Connector: connector, Errors: []error{fmt.Errorf("sim: %s: %w", c.id, err)}}
	}
	return c.runSession(ctx, conn, tag, meterValues, interval, true)
}

// runSession runs a session on a connector already claimed; it releases it.
func (c *Charger) runSession(ctx context.Context, connector int, tag string, meterValues int, interval time.Duration, authorize bool) SessionResult {
	defer c.state.release(connector)
	res := SessionResult{Connector: connector}
	c.state.mu.Lock()
	stop := c.state.conns[connector].stop
	res.MeterStartWh = c.state.conns[connector].register
	c.state.mu.Unlock()
	// fatal records err and reports whether the session must end.
	fatal := func(what string, err error) bool {
		if err == nil {
			return false
		}
		res.Errors = append(res.Errors, fmt.Errorf("%s: %w", what, err))
		return !isTransient(err)
	}
	if authorize {
		info, err := c.Authorize(ctx, tag)
		if err != nil {
			fatal("Authorize", err)
			return res
		}
		if info.Status != v16.AuthorizationStatusAccepted {
			res.TagStatus = info.Status
			res.Errors = append(res.Errors, fmt.Errorf("Authorize: idTag %s is %s", tag, info.Status))
			return res
		}
	}
	if fatal("StatusNotification Preparing", c.Status(ctx, connector, v16.ChargePointStatusPreparing)) {
		return res
	}
	txID, status, err := c.StartTransaction(ctx, connector, tag, res.MeterStartWh, time.Now())
	res.TagStatus = status
	if err != nil {
		fatal("StartTransaction", err)
		c.Status(ctx, connector, v16.ChargePointStatusAvailable)
		return res
	}
	res.Started, res.TransactionID, res.StationTxID = true, txID, strconv.Itoa(txID)
	c.stats.sessionsStarted.Add(1)
	c.state.mu.Lock()
	c.state.conns[connector].txID = txID
	c.state.mu.Unlock()

	reason := v16.ReasonLocal
	register := res.MeterStartWh
	if status != v16.AuthorizationStatusAccepted {
		reason = v16.ReasonDeAuthorized
		res.Errors = append(res.Errors, fmt.Errorf("StartTransaction: idTag %s is %s", tag, status))
	} else {
		if fatal("StatusNotification Charging", c.Status(ctx, connector, v16.ChargePointStatusCharging)) {
			return res
		}
		step := simPowerW * int(interval.Milliseconds()) / 3_600_000
		if step < 1 {
			step = 1
		}
		for i := 0; i < meterValues; i++ {
			if err := c.sleep(ctx, interval, stop); err != nil {
				fatal("waiting for the next meter value", err)
				return res
			}
			if r := c.stopReason(connector); r != "" {
				reason = r
				break
			}
			register += step
			c.setRegister(connector, register)
			if fatal("MeterValues", c.MeterValues(ctx, connector, txID, register, simPowerW, time.Now())) {
				return res
			}
			res.MeterValues++
		}
		if r := c.stopReason(connector); r != "" {
			reason = r
		}
	}
	res.MeterStopWh, res.StopReason = register, reason
	if _, err := c.StopTransaction(ctx, txID, tag, register, time.Now(), reason); err != nil {
		if fatal("StopTransaction", err) {
			return res
		}
	} else {
		res.Completed = true
		res.EnergyWh = register - res.MeterStartWh
		c.stats.sessionsCompleted.Add(1)
		c.stats.energyWh.Add(int64(res.EnergyWh))
	}
	c.state.mu.Lock()
	c.state.conns[connector].txID = 0
	c.state.mu.Unlock()
	if fatal("StatusNotification Finishing", c.Status(ctx, connector, v16.ChargePointStatusFinishing)) {
		return res
	}
	fatal("StatusNotification Available", c.Status(ctx, connector, v16.ChargePointStatusAvailable))
	return res
}

func (c *Charger) stopReason(connector int) v16.Reason {
	c.state.mu.Lock()
	defer c.state.mu.Unlock()
	return c.state.conns[connector].reason
}

func (c *Charger) setRegister(connector, wh int) {
	c.state.mu.Lock()
	c.state.conns[connector].register = wh
	c.state.mu.Unlock()
}
