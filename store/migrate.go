package store

import (
	"context"
	"fmt"
	"hash/fnv"
	"io/fs"
	"strings"
	"text/tabwriter"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/chargehub/hub/migrations"
)

// Migrate runs a goose command against db with the embedded migrations of its dialect:
//
//	up      apply every pending migration; returns a summary
//	status  returns a table of the versions, applied or pending
//
// The output has no trailing newline.
//
// On PostgreSQL, concurrent "up"s on the same schema are serialised by an advisory lock.
func Migrate(ctx context.Context, db *DB, command string) (string, error) {
	if db.inTx {
		return "", fmt.Errorf("store: migrate inside a transaction")
	}
	p, err := newProvider(ctx, db)
	if err != nil {
		return "", err
	}
	var out string
	switch command {
	case "up":
		out, err = migrateUp(ctx, p)
	case "status":
		out, err = migrateStatus(ctx, p)
	default:
		return "", fmt.Errorf("store: unknown migrate command %q (want up or status)", command)
	}
	return strings.TrimRight(out, "\n"), err
}

func newProvider(ctx context.Context, db *DB) (*goose.Provider, error) {
	sub, err := fs.Sub(migrations.FS, db.dialect)
	if err != nil {
		return nil, fmt.Errorf("store: migrations for %s: %w", db.dialect, err)
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	dialect := goose.DialectSQLite3
	if db.dialect == DialectPostgres {
		dialect = goose.DialectPostgres
		// Lock per schema, so separate schemas (tests, tenants) migrate independently.
		var schema string
		if err := db.sqlDB.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
			return nil, fmt.Errorf("store: migrate: current schema: %w", err)
		}
		h := fnv.New64a()
		_, _ = h.Write([]byte("chargehub-goose:" + schema))
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(int64(h.Sum64()>>1)), lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, fmt.Errorf("store: migrate: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, db.sqlDB, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	return p, nil
}

func migrateUp(ctx context.Context, p *goose.Provider) (string, error) {
	results, err := p.Up(ctx)
	var b strings.Builder
	for _, r := range results {
		if r.Error != nil {
			fmt.Fprintf(&b, "FAILED   %s: %v\n", r.Source.Path, r.Error)
			continue
		}
		fmt.Fprintf(&b, "applied  %s (%s)\n", r.Source.Path, r.Duration.Round(1e6))
	}
	if err != nil {
		return b.String(), fmt.Errorf("store: migrate up: %w", err)
	}
	version, err := p.GetDBVersion(ctx)
	if err != nil {
		return b.String(), fmt.Errorf("store: migrate up: %w", err)
	}
	if len(results) == 0 {
		b.WriteString("no pending migrations\n")
	}
	fmt.Fprintf(&b, "database is at version %d\n", version)
	return b.String(), nil
}

func migrateStatus(ctx context.Context, p *goose.Provider) (string, error) {
	statuses, err := p.Status(ctx)
	if err != nil {
		return "", fmt.Errorf("store: migrate status: %w", err)
	}
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "VERSION\tSTATE\tAPPLIED AT\tMIGRATION")
	pending := 0
	for _, s := range statuses {
		applied := "-"
		if s.State == goose.StateApplied {
			applied = s.AppliedAt.UTC().Format("2006-01-02 15:04:05")
		} else {
			pending++
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", s.Source.Version, s.State, applied, s.Source.Path)
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	fmt.Fprintf(&b, "%d migration(s), %d pending\n", len(statuses), pending)
	return b.String(), nil
}
