package admin

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// Billing is the operator API of tariff management and finance, mounted next to API under
// /api/v1 behind the same bearer token: versioned tariffs pushed to partners, the CDR export,
// CDR corrections (credit + replacement), the settlement report and the CDR reconciliation.
type Billing struct {
	api *API // its auth and error translation
	svc *roaming.Service
}

// NewBilling builds the tariff and finance API.
func NewBilling(svc *roaming.Service, token string, log *slog.Logger) *Billing {
	return &Billing{api: &API{token: token, log: log}, svc: svc}
}

// Mount adds the routes under /api/v1.
func (b *Billing) Mount(e *echo.Echo) {
	g := e.Group("/api/v1", b.api.auth)
	g.GET("/tariffs", b.listTariffs)
	g.POST("/tariffs", b.createTariff)
	g.GET("/tariffs/:id", b.getTariff)
	g.PUT("/tariffs/:id", b.putTariff)
	g.DELETE("/tariffs/:id", b.deleteTariff)
	g.GET("/tariffs/:id/versions", b.tariffVersions)
	g.GET("/cdrs", b.exportCDRs)
	g.GET("/cdrs/reconciliation", b.reconcileCDRs)
	g.GET("/cdrs/:id", b.getCDR)
	g.POST("/cdrs/:id/credit", b.creditCDR)
	g.GET("/settlement", b.settlement)
}

// tariffJSON is an OCPI Tariff with its version: version n is valid from valid_from until
// valid_to (absent: current); deleted marks the version that removed the tariff.
type tariffJSON struct {
	ocpi.Tariff
	Version   int        `json:"version"`
	ValidFrom *time.Time `json:"valid_from,omitempty"`
	ValidTo   *time.Time `json:"valid_to,omitempty"`
	Deleted   bool       `json:"deleted,omitempty"`
}

func toTariffJSON(v roaming.TariffVersion) tariffJSON {
	out := tariffJSON{Tariff: v.Tariff, Version: v.Version, ValidTo: v.ValidTo, Deleted: v.Deleted}
	if !v.ValidFrom.IsZero() {
		from := v.ValidFrom
		out.ValidFrom = &from
	}
	return out
}

func (b *Billing) listTariffs(c echo.Context) error {
	offset, limit, err := pagination(c)
	if err != nil {
		return b.api.fail(c, err)
	}
	list, total, err := b.svc.CurrentTariffs(c.Request().Context(), offset, limit)
	if err != nil {
		return b.api.fail(c, err)
	}
	out := page[tariffJSON]{Data: make([]tariffJSON, 0, len(list)), Total: total, Offset: offset, Limit: limit}
	for _, v := range list {
		out.Data = append(out.Data, toTariffJSON(v))
	}
	return c.JSON(http.StatusOK, out)
}

func (b *Billing) getTariff(c echo.Context) error {
	v, err := b.svc.CurrentTariff(c.Request().Context(), c.Param("id"))
	if err != nil {
		return b.api.fail(c, err)
	}
	return c.JSON(http.StatusOK, toTariffJSON(v))
}

// createTariff stores a new tariff (409 if the id is current) as version 1 (or the next version
// of a removed one) and pushes it to every Tariffs Receiver.
func (b *Billing) createTariff(c echo.Context) error {
	var in ocpi.Tariff
	if err := decodeBody(c, &in); err != nil {
		return b.api.fail(c, err)
	}
	v, _, err := b.svc.SaveTariff(c.Request().Context(), in, true)
	if err != nil {
		return b.api.fail(c, err)
	}
	return c.JSON(http.StatusCreated, toTariffJSON(v))
}

// putTariff stores a new version of a tariff (201 when it was not current, 200 otherwise; an
// unchanged tariff keeps its version and pushes nothing); the id in the body, if any, must be the
// one in the URL.
func (b *Billing) putTariff(c echo.Context) error {
	var in ocpi.Tariff
	if err := decodeBody(c, &in); err != nil {
		return b.api.fail(c, err)
	}
	if in.ID == "" {
		in.ID = c.Param("id")
	}
	if !strings.EqualFold(in.ID, c.Param("id")) {
		return b.api.fail(c, charging.Errorf(charging.CodeInvalid, "tariff id %q in the body differs from %q in the URL", in.ID, c.Param("id")))
	}
	ctx := c.Request().Context()
	_, err := b.svc.CurrentTariff(ctx, in.ID)
	existed := err == nil
	if err != nil && !charging.IsNotFound(err) {
		return b.api.fail(c, err)
	}
	v, _, err := b.svc.SaveTariff(ctx, in, false)
	if err != nil {
		return b.api.fail(c, err)
	}
	status := http.StatusOK
	if !existed {
		status = http.StatusCreated
	}
	return c.JSON(status, toTariffJSON(v))
}

// deleteTariff retires a tariff and sends DELETE to every Tariffs Receiver; the answer is the
// removal version.
func (b *Billing) deleteTariff(c echo.Context) error {
	v, err := b.svc.RemoveTariff(c.Request().Context(), c.Param("id"))
	if err != nil {
		return b.api.fail(c, err)
	}
	return c.JSON(http.StatusOK, toTariffJSON(v))
}

// tariffVersions lists every version of a tariff, oldest first.
func (b *Billing) tariffVersions(c echo.Context) error {
	list, err := b.svc.TariffHistory(c.Request().Context(), c.Param("id"))
	if err != nil {
		return b.api.fail(c, err)
	}
	out := make([]tariffJSON, len(list))
	for i, v := range list {
		out[i] = toTariffJSON(v)
	}
	return c.JSON(http.StatusOK, map[string]any{"data": out})
}
