package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// Tariff versions and what partners were sent (migrations/*/00007_tariffs.sql).

var _ roaming.TariffVersionStore = (*Roaming)(nil)

type tariffVersionRow struct {
	IDKey     string     `gorm:"column:id_key;primaryKey"`
	Version   int        `gorm:"column:version;primaryKey;autoIncrement:false"`
	Deleted   bool       `gorm:"column:deleted"`
	Body      string     `gorm:"column:body"`
	ValidFrom time.Time  `gorm:"column:valid_from"`
	ValidTo   *time.Time `gorm:"column:valid_to"`
	CreatedAt time.Time  `gorm:"column:created_at;autoCreateTime:false"`
}

func (tariffVersionRow) TableName() string { return "ocpi_tariff_versions" }

func (r tariffVersionRow) domain() (roaming.TariffVersion, error) {
	v := roaming.TariffVersion{Version: r.Version, Deleted: r.Deleted, ValidFrom: r.ValidFrom.UTC(), ValidTo: utcPtr(r.ValidTo)}
	return v, decodeBody(r.Body, &v.Tariff, "tariff version", fmt.Sprintf("%s/%d", r.IDKey, r.Version))
}

type partnerTariffRow struct {
	PartnerID int64     `gorm:"column:partner_id;primaryKey;autoIncrement:false"`
	IDKey     string    `gorm:"column:id_key;primaryKey"`
	Version   int       `gorm:"column:version"`
	Deleted   bool      `gorm:"column:deleted"`
	BodyHash  string    `gorm:"column:body_hash"`
	PushedAt  time.Time `gorm:"column:pushed_at"`
}

func (partnerTariffRow) TableName() string { return "ocpi_partner_tariffs" }

// AddTariffVersion closes the tariff's open version at `at` and appends the next version, valid
// from `at`, in one transaction (the caller's, if any).
func (s *Roaming) AddTariffVersion(ctx context.Context, t ocpi.Tariff, deleted bool, at time.Time) (int, error) {
	body, err := json.Marshal(t)
	if err != nil {
		return 0, fmt.Errorf("store: encode tariff version: %w", err)
	}
	k, at := key(t.ID), dbTime(at)
	var next int
	err = s.db.atomic(ctx, func(g *gorm.DB) error {
		if err := g.Model(&tariffVersionRow{}).Where("id_key = ? AND valid_to IS NULL", k).Update("valid_to", at).Error; err != nil {
			return err
		}
		var last struct{ V int }
		if err := g.Model(&tariffVersionRow{}).Select("COALESCE(MAX(version), 0) AS v").Where("id_key = ?", k).Scan(&last).Error; err != nil {
			return err
		}
		next = last.V + 1
		return g.Create(&tariffVersionRow{IDKey: k, Version: next, Deleted: deleted, Body: string(body), ValidFrom: at,
			CreatedAt: s.db.now()}).Error
	})
	if err != nil {
		return 0, translate(err, "add version of tariff %q", t.ID)
	}
	return next, nil
}

// TariffVersions lists a tariff's versions, oldest first.
func (s *Roaming) TariffVersions(ctx context.Context, id string) ([]roaming.TariffVersion, error) {
	var rows []tariffVersionRow
	if err := s.q(ctx).Where("id_key = ?", key(id)).Order("version").Find(&rows).Error; err != nil {
		return nil, translate(err, "versions of tariff %q", id)
	}
	out := make([]roaming.TariffVersion, len(rows))
	for i, r := range rows {
		var err error
		if out[i], err = r.domain(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// TariffVersionAt returns the version valid at `at` (the newest one valid from `at` or earlier),
// else the first version; CodeNotFound when the tariff has none.
func (s *Roaming) TariffVersionAt(ctx context.Context, id string, at time.Time) (roaming.TariffVersion, error) {
	var r tariffVersionRow
	err := s.q(ctx).Where("id_key = ? AND valid_from <= ?", key(id), dbTime(at)).Order("version DESC").Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		err = s.q(ctx).Where("id_key = ?", key(id)).Order("version").Take(&r).Error
	}
	if err != nil {
		return roaming.TariffVersion{}, translate(err, "version of tariff %q at %s", id, at.UTC().Format(time.RFC3339))
	}
	return r.domain()
}

// LatestTariffVersions maps every tariff key to its latest version number.
func (s *Roaming) LatestTariffVersions(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		IDKey   string `gorm:"column:id_key"`
		Version int    `gorm:"column:version"`
	}
	err := s.q(ctx).Model(&tariffVersionRow{}).Select("id_key, MAX(version) AS version").Group("id_key").Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "latest tariff versions")
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.IDKey] = r.Version
	}
	return out, nil
}

// ListPartnerTariffs returns what the partner was last sent of each tariff, by tariff key.
func (s *Roaming) ListPartnerTariffs(ctx context.Context, partnerID int64) ([]roaming.PartnerTariff, error) {
	var rows []partnerTariffRow
	if err := s.q(ctx).Where("partner_id = ?", partnerID).Order("id_key").Find(&rows).Error; err != nil {
		return nil, translate(err, "tariffs of partner %d", partnerID)
	}
	out := make([]roaming.PartnerTariff, len(rows))
	for i, r := range rows {
		out[i] = roaming.PartnerTariff{PartnerID: r.PartnerID, TariffKey: r.IDKey, Version: r.Version, Deleted: r.Deleted,
			BodyHash: r.BodyHash, PushedAt: r.PushedAt.UTC()}
	}
	return out, nil
}

// PutPartnerTariff records what a partner was sent of a tariff.
func (s *Roaming) PutPartnerTariff(ctx context.Context, pt roaming.PartnerTariff) error {
	r := partnerTariffRow{PartnerID: pt.PartnerID, IDKey: key(pt.TariffKey), Version: pt.Version, Deleted: pt.Deleted,
		BodyHash: pt.BodyHash, PushedAt: dbTime(pt.PushedAt)}
	_, err := s.upsert(ctx, &r, []string{"version", "deleted", "body_hash", "pushed_at"}, "partner_id = ? AND id_key = ?",
		r.PartnerID, r.IDKey)
	return err
}

// LatestOutbox returns the partner's newest outbox item of an object key.
func (s *Roaming) LatestOutbox(ctx context.Context, partnerID int64, objectKey string) (roaming.OutboxItem, error) {
	var r outboxRow
	err := s.q(ctx).Where("partner_id = ? AND object_key = ?", partnerID, objectKey).Order("id DESC").Take(&r).Error
	if err != nil {
		return roaming.OutboxItem{}, translate(err, "newest outbox item of partner %d for %s", partnerID, objectKey)
	}
	return r.domain(), nil
}
