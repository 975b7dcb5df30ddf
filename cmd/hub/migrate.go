package main

import (
	"context"
	"fmt"
	"io"

	"github.com/chargehub/hub/store"
)

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("migrate", stderr)
	cfg := bindConfig(fs, getenv)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	command := "up"
	switch {
	case len(pos) == 1 && (pos[0] == "up" || pos[0] == "status"):
		command = pos[0]
	case len(pos) > 0:
		return fmt.Errorf("migrate: want up or status, got %q", pos)
	}
	db, err := store.Open(ctx, cfg.DatabaseURL, store.Options{Logger: newLogger(cfg.LogLevel)})
	if err != nil {
		return fmt.Errorf("open database %s: %w", redactURL(cfg.DatabaseURL), err)
	}
	defer db.Close()
	out, err := store.Migrate(ctx, db, command)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", command, err)
	}
	fmt.Fprintln(stdout, out)
	return nil
}
