package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chargehub/hub/charging"
)

// idTagGetSQL reads one id tag (the Authorize path, see raw.go).
var idTagGetSQL = newSQL("SELECT " + columns(idTagCols) + " FROM id_tags WHERE id_tag = ?")

// GetIDTag returns the id tag; CodeNotFound when unknown.
func (db *DB) GetIDTag(ctx context.Context, idTag string) (charging.IDTag, error) {
	var r idTagRow
	if err := db.queryRow(ctx, idTagGetSQL, r.fields(), idTag); err != nil {
		return charging.IDTag{}, translate(err, "get id tag %q", idTag)
	}
	return r.domain(), nil
}

// UpsertIDTag inserts or replaces the id tag; UpdatedAt becomes now.
func (db *DB) UpsertIDTag(ctx context.Context, t charging.IDTag) error {
	r := toIDTagRow(t)
	r.UpdatedAt = db.now()
	err := db.write(ctx, func(d *DB) error {
		return d.q(ctx).Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "id_tag"}},
			UpdateAll: true,
		}).Create(&r).Error
	})
	return translate(err, "upsert id tag %q", t.IDTag)
}

// DeleteIDTag deletes the id tag; CodeNotFound when unknown.
func (db *DB) DeleteIDTag(ctx context.Context, idTag string) error {
	var res *gorm.DB
	if err := db.write(ctx, func(d *DB) error {
		res = d.q(ctx).Where("id_tag = ?", idTag).Delete(&idTagRow{})
		return res.Error
	}); err != nil {
		return translate(err, "delete id tag %q", idTag)
	}
	if res.RowsAffected == 0 {
		return notFound("delete id tag %q", idTag)
	}
	return nil
}

// ListIDTags returns one page of id tags ordered by tag, and how many there are; limit 0 = all.
func (db *DB) ListIDTags(ctx context.Context, offset, limit int) ([]charging.IDTag, int, error) {
	var rows []idTagRow
	if err := page(db.q(ctx), offset, limit).Order("id_tag").Find(&rows).Error; err != nil {
		return nil, 0, translate(err, "list id tags")
	}
	n, err := total(offset, limit, len(rows), func() (c int64, err error) {
		return c, db.q(ctx).Model(&idTagRow{}).Count(&c).Error
	})
	if err != nil {
		return nil, 0, translate(err, "count id tags")
	}
	out := make([]charging.IDTag, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, n, nil
}

// AddFrames appends frames to the audit log in batched INSERTs, all or none. Their IDs are
// not reported back.
func (db *DB) AddFrames(ctx context.Context, frames []charging.Frame) error {
	if len(frames) == 0 {
		return nil
	}
	args := make([]any, 0, len(frames)*len(frameCols))
	for i := range frames {
		args = frameArgs(args, &frames[i])
	}
	return translate(db.insertRows(ctx, "frames", frameCols, args), "add %d frames", len(frames))
}

// ListFrames returns the station's frames newest first ("" = every station); limit <= 0 means all.
func (db *DB) ListFrames(ctx context.Context, stationID string, limit int) ([]charging.Frame, error) {
	q := db.q(ctx)
	if stationID != "" {
		q = q.Where("station_id = ?", stationID)
	}
	var rows []frameRow
	if err := page(q, 0, limit).Order("at DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, translate(err, "list frames of %q", stationID)
	}
	out := make([]charging.Frame, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// PruneFrames deletes frames older than before in one statement and returns how many went.
func (db *DB) PruneFrames(ctx context.Context, before time.Time) (int64, error) {
	res := db.q(ctx).Where("at < ?", dbTime(before)).Delete(&frameRow{})
	if res.Error != nil {
		return 0, translate(res.Error, "prune frames before %s", before.UTC().Format(time.RFC3339))
	}
	return res.RowsAffected, nil
}
