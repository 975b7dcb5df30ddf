package charging

import (
	"context"
	"time"
)

// Publisher learns of every change that partners may see, inside the database transaction
// that makes it, so that its consequences (OCPI pushes written to the outbox) commit or roll
// back with the change itself. tx is the Store bound to that transaction. MeterValues are the
// exception (TransactionsMetered).
type Publisher interface {
	StationChanged(ctx context.Context, tx Store, st Station) error
	ConnectorChanged(ctx context.Context, tx Store, c Connector) error
	TransactionChanged(ctx context.Context, tx Store, t Transaction) error
	// TransactionMetered: only the active transaction's meter readings moved (a 2.0.1 Updated
	// event with nothing else: onlyMetered); nothing that decides a connector's or EVSE's
	// status changed. A publisher may defer what follows from it until after tx commits (the
	// readings are in the database by then).
	TransactionMetered(ctx context.Context, tx Store, t Transaction) error
	// TransactionsMetered: MeterValues moved the readings of these active transactions, and
	// that change has committed; db is the Store outside any transaction. The publisher
	// republishes what follows in transactions of its own. It is the one change published
	// after its commit, not in it: a crash in between leaves the Session as last published
	// until the transaction's next MeterValues or its stop, which rebuild it from the database.
	TransactionsMetered(ctx context.Context, db Store, ts []Transaction) error
}

// TokenAuthorizer decides tokens the hub does not hold as local id tags: tokens of roaming
// partners (pushed or pulled from eMSPs, or asked for in real time). known is false when
// no partner knows the token.
type TokenAuthorizer interface {
	AuthorizeToken(ctx context.Context, stationID string, evseID int, token string) (info AuthInfo, known bool, err error)
}

type nopPublisher struct{}

func (nopPublisher) StationChanged(context.Context, Store, Station) error         { return nil }
func (nopPublisher) ConnectorChanged(context.Context, Store, Connector) error     { return nil }
func (nopPublisher) TransactionChanged(context.Context, Store, Transaction) error { return nil }
func (nopPublisher) TransactionMetered(context.Context, Store, Transaction) error { return nil }
func (nopPublisher) TransactionsMetered(context.Context, Store, []Transaction) error {
	return nil
}

// SetPublisher installs the publisher (before serving).
func (s *Service) SetPublisher(p Publisher) { s.pub = p }

// SetTokenAuthorizer installs the authorizer of roaming tokens (before serving).
func (s *Service) SetTokenAuthorizer(a TokenAuthorizer) { s.tokens = a }

// presenceChanged records a station going online or offline and publishes it. Only the
// presence columns are written: the connect is recorded while the station's first messages
// (its BootNotification) may already be handled.
func (s *Service) presenceChanged(ctx context.Context, id string, online bool, at time.Time, p Protocol) error {
	if !online {
		p = ""
	}
	return s.store.InTx(ctx, func(tx Store) error {
		if err := tx.SetOnline(ctx, id, online, p, at); err != nil {
			return err
		}
		st, err := tx.GetStation(ctx, id)
		if err != nil {
			return err
		}
		return s.pub.StationChanged(ctx, tx, st)
	})
}
