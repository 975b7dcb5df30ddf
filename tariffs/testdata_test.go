package tariffs

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
	_ "time/tzdata" // the cases use IANA zones; do not depend on the host's zoneinfo

	"github.com/chargehub/hub/ocpi"
	"github.com/shopspring/decimal"
)

// sharedCasesDir is the shared tariff test data, read in place (never copied into the repo).
const sharedCasesDir = "../../shared/testdata/ocpi-tariffs"

// casesDir returns the shared case directory. A missing directory fails the test, unless
// CI is unset, which skips it with a message.
func casesDir(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(sharedCasesDir); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("shared test data absent (%v): ../shared is not beside the checkout; skipping (this fails under CI)", err)
		}
		t.Fatalf("shared test data missing: %v (required under CI)", err)
	}
	return sharedCasesDir
}

// caseNames lists the cases of cases.json and checks that they match the case directories.
func caseNames(t *testing.T, dir string) []string {
	t.Helper()
	var index map[string]json.RawMessage
	readJSON(t, filepath.Join(dir, "cases.json"), &index)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	onDisk := map[string]bool{}
	for _, e := range entries {
		if e.IsDir() {
			onDisk[e.Name()] = true
			if _, ok := index[e.Name()]; !ok {
				t.Errorf("case directory %s is not in cases.json", e.Name())
			}
		}
	}
	var names []string
	for name := range index {
		if !onDisk[name] {
			t.Errorf("cases.json names %s, which has no directory", name)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	if len(names) == 0 {
		t.Fatal("no cases in cases.json")
	}
	return names
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// loadCase reads a case's tariff, CDR and the CDR's cdr_location.time_zone.
func loadCase(t *testing.T, dir string) (ocpi.Tariff, ocpi.CDR, *time.Location) {
	t.Helper()
	var tariff ocpi.Tariff
	var cdr ocpi.CDR
	var tz struct {
		CdrLocation struct {
			TimeZone string `json:"time_zone"`
		} `json:"cdr_location"`
	}
	readJSON(t, filepath.Join(dir, "tariff.json"), &tariff)
	readJSON(t, filepath.Join(dir, "cdr.json"), &cdr)
	readJSON(t, filepath.Join(dir, "cdr.json"), &tz)
	loc := time.UTC
	if tz.CdrLocation.TimeZone != "" {
		var err error
		if loc, err = time.LoadLocation(tz.CdrLocation.TimeZone); err != nil {
			t.Fatal(err)
		}
	}
	return tariff, cdr, loc
}

// The comparison rule of shared/testdata/README.md: money to the cent, quantities to four
// decimals, i.e. |got - want| must be below 0.01 resp. 0.0001. A field the expected file does not
// list is not checked; a field it lists must be present.
var (
	centTolerance     = decimal.RequireFromString("0.01")
	quantityTolerance = decimal.RequireFromString("0.0001")
)

func within(got, want, tol decimal.Decimal) bool { return got.Sub(want).Abs().LessThan(tol) }

func TestSharedTariffCases(t *testing.T) {
	dir := casesDir(t)
	names := caseNames(t, dir)
	passed := 0
	for _, name := range names {
		ok := t.Run(name, func(t *testing.T) {
			cdir := filepath.Join(dir, name)
			tariff, cdr, loc := loadCase(t, cdir)
			warnings, err := ValidateForPricing(&tariff, &cdr)
			if err != nil {
				t.Fatalf("invalid input: %v", err)
			}
			for _, w := range warnings {
				t.Logf("warning (not used for pricing): %v", w)
			}
			priced, err := PriceCDR(tariff, cdr, loc)
			if err != nil {
				t.Fatal(err)
			}
			if err := priced.Validate(); err != nil && len(warnings) == 0 {
				t.Errorf("priced CDR invalid: %v", err)
			}
			var expected map[string]json.RawMessage
			readJSON(t, filepath.Join(cdir, "expected.json"), &expected)
			compareExpected(t, priced, expected)
		})
		if ok {
			passed++
		}
	}
	t.Logf("%d/%d shared tariff cases pass", passed, len(names))
}

func compareExpected(t *testing.T, got ocpi.CDR, expected map[string]json.RawMessage) {
	t.Helper()
	prices := map[string]*ocpi.Price{
		"total_cost": &got.TotalCost, "total_fixed_cost": got.TotalFixedCost,
		"total_energy_cost": got.TotalEnergyCost, "total_time_cost": got.TotalTimeCost,
		"total_parking_cost": got.TotalParkingCost, "total_reservation_cost": got.TotalReservationCost,
	}
	quantities := map[string]*ocpi.Decimal{
		"total_energy": &got.TotalEnergy, "total_time": &got.TotalTime, "total_parking_time": got.TotalParkingTime,
	}
	for field, raw := range expected {
		if p, isPrice := prices[field]; isPrice {
			var want ocpi.Price
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatalf("expected %s: %v", field, err)
			}
			if p == nil {
				t.Errorf("%s: missing, want %s", field, raw)
				continue
			}
			if !within(p.ExclVat.Decimal, want.ExclVat.Decimal, centTolerance) {
				t.Errorf("%s.excl_vat = %s, want %s", field, p.ExclVat, want.ExclVat)
			}
			if want.InclVat != nil {
				if p.InclVat == nil {
					t.Errorf("%s.incl_vat missing, want %s", field, want.InclVat)
				} else if !within(p.InclVat.Decimal, want.InclVat.Decimal, centTolerance) {
					t.Errorf("%s.incl_vat = %s, want %s", field, p.InclVat, want.InclVat)
				}
			}
			continue
		}
		if q, isQuantity := quantities[field]; isQuantity {
			var want ocpi.Decimal
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatalf("expected %s: %v", field, err)
			}
			if q == nil {
				t.Errorf("%s: missing, want %s", field, want)
			} else if !within(q.Decimal, want.Decimal, quantityTolerance) {
				t.Errorf("%s = %s, want %s", field, q, want)
			}
			continue
		}
		t.Errorf("expected.json has field %q that the harness does not know", field)
	}
}
