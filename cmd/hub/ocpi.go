package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/chargehub/hub/admin"
	"github.com/chargehub/hub/bridge"
	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi/client"
	"github.com/chargehub/hub/ocpi/push"
	"github.com/chargehub/hub/ocpi/server"
	"github.com/chargehub/hub/ocpp/gateway"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
)

// outboxKeep is how long delivered outbox items are kept for operators to look at.
const outboxKeep = 7 * 24 * time.Hour

// ocpiRuntime is the OCPI side of a running hub: the roaming service, the outbox worker, the
// OCPI cron jobs, and what carries partner commands and tokens to the chargers (the command
// executor, the roaming token authorizer and the local authorization list sync).
type ocpiRuntime struct {
	svc      *roaming.Service
	worker   *push.Worker
	cron     *cron.Cron
	commands *bridge.Commands
	tokens   *bridge.Tokens
	lists    *bridge.LocalLists
	cancel   context.CancelFunc
	done     chan struct{}
}

// newRoaming builds the roaming service of the configured CPO on db; onEnqueue (may be nil) is
// called after changes that queued pushes.
func newRoaming(cfg *config, db *store.DB, log *slog.Logger, cl *client.Client, onEnqueue func()) *roaming.Service {
	return newRoamingWith(cfg, db, log, cl, onEnqueue, nil)
}

// newRoamingWith is newRoaming with the executor of partner commands and charging profiles
// (nil: both are answered NOT_SUPPORTED).
func newRoamingWith(cfg *config, db *store.DB, log *slog.Logger, cl *client.Client, onEnqueue func(), cmds *bridge.Commands) *roaming.Service {
	var peer roaming.Peer // nil for commands that never call a partner
	if cl != nil {
		peer = cl
	}
	d := roaming.Deps{Store: db.Roaming(), Peer: peer, Clock: charging.SystemClock{}, Log: log, Stations: db, OnEnqueue: onEnqueue}
	if cmds != nil {
		d.Commands, d.Profiles = cmds, cmds
	}
	return roaming.NewService(d, roaming.Config{PublicURL: cfg.PublicURL,
		Party: roaming.Party{CountryCode: cfg.CountryCode, PartyID: cfg.PartyID}.Norm(), PushOnRegister: true})
}

// startOCPI builds the roaming service on h.db, mounts the OCPI server (/ocpi) and the roaming
// admin API (/api/v1/partners, /api/v1/locations) on h.echo, and starts the outbox worker and the
// OCPI cron jobs (token pull hourly, command timeouts every minute, outbox pruning daily). The
// jobs run on a cron of their own, wrapped with cron.Recover like h.cron, because h.cron is
// created after this runs.
//
// Partner commands and charging profiles go to the chargers through bridge.Commands (the
// roaming service's executor, over the OCPP gateway); roaming tokens presented at chargers are
// decided by bridge.Tokens (h.svc's token authorizer, real-time authorization through the OCPI
// client); bridge.LocalLists keeps the connected chargers' local authorization lists in step with
// the eMSPs' tokens (a poll every 30 s, and after each token pull).
func (h *hub) startOCPI(ctx context.Context) error {
	log := h.log.With("part", "ocpi")
	rt := &ocpiRuntime{done: make(chan struct{})}
	cl := client.New(nil, client.Config{}, log)
	clock := charging.SystemClock{}
	gw := gateway.New(h.cluster.Router()) // partner commands reach the station on whichever node holds it
	state := h.db.BridgeCommands()
	rt.commands = bridge.NewCommands(bridge.CommandsDeps{Stations: gw, Charging: h.db, State: state, Clock: clock,
		Log: h.log.With("part", "commands")}, bridge.CommandsConfig{})
	rt.svc = newRoamingWith(h.cfg, h.db, log, cl, func() { rt.worker.Wake() }, rt.commands)
	rt.commands.Attach(rt.svc)
	rt.tokens = bridge.NewTokens(rt.svc, h.db.Roaming(), state, clock, h.log.With("part", "tokens"), bridge.TokensConfig{})
	h.svc.SetTokenAuthorizer(rt.tokens)
	rt.svc.SetSessionAuth(bridge.SessionAuths{Commands: rt.commands, Tokens: rt.tokens})
	rt.lists = bridge.NewLocalLists(gateway.New(h.ocpp), h.db, state, clock, h.log.With("part", "local_lists"), bridge.LocalListsConfig{})
	server.New(rt.svc, server.Config{}, log).Mount(h.echo)
	admin.NewRoaming(rt.svc, h.cfg.AdminToken, h.log).Mount(h.echo)

	workers := 1 // SQLite: one writer anyway
	if h.db.Dialect() == store.DialectPostgres {
		workers = 4
	}
	w, err := push.New(h.db.Roaming(), cl, charging.SystemClock{}, log, rt.svc.Party(), push.Config{Workers: workers},
		h.metrics.Registry())
	if err != nil {
		return fmt.Errorf("ocpi outbox worker: %w", err)
	}
	rt.worker = w
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	rt.cancel = cancel
	go func() {
		defer close(rt.done)
		lists := make(chan struct{})
		go func() { defer close(lists); rt.lists.Run(bg) }()
		w.Run(bg)
		<-lists
	}()

	rt.cron = cron.New(cron.WithChain(cron.Recover(cronLogger{log})))
	rt.cron.Schedule(cron.Every(time.Hour), cron.FuncJob(h.singleton("ocpi_token_pull", time.Hour, func() {
		if failed := rt.svc.SyncAllTokens(bg); failed > 0 {
			log.Warn("cron job ran with failures", "job", "ocpi_token_pull", "failed_partners", failed)
		}
		rt.lists.Wake()
	})))
	rt.cron.Schedule(cron.Every(time.Minute), cron.FuncJob(h.singleton("ocpi_command_timeouts", time.Minute, func() {
		if n, err := rt.svc.ExpireCommands(bg); err != nil {
			log.Error("cron job failed", "job", "ocpi_command_timeouts", "err", err)
		} else if n > 0 {
			log.Info("cron job ran", "job", "ocpi_command_timeouts", "timed_out", n)
		}
	})))
	rt.cron.Schedule(cron.Every(24*time.Hour), cron.FuncJob(h.singleton("ocpi_outbox_prune", 24*time.Hour, func() {
		n, err := rt.svc.PruneOutbox(bg, outboxKeep)
		if err != nil {
			log.Error("cron job failed", "job", "ocpi_outbox_prune", "err", err)
			return
		}
		log.Info("cron job ran", "job", "ocpi_outbox_prune", "deleted", n)
	})))
	if err := h.startBilling(bg, rt); err != nil { // tariff/finance admin API and maintenance jobs (jobs.go)
		cancel()
		return err
	}
	rt.cron.Start()
	h.roam = rt
	return nil
}

// stopOCPI stops the OCPI cron jobs and the outbox worker; deliveries in flight finish and are
// recorded in the database (bounded by ctx).
func (h *hub) stopOCPI(ctx context.Context) {
	rt := h.roam
	if rt == nil {
		return
	}
	select {
	case <-rt.cron.Stop().Done():
	case <-ctx.Done():
	}
	if err := rt.commands.Close(ctx); err != nil {
		h.log.Warn("commands still waiting for chargers at shutdown; their results will be TIMEOUT", "err", err)
	}
	rt.cancel()
	select {
	case <-rt.done:
	case <-ctx.Done():
		h.log.Warn("ocpi outbox worker still delivering at shutdown; the database keeps the rest")
	}
}
