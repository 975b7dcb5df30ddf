package store

import (
	"context"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// Roaming is the GORM implementation of roaming.Store on the same database (and, inside a
// transaction, the same transaction) as its DB. Get one with (*DB).Roaming.
//
// A charging transaction and a roaming one can be the same: inside db.InTx, use
// tx.(*store.DB).Roaming() to write roaming rows (e.g. outbox items) atomically with charging
// rows.
type Roaming struct{ db *DB }

var _ roaming.Store = (*Roaming)(nil)

// Roaming returns the roaming store on db.
func (db *DB) Roaming() *Roaming { return &Roaming{db: db} }

// RoamingStore is Roaming as a roaming.Store, for code that sees db only as a charging.Store
// (the bridge asserts interface{ RoamingStore() roaming.Store } on the Store of a charging
// transaction to write OCPI objects and outbox rows in that transaction).
func (db *DB) RoamingStore() roaming.Store { return db.Roaming() }

// InTx runs fn in one database transaction with a Store bound to it (or in the current one).
func (s *Roaming) InTx(ctx context.Context, fn func(tx roaming.Store) error) error {
	if s.db.inTx {
		return fn(s)
	}
	return s.db.InTx(ctx, func(tx charging.Store) error {
		return fn(&Roaming{db: tx.(*DB)})
	})
}

func (s *Roaming) q(ctx context.Context) *gorm.DB { return s.db.q(ctx) }

// Charging returns the charging store on the same database and, inside a transaction, the same
// transaction (the inverse of (*DB).Roaming).
func (s *Roaming) Charging() charging.Store { return s.db }

// TxValue is (*DB).TxValue of the transaction s is bound to.
func (s *Roaming) TxValue(key any) (any, bool) { return s.db.TxValue(key) }

// SetTxValue is (*DB).SetTxValue of the transaction s is bound to.
func (s *Roaming) SetTxValue(key, v any) { s.db.SetTxValue(key, v) }

// AfterCommit runs fn after the transaction s is bound to commits (at once outside one); see
// (*DB).AfterCommit.
func (s *Roaming) AfterCommit(fn func()) { s.db.AfterCommit(fn) }

// CreatePartner inserts p and sets its ID and housekeeping times.
func (s *Roaming) CreatePartner(ctx context.Context, p *roaming.Partner) error {
	now := s.db.now()
	if p.CreatedAt.IsZero() {
		p.CreatedAt = now
	}
	p.UpdatedAt = now
	r, err := toPartnerRow(p)
	if err != nil {
		return err
	}
	r.ID = 0
	if err := s.q(ctx).Create(&r).Error; err != nil {
		return translate(err, "create partner %q", p.Name)
	}
	p.ID, p.CreatedAt, p.UpdatedAt = r.ID, r.CreatedAt, r.UpdatedAt
	return nil
}

// GetPartner returns the partner; CodeNotFound when unknown.
func (s *Roaming) GetPartner(ctx context.Context, id int64) (roaming.Partner, error) {
	var r partnerRow
	if err := s.q(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return roaming.Partner{}, translate(err, "get partner %d", id)
	}
	return r.domain()
}

// UpdatePartner replaces every field but ID and CreatedAt; UpdatedAt becomes now.
func (s *Roaming) UpdatePartner(ctx context.Context, p roaming.Partner) error {
	p.UpdatedAt = s.db.now()
	r, err := toPartnerRow(&p)
	if err != nil {
		return err
	}
	res := s.q(ctx).Model(&partnerRow{}).Where("id = ?", p.ID).Select(partnerMutable).Updates(&r)
	if res.Error != nil {
		return translate(res.Error, "update partner %d", p.ID)
	}
	if res.RowsAffected == 0 {
		return notFound("update partner %d", p.ID)
	}
	return nil
}

// DeletePartner removes the partner; its tokens, outbox items and commands go with it.
func (s *Roaming) DeletePartner(ctx context.Context, id int64) error {
	res := s.q(ctx).Where("id = ?", id).Delete(&partnerRow{})
	if res.Error != nil {
		return translate(res.Error, "delete partner %d", id)
	}
	if res.RowsAffected == 0 {
		return notFound("delete partner %d", id)
	}
	return nil
}

// ListPartners returns one page of partners by id and how many match.
func (s *Roaming) ListPartners(ctx context.Context, f roaming.PartnerFilter) ([]roaming.Partner, int, error) {
	filtered, where := 0, []any(nil)
	if f.Status != "" {
		filtered, where = 1, []any{string(f.Status)}
	}
	shape, args := pageArgs(where, f.Offset, f.Limit)
	var r partnerRow
	rows, err := collect(ctx, s.db, partnerListSQL[filtered][shape], r.fields(), func() partnerRow { return r }, args...)
	if err != nil {
		return nil, 0, translate(err, "list partners")
	}
	n, err := total(f.Offset, f.Limit, len(rows), func() (c int64, err error) {
		return c, s.db.queryRow(ctx, partnerCountSQL[filtered], []any{&c}, where...)
	})
	if err != nil {
		return nil, 0, translate(err, "count partners")
	}
	out := make([]roaming.Partner, len(rows))
	for i, r := range rows {
		if out[i], err = r.domain(); err != nil {
			return nil, 0, err
		}
	}
	return out, n, nil
}

// The partner list statements (see raw.go): roaming.Service lists the partners at every OCPI
// push. partnerListSQL[s][shape] and partnerCountSQL[s] select the partners of one status when
// s is 1, all of them when s is 0; shape is a paging shape of pageArgs.
var (
	partnerListSQL = [2][3]sqlText{
		pagedSQL("SELECT " + columns(partnerCols) + " FROM ocpi_partners ORDER BY id"),
		pagedSQL("SELECT " + columns(partnerCols) + " FROM ocpi_partners WHERE status = ? ORDER BY id"),
	}
	partnerCountSQL = [2]sqlText{
		newSQL("SELECT count(*) FROM ocpi_partners"),
		newSQL("SELECT count(*) FROM ocpi_partners WHERE status = ?"),
	}
)

// Paging shapes of a hand-written list statement, as page applies offset and limit.
const (
	unpaged    = iota // no LIMIT, no OFFSET
	limited           // LIMIT ? OFFSET ?
	offsetOnly        // OFFSET ? (SQLite has no OFFSET without LIMIT: LIMIT -1 OFFSET ?)
)

// pagedSQL is q (ending in its ORDER BY) in each paging shape.
func pagedSQL(q string) [3]sqlText {
	return [3]sqlText{
		unpaged:    newSQL(q),
		limited:    newSQL(q + " LIMIT ? OFFSET ?"),
		offsetOnly: {sqlite: q + " LIMIT -1 OFFSET ?", pg: rebind(q + " OFFSET ?")},
	}
}

// pageArgs returns the paging shape of offset and limit (0 = none; negative values count as 0,
// as in page) and args followed by its arguments.
func pageArgs(args []any, offset, limit int) (int, []any) {
	switch {
	case limit > 0:
		return limited, append(args[:len(args):len(args)], limit, max(offset, 0))
	case offset > 0:
		return offsetOnly, append(args[:len(args):len(args)], offset)
	}
	return unpaged, args
}

// PartnerByTokenHash finds the partner of an inbound token in one indexed query.
func (s *Roaming) PartnerByTokenHash(ctx context.Context, hash string) (roaming.Partner, roaming.TokenKind, error) {
	var r partnerTokenJoin
	err := s.q(ctx).Table("ocpi_partner_tokens t").Select("p.*, t.kind AS token_kind").
		Joins("JOIN ocpi_partners p ON p.id = t.partner_id").Where("t.token_hash = ?", hash).Take(&r).Error
	if err != nil {
		return roaming.Partner{}, "", translate(err, "partner by token")
	}
	p, err := r.Partner.domain()
	return p, roaming.TokenKind(r.TokenKind), err
}

// AddPartnerToken stores an inbound token hash; CodeConflict if it exists.
func (s *Roaming) AddPartnerToken(ctx context.Context, t roaming.PartnerToken) error {
	r := partnerTokenRow{TokenHash: t.Hash, PartnerID: t.PartnerID, Kind: string(t.Kind), CreatedAt: dbTime(t.CreatedAt)}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = s.db.now()
	}
	res := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&r)
	if res.Error != nil {
		return translate(res.Error, "add token of partner %d", t.PartnerID)
	}
	if res.RowsAffected == 0 {
		return conflict("add token of partner %d", t.PartnerID)
	}
	return nil
}

// DeletePartnerTokens removes the partner's tokens except keep ("" = all).
func (s *Roaming) DeletePartnerTokens(ctx context.Context, partnerID int64, keep string) error {
	q := s.q(ctx).Where("partner_id = ?", partnerID)
	if keep != "" {
		q = q.Where("token_hash <> ?", keep)
	}
	return translate(q.Delete(&partnerTokenRow{}).Error, "delete tokens of partner %d", partnerID)
}

// DeletePartnerToken removes one token of the partner.
func (s *Roaming) DeletePartnerToken(ctx context.Context, partnerID int64, hash string) error {
	err := s.q(ctx).Where("partner_id = ? AND token_hash = ?", partnerID, hash).Delete(&partnerTokenRow{}).Error
	return translate(err, "delete a token of partner %d", partnerID)
}

// PutClientInfo inserts or replaces what a hub told about a party.
func (s *Roaming) PutClientInfo(ctx context.Context, partnerID int64, ci ocpi.ClientInfo) (bool, error) {
	r := clientInfoRow{PartnerID: partnerID, CountryCode: strings.ToUpper(ci.CountryCode), PartyID: strings.ToUpper(ci.PartyID),
		Role: string(ci.Role), Status: string(ci.Status), LastUpdated: dbTime(ci.LastUpdated.Time), UpdatedAt: s.db.now()}
	return s.upsert(ctx, &r, []string{"role", "status", "last_updated", "updated_at"},
		"partner_id = ? AND country_code = ? AND party_id = ?", r.PartnerID, r.CountryCode, r.PartyID)
}

// GetClientInfo returns what the hub told about the party; CodeNotFound if nothing.
func (s *Roaming) GetClientInfo(ctx context.Context, partnerID int64, p roaming.Party) (ocpi.ClientInfo, error) {
	var r clientInfoRow
	n := p.Norm()
	err := s.q(ctx).Where("partner_id = ? AND country_code = ? AND party_id = ?", partnerID, n.CountryCode, n.PartyID).Take(&r).Error
	if err != nil {
		return ocpi.ClientInfo{}, translate(err, "client info %s of partner %d", n, partnerID)
	}
	return r.domain(), nil
}

// ListClientInfos lists everything a hub told, by party.
func (s *Roaming) ListClientInfos(ctx context.Context, partnerID int64) ([]ocpi.ClientInfo, error) {
	var rows []clientInfoRow
	if err := s.q(ctx).Where("partner_id = ?", partnerID).Order("country_code, party_id").Find(&rows).Error; err != nil {
		return nil, translate(err, "list client infos of partner %d", partnerID)
	}
	out := make([]ocpi.ClientInfo, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// upsert inserts row, or when its key exists updates cols of the row matching where; created
// reports an insert. It is race-free on both dialects: the insert never raises a conflict.
func (s *Roaming) upsert(ctx context.Context, row any, cols []string, where string, args ...any) (bool, error) {
	created := false
	err := s.db.atomic(ctx, func(g *gorm.DB) error {
		res := g.Clauses(clause.OnConflict{DoNothing: true}).Create(row)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 1 {
			created = true
			return nil
		}
		return g.Model(row).Where(where, args...).Select(cols).Updates(row).Error
	})
	return created, translate(err, "store %T", row)
}
