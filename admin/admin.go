// Package admin is the operator's JSON API under /api/v1 (Echo): stations, station
// commands, transactions and id tags, behind a bearer token.
package admin

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpp"
)

// Commander sends an OCPP command to a connected station (ocpp.Server implements it).
type Commander interface {
	Command(ctx context.Context, stationID, action string, payload json.RawMessage) (json.RawMessage, error)
}

// API serves /api/v1.
type API struct {
	svc   *charging.Service
	store charging.Store
	cmd   Commander
	token string
	log   *slog.Logger
	pw    charging.PasswordSetter // nil: rotation unavailable
}

// New builds the API.
func New(svc *charging.Service, store charging.Store, cmd Commander, token string, log *slog.Logger) *API {
	return &API{svc: svc, store: store, cmd: cmd, token: token, log: log}
}

// SetPasswordSetter enables POST /stations/{id}/password.
func (a *API) SetPasswordSetter(p charging.PasswordSetter) { a.pw = p }

// Mount adds the routes under /api/v1.
func (a *API) Mount(e *echo.Echo) {
	g := e.Group("/api/v1", a.auth)
	g.GET("/stations", a.listStations)
	g.POST("/stations", a.createStation)
	g.GET("/stations/:id", a.getStation)
	g.GET("/stations/:id/frames", a.listFrames)
	g.POST("/stations/:id/commands/:action", a.command)
	g.POST("/stations/:id/password", a.rotatePassword)
	g.GET("/stations/:id/device-model", a.deviceModel)
	g.GET("/stations/:id/inventory", a.inventory)
	g.GET("/transactions/:id/events", a.transactionEvents)
	g.GET("/vendor-profiles", a.listProfiles)
	g.PUT("/vendor-profiles/:vendor", a.putProfile)
	g.PUT("/vendor-profiles/:vendor/:model", a.putProfile)
	g.DELETE("/vendor-profiles/:vendor", a.deleteProfile)
	g.DELETE("/vendor-profiles/:vendor/:model", a.deleteProfile)
	g.GET("/transactions", a.listTransactions)
	g.GET("/transactions/:id", a.getTransaction)
	g.GET("/idtags", a.listIDTags)
	g.GET("/idtags/:id", a.getIDTag)
	g.PUT("/idtags/:id", a.putIDTag)
	g.DELETE("/idtags/:id", a.deleteIDTag)
}

// auth requires Authorization: Bearer <token>, compared in constant time.
func (a *API) auth(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get("Authorization")
		const p = "Bearer "
		if len(h) <= len(p) || !strings.EqualFold(h[:len(p)], p) ||
			subtle.ConstantTimeCompare([]byte(strings.TrimSpace(h[len(p):])), []byte(a.token)) != 1 {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="hub"`)
			return c.JSON(http.StatusUnauthorized, errorBody{Error: "missing or wrong admin token"})
		}
		return next(c)
	}
}

type errorBody struct {
	Error string `json:"error"`
	Code  string `json:"code,omitempty"`
}

// fail translates an error once, at this edge, into an HTTP status and JSON body.
func (a *API) fail(c echo.Context, err error) error {
	var ce *ocpp.CallError
	if errors.As(err, &ce) {
		return c.JSON(http.StatusBadGateway, map[string]any{"error": "the station answered with a CALLERROR",
			"call_error": map[string]any{"code": ce.Wire, "description": ce.Description, "details": ce.Details}})
	}
	code := charging.ErrorCode(err)
	status := http.StatusInternalServerError
	switch code {
	case charging.CodeInvalid:
		status = http.StatusBadRequest
	case charging.CodeNotFound:
		status = http.StatusNotFound
	case charging.CodeConflict:
		status = http.StatusConflict
	case charging.CodeUnauthorized:
		status = http.StatusUnauthorized
	case charging.CodeUnavailable:
		status = http.StatusServiceUnavailable
	case charging.CodeTimeout:
		status = http.StatusGatewayTimeout
	case charging.CodeNotSupported:
		status = http.StatusNotImplemented
	}
	msg := err.Error()
	if status == http.StatusInternalServerError {
		a.log.Error("admin api failure", "path", c.Path(), "err", err)
		msg = "internal error"
	}
	return c.JSON(status, errorBody{Error: msg, Code: string(code)})
}

// page is a paginated list answer.
type page[T any] struct {
	Data   []T `json:"data"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

const maxLimit = 1000

func pagination(c echo.Context) (offset, limit int, err error) {
	offset, limit = 0, 100
	if v := c.QueryParam("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			return 0, 0, charging.Errorf(charging.CodeInvalid, "offset %q is not a non-negative integer", v)
		}
	}
	if v := c.QueryParam("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > maxLimit {
			return 0, 0, charging.Errorf(charging.CodeInvalid, "limit %q is not an integer in 1..%d", v, maxLimit)
		}
	}
	return offset, limit, nil
}

func queryTime(c echo.Context, name string) (*time.Time, error) {
	v := c.QueryParam(name)
	if v == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, charging.Errorf(charging.CodeInvalid, "%s %q is not an RFC 3339 time", name, v)
	}
	t = t.UTC()
	return &t, nil
}
