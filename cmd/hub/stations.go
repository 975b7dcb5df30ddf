package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/store"
)

// openStore opens and migrates the configured database for a one-shot command.
func openStore(ctx context.Context, args []string, stderr io.Writer, getenv func(string) string, name string,
	extra func(fs *flag.FlagSet)) (*store.DB, *config, []string, error) {
	fs := newFlagSet(name, stderr)
	cfg := bindConfig(fs, getenv)
	if extra != nil {
		extra(fs)
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := cfg.validate(); err != nil {
		return nil, nil, nil, err
	}
	log := newLogger(cfg.LogLevel)
	db, err := store.Open(ctx, cfg.DatabaseURL, store.Options{Logger: log})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("open database %s: %w", redactURL(cfg.DatabaseURL), err)
	}
	if _, err := store.Migrate(ctx, db, "up"); err != nil {
		db.Close()
		return nil, nil, nil, fmt.Errorf("migrate: %w", err)
	}
	return db, cfg, pos, nil
}

func runStationsAdd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var password string
	profile := -1
	db, cfg, pos, err := openStore(ctx, args, stderr, getenv, "stations add", func(fs *flag.FlagSet) {
		fs.StringVar(&password, "password", "", "Basic-auth password (security profiles 1 and 2)")
		fs.IntVar(&profile, "profile", -1, "security profile 0|1|2|3 (default 1 with a password, else 0)")
	})
	if err != nil {
		return err
	}
	defer db.Close()
	if len(pos) == 0 {
		return errors.New("stations add: want at least one station ID")
	}
	if profile < 0 {
		profile = 0
		if password != "" {
			profile = 1
		}
	}
	svc := charging.NewService(db, charging.SystemClock{}, newLogger(cfg.LogLevel), charging.Config{})
	for _, id := range pos { // several IDs: the same password and profile for each (fleets, bench/run.sh --locations)
		st, err := svc.RegisterStation(ctx, id, []byte(password), profile)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "station %s registered (security profile %d, password %s)\n", st.ID, st.SecurityProfile,
			map[bool]string{true: "set", false: "none"}[st.PasswordHash != ""])
	}
	return nil
}

func runStationsList(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	db, _, pos, err := openStore(ctx, args, stderr, getenv, "stations list", nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if len(pos) != 0 {
		return fmt.Errorf("stations list: unexpected argument %q", pos[0])
	}
	list, _, err := db.ListStations(ctx, charging.StationFilter{})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tREGISTRATION\tPROTOCOL\tPROFILE\tVENDOR\tMODEL\tLAST SEEN")
	for _, s := range list {
		status := "offline"
		if s.Online {
			status = "online"
		}
		seen := "never"
		if s.LastSeen != nil {
			seen = s.LastSeen.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", s.ID, status, s.Registration, dash(string(s.Protocol)),
			s.SecurityProfile, dash(s.Vendor), dash(s.Model), seen)
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// redactURL hides a password in a database URL for logs and errors.
func redactURL(raw string) string {
	if !strings.Contains(raw, "://") {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
