package mapping

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// ErrInput is matched (errors.Is) by the errors of this package that reject the inputs, as
// opposed to the ocpi validation errors of a produced object (which match ocpi.ErrInvalid).
var ErrInput = errors.New("mapping: unusable input")

func inputErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInput, fmt.Sprintf(format, args...))
}

// LocationInput is everything one OCPI Location is built from.
type LocationInput struct {
	// Template is the admin-configured Location: id, publish, address, coordinates, time zone,
	// operator, opening hours... Its EVSEs are ignored; its country_code/party_id, when set, must
	// be the Identity's. Its last_updated is when that configuration last changed.
	Template ocpi.Location
	// Stations are the charging stations whose EVSEs the Location lists, in this order.
	Stations []StationInput
}

// StationInput is one station with the OCPP-side state its EVSEs are built from.
type StationInput struct {
	Station    charging.Station
	Connectors []charging.Connector     // stored statuses; EVSE 0 / connector 0 is the station as a whole
	Inventory  []charging.EVSEInventory // EVSEs and connectors from the device model (Service.Inventory)
	ActiveTx   []charging.Transaction   // transactions on the station; only Active ones count as sessions
	// ConnectorDefaults describes the station's connectors where the OCPP side is silent (see
	// ConnectorSpec); EVSESpecs overrides it per EVSE id (non-zero fields win), e.g. for the AC
	// socket of a DC charger.
	ConnectorDefaults ConnectorSpec
	EVSESpecs         map[int]ConnectorSpec
	// Capabilities replaces the default capability list when non-nil (see the package
	// documentation); START_SESSION_CONNECTOR_REQUIRED is still added to multi-connector EVSEs.
	Capabilities []ocpi.Capability
	// ConfiguredAt is when ConnectorDefaults, EVSESpecs or Capabilities last changed; it counts
	// for every EVSE's and connector's last_updated.
	ConfiguredAt time.Time
}

// BuildLocation builds the OCPI Location of in: the template's fields, with one EVSE per EVSE of
// each station (1.6 connector N = EVSE N; EVSE 0 is skipped), connectors from the device-model
// inventory and the reported statuses (one connector "1" from the defaults when neither lists
// any), uid/evse_id from EVSEUID/EVSEID, status from EVSEStatus16/EVSEStatus201 by the station's
// protocol (a station with no protocol recorded is read as 1.6).
//
// last_updated: a connector's is the latest of the template's, the station configuration's
// (ConfiguredAt) and the station's creation; an EVSE's the latest of its connectors', the hub's
// receive times of its (and the station-wide) status records, the station's online/offline change
// (UpdatedAt when online; LastSeen when offline) and the start/stop receive times of the
// transactions on it (completed ones in ActiveTx thus move last_updated when a stop turns an EVSE
// from CHARGING to BLOCKED); the Location's the latest of the template's and its EVSEs'. The
// result is validated; errors name the station and EVSE.
func BuildLocation(id Identity, in LocationInput) (ocpi.Location, error) {
	n := id.norm()
	loc := in.Template
	if err := own(&loc.CountryCode, &loc.PartyID, n); err != nil {
		return ocpi.Location{}, fmt.Errorf("mapping: location %q: %w", loc.ID, err)
	}
	loc.EVSEs = nil
	last := loc.LastUpdated.Time
	for i := range in.Stations {
		evses, err := stationEVSEs(n, &in.Stations[i], loc.LastUpdated.Time)
		if err != nil {
			return ocpi.Location{}, fmt.Errorf("mapping: location %q: station %q: %w", loc.ID, in.Stations[i].Station.ID, err)
		}
		for _, e := range evses {
			last = later(last, e.LastUpdated.Time)
		}
		loc.EVSEs = append(loc.EVSEs, evses...)
	}
	loc.LastUpdated = ocpi.NewDateTime(last)
	if err := loc.Validate(); err != nil {
		return ocpi.Location{}, fmt.Errorf("mapping: location %q: %w", loc.ID, err)
	}
	return loc, nil
}

// own fills an object's country code and party id with the identity's, or checks them.
func own(cc, pid *string, id Identity) error {
	if (*cc != "" || *pid != "") && (!strings.EqualFold(*cc, id.CountryCode) || !strings.EqualFold(*pid, id.PartyID)) {
		return inputErr("belongs to %s*%s, the CPO is %s*%s", *cc, *pid, id.CountryCode, id.PartyID)
	}
	*cc, *pid = id.CountryCode, id.PartyID
	return nil
}

// connParts is what is known of one connector.
type connParts struct {
	typ    string // device-model ConnectorType
	status charging.ConnectorStatus
	rec    *charging.Connector // the stored status record, when there is one
}

// evseParts is what is known of one EVSE.
type evseParts struct {
	inv   *charging.EVSEInventory
	conns map[int]*connParts
}

func (e *evseParts) conn(id int) *connParts {
	if e.conns[id] == nil {
		e.conns[id] = &connParts{}
	}
	return e.conns[id]
}

// stationEVSEs builds the EVSEs of one station.
func stationEVSEs(id Identity, in *StationInput, templateAt time.Time) ([]ocpi.EVSE, error) {
	st := &in.Station
	evses := map[int]*evseParts{}
	get := func(e int) *evseParts {
		if evses[e] == nil {
			evses[e] = &evseParts{conns: map[int]*connParts{}}
		}
		return evses[e]
	}
	for i := range in.Inventory {
		inv := &in.Inventory[i]
		if inv.EVSEID <= 0 {
			continue
		}
		ep := get(inv.EVSEID)
		ep.inv = inv
		for _, c := range inv.Connectors {
			if c.ConnectorID > 0 {
				cp := ep.conn(c.ConnectorID)
				cp.typ, cp.status = c.ConnectorType, c.Status
			}
		}
	}
	var station0 *charging.Connector
	for i := range in.Connectors {
		c := &in.Connectors[i]
		switch {
		case c.EVSEID == 0 && c.ConnectorID == 0:
			station0 = c
		case c.EVSEID > 0 && c.ConnectorID > 0:
			cp := get(c.EVSEID).conn(c.ConnectorID)
			cp.rec, cp.status = c, c.Status
		}
	}
	ids := make([]int, 0, len(evses))
	for e := range evses {
		ids = append(ids, e)
	}
	slices.Sort(ids)

	online := st.Online
	stationAt := st.UpdatedAt
	if !online && st.LastSeen != nil {
		stationAt = later(stationAt, *st.LastSeen)
	}
	configAt := later(later(templateAt, in.ConfiguredAt), st.CreatedAt)
	is201 := st.Protocol == charging.OCPP201

	out := make([]ocpi.EVSE, 0, len(ids))
	for _, e := range ids {
		ep := evses[e]
		if len(ep.conns) == 0 {
			ep.conn(1)
		}
		spec := in.ConnectorDefaults.Override(in.EVSESpecs[e])
		evseAt := later(configAt, stationAt)
		var tx *charging.Transaction
		for i := range in.ActiveTx {
			t := &in.ActiveTx[i]
			if t.EVSEID != e {
				continue
			}
			evseAt = later(evseAt, orTime(t.StartReceivedAt, t.StartedAt))
			if t.StopReceivedAt != nil {
				evseAt = later(evseAt, *t.StopReceivedAt)
			}
			if t.Status == charging.TxActive {
				tx = t
			}
		}
		if station0 != nil {
			evseAt = later(evseAt, orTime(station0.UpdatedAt, station0.StatusAt))
		}
		connIDs := make([]int, 0, len(ep.conns))
		for c := range ep.conns {
			connIDs = append(connIDs, c)
		}
		slices.Sort(connIDs)
		evse := ocpi.EVSE{UID: EVSEUID(st.ID, e), EvseID: EVSEID(id, st.ID, e)}
		statuses := make([]ocpi.Status, 0, len(connIDs))
		socket := false
		for _, c := range connIDs {
			cp := ep.conns[c]
			conn, err := buildConnector(c, cp.typ, spec, ep.inv, configAt)
			if err != nil {
				return nil, fmt.Errorf("EVSE %d connector %d: %w", e, c, err)
			}
			socket = socket || conn.Format == ocpi.ConnectorFormatSocket
			evse.Connectors = append(evse.Connectors, conn)
			if cp.rec != nil {
				evseAt = later(evseAt, orTime(cp.rec.UpdatedAt, cp.rec.StatusAt))
			}
			if is201 {
				state := ""
				if tx != nil {
					state = tx.ChargingState
				}
				statuses = append(statuses, EVSEStatus201(cp.status, state, tx != nil, online))
			} else {
				code := ""
				if cp.rec != nil {
					code = cp.rec.ErrorCode
				}
				statuses = append(statuses, EVSEStatus16(cp.status, online, tx != nil, code))
			}
		}
		evse.Status = AggregateStatus(statuses...)
		if station0 != nil {
			evse.Status = ApplyStationStatus(evse.Status, station0.Status)
		}
		evse.Capabilities = capabilities(in.Capabilities, socket, len(evse.Connectors) > 1)
		evse.LastUpdated = ocpi.NewDateTime(evseAt)
		out = append(out, evse)
	}
	return out, nil
}

// buildConnector builds connector c of an EVSE from its device-model type and the spec.
func buildConnector(c int, typ string, spec ConnectorSpec, inv *charging.EVSEInventory, at time.Time) (ocpi.Connector, error) {
	std, format, power, mapped := ConnectorFromDeviceModel(typ, spec)
	missing := func(what string) error {
		if typ != "" && !mapped {
			return inputErr("no %s: device-model type %q has no OCPI equivalent and none is configured", what, typ)
		}
		return inputErr("no %s configured", what)
	}
	switch {
	case std == "":
		return ocpi.Connector{}, missing("connector standard")
	case format == "":
		return ocpi.Connector{}, missing("connector format")
	case power == "":
		return ocpi.Connector{}, missing("power type")
	case spec.MaxVoltage <= 0 || spec.MaxAmperage <= 0:
		return ocpi.Connector{}, inputErr("max voltage and amperage must be configured (got %d V, %d A)",
			spec.MaxVoltage, spec.MaxAmperage)
	}
	conn := ocpi.Connector{ID: strconv.Itoa(c), Standard: std, Format: format, PowerType: power,
		MaxVoltage: spec.MaxVoltage, MaxAmperage: spec.MaxAmperage, TariffIDs: slices.Clone(spec.TariffIDs),
		TermsAndConditions: spec.TermsAndConditions, LastUpdated: ocpi.NewDateTime(at)}
	if inv != nil && inv.MaxPowerW != nil && inv.MaxPowerW.IntPart() > 0 {
		w := int(inv.MaxPowerW.IntPart())
		conn.MaxElectricPower = &w
	} else if spec.MaxElectricPower > 0 {
		w := spec.MaxElectricPower
		conn.MaxElectricPower = &w
	}
	return conn, nil
}

// capabilities returns an EVSE's capability list (see the package documentation).
func capabilities(configured []ocpi.Capability, socket, multi bool) []ocpi.Capability {
	var caps []ocpi.Capability
	if configured != nil {
		caps = slices.Clone(configured)
	} else {
		caps = []ocpi.Capability{ocpi.CapabilityRemoteStartStopCapable, ocpi.CapabilityRFIDReader}
		if socket {
			caps = append(caps, ocpi.CapabilityUnlockCapable)
		}
	}
	if multi && !slices.Contains(caps, ocpi.CapabilityStartSessionConnectorRequired) {
		caps = append(caps, ocpi.CapabilityStartSessionConnectorRequired)
	}
	return caps
}

// later returns the later of a and b, in UTC.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b.UTC()
	}
	return a.UTC()
}

// orTime returns a, or b when a is zero.
func orTime(a, b time.Time) time.Time {
	if a.IsZero() {
		return b
	}
	return a
}
