package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"github.com/chargehub/hub/charging"
)

type transactionJSON struct {
	ID              int64      `json:"id"`
	StationID       string     `json:"station_id"`
	StationTxID     string     `json:"station_transaction_id"`
	EVSEID          int        `json:"evse_id"`
	ConnectorID     int        `json:"connector_id"`
	IDTag           string     `json:"id_tag"`
	StopIDTag       string     `json:"stop_id_tag,omitempty"`
	ReservationID   *int       `json:"reservation_id,omitempty"`
	MeterStartWh    int64      `json:"meter_start_wh"`
	MeterStopWh     *int64     `json:"meter_stop_wh,omitempty"`
	LastMeterWh     *int64     `json:"last_meter_wh,omitempty"`
	EnergyWh        int64      `json:"energy_wh"`
	StartedAt       time.Time  `json:"started_at"`
	StartReceivedAt time.Time  `json:"start_received_at"`
	StoppedAt       *time.Time `json:"stopped_at,omitempty"`
	StopReceivedAt  *time.Time `json:"stop_received_at,omitempty"`
	StopReason      string     `json:"stop_reason,omitempty"`
	Status          string     `json:"status"`
	Flags           []string   `json:"flags"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

func toTransactionJSON(t charging.Transaction) transactionJSON {
	sid := t.StationTxID
	if sid == "" {
		sid = strconv.FormatInt(t.ID, 10)
	}
	flags := t.Flags
	if flags == nil {
		flags = []string{}
	}
	return transactionJSON{ID: t.ID, StationID: t.StationID, StationTxID: sid, EVSEID: t.EVSEID,
		ConnectorID: t.ConnectorID, IDTag: t.IDTag, StopIDTag: t.StopIDTag, ReservationID: t.ReservationID,
		MeterStartWh: t.MeterStartWh, MeterStopWh: t.MeterStopWh, LastMeterWh: t.LastMeterWh, EnergyWh: t.EnergyWh,
		StartedAt: t.StartedAt, StartReceivedAt: t.StartReceivedAt, StoppedAt: t.StoppedAt,
		StopReceivedAt: t.StopReceivedAt, StopReason: t.StopReason, Status: string(t.Status), Flags: flags,
		UpdatedAt: t.UpdatedAt}
}

// listTransactions: filters station_id, id_tag, status (Active|Completed), from, to (RFC 3339,
// on the start time), offset, limit.
func (a *API) listTransactions(c echo.Context) error {
	offset, limit, err := pagination(c)
	if err != nil {
		return a.fail(c, err)
	}
	f := charging.TransactionFilter{StationID: c.QueryParam("station_id"), IDTag: c.QueryParam("id_tag"),
		Offset: offset, Limit: limit}
	switch st := charging.TxStatus(c.QueryParam("status")); st {
	case "", charging.TxActive, charging.TxCompleted:
		f.Status = st
	default:
		return a.fail(c, charging.Errorf(charging.CodeInvalid, "status %q is not Active or Completed", st))
	}
	if f.From, err = queryTime(c, "from"); err != nil {
		return a.fail(c, err)
	}
	if f.To, err = queryTime(c, "to"); err != nil {
		return a.fail(c, err)
	}
	if f.IDTag != "" {
		f.IDTag, _ = charging.NormaliseIDTag(f.IDTag, 0)
	}
	list, total, err := a.svc.Transactions(c.Request().Context(), f)
	if err != nil {
		return a.fail(c, err)
	}
	out := page[transactionJSON]{Data: make([]transactionJSON, 0, len(list)), Total: total, Offset: offset, Limit: limit}
	for _, t := range list {
		out.Data = append(out.Data, toTransactionJSON(t))
	}
	return c.JSON(http.StatusOK, out)
}

type sampleJSON struct {
	Timestamp time.Time        `json:"timestamp"`
	Measurand string           `json:"measurand"`
	Phase     string           `json:"phase,omitempty"`
	Location  string           `json:"location,omitempty"`
	Context   string           `json:"context,omitempty"`
	Format    string           `json:"format,omitempty"`
	RawValue  string           `json:"raw_value"`
	RawUnit   string           `json:"raw_unit,omitempty"`
	Value     *decimal.Decimal `json:"value,omitempty"`
	Unit      string           `json:"unit,omitempty"`
	Flags     []string         `json:"flags,omitempty"`
}

func (a *API) getTransaction(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return a.fail(c, charging.Errorf(charging.CodeInvalid, "transaction id %q is not an integer", c.Param("id")))
	}
	ctx := c.Request().Context()
	t, err := a.store.GetTransaction(ctx, id)
	if err != nil {
		return a.fail(c, err)
	}
	samples, err := a.store.ListMeterSamples(ctx, id)
	if err != nil {
		return a.fail(c, err)
	}
	out := struct {
		transactionJSON
		MeterValues []sampleJSON `json:"meter_values"`
	}{transactionJSON: toTransactionJSON(t), MeterValues: make([]sampleJSON, 0, len(samples))}
	for _, m := range samples {
		out.MeterValues = append(out.MeterValues, sampleJSON{Timestamp: m.Timestamp, Measurand: m.Measurand,
			Phase: m.Phase, Location: m.Location, Context: m.Context, Format: m.Format, RawValue: m.RawValue,
			RawUnit: m.RawUnit, Value: m.Value, Unit: m.Unit, Flags: m.Flags})
	}
	return c.JSON(http.StatusOK, out)
}
