package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"       // database/sql driver "pgx"
	_ "github.com/ncruces/go-sqlite3/driver" // database/sql driver "sqlite3"
	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/migrations"
	"github.com/chargehub/hub/store"
	"github.com/chargehub/hub/store/storetest"
)

// rawDB opens a storetest URL with database/sql, bypassing the store.
func rawDB(t *testing.T, url string) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", url
	if path, ok := strings.CutPrefix(url, "sqlite:"); ok {
		driver, dsn = "sqlite3", "file:"+path
	}
	db, err := sql.Open(driver, dsn)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// querySet returns the rows of a two-column query as "a.b" strings, sorted.
func querySet(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a, b string
		require.NoError(t, rows.Scan(&a, &b))
		out = append(out, a+"."+b)
	}
	require.NoError(t, rows.Err())
	slices.Sort(out)
	return out
}

func TestSchemaParity(t *testing.T) {
	t.Parallel()
	lite := rawDB(t, storetest.SQLiteURL(t))
	pg := rawDB(t, storetest.PostgresURL(t))

	liteCols := querySet(t, lite, `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'goose_db_version'`)
	pgCols := querySet(t, pg, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name <> 'goose_db_version'`)
	require.NotEmpty(t, liteCols)
	require.Equal(t, liteCols, pgCols, "tables and columns differ between dialects")
	for _, col := range []string{"stations.id", "connectors.evse_id", "station_events.id", "transactions.start_key",
		"meter_samples.value", "id_tags.id_tag", "frames.payload",
		"transactions.last_seq_no", "stations.clock_offset_ms", "transaction_events.seq_no",
		"device_variables.attribute_type", "vendor_profiles.reject"} {
		require.Contains(t, liteCols, col)
	}

	liteIdx := querySet(t, lite, `SELECT tbl_name, name FROM sqlite_master
		WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'`)
	pgIdx := querySet(t, pg, `SELECT tablename, indexname FROM pg_indexes
		WHERE schemaname = current_schema() AND indexname NOT LIKE '%_pkey'`)
	require.Equal(t, liteIdx, pgIdx, "indexes differ between dialects")
}

func TestMigrateStatus(t *testing.T) {
	t.Parallel()
	storetest.ForEachEmptyDB(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := openDB(t, url, store.Options{})

		// Every embedded migration of the dialect, e.g. "00001_init.sql", and its version.
		entries, err := fs.ReadDir(migrations.FS, db.Dialect())
		require.NoError(t, err)
		require.NotEmpty(t, entries)
		type migration struct {
			version int
			name    string
		}
		var all []migration
		for _, e := range entries {
			prefix, _, _ := strings.Cut(e.Name(), "_")
			v, err := strconv.Atoi(prefix)
			require.NoError(t, err, e.Name())
			all = append(all, migration{v, regexp.QuoteMeta(e.Name())})
		}
		n := len(all)

		out, err := store.Migrate(ctx, db, "status")
		require.NoError(t, err)
		require.Regexp(t, `(?m)^VERSION\s+STATE\s+APPLIED AT\s+MIGRATION$`, out)
		for _, m := range all {
			require.Regexp(t, fmt.Sprintf(`(?m)^%d\s+pending\s+-\s+%s$`, m.version, m.name), out)
		}
		require.Contains(t, out, fmt.Sprintf("%d migration(s), %d pending", n, n))

		out, err = store.Migrate(ctx, db, "up")
		require.NoError(t, err)
		for _, m := range all {
			require.Regexp(t, fmt.Sprintf(`(?m)^applied\s+%s \(\S+\)$`, m.name), out)
		}
		require.Contains(t, out, fmt.Sprintf("database is at version %d", all[n-1].version))

		out, err = store.Migrate(ctx, db, "status")
		require.NoError(t, err)
		for _, m := range all {
			require.Regexp(t, fmt.Sprintf(`(?m)^%d\s+applied\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+%s$`, m.version, m.name), out)
		}
		require.Contains(t, out, fmt.Sprintf("%d migration(s), 0 pending", n))

		out, err = store.Migrate(ctx, db, "up")
		require.NoError(t, err)
		require.Contains(t, out, "no pending migrations")

		_, err = store.Migrate(ctx, db, "sideways")
		require.ErrorContains(t, err, "unknown migrate command")

		// The schema works after migrating through the same handle.
		require.NoError(t, db.CreateStation(ctx, charging.Station{ID: "x"}))
	})
}

func TestSQLiteTimeStorage(t *testing.T) {
	t.Parallel()
	url := storetest.SQLiteURL(t)
	db := openDB(t, url, store.Options{})
	ctx := context.Background()
	require.NoError(t, db.CreateStation(ctx, charging.Station{ID: "CP",
		LastSeen: ptr(time.Date(2025, 1, 2, 3, 4, 5, 6_999_999, time.FixedZone("Z+1", 3600)))}))

	var typ, text string
	require.NoError(t, rawDB(t, url).QueryRow(`SELECT typeof(last_seen), last_seen || '' FROM stations`).Scan(&typ, &text))
	require.Equal(t, "text", typ)
	require.Equal(t, "2025-01-02 02:04:05.006", text) // UTC, milliseconds, sortable
}

func TestOpenURLs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, err := store.Open(ctx, "mysql://root@localhost/hub", store.Options{})
	require.ErrorContains(t, err, "unsupported database URL scheme")
	_, err = store.Open(ctx, "sqlite:", store.Options{})
	require.ErrorContains(t, err, "no file path")

	dir := t.TempDir()
	for _, u := range []string{
		"sqlite://" + filepath.Join(dir, "a.db"),
		"sqlite:" + filepath.Join(dir, "odd #name%.db"),
		"file:" + filepath.Join(dir, "c.db") + "?_pragma=cache_size(-4000)",
	} {
		db, err := store.Open(ctx, u, store.Options{})
		require.NoError(t, err, u)
		require.Equal(t, store.DialectSQLite, db.Dialect())
		_, err = store.Migrate(ctx, db, "up")
		require.NoError(t, err, u)
		require.NoError(t, db.CreateStation(ctx, charging.Station{ID: "x"}), u)
		require.NoError(t, db.Ping(ctx))
		require.NoError(t, db.Close())
	}
	require.FileExists(t, filepath.Join(dir, "odd #name%.db"))
}

func TestErrorHookAndLog(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var failures atomic.Int64
		var mu syncWriter
		db := openDB(t, url, store.Options{
			OnDBError: func() { failures.Add(1) },
			Logger:    slog.New(slog.NewTextHandler(&mu, nil)),
		})

		_, err := db.GetStation(ctx, "nope")
		requireCode(t, charging.CodeNotFound, err)
		newStation(t, db, "CP")
		requireCode(t, charging.CodeConflict, db.CreateStation(ctx, charging.Station{ID: "CP"}))
		a := charging.Transaction{StationID: "CP", StationTxID: "1", Status: charging.TxActive}
		b := charging.Transaction{StationID: "CP", StationTxID: "2", Status: charging.TxActive}
		require.NoError(t, db.CreateTransaction(ctx, &a))
		require.NoError(t, db.CreateTransaction(ctx, &b))
		b.StationTxID = "1"
		requireCode(t, charging.CodeConflict, db.UpdateTransaction(ctx, b)) // a unique violation error
		require.Zero(t, failures.Load(), "outcomes are not failures")
		require.Empty(t, mu.String())

		_, err = db.UpsertConnector(ctx, charging.Connector{StationID: "secret-ghost", StatusAt: testNow})
		requireCode(t, charging.CodeNotFound, err)
		require.Equal(t, int64(1), failures.Load())
		logged := mu.String()
		require.Contains(t, logged, "database statement failed")
		require.Contains(t, logged, "connectors")
		require.NotContains(t, logged, "secret-ghost", "parameter values must not be logged")
		if db.Dialect() == store.DialectPostgres {
			require.Contains(t, logged, "($1, $2,")
			require.NotContains(t, logged, "$1$")
		}

		require.NoError(t, db.Close())
		_, err = db.GetStation(ctx, "CP")
		require.Equal(t, charging.CodeInternal, charging.ErrorCode(err))
		require.Equal(t, int64(2), failures.Load())
	})
}

// syncWriter is a bytes.Buffer safe for concurrent use.
type syncWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
