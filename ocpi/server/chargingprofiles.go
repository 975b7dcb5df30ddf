package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// getChargingProfile asks for the active profile of a session: ?duration=&response_url=.
func (s *Server) getChargingProfile(c echo.Context) error {
	d := c.QueryParam("duration")
	duration, err := strconv.Atoi(d)
	if err != nil || duration < 0 {
		return badRequest("duration %q is not a non-negative number of seconds", d)
	}
	ru, err := responseURL(c.QueryParam("response_url"))
	if err != nil {
		return err
	}
	return s.profile(c, roaming.ProfileRequest{Kind: roaming.KindGetChargingProfile, SessionID: param(c, "session_id"),
		Duration: duration, ResponseURL: ru})
}

// putChargingProfile sets a profile on a session (SetChargingProfile body).
func (s *Server) putChargingProfile(c echo.Context) error {
	b, err := s.readBody(c)
	if err != nil {
		return err
	}
	set, err := decodeSetChargingProfile(b)
	if err != nil {
		return err
	}
	return s.profile(c, roaming.ProfileRequest{Kind: roaming.KindSetChargingProfile, SessionID: param(c, "session_id"),
		Set: &set, ResponseURL: set.ResponseURL})
}

// deleteChargingProfile clears the profile of a session: ?response_url=.
func (s *Server) deleteChargingProfile(c echo.Context) error {
	ru, err := responseURL(c.QueryParam("response_url"))
	if err != nil {
		return err
	}
	return s.profile(c, roaming.ProfileRequest{Kind: roaming.KindClearChargingProfile, SessionID: param(c, "session_id"), ResponseURL: ru})
}

func (s *Server) profile(c echo.Context, r roaming.ProfileRequest) error {
	resp, err := s.svc.HandleChargingProfile(c.Request().Context(), caller(c), r)
	if err != nil {
		return err
	}
	return s.ok(c, http.StatusOK, resp)
}

// responseURL checks a response_url query parameter: an absolute URL of at most 255 characters.
func responseURL(v string) (string, error) {
	u, err := url.Parse(v)
	if v == "" || len(v) > 255 || err != nil || u.Scheme == "" || u.Host == "" {
		return "", badRequest("response_url %q is not an absolute URL", v)
	}
	return v, nil
}

// decodeSetChargingProfile decodes and validates a SetChargingProfile body.
func decodeSetChargingProfile(b []byte) (ocpi.SetChargingProfile, error) {
	var p ocpi.SetChargingProfile
	if err := decodeJSON(b, &p); err != nil {
		return p, err
	}
	if err := p.Validate(); err != nil {
		return p, badRequest("set charging profile: %v", err)
	}
	return p, nil
}
