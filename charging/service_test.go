package charging_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/store"
	"github.com/chargehub/hub/store/storetest"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var t0 = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

// env is a service on a fresh database of each dialect.
type env struct {
	svc   *charging.Service
	db    *store.DB
	clock *fakeClock
	ctx   context.Context
}

func forEachEnv(t *testing.T, cfg charging.Config, fn func(t *testing.T, e env)) {
	storetest.ForEachDB(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, err := store.Open(ctx, url, store.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		clock := &fakeClock{t: t0}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		fn(t, env{svc: charging.NewService(db, clock, log, cfg), db: db, clock: clock, ctx: ctx})
	})
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func TestAuthenticateProfiles(t *testing.T) {
	forEachEnv(t, charging.Config{}, func(t *testing.T, e env) {
		must[charging.Station](t)(e.svc.RegisterStation(e.ctx, "OPEN", nil, 0))
		must[charging.Station](t)(e.svc.RegisterStation(e.ctx, "BASIC", []byte("0123456789abcdef"), 1))
		must[charging.Station](t)(e.svc.RegisterStation(e.ctx, "TLS", []byte("0123456789abcdef"), 2))
		must[charging.Station](t)(e.svc.RegisterStation(e.ctx, "CERT", nil, 3))
		tests := []struct {
			name string
			req  charging.ConnectRequest
			want charging.Code
		}{
			{"profile 0 needs nothing", charging.ConnectRequest{StationID: "OPEN"}, ""},
			{"unknown station rejected", charging.ConnectRequest{StationID: "NOPE"}, charging.CodeNotFound},
			{"basic ok", charging.ConnectRequest{StationID: "BASIC", HasBasic: true, BasicUser: "BASIC", BasicPassword: []byte("0123456789abcdef")}, ""},
			{"basic ok again (cached)", charging.ConnectRequest{StationID: "BASIC", HasBasic: true, BasicUser: "BASIC", BasicPassword: []byte("0123456789abcdef")}, ""},
			{"basic wrong password", charging.ConnectRequest{StationID: "BASIC", HasBasic: true, BasicUser: "BASIC", BasicPassword: []byte("nope")}, charging.CodeUnauthorized},
			{"basic wrong user", charging.ConnectRequest{StationID: "BASIC", HasBasic: true, BasicUser: "OTHER", BasicPassword: []byte("0123456789abcdef")}, charging.CodeUnauthorized},
			{"basic missing", charging.ConnectRequest{StationID: "BASIC"}, charging.CodeUnauthorized},
			{"profile 2 refuses plain ws", charging.ConnectRequest{StationID: "TLS", HasBasic: true, BasicUser: "TLS", BasicPassword: []byte("0123456789abcdef")}, charging.CodeConflict},
			{"profile 2 over TLS", charging.ConnectRequest{StationID: "TLS", TLS: true, HasBasic: true, BasicUser: "TLS", BasicPassword: []byte("0123456789abcdef")}, ""},
			{"profile 3 needs a certificate", charging.ConnectRequest{StationID: "CERT", TLS: true}, charging.CodeConflict},
			{"profile 3 CN mismatch", charging.ConnectRequest{StationID: "CERT", TLS: true, ClientCertCN: "BASIC"}, charging.CodeUnauthorized},
			{"profile 3 ok", charging.ConnectRequest{StationID: "CERT", TLS: true, ClientCertCN: "CERT"}, ""},
		}
		for _, tt := range tests {
			_, err := e.svc.Authenticate(e.ctx, tt.req)
			if got := charging.ErrorCode(err); got != tt.want {
				t.Errorf("%s: code %q (%v), want %q", tt.name, got, err, tt.want)
			}
		}
		// a new password replaces the old one
		must[charging.Station](t)(e.svc.RegisterStation(e.ctx, "BASIC", []byte("fedcba9876543210"), 1))
		if _, err := e.svc.Authenticate(e.ctx, charging.ConnectRequest{StationID: "BASIC", HasBasic: true, BasicUser: "BASIC", BasicPassword: []byte("0123456789abcdef")}); charging.ErrorCode(err) != charging.CodeUnauthorized {
			t.Fatalf("old password still accepted: %v", err)
		}
	})
}

func TestUnknownStationPolicies(t *testing.T) {
	for _, tc := range []struct {
		policy charging.UnknownStationPolicy
		want   charging.Registration
	}{{charging.UnknownAccept, charging.RegistrationAccepted}, {charging.UnknownPending, charging.RegistrationPending}} {
		t.Run(string(tc.policy), func(t *testing.T) {
			forEachEnv(t, charging.Config{UnknownStations: tc.policy}, func(t *testing.T, e env) {
				st := must[charging.Station](t)(e.svc.Authenticate(e.ctx, charging.ConnectRequest{StationID: "NEW1", Protocol: charging.OCPP16}))
				if st.Registration != tc.want {
					t.Fatalf("registration %q, want %q", st.Registration, tc.want)
				}
				res := must[charging.BootResult](t)(e.svc.Boot(e.ctx, "NEW1", charging.OCPP16, charging.BootInfo{Vendor: "V", Model: "M"}))
				if res.Status != tc.want {
					t.Fatalf("boot %q, want %q", res.Status, tc.want)
				}
				wantInterval := 300 * time.Second
				if tc.want != charging.RegistrationAccepted {
					wantInterval = 60 * time.Second
				}
				if res.Interval != wantInterval {
					t.Fatalf("interval %v, want %v", res.Interval, wantInterval)
				}
				// the pre-boot gate (ocpp.Gate) opens only for stations accepted once
				ok := must[charging.Station](t)(e.db.GetStation(e.ctx, "NEW1")).EverAccepted()
				if ok != (tc.want == charging.RegistrationAccepted) {
					t.Fatalf("EverAccepted = %v", ok)
				}
			})
		})
	}
}

func TestBootStoresIdentity(t *testing.T) {
	forEachEnv(t, charging.Config{}, func(t *testing.T, e env) {
		must[charging.Station](t)(e.svc.RegisterStation(e.ctx, "CP1", nil, 0))
		must[charging.BootResult](t)(e.svc.Boot(e.ctx, "CP1", charging.OCPP16, charging.BootInfo{Vendor: "ABB", Model: "Terra",
			SerialNumber: "S1", FirmwareVersion: "1.2.3", ICCID: "89", IMSI: "40"}))
		st := must[charging.Station](t)(e.db.GetStation(e.ctx, "CP1"))
		if st.Vendor != "ABB" || st.Model != "Terra" || st.FirmwareVersion != "1.2.3" || st.AcceptedAt == nil ||
			st.LastBootAt == nil || !st.LastBootAt.Equal(t0) || st.Protocol != charging.OCPP16 {
			t.Fatalf("station after boot: %+v", st)
		}
	})
}

func TestStatusOutOfOrderKeepsNewest(t *testing.T) {
	forEachEnv(t, charging.Config{}, func(t *testing.T, e env) {
		must[charging.Station](t)(e.svc.RegisterStation(e.ctx, "CP1", nil, 0))
		newer := charging.Connector{StationID: "CP1", EVSEID: 1, ConnectorID: 1, Status: charging.StatusCharging, ErrorCode: "NoError", StatusAt: t0.Add(-time.Minute)}
		older := newer
		older.Status, older.StatusAt = charging.StatusAvailable, t0.Add(-time.Hour)
		if err := e.svc.StatusChanged(e.ctx, newer); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.StatusChanged(e.ctx, older); err != nil {
			t.Fatal(err)
		}
		cs := must[[]charging.Connector](t)(e.db.ListConnectors(e.ctx, "CP1"))
		if len(cs) != 1 || cs[0].Status != charging.StatusCharging {
			t.Fatalf("connectors %+v", cs)
		}
	})
}

func TestAuthorize(t *testing.T) {
	forEachEnv(t, charging.Config{}, func(t *testing.T, e env) {
		past := t0.Add(-time.Hour)
		must[charging.IDTag](t)(e.svc.PutIDTag(e.ctx, charging.IDTag{IDTag: "good", ParentIDTag: "fleet"}))
		must[charging.IDTag](t)(e.svc.PutIDTag(e.ctx, charging.IDTag{IDTag: "OLD", ExpiryDate: &past}))
		must[charging.IDTag](t)(e.svc.PutIDTag(e.ctx, charging.IDTag{IDTag: "BAD", Status: charging.AuthBlocked}))
		if _, err := e.svc.PutIDTag(e.ctx, charging.IDTag{IDTag: "X", Status: "Maybe"}); charging.ErrorCode(err) != charging.CodeInvalid {
			t.Fatalf("bad status accepted: %v", err)
		}
		for tag, want := range map[string]charging.AuthStatus{"GOOD": charging.AuthAccepted, "OLD": charging.AuthExpired,
			"BAD": charging.AuthBlocked, "UNKNOWN": charging.AuthUnknown} {
			a := must[charging.AuthInfo](t)(e.svc.Authorize(e.ctx, "CP1", tag))
			if a.Status != want {
				t.Errorf("%s: %q, want %q", tag, a.Status, want)
			}
			if tag == "GOOD" && a.ParentIDTag != "FLEET" {
				t.Errorf("parent %q", a.ParentIDTag)
			}
		}
	})
}
