package store_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/store"
	"github.com/chargehub/hub/store/storetest"
)

// testNow is what the test clock says; the store stamps UpdatedAt with it.
var testNow = time.Date(2025, 3, 1, 12, 0, 0, 123_000_000, time.UTC)

type fixedClock struct{}

func (fixedClock) Now() time.Time { return testNow }

// forEachDB runs fn against a fresh migrated SQLite database and a fresh migrated PostgreSQL
// schema (see storetest), opened with the fixed test clock.
func forEachDB(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	storetest.ForEachDB(t, func(t *testing.T, url string) {
		fn(t, openDB(t, url, store.Options{}))
	})
}

// openDB opens url with the test clock (unless opts has one) and closes it at cleanup.
func openDB(tb testing.TB, url string, opts store.Options) *store.DB {
	tb.Helper()
	if opts.Clock == nil {
		opts.Clock = fixedClock{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler) // expected failures would clutter the output
	}
	db, err := store.Open(context.Background(), url, opts)
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = db.Close() })
	return db
}

// at returns testNow shifted by d.
func at(d time.Duration) time.Time { return testNow.Add(d) }

func ptr[T any](v T) *T { return &v }

// requireCode asserts err carries code.
func requireCode(t *testing.T, code charging.Code, err error) {
	t.Helper()
	require.Error(t, err)
	require.Equal(t, code, charging.ErrorCode(err), "error: %v", err)
}

// newStation creates a minimal station.
func newStation(t testing.TB, db *store.DB, id string) charging.Station {
	t.Helper()
	s := charging.Station{ID: id, Protocol: charging.OCPP16, Registration: charging.RegistrationAccepted}
	require.NoError(t, db.CreateStation(context.Background(), s))
	s, err := db.GetStation(context.Background(), id)
	require.NoError(t, err)
	return s
}
