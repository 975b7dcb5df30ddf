package roaming

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// LocationInput is an operator's Location: the OCPI object, the stations it groups and their
// connector defaults, keyed by station id (AllStations: every station without its own entry).
type LocationInput struct {
	Location   ocpi.Location
	StationIDs []string
	Connectors map[string]ConnectorDefaults
}

// CreateLocation stores a new Location (CodeConflict if the id exists) and pushes it to every
// partner with a Locations Receiver. With an EVSEBuilder installed, the EVSEs are generated from
// the stations' current state in the same transaction.
func (s *Service) CreateLocation(ctx context.Context, in LocationInput) (Location, error) {
	return s.saveLocation(ctx, in, true)
}

// UpdateLocation replaces an existing Location (CodeNotFound if absent) and pushes it.
func (s *Service) UpdateLocation(ctx context.Context, in LocationInput) (Location, error) {
	return s.saveLocation(ctx, in, false)
}

func (s *Service) saveLocation(ctx context.Context, in LocationInput, create bool) (Location, error) {
	now := ocpi.NewDateTime(s.clock.Now())
	l := in.Location
	if err := s.own(&l.CountryCode, &l.PartyID, "location"); err != nil {
		return Location{}, err
	}
	l.LastUpdated = now
	for i := range l.EVSEs {
		e := &l.EVSEs[i]
		if e.LastUpdated.IsZero() {
			e.LastUpdated = now
		}
		for j := range e.Connectors {
			if e.Connectors[j].LastUpdated.IsZero() {
				e.Connectors[j].LastUpdated = now
			}
		}
	}
	if err := l.Validate(); err != nil {
		return Location{}, validation("location", err)
	}
	stations, err := s.checkStations(ctx, in.StationIDs)
	if err != nil {
		return Location{}, err
	}
	conns, err := stationDefaults(in.Connectors, stations)
	if err != nil {
		return Location{}, err
	}
	out := Location{OCPI: l, StationIDs: stations, Connectors: conns, ConfiguredAt: now.Time}
	err = s.inTx(ctx, func(tx Store, q *queue) error {
		// the lock keeps EVSE updates of the stations (the bridge) from interleaving with the save
		if _, err := tx.LockLocation(ctx, l.ID); err != nil && !charging.IsNotFound(err) {
			return err
		}
		old, err := tx.GetLocation(ctx, l.ID)
		switch {
		case err == nil && create:
			return charging.Errorf(charging.CodeConflict, "location %q exists", old.OCPI.ID)
		case charging.IsNotFound(err) && !create:
			return err
		case err != nil && !charging.IsNotFound(err):
			return err
		case err == nil:
			out.OCPI.ID = old.OCPI.ID // ids are immutable, keep the original spelling
			out.CreatedAt = old.CreatedAt
		}
		if s.evses != nil {
			var prev *Location
			if err == nil {
				prev = &old
			}
			if err := s.evses.BuildEVSEs(ctx, tx, &out, prev); err != nil {
				return err
			}
			if err := out.OCPI.Validate(); err != nil {
				return validation("location", err)
			}
		}
		if _, err := tx.PutLocation(ctx, &out); err != nil {
			return err
		}
		if !out.Visible() {
			return nil
		}
		return s.pushLocation(ctx, tx, q, out.OCPI.ID, http.MethodPut, &out.OCPI, out.OCPI.ID)
	})
	if err != nil {
		return Location{}, fmt.Errorf("save location %q: %w", l.ID, err)
	}
	return s.store.GetLocation(ctx, out.OCPI.ID)
}

// own checks that an object's country code and party id are the hub's, filling them if empty.
func (s *Service) own(cc, pid *string, what string) error {
	if *cc == "" && *pid == "" {
		*cc, *pid = strings.ToUpper(s.cfg.Party.CountryCode), strings.ToUpper(s.cfg.Party.PartyID)
		return nil
	}
	if !s.cfg.Party.Is(Party{CountryCode: *cc, PartyID: *pid}) {
		return invalid("%s belongs to %s*%s, the hub is %s", what, *cc, *pid, s.cfg.Party)
	}
	return nil
}

// checkStations trims and de-duplicates station ids and checks that they exist.
func (s *Service) checkStations(ctx context.Context, ids []string) ([]string, error) {
	var out []string
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id == "" || slices.Contains(out, id) {
			continue
		}
		if s.stations != nil {
			if _, err := s.stations.GetStation(ctx, id); err != nil {
				if charging.IsNotFound(err) {
					return nil, invalid("station %q does not exist", id)
				}
				return nil, err
			}
		}
		out = append(out, id)
	}
	return out, nil
}

// pushLocation enqueues a push of (a part of) a location to every Locations Receiver; segments
// are the location id, EVSE uid and connector id of the URL.
func (s *Service) pushLocation(ctx context.Context, tx Store, q *queue, locationID, method string, body any, segments ...string) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encode location push: %w", err)
	}
	targets, err := s.receivers(ctx, tx, ocpi.ModuleIDLocations)
	if err != nil {
		return err
	}
	path := pathOf(append([]string{strings.ToUpper(s.cfg.Party.CountryCode), strings.ToUpper(s.cfg.Party.PartyID)}, segments...)...)
	for _, t := range targets {
		q.add(OutboxItem{PartnerID: t.partner.ID, ObjectKey: "locations/" + strings.ToUpper(locationID),
			Module: ocpi.ModuleIDLocations, Path: path, Method: method, Body: raw, To: t.to, CorrelationID: s.ids.NewID()})
	}
	return nil
}

// GetLocation returns a stored Location (visible or not) for an operator.
func (s *Service) GetLocation(ctx context.Context, id string) (Location, error) {
	return s.store.GetLocation(ctx, id)
}

// ListLocations returns one page of Locations for an operator (every location).
func (s *Service) ListLocations(ctx context.Context, f ObjectFilter) ([]Location, int, error) {
	f.VisibleOnly = false
	return s.store.ListLocations(ctx, f)
}

// PublishedLocations returns one page of the Locations partners may see.
func (s *Service) PublishedLocations(ctx context.Context, f ObjectFilter) ([]ocpi.Location, int, error) {
	f.VisibleOnly = true
	list, n, err := s.store.ListLocations(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	out := make([]ocpi.Location, len(list))
	for i := range list {
		out[i] = list[i].OCPI
	}
	return out, n, nil
}

// PublishedLocationsJSON is PublishedLocations as the stored OCPI JSON, for serving pulls.
func (s *Service) PublishedLocationsJSON(ctx context.Context, f ObjectFilter) ([]json.RawMessage, int, error) {
	f.VisibleOnly = true
	return s.store.LocationBodies(ctx, f)
}

// PublishedLocationJSON is PublishedLocation as the stored OCPI JSON, for serving pulls.
func (s *Service) PublishedLocationJSON(ctx context.Context, id string) (json.RawMessage, error) {
	body, visible, err := s.store.LocationBody(ctx, id)
	if charging.IsNotFound(err) || (err == nil && !visible) {
		return nil, unknownLocation("unknown location %q", id)
	}
	return body, err
}

// PublishedLocation returns a Location partners may see; an unknown or private one is
// CodeNotFound with OCPI status 2003.
func (s *Service) PublishedLocation(ctx context.Context, id string) (ocpi.Location, error) {
	l, err := s.store.GetLocation(ctx, id)
	if charging.IsNotFound(err) || (err == nil && !l.Visible()) {
		return ocpi.Location{}, unknownLocation("unknown location %q", id)
	}
	return l.OCPI, err
}

// unknownLocation is CodeNotFound with OCPI status 2003.
func unknownLocation(format string, args ...any) error {
	return statusErr(charging.CodeNotFound, ocpi.StatusCodeUnknownLocation, format, args...)
}

// FindEVSE returns the EVSE with uid (case-insensitive) of l.
func FindEVSE(l *ocpi.Location, uid string) (*ocpi.EVSE, bool) {
	for i := range l.EVSEs {
		if strings.EqualFold(l.EVSEs[i].UID, uid) {
			return &l.EVSEs[i], true
		}
	}
	return nil, false
}

// FindConnector returns the connector with id (case-insensitive) of e.
func FindConnector(e *ocpi.EVSE, id string) (*ocpi.Connector, bool) {
	for i := range e.Connectors {
		if strings.EqualFold(e.Connectors[i].ID, id) {
			return &e.Connectors[i], true
		}
	}
	return nil, false
}

// PutEVSE adds or replaces an EVSE of a location and pushes it (PUT on the EVSE URL).
func (s *Service) PutEVSE(ctx context.Context, locationID string, evse ocpi.EVSE) error {
	return s.inTx(ctx, func(tx Store, q *queue) error { return s.putEVSE(ctx, tx, q, locationID, evse) })
}

func (s *Service) putEVSE(ctx context.Context, tx Store, q *queue, locationID string, evse ocpi.EVSE) error {
	_, err := s.putEVSEOn(ctx, tx, q, locationID, nil, evse)
	return err
}

// putEVSEOn is putEVSE on have, when the caller has locked and read the location (nil: read it
// here); it returns the location as saved.
func (s *Service) putEVSEOn(ctx context.Context, tx Store, q *queue, locationID string, have *Location, evse ocpi.EVSE) (*Location, error) {
	if evse.LastUpdated.IsZero() {
		evse.LastUpdated = ocpi.NewDateTime(s.clock.Now())
	}
	for i := range evse.Connectors {
		if evse.Connectors[i].LastUpdated.IsZero() {
			evse.Connectors[i].LastUpdated = evse.LastUpdated
		}
	}
	if err := evse.Validate(); err != nil {
		return nil, validation("evse", err)
	}
	return s.changeLocationOn(ctx, tx, q, locationID, have, func(l *ocpi.Location) (string, any, []string, error) {
		if e, ok := FindEVSE(l, evse.UID); ok {
			evse.UID = e.UID
			*e = evse
		} else {
			l.EVSEs = append(l.EVSEs, evse)
		}
		return http.MethodPut, evse, []string{evse.UID}, touch(l, evse.LastUpdated)
	})
}

// PatchEVSE changes fields of an EVSE (typically its status) and pushes the PATCH.
func (s *Service) PatchEVSE(ctx context.Context, locationID, evseUID string, p ocpi.EVSEPatch) error {
	return s.inTx(ctx, func(tx Store, q *queue) error { return s.patchEVSE(ctx, tx, q, locationID, evseUID, p) })
}

func (s *Service) patchEVSE(ctx context.Context, tx Store, q *queue, locationID, evseUID string, p ocpi.EVSEPatch) error {
	_, err := s.patchEVSEOn(ctx, tx, q, locationID, nil, evseUID, p)
	return err
}

// patchEVSEOn is patchEVSE on have, when the caller has locked and read the location (nil: read
// it here); it returns the location as saved.
func (s *Service) patchEVSEOn(ctx context.Context, tx Store, q *queue, locationID string, have *Location, evseUID string,
	p ocpi.EVSEPatch) (*Location, error) {
	if p.LastUpdated.IsZero() {
		p.LastUpdated = ocpi.NewDateTime(s.clock.Now())
	}
	if err := p.Validate(); err != nil {
		return nil, validation("evse patch", err)
	}
	return s.changeLocationOn(ctx, tx, q, locationID, have, func(l *ocpi.Location) (string, any, []string, error) {
		e, ok := FindEVSE(l, evseUID)
		if !ok {
			return "", nil, nil, unknownLocation("location %q has no EVSE %q", l.ID, evseUID)
		}
		e.ApplyPatch(&p)
		return http.MethodPatch, p, []string{e.UID}, touch(l, p.LastUpdated)
	})
}

// PutConnector adds or replaces a connector of an EVSE and pushes it.
func (s *Service) PutConnector(ctx context.Context, locationID, evseUID string, c ocpi.Connector) error {
	if c.LastUpdated.IsZero() {
		c.LastUpdated = ocpi.NewDateTime(s.clock.Now())
	}
	if err := c.Validate(); err != nil {
		return validation("connector", err)
	}
	return s.changeLocation(ctx, locationID, func(l *ocpi.Location) (string, any, []string, error) {
		e, ok := FindEVSE(l, evseUID)
		if !ok {
			return "", nil, nil, unknownLocation("location %q has no EVSE %q", l.ID, evseUID)
		}
		if old, ok := FindConnector(e, c.ID); ok {
			c.ID = old.ID
			*old = c
		} else {
			e.Connectors = append(e.Connectors, c)
		}
		touchEVSE(e, c.LastUpdated)
		return http.MethodPut, c, []string{e.UID, c.ID}, touch(l, c.LastUpdated)
	})
}

// PatchConnector changes fields of a connector and pushes the PATCH.
func (s *Service) PatchConnector(ctx context.Context, locationID, evseUID, connectorID string, p ocpi.ConnectorPatch) error {
	if p.LastUpdated.IsZero() {
		p.LastUpdated = ocpi.NewDateTime(s.clock.Now())
	}
	if err := p.Validate(); err != nil {
		return validation("connector patch", err)
	}
	return s.changeLocation(ctx, locationID, func(l *ocpi.Location) (string, any, []string, error) {
		e, ok := FindEVSE(l, evseUID)
		if !ok {
			return "", nil, nil, unknownLocation("location %q has no EVSE %q", l.ID, evseUID)
		}
		c, ok := FindConnector(e, connectorID)
		if !ok {
			return "", nil, nil, unknownLocation("EVSE %q has no connector %q", evseUID, connectorID)
		}
		c.ApplyPatch(&p)
		touchEVSE(e, p.LastUpdated)
		return http.MethodPatch, p, []string{e.UID, c.ID}, touch(l, p.LastUpdated)
	})
}

// PatchLocation changes top-level fields of a location and pushes the PATCH.
func (s *Service) PatchLocation(ctx context.Context, locationID string, p ocpi.LocationPatch) error {
	if p.LastUpdated.IsZero() {
		p.LastUpdated = ocpi.NewDateTime(s.clock.Now())
	}
	if err := p.Validate(); err != nil {
		return validation("location patch", err)
	}
	return s.changeLocation(ctx, locationID, func(l *ocpi.Location) (string, any, []string, error) {
		l.ApplyPatch(&p)
		return http.MethodPatch, p, nil, nil
	})
}

// touch cascades a child's last_updated to its location.
func touch(l *ocpi.Location, t ocpi.DateTime) error {
	if t.After(l.LastUpdated.Time) {
		l.LastUpdated = t
	}
	return nil
}

// touchEVSE cascades a connector's last_updated to its EVSE.
func touchEVSE(e *ocpi.EVSE, t ocpi.DateTime) {
	if t.After(e.LastUpdated.Time) {
		e.LastUpdated = t
	}
}

// changeLocation loads a location, lets change modify it and say what to push (method, body and
// URL segments below the location id), validates and stores the result and enqueues the push.
func (s *Service) changeLocation(ctx context.Context, id string,
	change func(l *ocpi.Location) (method string, body any, segments []string, err error)) error {
	return s.inTx(ctx, func(tx Store, q *queue) error { return s.changeLocationTx(ctx, tx, q, id, change) })
}

// changeLocationTx is changeLocation in the transaction tx; the location's row lock is taken
// first, so concurrent changes of one location apply one after the other.
func (s *Service) changeLocationTx(ctx context.Context, tx Store, q *queue, id string,
	change func(l *ocpi.Location) (method string, body any, segments []string, err error)) error {
	_, err := s.changeLocationOn(ctx, tx, q, id, nil, change)
	return err
}

// changeLocationOn is changeLocationTx on have, the location as the caller locked and read it in
// tx (LockLocation, then the location at the version the lock returned), which saves reading it
// again; nil: lock and read it here. have is not modified: change gets a copy whose EVSE list is
// its own (change may replace, append or patch EVSEs and set the location's fields, nothing
// deeper). It returns the location as saved.
func (s *Service) changeLocationOn(ctx context.Context, tx Store, q *queue, id string, have *Location,
	change func(l *ocpi.Location) (method string, body any, segments []string, err error)) (*Location, error) {
	var loc Location
	if have != nil {
		loc = *have
		loc.OCPI.EVSEs = slices.Clone(have.OCPI.EVSEs)
	} else {
		_, err := tx.LockLocation(ctx, id)
		if charging.IsNotFound(err) {
			return nil, unknownLocation("unknown location %q", id)
		}
		if err != nil {
			return nil, err
		}
		if loc, err = tx.GetLocation(ctx, id); err != nil {
			return nil, err
		}
	}
	method, body, segments, err := change(&loc.OCPI)
	if err != nil {
		return nil, err
	}
	if err := loc.OCPI.Validate(); err != nil {
		return nil, validation("location", err)
	}
	if err := tx.SaveLocationBody(ctx, &loc); err != nil {
		return nil, err
	}
	if !loc.Visible() {
		return &loc, nil
	}
	return &loc, s.pushLocation(ctx, tx, q, loc.OCPI.ID, method, body, append([]string{loc.OCPI.ID}, segments...)...)
}
