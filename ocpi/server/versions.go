package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// versions answers the versions list: 2.2.1 only.
func (s *Server) versions(c echo.Context) error {
	return s.ok(c, http.StatusOK, []ocpi.Version{{Version: ocpi.VersionNumber221, URL: s.svc.URL(roaming.DetailsPath)}})
}

// details answers the 2.2.1 version details: credentials and every implemented module with its
// interface role.
func (s *Server) details(c echo.Context) error {
	eps := []ocpi.Endpoint{{Identifier: ocpi.ModuleIDCredentials, Role: ocpi.InterfaceRoleSender, URL: s.svc.URL(roaming.CredentialsPath)}}
	for _, m := range modules() {
		eps = append(eps, ocpi.Endpoint{Identifier: m.id, Role: m.role, URL: s.svc.URL(roaming.ModulesPath + "/" + string(m.id))})
	}
	return s.ok(c, http.StatusOK, ocpi.VersionDetails{Version: ocpi.VersionNumber221, Endpoints: eps})
}

// getCredentials returns our credentials with the token the caller authenticated with.
func (s *Server) getCredentials(c echo.Context) error {
	return s.ok(c, http.StatusOK, s.svc.OurCredentials(c.Get(keyToken).(string)))
}

// postCredentials is a partner registering with its token A.
func (s *Server) postCredentials(c echo.Context) error {
	p, kind := partner(c), c.Get(keyKind).(roaming.TokenKind)
	if p.Status != roaming.PartnerPending || kind != roaming.TokenRegistration {
		return notRegisterable(p)
	}
	body, err := s.decodeCredentials(c)
	if err != nil {
		return err
	}
	creds, err := s.svc.AcceptRegistration(c.Request().Context(), p, kind, body)
	if err != nil {
		return err
	}
	return s.ok(c, http.StatusOK, creds)
}

// putCredentials is a registered partner updating its credentials (token rotation).
func (s *Server) putCredentials(c echo.Context) error {
	p, kind := partner(c), c.Get(keyKind).(roaming.TokenKind)
	if kind != roaming.TokenCredentials || (p.Status != roaming.PartnerRegistered && p.Status != roaming.PartnerSuspended) {
		return notRegistered(p)
	}
	body, err := s.decodeCredentials(c)
	if err != nil {
		return err
	}
	creds, err := s.svc.UpdateCredentials(c.Request().Context(), p, kind, body)
	if err != nil {
		return err
	}
	return s.ok(c, http.StatusOK, creds)
}

// deleteCredentials is a partner unregistering.
func (s *Server) deleteCredentials(c echo.Context) error {
	if err := s.svc.AcceptUnregister(c.Request().Context(), partner(c), c.Get(keyKind).(roaming.TokenKind)); err != nil {
		return err
	}
	return s.ok(c, http.StatusOK, nil)
}

func (s *Server) decodeCredentials(c echo.Context) (ocpi.Credentials, error) {
	b, err := s.readBody(c)
	if err != nil {
		return ocpi.Credentials{}, err
	}
	return decodeCredentials(b)
}

// decodeCredentials decodes and validates a Credentials body.
func decodeCredentials(b []byte) (ocpi.Credentials, error) {
	var cr ocpi.Credentials
	if err := decodeJSON(b, &cr); err != nil {
		return cr, err
	}
	if err := cr.Validate(); err != nil {
		return cr, badRequest("credentials: %v", err)
	}
	return cr, nil
}
