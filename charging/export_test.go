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
