package admission

import (
	"context"
	"testing"
	"time"
)

func TestGate(t *testing.T) {
	g := New(2, 50*time.Millisecond)
	d1, ok1 := g.Enter(context.Background())
	_, ok2 := g.Enter(context.Background())
	if !ok1 || !ok2 {
		t.Fatal("free slots refused")
	}
	start := time.Now()
	if _, ok := g.Enter(context.Background()); ok {
		t.Fatal("a third caller entered a gate of two")
	}
	if time.Since(start) < 50*time.Millisecond {
		t.Fatal("the refusal did not wait")
	}
	go func() { time.Sleep(5 * time.Millisecond); d1() }()
	if _, ok := g.WithWait(time.Second).Enter(context.Background()); !ok {
		t.Fatal("a slot freed during the wait was not taken")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, ok := g.WithWait(time.Hour).Enter(ctx); ok {
		t.Fatal("a cancelled caller entered a full gate")
	}
	if _, ok := New(1, 0).WithWait(0).Enter(context.Background()); !ok {
		t.Fatal("a free slot refused without a wait")
	}
	unbounded := New(-1, 0)
	for range 100 {
		if _, ok := unbounded.Enter(context.Background()); !ok {
			t.Fatal("an unbounded gate refused")
		}
	}
	if n := New(3, 0).Fill(); n != 3 {
		t.Fatalf("Fill took %d slots of 3", n)
	}
}
