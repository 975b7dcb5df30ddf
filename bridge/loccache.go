package bridge

import (
	"context"
	"sync"

	"github.com/chargehub/hub/roaming"
)

// locationCacheSize bounds the decoded locations the publisher keeps (one per location with
// charging activity; a location of 10 EVSEs is a few KiB).
const locationCacheSize = 4096

// locationCache keeps decoded locations by key and version, so that a charging change reads a
// location's version (with its row lock) instead of reading and decoding the whole location. A
// location enters the cache only once the transaction that read it has committed: a version
// seen inside a transaction that rolls back may later be reused by another save. Cached
// locations are shared: callers must not modify them.
//
// It also remembers which location each station was last found in. That is only a hint: the
// caller locks the hinted location and checks that the station is still among its stations at
// the locked version (every change of a location's stations is a new version), and asks the
// database when it is not. Stations found in no location are not remembered: a station that is
// added to a location must be seen at once.
type locationCache struct {
	mu      sync.Mutex
	byKey   map[string]*roaming.Location // guarded by mu
	ownerOf map[string]string            // guarded by mu; station id -> location key (a hint)
}

// ownerHintLimit bounds the station hints (an entry is a few dozen bytes).
const ownerHintLimit = 1 << 17

// owner returns the location the station was last found in.
func (c *locationCache) owner(stationID string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key, ok := c.ownerOf[stationID]
	return key, ok
}

// setOwner remembers the station's location; an empty key forgets it.
func (c *locationCache) setOwner(stationID, key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case key == "":
		delete(c.ownerOf, stationID)
		return
	case c.ownerOf == nil:
		c.ownerOf = make(map[string]string)
	case len(c.ownerOf) >= ownerHintLimit:
		if _, ok := c.ownerOf[stationID]; !ok {
			for k := range c.ownerOf { // drop any one
				delete(c.ownerOf, k)
				break
			}
		}
	}
	c.ownerOf[stationID] = key
}

// get returns the cached location of key at version.
func (c *locationCache) get(key string, version int64) (*roaming.Location, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.byKey[key]
	if !ok || l.Version != version {
		return nil, false
	}
	return l, true
}

// putAfterCommit caches l once the transaction of rtx (a store with AfterCommit) commits;
// nothing when rtx cannot tell.
func (c *locationCache) putAfterCommit(rtx any, key string, l *roaming.Location) {
	put := func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if old, ok := c.byKey[key]; ok && old.Version > l.Version {
			return // a newer version came first
		}
		if c.byKey == nil {
			c.byKey = make(map[string]*roaming.Location)
		}
		if _, ok := c.byKey[key]; !ok && len(c.byKey) >= locationCacheSize {
			for k := range c.byKey { // drop any one
				delete(c.byKey, k)
				break
			}
		}
		c.byKey[key] = l
	}
	if ac, ok := rtx.(afterCommitter); ok {
		ac.AfterCommit(put)
	}
}

// readLocation reads the location key at version through rtx: from the cache when it holds
// that version, else from what this database transaction learnt of it (see remember), else from
// the database.
func (p *Publisher) readLocation(ctx context.Context, rtx roaming.Store, key string, version int64) (*roaming.Location, error) {
	if l, ok := p.locs.get(key, version); ok {
		return l, nil
	}
	if m, ok := rtx.(txMemo); ok {
		if v, ok := m.TxValue(locationMemo(key)); ok && v.(*roaming.Location).Version == version {
			return v.(*roaming.Location), nil
		}
	}
	l, err := rtx.GetLocation(ctx, key)
	if err != nil {
		return nil, err
	}
	if l.Version == version {
		p.remember(rtx, key, &l)
	}
	return &l, nil
}

// remember keeps l, the location key as read or saved at l.Version in the transaction of rtx:
// for the later changes of the same database transaction at once (with SQLite's group commit,
// the changes of many stations share one, and those of a location's stations often follow each
// other in it), for every change once the transaction has committed. l is shared from then on:
// nobody may modify it.
func (p *Publisher) remember(rtx roaming.Store, key string, l *roaming.Location) {
	if m, ok := rtx.(txMemo); ok {
		m.SetTxValue(locationMemo(key), l)
	}
	p.locs.putAfterCommit(rtx, key, l)
}

// txMemo is a store bound to a transaction that keeps values for the rest of it
// (store.(*DB).TxValue).
type txMemo interface {
	TxValue(key any) (any, bool)
	SetTxValue(key, v any)
}

// locationMemo is the TxValue key of a location read or saved in the transaction.
type locationMemo string
