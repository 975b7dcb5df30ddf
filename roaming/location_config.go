package roaming

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chargehub/hub/ocpi"
)

// AllStations is the key of LocationInput.Connectors whose defaults apply to every station of
// the location that has no entry of its own.
const AllStations = "*"

// ConnectorDefaults is what an operator configures for a station's connectors where the OCPP
// side is silent: standard, format and power type (used when the 2.0.1 device model reports no
// mappable connector type, and always for 1.6), voltage, amperage, power, tariffs and terms.
// Zero fields are not configured. EVSEs overrides them per EVSE id (the 1.6 connector id), e.g.
// for the AC socket of a DC charger: its non-zero fields win.
type ConnectorDefaults struct {
	Standard           ocpi.ConnectorType           `json:"standard,omitempty"`
	Format             ocpi.ConnectorFormat         `json:"format,omitempty"`
	PowerType          ocpi.PowerType               `json:"power_type,omitempty"`
	MaxVoltage         int                          `json:"max_voltage,omitempty"`        // V
	MaxAmperage        int                          `json:"max_amperage,omitempty"`       // A
	MaxElectricPower   int                          `json:"max_electric_power,omitempty"` // W
	TariffIDs          []string                     `json:"tariff_ids,omitempty"`
	TermsAndConditions string                       `json:"terms_and_conditions,omitempty"`
	EVSEs              map[string]ConnectorDefaults `json:"evses,omitempty"` // keyed by EVSE id ("1", "2", ...)
}

// Validate checks the configured fields (as an OCPI ConnectorPatch would be checked) and the
// EVSE overrides (positive integer keys, no nested overrides).
func (d *ConnectorDefaults) Validate() error {
	if err := d.validateFields(); err != nil {
		return err
	}
	for k, o := range d.EVSEs {
		if n, err := strconv.Atoi(k); err != nil || n <= 0 {
			return fmt.Errorf("evses: %q is not an EVSE id (a positive integer)", k)
		}
		if len(o.EVSEs) > 0 {
			return fmt.Errorf("evses.%s: overrides cannot have overrides", k)
		}
		if err := o.validateFields(); err != nil {
			return fmt.Errorf("evses.%s: %w", k, err)
		}
	}
	return nil
}

func (d *ConnectorDefaults) validateFields() error {
	p := ocpi.ConnectorPatch{TariffIDs: d.TariffIDs,
		LastUpdated: ocpi.NewDateTime(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))}
	if d.Standard != "" {
		p.Standard = &d.Standard
	}
	if d.Format != "" {
		p.Format = &d.Format
	}
	if d.PowerType != "" {
		p.PowerType = &d.PowerType
	}
	for _, f := range []struct {
		v   int
		dst **int
	}{{d.MaxVoltage, &p.MaxVoltage}, {d.MaxAmperage, &p.MaxAmperage}, {d.MaxElectricPower, &p.MaxElectricPower}} {
		if f.v != 0 {
			v := f.v
			*f.dst = &v
		}
	}
	if d.TermsAndConditions != "" {
		p.TermsAndConditions = &d.TermsAndConditions
	}
	return p.Validate()
}

// EVSEBuilder generates a Location's EVSEs from the current state of its charging stations (the
// OCPP→OCPI bridge implements it). The Service calls it inside the transaction that saves an
// operator's location (tx is the roaming Store bound to it), before the location is stored and
// pushed. l arrives with the operator's EVSEs (if any), station ids, connector defaults and
// ConfiguredAt; old is the stored location being replaced (nil for a new one). BuildEVSEs
// replaces l.OCPI.EVSEs and may move l.OCPI.LastUpdated forward; an error refuses the save
// (wrap CodeInvalid errors for configuration the stations cannot be described with).
type EVSEBuilder interface {
	BuildEVSEs(ctx context.Context, tx Store, l *Location, old *Location) error
}

// SetEVSEBuilder installs the builder of locations' EVSEs (before serving). Without one, a
// location's EVSEs are the operator's.
func (s *Service) SetEVSEBuilder(b EVSEBuilder) { s.evses = b }

// stationDefaults checks an operator's connector defaults against the location's stations and
// expands the AllStations entry to every station without an entry of its own.
func stationDefaults(in map[string]ConnectorDefaults, stations []string) (map[string]ConnectorDefaults, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := make(map[string]ConnectorDefaults, len(stations))
	for k, d := range in {
		key := strings.TrimSpace(k)
		if key != AllStations && !slices.Contains(stations, key) {
			return nil, invalid("connector defaults for station %q, which is not one of the location's station_ids", k)
		}
		if err := d.Validate(); err != nil {
			return nil, invalid("connector defaults of %q: %v", k, err)
		}
		if key != AllStations {
			out[key] = d
		}
	}
	if all, ok := in[AllStations]; ok {
		for _, st := range stations {
			if _, own := out[st]; !own {
				out[st] = all
			}
		}
	}
	return out, nil
}
