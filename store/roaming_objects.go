package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chargehub/hub/charging"
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
	base := func() *gorm.DB {
		q := s.q(ctx).Model(&tokenRow{})
		if f.PartnerID != 0 {
			q = q.Where("partner_id = ?", f.PartnerID)
		}
		if f.UID != "" {
			q = q.Where("uid_key = ?", key(f.UID))
		}
		return q
	}
	var rows []tokenRow
	err := page(base(), f.Offset, f.Limit).Order("country_code, party_id, uid_key, type").Find(&rows).Error
	if err != nil {
		return nil, 0, translate(err, "list tokens")
	}
	n, err := total(f.Offset, f.Limit, len(rows), func() (c int64, err error) { return c, base().Count(&c).Error })
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

// InvalidateTokens sets valid=false on the partner's tokens not stored since `since`.
func (s *Roaming) InvalidateTokens(ctx context.Context, partnerID int64, since time.Time) (int64, error) {
	res := s.q(ctx).Model(&tokenRow{}).Where("partner_id = ? AND updated_at < ? AND valid = ?", partnerID, dbTime(since), true).
		Updates(map[string]any{"valid": false, "updated_at": s.db.now()})
	return res.RowsAffected, translate(res.Error, "invalidate tokens of partner %d", partnerID)
}

// GetLocation returns a location with its stations; CodeNotFound when unknown.
func (s *Roaming) GetLocation(ctx context.Context, id string) (roaming.Location, error) {
	var r locationRow
	if err := s.q(ctx).Where("id_key = ?", key(id)).Take(&r).Error; err != nil {
		return roaming.Location{}, translate(err, "get location %q", id)
	}
	list, err := s.locations(ctx, []locationRow{r})
	if err != nil {
		return roaming.Location{}, err
	}
	return list[0], nil
}

// LocationBody returns one location's stored OCPI JSON and whether it is published.
func (s *Roaming) LocationBody(ctx context.Context, id string) (json.RawMessage, bool, error) {
	var r locationRow
	if err := s.q(ctx).Select("body", "visible").Where("id_key = ?", key(id)).Take(&r).Error; err != nil {
		return nil, false, translate(err, "get location %q", id)
	}
	return json.RawMessage(r.Body), r.Visible, nil
}

// PutLocation inserts or replaces a location and its station assignments.
func (s *Roaming) PutLocation(ctx context.Context, l roaming.Location) (bool, error) {
	body, err := json.Marshal(l.OCPI)
	if err != nil {
		return false, fmt.Errorf("store: encode location: %w", err)
	}
	now := s.db.now()
	r := locationRow{IDKey: key(l.OCPI.ID), Visible: l.Visible(), Body: string(body), LastUpdated: dbTime(l.OCPI.LastUpdated.Time),
		CreatedAt: dbTime(l.CreatedAt), UpdatedAt: now}
	if l.CreatedAt.IsZero() {
		r.CreatedAt = now
	}
	if !l.ConfiguredAt.IsZero() {
		r.ConfiguredAt = dbTimePtr(&l.ConfiguredAt)
	}
	defaults := make(map[string]string, len(l.Connectors))
	for st, d := range l.Connectors {
		b, err := json.Marshal(d)
		if err != nil {
			return false, fmt.Errorf("store: encode connector defaults of station %q: %w", st, err)
		}
		defaults[st] = string(b)
	}
	created := false
	err = s.db.atomic(ctx, func(g *gorm.DB) error {
		tx := &Roaming{db: s.db.bind(g)}
		var have []locationStationRow
		if err := g.Where("location_key = ?", r.IDKey).Order("position").Find(&have).Error; err != nil {
			return err
		}
		same := len(have) == len(l.StationIDs) // EVSE changes save the location with its stations as they were
		for i := 0; same && i < len(have); i++ {
			st := l.StationIDs[i]
			same = have[i].StationID == st && have[i].Position == i && have[i].ConnectorDefaults == defaults[st]
		}
		if len(l.StationIDs) > 0 && !same {
			var taken []locationStationRow
			err := g.Where("station_id IN ? AND location_key <> ?", l.StationIDs, r.IDKey).Find(&taken).Error
			if err != nil {
				return err
			}
			if len(taken) > 0 {
				return charging.Errorf(charging.CodeConflict, "station %q already belongs to location %q",
					taken[0].StationID, taken[0].LocationKey)
			}
		}
		var cur locationRow // every save is a new version (roaming.Location.Version)
		err := g.Model(&locationRow{}).Select("version").Where("id_key = ?", r.IDKey).Limit(1).Find(&cur).Error
		if err != nil {
			return err
		}
		r.Version = cur.Version + 1
		if created, err = tx.upsert(ctx, &r, []string{"visible", "body", "last_updated", "updated_at", "configured_at", "version"},
			"id_key = ?", r.IDKey); err != nil {
			return err
		}
		if same {
			return nil
		}
		if err := g.Where("location_key = ?", r.IDKey).Delete(&locationStationRow{}).Error; err != nil {
			return err
		}
		for i, st := range l.StationIDs {
			row := locationStationRow{StationID: st, LocationKey: r.IDKey, Position: i, ConnectorDefaults: defaults[st]}
			if err := g.Create(&row).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if charging.ErrorCode(err) == charging.CodeConflict {
		return false, err
	}
	return created, translate(err, "put location %q", l.OCPI.ID)
}

// ListLocations returns one page of locations by creation and how many match.
func (s *Roaming) ListLocations(ctx context.Context, f roaming.ObjectFilter) ([]roaming.Location, int, error) {
	base := func() *gorm.DB {
		q := dateFilter(s.q(ctx).Model(&locationRow{}), f)
		if f.VisibleOnly {
			q = q.Where("visible = ?", true)
		}
		return q
	}
	var rows []locationRow
	if err := page(base(), f.Offset, f.Limit).Order("created_at, id_key").Find(&rows).Error; err != nil {
		return nil, 0, translate(err, "list locations")
	}
	n, err := total(f.Offset, f.Limit, len(rows), func() (c int64, err error) { return c, base().Count(&c).Error })
	if err != nil {
		return nil, 0, translate(err, "count locations")
	}
	out, err := s.locations(ctx, rows)
	return out, n, err
}

// LocationBodies returns one page of locations' stored OCPI JSON by creation and how many match.
func (s *Roaming) LocationBodies(ctx context.Context, f roaming.ObjectFilter) ([]json.RawMessage, int, error) {
	base := func() *gorm.DB {
		q := dateFilter(s.q(ctx).Model(&locationRow{}), f)
		if f.VisibleOnly {
			q = q.Where("visible = ?", true)
		}
		return q
	}
	var bodies []string
	if err := page(base(), f.Offset, f.Limit).Order("created_at, id_key").Pluck("body", &bodies).Error; err != nil {
		return nil, 0, translate(err, "list location bodies")
	}
	n, err := total(f.Offset, f.Limit, len(bodies), func() (c int64, err error) { return c, base().Count(&c).Error })
	if err != nil {
		return nil, 0, translate(err, "count locations")
	}
	out := make([]json.RawMessage, len(bodies))
	for i, b := range bodies {
		out[i] = json.RawMessage(b)
	}
	return out, n, nil
}

// LockLocation takes the location's row lock until the transaction ends (SELECT ... FOR UPDATE on
// PostgreSQL; SQLite transactions hold the database write lock from BEGIN, so there it only checks
// that the location exists) and returns its version. CodeNotFound for an unknown id.
func (s *Roaming) LockLocation(ctx context.Context, id string) (int64, error) {
	var version int64
	if err := s.db.queryRow(ctx, lockLocationSQL, []any{&version}, key(id)); err != nil {
		return 0, translate(err, "lock location %q", id)
	}
	return version, nil
}

// lockLocationSQL runs at every charging change of a station in a location (see raw.go); the
// lock clause exists only on PostgreSQL.
var lockLocationSQL = sqlText{
	sqlite: "SELECT version FROM ocpi_locations WHERE id_key = ?",
	pg:     "SELECT version FROM ocpi_locations WHERE id_key = $1 FOR UPDATE",
}

// LocationKeyOfStation returns the key of the location the station belongs to.
func (s *Roaming) LocationKeyOfStation(ctx context.Context, stationID string) (string, error) {
	var key string
	if err := s.db.queryRow(ctx, locationKeyOfStationSQL, []any{&key}, stationID); err != nil {
		return "", translate(err, "location of station %q", stationID)
	}
	return key, nil
}

// locationKeyOfStationSQL is asked on every status and transaction change (see raw.go).
var locationKeyOfStationSQL = newSQL("SELECT location_key FROM ocpi_location_stations WHERE station_id = ?")

// LocationOfStation returns the location the station belongs to.
func (s *Roaming) LocationOfStation(ctx context.Context, stationID string) (roaming.Location, error) {
	var ls locationStationRow
	if err := s.q(ctx).Where("station_id = ?", stationID).Take(&ls).Error; err != nil {
		return roaming.Location{}, translate(err, "location of station %q", stationID)
	}
	return s.GetLocation(ctx, ls.LocationKey)
}

// locations decodes location rows and attaches their stations (one query).
func (s *Roaming) locations(ctx context.Context, rows []locationRow) ([]roaming.Location, error) {
	out := make([]roaming.Location, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	keys := make([]string, len(rows))
	idx := make(map[string]int, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal([]byte(r.Body), &out[i].OCPI); err != nil {
			return nil, fmt.Errorf("store: location %q body: %w", r.IDKey, err)
		}
		out[i].CreatedAt, out[i].UpdatedAt, out[i].Version = r.CreatedAt.UTC(), r.UpdatedAt.UTC(), r.Version
		if r.ConfiguredAt != nil {
			out[i].ConfiguredAt = r.ConfiguredAt.UTC()
		}
		keys[i], idx[r.IDKey] = r.IDKey, i
	}
	var sts []locationStationRow
	if err := s.q(ctx).Where("location_key IN ?", keys).Order("location_key, position").Find(&sts).Error; err != nil {
		return nil, translate(err, "stations of locations")
	}
	for _, st := range sts {
		i := idx[st.LocationKey]
		out[i].StationIDs = append(out[i].StationIDs, st.StationID)
		if st.ConnectorDefaults == "" {
			continue
		}
		var d roaming.ConnectorDefaults
		if err := json.Unmarshal([]byte(st.ConnectorDefaults), &d); err != nil {
			return nil, fmt.Errorf("store: connector defaults of station %q: %w", st.StationID, err)
		}
		if out[i].Connectors == nil {
			out[i].Connectors = map[string]roaming.ConnectorDefaults{}
		}
		out[i].Connectors[st.StationID] = d
	}
	return out, nil
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
	var r sessionRow
	if err := s.q(ctx).Where("id_key = ?", key(id)).Take(&r).Error; err != nil {
		return ocpi.Session{}, translate(err, "get session %q", id)
	}
	var out ocpi.Session
	return out, decodeBody(r.Object.Body, &out, "session", r.Object.IDKey)
}

// PutSession inserts or replaces a session.
func (s *Roaming) PutSession(ctx context.Context, sess ocpi.Session) (bool, error) {
	body, err := json.Marshal(sess)
	if err != nil {
		return false, fmt.Errorf("store: encode session: %w", err)
	}
	now := s.db.now()
	r := sessionRow{Object: objectRow{IDKey: key(sess.ID), EMSPCountryCode: key(sess.CdrToken.CountryCode),
		EMSPPartyID: key(sess.CdrToken.PartyID), Body: string(body), LastUpdated: dbTime(sess.LastUpdated.Time), CreatedAt: now},
		UpdatedAt: now}
	return s.upsert(ctx, &r, []string{"emsp_country_code", "emsp_party_id", "body", "last_updated", "updated_at"}, "id_key = ?", r.Object.IDKey)
}

// ListSessions returns one page of sessions by creation and how many match.
func (s *Roaming) ListSessions(ctx context.Context, f roaming.ObjectFilter) ([]ocpi.Session, int, error) {
	return listObjects[ocpi.Session](ctx, s, &sessionRow{}, f, "sessions")
}

// GetCDR returns a CDR; CodeNotFound when unknown.
func (s *Roaming) GetCDR(ctx context.Context, id string) (ocpi.CDR, error) {
	var r cdrRow
	if err := s.q(ctx).Where("id_key = ?", key(id)).Take(&r).Error; err != nil {
		return ocpi.CDR{}, translate(err, "get cdr %q", id)
	}
	var out ocpi.CDR
	return out, decodeBody(r.Object.Body, &out, "cdr", r.Object.IDKey)
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
