package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// key is the stored form of a CiString id.
func key(id string) string { return strings.ToUpper(id) }

// GetToken returns the token; CodeNotFound when unknown.
func (s *Roaming) GetToken(ctx context.Context, k roaming.TokenKey) (roaming.StoredToken, error) {
	n := k.Norm()
	var r tokenRow
	err := s.q(ctx).Where("country_code = ? AND party_id = ? AND uid_key = ? AND type = ?",
		n.Party.CountryCode, n.Party.PartyID, n.UID, string(n.Type)).Take(&r).Error
	if err != nil {
		return roaming.StoredToken{}, translate(err, "get token %s/%s", n.Party, n.UID)
	}
	return r.domain()
}

// PutToken inserts or replaces a token; UpdatedAt becomes now.
func (s *Roaming) PutToken(ctx context.Context, t roaming.StoredToken) (bool, error) {
	body, err := json.Marshal(t.Token)
	if err != nil {
		return false, fmt.Errorf("store: encode token: %w", err)
	}
	n := roaming.KeyOf(&t.Token).Norm()
	r := tokenRow{CountryCode: n.Party.CountryCode, PartyID: n.Party.PartyID, UIDKey: n.UID, Type: string(n.Type),
		PartnerID: t.PartnerID, Valid: t.Token.Valid, Whitelist: string(t.Token.Whitelist), Body: string(body),
		LastUpdated: dbTime(t.Token.LastUpdated.Time), UpdatedAt: s.db.now()}
	return s.upsert(ctx, &r, []string{"partner_id", "valid", "whitelist", "body", "last_updated", "updated_at"},
		"country_code = ? AND party_id = ? AND uid_key = ? AND type = ?", r.CountryCode, r.PartyID, r.UIDKey, r.Type)
}

// ListTokens returns one page of tokens by key and how many match.
func (s *Roaming) ListTokens(ctx context.Context, f roaming.TokenFilter) ([]roaming.StoredToken, int, error) {
	filter, where := 0, make([]any, 0, 4)
	if f.PartnerID != 0 {
		filter, where = filter|tokensByPartner, append(where, f.PartnerID)
	}
	if f.UID != "" {
		filter, where = filter|tokensByUID, append(where, key(f.UID))
	}
	shape, args := pageArgs(where, f.Offset, f.Limit)
	var r tokenRow
	rows, err := collect(ctx, s.db, tokenListSQL[filter][shape], r.fields(), func() tokenRow { return r }, args...)
	if err != nil {
		return nil, 0, translate(err, "list tokens")
	}
	n, err := total(f.Offset, f.Limit, len(rows), func() (c int64, err error) {
		return c, s.db.queryRow(ctx, tokenCountSQL[filter], []any{&c}, where...)
	})
	if err != nil {
		return nil, 0, translate(err, "count tokens")
	}
	out := make([]roaming.StoredToken, len(rows))
	for i, r := range rows {
		if out[i], err = r.domain(); err != nil {
			return nil, 0, err
		}
	}
	return out, n, nil
}

// The filters of ListTokens (the publisher lists a token's uid at every Session it builds): a
// bit set of the conditions; tokenListSQL[filter][shape] lists a page (shape: see pageArgs) and
// tokenCountSQL[filter] counts.
const (
	tokensByPartner = 1 << iota
	tokensByUID
)

var tokenListSQL, tokenCountSQL = func() (list [tokensByUID << 1][3]sqlText, count [tokensByUID << 1]sqlText) {
	for filter := range list {
		where := " WHERE 1 = 1"
		if filter&tokensByPartner != 0 {
			where += " AND partner_id = ?"
		}
		if filter&tokensByUID != 0 {
			where += " AND uid_key = ?"
		}
		list[filter] = pagedSQL("SELECT " + columns(tokenCols) + " FROM ocpi_tokens" + where +
			" ORDER BY country_code, party_id, uid_key, type")
		count[filter] = newSQL("SELECT count(*) FROM ocpi_tokens" + where)
	}
	return list, count
}()

// tokenCols lists the columns of ocpi_tokens, in the order of tokenRow.fields.
var tokenCols = []string{"country_code", "party_id", "uid_key", "type", "partner_id", "valid", "whitelist", "body",
	"last_updated", "updated_at"}

// fields points at r's fields in the order of tokenCols, for Scan.
func (r *tokenRow) fields() []any {
	return []any{&r.CountryCode, &r.PartyID, &r.UIDKey, &r.Type, &r.PartnerID, &r.Valid, &r.Whitelist, &r.Body,
		&r.LastUpdated, &r.UpdatedAt}
}

// InvalidateTokens sets valid=false on the partner's tokens not stored since `since`.
func (s *Roaming) InvalidateTokens(ctx context.Context, partnerID int64, since time.Time) (int64, error) {
	res := s.q(ctx).Model(&tokenRow{}).Where("partner_id = ? AND updated_at < ? AND valid = ?", partnerID, dbTime(since), true).
		Updates(map[string]any{"valid": false, "updated_at": s.db.now()})
	return res.RowsAffected, translate(res.Error, "invalidate tokens of partner %d", partnerID)
}

// dateFilter applies an ObjectFilter's last_updated window [DateFrom, DateTo).
func dateFilter(q *gorm.DB, f roaming.ObjectFilter) *gorm.DB {
	if f.DateFrom != nil {
		q = q.Where("last_updated >= ?", dbTime(*f.DateFrom))
	}
	if f.DateTo != nil {
		q = q.Where("last_updated < ?", dbTime(*f.DateTo))
	}
	return q
}

// ownerFilter applies an ObjectFilter's token-owner restriction.
func ownerFilter(q *gorm.DB, f roaming.ObjectFilter) *gorm.DB {
	if !f.Restrict {
		return q
	}
	if len(f.Owners) == 0 {
		return q.Where("1 = 0")
	}
	conds := make([]string, len(f.Owners))
	args := make([]any, 0, 2*len(f.Owners))
	for i, p := range f.Owners {
		n := p.Norm()
		conds[i] = "(emsp_country_code = ? AND emsp_party_id = ?)"
		args = append(args, n.CountryCode, n.PartyID)
	}
	return q.Where("("+strings.Join(conds, " OR ")+")", args...)
}

// GetSession returns a session; CodeNotFound when unknown.
func (s *Roaming) GetSession(ctx context.Context, id string) (ocpi.Session, error) {
	var body string
	if err := s.db.queryRow(ctx, sessionGetSQL, []any{&body}, key(id)); err != nil {
		return ocpi.Session{}, translate(err, "get session %q", id)
	}
	var out ocpi.Session
	return out, decodeBody(body, &out, "session", key(id))
}

// PutSession inserts or replaces a session.
func (s *Roaming) PutSession(ctx context.Context, sess ocpi.Session) (bool, error) {
	body, err := json.Marshal(sess)
	if err != nil {
		return false, fmt.Errorf("store: encode session: %w", err)
	}
	now := s.db.now()
	id, cc, party, last := key(sess.ID), key(sess.CdrToken.CountryCode), key(sess.CdrToken.PartyID), dbTime(sess.LastUpdated.Time)
	created := false
	err = s.db.write(ctx, func(d *DB) (err error) {
		created, err = updateOrInsert(
			func() (bool, error) {
				n, err := d.exec(ctx, sessionUpdateSQL, cc, party, string(body), last, now, id)
				return n == 1, err
			},
			func() (bool, error) {
				n, err := d.exec(ctx, sessionInsertSQL, id, cc, party, string(body), last, now, now)
				return n == 1, err
			})
		return err
	})
	return created, translate(err, "put session %q", sess.ID)
}

// The statements of the Session and CDR a charging change publishes (see raw.go).
var (
	sessionGetSQL    = newSQL("SELECT body FROM ocpi_sessions WHERE id_key = ?")
	sessionUpdateSQL = newSQL("UPDATE ocpi_sessions SET emsp_country_code = ?, emsp_party_id = ?, body = ?, last_updated = ?, " +
		"updated_at = ? WHERE id_key = ?")
	sessionInsertSQL = newSQL(insertSQL("ocpi_sessions", []string{"id_key", "emsp_country_code", "emsp_party_id", "body",
		"last_updated", "created_at", "updated_at"}, 1) + " ON CONFLICT DO NOTHING")
	cdrGetSQL = newSQL("SELECT body FROM ocpi_cdrs WHERE id_key = ?")
)

// ListSessions returns one page of sessions by creation and how many match.
func (s *Roaming) ListSessions(ctx context.Context, f roaming.ObjectFilter) ([]ocpi.Session, int, error) {
	return listObjects[ocpi.Session](ctx, s, &sessionRow{}, f, "sessions")
}

// GetCDR returns a CDR; CodeNotFound when unknown.
func (s *Roaming) GetCDR(ctx context.Context, id string) (ocpi.CDR, error) {
	var body string
	if err := s.db.queryRow(ctx, cdrGetSQL, []any{&body}, key(id)); err != nil {
		return ocpi.CDR{}, translate(err, "get cdr %q", id)
	}
	var out ocpi.CDR
	return out, decodeBody(body, &out, "cdr", key(id))
}

// CreateCDR inserts a CDR; CodeConflict when its id exists.
func (s *Roaming) CreateCDR(ctx context.Context, c ocpi.CDR) error {
	body, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("store: encode cdr: %w", err)
	}
	r := cdrRow{Object: objectRow{IDKey: key(c.ID), EMSPCountryCode: key(c.CdrToken.CountryCode), EMSPPartyID: key(c.CdrToken.PartyID),
		Body: string(body), LastUpdated: dbTime(c.LastUpdated.Time), CreatedAt: s.db.now()}}
	created, err := s.insertOnce(ctx, &r)
	if err != nil {
		return translate(err, "create cdr %q", c.ID)
	}
	if !created {
		return conflict("create cdr %q", c.ID)
	}
	return nil
}

// ListCDRs returns one page of CDRs by creation and how many match.
func (s *Roaming) ListCDRs(ctx context.Context, f roaming.ObjectFilter) ([]ocpi.CDR, int, error) {
	return listObjects[ocpi.CDR](ctx, s, &cdrRow{}, f, "cdrs")
}

// GetTariff returns a current tariff; CodeNotFound when unknown or deleted.
func (s *Roaming) GetTariff(ctx context.Context, id string) (ocpi.Tariff, error) {
	var r tariffRow
	if err := s.q(ctx).Where("id_key = ? AND deleted = ?", key(id), false).Take(&r).Error; err != nil {
		return ocpi.Tariff{}, translate(err, "get tariff %q", id)
	}
	var out ocpi.Tariff
	return out, decodeBody(r.Body, &out, "tariff", r.IDKey)
}

// PutTariff inserts or replaces a tariff (and revives a deleted one).
func (s *Roaming) PutTariff(ctx context.Context, t ocpi.Tariff) (bool, error) {
	body, err := json.Marshal(t)
	if err != nil {
		return false, fmt.Errorf("store: encode tariff: %w", err)
	}
	now := s.db.now()
	r := tariffRow{IDKey: key(t.ID), Body: string(body), LastUpdated: dbTime(t.LastUpdated.Time), CreatedAt: now, UpdatedAt: now}
	return s.upsert(ctx, &r, []string{"deleted", "body", "last_updated", "updated_at"}, "id_key = ?", r.IDKey)
}

// DeleteTariff marks a tariff deleted; CodeNotFound when unknown.
func (s *Roaming) DeleteTariff(ctx context.Context, id string) error {
	res := s.q(ctx).Model(&tariffRow{}).Where("id_key = ? AND deleted = ?", key(id), false).
		Updates(map[string]any{"deleted": true, "updated_at": s.db.now()})
	if res.Error != nil {
		return translate(res.Error, "delete tariff %q", id)
	}
	if res.RowsAffected == 0 {
		return notFound("delete tariff %q", id)
	}
	return nil
}

// ListTariffs returns one page of current tariffs by creation and how many match.
func (s *Roaming) ListTariffs(ctx context.Context, f roaming.ObjectFilter) ([]ocpi.Tariff, int, error) {
	f.Restrict = false
	return listObjects[ocpi.Tariff](ctx, s, &tariffRow{}, f, "tariffs")
}

// listObjects pages through a table of OCPI bodies (sessions, cdrs, tariffs).
func listObjects[T any](ctx context.Context, s *Roaming, model any, f roaming.ObjectFilter, what string) ([]T, int, error) {
	base := func() *gorm.DB {
		q := ownerFilter(dateFilter(s.q(ctx).Model(model), f), f)
		if _, ok := model.(*tariffRow); ok {
			q = q.Where("deleted = ?", false)
		}
		return q
	}
	var rows []struct {
		IDKey string `gorm:"column:id_key"`
		Body  string `gorm:"column:body"`
	}
	if err := page(base(), f.Offset, f.Limit).Select("id_key, body").Order("created_at, id_key").Find(&rows).Error; err != nil {
		return nil, 0, translate(err, "list %s", what)
	}
	n, err := total(f.Offset, f.Limit, len(rows), func() (c int64, err error) { return c, base().Count(&c).Error })
	if err != nil {
		return nil, 0, translate(err, "count %s", what)
	}
	out := make([]T, len(rows))
	for i, r := range rows {
		if err := decodeBody(r.Body, &out[i], what, r.IDKey); err != nil {
			return nil, 0, err
		}
	}
	return out, n, nil
}

// decodeBody reads a stored OCPI JSON body.
func decodeBody(body string, dst any, what, id string) error {
	if err := json.Unmarshal([]byte(body), dst); err != nil {
		return fmt.Errorf("store: %s %q body: %w", what, id, err)
	}
	return nil
}

// insertOnce inserts row unless its key exists; created reports the insert.
func (s *Roaming) insertOnce(ctx context.Context, row any) (bool, error) {
	res := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(row)
	return res.RowsAffected == 1, res.Error
}
