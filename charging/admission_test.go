package charging

import (
	"context"
	"log/slog"
	"testing"
	"time"
)

func TestBootAdmissionDefersWhenFull(t *testing.T) {
	s := NewService(nil, SystemClock{}, slog.New(slog.DiscardHandler), Config{MaxConcurrentBoots: 1, BootWait: 20 * time.Millisecond,
		PendingInterval: 60 * time.Second})
	s.boots.Fill() // a boot in progress holds the only slot
	for range 50 {
		res, err := s.Boot(context.Background(), "CP-1", OCPP16, BootInfo{})
		if err != nil {
			t.Fatal(err) // the store (nil here) must not be touched
		}
		if res.Status != RegistrationPending || !res.Deferred {
			t.Fatalf("boot with no slot free: %+v, want a deferred Pending", res)
		}
		if res.Interval < 30*time.Second || res.Interval > 90*time.Second {
			t.Fatalf("deferred interval %s outside [30 s, 90 s]", res.Interval)
		}
	}
	// a cancelled boot gives its context's error, not an answer
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Boot(ctx, "CP-1", OCPP16, BootInfo{}); err == nil {
		t.Fatal("a cancelled boot was answered")
	}
}
