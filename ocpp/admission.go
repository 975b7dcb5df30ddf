package ocpp

import "math/rand/v2"

// Connect admission: an upgrade authenticates the station and records its connect (database,
// cluster presence) before the station's first message is read. In a reconnect storm on a
// loaded database that work queues; a station answered 101 and then kept waiting has its
// BootNotification time out and comes back anyway. So at most MaxConnecting upgrades are in
// progress, and one that finds no room within ConnectWait is refused with 503 Service
// Unavailable and a jittered Retry-After of 10–30 s: chargers reconnect later, and the hub
// takes stations in at the pace its database allows instead of collapsing.

// retryAfter is the Retry-After of a deferred upgrade, in seconds: 10 to 30, so that the
// deferred stations come back spread out.
func retryAfter() int { return 10 + rand.IntN(21) }
