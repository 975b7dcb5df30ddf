// Package gateway turns the domain's version-neutral requests to stations (set a password,
// later start or stop a session for a roaming partner) into the OCPP call of the station's
// protocol, sent through the transport, and reads the answer back.
package gateway

import (
	"context"
	"encoding/json"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpp"
	"github.com/chargehub/hub/ocpp/v16"
	"github.com/chargehub/hub/ocpp/v201"
	"github.com/chargehub/hub/ocpp/wire"
)

// Caller sends a CALL to a station wherever it is connected and tells how it is connected:
// *ocpp.Server for the sockets of this process, cluster.Router for the sockets of every node.
type Caller interface {
	// Call sends the CALL and returns the station's CALLRESULT payload; CodeUnavailable when
	// the station is not connected, *ocpp.CallError for a CALLERROR answer.
	Call(ctx context.Context, stationID, action string, payload any) ([]byte, error)
	// ConnectionOf reports the protocol of the station's live connection and a number that
	// changes whenever the station reconnects.
	ConnectionOf(stationID string) (charging.Protocol, uint64, bool)
}

var _ Caller = (*ocpp.Server)(nil)

// Gateway sends domain requests to connected stations in their protocol.
type Gateway struct {
	srv Caller
}

// New builds a gateway over the OCPP transport (an *ocpp.Server, or a cluster router).
func New(srv Caller) *Gateway { return &Gateway{srv: srv} }

// call sends req and decodes the station's answer into resp (leniently: it is inbound).
func (g *Gateway) call(ctx context.Context, stationID, action string, req, resp any) error {
	raw, err := g.srv.Call(ctx, stationID, action, req)
	if err != nil {
		return err
	}
	if _, err := wire.Decode(json.RawMessage(raw), resp, wire.Options{}); err != nil {
		return charging.Errorf(charging.CodeInvalid, "station %s answered %s with an invalid payload: %w", stationID, action, err)
	}
	return nil
}

// SetPassword pushes a new Basic-auth password (charging.PasswordSetter): 1.6
// ChangeConfiguration AuthorizationKey with the key hex-encoded, 2.0.1 SetVariables
// SecurityCtrlr.BasicAuthPassword in plain text. RebootRequired counts as accepted.
func (g *Gateway) SetPassword(ctx context.Context, stationID string, password []byte) (bool, error) {
	proto, _, ok := g.srv.ConnectionOf(stationID)
	if !ok {
		return false, charging.Errorf(charging.CodeUnavailable, "station %s is not connected", stationID)
	}
	switch proto {
	case charging.OCPP16:
		var resp v16.ChangeConfigurationResponse
		err := g.call(ctx, stationID, "ChangeConfiguration",
			&v16.ChangeConfigurationRequest{Key: "AuthorizationKey", Value: charging.HexKey(password)}, &resp)
		if err != nil {
			return false, err
		}
		return resp.Status == v16.ConfigurationStatusAccepted || resp.Status == v16.ConfigurationStatusRebootRequired, nil
	case charging.OCPP201:
		var resp v201.SetVariablesResponse
		err := g.call(ctx, stationID, "SetVariables", &v201.SetVariablesRequest{SetVariableData: []v201.SetVariableData{{
			Component: v201.Component{Name: "SecurityCtrlr"}, Variable: v201.Variable{Name: "BasicAuthPassword"},
			AttributeValue: string(password)}}}, &resp)
		if err != nil {
			return false, err
		}
		for _, r := range resp.SetVariableResult {
			if r.Variable.Name == "BasicAuthPassword" {
				return r.AttributeStatus == v201.SetVariableStatusAccepted || r.AttributeStatus == v201.SetVariableStatusRebootRequired, nil
			}
		}
		return false, charging.Errorf(charging.CodeInvalid, "station %s did not report on BasicAuthPassword", stationID)
	default:
		return false, charging.Errorf(charging.CodeNotSupported, "protocol %s", proto)
	}
}
