package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// clientInfoParty reads {country_code}/{party_id}.
func clientInfoParty(c echo.Context) (roaming.Party, error) {
	p := roaming.Party{CountryCode: param(c, "country_code"), PartyID: param(c, "party_id")}
	if !p.Valid() {
		return p, badRequest("%q/%q is not a country code (2) and party id (3)", p.CountryCode, p.PartyID)
	}
	return p, nil
}

// getClientInfo returns what the calling hub told about a party (404 if nothing).
func (s *Server) getClientInfo(c echo.Context) error {
	party, err := clientInfoParty(c)
	if err != nil {
		return err
	}
	ci, err := s.svc.ClientInfo(c.Request().Context(), partner(c), party)
	if charging.IsNotFound(err) {
		return notFound2001("no client info for %s", party)
	}
	if err != nil {
		return err
	}
	return s.ok(c, http.StatusOK, ci)
}

// putClientInfo stores a hub's ClientInfo: 201 when new, 200 when replaced.
func (s *Server) putClientInfo(c echo.Context) error {
	party, err := clientInfoParty(c)
	if err != nil {
		return err
	}
	b, err := s.readBody(c)
	if err != nil {
		return err
	}
	ci, err := decodeClientInfo(b)
	if err != nil {
		return err
	}
	created, err := s.svc.ReceiveClientInfo(c.Request().Context(), partner(c), party, ci)
	if err != nil {
		return err
	}
	if created {
		return s.ok(c, http.StatusCreated, nil)
	}
	return s.ok(c, http.StatusOK, nil)
}

// decodeClientInfo decodes a ClientInfo body (validated by the service).
func decodeClientInfo(b []byte) (ocpi.ClientInfo, error) {
	var ci ocpi.ClientInfo
	err := decodeJSON(b, &ci)
	return ci, err
}
