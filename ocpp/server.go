package ocpp

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/admission"
	"github.com/chargehub/hub/charging"
)

// Config tunes the transport. Zero values take the defaults of DefaultConfig.
type Config struct {
	PingInterval     time.Duration // server WebSocket pings; 0 = none
	ReadTimeout      time.Duration // a socket with no inbound frame for this long is reaped
	WriteTimeout     time.Duration
	CallTimeout      time.Duration // how long a hub→station CALL waits for its answer
	HandlerTimeout   time.Duration // how long one inbound CALL may take to handle
	MaxMessageSize   int64         // read limit per message, bytes
	MaxQueuedCalls   int           // hub→station calls waiting behind the outstanding one
	MaxCallTimeouts  int           // consecutive unanswered calls before the socket is recycled; 0 = never
	Strict           bool          // reject every schema deviation (certification mode)
	ReplayWindow     time.Duration // how long answers to resendable CALLs are remembered
	ReplayPerStation int           // how many such answers are remembered per station
	// MaxConnecting bounds the upgrades being authenticated and recorded at a time; one that
	// finds no room within ConnectWait is refused with 503 and a Retry-After (see admission.go).
	// Negative: no bound.
	MaxConnecting int
	ConnectWait   time.Duration
}

// DefaultConfig returns the transport defaults.
func DefaultConfig() Config {
	return Config{
		PingInterval:     30 * time.Second,
		ReadTimeout:      11 * time.Minute, // > 2 heartbeats at the default 300 s
		WriteTimeout:     10 * time.Second,
		CallTimeout:      30 * time.Second,
		HandlerTimeout:   30 * time.Second,
		MaxMessageSize:   512 << 10,
		MaxQueuedCalls:   16,
		MaxCallTimeouts:  3,
		ReplayWindow:     30 * time.Minute,
		ReplayPerStation: 8,
		MaxConnecting:    128,
		ConnectWait:      5 * time.Second,
	}
}

func (c *Config) fill() {
	d := DefaultConfig()
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = d.ReadTimeout
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = d.WriteTimeout
	}
	if c.CallTimeout <= 0 {
		c.CallTimeout = d.CallTimeout
	}
	if c.HandlerTimeout <= 0 {
		c.HandlerTimeout = d.HandlerTimeout
	}
	if c.MaxMessageSize <= 0 {
		c.MaxMessageSize = d.MaxMessageSize
	}
	if c.MaxQueuedCalls <= 0 {
		c.MaxQueuedCalls = d.MaxQueuedCalls
	}
	if c.ReplayWindow <= 0 {
		c.ReplayWindow = d.ReplayWindow
	}
	if c.MaxConnecting == 0 {
		c.MaxConnecting = d.MaxConnecting
	}
	if c.ConnectWait <= 0 {
		c.ConnectWait = d.ConnectWait
	}
	if c.ReplayPerStation <= 0 {
		c.ReplayPerStation = d.ReplayPerStation
	}
}

// Server accepts station connections on /ocpp/{stationId} and keeps the registry of live
// connections (the newest connection of a station wins).
type Server struct {
	cfg        Config
	log        *slog.Logger
	clock      charging.Clock
	authority  StationAuthority
	handlers   map[charging.Protocol]Handler
	catalogues map[charging.Protocol]Catalogue
	protocols  []charging.Protocol // supported, in the hub's order of preference for ties
	obs        Observer
	frames     FrameSink
	upgrader   websocket.Upgrader
	baseCtx    context.Context // handlers' parent context; outlives shutdown draining
	draining   atomic.Bool
	connecting admission.Gate // bounds upgrades in progress (admission.go)
	gen        atomic.Uint64
	replay     *replayCache

	mu    sync.Mutex
	conns map[string]*Conn // guarded by mu

	seenMu sync.Mutex
	seen   map[string]time.Time // last frame per station, flushed by FlushSeen; guarded by seenMu
}

// Deps are the collaborators a Server needs.
type Deps struct {
	Log       *slog.Logger
	Clock     charging.Clock
	Authority StationAuthority
	Observer  Observer  // nil = NopObserver
	Frames    FrameSink // nil = no audit
}

// NewServer builds a server; register each protocol's handler with Handle before serving.
func NewServer(ctx context.Context, cfg Config, d Deps) *Server {
	cfg.fill()
	if d.Observer == nil {
		d.Observer = NopObserver{}
	}
	s := &Server{
		cfg: cfg, log: d.Log, clock: d.Clock, authority: d.Authority, obs: d.Observer, frames: d.Frames,
		handlers: map[charging.Protocol]Handler{}, catalogues: map[charging.Protocol]Catalogue{},
		baseCtx:    context.WithoutCancel(ctx),
		conns:      map[string]*Conn{},
		seen:       map[string]time.Time{},
		replay:     newReplayCache(cfg.ReplayWindow, cfg.ReplayPerStation),
		connecting: admission.New(cfg.MaxConnecting, cfg.ConnectWait),
	}
	// Memory per connection: the read buffer is the only buffer a connection keeps (512
	// bytes: OCPP messages are read with io.ReadAll anyway, a larger payload bypasses it);
	// write buffers come from the pool for the length of one message.
	s.upgrader = websocket.Upgrader{
		ReadBufferSize:    512,
		WriteBufferSize:   4096,
		WriteBufferPool:   &sync.Pool{},
		HandshakeTimeout:  10 * time.Second,
		EnableCompression: true,
		CheckOrigin:       func(*http.Request) bool { return true }, // stations send no Origin; auth is per station
	}
	return s
}

// Handle registers protocol p (e.g. charging.OCPP16): the handler of its inbound CALLs and
// the catalogue of its outbound commands.
func (s *Server) Handle(p charging.Protocol, h Handler, cat Catalogue) {
	s.handlers[p] = h
	s.catalogues[p] = cat
	s.protocols = append(s.protocols, p)
}

func (s *Server) handlerFor(p charging.Protocol) Handler { return s.handlers[p] }

// Mount adds the OCPP route to an Echo instance.
func (s *Server) Mount(e *echo.Echo) {
	e.GET("/ocpp/:id", s.upgrade)
	e.GET("/ocpp/:id/", s.upgrade)
}

// negotiate picks the first protocol in the client's order that the hub serves.
func (s *Server) negotiate(r *http.Request) (charging.Protocol, bool) {
	for _, offered := range websocket.Subprotocols(r) {
		for _, p := range s.protocols {
			if string(p) == offered {
				return p, true
			}
		}
	}
	return "", false
}

func (s *Server) supported() string {
	names := make([]string, len(s.protocols))
	for i, p := range s.protocols {
		names[i] = string(p)
	}
	return strings.Join(names, ", ")
}

func (s *Server) upgrade(c echo.Context) error {
	r, w := c.Request(), c.Response()
	if s.draining.Load() {
		return echo.NewHTTPError(http.StatusServiceUnavailable, "hub is shutting down")
	}
	id, err := stationIDFromParam(c.Param("id"))
	if err != nil || id == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "station id in the URL is not valid")
	}
	log := s.log.With("station", id, "remote", r.RemoteAddr)
	if !websocket.IsWebSocketUpgrade(r) {
		return echo.NewHTTPError(http.StatusBadRequest, "this endpoint only accepts WebSocket upgrades (OCPP-J)")
	}
	proto, ok := s.negotiate(r)
	if !ok {
		offered := r.Header.Get("Sec-WebSocket-Protocol")
		log.Warn("ocpp upgrade refused: no agreed subprotocol", "offered", offered)
		if offered == "" {
			return echo.NewHTTPError(http.StatusBadRequest, "no Sec-WebSocket-Protocol offered; this hub speaks "+s.supported())
		}
		return echo.NewHTTPError(http.StatusBadRequest, "none of the offered subprotocols ("+offered+") is supported; this hub speaks "+s.supported())
	}
	release, admitted := s.connecting.Enter(r.Context())
	if !admitted {
		retry := retryAfter()
		log.Info("ocpp upgrade deferred: too many stations connecting", "retry_after_s", retry)
		s.obs.ConnectDeferred()
		w.Header().Set("Retry-After", strconv.Itoa(retry))
		return echo.NewHTTPError(http.StatusServiceUnavailable, "too many stations connecting; retry later")
	}
	defer release() // the connect is recorded before upgrade returns (register)
	req := charging.ConnectRequest{StationID: id, Protocol: proto, TLS: r.TLS != nil, RemoteAddr: r.RemoteAddr}
	req.BasicUser, req.BasicPassword, req.HasBasic = basicAuth(r)
	if r.TLS != nil && len(r.TLS.VerifiedChains) > 0 && len(r.TLS.PeerCertificates) > 0 {
		req.ClientCertCN = r.TLS.PeerCertificates[0].Subject.CommonName
	}
	st, err := s.authority.Authenticate(r.Context(), req)
	if err != nil {
		switch charging.ErrorCode(err) {
		case charging.CodeNotFound:
			log.Info("ocpp upgrade refused: unknown station")
			return echo.NewHTTPError(http.StatusNotFound, "unknown station")
		case charging.CodeUnauthorized:
			log.Warn("ocpp upgrade refused: authentication failed", "err", err.Error())
			w.Header().Set("WWW-Authenticate", `Basic realm="ocpp", charset="UTF-8"`)
			return echo.NewHTTPError(http.StatusUnauthorized, "authentication failed")
		case charging.CodeConflict:
			log.Warn("ocpp upgrade refused", "err", err.Error())
			return echo.NewHTTPError(http.StatusForbidden, err.Error())
		default:
			log.Error("ocpp upgrade failed", "err", err.Error())
			return echo.NewHTTPError(http.StatusServiceUnavailable, "station lookup failed")
		}
	}
	hdr := http.Header{"Sec-Websocket-Protocol": []string{string(proto)}}
	ws, err := s.upgrader.Upgrade(w, r, hdr)
	if err != nil {
		log.Warn("ocpp upgrade failed", "err", err.Error())
		return nil // the upgrader has answered already
	}
	gen := s.gen.Add(1)
	sess := &Session{StationID: id, Protocol: proto, Strict: s.cfg.Strict, Generation: gen, RemoteAddr: r.RemoteAddr,
		Log: s.log.With("station", id, "remote", r.RemoteAddr, "proto", string(proto), "gen", gen)}
	sess.SetAccepted(st.EverAccepted())
	sess.SetProfile(s.authority.Profile(r.Context(), st.Vendor, st.Model))
	conn := newConn(s, ws, sess)
	s.register(conn)
	// The reader gets a goroutine of its own and the handler returns: net/http then drops
	// the hijacked connection's request, buffers and context, and this goroutine's stack
	// (grown deep by authentication and registration) is not kept for the socket's life.
	go conn.run()
	return nil
}

// stationIDFromParam percent-decodes the last path segment.
func stationIDFromParam(p string) (string, error) {
	if strings.Contains(p, "%") {
		return url.PathUnescape(p)
	}
	return p, nil
}

// basicAuth parses Authorization: Basic as bytes, splitting at the first colon.
func basicAuth(r *http.Request) (user string, password []byte, ok bool) {
	h := r.Header.Get("Authorization")
	const prefix = "basic "
	if len(h) < len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", nil, false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h[len(prefix):]))
	if err != nil {
		return "", nil, false
	}
	i := strings.IndexByte(string(raw), ':')
	if i < 0 {
		return "", nil, false
	}
	return string(raw[:i]), raw[i+1:], true
}

// register makes conn the station's current connection, closing an older one.
func (s *Server) register(conn *Conn) {
	id := conn.sess.StationID
	s.mu.Lock()
	old := s.conns[id]
	if old != nil && old.sess.Generation > conn.sess.Generation {
		// a newer connection registered first: this one lost the race
		s.mu.Unlock()
		s.obs.Connected(conn.sess.Protocol, 1) // balanced by unregister
		conn.close(websocket.ClosePolicyViolation, "replaced by a newer connection")
		return
	}
	s.conns[id] = conn
	s.mu.Unlock()
	if old != nil {
		old.log.Info("ocpp connection replaced by a newer one")
		old.close(websocket.ClosePolicyViolation, "replaced by a newer connection")
	}
	s.obs.Connected(conn.sess.Protocol, 1)
	ctx, cancel := context.WithTimeout(s.baseCtx, s.cfg.HandlerTimeout)
	defer cancel()
	if ga, ok := s.authority.(GenerationAuthority); ok {
		ga.ConnectedGen(ctx, id, conn.sess.Protocol, conn.sess.Generation, s.clock.Now())
	} else {
		s.authority.Connected(ctx, id, conn.sess.Protocol, s.clock.Now())
	}
	conn.log.Info("ocpp station connected")
}

// unregister forgets conn if it is still the station's current connection.
func (s *Server) unregister(conn *Conn) {
	id := conn.sess.StationID
	s.mu.Lock()
	current := s.conns[id] == conn
	if current {
		delete(s.conns, id)
	}
	s.mu.Unlock()
	s.obs.Connected(conn.sess.Protocol, -1)
	if current {
		ctx, cancel := context.WithTimeout(s.baseCtx, s.cfg.HandlerTimeout)
		defer cancel()
		if ga, ok := s.authority.(GenerationAuthority); ok {
			ga.DisconnectedGen(ctx, id, conn.sess.Generation, s.clock.Now())
		} else {
			s.authority.Disconnected(ctx, id, s.clock.Now())
		}
	}
	conn.log.Info("ocpp station disconnected", "current", current)
}

// Conn returns the station's live connection, if any.
func (s *Server) Conn(stationID string) (*Conn, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.conns[stationID]
	return c, ok
}

// ConnectionOf reports the protocol and generation number of a station's live connection.
func (s *Server) ConnectionOf(stationID string) (charging.Protocol, uint64, bool) {
	c, ok := s.Conn(stationID)
	if !ok {
		return "", 0, false
	}
	return c.sess.Protocol, c.sess.Generation, true
}

// Kick closes the station's connection with 1008 (replaced by a newer connection) when its
// generation is at most upTo: a newer connection of the station opened elsewhere (another
// node). A newer local connection is left alone. It reports whether a connection was closed.
func (s *Server) Kick(stationID string, upTo uint64) bool {
	c, ok := s.Conn(stationID)
	if !ok || c.sess.Generation > upTo {
		return false
	}
	c.log.Info("ocpp connection replaced by a newer one elsewhere")
	go c.close(websocket.ClosePolicyViolation, "replaced by a newer connection")
	return true
}

// Connected returns how many stations are connected.
func (s *Server) Connected() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Call sends a CALL to a connected station and waits for the answer (the station gateway).
func (s *Server) Call(ctx context.Context, stationID, action string, payload any) ([]byte, error) {
	c, ok := s.Conn(stationID)
	if !ok {
		return nil, charging.Errorf(charging.CodeUnavailable, "station %s is not connected", stationID)
	}
	return c.Call(ctx, action, payload)
}

// ProtocolOf reports the protocol of a connected station.
func (s *Server) ProtocolOf(stationID string) (charging.Protocol, bool) {
	c, ok := s.Conn(stationID)
	if !ok {
		return "", false
	}
	return c.sess.Protocol, true
}

func (s *Server) touch(stationID string) {
	now := s.clock.Now()
	s.seenMu.Lock()
	s.seen[stationID] = now
	s.seenMu.Unlock()
}

// TakeSeen returns and clears the last-seen times collected since the previous call, for a
// periodic batched write.
func (s *Server) TakeSeen() map[string]time.Time {
	s.seenMu.Lock()
	defer s.seenMu.Unlock()
	if len(s.seen) == 0 {
		return nil
	}
	out := s.seen
	s.seen = make(map[string]time.Time, len(out))
	return out
}

// Shutdown stops accepting connections, lets every station's queued CALLs be answered,
// then closes each socket with 1001 (going away). It returns when all are closed or ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.draining.Store(true)
	s.mu.Lock()
	conns := make([]*Conn, 0, len(s.conns))
	for _, c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Add(1)
		go func() { defer wg.Done(); c.drain(ctx, websocket.CloseGoingAway, "hub shutting down") }()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("ocpp shutdown: %w", err)
	}
	return nil
}
