package roaming

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/mapping"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/tariffs"
)

// CreditRequest is an operator's correction of an issued CDR: the CDR is credited (a credit CDR
// negating every amount is issued) and, with a Replacement, a new CDR is issued after it.
type CreditRequest struct {
	Reason      string // required; kept with the correction and in the credit CDR's remark
	Replacement *Replacement
}

// Replacement says how to build the new CDR issued with a credit: exactly one field is set.
type Replacement struct {
	// TariffID re-prices the credited CDR's charging periods with the current version of this
	// tariff (in the location's time zone) and issues the result.
	TariffID string `json:"tariff_id,omitempty"`
	// CDR is issued as given (an operator's corrected CDR); the hub sets its id unless given,
	// country_code/party_id (default: the hub's) and last_updated.
	CDR *ocpi.CDR `json:"cdr,omitempty"`
}

// CreditResult is what a correction issued.
type CreditResult struct {
	Credit      ocpi.CDR
	Replacement *ocpi.CDR
	Correction  CDRCorrection
}

// CreditCDR corrects an issued CDR, in one transaction: it issues the credit CDR (id = the CDR's
// id + "-C", credit true, credit_reference_id the CDR's id, every amount negated, the reason in
// its remark) and, if asked, a replacement CDR (id = the chain's first CDR id + "-R" + n, or a
// UUID when that is longer than 36 characters), records the correction, and POSTs both to the
// eMSP owning the token through the outbox. The credited CDR itself never changes. CodeNotFound for
// an unknown CDR; CodeInvalid for a credit CDR or a bad request; CodeConflict for a CDR that was
// credited already.
func (s *Service) CreditCDR(ctx context.Context, id string, r CreditRequest) (CreditResult, error) {
	r.Reason = strings.TrimSpace(r.Reason)
	switch {
	case r.Reason == "":
		return CreditResult{}, invalid("a credit needs a reason")
	case r.Replacement != nil && (r.Replacement.TariffID == "") == (r.Replacement.CDR == nil):
		return CreditResult{}, invalid("a replacement needs exactly one of tariff_id and cdr")
	}
	var res CreditResult
	err := s.inTx(ctx, func(tx Store, q *queue) error {
		ls, err := ledger(tx)
		if err != nil {
			return err
		}
		orig, err := tx.GetCDR(ctx, id)
		if err != nil {
			return err
		}
		if orig.Credit != nil && *orig.Credit {
			return invalid("CDR %q is a credit CDR; credit CDRs are not credited", orig.ID)
		}
		if _, err := ls.GetCDRCorrection(ctx, idKey(orig.ID)); err == nil {
			return charging.Errorf(charging.CodeConflict, "CDR %q was credited already", orig.ID)
		} else if !charging.IsNotFound(err) {
			return err
		}
		now := s.clock.Now()
		credit := mapping.CreditCDR(orig, "", now)
		credit.Remark = truncate("credit: "+r.Reason, 255)
		credit.InvoiceReferenceID = ""
		if err := s.postCDR(ctx, tx, q, credit); err != nil {
			return fmt.Errorf("issue credit CDR: %w", err)
		}
		corr := CDRCorrection{CDRKey: idKey(orig.ID), RootKey: idKey(orig.ID), CreditKey: idKey(credit.ID), Reason: r.Reason,
			CreatedAt: now}
		if prev, err := ls.CDRCorrectionByReplacement(ctx, idKey(orig.ID)); err == nil {
			corr.RootKey = prev.RootKey
		} else if !charging.IsNotFound(err) {
			return err
		}
		res.Credit = credit
		if r.Replacement != nil {
			n, err := ls.CountCDRCorrections(ctx, corr.RootKey)
			if err != nil {
				return err
			}
			repID := corr.RootKey + "-R" + strconv.Itoa(n+1)
			if len(repID) > 36 {
				repID = s.ids.NewID()
			}
			rep, err := s.replacement(ctx, tx, orig, *r.Replacement, repID, r.Reason, now)
			if err != nil {
				return err
			}
			if err := s.postCDR(ctx, tx, q, rep); err != nil {
				return fmt.Errorf("issue replacement CDR: %w", err)
			}
			corr.ReplacementKey = idKey(rep.ID)
			res.Replacement = &rep
		}
		res.Correction = corr
		return ls.AddCDRCorrection(ctx, corr)
	})
	if err != nil {
		return CreditResult{}, fmt.Errorf("credit CDR %q: %w", id, err)
	}
	s.log.Info("CDR credited", "cdr", id, "credit", res.Credit.ID, "replacement", res.Correction.ReplacementKey, "reason", r.Reason)
	return res, nil
}

// replacement builds the new CDR issued with a credit of orig.
func (s *Service) replacement(ctx context.Context, tx Store, orig ocpi.CDR, r Replacement, repID, reason string,
	now time.Time) (ocpi.CDR, error) {
	if r.CDR != nil {
		c := *r.CDR
		if c.ID == "" {
			c.ID = repID
		}
		if err := s.own(&c.CountryCode, &c.PartyID, "replacement cdr"); err != nil {
			return ocpi.CDR{}, err
		}
		if (c.Credit != nil && *c.Credit) || c.CreditReferenceID != "" {
			return ocpi.CDR{}, invalid("a replacement CDR is a normal CDR (no credit, no credit_reference_id)")
		}
		c.Credit, c.LastUpdated = nil, ocpi.NewDateTime(now)
		return c, nil
	}
	t, err := tx.GetTariff(ctx, r.TariffID)
	if err != nil {
		return ocpi.CDR{}, err
	}
	var c ocpi.CDR // a deep copy of orig: CDRs are immutable, the original must not share slices
	raw, err := json.Marshal(orig)
	if err != nil {
		return ocpi.CDR{}, fmt.Errorf("copy CDR %q: %w", orig.ID, err)
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return ocpi.CDR{}, fmt.Errorf("copy CDR %q: %w", orig.ID, err)
	}
	c.ID, c.Credit, c.CreditReferenceID, c.InvoiceReferenceID = repID, nil, "", ""
	c.Remark = truncate("replaces "+orig.ID+": "+reason, 255)
	c.Currency, c.Tariffs = t.Currency, []ocpi.Tariff{t}
	for i := range c.ChargingPeriods {
		c.ChargingPeriods[i].TariffID = t.ID
	}
	tz := time.UTC
	if loc, err := tx.GetLocation(ctx, orig.CdrLocation.ID); err == nil && loc.OCPI.TimeZone != "" {
		if z, err := time.LoadLocation(loc.OCPI.TimeZone); err == nil {
			tz = z
		}
	}
	priced, err := tariffs.PriceCDR(t, c, tz)
	if err != nil {
		return ocpi.CDR{}, invalid("re-price CDR %q with tariff %q: %v", orig.ID, t.ID, err)
	}
	priced.LastUpdated = ocpi.NewDateTime(now)
	return priced, nil
}
