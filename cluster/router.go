package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpp"
	"github.com/chargehub/hub/ocpp/wire"
)

// Local is the node's own OCPP transport; *ocpp.Server implements it.
type Local interface {
	Command(ctx context.Context, stationID, action string, payload json.RawMessage) (json.RawMessage, error)
	Call(ctx context.Context, stationID, action string, payload any) ([]byte, error)
	ConnectionOf(stationID string) (charging.Protocol, uint64, bool)
	Kick(stationID string, upTo uint64) bool
}

var _ Local = (*ocpp.Server)(nil)

// maxNotify is the largest message sent as a NOTIFY payload (PostgreSQL's limit is 8000
// bytes); larger ones go through a cluster_rpc row.
const maxNotify = 7000

// Router sends commands to stations wherever they are connected: it implements admin's
// Commander and the OCPP gateway's Caller. A station connected here is called through the
// local server; one connected to another live node through that node; one connected nowhere
// is CodeUnavailable. Errors keep their charging code, and a station's CALLERROR stays an
// *ocpp.CallError, so every edge translates them as for a local station.
type Router struct{ n *Node }

// Router returns the node's router.
func (n *Node) Router() *Router { return &Router{n: n} }

func unavailable(id string) error {
	return charging.Errorf(charging.CodeUnavailable, "station %s is not connected", id)
}

// Command sends an operator's command (validated against the station's protocol by the node
// holding the socket) and returns the station's answer.
func (r *Router) Command(ctx context.Context, stationID, action string, payload json.RawMessage) (json.RawMessage, error) {
	srv := r.n.server()
	if srv == nil {
		return nil, unavailable(stationID)
	}
	if _, _, ok := srv.ConnectionOf(stationID); ok || r.n.pool == nil {
		return srv.Command(ctx, stationID, action, payload)
	}
	if len(payload) == 0 {
		payload = json.RawMessage(`{}`)
	}
	return r.n.routed(ctx, stationID, action, payload)
}

// Call sends a CALL built by the gateway (validated here first) and returns the answer.
func (r *Router) Call(ctx context.Context, stationID, action string, payload any) ([]byte, error) {
	srv := r.n.server()
	if srv == nil {
		return nil, unavailable(stationID)
	}
	if _, _, ok := srv.ConnectionOf(stationID); ok || r.n.pool == nil {
		return srv.Call(ctx, stationID, action, payload)
	}
	if err := wire.Validate(payload); err != nil {
		return nil, charging.Errorf(charging.CodeInvalid, "%s request: %w", action, err)
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		return nil, charging.Errorf(charging.CodeInvalid, "encode %s request: %w", action, err)
	}
	return r.n.routed(ctx, stationID, action, raw)
}

// localGenBit marks connection numbers taken from the local server before the station's
// presence was written, so they never equal a cluster-wide number.
const localGenBit = uint64(1) << 62

// ConnectionOf reports the protocol of the station's connection, wherever it is, and a number
// that changes whenever the station reconnects (on any node).
func (r *Router) ConnectionOf(stationID string) (charging.Protocol, uint64, bool) {
	n := r.n
	if srv := n.server(); srv != nil {
		if p, gen, ok := srv.ConnectionOf(stationID); ok {
			if n.pool == nil {
				return p, gen, true
			}
			n.mu.Lock()
			c := n.conns[stationID]
			n.mu.Unlock()
			if c.gen == gen && c.seq > 0 {
				return p, uint64(c.seq), true
			}
			return p, gen | localGenBit, true
		}
	}
	if n.pool == nil {
		return "", 0, false
	}
	ctx, cancel := context.WithTimeout(n.bg, 5*time.Second)
	defer cancel()
	o, ok, err := n.lookup(ctx, stationID)
	if err != nil {
		n.log.Warn("cluster: presence lookup failed", "station", stationID, "err", err.Error())
		return "", 0, false
	}
	if !ok || o.node == n.id {
		return "", 0, false
	}
	return charging.Protocol(o.proto), uint64(o.seq), true
}

// owner is the live node holding a station's socket.
type owner struct {
	node  string
	proto string
	seq   int64
}

// lookup finds the live node holding the station.
func (n *Node) lookup(ctx context.Context, id string) (owner, bool, error) {
	var o owner
	err := n.pool.QueryRow(ctx, `SELECT p.node_id, p.protocol, p.seq FROM station_presence p
		JOIN nodes d ON d.id = p.node_id
		WHERE p.station_id = $1 AND d.heartbeat_at > now() - make_interval(secs => $2)`,
		id, n.cfg.DeadAfter.Seconds()).Scan(&o.node, &o.proto, &o.seq)
	if errors.Is(err, pgx.ErrNoRows) {
		return o, false, nil
	}
	if err != nil {
		return o, false, fmt.Errorf("cluster: presence of %s: %w", id, err)
	}
	return o, true, nil
}

// routed sends the command to the node holding the station; once more when that node answers
// that the station has just left it.
func (n *Node) routed(ctx context.Context, id, action string, payload json.RawMessage) (json.RawMessage, error) {
	for attempt := 0; ; attempt++ {
		o, ok, err := n.lookup(ctx, id)
		if err != nil {
			return nil, charging.Errorf(charging.CodeUnavailable, "station %s: %w", id, err)
		}
		if !ok || o.node == n.id {
			return nil, unavailable(id)
		}
		raw, err := n.remoteCall(ctx, o.node, id, action, payload)
		var re *remoteError
		if errors.As(err, &re) && re.notHere && attempt == 0 {
			continue
		}
		return raw, err
	}
}

// remoteError is an error answered by another node.
type remoteError struct {
	err     error
	notHere bool
}

func (e *remoteError) Error() string { return e.err.Error() }
func (e *remoteError) Unwrap() error { return e.err }

// remoteCall asks node to run the command and waits for its answer within ctx's deadline
// (CallTimeout plus a margin when ctx has none).
func (n *Node) remoteCall(ctx context.Context, node, id, action string, payload json.RawMessage) (json.RawMessage, error) {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(n.cfg.CallTimeout + 5*time.Second)
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline)
		defer cancel()
	}
	// the remote side stops a little earlier, so that its timeout answer arrives in time
	margin := min(time.Second, time.Until(deadline)/4)
	reqID := uuid.NewString()
	ch := make(chan envelope, 1)
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return nil, charging.Errorf(charging.CodeUnavailable, "station %s: this node is shutting down", id)
	}
	n.pending[reqID] = ch
	n.mu.Unlock()
	defer func() {
		n.mu.Lock()
		delete(n.pending, reqID)
		n.mu.Unlock()
	}()
	err := n.send(ctx, node, envelope{Kind: kindCall, ID: reqID, From: n.id, Station: id, Action: action, Payload: payload,
		Deadline: deadline.Add(-margin).UnixMilli()})
	if err != nil {
		return nil, charging.Errorf(charging.CodeUnavailable, "station %s: route the call to node %s: %w", id, node, err)
	}
	select {
	case env := <-ch:
		if env.Err != nil {
			return nil, &remoteError{err: env.Err.decode(), notHere: env.Err.NotHere}
		}
		return env.Payload, nil
	case <-ctx.Done():
		return nil, charging.Errorf(charging.CodeTimeout, "station %s (on node %s) did not answer %s in time: %w", id, node, action, ctx.Err())
	}
}

// Message kinds on the node channels.
const (
	kindCall  = "call"  // run a command on a local station and reply
	kindReply = "reply" // the answer to a call
	kindKick  = "kick"  // close a station's socket up to a generation: it connected elsewhere
	kindRef   = "ref"   // the message is in cluster_rpc row Ref
)

// envelope is one message on a node's channel.
type envelope struct {
	Kind     string          `json:"k"`
	ID       string          `json:"id,omitempty"`
	From     string          `json:"from,omitempty"`
	Station  string          `json:"st,omitempty"`
	Action   string          `json:"a,omitempty"`
	Payload  json.RawMessage `json:"p,omitempty"`
	Deadline int64           `json:"dl,omitempty"` // unix ms
	Gen      uint64          `json:"gen,omitempty"`
	Ref      int64           `json:"ref,omitempty"`
	Err      *rpcError       `json:"err,omitempty"`
}

// rpcError carries an error between nodes: a station's CALLERROR or a coded domain error.
type rpcError struct {
	Code      charging.Code `json:"code,omitempty"`
	Msg       string        `json:"msg,omitempty"`
	CallError *callError    `json:"call_error,omitempty"`
	NotHere   bool          `json:"not_here,omitempty"`
}

type callError struct {
	Wire        string          `json:"wire"`
	Description string          `json:"description,omitempty"`
	Details     json.RawMessage `json:"details,omitempty"`
}

func toRPCError(err error) *rpcError {
	var ce *ocpp.CallError
	if errors.As(err, &ce) {
		w := ce.Wire
		if w == "" {
			w = ce.Code.Spell(charging.OCPP201)
		}
		return &rpcError{Msg: err.Error(), CallError: &callError{Wire: w, Description: ce.Description, Details: ce.Details}}
	}
	return &rpcError{Code: charging.ErrorCode(err), Msg: err.Error()}
}

func (e *rpcError) decode() error {
	if c := e.CallError; c != nil {
		return &ocpp.CallError{Code: ocpp.ParseErrorCode(c.Wire), Wire: c.Wire, Description: c.Description, Details: c.Details}
	}
	code := e.Code
	if code == "" {
		code = charging.CodeInternal
	}
	return charging.Errorf(code, "%s", e.Msg)
}

// send NOTIFYs node; a message too large for a payload is stored in cluster_rpc first.
func (n *Node) send(ctx context.Context, node string, env envelope) error {
	body, err := json.Marshal(env)
	if err != nil {
		return fmt.Errorf("encode %s message: %w", env.Kind, err)
	}
	if len(body) > maxNotify {
		var ref int64
		err := n.pool.QueryRow(ctx, "INSERT INTO cluster_rpc (node_id, body, created_at) VALUES ($1, $2, now()) RETURNING id",
			node, string(body)).Scan(&ref)
		if err != nil {
			return fmt.Errorf("store a large %s message: %w", env.Kind, err)
		}
		body, _ = json.Marshal(envelope{Kind: kindRef, Ref: ref})
	}
	if _, err := n.pool.Exec(ctx, "SELECT pg_notify($1, $2)", n.channel(node), string(body)); err != nil {
		return fmt.Errorf("notify node %s: %w", node, err)
	}
	return nil
}

// kickRemote tells the node that held the station's previous connection to close it.
func (n *Node) kickRemote(ctx context.Context, prev presenceRow) {
	err := n.send(ctx, prev.node, envelope{Kind: kindKick, Station: prev.station, Gen: prev.gen})
	if err != nil {
		n.log.Warn("cluster: tell the previous node to close the station's socket", "station", prev.station,
			"previous_node", prev.node, "err", err.Error())
	}
}

// failPending answers every waiting routed call with CodeUnavailable (the node is closing).
func (n *Node) failPending() {
	n.mu.Lock()
	defer n.mu.Unlock()
	for id, ch := range n.pending {
		select {
		case ch <- envelope{Kind: kindReply, ID: id, Err: &rpcError{Code: charging.CodeUnavailable, Msg: "this node is shutting down"}}:
		default:
		}
		delete(n.pending, id)
	}
}
