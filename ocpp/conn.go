package ocpp

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpp/wire"
)

// Conn is one station's WebSocket connection. The reader goroutine decodes frames; CALLs
// from the station are handled one at a time in arrival order by a worker started on
// demand; every write goes through the single writer goroutine; at most one CALL from the
// hub is outstanding, with a bounded queue behind it.
type Conn struct {
	ws   *websocket.Conn
	srv  *Server
	sess *Session
	log  *slog.Logger

	out       chan []byte   // frames for the writer
	inbound   chan Frame    // CALLs for the worker
	working   atomic.Bool   // a worker goroutine is running
	inflight  atomic.Int32  // inbound CALLs queued or being handled
	done      chan struct{} // closed once the connection is finished
	closeOnce sync.Once

	callSlot chan struct{} // capacity 1: the one outstanding hub→station CALL
	waiting  atomic.Int32  // calls waiting for the slot
	timeouts atomic.Int32  // consecutive unanswered calls

	mu      sync.Mutex
	pending *pendingCall // guarded by mu
}

type pendingCall struct {
	id     string
	action string
	ch     chan callOutcome // buffered 1
}

type callOutcome struct {
	payload json.RawMessage
	err     error
}

func newConn(srv *Server, ws *websocket.Conn, sess *Session) *Conn {
	c := &Conn{
		ws:       ws,
		srv:      srv,
		sess:     sess,
		log:      sess.Log,
		out:      make(chan []byte, 32),
		inbound:  make(chan Frame, 32),
		done:     make(chan struct{}),
		callSlot: make(chan struct{}, 1),
	}
	sess.conn = c
	return c
}

// Session returns the connection's session.
func (c *Conn) Session() *Session { return c.sess }

// Done is closed when the connection has ended.
func (c *Conn) Done() <-chan struct{} { return c.done }

// run starts the writer and reads until the socket ends.
func (c *Conn) run() {
	cfg := &c.srv.cfg
	c.ws.SetReadLimit(cfg.MaxMessageSize)
	_ = c.ws.SetReadDeadline(time.Now().Add(cfg.ReadTimeout))
	extend := func() { _ = c.ws.SetReadDeadline(time.Now().Add(cfg.ReadTimeout)) }
	c.ws.SetPongHandler(func(string) error { extend(); return nil })
	c.ws.SetPingHandler(func(data string) error {
		extend()
		err := c.ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(cfg.WriteTimeout))
		if err != nil && !errors.Is(err, websocket.ErrCloseSent) {
			return err
		}
		return nil
	})
	go c.writer()
	for {
		typ, data, err := c.ws.ReadMessage()
		if err != nil {
			if !isNormalClose(err) {
				c.log.Info("ocpp connection ended", "err", err.Error())
			}
			c.close(websocket.CloseGoingAway, "")
			return
		}
		extend()
		if typ != websocket.TextMessage {
			c.log.Warn("ocpp binary frame ignored", "bytes", len(data))
			c.srv.obs.BadFrame()
			continue
		}
		c.srv.touch(c.sess.StationID)
		c.receive(data)
	}
}

func isNormalClose(err error) bool {
	return websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway, websocket.CloseNoStatusReceived) ||
		errors.Is(err, websocket.ErrCloseSent)
}

// receive handles one text message from the station.
func (c *Conn) receive(data []byte) {
	f, err := ParseFrame(data)
	c.record(charging.DirIn, f, data)
	if err != nil {
		c.srv.obs.BadFrame()
		var fe *FrameError
		errors.As(err, &fe)
		c.log.Warn("ocpp bad frame", "reason", fe.Reason, "frame", truncate(data, 512))
		switch {
		case fe.Type == TypeCallResult || fe.Type == TypeCallError:
			// never answer a result; fail the pending call if it is ours
			c.resolve(fe.ID, nil, NewCallError(ErrFormat, "station sent an unreadable answer: %s", fe.Reason))
		case fe.Code == ErrMessageTypeNotSupported && c.sess.Protocol == charging.OCPP16:
			// 1.6 ignores unknown message types
		default:
			id := fe.ID
			if id == "" {
				id = "-1"
			}
			c.sendFrame(charging.DirOut, Frame{Type: TypeCallError, ID: id},
				MarshalCallError(id, fe.Code.Spell(c.sess.Protocol), fe.Reason, nil))
		}
		return
	}
	switch f.Type {
	case TypeCall:
		if len(f.ID) > MaxMessageIDLen {
			c.log.Warn("ocpp messageId longer than 36 characters", "id", f.ID, "action", f.Action)
		}
		c.inflight.Add(1)
		select {
		case c.inbound <- f:
		case <-c.done:
			c.inflight.Add(-1)
			return
		}
		if c.working.CompareAndSwap(false, true) {
			go c.work()
		}
	case TypeCallResult:
		c.resolve(f.ID, f.Payload, nil)
	case TypeCallError:
		c.resolve(f.ID, nil, &CallError{Code: ParseErrorCode(f.ErrorCode), Wire: f.ErrorCode,
			Description: f.ErrorDescription, Details: f.ErrorDetails})
	}
}

// work handles queued CALLs in order and exits when the queue is empty.
func (c *Conn) work() {
	for {
		select {
		case f := <-c.inbound:
			c.handle(f)
			c.inflight.Add(-1)
		default:
			c.working.Store(false)
			if len(c.inbound) > 0 && c.working.CompareAndSwap(false, true) {
				continue
			}
			return
		}
	}
}

// handle runs one CALL through the protocol's router and answers it. A resent CALL of an
// action with side effects gets the remembered answer again.
func (c *Conn) handle(f Frame) {
	start := time.Now()
	h := c.srv.handlerFor(c.sess.Protocol)
	remember := c.srv.replay != nil && h.Remembers(f.Action)
	var sum uint64
	if remember {
		sum = payloadSum(f.Payload)
		if ans, ok := c.srv.replay.get(c.sess.StationID, f.ID, f.Action, sum, start); ok {
			c.log.Info("ocpp resent call answered from memory", "action", f.Action, "id", f.ID)
			c.sendFrame(charging.DirOut, Frame{Type: TypeCallResult, ID: f.ID, Action: f.Action}, ans)
			c.srv.obs.Message("in", f.Action, "replayed")
			return
		}
	}
	ctx, cancel := context.WithTimeout(c.srv.baseCtx, c.srv.cfg.HandlerTimeout)
	defer cancel()
	payload, err := h.Serve(ctx, c.sess, f.Action, f.Payload)
	result, label := "ok", f.Action
	if err != nil {
		result = "callerror"
		ce := toCallError(err)
		if ce.Code == ErrNotImplemented {
			label = "unknown" // keep metric label sets bounded
		}
		if ce.Code == ErrInternal {
			c.log.Error("ocpp handler failed", "action", f.Action, "id", f.ID, "err", err.Error())
		} else {
			c.log.Info("ocpp call rejected", "action", f.Action, "id", f.ID, "err", err.Error())
		}
		c.sendFrame(charging.DirOut, Frame{Type: TypeCallError, ID: f.ID, Action: f.Action},
			MarshalCallError(f.ID, ce.Code.Spell(c.sess.Protocol), ce.Description, ce.Details))
	} else {
		out := MarshalCallResult(f.ID, payload)
		if remember {
			c.srv.replay.put(c.sess.StationID, f.ID, f.Action, sum, out, start)
		}
		c.sendFrame(charging.DirOut, Frame{Type: TypeCallResult, ID: f.ID, Action: f.Action}, out)
	}
	c.srv.obs.Message("in", label, result)
	c.srv.obs.Latency("in", label, time.Since(start))
}

// Call sends a CALL to the station and waits for its CALLRESULT. A CALLERROR answer is
// returned as *CallError; no answer within the call timeout as CodeTimeout; a closed or
// overloaded connection as CodeUnavailable.
func (c *Conn) Call(ctx context.Context, action string, payload any) (json.RawMessage, error) {
	if err := wire.Validate(payload); err != nil {
		return nil, charging.Errorf(charging.CodeInvalid, "%s request: %w", action, err)
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return nil, charging.Errorf(charging.CodeInvalid, "encode %s request: %w", action, err)
	}
	if int(c.waiting.Add(1)) > c.srv.cfg.MaxQueuedCalls {
		c.waiting.Add(-1)
		return nil, charging.Errorf(charging.CodeUnavailable, "station %s has %d calls queued", c.sess.StationID, c.srv.cfg.MaxQueuedCalls)
	}
	timer := time.NewTimer(c.srv.cfg.CallTimeout)
	defer timer.Stop()
	select {
	case c.callSlot <- struct{}{}:
		c.waiting.Add(-1)
	case <-ctx.Done():
		c.waiting.Add(-1)
		return nil, charging.Errorf(charging.CodeTimeout, "%s to %s: waiting for the station's previous call: %w", action, c.sess.StationID, ctx.Err())
	case <-c.done:
		c.waiting.Add(-1)
		return nil, charging.Errorf(charging.CodeUnavailable, "station %s disconnected", c.sess.StationID)
	}
	defer func() { <-c.callSlot }()

	pc := &pendingCall{id: uuid.NewString(), action: action, ch: make(chan callOutcome, 1)}
	c.mu.Lock()
	c.pending = pc
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		if c.pending == pc {
			c.pending = nil
		}
		c.mu.Unlock()
	}()
	start := time.Now()
	if !c.sendFrame(charging.DirOut, Frame{Type: TypeCall, ID: pc.id, Action: action}, MarshalCall(pc.id, action, body)) {
		return nil, charging.Errorf(charging.CodeUnavailable, "station %s disconnected", c.sess.StationID)
	}
	select {
	case r := <-pc.ch:
		c.timeouts.Store(0)
		result := "ok"
		if r.err != nil {
			result = "callerror"
		}
		c.srv.obs.Message("out", action, result)
		c.srv.obs.Latency("out", action, time.Since(start))
		return r.payload, r.err
	case <-timer.C:
		return nil, c.timedOut(action, "no answer within "+c.srv.cfg.CallTimeout.String())
	case <-ctx.Done():
		return nil, c.timedOut(action, ctx.Err().Error())
	case <-c.done:
		c.srv.obs.Message("out", action, "unavailable")
		return nil, charging.Errorf(charging.CodeUnavailable, "station %s disconnected before answering %s", c.sess.StationID, action)
	}
}

func (c *Conn) timedOut(action, why string) error {
	c.srv.obs.Message("out", action, "timeout")
	n := c.timeouts.Add(1)
	if max := c.srv.cfg.MaxCallTimeouts; max > 0 && int(n) >= max {
		c.log.Warn("ocpp station does not answer calls; closing to force a reconnect", "unanswered", n)
		go c.close(websocket.CloseGoingAway, "no answers to CSMS calls")
	}
	return charging.Errorf(charging.CodeTimeout, "station %s did not answer %s: %s", c.sess.StationID, action, why)
}

// resolve delivers an answer to the pending call with that id, or drops a stray one.
func (c *Conn) resolve(id string, payload json.RawMessage, err error) {
	c.mu.Lock()
	pc := c.pending
	if pc != nil && pc.id == id {
		c.pending = nil
	} else {
		pc = nil
	}
	c.mu.Unlock()
	if pc == nil {
		c.log.Info("ocpp answer for no pending call dropped", "id", id)
		return
	}
	pc.ch <- callOutcome{payload: payload, err: err}
}

// sendFrame queues data for the writer and audits it; false if the connection is gone.
func (c *Conn) sendFrame(dir charging.Direction, f Frame, data []byte) bool {
	select {
	case c.out <- data:
		c.record(dir, f, data)
		return true
	case <-c.done:
		return false
	}
}

func (c *Conn) record(dir charging.Direction, f Frame, data []byte) {
	if c.srv.frames == nil {
		return
	}
	c.srv.frames.Record(charging.Frame{StationID: c.sess.StationID, Direction: dir, MessageType: int(f.Type),
		MessageID: f.ID, Action: f.Action, Payload: string(data), At: c.srv.clock.Now()})
}

// writer is the only goroutine that writes data frames.
func (c *Conn) writer() {
	cfg := &c.srv.cfg
	var ping <-chan time.Time
	if cfg.PingInterval > 0 {
		t := time.NewTicker(cfg.PingInterval)
		defer t.Stop()
		ping = t.C
	}
	for {
		select {
		case data := <-c.out:
			_ = c.ws.SetWriteDeadline(time.Now().Add(cfg.WriteTimeout))
			if err := c.ws.WriteMessage(websocket.TextMessage, data); err != nil {
				c.log.Info("ocpp write failed", "err", err.Error())
				c.close(websocket.CloseGoingAway, "")
				return
			}
		case <-ping:
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(cfg.WriteTimeout)); err != nil {
				c.close(websocket.CloseGoingAway, "")
				return
			}
		case <-c.done:
			return
		}
	}
}

// close ends the connection once: a close frame with code and reason, then the socket.
// Pending and queued calls fail with CodeUnavailable.
func (c *Conn) close(code int, reason string) {
	c.closeOnce.Do(func() {
		msg := websocket.FormatCloseMessage(code, reason)
		_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
		close(c.done)
		_ = c.ws.Close()
		c.srv.unregister(c)
	})
}

// drain waits for the station's queued CALLs to be answered (bounded by ctx), then closes.
func (c *Conn) drain(ctx context.Context, code int, reason string) {
	for c.inflight.Load() > 0 || len(c.out) > 0 {
		select {
		case <-ctx.Done():
			c.close(code, reason)
			return
		case <-c.done:
			return
		case <-time.After(5 * time.Millisecond):
		}
	}
	c.close(code, reason)
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
