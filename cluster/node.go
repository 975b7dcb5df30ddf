// Package cluster lets several hub nodes share one PostgreSQL: node heartbeats, station presence, command routing over LISTEN/NOTIFY and single-runner jobs.
//
// Every `hub serve` process is a [Node] with a random id (or HUB_NODE_ID) and a row in the
// nodes table that it refreshes every heartbeat interval; a node whose heartbeat is older than
// three intervals is dead. The node wraps the OCPP server's station authority ([Node.Authority])
// so that every connect and disconnect also writes station_presence (which node holds the
// station's socket), serialised per station by an advisory lock: when a station connects to
// node B while node A still holds a socket for it, B tells A, which closes its socket with 1008
// (newest connection wins across nodes). The [Router] sends a command to a station wherever it
// is connected: through the local ocpp.Server when the socket is here, else as a NOTIFY on the
// owning node's channel, which runs the call and NOTIFYs the answer (or the error, with its
// charging code or CALLERROR) back, within the caller's deadline. Messages too large for a
// NOTIFY payload travel through a cluster_rpc row. Live nodes reap the presence rows of dead
// ones (marking their stations offline). [Node.Job] runs a cron job on one node at a time
// (pg_try_advisory_lock) and at most once per period across the cluster.
//
// On SQLite the hub is one node: [Open] returns a pass-through node whose Router only uses the
// local server, whose Authority is the inner one, and whose jobs just run.
package cluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/chargehub/hub/ocpp"
)

// Config tunes a node. Zero values take the defaults.
type Config struct {
	NodeID    string        // "" = random
	Heartbeat time.Duration // node heartbeat interval; default 5 s
	// DeadAfter: a node whose heartbeat is older is dead; default 3 heartbeats.
	DeadAfter time.Duration
	// CallTimeout bounds a routed command whose context has no deadline; default 30 s plus a
	// margin for the round trip.
	CallTimeout time.Duration
	Advertise   string // what the node tells about itself (its listener), for operators
	MaxConns    int32  // the node's own PostgreSQL pool; default 8
	// OnDeadNodes, when set, is told on each heartbeat (once this node has been alive for
	// DeadAfter) which other nodes are dead, so that what they held can be released (e.g.
	// their outbox leases). It must be idempotent.
	OnDeadNodes func(ctx context.Context, nodeIDs []string)
}

func (c *Config) fill() {
	if c.Heartbeat <= 0 {
		c.Heartbeat = 5 * time.Second
	}
	if c.DeadAfter <= 0 {
		c.DeadAfter = 3 * c.Heartbeat
	}
	if c.CallTimeout <= 0 {
		c.CallTimeout = 30 * time.Second
	}
	if c.MaxConns <= 0 {
		c.MaxConns = 8
	}
}

var nodeIDPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,40}$`)

// ValidNodeID reports whether id may name a node: 1 to 40 letters, digits, '_', '.' or '-'.
func ValidNodeID(id string) bool { return nodeIDPattern.MatchString(id) }

// Advisory-lock classes of the two-key form (they never meet goose's one-key locks).
const (
	lockPresence int32 = 0x68756231 // "hub1": one station's presence
	lockJobs     int32 = 0x68756232 // "hub2": one single-runner job
)

// Node is this process's membership in the cluster. Its methods are safe for concurrent use.
type Node struct {
	cfg    Config
	log    *slog.Logger
	id     string
	pool   *pgxpool.Pool // nil: single node (SQLite)
	prefix string        // channel prefix: hub_<hash of the schema>_

	mu        sync.Mutex
	local     Local                    // the node's OCPP server; guarded by mu
	inner     ocpp.StationAuthority    // the wrapped authority (charging service); guarded by mu
	conns     map[string]localConn     // stations whose socket is here, as recorded; guarded by mu
	gone      map[string]uint64        // disconnects whose presence write failed; guarded by mu
	pending   map[string]chan envelope // routed calls waiting for their answer; guarded by mu
	healthy   time.Time                // since when heartbeats succeed without a gap; guarded by mu
	lastBeat  time.Time                // last successful heartbeat; guarded by mu
	listening bool                     // the LISTEN connection is up; guarded by mu
	listenErr error                    // why LISTEN failed last; guarded by mu
	closed    bool                     // guarded by mu

	maint     chan struct{} // capacity 1: a heartbeat asks for a presence maintenance pass
	listenUp  chan struct{} // closed at the first successful LISTEN
	upOnce    sync.Once
	bg        context.Context // cancelled by Close
	cancel    context.CancelFunc
	wg        sync.WaitGroup // background goroutines
	handlers  sync.WaitGroup // routed calls being executed for other nodes
	closeOnce sync.Once
}

// localConn is a station socket of this node as written to station_presence.
type localConn struct {
	gen    uint64
	proto  string
	at     time.Time // when the station connected; a retried claim keeps it
	seq    int64     // cluster-wide connection number; 0 until written
	synced bool      // station_presence holds this connection
}

// Open joins the cluster on the database at url: on PostgreSQL it opens the node's own pool,
// registers the node, starts listening on its channel and heartbeating; on SQLite it returns a
// single-node pass-through.
func Open(ctx context.Context, url string, cfg Config, log *slog.Logger) (*Node, error) {
	cfg.fill()
	if log == nil {
		log = slog.Default()
	}
	id := cfg.NodeID
	if id == "" {
		var b [6]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("cluster: node id: %w", err)
		}
		id = hex.EncodeToString(b[:])
	} else if !ValidNodeID(id) {
		return nil, fmt.Errorf("cluster: node id %q must be 1 to 40 letters, digits, '_', '.' or '-'", id)
	}
	n := &Node{cfg: cfg, log: log.With("node", id), id: id, conns: map[string]localConn{}, gone: map[string]uint64{}, maint: make(chan struct{}, 1),
		pending: map[string]chan envelope{}, listenUp: make(chan struct{})}
	n.bg, n.cancel = context.WithCancel(context.WithoutCancel(ctx))
	scheme, _, _ := strings.Cut(url, ":")
	if s := strings.ToLower(scheme); s != "postgres" && s != "postgresql" {
		return n, nil
	}
	pc, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("cluster: database URL: %w", err)
	}
	pc.MaxConns = cfg.MaxConns
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("cluster: connect: %w", err)
	}
	n.pool = pool
	var schema string
	if err := pool.QueryRow(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cluster: connect: %w", err)
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(schema))
	n.prefix = fmt.Sprintf("hub_%08x_", h.Sum32())
	if err := n.register(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	n.wg.Add(3)
	go n.listen()
	go n.heartbeats()
	go n.maintain()
	select {
	case <-n.listenUp:
	case <-ctx.Done():
		n.Close(context.Background())
		return nil, fmt.Errorf("cluster: listen: %w", ctx.Err())
	case <-time.After(15 * time.Second):
		n.mu.Lock()
		err := n.listenErr
		n.mu.Unlock()
		n.Close(context.Background())
		return nil, fmt.Errorf("cluster: listen on the node channel: %w", err)
	}
	n.log.Info("cluster node joined", "heartbeat", cfg.Heartbeat.String(), "dead_after", cfg.DeadAfter.String())
	return n, nil
}

// ID returns the node id.
func (n *Node) ID() string { return n.id }

// Clustered reports whether the node shares a PostgreSQL database with others (false on SQLite).
func (n *Node) Clustered() bool { return n.pool != nil }

// channel is the NOTIFY channel of node id.
func (n *Node) channel(id string) string { return n.prefix + id }

// Attach gives the node its OCPP server, for local calls and for closing sockets a newer
// connection on another node replaced. Call it before serving.
func (n *Node) Attach(srv Local) {
	n.mu.Lock()
	n.local = srv
	n.mu.Unlock()
}

func (n *Node) server() Local {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.local
}

// register writes the node's row.
func (n *Node) register(ctx context.Context) error {
	host, _ := os.Hostname()
	_, err := n.pool.Exec(ctx, `INSERT INTO nodes (id, advertise, hostname, pid, started_at, heartbeat_at)
		VALUES ($1, $2, $3, $4, now(), now())
		ON CONFLICT (id) DO UPDATE SET advertise = excluded.advertise, hostname = excluded.hostname,
			pid = excluded.pid, heartbeat_at = now()`, n.id, n.cfg.Advertise, host, os.Getpid())
	if err != nil {
		return fmt.Errorf("cluster: register node %s: %w", n.id, err)
	}
	return nil
}

// heartbeats refreshes the node's row, retries failed presence writes and reaps dead nodes.
func (n *Node) heartbeats() {
	defer n.wg.Done()
	t := time.NewTicker(n.cfg.Heartbeat)
	defer t.Stop()
	var lastSweep time.Time
	for {
		select {
		case <-n.bg.Done():
			return
		case <-t.C:
		}
		n.beat()
		if time.Since(lastSweep) >= time.Minute {
			lastSweep = time.Now()
			n.sweep()
		}
	}
}

// beat is one heartbeat.
func (n *Node) beat() {
	ctx, cancel := context.WithTimeout(n.bg, n.cfg.Heartbeat)
	defer cancel()
	tag, err := n.pool.Exec(ctx, "UPDATE nodes SET heartbeat_at = now() WHERE id = $1", n.id)
	if err == nil && tag.RowsAffected() == 0 {
		n.log.Warn("cluster: this node's row is gone (declared dead); registering again and rewriting presence")
		err = n.register(ctx)
		n.resyncAll()
	}
	now := time.Now()
	n.mu.Lock()
	if err != nil {
		n.healthy = time.Time{}
		n.mu.Unlock()
		if n.bg.Err() == nil {
			n.log.Warn("cluster: heartbeat failed", "err", err.Error())
		}
		return
	}
	gap := !n.lastBeat.IsZero() && now.Sub(n.lastBeat) > n.cfg.DeadAfter
	n.lastBeat = now
	if n.healthy.IsZero() {
		n.healthy = now
	}
	n.mu.Unlock()
	if gap { // others may have taken us for dead and reaped our presence
		n.resyncAll()
	}
	select { // the presence work runs beside the heartbeats, so that it never delays them
	case n.maint <- struct{}{}:
	default: // a pass is pending or running
	}
}

// maintain runs a presence maintenance pass after each successful heartbeat: retries failed
// presence writes, closes sockets of stations held elsewhere, and reaps dead nodes. A pass may
// take up to DeadAfter (its writes are transactions of their own, which can be slow on a
// loaded database); heartbeats go on meanwhile.
func (n *Node) maintain() {
	defer n.wg.Done()
	for {
		select {
		case <-n.bg.Done():
			return
		case <-n.maint:
		}
		ctx, cancel := context.WithTimeout(n.bg, n.cfg.DeadAfter)
		n.retryPresence(ctx)
		n.reconcile(ctx)
		n.mu.Lock()
		reap := !n.healthy.IsZero() && time.Since(n.healthy) >= n.cfg.DeadAfter
		n.mu.Unlock()
		if reap { // only after we have been alive long enough for the others to show they are too
			n.reap(ctx)
			n.reportDead(ctx)
		}
		cancel()
	}
}

// reportDead tells Config.OnDeadNodes which other nodes are dead.
func (n *Node) reportDead(ctx context.Context) {
	if n.cfg.OnDeadNodes == nil {
		return
	}
	rows, err := n.pool.Query(ctx, `SELECT id FROM nodes WHERE id <> $1
		AND heartbeat_at < now() - make_interval(secs => $2)`, n.id, n.cfg.DeadAfter.Seconds())
	if err != nil {
		n.log.Warn("cluster: find dead nodes", "err", err.Error())
		return
	}
	dead, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		n.log.Warn("cluster: find dead nodes", "err", err.Error())
		return
	}
	if len(dead) > 0 {
		n.cfg.OnDeadNodes(ctx, dead)
	}
}

// sweep deletes old routing rows and the rows of nodes dead for an hour.
func (n *Node) sweep() {
	ctx, cancel := context.WithTimeout(n.bg, 10*time.Second)
	defer cancel()
	if _, err := n.pool.Exec(ctx, "DELETE FROM cluster_rpc WHERE created_at < now() - interval '10 minutes'"); err != nil {
		n.log.Warn("cluster: sweep routing rows", "err", err.Error())
	}
	if _, err := n.pool.Exec(ctx, `DELETE FROM nodes WHERE heartbeat_at < now() - interval '1 hour'
		AND NOT EXISTS (SELECT 1 FROM station_presence p WHERE p.node_id = nodes.id)`); err != nil {
		n.log.Warn("cluster: sweep dead nodes", "err", err.Error())
	}
}

// NodeInfo is one row of the nodes table.
type NodeInfo struct {
	ID          string    `json:"id"`
	Advertise   string    `json:"advertise"`
	Hostname    string    `json:"hostname"`
	PID         int       `json:"pid"`
	StartedAt   time.Time `json:"started_at"`
	HeartbeatAt time.Time `json:"heartbeat_at"`
	Alive       bool      `json:"alive"`
	Stations    int       `json:"stations"`
}

// Nodes lists the cluster's nodes with how many stations each holds (only this node on SQLite).
func (n *Node) Nodes(ctx context.Context) ([]NodeInfo, error) {
	if n.pool == nil {
		host, _ := os.Hostname()
		return []NodeInfo{{ID: n.id, Advertise: n.cfg.Advertise, Hostname: host, PID: os.Getpid(), Alive: true,
			HeartbeatAt: time.Now().UTC(), Stations: n.localCount()}}, nil
	}
	rows, err := n.pool.Query(ctx, `SELECT n.id, n.advertise, n.hostname, n.pid, n.started_at, n.heartbeat_at,
			n.heartbeat_at > now() - make_interval(secs => $1),
			(SELECT count(*) FROM station_presence p WHERE p.node_id = n.id)
		FROM nodes n ORDER BY n.started_at, n.id`, n.cfg.DeadAfter.Seconds())
	if err != nil {
		return nil, fmt.Errorf("cluster: list nodes: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (NodeInfo, error) {
		var i NodeInfo
		err := r.Scan(&i.ID, &i.Advertise, &i.Hostname, &i.PID, &i.StartedAt, &i.HeartbeatAt, &i.Alive, &i.Stations)
		i.StartedAt, i.HeartbeatAt = i.StartedAt.UTC(), i.HeartbeatAt.UTC()
		return i, err
	})
	if err != nil {
		return nil, fmt.Errorf("cluster: list nodes: %w", err)
	}
	return out, nil
}

func (n *Node) localCount() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.conns)
}

// Close leaves the cluster: it waits for routed calls in progress (bounded by ctx), removes
// what is left of the node's presence (marking those stations offline) and its row, and closes
// the pool. Close the OCPP server first, so that its sockets' disconnects are recorded.
func (n *Node) Close(ctx context.Context) error {
	var err error
	n.closeOnce.Do(func() {
		n.mu.Lock()
		n.closed = true
		n.mu.Unlock()
		if n.pool == nil {
			n.cancel()
			return
		}
		done := make(chan struct{})
		go func() { n.handlers.Wait(); close(done) }()
		select {
		case <-done:
		case <-ctx.Done():
		}
		err = n.leave(ctx)
		n.cancel()
		n.wg.Wait()
		n.failPending()
		n.pool.Close()
	})
	return err
}

// leave removes the node's remaining presence and its row.
func (n *Node) leave(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	rows, err := n.pool.Query(ctx, "SELECT station_id, generation FROM station_presence WHERE node_id = $1", n.id)
	var left []presenceRow
	if err == nil {
		left, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (presenceRow, error) {
			p := presenceRow{node: n.id}
			var gen int64
			err := r.Scan(&p.station, &gen)
			p.gen = uint64(gen)
			return p, err
		})
	}
	var errs []error
	if err != nil {
		errs = append(errs, fmt.Errorf("cluster: leave: %w", err))
	}
	for _, p := range left {
		if _, err := n.release(ctx, p, true); err != nil {
			errs = append(errs, err)
		}
	}
	if _, err := n.pool.Exec(ctx, "DELETE FROM nodes WHERE id = $1", n.id); err != nil {
		errs = append(errs, fmt.Errorf("cluster: leave: %w", err))
	}
	n.log.Info("cluster node left")
	return errors.Join(errs...)
}
