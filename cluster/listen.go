package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/chargehub/hub/charging"
)

// listen keeps a dedicated connection LISTENing on the node's channel, reconnecting with
// backoff when it breaks (a PostgreSQL restart). Messages sent while it is down are lost:
// their callers time out.
func (n *Node) listen() {
	defer n.wg.Done()
	backoff := 250 * time.Millisecond
	for {
		err := n.listenOnce(&backoff)
		n.mu.Lock()
		n.listening, n.listenErr = false, err
		n.mu.Unlock()
		if n.bg.Err() != nil {
			return
		}
		n.log.Warn("cluster: LISTEN connection lost; reconnecting", "err", err.Error(), "in", backoff.String())
		select {
		case <-n.bg.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

// listenOnce connects, LISTENs and dispatches notifications until the connection fails.
func (n *Node) listenOnce(backoff *time.Duration) error {
	ctx := n.bg
	conn, err := pgx.ConnectConfig(ctx, n.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{n.channel(n.id)}.Sanitize()); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	n.mu.Lock()
	n.listening, n.listenErr = true, nil
	n.mu.Unlock()
	n.upOnce.Do(func() { close(n.listenUp) })
	*backoff = 250 * time.Millisecond
	for {
		note, err := conn.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("wait for notifications: %w", err)
		}
		n.dispatch(note.Payload)
	}
}

// Listening reports whether the node receives routed calls now.
func (n *Node) Listening() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.listening || n.pool == nil
}

// dispatch handles one message; it never blocks the listener for long.
func (n *Node) dispatch(payload string) {
	var env envelope
	if err := json.Unmarshal([]byte(payload), &env); err != nil {
		n.log.Warn("cluster: unreadable message dropped", "err", err.Error())
		return
	}
	switch env.Kind {
	case kindRef:
		n.wg.Add(1)
		go func() {
			defer n.wg.Done()
			n.fetch(env.Ref)
		}()
	case kindReply:
		n.mu.Lock()
		ch := n.pending[env.ID]
		delete(n.pending, env.ID)
		n.mu.Unlock()
		if ch != nil {
			ch <- env // buffered 1, one reply per id
		}
	case kindCall:
		n.mu.Lock()
		closed := n.closed
		if !closed {
			n.handlers.Add(1)
		}
		n.mu.Unlock()
		if closed {
			go n.reply(env, nil, &rpcError{Code: charging.CodeUnavailable, Msg: "node " + n.id + " is shutting down", NotHere: true})
			return
		}
		go func() {
			defer n.handlers.Done()
			n.serve(env)
		}()
	case kindKick:
		if srv := n.server(); srv != nil && srv.Kick(env.Station, env.Gen) {
			n.log.Info("cluster: station connected to another node; local socket closed", "station", env.Station)
		}
	default:
		n.log.Warn("cluster: message of unknown kind dropped", "kind", env.Kind)
	}
}

// fetch reads (and deletes) a large message stored in cluster_rpc and dispatches it.
func (n *Node) fetch(ref int64) {
	ctx, cancel := context.WithTimeout(n.bg, 10*time.Second)
	defer cancel()
	var body string
	err := n.pool.QueryRow(ctx, "DELETE FROM cluster_rpc WHERE id = $1 AND node_id = $2 RETURNING body", ref, n.id).Scan(&body)
	if err != nil {
		if !errors.Is(err, pgx.ErrNoRows) {
			n.log.Warn("cluster: read a large message", "ref", ref, "err", err.Error())
		}
		return
	}
	n.dispatch(body)
}

// serve runs a call another node routed here and answers it.
func (n *Node) serve(env envelope) {
	deadline := time.UnixMilli(env.Deadline)
	if env.Deadline == 0 {
		deadline = time.Now().Add(n.cfg.CallTimeout)
	}
	ctx, cancel := context.WithDeadline(context.WithoutCancel(n.bg), deadline)
	defer cancel()
	srv := n.server()
	if srv == nil {
		n.reply(env, nil, &rpcError{Code: charging.CodeUnavailable, Msg: "station " + env.Station + " is not connected", NotHere: true})
		return
	}
	if _, _, ok := srv.ConnectionOf(env.Station); !ok {
		n.reply(env, nil, &rpcError{Code: charging.CodeUnavailable, Msg: "station " + env.Station + " is not connected", NotHere: true})
		return
	}
	raw, err := srv.Command(ctx, env.Station, env.Action, env.Payload)
	if err != nil {
		n.reply(env, nil, toRPCError(err))
		return
	}
	n.reply(env, raw, nil)
}

// reply sends a call's answer back to the node that asked.
func (n *Node) reply(req envelope, payload json.RawMessage, e *rpcError) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(n.bg), 5*time.Second)
	defer cancel()
	if err := n.send(ctx, req.From, envelope{Kind: kindReply, ID: req.ID, Payload: payload, Err: e}); err != nil {
		n.log.Warn("cluster: answer a routed call", "to", req.From, "station", req.Station, "err", err.Error())
	}
}
