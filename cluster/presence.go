package cluster

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpp"
)

// Authority wraps the station authority the OCPP server gets (the charging service) so that
// every connect and disconnect also writes station_presence. Each write runs in one
// PostgreSQL transaction under the station's advisory lock, with the inner Connected or
// Disconnected call inside it, so concurrent moves of a station between nodes apply in order
// (a late disconnect on the old node never marks a station offline that the new node holds).
// On SQLite it returns inner unchanged.
func (n *Node) Authority(inner ocpp.StationAuthority) ocpp.StationAuthority {
	n.mu.Lock()
	n.inner = inner
	n.mu.Unlock()
	if n.pool == nil {
		return inner
	}
	return &authority{StationAuthority: inner, n: n}
}

// authority is the presence-writing StationAuthority.
type authority struct {
	ocpp.StationAuthority
	n *Node
}

var _ ocpp.GenerationAuthority = (*authority)(nil)

// ConnectedGen records that this node holds connection gen of the station, and tells the node
// that held the previous one to close it.
func (a *authority) ConnectedGen(ctx context.Context, id string, p charging.Protocol, gen uint64, at time.Time) {
	n := a.n
	n.mu.Lock()
	n.conns[id] = localConn{gen: gen, proto: string(p), at: at}
	delete(n.gone, id)
	n.mu.Unlock()
	if err := n.claim(ctx, id, gen, string(p), at, true); err != nil {
		n.log.Error("cluster: record station presence (retried at the next heartbeat)", "station", id, "err", err.Error())
	}
}

// DisconnectedGen removes the station's presence if it is still this node's connection gen.
func (a *authority) DisconnectedGen(ctx context.Context, id string, gen uint64, at time.Time) {
	n := a.n
	n.mu.Lock()
	if c, ok := n.conns[id]; ok && c.gen == gen {
		delete(n.conns, id)
	}
	n.mu.Unlock()
	if _, err := n.release(ctx, presenceRow{station: id, node: n.id, gen: gen}, false); err != nil {
		n.mu.Lock()
		closing := n.closed
		n.mu.Unlock()
		if closing { // this node is leaving: leave removes what it can, live nodes reap the rest
			n.log.Debug("cluster: station presence left to leave or the live nodes", "station", id, "err", err.Error())
			return
		}
		n.log.Error("cluster: remove station presence (retried at the next heartbeat)", "station", id, "err", err.Error())
		n.mu.Lock()
		if _, back := n.conns[id]; !back {
			n.gone[id] = gen
		}
		n.mu.Unlock()
	}
}

// Connected and Disconnected are not used by the OCPP server once ConnectedGen exists; they
// keep the plain interface working (generation 0).
func (a *authority) Connected(ctx context.Context, id string, p charging.Protocol, at time.Time) {
	a.ConnectedGen(ctx, id, p, 0, at)
}

// Disconnected: see Connected.
func (a *authority) Disconnected(ctx context.Context, id string, at time.Time) {
	a.DisconnectedGen(ctx, id, 0, at)
}

// presenceRow is one station_presence row (the columns that matter here).
type presenceRow struct {
	station string
	node    string
	gen     uint64
	at      time.Time // connected_at
}

func (n *Node) innerAuthority() ocpp.StationAuthority {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.inner
}

// lockStation takes the station's presence lock for the rest of tx.
func lockStation(ctx context.Context, tx pgx.Tx, id string) error {
	_, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1, hashtext($2))", lockPresence, id)
	return err
}

// currentOwner returns the station's presence row; ok false when there is none.
func currentOwner(ctx context.Context, tx pgx.Tx, id string) (presenceRow, bool, error) {
	p := presenceRow{station: id}
	var gen int64
	err := tx.QueryRow(ctx, "SELECT node_id, generation, connected_at FROM station_presence WHERE station_id = $1", id).
		Scan(&p.node, &gen, &p.at)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, false, nil
	}
	p.gen = uint64(gen)
	return p, err == nil, err
}

// claim writes this node as the holder of the station's connection gen, made at at, and calls
// the inner Connected, in one transaction under the station lock. fresh is a new connection,
// which always wins; a resync (after a failed write, or after this node was taken for dead)
// gives way to a live node that holds a newer connection of the station, closing the local
// socket instead. A resync of a connection newer than the live holder's takes the station: its
// first claim failed (e.g. the database was too slow), and the other node's connection is the
// one the station left.
func (n *Node) claim(ctx context.Context, id string, gen uint64, proto string, at time.Time, fresh bool) error {
	srv := n.server()
	if srv != nil {
		if _, g, ok := srv.ConnectionOf(id); !ok || g != gen {
			return nil // already closed or replaced here; that connection's own writes follow
		}
	}
	tx, err := n.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("claim %s: %w", id, err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := lockStation(ctx, tx, id); err != nil {
		return fmt.Errorf("claim %s: %w", id, err)
	}
	prev, had, err := currentOwner(ctx, tx, id)
	if err != nil {
		return fmt.Errorf("claim %s: %w", id, err)
	}
	if had && prev.node == n.id && prev.gen > gen {
		return nil // a newer local connection wrote first
	}
	if had && prev.node != n.id && !fresh {
		var alive bool
		err := tx.QueryRow(ctx, "SELECT heartbeat_at > now() - make_interval(secs => $2) FROM nodes WHERE id = $1",
			prev.node, n.cfg.DeadAfter.Seconds()).Scan(&alive)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("claim %s: %w", id, err)
		}
		if alive && !prev.at.Before(at) { // the station connected to that node while we were cut off: it is newer
			n.log.Info("cluster: station moved to another node while this one was cut off; closing the local socket",
				"station", id, "holder", prev.node)
			if srv != nil {
				srv.Kick(id, gen)
			}
			return nil
		}
	}
	var seq int64
	err = tx.QueryRow(ctx, `INSERT INTO station_presence (station_id, node_id, generation, seq, protocol, connected_at)
		VALUES ($1, $2, $3, nextval('station_presence_seq'), $4, $5)
		ON CONFLICT (station_id) DO UPDATE SET node_id = excluded.node_id, generation = excluded.generation,
			seq = excluded.seq, protocol = excluded.protocol, connected_at = excluded.connected_at
		RETURNING seq`, id, n.id, int64(gen), proto, at.UTC()).Scan(&seq)
	if err != nil {
		return fmt.Errorf("claim %s: %w", id, err)
	}
	if inner := n.innerAuthority(); inner != nil {
		inner.Connected(ctx, id, charging.Protocol(proto), at)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("claim %s: %w", id, err)
	}
	n.mu.Lock()
	if c, ok := n.conns[id]; ok && c.gen == gen {
		c.seq, c.synced = seq, true
		n.conns[id] = c
	}
	n.mu.Unlock()
	if had && prev.node != n.id {
		n.kickRemote(ctx, prev)
	}
	return nil
}

// release removes the station's presence row if it is p (node and generation) and calls the
// inner Disconnected; when the station has no row at all it calls Disconnected too unless
// onlyIfHeld (nobody holds it, so it is offline). Another holder's row is left alone. It
// reports whether the station was marked offline.
func (n *Node) release(ctx context.Context, p presenceRow, onlyIfHeld bool) (bool, error) {
	tx, err := n.pool.Begin(ctx)
	if err != nil {
		return false, fmt.Errorf("release %s: %w", p.station, err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := lockStation(ctx, tx, p.station); err != nil {
		return false, fmt.Errorf("release %s: %w", p.station, err)
	}
	cur, had, err := currentOwner(ctx, tx, p.station)
	if err != nil {
		return false, fmt.Errorf("release %s: %w", p.station, err)
	}
	switch {
	case had && cur.node == p.node && cur.gen == p.gen:
		if _, err := tx.Exec(ctx, "DELETE FROM station_presence WHERE station_id = $1", p.station); err != nil {
			return false, fmt.Errorf("release %s: %w", p.station, err)
		}
	case had || onlyIfHeld:
		return false, nil
	}
	if inner := n.innerAuthority(); inner != nil {
		inner.Disconnected(ctx, p.station, time.Now())
	}
	if err := tx.Commit(ctx); err != nil {
		return false, fmt.Errorf("release %s: %w", p.station, err)
	}
	return true, nil
}

// resyncAll marks every local connection for rewriting at the next heartbeat.
func (n *Node) resyncAll() {
	n.mu.Lock()
	for id, c := range n.conns {
		c.synced = false
		n.conns[id] = c
	}
	n.mu.Unlock()
}

// retryPresence rewrites the presence writes that failed.
func (n *Node) retryPresence(ctx context.Context) {
	n.mu.Lock()
	var claims []string
	for id, c := range n.conns {
		if !c.synced {
			claims = append(claims, id)
		}
	}
	gone := make(map[string]uint64, len(n.gone))
	for id, g := range n.gone {
		gone[id] = g
	}
	n.mu.Unlock()
	for id, gen := range gone {
		if _, err := n.release(ctx, presenceRow{station: id, node: n.id, gen: gen}, false); err != nil {
			n.log.Warn("cluster: retry presence removal", "station", id, "err", err.Error())
			continue
		}
		n.mu.Lock()
		if n.gone[id] == gen {
			delete(n.gone, id)
		}
		n.mu.Unlock()
	}
	for _, id := range claims {
		n.mu.Lock()
		c, ok := n.conns[id]
		n.mu.Unlock()
		if !ok || c.synced {
			continue
		}
		if err := n.claim(ctx, id, c.gen, c.proto, c.at, false); err != nil {
			n.log.Warn("cluster: retry presence write", "station", id, "err", err.Error())
		}
	}
}

// reconcile closes the local sockets of stations that a live node holds now: the message
// telling this node to close them was lost (its LISTEN connection was down).
func (n *Node) reconcile(ctx context.Context) {
	n.mu.Lock()
	ids := make([]string, 0, len(n.conns))
	gens := make(map[string]uint64, len(n.conns))
	for id, c := range n.conns {
		if c.synced {
			ids = append(ids, id)
			gens[id] = c.gen
		}
	}
	n.mu.Unlock()
	srv := n.server()
	if len(ids) == 0 || srv == nil {
		return
	}
	rows, err := n.pool.Query(ctx, `SELECT p.station_id FROM station_presence p JOIN nodes d ON d.id = p.node_id
		WHERE p.station_id = ANY($1) AND p.node_id <> $2 AND d.heartbeat_at > now() - make_interval(secs => $3)`,
		ids, n.id, n.cfg.DeadAfter.Seconds())
	if err != nil {
		n.log.Warn("cluster: reconcile presence", "err", err.Error())
		return
	}
	moved, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		n.log.Warn("cluster: reconcile presence", "err", err.Error())
		return
	}
	for _, id := range moved {
		if srv.Kick(id, gens[id]) {
			n.log.Info("cluster: station is held by another node; local socket closed", "station", id)
		}
	}
}

// reap removes the presence rows of dead nodes, marking their stations offline. Several live
// nodes may reap at once: the station lock and the conditional delete let one of them win.
func (n *Node) reap(ctx context.Context) {
	rows, err := n.pool.Query(ctx, `SELECT p.station_id, p.node_id, p.generation FROM station_presence p
		LEFT JOIN nodes d ON d.id = p.node_id
		WHERE p.node_id <> $1 AND (d.id IS NULL OR d.heartbeat_at < now() - make_interval(secs => $2))
		LIMIT 1000`, n.id, n.cfg.DeadAfter.Seconds())
	if err != nil {
		n.log.Warn("cluster: find dead nodes' stations", "err", err.Error())
		return
	}
	dead, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (presenceRow, error) {
		var p presenceRow
		var gen int64
		err := r.Scan(&p.station, &p.node, &gen)
		p.gen = uint64(gen)
		return p, err
	})
	if err != nil {
		n.log.Warn("cluster: find dead nodes' stations", "err", err.Error())
		return
	}
	reaped := 0
	for _, p := range dead {
		ok, err := n.release(ctx, p, true)
		if err != nil {
			n.log.Warn("cluster: reap a dead node's station", "station", p.station, "node", p.node, "err", err.Error())
			continue
		}
		if ok {
			reaped++
		}
	}
	if reaped > 0 {
		n.log.Info("cluster: stations of dead nodes marked offline", "stations", reaped)
	}
}

// ResetOnline is run once at start, before serving: a node has no sockets yet, so stations
// that no live node holds are offline. It removes this node's own presence rows (from an
// earlier life under the same HUB_NODE_ID) and marks offline every station no live node holds;
// on SQLite it calls single (the store's reset of every station). It returns how many live
// nodes besides this one there are.
func (n *Node) ResetOnline(ctx context.Context, single func(context.Context) error) (int, error) {
	if n.pool == nil {
		return 0, single(ctx)
	}
	if _, err := n.pool.Exec(ctx, "DELETE FROM station_presence WHERE node_id = $1", n.id); err != nil {
		return 0, fmt.Errorf("cluster: reset presence: %w", err)
	}
	_, err := n.pool.Exec(ctx, `UPDATE stations SET online = false WHERE online AND NOT EXISTS (
		SELECT 1 FROM station_presence p JOIN nodes d ON d.id = p.node_id
		WHERE p.station_id = stations.id AND d.heartbeat_at > now() - make_interval(secs => $1))`, n.cfg.DeadAfter.Seconds())
	if err != nil {
		return 0, fmt.Errorf("cluster: reset online flags: %w", err)
	}
	var others int
	err = n.pool.QueryRow(ctx, `SELECT count(*) FROM nodes WHERE id <> $1
		AND heartbeat_at > now() - make_interval(secs => $2)`, n.id, n.cfg.DeadAfter.Seconds()).Scan(&others)
	if err != nil {
		return 0, fmt.Errorf("cluster: count live nodes: %w", err)
	}
	return others, nil
}
