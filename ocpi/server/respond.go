package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// ok writes a success envelope; data nil means no data field.
func (s *Server) ok(c echo.Context, status int, data any) error {
	return c.JSON(status, ocpi.Response[any]{Data: data, StatusCode: ocpi.StatusCodeSuccess, Timestamp: ocpi.NewDateTime(s.svc.Now())})
}

// pageParams are the pagination parameters of a list request, checked and clamped.
type pageParams struct {
	offset, limit, cap int
	from, to           *time.Time
}

// pagination reads offset, limit, date_from and date_to (2001 on bad values) and clamps limit to
// the partner's cap (its MaxPageSize, at most the server's).
func (s *Server) pagination(c echo.Context, p *roaming.Partner) (pageParams, error) {
	pp := pageParams{cap: s.cfg.MaxPageSize}
	if p.MaxPageSize > 0 && p.MaxPageSize < pp.cap {
		pp.cap = p.MaxPageSize
	}
	pp.limit = min(s.cfg.DefaultPageSize, pp.cap)
	q := c.QueryParams()
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return pp, badRequest("offset %q is not a non-negative integer", v)
		}
		pp.offset = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return pp, badRequest("limit %q is not a positive integer", v)
		}
		pp.limit = min(n, pp.cap)
	}
	for _, d := range []struct {
		name string
		dst  **time.Time
	}{{"date_from", &pp.from}, {"date_to", &pp.to}} {
		if v := q.Get(d.name); v != "" {
			// A "+01:00" offset sent unescaped arrives as " 01:00".
			t, err := ocpi.ParseDateTime(strings.ReplaceAll(v, " ", "+"))
			if err != nil {
				return pp, badRequest("%s %q is not an OCPI DateTime", d.name, v)
			}
			tt := t.Time
			*d.dst = &tt
		}
	}
	return pp, nil
}

// filter turns the parameters into a store filter.
func (pp pageParams) filter() roaming.ObjectFilter {
	return roaming.ObjectFilter{DateFrom: pp.from, DateTo: pp.to, Offset: pp.offset, Limit: pp.limit}
}

// page writes a list answer with X-Total-Count, X-Limit and, when more objects follow, a Link
// to the next page: this request's URL on the public base with the same parameters and the
// next offset.
func (s *Server) page(c echo.Context, pp pageParams, items any, n, total int) error {
	h := c.Response().Header()
	h.Set("X-Total-Count", strconv.Itoa(total))
	h.Set("X-Limit", strconv.Itoa(pp.cap))
	if next := pp.offset + n; n > 0 && next < total {
		q := url.Values{}
		for k, vs := range c.QueryParams() {
			q[k] = vs
		}
		q.Set("offset", strconv.Itoa(next))
		q.Set("limit", strconv.Itoa(pp.limit))
		h.Set("Link", "<"+s.svc.URL(c.Request().URL.Path)+"?"+q.Encode()+`>; rel="next"`)
	}
	return s.ok(c, http.StatusOK, items)
}

// readBody reads a request body of at most MaxBodyBytes (413 beyond).
func (s *Server) readBody(c echo.Context) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(c.Request().Body, s.cfg.MaxBodyBytes+1))
	if err != nil {
		return nil, badRequest("read the request body: %v", err)
	}
	if int64(len(b)) > s.cfg.MaxBodyBytes {
		return nil, echo.NewHTTPError(http.StatusRequestEntityTooLarge, "request body larger than "+strconv.FormatInt(s.cfg.MaxBodyBytes, 10)+" bytes")
	}
	return b, nil
}

// decodeJSON decodes a request body into dst (unknown fields are ignored). Malformed JSON is a
// 2000 (HTTP 400); JSON of the wrong shape (a string where an object is expected, a bad enum or
// date) is 2001.
func decodeJSON(body []byte, dst any) error {
	if len(body) == 0 {
		return badRequest("the request has no body")
	}
	if !json.Valid(body) {
		se := ocpi.NewStatusError(ocpi.StatusCodeClientError, "the request body is not valid JSON")
		return &charging.Error{Code: charging.CodeInvalid, Msg: se.Message, Err: se}
	}
	if err := json.Unmarshal(body, dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return badRequest("field %s: expected %s, got JSON %s", te.Field, te.Type, te.Value)
		}
		return badRequest("the request body does not fit: %v", err)
	}
	return nil
}
