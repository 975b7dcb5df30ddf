package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// BridgeCommands keeps what carrying partner commands to the chargers needs (migration
// 00005_commands): remote starts and the transactions they started, reservations, 1.6 idTag
// aliases and the stations' local authorization lists. Get one with (*DB).BridgeCommands; inside
// db.InTx, tx.(*store.DB).BridgeCommands() writes in that transaction.
type BridgeCommands struct{ db *DB }

// BridgeCommands returns the command state store on db.
func (db *DB) BridgeCommands() *BridgeCommands { return &BridgeCommands{db: db} }

func (s *BridgeCommands) q(ctx context.Context) *gorm.DB { return s.db.q(ctx) }

// Remote start states.
const (
	RemoteStartPending  = "pending"  // sent, no answer yet
	RemoteStartAccepted = "accepted" // the station accepted it
	RemoteStartTimeout  = "timeout"  // no answer in time: it may still start
	RemoteStartRejected = "rejected" // the station refused it: never matched
	RemoteStartFailed   = "failed"   // not delivered (disconnected, CALLERROR): never matched
)

// RemoteStart is a START_SESSION the hub forwarded to a station.
type RemoteStart struct {
	ID                     int64 // the 2.0.1 remoteStartId (set by CreateRemoteStart)
	CommandID              string
	PartnerID              int64
	From                   roaming.Party // the requesting party
	StationID              string
	EVSEID                 int    // 0 = the station chose
	IDTag                  string // as the station reports it back (upper case): the token uid or its 1.6 alias
	Token                  ocpi.Token
	AuthorizationReference string
	Status                 string
	StationTxID            string // 2.0.1: a transaction the station said was already running
	TransactionID          *int64 // the hub transaction it started, once linked
	CreatedAt              time.Time
	ExpiresAt              time.Time // end of the matching window
	UpdatedAt              time.Time
}

type remoteStartRow struct {
	ID                     int64     `gorm:"column:id;primaryKey"`
	CommandID              string    `gorm:"column:command_id"`
	PartnerID              int64     `gorm:"column:partner_id"`
	CountryCode            string    `gorm:"column:country_code"`
	PartyID                string    `gorm:"column:party_id"`
	StationID              string    `gorm:"column:station_id"`
	EVSEID                 int       `gorm:"column:evse_id"`
	IDTag                  string    `gorm:"column:id_tag"`
	Token                  string    `gorm:"column:token"`
	AuthorizationReference string    `gorm:"column:authorization_reference"`
	Status                 string    `gorm:"column:status"`
	StationTxID            string    `gorm:"column:station_tx_id"`
	TransactionID          *int64    `gorm:"column:transaction_id"`
	CreatedAt              time.Time `gorm:"column:created_at;autoCreateTime:false"`
	ExpiresAt              time.Time `gorm:"column:expires_at"`
	UpdatedAt              time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (remoteStartRow) TableName() string { return "remote_starts" }

// remoteStartCols lists every column of remote_starts, in the order of fields.
var remoteStartCols = []string{"id", "command_id", "partner_id", "country_code", "party_id", "station_id", "evse_id",
	"id_tag", "token", "authorization_reference", "status", "station_tx_id", "transaction_id", "created_at",
	"expires_at", "updated_at"}

// fields points at r's fields in the order of remoteStartCols, for Scan.
func (r *remoteStartRow) fields() []any {
	return []any{&r.ID, &r.CommandID, &r.PartnerID, &r.CountryCode, &r.PartyID, &r.StationID, &r.EVSEID,
		&r.IDTag, &r.Token, &r.AuthorizationReference, &r.Status, &r.StationTxID, &r.TransactionID, &r.CreatedAt,
		&r.ExpiresAt, &r.UpdatedAt}
}

func (r remoteStartRow) domain() (RemoteStart, error) {
	out := RemoteStart{ID: r.ID, CommandID: r.CommandID, PartnerID: r.PartnerID,
		From: roaming.Party{CountryCode: r.CountryCode, PartyID: r.PartyID}, StationID: r.StationID, EVSEID: r.EVSEID,
		IDTag: r.IDTag, AuthorizationReference: r.AuthorizationReference, Status: r.Status, StationTxID: r.StationTxID,
		TransactionID: r.TransactionID, CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if err := json.Unmarshal([]byte(r.Token), &out.Token); err != nil {
		return out, fmt.Errorf("store: remote start %d token: %w", r.ID, err)
	}
	return out, nil
}

// CreateRemoteStart inserts r (IDTag is stored upper case) and sets its ID, CreatedAt (when
// zero) and UpdatedAt.
func (s *BridgeCommands) CreateRemoteStart(ctx context.Context, r *RemoteStart) error {
	tok, err := json.Marshal(r.Token)
	if err != nil {
		return fmt.Errorf("store: encode token: %w", err)
	}
	now := s.db.now()
	if r.CreatedAt.IsZero() {
		r.CreatedAt = now
	}
	row := remoteStartRow{CommandID: r.CommandID, PartnerID: r.PartnerID, CountryCode: key(r.From.CountryCode),
		PartyID: key(r.From.PartyID), StationID: r.StationID, EVSEID: r.EVSEID, IDTag: key(r.IDTag), Token: string(tok),
		AuthorizationReference: r.AuthorizationReference, Status: r.Status, StationTxID: r.StationTxID,
		TransactionID: r.TransactionID, CreatedAt: dbTime(r.CreatedAt), ExpiresAt: dbTime(r.ExpiresAt), UpdatedAt: now}
	if err := s.q(ctx).Create(&row).Error; err != nil {
		return translate(err, "create remote start of command %s", r.CommandID)
	}
	r.ID, r.IDTag, r.CreatedAt, r.UpdatedAt = row.ID, row.IDTag, row.CreatedAt, now
	return nil
}

// SetRemoteStartStatus records the station's answer (and, 2.0.1, the id of a transaction it
// said was already running; "" keeps the stored one).
func (s *BridgeCommands) SetRemoteStartStatus(ctx context.Context, id int64, status, stationTxID string) error {
	upd := map[string]any{"status": status, "updated_at": s.db.now()}
	if stationTxID != "" {
		upd["station_tx_id"] = stationTxID
	}
	res := s.q(ctx).Model(&remoteStartRow{}).Where("id = ?", id).Updates(upd)
	if res.Error != nil {
		return translate(res.Error, "update remote start %d", id)
	}
	if res.RowsAffected == 0 {
		return notFound("update remote start %d", id)
	}
	return nil
}

// LinkRemoteStart records the transaction a remote start started; CodeConflict when the remote
// start (or the transaction) is linked already.
func (s *BridgeCommands) LinkRemoteStart(ctx context.Context, id, transactionID int64) error {
	res := s.q(ctx).Model(&remoteStartRow{}).Where("id = ? AND transaction_id IS NULL", id).
		Updates(map[string]any{"transaction_id": transactionID, "updated_at": s.db.now()})
	if res.Error != nil {
		return translate(res.Error, "link remote start %d to transaction %d", id, transactionID)
	}
	if res.RowsAffected == 0 {
		return conflict("link remote start %d: it is linked already or gone", id)
	}
	return nil
}

// RemoteStartFilter selects remote starts; zero fields do not filter.
type RemoteStartFilter struct {
	ID            int64 // the 2.0.1 remoteStartId
	CommandID     string
	StationID     string
	IDTag         string // compared case-insensitively
	StationTxID   string
	TransactionID int64
	Unlinked      bool      // only those not linked to a transaction
	Matchable     bool      // only pending, accepted or timed-out ones
	CreatedFrom   time.Time // created at or after
	CreatedTo     time.Time // created at or before
	Limit         int       // 0 = 100
}

// FindRemoteStarts lists the remote starts matching f, newest first.
func (s *BridgeCommands) FindRemoteStarts(ctx context.Context, f RemoteStartFilter) ([]RemoteStart, error) {
	var shape uint
	args := make([]any, 0, 12)
	if f.ID != 0 {
		shape, args = shape|1<<rsByID, append(args, f.ID)
	}
	if f.TransactionID != 0 {
		shape, args = shape|1<<rsByTransaction, append(args, f.TransactionID)
	}
	if f.CommandID != "" {
		shape, args = shape|1<<rsByCommand, append(args, f.CommandID)
	}
	if f.StationID != "" {
		shape, args = shape|1<<rsByStation, append(args, f.StationID)
	}
	if f.IDTag != "" {
		shape, args = shape|1<<rsByIDTag, append(args, key(f.IDTag))
	}
	if f.StationTxID != "" {
		shape, args = shape|1<<rsByStationTx, append(args, f.StationTxID)
	}
	if f.Unlinked {
		shape |= 1 << rsUnlinked
	}
	if f.Matchable {
		shape, args = shape|1<<rsMatchable, append(args, RemoteStartPending, RemoteStartAccepted, RemoteStartTimeout)
	}
	if !f.CreatedFrom.IsZero() {
		shape, args = shape|1<<rsCreatedFrom, append(args, dbTime(f.CreatedFrom))
	}
	if !f.CreatedTo.IsZero() {
		shape, args = shape|1<<rsCreatedTo, append(args, dbTime(f.CreatedTo))
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	var r remoteStartRow
	rows, err := collect(ctx, s.db, remoteStartSQL(shape, f.Limit), r.fields(), func() remoteStartRow { return r }, args...)
	if err != nil {
		return nil, translate(err, "find remote starts")
	}
	out := make([]RemoteStart, 0, len(rows))
	for _, r := range rows {
		d, err := r.domain()
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// The conditions of FindRemoteStarts (it runs at every transaction start, see raw.go): a
// filter's shape has bit 1<<c set for each condition remoteStartConds[c] it uses, and binds
// their arguments in this order.
const (
	rsByID = iota
	rsByTransaction
	rsByCommand
	rsByStation
	rsByIDTag
	rsByStationTx
	rsUnlinked
	rsMatchable
	rsCreatedFrom
	rsCreatedTo
	rsConds // the number of conditions
)

var remoteStartConds = [rsConds]string{
	rsByID:          "id = ?",
	rsByTransaction: "transaction_id = ?",
	rsByCommand:     "command_id = ?",
	rsByStation:     "station_id = ?",
	rsByIDTag:       "id_tag = ?",
	rsByStationTx:   "station_tx_id = ?",
	rsUnlinked:      "transaction_id IS NULL",
	rsMatchable:     "status IN (?, ?, ?)", // pending, accepted, timeout
	rsCreatedFrom:   "created_at >= ?",
	rsCreatedTo:     "created_at <= ?",
}

// remoteStartSQL is the statement of a filter shape: its conditions, newest first, at most
// limit rows. The limit is written into the text, not bound: on SQLite the two lookups of a
// transaction start took 67 µs with "LIMIT ?" and 19–21 µs with the number written out
// (BenchmarkFindRemoteStarts, empty table). The text is built per call (well under a
// microsecond); the connections' prepared statements are keyed by it, so each shape and limit
// is still prepared once.
func remoteStartSQL(shape uint, limit int) sqlText {
	var b strings.Builder
	b.WriteString("SELECT " + columns(remoteStartCols) + " FROM remote_starts")
	sep := " WHERE "
	for c, cond := range remoteStartConds {
		if shape&(1<<c) != 0 {
			b.WriteString(sep)
			b.WriteString(cond)
			sep = " AND "
		}
	}
	b.WriteString(" ORDER BY id DESC LIMIT ")
	b.WriteString(strconv.Itoa(limit))
	return newSQL(b.String())
}

// Reservation states.
const (
	ReservationPending   = "pending"   // sent to the station
	ReservationActive    = "active"    // the station accepted it
	ReservationRefused   = "refused"   // the station did not accept it
	ReservationCancelled = "cancelled" // cancelled by the partner
)

// Reservation maps a partner's reservation_id to the OCPP reservation id (ID).
type Reservation struct {
	ID         int64 // the OCPP reservation id
	PartnerID  int64
	Key        string // the partner's reservation_id (compared case-insensitively)
	LocationID string
	StationID  string
	EVSEID     int // 0 = any EVSE of the station
	CommandID  string
	IDTag      string
	Status     string
	ExpiresAt  time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

type reservationRow struct {
	ID             int64     `gorm:"column:id;primaryKey"`
	PartnerID      int64     `gorm:"column:partner_id"`
	ReservationKey string    `gorm:"column:reservation_key"`
	LocationKey    string    `gorm:"column:location_key"`
	StationID      string    `gorm:"column:station_id"`
	EVSEID         int       `gorm:"column:evse_id"`
	CommandID      string    `gorm:"column:command_id"`
	IDTag          string    `gorm:"column:id_tag"`
	Status         string    `gorm:"column:status"`
	ExpiresAt      time.Time `gorm:"column:expires_at"`
	CreatedAt      time.Time `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt      time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (reservationRow) TableName() string { return "remote_reservations" }

func (r reservationRow) domain() Reservation {
	return Reservation{ID: r.ID, PartnerID: r.PartnerID, Key: r.ReservationKey, LocationID: r.LocationKey, StationID: r.StationID,
		EVSEID: r.EVSEID, CommandID: r.CommandID, IDTag: r.IDTag, Status: r.Status, ExpiresAt: r.ExpiresAt.UTC(),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// PutReservation inserts r, or replaces the partner's reservation with the same key (keeping
// its OCPP id, so the station replaces it too); it sets r.ID and reports whether it was new.
func (s *BridgeCommands) PutReservation(ctx context.Context, r *Reservation) (bool, error) {
	now := s.db.now()
	row := reservationRow{PartnerID: r.PartnerID, ReservationKey: key(r.Key), LocationKey: key(r.LocationID), StationID: r.StationID,
		EVSEID: r.EVSEID, CommandID: r.CommandID, IDTag: key(r.IDTag), Status: r.Status, ExpiresAt: dbTime(r.ExpiresAt),
		CreatedAt: now, UpdatedAt: now}
	created := false
	err := s.db.atomic(ctx, func(g *gorm.DB) error {
		res := g.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 1 {
			created = true
			return nil
		}
		if err := g.Model(&reservationRow{}).Where("partner_id = ? AND reservation_key = ?", row.PartnerID, row.ReservationKey).
			Select("location_key", "station_id", "evse_id", "command_id", "id_tag", "status", "expires_at", "updated_at").
			Updates(&row).Error; err != nil {
			return err
		}
		return g.Where("partner_id = ? AND reservation_key = ?", row.PartnerID, row.ReservationKey).Take(&row).Error
	})
	if err != nil {
		return false, translate(err, "store reservation %q of partner %d", r.Key, r.PartnerID)
	}
	*r = row.domain()
	return created, nil
}

// GetReservation returns the partner's reservation with that key; CodeNotFound if none.
func (s *BridgeCommands) GetReservation(ctx context.Context, partnerID int64, reservationKey string) (Reservation, error) {
	var r reservationRow
	if err := s.q(ctx).Where("partner_id = ? AND reservation_key = ?", partnerID, key(reservationKey)).Take(&r).Error; err != nil {
		return Reservation{}, translate(err, "get reservation %q of partner %d", reservationKey, partnerID)
	}
	return r.domain(), nil
}

// ReservationByID returns a reservation by its OCPP id; CodeNotFound if none.
func (s *BridgeCommands) ReservationByID(ctx context.Context, id int64) (Reservation, error) {
	var r reservationRow
	if err := s.q(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return Reservation{}, translate(err, "get reservation %d", id)
	}
	return r.domain(), nil
}

// ReservationFor returns the newest pending or active reservation of an idTag (compared
// case-insensitively) at a station that has not expired at now; CodeNotFound if none.
func (s *BridgeCommands) ReservationFor(ctx context.Context, stationID, idTag string, now time.Time) (Reservation, error) {
	var r reservationRow
	err := s.q(ctx).Where("station_id = ? AND id_tag = ? AND status IN ? AND expires_at > ?", stationID, key(idTag),
		[]string{ReservationPending, ReservationActive}, dbTime(now)).Order("id DESC").Take(&r).Error
	if err != nil {
		return Reservation{}, translate(err, "reservation of %q at %s", idTag, stationID)
	}
	return r.domain(), nil
}

// SetReservationStatus records a reservation's state.
func (s *BridgeCommands) SetReservationStatus(ctx context.Context, id int64, status string) error {
	res := s.q(ctx).Model(&reservationRow{}).Where("id = ?", id).Updates(map[string]any{"status": status, "updated_at": s.db.now()})
	if res.Error != nil {
		return translate(res.Error, "update reservation %d", id)
	}
	if res.RowsAffected == 0 {
		return notFound("update reservation %d", id)
	}
	return nil
}

type tokenAliasRow struct {
	Alias       string    `gorm:"column:alias;primaryKey"`
	CountryCode string    `gorm:"column:country_code"`
	PartyID     string    `gorm:"column:party_id"`
	UIDKey      string    `gorm:"column:uid_key"`
	Type        string    `gorm:"column:type"`
	CreatedAt   time.Time `gorm:"column:created_at;autoCreateTime:false"`
}

func (tokenAliasRow) TableName() string { return "token_aliases" }

// PutTokenAlias stores alias (upper case) as the 1.6 idTag of a token and returns the token's
// alias: the one stored before if it has one already. CodeConflict when alias stands for
// another token.
func (s *BridgeCommands) PutTokenAlias(ctx context.Context, k roaming.TokenKey, alias string) (string, error) {
	n := k.Norm()
	row := tokenAliasRow{Alias: key(alias), CountryCode: n.Party.CountryCode, PartyID: n.Party.PartyID, UIDKey: n.UID,
		Type: string(n.Type), CreatedAt: s.db.now()}
	var out string
	err := s.db.atomic(ctx, func(g *gorm.DB) error {
		var existing tokenAliasRow
		err := g.Where("country_code = ? AND party_id = ? AND uid_key = ? AND type = ?", row.CountryCode, row.PartyID, row.UIDKey, row.Type).
			Take(&existing).Error
		if err == nil {
			out = existing.Alias
			return nil
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		if err := g.Create(&row).Error; err != nil {
			return err
		}
		out = row.Alias
		return nil
	})
	if err != nil {
		return "", translate(err, "store alias %q of token %s/%s", alias, n.Party, n.UID)
	}
	return out, nil
}

// TokenOfAlias returns the token an alias stands for; CodeNotFound if it is no alias.
func (s *BridgeCommands) TokenOfAlias(ctx context.Context, alias string) (roaming.TokenKey, error) {
	var r tokenAliasRow
	if err := s.q(ctx).Where("alias = ?", key(strings.TrimSpace(alias))).Take(&r).Error; err != nil {
		return roaming.TokenKey{}, translate(err, "get alias %q", alias)
	}
	return roaming.TokenKey{Party: roaming.Party{CountryCode: r.CountryCode, PartyID: r.PartyID}, UID: r.UIDKey,
		Type: ocpi.TokenType(r.Type)}, nil
}

// InTx runs fn in one database transaction with a BridgeCommands bound to it (or in the
// current one).
func (s *BridgeCommands) InTx(ctx context.Context, fn func(tx *BridgeCommands) error) error {
	return s.db.InTx(ctx, func(tx charging.Store) error { return fn(tx.(*DB).BridgeCommands()) })
}
