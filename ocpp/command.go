package ocpp

import (
	"context"
	"encoding/json"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpp/wire"
)

// Catalogue tells which hub→station actions a message set has and their request types.
type Catalogue interface {
	// OutboundRequest returns a new request value for a hub→station action, false if the
	// action cannot be sent to a station in this version.
	OutboundRequest(action string) (any, bool)
}

// Command sends an operator's command (action + JSON payload) to a connected station in
// that station's protocol version: the payload is validated strictly against the version's
// request type, sent, and the station's answer returned as received.
func (s *Server) Command(ctx context.Context, stationID, action string, payload json.RawMessage) (json.RawMessage, error) {
	c, ok := s.Conn(stationID)
	if !ok {
		return nil, charging.Errorf(charging.CodeUnavailable, "station %s is not connected", stationID)
	}
	cat, ok := s.catalogues[c.sess.Protocol]
	if !ok {
		return nil, charging.Errorf(charging.CodeNotSupported, "no commands for protocol %s", c.sess.Protocol)
	}
	req, ok := cat.OutboundRequest(action)
	if !ok {
		return nil, charging.Errorf(charging.CodeNotSupported, "%s is not a command a %s station accepts", action, c.sess.Protocol)
	}
	if len(payload) == 0 {
		payload = json.RawMessage(`{}`)
	}
	if _, err := wire.Decode(payload, req, wire.Options{Strict: true}); err != nil {
		return nil, charging.Errorf(charging.CodeInvalid, "%s payload: %w", action, err)
	}
	return c.Call(ctx, action, req)
}
