package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/roaming"
)

// GetLocation returns a location with its stations; CodeNotFound when unknown.
func (s *Roaming) GetLocation(ctx context.Context, id string) (roaming.Location, error) {
	var r locationRow
	if err := s.db.queryRow(ctx, locGetSQL, r.fields(), key(id)); err != nil {
		return roaming.Location{}, translate(err, "get location %q", id)
	}
	sts, err := s.db.locationStations(ctx, r.IDKey)
	if err != nil {
		return roaming.Location{}, translate(err, "stations of location %q", id)
	}
	var l roaming.Location
	if err := decodeLocation(&l, &r); err != nil {
		return roaming.Location{}, err
	}
	return l, attachStations(&l, sts)
}

// LocationBody returns one location's stored OCPI JSON and whether it is published.
func (s *Roaming) LocationBody(ctx context.Context, id string) (json.RawMessage, bool, error) {
	var r locationRow
	if err := s.q(ctx).Select("body", "visible").Where("id_key = ?", key(id)).Take(&r).Error; err != nil {
		return nil, false, translate(err, "get location %q", id)
	}
	return json.RawMessage(r.Body), r.Visible, nil
}

// PutLocation inserts or replaces a location and its station assignments, and sets l's
// Version, CreatedAt, UpdatedAt and ConfiguredAt as stored: l then equals what GetLocation
// returns (see roaming.LocationStore).
func (s *Roaming) PutLocation(ctx context.Context, l *roaming.Location) (bool, error) {
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
	err = s.db.atomicDB(ctx, func(d *DB) error {
		have, err := d.locationStations(ctx, r.IDKey)
		if err != nil {
			return err
		}
		same := len(have) == len(l.StationIDs) // EVSE changes save the location with its stations as they were
		for i := 0; same && i < len(have); i++ {
			st := l.StationIDs[i]
			same = have[i].StationID == st && have[i].Position == i && have[i].ConnectorDefaults == defaults[st]
		}
		if len(l.StationIDs) > 0 && !same {
			var taken []locationStationRow
			err := d.q(ctx).Where("station_id IN ? AND location_key <> ?", l.StationIDs, r.IDKey).Find(&taken).Error
			if err != nil {
				return err
			}
			if len(taken) > 0 {
				return charging.Errorf(charging.CodeConflict, "station %q already belongs to location %q",
					taken[0].StationID, taken[0].LocationKey)
			}
		}
		if created, err = d.saveLocationRow(ctx, &r); err != nil || same {
			return err
		}
		d.linksWritten()
		if _, err := d.exec(ctx, locUnassignSQL, r.IDKey); err != nil {
			return err
		}
		if len(l.StationIDs) == 0 {
			return nil
		}
		args := make([]any, 0, 4*len(l.StationIDs))
		for i, st := range l.StationIDs {
			args = append(args, st, r.IDKey, i, defaults[st])
		}
		_, err = d.exec(ctx, valuesSQL("ocpi_location_stations", locationStationCols, len(l.StationIDs)), args...)
		return err
	})
	if charging.ErrorCode(err) == charging.CodeConflict {
		return false, err
	}
	if err != nil {
		return false, translate(err, "put location %q", l.OCPI.ID)
	}
	l.Version, l.CreatedAt, l.UpdatedAt = r.Version, r.CreatedAt.UTC(), r.UpdatedAt
	if r.ConfiguredAt != nil {
		l.ConfiguredAt = *r.ConfiguredAt
	}
	return created, nil
}

// SaveLocationBody stores l's OCPI object over the stored location at l.Version (see
// roaming.LocationStore): one UPDATE, where PutLocation also reads the stations to compare them.
func (s *Roaming) SaveLocationBody(ctx context.Context, l *roaming.Location) error {
	body, err := json.Marshal(l.OCPI)
	if err != nil {
		return fmt.Errorf("store: encode location: %w", err)
	}
	now := s.db.now()
	var version int64
	err = s.db.write(ctx, func(d *DB) error {
		return d.queryRow(ctx, locSaveBodySQL, []any{&version}, l.Visible(), string(body), dbTime(l.OCPI.LastUpdated.Time), now,
			key(l.OCPI.ID), l.Version)
	})
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := s.LockLocation(ctx, l.OCPI.ID); err != nil {
			return err
		}
		return conflict("save location %q: it changed since version %d", l.OCPI.ID, l.Version)
	}
	if err != nil {
		return translate(err, "save location %q", l.OCPI.ID)
	}
	l.Version, l.UpdatedAt = version, now
	return nil
}

// saveLocationRow updates the location's row, or inserts it when it is new (created), and sets
// r.Version (every save is a new version: roaming.Location.Version) and r.CreatedAt as stored.
func (db *DB) saveLocationRow(ctx context.Context, r *locationRow) (created bool, err error) {
	return updateOrInsert(
		func() (bool, error) {
			err := db.queryRow(ctx, locUpdateSQL, []any{&r.Version, &r.CreatedAt},
				r.Visible, r.Body, r.LastUpdated, r.UpdatedAt, r.ConfiguredAt, r.IDKey)
			if errors.Is(err, sql.ErrNoRows) {
				return false, nil
			}
			return err == nil, err
		},
		func() (bool, error) {
			r.Version = 1
			n, err := db.exec(ctx, locInsertSQL, r.args()...)
			return n == 1, err
		})
}

// The statements of the location saves an EVSE change makes (see raw.go).
var (
	locSelect    = "SELECT " + columns(locationCols) + " FROM ocpi_locations WHERE "
	locGetSQL    = newSQL(locSelect + "id_key = ?")
	locUpdateSQL = newSQL("UPDATE ocpi_locations SET visible = ?, body = ?, last_updated = ?, updated_at = ?, configured_at = ?, " +
		"version = version + 1 WHERE id_key = ? RETURNING version, created_at")
	locSaveBodySQL = newSQL("UPDATE ocpi_locations SET visible = ?, body = ?, last_updated = ?, updated_at = ?, " +
		"version = version + 1 WHERE id_key = ? AND version = ? RETURNING version")
	locInsertSQL   = newSQL(insertSQL("ocpi_locations", locationCols, 1) + " ON CONFLICT DO NOTHING")
	locStationsSQL = newSQL("SELECT " + columns(locationStationCols) + " FROM ocpi_location_stations WHERE location_key = ? ORDER BY position")
	locUnassignSQL = newSQL("DELETE FROM ocpi_location_stations WHERE location_key = ?")
)

// locationStations lists the stations of a location by position.
func (db *DB) locationStations(ctx context.Context, key string) ([]locationStationRow, error) {
	var r locationStationRow
	return collect(ctx, db, locStationsSQL, r.fields(), func() locationStationRow { return r }, key)
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
	if key, ok := s.db.keptLocationKeyOf(stationID); ok { // read with the station's transaction
		if key == "" {
			return "", notFound("location of station %q", stationID)
		}
		return key, nil
	}
	var key string
	if err := s.db.queryRow(ctx, locationKeyOfStationSQL, []any{&key}, stationID); err != nil {
		return "", translate(err, "location of station %q", stationID)
	}
	return key, nil
}

// LocationKeysOfStations returns the key of the location of each of stationIDs that belongs to
// one: what the transaction kept (see locationmemo.go), the rest read a chunk per statement.
func (s *Roaming) LocationKeysOfStations(ctx context.Context, stationIDs []string) (map[string]string, error) {
	out := make(map[string]string, len(stationIDs))
	var read []any
	for _, id := range stationIDs {
		if key, ok := s.db.keptLocationKeyOf(id); ok {
			if key != "" {
				out[id] = key
			}
			continue
		}
		read = append(read, id)
	}
	var id, key string
	err := forChunks(len(read), func(from, to int) error {
		return s.db.query(ctx, locationKeysOfStationsSQL[to-from], func(rows *sql.Rows) error {
			if err := rows.Scan(&id, &key); err != nil {
				return err
			}
			out[id] = key
			return nil
		}, read[from:to]...)
	})
	if err != nil {
		return nil, translate(err, "locations of %d stations", len(stationIDs))
	}
	return out, nil
}

// locationKeysOfStationsSQL[n] is LocationKeysOfStations' statement for n stations.
var locationKeysOfStationsSQL = byChunk(func(n int) sqlText {
	return newSQL("SELECT station_id, location_key FROM ocpi_location_stations WHERE station_id IN (" + placeholders(n) + ")")
})

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
	for i := range rows {
		if err := decodeLocation(&out[i], &rows[i]); err != nil {
			return nil, err
		}
		keys[i], idx[rows[i].IDKey] = rows[i].IDKey, i
	}
	var sts []locationStationRow
	if err := s.q(ctx).Where("location_key IN ?", keys).Order("location_key, position").Find(&sts).Error; err != nil {
		return nil, translate(err, "stations of locations")
	}
	for _, st := range sts {
		if err := attachStations(&out[idx[st.LocationKey]], []locationStationRow{st}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// decodeLocation reads a location row into l.
func decodeLocation(l *roaming.Location, r *locationRow) error {
	if err := json.Unmarshal([]byte(r.Body), &l.OCPI); err != nil {
		return fmt.Errorf("store: location %q body: %w", r.IDKey, err)
	}
	l.CreatedAt, l.UpdatedAt, l.Version = r.CreatedAt.UTC(), r.UpdatedAt.UTC(), r.Version
	if r.ConfiguredAt != nil {
		l.ConfiguredAt = r.ConfiguredAt.UTC()
	}
	return nil
}

// attachStations appends stations (in position order) to l's stations, with their connector
// defaults.
func attachStations(l *roaming.Location, sts []locationStationRow) error {
	for _, st := range sts {
		l.StationIDs = append(l.StationIDs, st.StationID)
		if st.ConnectorDefaults == "" {
			continue
		}
		var d roaming.ConnectorDefaults
		if err := json.Unmarshal([]byte(st.ConnectorDefaults), &d); err != nil {
			return fmt.Errorf("store: connector defaults of station %q: %w", st.StationID, err)
		}
		if l.Connectors == nil {
			l.Connectors = map[string]roaming.ConnectorDefaults{}
		}
		l.Connectors[st.StationID] = d
	}
	return nil
}

// locationCols lists the columns of ocpi_locations, in the order of locationRow.fields.
var locationCols = []string{"id_key", "visible", "body", "last_updated", "created_at", "updated_at", "configured_at", "version"}

// fields points at r's fields in the order of locationCols, for Scan.
func (r *locationRow) fields() []any {
	return []any{&r.IDKey, &r.Visible, &r.Body, &r.LastUpdated, &r.CreatedAt, &r.UpdatedAt, &r.ConfiguredAt, &r.Version}
}

// args are r's values in the order of locationCols.
func (r *locationRow) args() []any {
	return []any{r.IDKey, r.Visible, r.Body, r.LastUpdated, r.CreatedAt, r.UpdatedAt, r.ConfiguredAt, r.Version}
}

// locationStationCols lists the columns of ocpi_location_stations, in the order of
// locationStationRow.fields.
var locationStationCols = []string{"station_id", "location_key", "position", "connector_defaults"}

// fields points at r's fields in the order of locationStationCols, for Scan.
func (r *locationStationRow) fields() []any {
	return []any{&r.StationID, &r.LocationKey, &r.Position, &r.ConnectorDefaults}
}
