package sim

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/client"
	"github.com/chargehub/hub/roaming"
)

// Register runs the credentials handshake with the hub as the registering party: it reads the
// hub's versions and 2.2.1 details with token A, POSTs the peer's credentials with a fresh
// token B and keeps the hub's token C and endpoints.
func (e *EMSP) Register(ctx context.Context, versionsURL, tokenA string) error {
	cred := roaming.Credential{Token: tokenA}
	d, err := e.readHub(ctx, versionsURL, cred)
	if err != nil {
		return err
	}
	credURL, ok := d.EndpointURL(ocpi.ModuleIDCredentials, ocpi.InterfaceRoleSender)
	if !ok {
		if credURL, ok = d.EndpointURL(ocpi.ModuleIDCredentials, ocpi.InterfaceRoleReceiver); !ok {
			return fmt.Errorf("sim: register: the hub at %s lists no credentials endpoint", versionsURL)
		}
	}
	tokenB := roaming.RandomIDs{}.NewToken()
	e.mu.Lock()
	e.inbound[tokenB] = true // the hub reads our versions with it before it answers
	e.mu.Unlock()
	c, err := e.cl.PostCredentials(ctx, credURL, cred, e.ourCredentials(tokenB))
	if err != nil {
		e.mu.Lock()
		delete(e.inbound, tokenB)
		e.mu.Unlock()
		return fmt.Errorf("sim: register: %w", err)
	}
	if c.Token == "" {
		return fmt.Errorf("sim: register: the hub answered credentials without a token")
	}
	e.link(c.Token, versionsURL, d, c, tokenB)
	return nil
}

// readHub reads a versions list with cred and returns the 2.2.1 version details.
func (e *EMSP) readHub(ctx context.Context, versionsURL string, cred roaming.Credential) (ocpi.VersionDetails, error) {
	vs, enc, err := e.cl.Versions(ctx, versionsURL, cred)
	if err != nil {
		return ocpi.VersionDetails{}, fmt.Errorf("sim: read the versions: %w", err)
	}
	cred.Encoding = enc
	for _, v := range vs {
		if v.Version == ocpi.VersionNumber221 {
			d, err := e.cl.VersionDetails(ctx, v.URL, cred)
			if err != nil {
				return d, fmt.Errorf("sim: read the 2.2.1 details: %w", err)
			}
			return d, nil
		}
	}
	return ocpi.VersionDetails{}, fmt.Errorf("sim: %s lists no OCPI 2.2.1", versionsURL)
}

// link keeps the hub's token, versions URL, endpoints and party, and makes keep the only token
// the hub may call the peer with.
func (e *EMSP) link(hubToken, versionsURL string, d ocpi.VersionDetails, c ocpi.Credentials, keep string) {
	var party roaming.Party
	for i, r := range c.Roles {
		if i == 0 || r.Role == ocpi.RoleCPO {
			party = roaming.Party{CountryCode: r.CountryCode, PartyID: r.PartyID}.Norm()
		}
		if r.Role == ocpi.RoleCPO {
			break
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	clear(e.inbound)
	e.inbound[keep] = true
	e.hub = hubLink{token: hubToken, versionsURL: versionsURL, endpoints: d.Endpoints, party: party}
	e.notifyLocked()
}

// hubURL returns the URL of one of the hub's Receiver modules.
func (e *EMSP) hubURL(m ocpi.ModuleID) (string, roaming.Credential, roaming.Party, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.hub.token == "" {
		return "", roaming.Credential{}, roaming.Party{}, ErrNotRegistered
	}
	for _, ep := range e.hub.endpoints {
		if ep.Identifier == m && ep.Role == ocpi.InterfaceRoleReceiver {
			return ep.URL, roaming.Credential{Token: e.hub.token}, e.hub.party, nil
		}
	}
	return "", roaming.Credential{}, roaming.Party{}, fmt.Errorf("sim: the hub lists no %s Receiver", m)
}

// callHub sends a request to one of the hub's Receiver modules (path below its URL) with the
// peer's token and routing headers.
func (e *EMSP) callHub(ctx context.Context, method string, m ocpi.ModuleID, path string, body any) (*client.Response, error) {
	base, cred, hubParty, err := e.hubURL(m)
	if err != nil {
		return nil, err
	}
	return e.cl.Do(ctx, client.Request{Method: method, URL: base + path, Cred: cred, From: e.cfg.Party, To: hubParty, Body: body})
}

// NewToken returns a valid token of the peer's party with uid, type and whitelist, ready for
// PushToken.
func (e *EMSP) NewToken(uid string, typ ocpi.TokenType, wl ocpi.WhitelistType) ocpi.Token {
	return ocpi.Token{CountryCode: e.cfg.Party.CountryCode, PartyID: e.cfg.Party.PartyID, UID: uid, Type: typ,
		ContractID: e.cfg.Party.CountryCode + "-" + e.cfg.Party.PartyID + "-" + uid, Issuer: e.cfg.Name, Valid: true,
		Whitelist: wl, LastUpdated: ocpi.NewDateTime(time.Now())}
}

// PushToken PUTs a token to the hub's Tokens Receiver and adds it to the peer's Tokens Sender;
// it reports whether the hub created it (201) rather than updated it.
func (e *EMSP) PushToken(ctx context.Context, t ocpi.Token) (bool, error) {
	if err := t.Validate(); err != nil {
		return false, fmt.Errorf("sim: push token: %w", err)
	}
	e.addToken(t)
	path := "/" + url.PathEscape(t.CountryCode) + "/" + url.PathEscape(t.PartyID) + "/" + url.PathEscape(t.UID) +
		"?type=" + url.QueryEscape(string(t.Type))
	resp, err := e.callHub(ctx, http.MethodPut, ocpi.ModuleIDTokens, path, t)
	if err != nil {
		return false, fmt.Errorf("sim: push token %s: %w", t.UID, err)
	}
	return resp.HTTPStatus == http.StatusCreated, nil
}

// Command is a command the peer sent to the hub.
type Command struct {
	Type ocpi.CommandType
	// Ref is the last segment of its response_url: CommandResult and WaitCommandResult find the
	// result under it. For START_SESSION it is also the authorization_reference.
	Ref      string
	Response ocpi.CommandResponse // the hub's synchronous answer
}

// StartSession sends START_SESSION for token at a location (evseUID and connectorID may be
// "") with a response_url at the peer; the command's Ref is its authorization_reference, which
// the hub puts into the Session and CDR (see WaitSession).
func (e *EMSP) StartSession(ctx context.Context, token ocpi.Token, locationID, evseUID, connectorID string) (Command, error) {
	ref := roaming.RandomIDs{}.NewID()
	return e.command(ctx, ocpi.CommandTypeStartSession, ref, &ocpi.StartSession{ResponseURL: e.responseURL(ocpi.CommandTypeStartSession, ref),
		Token: token, LocationID: locationID, EvseUID: evseUID, ConnectorID: connectorID, AuthorizationReference: ref})
}

// StopSession sends STOP_SESSION for a session of the hub.
func (e *EMSP) StopSession(ctx context.Context, sessionID string) (Command, error) {
	ref := roaming.RandomIDs{}.NewID()
	return e.command(ctx, ocpi.CommandTypeStopSession, ref, &ocpi.StopSession{ResponseURL: e.responseURL(ocpi.CommandTypeStopSession, ref),
		SessionID: sessionID})
}

func (e *EMSP) responseURL(t ocpi.CommandType, ref string) string {
	return e.moduleURL(ocpi.ModuleIDCommands) + "/" + string(t) + "/" + ref
}

// command POSTs a command to the hub's Commands Receiver and decodes its CommandResponse.
func (e *EMSP) command(ctx context.Context, t ocpi.CommandType, ref string, body ocpi.CommandRequest) (Command, error) {
	cmd := Command{Type: t, Ref: ref}
	if err := body.Validate(); err != nil {
		return cmd, fmt.Errorf("sim: %s: %w", t, err)
	}
	resp, err := e.callHub(ctx, http.MethodPost, ocpi.ModuleIDCommands, "/"+string(t), body)
	if err != nil {
		return cmd, fmt.Errorf("sim: %s: %w", t, err)
	}
	if err := resp.Envelope.DecodeData(&cmd.Response); err != nil {
		return cmd, fmt.Errorf("sim: %s: %w", t, err)
	}
	return cmd, nil
}
