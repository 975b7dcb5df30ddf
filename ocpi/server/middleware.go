package server

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/client"
	"github.com/chargehub/hub/roaming"
)

// Keys of the values the middleware stores in the Echo context.
const (
	keyPartner = "ocpi.partner"
	keyKind    = "ocpi.token_kind"
	keyToken   = "ocpi.token"
	keyCaller  = "ocpi.caller"
	keyCorr    = "ocpi.correlation_id"
)

// envelope is the outermost OCPI middleware: it echoes or generates X-Request-ID and
// X-Correlation-ID, turns every error (and a panic) into an OCPI envelope, and never lets an
// error escape to Echo's default handler.
func (s *Server) envelope(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		req, h := c.Request(), c.Response().Header()
		reqID := headerValue(req.Header.Get(client.HeaderRequestID), 255)
		if reqID == "" {
			reqID = s.svc.NewID()
		}
		corr := headerValue(req.Header.Get(client.HeaderCorrelationID), 255)
		if corr == "" {
			corr = s.svc.NewID()
		}
		h.Set(client.HeaderRequestID, reqID)
		h.Set(client.HeaderCorrelationID, corr)
		c.Set(keyCorr, corr)
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("ocpi handler panic", "path", c.Path(), "panic", r)
				err = s.fail(c, fmt.Errorf("panic: %v", r))
			}
		}()
		if err := next(c); err != nil {
			return s.fail(c, err)
		}
		return nil
	}
}

// headerValue keeps a printable header value of at most max bytes, else "".
func headerValue(v string, max int) string {
	v = strings.TrimSpace(v)
	if len(v) > max {
		return ""
	}
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] > 0x7e {
			return ""
		}
	}
	return v
}

// fail writes the envelope of an error.
func (s *Server) fail(c echo.Context, err error) error {
	if c.Response().Committed {
		s.log.Warn("ocpi error after the response was sent", "path", c.Path(), "err", err)
		return nil
	}
	status, code, msg := translate(err)
	if status >= http.StatusInternalServerError {
		s.log.Error("ocpi request failed", "method", c.Request().Method, "path", c.Path(), "err", err)
	} else {
		s.log.Debug("ocpi request refused", "method", c.Request().Method, "path", c.Path(), "status", status, "code", code, "err", err)
	}
	if status == http.StatusUnauthorized {
		c.Response().Header().Set("WWW-Authenticate", `Token realm="ocpi"`)
	}
	return c.JSON(status, ocpi.Response[any]{StatusCode: code, StatusMessage: msg, Timestamp: ocpi.NewDateTime(s.svc.Now())})
}

// tokenCandidates reads "Authorization: Token X" and returns what X may stand for: the
// Base64-decoded token (trailing CR/LF removed) when X decodes to printable ASCII, and X itself.
func tokenCandidates(header string) []string {
	scheme, rest, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Token") {
		return nil
	}
	raw := strings.TrimSpace(rest)
	if raw == "" || len(raw) > 512 {
		return nil
	}
	var out []string
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		b, err := enc.DecodeString(raw)
		if err != nil {
			continue
		}
		tok := strings.TrimRight(string(b), "\r\n")
		if tok != "" && tok != raw && printableToken(tok) {
			out = append(out, tok)
		}
		break
	}
	if printableToken(raw) {
		out = append(out, raw)
	}
	return out
}

// printableToken reports whether s only has U+0021..U+007E, the characters of a credentials
// token.
func printableToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return s != ""
}

// authenticate finds the partner of the request's credentials token. Configuration routes take
// any token of a partner (token A included); the others need a handshake token of a registered
// partner. Failures are 401.
func (s *Server) authenticate(a access) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			cands := tokenCandidates(c.Request().Header.Get("Authorization"))
			if len(cands) == 0 {
				return unauthorized("missing or malformed Authorization header (want \"Token <base64 token>\")")
			}
			var (
				p     roaming.Partner
				kind  roaming.TokenKind
				token string
				err   error
			)
			for _, t := range cands {
				p, kind, err = s.svc.Authenticate(c.Request().Context(), t)
				if err == nil {
					token = t
					break
				}
				if charging.ErrorCode(err) != charging.CodeUnauthorized {
					return err
				}
			}
			if token == "" {
				return unauthorized("unknown credentials token")
			}
			if a != configAccess {
				switch {
				case kind != roaming.TokenCredentials:
					return unauthorized("token A only gives access to versions and credentials: register first")
				case p.Status != roaming.PartnerRegistered:
					return unauthorized("partner %d is %s", p.ID, strings.ToLower(string(p.Status)))
				}
			}
			c.Set(keyPartner, p)
			c.Set(keyKind, kind)
			c.Set(keyToken, token)
			return next(c)
		}
	}
}

// routing reads and checks the hub routing headers of a functional request and sets those of
// the answer: OCPI-from-* must name a party of the caller (any party behind a hub), OCPI-to-*
// must name the hub's party. The answer swaps them.
func (s *Server) routing(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := c.Get(keyPartner).(roaming.Partner)
		h := c.Request().Header
		from, err := readParty(h, client.HeaderFromCountryCode, client.HeaderFromPartyID)
		if err != nil {
			return err
		}
		to, err := readParty(h, client.HeaderToCountryCode, client.HeaderToPartyID)
		if err != nil {
			return err
		}
		if !from.IsZero() && !p.IsHub() && !p.HasParty(from) {
			return &charging.Error{Code: charging.CodeInvalid, Msg: "OCPI-from-* names " + from.String() + ", which is not a party of your credentials",
				Err: &ocpi.StatusError{Code: ocpi.StatusCodeInvalidParameters, Message: "OCPI-from-* is not one of your parties"}}
		}
		if !to.IsZero() && !to.Is(s.svc.Party()) {
			return badRequest("OCPI-to-* names %s; this platform is %s", to, s.svc.Party())
		}
		ours := s.svc.Party()
		rh := c.Response().Header()
		rh.Set(client.HeaderFromCountryCode, strings.ToUpper(ours.CountryCode))
		rh.Set(client.HeaderFromPartyID, strings.ToUpper(ours.PartyID))
		back := from
		if back.IsZero() {
			back = p.Party
		}
		if !back.IsZero() {
			rh.Set(client.HeaderToCountryCode, strings.ToUpper(back.CountryCode))
			rh.Set(client.HeaderToPartyID, strings.ToUpper(back.PartyID))
		}
		c.Set(keyCaller, roaming.Caller{Partner: p, From: from, CorrelationID: c.Get(keyCorr).(string)})
		return next(c)
	}
}

// readParty reads a pair of routing headers: both absent, or a valid country code and party id.
func readParty(h http.Header, ccHeader, pidHeader string) (roaming.Party, error) {
	p := roaming.Party{CountryCode: strings.TrimSpace(h.Get(ccHeader)), PartyID: strings.TrimSpace(h.Get(pidHeader))}
	switch {
	case p.IsZero():
		return p, nil
	case p.CountryCode == "" || p.PartyID == "":
		return p, badRequest("%s and %s go together", ccHeader, pidHeader)
	case !p.Valid():
		return p, badRequest("%s %q / %s %q is not a country code (2) and party id (3)", ccHeader, p.CountryCode, pidHeader, p.PartyID)
	}
	return p.Norm(), nil
}

// partner returns the authenticated partner.
func partner(c echo.Context) roaming.Partner { return c.Get(keyPartner).(roaming.Partner) }

// caller returns the authenticated caller of a functional route.
func caller(c echo.Context) roaming.Caller { return c.Get(keyCaller).(roaming.Caller) }

// param returns a path parameter, percent-decoded.
func param(c echo.Context, name string) string {
	v := c.Param(name)
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}
