package ocpp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
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
// demand; every data frame is written by the connection's single writer, a goroutine
// started on demand that exits when the queue is empty (so an idle station costs one
// goroutine, the reader); pings come from a timer; at most one CALL from the hub is
// outstanding, with a bounded queue behind it.
type Conn struct {
	ws   *websocket.Conn
	srv  *Server
	sess *Session
	log  *slog.Logger

	out       fifo[[]byte]  // frames for the writer
	inbound   fifo[Frame]   // CALLs for the worker
	inflight  atomic.Int32  // inbound CALLs queued or being handled
	done      chan struct{} // closed once the connection is finished
	closeOnce sync.Once

	callSlot chan struct{} // capacity 1: the one outstanding hub→station CALL
	waiting  atomic.Int32  // calls waiting for the slot
	timeouts atomic.Int32  // consecutive unanswered calls

	mu      sync.Mutex
	pending *pendingCall // guarded by mu
	ping    *time.Timer  // guarded by mu; nil without pings
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

// run reads until the socket ends. It runs on a goroutine of its own (not the HTTP
// handler's, so that the request, its buffers and the handler's deep stack are released
// once the upgrade is done); writes are started on demand by sendFrame, pings by a timer.
//
// An idle station's reader is parked in the read below, so this loop is kept shallow (the
// work is in message, not inlined): the runtime halves a goroutine's stack at GC only while
// less than a quarter of it is in use, and a shallow parked reader fits a 4 KiB stack.
func (c *Conn) run() {
	defer c.recoverReader()
	c.start()
	for {
		typ, r, err := c.ws.NextReader()
		if !c.message(typ, r, err) {
			return
		}
	}
}

// start sets the socket's limits and keepalive handlers and starts the ping timer.
func (c *Conn) start() {
	cfg := &c.srv.cfg
	c.ws.SetReadLimit(cfg.MaxMessageSize)
	c.extend()
	c.ws.SetPongHandler(c.onPong)
	c.ws.SetPingHandler(c.onPing)
	if cfg.PingInterval > 0 {
		c.mu.Lock()
		select {
		case <-c.done: // closed already (lost a registration race): no pings
		default:
			c.ping = time.AfterFunc(cfg.PingInterval, c.sendPing)
		}
		c.mu.Unlock()
	}
}

func (c *Conn) extend() { _ = c.ws.SetReadDeadline(time.Now().Add(c.srv.cfg.ReadTimeout)) }

func (c *Conn) onPong(string) error { c.extend(); return nil }

func (c *Conn) onPing(data string) error {
	c.extend()
	err := c.ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(c.srv.cfg.WriteTimeout))
	if err != nil && !errors.Is(err, websocket.ErrCloseSent) {
		return err
	}
	return nil
}

// message reads and handles one message (what ws.ReadMessage would return); false once the
// socket has ended.
//
//go:noinline
func (c *Conn) message(typ int, r io.Reader, err error) bool {
	var data []byte
	if err == nil {
		data, err = io.ReadAll(r)
	}
	if err != nil {
		if !isNormalClose(err) {
			c.log.Info("ocpp connection ended", "err", err.Error())
		}
		c.close(websocket.CloseGoingAway, "")
		return false
	}
	c.extend()
	if typ != websocket.TextMessage {
		c.log.Warn("ocpp binary frame ignored", "bytes", len(data))
		c.srv.obs.BadFrame()
		return true
	}
	c.srv.touch(c.sess.StationID)
	c.receive(data)
	return true
}

// recoverReader turns a panic on the reader into a log line and a closed socket (the reader
// no longer runs under net/http's handler recovery).
func (c *Conn) recoverReader() {
	if r := recover(); r != nil {
		c.log.Error("ocpp connection reader panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		c.close(websocket.CloseInternalServerErr, "")
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
		ok, start := c.inbound.push(f, maxQueued, c.done)
		if !ok {
			c.inflight.Add(-1)
			return
		}
		if start {
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
		f, ok := c.inbound.pop()
		if !ok {
			return
		}
		c.handle(f)
		c.inflight.Add(-1)
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
	ok, start := c.out.push(data, maxQueued, c.done)
	if !ok {
		return false
	}
	if start {
		go c.writer()
	}
	c.record(dir, f, data)
	return true
}

func (c *Conn) record(dir charging.Direction, f Frame, data []byte) {
	if c.srv.frames == nil {
		return
	}
	c.srv.frames.Record(charging.Frame{StationID: c.sess.StationID, Direction: dir, MessageType: int(f.Type),
		MessageID: f.ID, Action: f.Action, Payload: string(data), At: c.srv.clock.Now()})
}

// writer writes the queued data frames in order and exits when the queue is empty. It is
// started by sendFrame; the queue's running flag keeps it the only goroutine writing data
// frames.
func (c *Conn) writer() {
	cfg := &c.srv.cfg
	for {
		data, ok := c.out.pop()
		if !ok {
			return
		}
		select {
		case <-c.done:
			c.out.stop()
			return
		default:
		}
		_ = c.ws.SetWriteDeadline(time.Now().Add(cfg.WriteTimeout))
		if err := c.ws.WriteMessage(websocket.TextMessage, data); err != nil {
			c.log.Info("ocpp write failed", "err", err.Error())
			c.close(websocket.CloseGoingAway, "")
			c.out.stop()
			return
		}
	}
}

// sendPing runs on the ping timer: a WebSocket ping (control frames may be written
// concurrently with the data writer), then the timer is set again.
func (c *Conn) sendPing() {
	select {
	case <-c.done:
		return
	default:
	}
	cfg := &c.srv.cfg
	if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(cfg.WriteTimeout)); err != nil {
		c.close(websocket.CloseGoingAway, "")
		return
	}
	c.mu.Lock()
	if c.ping != nil {
		c.ping.Reset(cfg.PingInterval)
	}
	c.mu.Unlock()
}

// close ends the connection once: a close frame with code and reason, then the socket.
// Pending and queued calls fail with CodeUnavailable.
func (c *Conn) close(code int, reason string) {
	c.closeOnce.Do(func() {
		msg := websocket.FormatCloseMessage(code, reason)
		_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
		close(c.done)
		c.mu.Lock()
		if c.ping != nil {
			c.ping.Stop()
			c.ping = nil
		}
		c.mu.Unlock()
		_ = c.ws.Close()
		c.srv.unregister(c)
	})
}

// drain waits for the station's queued CALLs to be answered (bounded by ctx), then closes.
func (c *Conn) drain(ctx context.Context, code int, reason string) {
	for c.inflight.Load() > 0 || c.out.busy() {
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

// maxQueued bounds each of a connection's queues: CALLs from the station waiting for the
// worker, and frames waiting for the writer. A full queue holds its producer back.
const maxQueued = 32

// fifo is a bounded queue with a consumer goroutine started on demand. It holds no memory
// while empty (an idle station's queues are two nil slices), unlike a buffered channel.
type fifo[T any] struct {
	mu      sync.Mutex
	items   []T           // oldest first; nil when empty
	room    chan struct{} // made by a producer waiting for room, closed when an item is taken
	running bool          // a consumer goroutine is running (or about to)
}

// push appends v, waiting while the queue holds max items; false if done is closed first.
// start tells the caller to start the consumer goroutine.
func (q *fifo[T]) push(v T, max int, done <-chan struct{}) (ok, start bool) {
	for {
		q.mu.Lock()
		if len(q.items) < max {
			q.items = append(q.items, v)
			start = !q.running
			q.running = true
			q.mu.Unlock()
			return true, start
		}
		if q.room == nil {
			q.room = make(chan struct{})
		}
		room := q.room
		q.mu.Unlock()
		select {
		case <-room:
		case <-done:
			return false, false
		}
	}
}

// pop takes the oldest item for the consumer. On an empty queue it records that the
// consumer has stopped and returns false: the consumer must exit then.
func (q *fifo[T]) pop() (v T, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		q.items = nil
		q.running = false
		return v, false
	}
	v = q.items[0]
	var zero T
	q.items[0] = zero
	q.items = q.items[1:]
	if q.room != nil {
		close(q.room)
		q.room = nil
	}
	return v, true
}

// stop records that the consumer exits with items left (the connection has ended).
func (q *fifo[T]) stop() {
	q.mu.Lock()
	q.running = false
	q.mu.Unlock()
}

// busy reports whether items are queued or the consumer is still at work.
func (q *fifo[T]) busy() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items) > 0 || q.running
}
