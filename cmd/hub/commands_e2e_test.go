package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/ocpitest"
	"github.com/chargehub/hub/ocpp"
	"github.com/chargehub/hub/store/storetest"
)

// calls records the hub's CALLs to a test station and answers them from a table (action →
// payload); actions not in the table get CALLERROR NotImplemented, and a mute station answers
// nothing the hub can match.
type calls struct {
	mu   sync.Mutex
	got  []ocpp.Frame
	mute bool
}

func (c *calls) answer(replies map[string]string) func(ocpp.Frame) []byte {
	return func(f ocpp.Frame) []byte {
		c.mu.Lock()
		c.got = append(c.got, f)
		mute := c.mute
		c.mu.Unlock()
		if mute {
			return ocpp.MarshalCallResult("no-such-call", json.RawMessage(`{}`))
		}
		if r, ok := replies[f.Action]; ok {
			return ocpp.MarshalCallResult(f.ID, json.RawMessage(r))
		}
		return ocpp.MarshalCallError(f.ID, "NotImplemented", "", nil)
	}
}

// of returns the payloads of the CALLs of an action received so far.
func (c *calls) of(action string) []map[string]any {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []map[string]any
	for _, f := range c.got {
		if f.Action == action {
			var m map[string]any
			_ = json.Unmarshal(f.Payload, &m)
			out = append(out, m)
		}
	}
	return out
}

// wait returns the n-th (1-based) CALL of an action, waiting for it.
func (c *calls) wait(t *testing.T, action string, n int) map[string]any {
	t.Helper()
	ocpitest.Eventually(t, 10*time.Second, func() bool { return len(c.of(action)) >= n }, "%d %s call(s)", n, action)
	return c.of(action)[n-1]
}

// commandsPeer is the eMSP side of the end-to-end test.
type commandsPeer struct {
	t        *testing.T
	emsp     *ocpitest.EMSP
	commands string // the hub's commands Receiver URL
	n        int
}

// send POSTs a command and returns the CommandResponse and the response_url path below the
// peer's Receiver root ("commands/START_SESSION/3").
func (p *commandsPeer) send(kind ocpi.CommandType, body map[string]any) (ocpi.CommandResponse, string) {
	p.t.Helper()
	p.n++
	path := "commands/" + string(kind) + "/" + strconv.Itoa(p.n)
	body["response_url"] = p.emsp.URL() + "/ocpi/emsp/2.2.1/" + path
	code, b, _ := p.emsp.Call(http.MethodPost, p.commands+"/"+string(kind), body, "CommandResponse")
	require.Equal(p.t, http.StatusOK, code, "%s", b)
	var env ocpi.Response[ocpi.CommandResponse]
	require.NoError(p.t, json.Unmarshal(b, &env))
	return env.Data, path
}

// result waits for the CommandResult POSTed at path.
func (p *commandsPeer) result(path string) ocpi.CommandResult {
	p.t.Helper()
	var r ocpi.CommandResult
	ocpitest.Eventually(p.t, 15*time.Second, func() bool {
		b, ok := p.emsp.Object(path)
		return ok && json.Unmarshal(b, &r) == nil
	}, "the CommandResult at %s", path)
	return r
}

func commandToken(uid string, typ ocpi.TokenType, wl ocpi.WhitelistType) ocpi.Token {
	return ocpi.Token{CountryCode: "NL", PartyID: "EMP", UID: uid, Type: typ, ContractID: "NL-EMP-C" + strings.ReplaceAll(uid, "-", ""),
		Issuer: "Example eMSP", Valid: true, Whitelist: wl, LastUpdated: ocpi.NewDateTime(time.Now())}
}

// TestCommandsEndToEnd is the issue "eMSP commands and tokens reach the chargers" on both
// databases: an eMSP registered with the hub pushes tokens and sends START_SESSION/STOP_SESSION
// to a 1.6 and a 2.0.1 station, which answer, start (the transaction linked to its command) and
// stop; a station that never answers gives TIMEOUT, an offline one a synchronous REJECTED;
// NEVER/ALLOWED tokens are authorized in real time by the eMSP; the local authorization lists
// of both stations follow the tokens.
func TestCommandsEndToEnd(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) { runCommandsEndToEnd(t, dbURL) })
}

func runCommandsEndToEnd(t *testing.T, dbURL string) {
	ctx := context.Background()
	schema := ocpitest.LoadSchema(t)
	h, tokenA, versionsURL := startHubWithPartner(t, dbURL, map[string]string{"HUB_OCPP_CALL_TIMEOUT": "1s"})
	var err error
	stations := []string{"CP-16", "CS-201", "CP-OFF", "CP-MUTE"}
	defaults := map[string]any{}
	for _, id := range stations {
		_, err = h.svc.RegisterStation(ctx, id, nil, 0)
		require.NoError(t, err)
		defaults[id] = map[string]any{"standard": "IEC_62196_T2", "format": "SOCKET", "power_type": "AC_3_PHASE",
			"max_voltage": 230, "max_amperage": 32}
	}
	loc := map[string]any{"id": "LOC-1", "publish": true, "name": "Mall", "address": "12 MG Road", "city": "Bengaluru",
		"postal_code": "560001", "country": "IND", "coordinates": map[string]string{"latitude": "12.975600", "longitude": "77.606500"},
		"time_zone": "Asia/Kolkata", "station_ids": stations, "connector_defaults": defaults}
	require.Equal(t, http.StatusCreated, h.api(t, http.MethodPost, "/api/v1/locations", loc, nil))

	// The eMSP answers real-time authorizations: NEVERTAG allowed, ALLOWTAG blocked, the rest unreachable.
	emsp := ocpitest.NewEMSP(t, schema, "NL", "EMP")
	var authMu sync.Mutex
	var authLocs []*ocpi.LocationReferences
	emsp.ServeAuthorize(func(uid string, typ ocpi.TokenType, loc *ocpi.LocationReferences) ocpitest.Authorization {
		authMu.Lock()
		authLocs = append(authLocs, loc)
		authMu.Unlock()
		switch uid {
		case "NEVERTAG":
			return ocpitest.Authorization{Info: &ocpi.AuthorizationInfo{Allowed: ocpi.AllowedTypeAllowed,
				Token: commandToken(uid, typ, ocpi.WhitelistTypeNever), AuthorizationReference: "RT-1"}}
		case "ALLOWTAG":
			return ocpitest.Authorization{Info: &ocpi.AuthorizationInfo{Allowed: ocpi.AllowedTypeBlocked,
				Token: commandToken(uid, typ, ocpi.WhitelistTypeAllowed)}}
		}
		return ocpitest.Authorization{HTTPStatus: http.StatusServiceUnavailable, StatusCode: ocpi.StatusCodeServerError}
	})
	require.NoError(t, emsp.Register(versionsURL, tokenA))
	tokensURL, err := emsp.HubURL(ocpi.ModuleIDTokens, ocpi.InterfaceRoleReceiver)
	require.NoError(t, err)
	commandsURL, err := emsp.HubURL(ocpi.ModuleIDCommands, ocpi.InterfaceRoleReceiver)
	require.NoError(t, err)
	peer := &commandsPeer{t: t, emsp: emsp, commands: commandsURL}
	appToken := commandToken("APP-USER-0123456789ABCDEFGHIJ", ocpi.TokenTypeAppUser, ocpi.WhitelistTypeNever)
	rfid := commandToken("04AB12CD", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAlways)
	for _, tok := range []ocpi.Token{appToken, rfid,
		commandToken("NEVERTAG", ocpi.TokenTypeRFID, ocpi.WhitelistTypeNever),
		commandToken("NEVER2", ocpi.TokenTypeRFID, ocpi.WhitelistTypeNever),
		commandToken("ALLOWTAG", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAllowed),
		commandToken("OFFLTAG", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAllowedOffline)} {
		code, body, _ := emsp.Call(http.MethodPut, fmt.Sprintf("%s/NL/EMP/%s?type=%s", tokensURL, tok.UID, tok.Type), tok, "")
		require.Contains(t, []int{http.StatusOK, http.StatusCreated}, code, "%s", body)
	}

	// The stations connect and report their EVSE 1.
	c16, c201, cOff, cMute := &calls{}, &calls{}, &calls{}, &calls{mute: true}
	st16, _, err := dialStation(t, h, "CP-16", "")
	require.NoError(t, err)
	st16.onCall(c16.answer(map[string]string{"RemoteStartTransaction": `{"status":"Accepted"}`,
		"RemoteStopTransaction": `{"status":"Accepted"}`, "GetLocalListVersion": `{"listVersion":0}`, "SendLocalList": `{"status":"Accepted"}`}))
	st201, _, err := dialStationProto(t, h, "CS-201", "", "ocpp2.0.1")
	require.NoError(t, err)
	st201.onCall(c201.answer(map[string]string{"RequestStartTransaction": `{"status":"Accepted"}`,
		"RequestStopTransaction": `{"status":"Accepted"}`, "GetLocalListVersion": `{"versionNumber":0}`, "SendLocalList": `{"status":"Accepted"}`}))
	stOff, _, err := dialStation(t, h, "CP-OFF", "")
	require.NoError(t, err)
	stOff.onCall(cOff.answer(nil))
	stMute, _, err := dialStation(t, h, "CP-MUTE", "")
	require.NoError(t, err)
	stMute.onCall(cMute.answer(nil))
	for _, st := range []*station{st16, stOff, stMute} {
		st.result("BootNotification", `{"chargePointVendor":"ACME","chargePointModel":"Wallbox 22"}`)
		st.result("StatusNotification", `{"connectorId":1,"errorCode":"NoError","status":"Available"}`)
	}
	st201.result("BootNotification", `{"reason":"PowerUp","chargingStation":{"model":"M1","vendorName":"ACME"}}`)
	st201.result("StatusNotification", `{"timestamp":"`+ts(time.Now())+`","connectorStatus":"Available","evseId":1,"connectorId":1}`)
	ocpitest.Eventually(t, 10*time.Second, func() bool {
		l, err := h.db.Roaming().GetLocation(ctx, "LOC-1")
		return err == nil && len(l.OCPI.EVSEs) == 4
	}, "the EVSEs of the four stations in LOC-1")
	stOff.c.Close() // CP-OFF goes offline
	ocpitest.Eventually(t, 5*time.Second, func() bool { _, ok := h.ocpp.Conn("CP-OFF"); return !ok }, "CP-OFF disconnected")

	// 1.6: START_SESSION with a 29-character app token → RemoteStartTransaction with its alias.
	resp, path := peer.send(ocpi.CommandTypeStartSession, map[string]any{"token": appToken, "location_id": "LOC-1",
		"evse_uid": "CP-16-1", "authorization_reference": "AR-16"})
	require.Equal(t, ocpi.CommandResponseAccepted, resp.Result)
	require.Positive(t, resp.Timeout)
	rs := c16.wait(t, "RemoteStartTransaction", 1)
	alias, _ := rs["idTag"].(string)
	require.Len(t, alias, 20, "an alias, not a truncation: %v", rs)
	require.Equal(t, 1.0, rs["connectorId"])
	require.Equal(t, ocpi.CommandResultAccepted, peer.result(path).Result)
	a := st16.result("Authorize", `{"idTag":"`+alias+`"}`)
	require.Equal(t, "Accepted", a["idTagInfo"].(map[string]any)["status"], "accepted from the command, no real-time request")
	st16.result("StatusNotification", `{"connectorId":1,"errorCode":"NoError","status":"Preparing"}`)
	started := st16.result("StartTransaction", `{"connectorId":1,"idTag":"`+alias+`","meterStart":1000,"timestamp":"`+ts(time.Now())+`"}`)
	require.Equal(t, "Accepted", started["idTagInfo"].(map[string]any)["status"])
	tx16 := ftoa(started["transactionId"].(float64))
	txID, _ := strconv.ParseInt(tx16, 10, 64)
	tx, err := h.db.GetTransaction(ctx, txID)
	require.NoError(t, err)
	link, ok, err := h.roam.commands.RemoteStartOf(ctx, nil, tx)
	require.NoError(t, err)
	require.True(t, ok, "the transaction is linked to its START_SESSION")
	require.Equal(t, "AR-16", link.AuthorizationReference)
	require.Equal(t, appToken.UID, link.Token.UID)
	session := waitSession(t, emsp, tx16)
	require.Equal(t, ocpi.AuthMethodCommand, session.AuthMethod)
	require.Equal(t, "AR-16", session.AuthorizationReference)
	require.Equal(t, appToken.UID, session.CdrToken.UID)

	// STOP_SESSION → RemoteStopTransaction of the hub's transaction id.
	resp, path = peer.send(ocpi.CommandTypeStopSession, map[string]any{"session_id": tx16})
	require.Equal(t, ocpi.CommandResponseAccepted, resp.Result)
	require.Equal(t, float64(txID), c16.wait(t, "RemoteStopTransaction", 1)["transactionId"])
	require.Equal(t, ocpi.CommandResultAccepted, peer.result(path).Result)
	st16.result("StopTransaction", `{"transactionId":`+tx16+`,"meterStop":2000,"timestamp":"`+ts(time.Now())+`","reason":"Remote"}`)
	resp, _ = peer.send(ocpi.CommandTypeStopSession, map[string]any{"session_id": "424242"})
	require.Equal(t, ocpi.CommandResponseUnknownSession, resp.Result)

	// 2.0.1: START_SESSION → RequestStartTransaction with a remoteStartId the transaction echoes.
	resp, path = peer.send(ocpi.CommandTypeStartSession, map[string]any{"token": rfid, "location_id": "LOC-1",
		"evse_uid": "CS-201-1", "authorization_reference": "AR-201"})
	require.Equal(t, ocpi.CommandResponseAccepted, resp.Result)
	req := c201.wait(t, "RequestStartTransaction", 1)
	require.Equal(t, map[string]any{"idToken": "04AB12CD", "type": "Central"}, req["idToken"])
	require.Equal(t, 1.0, req["evseId"])
	remoteStartID := int(req["remoteStartId"].(float64))
	require.Equal(t, ocpi.CommandResultAccepted, peer.result(path).Result)
	ev := st201.result("TransactionEvent", fmt.Sprintf(`{"eventType":"Started","timestamp":%q,"triggerReason":"RemoteStart","seqNo":0,`+
		`"transactionInfo":{"transactionId":"TX-201","remoteStartId":%d},"evse":{"id":1,"connectorId":1},`+
		`"idToken":{"idToken":"04AB12CD","type":"Central"}}`, ts(time.Now()), remoteStartID))
	require.Equal(t, "Accepted", ev["idTokenInfo"].(map[string]any)["status"])
	tx, err = h.db.FindTransactionByStationTxID(ctx, "CS-201", "TX-201")
	require.NoError(t, err)
	link, ok, err = h.roam.commands.RemoteStartOf(ctx, nil, tx)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, "AR-201", link.AuthorizationReference)
	session = waitSession(t, emsp, strconv.FormatInt(tx.ID, 10))
	require.Equal(t, ocpi.AuthMethodCommand, session.AuthMethod)
	require.Equal(t, "AR-201", session.AuthorizationReference)
	resp, path = peer.send(ocpi.CommandTypeStopSession, map[string]any{"session_id": strconv.FormatInt(tx.ID, 10)})
	require.Equal(t, ocpi.CommandResponseAccepted, resp.Result)
	require.Equal(t, "TX-201", c201.wait(t, "RequestStopTransaction", 1)["transactionId"])
	require.Equal(t, ocpi.CommandResultAccepted, peer.result(path).Result)

	// A station that never answers: TIMEOUT (HUB_OCPP_CALL_TIMEOUT is 1 s here).
	resp, path = peer.send(ocpi.CommandTypeStartSession, map[string]any{"token": rfid, "location_id": "LOC-1", "evse_uid": "CP-MUTE-1"})
	require.Equal(t, ocpi.CommandResponseAccepted, resp.Result)
	require.Equal(t, ocpi.CommandResultTimeout, peer.result(path).Result)
	// An offline station: REJECTED at once, with the reason; no result follows.
	resp, path = peer.send(ocpi.CommandTypeStartSession, map[string]any{"token": rfid, "location_id": "LOC-1", "evse_uid": "CP-OFF-1"})
	require.Equal(t, ocpi.CommandResponseRejected, resp.Result)
	require.NotEmpty(t, resp.Message)
	require.Contains(t, resp.Message[0].Text, "offline")

	// Real-time authorization: NEVER asks the eMSP (allowed), ALLOWED too (blocked); when the eMSP
	// cannot answer, NEVER is refused and ALLOWED_OFFLINE accepted.
	for tag, want := range map[string]string{"NEVERTAG": "Accepted", "ALLOWTAG": "Blocked", "NEVER2": "Invalid", "OFFLTAG": "Accepted",
		"04AB12CD": "Accepted"} {
		a := st16.result("Authorize", `{"idTag":"`+tag+`"}`)
		require.Equal(t, want, a["idTagInfo"].(map[string]any)["status"], tag)
	}
	reqs := emsp.Received("/ocpi/emsp/2.2.1/tokens/NEVERTAG/authorize")
	require.Len(t, reqs, 1)
	require.Equal(t, "type=RFID", reqs[0].Query)
	require.JSONEq(t, `{"location_id":"LOC-1","evse_uids":["CP-16-1"]}`, string(reqs[0].Body))
	require.Empty(t, emsp.Received("/ocpi/emsp/2.2.1/tokens/04AB12CD/authorize"), "ALWAYS is decided locally")
	info, ok, err := h.roam.tokens.Lookup(ctx, "CP-16", "NEVERTAG")
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, "RT-1", info.AuthorizationReference)
	// a session with the real-time authorized token carries the eMSP's authorization_reference
	started = st16.result("StartTransaction", `{"connectorId":1,"idTag":"NEVERTAG","meterStart":2000,"timestamp":"`+ts(time.Now())+`"}`)
	require.Equal(t, "Accepted", started["idTagInfo"].(map[string]any)["status"])
	session = waitSession(t, emsp, ftoa(started["transactionId"].(float64)))
	require.Equal(t, ocpi.AuthMethodAuthRequest, session.AuthMethod)
	require.Equal(t, "RT-1", session.AuthorizationReference)
	require.Len(t, emsp.Received("/ocpi/emsp/2.2.1/tokens/NEVERTAG/authorize"), 1, "the fresh answer is reused at the start")

	// Local lists: valid ALWAYS / ALLOWED_OFFLINE tokens reach the connected 1.6 and 2.0.1 stations.
	for _, id := range []string{"CP-16", "CS-201"} {
		_, err := h.roam.lists.SyncStation(ctx, id)
		require.NoError(t, err, id)
	}
	list16 := c16.wait(t, "SendLocalList", 1)
	require.Equal(t, "Full", list16["updateType"])
	require.JSONEq(t, `[{"idTag":"04AB12CD","idTagInfo":{"status":"Accepted"}},{"idTag":"OFFLTAG","idTagInfo":{"status":"Accepted"}}]`,
		mustJSON(t, list16["localAuthorizationList"]))
	list201 := c201.wait(t, "SendLocalList", 1)
	require.Equal(t, "Full", list201["updateType"])
	require.JSONEq(t, `[{"idToken":{"idToken":"04AB12CD","type":"ISO14443"},"idTokenInfo":{"status":"Accepted"}},`+
		`{"idToken":{"idToken":"OFFLTAG","type":"ISO14443"},"idTokenInfo":{"status":"Accepted"}}]`, mustJSON(t, list201["localAuthorizationList"]))
	// The eMSP invalidates a token: a Differential update follows.
	code, body, _ := emsp.Call(http.MethodPatch, tokensURL+"/NL/EMP/OFFLTAG?type=RFID",
		map[string]any{"valid": false, "last_updated": ocpi.NewDateTime(time.Now())}, "")
	require.Equal(t, http.StatusOK, code, "%s", body)
	_, err = h.roam.lists.SyncStation(ctx, "CP-16")
	require.NoError(t, err)
	diff := c16.wait(t, "SendLocalList", 2)
	require.Equal(t, "Differential", diff["updateType"])
	require.Equal(t, list16["listVersion"].(float64)+1, diff["listVersion"])
	require.JSONEq(t, `[{"idTag":"OFFLTAG","idTagInfo":{"status":"Invalid"}}]`, mustJSON(t, diff["localAuthorizationList"]))
}

// waitSession waits for the Session PUT of a transaction at the eMSP and returns its last body.
func waitSession(t *testing.T, emsp *ocpitest.EMSP, id string) ocpi.Session {
	t.Helper()
	var s ocpi.Session
	ocpitest.Eventually(t, 15*time.Second, func() bool {
		b, ok := emsp.Object("sessions/IN/HUB/" + id)
		return ok && json.Unmarshal(b, &s) == nil
	}, "the Session of transaction %s at the eMSP", id)
	return s
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
