package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/robfig/cron/v3"

	"github.com/chargehub/hub/admin"
	"github.com/chargehub/hub/framelog"
	"github.com/chargehub/hub/roaming"
)

// jobsConfig holds the schedules and thresholds of the maintenance jobs. A schedule is a cron
// spec ("*/15 * * * *", "@hourly", "@every 15m"), a Go duration ("15m", read as "@every 15m") or
// "off".
type jobsConfig struct {
	TariffSync   string // HUB_JOB_TARIFF_SYNC
	CDRSync      string // HUB_JOB_CDR_SYNC
	Housekeeping string // HUB_JOB_HOUSEKEEPING

	TariffRefresh     time.Duration // HUB_TARIFF_REFRESH: re-send unchanged tariffs this often (0 = never)
	CDRSyncWindow     time.Duration // HUB_CDR_SYNC_WINDOW: CDRs issued this far back are reconciled
	CDRRedeliverAfter time.Duration // HUB_CDR_REDELIVER_AFTER: a failed CDR delivery is sent again after this
	PendingSessionTTL time.Duration // HUB_PENDING_SESSION_TTL: PENDING sessions unchanged this long become INVALID (0 = never)
	AbandonAfter      time.Duration // HUB_TX_ABANDON_AFTER: transactions of stations offline this long are closed (0 = never)
}

// bind registers the jobs' flags on fs with environment-derived defaults; it returns the
// environment values that are not durations.
func (j *jobsConfig) bind(fs *flag.FlagSet, getenv func(string) string) []string {
	var errs []string
	str := func(p *string, name, env, def, usage string) {
		fs.StringVar(p, name, envDefault(getenv, env, def), usage+" ("+env+")")
	}
	dur := func(p *time.Duration, name, env string, def time.Duration, usage string) {
		d := def
		if v := getenv(env); v != "" {
			if parsed, err := time.ParseDuration(v); err == nil {
				d = parsed
			} else {
				errs = append(errs, fmt.Sprintf("%s=%q is not a duration", env, v))
			}
		}
		fs.DurationVar(p, name, d, usage+" ("+env+")")
	}
	str(&j.TariffSync, "job-tariff-sync", "HUB_JOB_TARIFF_SYNC", "@every 15m", "schedule of the tariff sync job (cron spec, duration or off)")
	str(&j.CDRSync, "job-cdr-sync", "HUB_JOB_CDR_SYNC", "@every 15m", "schedule of the CDR sync job (cron spec, duration or off)")
	str(&j.Housekeeping, "job-housekeeping", "HUB_JOB_HOUSEKEEPING", "@every 15m", "schedule of the housekeeping job (cron spec, duration or off)")
	dur(&j.TariffRefresh, "tariff-refresh", "HUB_TARIFF_REFRESH", 24*time.Hour, "re-send unchanged tariffs to partners this often (0 = never)")
	dur(&j.CDRSyncWindow, "cdr-sync-window", "HUB_CDR_SYNC_WINDOW", 7*24*time.Hour, "the CDR sync reconciles CDRs issued this far back")
	dur(&j.CDRRedeliverAfter, "cdr-redeliver-after", "HUB_CDR_REDELIVER_AFTER", time.Hour, "send a CDR whose delivery failed again after this")
	dur(&j.PendingSessionTTL, "pending-session-ttl", "HUB_PENDING_SESSION_TTL", time.Hour, "PENDING sessions unchanged this long become INVALID (0 = never)")
	dur(&j.AbandonAfter, "tx-abandon-after", "HUB_TX_ABANDON_AFTER", 48*time.Hour, "close transactions of stations offline this long (0 = never)")
	return errs
}

// validate checks the schedules and durations.
func (j *jobsConfig) validate() error {
	for name, spec := range map[string]string{"tariff sync": j.TariffSync, "CDR sync": j.CDRSync, "housekeeping": j.Housekeeping} {
		if _, _, err := parseSchedule(spec); err != nil {
			return fmt.Errorf("%s schedule: %w", name, err)
		}
	}
	for name, d := range map[string]time.Duration{"tariff refresh": j.TariffRefresh, "CDR sync window": j.CDRSyncWindow,
		"CDR redeliver after": j.CDRRedeliverAfter, "pending session TTL": j.PendingSessionTTL, "transaction abandon after": j.AbandonAfter} {
		if d < 0 {
			return fmt.Errorf("%s %s must not be negative", name, d)
		}
	}
	return nil
}

// parseSchedule reads a job schedule; nil means off. every is the schedule's period (the
// interval between its next two runs), which the cluster's job lock needs.
func parseSchedule(spec string) (cron.Schedule, time.Duration, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" || strings.EqualFold(spec, "off") {
		return nil, 0, nil
	}
	if d, err := time.ParseDuration(spec); err == nil {
		if d < time.Second {
			return nil, 0, fmt.Errorf("%q: at least 1s", spec)
		}
		spec = "@every " + d.String()
	}
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, 0, fmt.Errorf("%q is not a cron spec, duration or off: %w", spec, err)
	}
	n1 := s.Next(time.Now())
	return s, s.Next(n1).Sub(n1), nil
}

// JobLock makes a periodic job run on one hub node at a time: the returned func runs fn unless
// another node holds the job (or ran it less than a period ago). *cluster.Node implements it with a
// PostgreSQL advisory lock (and just runs the job on SQLite).
type JobLock interface {
	Job(name string, every time.Duration, fn func(ctx context.Context)) func()
}

// localJobs is the JobLock of a hub without a cluster node: every job runs in place.
type localJobs struct{ ctx context.Context }

// Job runs fn in place, every time.
func (l localJobs) Job(_ string, _ time.Duration, fn func(ctx context.Context)) func() {
	return func() { fn(l.ctx) }
}

// jobMetrics counts the maintenance jobs' runs on the hub's registry.
type jobMetrics struct {
	runs       *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	lastOK     *prometheus.GaugeVec
	items      *prometheus.CounterVec
	mismatches *prometheus.GaugeVec
}

func newJobMetrics(reg prometheus.Registerer) (*jobMetrics, error) {
	m := &jobMetrics{
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hub_job_runs_total",
			Help: "Maintenance job runs on this node, by job and result (ok, error, panic)."}, []string{"job", "result"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "hub_job_duration_seconds",
			Help: "Duration of maintenance job runs.", Buckets: prometheus.ExponentialBuckets(0.01, 4, 10)}, []string{"job"}),
		lastOK: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "hub_job_last_success_timestamp_seconds",
			Help: "Unix time of the last successful run of a maintenance job on this node."}, []string{"job"}),
		items: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hub_job_items_total",
			Help: "What maintenance jobs did, by job and item (e.g. tariffs_put, cdrs_redelivered, frames_pruned)."}, []string{"job", "item"}),
		mismatches: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "hub_cdr_reconciliation_mismatches",
			Help: "CDR delivery mismatches found by the last CDR sync on this node, by kind."}, []string{"kind"}),
	}
	for _, c := range []prometheus.Collector{m.runs, m.duration, m.lastOK, m.items, m.mismatches} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register job metrics: %w", err)
		}
	}
	for _, k := range []string{roaming.MismatchNotSent, roaming.MismatchFailed, roaming.MismatchPending, roaming.MismatchChanged,
		roaming.MismatchNoLocation} {
		m.mismatches.WithLabelValues(k)
	}
	return m, nil
}

// jobStats is what a job run did, for its log line and hub_job_items_total.
type jobStats map[string]int64

// jobFunc is one run of a job.
type jobFunc func(ctx context.Context) (jobStats, error)

// scheduleJob adds a job to c, run through lock, logged and counted: every run logs one line
// ("cron job ran" with its stats, or "cron job failed") and updates the job metrics; a panic is
// counted and passed on to cron.Recover.
func scheduleJob(c *cron.Cron, lock JobLock, m *jobMetrics, log *slog.Logger, name, spec string, fn jobFunc) error {
	sched, every, err := parseSchedule(spec)
	if err != nil {
		return fmt.Errorf("job %s: %w", name, err)
	}
	if sched == nil {
		log.Info("cron job off", "job", name)
		return nil
	}
	run := func(ctx context.Context) {
		start := time.Now()
		defer func() {
			m.duration.WithLabelValues(name).Observe(time.Since(start).Seconds())
			if p := recover(); p != nil {
				m.runs.WithLabelValues(name, "panic").Inc()
				panic(p)
			}
		}()
		stats, err := fn(ctx)
		attrs := []any{"job", name, "duration_ms", time.Since(start).Milliseconds()}
		for _, k := range slices.Sorted(maps.Keys(stats)) {
			attrs = append(attrs, k, stats[k])
			if stats[k] > 0 {
				m.items.WithLabelValues(name, k).Add(float64(stats[k]))
			}
		}
		if err != nil {
			m.runs.WithLabelValues(name, "error").Inc()
			log.Error("cron job failed", append(attrs, "err", err)...)
			return
		}
		m.runs.WithLabelValues(name, "ok").Inc()
		m.lastOK.WithLabelValues(name).SetToCurrentTime()
		log.Info("cron job ran", attrs...)
	}
	c.Schedule(sched, cron.FuncJob(lock.Job(name, every, run)))
	log.Debug("cron job scheduled", "job", name, "schedule", spec, "period", every.String())
	return nil
}

// startBilling mounts the tariff and finance admin API (/api/v1/tariffs, /api/v1/cdrs,
// /api/v1/settlement) and schedules the maintenance jobs on the OCPI cron rt.cron (wrapped with
// cron.Recover), each through the cluster's job lock so that it runs on one node at a time:
//
//   - tariff_sync: every Tariffs Receiver holds the current tariffs (roaming.Service.SyncTariffs);
//   - cdr_sync: CDR deliveries reconciled, recorded, re-sent (roaming.Service.SyncCDRs);
//   - housekeeping: stale PENDING sessions expired, transactions of long-offline stations closed
//     with their CDR, the OCPP frame audit log pruned.
//
// ctx ends the jobs' work when the hub stops.
func (h *hub) startBilling(ctx context.Context, rt *ocpiRuntime) error {
	admin.NewBilling(rt.svc, h.cfg.AdminToken, h.log).Mount(h.echo)
	m, err := newJobMetrics(h.metrics.Registry())
	if err != nil {
		return err
	}
	var lock JobLock = localJobs{ctx: ctx}
	if h.cluster != nil {
		lock = h.cluster
	}
	log, cfg, svc := h.log.With("part", "jobs"), h.cfg.Jobs, rt.svc
	err = scheduleJob(rt.cron, lock, m, log, "tariff_sync", cfg.TariffSync, func(ctx context.Context) (jobStats, error) {
		r, err := svc.SyncTariffs(ctx, roaming.TariffSyncOptions{Refresh: cfg.TariffRefresh})
		return jobStats{"partners": int64(r.Partners), "tariffs_put": int64(r.Put), "tariffs_deleted": int64(r.Deleted),
			"tariffs_retried": int64(r.Retried), "tariffs_refreshed": int64(r.Refreshed), "tariffs_recorded": int64(r.Recorded)}, err
	})
	if err != nil {
		return err
	}
	err = scheduleJob(rt.cron, lock, m, log, "cdr_sync", cfg.CDRSync, func(ctx context.Context) (jobStats, error) {
		r, err := svc.SyncCDRs(ctx, roaming.CDRSyncOptions{Window: cfg.CDRSyncWindow, RedeliverAfter: cfg.CDRRedeliverAfter})
		st := jobStats{}
		for _, p := range r.Partners {
			st["cdrs_issued"] += int64(p.Issued)
			st["cdrs_acknowledged"] += int64(p.Acknowledged)
			st["cdrs_resent"] += int64(p.Resent)
			st["cdrs_redelivered"] += int64(p.Redelivered)
		}
		if err == nil {
			for _, k := range []string{roaming.MismatchNotSent, roaming.MismatchFailed, roaming.MismatchPending,
				roaming.MismatchChanged, roaming.MismatchNoLocation} {
				m.mismatches.WithLabelValues(k).Set(float64(r.Counts[k]))
				st["mismatches_"+k] = int64(r.Counts[k])
			}
			for _, mm := range r.Mismatches {
				if mm.Kind != roaming.MismatchPending && mm.Kind != roaming.MismatchNoLocation {
					log.Warn("CDR delivery mismatch", "cdr", mm.CDRID, "partner", mm.PartnerID, "kind", mm.Kind, "detail", mm.Detail)
				}
			}
		}
		return st, err
	})
	if err != nil {
		return err
	}
	return scheduleJob(rt.cron, lock, m, log, "housekeeping", cfg.Housekeeping, func(ctx context.Context) (jobStats, error) {
		expired, err1 := svc.ExpirePendingSessions(ctx, cfg.PendingSessionTTL, 0)
		closed, err2 := h.svc.CloseAbandoned(ctx, cfg.AbandonAfter)
		pruned, err3 := framelog.Prune(ctx, h.db, time.Now().UTC(), h.cfg.FrameRetention)
		return jobStats{"sessions_expired": int64(expired), "transactions_closed": int64(len(closed)), "frames_pruned": pruned},
			errors.Join(err1, err2, err3)
	})
}
