package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// LocalList is what the hub knows of a station's local authorization list.
type LocalList struct {
	StationID        string
	Version          int        // the list version the station acknowledged last
	FullNeeded       bool       // the next update must be Full (never sent, VersionMismatch, Failed)
	TokenCursor      *time.Time // token changes up to here are on the list
	UnsupportedUntil *time.Time // the station does not support local lists: do not try before
	LastResult       string     // the station's last answer (or error), for operators
	UpdatedAt        time.Time
}

// LocalListEntry is one entry of a station's list (IDTag upper case).
type LocalListEntry struct {
	IDTag       string
	TokenType   string // 2.0.1 IdTokenEnumType
	Status      string // charging.AuthStatus
	ParentIDTag string
}

// LocalListChange adds or changes Entry, or removes it.
type LocalListChange struct {
	Entry  LocalListEntry
	Remove bool
}

type localListRow struct {
	StationID        string     `gorm:"column:station_id;primaryKey"`
	Version          int        `gorm:"column:version"`
	FullNeeded       bool       `gorm:"column:full_needed"`
	TokenCursor      *time.Time `gorm:"column:token_cursor"`
	UnsupportedUntil *time.Time `gorm:"column:unsupported_until"`
	LastResult       string     `gorm:"column:last_result"`
	UpdatedAt        time.Time  `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (localListRow) TableName() string { return "local_auth_lists" }

type localListEntryRow struct {
	StationID   string `gorm:"column:station_id;primaryKey"`
	IDTag       string `gorm:"column:id_tag;primaryKey"`
	TokenType   string `gorm:"column:token_type"`
	Status      string `gorm:"column:status"`
	ParentIDTag string `gorm:"column:parent_id_tag"`
}

func (localListEntryRow) TableName() string { return "local_auth_list_entries" }

// GetLocalList returns a station's list state; a station never synced gets the zero state with
// FullNeeded set (no error).
func (s *BridgeCommands) GetLocalList(ctx context.Context, stationID string) (LocalList, error) {
	var r localListRow
	err := s.q(ctx).Where("station_id = ?", stationID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return LocalList{StationID: stationID, FullNeeded: true}, nil
	}
	if err != nil {
		return LocalList{}, translate(err, "get local list of %s", stationID)
	}
	return LocalList{StationID: r.StationID, Version: r.Version, FullNeeded: r.FullNeeded, TokenCursor: utcPtr(r.TokenCursor),
		UnsupportedUntil: utcPtr(r.UnsupportedUntil), LastResult: r.LastResult, UpdatedAt: r.UpdatedAt.UTC()}, nil
}

// ListLocalListEntries returns the entries on a station's list, by idTag.
func (s *BridgeCommands) ListLocalListEntries(ctx context.Context, stationID string) ([]LocalListEntry, error) {
	var rows []localListEntryRow
	if err := s.q(ctx).Where("station_id = ?", stationID).Order("id_tag").Find(&rows).Error; err != nil {
		return nil, translate(err, "list local list of %s", stationID)
	}
	out := make([]LocalListEntry, len(rows))
	for i, r := range rows {
		out[i] = LocalListEntry{IDTag: r.IDTag, TokenType: r.TokenType, Status: r.Status, ParentIDTag: r.ParentIDTag}
	}
	return out, nil
}

// SaveLocalList stores a station's list state and applies an acknowledged update to its
// entries: a full update replaces them all with the changes' entries, a differential one adds,
// changes and removes. One transaction.
func (s *BridgeCommands) SaveLocalList(ctx context.Context, l LocalList, full bool, changes []LocalListChange) error {
	r := localListRow{StationID: l.StationID, Version: l.Version, FullNeeded: l.FullNeeded, TokenCursor: dbTimePtr(l.TokenCursor),
		UnsupportedUntil: dbTimePtr(l.UnsupportedUntil), LastResult: l.LastResult, UpdatedAt: s.db.now()}
	err := s.db.atomic(ctx, func(g *gorm.DB) error {
		err := g.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "station_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"version", "full_needed", "token_cursor", "unsupported_until", "last_result", "updated_at"})}).
			Create(&r).Error
		if err != nil {
			return err
		}
		if full {
			if err := g.Where("station_id = ?", l.StationID).Delete(&localListEntryRow{}).Error; err != nil {
				return err
			}
		}
		var put []localListEntryRow
		for _, c := range changes {
			e := localListEntryRow{StationID: l.StationID, IDTag: key(c.Entry.IDTag), TokenType: c.Entry.TokenType, Status: c.Entry.Status,
				ParentIDTag: c.Entry.ParentIDTag}
			if c.Remove {
				if err := g.Where("station_id = ? AND id_tag = ?", e.StationID, e.IDTag).Delete(&localListEntryRow{}).Error; err != nil {
					return err
				}
				continue
			}
			put = append(put, e)
		}
		for start := 0; start < len(put); start += 200 {
			batch := put[start:min(start+200, len(put))]
			err := g.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "station_id"}, {Name: "id_tag"}},
				DoUpdates: clause.AssignmentColumns([]string{"token_type", "status", "parent_id_tag"})}).Create(&batch).Error
			if err != nil {
				return err
			}
		}
		return nil
	})
	return translate(err, "save local list of %s", l.StationID)
}

// TokenPos is a position in the token change feed: tokens ordered by the time the hub stored
// them, then by key.
type TokenPos struct {
	UpdatedAt time.Time
	Key       roaming.TokenKey
}

// TokenPage selects a page of the token change feed.
type TokenPage struct {
	After *TokenPos // start after this position; nil = from the beginning (or Since)
	Since *time.Time
	// Listable limits the page to valid tokens whose whitelist is ALWAYS or ALLOWED_OFFLINE
	// (the tokens a local list holds).
	Listable bool
	Limit    int // 0 = 500
}

// ChangedTokens returns eMSP tokens in change-feed order: stored at or after Since, and after
// After. Each StoredToken's UpdatedAt is its feed position.
func (s *BridgeCommands) ChangedTokens(ctx context.Context, p TokenPage) ([]roaming.StoredToken, error) {
	q := s.q(ctx).Model(&tokenRow{})
	if p.Since != nil {
		q = q.Where("updated_at >= ?", dbTime(*p.Since))
	}
	if a := p.After; a != nil {
		n := a.Key.Norm()
		t := dbTime(a.UpdatedAt)
		q = q.Where("(updated_at > ? OR (updated_at = ? AND (country_code > ? OR (country_code = ? AND (party_id > ? OR "+
			"(party_id = ? AND (uid_key > ? OR (uid_key = ? AND type > ?))))))))",
			t, t, n.Party.CountryCode, n.Party.CountryCode, n.Party.PartyID, n.Party.PartyID, n.UID, n.UID, string(n.Type))
	}
	if p.Listable {
		q = q.Where("valid = ? AND whitelist IN ?", true, []string{string(ocpi.WhitelistTypeAlways), string(ocpi.WhitelistTypeAllowedOffline)})
	}
	if p.Limit <= 0 {
		p.Limit = 500
	}
	var rows []tokenRow
	if err := q.Order("updated_at, country_code, party_id, uid_key, type").Limit(p.Limit).Find(&rows).Error; err != nil {
		return nil, translate(err, "list changed tokens")
	}
	out := make([]roaming.StoredToken, len(rows))
	for i, r := range rows {
		st, err := r.domain()
		if err != nil {
			return nil, err
		}
		out[i] = st
	}
	return out, nil
}
