package charging

import (
	"math/rand/v2"
	"time"
)

// Boot admission: in a reconnect storm (a site's power comes back, a hub restart) thousands of
// stations boot at once. Queueing every boot behind the database only makes them all time out
// and boot again; instead, at most MaxConcurrentBoots are handled at a time and a boot that
// cannot start within BootWait is answered Pending with a jittered interval — OCPP's own
// backpressure: the station boots again later, and the storm spreads out.

// deferredInterval is the interval of a boot answered Pending by admission: between half and
// one and a half PendingInterval, so that deferred stations come back spread out.
func deferredInterval(pending time.Duration) time.Duration {
	half := pending / 2
	if half <= 0 {
		return time.Second
	}
	return half + rand.N(pending+1)
}
