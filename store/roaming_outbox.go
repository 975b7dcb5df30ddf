package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chargehub/hub/roaming"
)

// EnqueueOutbox inserts pending items in one statement batch; their ids grow with the order of
// items, so pushes of one object keep the order in which they were enqueued.
func (s *Roaming) EnqueueOutbox(ctx context.Context, items ...roaming.OutboxItem) error {
	if len(items) == 0 {
		return nil
	}
	now := s.db.now()
	rows := make([]outboxRow, len(items))
	for i := range items {
		it := items[i]
		it.ID, it.Status, it.Attempts = 0, roaming.OutboxPending, 0
		if it.NextAttemptAt.IsZero() {
			it.NextAttemptAt = now
		}
		it.CreatedAt, it.UpdatedAt = now, now
		rows[i] = toOutboxRow(&it)
	}
	return translate(s.db.atomic(ctx, func(g *gorm.DB) error {
		for i := range rows { // one INSERT per row keeps the ids in order on both dialects
			if err := g.Create(&rows[i]).Error; err != nil {
				return err
			}
		}
		return nil
	}), "enqueue %d outbox items", len(rows))
}

// ClaimOutbox leases due items: per (partner, object) only the oldest pending one, of registered
// partners not in skip. On PostgreSQL the rows are locked FOR UPDATE SKIP LOCKED while the lease
// is written, so concurrent workers never claim the same item; on SQLite the transaction holds
// the write lock.
func (s *Roaming) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int, skip []int64) ([]roaming.OutboxItem, error) {
	now = dbTime(now)
	query := `SELECT o.* FROM ocpi_outbox o JOIN ocpi_partners p ON p.id = o.partner_id
		WHERE o.status = ? AND o.next_attempt_at <= ? AND (o.locked_until IS NULL OR o.locked_until <= ?)
		AND p.status = ?`
	args := []any{string(roaming.OutboxPending), now, now, string(roaming.PartnerRegistered)}
	if len(skip) > 0 {
		query += " AND o.partner_id NOT IN ?"
		args = append(args, skip)
	}
	query += ` AND NOT EXISTS (SELECT 1 FROM ocpi_outbox e WHERE e.partner_id = o.partner_id
			AND e.object_key = o.object_key AND e.status = ? AND e.id < o.id)
		ORDER BY o.id LIMIT ` + strconv.Itoa(limit) // written out: a bound LIMIT is slow on SQLite (see remoteStartSQL)
	args = append(args, string(roaming.OutboxPending))
	if s.db.dialect == DialectPostgres {
		query += " FOR UPDATE OF o SKIP LOCKED"
	}
	var rows []outboxRow
	err := s.db.atomic(ctx, func(g *gorm.DB) error {
		if err := g.Raw(query, args...).Scan(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		until := dbTime(now.Add(lease))
		return g.Model(&outboxRow{}).Where("id IN ?", ids).Updates(map[string]any{"locked_until": until, "locked_by": s.db.node,
			"updated_at": now}).Error
	})
	if err != nil {
		return nil, translate(err, "claim outbox")
	}
	out := make([]roaming.OutboxItem, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// CompleteOutbox records a delivery attempt and releases the lease.
func (s *Roaming) CompleteOutbox(ctx context.Context, id int64, r roaming.OutboxResult) error {
	at := dbTime(r.At)
	set := map[string]any{"locked_until": nil, "locked_by": "", "updated_at": at}
	switch r.Outcome {
	case roaming.OutcomeDelivered:
		set["status"], set["delivered_at"], set["last_error"] = string(roaming.OutboxDelivered), at, ""
		set["result_location"] = r.ResultLocation
		set["attempts"] = gorm.Expr("attempts + 1")
	case roaming.OutcomeRetry:
		set["next_attempt_at"], set["last_error"] = dbTime(r.NextAttemptAt), clipError(r.Error)
		set["attempts"] = gorm.Expr("attempts + 1")
	case roaming.OutcomeFailed:
		set["status"], set["last_error"] = string(roaming.OutboxFailed), clipError(r.Error)
		set["attempts"] = gorm.Expr("attempts + 1")
	case roaming.OutcomeDeferred:
		set["next_attempt_at"] = dbTime(r.NextAttemptAt)
	default:
		return notFound("outbox outcome %q", r.Outcome)
	}
	res := s.q(ctx).Model(&outboxRow{}).Where("id = ? AND status = ?", id, string(roaming.OutboxPending)).Updates(set)
	if res.Error != nil {
		return translate(res.Error, "complete outbox item %d", id)
	}
	if res.RowsAffected == 0 {
		return notFound("complete pending outbox item %d", id)
	}
	return nil
}

// CompleteOutboxMany records several attempts in one database transaction (one write lock
// instead of one per item); any failure rolls them all back.
func (s *Roaming) CompleteOutboxMany(ctx context.Context, ids []int64, results []roaming.OutboxResult) error {
	return s.InTx(ctx, func(tx roaming.Store) error {
		for i, id := range ids {
			if err := tx.CompleteOutbox(ctx, id, results[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// clipError keeps stored error texts short.
func clipError(s string) string {
	if len(s) > 1000 {
		return strings.ToValidUTF8(s[:1000], "") + "…"
	}
	return s
}

// ListOutbox returns one page of items, newest first, and how many match.
func (s *Roaming) ListOutbox(ctx context.Context, f roaming.OutboxFilter) ([]roaming.OutboxItem, int, error) {
	base := func() *gorm.DB {
		q := s.q(ctx).Model(&outboxRow{})
		if f.PartnerID != 0 {
			q = q.Where("partner_id = ?", f.PartnerID)
		}
		if f.Status != "" {
			q = q.Where("status = ?", string(f.Status))
		}
		return q
	}
	var rows []outboxRow
	if err := page(base(), f.Offset, f.Limit).Order("id DESC").Find(&rows).Error; err != nil {
		return nil, 0, translate(err, "list outbox")
	}
	n, err := total(f.Offset, f.Limit, len(rows), func() (c int64, err error) { return c, base().Count(&c).Error })
	if err != nil {
		return nil, 0, translate(err, "count outbox")
	}
	out := make([]roaming.OutboxItem, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, n, nil
}

// OutboxBacklog counts pending and failed items per partner.
func (s *Roaming) OutboxBacklog(ctx context.Context) ([]roaming.OutboxCount, error) {
	var rows []struct {
		PartnerID int64 `gorm:"column:partner_id"`
		Pending   int   `gorm:"column:pending"`
		Failed    int   `gorm:"column:failed"`
	}
	err := s.q(ctx).Raw(`SELECT partner_id,
		SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS pending,
		SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS failed
		FROM ocpi_outbox WHERE status IN (?, ?) GROUP BY partner_id ORDER BY partner_id`,
		string(roaming.OutboxPending), string(roaming.OutboxFailed), string(roaming.OutboxPending), string(roaming.OutboxFailed)).
		Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "outbox backlog")
	}
	out := make([]roaming.OutboxCount, len(rows))
	for i, r := range rows {
		out[i] = roaming.OutboxCount{PartnerID: r.PartnerID, Pending: r.Pending, Failed: r.Failed}
	}
	return out, nil
}

// CancelOutbox fails every pending item of the partner.
func (s *Roaming) CancelOutbox(ctx context.Context, partnerID int64, reason string) (int64, error) {
	res := s.q(ctx).Model(&outboxRow{}).Where("partner_id = ? AND status = ?", partnerID, string(roaming.OutboxPending)).
		Updates(map[string]any{"status": string(roaming.OutboxFailed), "last_error": clipError(reason), "locked_until": nil,
			"updated_at": s.db.now()})
	return res.RowsAffected, translate(res.Error, "cancel outbox of partner %d", partnerID)
}

// RetryOutbox puts a failed item back to pending, due at `at`; CodeNotFound if the partner has
// no such failed item.
func (s *Roaming) RetryOutbox(ctx context.Context, partnerID, id int64, at time.Time) error {
	res := s.q(ctx).Model(&outboxRow{}).Where("id = ? AND partner_id = ? AND status = ?", id, partnerID, string(roaming.OutboxFailed)).
		Updates(map[string]any{"status": string(roaming.OutboxPending), "next_attempt_at": dbTime(at), "attempts": 0,
			"updated_at": s.db.now()})
	if res.Error != nil {
		return translate(res.Error, "retry outbox item %d", id)
	}
	if res.RowsAffected == 0 {
		return notFound("failed outbox item %d of partner %d", id, partnerID)
	}
	return nil
}

// ExpediteOutbox makes the partner's pending items waiting beyond now due at now.
func (s *Roaming) ExpediteOutbox(ctx context.Context, partnerID int64, now time.Time) (int64, error) {
	now = dbTime(now)
	res := s.q(ctx).Model(&outboxRow{}).Where("partner_id = ? AND status = ? AND next_attempt_at > ?", partnerID,
		string(roaming.OutboxPending), now).Updates(map[string]any{"next_attempt_at": now, "updated_at": now})
	return res.RowsAffected, translate(res.Error, "expedite outbox of partner %d", partnerID)
}

// PruneOutbox deletes items delivered before `before`.
func (s *Roaming) PruneOutbox(ctx context.Context, before time.Time) (int64, error) {
	res := s.q(ctx).Where("status = ? AND delivered_at < ?", string(roaming.OutboxDelivered), dbTime(before)).Delete(&outboxRow{})
	return res.RowsAffected, translate(res.Error, "prune outbox")
}

// CreateCommand inserts a command; CodeConflict if the id exists.
func (s *Roaming) CreateCommand(ctx context.Context, c roaming.Command) error {
	r := toCommandRow(&c)
	if r.CreatedAt.IsZero() {
		r.CreatedAt = s.db.now()
	}
	r.UpdatedAt = s.db.now()
	created, err := s.insertOnce(ctx, &r)
	if err != nil {
		return translate(err, "create command %s", c.ID)
	}
	if !created {
		return conflict("create command %s", c.ID)
	}
	return nil
}

// GetCommand returns a command; CodeNotFound when unknown.
func (s *Roaming) GetCommand(ctx context.Context, id string) (roaming.Command, error) {
	var r commandRow
	if err := s.q(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return roaming.Command{}, translate(err, "get command %s", id)
	}
	return r.domain(), nil
}

// UpdateCommand stores the mutable fields of a command (response, result, status).
func (s *Roaming) UpdateCommand(ctx context.Context, c roaming.Command) error {
	r := toCommandRow(&c)
	r.UpdatedAt = s.db.now()
	res := s.q(ctx).Model(&commandRow{}).Where("id = ?", c.ID).
		Select("response", "result", "status", "expires_at", "updated_at").Updates(&r)
	if res.Error != nil {
		return translate(res.Error, "update command %s", c.ID)
	}
	if res.RowsAffected == 0 {
		return notFound("update command %s", c.ID)
	}
	return nil
}

// FindCommand returns the partner's newest command of kind with ref.
func (s *Roaming) FindCommand(ctx context.Context, partnerID int64, kind, ref string) (roaming.Command, error) {
	var r commandRow
	err := s.q(ctx).Where("partner_id = ? AND kind = ? AND ref = ?", partnerID, kind, ref).
		Order("created_at DESC, id DESC").Take(&r).Error
	if err != nil {
		return roaming.Command{}, translate(err, "find %s command %q of partner %d", kind, ref, partnerID)
	}
	return r.domain(), nil
}

// ExpiredCommands lists pending commands expired before now, oldest first.
func (s *Roaming) ExpiredCommands(ctx context.Context, now time.Time, limit int) ([]roaming.Command, error) {
	var rows []commandRow
	err := page(s.q(ctx).Where("status = ? AND expires_at < ?", string(roaming.CommandPending), dbTime(now)), 0, limit).
		Order("expires_at, id").Find(&rows).Error
	if err != nil {
		return nil, translate(err, "expired commands")
	}
	out := make([]roaming.Command, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}
