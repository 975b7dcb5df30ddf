package admin

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// period reads the required from/to query parameters (RFC 3339) and the optional partner id.
func period(c echo.Context) (from, to time.Time, partner int64, err error) {
	f, err := queryTime(c, "from")
	if err != nil {
		return from, to, 0, err
	}
	t, err := queryTime(c, "to")
	if err != nil {
		return from, to, 0, err
	}
	if f == nil || t == nil {
		return from, to, 0, charging.Errorf(charging.CodeInvalid, "from and to (RFC 3339) are required")
	}
	if !t.After(*f) {
		return from, to, 0, charging.Errorf(charging.CodeInvalid, "to must be after from")
	}
	partner, err = queryPartner(c)
	return *f, *t, partner, err
}

// queryPartner reads the optional partner query parameter.
func queryPartner(c echo.Context) (int64, error) {
	v := c.QueryParam("partner")
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, charging.Errorf(charging.CodeInvalid, "partner %q is not a partner id", v)
	}
	return id, nil
}

// exportCDRs streams the CDRs issued in [from, to) as JSON (default) or CSV (format=csv; header
// roaming.CSVHeader), optionally only those a partner settles. Parameters are checked before the
// first byte; an error while streaming ends the answer early (the JSON array is then unclosed).
func (b *Billing) exportCDRs(c echo.Context) error {
	from, to, partner, err := period(c)
	if err != nil {
		return b.api.fail(c, err)
	}
	format := roaming.ExportFormat(c.QueryParam("format"))
	if format == "" {
		format = roaming.ExportJSON
	}
	if format != roaming.ExportCSV && format != roaming.ExportJSON {
		return b.api.fail(c, charging.Errorf(charging.CodeInvalid, "format %q is not csv or json", format))
	}
	ctx := c.Request().Context()
	if partner != 0 {
		if _, err := b.svc.GetPartner(ctx, partner); err != nil {
			return b.api.fail(c, err)
		}
	}
	h := c.Response().Header()
	name := fmt.Sprintf("cdrs-%s-%s.%s", from.Format("20060102T150405Z"), to.Format("20060102T150405Z"), format)
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	if format == roaming.ExportCSV {
		h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	} else {
		h.Set(echo.HeaderContentType, echo.MIMEApplicationJSONCharsetUTF8)
	}
	c.Response().WriteHeader(http.StatusOK)
	n, err := b.svc.ExportCDRs(ctx, c.Response(), roaming.ExportQuery{From: from, To: to, PartnerID: partner, Format: format})
	if err != nil {
		b.api.log.Error("CDR export failed while streaming", "rows_written", n, "err", err)
	}
	return nil
}

// cdrJSON is a CDR with the ledger's view of it: its correction and its deliveries.
type cdrJSON struct {
	CDR        ocpi.CDR               `json:"cdr"`
	Correction *roaming.CDRCorrection `json:"correction,omitempty"`
	Deliveries []deliveryJSON         `json:"deliveries"`
}

type deliveryJSON struct {
	PartnerID    int64      `json:"partner_id"`
	Status       string     `json:"status"`
	OutboxID     int64      `json:"outbox_id,omitempty"`
	Attempts     int        `json:"attempts"`
	Location     string     `json:"location,omitempty"`
	LastError    string     `json:"last_error,omitempty"`
	DeliveredAt  *time.Time `json:"delivered_at,omitempty"`
	Redeliveries int        `json:"redeliveries,omitempty"`
}

func (b *Billing) getCDR(c echo.Context) error {
	cdr, corr, ds, err := b.svc.GetIssuedCDR(c.Request().Context(), c.Param("id"))
	if err != nil {
		return b.api.fail(c, err)
	}
	out := cdrJSON{CDR: cdr, Correction: corr, Deliveries: make([]deliveryJSON, 0, len(ds))}
	for _, d := range ds {
		out.Deliveries = append(out.Deliveries, deliveryJSON{PartnerID: d.PartnerID, Status: string(d.Status), OutboxID: d.OutboxID,
			Attempts: d.Attempts, Location: d.Location, LastError: d.LastError, DeliveredAt: d.DeliveredAt, Redeliveries: d.Redeliveries})
	}
	return c.JSON(http.StatusOK, out)
}

// creditCDR corrects a CDR: {"reason": "...", "replacement": {"tariff_id": "T2"} | {"cdr": {...}}}
// → 201 {"credit", "replacement", "correction"}; 404 unknown CDR, 409 credited already, 400 a
// credit CDR or a bad replacement.
func (b *Billing) creditCDR(c echo.Context) error {
	var in struct {
		Reason      string               `json:"reason"`
		Replacement *roaming.Replacement `json:"replacement"`
	}
	if err := decodeBody(c, &in); err != nil {
		return b.api.fail(c, err)
	}
	res, err := b.svc.CreditCDR(c.Request().Context(), c.Param("id"), roaming.CreditRequest{Reason: in.Reason, Replacement: in.Replacement})
	if err != nil {
		return b.api.fail(c, err)
	}
	return c.JSON(http.StatusCreated, map[string]any{"credit": res.Credit, "replacement": res.Replacement, "correction": res.Correction})
}

// settlement answers the settlement report of [from, to) per partner (or of one partner).
func (b *Billing) settlement(c echo.Context) error {
	from, to, partner, err := period(c)
	if err != nil {
		return b.api.fail(c, err)
	}
	r, err := b.svc.SettlementReport(c.Request().Context(), roaming.SettlementQuery{From: from, To: to, PartnerID: partner})
	if err != nil {
		return b.api.fail(c, err)
	}
	return c.JSON(http.StatusOK, r)
}

// reconcileCDRs answers the CDR reconciliation (what each partner acknowledged against what the
// hub issued) of [from, to), by default the last 7 days, without changing anything.
func (b *Billing) reconcileCDRs(c echo.Context) error {
	var o roaming.CDRSyncOptions
	f, err := queryTime(c, "from")
	if err != nil {
		return b.api.fail(c, err)
	}
	t, err := queryTime(c, "to")
	if err != nil {
		return b.api.fail(c, err)
	}
	if f != nil {
		o.From = *f
	}
	if t != nil {
		o.To = *t
	}
	if o.PartnerID, err = queryPartner(c); err != nil {
		return b.api.fail(c, err)
	}
	r, err := b.svc.ReconcileCDRs(c.Request().Context(), o)
	if err != nil {
		return b.api.fail(c, err)
	}
	return c.JSON(http.StatusOK, r)
}
