// Package admission bounds work in progress: a Gate lets at most N callers in at a time and
// a caller wait a bounded time for room, so that overload is answered (Pending, 503) instead
// of queued until everything times out.
package admission

import (
	"context"
	"time"
)

// Gate admits at most its capacity at a time. The zero value admits everyone.
type Gate struct {
	slots chan struct{} // nil: no bound
	wait  time.Duration
}

// New returns a gate of max slots whose callers wait up to wait for one; max <= 0 means no
// bound.
func New(max int, wait time.Duration) Gate {
	if max <= 0 {
		return Gate{}
	}
	return Gate{slots: make(chan struct{}, max), wait: wait}
}

// WithWait returns g with another wait, sharing its slots.
func (g Gate) WithWait(wait time.Duration) Gate { g.wait = wait; return g }

// Enter takes a slot, waiting up to the gate's wait; ok is false when none came free in time or
// ctx ended first. release gives the slot back (call it once).
func (g Gate) Enter(ctx context.Context) (release func(), ok bool) {
	if g.slots == nil {
		return func() {}, true
	}
	release = func() { <-g.slots }
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
	case <-ctx.Done():
	}
	return nil, false
}

// Fill takes every free slot without waiting and returns how many it took (tests: a gate that
// is full).
func (g Gate) Fill() int {
	n := 0
	for g.slots != nil {
		select {
		case g.slots <- struct{}{}:
			n++
		default:
			return n
		}
	}
	return n
}
