package charging

// MeterWorkers is meterWorkers, for the external tests.
const MeterWorkers = meterWorkers

// WaitUntil is waitUntil, for the external tests.
var WaitUntil = waitUntil

// state is how many requests wait for a batch and how many workers run.
func (b *batcher[In, Out]) state() (queued, workers int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.queue), b.workers
}

// MeterQueueLen is how many MeterValues wait for a batch.
func (s *Service) MeterQueueLen() int { n, _ := s.meters.state(); return n }

// EventQueueLen is how many TransactionEvents wait for a batch.
func (s *Service) EventQueueLen() int { n, _ := s.events.state(); return n }

// EventWorkers is how many workers store TransactionEvent batches.
func (s *Service) EventWorkers() int { _, n := s.events.state(); return n }
