package bridge

import "github.com/chargehub/hub/roaming"

// CachedLocation returns the publisher's cached location of key, at whatever version (tests).
func (p *Publisher) CachedLocation(key string) (*roaming.Location, bool) {
	p.locs.mu.Lock()
	defer p.locs.mu.Unlock()
	l, ok := p.locs.byKey[key]
	return l, ok
}
