package ocpp

import (
	"strconv"
	"testing"
	"time"
)

func TestReplayCacheBoundsAndExpiry(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newReplayCache(time.Minute, 3)
	for i := 0; i < 5; i++ {
		c.put("A", strconv.Itoa(i), "MeterValues", 7, []byte{byte(i)}, now)
	}
	for i, want := range []bool{false, false, true, true, true} {
		if _, ok := c.get("A", strconv.Itoa(i), "MeterValues", 7, now); ok != want {
			t.Fatalf("entry %d present=%v, want %v (ring of 3 keeps the newest)", i, ok, want)
		}
	}
	if _, ok := c.get("A", "4", "MeterValues", 8, now); ok {
		t.Fatal("another payload under the same id must not replay")
	}
	if _, ok := c.get("A", "4", "StopTransaction", 7, now); ok {
		t.Fatal("another action under the same id must not replay")
	}
	if _, ok := c.get("B", "4", "MeterValues", 7, now); ok {
		t.Fatal("stations must not share answers")
	}
	if _, ok := c.get("A", "4", "MeterValues", 7, now.Add(2*time.Minute)); ok {
		t.Fatal("expired answer replayed")
	}
	c.sweepLocked(now.Add(2 * time.Minute))
	if len(c.entries) != 0 {
		t.Fatal("sweep kept a stale station")
	}
}
