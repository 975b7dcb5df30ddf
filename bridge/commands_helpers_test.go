package bridge_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpp/gateway"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
	"github.com/chargehub/hub/store/storetest"
)

// cmdForEachDB runs fn on a fresh SQLite and PostgreSQL database.
func cmdForEachDB(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	storetest.ForEachDB(t, func(t *testing.T, url string) {
		db, err := store.Open(context.Background(), url, store.Options{Logger: slog.New(slog.DiscardHandler)})
		require.NoError(t, err)
		t.Cleanup(func() { _ = db.Close() })
		fn(t, db)
	})
}

// stationCall is one call the fake stations received.
type stationCall struct {
	Station string
	Action  string
	Req     any
}

// fakeStations is a programmable Stations: connected stations with their protocol, and an
// answer function per action (nil: Accepted).
type fakeStations struct {
	mu      sync.Mutex
	conns   map[string]gateway.Connection
	calls   []stationCall
	answer  map[string]func(req any) (gateway.Outcome, error)
	version map[string]int
	start   func(r gateway.RemoteStart) (gateway.RemoteStartResult, error)
	sched   gateway.CompositeSchedule
	hang    bool
}

func newStations() *fakeStations {
	return &fakeStations{conns: map[string]gateway.Connection{}, answer: map[string]func(any) (gateway.Outcome, error){},
		version: map[string]int{}}
}

func (f *fakeStations) connect(id string, p charging.Protocol) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.conns[id]
	f.conns[id] = gateway.Connection{Protocol: p, Generation: c.Generation + 1}
}

func (f *fakeStations) disconnect(id string) { f.mu.Lock(); delete(f.conns, id); f.mu.Unlock() }

func (f *fakeStations) on(action string, fn func(req any) (gateway.Outcome, error)) {
	f.mu.Lock()
	f.answer[action] = fn
	f.mu.Unlock()
}

func (f *fakeStations) record(ctx context.Context, station, action string, req any) (gateway.Outcome, error) {
	f.mu.Lock()
	f.calls = append(f.calls, stationCall{station, action, req})
	fn := f.answer[action]
	_, ok := f.conns[station]
	hang := f.hang
	f.mu.Unlock()
	if !ok {
		return "", charging.Errorf(charging.CodeUnavailable, "station %s is not connected", station)
	}
	if hang { // a station that never answers: the caller's deadline ends the call, as in the gateway
		<-ctx.Done()
		return "", charging.Errorf(charging.CodeTimeout, "station %s did not answer %s: %v", station, action, ctx.Err())
	}
	if fn == nil {
		return gateway.OutcomeAccepted, nil
	}
	return fn(req)
}

// sentTo returns the calls of an action, in order.
func (f *fakeStations) sentTo(action string) []stationCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []stationCall
	for _, c := range f.calls {
		if c.Action == action {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeStations) Connection(id string) (gateway.Connection, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.conns[id]
	return c, ok
}
func (f *fakeStations) RemoteStart(ctx context.Context, id string, r gateway.RemoteStart) (gateway.RemoteStartResult, error) {
	out, err := f.record(ctx, id, "RemoteStart", r)
	f.mu.Lock()
	fn := f.start
	f.mu.Unlock()
	if err == nil && fn != nil {
		return fn(r)
	}
	return gateway.RemoteStartResult{Outcome: out}, err
}
func (f *fakeStations) RemoteStop(ctx context.Context, id string, tx charging.Transaction) (gateway.Outcome, error) {
	return f.record(ctx, id, "RemoteStop", tx)
}
func (f *fakeStations) ReserveNow(ctx context.Context, id string, r gateway.Reservation) (gateway.Outcome, error) {
	return f.record(ctx, id, "ReserveNow", r)
}
func (f *fakeStations) CancelReservation(ctx context.Context, id string, rid int) (gateway.Outcome, error) {
	return f.record(ctx, id, "CancelReservation", rid)
}
func (f *fakeStations) UnlockConnector(ctx context.Context, id string, evse, conn int) (gateway.Outcome, error) {
	return f.record(ctx, id, "UnlockConnector", [2]int{evse, conn})
}
func (f *fakeStations) SetChargingProfile(ctx context.Context, id string, r gateway.TxProfile) (gateway.Outcome, error) {
	return f.record(ctx, id, "SetChargingProfile", r)
}
func (f *fakeStations) GetCompositeSchedule(ctx context.Context, id string, evse, duration int, unit string) (gateway.CompositeSchedule, error) {
	_, err := f.record(ctx, id, "GetCompositeSchedule", [2]int{evse, duration})
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sched, err
}
func (f *fakeStations) ClearChargingProfile(ctx context.Context, id string, r gateway.ClearProfile) (gateway.Outcome, error) {
	return f.record(ctx, id, "ClearChargingProfile", r)
}
func (f *fakeStations) SendLocalList(ctx context.Context, id string, l gateway.LocalList) (gateway.Outcome, error) {
	return f.record(ctx, id, "SendLocalList", l)
}
func (f *fakeStations) GetLocalListVersion(ctx context.Context, id string) (int, error) {
	out, err := f.record(ctx, id, "GetLocalListVersion", nil)
	if err != nil {
		return 0, err
	}
	if out == gateway.OutcomeNotSupported {
		return -1, nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.version[id], nil
}

// fakeResults records results.
type fakeResults struct {
	mu       sync.Mutex
	commands map[string]ocpi.CommandResult
	profiles map[string]any
	ch       chan string
}

func newResults() *fakeResults {
	return &fakeResults{commands: map[string]ocpi.CommandResult{}, profiles: map[string]any{}, ch: make(chan string, 100)}
}

func (r *fakeResults) CommandResult(_ context.Context, id string, res ocpi.CommandResult) error {
	if err := res.Validate(); err != nil {
		return charging.Errorf(charging.CodeInvalid, "%v", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.commands[id]; dup {
		return charging.Errorf(charging.CodeConflict, "second result")
	}
	r.commands[id] = res
	r.ch <- id
	return nil
}

func (r *fakeResults) ChargingProfileResult(_ context.Context, id string, res any) error {
	if a, ok := res.(ocpi.ActiveChargingProfileResult); ok {
		if err := a.Validate(); err != nil {
			return charging.Errorf(charging.CodeInvalid, "%v", err)
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.profiles[id] = res
	r.ch <- id
	return nil
}

// wait returns the command result of id.
func (r *fakeResults) wait(t *testing.T, id string) ocpi.CommandResult {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		r.mu.Lock()
		res, ok := r.commands[id]
		r.mu.Unlock()
		if ok {
			return res
		}
		select {
		case <-r.ch:
		case <-deadline:
			t.Fatalf("no result for command %s", id)
		}
	}
}

// waitProfile returns the charging profile result of id.
func (r *fakeResults) waitProfile(t *testing.T, id string) any {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		r.mu.Lock()
		res, ok := r.profiles[id]
		r.mu.Unlock()
		if ok {
			return res
		}
		select {
		case <-r.ch:
		case <-deadline:
			t.Fatalf("no profile result for %s", id)
		}
	}
}

// newPartner creates a registered eMSP partner.
func cmdPartner(t *testing.T, db *store.DB) roaming.Partner {
	t.Helper()
	p := roaming.Partner{Name: "eMSP", Role: ocpi.RoleEMSP, Party: roaming.Party{CountryCode: "NL", PartyID: "EMP"},
		Status: roaming.PartnerRegistered}
	require.NoError(t, db.Roaming().CreatePartner(context.Background(), &p))
	return p
}

// newStation creates a station row.
func cmdStation(t *testing.T, db *store.DB, id string, p charging.Protocol) {
	t.Helper()
	require.NoError(t, db.CreateStation(context.Background(), charging.Station{ID: id, Protocol: p, Registration: charging.RegistrationAccepted}))
}

// token returns an eMSP token.
func cmdToken(uid string, typ ocpi.TokenType, wl ocpi.WhitelistType, valid bool) ocpi.Token {
	return ocpi.Token{CountryCode: "NL", PartyID: "EMP", UID: uid, Type: typ, ContractID: "NL-EMP-C" + uid, Issuer: "EMP",
		Valid: valid, Whitelist: wl, LastUpdated: ocpi.NewDateTime(time.Now())}
}

// cmdClock is a settable test clock.
type cmdClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *cmdClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *cmdClock) add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }
