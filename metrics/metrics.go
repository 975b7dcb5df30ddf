// Package metrics defines the hub's Prometheus metrics on a registry of its own and adapts
// them to the observer interfaces of the transport and the store.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/chargehub/hub/charging"
)

// Metrics holds every hub metric. Its methods satisfy ocpp.Observer.
type Metrics struct {
	reg        *prometheus.Registry
	connected  *prometheus.GaugeVec
	messages   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	leniencies *prometheus.CounterVec
	badFrames  prometheus.Counter
	dbErrors   prometheus.Counter
	framesLost prometheus.Counter
	clockSkew  prometheus.Histogram
	gcBatch    prometheus.Histogram
	gcDuration prometheus.Histogram
	ckptTime   prometheus.Histogram
	walFrames  *prometheus.GaugeVec
	deferred   prometheus.Counter
	batchSize  *prometheus.HistogramVec
	batchRetry *prometheus.CounterVec
}

// New registers the metrics on a fresh registry (plus Go and process collectors).
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		connected: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "hub_ocpp_connected_stations", Help: "Stations with an open OCPP WebSocket on this node.",
		}, []string{"protocol"}),
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hub_ocpp_messages_total",
			Help: "OCPP CALLs handled: direction in (from stations) or out (to stations), by action and result.",
		}, []string{"direction", "action", "result"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "hub_ocpp_call_duration_seconds",
			Help:    "Time from a CALL to its answer: in = hub handling time, out = station round trip.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"direction", "action"}),
		leniencies: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hub_ocpp_leniencies_total", Help: "Schema deviations accepted and normalised, by action and flag.",
		}, []string{"action", "flag"}),
		badFrames: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "hub_ocpp_bad_frames_total", Help: "Frames that could not be decoded.",
		}),
		dbErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "hub_db_errors_total", Help: "Database statements that failed (not-found excluded).",
		}),
		clockSkew: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "hub_station_clock_offset_seconds",
			Help:    "Absolute clock offset of stations (hub time minus station time), measured from live status notifications.",
			Buckets: []float64{0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600, 86400},
		}),
		gcBatch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "hub_db_group_commit_batch_size",
			Help:    "SQLite: database transactions (InTx calls) committed together in one group commit.",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64},
		}),
		gcDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "hub_db_group_commit_duration_seconds",
			Help:    "SQLite: time one group commit took, from BEGIN to COMMIT.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .02, .05, .1, .25, .5, 1},
		}),
		ckptTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "hub_db_checkpoint_duration_seconds",
			Help:    "SQLite: time one background checkpoint (WAL into the database file) took.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}),
		walFrames: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "hub_db_wal_frames",
			Help: "SQLite: pages in the write-ahead log after the last background checkpoint, in all (state=\"total\") and not yet in the database file (state=\"pending\"); a growing pending count means checkpoints cannot keep up or long reads block them.",
		}, []string{"state"}),
		deferred: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "hub_ocpp_connects_deferred_total",
			Help: "WebSocket upgrades refused with 503 and a Retry-After because too many stations were connecting at once.",
		}),
		framesLost: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "hub_audit_frames_dropped_total", Help: "Audit log frames dropped because the writer was saturated.",
		}),
		batchSize: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "hub_charging_batch_size",
			Help:    "Messages stored in one database transaction by kind (meter_values; tx_events: OCPP 2.0.1 Updated events, on PostgreSQL): sizes near 128 mean the batch workers are the limit.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 8),
		}, []string{"kind"}),
		batchRetry: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hub_charging_batch_retries_total",
			Help: "Batches whose shared transaction failed, so that each of their messages was stored again alone, by kind.",
		}, []string{"kind"}),
	}
	m.reg.MustRegister(m.connected, m.messages, m.latency, m.leniencies, m.badFrames, m.dbErrors, m.framesLost, m.clockSkew,
		m.gcBatch, m.gcDuration, m.ckptTime, m.walFrames, m.deferred, m.batchSize, m.batchRetry,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, p := range []charging.Protocol{charging.OCPP16, charging.OCPP201} {
		m.connected.WithLabelValues(string(p)) // export 0 before the first station connects
	}
	for _, k := range []string{charging.BatchMeterValues, charging.BatchTxEvents} {
		m.batchSize.WithLabelValues(k)
		m.batchRetry.WithLabelValues(k)
	}
	return m
}

// Registry exposes the registry for further metrics.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Connected moves the connected-stations gauge.
func (m *Metrics) Connected(p charging.Protocol, delta int) {
	m.connected.WithLabelValues(string(p)).Add(float64(delta))
}

// Message counts a handled CALL.
func (m *Metrics) Message(dir, action, result string) {
	m.messages.WithLabelValues(dir, action, result).Inc()
}

// Latency observes a CALL's duration.
func (m *Metrics) Latency(dir, action string, d time.Duration) {
	m.latency.WithLabelValues(dir, action).Observe(d.Seconds())
}

// Leniency counts an accepted schema deviation.
func (m *Metrics) Leniency(action, flag string) { m.leniencies.WithLabelValues(action, flag).Inc() }

// ConnectDeferred counts an upgrade refused by connect admission.
func (m *Metrics) ConnectDeferred() { m.deferred.Inc() }

// BadFrame counts an undecodable frame.
func (m *Metrics) BadFrame() { m.badFrames.Inc() }

// DBError counts a failed database statement.
func (m *Metrics) DBError() { m.dbErrors.Inc() }

// FrameDropped counts an audit frame the writer could not keep up with.
func (m *Metrics) FrameDropped() { m.framesLost.Inc() }

// ClockOffset observes a station's measured clock offset (charging.Observer).
func (m *Metrics) ClockOffset(d time.Duration) {
	if d < 0 {
		d = -d
	}
	m.clockSkew.Observe(d.Seconds())
}

// Batch observes one batch of messages stored together (charging.Observer); retried: its
// shared transaction failed and each message was stored alone.
func (m *Metrics) Batch(kind string, size int, retried bool) {
	m.batchSize.WithLabelValues(kind).Observe(float64(size))
	if retried {
		m.batchRetry.WithLabelValues(kind).Inc()
	}
}

// Checkpoint observes one SQLite background checkpoint (store.Options.OnCheckpoint).
func (m *Metrics) Checkpoint(walFrames, copied int, d time.Duration) {
	m.ckptTime.Observe(d.Seconds())
	m.walFrames.WithLabelValues("total").Set(float64(walFrames))
	m.walFrames.WithLabelValues("pending").Set(float64(walFrames - copied))
}

// GroupCommit observes one SQLite group commit: how many transactions it held and how long
// it took (store.Options.OnGroupCommit).
func (m *Metrics) GroupCommit(n int, d time.Duration) {
	m.gcBatch.Observe(float64(n))
	m.gcDuration.Observe(d.Seconds())
}

// SessionRefresh exports the deferred OCPI Session republication after MeterValues: how many
// sessions wait for it, and the running counts of MeterValues that joined a republication
// already due and of republications that failed (bridge.Publisher.SessionRefreshStats).
func (m *Metrics) SessionRefresh(pending func() int, coalesced, failed func() uint64) {
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "hub_ocpi_session_refresh_pending",
			Help: "OCPI Sessions waiting to be republished after MeterValues (or being republished).",
		}, func() float64 { return float64(pending()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "hub_ocpi_session_refresh_coalesced_total",
			Help: "MeterValues whose Session republication joined one already due for the same session.",
		}, func() float64 { return float64(coalesced()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "hub_ocpi_session_refresh_failed_total",
			Help: "Session republications after MeterValues that failed (logged; the next MeterValues or the stop retries).",
		}, func() float64 { return float64(failed()) }),
	)
}
