package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/ocpitest"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store/storetest"
)

// executor is a fake CommandExecutor and ChargingProfileExecutor: it records what it gets and
// answers ACCEPTED.
type executor struct {
	mu  sync.Mutex
	got []roaming.CommandRequest
}

func (x *executor) take(r roaming.CommandRequest) (ocpi.CommandResponseType, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.got = append(x.got, r)
	return ocpi.CommandResponseAccepted, nil
}

func (x *executor) last() roaming.CommandRequest {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.got[len(x.got)-1]
}

func (x *executor) StartSession(_ context.Context, r roaming.CommandRequest, _ ocpi.StartSession) (ocpi.CommandResponseType, error) {
	return x.take(r)
}
func (x *executor) StopSession(_ context.Context, r roaming.CommandRequest, _ ocpi.StopSession) (ocpi.CommandResponseType, error) {
	return x.take(r)
}
func (x *executor) ReserveNow(_ context.Context, r roaming.CommandRequest, _ ocpi.ReserveNow) (ocpi.CommandResponseType, error) {
	return x.take(r)
}
func (x *executor) CancelReservation(_ context.Context, r roaming.CommandRequest, _ ocpi.CancelReservation) (ocpi.CommandResponseType, error) {
	return x.take(r)
}
func (x *executor) UnlockConnector(_ context.Context, _ roaming.CommandRequest, _ ocpi.UnlockConnector) (ocpi.CommandResponseType, error) {
	return "", charging.Errorf(charging.CodeUnavailable, "station offline")
}
func (x *executor) SetChargingProfile(_ context.Context, r roaming.CommandRequest, _ ocpi.SetChargingProfile) (ocpi.ChargingProfileResponseType, error) {
	_, err := x.take(r)
	return ocpi.ChargingProfileResponseAccepted, err
}
func (x *executor) GetActiveChargingProfile(_ context.Context, r roaming.CommandRequest, _ int) (ocpi.ChargingProfileResponseType, error) {
	_, err := x.take(r)
	return ocpi.ChargingProfileResponseAccepted, err
}
func (x *executor) ClearChargingProfile(_ context.Context, r roaming.CommandRequest) (ocpi.ChargingProfileResponseType, error) {
	_, err := x.take(r)
	return ocpi.ChargingProfileResponseAccepted, err
}

// commandResponse posts a command and decodes the envelope.
func commandResponse(t *testing.T, e *env, cmd string, body any) (int, ocpi.Response[ocpi.CommandResponse]) {
	t.Helper()
	st, b, _ := e.emsp.Call(http.MethodPost, e.modURL("/commands/"+cmd), body, "CommandResponse")
	require.Equal(t, http.StatusOK, st, "%s", b)
	var r ocpi.Response[ocpi.CommandResponse]
	require.NoError(t, json.Unmarshal(b, &r))
	return st, r
}

func TestCommandsWithoutExecutor(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		e := registered(t, dbURL, ocpitest.HubOptions{})
		addLocation(t, e.hub.Svc, "LOC-1")
		start := ocpi.StartSession{ResponseURL: e.emsp.URL() + "/ocpi/emsp/2.2.1/commands/START_SESSION/1",
			Token: token(emp, "APP-1", base), LocationID: "LOC-1", EvseUID: "LOC-1-E1"}
		_, r := commandResponse(t, e, "START_SESSION", start)
		require.Equal(t, 1000, r.StatusCode)
		require.Equal(t, ocpi.CommandResponseNotSupported, r.Data.Result)

		start.LocationID = "NOPE"
		_, r = commandResponse(t, e, "START_SESSION", start)
		require.Equal(t, 2003, r.StatusCode, "unknown location: 2003 with REJECTED")
		require.Equal(t, ocpi.CommandResponseRejected, r.Data.Result)

		stop := ocpi.StopSession{ResponseURL: e.emsp.URL() + "/ocpi/emsp/2.2.1/commands/STOP_SESSION/2", SessionID: "NOPE"}
		_, r = commandResponse(t, e, "STOP_SESSION", stop)
		require.Equal(t, ocpi.CommandResponseUnknownSession, r.Data.Result)

		st, b, _ := e.emsp.Call(http.MethodGet, e.modURL("/chargingprofiles/NOPE?duration=60&response_url=https://x/y"), nil, "ChargingProfileResponse")
		require.Equal(t, http.StatusOK, st)
		require.Contains(t, string(b), `"result":"UNKNOWN_SESSION"`)
		require.NoError(t, e.hub.Svc.PutSession(context.Background(), session("S1", emp, base)))
		st, b, _ = e.emsp.Call(http.MethodGet, e.modURL("/chargingprofiles/S1?duration=60&response_url=https://x/y"), nil, "ChargingProfileResponse")
		require.Equal(t, http.StatusOK, st)
		require.Contains(t, string(b), `"result":"NOT_SUPPORTED"`)
	})
}

func TestCommandsAndResults(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		x := &executor{}
		e := registered(t, dbURL, ocpitest.HubOptions{Commands: x, Profiles: x})
		addLocation(t, e.hub.Svc, "LOC-1")
		require.NoError(t, e.hub.Svc.PutSession(ctx, session("S1", emp, base)))
		results := e.emsp.URL() + "/ocpi/emsp/2.2.1/commands/"

		start := ocpi.StartSession{ResponseURL: results + "START_SESSION/1", Token: token(emp, "APP-1", base), LocationID: "loc-1",
			EvseUID: "LOC-1-E1", ConnectorID: "1", AuthorizationReference: "AR-1"}
		_, r := commandResponse(t, e, "START_SESSION", start)
		require.Equal(t, ocpi.CommandResponseAccepted, r.Data.Result)
		require.Equal(t, 30, r.Data.Timeout)
		req := x.last()
		require.Equal(t, "LOC-1", req.Location.OCPI.ID)
		require.Equal(t, e.partner.ID, req.Command.PartnerID)
		require.Equal(t, "emsp-corr", req.Command.CorrelationID)

		// The result reaches the response_url through the outbox, addressed to the requester.
		require.NoError(t, e.hub.Svc.CommandResult(ctx, req.Command.ID, ocpi.CommandResult{Result: ocpi.CommandResultAccepted}))
		ocpitest.Eventually(t, 5*time.Second, func() bool { return len(e.emsp.Received("/ocpi/emsp/2.2.1/commands/")) == 1 },
			"the command result arrives")
		got := e.emsp.Received("/ocpi/emsp/2.2.1/commands/")[0]
		require.Equal(t, "/ocpi/emsp/2.2.1/commands/START_SESSION/1", got.Path)
		require.JSONEq(t, `{"result":"ACCEPTED"}`, string(got.Body))
		require.Equal(t, "emsp-corr", got.Header.Get("X-Correlation-ID"), "the inbound correlation id is kept")
		require.ErrorContains(t, e.hub.Svc.CommandResult(ctx, req.Command.ID, ocpi.CommandResult{Result: ocpi.CommandResultFailed}),
			"already has the result")

		// Another party's token: REJECTED without reaching the executor.
		n := len(x.got)
		start.Token = token(abc, "APP-2", base)
		_, r = commandResponse(t, e, "START_SESSION", start)
		require.Equal(t, ocpi.CommandResponseRejected, r.Data.Result)
		require.Len(t, x.got, n)

		_, r = commandResponse(t, e, "STOP_SESSION", ocpi.StopSession{ResponseURL: results + "STOP_SESSION/2", SessionID: "s1"})
		require.Equal(t, ocpi.CommandResponseAccepted, r.Data.Result)
		require.Equal(t, "S1", x.last().Session.ID)

		reserve := ocpi.ReserveNow{ResponseURL: results + "RESERVE_NOW/3", Token: token(emp, "APP-1", base),
			ExpiryDate: ocpi.NewDateTime(time.Now().Add(time.Hour)), ReservationID: "R1", LocationID: "LOC-1"}
		_, r = commandResponse(t, e, "RESERVE_NOW", reserve)
		require.Equal(t, ocpi.CommandResponseAccepted, r.Data.Result)
		_, r = commandResponse(t, e, "CANCEL_RESERVATION", ocpi.CancelReservation{ResponseURL: results + "CANCEL_RESERVATION/4", ReservationID: "R1"})
		require.Equal(t, ocpi.CommandResponseAccepted, r.Data.Result)
		_, r = commandResponse(t, e, "CANCEL_RESERVATION", ocpi.CancelReservation{ResponseURL: results + "CANCEL_RESERVATION/5", ReservationID: "R9"})
		require.Equal(t, ocpi.CommandResponseRejected, r.Data.Result)

		// An executor error is a REJECTED answer with a message, not a server error.
		_, r = commandResponse(t, e, "UNLOCK_CONNECTOR", ocpi.UnlockConnector{ResponseURL: results + "UNLOCK_CONNECTOR/6",
			LocationID: "LOC-1", EvseUID: "LOC-1-E1", ConnectorID: "1"})
		require.Equal(t, ocpi.CommandResponseRejected, r.Data.Result)
		require.NotEmpty(t, r.Data.Message)
		_, r = commandResponse(t, e, "UNLOCK_CONNECTOR", ocpi.UnlockConnector{ResponseURL: results + "UNLOCK_CONNECTOR/7",
			LocationID: "LOC-1", EvseUID: "LOC-1-E1", ConnectorID: "9"})
		require.Equal(t, 2003, r.StatusCode)

		// Charging profiles: PUT, GET and DELETE accepted; the results are posted.
		set := ocpi.SetChargingProfile{ResponseURL: e.emsp.URL() + "/ocpi/emsp/2.2.1/chargingprofiles/set/1",
			ChargingProfile: ocpi.ChargingProfile{ChargingRateUnit: ocpi.ChargingRateUnitW,
				ChargingProfilePeriod: []ocpi.ChargingProfilePeriod{{StartPeriod: 0, Limit: ocpi.MustDecimal("11000")}}}}
		st, b, _ := e.emsp.Call(http.MethodPut, e.modURL("/chargingprofiles/S1"), set, "ChargingProfileResponse")
		require.Equal(t, http.StatusOK, st, "%s", b)
		require.Contains(t, string(b), `"result":"ACCEPTED"`)
		setID := x.last().Command.ID
		st, b, _ = e.emsp.Call(http.MethodGet, e.modURL("/chargingprofiles/S1?duration=900&response_url="+e.emsp.URL()+"/ocpi/emsp/2.2.1/chargingprofiles/get/2"), nil, "ChargingProfileResponse")
		require.Equal(t, http.StatusOK, st, "%s", b)
		getID := x.last().Command.ID
		st, b, _ = e.emsp.Call(http.MethodDelete, e.modURL("/chargingprofiles/S1?response_url="+e.emsp.URL()+"/ocpi/emsp/2.2.1/chargingprofiles/clear/3"), nil, "ChargingProfileResponse")
		require.Equal(t, http.StatusOK, st, "%s", b)
		clearID := x.last().Command.ID
		require.NoError(t, e.hub.Svc.ChargingProfileResult(ctx, setID, ocpi.ChargingProfileResult{Result: ocpi.ChargingProfileResultAccepted}))
		require.NoError(t, e.hub.Svc.ChargingProfileResult(ctx, getID, ocpi.ActiveChargingProfileResult{Result: ocpi.ChargingProfileResultAccepted,
			Profile: &ocpi.ActiveChargingProfile{StartDateTime: ocpi.NewDateTime(base), ChargingProfile: set.ChargingProfile}}))
		require.Error(t, e.hub.Svc.ChargingProfileResult(ctx, clearID, ocpi.ChargingProfileResult{Result: ocpi.ChargingProfileResultAccepted}),
			"a DELETE takes a ClearProfileResult")
		require.NoError(t, e.hub.Svc.ChargingProfileResult(ctx, clearID, ocpi.ClearProfileResult{Result: ocpi.ChargingProfileResultUnknown}))
		ocpitest.Eventually(t, 5*time.Second, func() bool { return len(e.emsp.Received("/ocpi/emsp/2.2.1/chargingprofiles/")) == 3 },
			"the three profile results arrive")

		// Accepted commands without a result time out.
		n, err := e.hub.Svc.ExpireCommands(ctx)
		require.NoError(t, err)
		require.Zero(t, n, "nothing is due yet")
	})
}

func TestTokensReceiverAndClientInfo(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		e := registered(t, dbURL, ocpitest.HubOptions{})
		u := e.modURL("/tokens/NL/EMP/04ab12cd")
		st, b, _ := e.emsp.Call(http.MethodPut, u, token(emp, "04ab12cd", base), "")
		require.Equal(t, http.StatusCreated, st, "%s", b)
		require.NotContains(t, string(b), `"data"`, "a push answer carries no data")
		st, _, _ = e.emsp.Call(http.MethodPut, u+"?type=RFID", token(emp, "04ab12cd", base.Add(time.Minute)), "")
		require.Equal(t, http.StatusOK, st)
		st, b, _ = e.emsp.Call(http.MethodPatch, e.modURL("/tokens/nl/emp/04AB12CD"), map[string]any{"valid": false,
			"last_updated": ocpi.NewDateTime(base.Add(2 * time.Minute))}, "")
		require.Equal(t, http.StatusOK, st, "%s", b)
		st, b, _ = e.emsp.Call(http.MethodGet, u, nil, "Token")
		require.Equal(t, http.StatusOK, st)
		var got ocpi.Response[ocpi.Token]
		require.NoError(t, json.Unmarshal(b, &got))
		require.False(t, got.Data.Valid)
		require.Equal(t, "04ab12cd", got.Data.UID)
		list, err := e.hub.Svc.TokensByUID(ctx, "04AB12CD")
		require.NoError(t, err)
		require.Len(t, list, 1)

		// A PATCH that changes the identity is refused.
		st, _, _ = e.emsp.Call(http.MethodPatch, u, map[string]any{"uid": "OTHER", "last_updated": ocpi.NewDateTime(base)}, "")
		require.Equal(t, http.StatusBadRequest, st)

		// HubClientInfo (no routing headers on this configuration module).
		ci := ocpi.ClientInfo{PartyID: "ABC", CountryCode: "DE", Role: ocpi.RoleEMSP, Status: ocpi.ConnectionStatusConnected,
			LastUpdated: ocpi.NewDateTime(base)}
		st, b, _ = e.emsp.Call(http.MethodPut, e.modURL("/hubclientinfo/DE/ABC"), ci, "")
		require.Equal(t, http.StatusCreated, st, "%s", b)
		st, b, h := e.emsp.Call(http.MethodGet, e.modURL("/hubclientinfo/de/abc"), nil, "ClientInfo")
		require.Equal(t, http.StatusOK, st, "%s", b)
		require.Empty(t, h.Get("OCPI-from-party-id"))
	})
}

func TestTokenPull(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		e := registered(t, dbURL, ocpitest.HubOptions{})
		var list []ocpi.Token
		for i := range 23 {
			list = append(list, token(emp, "T"+string(rune('A'+i)), base.Add(time.Duration(i)*time.Minute)))
		}
		bad := token(abc, "FOREIGN", base) // not the partner's party: skipped
		list = append(list, bad)
		e.emsp.SetTokens(list, 5)
		res, err := e.hub.Svc.SyncTokens(ctx, e.partner.ID, true)
		require.NoError(t, err)
		require.Equal(t, 23, res.Stored)
		require.Equal(t, 1, res.Invalid)
		pulls := 0
		for _, r := range e.emsp.Received("/ocpi/emsp/2.2.1/tokens") {
			if r.Method == http.MethodGet {
				pulls++
			}
		}
		require.Equal(t, 5, pulls, "24 tokens in pages of 5 (the peer's cap), following Link")
		stored, n, err := e.hub.Svc.ListTokens(ctx, roaming.TokenFilter{PartnerID: e.partner.ID})
		require.NoError(t, err)
		require.Equal(t, 23, n)
		require.True(t, stored[0].Token.Valid)

		// A full pull replaces the set: tokens not listed any more become invalid. An
		// incremental pull asks for the changes since the last pull.
		time.Sleep(5 * time.Millisecond)
		e.emsp.SetTokens(list[:20], 5)
		res, err = e.hub.Svc.SyncTokens(ctx, e.partner.ID, true)
		require.NoError(t, err)
		require.Equal(t, int64(3), res.Invalidated)
		res, err = e.hub.Svc.SyncTokens(ctx, e.partner.ID, false)
		require.NoError(t, err)
		all := e.emsp.Received("/ocpi/emsp/2.2.1/tokens")
		require.Contains(t, all[len(all)-1].Query, "date_from=", "an incremental pull asks for changes only")
		require.NotContains(t, all[0].Query, "date_from=", "a full pull asks for everything")
		require.Equal(t, 0, res.Stored, "nothing changed since")
		before := len(all)
		require.Zero(t, e.hub.Svc.SyncAllTokens(ctx), "the periodic sync pulls the one partner without failure")
		require.Greater(t, len(e.emsp.Received("/ocpi/emsp/2.2.1/tokens")), before)
	})
}
