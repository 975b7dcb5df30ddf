package roaming

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"

	"github.com/chargehub/hub/ocpi"
)

// SettlementQuery selects a settlement report: the CDRs issued in [From, To), of one partner or
// of all.
type SettlementQuery struct {
	From, To  time.Time
	PartnerID int64 // 0 = every partner (and the CDRs of no partner, as partner 0)
}

// Settlement is the settlement report of a period: one entry per partner that has CDRs in it.
type Settlement struct {
	From     time.Time           `json:"from"`
	To       time.Time           `json:"to"`
	Partners []PartnerSettlement `json:"partners"`
}

// PartnerSettlement sums one partner's CDRs of the period. Amounts are exact decimals (JSON
// strings). Normal CDRs and credit CDRs are counted apart; the net amounts are their sum (credit
// amounts are negative).
type PartnerSettlement struct {
	PartnerID int64  `json:"partner_id"` // 0: CDRs whose token owner no partner settles (local tokens)
	Name      string `json:"name,omitempty"`
	CDRs      int    `json:"cdrs"`    // normal CDRs
	Credits   int    `json:"credits"` // credit CDRs
	// EnergyKWh is the energy of the normal CDRs, CreditedEnergyKWh that of the credit CDRs (CDRs
	// whose energy is credited; credit CDRs keep volumes positive).
	EnergyKWh         decimal.Decimal `json:"energy_kwh"`
	CreditedEnergyKWh decimal.Decimal `json:"credited_energy_kwh"`
	Revenue           []CurrencyTotal `json:"revenue"`
	Delivery          DeliveryCounts  `json:"delivery"`
}

// CurrencyTotal is the revenue of one currency. A CDR without incl_vat counts its excl_vat
// amount in the incl_vat sums (no VAT known).
type CurrencyTotal struct {
	Currency       string          `json:"currency"`
	ExclVat        decimal.Decimal `json:"excl_vat"`         // normal CDRs
	InclVat        decimal.Decimal `json:"incl_vat"`         // normal CDRs
	CreditsExclVat decimal.Decimal `json:"credits_excl_vat"` // credit CDRs (negative)
	CreditsInclVat decimal.Decimal `json:"credits_incl_vat"` // credit CDRs (negative)
	NetExclVat     decimal.Decimal `json:"net_excl_vat"`
	NetInclVat     decimal.Decimal `json:"net_incl_vat"`
}

// DeliveryCounts says where the partner's CDRs (normal and credit) stand in delivery:
// acknowledged by the partner, still being retried, failed for good, or not sent at all (no
// partner to send to, or not enqueued: the CDR sync sends those).
type DeliveryCounts struct {
	Acknowledged int `json:"acknowledged"`
	Pending      int `json:"pending"`
	Failed       int `json:"failed"`
	NotSent      int `json:"not_sent"`
}

// SettlementReport sums the CDRs issued in the period per partner (see PartnerSettlement),
// reading them a page at a time.
func (s *Service) SettlementReport(ctx context.Context, q SettlementQuery) (Settlement, error) {
	if !q.To.After(q.From) {
		return Settlement{}, invalid("settlement period: to must be after from")
	}
	ls, err := ledger(s.store)
	if err != nil {
		return Settlement{}, err
	}
	ix, err := s.newPartyIndex(ctx)
	if err != nil {
		return Settlement{}, err
	}
	cq := CDRQuery{From: &q.From, To: &q.To}
	if q.PartnerID != 0 {
		if _, err := s.store.GetPartner(ctx, q.PartnerID); err != nil {
			return Settlement{}, err
		}
		cq.Restrict, cq.Owners = true, ix.partiesOf(q.PartnerID)
	}
	by := map[int64]*PartnerSettlement{}
	cur := map[int64]map[string]*CurrencyTotal{}
	err = s.EachCDRPage(ctx, cq, func(page []IssuedCDR) error {
		keys := make([]string, len(page))
		for i, ic := range page {
			keys[i] = ic.Key
		}
		deliveries, err := ls.CDRDeliveries(ctx, keys)
		if err != nil {
			return err
		}
		for _, ic := range page {
			pid := ix.partnerOf(Party{CountryCode: ic.CDR.CdrToken.CountryCode, PartyID: ic.CDR.CdrToken.PartyID})
			ps := by[pid]
			if ps == nil {
				ps = &PartnerSettlement{PartnerID: pid, Name: ix.names[pid]}
				by[pid], cur[pid] = ps, map[string]*CurrencyTotal{}
			}
			addToSettlement(ps, cur[pid], &ic.CDR)
			countDelivery(&ps.Delivery, deliveries[ic.Key], pid)
		}
		return nil
	})
	if err != nil {
		return Settlement{}, fmt.Errorf("settlement report: %w", err)
	}
	out := Settlement{From: q.From.UTC(), To: q.To.UTC(), Partners: []PartnerSettlement{}}
	for pid, ps := range by {
		for _, code := range sortedKeys(cur[pid]) {
			ps.Revenue = append(ps.Revenue, *cur[pid][code])
		}
		out.Partners = append(out.Partners, *ps)
	}
	slices.SortFunc(out.Partners, func(a, b PartnerSettlement) int { return int(a.PartnerID - b.PartnerID) })
	return out, nil
}

// addToSettlement adds one CDR to a partner's sums.
func addToSettlement(ps *PartnerSettlement, cur map[string]*CurrencyTotal, c *ocpi.CDR) {
	credit := c.Credit != nil && *c.Credit
	code := strings.ToUpper(c.Currency)
	ct := cur[code]
	if ct == nil {
		ct = &CurrencyTotal{Currency: code}
		cur[code] = ct
	}
	excl := c.TotalCost.ExclVat.Decimal
	incl := excl
	if c.TotalCost.InclVat != nil && c.TotalCost.InclVat.IsSet() {
		incl = c.TotalCost.InclVat.Decimal
	}
	if credit {
		ps.Credits++
		ps.CreditedEnergyKWh = ps.CreditedEnergyKWh.Add(c.TotalEnergy.Decimal)
		ct.CreditsExclVat, ct.CreditsInclVat = ct.CreditsExclVat.Add(excl), ct.CreditsInclVat.Add(incl)
	} else {
		ps.CDRs++
		ps.EnergyKWh = ps.EnergyKWh.Add(c.TotalEnergy.Decimal)
		ct.ExclVat, ct.InclVat = ct.ExclVat.Add(excl), ct.InclVat.Add(incl)
	}
	ct.NetExclVat, ct.NetInclVat = ct.NetExclVat.Add(excl), ct.NetInclVat.Add(incl)
}

// countDelivery counts a CDR's delivery to the partner settling it (its delivery to another
// partner, e.g. a hub, when there is none to it).
func countDelivery(dc *DeliveryCounts, ds []CDRDelivery, partnerID int64) {
	var d *CDRDelivery
	for i := range ds {
		if ds[i].PartnerID == partnerID || d == nil {
			d = &ds[i]
		}
	}
	switch {
	case d == nil:
		dc.NotSent++
	case d.Status == OutboxDelivered:
		dc.Acknowledged++
	case d.Status == OutboxFailed:
		dc.Failed++
	default:
		dc.Pending++
	}
}

// WriteText prints the report as a table (one line per partner and currency).
func (r *Settlement) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "settlement %s – %s\n", r.From.Format(time.RFC3339), r.To.Format(time.RFC3339))
	fmt.Fprintln(tw, "PARTNER\tNAME\tCDRS\tCREDITS\tNET_KWH\tCURRENCY\tEXCL_VAT\tINCL_VAT\tCREDITS_EXCL\tCREDITS_INCL\tNET_EXCL\tNET_INCL\tACKED\tPENDING\tFAILED\tNOT_SENT")
	for _, p := range r.Partners {
		name := p.Name
		if name == "" {
			name = "-"
		}
		if len(p.Revenue) == 0 {
			p.Revenue = []CurrencyTotal{{}}
		}
		for _, c := range p.Revenue {
			fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\n", p.PartnerID, name, p.CDRs, p.Credits,
				p.EnergyKWh.Sub(p.CreditedEnergyKWh), c.Currency, c.ExclVat, c.InclVat, c.CreditsExclVat, c.CreditsInclVat,
				c.NetExclVat, c.NetInclVat, p.Delivery.Acknowledged, p.Delivery.Pending, p.Delivery.Failed, p.Delivery.NotSent)
		}
	}
	return tw.Flush()
}
