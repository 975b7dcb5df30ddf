package main

import (
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/chargehub/hub/cluster"
)

// config is the hub's configuration: flags override environment variables, which override
// defaults (see the contract's configuration table).
type config struct {
	HTTPAddr        string
	TLSAddr         string
	TLSCert         string
	TLSKey          string
	TLSClientCA     string
	DatabaseURL     string
	PublicURL       string
	AdminToken      string
	adminTokenGiven bool
	UnknownStations string
	CountryCode     string
	PartyID         string
	LogLevel        string

	HeartbeatInterval  time.Duration
	OCPPStrict         bool
	PingInterval       time.Duration
	CallTimeout        time.Duration
	FrameRetention     time.Duration
	ClockSkewTolerance time.Duration
	NodeID             string        // cluster node id ("" = random)
	NodeHeartbeat      time.Duration // cluster node heartbeat interval
	Pprof              bool          // mount /debug/pprof behind the admin token
	Jobs               jobsConfig    // maintenance job schedules and thresholds (jobs.go)

	envErrs []string
}

// envDefault returns the environment value of key, or def.
func envDefault(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// bindConfig registers the configuration flags on fs with environment-derived defaults.
func bindConfig(fs *flag.FlagSet, getenv func(string) string) *config {
	c := &config{}
	str := func(p *string, name, env, def, usage string) {
		fs.StringVar(p, name, envDefault(getenv, env, def), usage+" ("+env+")")
	}
	str(&c.HTTPAddr, "http-addr", "HUB_HTTP_ADDR", ":8080", "plain listener for OCPP, OCPI, admin API, metrics and health")
	str(&c.TLSAddr, "tls-addr", "HUB_TLS_ADDR", "", "TLS listener (security profiles 2 and 3)")
	str(&c.TLSCert, "tls-cert", "HUB_TLS_CERT", "", "TLS certificate file (PEM)")
	str(&c.TLSKey, "tls-key", "HUB_TLS_KEY", "", "TLS key file (PEM)")
	str(&c.TLSClientCA, "tls-client-ca", "HUB_TLS_CLIENT_CA", "", "CA bundle for client certificates (security profile 3)")
	str(&c.DatabaseURL, "database-url", "HUB_DATABASE_URL", "sqlite:hub.db", "sqlite:PATH or postgres://...")
	str(&c.PublicURL, "public-url", "HUB_PUBLIC_URL", "http://localhost:8080", "base of URLs handed to OCPI partners")
	str(&c.AdminToken, "admin-token", "HUB_ADMIN_TOKEN", "", "bearer token for /api/v1 (random if unset)")
	str(&c.UnknownStations, "unknown-stations", "HUB_UNKNOWN_STATIONS", "reject", "accept, pending or reject unregistered stations")
	str(&c.CountryCode, "ocpi-country-code", "HUB_OCPI_COUNTRY_CODE", "IN", "OCPI country code of the CPO")
	str(&c.PartyID, "ocpi-party-id", "HUB_OCPI_PARTY_ID", "HUB", "OCPI party id of the CPO")
	str(&c.LogLevel, "log-level", "HUB_LOG_LEVEL", "info", "debug, info, warn or error")
	dur := func(p *time.Duration, name, env string, def time.Duration, usage string) {
		d := def
		if v := getenv(env); v != "" {
			if parsed, err := time.ParseDuration(v); err == nil {
				d = parsed
			} else {
				c.envErrs = append(c.envErrs, fmt.Sprintf("%s=%q is not a duration", env, v))
			}
		}
		fs.DurationVar(p, name, d, usage+" ("+env+")")
	}
	dur(&c.HeartbeatInterval, "heartbeat-interval", "HUB_HEARTBEAT_INTERVAL", 300*time.Second, "heartbeat interval given to accepted stations")
	dur(&c.PingInterval, "ws-ping-interval", "HUB_WS_PING_INTERVAL", 30*time.Second, "server WebSocket ping interval, 0 = none")
	dur(&c.CallTimeout, "ocpp-call-timeout", "HUB_OCPP_CALL_TIMEOUT", 30*time.Second, "how long a command waits for the station")
	dur(&c.FrameRetention, "frame-retention", "HUB_FRAME_RETENTION", 7*24*time.Hour, "how long the OCPP frame audit log is kept")
	dur(&c.ClockSkewTolerance, "clock-skew-tolerance", "HUB_CLOCK_SKEW_TOLERANCE", 2*time.Minute, "correct timestamps of stations whose clock is off by more than this (0 = never)")
	dur(&c.NodeHeartbeat, "node-heartbeat", "HUB_NODE_HEARTBEAT", 5*time.Second, "cluster node heartbeat interval (PostgreSQL); a node silent for 3 intervals is dead")
	str(&c.NodeID, "node-id", "HUB_NODE_ID", "", "this node's id in a cluster on PostgreSQL (random if unset)")
	pprof := envDefault(getenv, "HUB_PPROF", "false")
	fs.BoolVar(&c.Pprof, "pprof", pprof == "true" || pprof == "1", "serve /debug/pprof/ behind the admin token (HUB_PPROF)")
	strict := envDefault(getenv, "HUB_OCPP_STRICT", "false")
	fs.BoolVar(&c.OCPPStrict, "ocpp-strict", strict == "true" || strict == "1", "reject every OCPP schema deviation (certification mode) (HUB_OCPP_STRICT)")
	c.envErrs = append(c.envErrs, c.Jobs.bind(fs, getenv)...)
	return c
}

// validate checks values after parsing and fills the admin token.
func (c *config) validate() error {
	if len(c.envErrs) > 0 {
		return fmt.Errorf("%s", strings.Join(c.envErrs, "; "))
	}
	switch c.UnknownStations {
	case "accept", "pending", "reject":
	default:
		return fmt.Errorf("unknown-stations %q must be accept, pending or reject", c.UnknownStations)
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		return err
	}
	if c.TLSAddr != "" && (c.TLSCert == "" || c.TLSKey == "") {
		return fmt.Errorf("HUB_TLS_ADDR needs HUB_TLS_CERT and HUB_TLS_KEY")
	}
	if c.NodeID != "" && !cluster.ValidNodeID(c.NodeID) {
		return fmt.Errorf("node id %q must be 1 to 40 letters, digits, '_', '.' or '-'", c.NodeID)
	}
	if c.NodeHeartbeat < 100*time.Millisecond {
		return fmt.Errorf("node heartbeat %s must be at least 100ms", c.NodeHeartbeat)
	}
	if err := c.Jobs.validate(); err != nil {
		return err
	}
	if len(c.CountryCode) != 2 || len(c.PartyID) != 3 {
		return fmt.Errorf("OCPI country code must have 2 characters and party id 3 (got %q, %q)", c.CountryCode, c.PartyID)
	}
	if c.AdminToken == "" {
		b := make([]byte, 24)
		if _, err := rand.Read(b); err != nil {
			return fmt.Errorf("admin token: %w", err)
		}
		c.AdminToken = hex.EncodeToString(b)
	} else {
		c.adminTokenGiven = true
	}
	return nil
}

func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("log level %q must be debug, info, warn or error", s)
}

func newLogger(level string) *slog.Logger {
	l, _ := parseLevel(level)
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}
