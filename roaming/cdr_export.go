package roaming

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/chargehub/hub/ocpi"
)

// ExportFormat is the file format of a CDR export.
type ExportFormat string

// Export formats.
const (
	ExportCSV  ExportFormat = "csv"  // RFC 4180, header CSVHeader, one row per CDR
	ExportJSON ExportFormat = "json" // one JSON array of CDRRow objects
)

// CSVHeader is the header line of the CSV export: its columns, their order and their names are a
// stable interface for finance scripts. New columns are only ever appended at the end.
const CSVHeader = "cdr_id,session_id,issued_at,partner_id,emsp_party,token_uid,contract_id,auth_method," +
	"location_id,evse_uid,evse_id,connector_id,start_date_time,end_date_time,energy_kwh,time_h,parking_time_h," +
	"currency,total_cost_excl_vat,total_cost_incl_vat,fixed_cost_excl_vat,fixed_cost_incl_vat," +
	"energy_cost_excl_vat,energy_cost_incl_vat,time_cost_excl_vat,time_cost_incl_vat," +
	"parking_cost_excl_vat,parking_cost_incl_vat,reservation_cost_excl_vat,reservation_cost_incl_vat," +
	"tariff_id,credit,credit_reference_id,remark"

// CDRRow is one CDR of an export (the JSON export's objects have these keys, in CSVHeader order).
// Times are OCPI DateTimes (UTC); amounts and volumes are exact decimal strings as in the CDR; an
// absent cost component is empty in CSV and null in JSON, an absent incl_vat likewise.
type CDRRow struct {
	CDRID                  string  `json:"cdr_id"`
	SessionID              string  `json:"session_id"`
	IssuedAt               string  `json:"issued_at"`   // when the hub issued (stored) the CDR
	PartnerID              *int64  `json:"partner_id"`  // the partner settling the token owner; null: none
	EMSPParty              string  `json:"emsp_party"`  // token owner "CC*PID"
	TokenUID               string  `json:"token_uid"`   //
	ContractID             string  `json:"contract_id"` //
	AuthMethod             string  `json:"auth_method"` //
	LocationID             string  `json:"location_id"`
	EVSEUID                string  `json:"evse_uid"`
	EVSEID                 string  `json:"evse_id"`
	ConnectorID            string  `json:"connector_id"`
	StartDateTime          string  `json:"start_date_time"`
	EndDateTime            string  `json:"end_date_time"`
	EnergyKWh              string  `json:"energy_kwh"`
	TimeH                  string  `json:"time_h"`
	ParkingTimeH           string  `json:"parking_time_h"` // "0" when the CDR states none
	Currency               string  `json:"currency"`
	TotalCostExclVat       string  `json:"total_cost_excl_vat"`
	TotalCostInclVat       *string `json:"total_cost_incl_vat"`
	FixedCostExclVat       *string `json:"fixed_cost_excl_vat"`
	FixedCostInclVat       *string `json:"fixed_cost_incl_vat"`
	EnergyCostExclVat      *string `json:"energy_cost_excl_vat"`
	EnergyCostInclVat      *string `json:"energy_cost_incl_vat"`
	TimeCostExclVat        *string `json:"time_cost_excl_vat"`
	TimeCostInclVat        *string `json:"time_cost_incl_vat"`
	ParkingCostExclVat     *string `json:"parking_cost_excl_vat"`
	ParkingCostInclVat     *string `json:"parking_cost_incl_vat"`
	ReservationCostExclVat *string `json:"reservation_cost_excl_vat"`
	ReservationCostInclVat *string `json:"reservation_cost_incl_vat"`
	TariffID               string  `json:"tariff_id"` // tariffs of the charging periods, '|'-separated
	Credit                 bool    `json:"credit"`
	CreditReferenceID      string  `json:"credit_reference_id"`
	Remark                 string  `json:"remark"`
}

// RowOf returns the export row of an issued CDR settled by partnerID (0: none).
func RowOf(ic IssuedCDR, partnerID int64) CDRRow {
	c := &ic.CDR
	r := CDRRow{
		CDRID: c.ID, SessionID: c.SessionID, IssuedAt: ocpi.NewDateTime(ic.IssuedAt).String(),
		EMSPParty: Party{CountryCode: c.CdrToken.CountryCode, PartyID: c.CdrToken.PartyID}.String(),
		TokenUID:  c.CdrToken.UID, ContractID: c.CdrToken.ContractID, AuthMethod: string(c.AuthMethod),
		LocationID: c.CdrLocation.ID, EVSEUID: c.CdrLocation.EvseUID, EVSEID: c.CdrLocation.EvseID,
		ConnectorID: c.CdrLocation.ConnectorID, StartDateTime: c.StartDateTime.String(), EndDateTime: c.EndDateTime.String(),
		EnergyKWh: c.TotalEnergy.String(), TimeH: c.TotalTime.String(), ParkingTimeH: "0", Currency: c.Currency,
		TotalCostExclVat: c.TotalCost.ExclVat.String(), TotalCostInclVat: decText(c.TotalCost.InclVat),
		TariffID: tariffIDs(c), Credit: c.Credit != nil && *c.Credit, CreditReferenceID: c.CreditReferenceID, Remark: c.Remark,
	}
	if partnerID != 0 {
		r.PartnerID = &partnerID
	}
	if c.TotalParkingTime != nil && c.TotalParkingTime.IsSet() {
		r.ParkingTimeH = c.TotalParkingTime.String()
	}
	r.FixedCostExclVat, r.FixedCostInclVat = priceText(c.TotalFixedCost)
	r.EnergyCostExclVat, r.EnergyCostInclVat = priceText(c.TotalEnergyCost)
	r.TimeCostExclVat, r.TimeCostInclVat = priceText(c.TotalTimeCost)
	r.ParkingCostExclVat, r.ParkingCostInclVat = priceText(c.TotalParkingCost)
	r.ReservationCostExclVat, r.ReservationCostInclVat = priceText(c.TotalReservationCost)
	return r
}

// Record returns the row's CSV fields in CSVHeader order.
func (r *CDRRow) Record() []string {
	partner := ""
	if r.PartnerID != nil {
		partner = strconv.FormatInt(*r.PartnerID, 10)
	}
	opt := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	return []string{r.CDRID, r.SessionID, r.IssuedAt, partner, r.EMSPParty, r.TokenUID, r.ContractID, r.AuthMethod,
		r.LocationID, r.EVSEUID, r.EVSEID, r.ConnectorID, r.StartDateTime, r.EndDateTime, r.EnergyKWh, r.TimeH, r.ParkingTimeH,
		r.Currency, r.TotalCostExclVat, opt(r.TotalCostInclVat), opt(r.FixedCostExclVat), opt(r.FixedCostInclVat),
		opt(r.EnergyCostExclVat), opt(r.EnergyCostInclVat), opt(r.TimeCostExclVat), opt(r.TimeCostInclVat),
		opt(r.ParkingCostExclVat), opt(r.ParkingCostInclVat), opt(r.ReservationCostExclVat), opt(r.ReservationCostInclVat),
		r.TariffID, strconv.FormatBool(r.Credit), r.CreditReferenceID, r.Remark}
}

func decText(d *ocpi.Decimal) *string {
	if d == nil || !d.IsSet() {
		return nil
	}
	s := d.String()
	return &s
}

func priceText(p *ocpi.Price) (excl, incl *string) {
	if p == nil {
		return nil, nil
	}
	return decText(&p.ExclVat), decText(p.InclVat)
}

// tariffIDs lists the distinct tariff ids of the CDR's periods (else of its tariffs), in order.
func tariffIDs(c *ocpi.CDR) string {
	var ids []string
	add := func(id string) {
		for _, x := range ids {
			if strings.EqualFold(x, id) {
				return
			}
		}
		ids = append(ids, id)
	}
	for _, p := range c.ChargingPeriods {
		if p.TariffID != "" {
			add(p.TariffID)
		}
	}
	if len(ids) == 0 {
		for _, t := range c.Tariffs {
			add(t.ID)
		}
	}
	return strings.Join(ids, "|")
}

// ExportQuery selects the CDRs of an export.
type ExportQuery struct {
	From, To  time.Time // issue time in [From, To)
	PartnerID int64     // only the CDRs this partner settles; 0 = every CDR
	Format    ExportFormat
	PageSize  int // CDRs read per query; 0 = 500
}

// flusher is an http.ResponseWriter that can push what was written to the client.
type flusher interface{ Flush() }

// ExportCDRs writes the CDRs issued in [q.From, q.To) to w, one row per CDR in issue order,
// as CSV (CSVHeader first) or as a JSON array, and returns how many it wrote. It streams: CDRs are
// read a page at a time and each page is written (and flushed, when w can) before the next one is
// read, so memory does not grow with the number of CDRs. A write error stops it.
func (s *Service) ExportCDRs(ctx context.Context, w io.Writer, q ExportQuery) (int, error) {
	if q.Format == "" {
		q.Format = ExportCSV
	}
	if q.Format != ExportCSV && q.Format != ExportJSON {
		return 0, invalid("export format %q is not csv or json", q.Format)
	}
	if !q.To.After(q.From) {
		return 0, invalid("export window: to (%s) must be after from (%s)", q.To.Format(time.RFC3339), q.From.Format(time.RFC3339))
	}
	ix, err := s.newPartyIndex(ctx)
	if err != nil {
		return 0, err
	}
	cq := CDRQuery{From: &q.From, To: &q.To, Limit: q.PageSize}
	if q.PartnerID != 0 {
		if _, err := s.store.GetPartner(ctx, q.PartnerID); err != nil {
			return 0, err
		}
		cq.Restrict, cq.Owners = true, ix.partiesOf(q.PartnerID)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var cw *csv.Writer
	if q.Format == ExportCSV {
		cw = csv.NewWriter(bw)
		if _, err := bw.WriteString(CSVHeader + "\n"); err != nil {
			return 0, fmt.Errorf("export: %w", err)
		}
	} else if _, err := bw.WriteString("["); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	n := 0
	err = s.EachCDRPage(ctx, cq, func(page []IssuedCDR) error {
		for _, ic := range page {
			row := RowOf(ic, ix.partnerOf(Party{CountryCode: ic.CDR.CdrToken.CountryCode, PartyID: ic.CDR.CdrToken.PartyID}))
			if cw != nil {
				if err := cw.Write(row.Record()); err != nil {
					return err
				}
			} else {
				b, err := json.Marshal(&row)
				if err != nil {
					return err
				}
				sep := ",\n"
				if n == 0 {
					sep = "\n"
				}
				if _, err := bw.WriteString(sep); err != nil {
					return err
				}
				if _, err := bw.Write(b); err != nil {
					return err
				}
			}
			n++
		}
		return flushAll(cw, bw, w)
	})
	if err != nil {
		return n, fmt.Errorf("export: %w", err)
	}
	if cw == nil {
		end := "]\n"
		if n > 0 {
			end = "\n]\n"
		}
		if _, err := bw.WriteString(end); err != nil {
			return n, fmt.Errorf("export: %w", err)
		}
	}
	if err := flushAll(cw, bw, w); err != nil {
		return n, fmt.Errorf("export: %w", err)
	}
	return n, nil
}

// flushAll pushes buffered output through to w (and to the client when w is a flusher).
func flushAll(cw *csv.Writer, bw *bufio.Writer, w io.Writer) error {
	if cw != nil {
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if f, ok := w.(flusher); ok {
		f.Flush()
	}
	return nil
}
