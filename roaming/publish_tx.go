package roaming

import (
	"context"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// Transaction-scoped variants of the publishing methods, for callers that already run a database
// transaction: the OCPP→OCPI bridge writes the OCPI consequences of a charging change (EVSE
// statuses, Sessions, CDRs) in the very transaction that makes the change, so they commit or roll
// back with it. tx is the roaming Store bound to that transaction (store: (*DB).Roaming() on the
// charging transaction's Store). They behave exactly like the methods without "In" or "On": same checks,
// same stored objects, same outbox items, inserted after the object writes. The outbox worker is
// woken once tx commits when tx can say so (an AfterCommit(func()) method, as store.Roaming has);
// otherwise it finds the items on its next poll.

// PutEVSEOn is PutEVSE in the transaction tx, on loc, the location as the caller locked and
// read it in tx (LockLocation, then the location at the version the lock returned), which saves
// reading it again. It returns the location as saved, for the next change in tx; loc is not
// modified.
func (s *Service) PutEVSEOn(ctx context.Context, tx Store, loc *Location, evse ocpi.EVSE) (*Location, error) {
	var saved *Location
	err := s.within(ctx, tx, func(q *queue) (err error) {
		saved, err = s.putEVSEOn(ctx, tx, q, loc.OCPI.ID, loc, evse)
		return err
	})
	return saved, err
}

// PatchEVSEOn is PatchEVSE in the transaction tx, on loc, as PutEVSEOn is PutEVSE.
func (s *Service) PatchEVSEOn(ctx context.Context, tx Store, loc *Location, evseUID string, p ocpi.EVSEPatch) (*Location, error) {
	var saved *Location
	err := s.within(ctx, tx, func(q *queue) (err error) {
		saved, err = s.patchEVSEOn(ctx, tx, q, loc.OCPI.ID, loc, evseUID, p)
		return err
	})
	return saved, err
}

// PutSessionOn is PutSession in the transaction tx, for a caller that has read the stored
// Session in tx: stored is that Session (nil: there is none), which saves reading it again.
func (s *Service) PutSessionOn(ctx context.Context, tx Store, stored *ocpi.Session, sess ocpi.Session) error {
	return s.within(ctx, tx, func(q *queue) error { return s.putSessionOn(ctx, tx, q, stored, sess) })
}

// PatchSessionIn is PatchSession in the transaction tx.
func (s *Service) PatchSessionIn(ctx context.Context, tx Store, id string, p ocpi.SessionPatch) error {
	return s.within(ctx, tx, func(q *queue) error { return s.patchSession(ctx, tx, q, id, p) })
}

// PostCDRIn is PostCDR in the transaction tx (CodeConflict when the CDR id exists).
func (s *Service) PostCDRIn(ctx context.Context, tx Store, c ocpi.CDR) error {
	return s.within(ctx, tx, func(q *queue) error { return s.postCDR(ctx, tx, q, c) })
}

// PutTariffIn is PutTariff in the transaction tx.
func (s *Service) PutTariffIn(ctx context.Context, tx Store, t ocpi.Tariff) error {
	return s.within(ctx, tx, func(q *queue) error { return s.putTariff(ctx, tx, q, t) })
}

// afterCommitter is a Store bound to a transaction that can run code after it commits.
type afterCommitter interface {
	AfterCommit(fn func())
}

// within runs fn in the caller's transaction tx, inserts the outbox items it queued after fn's
// own writes, and wakes the outbox worker once tx commits.
func (s *Service) within(ctx context.Context, tx Store, fn func(q *queue) error) error {
	q := &queue{}
	if err := fn(q); err != nil {
		return err
	}
	if len(q.items) == 0 {
		return nil
	}
	if err := tx.EnqueueOutbox(ctx, q.items...); err != nil {
		return err
	}
	if ac, ok := tx.(afterCommitter); ok && s.notify != nil {
		ac.AfterCommit(s.notify)
	}
	return nil
}

// SessionAuth is what the side that authorizes tokens and executes partner commands (the bridge's
// token authorizer and command executor) knows of how the token of a charging transaction was
// authorized. Zero fields are unknown; the Session publisher then derives them from the
// transaction and the stored tokens.
type SessionAuth struct {
	// Token is the OCPI token that started the transaction (e.g. the START_SESSION command's, or
	// the one a real-time authorization returned); nil: look the transaction's id tag up.
	Token *ocpi.CdrToken
	// Method is WHITELIST, AUTH_REQUEST or COMMAND; "": derived.
	Method ocpi.AuthMethod
	// AuthorizationReference is the eMSP's authorization_reference (StartSession, ReserveNow or
	// a real-time authorization); "" omits it.
	AuthorizationReference string
	// Rejected says the token was not accepted when the transaction started.
	Rejected bool
}

// SessionAuthSource looks up how a charging transaction's token was authorized. It is called by
// the Session publisher inside the database transaction that publishes the change (tx is the
// charging Store bound to it: read and write through it, never through another handle); known
// is false when nothing was recorded for t.
type SessionAuthSource interface {
	SessionAuth(ctx context.Context, tx charging.Store, t charging.Transaction) (auth SessionAuth, known bool, err error)
}

// SetSessionAuth installs the record of how transactions' tokens were authorized (before
// serving); the bridge's Session publisher reads it through AuthSource.
func (s *Service) SetSessionAuth(a SessionAuthSource) { s.auth = a }

// AuthSource returns what SetSessionAuth installed, else the CommandExecutor when it is also a
// SessionAuthSource (the executor knows which transactions its remote starts began); nil: none.
func (s *Service) AuthSource() SessionAuthSource {
	if s.auth != nil {
		return s.auth
	}
	if a, ok := s.commands.(SessionAuthSource); ok {
		return a
	}
	return nil
}
