package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/chargehub/hub/sim"
)

// runSimChargers is "hub sim chargers": a fleet of simulated OCPP stations (1.6, 2.0.1 or
// a mix) that boot, heartbeat and run charging sessions against a hub, then print a report.
func runSimChargers(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sim chargers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg sim.Config
	var asJSON bool
	fs.StringVar(&cfg.URL, "url", "", "OCPP base URL of the hub, e.g. ws://localhost:8080/ocpp (required)")
	fs.IntVar(&cfg.Count, "count", 0, "number of simulated chargers (required, at least 1)")
	fs.StringVar(&cfg.Protocol, "protocol", sim.ProtocolOCPP16, "OCPP version: ocpp1.6, ocpp2.0.1, or mixed (odd stations 1.6, even ones 2.0.1)")
	fs.IntVar(&cfg.Sessions, "sessions", 1, "charging sessions per charger, one after another")
	fs.StringVar(&cfg.Password, "password", "", "HTTP Basic password of every station (user = station id)")
	fs.StringVar(&cfg.IDPrefix, "id-prefix", "SIM", "station id prefix: SIM gives SIM00001, SIM00002, ...")
	fs.StringVar(&cfg.TagPrefix, "tag-prefix", "SIMTAG", "id tag prefix, one tag per charger: SIMTAG00001, ... (at most 20 characters; 36 with ocpp2.0.1)")
	fs.IntVar(&cfg.Connectors, "connectors", 1, "connectors per charger (EVSEs of one connector each with ocpp2.0.1)")
	fs.IntVar(&cfg.MeterValues, "meter-values", 3, "MeterValues per session")
	fs.DurationVar(&cfg.MeterInterval, "meter-interval", time.Second, "time between meter values")
	fs.DurationVar(&cfg.HeartbeatInterval, "heartbeat-interval", 0, "heartbeat interval; 0 = the interval the hub gives in BootNotification")
	fs.DurationVar(&cfg.Hold, "hold", 0, "stay connected (heartbeating) this long after the sessions; 0 = disconnect at once")
	fs.BoolVar(&cfg.HoldTogether, "hold-together", false, "start the hold only when every charger has finished its sessions (whole fleet connected at once)")
	fs.DurationVar(&cfg.RampUp, "ramp-up", 0, "spread the connections over this window")
	fs.DurationVar(&cfg.CallTimeout, "call-timeout", 30*time.Second, "how long each CALL waits for the hub's answer")
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("sim chargers: unexpected argument %q", fs.Arg(0))
	}
	switch cfg.Protocol {
	case sim.ProtocolOCPP16, sim.ProtocolOCPP201, sim.ProtocolMixed:
	default:
		return fmt.Errorf("sim chargers: --protocol %q: want ocpp1.6 or ocpp2.0.1, or mixed for half of each", cfg.Protocol)
	}
	if cfg.URL == "" {
		return errors.New("sim chargers: --url is required (e.g. ws://localhost:8080/ocpp)")
	}
	if cfg.Count < 1 {
		return fmt.Errorf("sim chargers: --count must be at least 1 (got %d)", cfg.Count)
	}
	for name, v := range map[string]int{"--sessions": cfg.Sessions, "--connectors": cfg.Connectors, "--meter-values": cfg.MeterValues} {
		if v < 0 || (v == 0 && name != "--sessions") {
			return fmt.Errorf("sim chargers: %s must be positive (got %d)", name, v)
		}
	}
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	report, err := sim.Run(ctx, cfg, log)
	if err != nil && report.Stations == 0 {
		return fmt.Errorf("sim chargers: %w", err)
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if werr := enc.Encode(report); werr != nil {
			return werr
		}
	} else {
		fmt.Fprint(stdout, report.String())
	}
	if err != nil {
		return fmt.Errorf("sim chargers: %w", err)
	}
	return nil
}
