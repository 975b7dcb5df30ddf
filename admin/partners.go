package admin

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// Roaming is the operator API of the OCPI side (partners, their outbox, published locations),
// mounted next to API under /api/v1 behind the same bearer token.
type Roaming struct {
	api *API // its auth and error translation
	svc *roaming.Service
}

// NewRoaming builds the roaming admin API.
func NewRoaming(svc *roaming.Service, token string, log *slog.Logger) *Roaming {
	return &Roaming{api: &API{token: token, log: log}, svc: svc}
}

// Mount adds the routes under /api/v1.
func (r *Roaming) Mount(e *echo.Echo) {
	g := e.Group("/api/v1", r.api.auth)
	g.GET("/partners", r.listPartners)
	g.POST("/partners", r.createPartner)
	g.POST("/partners/register", r.registerPartner)
	g.GET("/partners/:id", r.getPartner)
	g.POST("/partners/:id/suspend", r.partnerAction)
	g.POST("/partners/:id/resume", r.partnerAction)
	g.POST("/partners/:id/rotate", r.partnerAction)
	g.POST("/partners/:id/unregister", r.partnerAction)
	g.POST("/partners/:id/sync-tokens", r.syncTokens)
	g.GET("/partners/:id/outbox", r.listOutbox)
	g.POST("/partners/:id/outbox/:item/retry", r.retryOutbox)
	g.GET("/locations", r.listLocations)
	g.POST("/locations", r.createLocation)
	g.GET("/locations/:id", r.getLocation)
	g.PUT("/locations/:id", r.updateLocation)
}

// partnerJSON is a partner as the API shows it (never its tokens).
type partnerJSON struct {
	ID             int64                  `json:"id"`
	Name           string                 `json:"name"`
	Role           string                 `json:"role"`
	CountryCode    string                 `json:"country_code,omitempty"`
	PartyID        string                 `json:"party_id,omitempty"`
	Status         string                 `json:"status"`
	VersionsURL    string                 `json:"versions_url,omitempty"`
	Version        string                 `json:"version,omitempty"`
	TokenEncoding  string                 `json:"token_encoding,omitempty"`
	MaxPageSize    int                    `json:"max_page_size,omitempty"`
	Roles          []ocpi.CredentialsRole `json:"roles,omitempty"`
	Endpoints      []roaming.Endpoint     `json:"endpoints,omitempty"`
	TokensSyncedAt *time.Time             `json:"tokens_synced_at,omitempty"`
	RegisteredAt   *time.Time             `json:"registered_at,omitempty"`
	CreatedAt      time.Time              `json:"created_at"`
	UpdatedAt      time.Time              `json:"updated_at"`
	Outbox         *outboxCounts          `json:"outbox,omitempty"`
}

type outboxCounts struct {
	Pending int `json:"pending"`
	Failed  int `json:"failed"`
}

func toPartnerJSON(p roaming.Partner) partnerJSON {
	return partnerJSON{ID: p.ID, Name: p.Name, Role: string(p.Role), CountryCode: p.Party.CountryCode, PartyID: p.Party.PartyID,
		Status: string(p.Status), VersionsURL: p.VersionsURL, Version: string(p.Version), TokenEncoding: string(p.TokenEncoding),
		MaxPageSize: p.MaxPageSize, Roles: p.Roles, Endpoints: p.Endpoints, TokensSyncedAt: p.TokensSyncedAt,
		RegisteredAt: p.RegisteredAt, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

func (r *Roaming) listPartners(c echo.Context) error {
	offset, limit, err := pagination(c)
	if err != nil {
		return r.api.fail(c, err)
	}
	list, total, err := r.svc.ListPartners(c.Request().Context(), roaming.PartnerFilter{
		Status: roaming.PartnerStatus(c.QueryParam("status")), Offset: offset, Limit: limit})
	if err != nil {
		return r.api.fail(c, err)
	}
	out := page[partnerJSON]{Data: make([]partnerJSON, 0, len(list)), Total: total, Offset: offset, Limit: limit}
	for _, p := range list {
		out.Data = append(out.Data, toPartnerJSON(p))
	}
	return c.JSON(http.StatusOK, out)
}

// createPartner is `hub partners add`: the answer carries token A and our versions URL, to be
// handed to the partner (token A is shown only here).
func (r *Roaming) createPartner(c echo.Context) error {
	var req struct {
		Name        string `json:"name"`
		Role        string `json:"role"`
		CountryCode string `json:"country_code"`
		PartyID     string `json:"party_id"`
		MaxPageSize int    `json:"max_page_size"`
	}
	if err := decodeBody(c, &req); err != nil {
		return r.api.fail(c, err)
	}
	p, tokenA, err := r.svc.CreatePartner(c.Request().Context(), roaming.NewPartner{Name: req.Name, Role: ocpi.Role(req.Role),
		Party: roaming.Party{CountryCode: req.CountryCode, PartyID: req.PartyID}, MaxPageSize: req.MaxPageSize})
	if err != nil {
		return r.api.fail(c, err)
	}
	return c.JSON(http.StatusCreated, map[string]any{"partner": toPartnerJSON(p), "token_a": tokenA, "versions_url": r.svc.VersionsURL()})
}

// registerPartner is `hub partners register`: the hub registers with a partner that gave us its
// versions URL and token A.
func (r *Roaming) registerPartner(c echo.Context) error {
	var req struct {
		VersionsURL string `json:"versions_url"`
		Token       string `json:"token"`
		Name        string `json:"name"`
		MaxPageSize int    `json:"max_page_size"`
	}
	if err := decodeBody(c, &req); err != nil {
		return r.api.fail(c, err)
	}
	p, err := r.svc.RegisterWithPeer(c.Request().Context(), req.VersionsURL, req.Token,
		roaming.RegisterOptions{Name: req.Name, MaxPageSize: req.MaxPageSize})
	if err != nil {
		return r.api.fail(c, err)
	}
	return c.JSON(http.StatusCreated, toPartnerJSON(p))
}

func partnerID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, charging.Errorf(charging.CodeInvalid, "partner id %q is not a positive integer", c.Param("id"))
	}
	return id, nil
}

// getPartner shows a partner with its endpoints, roles and outbox counts.
func (r *Roaming) getPartner(c echo.Context) error {
	id, err := partnerID(c)
	if err != nil {
		return r.api.fail(c, err)
	}
	p, err := r.svc.GetPartner(c.Request().Context(), id)
	if err != nil {
		return r.api.fail(c, err)
	}
	out := toPartnerJSON(p)
	out.Outbox = &outboxCounts{}
	backlog, err := r.svc.OutboxBacklog(c.Request().Context())
	if err != nil {
		return r.api.fail(c, err)
	}
	for _, b := range backlog {
		if b.PartnerID == id {
			out.Outbox.Pending, out.Outbox.Failed = b.Pending, b.Failed
		}
	}
	return c.JSON(http.StatusOK, out)
}

// partnerAction runs suspend, resume, rotate (credentials PUT to the partner) or unregister
// (credentials DELETE at the partner) and answers the partner.
func (r *Roaming) partnerAction(c echo.Context) error {
	id, err := partnerID(c)
	if err != nil {
		return r.api.fail(c, err)
	}
	ctx := c.Request().Context()
	var p roaming.Partner
	switch action := c.Path()[len("/api/v1/partners/:id/"):]; action {
	case "suspend":
		p, err = r.svc.SuspendPartner(ctx, id)
	case "resume":
		p, err = r.svc.ResumePartner(ctx, id)
	case "rotate":
		p, err = r.svc.RotateCredentials(ctx, id)
	default:
		p, err = r.svc.Unregister(ctx, id)
	}
	if err != nil {
		return r.api.fail(c, err)
	}
	return c.JSON(http.StatusOK, toPartnerJSON(p))
}

// syncTokens pulls the partner's tokens now (?full=true: the whole list).
func (r *Roaming) syncTokens(c echo.Context) error {
	id, err := partnerID(c)
	if err != nil {
		return r.api.fail(c, err)
	}
	full, _ := strconv.ParseBool(c.QueryParam("full"))
	res, err := r.svc.SyncTokens(c.Request().Context(), id, full)
	if err != nil {
		return r.api.fail(c, err)
	}
	return c.JSON(http.StatusOK, map[string]any{"full": res.Full, "stored": res.Stored, "skipped": res.Skipped,
		"invalid": res.Invalid, "invalidated": res.Invalidated})
}

// outboxItemJSON is an outbox item for an operator.
type outboxItemJSON struct {
	ID             int64      `json:"id"`
	ObjectKey      string     `json:"object_key"`
	Method         string     `json:"method"`
	Module         string     `json:"module,omitempty"`
	Path           string     `json:"path,omitempty"`
	URL            string     `json:"url,omitempty"`
	Status         string     `json:"status"`
	Attempts       int        `json:"attempts"`
	NextAttemptAt  time.Time  `json:"next_attempt_at"`
	LastError      string     `json:"last_error,omitempty"`
	ResultLocation string     `json:"result_location,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	DeliveredAt    *time.Time `json:"delivered_at,omitempty"`
}

// listOutbox shows a partner's outbox, newest first (?status=pending|delivered|failed), with the
// backlog counts.
func (r *Roaming) listOutbox(c echo.Context) error {
	id, err := partnerID(c)
	if err != nil {
		return r.api.fail(c, err)
	}
	offset, limit, err := pagination(c)
	if err != nil {
		return r.api.fail(c, err)
	}
	ctx := c.Request().Context()
	items, total, err := r.svc.ListOutbox(ctx, roaming.OutboxFilter{PartnerID: id, Status: roaming.OutboxStatus(c.QueryParam("status")),
		Offset: offset, Limit: limit})
	if err != nil {
		return r.api.fail(c, err)
	}
	out := struct {
		page[outboxItemJSON]
		Pending int `json:"pending"`
		Failed  int `json:"failed"`
	}{page: page[outboxItemJSON]{Data: make([]outboxItemJSON, 0, len(items)), Total: total, Offset: offset, Limit: limit}}
	for _, it := range items {
		out.Data = append(out.Data, outboxItemJSON{ID: it.ID, ObjectKey: it.ObjectKey, Method: it.Method, Module: string(it.Module),
			Path: it.Path, URL: it.URL, Status: string(it.Status), Attempts: it.Attempts, NextAttemptAt: it.NextAttemptAt,
			LastError: it.LastError, ResultLocation: it.ResultLocation, CreatedAt: it.CreatedAt, DeliveredAt: it.DeliveredAt})
	}
	backlog, err := r.svc.OutboxBacklog(ctx)
	if err != nil {
		return r.api.fail(c, err)
	}
	for _, b := range backlog {
		if b.PartnerID == id {
			out.Pending, out.Failed = b.Pending, b.Failed
		}
	}
	return c.JSON(http.StatusOK, out)
}

// retryOutbox puts a failed item back in the queue.
func (r *Roaming) retryOutbox(c echo.Context) error {
	id, err := partnerID(c)
	if err != nil {
		return r.api.fail(c, err)
	}
	item, err := strconv.ParseInt(c.Param("item"), 10, 64)
	if err != nil {
		return r.api.fail(c, charging.Errorf(charging.CodeInvalid, "outbox item %q is not an integer", c.Param("item")))
	}
	if err := r.svc.RetryOutbox(c.Request().Context(), id, item); err != nil {
		return r.api.fail(c, err)
	}
	return c.NoContent(http.StatusNoContent)
}
