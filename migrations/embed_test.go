package migrations

import (
	"io/fs"
	"strings"
	"testing"
)

// TestDialectsHaveSameVersions checks both folders hold the same migration files, each with
// both goose sections. (The store's tests check the resulting schemas match.)
func TestDialectsHaveSameVersions(t *testing.T) {
	names := map[string][]string{}
	for _, dialect := range []string{"postgres", "sqlite"} {
		entries, err := fs.ReadDir(FS, dialect)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			names[dialect] = append(names[dialect], e.Name())
			b, err := fs.ReadFile(FS, dialect+"/"+e.Name())
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"-- +goose Up\n", "-- +goose Down\n"} {
				if !strings.Contains(string(b), want) {
					t.Errorf("%s/%s lacks %q", dialect, e.Name(), want)
				}
			}
		}
	}
	if len(names["postgres"]) == 0 {
		t.Fatal("no migrations embedded")
	}
	if strings.Join(names["postgres"], ",") != strings.Join(names["sqlite"], ",") {
		t.Errorf("migration files differ: postgres %v, sqlite %v", names["postgres"], names["sqlite"])
	}
}
