package admin

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/charging"
)

type deviceVariableJSON struct {
	Component          string    `json:"component"`
	ComponentInstance  string    `json:"component_instance,omitempty"`
	EVSEID             int       `json:"evse_id,omitempty"`
	ConnectorID        int       `json:"connector_id,omitempty"`
	Variable           string    `json:"variable"`
	VariableInstance   string    `json:"variable_instance,omitempty"`
	AttributeType      string    `json:"attribute_type"`
	Value              string    `json:"value"`
	Mutability         string    `json:"mutability,omitempty"`
	Persistent         bool      `json:"persistent"`
	Constant           bool      `json:"constant"`
	DataType           string    `json:"data_type,omitempty"`
	Unit               string    `json:"unit,omitempty"`
	MinLimit           *string   `json:"min_limit,omitempty"`
	MaxLimit           *string   `json:"max_limit,omitempty"`
	ValuesList         string    `json:"values_list,omitempty"`
	SupportsMonitoring bool      `json:"supports_monitoring"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// deviceModel: GET /stations/{id}/device-model?component=&variable=&evse_id=
func (a *API) deviceModel(c echo.Context) error {
	f := charging.DeviceFilter{Component: c.QueryParam("component"), Variable: c.QueryParam("variable")}
	if v := c.QueryParam("evse_id"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return a.fail(c, charging.Errorf(charging.CodeInvalid, "evse_id %q is not an integer", v))
		}
		f.EVSEID = &n
	}
	vars, err := a.svc.DeviceModel(c.Request().Context(), c.Param("id"), f)
	if err != nil {
		return a.fail(c, err)
	}
	out := make([]deviceVariableJSON, 0, len(vars))
	for _, v := range vars {
		out = append(out, deviceVariableJSON{Component: v.Component, ComponentInstance: v.ComponentInstance, EVSEID: v.EVSEID,
			ConnectorID: v.ConnectorID, Variable: v.Variable, VariableInstance: v.VariableInstance, AttributeType: v.AttributeType,
			Value: v.Value, Mutability: v.Mutability, Persistent: v.Persistent, Constant: v.Constant, DataType: v.DataType,
			Unit: v.Unit, MinLimit: v.MinLimit, MaxLimit: v.MaxLimit, ValuesList: v.ValuesList,
			SupportsMonitoring: v.SupportsMonitoring, UpdatedAt: v.UpdatedAt})
	}
	return c.JSON(http.StatusOK, map[string]any{"data": out})
}

// inventory: GET /stations/{id}/inventory — EVSEs, connectors and max power.
func (a *API) inventory(c echo.Context) error {
	ctx := c.Request().Context()
	if _, err := a.store.GetStation(ctx, c.Param("id")); err != nil {
		return a.fail(c, err)
	}
	inv, err := a.svc.Inventory(ctx, c.Param("id"))
	if err != nil {
		return a.fail(c, err)
	}
	type connJSON struct {
		ConnectorID   int    `json:"connector_id"`
		ConnectorType string `json:"connector_type,omitempty"`
		Status        string `json:"status,omitempty"`
	}
	type evseJSON struct {
		EVSEID     int        `json:"evse_id"`
		MaxPowerW  *string    `json:"max_power_w,omitempty"`
		Connectors []connJSON `json:"connectors"`
	}
	out := make([]evseJSON, 0, len(inv))
	for _, e := range inv {
		j := evseJSON{EVSEID: e.EVSEID, Connectors: []connJSON{}}
		if e.MaxPowerW != nil {
			s := e.MaxPowerW.String()
			j.MaxPowerW = &s
		}
		for _, k := range e.Connectors {
			j.Connectors = append(j.Connectors, connJSON{ConnectorID: k.ConnectorID, ConnectorType: k.ConnectorType, Status: string(k.Status)})
		}
		out = append(out, j)
	}
	return c.JSON(http.StatusOK, map[string]any{"data": out})
}

// transactionEvents: GET /transactions/{id}/events — the 2.0.1 events in seqNo order and the
// seqNos missing between them.
func (a *API) transactionEvents(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return a.fail(c, charging.Errorf(charging.CodeInvalid, "transaction id %q is not an integer", c.Param("id")))
	}
	ctx := c.Request().Context()
	t, err := a.store.GetTransaction(ctx, id)
	if err != nil {
		return a.fail(c, err)
	}
	type eventJSON struct {
		SeqNo         int       `json:"seq_no"`
		EventType     string    `json:"event_type"`
		TriggerReason string    `json:"trigger_reason"`
		Offline       bool      `json:"offline"`
		Timestamp     time.Time `json:"timestamp"`
		ReceivedAt    time.Time `json:"received_at"`
	}
	out := struct {
		Data []eventJSON `json:"data"`
		Gaps []int       `json:"gaps"`
	}{Data: []eventJSON{}, Gaps: []int{}}
	if t.StationTxID == "" {
		return c.JSON(http.StatusOK, out) // 1.6 transactions have no event log
	}
	events, err := a.store.ListTransactionEvents(ctx, t.StationID, t.StationTxID)
	if err != nil {
		return a.fail(c, err)
	}
	for _, e := range events {
		out.Data = append(out.Data, eventJSON{SeqNo: e.SeqNo, EventType: e.EventType, TriggerReason: e.TriggerReason,
			Offline: e.Offline, Timestamp: e.Timestamp, ReceivedAt: e.ReceivedAt})
	}
	gaps, err := a.svc.SeqGaps(ctx, nil, t.StationID, t.StationTxID)
	if err != nil {
		return a.fail(c, err)
	}
	out.Gaps = append(out.Gaps, gaps...)
	return c.JSON(http.StatusOK, out)
}

// rotatePassword: POST /stations/{id}/password — generates a password, pushes it to the
// station and answers it once (the hub keeps only its hash).
func (a *API) rotatePassword(c echo.Context) error {
	if a.pw == nil {
		return a.fail(c, charging.Errorf(charging.CodeNotSupported, "password rotation is not wired"))
	}
	ctx := c.Request().Context()
	if _, err := a.store.GetStation(ctx, c.Param("id")); err != nil {
		return a.fail(c, err)
	}
	pw, err := a.svc.RotatePassword(ctx, c.Param("id"), a.pw)
	if err != nil && pw == "" {
		return a.fail(c, err)
	}
	body := map[string]any{"station_id": c.Param("id"), "password": pw, "confirmed": err == nil}
	if err != nil {
		body["note"] = "the station did not confirm; the old and the new password are both accepted until it uses one"
		return c.JSON(http.StatusAccepted, body)
	}
	return c.JSON(http.StatusOK, body)
}

type vendorProfileJSON struct {
	Vendor               string    `json:"vendor"`
	Model                string    `json:"model"`
	TimeZone             string    `json:"time_zone,omitempty"`
	EnergyWhIsKWh        bool      `json:"energy_wh_is_kwh"`
	Reject               []string  `json:"reject"`
	DecimalCommaRejected bool      `json:"decimal_comma_rejected"`
	Strict               bool      `json:"strict"`
	UpdatedAt            time.Time `json:"updated_at"`
}

func toProfileJSON(p charging.VendorProfile) vendorProfileJSON {
	r := p.Reject
	if r == nil {
		r = []string{}
	}
	return vendorProfileJSON{Vendor: p.Vendor, Model: p.Model, TimeZone: p.TimeZone, EnergyWhIsKWh: p.EnergyWhIsKWh, Reject: r,
		DecimalCommaRejected: p.DecimalCommaRejected, Strict: p.Strict, UpdatedAt: p.UpdatedAt}
}

func (a *API) listProfiles(c echo.Context) error {
	list, err := a.store.ListVendorProfiles(c.Request().Context())
	if err != nil {
		return a.fail(c, err)
	}
	out := make([]vendorProfileJSON, 0, len(list))
	for _, p := range list {
		out = append(out, toProfileJSON(p))
	}
	return c.JSON(http.StatusOK, map[string]any{"data": out, "leniency_flags": charging.LeniencyFlags()})
}

// putProfile: PUT /vendor-profiles/{vendor}[/{model}]
func (a *API) putProfile(c echo.Context) error {
	var req vendorProfileJSON
	if err := decodeBody(c, &req); err != nil {
		return a.fail(c, err)
	}
	p, err := a.svc.PutVendorProfile(c.Request().Context(), charging.VendorProfile{Vendor: c.Param("vendor"),
		Model: strings.TrimSpace(c.Param("model")), TimeZone: req.TimeZone, EnergyWhIsKWh: req.EnergyWhIsKWh, Reject: req.Reject,
		DecimalCommaRejected: req.DecimalCommaRejected, Strict: req.Strict})
	if err != nil {
		return a.fail(c, err)
	}
	return c.JSON(http.StatusOK, toProfileJSON(p))
}

func (a *API) deleteProfile(c echo.Context) error {
	if err := a.svc.DeleteVendorProfile(c.Request().Context(), c.Param("vendor"), c.Param("model")); err != nil {
		return a.fail(c, err)
	}
	return c.NoContent(http.StatusNoContent)
}
