package bridge

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/mapping"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// PublisherConfig tunes the Publisher; zero fields take the defaults.
type PublisherConfig struct {
	// Currency is the ISO 4217 currency of Sessions and CDRs on connectors without a stored
	// tariff (a tariff's currency wins). Default EUR.
	Currency string
	// MergePeriodsUpTo merges consecutive charging periods of the same kind into periods of at
	// most this length (mapping.SessionOptions.MergeUpTo). Default 15 minutes; negative keeps one
	// period per meter reading.
	MergePeriodsUpTo time.Duration
	// SignedData tells how to read signed meter values for CDRs' signed_data (the encoding of
	// vendor blobs, the meter's public key, the verification URL).
	SignedData mapping.SignedDataOptions
}

// PublisherDeps are the Publisher's collaborators; Roaming is required.
type PublisherDeps struct {
	// Roaming is the roaming service whose transaction-scoped methods store and push the objects.
	Roaming *roaming.Service
	// Log receives what could not be published; nil: slog.Default().
	Log *slog.Logger
	// Auth tells how transactions' tokens were authorized (the token authorizer and command
	// executor record it); nil: the roaming service's (roaming.Service.SetSessionAuth), else
	// derived from the transaction and the stored tokens.
	Auth roaming.SessionAuthSource
}

// Publisher turns charging changes into OCPI pushes in the changes' own transactions; see the
// package documentation. It implements charging.Publisher and roaming.EVSEBuilder and is safe for
// concurrent use (install its collaborators before serving).
type Publisher struct {
	roam *roaming.Service
	id   mapping.Identity
	log  *slog.Logger
	cfg  PublisherConfig
	auth roaming.SessionAuthSource
	locs locationCache

	refresh atomic.Pointer[sessionRefresh] // set while StartSessionRefresh runs
}

var (
	_ charging.Publisher  = (*Publisher)(nil)
	_ roaming.EVSEBuilder = (*Publisher)(nil)
)

// NewPublisher builds a Publisher for the CPO the roaming service presents.
func NewPublisher(d PublisherDeps, cfg PublisherConfig) (*Publisher, error) {
	if d.Roaming == nil {
		return nil, errors.New("bridge: the publisher needs the roaming service")
	}
	if cfg.Currency == "" {
		cfg.Currency = "EUR"
	}
	if cfg.MergePeriodsUpTo == 0 {
		cfg.MergePeriodsUpTo = 15 * time.Minute
	}
	if cfg.MergePeriodsUpTo < 0 {
		cfg.MergePeriodsUpTo = 0
	}
	p := &Publisher{roam: d.Roaming, log: d.Log, cfg: cfg, auth: d.Auth}
	if p.log == nil {
		p.log = slog.Default()
	}
	party := d.Roaming.Party().Norm()
	p.id = mapping.Identity{CountryCode: party.CountryCode, PartyID: party.PartyID}
	return p, nil
}

// SetSessionAuth installs the source of how tokens were authorized (before serving); it wins
// over the roaming service's.
func (p *Publisher) SetSessionAuth(a roaming.SessionAuthSource) { p.auth = a }

// authSource returns the installed source of how tokens were authorized, if any.
func (p *Publisher) authSource() roaming.SessionAuthSource {
	if p.auth != nil {
		return p.auth
	}
	return p.roam.AuthSource()
}

// StationChanged republishes the station's EVSEs (it went online or offline).
func (p *Publisher) StationChanged(ctx context.Context, tx charging.Store, st charging.Station) error {
	_, _, err := p.refreshStation(ctx, tx, st.ID, nil)
	return p.settle(err, "station", st.ID)
}

// ConnectorChanged republishes the station's EVSEs (a connector, or with connector 0 the whole
// station, reported a status).
func (p *Publisher) ConnectorChanged(ctx context.Context, tx charging.Store, c charging.Connector) error {
	_, _, err := p.refreshStation(ctx, tx, c.StationID, nil)
	return p.settle(err, "station", c.StationID)
}

// TransactionChanged republishes the EVSEs of the transaction's station (a session changes
// their status), then the transaction's Session and, once it is completed, its CDR.
func (p *Publisher) TransactionChanged(ctx context.Context, tx charging.Store, t charging.Transaction) error {
	loc, rtx, err := p.refreshStation(ctx, tx, t.StationID, &t)
	if err == nil && loc != nil {
		err = p.publishSession(ctx, tx, rtx, loc, t)
	}
	return p.settle(err, "transaction", fmt.Sprint(t.ID))
}

// TransactionMetered republishes the transaction's Session (and CDR) only: meter readings
// change no EVSE's status, so the station's EVSEs are not rebuilt. While StartSessionRefresh
// runs, the Session is queued for republication once tx commits instead.
func (p *Publisher) TransactionMetered(ctx context.Context, tx charging.Store, t charging.Transaction) error {
	if deferred, err := p.deferSession(ctx, tx, t); deferred || err != nil {
		return p.settle(err, "transaction", fmt.Sprint(t.ID))
	}
	loc, _, rtx, err := p.lockedLocation(ctx, tx, t.StationID)
	if err == nil && loc != nil {
		err = p.publishSession(ctx, tx, rtx, loc, t)
	}
	return p.settle(err, "transaction", fmt.Sprint(t.ID))
}

// TransactionsMetered republishes the Sessions of transactions whose readings a MeterValues
// batch moved, once that has committed (db is outside any transaction): queued for the refresh
// workers while StartSessionRefresh runs (the locations of the batch's stations read in one
// statement), else each at once in a transaction of its own, from the state committed by then
// (a transaction stopped meanwhile is left to its stop's publication).
func (p *Publisher) TransactionsMetered(ctx context.Context, db charging.Store, ts []charging.Transaction) error {
	if r := p.refresh.Load(); r != nil {
		return p.settle(p.queueSessions(ctx, db, r, ts), "transactions", fmt.Sprint(len(ts)))
	}
	var errs []error
	for _, t := range ts {
		err := p.refreshSession(ctx, db, refreshItem{txID: t.ID, stationID: t.StationID})
		if err = p.settle(err, "transaction", fmt.Sprint(t.ID)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Resync republishes the EVSEs of every station of every location, each station in a
// transaction of its own on db (e.g. after a restart, when every station is offline until it
// reconnects). It returns how many stations it went through.
func (p *Publisher) Resync(ctx context.Context, db charging.Store) (int, error) {
	n := 0
	for offset := 0; ; offset += 100 {
		list, _, err := p.roam.ListLocations(ctx, roaming.ObjectFilter{Offset: offset, Limit: 100})
		if err != nil {
			return n, fmt.Errorf("bridge: resync: %w", err)
		}
		for _, l := range list {
			for _, st := range l.StationIDs {
				err := db.InTx(ctx, func(tx charging.Store) error {
					_, _, err := p.refreshStation(ctx, tx, st, nil)
					return p.settle(err, "station", st)
				})
				if err != nil {
					return n, fmt.Errorf("bridge: resync station %q: %w", st, err)
				}
				n++
			}
		}
		if len(list) < 100 {
			return n, nil
		}
	}
}

// roamingOf returns the roaming Store bound to the same transaction as tx.
func (p *Publisher) roamingOf(tx charging.Store) (roaming.Store, error) {
	r, ok := tx.(interface{ RoamingStore() roaming.Store })
	if !ok {
		return nil, fmt.Errorf("bridge: the charging store %T has no roaming store (RoamingStore)", tx)
	}
	return r.RoamingStore(), nil
}

// chargingOf returns the charging Store bound to the same transaction as rtx.
func (p *Publisher) chargingOf(rtx roaming.Store) (charging.Store, error) {
	c, ok := rtx.(interface{ Charging() charging.Store })
	if !ok {
		return nil, fmt.Errorf("bridge: the roaming store %T has no charging store (Charging)", rtx)
	}
	return c.Charging(), nil
}

// settle decides which errors fail the charging change: database and programming errors do
// (the change rolls back with its pushes); an object the mapping or OCPI validation refuses
// only stops that object, logged, because OCPI must never block charging. The refused object
// was not written: every builder and roaming method checks before it writes.
func (p *Publisher) settle(err error, what, id string) error {
	if err == nil || !unpublishable(err) {
		return err
	}
	p.log.Warn("change not published to OCPI partners", what, id, "err", err)
	return nil
}

// unpublishable reports whether err says an object cannot be published (as opposed to a failure
// of the database or the code).
func unpublishable(err error) bool {
	return errors.Is(err, mapping.ErrInput) || errors.Is(err, ocpi.ErrInvalid) || charging.ErrorCode(err) == charging.CodeInvalid
}
