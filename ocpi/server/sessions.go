package server

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// listSessions is the Sessions Sender list: only Sessions of the caller's tokens.
func (s *Server) listSessions(c echo.Context) error {
	cl := caller(c)
	pp, err := s.pagination(c, &cl.Partner)
	if err != nil {
		return err
	}
	viewer, err := s.svc.Viewer(c.Request().Context(), cl.Partner, cl.From)
	if err != nil {
		return err
	}
	list, total, err := s.svc.Sessions(c.Request().Context(), viewer, pp.filter())
	if err != nil {
		return err
	}
	if list == nil {
		list = []ocpi.Session{}
	}
	return s.page(c, pp, list, len(list), total)
}

// putChargingPreferences answers a driver's charging preferences. A session the caller cannot
// see, or on an EVSE without CHARGING_PREFERENCES_CAPABLE, is 404 with 2001; otherwise the hub
// answers NOT_POSSIBLE (smart charging comes with the OCPP→OCPI mapping).
func (s *Server) putChargingPreferences(c echo.Context) error {
	cl := caller(c)
	ctx := c.Request().Context()
	b, err := s.readBody(c)
	if err != nil {
		return err
	}
	if _, err := decodeChargingPreferences(b); err != nil {
		return err
	}
	viewer, err := s.svc.Viewer(ctx, cl.Partner, cl.From)
	if err != nil {
		return err
	}
	sess, err := s.svc.SessionFor(ctx, viewer, param(c, "session_id"))
	if charging.IsNotFound(err) {
		return notFound2001("unknown session %q", param(c, "session_id"))
	}
	if err != nil {
		return err
	}
	loc, err := s.svc.GetLocation(ctx, sess.LocationID)
	capable := false
	if err == nil {
		if e, ok := roaming.FindEVSE(&loc.OCPI, sess.EvseUID); ok {
			capable = slices.Contains(e.Capabilities, ocpi.CapabilityChargingPreferencesCapable)
		}
	}
	if !capable {
		return notFound2001("the EVSE of session %q does not take charging preferences", sess.ID)
	}
	return s.ok(c, http.StatusOK, ocpi.ChargingPreferencesNotPossible)
}

// decodeChargingPreferences decodes and validates ChargingPreferences.
func decodeChargingPreferences(b []byte) (ocpi.ChargingPreferences, error) {
	var p ocpi.ChargingPreferences
	if err := decodeJSON(b, &p); err != nil {
		return p, err
	}
	if err := p.Validate(); err != nil {
		return p, badRequest("charging preferences: %v", err)
	}
	return p, nil
}

// notFound2001 is a 404 with OCPI status 2001.
func notFound2001(format string, args ...any) error {
	se := ocpi.NewStatusError(ocpi.StatusCodeInvalidParameters, format, args...)
	return &charging.Error{Code: charging.CodeNotFound, Msg: se.Message, Err: se}
}

// listCDRs is the CDRs Sender list: only CDRs of the caller's tokens.
func (s *Server) listCDRs(c echo.Context) error {
	cl := caller(c)
	pp, err := s.pagination(c, &cl.Partner)
	if err != nil {
		return err
	}
	viewer, err := s.svc.Viewer(c.Request().Context(), cl.Partner, cl.From)
	if err != nil {
		return err
	}
	list, total, err := s.svc.CDRs(c.Request().Context(), viewer, pp.filter())
	if err != nil {
		return err
	}
	if list == nil {
		list = []ocpi.CDR{}
	}
	return s.page(c, pp, list, len(list), total)
}

// listTariffs is the Tariffs Sender list.
func (s *Server) listTariffs(c echo.Context) error {
	p := partner(c)
	pp, err := s.pagination(c, &p)
	if err != nil {
		return err
	}
	list, total, err := s.svc.Tariffs(c.Request().Context(), pp.filter())
	if err != nil {
		return err
	}
	if list == nil {
		list = []ocpi.Tariff{}
	}
	return s.page(c, pp, list, len(list), total)
}
