package charging

import (
	"context"
	"math/rand/v2"
	"time"
)

// Boot admission: in a reconnect storm (a site's power comes back, a hub restart) thousands of
// stations boot at once. Queueing every boot behind the database only makes them all time out
// and boot again; instead, at most MaxConcurrentBoots are handled at a time and a boot that
// cannot start within BootWait is answered Pending with a jittered interval — OCPP's own
// backpressure: the station boots again later, and the storm spreads out.

// bootGate bounds the boots in progress.
type bootGate struct {
	slots chan struct{} // nil: no bound
	wait  time.Duration
}

func newBootGate(max int, wait time.Duration) bootGate {
	if max <= 0 {
		return bootGate{}
	}
	return bootGate{slots: make(chan struct{}, max), wait: wait}
}

// enter takes a slot; false when none came free within the wait (or ctx ended). done releases
// the slot.
func (g bootGate) enter(ctx context.Context) (done func(), ok bool) {
	if g.slots == nil {
		return func() {}, true
	}
	release := func() { <-g.slots }
	select {
	case g.slots <- struct{}{}:
		return release, true
	default:
	}
	if g.wait <= 0 {
		return nil, false
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return release, true
	case <-t.C:
		return nil, false
	case <-ctx.Done():
		return nil, false
	}
}

// deferredInterval is the interval of a boot answered Pending by admission: between half and
// one and a half PendingInterval, so that deferred stations come back spread out.
func deferredInterval(pending time.Duration) time.Duration {
	half := pending / 2
	if half <= 0 {
		return time.Second
	}
	return half + rand.N(pending+1)
}
