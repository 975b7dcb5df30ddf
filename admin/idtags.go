package admin

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/charging"
)

type idTagJSON struct {
	IDTag       string     `json:"id_tag"`
	Status      string     `json:"status"`
	ExpiryDate  *time.Time `json:"expiry_date,omitempty"`
	ParentIDTag string     `json:"parent_id_tag,omitempty"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

func toIDTagJSON(t charging.IDTag) idTagJSON {
	return idTagJSON{IDTag: t.IDTag, Status: string(t.Status), ExpiryDate: t.ExpiryDate, ParentIDTag: t.ParentIDTag,
		UpdatedAt: t.UpdatedAt}
}

func (a *API) listIDTags(c echo.Context) error {
	offset, limit, err := pagination(c)
	if err != nil {
		return a.fail(c, err)
	}
	list, total, err := a.store.ListIDTags(c.Request().Context(), offset, limit)
	if err != nil {
		return a.fail(c, err)
	}
	out := page[idTagJSON]{Data: make([]idTagJSON, 0, len(list)), Total: total, Offset: offset, Limit: limit}
	for _, t := range list {
		out.Data = append(out.Data, toIDTagJSON(t))
	}
	return c.JSON(http.StatusOK, out)
}

func (a *API) getIDTag(c echo.Context) error {
	tag, _ := charging.NormaliseIDTag(c.Param("id"), 0)
	t, err := a.store.GetIDTag(c.Request().Context(), tag)
	if err != nil {
		return a.fail(c, err)
	}
	return c.JSON(http.StatusOK, toIDTagJSON(t))
}

func (a *API) putIDTag(c echo.Context) error {
	var req struct {
		Status      string     `json:"status"`
		ExpiryDate  *time.Time `json:"expiry_date"`
		ParentIDTag string     `json:"parent_id_tag"`
	}
	if err := decodeBody(c, &req); err != nil {
		return a.fail(c, err)
	}
	t, err := a.svc.PutIDTag(c.Request().Context(), charging.IDTag{IDTag: c.Param("id"),
		Status: charging.AuthStatus(req.Status), ExpiryDate: req.ExpiryDate, ParentIDTag: req.ParentIDTag})
	if err != nil {
		return a.fail(c, err)
	}
	return c.JSON(http.StatusOK, toIDTagJSON(t))
}

func (a *API) deleteIDTag(c echo.Context) error {
	tag, _ := charging.NormaliseIDTag(c.Param("id"), 0)
	if err := a.store.DeleteIDTag(c.Request().Context(), tag); err != nil {
		return a.fail(c, err)
	}
	return c.NoContent(http.StatusNoContent)
}
