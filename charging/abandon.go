package charging

import (
	"context"
	"fmt"
	"time"
)

// StopReasonAbandoned marks an active transaction closed by the hub because its station has
// been offline for too long (its stop may never arrive).
const StopReasonAbandoned = "Abandoned"

// FlagAbandoned is set on such transactions.
const FlagAbandoned = "tx_abandoned"

// CloseAbandoned completes the active transactions whose station has been offline, and which
// have not changed, for longer than offlineFor: each is closed in a database transaction of its
// own with stop reason Abandoned and flag tx_abandoned, ending at its last meter reading (its start
// without one) with the energy metered until then, and published like any stop (the OCPI bridge
// issues its CDR). A stop the station sends later is kept as a conflicting stop (flag
// stop_conflicting) and changes nothing billed. It returns the closed transactions.
func (s *Service) CloseAbandoned(ctx context.Context, offlineFor time.Duration) ([]Transaction, error) {
	if offlineFor <= 0 {
		return nil, nil
	}
	now := s.clock.Now()
	cutoff := now.Add(-offlineFor)
	var candidates []Transaction
	for offset := 0; ; offset += 500 {
		list, _, err := s.store.ListTransactions(ctx, TransactionFilter{Status: TxActive, Offset: offset, Limit: 500})
		if err != nil {
			return nil, fmt.Errorf("abandoned transactions: %w", err)
		}
		candidates = append(candidates, list...)
		if len(list) < 500 {
			break
		}
	}
	offline := map[string]bool{}
	var closed []Transaction
	for _, c := range candidates {
		gone, ok := offline[c.StationID]
		if !ok {
			st, err := s.store.GetStation(ctx, c.StationID)
			if err != nil && !IsNotFound(err) {
				return closed, fmt.Errorf("abandoned transactions: %w", err)
			}
			gone = err == nil && !st.Online && (st.LastSeen == nil || st.LastSeen.Before(cutoff))
			offline[c.StationID] = gone
		}
		if !gone || !c.UpdatedAt.Before(cutoff) {
			continue
		}
		t, done, err := s.closeAbandoned(ctx, c.ID, cutoff, now)
		if err != nil {
			return closed, fmt.Errorf("close abandoned transaction %d: %w", c.ID, err)
		}
		if done {
			closed = append(closed, t)
		}
	}
	return closed, nil
}

// closeAbandoned closes one transaction if it is still active and unchanged since cutoff.
func (s *Service) closeAbandoned(ctx context.Context, id int64, cutoff, now time.Time) (Transaction, bool, error) {
	var out Transaction
	done := false
	err := s.store.InTx(ctx, func(st Store) error {
		tx, err := st.GetTransaction(ctx, id)
		if err != nil {
			return err
		}
		if tx.Status != TxActive || !tx.UpdatedAt.Before(cutoff) {
			return nil
		}
		samples, err := st.ListMeterSamples(ctx, tx.ID)
		if err != nil {
			return err
		}
		end := tx.StartedAt
		for _, m := range samples {
			if (m.TransactionID == nil || *m.TransactionID == tx.ID) && m.Timestamp.After(end) {
				end = m.Timestamp
			}
		}
		readings := registerReadings(samples)
		stop := tx.MeterStartWh
		switch {
		case tx.LastMeterWh != nil:
			stop = *tx.LastMeterWh
		case len(readings) > 0:
			stop = readings[len(readings)-1].Round(0).IntPart()
		}
		energy, reset := SessionEnergyWh(tx.MeterStartWh, readings, stop)
		tx.MeterStopWh, tx.StoppedAt, tx.StopReceivedAt = &stop, &end, &now
		tx.StopReason, tx.Status, tx.EnergyWh, tx.UpdatedAt = StopReasonAbandoned, TxCompleted, energy, now
		tx.AddFlag(FlagAbandoned)
		if reset {
			tx.AddFlag(FlagMeterReset)
		}
		if err := st.UpdateTransaction(ctx, tx); err != nil {
			return err
		}
		s.log.Warn("transaction of an offline station closed as abandoned", "station", tx.StationID, "transaction", tx.ID,
			"stopped_at", end, "energy_wh", energy)
		out, done = tx, true
		return s.pub.TransactionChanged(ctx, st, tx)
	})
	return out, done, err
}
