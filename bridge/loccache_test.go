package bridge

import (
	"testing"

	"github.com/chargehub/hub/roaming"
)

// fakeTx collects after-commit hooks; commit runs them.
type fakeTx struct{ hooks []func() }

func (f *fakeTx) AfterCommit(fn func()) { f.hooks = append(f.hooks, fn) }
func (f *fakeTx) commit() {
	for _, h := range f.hooks {
		h()
	}
}

func TestLocationCacheKeepsCommittedVersions(t *testing.T) {
	var c locationCache
	v1 := &roaming.Location{Version: 1}
	tx := &fakeTx{}
	c.putAfterCommit(tx, "LOC-1", v1)
	if _, ok := c.get("LOC-1", 1); ok {
		t.Fatal("cached before its transaction committed")
	}
	tx.commit()
	if got, ok := c.get("LOC-1", 1); !ok || got != v1 {
		t.Fatalf("committed version 1 not cached: %v %v", got, ok)
	}
	if _, ok := c.get("LOC-1", 2); ok {
		t.Fatal("version 2 answered from version 1")
	}

	// a transaction that rolls back (its hooks never run) leaves nothing behind
	rolled := &fakeTx{}
	c.putAfterCommit(rolled, "LOC-1", &roaming.Location{Version: 2})
	if _, ok := c.get("LOC-1", 2); ok {
		t.Fatal("a rolled-back read was cached")
	}

	// an older version committing late does not replace a newer one
	newer, older := &fakeTx{}, &fakeTx{}
	v3 := &roaming.Location{Version: 3}
	c.putAfterCommit(newer, "LOC-1", v3)
	c.putAfterCommit(older, "LOC-1", &roaming.Location{Version: 2})
	newer.commit()
	older.commit()
	if got, ok := c.get("LOC-1", 3); !ok || got != v3 {
		t.Fatal("version 3 replaced by a late version 2")
	}

	// no AfterCommit: never cached
	c.putAfterCommit(struct{}{}, "LOC-2", &roaming.Location{Version: 1})
	if _, ok := c.get("LOC-2", 1); ok {
		t.Fatal("cached without a commit hook")
	}
}

func TestLocationCacheIsBounded(t *testing.T) {
	var c locationCache
	tx := &fakeTx{}
	for i := range locationCacheSize + 10 {
		c.putAfterCommit(tx, "LOC-"+string(rune('A'+i%26))+string(rune(i)), &roaming.Location{Version: 1})
	}
	tx.commit()
	if n := len(c.byKey); n != locationCacheSize {
		t.Fatalf("%d locations cached, want the bound %d", n, locationCacheSize)
	}
}
