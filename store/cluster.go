package store

import (
	"context"

	"github.com/chargehub/hub/roaming"
)

// ReleaseOutboxLeases clears the lease of every pending outbox item, so that items a crashed
// process had claimed are delivered at once instead of after their lease. Only safe when no
// other process delivers from this database (SQLite, or the only live node on PostgreSQL).
func (db *DB) ReleaseOutboxLeases(ctx context.Context) (int64, error) {
	res := db.q(ctx).Exec("UPDATE ocpi_outbox SET locked_until = NULL WHERE status = ? AND locked_until IS NOT NULL", string(roaming.OutboxPending))
	return res.RowsAffected, translate(res.Error, "release outbox leases")
}
