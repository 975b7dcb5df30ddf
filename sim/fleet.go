package sim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	v16 "github.com/chargehub/hub/ocpp/v16"
)

// Config shapes a simulated fleet for Run.
type Config struct {
	URL      string // hub OCPP base, e.g. ws://127.0.0.1:8080/ocpp
	Count    int    // number of chargers, ≥ 1
	Protocol string // "ocpp1.6" ("" too), "ocpp2.0.1", or "mixed": odd stations 1.6, even ones 2.0.1
	Sessions int    // sessions per charger, run one after another
	// IDPrefix names the stations: "SIM" (default) gives SIM00001, SIM00002, ...
	IDPrefix string
	// TagPrefix names the id tags, one per charger: "SIMTAG" (default) gives SIMTAG00001;
	// a tag must fit in 20 characters (36 in a 2.0.1-only fleet, where it is an ISO14443
	// idToken).
	TagPrefix         string
	Password          string        // HTTP Basic password of every station ("" = none)
	Connectors        int           // connectors per charger, EVSEs on a 2.0.1 one (default 1)
	MeterValues       int           // MeterValues per session (default 3)
	MeterInterval     time.Duration // between meter values (default 1 s)
	HeartbeatInterval time.Duration // 0 = the interval of the BootNotification answer
	// Hold keeps each charger connected (heartbeating) this long after its sessions;
	// 0 disconnects as soon as they are done.
	Hold time.Duration
	// HoldTogether starts the hold only once every charger has finished its sessions
	// (chargers heartbeat while they wait), so the whole fleet is connected at once.
	HoldTogether bool
	// RampUp spreads the dials evenly over this window.
	RampUp time.Duration
	// MaxDialing bounds dials in flight (default 200).
	MaxDialing int
	// CallTimeout bounds each CALL (default 30 s).
	CallTimeout time.Duration
}

// Report is the outcome of Run. Messages counts OCPP CALLs in either direction (a CALL
// and its answer count once); latencies are of the simulator's own CALL round trips.
type Report struct {
	Stations   int `json:"stations"`
	Connected  int `json:"connected"`
	DialErrors int `json:"dial_errors"`
	// DialRetries counts upgrades the hub refused with 503 (connect admission) that were
	// retried after its Retry-After, as chargers reconnect.
	DialRetries       int           `json:"dial_retries"`
	Booted            int           `json:"booted"`
	Accepted          int           `json:"accepted"`
	SessionsStarted   int           `json:"sessions_started"`
	SessionsCompleted int           `json:"sessions_completed"`
	EnergyWh          int           `json:"energy_wh"`
	Messages          int           `json:"messages"`
	CallErrors        int           `json:"call_errors"`
	SchemaErrors      int           `json:"schema_errors"`
	Timeouts          int           `json:"timeouts"`
	Disconnects       int           `json:"disconnects"` // sockets the hub closed or lost before the charger was done
	LatencyP50        time.Duration `json:"latency_p50_ns"`
	LatencyP99        time.Duration `json:"latency_p99_ns"`
	LatencyMax        time.Duration `json:"latency_max_ns"`
	Elapsed           time.Duration `json:"elapsed_ns"`
	Active            time.Duration `json:"active_ns"`           // first CALL to last answer
	MessagesPerSecond float64       `json:"messages_per_second"` // Messages / Active
	CommandsAnswered  int           `json:"commands_answered"`   // CALLs of the hub the chargers answered
	Errors            []string      `json:"errors,omitempty"`    // up to ten distinct examples
	// Actions breaks the latency down per action of the simulator's CALLs.
	Actions map[string]ActionLatency `json:"actions,omitempty"`
	// Protocols breaks the whole report down per OCPP version of the fleet ("ocpp1.6",
	// "ocpp2.0.1"), one entry per version in use; their Protocols are empty.
	Protocols map[string]Report `json:"protocols,omitempty"`
}

// ActionLatency is the round-trip latency of one action.
type ActionLatency struct {
	Count int           `json:"count"`
	P50   time.Duration `json:"p50_ns"`
	P99   time.Duration `json:"p99_ns"`
	Max   time.Duration `json:"max_ns"`
}

// String is a multi-line human summary.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "stations:        %d (connected %d, dial errors %d, dials retried after 503 %d)\n", r.Stations, r.Connected,
		r.DialErrors, r.DialRetries)
	fmt.Fprintf(&b, "boot:            %d answered, %d accepted\n", r.Booted, r.Accepted)
	fmt.Fprintf(&b, "sessions:        %d started, %d completed, %.3f kWh\n", r.SessionsStarted, r.SessionsCompleted, float64(r.EnergyWh)/1000)
	fmt.Fprintf(&b, "messages:        %d in %s of traffic (%.1f/s), %d hub commands answered; elapsed %s\n",
		r.Messages, r.Active.Round(time.Millisecond), r.MessagesPerSecond, r.CommandsAnswered, r.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(&b, "latency:         p50 %s, p99 %s, max %s\n", fmtLatency(r.LatencyP50), fmtLatency(r.LatencyP99), fmtLatency(r.LatencyMax))
	names := make([]string, 0, len(r.Actions))
	for name := range r.Actions {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		a := r.Actions[name]
		fmt.Fprintf(&b, "  %-29s %7d  p50 %s, p99 %s, max %s\n", name, a.Count, fmtLatency(a.P50), fmtLatency(a.P99), fmtLatency(a.Max))
	}
	fmt.Fprintf(&b, "errors:          %d CALLERROR, %d schema, %d timeouts, %d disconnects\n", r.CallErrors, r.SchemaErrors, r.Timeouts, r.Disconnects)
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "  e.g. %s\n", e)
	}
	if len(r.Protocols) > 0 {
		fmt.Fprintf(&b, "by protocol:     (errors: CALLERROR/schema/timeouts/disconnects)\n")
		r.protocolLines(&b)
	}
	return b.String()
}

func fmtLatency(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.String()
}

func (cfg *Config) fill() error {
	switch cfg.Protocol {
	case "":
		cfg.Protocol = ProtocolOCPP16
	case ProtocolOCPP16, ProtocolOCPP201, ProtocolMixed:
	default:
		return fmt.Errorf("protocol %q is not supported (supported: %s, %s, %s)", cfg.Protocol, ProtocolOCPP16, ProtocolOCPP201, ProtocolMixed)
	}
	if cfg.URL == "" {
		return errors.New("the hub URL is empty")
	}
	if !strings.HasPrefix(cfg.URL, "ws://") && !strings.HasPrefix(cfg.URL, "wss://") {
		return fmt.Errorf("URL %q must start with ws:// or wss://", cfg.URL)
	}
	if cfg.Count < 1 {
		return fmt.Errorf("count must be at least 1, got %d", cfg.Count)
	}
	if cfg.Sessions < 0 || cfg.Connectors < 0 || cfg.MeterValues < 0 || cfg.MeterInterval < 0 ||
		cfg.HeartbeatInterval < 0 || cfg.Hold < 0 || cfg.RampUp < 0 {
		return errors.New("sessions, connectors, meter values and durations must not be negative")
	}
	if cfg.IDPrefix == "" {
		cfg.IDPrefix = "SIM"
	}
	if cfg.TagPrefix == "" {
		cfg.TagPrefix = "SIMTAG"
	}
	if cfg.Connectors == 0 {
		cfg.Connectors = 1
	}
	if cfg.MeterValues == 0 {
		cfg.MeterValues = 3
	}
	if cfg.MeterInterval == 0 {
		cfg.MeterInterval = time.Second
	}
	if cfg.MaxDialing <= 0 {
		cfg.MaxDialing = 200
	}
	tag := TagName(cfg.TagPrefix, cfg.Count)
	if limit, version := cfg.tagLimit(); len([]rune(tag)) > limit {
		return fmt.Errorf("id tag %s has %d characters, %s allows %d: shorten the tag prefix", tag, len([]rune(tag)), version, limit)
	}
	return nil
}

// StationName returns the id of the i-th charger (1-based): prefix + five-digit number.
func StationName(prefix string, i int) string { return fmt.Sprintf("%s%05d", prefix, i) }

// TagName returns the id tag of the i-th charger (1-based): prefix + five-digit number.
func TagName(prefix string, i int) string { return fmt.Sprintf("%s%05d", prefix, i) }

// Run simulates cfg.Count chargers against the hub: each dials (at most MaxDialing at a
// time, spread over RampUp) with its protocol (cfg.Protocol; "mixed" alternates 1.6 and
// 2.0.1), boots, reports every connector (1.6: 0..Connectors; 2.0.1: EVSE 1..Connectors) Available,
// heartbeats, runs cfg.Sessions sessions one after another (connectors in turn, its own
// id tag), optionally waits for the whole fleet (HoldTogether), stays connected for Hold
// and disconnects with close code 1000. When ctx ends
// every charger stops and disconnects. The error is non-nil for a bad Config or when no
// charger could connect; the Report is filled in either case.
func Run(ctx context.Context, cfg Config, log *slog.Logger) (Report, error) {
	if log == nil {
		log = discardLogger
	}
	if err := cfg.fill(); err != nil {
		return Report{}, fmt.Errorf("sim: %w", err)
	}
	start := time.Now()
	fl := &fleet{cfg: cfg, stats: make(map[string]*Stats), log: log, allDone: make(chan struct{})}
	for _, p := range cfg.protocols() {
		fl.stats[p] = NewStats()
	}
	fl.remaining.Store(int64(cfg.Count))
	dialing := make(chan struct{}, cfg.MaxDialing)
	fl.dialing = dialing
	var wg sync.WaitGroup
	var firstDialErr error
	var errOnce sync.Once
	log.Info("simulating chargers", "count", cfg.Count, "url", cfg.URL, "protocol", cfg.Protocol, "sessions", cfg.Sessions)
	i := 1
spawn:
	for ; i <= cfg.Count; i++ {
		if cfg.RampUp > 0 && cfg.Count > 1 {
			at := start.Add(cfg.RampUp * time.Duration(i-1) / time.Duration(cfg.Count-1))
			if d := time.Until(at); d > 0 && !pause(ctx, d) {
				break spawn
			}
		}
		select {
		case dialing <- struct{}{}:
		case <-ctx.Done():
			break spawn
		}
		fl.statsFor(cfg.protocolOf(i)).stations.Add(1)
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			err := fl.runCharger(ctx, i)
			if err != nil {
				errOnce.Do(func() { firstDialErr = err })
			}
		}(i)
	}
	for ; i <= cfg.Count; i++ { // never started
		fl.finished()
	}
	wg.Wait()
	r := fl.report(time.Since(start))
	if r.Connected == 0 {
		if firstDialErr != nil {
			return r, fmt.Errorf("no charger could connect: %w", firstDialErr)
		}
		return r, errors.New("no charger could connect")
	}
	return r, nil
}

// fleet is the shared state of one Run.
type fleet struct {
	cfg       Config
	stats     map[string]*Stats // per protocol; read-only once Run has started the chargers
	log       *slog.Logger
	dialing   chan struct{} // bounds dials in flight
	remaining atomic.Int64  // chargers that have not finished their sessions
	allDone   chan struct{} // closed when remaining reaches 0
}

// finished notes that one charger is through its sessions (or gave up).
func (fl *fleet) finished() {
	if fl.remaining.Add(-1) == 0 {
		close(fl.allDone)
	}
}

// runCharger is the life of the i-th charger; it returns the dial error, if any.
// It releases one slot of dialing once the dial is over.
func (fl *fleet) runCharger(ctx context.Context, i int) error {
	cfg, log, dialing := fl.cfg, fl.log, fl.dialing
	proto := cfg.protocolOf(i)
	stats := fl.statsFor(proto)
	var once sync.Once
	defer once.Do(fl.finished)
	id := StationName(cfg.IDPrefix, i)
	var c *Charger
	var err error
dial:
	for {
		c, err = Dial(ctx, DialOptions{
			URL:                cfg.URL,
			ID:                 id,
			Password:           cfg.Password,
			Protocol:           proto,
			Connectors:         cfg.Connectors,
			CallTimeout:        cfg.CallTimeout,
			SessionMeterValues: cfg.MeterValues,
			SessionInterval:    cfg.MeterInterval,
			Stats:              stats,
			Logger:             log,
		})
		<-dialing
		var he *HandshakeError
		if err == nil || !errors.As(err, &he) || he.StatusCode != http.StatusServiceUnavailable || ctx.Err() != nil {
			break
		}
		// the hub defers the connect (admission): come back after its Retry-After, as a charger does
		stats.dialRetries.Add(1)
		wait := he.RetryAfter
		if wait < 0 {
			wait = 10 * time.Second
		}
		if !pause(ctx, wait) {
			break
		}
		select {
		case dialing <- struct{}{}:
		case <-ctx.Done():
			break dial
		}
	}
	if err != nil {
		if ctx.Err() == nil {
			stats.dialErrors.Add(1)
			stats.noteError(err)
			log.Debug("dial failed", "station", id, "err", err)
		}
		return err
	}
	stats.connected.Add(1)
	defer c.Close()
	finished := false
	defer func() {
		select {
		case <-c.Done():
			if !finished && ctx.Err() == nil {
				stats.disconnects.Add(1)
				stats.noteError(fmt.Errorf("%s: socket closed by the hub (code %d)", id, c.CloseCode()))
			}
		default:
		}
	}()

	interval, err := bootAny(ctx, c, stats)
	if err != nil {
		return nil
	}
	hb := cfg.HeartbeatInterval
	if hb == 0 {
		hb = time.Duration(interval) * time.Second
	}
	c.SetHeartbeatInterval(hb)
	if c.reportAvailable(ctx) != nil {
		return nil
	}
	if _, err := c.Heartbeat(ctx); err != nil && !isTransient(err) {
		return nil
	}
	tag := TagName(cfg.TagPrefix, i)
	for k := 0; k < cfg.Sessions; k++ {
		res := c.RunSession(ctx, k%cfg.Connectors+1, tag, cfg.MeterValues, cfg.MeterInterval)
		for _, e := range res.Errors {
			stats.noteError(fmt.Errorf("%s session %d: %w", id, k+1, e))
		}
		if ctx.Err() != nil || isClosed(c) {
			return nil
		}
	}
	once.Do(fl.finished)
	if cfg.HoldTogether {
		if c.sleep(ctx, 1<<62, fl.allDone) != nil {
			return nil
		}
	}
	if cfg.Hold > 0 {
		if c.Idle(ctx, cfg.Hold) != nil {
			return nil
		}
	}
	finished = true
	return nil
}

// bootUntilAccepted sends BootNotification until the hub accepts it: a Pending or
// Rejected answer is retried after its interval (between 1 s and 60 s), three times at
// most. It counts Booted and Accepted once per charger.
func bootUntilAccepted(ctx context.Context, c *Charger, stats *Stats) (v16.BootNotificationResponse, error) {
	answered := false
	for attempt := 1; ; attempt++ {
		boot, err := c.Boot(ctx)
		if err != nil {
			return boot, err
		}
		if !answered {
			answered = true
			stats.booted.Add(1)
		}
		if boot.Status == v16.RegistrationStatusAccepted {
			stats.accepted.Add(1)
			return boot, nil
		}
		if attempt == 3 {
			err := fmt.Errorf("%s: BootNotification %s %d times", c.ID(), boot.Status, attempt)
			stats.noteError(err)
			return boot, err
		}
		wait := min(max(time.Duration(boot.Interval)*time.Second, time.Second), time.Minute)
		if !pause(ctx, wait) {
			return boot, ctx.Err()
		}
	}
}

func isClosed(c *Charger) bool {
	select {
	case <-c.Done():
		return true
	default:
		return false
	}
}
