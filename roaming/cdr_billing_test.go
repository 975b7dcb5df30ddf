package roaming_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/ocpitest"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store/storetest"
)

// TestSettlementReport: per partner, CDR and credit counts, energy, revenue per currency excl
// and incl VAT (gross, credits, net) and delivery status (acknowledged, pending, failed, not sent).
func TestSettlementReport(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		b := newBilling(t, dbURL, true)
		de := roaming.Party{CountryCode: "DE", PartyID: "ABC"}
		p2, tokenA, err := b.svc.CreatePartner(ctx, roaming.NewPartner{Name: "eMSP DE*ABC", Role: ocpi.RoleEMSP, Party: de})
		require.NoError(t, err)
		other := ocpitest.NewEMSP(t, ocpitest.LoadSchema(t), "DE", "ABC")
		require.NoError(t, other.Register(b.svc.VersionsURL(), tokenA))
		b.drain(t)

		b.clk.Advance(2 * time.Hour)
		b.issue(t, knownCDR(t, "A", emspParty, billStart, "10", tariffINR())) // 220 / 259.6 INR
		b.issue(t, knownCDR(t, "B", emspParty, billStart, "5", tariffINR()))  // 10 + 90 + 30 = 130 / 153.4 INR
		b.drain(t)
		b.emsp.FailPushes(http.StatusBadRequest)
		eur := tariffEUR("T-EUR", "0.30")
		b.issue(t, knownCDR(t, "C", emspParty, billStart, "4", eur)) // 1.2 EUR, no VAT
		b.drain(t)
		b.emsp.FailPushes(0)
		_, err = b.svc.CreditCDR(ctx, "A", roaming.CreditRequest{Reason: "duplicate session"})
		require.NoError(t, err)
		b.drain(t)
		other.Stop() // unreachable: its CDR stays pending
		b.issue(t, knownCDR(t, "D", de, billStart, "10", tariffINR()))
		b.drain(t)
		b.issue(t, knownCDR(t, "E", roaming.Party{CountryCode: "IN", PartyID: "HUB"}, billStart, "10", tariffINR()))

		r, err := b.svc.SettlementReport(ctx, roaming.SettlementQuery{From: billStart, To: billStart.Add(24 * time.Hour)})
		require.NoError(t, err)
		require.Len(t, r.Partners, 3)
		local, p1, pDE := r.Partners[0], r.Partners[1], r.Partners[2]

		require.Equal(t, int64(0), local.PartnerID)
		require.Equal(t, 1, local.CDRs)
		require.Equal(t, roaming.DeliveryCounts{NotSent: 1}, local.Delivery)

		require.Equal(t, b.partner.ID, p1.PartnerID)
		require.Equal(t, "eMSP NL*EMP", p1.Name)
		require.Equal(t, 3, p1.CDRs)
		require.Equal(t, 1, p1.Credits)
		require.Equal(t, "19", p1.EnergyKWh.String())
		require.Equal(t, "10", p1.CreditedEnergyKWh.String())
		require.Len(t, p1.Revenue, 2)
		eurT, inr := p1.Revenue[0], p1.Revenue[1]
		require.Equal(t, "EUR", eurT.Currency)
		require.Equal(t, []string{"1.2", "1.2", "0", "0", "1.2", "1.2"}, money(eurT))
		require.Equal(t, "INR", inr.Currency)
		require.Equal(t, []string{"350", "413", "-220", "-259.6", "130", "153.4"}, money(inr))
		require.Equal(t, roaming.DeliveryCounts{Acknowledged: 3, Failed: 1}, p1.Delivery, "A, B and A's credit acknowledged; C refused")

		require.Equal(t, p2.ID, pDE.PartnerID)
		require.Equal(t, 1, pDE.CDRs)
		require.Equal(t, roaming.DeliveryCounts{Pending: 1}, pDE.Delivery)

		one, err := b.svc.SettlementReport(ctx, roaming.SettlementQuery{From: billStart, To: billStart.Add(24 * time.Hour), PartnerID: p2.ID})
		require.NoError(t, err)
		require.Len(t, one.Partners, 1)
		require.Equal(t, pDE, one.Partners[0])
		none, err := b.svc.SettlementReport(ctx, roaming.SettlementQuery{From: billStart, To: billStart.Add(time.Hour)})
		require.NoError(t, err)
		require.Empty(t, none.Partners)
		_, err = b.svc.SettlementReport(ctx, roaming.SettlementQuery{From: billStart, To: billStart})
		require.Equal(t, charging.CodeInvalid, charging.ErrorCode(err))
	})
}

func money(c roaming.CurrencyTotal) []string {
	return []string{c.ExclVat.String(), c.InclVat.String(), c.CreditsExclVat.String(), c.CreditsInclVat.String(),
		c.NetExclVat.String(), c.NetInclVat.String()}
}

// TestCreditCDR: a correction issues a credit CDR negating every amount and a replacement priced
// with the current tariff; both go to the eMSP; the credited CDR never changes; a CDR is credited
// once, a credit CDR never; replacements of a chain are numbered from its first CDR.
func TestCreditCDR(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		b := newBilling(t, dbURL, true)
		_, _, err := b.svc.SaveTariff(ctx, tariffINR(), true)
		require.NoError(t, err)
		cur, err := b.svc.CurrentTariff(ctx, "IN-AC")
		require.NoError(t, err)
		b.clk.Advance(2 * time.Hour)
		b.issue(t, knownCDR(t, "CDR-1", emspParty, billStart, "10", cur.Tariff))
		b.drain(t)
		before := b.cdrBodies(t)["CDR-1"]

		fixed := tariffINR()
		fixed.Elements[1].PriceComponents[0].Price = ocpi.MustDecimal("16")
		_, _, err = b.svc.SaveTariff(ctx, fixed, false)
		require.NoError(t, err)
		b.clk.Advance(time.Minute)
		res, err := b.svc.CreditCDR(ctx, "cdr-1", roaming.CreditRequest{Reason: "energy price was wrong",
			Replacement: &roaming.Replacement{TariffID: "IN-AC"}})
		require.NoError(t, err)
		c := res.Credit
		require.Equal(t, "CDR-1-C", c.ID)
		require.True(t, *c.Credit)
		require.Equal(t, "CDR-1", c.CreditReferenceID)
		require.Equal(t, "credit: energy price was wrong", c.Remark)
		require.Equal(t, "-220", c.TotalCost.ExclVat.String())
		require.Equal(t, "-259.6", c.TotalCost.InclVat.String())
		require.Equal(t, "-212.4", c.TotalEnergyCost.InclVat.String())
		require.Equal(t, "-11.8", c.TotalFixedCost.InclVat.String())
		require.Equal(t, "10", c.TotalEnergy.String(), "volumes stay positive")
		rep := res.Replacement
		require.NotNil(t, rep)
		require.Equal(t, "CDR-1-R1", rep.ID)
		require.Nil(t, rep.Credit)
		require.Equal(t, "200", rep.TotalCost.ExclVat.String(), "10 + 10 kWh × 16 + 30")
		require.Equal(t, "236", rep.TotalCost.InclVat.String())
		require.Equal(t, "16", rep.Tariffs[0].Elements[1].PriceComponents[0].Price.String(), "priced with the current version")
		require.Equal(t, roaming.CDRCorrection{CDRKey: "CDR-1", RootKey: "CDR-1", CreditKey: "CDR-1-C", ReplacementKey: "CDR-1-R1",
			Reason: "energy price was wrong", CreatedAt: b.clk.Now()}, res.Correction)
		b.drain(t)
		posts := b.received("cdrs", http.MethodPost)
		require.Len(t, posts, 3, "the CDR, its credit and its replacement")
		require.Equal(t, "CDR-1-C", decode[ocpi.CDR](t, posts[1].Body).ID)
		require.Equal(t, "CDR-1-R1", decode[ocpi.CDR](t, posts[2].Body).ID)
		require.Equal(t, before, b.cdrBodies(t)["CDR-1"], "the credited CDR never changes")

		_, err = b.svc.CreditCDR(ctx, "CDR-1", roaming.CreditRequest{Reason: "again"})
		require.Equal(t, charging.CodeConflict, charging.ErrorCode(err), "%v", err)
		_, err = b.svc.CreditCDR(ctx, "CDR-1-C", roaming.CreditRequest{Reason: "credit a credit"})
		require.Equal(t, charging.CodeInvalid, charging.ErrorCode(err), "%v", err)
		_, err = b.svc.CreditCDR(ctx, "NOPE", roaming.CreditRequest{Reason: "x"})
		require.True(t, charging.IsNotFound(err))
		_, err = b.svc.CreditCDR(ctx, "CDR-1-R1", roaming.CreditRequest{})
		require.Equal(t, charging.CodeInvalid, charging.ErrorCode(err), "a reason is required")
		_, err = b.svc.CreditCDR(ctx, "CDR-1-R1", roaming.CreditRequest{Reason: "x", Replacement: &roaming.Replacement{}})
		require.Equal(t, charging.CodeInvalid, charging.ErrorCode(err), "a replacement needs tariff_id or cdr")

		// The replacement is corrected in turn, with a CDR the operator wrote.
		manual := *rep
		manual.ID, manual.Remark = "", "manual correction"
		manual.TotalCost = ocpi.Price{ExclVat: ocpi.MustDecimal("150"), InclVat: ocpi.MustDecimal("177").Ptr()}
		res2, err := b.svc.CreditCDR(ctx, "CDR-1-R1", roaming.CreditRequest{Reason: "goodwill", Replacement: &roaming.Replacement{CDR: &manual}})
		require.NoError(t, err)
		require.Equal(t, "CDR-1-R1-C", res2.Credit.ID)
		require.Equal(t, "CDR-1-R2", res2.Replacement.ID, "numbered from the chain's first CDR")
		require.Equal(t, "CDR-1", res2.Correction.RootKey)
		got, corr, ds, err := b.svc.GetIssuedCDR(ctx, "CDR-1")
		require.NoError(t, err)
		require.Equal(t, "CDR-1", got.ID)
		require.Equal(t, "CDR-1-R1", corr.ReplacementKey)
		require.Len(t, ds, 1)
		require.Equal(t, roaming.OutboxDelivered, ds[0].Status)
		require.NotEmpty(t, ds[0].Location)
		require.Len(t, b.cdrBodies(t), 5)
	})
}

// TestCDRSync: the CDR sync queues a CDR its partner never got (the partner registered after
// it was issued), sends a failed delivery again once RedeliverAfter has passed, records delivery
// states so that they outlive the outbox's pruning, and reports what each partner acknowledged
// against what the hub issued; a reconciliation changes nothing.
func TestCDRSync(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		b := newBilling(t, dbURL, false)
		b.clk.Advance(2 * time.Hour)
		issued := b.issue(t, knownCDR(t, "CDR-1", emspParty, billStart, "10", tariffINR()))
		b.register(t)
		b.drain(t)
		body := b.cdrBodies(t)["CDR-1"]

		r, err := b.svc.ReconcileCDRs(ctx, roaming.CDRSyncOptions{})
		require.NoError(t, err)
		require.Equal(t, []roaming.PartnerReconciliation{{PartnerID: b.partner.ID, Name: "eMSP NL*EMP", Issued: 1, NotSent: 1,
			Mismatches: 1}}, r.Partners)
		require.Equal(t, []roaming.CDRMismatch{{CDRID: "CDR-1", PartnerID: b.partner.ID, Kind: roaming.MismatchNotSent}}, r.Mismatches)
		b.drain(t)
		require.Empty(t, b.received("cdrs", http.MethodPost), "a reconciliation sends nothing")

		r, err = b.svc.SyncCDRs(ctx, roaming.CDRSyncOptions{})
		require.NoError(t, err)
		require.Equal(t, 1, r.Partners[0].Resent)
		b.drain(t)
		posts := b.received("cdrs", http.MethodPost)
		require.Len(t, posts, 1)
		require.Equal(t, body, string(posts[0].Body), "sent byte for byte as issued")
		require.Equal(t, issued.ID, decode[ocpi.CDR](t, posts[0].Body).ID)

		r, err = b.svc.SyncCDRs(ctx, roaming.CDRSyncOptions{})
		require.NoError(t, err)
		require.Equal(t, []roaming.PartnerReconciliation{{PartnerID: b.partner.ID, Name: "eMSP NL*EMP", Issued: 1, Acknowledged: 1}},
			r.Partners)
		require.Empty(t, r.Mismatches)

		// The partner refuses CDR-2 for good; the sync sends it again an hour later.
		b.emsp.FailPushes(http.StatusBadRequest)
		b.issue(t, knownCDR(t, "CDR-2", emspParty, billStart, "5", tariffINR()))
		b.drain(t)
		b.emsp.FailPushes(0)
		r, err = b.svc.SyncCDRs(ctx, roaming.CDRSyncOptions{})
		require.NoError(t, err)
		require.Equal(t, 1, r.Partners[0].Failed)
		require.Zero(t, r.Partners[0].Redelivered, "the failure is recent")
		require.Equal(t, 1, r.Counts[roaming.MismatchFailed])
		b.clk.Advance(2 * time.Hour)
		r, err = b.svc.SyncCDRs(ctx, roaming.CDRSyncOptions{})
		require.NoError(t, err)
		require.Equal(t, 1, r.Partners[0].Redelivered)
		b.drain(t)
		require.Len(t, b.received("cdrs", http.MethodPost), 3)
		_, _, ds, err := b.svc.GetIssuedCDR(ctx, "CDR-2")
		require.NoError(t, err)
		require.Equal(t, roaming.OutboxDelivered, ds[0].Status)
		require.Equal(t, 1, ds[0].Redeliveries)

		// Recorded, the deliveries outlive the pruning of the delivered outbox items.
		_, err = b.svc.SyncCDRs(ctx, roaming.CDRSyncOptions{})
		require.NoError(t, err)
		b.clk.Advance(8 * 24 * time.Hour)
		n, err := b.svc.PruneOutbox(ctx, time.Hour)
		require.NoError(t, err)
		require.Positive(t, n)
		r, err = b.svc.ReconcileCDRs(ctx, roaming.CDRSyncOptions{From: billStart, To: b.clk.Now()})
		require.NoError(t, err)
		require.Equal(t, []roaming.PartnerReconciliation{{PartnerID: b.partner.ID, Name: "eMSP NL*EMP", Issued: 2, Acknowledged: 2}},
			r.Partners)
		require.Empty(t, r.Mismatches)
		r, err = b.svc.SyncCDRs(ctx, roaming.CDRSyncOptions{From: billStart, To: b.clk.Now()})
		require.NoError(t, err)
		require.Zero(t, r.Partners[0].Resent, "nothing is sent twice")
		b.drain(t)
		require.Len(t, b.received("cdrs", http.MethodPost), 3)
	})
}
