package ocpitest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi/client"
	"github.com/chargehub/hub/ocpi/push"
	"github.com/chargehub/hub/ocpi/server"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
)

// HubOptions tune NewHub.
type HubOptions struct {
	Party    roaming.Party // default IN*HUB
	Clock    charging.Clock
	Commands roaming.CommandExecutor
	Profiles roaming.ChargingProfileExecutor
	Server   server.Config
	Push     push.Config // defaults here: fast polls and short backoffs
	NoWorker bool        // do not run the outbox worker (call Worker.RunOnce)
	// Mount adds more routes (e.g. the admin API) before the server starts.
	Mount func(e *echo.Echo, svc *roaming.Service)
}

// Hub is the hub's OCPI side assembled from the real parts on a database: store, roaming
// service, OCPI server on Echo (an httptest server), client and outbox worker.
type Hub struct {
	URL      string
	DB       *store.DB
	Store    *store.Roaming
	Svc      *roaming.Service
	Client   *client.Client
	Worker   *push.Worker
	Echo     *echo.Echo
	Registry *prometheus.Registry

	stopOnce sync.Once
	cancel   context.CancelFunc
	done     chan struct{}
}

// Logger is a test logger: silent unless the test runs with -v.
func Logger() *slog.Logger {
	var w io.Writer = io.Discard
	if testing.Verbose() {
		w = os.Stderr
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// NewHub opens the database at dbURL (migrated, e.g. from storetest.ForEachDB) and starts the
// hub's OCPI side; it is stopped at cleanup.
func NewHub(t testing.TB, dbURL string, o HubOptions) *Hub {
	t.Helper()
	log := Logger()
	if o.Clock == nil {
		o.Clock = charging.SystemClock{}
	}
	if o.Party.IsZero() {
		o.Party = roaming.Party{CountryCode: "IN", PartyID: "HUB"}
	}
	db, err := store.Open(context.Background(), dbURL, store.Options{Logger: log, Clock: o.Clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	e := echo.New()
	srv := httptest.NewUnstartedServer(e)
	h := &Hub{URL: "http://" + srv.Listener.Addr().String(), DB: db, Store: db.Roaming(), Echo: e,
		Registry: prometheus.NewRegistry(), done: make(chan struct{})}
	h.Client = client.New(nil, client.Config{Timeout: 5 * time.Second}, log)
	var worker *push.Worker
	h.Svc = roaming.NewService(roaming.Deps{Store: h.Store, Peer: h.Client, Clock: o.Clock, Log: log, Stations: db,
		Commands: o.Commands, Profiles: o.Profiles, OnEnqueue: func() {
			if worker != nil {
				worker.Wake()
			}
		}}, roaming.Config{PublicURL: h.URL, Party: o.Party, BusinessName: "Test CPO", PushOnRegister: true,
		CommandTimeout: 30 * time.Second})
	server.New(h.Svc, o.Server, log).Mount(e)
	pc := o.Push
	if pc.Poll == 0 {
		pc.Poll = 20 * time.Millisecond
	}
	if pc.BaseBackoff == 0 {
		pc.BaseBackoff = 20 * time.Millisecond
	}
	if pc.MaxBackoff == 0 {
		pc.MaxBackoff = 200 * time.Millisecond
	}
	if pc.Workers == 0 && db.Dialect() == store.DialectPostgres {
		pc.Workers = 3
	}
	worker, err = push.New(h.Store, h.Client, o.Clock, log, o.Party, pc, h.Registry)
	if err != nil {
		t.Fatal(err)
	}
	h.Worker = worker
	if o.Mount != nil {
		o.Mount(e, h.Svc)
	}
	srv.Start()
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	if o.NoWorker {
		close(h.done)
	} else {
		go func() { defer close(h.done); worker.Run(ctx) }()
	}
	t.Cleanup(h.Stop)
	return h
}

// Stop stops the outbox worker (finishing in-flight deliveries).
func (h *Hub) Stop() {
	h.stopOnce.Do(func() {
		h.cancel()
		<-h.done
	})
}

// VersionsURL is the hub's versions list.
func (h *Hub) VersionsURL() string { return h.Svc.VersionsURL() }

// Eventually polls cond every 10 ms until it holds or timeout passes.
func Eventually(t testing.TB, timeout time.Duration, cond func() bool, format string, args ...any) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out: "+format, args...)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
