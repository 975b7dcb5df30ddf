package store

import (
	"context"

	"github.com/chargehub/hub/roaming"
)

// SetNodeID names the node this process is in a cluster (before serving): outbox leases are
// written with it, so that live nodes can release the leases of a dead one
// (ReleaseOutboxLeasesOf).
func (db *DB) SetNodeID(id string) { db.node = id }

// ReleaseOutboxLeasesOf clears the leases of the pending outbox items leased by the given
// (dead) nodes, so that live nodes deliver them at once instead of after the lease.
func (db *DB) ReleaseOutboxLeasesOf(ctx context.Context, nodes []string) (int64, error) {
	if len(nodes) == 0 {
		return 0, nil
	}
	res := db.q(ctx).Exec("UPDATE ocpi_outbox SET locked_until = NULL, locked_by = '' WHERE status = ? AND locked_until IS NOT NULL "+
		"AND locked_by IN ?", string(roaming.OutboxPending), nodes)
	return res.RowsAffected, translate(res.Error, "release outbox leases of dead nodes")
}

// ReleaseOutboxLeases clears the lease of every pending outbox item, so that items a crashed
// process had claimed are delivered at once instead of after their lease. Only safe when no
// other process delivers from this database (SQLite, or the only live node on PostgreSQL).
func (db *DB) ReleaseOutboxLeases(ctx context.Context) (int64, error) {
	res := db.q(ctx).Exec("UPDATE ocpi_outbox SET locked_until = NULL, locked_by = '' WHERE status = ? AND locked_until IS NOT NULL",
		string(roaming.OutboxPending))
	return res.RowsAffected, translate(res.Error, "release outbox leases")
}
