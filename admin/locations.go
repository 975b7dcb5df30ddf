package admin

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// locationJSON is an OCPI Location with the charging stations whose EVSEs belong to it and their
// connector defaults (standard, format, power_type, max_voltage, max_amperage,
// max_electric_power, tariff_ids, terms_and_conditions, and per-EVSE overrides under "evses"),
// keyed by station id; the key "*" applies to every station without its own entry. As input,
// country_code/party_id default to the hub's and last_updated is set by the hub; the EVSEs of the
// stations are generated from their state (EVSEs given in "evses" with other uids are kept).
type locationJSON struct {
	ocpi.Location
	StationIDs        []string                             `json:"station_ids"`
	ConnectorDefaults map[string]roaming.ConnectorDefaults `json:"connector_defaults,omitempty"`
	CreatedAt         *time.Time                           `json:"created_at,omitempty"`
}

func toLocationJSON(l roaming.Location) locationJSON {
	out := locationJSON{Location: l.OCPI, StationIDs: l.StationIDs, ConnectorDefaults: l.Connectors, CreatedAt: &l.CreatedAt}
	if out.StationIDs == nil {
		out.StationIDs = []string{}
	}
	return out
}

func (r *Roaming) listLocations(c echo.Context) error {
	offset, limit, err := pagination(c)
	if err != nil {
		return r.api.fail(c, err)
	}
	list, total, err := r.svc.ListLocations(c.Request().Context(), roaming.ObjectFilter{Offset: offset, Limit: limit})
	if err != nil {
		return r.api.fail(c, err)
	}
	out := page[locationJSON]{Data: make([]locationJSON, 0, len(list)), Total: total, Offset: offset, Limit: limit}
	for _, l := range list {
		out.Data = append(out.Data, toLocationJSON(l))
	}
	return c.JSON(http.StatusOK, out)
}

func (r *Roaming) getLocation(c echo.Context) error {
	l, err := r.svc.GetLocation(c.Request().Context(), c.Param("id"))
	if err != nil {
		return r.api.fail(c, err)
	}
	return c.JSON(http.StatusOK, toLocationJSON(l))
}

// createLocation stores a new location (409 if the id exists) and pushes it to partners.
func (r *Roaming) createLocation(c echo.Context) error {
	var in locationJSON
	if err := decodeBody(c, &in); err != nil {
		return r.api.fail(c, err)
	}
	l, err := r.svc.CreateLocation(c.Request().Context(), roaming.LocationInput{Location: in.Location, StationIDs: in.StationIDs,
		Connectors: in.ConnectorDefaults})
	if err != nil {
		return r.api.fail(c, err)
	}
	return c.JSON(http.StatusCreated, toLocationJSON(l))
}

// updateLocation replaces a location (404 if unknown) and pushes it; the id in the body, if any,
// must be the one in the URL.
func (r *Roaming) updateLocation(c echo.Context) error {
	var in locationJSON
	if err := decodeBody(c, &in); err != nil {
		return r.api.fail(c, err)
	}
	if in.ID == "" {
		in.ID = c.Param("id")
	}
	if !strings.EqualFold(in.ID, c.Param("id")) {
		return r.api.fail(c, charging.Errorf(charging.CodeInvalid, "location id %q in the body differs from %q in the URL", in.ID, c.Param("id")))
	}
	l, err := r.svc.UpdateLocation(c.Request().Context(), roaming.LocationInput{Location: in.Location, StationIDs: in.StationIDs,
		Connectors: in.ConnectorDefaults})
	if err != nil {
		return r.api.fail(c, err)
	}
	return c.JSON(http.StatusOK, toLocationJSON(l))
}
