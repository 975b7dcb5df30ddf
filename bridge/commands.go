package bridge

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpp/gateway"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
)

// CommandsConfig tunes Commands. Zero fields take the defaults.
type CommandsConfig struct {
	// RemoteStartWindow is how long after a START_SESSION a transaction start of its station and
	// tag is matched to it (1.6 has no correlation id) and the tag accepted without asking the
	// eMSP (OCPI 5.6: 15 minutes). Default 15 min.
	RemoteStartWindow time.Duration
	// ResultMargin: a station call ends this long before the command expires, so that its result
	// (TIMEOUT at worst) is written before roaming.Service.ExpireCommands would. Default 5 s.
	ResultMargin time.Duration
	// StackLevel of the TxProfiles set for ChargingProfiles PUTs. Default 1.
	StackLevel int
}

func (c *CommandsConfig) fill() {
	if c.RemoteStartWindow <= 0 {
		c.RemoteStartWindow = 15 * time.Minute
	}
	if c.ResultMargin <= 0 {
		c.ResultMargin = 5 * time.Second
	}
	if c.StackLevel <= 0 {
		c.StackLevel = 1
	}
}

// CommandsDeps are the collaborators of Commands; all but Log are required.
type CommandsDeps struct {
	Stations Stations
	Charging ChargingState
	State    *store.BridgeCommands
	Clock    charging.Clock
	Log      *slog.Logger
}

// Commands carries partner commands and charging profiles to the chargers: it implements
// roaming.CommandExecutor and roaming.ChargingProfileExecutor.
//
// Each method decides synchronously (the CommandResponse): REJECTED with a reason when the
// place is not a station of the hub or the station is offline, UNKNOWN_SESSION for a session
// that is not a hub transaction, ACCEPTED otherwise. An accepted command then runs in the
// background, bounded by the command's expiry: the station's answer (or its absence) becomes
// exactly one CommandResult / ChargingProfileResult through Results. A command still running at
// Close is left to roaming.Service.ExpireCommands (TIMEOUT).
type Commands struct {
	stations Stations
	charging ChargingState
	state    *store.BridgeCommands
	clock    charging.Clock
	log      *slog.Logger
	cfg      CommandsConfig

	bg     context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	results Results // guarded by mu; set by Attach
	closed  bool    // guarded by mu
}

var (
	_ roaming.CommandExecutor         = (*Commands)(nil)
	_ roaming.ChargingProfileExecutor = (*Commands)(nil)
)

// NewCommands builds the executor; Attach the roaming service before serving.
func NewCommands(d CommandsDeps, cfg CommandsConfig) *Commands {
	cfg.fill()
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Clock == nil {
		d.Clock = charging.SystemClock{}
	}
	bg, cancel := context.WithCancel(context.Background())
	return &Commands{stations: d.Stations, charging: d.Charging, state: d.State, clock: d.Clock, log: d.Log, cfg: cfg,
		bg: bg, cancel: cancel}
}

// Attach installs where results go (the roaming service that was built with this executor).
func (c *Commands) Attach(r Results) { c.mu.Lock(); c.results = r; c.mu.Unlock() }

// Close stops the background calls and waits for them (bounded by ctx). Commands still
// pending are timed out by roaming.Service.ExpireCommands.
func (c *Commands) Close(ctx context.Context) error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.cancel()
	done := make(chan struct{})
	go func() { c.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("bridge commands: %w", ctx.Err())
	}
}

// later runs fn in the background with a context that ends ResultMargin before the command
// expires. It returns an error when the executor is closed or has no Results.
func (c *Commands) later(cmd roaming.Command, fn func(ctx context.Context, r Results)) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return errors.New("the hub is shutting down")
	}
	if c.results == nil {
		return errors.New("command results have nowhere to go (executor not attached)")
	}
	r := c.results
	deadline := cmd.ExpiresAt.Add(-c.cfg.ResultMargin)
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		ctx, cancel := context.WithDeadline(c.bg, deadline)
		defer cancel()
		fn(ctx, r)
	}()
	return nil
}

// result sends a command's result; a result the service refuses is logged.
func (c *Commands) result(r Results, cmd roaming.Command, t ocpi.CommandResultType, msg string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.bg), 10*time.Second)
	defer cancel()
	if err := r.CommandResult(ctx, cmd.ID, ocpi.CommandResult{Result: t, Message: message(msg)}); err != nil {
		if charging.ErrorCode(err) == charging.CodeConflict { // timed out by the service meanwhile
			c.log.Info("command result came too late", "command", cmd.ID, "kind", cmd.Kind, "result", t)
			return
		}
		c.log.Error("send command result", "command", cmd.ID, "kind", cmd.Kind, "result", t, "err", err)
		return
	}
	c.log.Info("command result", "command", cmd.ID, "kind", cmd.Kind, "result", t, "message", msg)
}

// callFailed sends the result of a failed station call.
func (c *Commands) callFailed(r Results, cmd roaming.Command, stationID string, err error) {
	c.result(r, cmd, resultOfError(err), fmt.Sprintf("charging station %s: %v", stationID, err))
}

// connected returns the station's connection or the reason to refuse the command.
func (c *Commands) connected(stationID string) (gateway.Connection, error) {
	conn, ok := c.stations.Connection(stationID)
	if !ok {
		return conn, fmt.Errorf("charging station %s is offline", stationID)
	}
	return conn, nil
}

// evseState says why an EVSE cannot start a session now ("" when it can): EVSE_OCCUPIED with
// a running transaction or a connector in a charging state, EVSE_INOPERATIVE when a connector
// (or the whole station) is Faulted or Unavailable. Preparing/Occupied (a cable plugged in)
// does not refuse a remote start.
func (c *Commands) evseState(ctx context.Context, stationID string, evseID int) (ocpi.CommandResultType, error) {
	if evseID <= 0 {
		return "", nil
	}
	active, err := c.charging.ActiveTransactions(ctx, stationID, evseID)
	if err != nil {
		return "", err
	}
	if len(active) > 0 {
		return ocpi.CommandResultEVSEOccupied, nil
	}
	conns, err := c.charging.ListConnectors(ctx, stationID)
	if err != nil {
		return "", err
	}
	for _, k := range conns {
		if k.EVSEID != evseID && k.EVSEID != 0 {
			continue
		}
		switch k.Status {
		case charging.StatusFaulted, charging.StatusUnavailable:
			return ocpi.CommandResultEVSEInoperative, nil
		case charging.StatusCharging, charging.StatusSuspendedEV, charging.StatusSuspendedEVSE, charging.StatusFinishing:
			if k.EVSEID == evseID {
				return ocpi.CommandResultEVSEOccupied, nil
			}
		}
	}
	return "", nil
}

// StartSession sends a remote start (roaming.CommandExecutor). The pending start keeps the
// command's token, authorization_reference and partner until the transaction it starts is
// linked to it (RemoteStartOf).
func (c *Commands) StartSession(ctx context.Context, req roaming.CommandRequest, cmd ocpi.StartSession) (ocpi.CommandResponseType, error) {
	pl, err := resolvePlace(req.Location, cmd.EvseUID, cmd.ConnectorID)
	if err != nil {
		return ocpi.CommandResponseRejected, err
	}
	conn, err := c.connected(pl.StationID)
	if err != nil {
		return ocpi.CommandResponseRejected, err
	}
	busy, err := c.evseState(ctx, pl.StationID, pl.EVSEID)
	if err != nil {
		return "", err
	}
	if busy != "" {
		return ocpi.CommandResponseAccepted, c.later(req.Command, func(_ context.Context, r Results) {
			c.result(r, req.Command, busy, fmt.Sprintf("EVSE %s cannot start a session now", cmd.EvseUID))
		})
	}
	tok, tag, err := stationToken(ctx, c.state, cmd.Token, conn.Protocol)
	if err != nil {
		return "", err
	}
	now := c.clock.Now()
	rs := store.RemoteStart{CommandID: req.Command.ID, PartnerID: req.Command.PartnerID, From: req.Command.From,
		StationID: pl.StationID, EVSEID: pl.EVSEID, IDTag: tag, Token: cmd.Token, AuthorizationReference: cmd.AuthorizationReference,
		Status: store.RemoteStartPending, CreatedAt: now, ExpiresAt: now.Add(c.cfg.RemoteStartWindow)}
	if err := c.state.CreateRemoteStart(ctx, &rs); err != nil {
		return "", err
	}
	return ocpi.CommandResponseAccepted, c.later(req.Command, func(ctx context.Context, r Results) {
		res, err := c.stations.RemoteStart(ctx, pl.StationID, gateway.RemoteStart{EVSEID: pl.EVSEID, Token: tok, RemoteStartID: int(rs.ID)})
		status := store.RemoteStartAccepted
		switch {
		case err != nil && resultOfError(err) == ocpi.CommandResultTimeout:
			status = store.RemoteStartTimeout
		case err != nil:
			status = store.RemoteStartFailed
		case res.Outcome != gateway.OutcomeAccepted:
			status = store.RemoteStartRejected
		}
		if serr := c.state.SetRemoteStartStatus(context.WithoutCancel(ctx), rs.ID, status, res.TransactionID); serr != nil {
			c.log.Error("record remote start answer", "command", req.Command.ID, "err", serr)
		}
		switch {
		case err != nil:
			c.callFailed(r, req.Command, pl.StationID, err)
		case res.Outcome == gateway.OutcomeAccepted:
			c.result(r, req.Command, ocpi.CommandResultAccepted, "")
		default:
			c.result(r, req.Command, ocpi.CommandResultRejected, "the charging station refused the remote start")
		}
	})
}

// StopSession sends a remote stop of the session's transaction (roaming.CommandExecutor).
func (c *Commands) StopSession(ctx context.Context, req roaming.CommandRequest, cmd ocpi.StopSession) (ocpi.CommandResponseType, error) {
	tx, ok, err := sessionTransaction(ctx, c.charging, req.Session)
	if err != nil {
		return "", err
	}
	if !ok {
		return ocpi.CommandResponseUnknownSession, nil
	}
	if tx.Status != charging.TxActive {
		return ocpi.CommandResponseRejected, fmt.Errorf("session %s has ended", cmd.SessionID)
	}
	if _, err := c.connected(tx.StationID); err != nil {
		return ocpi.CommandResponseRejected, err
	}
	return ocpi.CommandResponseAccepted, c.later(req.Command, func(ctx context.Context, r Results) {
		out, err := c.stations.RemoteStop(ctx, tx.StationID, tx)
		switch {
		case err != nil:
			c.callFailed(r, req.Command, tx.StationID, err)
		case out == gateway.OutcomeAccepted:
			c.result(r, req.Command, ocpi.CommandResultAccepted, "")
		default:
			c.result(r, req.Command, ocpi.CommandResultRejected, "the charging station refused the remote stop")
		}
	})
}

// ReserveNow sends ReserveNow with an integer reservation id mapped from the partner's
// reservation_id; the same reservation_id again replaces the reservation (same OCPP id).
func (c *Commands) ReserveNow(ctx context.Context, req roaming.CommandRequest, cmd ocpi.ReserveNow) (ocpi.CommandResponseType, error) {
	pl, err := resolvePlace(req.Location, cmd.EvseUID, "")
	if err != nil {
		return ocpi.CommandResponseRejected, err
	}
	conn, err := c.connected(pl.StationID)
	if err != nil {
		return ocpi.CommandResponseRejected, err
	}
	tok, tag, err := stationToken(ctx, c.state, cmd.Token, conn.Protocol)
	if err != nil {
		return "", err
	}
	prev, perr := c.state.GetReservation(ctx, req.Command.PartnerID, cmd.ReservationID)
	if perr != nil && !charging.IsNotFound(perr) {
		return "", perr
	}
	res := store.Reservation{PartnerID: req.Command.PartnerID, Key: cmd.ReservationID, LocationID: cmd.LocationID,
		StationID: pl.StationID, EVSEID: pl.EVSEID, CommandID: req.Command.ID, IDTag: tag, Status: store.ReservationPending,
		ExpiresAt: cmd.ExpiryDate.Time}
	if _, err := c.state.PutReservation(ctx, &res); err != nil {
		return "", err
	}
	moved := perr == nil && prev.StationID != pl.StationID
	return ocpi.CommandResponseAccepted, c.later(req.Command, func(ctx context.Context, r Results) {
		if moved { // the replaced reservation was on another station: free it there
			if _, err := c.stations.CancelReservation(ctx, prev.StationID, int(prev.ID)); err != nil {
				c.log.Warn("cancel a replaced reservation", "station", prev.StationID, "reservation", prev.ID, "err", err)
			}
		}
		out, err := c.stations.ReserveNow(ctx, pl.StationID, gateway.Reservation{ID: int(res.ID), EVSEID: pl.EVSEID,
			Expiry: cmd.ExpiryDate.Time, Token: tok})
		status := store.ReservationRefused
		if err == nil && out == gateway.OutcomeAccepted {
			status = store.ReservationActive
		}
		if serr := c.state.SetReservationStatus(context.WithoutCancel(ctx), res.ID, status); serr != nil {
			c.log.Error("record reservation answer", "command", req.Command.ID, "err", serr)
		}
		switch {
		case err != nil:
			c.callFailed(r, req.Command, pl.StationID, err)
		case out == gateway.OutcomeAccepted:
			c.result(r, req.Command, ocpi.CommandResultAccepted, "")
		case out == gateway.OutcomeOccupied:
			c.result(r, req.Command, ocpi.CommandResultEVSEOccupied, "")
		case out == gateway.OutcomeFaulted, out == gateway.OutcomeUnavailable:
			c.result(r, req.Command, ocpi.CommandResultEVSEInoperative, "the EVSE is "+string(out))
		default:
			c.result(r, req.Command, ocpi.CommandResultRejected, "")
		}
	})
}

// CancelReservation cancels the station reservation mapped from the partner's reservation_id;
// an unknown one (or one the station does not know) is UNKNOWN_RESERVATION.
func (c *Commands) CancelReservation(ctx context.Context, req roaming.CommandRequest, cmd ocpi.CancelReservation) (ocpi.CommandResponseType, error) {
	res, err := c.state.GetReservation(ctx, req.Command.PartnerID, cmd.ReservationID)
	if charging.IsNotFound(err) {
		return ocpi.CommandResponseAccepted, c.later(req.Command, func(_ context.Context, r Results) {
			c.result(r, req.Command, ocpi.CommandResultUnknownReservation, "")
		})
	}
	if err != nil {
		return "", err
	}
	if _, err := c.connected(res.StationID); err != nil {
		return ocpi.CommandResponseRejected, err
	}
	return ocpi.CommandResponseAccepted, c.later(req.Command, func(ctx context.Context, r Results) {
		out, err := c.stations.CancelReservation(ctx, res.StationID, int(res.ID))
		switch {
		case err != nil:
			c.callFailed(r, req.Command, res.StationID, err)
		case out == gateway.OutcomeAccepted:
			if serr := c.state.SetReservationStatus(context.WithoutCancel(ctx), res.ID, store.ReservationCancelled); serr != nil {
				c.log.Error("record reservation cancel", "command", req.Command.ID, "err", serr)
			}
			c.result(r, req.Command, ocpi.CommandResultAccepted, "")
		default:
			c.result(r, req.Command, ocpi.CommandResultUnknownReservation, "the charging station does not know the reservation")
		}
	})
}

// UnlockConnector sends UnlockConnector (roaming.CommandExecutor).
func (c *Commands) UnlockConnector(ctx context.Context, req roaming.CommandRequest, cmd ocpi.UnlockConnector) (ocpi.CommandResponseType, error) {
	pl, err := resolvePlace(req.Location, cmd.EvseUID, cmd.ConnectorID)
	if err != nil {
		return ocpi.CommandResponseRejected, err
	}
	if _, err := c.connected(pl.StationID); err != nil {
		return ocpi.CommandResponseRejected, err
	}
	return ocpi.CommandResponseAccepted, c.later(req.Command, func(ctx context.Context, r Results) {
		out, err := c.stations.UnlockConnector(ctx, pl.StationID, pl.EVSEID, max(pl.ConnectorID, 1))
		switch {
		case err != nil:
			c.callFailed(r, req.Command, pl.StationID, err)
		case out == gateway.OutcomeAccepted:
			c.result(r, req.Command, ocpi.CommandResultAccepted, "")
		case out == gateway.OutcomeNotSupported:
			c.result(r, req.Command, ocpi.CommandResultNotSupported, "")
		case out == gateway.OutcomeOngoingTransaction:
			c.result(r, req.Command, ocpi.CommandResultRejected, "a transaction is ongoing on the connector")
		default: // UnlockFailed, UnknownConnector
			c.result(r, req.Command, ocpi.CommandResultFailed, "the charging station answered "+string(out))
		}
	})
}
