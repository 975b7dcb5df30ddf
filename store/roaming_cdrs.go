package store

import (
	"context"
	"time"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// The CDR ledger (migrations/*/00007_tariffs.sql): issued CDRs in issue order, their deliveries
// per partner, corrections, and stale PENDING sessions for housekeeping.

var _ roaming.CDRLedgerStore = (*Roaming)(nil)

type cdrDeliveryRow struct {
	CDRKey         string     `gorm:"column:cdr_key;primaryKey"`
	PartnerID      int64      `gorm:"column:partner_id;primaryKey;autoIncrement:false"`
	Status         string     `gorm:"column:status"`
	OutboxID       int64      `gorm:"column:outbox_id"`
	Attempts       int        `gorm:"column:attempts"`
	ResultLocation string     `gorm:"column:result_location"`
	LastError      string     `gorm:"column:last_error"`
	BodyHash       string     `gorm:"column:body_hash"`
	DeliveredAt    *time.Time `gorm:"column:delivered_at"`
	Redeliveries   int        `gorm:"column:redeliveries"`
	UpdatedAt      time.Time  `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (cdrDeliveryRow) TableName() string { return "ocpi_cdr_deliveries" }

func (r cdrDeliveryRow) domain() roaming.CDRDelivery {
	return roaming.CDRDelivery{CDRKey: r.CDRKey, PartnerID: r.PartnerID, Status: roaming.OutboxStatus(r.Status), OutboxID: r.OutboxID,
		Attempts: r.Attempts, Location: r.ResultLocation, LastError: r.LastError, BodyHash: r.BodyHash,
		DeliveredAt: utcPtr(r.DeliveredAt), Redeliveries: r.Redeliveries, UpdatedAt: r.UpdatedAt.UTC()}
}

type cdrCorrectionRow struct {
	CDRKey         string    `gorm:"column:cdr_key;primaryKey"`
	RootKey        string    `gorm:"column:root_key"`
	CreditKey      string    `gorm:"column:credit_key"`
	ReplacementKey string    `gorm:"column:replacement_key"`
	Reason         string    `gorm:"column:reason"`
	CreatedAt      time.Time `gorm:"column:created_at;autoCreateTime:false"`
}

func (cdrCorrectionRow) TableName() string { return "ocpi_cdr_corrections" }

func (r cdrCorrectionRow) domain() roaming.CDRCorrection {
	return roaming.CDRCorrection{CDRKey: r.CDRKey, RootKey: r.RootKey, CreditKey: r.CreditKey, ReplacementKey: r.ReplacementKey,
		Reason: r.Reason, CreatedAt: r.CreatedAt.UTC()}
}

// CDRPage returns the next page of issued CDRs in (created_at, id_key) order: one indexed range
// query per page (keyset pagination), so paging through any number of CDRs costs the same per page.
func (s *Roaming) CDRPage(ctx context.Context, q roaming.CDRQuery) ([]roaming.IssuedCDR, error) {
	if q.Limit <= 0 {
		q.Limit = 500
	}
	g := ownerFilter(s.q(ctx).Model(&cdrRow{}), roaming.ObjectFilter{Restrict: q.Restrict, Owners: q.Owners})
	if q.From != nil {
		g = g.Where("created_at >= ?", dbTime(*q.From))
	}
	if q.To != nil {
		g = g.Where("created_at < ?", dbTime(*q.To))
	}
	if q.After != nil {
		at := dbTime(q.After.IssuedAt)
		g = g.Where("(created_at > ? OR (created_at = ? AND id_key > ?))", at, at, q.After.Key)
	}
	var rows []struct {
		IDKey     string    `gorm:"column:id_key"`
		Body      string    `gorm:"column:body"`
		CreatedAt time.Time `gorm:"column:created_at"`
	}
	if err := g.Select("id_key, body, created_at").Order("created_at, id_key").Limit(q.Limit).Find(&rows).Error; err != nil {
		return nil, translate(err, "page of cdrs")
	}
	out := make([]roaming.IssuedCDR, len(rows))
	for i, r := range rows {
		out[i] = roaming.IssuedCDR{Body: []byte(r.Body), Key: r.IDKey, IssuedAt: r.CreatedAt.UTC()}
		if err := decodeBody(r.Body, &out[i].CDR, "cdr", r.IDKey); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CDRDeliveries returns the deliveries of the CDRs: the recorded rows, overlaid by the newest
// POST outbox item of each (CDR, partner); Unrecorded marks an outbox state the rows do not hold.
func (s *Roaming) CDRDeliveries(ctx context.Context, keys []string) (map[string][]roaming.CDRDelivery, error) {
	out := map[string][]roaming.CDRDelivery{}
	if len(keys) == 0 {
		return out, nil
	}
	var rows []cdrDeliveryRow
	if err := s.q(ctx).Where("cdr_key IN ?", keys).Order("cdr_key, partner_id").Find(&rows).Error; err != nil {
		return nil, translate(err, "cdr deliveries")
	}
	type pk struct {
		cdr     string
		partner int64
	}
	merged := map[pk]roaming.CDRDelivery{}
	var order []pk
	for _, r := range rows {
		k := pk{r.CDRKey, r.PartnerID}
		merged[k] = r.domain()
		order = append(order, k)
	}
	objects := make([]string, len(keys))
	for i, k := range keys {
		objects[i] = string(ocpi.ModuleIDCdrs) + "/" + k
	}
	var items []outboxRow
	err := s.q(ctx).Where("object_key IN ? AND method = ?", objects, "POST").Order("id").Find(&items).Error
	if err != nil {
		return nil, translate(err, "cdr pushes")
	}
	for _, it := range items {
		k := pk{it.ObjectKey[len(ocpi.ModuleIDCdrs)+1:], it.PartnerID}
		d, recorded := merged[k]
		if !recorded {
			order = append(order, k)
		}
		live := roaming.CDRDelivery{CDRKey: k.cdr, PartnerID: k.partner, Status: roaming.OutboxStatus(it.Status), OutboxID: it.ID,
			Attempts: it.Attempts, Location: it.ResultLocation, LastError: it.LastError, BodyHash: roaming.BodyHash([]byte(it.Body)),
			DeliveredAt: utcPtr(it.DeliveredAt), Redeliveries: d.Redeliveries, UpdatedAt: it.UpdatedAt.UTC()}
		live.Unrecorded = !recorded || d.Status != live.Status || d.OutboxID != live.OutboxID || d.Location != live.Location ||
			d.BodyHash != live.BodyHash
		merged[k] = live
	}
	for _, k := range order {
		out[k.cdr] = append(out[k.cdr], merged[k])
	}
	return out, nil
}

// SaveCDRDelivery records a delivery (insert or replace).
func (s *Roaming) SaveCDRDelivery(ctx context.Context, d roaming.CDRDelivery) error {
	r := cdrDeliveryRow{CDRKey: key(d.CDRKey), PartnerID: d.PartnerID, Status: string(d.Status), OutboxID: d.OutboxID,
		Attempts: d.Attempts, ResultLocation: d.Location, LastError: clipError(d.LastError), BodyHash: d.BodyHash,
		DeliveredAt: dbTimePtr(d.DeliveredAt), Redeliveries: d.Redeliveries, UpdatedAt: dbTime(d.UpdatedAt)}
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = s.db.now()
	}
	_, err := s.upsert(ctx, &r, []string{"status", "outbox_id", "attempts", "result_location", "last_error", "body_hash",
		"delivered_at", "redeliveries", "updated_at"}, "cdr_key = ? AND partner_id = ?", r.CDRKey, r.PartnerID)
	return err
}

// AddCDRCorrection records a correction; CodeConflict when the CDR has one.
func (s *Roaming) AddCDRCorrection(ctx context.Context, c roaming.CDRCorrection) error {
	r := cdrCorrectionRow{CDRKey: key(c.CDRKey), RootKey: key(c.RootKey), CreditKey: key(c.CreditKey),
		ReplacementKey: key(c.ReplacementKey), Reason: c.Reason, CreatedAt: dbTime(c.CreatedAt)}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = s.db.now()
	}
	created, err := s.insertOnce(ctx, &r)
	if err != nil {
		return translate(err, "add correction of cdr %q", c.CDRKey)
	}
	if !created {
		return conflict("add correction of cdr %q", c.CDRKey)
	}
	return nil
}

// GetCDRCorrection returns the correction of a CDR.
func (s *Roaming) GetCDRCorrection(ctx context.Context, cdrKey string) (roaming.CDRCorrection, error) {
	return s.correction(ctx, "cdr_key = ?", cdrKey)
}

// CDRCorrectionByReplacement returns the correction that issued the CDR as a replacement.
func (s *Roaming) CDRCorrectionByReplacement(ctx context.Context, cdrKey string) (roaming.CDRCorrection, error) {
	return s.correction(ctx, "replacement_key = ?", cdrKey)
}

func (s *Roaming) correction(ctx context.Context, where, cdrKey string) (roaming.CDRCorrection, error) {
	var r cdrCorrectionRow
	if err := s.q(ctx).Where(where, key(cdrKey)).Take(&r).Error; err != nil {
		return roaming.CDRCorrection{}, translate(err, "correction of cdr %q", cdrKey)
	}
	return r.domain(), nil
}

// CountCDRCorrections counts the corrections of a chain.
func (s *Roaming) CountCDRCorrections(ctx context.Context, rootKey string) (int, error) {
	var n int64
	if err := s.q(ctx).Model(&cdrCorrectionRow{}).Where("root_key = ?", key(rootKey)).Count(&n).Error; err != nil {
		return 0, translate(err, "count corrections of %q", rootKey)
	}
	return int(n), nil
}

// StalePendingSessions lists PENDING sessions last updated before `before`, oldest first. The
// body filter is a pre-selection (sessions are stored as compact JSON); the status is checked
// on the decoded session.
func (s *Roaming) StalePendingSessions(ctx context.Context, before time.Time, limit int) ([]ocpi.Session, error) {
	var rows []sessionRow
	err := s.q(ctx).Where("last_updated < ? AND body LIKE ?", dbTime(before), `%"status":"PENDING"%`).
		Order("last_updated, id_key").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, translate(err, "stale pending sessions")
	}
	out := make([]ocpi.Session, 0, len(rows))
	for _, r := range rows {
		var sess ocpi.Session
		if err := decodeBody(r.Object.Body, &sess, "session", r.Object.IDKey); err != nil {
			return nil, err
		}
		if sess.Status == ocpi.SessionStatusPending {
			out = append(out, sess)
		}
	}
	return out, nil
}
