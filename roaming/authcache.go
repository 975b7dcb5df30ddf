package roaming

import (
	"sync"
	"time"
)

// authCacheTTL bounds how long a partner's token check is reused without the database: a
// revoked or rotated token may still work for this long on a node that did not revoke it.
const authCacheTTL = 2 * time.Second

// authCache remembers successful token checks for a short time, so that partners' pulls
// (every request is authenticated) do not each cost a database lookup.
type authCache struct {
	mu sync.Mutex
	m  map[string]authEntry // token hash → check; guarded by mu
}

type authEntry struct {
	partner Partner
	kind    TokenKind
	until   time.Time
}

func (c *authCache) get(hash string, now time.Time) (Partner, TokenKind, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[hash]
	if !ok || now.After(e.until) {
		return Partner{}, "", false
	}
	return e.partner, e.kind, true
}

func (c *authCache) put(hash string, p Partner, kind TokenKind, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) > 10000 {
		c.m = map[string]authEntry{}
	}
	c.m[hash] = authEntry{partner: p, kind: kind, until: now.Add(authCacheTTL)}
}

// clear forgets every check (after a token or partner status changed on this node).
func (c *authCache) clear() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}
