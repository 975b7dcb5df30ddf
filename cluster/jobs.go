package cluster

import (
	"context"
	"time"
)

// Job wraps a periodic job (a cron entry that fires every `every` on each node) so that it
// runs on one node at a time and at most about once per period across the cluster: the run
// holds pg_try_advisory_lock on a dedicated pooled connection (a node that cannot take it skips
// its turn), and a node skips a turn when cluster_jobs says another node ran the job less than
// 90 % of a period ago. The lock is released after the run, and by PostgreSQL if the node dies.
// On SQLite the job just runs. fn gets a context cancelled when the node closes.
func (n *Node) Job(name string, every time.Duration, fn func(ctx context.Context)) func() {
	return func() {
		if n.pool == nil {
			fn(n.bg)
			return
		}
		n.runJob(name, every, fn)
	}
}

func (n *Node) runJob(name string, every time.Duration, fn func(ctx context.Context)) {
	ctx := n.bg
	log := n.log.With("job", name)
	conn, err := n.pool.Acquire(ctx)
	if err != nil {
		log.Warn("cluster: job skipped: no database connection", "err", err.Error())
		return
	}
	defer conn.Release()
	var got bool
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1, hashtext($2))", lockJobs, name).Scan(&got); err != nil {
		log.Warn("cluster: job skipped: lock", "err", err.Error())
		return
	}
	if !got {
		log.Debug("cluster: job running on another node; skipped")
		return
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(uctx, "SELECT pg_advisory_unlock($1, hashtext($2))", lockJobs, name); err != nil {
			log.Warn("cluster: job unlock failed; dropping the connection", "err", err.Error())
			_ = conn.Conn().Close(uctx) // closing the session releases the lock
		}
	}()
	var recent bool
	err = conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM cluster_jobs WHERE name = $1
		AND last_run_at > now() - make_interval(secs => $2))`, name, (every * 9 / 10).Seconds()).Scan(&recent)
	if err != nil {
		log.Warn("cluster: job skipped: last run", "err", err.Error())
		return
	}
	if recent {
		log.Debug("cluster: job ran on another node this period; skipped")
		return
	}
	fn(ctx)
	_, err = conn.Exec(ctx, `INSERT INTO cluster_jobs (name, node_id, last_run_at) VALUES ($1, $2, now())
		ON CONFLICT (name) DO UPDATE SET node_id = excluded.node_id, last_run_at = excluded.last_run_at`, name, n.id)
	if err != nil {
		log.Warn("cluster: record job run", "err", err.Error())
	}
}
