package charging

import (
	"context"
	"time"
)

// Publisher learns of every change that partners may see, inside the database transaction
// that makes it, so that its consequences (OCPI pushes written to the outbox) commit or roll
// back with the change itself. tx is the Store bound to that transaction.
type Publisher interface {
	StationChanged(ctx context.Context, tx Store, st Station) error
	ConnectorChanged(ctx context.Context, tx Store, c Connector) error
	TransactionChanged(ctx context.Context, tx Store, t Transaction) error
	// TransactionMetered: only the active transaction's meter readings moved (MeterValues);
	// nothing that decides a connector's or EVSE's status changed.
	TransactionMetered(ctx context.Context, tx Store, t Transaction) error
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

// SetPublisher installs the publisher (before serving).
func (s *Service) SetPublisher(p Publisher) { s.pub = p }

// SetTokenAuthorizer installs the authorizer of roaming tokens (before serving).
func (s *Service) SetTokenAuthorizer(a TokenAuthorizer) { s.tokens = a }

// presenceChanged records a station going online or offline and publishes it.
func (s *Service) presenceChanged(ctx context.Context, id string, online bool, at time.Time, p Protocol) error {
	return s.store.InTx(ctx, func(tx Store) error {
		st, err := tx.GetStation(ctx, id)
		if err != nil {
			return err
		}
		if online {
			st.Online, st.LastSeen, st.Protocol = true, &at, p
		} else {
			st.Online = false
			if st.LastSeen == nil || at.After(*st.LastSeen) {
				st.LastSeen = &at
			}
		}
		st.UpdatedAt = at
		if err := tx.UpdateStation(ctx, st); err != nil {
			return err
		}
		return s.pub.StationChanged(ctx, tx, st)
	})
}
