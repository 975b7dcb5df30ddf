package server

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// listLocations is the Locations Sender list (paginated).
func (s *Server) listLocations(c echo.Context) error {
	p := partner(c)
	pp, err := s.pagination(c, &p)
	if err != nil {
		return err
	}
	list, total, err := s.svc.PublishedLocationsJSON(c.Request().Context(), pp.filter())
	if err != nil {
		return err
	}
	if list == nil {
		list = []json.RawMessage{}
	}
	return s.page(c, pp, list, len(list), total)
}

// getLocation is one Location; unknown is 404 with 2003.
func (s *Server) getLocation(c echo.Context) error {
	l, err := s.svc.PublishedLocationJSON(c.Request().Context(), param(c, "location_id"))
	if err != nil {
		return err
	}
	return s.ok(c, http.StatusOK, l)
}

// getEVSE is one EVSE of a Location.
func (s *Server) getEVSE(c echo.Context) error {
	l, err := s.svc.PublishedLocation(c.Request().Context(), param(c, "location_id"))
	if err != nil {
		return err
	}
	e, ok := roaming.FindEVSE(&l, param(c, "evse_uid"))
	if !ok {
		return unknownLocation("location %q has no EVSE %q", l.ID, param(c, "evse_uid"))
	}
	return s.ok(c, http.StatusOK, e)
}

// getConnector is one Connector of an EVSE.
func (s *Server) getConnector(c echo.Context) error {
	l, err := s.svc.PublishedLocation(c.Request().Context(), param(c, "location_id"))
	if err != nil {
		return err
	}
	e, ok := roaming.FindEVSE(&l, param(c, "evse_uid"))
	if !ok {
		return unknownLocation("location %q has no EVSE %q", l.ID, param(c, "evse_uid"))
	}
	conn, ok := roaming.FindConnector(e, param(c, "connector_id"))
	if !ok {
		return unknownLocation("EVSE %q has no connector %q", e.UID, param(c, "connector_id"))
	}
	return s.ok(c, http.StatusOK, conn)
}

// unknownLocation is a 404 with OCPI status 2003.
func unknownLocation(format string, args ...any) error {
	se := ocpi.NewStatusError(ocpi.StatusCodeUnknownLocation, format, args...)
	return &charging.Error{Code: charging.CodeNotFound, Msg: se.Message, Err: se}
}
