package charging

import (
	"context"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// NotifyReport stores the device-model variables a 2.0.1 station reported.
func (s *Service) NotifyReport(ctx context.Context, stationID string, vars []DeviceVariable) error {
	if len(vars) == 0 {
		return nil
	}
	now := s.clock.Now()
	for i := range vars {
		vars[i].StationID, vars[i].UpdatedAt = stationID, now
		if vars[i].AttributeType == "" {
			vars[i].AttributeType = "Actual"
		}
	}
	return s.store.UpsertDeviceVariables(ctx, vars)
}

// DeviceModel lists a station's stored device-model variables.
func (s *Service) DeviceModel(ctx context.Context, stationID string, f DeviceFilter) ([]DeviceVariable, error) {
	return s.store.ListDeviceVariables(ctx, stationID, f)
}

// EVSEInventory is one EVSE as the device model and status notifications describe it.
type EVSEInventory struct {
	EVSEID     int
	Connectors []ConnectorInventory
	MaxPowerW  *decimal.Decimal // from the EVSE's Power variable (maxLimit, else MaxSet)
}

// ConnectorInventory is one connector of an EVSE.
type ConnectorInventory struct {
	ConnectorID   int
	ConnectorType string // device model Connector.ConnectorType, when reported
	Status        ConnectorStatus
}

// Inventory derives a station's EVSEs and connectors from its device model (2.0.1 EVSE and
// Connector components) and from the connectors it reported statuses for (both versions).
func (s *Service) Inventory(ctx context.Context, stationID string) ([]EVSEInventory, error) {
	return InventoryOf(ctx, s.store, stationID)
}

// InventoryOf is Service.Inventory read through st, e.g. a Store bound to the transaction of a
// change (the OCPP→OCPI bridge rebuilds EVSEs inside it).
func InventoryOf(ctx context.Context, st Store, stationID string) ([]EVSEInventory, error) {
	vars, err := st.ListDeviceVariables(ctx, stationID, DeviceFilter{})
	if err != nil {
		return nil, err
	}
	conns, err := st.ListConnectors(ctx, stationID)
	if err != nil {
		return nil, err
	}
	return BuildInventory(vars, conns), nil
}

// BuildInventory is InventoryOf on a station's device variables and connectors as read.
func BuildInventory(vars []DeviceVariable, conns []Connector) []EVSEInventory {
	evses := map[int]*EVSEInventory{}
	connOf := map[[2]int]*ConnectorInventory{}
	evse := func(id int) *EVSEInventory {
		if evses[id] == nil {
			evses[id] = &EVSEInventory{EVSEID: id}
		}
		return evses[id]
	}
	connector := func(e, c int) *ConnectorInventory {
		k := [2]int{e, c}
		if connOf[k] == nil {
			connOf[k] = &ConnectorInventory{ConnectorID: c}
		}
		evse(e)
		return connOf[k]
	}
	for _, v := range vars {
		switch {
		case v.Component == "EVSE" && v.EVSEID > 0:
			e := evse(v.EVSEID)
			if v.Variable == "Power" {
				if p := powerLimit(v); p != nil && (e.MaxPowerW == nil || p.GreaterThan(*e.MaxPowerW)) {
					e.MaxPowerW = p
				}
			}
		case v.Component == "Connector" && v.EVSEID > 0 && v.ConnectorID > 0:
			c := connector(v.EVSEID, v.ConnectorID)
			if v.Variable == "ConnectorType" && v.AttributeType == "Actual" {
				c.ConnectorType = v.Value
			}
		}
	}
	for _, c := range conns {
		if c.EVSEID > 0 && c.ConnectorID > 0 {
			connector(c.EVSEID, c.ConnectorID).Status = c.Status
		}
	}
	for k, c := range connOf {
		evses[k[0]].Connectors = append(evses[k[0]].Connectors, *c)
	}
	out := make([]EVSEInventory, 0, len(evses))
	for _, e := range evses {
		sort.Slice(e.Connectors, func(i, j int) bool { return e.Connectors[i].ConnectorID < e.Connectors[j].ConnectorID })
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].EVSEID < out[j].EVSEID })
	return out
}

// powerLimit reads an EVSE Power variable's maximum in W (kW units are scaled).
func powerLimit(v DeviceVariable) *decimal.Decimal {
	text := ""
	switch {
	case v.MaxLimit != nil:
		text = *v.MaxLimit
	case v.AttributeType == "MaxSet":
		text = v.Value
	default:
		return nil
	}
	d, err := decimal.NewFromString(strings.TrimSpace(text))
	if err != nil {
		return nil
	}
	if strings.EqualFold(v.Unit, "kW") {
		d = d.Shift(3)
	}
	return &d
}
