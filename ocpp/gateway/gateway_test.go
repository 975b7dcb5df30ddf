package gateway_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpp"
	"github.com/chargehub/hub/ocpp/gateway"
	"github.com/chargehub/hub/ocpp/v16"
	"github.com/chargehub/hub/ocpp/v201"
)

// authority accepts every station.
type authority struct{}

func (authority) Authenticate(_ context.Context, r charging.ConnectRequest) (charging.Station, error) {
	now := time.Now()
	return charging.Station{ID: r.StationID, AcceptedAt: &now}, nil
}
func (authority) Profile(context.Context, string, string) charging.VendorProfile {
	return charging.VendorProfile{}
}
func (authority) Connected(context.Context, string, charging.Protocol, time.Time) {}
func (authority) Disconnected(context.Context, string, time.Time)                 {}

// fixture is an OCPP server serving both protocols, with its gateway.
type fixture struct {
	srv *ocpp.Server
	gw  *gateway.Gateway
	url string
}

func newFixture(t *testing.T, callTimeout time.Duration) *fixture {
	t.Helper()
	cfg := ocpp.DefaultConfig()
	cfg.CallTimeout = callTimeout
	srv := ocpp.NewServer(context.Background(), cfg, ocpp.Deps{Log: slog.New(slog.DiscardHandler), Clock: charging.SystemClock{},
		Authority: authority{}})
	none := func(string) bool { return false }
	srv.Handle(charging.OCPP201, ocpp.NewRouter(none), v201.Commands{})
	srv.Handle(charging.OCPP16, ocpp.NewRouter(none), v16.Commands{})
	e := echo.New()
	srv.Mount(e)
	hs := httptest.NewServer(e)
	t.Cleanup(hs.Close)
	return &fixture{srv: srv, gw: gateway.New(srv), url: "ws" + strings.TrimPrefix(hs.URL, "http") + "/ocpp/"}
}

// call is one CALL the fake station received.
type call struct {
	Action  string
	Payload map[string]any
}

// fakeStation answers the hub's CALLs with answer(action) (a JSON payload, or "" for no
// answer, or "!Code" for a CALLERROR) and records them.
type fakeStation struct {
	mu     sync.Mutex
	calls  []call
	answer func(action string) string
}

func (f *fixture) dial(t *testing.T, id, proto string, answer func(action string) string) *fakeStation {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{proto}, HandshakeTimeout: 5 * time.Second}
	c, _, err := d.Dial(f.url+id, nil)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	st := &fakeStation{answer: answer}
	go func() {
		for {
			_, data, err := c.ReadMessage()
			if err != nil {
				return
			}
			fr, err := ocpp.ParseFrame(data)
			if err != nil || fr.Type != ocpp.TypeCall {
				continue
			}
			var m map[string]any
			_ = json.Unmarshal(fr.Payload, &m)
			st.mu.Lock()
			st.calls = append(st.calls, call{Action: fr.Action, Payload: m})
			st.mu.Unlock()
			out := answer(fr.Action)
			switch {
			case out == "":
				continue
			case strings.HasPrefix(out, "!"):
				_ = c.WriteMessage(websocket.TextMessage, ocpp.MarshalCallError(fr.ID, out[1:], "no", nil))
			default:
				_ = c.WriteMessage(websocket.TextMessage, ocpp.MarshalCallResult(fr.ID, json.RawMessage(out)))
			}
		}
	}()
	require.Eventually(t, func() bool { _, ok := f.gw.Connection(id); return ok }, 5*time.Second, 5*time.Millisecond)
	return st
}

func (s *fakeStation) last(t *testing.T) call {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	require.NotEmpty(t, s.calls)
	return s.calls[len(s.calls)-1]
}

func (s *fakeStation) count() int { s.mu.Lock(); defer s.mu.Unlock(); return len(s.calls) }

// jsonOf re-encodes a decoded payload part for comparison.
func jsonOf(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestCommands16(t *testing.T) {
	f := newFixture(t, 5*time.Second)
	ctx := context.Background()
	st := f.dial(t, "CP16", "ocpp1.6", func(action string) string {
		switch action {
		case "RemoteStartTransaction", "RemoteStopTransaction", "CancelReservation", "SetChargingProfile", "ClearChargingProfile", "SendLocalList":
			return `{"status":"Accepted"}`
		case "ReserveNow":
			return `{"status":"Occupied"}`
		case "UnlockConnector":
			return `{"status":"Unlocked"}`
		case "GetCompositeSchedule":
			return `{"status":"Accepted","connectorId":2,"scheduleStart":"2025-01-01T10:00:00Z","chargingSchedule":{"duration":600,"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16.0},{"startPeriod":300,"limit":10.5}]}}`
		case "GetLocalListVersion":
			return `{"listVersion":7}`
		}
		return "!NotImplemented"
	})
	conn, ok := f.gw.Connection("CP16")
	require.True(t, ok)
	require.Equal(t, charging.OCPP16, conn.Protocol)

	// a token longer than 20 characters is never truncated: without an alias nothing is sent
	long := gateway.Token{ID: "APP-USER-0123456789ABCDEF"}
	_, err := f.gw.RemoteStart(ctx, "CP16", gateway.RemoteStart{EVSEID: 2, Token: long})
	require.Equal(t, charging.CodeInvalid, charging.ErrorCode(err), "%v", err)
	require.Equal(t, 0, st.count())
	long.Tag16 = "#ALIAS0123456789ABCD"
	res, err := f.gw.RemoteStart(ctx, "CP16", gateway.RemoteStart{EVSEID: 2, Token: long, RemoteStartID: 5})
	require.NoError(t, err)
	require.Equal(t, gateway.OutcomeAccepted, res.Outcome)
	require.Equal(t, call{"RemoteStartTransaction", map[string]any{"connectorId": 2.0, "idTag": "#ALIAS0123456789ABCD"}}, st.last(t))

	out, err := f.gw.RemoteStop(ctx, "CP16", charging.Transaction{ID: 42, StationTxID: "42"})
	require.NoError(t, err)
	require.Equal(t, gateway.OutcomeAccepted, out)
	require.Equal(t, map[string]any{"transactionId": 42.0}, st.last(t).Payload)

	exp := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	out, err = f.gw.ReserveNow(ctx, "CP16", gateway.Reservation{ID: 9, EVSEID: 1, Expiry: exp, Token: gateway.Token{ID: "04AB12CD", Group: "GROUP-1"}})
	require.NoError(t, err)
	require.Equal(t, gateway.OutcomeOccupied, out)
	require.Equal(t, `{"connectorId":1,"expiryDate":"2025-01-01T12:00:00.000Z","idTag":"04AB12CD","parentIdTag":"GROUP-1","reservationId":9}`,
		jsonOf(st.last(t).Payload))
	out, err = f.gw.CancelReservation(ctx, "CP16", 9)
	require.NoError(t, err)
	require.Equal(t, gateway.OutcomeAccepted, out)

	out, err = f.gw.UnlockConnector(ctx, "CP16", 3, 1)
	require.NoError(t, err)
	require.Equal(t, gateway.OutcomeAccepted, out)
	require.Equal(t, map[string]any{"connectorId": 3.0}, st.last(t).Payload)

	tx := charging.Transaction{ID: 42, EVSEID: 2}
	sched := gateway.Schedule{Unit: "A", Periods: []gateway.Period{{StartPeriod: 0, Limit: 16.04}, {StartPeriod: 600, Limit: 7.25}}}
	out, err = f.gw.SetChargingProfile(ctx, "CP16", gateway.TxProfile{Transaction: tx, ProfileID: 42, StackLevel: 1, Schedule: sched})
	require.NoError(t, err)
	require.Equal(t, gateway.OutcomeAccepted, out)
	require.Equal(t, `{"connectorId":2,"csChargingProfiles":{"chargingProfileId":42,"chargingProfileKind":"Relative","chargingProfilePurpose":"TxProfile",`+
		`"chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"limit":16,"startPeriod":0},{"limit":7.3,"startPeriod":600}]},"stackLevel":1,"transactionId":42}}`,
		jsonOf(st.last(t).Payload))

	cs, err := f.gw.GetCompositeSchedule(ctx, "CP16", 2, 600, "")
	require.NoError(t, err)
	require.Equal(t, gateway.OutcomeAccepted, cs.Outcome)
	require.True(t, cs.Start.Equal(time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)))
	require.Len(t, cs.Schedule.Periods, 2)
	require.Equal(t, 10.5, cs.Schedule.Periods[1].Limit)
	require.Equal(t, `{"connectorId":2,"duration":600}`, jsonOf(st.last(t).Payload))
	op := cs.Schedule.OCPI()
	require.NoError(t, op.Validate())
	require.Equal(t, "10.5", op.ChargingProfilePeriod[1].Limit.String())

	id := 42
	out, err = f.gw.ClearChargingProfile(ctx, "CP16", gateway.ClearProfile{ProfileID: &id})
	require.NoError(t, err)
	require.Equal(t, gateway.OutcomeAccepted, out)
	require.Equal(t, `{"id":42}`, jsonOf(st.last(t).Payload))

	out, err = f.gw.SendLocalList(ctx, "CP16", gateway.LocalList{Version: 3, Entries: []gateway.ListEntry{
		{Token: gateway.Token{ID: "04AB12CD"}, Info: &charging.AuthInfo{Status: charging.AuthAccepted, ParentIDTag: "G1"}},
		{Token: gateway.Token{ID: "DEADBEEF"}}}})
	require.NoError(t, err)
	require.Equal(t, gateway.OutcomeAccepted, out)
	require.Equal(t, `{"listVersion":3,"localAuthorizationList":[{"idTag":"04AB12CD","idTagInfo":{"parentIdTag":"G1","status":"Accepted"}},{"idTag":"DEADBEEF"}],"updateType":"Differential"}`,
		jsonOf(st.last(t).Payload))
	v, err := f.gw.GetLocalListVersion(ctx, "CP16")
	require.NoError(t, err)
	require.Equal(t, 7, v)
}

func TestCommands201(t *testing.T) {
	f := newFixture(t, 5*time.Second)
	ctx := context.Background()
	st := f.dial(t, "CS201", "ocpp2.0.1", func(action string) string {
		switch action {
		case "RequestStartTransaction":
			return `{"status":"Accepted","transactionId":"TX-9"}`
		case "RequestStopTransaction":
			return `{"status":"Rejected"}`
		case "ReserveNow", "CancelReservation", "SetChargingProfile", "SendLocalList":
			return `{"status":"Accepted"}`
		case "UnlockConnector":
			return `{"status":"OngoingAuthorizedTransaction"}`
		case "ClearChargingProfile":
			return `{"status":"Unknown"}`
		case "GetCompositeSchedule":
			return `{"status":"Accepted","schedule":{"evseId":1,"duration":300,"scheduleStart":"2025-01-01T10:00:00Z","chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":11000}]}}`
		case "GetLocalListVersion":
			return `{"versionNumber":0}`
		}
		return "!NotImplemented"
	})
	long := gateway.Token{ID: "APP-USER-0123456789ABCDEF", Tag16: "#IGNORED"}
	res, err := f.gw.RemoteStart(ctx, "CS201", gateway.RemoteStart{EVSEID: 1, Token: long, RemoteStartID: 77})
	require.NoError(t, err)
	require.Equal(t, gateway.RemoteStartResult{Outcome: gateway.OutcomeAccepted, TransactionID: "TX-9"}, res)
	require.Equal(t, `{"evseId":1,"idToken":{"idToken":"APP-USER-0123456789ABCDEF","type":"Central"},"remoteStartId":77}`, jsonOf(st.last(t).Payload))

	out, err := f.gw.RemoteStop(ctx, "CS201", charging.Transaction{ID: 3, StationTxID: "TX-9"})
	require.NoError(t, err)
	require.Equal(t, gateway.OutcomeRejected, out)
	require.Equal(t, `{"transactionId":"TX-9"}`, jsonOf(st.last(t).Payload))
	_, err = f.gw.RemoteStop(ctx, "CS201", charging.Transaction{ID: 3})
	require.Equal(t, charging.CodeInvalid, charging.ErrorCode(err))

	exp := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	out, err = f.gw.ReserveNow(ctx, "CS201", gateway.Reservation{ID: 4, Expiry: exp, Token: gateway.Token{ID: "CONTRACT-1", Type: "eMAID"}})
	require.NoError(t, err)
	require.Equal(t, gateway.OutcomeAccepted, out)
	require.Equal(t, `{"expiryDateTime":"2025-01-01T12:00:00.000Z","id":4,"idToken":{"idToken":"CONTRACT-1","type":"eMAID"}}`, jsonOf(st.last(t).Payload))

	out, err = f.gw.UnlockConnector(ctx, "CS201", 1, 2)
	require.NoError(t, err)
	require.Equal(t, gateway.OutcomeOngoingTransaction, out)
	require.Equal(t, `{"connectorId":2,"evseId":1}`, jsonOf(st.last(t).Payload))

	start := exp.Add(-time.Hour)
	sched := gateway.Schedule{Start: &start, Unit: "W", Periods: []gateway.Period{{StartPeriod: 0, Limit: 7400.55}}}
	out, err = f.gw.SetChargingProfile(ctx, "CS201", gateway.TxProfile{Transaction: charging.Transaction{ID: 3, EVSEID: 1, StationTxID: "TX-9"},
		ProfileID: 3, Schedule: sched})
	require.NoError(t, err)
	require.Equal(t, gateway.OutcomeAccepted, out)
	require.Equal(t, `{"chargingProfile":{"chargingProfileKind":"Absolute","chargingProfilePurpose":"TxProfile","chargingSchedule":[{"chargingRateUnit":"W",`+
		`"chargingSchedulePeriod":[{"limit":7400.55,"startPeriod":0}],"id":3,"startSchedule":"2025-01-01T11:00:00.000Z"}],"id":3,"stackLevel":0,"transactionId":"TX-9"},"evseId":1}`,
		jsonOf(st.last(t).Payload))

	cs, err := f.gw.GetCompositeSchedule(ctx, "CS201", 1, 300, "W")
	require.NoError(t, err)
	require.Equal(t, gateway.OutcomeAccepted, cs.Outcome)
	require.Equal(t, 11000.0, cs.Schedule.Periods[0].Limit)
	require.Equal(t, 300, *cs.Schedule.Duration)

	out, err = f.gw.ClearChargingProfile(ctx, "CS201", gateway.ClearProfile{EVSEID: 1, TxProfiles: true})
	require.NoError(t, err)
	require.Equal(t, gateway.OutcomeUnknown, out)
	require.Equal(t, `{"chargingProfileCriteria":{"chargingProfilePurpose":"TxProfile","evseId":1}}`, jsonOf(st.last(t).Payload))

	out, err = f.gw.SendLocalList(ctx, "CS201", gateway.LocalList{Version: 1, Full: true, Entries: []gateway.ListEntry{
		{Token: gateway.Token{ID: "04AB12CD"}, Info: &charging.AuthInfo{Status: charging.AuthAccepted}}}})
	require.NoError(t, err)
	require.Equal(t, gateway.OutcomeAccepted, out)
	require.Equal(t, `{"localAuthorizationList":[{"idToken":{"idToken":"04AB12CD","type":"ISO14443"},"idTokenInfo":{"status":"Accepted"}}],"updateType":"Full","versionNumber":1}`,
		jsonOf(st.last(t).Payload))
	v, err := f.gw.GetLocalListVersion(ctx, "CS201")
	require.NoError(t, err)
	require.Equal(t, 0, v)
}

func TestGatewayErrors(t *testing.T) {
	f := newFixture(t, 300*time.Millisecond)
	ctx := context.Background()
	_, err := f.gw.RemoteStart(ctx, "NOBODY", gateway.RemoteStart{Token: gateway.Token{ID: "A"}})
	require.Equal(t, charging.CodeUnavailable, charging.ErrorCode(err))
	_, ok := f.gw.Connection("NOBODY")
	require.False(t, ok)

	f.dial(t, "SILENT", "ocpp1.6", func(string) string { return "" })
	_, err = f.gw.UnlockConnector(ctx, "SILENT", 1, 1)
	require.Equal(t, charging.CodeTimeout, charging.ErrorCode(err), "%v", err)

	f.dial(t, "OLD", "ocpp1.6", func(string) string { return "!NotImplemented" })
	_, err = f.gw.SendLocalList(ctx, "OLD", gateway.LocalList{Version: 1, Full: true})
	var ce *ocpp.CallError
	require.True(t, errors.As(err, &ce), "%v", err)
	require.Equal(t, ocpp.ErrNotImplemented, ce.Code)

	// a schedule without periods is refused before anything is sent
	_, err = f.gw.SetChargingProfile(ctx, "OLD", gateway.TxProfile{Transaction: charging.Transaction{ID: 1, EVSEID: 1}})
	require.Equal(t, charging.CodeInvalid, charging.ErrorCode(err))
}
