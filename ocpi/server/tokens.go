package server

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// tokenKey reads {country_code}/{party_id}/{token_uid}?type= (type defaults to RFID).
func tokenKey(c echo.Context) (roaming.TokenKey, error) {
	k := roaming.TokenKey{Party: roaming.Party{CountryCode: param(c, "country_code"), PartyID: param(c, "party_id")},
		UID: param(c, "token_uid"), Type: ocpi.TokenType(c.QueryParam("type"))}
	switch {
	case !k.Party.Valid():
		return k, badRequest("%q/%q is not a country code (2) and party id (3)", k.Party.CountryCode, k.Party.PartyID)
	case k.UID == "" || len(k.UID) > 36 || !printableCi(k.UID):
		return k, badRequest("token_uid %q is not a CiString(36)", k.UID)
	case len(k.Type) > 255 || !printableCi(string(k.Type)):
		return k, badRequest("type %q is not a token type", k.Type)
	}
	if k.Type == "" {
		k.Type = ocpi.TokenTypeRFID
	}
	k.Type = ocpi.TokenType(strings.ToUpper(string(k.Type)))
	return k, nil
}

// printableCi reports whether s only has printable ASCII (a CiString).
func printableCi(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// getToken returns a Token the caller pushed; unknown is 404 with 2004.
func (s *Server) getToken(c echo.Context) error {
	k, err := tokenKey(c)
	if err != nil {
		return err
	}
	t, err := s.svc.Token(c.Request().Context(), partner(c), k)
	if err != nil {
		return err
	}
	return s.ok(c, http.StatusOK, t)
}

// putToken stores a Token: 201 when new, 200 when replaced.
func (s *Server) putToken(c echo.Context) error {
	k, err := tokenKey(c)
	if err != nil {
		return err
	}
	b, err := s.readBody(c)
	if err != nil {
		return err
	}
	t, err := decodeToken(b)
	if err != nil {
		return err
	}
	created, err := s.svc.ReceiveToken(c.Request().Context(), partner(c), k, t)
	if err != nil {
		return err
	}
	if created {
		return s.ok(c, http.StatusCreated, nil)
	}
	return s.ok(c, http.StatusOK, nil)
}

// patchToken applies a partial Token; unknown is 404 with 2004, no last_updated is 2001.
func (s *Server) patchToken(c echo.Context) error {
	k, err := tokenKey(c)
	if err != nil {
		return err
	}
	b, err := s.readBody(c)
	if err != nil {
		return err
	}
	p, err := decodeTokenPatch(b)
	if err != nil {
		return err
	}
	if err := s.svc.PatchToken(c.Request().Context(), partner(c), k, p); err != nil {
		return err
	}
	return s.ok(c, http.StatusOK, nil)
}

// decodeToken decodes a Token body (validated by the service, which names the field).
func decodeToken(b []byte) (ocpi.Token, error) {
	var t ocpi.Token
	err := decodeJSON(b, &t)
	return t, err
}

// decodeTokenPatch decodes and validates a TokenPatch (last_updated required).
func decodeTokenPatch(b []byte) (ocpi.TokenPatch, error) {
	var p ocpi.TokenPatch
	if err := decodeJSON(b, &p); err != nil {
		return p, err
	}
	if err := p.Validate(); err != nil {
		return p, badRequest("token patch: %v", err)
	}
	return p, nil
}
