package ocpp

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/chargehub/hub/ocpp/wire"
)

// Route binds one inbound action to its handler: action → request type → handler →
// response type. Build routes with On.
type Route struct {
	Action   string
	remember bool
	handle   func(ctx context.Context, s *Session, payload json.RawMessage) (json.RawMessage, error)
}

// On builds the route for action: the payload is decoded and validated into Req (lenient
// unless the session is strict; leniencies are reported to the session), fn runs, and its
// response is validated strictly before it is sent.
func On[Req, Resp any](action string, fn func(ctx context.Context, s *Session, req *Req) (*Resp, error)) Route {
	return Route{Action: action, handle: func(ctx context.Context, s *Session, payload json.RawMessage) (json.RawMessage, error) {
		req := new(Req)
		warnings, err := wire.Decode(payload, req, s.DecodeOptions())
		if err != nil {
			return nil, err
		}
		if len(warnings) > 0 {
			s.warn(action, warnings)
		}
		resp, err := fn(ctx, s, req)
		if err != nil {
			return nil, err
		}
		if err := wire.Validate(resp); err != nil {
			return nil, fmt.Errorf("%s response fails its own schema: %w", action, err)
		}
		out, err := json.Marshal(resp)
		if err != nil {
			return nil, fmt.Errorf("encode %s response: %w", action, err)
		}
		return out, nil
	}}
}

// Remember marks an action whose answer is replayed to a CALL resent with the same
// messageId (actions with side effects: transactions, meter values, vendor data).
func (r Route) Remember() Route { r.remember = true; return r }

// Gate wraps a handler so that a station that was never accepted gets CALLERROR
// SecurityError (1.6 J errata 3.8, 2.0.1 B02.FR.09) instead of being served.
func Gate[Req, Resp any](fn func(context.Context, *Session, *Req) (*Resp, error)) func(context.Context, *Session, *Req) (*Resp, error) {
	return func(ctx context.Context, s *Session, req *Req) (*Resp, error) {
		if !s.Accepted() {
			return nil, NewCallError(ErrSecurity, "station %s is not accepted: send BootNotification first", s.StationID)
		}
		return fn(ctx, s, req)
	}
}

// Router is one message set's table of inbound routes.
type Router struct {
	routes map[string]Route
	known  func(action string) bool
}

// NewRouter builds a router. known reports whether an action exists in the message set at
// all: an unrouted known action is answered NotSupported, an unknown one NotImplemented.
func NewRouter(known func(action string) bool, routes ...Route) *Router {
	r := &Router{routes: make(map[string]Route, len(routes)), known: known}
	for _, rt := range routes {
		if _, dup := r.routes[rt.Action]; dup {
			panic("ocpp: duplicate route " + rt.Action) // programming error at wiring time
		}
		r.routes[rt.Action] = rt
	}
	return r
}

// Remembers reports whether answers to action are replayed to resends.
func (r *Router) Remembers(action string) bool { return r.routes[action].remember }

// Handles reports whether action has a route.
func (r *Router) Handles(action string) bool { _, ok := r.routes[action]; return ok }

// Serve runs the route for action and returns the response payload.
func (r *Router) Serve(ctx context.Context, s *Session, action string, payload json.RawMessage) (json.RawMessage, error) {
	rt, ok := r.routes[action]
	if !ok {
		if r.known != nil && r.known(action) {
			return nil, NewCallError(ErrNotSupported, "action %s is not supported by this hub", action)
		}
		return nil, NewCallError(ErrNotImplemented, "unknown action %s", action)
	}
	return rt.handle(ctx, s, payload)
}
