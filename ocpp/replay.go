package ocpp

import (
	"hash/fnv"
	"sync"
	"time"
)

// replayCache remembers the last answers a station got to CALLs with side effects, so that
// a CALL resent with the same messageId (a station that did not see the answer) gets the
// same answer again instead of a second effect. It survives reconnects (it is keyed by
// station, not by socket) but not restarts: after a restart the domain's business keys
// (start key, stop values, seqNo) make resends harmless.
type replayCache struct {
	ttl     time.Duration
	perSta  int
	mu      sync.Mutex
	entries map[string]*replayRing // guarded by mu
	puts    int                    // guarded by mu; triggers a sweep every sweepEvery puts
}

const sweepEvery = 4096

type replayEntry struct {
	id, action string
	sum        uint64 // hash of the request payload: a reused id with another payload is not a resend
	answer     []byte
	at         time.Time
}

type replayRing struct {
	items []replayEntry
	next  int
}

func newReplayCache(ttl time.Duration, perStation int) *replayCache {
	return &replayCache{ttl: ttl, perSta: perStation, entries: map[string]*replayRing{}}
}

func payloadSum(b []byte) uint64 {
	h := fnv.New64a()
	_, _ = h.Write(b)
	return h.Sum64()
}

// get returns the remembered answer for (station, id, action, payload), if fresh.
func (c *replayCache) get(station, id, action string, sum uint64, now time.Time) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.entries[station]
	if r == nil {
		return nil, false
	}
	for i := range r.items {
		e := &r.items[i]
		if e.id == id && e.action == action && e.sum == sum && now.Sub(e.at) < c.ttl {
			return e.answer, true
		}
	}
	return nil, false
}

// put remembers an answer, evicting the station's oldest one when its ring is full.
func (c *replayCache) put(station, id, action string, sum uint64, answer []byte, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.entries[station]
	if r == nil {
		r = &replayRing{}
		c.entries[station] = r
	}
	c.puts++
	if c.puts%sweepEvery == 0 {
		c.sweepLocked(now)
	}
	e := replayEntry{id: id, action: action, sum: sum, answer: answer, at: now}
	if len(r.items) < c.perSta {
		r.items = append(r.items, e)
		return
	}
	r.items[r.next] = e
	r.next = (r.next + 1) % c.perSta
}

// sweepLocked drops stations whose newest answer is older than the TTL.
func (c *replayCache) sweepLocked(now time.Time) {
	for st, r := range c.entries {
		fresh := false
		for _, e := range r.items {
			if now.Sub(e.at) < c.ttl {
				fresh = true
				break
			}
		}
		if !fresh {
			delete(c.entries, st)
		}
	}
}
