package roaming

import (
	"encoding/json"
	"time"

	"github.com/chargehub/hub/ocpi"
)

// OutboxStatus is the delivery state of an outbox item.
type OutboxStatus string

// Outbox states.
const (
	OutboxPending   OutboxStatus = "pending"   // waiting for (another) delivery attempt
	OutboxDelivered OutboxStatus = "delivered" // the partner accepted it
	OutboxFailed    OutboxStatus = "failed"    // given up: needs an operator
)

// Valid reports whether s is one of the defined states.
func (s OutboxStatus) Valid() bool {
	return s == OutboxPending || s == OutboxDelivered || s == OutboxFailed
}

// OutboxItem is one push to one partner, written in the transaction of the change that caused
// it and delivered in id order per (PartnerID, ObjectKey).
type OutboxItem struct {
	ID        int64
	PartnerID int64
	// ObjectKey orders deliveries: "locations/LOC1" (the location and its EVSEs/connectors),
	// "sessions/S1", "cdrs/C1", "tariffs/T1", "commands/<id>".
	ObjectKey string
	Module    ocpi.ModuleID // the partner's RECEIVER endpoint of this module is the base URL ...
	Path      string        // ... and Path ("/IN/HUB/LOC1/EVSE1") is appended to it
	URL       string        // absolute target (command results: the response_url); wins over Module+Path
	Method    string        // PUT, PATCH, POST, DELETE
	Body      json.RawMessage
	To        Party // OCPI-to-* routing headers; zero = none
	// CorrelationID is sent as X-Correlation-ID (the inbound request's for command results).
	CorrelationID  string
	Status         OutboxStatus
	Attempts       int
	NextAttemptAt  time.Time
	LastError      string
	ResultLocation string // the Location header of a delivered CDR POST
	CreatedAt      time.Time
	UpdatedAt      time.Time
	DeliveredAt    *time.Time
}

// OutboxOutcome is what a delivery attempt leads to.
type OutboxOutcome string

// Delivery outcomes.
const (
	OutcomeDelivered OutboxOutcome = "delivered" // accepted by the partner
	OutcomeRetry     OutboxOutcome = "retry"     // failed; try again at NextAttemptAt
	OutcomeFailed    OutboxOutcome = "failed"    // failed for good
	OutcomeDeferred  OutboxOutcome = "deferred"  // not attempted (partner backing off); keeps the attempt count
)

// OutboxResult records a delivery attempt.
type OutboxResult struct {
	Outcome        OutboxOutcome
	At             time.Time
	NextAttemptAt  time.Time // retry/deferred
	Error          string    // retry/failed
	ResultLocation string    // delivered CDRs
}

// OutboxFilter selects outbox items for an operator.
type OutboxFilter struct {
	PartnerID int64        // 0 = every partner
	Status    OutboxStatus // "" = any
	Offset    int
	Limit     int
}

// OutboxCount is the backlog of one partner.
type OutboxCount struct {
	PartnerID int64
	Pending   int
	Failed    int
}
