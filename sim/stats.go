package sim

import (
	"math/bits"
	"sync"
	"sync/atomic"
	"time"
)

// Stats gathers the counters and the latency histogram of one or many chargers. All
// methods are safe for concurrent use; memory is constant (about 17 KiB) whatever the
// number of chargers or calls, so one Stats can serve a fleet of tens of thousands.
type Stats struct {
	stations, connected, dialErrors         atomic.Int64
	dialRetries                             atomic.Int64
	booted, accepted                        atomic.Int64
	sessionsStarted, sessionsCompleted      atomic.Int64
	energyWh                                atomic.Int64
	messages, callErrors, schemaErrors      atomic.Int64
	timeouts, commandsAnswered, disconnects atomic.Int64
	hist                                    histogram
	byAction                                sync.Map     // action → *histogram
	firstCall, lastAnswer                   atomic.Int64 // unix ns: the span traffic flowed

	mu     sync.Mutex
	errors []string // first maxErrorSamples distinct error texts
}

// maxErrorSamples bounds Stats' list of example errors.
const maxErrorSamples = 10

// NewStats returns empty counters.
func NewStats() *Stats { return &Stats{} }

// sent notes that a CALL is leaving now.
func (s *Stats) sent(now time.Time) {
	s.messages.Add(1)
	if s.firstCall.Load() == 0 {
		s.firstCall.CompareAndSwap(0, now.UnixNano())
	}
}

// answered records a round trip of action that ended at end.
func (s *Stats) answered(action string, start, end time.Time) {
	d := end.Sub(start)
	s.hist.observe(d)
	h, ok := s.byAction.Load(action)
	if !ok {
		h, _ = s.byAction.LoadOrStore(action, new(histogram))
	}
	h.(*histogram).observe(d)
	s.seen(end)
}

// seen moves the end of the traffic span to t.
func (s *Stats) seen(t time.Time) {
	ns := t.UnixNano()
	for {
		last := s.lastAnswer.Load()
		if ns <= last || s.lastAnswer.CompareAndSwap(last, ns) {
			return
		}
	}
}

// noteError keeps the text of err if it is new and there is room; nil is ignored.
func (s *Stats) noteError(err error) {
	if err == nil {
		return
	}
	msg := err.Error()
	if len(msg) > 300 {
		msg = msg[:300]
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.errors) >= maxErrorSamples {
		return
	}
	for _, e := range s.errors {
		if e == msg {
			return
		}
	}
	s.errors = append(s.errors, msg)
}

// Errors returns up to ten distinct error texts seen so far, in the order they occurred.
func (s *Stats) Errors() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.errors...)
}

// Report returns the counters as a Report with the given Elapsed. MessagesPerSecond is
// taken over Active, the span from the first CALL to the last answer (over elapsed when
// nothing was answered).
func (s *Stats) Report(elapsed time.Duration) Report {
	r := Report{
		Stations:          int(s.stations.Load()),
		Connected:         int(s.connected.Load()),
		DialErrors:        int(s.dialErrors.Load()),
		DialRetries:       int(s.dialRetries.Load()),
		Booted:            int(s.booted.Load()),
		Accepted:          int(s.accepted.Load()),
		SessionsStarted:   int(s.sessionsStarted.Load()),
		SessionsCompleted: int(s.sessionsCompleted.Load()),
		EnergyWh:          int(s.energyWh.Load()),
		Messages:          int(s.messages.Load()),
		CallErrors:        int(s.callErrors.Load()),
		SchemaErrors:      int(s.schemaErrors.Load()),
		Timeouts:          int(s.timeouts.Load()),
		Disconnects:       int(s.disconnects.Load()),
		CommandsAnswered:  int(s.commandsAnswered.Load()),
		LatencyP50:        s.hist.quantile(0.50),
		LatencyP99:        s.hist.quantile(0.99),
		LatencyMax:        time.Duration(s.hist.max.Load()) * time.Microsecond,
		Elapsed:           elapsed,
		Errors:            s.Errors(),
	}
	if first, last := s.firstCall.Load(), s.lastAnswer.Load(); first != 0 && last > first {
		r.Active = time.Duration(last - first)
	}
	if span := r.Active; span > 0 {
		r.MessagesPerSecond = float64(r.Messages) / span.Seconds()
	} else if elapsed > 0 {
		r.MessagesPerSecond = float64(r.Messages) / elapsed.Seconds()
	}
	s.byAction.Range(func(k, v any) bool {
		h := v.(*histogram)
		if r.Actions == nil {
			r.Actions = make(map[string]ActionLatency)
		}
		r.Actions[k.(string)] = ActionLatency{
			Count: int(h.count()),
			P50:   h.quantile(0.50),
			P99:   h.quantile(0.99),
			Max:   time.Duration(h.max.Load()) * time.Microsecond,
		}
		return true
	})
	return r
}

// histogram is a log-linear latency histogram in microseconds: exact below 32 µs, then
// 32 buckets per power of two (relative error under 3.2%). It never allocates after
// creation and is updated with atomics only.
type histogram struct {
	counts [histBuckets]atomic.Uint64
	max    atomic.Int64 // µs
}

const (
	histSub     = 32 // buckets per power of two; must be a power of two
	histSubBits = 5  // log2(histSub)
	histBuckets = 60 * histSub
)

// bucketOf maps a value in µs to its bucket index.
func bucketOf(v uint64) int {
	if v < histSub {
		return int(v)
	}
	shift := bits.Len64(v) - 1 - histSubBits
	idx := (shift+1)*histSub + int(v>>shift) - histSub
	if idx >= histBuckets {
		return histBuckets - 1
	}
	return idx
}

// bucketUpper returns the largest value (µs) that falls into bucket idx.
func bucketUpper(idx int) uint64 {
	if idx < histSub {
		return uint64(idx)
	}
	shift := idx/histSub - 1
	m := uint64(idx%histSub + histSub)
	return (m+1)<<shift - 1
}

// observe records one round trip.
func (h *histogram) observe(d time.Duration) {
	us := d.Microseconds()
	if us < 0 {
		us = 0
	}
	h.counts[bucketOf(uint64(us))].Add(1)
	for {
		m := h.max.Load()
		if us <= m || h.max.CompareAndSwap(m, us) {
			return
		}
	}
}

// count returns the number of observations.
func (h *histogram) count() uint64 {
	var n uint64
	for i := range h.counts {
		n += h.counts[i].Load()
	}
	return n
}

// quantile returns the upper bound of the bucket holding the q-quantile, capped at the
// maximum seen; 0 when nothing was observed.
func (h *histogram) quantile(q float64) time.Duration {
	total := h.count()
	if total == 0 {
		return 0
	}
	rank := uint64(q*float64(total) + 0.999999)
	if rank < 1 {
		rank = 1
	}
	var seen uint64
	for i := range h.counts {
		seen += h.counts[i].Load()
		if seen >= rank {
			v := int64(bucketUpper(i))
			if m := h.max.Load(); v > m {
				v = m
			}
			return time.Duration(v) * time.Microsecond
		}
	}
	return time.Duration(h.max.Load()) * time.Microsecond
}
