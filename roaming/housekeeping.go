package roaming

import (
	"context"
	"fmt"
	"time"

	"github.com/chargehub/hub/ocpi"
)

// ExpirePendingSessions declares INVALID every Session that has been PENDING (created, never
// authorized or never started) without any change for longer than olderThan, and PUTs it to the
// eMSP owning its token. At most limit Sessions (0 = 1000) are expired per call; the rest wait
// for the next. It returns how many were expired.
func (s *Service) ExpirePendingSessions(ctx context.Context, olderThan time.Duration, limit int) (int, error) {
	if olderThan <= 0 {
		return 0, nil
	}
	if limit <= 0 {
		limit = 1000
	}
	ls, err := ledger(s.store)
	if err != nil {
		return 0, err
	}
	now := s.clock.Now()
	cutoff := now.Add(-olderThan)
	list, err := ls.StalePendingSessions(ctx, cutoff, limit)
	if err != nil {
		return 0, fmt.Errorf("expire pending sessions: %w", err)
	}
	n := 0
	for _, stale := range list {
		expired := false
		err := s.inTx(ctx, func(tx Store, q *queue) error {
			expired = false
			sess, err := tx.GetSession(ctx, stale.ID)
			if err != nil {
				return err
			}
			if sess.Status != ocpi.SessionStatusPending || !sess.LastUpdated.Before(cutoff) {
				return nil // changed meanwhile
			}
			sess.Status, sess.LastUpdated = ocpi.SessionStatusInvalid, ocpi.NewDateTime(now)
			expired = true
			return s.putSession(ctx, tx, q, sess)
		})
		if err != nil {
			return n, fmt.Errorf("expire pending session %q: %w", stale.ID, err)
		}
		if expired {
			n++
			s.log.Info("stale PENDING session declared INVALID", "session", stale.ID, "last_updated", stale.LastUpdated.String())
		}
	}
	return n, nil
}
