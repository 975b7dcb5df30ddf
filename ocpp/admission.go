package ocpp

import (
	"context"
	"math/rand/v2"
	"time"
)

// Connect admission: an upgrade authenticates the station and records its connect (database,
// cluster presence) before the station's first message is read. In a reconnect storm on a
// loaded database that work queues; a station answered 101 and then kept waiting has its
// BootNotification time out and comes back anyway. So at most MaxConnecting upgrades are in
// progress, and one that finds no room within ConnectWait is refused with 503 Service
// Unavailable and a jittered Retry-After of 10–30 s: chargers reconnect later, and the hub
// takes stations in at the pace its database allows instead of collapsing.

// connectGate bounds the upgrades in progress.
type connectGate struct {
	slots chan struct{} // nil: no bound
	wait  time.Duration
}

func newConnectGate(max int, wait time.Duration) connectGate {
	if max <= 0 {
		return connectGate{}
	}
	return connectGate{slots: make(chan struct{}, max), wait: wait}
}

// enter takes a slot, waiting up to the gate's wait; false when none came free (or ctx ended).
func (g connectGate) enter(ctx context.Context) (release func(), ok bool) {
	if g.slots == nil {
		return func() {}, true
	}
	release = func() { <-g.slots }
	select {
	case g.slots <- struct{}{}:
		return release, true
	default:
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return release, true
	case <-t.C:
	case <-ctx.Done():
	}
	return nil, false
}

// retryAfter is the Retry-After of a deferred upgrade, in seconds: 10 to 30, so that the
// deferred stations come back spread out.
func (connectGate) retryAfter() int { return 10 + rand.IntN(21) }
