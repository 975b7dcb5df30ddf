package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/chargehub/hub/charging"
)

// Vendor profiles (migrations/*/00003_ocpp201.sql). Vendor and model are stored lower case,
// so the key (vendor, model) is case-insensitive; profiles come back lower-cased, which
// charging.PickProfile matches case-insensitively anyway.

type vendorProfileRow struct {
	Vendor               string    `gorm:"column:vendor;primaryKey"`
	Model                string    `gorm:"column:model;primaryKey"`
	TimeZone             string    `gorm:"column:time_zone"`
	EnergyWhIsKWh        bool      `gorm:"column:energy_wh_is_kwh"`
	Reject               string    `gorm:"column:reject"`
	DecimalCommaRejected bool      `gorm:"column:decimal_comma_rejected"`
	Strict               bool      `gorm:"column:strict"`
	UpdatedAt            time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (vendorProfileRow) TableName() string { return "vendor_profiles" }

func toVendorProfileRow(p charging.VendorProfile) vendorProfileRow {
	return vendorProfileRow{
		Vendor: strings.ToLower(p.Vendor), Model: strings.ToLower(p.Model), TimeZone: p.TimeZone,
		EnergyWhIsKWh: p.EnergyWhIsKWh, Reject: joinFlags(p.Reject),
		DecimalCommaRejected: p.DecimalCommaRejected, Strict: p.Strict, UpdatedAt: dbTime(p.UpdatedAt),
	}
}

func (r vendorProfileRow) domain() charging.VendorProfile {
	return charging.VendorProfile{
		Vendor: r.Vendor, Model: r.Model, TimeZone: r.TimeZone, EnergyWhIsKWh: r.EnergyWhIsKWh,
		Reject: splitFlags(r.Reject), DecimalCommaRejected: r.DecimalCommaRejected, Strict: r.Strict,
		UpdatedAt: r.UpdatedAt.UTC(),
	}
}

// PutVendorProfile inserts or replaces the profile of (vendor, model), both compared
// case-insensitively; UpdatedAt becomes now. Reject is stored comma-separated, so its flags
// must not contain commas; an empty Reject reads back as nil.
func (db *DB) PutVendorProfile(ctx context.Context, p charging.VendorProfile) error {
	r := toVendorProfileRow(p)
	r.UpdatedAt = db.now()
	err := db.q(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "vendor"}, {Name: "model"}},
		DoUpdates: clause.AssignmentColumns([]string{
			"time_zone", "energy_wh_is_kwh", "reject", "decimal_comma_rejected", "strict", "updated_at",
		}),
	}).Create(&r).Error
	return translate(err, "put vendor profile %q/%q", p.Vendor, p.Model)
}

// DeleteVendorProfile deletes the profile of (vendor, model), compared case-insensitively;
// model "" is the vendor-wide profile. CodeNotFound when there is none.
func (db *DB) DeleteVendorProfile(ctx context.Context, vendor, model string) error {
	res := db.q(ctx).Where("vendor = ? AND model = ?", strings.ToLower(vendor), strings.ToLower(model)).
		Delete(&vendorProfileRow{})
	if res.Error != nil {
		return translate(res.Error, "delete vendor profile %q/%q", vendor, model)
	}
	if res.RowsAffected == 0 {
		return notFound("delete vendor profile %q/%q", vendor, model)
	}
	return nil
}

// ListVendorProfiles returns every profile, by vendor then model (the vendor-wide one first).
func (db *DB) ListVendorProfiles(ctx context.Context) ([]charging.VendorProfile, error) {
	var rows []vendorProfileRow
	if err := db.q(ctx).Order("vendor, model").Find(&rows).Error; err != nil {
		return nil, translate(err, "list vendor profiles")
	}
	out := make([]charging.VendorProfile, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}
