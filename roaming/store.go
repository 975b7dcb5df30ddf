package roaming

import (
	"context"
	"encoding/json"
	"time"

	"github.com/chargehub/hub/ocpi"
)

// PartnerStore keeps partners and the hashes of the tokens they call us with.
type PartnerStore interface {
	// CreatePartner inserts p and sets p.ID, CreatedAt and UpdatedAt.
	CreatePartner(ctx context.Context, p *Partner) error
	// GetPartner returns CodeNotFound when id is unknown.
	GetPartner(ctx context.Context, id int64) (Partner, error)
	// UpdatePartner replaces every field but ID and CreatedAt; CodeNotFound if absent.
	UpdatePartner(ctx context.Context, p Partner) error
	// DeletePartner removes a partner with its tokens, outbox items and commands.
	DeletePartner(ctx context.Context, id int64) error
	// ListPartners returns one page of partners by id and how many match.
	ListPartners(ctx context.Context, f PartnerFilter) ([]Partner, int, error)
	// PartnerByTokenHash finds the partner owning an inbound token (one indexed query);
	// CodeNotFound for an unknown token.
	PartnerByTokenHash(ctx context.Context, hash string) (Partner, TokenKind, error)
	// AddPartnerToken stores an inbound token hash; CodeConflict if it exists.
	AddPartnerToken(ctx context.Context, t PartnerToken) error
	// DeletePartnerTokens removes the partner's inbound tokens except the one with hash keep
	// ("" = all).
	DeletePartnerTokens(ctx context.Context, partnerID int64, keep string) error
	// DeletePartnerToken removes one inbound token of the partner (no error if absent).
	DeletePartnerToken(ctx context.Context, partnerID int64, hash string) error
}

// ClientInfoStore keeps what hubs told us about the parties they connect (HubClientInfo).
type ClientInfoStore interface {
	// PutClientInfo inserts or replaces the entry of (partner, party); created reports an insert.
	PutClientInfo(ctx context.Context, partnerID int64, ci ocpi.ClientInfo) (created bool, err error)
	// GetClientInfo returns CodeNotFound when the hub never told about the party.
	GetClientInfo(ctx context.Context, partnerID int64, party Party) (ocpi.ClientInfo, error)
	ListClientInfos(ctx context.Context, partnerID int64) ([]ocpi.ClientInfo, error)
}

// TokenStore keeps the eMSPs' Tokens.
type TokenStore interface {
	// GetToken returns CodeNotFound for an unknown key.
	GetToken(ctx context.Context, key TokenKey) (StoredToken, error)
	// PutToken inserts or replaces the token keyed by KeyOf(&t.Token); created reports an insert.
	PutToken(ctx context.Context, t StoredToken) (created bool, err error)
	ListTokens(ctx context.Context, f TokenFilter) ([]StoredToken, int, error)
	// InvalidateTokens sets valid=false on the partner's tokens not stored since `since` and
	// returns how many changed (a full pull replaces the whole set).
	InvalidateTokens(ctx context.Context, partnerID int64, since time.Time) (int64, error)
}

// LocationStore keeps the CPO's Locations.
type LocationStore interface {
	// GetLocation returns CodeNotFound for an unknown id (compared case-insensitively).
	GetLocation(ctx context.Context, id string) (Location, error)
	// PutLocation inserts or replaces l and assigns its stations; CodeConflict when a station
	// already belongs to another location. It sets l's Version, CreatedAt, UpdatedAt and
	// ConfiguredAt as stored, so that l equals what GetLocation then returns.
	PutLocation(ctx context.Context, l *Location) (created bool, err error)
	// SaveLocationBody stores l's OCPI object over the stored location at l.Version (read under
	// the location's lock), leaving its stations, connector defaults and times of creation and
	// configuration as they are, and sets l's Version and UpdatedAt as stored. CodeConflict when
	// the stored version is no longer l.Version; CodeNotFound for an unknown location.
	SaveLocationBody(ctx context.Context, l *Location) error
	// ListLocations returns one page ordered by creation, then id, and how many match.
	ListLocations(ctx context.Context, f ObjectFilter) ([]Location, int, error)
	// LocationBodies is ListLocations for serving: only the stored OCPI JSON of each location
	// (already validated when written), so that partners' pulls need no decode and re-encode.
	LocationBodies(ctx context.Context, f ObjectFilter) ([]json.RawMessage, int, error)
	// LocationBody is one location's stored OCPI JSON and whether it is published.
	LocationBody(ctx context.Context, id string) (json.RawMessage, bool, error)
	// LocationOfStation returns the location a station belongs to; CodeNotFound if none.
	LocationOfStation(ctx context.Context, stationID string) (Location, error)
	// LocationKeyOfStation is LocationOfStation without reading the location: the key that
	// GetLocation and LockLocation take. CodeNotFound if the station is in no location.
	LocationKeyOfStation(ctx context.Context, stationID string) (string, error)
	// LocationKeysOfStations is LocationKeyOfStation for several stations at once (ids may
	// repeat): the key of each that belongs to a location, by station id.
	LocationKeysOfStations(ctx context.Context, stationIDs []string) (map[string]string, error)
	// LockLocation holds the location's row lock until the transaction ends, so that concurrent
	// read-modify-writes of its EVSEs serialize, and returns the location's Version; CodeNotFound
	// for an unknown id.
	LockLocation(ctx context.Context, id string) (version int64, err error)
}

// SessionStore keeps the CPO's Sessions as served to partners.
type SessionStore interface {
	GetSession(ctx context.Context, id string) (ocpi.Session, error)
	PutSession(ctx context.Context, s ocpi.Session) (created bool, err error)
	ListSessions(ctx context.Context, f ObjectFilter) ([]ocpi.Session, int, error)
}

// CDRStore keeps the CPO's CDRs (immutable once stored).
type CDRStore interface {
	GetCDR(ctx context.Context, id string) (ocpi.CDR, error)
	// CreateCDR inserts c; CodeConflict when the id exists.
	CreateCDR(ctx context.Context, c ocpi.CDR) error
	ListCDRs(ctx context.Context, f ObjectFilter) ([]ocpi.CDR, int, error)
}

// TariffStore keeps the CPO's Tariffs.
type TariffStore interface {
	GetTariff(ctx context.Context, id string) (ocpi.Tariff, error)
	PutTariff(ctx context.Context, t ocpi.Tariff) (created bool, err error)
	// DeleteTariff retires the tariff (it is no longer served); CodeNotFound if unknown.
	DeleteTariff(ctx context.Context, id string) error
	ListTariffs(ctx context.Context, f ObjectFilter) ([]ocpi.Tariff, int, error)
}

// OutboxStore keeps the pushes waiting for delivery.
type OutboxStore interface {
	// EnqueueOutbox inserts the items (status pending, due at NextAttemptAt or now).
	EnqueueOutbox(ctx context.Context, items ...OutboxItem) error
	// ClaimOutbox leases up to limit due items of registered partners, each the oldest pending
	// item of its (partner, object key), skipping the partners in skip. A leased item is not
	// claimed again before now+lease. On PostgreSQL concurrent claimers skip each other's rows.
	ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int, skip []int64) ([]OutboxItem, error)
	// CompleteOutbox records a delivery attempt and releases the lease.
	CompleteOutbox(ctx context.Context, id int64, r OutboxResult) error
	ListOutbox(ctx context.Context, f OutboxFilter) ([]OutboxItem, int, error)
	// OutboxBacklog counts pending and failed items per partner (partners with none are absent).
	OutboxBacklog(ctx context.Context) ([]OutboxCount, error)
	// CancelOutbox fails every pending item of the partner with reason; returns how many.
	CancelOutbox(ctx context.Context, partnerID int64, reason string) (int64, error)
	// RetryOutbox puts a failed item of the partner back to pending, due at `at`.
	RetryOutbox(ctx context.Context, partnerID, id int64, at time.Time) error
	// ExpediteOutbox makes the partner's pending items that wait for a later retry due at now
	// (the partner is reachable again); returns how many.
	ExpediteOutbox(ctx context.Context, partnerID int64, now time.Time) (int64, error)
	// PruneOutbox deletes delivered items delivered before `before`.
	PruneOutbox(ctx context.Context, before time.Time) (int64, error)
}

// CommandStore keeps partner commands until their results are sent.
type CommandStore interface {
	CreateCommand(ctx context.Context, c Command) error
	// GetCommand returns CodeNotFound for an unknown id.
	GetCommand(ctx context.Context, id string) (Command, error)
	UpdateCommand(ctx context.Context, c Command) error
	// FindCommand returns the newest command of the partner with that kind and ref.
	FindCommand(ctx context.Context, partnerID int64, kind, ref string) (Command, error)
	// ExpiredCommands lists pending commands whose ExpiresAt is before now, oldest first.
	ExpiredCommands(ctx context.Context, now time.Time, limit int) ([]Command, error)
}

// Store is everything the roaming domain persists. InTx runs fn in one database transaction
// with a Store bound to it.
type Store interface {
	PartnerStore
	ClientInfoStore
	TokenStore
	LocationStore
	SessionStore
	CDRStore
	TariffStore
	OutboxStore
	CommandStore
	InTx(ctx context.Context, fn func(tx Store) error) error
}
