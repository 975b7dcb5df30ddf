package charging

// MeterLeaders is meterLeaders, for the external tests.
const MeterLeaders = meterLeaders

// MeterQueueLen is how many MeterValues wait for a batch.
func (s *Service) MeterQueueLen() int {
	s.meters.mu.Lock()
	defer s.meters.mu.Unlock()
	return len(s.meters.queue)
}
