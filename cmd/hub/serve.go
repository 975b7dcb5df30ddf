package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/robfig/cron/v3"

	"github.com/chargehub/hub/admin"
	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/cluster"
	"github.com/chargehub/hub/framelog"
	"github.com/chargehub/hub/metrics"
	"github.com/chargehub/hub/ocpp"
	"github.com/chargehub/hub/ocpp/gateway"
	"github.com/chargehub/hub/ocpp/v16"
	"github.com/chargehub/hub/ocpp/v201"
	"github.com/chargehub/hub/store"
)

// shutdownBudget is how long a graceful stop may take in all (the contract says 10 s).
const shutdownBudget = 9 * time.Second

// hub is a running hub: everything serve wires together, for main and for tests.
type hub struct {
	cfg     *config
	log     *slog.Logger
	db      *store.DB
	svc     *charging.Service
	ocpp    *ocpp.Server
	echo    *echo.Echo
	metrics *metrics.Metrics
	frames  *framelog.Writer
	cron    *cron.Cron
	roam    *ocpiRuntime  // the OCPI side (ocpi.go)
	cluster *cluster.Node // the nodes sharing the database (cluster.go)

	plain, secure net.Listener
	servers       []*http.Server
	bgCancel      context.CancelFunc
	bgDone        chan struct{}
	stopRefresh   func(context.Context) // the Session republication after MeterValues (bridge.go)
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("serve", stderr)
	cfg := bindConfig(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	log := newLogger(cfg.LogLevel)
	h, err := startHub(ctx, cfg, log)
	if err != nil {
		return err
	}
	if !cfg.adminTokenGiven {
		fmt.Fprintf(stderr, "admin token (generated, set HUB_ADMIN_TOKEN to keep one): %s\n", cfg.AdminToken)
	}
	log.Info("hub serving", "http", h.plain.Addr().String(), "tls", cfg.TLSAddr, "database", redactURL(cfg.DatabaseURL))
	<-ctx.Done()
	log.Info("hub shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownBudget)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- h.shutdown(sctx) }()
	select {
	case err := <-done:
		if err != nil {
			log.Error("shutdown finished with errors", "err", err)
		}
		return err
	case <-time.After(shutdownBudget + 500*time.Millisecond):
		// something did not honour its deadline; the contract's 10 s bound wins
		return fmt.Errorf("shutdown did not finish within %s", shutdownBudget)
	}
}

// startHub opens the database, migrates it and starts every listener and background job.
func startHub(ctx context.Context, cfg *config, log *slog.Logger) (*hub, error) {
	h := &hub{cfg: cfg, log: log, metrics: metrics.New()}
	db, err := store.Open(ctx, cfg.DatabaseURL, store.Options{Logger: log, OnDBError: h.metrics.DBError, OnGroupCommit: h.metrics.GroupCommit,
		OnCheckpoint: h.metrics.Checkpoint})
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", redactURL(cfg.DatabaseURL), err)
	}
	h.db = db
	if _, err := store.Migrate(ctx, db, "up"); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if err := h.startCluster(ctx); err != nil { // presence across nodes, in place of db.ResetOnline
		db.Close()
		return nil, err
	}
	clock := charging.SystemClock{}
	h.svc = charging.NewService(db, clock, log, charging.Config{
		UnknownStations:    charging.UnknownStationPolicy(cfg.UnknownStations),
		HeartbeatInterval:  cfg.HeartbeatInterval,
		ClockSkewTolerance: cfg.ClockSkewTolerance,
	})
	h.svc.SetObserver(h.metrics)
	h.frames = framelog.New(db, log, 0, h.metrics.FrameDropped)

	ocfg := ocpp.DefaultConfig()
	ocfg.PingInterval, ocfg.CallTimeout, ocfg.Strict = cfg.PingInterval, cfg.CallTimeout, cfg.OCPPStrict
	if hb := 2*cfg.HeartbeatInterval + time.Minute; hb > ocfg.ReadTimeout {
		ocfg.ReadTimeout = hb
	}
	h.ocpp = ocpp.NewServer(ctx, ocfg, ocpp.Deps{Log: log, Clock: clock, Authority: h.cluster.Authority(h.svc), Observer: h.metrics, Frames: h.frames})
	h.ocpp.Handle(charging.OCPP201, v201.NewHandler(h.svc).Router(), v201.Commands{})
	h.ocpp.Handle(charging.OCPP16, v16.NewHandler(h.svc).Router(), v16.Commands{})
	h.cluster.Attach(h.ocpp)

	h.echo = newEcho(h)
	if err := h.startOCPI(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := h.startBridge(ctx); err != nil {
		h.stopOCPI(ctx)
		db.Close()
		return nil, err
	}
	if h.plain, err = net.Listen("tcp", cfg.HTTPAddr); err != nil {
		db.Close()
		return nil, fmt.Errorf("listen %s: %w", cfg.HTTPAddr, err)
	}
	if cfg.TLSAddr != "" {
		tc, err := tlsConfig(cfg)
		if err != nil {
			h.plain.Close()
			db.Close()
			return nil, err
		}
		ln, err := net.Listen("tcp", cfg.TLSAddr)
		if err != nil {
			h.plain.Close()
			db.Close()
			return nil, fmt.Errorf("listen %s: %w", cfg.TLSAddr, err)
		}
		h.secure = tls.NewListener(ln, tc)
	}
	h.startBackground()
	for _, ln := range []net.Listener{h.plain, h.secure} {
		if ln == nil {
			continue
		}
		srv := &http.Server{Handler: h.echo, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
		h.servers = append(h.servers, srv)
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error("listener failed", "addr", ln.Addr().String(), "err", err)
			}
		}()
	}
	return h, nil
}

func newEcho(h *hub) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/healthz", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	e.GET("/readyz", func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
		defer cancel()
		if err := h.db.Ping(ctx); err != nil {
			return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "database unreachable"})
		}
		return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
	})
	e.GET("/metrics", echo.WrapHandler(h.metrics.Handler()))
	h.ocpp.Mount(e)
	api := admin.New(h.svc, h.db, h.cluster.Router(), h.cfg.AdminToken, h.log)
	api.SetPasswordSetter(gateway.New(h.cluster.Router()))
	api.Mount(e)
	h.mountCluster(e)
	return e
}

// startBackground runs the audit writer, the last-seen flusher and the cron jobs.
func (h *hub) startBackground() {
	bg, cancel := context.WithCancel(context.Background())
	h.bgCancel, h.bgDone = cancel, make(chan struct{})
	go h.frames.Run(bg)
	go func() {
		defer close(h.bgDone)
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				h.flushSeen(bg)
			case <-bg.Done():
				fctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				h.flushSeen(fctx)
				cancel()
				return
			}
		}
	}()
	h.cron = cron.New(cron.WithChain(cron.Recover(cronLogger{h.log}))) // the frame log is pruned by the housekeeping job (jobs.go)
	h.cron.Start()
}

func (h *hub) flushSeen(ctx context.Context) {
	if seen := h.ocpp.TakeSeen(); len(seen) > 0 {
		if err := h.db.TouchStations(ctx, seen); err != nil {
			h.log.Error("store last-seen times", "stations", len(seen), "err", err)
		}
	}
}

// shutdown stops accepting, lets in-flight OCPP calls and HTTP requests finish, closes the
// sockets with 1001, flushes the audit log and closes the database.
func (h *hub) shutdown(ctx context.Context) error {
	var errs []error
	done := make(chan error, 1)
	go func() { done <- h.ocpp.Shutdown(ctx) }()
	for _, srv := range h.servers {
		errs = append(errs, srv.Shutdown(ctx))
	}
	errs = append(errs, <-done)
	if h.stopRefresh != nil { // no more MeterValues: republish the Sessions they left queued
		h.stopRefresh(ctx)
	}
	<-h.cron.Stop().Done()
	h.bgCancel()
	<-h.bgDone
	select {
	case <-h.frames.Done():
	case <-ctx.Done():
	}
	h.stopOCPI(ctx)
	errs = append(errs, h.stopCluster(ctx), h.db.Close())
	return errors.Join(errs...)
}

// tlsConfig builds the TLS listener's config: TLS 1.2+, the OCPP-mandated suites (RSA key
// exchange ones included, which Go no longer enables by default) and, with a client CA,
// optional client certificates for security profile 3.
func tlsConfig(cfg *config) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
	if err != nil {
		return nil, fmt.Errorf("load TLS certificate: %w", err)
	}
	tc := &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS12,
		CipherSuites: []uint16{
			tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_RSA_WITH_AES_256_GCM_SHA384,
		},
	}
	if cfg.TLSClientCA != "" {
		pem, err := os.ReadFile(cfg.TLSClientCA)
		if err != nil {
			return nil, fmt.Errorf("read client CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("client CA %s holds no PEM certificate", cfg.TLSClientCA)
		}
		tc.ClientCAs, tc.ClientAuth = pool, tls.VerifyClientCertIfGiven
	}
	return tc, nil
}

// cronLogger adapts slog to cron's logger.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
