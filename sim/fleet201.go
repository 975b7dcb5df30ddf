package sim

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	v16 "github.com/chargehub/hub/ocpp/v16"
	v201 "github.com/chargehub/hub/ocpp/v201"
)

// Fleets of several OCPP versions: which charger speaks which, per-protocol counters and
// the protocol-neutral steps of a charger's life (boot, first status notifications).

// ProtocolMixed is the Config.Protocol of a fleet alternating 1.6 (odd stations) and
// 2.0.1 (even stations).
const ProtocolMixed = "mixed"

// protocols lists the protocols of a fleet, in report order.
func (cfg *Config) protocols() []string {
	switch cfg.Protocol {
	case ProtocolMixed:
		return []string{ProtocolOCPP16, ProtocolOCPP201}
	case ProtocolOCPP201:
		return []string{ProtocolOCPP201}
	}
	return []string{ProtocolOCPP16}
}

// protocolOf returns the protocol of the i-th charger (1-based).
func (cfg *Config) protocolOf(i int) string {
	if cfg.Protocol == ProtocolMixed {
		if i%2 == 1 {
			return ProtocolOCPP16
		}
		return ProtocolOCPP201
	}
	return cfg.Protocol
}

// stationsOf returns how many of the fleet's chargers speak proto.
func (cfg *Config) stationsOf(proto string) int {
	switch {
	case cfg.Protocol != ProtocolMixed:
		if proto == cfg.Protocol {
			return cfg.Count
		}
		return 0
	case proto == ProtocolOCPP16:
		return (cfg.Count + 1) / 2
	case proto == ProtocolOCPP201:
		return cfg.Count / 2
	}
	return 0
}

// tagLimit is the longest id tag every protocol of the fleet accepts.
func (cfg *Config) tagLimit() (int, string) {
	if cfg.Protocol == ProtocolOCPP201 {
		return 36, "OCPP 2.0.1"
	}
	return 20, "OCPP 1.6"
}

// statsFor returns the counters of proto's chargers.
func (fl *fleet) statsFor(proto string) *Stats {
	if s, ok := fl.stats[proto]; ok {
		return s
	}
	return fl.stats[ProtocolOCPP16]
}

// report sums the protocols' counters and adds the per-protocol breakdown.
func (fl *fleet) report(elapsed time.Duration) Report {
	protos := fl.cfg.protocols()
	all := make([]*Stats, 0, len(protos))
	for _, p := range protos {
		all = append(all, fl.stats[p])
	}
	r := mergeStats(all...).Report(elapsed)
	r.Stations = fl.cfg.Count
	r.Protocols = make(map[string]Report, len(protos))
	for _, p := range protos {
		pr := fl.stats[p].Report(elapsed)
		pr.Stations = fl.cfg.stationsOf(p)
		r.Protocols[p] = pr
	}
	return r
}

// mergeStats returns new counters holding the sum of all: counters and histograms are
// added, the traffic span is the union, the example errors are taken in turn from each.
func mergeStats(all ...*Stats) *Stats {
	m := NewStats()
	counters := func(s *Stats) []*atomic.Int64 {
		return []*atomic.Int64{&s.stations, &s.connected, &s.dialErrors, &s.dialRetries, &s.booted, &s.accepted,
			&s.sessionsStarted, &s.sessionsCompleted, &s.energyWh, &s.messages, &s.callErrors,
			&s.schemaErrors, &s.timeouts, &s.commandsAnswered, &s.disconnects}
	}
	dst := counters(m)
	var examples [][]string
	for _, s := range all {
		for i, c := range counters(s) {
			dst[i].Add(c.Load())
		}
		m.hist.add(&s.hist)
		s.byAction.Range(func(k, v any) bool {
			h, _ := m.byAction.LoadOrStore(k, new(histogram))
			h.(*histogram).add(v.(*histogram))
			return true
		})
		if f := s.firstCall.Load(); f != 0 && (m.firstCall.Load() == 0 || f < m.firstCall.Load()) {
			m.firstCall.Store(f)
		}
		if l := s.lastAnswer.Load(); l > m.lastAnswer.Load() {
			m.lastAnswer.Store(l)
		}
		examples = append(examples, s.Errors())
	}
	for i := 0; i < maxErrorSamples; i++ {
		for _, e := range examples {
			if i < len(e) {
				m.noteError(errors.New(e[i]))
			}
		}
	}
	return m
}

// add adds o's observations to h.
func (h *histogram) add(o *histogram) {
	for i := range o.counts {
		if n := o.counts[i].Load(); n != 0 {
			h.counts[i].Add(n)
		}
	}
	for om := o.max.Load(); ; {
		m := h.max.Load()
		if om <= m || h.max.CompareAndSwap(m, om) {
			return
		}
	}
}

// protocolLines is the per-protocol part of Report.String.
func (r Report) protocolLines(b *strings.Builder) {
	names := make([]string, 0, len(r.Protocols))
	for name := range r.Protocols {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := r.Protocols[name]
		fmt.Fprintf(b, "  %-10s %d stations (%d connected), %d/%d sessions completed, %.3f kWh, %d messages, p50 %s, p99 %s, max %s; errors %d/%d/%d/%d\n",
			name+":", p.Stations, p.Connected, p.SessionsCompleted, p.SessionsStarted, float64(p.EnergyWh)/1000, p.Messages,
			fmtLatency(p.LatencyP50), fmtLatency(p.LatencyP99), fmtLatency(p.LatencyMax),
			p.CallErrors, p.SchemaErrors, p.Timeouts, p.Disconnects)
	}
}

// bootAny boots c until accepted in its protocol and returns the heartbeat interval the
// hub gave, in seconds.
func bootAny(ctx context.Context, c *Charger, stats *Stats) (int, error) {
	if c.v2 != nil {
		return boot201UntilAccepted(ctx, c, stats)
	}
	boot, err := bootUntilAccepted(ctx, c, stats)
	return boot.Interval, err
}

// reportAvailable sends the first status notifications after boot: 1.6 connectors 0..N
// Available, 2.0.1 EVSEs 1..N (connector 1) Available. Only non-transient errors return.
func (c *Charger) reportAvailable(ctx context.Context) error {
	n := c.opts.Connectors
	for i := 0; i <= n; i++ {
		var err error
		switch {
		case c.v2 == nil:
			err = c.Status(ctx, i, v16.ChargePointStatusAvailable)
		case i >= 1:
			err = c.Status201(ctx, i, 1, v201.ConnectorStatusAvailable)
		}
		if err != nil && !isTransient(err) {
			return err
		}
	}
	return nil
}
