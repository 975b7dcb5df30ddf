// Package push is the outbox worker: it claims due outbox items (roaming.OutboxStore), delivers
// them to the partners with the OCPI client, in order per (partner, object), and records the
// outcome: delivered, retried with exponential backoff, or failed for good (after MaxAttempts
// or on an answer that will never succeed) for an operator to look at.
//
// On PostgreSQL several workers (and several hub nodes) may run: claims use FOR UPDATE SKIP
// LOCKED. On SQLite one worker is enough. A partner that is unreachable is backed off as a whole
// and, when one delivery succeeds again, everything it missed is made due at once.
package push

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/client"
	"github.com/chargehub/hub/roaming"
)

// Store is what the worker needs of the roaming store.
type Store interface {
	ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int, skip []int64) ([]roaming.OutboxItem, error)
	CompleteOutbox(ctx context.Context, id int64, r roaming.OutboxResult) error
	ExpediteOutbox(ctx context.Context, partnerID int64, now time.Time) (int64, error)
	OutboxBacklog(ctx context.Context) ([]roaming.OutboxCount, error)
	GetPartner(ctx context.Context, id int64) (roaming.Partner, error)
}

// Sender sends one OCPI request (*client.Client).
type Sender interface {
	Do(ctx context.Context, req client.Request) (*client.Response, error)
}

// Config tunes the worker. The zero value is usable.
type Config struct {
	Workers      int           // concurrent claim loops; 0 = 1
	Batch        int           // items claimed at once; 0 = 128
	Poll         time.Duration // idle wait between claims; 0 = 1 s
	Lease        time.Duration // how long a claimed item is reserved; 0 = 2 min (longer than a request)
	BaseBackoff  time.Duration // first retry delay; 0 = 2 s
	MaxBackoff   time.Duration // retry delay cap; 0 = 10 min
	MaxAttempts  int           // attempts before an item fails for good; 0 = 40 (about 6 hours)
	BacklogEvery time.Duration // backlog gauge refresh; 0 = 15 s
}

func (c *Config) defaults() {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.Workers <= 0 {
		c.Workers = 1
	}
	if c.Batch <= 0 {
		c.Batch = 128
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 40
	}
	set(&c.Poll, time.Second)
	set(&c.Lease, 2*time.Minute)
	set(&c.BaseBackoff, 2*time.Second)
	set(&c.MaxBackoff, 10*time.Minute)
	set(&c.BacklogEvery, 15*time.Second)
}

// Worker delivers the outbox. Run it once; Wake after enqueuing to deliver without waiting.
type Worker struct {
	store  Store
	sender Sender
	clock  charging.Clock
	log    *slog.Logger
	from   roaming.Party
	cfg    Config
	wake   chan struct{}

	deliveries *prometheus.CounterVec
	backlog    *prometheus.GaugeVec

	mu   sync.Mutex
	down map[int64]time.Time // partner → until when it is backed off as a whole; guarded by mu
}

// New builds a worker and registers its metrics on reg (nil = none):
// hub_ocpi_outbox_backlog{partner,status} and hub_ocpi_outbox_deliveries_total{result}.
func New(store Store, sender Sender, clock charging.Clock, log *slog.Logger, from roaming.Party, cfg Config,
	reg prometheus.Registerer) (*Worker, error) {
	cfg.defaults()
	if log == nil {
		log = slog.Default()
	}
	w := &Worker{store: store, sender: sender, clock: clock, log: log, from: from, cfg: cfg,
		wake: make(chan struct{}, 1), down: map[int64]time.Time{},
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hub_ocpi_outbox_deliveries_total",
			Help: "OCPI push delivery attempts by result: delivered, retry, failed."}, []string{"result"}),
		backlog: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "hub_ocpi_outbox_backlog",
			Help: "OCPI outbox items per partner: pending (waiting for delivery) and failed (need an operator)."},
			[]string{"partner", "status"}),
	}
	for _, r := range []string{"delivered", "retry", "failed"} {
		w.deliveries.WithLabelValues(r)
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{w.deliveries, w.backlog} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("push: register metrics: %w", err)
			}
		}
	}
	return w, nil
}

// Wake makes an idle worker claim now (after an enqueue). It never blocks.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx is done, then lets in-flight deliveries finish (each bounded by the
// client's timeout) and records their outcome before returning. Items claimed but not attempted
// keep their lease and are taken again after it (or by another node).
func (w *Worker) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for range w.cfg.Workers {
		wg.Go(func() { w.loop(ctx) })
	}
	wg.Go(func() {
		t := time.NewTicker(w.cfg.BacklogEvery)
		defer t.Stop()
		for {
			w.RefreshBacklog(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
	wg.Wait()
}

func (w *Worker) loop(ctx context.Context) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.log.Error("outbox: claim failed", "err", err)
		}
		if ctx.Err() != nil {
			return
		}
		if n > 0 && err == nil {
			continue // there may be more: successors of what was just delivered
		}
		t.Reset(w.cfg.Poll)
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		case <-t.C:
		}
	}
}

// RunOnce claims one batch and delivers it (partners in parallel, each partner's items in id
// order); it returns how many items it attempted.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	if ctx.Err() != nil {
		return 0, nil
	}
	now := w.clock.Now()
	items, err := w.store.ClaimOutbox(ctx, now, w.cfg.Lease, w.cfg.Batch, w.skipped(now))
	if err != nil || len(items) == 0 {
		return 0, err
	}
	byPartner := map[int64][]roaming.OutboxItem{}
	var order []int64
	for _, it := range items {
		if _, ok := byPartner[it.PartnerID]; !ok {
			order = append(order, it.PartnerID)
		}
		byPartner[it.PartnerID] = append(byPartner[it.PartnerID], it)
	}
	// Deliveries outlive ctx: a started push is finished and recorded on shutdown.
	dctx := context.WithoutCancel(ctx)
	var wg sync.WaitGroup
	for _, id := range order {
		wg.Go(func() { w.deliverPartner(dctx, id, byPartner[id]) })
	}
	wg.Wait()
	return len(items), nil
}

// skipped lists the partners backed off at now.
func (w *Worker) skipped(now time.Time) []int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []int64
	for id, until := range w.down {
		if until.After(now) {
			out = append(out, id)
		}
	}
	return out
}

// deliverPartner delivers one partner's claimed items in order. When the partner turns out to be
// unreachable the rest waits for the same backoff without an attempt.
func (w *Worker) deliverPartner(ctx context.Context, partnerID int64, items []roaming.OutboxItem) {
	p, err := w.store.GetPartner(ctx, partnerID)
	if err != nil {
		w.log.Error("outbox: load partner", "partner", partnerID, "err", err)
		return // the lease expires and the items are claimed again
	}
	// Order matters per object only: each object's items go one after another, different
	// objects in parallel (bounded), so one partner's backlog drains at network speed.
	var keys []string
	byObject := map[string][]roaming.OutboxItem{}
	for _, it := range items {
		k := it.ObjectKey
		if it.Module == ocpi.ModuleIDCdrs {
			k = string(ocpi.ModuleIDCdrs) // CDRs keep their issue order (a credit before its replacement)
		}
		if _, ok := byObject[k]; !ok {
			keys = append(keys, k)
		}
		byObject[k] = append(byObject[k], it)
	}
	var mu sync.Mutex
	var downUntil time.Time            // guarded by mu: set once the partner proved unreachable
	var done []roaming.OutboxItem      // guarded by mu
	var results []roaming.OutboxResult // guarded by mu
	record := func(it roaming.OutboxItem, res roaming.OutboxResult) {
		mu.Lock()
		done, results = append(done, it), append(results, res)
		mu.Unlock()
	}
	sem := make(chan struct{}, perPartnerParallel)
	var wg sync.WaitGroup
	for _, k := range keys {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			for _, it := range byObject[k] {
				mu.Lock()
				down := downUntil
				mu.Unlock()
				if !down.IsZero() {
					record(it, roaming.OutboxResult{Outcome: roaming.OutcomeDeferred, At: w.clock.Now(), NextAttemptAt: down})
					continue
				}
				pc := p
				res, unreachable := w.deliver(ctx, &pc, it)
				record(it, res)
				switch {
				case unreachable:
					mu.Lock()
					if downUntil.IsZero() {
						downUntil = res.NextAttemptAt
					}
					mu.Unlock()
					w.mu.Lock()
					w.down[partnerID] = res.NextAttemptAt
					w.mu.Unlock()
				case res.Outcome == roaming.OutcomeDelivered:
					w.recovered(ctx, partnerID)
				}
			}
		})
	}
	wg.Wait()
	w.completeAll(ctx, done, results)
}

// completeAll records a batch's attempts, in one transaction when the store can.
func (w *Worker) completeAll(ctx context.Context, items []roaming.OutboxItem, results []roaming.OutboxResult) {
	if many, ok := w.store.(interface {
		CompleteOutboxMany(ctx context.Context, ids []int64, results []roaming.OutboxResult) error
	}); ok && len(items) > 1 {
		ids := make([]int64, len(items))
		for i, it := range items {
			ids[i] = it.ID
		}
		if err := many.CompleteOutboxMany(ctx, ids, results); err == nil {
			for _, res := range results {
				if res.Outcome != roaming.OutcomeDeferred {
					w.deliveries.WithLabelValues(string(res.Outcome)).Inc()
				}
			}
			return
		}
		// fall back to one by one, with the retries of complete
	}
	for i, it := range items {
		w.complete(ctx, it, results[i])
	}
}

// perPartnerParallel bounds one partner's concurrent requests.
const perPartnerParallel = 16

// recovered ends a partner's backoff after a successful delivery and makes everything it
// missed due now.
func (w *Worker) recovered(ctx context.Context, partnerID int64) {
	w.mu.Lock()
	_, was := w.down[partnerID]
	delete(w.down, partnerID)
	w.mu.Unlock()
	if !was {
		return
	}
	n, err := w.store.ExpediteOutbox(ctx, partnerID, w.clock.Now())
	if err != nil {
		w.log.Error("outbox: expedite", "partner", partnerID, "err", err)
		return
	}
	w.log.Info("outbox: partner reachable again", "partner", partnerID, "expedited", n)
	w.Wake()
}

// complete records an attempt. When the database cannot be reached (a restart), the record is
// retried for up to half a lease: an item delivered but not recorded would be delivered again
// once its lease ends.
func (w *Worker) complete(ctx context.Context, it roaming.OutboxItem, res roaming.OutboxResult) {
	deadline := time.Now().Add(w.cfg.Lease / 2)
	for wait := 250 * time.Millisecond; ; wait = min(2*wait, 5*time.Second) {
		err := w.store.CompleteOutbox(ctx, it.ID, res)
		if err == nil {
			break
		}
		code := charging.ErrorCode(err)
		if (code != charging.CodeInternal && code != charging.CodeUnavailable) || time.Now().Add(wait).After(deadline) {
			w.log.Error("outbox: record delivery", "item", it.ID, "outcome", res.Outcome, "err", err)
			break
		}
		w.log.Warn("outbox: record delivery failed; retrying", "item", it.ID, "outcome", res.Outcome, "err", err, "in", wait)
		time.Sleep(wait)
	}
	if res.Outcome != roaming.OutcomeDeferred {
		w.deliveries.WithLabelValues(string(res.Outcome)).Inc()
	}
}

// deliver sends one item; unreachable reports a failure that concerns the whole partner (no
// answer, or a server error).
func (w *Worker) deliver(ctx context.Context, p *roaming.Partner, it roaming.OutboxItem) (res roaming.OutboxResult, unreachable bool) {
	target := it.URL
	if target == "" {
		base, ok := p.Endpoint(it.Module, ocpi.InterfaceRoleReceiver)
		if !ok {
			return w.failed(it, fmt.Sprintf("partner %d has no %s RECEIVER endpoint", p.ID, it.Module)), false
		}
		target = strings.TrimRight(base, "/") + it.Path
	}
	req := client.Request{Method: it.Method, URL: target, Cred: p.Credential(), From: w.from, To: it.To, CorrelationID: it.CorrelationID}
	if len(it.Body) > 0 {
		req.Body = json.RawMessage(it.Body)
	}
	resp, err := w.sender.Do(ctx, req)
	now := w.clock.Now()
	if err == nil {
		res = roaming.OutboxResult{Outcome: roaming.OutcomeDelivered, At: now}
		if it.Method == http.MethodPost && it.Module == ocpi.ModuleIDCdrs {
			res.ResultLocation = resp.Header.Get("Location")
		}
		w.log.Debug("outbox: delivered", "item", it.ID, "partner", p.ID, "method", it.Method, "url", target)
		return res, false
	}
	var ce *client.Error
	isClient := errors.As(err, &ce)
	if isClient && ce.Permanent() {
		w.log.Warn("outbox: push refused for good", "item", it.ID, "partner", p.ID, "url", target, "err", err)
		return w.failed(it, err.Error()), false
	}
	attempt := it.Attempts + 1
	if attempt >= w.cfg.MaxAttempts {
		w.log.Warn("outbox: push failed too often", "item", it.ID, "partner", p.ID, "attempts", attempt, "err", err)
		return w.failed(it, "gave up after "+strconv.Itoa(attempt)+" attempts: "+err.Error()), false
	}
	next := now.Add(w.backoff(attempt))
	w.log.Info("outbox: push failed, will retry", "item", it.ID, "partner", p.ID, "attempt", attempt, "next", next, "err", err)
	unreachable = !isClient || ce.HTTPStatus == 0 || ce.HTTPStatus >= 500
	return roaming.OutboxResult{Outcome: roaming.OutcomeRetry, At: now, NextAttemptAt: next, Error: err.Error()}, unreachable
}

func (w *Worker) failed(it roaming.OutboxItem, msg string) roaming.OutboxResult {
	return roaming.OutboxResult{Outcome: roaming.OutcomeFailed, At: w.clock.Now(), Error: msg}
}

// backoff is BaseBackoff·2^(attempt-1), capped at MaxBackoff, with ±10 % jitter.
func (w *Worker) backoff(attempt int) time.Duration {
	d := w.cfg.MaxBackoff
	if attempt < 31 {
		if e := w.cfg.BaseBackoff << (attempt - 1); e > 0 && e < d {
			d = e
		}
	}
	jitter := time.Duration(rand.Int64N(int64(d)/5+1)) - d/10
	return d + jitter
}

// RefreshBacklog sets the backlog gauges from the store.
func (w *Worker) RefreshBacklog(ctx context.Context) {
	counts, err := w.store.OutboxBacklog(ctx)
	if err != nil {
		if ctx.Err() == nil {
			w.log.Error("outbox: backlog", "err", err)
		}
		return
	}
	w.backlog.Reset()
	for _, c := range counts {
		id := strconv.FormatInt(c.PartnerID, 10)
		w.backlog.WithLabelValues(id, "pending").Set(float64(c.Pending))
		w.backlog.WithLabelValues(id, "failed").Set(float64(c.Failed))
	}
}
