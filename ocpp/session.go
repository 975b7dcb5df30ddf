package ocpp

import (
	"context"
	"encoding/json"
	"log/slog"
	"reflect"
	"sync/atomic"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpp/wire"
)

// Session is what a message handler knows of the connection a CALL arrived on.
type Session struct {
	StationID  string
	Protocol   charging.Protocol
	Strict     bool   // schema deviations are errors, not warnings (certification mode)
	Generation uint64 // increases with every accepted connection; older generations are stale
	RemoteAddr string
	Log        *slog.Logger

	conn     *Conn
	accepted atomic.Bool // the station has been accepted (now or on an earlier connection)
	profile  atomic.Pointer[charging.VendorProfile]
}

// Profile returns the station's vendor leniency profile (the default one until set).
func (s *Session) Profile() charging.VendorProfile {
	if p := s.profile.Load(); p != nil {
		return *p
	}
	return charging.VendorProfile{}
}

// SetProfile installs the station's vendor profile (at connect, and after a boot that may
// have changed vendor or model). The default profile is kept as nil: no copy per station.
func (s *Session) SetProfile(p charging.VendorProfile) {
	if reflect.ValueOf(p).IsZero() {
		s.profile.Store(nil)
		return
	}
	s.profile.Store(&p)
}

// Time reads a station timestamp: one that came without a zone is moved into the zone of
// the station's vendor profile (UTC by default).
func (s *Session) Time(t wire.DateTime) time.Time {
	if t.Flag == wire.FlagTSNoZone {
		return s.Profile().ReinterpretZoneless(t.Time)
	}
	return t.Time
}

// DecodeOptions are the schema options for this station's payloads: strict when the hub or
// the station's profile says so, with the profile's refused leniencies.
func (s *Session) DecodeOptions() wire.Options {
	p := s.Profile()
	return wire.Options{Strict: s.Strict || p.Strict, Reject: p.Reject}
}

// Accepted reports whether the station may send messages beyond BootNotification.
func (s *Session) Accepted() bool { return s.accepted.Load() }

// SetAccepted records the outcome of a BootNotification.
func (s *Session) SetAccepted(v bool) { s.accepted.Store(v) }

// Call sends a CALL to the station on this session's connection and waits for the answer.
func (s *Session) Call(ctx context.Context, action string, payload any) (json.RawMessage, error) {
	return s.conn.Call(ctx, action, payload)
}

// warn reports leniencies the decoder applied.
func (s *Session) warn(action string, ws []wire.Warning) {
	for _, w := range ws {
		s.conn.srv.obs.Leniency(action, w.Flag)
		if s.Log.Enabled(context.Background(), slog.LevelDebug) {
			s.Log.Debug("ocpp leniency applied", "action", action, "path", w.Path, "flag", w.Flag, "raw", w.Raw)
		}
	}
}

// Handler serves the inbound CALLs of one protocol version. *Router implements it.
type Handler interface {
	Serve(ctx context.Context, s *Session, action string, payload json.RawMessage) (json.RawMessage, error)
	// Remembers reports whether the answer to action is replayed to a resent CALL.
	Remembers(action string) bool
}

// Observer receives transport events for metrics. Implementations must be cheap and safe
// for concurrent use.
type Observer interface {
	Connected(p charging.Protocol, delta int)
	// Message counts a handled message: dir "in" (CALL from a station) or "out" (CALL to a
	// station); result "ok", "callerror" or "timeout".
	Message(dir, action, result string)
	Latency(dir, action string, d time.Duration)
	Leniency(action, flag string)
	BadFrame()
	// ConnectDeferred counts an upgrade refused with 503 because too many were in progress.
	ConnectDeferred()
}

// NopObserver ignores every event.
type NopObserver struct{}

func (NopObserver) Connected(charging.Protocol, int)      {}
func (NopObserver) Message(string, string, string)        {}
func (NopObserver) Latency(string, string, time.Duration) {}
func (NopObserver) Leniency(string, string)               {}
func (NopObserver) BadFrame()                             {}
func (NopObserver) ConnectDeferred()                      {}

// FrameSink receives every frame in and out for the audit log. Record must not block.
type FrameSink interface {
	Record(f charging.Frame)
}

// StationAuthority decides who may connect and learns who is connected. The charging
// service implements it.
type StationAuthority interface {
	// Authenticate checks a station's upgrade request. CodeNotFound refuses it as unknown
	// (404), CodeUnauthorized as badly authenticated (401), CodeConflict as a security
	// profile mismatch (403).
	Authenticate(ctx context.Context, req charging.ConnectRequest) (charging.Station, error)
	// Profile returns the vendor leniency profile for a station's vendor and model.
	Profile(ctx context.Context, vendor, model string) charging.VendorProfile
	Connected(ctx context.Context, stationID string, p charging.Protocol, at time.Time)
	Disconnected(ctx context.Context, stationID string, at time.Time)
}

// GenerationAuthority is a StationAuthority that keys presence by connection: when the
// server's authority implements it, the server calls ConnectedGen and DisconnectedGen with the
// connection's generation number instead of Connected and Disconnected (a cluster layer
// recording which node holds which socket does).
type GenerationAuthority interface {
	StationAuthority
	ConnectedGen(ctx context.Context, stationID string, p charging.Protocol, gen uint64, at time.Time)
	DisconnectedGen(ctx context.Context, stationID string, gen uint64, at time.Time)
}
