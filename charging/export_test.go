package charging

// MeterWorkers is meterWorkers, for the external tests.
const MeterWorkers = meterWorkers

// MeterQueueLen is how many MeterValues wait for a batch.
func (s *Service) MeterQueueLen() int {
	s.meters.mu.Lock()
	defer s.meters.mu.Unlock()
	return len(s.meters.queue)
}

// WaitUntil is waitUntil, for the external tests.
var WaitUntil = waitUntil

// EventQueueLen is how many TransactionEvents wait for a batch.
func (s *Service) EventQueueLen() int {
	s.events.mu.Lock()
	defer s.events.mu.Unlock()
	return len(s.events.queue)
}

// EventWorkers is how many workers store TransactionEvent batches.
func (s *Service) EventWorkers() int {
	s.events.mu.Lock()
	defer s.events.mu.Unlock()
	return s.events.workers
}
