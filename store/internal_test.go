package store

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/chargehub/hub/charging"
)

func TestSQLiteDSN(t *testing.T) {
	parse := func(dsn string) (string, url.Values) {
		t.Helper()
		path, query, ok := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
		require.True(t, ok, dsn)
		require.True(t, strings.HasPrefix(dsn, "file:"), dsn)
		q, err := url.ParseQuery(query)
		require.NoError(t, err)
		return path, q
	}
	for _, in := range []string{"sqlite:/var/lib/hub.db", "sqlite:///var/lib/hub.db", "file:/var/lib/hub.db"} {
		dsn, err := sqliteDSN(in)
		require.NoError(t, err)
		path, q := parse(dsn)
		require.Equal(t, "/var/lib/hub.db", path, in)
		require.Equal(t, []string{"busy_timeout(5000)", "journal_mode(wal)", "synchronous(normal)", "foreign_keys(1)",
			"journal_size_limit(67108864)", "cache_size(-32768)", "wal_autocheckpoint(16384)"}, q["_pragma"])
		require.Equal(t, "immediate", q.Get("_txlock"))
		require.Equal(t, sqliteTimeFormat, q.Get("_timefmt"))
	}

	dsn, err := sqliteDSN("sqlite:rel/a b#1%.db?_pragma=cache_size(-8000)&_txlock=exclusive&_timefmt=rfc3339")
	require.NoError(t, err)
	path, q := parse(dsn)
	require.Equal(t, "rel/a b%231%25.db", path)
	require.Equal(t, "cache_size(-8000)", q["_pragma"][len(q["_pragma"])-1], "user pragmas run last")
	require.Equal(t, "busy_timeout(5000)", q["_pragma"][0])
	require.Equal(t, "exclusive", q.Get("_txlock"))
	require.Equal(t, sqliteTimeFormat, q.Get("_timefmt"), "the time format is not negotiable")

	_, err = sqliteDSN("sqlite:?x=1")
	require.Error(t, err)
	_, err = sqliteDSN("sqlite::memory:")
	require.ErrorContains(t, err, "in-memory")
	_, err = sqliteDSN("file:x?mode=memory&cache=shared")
	require.ErrorContains(t, err, "in-memory")
	_, err = sqliteDSN("file:a.db?%zz")
	require.Error(t, err)
}

func TestTranslate(t *testing.T) {
	require.NoError(t, translate(nil, "x"))

	err := translate(gorm.ErrRecordNotFound, "get station %q", "A")
	require.Equal(t, charging.CodeNotFound, charging.ErrorCode(err))
	require.Equal(t, `store: get station "A": not found`, err.Error())

	pgUnique := fmt.Errorf("exec: %w", &pgconn.PgError{Code: "23505", Message: "duplicate key"})
	err = translate(pgUnique, "create")
	require.Equal(t, charging.CodeConflict, charging.ErrorCode(err))
	var pgErr *pgconn.PgError
	require.ErrorAs(t, err, &pgErr, "the cause stays reachable")
	require.False(t, isFailure(pgUnique))

	err = translate(&pgconn.PgError{Code: "23503"}, "link")
	require.Equal(t, charging.CodeNotFound, charging.ErrorCode(err))
	require.True(t, isFailure(&pgconn.PgError{Code: "23503"}))

	boom := errors.New("disk on fire")
	err = translate(boom, "write")
	require.Equal(t, charging.CodeInternal, charging.ErrorCode(err))
	require.ErrorIs(t, err, boom)
	require.Equal(t, "store: write: disk on fire", err.Error())
}

func TestTotal(t *testing.T) {
	calls := 0
	count := func() (int64, error) { calls++; return 42, nil }
	cases := []struct {
		offset, limit, n, want int
		counted                bool
	}{
		{0, 0, 5, 5, false},  // everything fetched
		{0, 10, 5, 5, false}, // short page
		{3, 10, 5, 8, false}, // short page after offset
		{0, 5, 5, 42, true},  // full page: there may be more
		{7, 5, 0, 42, true},  // past the end: unknown
		{0, 5, 0, 0, false},  // nothing at all
		{-1, 0, 2, 2, false}, // negative offset counts as 0
	}
	for _, c := range cases {
		calls = 0
		got, err := total(c.offset, c.limit, c.n, count)
		require.NoError(t, err)
		require.Equal(t, c.want, got, "%+v", c)
		require.Equal(t, c.counted, calls == 1, "%+v", c)
	}
}

func TestRebind(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"a = ? AND b = ?", "a = $1 AND b = $2"},
		{"status = 'why?' AND id = ?", "status = 'why?' AND id = $1"},
		{"x = 'it''s?' AND y = ?", "x = 'it''s?' AND y = $1"},
		{"(?, ?), (?, ?)", "($1, $2), ($3, $4)"},
	} {
		if got := rebind(c.in); got != c.want {
			t.Errorf("rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestValuesSQL(t *testing.T) {
	got := valuesSQL("t", []string{"a", "b"}, 2)
	if want := "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"; got.sqlite != want {
		t.Errorf("sqlite: %q, want %q", got.sqlite, want)
	}
	if want := "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"; got.pg != want {
		t.Errorf("postgres: %q, want %q", got.pg, want)
	}
	if want := "a = excluded.a, b = excluded.b"; excludedAssignments([]string{"a", "b"}) != want {
		t.Errorf("excludedAssignments: %q", excludedAssignments([]string{"a", "b"}))
	}
}

// TestUpdateOrInsert: the update alone when the row exists; the insert when it does not; the
// update again when a concurrent save inserted the row between the two; errors stop at once.
func TestUpdateOrInsert(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name        string
		updates     []bool // what each update call reports
		inserts     []bool
		updateErr   error
		wantCreated bool
		wantCalls   string
		wantErr     error
	}{
		{name: "exists", updates: []bool{true}, wantCalls: "u"},
		{name: "new", updates: []bool{false}, inserts: []bool{true}, wantCreated: true, wantCalls: "ui"},
		{name: "inserted concurrently", updates: []bool{false, true}, inserts: []bool{false}, wantCalls: "uiu"},
		{name: "never there", updates: []bool{false, false}, inserts: []bool{false, false}, wantCalls: "uiui",
			wantErr: errors.New("store: the row was neither updated nor inserted")},
		{name: "update fails", updates: []bool{false}, updateErr: boom, wantCalls: "u", wantErr: boom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := ""
			created, err := updateOrInsert(
				func() (bool, error) {
					calls += "u"
					ok := tc.updates[0]
					tc.updates = tc.updates[1:]
					return ok, tc.updateErr
				},
				func() (bool, error) { calls += "i"; ok := tc.inserts[0]; tc.inserts = tc.inserts[1:]; return ok, nil })
			require.Equal(t, tc.wantCalls, calls)
			require.Equal(t, tc.wantCreated, created)
			if tc.wantErr == nil {
				require.NoError(t, err)
			} else {
				require.EqualError(t, err, tc.wantErr.Error())
			}
		})
	}
}
