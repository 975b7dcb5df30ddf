package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// openCachedSQLite opens a fresh database file through the statement cache, with size
// statements per connection and one connection.
func openCachedSQLite(t *testing.T, size int) *sql.DB {
	t.Helper()
	dsn, err := sqliteDSN("sqlite:" + filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := openSQLite(dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { _ = db.Close() })
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Raw(func(c any) error { c.(*cachingConn).size = size; return nil }); err != nil {
		t.Fatal(err)
	}
	_ = conn.Close()
	if _, err := db.Exec(`CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT, at TIMESTAMP)`); err != nil {
		t.Fatal(err)
	}
	return db
}

// cacheOf returns the statement cache of db's single connection.
func cacheOf(t *testing.T, db *sql.DB) (n int) {
	t.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	err = conn.Raw(func(c any) error {
		cc := c.(*cachingConn)
		cc.mu.Lock()
		defer cc.mu.Unlock()
		n = cc.lru.Len()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestStmtCacheReusesStatements(t *testing.T) {
	db := openCachedSQLite(t, 8)
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for i := range 20 {
		if _, err := db.Exec(`INSERT INTO kv (k, v, at) VALUES (?, ?, ?)`, i, fmt.Sprint("v", i), at.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if n := cacheOf(t, db); n != 1 {
		t.Fatalf("cached statements after 20 inserts of one query: %d, want 1", n)
	}
	// the same query again and again binds fresh arguments each time
	for i := range 20 {
		var v string
		var got time.Time
		if err := db.QueryRow(`SELECT v, at FROM kv WHERE k = ?`, i).Scan(&v, &got); err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprint("v", i); v != want || !got.Equal(at.Add(time.Duration(i)*time.Minute)) {
			t.Fatalf("row %d: %q %v, want %q %v", i, v, got, want, at.Add(time.Duration(i)*time.Minute))
		}
	}
	// a failed execution leaves the statement usable
	if _, err := db.Exec(`INSERT INTO kv (k, v, at) VALUES (?, ?, ?)`, 1, "dup", at); err == nil {
		t.Fatal("duplicate key inserted")
	}
	if _, err := db.Exec(`INSERT INTO kv (k, v, at) VALUES (?, ?, ?)`, 100, "after", at); err != nil {
		t.Fatalf("statement unusable after a failure: %v", err)
	}
}

func TestStmtCacheNestedUseOfOneQuery(t *testing.T) {
	db := openCachedSQLite(t, 8)
	for i := range 3 {
		if _, err := db.Exec(`INSERT INTO kv (k, v) VALUES (?, ?)`, i, fmt.Sprint("v", i)); err != nil {
			t.Fatal(err)
		}
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	const q = `SELECT k, v FROM kv WHERE k >= ? ORDER BY k`
	outer, err := tx.Query(q, 0)
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for outer.Next() {
		var k int
		var v string
		if err := outer.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		// the same query while the outer rows are open gets a statement of its own
		inner, err := tx.Query(q, k)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for inner.Next() {
			n++
		}
		if err := inner.Close(); err != nil {
			t.Fatal(err)
		}
		seen = append(seen, fmt.Sprintf("%s:%d", v, n))
	}
	if err := outer.Err(); err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(seen), "[v0:3 v1:2 v2:1]"; got != want {
		t.Fatalf("nested reads: %s, want %s", got, want)
	}
}

func TestStmtCacheEvictsIdleStatements(t *testing.T) {
	db := openCachedSQLite(t, 4)
	for i := range 10 {
		var n int
		if err := db.QueryRow(fmt.Sprintf(`SELECT count(*) + %d FROM kv`, i)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != i {
			t.Fatalf("query %d answered %d", i, n)
		}
	}
	if n := cacheOf(t, db); n != 4 {
		t.Fatalf("cached statements: %d, want the cache size 4", n)
	}
}
