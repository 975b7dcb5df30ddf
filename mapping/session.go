package mapping

import (
	"fmt"
	"strings"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// notAvailable is the value OCPI allows for an evse_uid/connector_id not known yet.
const notAvailable = "#NA"

// SessionOptions are the optional inputs of BuildSession.
type SessionOptions struct {
	// ID is the Session id; "" uses SessionID(tx).
	ID string
	// TotalCost is the cost so far; nil omits total_cost (which OCPI reads as "not known", not
	// as free). Price it with the same tariff code as the CDR so the final values agree.
	TotalCost *ocpi.Price
	// TokenRejected says the token that started the transaction was not accepted (any
	// authorization status other than Accepted); see SessionStatusOf.
	TokenRejected bool
	// States are the charging-state changes of the transaction (2.0.1 TransactionEvent
	// chargingState, or 1.6 statuses of its connector), used to tell TIME from PARKING_TIME.
	States []StateChange
	// MergeUpTo merges consecutive periods of the same kind into periods of at most this length;
	// 0 keeps one period per interval between energy readings (and state changes).
	MergeUpTo time.Duration
	// MeterID is the session's meter_id (e.g. the station's meter serial number); "" omits it.
	MeterID string
}

// SessionStatusOf returns the OCPI status of a transaction's Session:
//
//	| transaction                                                        | Session status |
//	|--------------------------------------------------------------------|----------------|
//	| Completed, token rejected or never given, and no energy delivered  | INVALID        |
//	| Completed otherwise                                                | COMPLETED      |
//	| Active, no start event seen yet (flag start_unknown)               | PENDING        |
//	| Active, no token yet (2.0.1 start before authorization)            | PENDING        |
//	| Active, token rejected (the station may still stop it)             | PENDING        |
//	| Active otherwise                                                   | ACTIVE         |
//
// A rejected token with delivered energy still gives COMPLETED: the energy was delivered, and
// whether a CDR is sent to the eMSP is the caller's decision. RESERVATION is never produced: a
// reservation Session exists before any transaction does.
func SessionStatusOf(tx charging.Transaction, tokenRejected bool) ocpi.SessionStatus {
	unauthorized := tokenRejected || tx.IDTag == ""
	if tx.Status == charging.TxCompleted {
		if unauthorized && tx.EnergyWh <= 0 {
			return ocpi.SessionStatusInvalid
		}
		return ocpi.SessionStatusCompleted
	}
	if unauthorized || tx.HasFlag(charging.FlagStartUnknown) {
		return ocpi.SessionStatusPending
	}
	return ocpi.SessionStatusActive
}

// BuildSession builds the OCPI Session of a transaction. samples are the transaction's meter
// samples (samples of other transactions are ignored); loc is the Location holding the EVSE
// (evseUID and connectorID must exist in it, or be "#NA"); token, authMethod and authRef
// (authorization_reference, "" to omit) say who started it and how; currency is the ISO 4217
// code of its costs.
//
// start_date_time is the transaction's start and end_date_time its stop (completed only), both
// truncated to whole seconds; kwh is the session energy (the domain's EnergyWh when completed; the
// metered energy so far, at least EnergyWh, while active); charging_periods as described in the
// package documentation; status from SessionStatusOf; last_updated the latest of the
// transaction's times (start, stop, receive and update times), its samples' receive times and the
// state changes. The result is validated.
func BuildSession(id Identity, tx charging.Transaction, samples []charging.MeterSample, loc ocpi.Location,
	evseUID, connectorID string, token ocpi.CdrToken, authMethod ocpi.AuthMethod, authRef string,
	currency string, opts SessionOptions) (ocpi.Session, error) {
	if tx.StartedAt.IsZero() {
		return ocpi.Session{}, inputErr("transaction %d has no start time", tx.ID)
	}
	if err := checkEVSE(&loc, evseUID, connectorID); err != nil {
		return ocpi.Session{}, fmt.Errorf("mapping: session of transaction %d: %w", tx.ID, err)
	}
	periods, energyWh, err := buildPeriods(&tx, samples, opts.States, opts.MergeUpTo)
	if err != nil {
		return ocpi.Session{}, fmt.Errorf("mapping: session of transaction %d: %w", tx.ID, err)
	}
	n := id.norm()
	s := ocpi.Session{
		CountryCode: n.CountryCode, PartyID: n.PartyID, ID: opts.ID,
		StartDateTime: ocpi.NewDateTime(sec(tx.StartedAt)), KWh: ocpi.NewDecimal(energyWh.Shift(-3)),
		CdrToken: token, AuthMethod: authMethod, AuthorizationReference: authRef,
		LocationID: loc.ID, EvseUID: evseUID, ConnectorID: connectorID, MeterID: opts.MeterID,
		Currency: strings.ToUpper(currency), ChargingPeriods: periods, Status: SessionStatusOf(tx, opts.TokenRejected),
	}
	if s.ID == "" {
		s.ID = SessionID(tx)
	}
	if tx.Status == charging.TxCompleted && tx.StoppedAt != nil {
		end := ocpi.NewDateTime(sec(*tx.StoppedAt))
		s.EndDateTime = &end
	}
	if opts.TotalCost != nil {
		c := *opts.TotalCost
		s.TotalCost = &c
	}
	s.LastUpdated = ocpi.NewDateTime(sessionUpdated(&tx, samples, opts.States))
	if err := s.Validate(); err != nil {
		return ocpi.Session{}, fmt.Errorf("mapping: session of transaction %d: %w", tx.ID, err)
	}
	return s, nil
}

// checkEVSE checks that the EVSE and connector exist in the location ("#NA" passes).
func checkEVSE(loc *ocpi.Location, evseUID, connectorID string) error {
	if evseUID == notAvailable {
		return nil
	}
	for i := range loc.EVSEs {
		e := &loc.EVSEs[i]
		if !strings.EqualFold(e.UID, evseUID) {
			continue
		}
		if connectorID == notAvailable {
			return nil
		}
		for j := range e.Connectors {
			if strings.EqualFold(e.Connectors[j].ID, connectorID) {
				return nil
			}
		}
		return inputErr("location %q EVSE %q has no connector %q", loc.ID, evseUID, connectorID)
	}
	return inputErr("location %q has no EVSE %q", loc.ID, evseUID)
}

// sessionUpdated is the latest of the transaction's, its samples' and the state changes' times.
func sessionUpdated(tx *charging.Transaction, samples []charging.MeterSample, states []StateChange) time.Time {
	t := later(later(tx.UpdatedAt, tx.StartReceivedAt), sec(tx.StartedAt))
	if tx.StoppedAt != nil {
		t = later(t, sec(*tx.StoppedAt))
	}
	if tx.StopReceivedAt != nil {
		t = later(t, *tx.StopReceivedAt)
	}
	for _, s := range samples {
		if s.TransactionID == nil || *s.TransactionID == tx.ID {
			t = later(t, orTime(s.ReceivedAt, s.Timestamp))
		}
	}
	for _, c := range states {
		t = later(t, c.At)
	}
	return t
}
