// Package framelog writes the OCPP frame audit log in batches, off the request path, and
// prunes it to the configured retention.
package framelog

import (
	"context"
	"log/slog"
	"time"

	"github.com/chargehub/hub/charging"
)

// Writer batches frames into the store. Record never blocks: when the buffer is full the
// frame is dropped and counted (the audit log must not slow chargers down).
type Writer struct {
	store     charging.FrameStore
	log       *slog.Logger
	ch        chan charging.Frame
	done      chan struct{}
	onDrop    func()
	batchSize int
	interval  time.Duration
}

// New builds a writer with a buffer of bufferSize frames; onDrop may be nil.
func New(store charging.FrameStore, log *slog.Logger, bufferSize int, onDrop func()) *Writer {
	if bufferSize <= 0 {
		bufferSize = 16384
	}
	if onDrop == nil {
		onDrop = func() {}
	}
	return &Writer{store: store, log: log, ch: make(chan charging.Frame, bufferSize), done: make(chan struct{}),
		onDrop: onDrop, batchSize: 500, interval: 250 * time.Millisecond}
}

// Record queues a frame (ocpp.FrameSink).
func (w *Writer) Record(f charging.Frame) {
	select {
	case w.ch <- f:
	default:
		w.onDrop()
	}
}

// Run writes batches until ctx ends, then flushes what is buffered and returns.
func (w *Writer) Run(ctx context.Context) {
	defer close(w.done)
	tick := time.NewTicker(w.interval)
	defer tick.Stop()
	batch := make([]charging.Frame, 0, w.batchSize)
	flush := func() {
		if len(batch) == 0 {
			return
		}
		// the flush must complete even while shutting down
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		if err := w.store.AddFrames(fctx, batch); err != nil {
			w.log.Error("audit log write failed", "frames", len(batch), "err", err)
		}
		cancel()
		batch = batch[:0]
	}
	for {
		select {
		case f := <-w.ch:
			batch = append(batch, f)
			if len(batch) >= w.batchSize {
				flush()
			}
		case <-tick.C:
			flush()
		case <-ctx.Done():
			for {
				select {
				case f := <-w.ch:
					batch = append(batch, f)
					if len(batch) >= w.batchSize {
						flush()
					}
				default:
					flush()
					return
				}
			}
		}
	}
}

// Done is closed when Run has flushed and returned.
func (w *Writer) Done() <-chan struct{} { return w.done }

// Prune deletes frames older than retention.
func Prune(ctx context.Context, store charging.FrameStore, now time.Time, retention time.Duration) (int64, error) {
	return store.PruneFrames(ctx, now.Add(-retention))
}
