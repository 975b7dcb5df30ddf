// Package storetest gives tests fresh, migrated, isolated hub databases on SQLite and
// PostgreSQL, for the store's own tests and for other packages' integration tests.
//
// PostgreSQL comes from the HUB_TEST_POSTGRES_URL environment variable, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable. When it is unset PostgreSQL tests
// are skipped, except under CI (CI non-empty), where they fail. Each PostgreSQL database is a
// schema of its own (hubtest_<random>), reached through search_path in the returned URL and
// dropped when the test ends, so tests may run in parallel.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"github.com/chargehub/hub/store"
)

// EnvPostgresURL names the environment variable holding the PostgreSQL server URL.
const EnvPostgresURL = "HUB_TEST_POSTGRES_URL"

// ForEachDB runs fn as subtests "sqlite" and "postgres", each with the URL of a fresh migrated
// database (open it with store.Open).
func ForEachDB(t *testing.T, fn func(t *testing.T, url string)) {
	t.Helper()
	forEach(t, true, fn)
}

// ForEachEmptyDB is ForEachDB with databases that are not migrated.
func ForEachEmptyDB(t *testing.T, fn func(t *testing.T, url string)) {
	t.Helper()
	forEach(t, false, fn)
}

func forEach(t *testing.T, migrated bool, fn func(t *testing.T, url string)) {
	t.Run(store.DialectSQLite, func(t *testing.T) { fn(t, newSQLite(t, migrated)) })
	t.Run(store.DialectPostgres, func(t *testing.T) { fn(t, newPostgres(t, migrated)) })
}

// SQLiteURL returns the URL of a fresh migrated SQLite database in tb.TempDir().
func SQLiteURL(tb testing.TB) string {
	tb.Helper()
	return newSQLite(tb, true)
}

// PostgresURL returns the URL of a fresh migrated PostgreSQL schema, dropped at cleanup. It
// skips tb when HUB_TEST_POSTGRES_URL is unset, or fails it under CI.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	return newPostgres(tb, true)
}

func newSQLite(tb testing.TB, migrated bool) string {
	tb.Helper()
	u := "sqlite:" + filepath.Join(tb.TempDir(), "hub.db")
	if migrated {
		migrate(tb, u)
	}
	return u
}

func newPostgres(tb testing.TB, migrated bool) string {
	tb.Helper()
	base := os.Getenv(EnvPostgresURL)
	if base == "" {
		if os.Getenv("CI") != "" {
			tb.Fatal("HUB_TEST_POSTGRES_URL must be set under CI")
		}
		tb.Skip("HUB_TEST_POSTGRES_URL is not set; skipping PostgreSQL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("storetest: open %s: %v", EnvPostgresURL, err)
	}
	admin.SetMaxOpenConns(1)
	var suffix [8]byte
	_, _ = rand.Read(suffix[:])
	schema := "hubtest_" + hex.EncodeToString(suffix[:])
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		_ = admin.Close()
		tb.Fatalf("storetest: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("storetest: %v", err)
		}
		_ = admin.Close()
	})

	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("storetest: %s: %v", EnvPostgresURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	if migrated {
		migrate(tb, u.String())
	}
	return u.String()
}

func migrate(tb testing.TB, u string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := store.Open(ctx, u, store.Options{})
	if err != nil {
		tb.Fatalf("storetest: open: %v", err)
	}
	defer db.Close()
	if _, err := store.Migrate(ctx, db, "up"); err != nil {
		tb.Fatalf("storetest: migrate: %v", err)
	}
}
