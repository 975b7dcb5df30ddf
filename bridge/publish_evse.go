package bridge

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/mapping"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// refreshStation rebuilds the EVSEs of a station from its state in tx and pushes what changed
// against the stored location: a PATCH {status, last_updated} when only the status changed, a
// PUT of the EVSE when it is new or anything else changed. extra is a transaction to count
// although it is no longer active (a stop moves the EVSE's last_updated). It returns the stored
// location as saved (shared with the location cache: read only) and the roaming Store of tx; a
// nil location: the station belongs to none.
func (p *Publisher) refreshStation(ctx context.Context, tx charging.Store, stationID string,
	extra *charging.Transaction) (*roaming.Location, roaming.Store, error) {
	loc, key, rtx, err := p.lockedLocation(ctx, tx, stationID)
	if err != nil || loc == nil {
		return nil, rtx, err
	}
	in, err := p.stationInput(ctx, tx, loc, stationID, extra)
	if err != nil {
		return nil, nil, err
	}
	want, err := p.buildEVSEs(loc, []mapping.StationInput{in}, p.configuredAt(loc))
	if err != nil {
		// the station cannot be described (e.g. no connector defaults): its EVSEs stay as they are
		return loc, rtx, p.settle(err, "station", stationID)
	}
	changed := false
	cur := loc // the location locked and read, then as each change saved it
	for _, e := range want.EVSEs {
		old, ok := roaming.FindEVSE(&cur.OCPI, e.UID)
		if ok && old.LastUpdated.After(e.LastUpdated.Time) {
			e.LastUpdated = old.LastUpdated // never older than what partners have
		}
		switch {
		case !ok || !sameEVSE(*old, e):
			cur, err = p.roam.PutEVSEOn(ctx, rtx, cur, e)
		case old.Status != e.Status:
			status := e.Status
			cur, err = p.roam.PatchEVSEOn(ctx, rtx, cur, e.UID, ocpi.EVSEPatch{Status: &status, LastUpdated: e.LastUpdated})
		default:
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("publish EVSE %s of location %s: %w", e.UID, loc.OCPI.ID, err)
		}
		changed = true
	}
	if changed {
		// cur is the location as stored at its new version (the store sets what it stores),
		// so the next change finds it instead of reading it again
		p.remember(rtx, key, cur)
	}
	return cur, rtx, nil
}

// lockedLocation locks the location that holds the station, in tx, and reads it. It returns the
// location (shared with the cache: read only), its key and the roaming Store of tx; a nil
// location: the station belongs to none.
func (p *Publisher) lockedLocation(ctx context.Context, tx charging.Store, stationID string) (*roaming.Location, string, roaming.Store, error) {
	rtx, err := p.roamingOf(tx)
	if err != nil {
		return nil, "", nil, err
	}
	if hint, ok := p.locs.owner(stationID); ok {
		// the location the station was in last time, if it still is (see locationCache)
		loc, err := p.lockAndRead(ctx, rtx, hint)
		if err != nil && !charging.IsNotFound(err) {
			return nil, "", nil, err
		}
		if err == nil && slices.Contains(loc.StationIDs, stationID) {
			return loc, hint, rtx, nil
		}
		p.locs.setOwner(stationID, "")
	}
	owner, err := rtx.LocationKeyOfStation(ctx, stationID)
	if charging.IsNotFound(err) {
		return nil, "", rtx, nil
	}
	if err != nil {
		return nil, "", nil, err
	}
	loc, err := p.lockAndRead(ctx, rtx, owner)
	if err != nil {
		return nil, "", nil, err
	}
	p.locs.setOwner(stationID, owner)
	return loc, owner, rtx, nil
}

// lockAndRead locks the location and reads it. Lock first, read the location and the station's
// state after: on PostgreSQL every statement from here on sees whatever a concurrent change of
// this location committed before us. (The location is read once, after the lock, or taken from
// the cache at the version the lock saw.)
func (p *Publisher) lockAndRead(ctx context.Context, rtx roaming.Store, key string) (*roaming.Location, error) {
	version, err := rtx.LockLocation(ctx, key)
	if err != nil {
		return nil, err
	}
	return p.readLocation(ctx, rtx, key, version)
}

// stationInput reads what mapping needs of one station, in tx.
func (p *Publisher) stationInput(ctx context.Context, tx charging.Store, loc *roaming.Location, stationID string,
	extra *charging.Transaction) (mapping.StationInput, error) {
	st, err := tx.GetStation(ctx, stationID)
	if err != nil {
		return mapping.StationInput{}, err
	}
	conns, err := tx.ListConnectors(ctx, stationID)
	if err != nil {
		return mapping.StationInput{}, err
	}
	vars, err := tx.ListDeviceVariables(ctx, stationID, charging.DeviceFilter{})
	if err != nil {
		return mapping.StationInput{}, err
	}
	inv := charging.BuildInventory(vars, conns) // the connectors as just read
	active, err := tx.ActiveTransactions(ctx, stationID, -1)
	if err != nil {
		return mapping.StationInput{}, err
	}
	if extra != nil && extra.Status != charging.TxActive {
		active = append(active, *extra)
	}
	d := loc.Connectors[stationID]
	in := mapping.StationInput{Station: st, Connectors: conns, Inventory: inv, ActiveTx: active,
		ConnectorDefaults: connectorSpec(d), ConfiguredAt: p.configuredAt(loc)}
	for k, o := range d.EVSEs {
		n, err := strconv.Atoi(k)
		if err != nil {
			continue // checked when the location was saved
		}
		if in.EVSESpecs == nil {
			in.EVSESpecs = map[int]mapping.ConnectorSpec{}
		}
		in.EVSESpecs[n] = connectorSpec(o)
	}
	return in, nil
}

// connectorSpec converts stored connector defaults for mapping.
func connectorSpec(d roaming.ConnectorDefaults) mapping.ConnectorSpec {
	return mapping.ConnectorSpec{Standard: d.Standard, Format: d.Format, PowerType: d.PowerType, MaxVoltage: d.MaxVoltage,
		MaxAmperage: d.MaxAmperage, MaxElectricPower: d.MaxElectricPower, TariffIDs: slices.Clone(d.TariffIDs),
		TermsAndConditions: d.TermsAndConditions}
}

// configuredAt is when the location's configuration last changed: the last operator save, else
// its creation. It, not the location's last_updated (which every EVSE change moves), is the
// base of the connectors' last_updated, so that connectors stay equal between status changes.
func (p *Publisher) configuredAt(loc *roaming.Location) time.Time {
	if !loc.ConfiguredAt.IsZero() {
		return loc.ConfiguredAt
	}
	return loc.CreatedAt
}

// buildEVSEs builds the EVSEs of the given stations with loc as the template.
func (p *Publisher) buildEVSEs(loc *roaming.Location, stations []mapping.StationInput, at time.Time) (ocpi.Location, error) {
	tmpl := loc.OCPI
	tmpl.EVSEs = nil
	tmpl.LastUpdated = ocpi.NewDateTime(at)
	return mapping.BuildLocation(p.id, mapping.LocationInput{Template: tmpl, Stations: stations})
}

// sameEVSE reports whether two EVSEs are equal but for status and the last_updated times.
func sameEVSE(a, b ocpi.EVSE) bool {
	norm := func(e ocpi.EVSE) []byte {
		e.Status, e.LastUpdated = "", ocpi.DateTime{}
		e.Connectors = slices.Clone(e.Connectors)
		for i := range e.Connectors {
			e.Connectors[i].LastUpdated = ocpi.DateTime{}
		}
		b, _ := json.Marshal(e) // plain data: cannot fail
		return b
	}
	return bytes.Equal(norm(a), norm(b))
}

// BuildEVSEs generates the EVSEs of an operator's location from its stations' current state (the
// roaming.EVSEBuilder the roaming service calls inside the transaction that saves it): one EVSE
// per EVSE of each station, with the stored connector defaults; the operator's EVSEs with other
// uids are kept; EVSEs of the old location that were REMOVED, or that belonged to a station that
// left the location, are kept with status REMOVED (OCPI never deletes EVSEs). A station that
// cannot be described (no connector defaults for a reported connector) refuses the save with
// CodeInvalid.
func (p *Publisher) BuildEVSEs(ctx context.Context, rtx roaming.Store, l *roaming.Location, old *roaming.Location) error {
	if len(l.StationIDs) == 0 && old == nil {
		return nil
	}
	tx, err := p.chargingOf(rtx)
	if err != nil {
		return err
	}
	at := l.ConfiguredAt
	if at.IsZero() {
		at = l.OCPI.LastUpdated.Time
	}
	inputs := make([]mapping.StationInput, 0, len(l.StationIDs))
	for _, st := range l.StationIDs {
		in, err := p.stationInput(ctx, tx, l, st, nil)
		if err != nil {
			return fmt.Errorf("location %q: station %q: %w", l.OCPI.ID, st, err)
		}
		inputs = append(inputs, in)
	}
	built, err := p.buildEVSEs(l, inputs, at)
	if err != nil {
		return charging.Errorf(charging.CodeInvalid, "the EVSEs of the location's stations cannot be built "+
			"(configure connector_defaults for them): %w", err)
	}
	evses := built.EVSEs
	taken := map[string]bool{}
	for _, e := range evses {
		taken[strings.ToUpper(e.UID)] = true
	}
	for _, e := range l.OCPI.EVSEs { // the operator's own EVSEs
		if !taken[strings.ToUpper(e.UID)] {
			evses = append(evses, e)
			taken[strings.ToUpper(e.UID)] = true
		}
	}
	if old != nil {
		for _, e := range old.OCPI.EVSEs {
			if taken[strings.ToUpper(e.UID)] || (e.Status != ocpi.StatusRemoved && !fromStations(e.UID, old.StationIDs)) {
				continue
			}
			if e.Status != ocpi.StatusRemoved {
				e.Status, e.LastUpdated = ocpi.StatusRemoved, ocpi.NewDateTime(at)
			}
			evses = append(evses, e)
			taken[strings.ToUpper(e.UID)] = true
		}
	}
	l.OCPI.EVSEs = evses
	if built.LastUpdated.After(l.OCPI.LastUpdated.Time) {
		l.OCPI.LastUpdated = built.LastUpdated
	}
	for _, e := range evses {
		if e.LastUpdated.After(l.OCPI.LastUpdated.Time) {
			l.OCPI.LastUpdated = e.LastUpdated
		}
	}
	return nil
}

// fromStations reports whether uid is the EVSE uid mapping gives an EVSE of one of the stations.
func fromStations(uid string, stations []string) bool {
	i := strings.LastIndexByte(uid, '-')
	if i < 0 {
		return false
	}
	n, err := strconv.Atoi(uid[i+1:])
	if err != nil || n <= 0 {
		return false
	}
	for _, st := range stations {
		if strings.EqualFold(mapping.EVSEUID(st, n), uid) {
			return true
		}
	}
	return false
}
