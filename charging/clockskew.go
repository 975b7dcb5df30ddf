package charging

import (
	"context"
	"sort"
	"sync"
	"time"
)

// clockSamples is how many live observations the offset estimate is the median of.
const clockSamples = 5

// clocks tracks each station's clock offset (hub time minus station time) from messages
// that are sent live (status notifications), never from queued history.
type clocks struct {
	mu sync.Mutex
	m  map[string]*clockState // guarded by mu
}

type clockState struct {
	obs     [clockSamples]time.Duration
	n       int // observations so far (capped use: ring index = n % clockSamples)
	offset  time.Duration
	saved   time.Duration // last offset written to the store
	savedAt time.Time
}

// observe records one observation and returns the current estimate (the median of the
// latest observations) and whether it should be persisted (changed by more than a second,
// at most once a minute).
func (c *clocks) observe(station string, d time.Duration, now time.Time) (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*clockState{}
	}
	st := c.m[station]
	if st == nil {
		st = &clockState{}
		c.m[station] = st
	}
	st.obs[st.n%clockSamples] = d
	st.n++
	k := min(st.n, clockSamples)
	sorted := append([]time.Duration(nil), st.obs[:k]...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	st.offset = sorted[k/2]
	diff := st.offset - st.saved
	if (diff > time.Second || diff < -time.Second) && now.Sub(st.savedAt) >= time.Minute {
		st.saved, st.savedAt = st.offset, now
		return st.offset, true
	}
	return st.offset, false
}

func (c *clocks) offset(station string) (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.m[station]
	if st == nil || st.n == 0 {
		return 0, false
	}
	return st.offset, true
}

// ObserveClock records a live station timestamp against the hub's receive time; the offset
// is exposed on the station (admin API) and to the observer (metrics).
func (s *Service) ObserveClock(ctx context.Context, stationID string, stationTime time.Time) {
	if stationTime.IsZero() {
		return
	}
	now := s.clock.Now()
	off, persist := s.clocks.observe(stationID, now.Sub(stationTime), now)
	s.obs.ClockOffset(off)
	if !persist {
		return
	}
	err := s.store.InTx(ctx, func(tx Store) error {
		st, err := tx.GetStation(ctx, stationID)
		if err != nil {
			return err
		}
		st.ClockOffset = &off
		return tx.UpdateStation(ctx, st)
	})
	if err != nil {
		s.log.Error("store station clock offset", "station", stationID, "err", err)
	}
	if off > s.cfg.ClockSkewTolerance || off < -s.cfg.ClockSkewTolerance {
		s.log.Warn("station clock is off; its timestamps are corrected", "station", stationID, "offset", off.String())
	}
}

// normalise corrects a sample's timestamp for the station's clock and normalises it.
func (s *Service) normalise(r RawSample, stationID string, evseID, connectorID int, now time.Time) MeterSample {
	ts, flags := s.stationTime(stationID, r.Timestamp, now)
	r.Timestamp = ts
	m := NormaliseSample(r, stationID, evseID, connectorID, now, s.cfg.MaxClockAhead)
	for _, f := range flags {
		if f == FlagSkewCorrected {
			m.Flags = append(m.Flags, f)
		}
	}
	return m
}

// Observer receives domain measurements for metrics.
type Observer interface {
	ClockOffset(d time.Duration)
	// Batch reports a batch of messages stored together (kind: BatchMeterValues or
	// BatchTxEvents); retried: the shared transaction failed and each was stored alone.
	Batch(kind string, size int, retried bool)
}

type nopObserver struct{}

func (nopObserver) ClockOffset(time.Duration) {}
func (nopObserver) Batch(string, int, bool)   {}

// SetObserver installs the metrics observer (before serving).
func (s *Service) SetObserver(o Observer) { s.obs = o }

// stationTime makes a station timestamp usable: an implausible one (before 2010, far in the
// future) becomes the receive time; one from a station whose clock is off by more than the
// configured tolerance is corrected by the offset. The flags say what was done.
func (s *Service) stationTime(stationID string, t, now time.Time) (time.Time, []string) {
	var flags []string
	if off, ok := s.clocks.offset(stationID); ok && s.cfg.ClockSkewTolerance > 0 &&
		(off > s.cfg.ClockSkewTolerance || off < -s.cfg.ClockSkewTolerance) && !t.IsZero() {
		t = t.Add(off)
		flags = append(flags, FlagSkewCorrected)
	}
	if fixed, bad := PlausibleTime(t, now, s.cfg.MaxClockAhead); bad {
		return fixed, append(flags, FlagTsInvalid)
	}
	return t.UTC(), flags
}
