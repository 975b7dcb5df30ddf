package gateway

import (
	"context"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpp/v16"
	"github.com/chargehub/hub/ocpp/v201"
	"github.com/chargehub/hub/ocpp/wire"
)

// IDTagMax16 is the length limit of an OCPP 1.6 idTag (CiString20Type).
const IDTagMax16 = 20

// Outcome is a station's answer to a command, the same for both protocols. Each operation
// documents which outcomes it returns.
type Outcome string

// Outcomes. The 1.6 and 2.0.1 status values map onto them; "Unlocked" is OutcomeAccepted.
const (
	OutcomeAccepted           Outcome = "Accepted"
	OutcomeRejected           Outcome = "Rejected"
	OutcomeOccupied           Outcome = "Occupied"           // ReserveNow
	OutcomeFaulted            Outcome = "Faulted"            // ReserveNow
	OutcomeUnavailable        Outcome = "Unavailable"        // ReserveNow
	OutcomeFailed             Outcome = "Failed"             // UnlockConnector (UnlockFailed), SendLocalList
	OutcomeNotSupported       Outcome = "NotSupported"       // 1.6 UnlockConnector, SetChargingProfile, SendLocalList
	OutcomeOngoingTransaction Outcome = "OngoingTransaction" // 2.0.1 UnlockConnector OngoingAuthorizedTransaction
	OutcomeUnknownConnector   Outcome = "UnknownConnector"   // 2.0.1 UnlockConnector
	OutcomeUnknown            Outcome = "Unknown"            // ClearChargingProfile: no profile matched
	OutcomeVersionMismatch    Outcome = "VersionMismatch"    // SendLocalList
)

// Connection describes a station's live connection: its protocol and the server's
// generation number of the socket (it changes on every reconnect).
type Connection struct {
	Protocol   charging.Protocol
	Generation uint64
}

// Connection reports whether a station is connected, and how.
func (g *Gateway) Connection(stationID string) (Connection, bool) {
	p, gen, ok := g.srv.ConnectionOf(stationID)
	if !ok {
		return Connection{}, false
	}
	return Connection{Protocol: p, Generation: gen}, true
}

// protocol returns the protocol of a connected station; CodeUnavailable when it is not.
func (g *Gateway) protocol(stationID string) (charging.Protocol, error) {
	p, _, ok := g.srv.ConnectionOf(stationID)
	if !ok {
		return "", charging.Errorf(charging.CodeUnavailable, "station %s is not connected", stationID)
	}
	if p != charging.OCPP16 && p != charging.OCPP201 {
		return "", charging.Errorf(charging.CodeNotSupported, "protocol %s", p)
	}
	return p, nil
}

// Token is an identifier sent to a station with a command: the 2.0.1 idToken (at most 36
// characters) and its IdTokenEnumType, and the 1.6 idTag. A token longer than 20 characters
// needs Tag16, a short alias the caller keeps a mapping for: it is never truncated.
type Token struct {
	ID    string // the 2.0.1 idToken; also the 1.6 idTag when Tag16 is empty
	Type  string // 2.0.1 IdTokenEnumType; "" = Central
	Tag16 string // the 1.6 idTag standing for ID (ID itself when empty)
	Group string // 1.6 parentIdTag / 2.0.1 groupIdToken (sent only when it fits 20 characters / 36 for 2.0.1)
}

// tag16 returns the 1.6 idTag of t; CodeInvalid when it does not fit.
func (t Token) tag16() (string, error) {
	tag := t.Tag16
	if tag == "" {
		tag = t.ID
	}
	if n := len([]rune(tag)); n == 0 || n > IDTagMax16 {
		return "", charging.Errorf(charging.CodeInvalid, "idTag %q has %d characters, 1.6 allows 1 to %d: map it to an alias", tag, n, IDTagMax16)
	}
	return tag, nil
}

// idToken201 returns the 2.0.1 IdToken of t.
func (t Token) idToken201() v201.IdToken {
	typ := v201.IdTokenEnumType(t.Type)
	if typ == "" {
		typ = v201.IdTokenEnumTypeCentral
	}
	return v201.IdToken{IDToken: t.ID, Type: typ}
}

// group201 returns the 2.0.1 groupIdToken of t, if any.
func (t Token) group201() *v201.IdToken {
	if t.Group == "" || len([]rune(t.Group)) > 36 {
		return nil
	}
	return &v201.IdToken{IDToken: t.Group, Type: v201.IdTokenEnumTypeCentral}
}

// group16 returns the 1.6 parentIdTag of t, "" when none fits.
func (t Token) group16() string {
	if len([]rune(t.Group)) > IDTagMax16 {
		return ""
	}
	return t.Group
}

// RemoteStart asks a station to start a transaction.
type RemoteStart struct {
	EVSEID        int // 0 = the station chooses; a 1.6 EVSE number is its connectorId
	Token         Token
	RemoteStartID int // 2.0.1 remoteStartId, allocated by the caller; echoed in TransactionEvents
}

// RemoteStartResult is the station's answer: OutcomeAccepted or OutcomeRejected, and (2.0.1)
// the id of a transaction that was already running on the EVSE.
type RemoteStartResult struct {
	Outcome       Outcome
	TransactionID string
}

// RemoteStart sends 1.6 RemoteStartTransaction (connectorId, idTag ≤ 20) or 2.0.1
// RequestStartTransaction (evseId, idToken, remoteStartId).
func (g *Gateway) RemoteStart(ctx context.Context, stationID string, r RemoteStart) (RemoteStartResult, error) {
	p, err := g.protocol(stationID)
	if err != nil {
		return RemoteStartResult{}, err
	}
	if p == charging.OCPP16 {
		tag, err := r.Token.tag16()
		if err != nil {
			return RemoteStartResult{}, err
		}
		req := &v16.RemoteStartTransactionRequest{IDTag: tag, ConnectorID: positive(r.EVSEID)}
		var resp v16.RemoteStartTransactionResponse
		if err := g.call(ctx, stationID, "RemoteStartTransaction", req, &resp); err != nil {
			return RemoteStartResult{}, err
		}
		return RemoteStartResult{Outcome: startStop(string(resp.Status))}, nil
	}
	req := &v201.RequestStartTransactionRequest{EVSEID: positive(r.EVSEID), IDToken: r.Token.idToken201(),
		GroupIDToken: r.Token.group201(), RemoteStartID: r.RemoteStartID}
	var resp v201.RequestStartTransactionResponse
	if err := g.call(ctx, stationID, "RequestStartTransaction", req, &resp); err != nil {
		return RemoteStartResult{}, err
	}
	return RemoteStartResult{Outcome: startStop(string(resp.Status)), TransactionID: resp.TransactionID}, nil
}

// RemoteStop asks a station to stop a transaction: 1.6 RemoteStopTransaction with the hub's
// transaction id, 2.0.1 RequestStopTransaction with the station's own id. OutcomeAccepted or
// OutcomeRejected.
func (g *Gateway) RemoteStop(ctx context.Context, stationID string, tx charging.Transaction) (Outcome, error) {
	p, err := g.protocol(stationID)
	if err != nil {
		return "", err
	}
	if p == charging.OCPP16 {
		if tx.ID <= 0 || tx.ID > 1<<31-1 {
			return "", charging.Errorf(charging.CodeInvalid, "transaction %d has no 1.6 transaction id", tx.ID)
		}
		var resp v16.RemoteStopTransactionResponse
		if err := g.call(ctx, stationID, "RemoteStopTransaction", &v16.RemoteStopTransactionRequest{TransactionID: int(tx.ID)}, &resp); err != nil {
			return "", err
		}
		return startStop(string(resp.Status)), nil
	}
	if tx.StationTxID == "" {
		return "", charging.Errorf(charging.CodeInvalid, "transaction %d has no 2.0.1 transaction id", tx.ID)
	}
	var resp v201.RequestStopTransactionResponse
	if err := g.call(ctx, stationID, "RequestStopTransaction", &v201.RequestStopTransactionRequest{TransactionID: tx.StationTxID}, &resp); err != nil {
		return "", err
	}
	return startStop(string(resp.Status)), nil
}

// Reservation asks a station to keep an EVSE for a token until Expiry.
type Reservation struct {
	ID     int // the integer reservation id (the caller maps partners' string ids to it)
	EVSEID int // 0 = any EVSE (1.6 connectorId 0, which needs ReserveConnectorZeroSupported)
	Expiry time.Time
	Token  Token
}

// ReserveNow sends ReserveNow in the station's protocol. Outcomes: Accepted, Faulted,
// Occupied, Rejected, Unavailable.
func (g *Gateway) ReserveNow(ctx context.Context, stationID string, r Reservation) (Outcome, error) {
	p, err := g.protocol(stationID)
	if err != nil {
		return "", err
	}
	if p == charging.OCPP16 {
		tag, err := r.Token.tag16()
		if err != nil {
			return "", err
		}
		req := &v16.ReserveNowRequest{ConnectorID: max(r.EVSEID, 0), ExpiryDate: wire.NewDateTime(r.Expiry), IDTag: tag,
			ParentIDTag: r.Token.group16(), ReservationID: r.ID}
		var resp v16.ReserveNowResponse
		if err := g.call(ctx, stationID, "ReserveNow", req, &resp); err != nil {
			return "", err
		}
		return Outcome(resp.Status), nil
	}
	req := &v201.ReserveNowRequest{ID: r.ID, ExpiryDateTime: wire.NewDateTime(r.Expiry), IDToken: r.Token.idToken201(),
		EVSEID: positive(r.EVSEID), GroupIDToken: r.Token.group201()}
	var resp v201.ReserveNowResponse
	if err := g.call(ctx, stationID, "ReserveNow", req, &resp); err != nil {
		return "", err
	}
	return Outcome(resp.Status), nil
}

// CancelReservation sends CancelReservation. OutcomeAccepted or OutcomeRejected (no such
// reservation).
func (g *Gateway) CancelReservation(ctx context.Context, stationID string, reservationID int) (Outcome, error) {
	p, err := g.protocol(stationID)
	if err != nil {
		return "", err
	}
	if p == charging.OCPP16 {
		var resp v16.CancelReservationResponse
		if err := g.call(ctx, stationID, "CancelReservation", &v16.CancelReservationRequest{ReservationID: reservationID}, &resp); err != nil {
			return "", err
		}
		return Outcome(resp.Status), nil
	}
	var resp v201.CancelReservationResponse
	if err := g.call(ctx, stationID, "CancelReservation", &v201.CancelReservationRequest{ReservationID: reservationID}, &resp); err != nil {
		return "", err
	}
	return Outcome(resp.Status), nil
}

// UnlockConnector sends UnlockConnector: 1.6 with connectorId = the EVSE number (a 1.6
// connector is an EVSE), 2.0.1 with evseId and connectorId. Outcomes: Accepted (Unlocked),
// Failed (UnlockFailed), NotSupported (1.6), OngoingTransaction and UnknownConnector (2.0.1).
func (g *Gateway) UnlockConnector(ctx context.Context, stationID string, evseID, connectorID int) (Outcome, error) {
	p, err := g.protocol(stationID)
	if err != nil {
		return "", err
	}
	var status string
	if p == charging.OCPP16 {
		var resp v16.UnlockConnectorResponse
		if err := g.call(ctx, stationID, "UnlockConnector", &v16.UnlockConnectorRequest{ConnectorID: evseID}, &resp); err != nil {
			return "", err
		}
		status = string(resp.Status)
	} else {
		var resp v201.UnlockConnectorResponse
		req := &v201.UnlockConnectorRequest{EVSEID: evseID, ConnectorID: max(connectorID, 1)}
		if err := g.call(ctx, stationID, "UnlockConnector", req, &resp); err != nil {
			return "", err
		}
		status = string(resp.Status)
	}
	switch status {
	case "Unlocked":
		return OutcomeAccepted, nil
	case "UnlockFailed":
		return OutcomeFailed, nil
	case "OngoingAuthorizedTransaction":
		return OutcomeOngoingTransaction, nil
	default: // NotSupported, UnknownConnector
		return Outcome(status), nil
	}
}

// startStop maps RemoteStartStopStatus / RequestStartStopStatus.
func startStop(s string) Outcome {
	if s == "Accepted" {
		return OutcomeAccepted
	}
	return OutcomeRejected
}

// positive returns &n for n > 0, else nil.
func positive(n int) *int {
	if n <= 0 {
		return nil
	}
	return &n
}
