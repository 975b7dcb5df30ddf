package admin

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/charging"
)

// stationJSON is a station as the API shows it (never the password hash).
type stationJSON struct {
	ID                string     `json:"id"`
	Vendor            string     `json:"vendor,omitempty"`
	Model             string     `json:"model,omitempty"`
	SerialNumber      string     `json:"serial_number,omitempty"`
	ChargeBoxSerial   string     `json:"charge_box_serial_number,omitempty"`
	FirmwareVersion   string     `json:"firmware_version,omitempty"`
	ICCID             string     `json:"iccid,omitempty"`
	IMSI              string     `json:"imsi,omitempty"`
	MeterType         string     `json:"meter_type,omitempty"`
	MeterSerialNumber string     `json:"meter_serial_number,omitempty"`
	Protocol          string     `json:"protocol,omitempty"`
	Registration      string     `json:"registration"`
	SecurityProfile   int        `json:"security_profile"`
	HasPassword       bool       `json:"has_password"`
	Online            bool       `json:"online"`
	LastSeen          *time.Time `json:"last_seen,omitempty"`
	LastBootAt        *time.Time `json:"last_boot_at,omitempty"`
	AcceptedAt        *time.Time `json:"accepted_at,omitempty"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
	ExpectedCN        string     `json:"expected_cn,omitempty"`
	PasswordPending   bool       `json:"password_pending"`
	ClockOffsetMs     *int64     `json:"clock_offset_ms,omitempty"`
}

func toStationJSON(s charging.Station) stationJSON {
	return stationJSON{ID: s.ID, Vendor: s.Vendor, Model: s.Model, SerialNumber: s.SerialNumber,
		ChargeBoxSerial: s.ChargeBoxSerial, FirmwareVersion: s.FirmwareVersion, ICCID: s.ICCID, IMSI: s.IMSI,
		MeterType: s.MeterType, MeterSerialNumber: s.MeterSerialNumber, Protocol: string(s.Protocol),
		Registration: string(s.Registration), SecurityProfile: s.SecurityProfile, HasPassword: s.PasswordHash != "",
		Online: s.Online, LastSeen: s.LastSeen, LastBootAt: s.LastBootAt, AcceptedAt: s.AcceptedAt,
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, ExpectedCN: s.ExpectedCN, PasswordPending: s.PendingPasswordHash != "",
		ClockOffsetMs: offsetMs(s.ClockOffset)}
}

func offsetMs(d *time.Duration) *int64 {
	if d == nil {
		return nil
	}
	ms := d.Milliseconds()
	return &ms
}

type connectorJSON struct {
	EVSEID          int       `json:"evse_id"`
	ConnectorID     int       `json:"connector_id"`
	Status          string    `json:"status"`
	ErrorCode       string    `json:"error_code,omitempty"`
	Info            string    `json:"info,omitempty"`
	VendorID        string    `json:"vendor_id,omitempty"`
	VendorErrorCode string    `json:"vendor_error_code,omitempty"`
	StatusAt        time.Time `json:"status_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

type eventJSON struct {
	Kind   string    `json:"kind"`
	Status string    `json:"status,omitempty"`
	Detail string    `json:"detail,omitempty"`
	At     time.Time `json:"at"`
}

func (a *API) listStations(c echo.Context) error {
	offset, limit, err := pagination(c)
	if err != nil {
		return a.fail(c, err)
	}
	f := charging.StationFilter{Offset: offset, Limit: limit}
	if v := c.QueryParam("online"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return a.fail(c, charging.Errorf(charging.CodeInvalid, "online %q is not a boolean", v))
		}
		f.Online = &b
	}
	list, total, err := a.store.ListStations(c.Request().Context(), f)
	if err != nil {
		return a.fail(c, err)
	}
	out := page[stationJSON]{Data: make([]stationJSON, 0, len(list)), Total: total, Offset: offset, Limit: limit}
	for _, s := range list {
		out.Data = append(out.Data, toStationJSON(s))
	}
	return c.JSON(http.StatusOK, out)
}

func (a *API) getStation(c echo.Context) error {
	ctx := c.Request().Context()
	st, err := a.store.GetStation(ctx, c.Param("id"))
	if err != nil {
		return a.fail(c, err)
	}
	conns, err := a.store.ListConnectors(ctx, st.ID)
	if err != nil {
		return a.fail(c, err)
	}
	events, err := a.store.ListStationEvents(ctx, st.ID, 20)
	if err != nil {
		return a.fail(c, err)
	}
	out := struct {
		stationJSON
		Connectors []connectorJSON `json:"connectors"`
		Events     []eventJSON     `json:"recent_events"`
	}{stationJSON: toStationJSON(st), Connectors: []connectorJSON{}, Events: []eventJSON{}}
	for _, k := range conns {
		out.Connectors = append(out.Connectors, connectorJSON{EVSEID: k.EVSEID, ConnectorID: k.ConnectorID,
			Status: string(k.Status), ErrorCode: k.ErrorCode, Info: k.Info, VendorID: k.VendorID,
			VendorErrorCode: k.VendorErrorCode, StatusAt: k.StatusAt, UpdatedAt: k.UpdatedAt})
	}
	for _, e := range events {
		out.Events = append(out.Events, eventJSON{Kind: e.Kind, Status: e.Status, Detail: e.Detail, At: e.At})
	}
	return c.JSON(http.StatusOK, out)
}

type createStationReq struct {
	ID              string `json:"id"`
	Password        string `json:"password"`
	SecurityProfile *int   `json:"security_profile"`
}

func (a *API) createStation(c echo.Context) error {
	var req createStationReq
	if err := decodeBody(c, &req); err != nil {
		return a.fail(c, err)
	}
	profile := 0
	if req.SecurityProfile != nil {
		profile = *req.SecurityProfile
	} else if req.Password != "" {
		profile = 1
	}
	st, err := a.svc.RegisterStation(c.Request().Context(), req.ID, []byte(req.Password), profile)
	if err != nil {
		return a.fail(c, err)
	}
	return c.JSON(http.StatusCreated, toStationJSON(st))
}

func (a *API) listFrames(c echo.Context) error {
	_, limit, err := pagination(c)
	if err != nil {
		return a.fail(c, err)
	}
	frames, err := a.store.ListFrames(c.Request().Context(), c.Param("id"), limit)
	if err != nil {
		return a.fail(c, err)
	}
	type frameJSON struct {
		Direction string    `json:"direction"`
		Type      int       `json:"message_type"`
		MessageID string    `json:"message_id,omitempty"`
		Action    string    `json:"action,omitempty"`
		Payload   string    `json:"payload"`
		At        time.Time `json:"at"`
	}
	out := make([]frameJSON, 0, len(frames))
	for _, f := range frames {
		out = append(out, frameJSON{Direction: string(f.Direction), Type: f.MessageType, MessageID: f.MessageID,
			Action: f.Action, Payload: f.Payload, At: f.At})
	}
	return c.JSON(http.StatusOK, map[string]any{"data": out})
}

// command sends the request body as the OCPP payload of action to the station and answers
// with the station's response.
func (a *API) command(c echo.Context) error {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, 1<<20))
	if err != nil {
		return a.fail(c, charging.Errorf(charging.CodeInvalid, "read body: %w", err))
	}
	if len(body) > 0 && !json.Valid(body) {
		return a.fail(c, charging.Errorf(charging.CodeInvalid, "body is not valid JSON"))
	}
	id, action := c.Param("id"), c.Param("action")
	if _, err := a.store.GetStation(c.Request().Context(), id); err != nil {
		return a.fail(c, err)
	}
	resp, err := a.cmd.Command(c.Request().Context(), id, action, body)
	if err != nil {
		return a.fail(c, err)
	}
	return c.JSON(http.StatusOK, map[string]any{"station_id": id, "action": action, "response": json.RawMessage(resp)})
}

func decodeBody(c echo.Context, v any) error {
	dec := json.NewDecoder(io.LimitReader(c.Request().Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return charging.Errorf(charging.CodeInvalid, "request body: %w", err)
	}
	return nil
}
