package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chargehub/hub/charging"
)

// stationMutable lists the columns UpdateStation writes: all but id and created_at.
var stationMutable = []string{
	"vendor", "model", "serial_number", "charge_box_serial", "firmware_version", "iccid",
	"imsi", "meter_type", "meter_serial_number", "protocol", "registration", "accepted_at",
	"security_profile", "password_hash", "online", "last_seen", "last_boot_at", "updated_at",
	"expected_cn", "pending_password_hash", "clock_offset_ms",
}

// The stations and connectors statements of the hot path (see raw.go).
var (
	stationGetSQL    = newSQL("SELECT " + columns(stationCols) + " FROM stations WHERE id = ?")
	stationInsertSQL = newSQL(insertSQL("stations", stationCols, 1) + " ON CONFLICT DO NOTHING")
	stationUpdateSQL = newSQL("UPDATE stations SET " + assignments(stationMutable) + " WHERE id = ?")
	setOnlineSQL     = newSQL(`UPDATE stations SET online = ?,
		protocol = CASE WHEN ? = '' THEN protocol ELSE ? END,
		last_seen = CASE WHEN last_seen IS NULL OR last_seen < ? THEN ? ELSE last_seen END,
		updated_at = ?
		WHERE id = ?`)
	// a newer stored status wins (both dialects: the conflicting row is named by its table)
	connectorUpsertSQL = newSQL(insertSQL("connectors", connectorCols, 1) +
		" ON CONFLICT (station_id, evse_id, connector_id) DO UPDATE SET " + excludedAssignments(connectorCols[3:]) +
		" WHERE connectors.status_at <= excluded.status_at")
	// connectorUpsertLocationSQL is connectorUpsertSQL returning the key of the station's
	// location (see locationmemo.go) for a connector it wrote.
	connectorUpsertLocationSQL = newSQL(connectorUpsertSQL.sqlite + " RETURNING " + locationKeyColumn("connectors"))
	connectorListSQL           = newSQL("SELECT " + columns(connectorCols) + " FROM connectors WHERE station_id = ? ORDER BY evse_id, connector_id")
)

// touchChunk is how many stations one TouchStations statement updates (2 parameters each).
const touchChunk = 500

// GetStation returns the station; CodeNotFound when id is unknown.
func (db *DB) GetStation(ctx context.Context, id string) (charging.Station, error) {
	var r stationRow
	if err := db.queryRow(ctx, stationGetSQL, r.fields(), id); err != nil {
		return charging.Station{}, translate(err, "get station %q", id)
	}
	return r.domain(), nil
}

// CreateStation inserts s; CodeConflict when the id exists. CreatedAt defaults to now;
// UpdatedAt is always now.
func (db *DB) CreateStation(ctx context.Context, s charging.Station) error {
	r := toStationRow(s)
	r.UpdatedAt = db.now()
	if s.CreatedAt.IsZero() {
		r.CreatedAt = r.UpdatedAt
	}
	var n int64
	if err := db.write(ctx, func(d *DB) (err error) {
		n, err = d.exec(ctx, stationInsertSQL, append([]any{r.ID, r.CreatedAt}, r.mutableArgs()...)...)
		return err
	}); err != nil {
		return translate(err, "create station %q", s.ID)
	}
	if n == 0 {
		return conflict("create station %q", s.ID)
	}
	return nil
}

// UpdateStation replaces every field of an existing station but CreatedAt; UpdatedAt becomes
// now. CodeNotFound if absent.
func (db *DB) UpdateStation(ctx context.Context, s charging.Station) error {
	r := toStationRow(s)
	r.UpdatedAt = db.now()
	var n int64
	if err := db.write(ctx, func(d *DB) (err error) {
		n, err = d.exec(ctx, stationUpdateSQL, append(r.mutableArgs(), s.ID)...)
		return err
	}); err != nil {
		return translate(err, "update station %q", s.ID)
	}
	if n == 0 {
		return notFound("update station %q", s.ID)
	}
	return nil
}

// ListStations returns one page of stations, oldest first, and the number matching f.
func (db *DB) ListStations(ctx context.Context, f charging.StationFilter) ([]charging.Station, int, error) {
	base := func() *gorm.DB {
		q := db.q(ctx).Model(&stationRow{})
		if f.Online != nil {
			q = q.Where("online = ?", *f.Online)
		}
		return q
	}
	var rows []stationRow
	if err := page(base(), f.Offset, f.Limit).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, 0, translate(err, "list stations")
	}
	n, err := total(f.Offset, f.Limit, len(rows), func() (c int64, err error) {
		return c, base().Count(&c).Error
	})
	if err != nil {
		return nil, 0, translate(err, "count stations")
	}
	out := make([]charging.Station, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, n, nil
}

// SetOnline records connection state, last-seen time (last_seen never moves backwards) and,
// unless p is empty, the protocol; updated_at becomes at. No other column is written, so a
// concurrent BootNotification's fields are never overwritten with older ones. CodeNotFound when
// the station is unknown.
func (db *DB) SetOnline(ctx context.Context, id string, online bool, p charging.Protocol, at time.Time) error {
	at = dbTime(at)
	var n int64
	if err := db.write(ctx, func(d *DB) (err error) {
		n, err = d.exec(ctx, setOnlineSQL, online, string(p), string(p), at, at, at, id)
		return err
	}); err != nil {
		return translate(err, "set station %q online", id)
	}
	if n == 0 {
		return notFound("set station %q online", id)
	}
	return nil
}

// TouchStations moves last_seen forward for many stations, one statement per 500 stations.
// Unknown station ids are ignored.
func (db *DB) TouchStations(ctx context.Context, seen map[string]time.Time) error {
	if len(seen) == 0 {
		return nil
	}
	ids := make([]string, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	slices.Sort(ids) // a stable row order keeps concurrent touches from deadlocking
	for chunk := range slices.Chunk(ids, touchChunk) {
		q, args := db.touchSQL(chunk, seen)
		if err := db.write(ctx, func(d *DB) error { return d.q(ctx).Exec(q, args...).Error }); err != nil {
			return translate(err, "touch %d stations", len(ids))
		}
	}
	return nil
}

// touchSQL builds an UPDATE ... FROM (VALUES ...) for the ids; the VALUES columns are named
// column1, column2 on both dialects. PostgreSQL needs the parameter types spelled out.
func (db *DB) touchSQL(ids []string, seen map[string]time.Time) (string, []any) {
	tuple := "(?, ?)"
	if db.dialect == DialectPostgres {
		tuple = "(CAST(? AS text), CAST(? AS timestamptz))"
	}
	var b strings.Builder
	b.WriteString("UPDATE stations SET last_seen = v.column2 FROM (VALUES ")
	args := make([]any, 0, 2*len(ids))
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(tuple)
		args = append(args, id, dbTime(seen[id]))
	}
	b.WriteString(") AS v WHERE stations.id = v.column1" +
		" AND (stations.last_seen IS NULL OR stations.last_seen < v.column2)")
	return b.String(), args
}

// ResetOnline marks every station offline.
func (db *DB) ResetOnline(ctx context.Context) error {
	err := db.write(ctx, func(d *DB) error {
		return d.q(ctx).Exec("UPDATE stations SET online = ? WHERE online = ?", false, true).Error
	})
	return translate(err, "reset online flags")
}

// UpsertConnector inserts or replaces the connector keyed by (station, evse, connector) unless
// the stored status is later than c's (then applied is false and nothing changes); UpdatedAt
// becomes now. CodeNotFound when the station does not exist.
func (db *DB) UpsertConnector(ctx context.Context, c charging.Connector) (bool, error) {
	r := toConnectorRow(c)
	r.UpdatedAt = db.now()
	var n int64
	if err := db.write(ctx, func(d *DB) (err error) {
		if db.memo == nil { // the caller's: outside a transaction nobody reads what would be kept
			n, err = d.exec(ctx, connectorUpsertSQL, r.args()...)
			return err
		}
		var loc sql.NullString
		switch err = d.queryRow(ctx, connectorUpsertLocationSQL, []any{&loc}, r.args()...); {
		case errors.Is(err, sql.ErrNoRows): // an older status than the stored one: nothing written
			return nil
		case err != nil:
			return err
		}
		n = 1
		d.keepLocationKey(c.StationID, loc)
		return nil
	}); err != nil {
		return false, translate(err, "upsert connector %s/%d/%d", c.StationID, c.EVSEID, c.ConnectorID)
	}
	return n > 0, nil
}

// ListConnectors lists the station's connectors by EVSE and connector id.
func (db *DB) ListConnectors(ctx context.Context, stationID string) ([]charging.Connector, error) {
	var r connectorRow
	out, err := collect(ctx, db, connectorListSQL, r.fields(), func() charging.Connector { return r.domain() }, stationID)
	if err != nil {
		return nil, translate(err, "list connectors of %q", stationID)
	}
	return out, nil
}

// AddStationEvent appends e to the station's history; CodeNotFound when the station does not exist.
func (db *DB) AddStationEvent(ctx context.Context, e charging.StationEvent) error {
	r := toStationEventRow(e)
	err := db.q(ctx).Create(&r).Error
	return translate(err, "add %s event of %q", e.Kind, e.StationID)
}

// ListStationEvents returns the station's events, newest first; limit <= 0 means all.
func (db *DB) ListStationEvents(ctx context.Context, stationID string, limit int) ([]charging.StationEvent, error) {
	var rows []stationEventRow
	err := page(db.q(ctx).Where("station_id = ?", stationID), 0, limit).Order("at DESC, id DESC").Find(&rows).Error
	if err != nil {
		return nil, translate(err, "list events of %q", stationID)
	}
	out := make([]charging.StationEvent, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}
