package roaming

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// CDRSyncOptions tune SyncCDRs and ReconcileCDRs; zero fields take the defaults.
type CDRSyncOptions struct {
	// From and To bound the CDRs looked at by issue time, [From, To); zero To is open (up to now
	// and whatever is issued while the sync runs), zero From is To (or now) - Window.
	From, To time.Time
	Window   time.Duration // default 7 days
	// PartnerID limits the reconciliation to one partner (0 = every partner).
	PartnerID int64
	// RedeliverAfter: a delivery that failed for good is sent again once the failure is this
	// old; default 1 h. MaxRedeliveries caps how often (default 24); after that the CDR stays
	// failed, for an operator.
	RedeliverAfter  time.Duration
	MaxRedeliveries int
	// PendingAfter: a CDR not acknowledged this long after its issue is reported; default 24 h.
	PendingAfter time.Duration
	// MaxMismatches caps the mismatches listed in the report (all are counted); default 100.
	MaxMismatches int
}

func (o *CDRSyncOptions) fill(now time.Time) {
	if o.Window <= 0 {
		o.Window = 7 * 24 * time.Hour
	}
	if o.From.IsZero() {
		end := o.To
		if end.IsZero() {
			end = now
		}
		o.From = end.Add(-o.Window)
	}
	if o.RedeliverAfter <= 0 {
		o.RedeliverAfter = time.Hour
	}
	if o.MaxRedeliveries <= 0 {
		o.MaxRedeliveries = 24
	}
	if o.PendingAfter <= 0 {
		o.PendingAfter = 24 * time.Hour
	}
	if o.MaxMismatches <= 0 {
		o.MaxMismatches = 100
	}
}

// Mismatch kinds of a CDR reconciliation.
const (
	MismatchNotSent    = "not_sent"    // issued for the partner, never queued for it
	MismatchFailed     = "failed"      // its delivery failed for good
	MismatchPending    = "pending"     // not acknowledged PendingAfter after its issue
	MismatchChanged    = "changed"     // the body the partner acknowledged differs from the stored CDR
	MismatchNoLocation = "no_location" // acknowledged without the required Location header
)

// CDRMismatch is one CDR whose delivery to a partner is not as it should be.
type CDRMismatch struct {
	CDRID     string `json:"cdr_id"`
	PartnerID int64  `json:"partner_id"`
	Kind      string `json:"kind"`
	Detail    string `json:"detail,omitempty"`
}

// PartnerReconciliation compares what the hub issued for one partner with what the partner
// acknowledged.
type PartnerReconciliation struct {
	PartnerID    int64  `json:"partner_id"`
	Name         string `json:"name,omitempty"`
	Issued       int    `json:"issued"`       // CDRs (normal and credit) issued for the partner
	Acknowledged int    `json:"acknowledged"` // accepted by the partner
	Pending      int    `json:"pending"`      // still being delivered
	Failed       int    `json:"failed"`       // failed for good
	NotSent      int    `json:"not_sent"`     // never queued
	Resent       int    `json:"resent"`       // queued by this sync (they were never sent)
	Redelivered  int    `json:"redelivered"`  // failed deliveries this sync sent again
	Mismatches   int    `json:"mismatches"`
}

// CDRReconciliation is the result of a CDR sync or reconciliation.
type CDRReconciliation struct {
	From       time.Time               `json:"from"`
	To         time.Time               `json:"to"`
	Partners   []PartnerReconciliation `json:"partners"`
	Mismatches []CDRMismatch           `json:"mismatches"`
	// Counts counts every mismatch by kind (Mismatches lists at most MaxMismatches).
	Counts    map[string]int `json:"counts"`
	Truncated bool           `json:"truncated,omitempty"`
}

// SyncCDRs is the CDR sync job: for the CDRs issued in the window it reconciles what each
// partner should have received (the partner owning the token, or the hub that announced it) with
// the delivery state (the outbox, else what the ledger recorded), records changed delivery
// states in the ledger (so they outlive the outbox's pruning), queues CDRs a partner never got
// queued (e.g. a partner registered after the CDR was issued), and sends failed deliveries again
// (RetryOutbox) once RedeliverAfter has passed, up to MaxRedeliveries times. The stored CDR is
// sent byte for byte as issued. It returns the reconciliation report.
func (s *Service) SyncCDRs(ctx context.Context, o CDRSyncOptions) (CDRReconciliation, error) {
	return s.reconcileCDRs(ctx, o, true)
}

// ReconcileCDRs reports like SyncCDRs but changes nothing.
func (s *Service) ReconcileCDRs(ctx context.Context, o CDRSyncOptions) (CDRReconciliation, error) {
	return s.reconcileCDRs(ctx, o, false)
}

// cdrSync is the state of one reconciliation run.
type cdrSync struct {
	s       *Service
	o       CDRSyncOptions
	act     bool
	now     time.Time
	ls      CDRLedgerStore
	targets map[Party][]target
	parts   map[int64]*PartnerReconciliation
	names   map[int64]string
	rep     CDRReconciliation
}

func (s *Service) reconcileCDRs(ctx context.Context, o CDRSyncOptions, act bool) (CDRReconciliation, error) {
	now := s.clock.Now()
	o.fill(now)
	ls, err := ledger(s.store)
	if err != nil {
		return CDRReconciliation{}, err
	}
	ix, err := s.newPartyIndex(ctx)
	if err != nil {
		return CDRReconciliation{}, err
	}
	cs := &cdrSync{s: s, o: o, act: act, now: now, ls: ls, targets: map[Party][]target{},
		parts: map[int64]*PartnerReconciliation{}, names: ix.names,
		rep: CDRReconciliation{From: o.From.UTC(), To: now.UTC(), Mismatches: []CDRMismatch{}, Counts: map[string]int{}}}
	q := CDRQuery{From: &o.From}
	if !o.To.IsZero() {
		q.To, cs.rep.To = &o.To, o.To.UTC()
	}
	if o.PartnerID != 0 {
		if _, err := s.store.GetPartner(ctx, o.PartnerID); err != nil {
			return CDRReconciliation{}, err
		}
	}
	err = s.EachCDRPage(ctx, q, func(page []IssuedCDR) error {
		keys := make([]string, len(page))
		for i, ic := range page {
			keys[i] = ic.Key
		}
		deliveries, err := ls.CDRDeliveries(ctx, keys)
		if err != nil {
			return err
		}
		for _, ic := range page {
			if err := cs.check(ctx, ic, deliveries[ic.Key]); err != nil {
				return fmt.Errorf("CDR %q: %w", ic.CDR.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return cs.rep, fmt.Errorf("cdr sync: %w", err)
	}
	for _, id := range slices.Sorted(maps.Keys(cs.parts)) {
		cs.rep.Partners = append(cs.rep.Partners, *cs.parts[id])
	}
	return cs.rep, nil
}

// check reconciles one CDR with its deliveries.
func (cs *cdrSync) check(ctx context.Context, ic IssuedCDR, ds []CDRDelivery) error {
	owner := tokenOwner(&ic.CDR.CdrToken).Norm()
	tg, ok := cs.targets[owner]
	if !ok {
		var err error
		if tg, err = cs.s.ownerTargets(ctx, cs.s.store, ocpi.ModuleIDCdrs, owner); err != nil {
			return err
		}
		cs.targets[owner] = tg
	}
	hash := BodyHash(ic.Body)
	done := map[int64]bool{}
	for _, t := range tg {
		pid := t.partner.ID
		if cs.o.PartnerID != 0 && pid != cs.o.PartnerID {
			continue
		}
		done[pid] = true
		i := slices.IndexFunc(ds, func(d CDRDelivery) bool { return d.PartnerID == pid })
		if i < 0 {
			if err := cs.notSent(ctx, ic, t); err != nil {
				return err
			}
			continue
		}
		if err := cs.delivery(ctx, ic, hash, ds[i], true); err != nil {
			return err
		}
	}
	for _, d := range ds { // deliveries to partners that are no longer targets: reported only
		if !done[d.PartnerID] && (cs.o.PartnerID == 0 || d.PartnerID == cs.o.PartnerID) {
			if err := cs.delivery(ctx, ic, hash, d, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// partner returns the report line of a partner.
func (cs *cdrSync) partner(id int64) *PartnerReconciliation {
	p := cs.parts[id]
	if p == nil {
		p = &PartnerReconciliation{PartnerID: id, Name: cs.names[id]}
		cs.parts[id] = p
	}
	return p
}

// mismatch reports one mismatch.
func (cs *cdrSync) mismatch(ic IssuedCDR, partnerID int64, kind, detail string) {
	cs.partner(partnerID).Mismatches++
	cs.rep.Counts[kind]++
	if len(cs.rep.Mismatches) >= cs.o.MaxMismatches {
		cs.rep.Truncated = true
		return
	}
	cs.rep.Mismatches = append(cs.rep.Mismatches, CDRMismatch{CDRID: ic.CDR.ID, PartnerID: partnerID, Kind: kind,
		Detail: truncate(detail, 300)})
}

// notSent handles a CDR never queued for a target partner: it is queued now (acting).
func (cs *cdrSync) notSent(ctx context.Context, ic IssuedCDR, t target) error {
	p := cs.partner(t.partner.ID)
	p.Issued++
	p.NotSent++
	cs.mismatch(ic, t.partner.ID, MismatchNotSent, "")
	if !cs.act {
		return nil
	}
	err := cs.s.inTx(ctx, func(tx Store, q *queue) error {
		ls, err := ledger(tx)
		if err != nil {
			return err
		}
		q.add(OutboxItem{PartnerID: t.partner.ID, ObjectKey: string(ocpi.ModuleIDCdrs) + "/" + ic.Key, Module: ocpi.ModuleIDCdrs,
			Method: http.MethodPost, Body: ic.Body, To: t.to, CorrelationID: cs.s.ids.NewID()})
		return ls.SaveCDRDelivery(ctx, CDRDelivery{CDRKey: ic.Key, PartnerID: t.partner.ID, Status: OutboxPending,
			BodyHash: BodyHash(ic.Body), UpdatedAt: cs.now})
	})
	if err != nil {
		return err
	}
	p.Resent++
	cs.s.log.Info("CDR queued for a partner that never got it", "cdr", ic.CDR.ID, "partner", t.partner.ID)
	return nil
}

// delivery handles a CDR's delivery to one partner; target says the partner should get it.
func (cs *cdrSync) delivery(ctx context.Context, ic IssuedCDR, hash string, d CDRDelivery, target bool) error {
	p := cs.partner(d.PartnerID)
	p.Issued++
	switch d.Status {
	case OutboxDelivered:
		p.Acknowledged++
		if d.BodyHash != "" && d.BodyHash != hash {
			cs.mismatch(ic, d.PartnerID, MismatchChanged, "the body acknowledged differs from the CDR as issued")
		}
		if d.Location == "" {
			cs.mismatch(ic, d.PartnerID, MismatchNoLocation, "")
		}
	case OutboxFailed:
		p.Failed++
		cs.mismatch(ic, d.PartnerID, MismatchFailed, d.LastError)
		if cs.act && target && d.Redeliveries < cs.o.MaxRedeliveries && cs.now.Sub(d.UpdatedAt) >= cs.o.RedeliverAfter {
			if err := cs.redeliver(ctx, ic, &d); err != nil {
				return err
			}
			p.Redelivered++
		}
	default:
		p.Pending++
		if cs.now.Sub(ic.IssuedAt) >= cs.o.PendingAfter {
			cs.mismatch(ic, d.PartnerID, MismatchPending, d.LastError)
		}
	}
	if cs.act && d.Unrecorded {
		return cs.ls.SaveCDRDelivery(ctx, d)
	}
	return nil
}

// redeliver sends a failed CDR again: its outbox item goes back to pending, or a new one is
// queued when the item is gone.
func (cs *cdrSync) redeliver(ctx context.Context, ic IssuedCDR, d *CDRDelivery) error {
	err := charging.Errorf(charging.CodeNotFound, "no outbox item")
	if d.OutboxID != 0 {
		err = cs.s.RetryOutbox(ctx, d.PartnerID, d.OutboxID)
	}
	if charging.IsNotFound(err) {
		p, gerr := cs.s.store.GetPartner(ctx, d.PartnerID)
		if gerr != nil {
			return gerr
		}
		to := tokenOwner(&ic.CDR.CdrToken).Norm()
		err = cs.s.inTx(ctx, func(tx Store, q *queue) error {
			q.add(OutboxItem{PartnerID: p.ID, ObjectKey: string(ocpi.ModuleIDCdrs) + "/" + ic.Key, Module: ocpi.ModuleIDCdrs,
				Method: http.MethodPost, Body: ic.Body, To: to, CorrelationID: cs.s.ids.NewID()})
			return nil
		})
	}
	if err != nil {
		return err
	}
	d.Redeliveries++
	d.Status, d.UpdatedAt, d.Unrecorded = OutboxPending, cs.now, true
	cs.s.log.Info("failed CDR delivery sent again", "cdr", ic.CDR.ID, "partner", d.PartnerID, "redeliveries", d.Redeliveries)
	return nil
}
