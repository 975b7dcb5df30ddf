// Package sim simulates OCPP charging stations for hub sim chargers, integration tests and benchmarks.
//
// A Charger is one OCPP 1.6J or 2.0.1 station (DialOptions.Protocol) on a
// gorilla/websocket connection: it sends CALLs with Call (or the behaviour helpers: Boot,
// Status, ... for 1.6; Boot201, Status201, TransactionEvent, ... for 2.0.1; Heartbeat,
// Idle and RunSession for both) and answers the hub's CALLs itself (see handleCall). It
// is also a strict peer: every payload it sends passes wire.Validate, every payload it
// receives is decoded with wire.Options{Strict: true} against its protocol's catalogue,
// and deviations of the hub are counted as schema errors in its Stats.
//
// Run drives a fleet of chargers (1.6, 2.0.1 or a mix of both) and returns a Report.
package sim

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"github.com/chargehub/hub/ocpp"
	"github.com/chargehub/hub/ocpp/wire"
)

// The WebSocket subprotocols the simulator speaks.
const (
	ProtocolOCPP16  = "ocpp1.6"
	ProtocolOCPP201 = "ocpp2.0.1"
)

// Errors returned by Call.
var (
	// ErrClosed: the socket ended before the answer arrived.
	ErrClosed = errors.New("sim: connection closed")
	// ErrTimeout: no answer within DialOptions.CallTimeout. (When ctx ends first, Call
	// returns the context's error instead.)
	ErrTimeout = errors.New("sim: call timed out")
)

// CallError is a CALLERROR answer of the hub.
type CallError struct {
	Code        string
	Description string
}

func (e *CallError) Error() string {
	if e.Description == "" {
		return "CALLERROR " + e.Code
	}
	return "CALLERROR " + e.Code + ": " + e.Description
}

// SchemaError is an answer of the hub that violates the OCPP schema of the connection's
// protocol (1.6 or 2.0.1).
type SchemaError struct {
	Action    string
	Violation error
}

func (e *SchemaError) Error() string {
	return "schema violation in the hub's " + e.Action + " answer: " + e.Violation.Error()
}

func (e *SchemaError) Unwrap() error { return e.Violation }

// HandshakeError is a refused WebSocket upgrade: StatusCode and the start of Body are
// what the hub answered (e.g. 401, 404, 400).
type HandshakeError struct {
	StationID  string
	StatusCode int
	Body       string
	RetryAfter time.Duration // the hub's Retry-After (503: come back later); negative when absent
	Err        error
}

func (e *HandshakeError) Error() string {
	msg := fmt.Sprintf("sim: websocket handshake of %s refused: HTTP %d %s", e.StationID, e.StatusCode, http.StatusText(e.StatusCode))
	if b := strings.TrimSpace(e.Body); b != "" {
		msg += ": " + b
	}
	return msg
}

func (e *HandshakeError) Unwrap() error { return e.Err }

// CallHook sees a CALL of the hub before the built-in answers. req is the strictly
// decoded request (a pointer from v16.Lookup(action).NewRequest, or v201.Lookup on a
// 2.0.1 charger) or nil when the action is not in the protocol's catalogue; raw is the
// payload as received. Returning handled=false falls back to the built-in answer.
// Otherwise a *CallError (or any other error, sent as InternalError) becomes a
// CALLERROR, and resp, which must be schema-valid, the CALLRESULT.
type CallHook func(c *Charger, action string, req any, raw json.RawMessage) (resp any, handled bool, err error)

// DialOptions configures one Charger.
type DialOptions struct {
	// URL is the hub's OCPP base, e.g. ws://127.0.0.1:8080/ocpp; "/" + the path-escaped ID is appended.
	URL string
	// ID is the station identity.
	ID string
	// Password turns on HTTP Basic auth with user ID.
	Password string
	// Protocol is "ocpp1.6" (also when "") or "ocpp2.0.1".
	Protocol string
	// Connectors is the number of connectors (default 1); on a 2.0.1 charger the number
	// of EVSEs, each with one connector (connectorId 1).
	Connectors int
	// CallTimeout bounds each Call without an earlier context deadline (default 30 s).
	CallTimeout time.Duration
	// HandshakeTimeout bounds the WebSocket upgrade (default 30 s).
	HandshakeTimeout time.Duration
	// SessionMeterValues and SessionInterval shape the sessions started by
	// RemoteStartTransaction / RequestStartTransaction (defaults 3 and 1 s).
	SessionMeterValues int
	SessionInterval    time.Duration
	// SerialNumber goes into BootNotification (default: the ID, cut to 25 characters).
	SerialNumber string
	// OnCall, when set, is asked first about every CALL of the hub.
	OnCall CallHook
	// Stats receives the counters; nil gives the charger its own.
	Stats *Stats
	// Logger receives debug/warn lines; nil discards them.
	Logger *slog.Logger
}

// Charger is one simulated OCPP 1.6J or 2.0.1 station. Its methods are safe for concurrent use.
// It runs one reader goroutine; writes are serialised by a mutex; its own CALLs are sent
// one at a time (OCPP's one-outstanding-CALL rule).
type Charger struct {
	id    string
	opts  DialOptions
	conn  *websocket.Conn
	stats *Stats
	log   *slog.Logger

	wmu  sync.Mutex    // serialises writes
	slot chan struct{} // one outstanding CALL

	pmu       sync.Mutex
	pendingID string
	reply     chan reply // capacity 1, reused between calls

	done      chan struct{} // closed when the reader exits
	closeCode atomic.Int32
	closeOnce sync.Once
	life      context.Context // cancelled when the socket ends: bounds background work
	cancel    context.CancelFunc

	hbInterval atomic.Int64 // ns; 0 = no automatic heartbeats
	lastHB     atomic.Int64 // unix ns of the last heartbeat (or boot)

	state stationState
	v2    *state201 // the 2.0.1 station's state; nil on a 1.6 charger
}

type reply struct {
	frame ocpp.Frame
	at    time.Time
}

// wbufPool lends write buffers to all connections, so an idle charger holds none.
var wbufPool = &sync.Pool{}

// readBufPool lends read buffers for one message at a time.
var readBufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// discardLogger is used when DialOptions.Logger is nil.
var discardLogger = slog.New(slog.DiscardHandler)

// Dial opens the station's WebSocket to the hub and starts its reader. A refused
// handshake returns a *HandshakeError carrying the HTTP status and body.
func Dial(ctx context.Context, o DialOptions) (*Charger, error) {
	switch o.Protocol {
	case "":
		o.Protocol = ProtocolOCPP16
	case ProtocolOCPP16, ProtocolOCPP201:
	default:
		return nil, fmt.Errorf("sim: protocol %q is not supported (supported: %s, %s)", o.Protocol, ProtocolOCPP16, ProtocolOCPP201)
	}
	if o.ID == "" {
		return nil, errors.New("sim: station id is empty")
	}
	if o.Connectors <= 0 {
		o.Connectors = 1
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = 30 * time.Second
	}
	if o.HandshakeTimeout <= 0 {
		o.HandshakeTimeout = 30 * time.Second
	}
	if o.SessionMeterValues <= 0 {
		o.SessionMeterValues = 3
	}
	if o.SessionInterval <= 0 {
		o.SessionInterval = time.Second
	}
	if o.SerialNumber == "" {
		o.SerialNumber = o.ID
		if r := []rune(o.SerialNumber); len(r) > 25 {
			o.SerialNumber = string(r[:25])
		}
	}
	if o.Stats == nil {
		o.Stats = NewStats()
	}
	if o.Logger == nil {
		o.Logger = discardLogger
	}
	target := strings.TrimRight(o.URL, "/") + "/" + url.PathEscape(o.ID)
	hdr := http.Header{}
	if o.Password != "" {
		hdr.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(o.ID+":"+o.Password)))
	}
	d := websocket.Dialer{
		Subprotocols:     []string{o.Protocol},
		HandshakeTimeout: o.HandshakeTimeout,
		ReadBufferSize:   1024,
		WriteBufferSize:  1024,
		WriteBufferPool:  wbufPool,
	}
	conn, resp, err := d.DialContext(ctx, target, hdr)
	if err != nil {
		if resp != nil && errors.Is(err, websocket.ErrBadHandshake) {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
			resp.Body.Close()
			he := &HandshakeError{StationID: o.ID, StatusCode: resp.StatusCode, Body: string(body), RetryAfter: -1, Err: err}
			if sec, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && sec >= 0 {
				he.RetryAfter = time.Duration(sec) * time.Second
			}
			return nil, he
		}
		return nil, fmt.Errorf("sim: dial %s: %w", target, err)
	}
	if p := conn.Subprotocol(); p != o.Protocol {
		conn.Close()
		return nil, fmt.Errorf("sim: hub chose subprotocol %q for %s, want %s", p, o.ID, o.Protocol)
	}
	conn.SetReadLimit(1 << 20)
	c := &Charger{
		id:    o.ID,
		opts:  o,
		conn:  conn,
		stats: o.Stats,
		log:   o.Logger.With("station", o.ID),
		slot:  make(chan struct{}, 1),
		reply: make(chan reply, 1),
		done:  make(chan struct{}),
	}
	c.life, c.cancel = context.WithCancel(context.Background())
	c.state.init(o.Connectors)
	if o.Protocol == ProtocolOCPP201 {
		c.v2 = newState201(o.Connectors)
	}
	c.lastHB.Store(time.Now().UnixNano())
	go c.readLoop()
	return c, nil
}

// ID returns the station identity.
func (c *Charger) ID() string { return c.id }

// Protocol returns the negotiated subprotocol: "ocpp1.6" or "ocpp2.0.1".
func (c *Charger) Protocol() string { return c.opts.Protocol }

// Stats returns the counters the charger reports to.
func (c *Charger) Stats() *Stats { return c.stats }

// Done is closed when the socket has ended (either side closed it or it broke).
func (c *Charger) Done() <-chan struct{} { return c.done }

// CloseCode returns the WebSocket close code the connection ended with: the hub's code
// (e.g. 1008 on takeover, 1001 on shutdown), 1000 after Close, 1006 when the socket broke
// without a close frame, 0 while it is open.
func (c *Charger) CloseCode() int { return int(c.closeCode.Load()) }

// Close sends a close frame with code 1000, waits briefly for the hub's echo and
// releases the socket. It is idempotent and returns once the reader has stopped.
func (c *Charger) Close() error {
	c.closeOnce.Do(func() {
		msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
		err := c.conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
		if err == nil {
			t := time.NewTimer(2 * time.Second)
			select {
			case <-c.done:
			case <-t.C:
			}
			t.Stop()
		}
		c.conn.Close()
		<-c.done
	})
	return nil
}

// Send writes raw as one text frame, unchecked: for tests that need arbitrary frames.
func (c *Charger) Send(raw []byte) error { return c.write(raw) }

func (c *Charger) write(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return c.conn.WriteMessage(websocket.TextMessage, b)
}

// Call sends the CALL action with payload req (validated first with wire.Validate) and
// waits for the answer. A CALLRESULT is strictly decoded into resp (a pointer to the
// action's response type; nil decodes into the catalogue's type, only to check it). A
// CALLERROR returns *CallError, a schema violation *SchemaError; both are counted. The
// round trip is recorded in the latency histogram.
func (c *Charger) Call(ctx context.Context, action string, req any, resp any) error {
	if err := wire.Validate(req); err != nil {
		return fmt.Errorf("sim: own %s request is invalid: %w", action, err)
	}
	payload, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("sim: marshal %s: %w", action, err)
	}
	select {
	case c.slot <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	case <-c.done:
		return ErrClosed
	}
	defer func() { <-c.slot }()
	if isClosed(c) {
		return ErrClosed
	}

	id := uuid.NewString()
	c.pmu.Lock()
	c.pendingID = id
	c.pmu.Unlock()
	defer c.clearPending()

	start := time.Now()
	c.stats.sent(start)
	if err := c.write(ocpp.MarshalCall(id, action, payload)); err != nil {
		// gorilla's write errors are permanent: the connection is unusable
		return fmt.Errorf("%w: sending %s failed: %v", ErrClosed, action, err)
	}
	timer := time.NewTimer(c.opts.CallTimeout)
	defer timer.Stop()
	var r reply
	select {
	case r = <-c.reply:
	case <-timer.C:
		c.stats.timeouts.Add(1)
		err := fmt.Errorf("%w: %s after %s", ErrTimeout, action, c.opts.CallTimeout)
		c.stats.noteError(err)
		return err
	case <-ctx.Done(): // the caller gave up: not the hub's fault, not counted
		return ctx.Err()
	case <-c.done:
		return fmt.Errorf("%w while waiting for the %s answer (close code %d)", ErrClosed, action, c.CloseCode())
	}
	c.stats.answered(action, start, r.at)
	if r.frame.Type == ocpp.TypeCallError {
		c.stats.callErrors.Add(1)
		err := &CallError{Code: r.frame.ErrorCode, Description: r.frame.ErrorDescription}
		c.stats.noteError(fmt.Errorf("%s: %w", action, err))
		return err
	}
	if resp == nil {
		resp = c.newResponse(action)
	}
	if resp != nil {
		if _, err := wire.Decode(r.frame.Payload, resp, wire.Options{Strict: true}); err != nil {
			var vio *wire.Violation
			if errors.As(err, &vio) {
				c.stats.schemaErrors.Add(1)
				serr := &SchemaError{Action: action, Violation: vio}
				c.stats.noteError(serr)
				c.log.Warn("hub answer violates the schema", "action", action, "err", vio, "payload", string(r.frame.Payload))
				return serr
			}
			return fmt.Errorf("sim: decode %s answer: %w", action, err)
		}
	}
	return nil
}

func (c *Charger) clearPending() {
	c.pmu.Lock()
	c.pendingID = ""
	c.pmu.Unlock()
	select { // drop an answer that raced with a timeout
	case <-c.reply:
	default:
	}
}

// readLoop is the charger's only reader: it routes answers to the waiting Call and
// answers the hub's CALLs. It exits when the socket ends, closing done.
func (c *Charger) readLoop() {
	defer func() {
		if c.closeCode.Load() == 0 {
			c.closeCode.Store(websocket.CloseAbnormalClosure)
		}
		c.cancel()
		close(c.done)
		c.conn.Close()
	}()
	for {
		typ, r, err := c.conn.NextReader()
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				c.closeCode.Store(int32(ce.Code))
			}
			c.log.Debug("socket ended", "err", err)
			return
		}
		if typ != websocket.TextMessage {
			c.stats.schemaErrors.Add(1)
			c.stats.noteError(errors.New("hub sent a binary frame"))
			continue
		}
		buf := readBufPool.Get().(*bytes.Buffer)
		buf.Reset()
		if _, err := buf.ReadFrom(r); err != nil {
			readBufPool.Put(buf)
			c.log.Debug("read failed", "err", err)
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				c.closeCode.Store(int32(ce.Code))
			}
			return
		}
		c.dispatch(buf.Bytes()) // ParseFrame copies what it keeps
		if buf.Cap() > 64<<10 {
			buf = new(bytes.Buffer) // do not pool huge buffers
		}
		readBufPool.Put(buf)
	}
}

// dispatch handles one inbound frame.
func (c *Charger) dispatch(data []byte) {
	f, err := ocpp.ParseFrame(data)
	if err != nil {
		c.stats.schemaErrors.Add(1)
		c.stats.noteError(fmt.Errorf("hub sent a bad frame: %w", err))
		c.log.Warn("bad frame from the hub", "err", err, "frame", truncate(data, 200))
		var fe *ocpp.FrameError
		if errors.As(err, &fe) && fe.Type == ocpp.TypeCall && fe.ID != "" {
			c.write(ocpp.MarshalCallError(fe.ID, c.violationCode(wire.FormationViolation), fe.Reason, nil))
		}
		return
	}
	switch f.Type {
	case ocpp.TypeCall:
		c.stats.messages.Add(1)
		c.handleCall(f)
	case ocpp.TypeCallResult, ocpp.TypeCallError:
		now := time.Now()
		c.pmu.Lock()
		if f.ID != "" && f.ID == c.pendingID {
			c.pendingID = ""
			c.reply <- reply{frame: f, at: now}
		} else {
			c.log.Debug("answer for an unknown message id dropped", "id", f.ID)
		}
		c.pmu.Unlock()
	}
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// SetHeartbeatInterval turns on automatic heartbeats while the charger waits in Idle or
// between meter values of RunSession; 0 turns them off.
func (c *Charger) SetHeartbeatInterval(d time.Duration) { c.hbInterval.Store(int64(d)) }

// Idle keeps the charger connected for d, sending heartbeats when they fall due. It
// returns early with the context's error or ErrClosed when the socket ends.
func (c *Charger) Idle(ctx context.Context, d time.Duration) error {
	return c.sleep(ctx, d, nil)
}

// sleep waits d, sending due heartbeats; stop (may be nil) ends the wait early with nil.
func (c *Charger) sleep(ctx context.Context, d time.Duration, stop <-chan struct{}) error {
	end := time.Now().Add(d)
	for {
		now := time.Now()
		if !now.Before(end) {
			return nil
		}
		wake := end
		hb := time.Duration(c.hbInterval.Load())
		var next time.Time
		if hb > 0 {
			next = time.Unix(0, c.lastHB.Load()).Add(hb)
			if next.Before(wake) {
				wake = next
			}
		}
		t := time.NewTimer(wake.Sub(now))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-c.done:
			t.Stop()
			return ErrClosed
		case <-stop:
			t.Stop()
			return nil
		case <-t.C:
		}
		if hb > 0 && !time.Now().Before(next) {
			last := c.lastHB.Load()
			if time.Unix(0, last).Add(hb).After(time.Now()) || !c.lastHB.CompareAndSwap(last, time.Now().UnixNano()) {
				continue // someone else sent it
			}
			if _, err := c.Heartbeat(ctx); err != nil && !isTransient(err) {
				return err
			}
		}
	}
}

// isTransient reports errors that should not end a charger's run on their own.
func isTransient(err error) bool {
	var ce *CallError
	var se *SchemaError
	return errors.As(err, &ce) || errors.As(err, &se) || errors.Is(err, ErrTimeout)
}
