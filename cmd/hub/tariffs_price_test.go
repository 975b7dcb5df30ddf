package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chargehub/hub/ocpi"
	"github.com/shopspring/decimal"
)

// tariffCasesDir is the shared tariff test data, read in place from the repository's sibling
// shared/ directory.
const tariffCasesDir = "../../../shared/testdata/ocpi-tariffs"

func tariffCases(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(tariffCasesDir); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("shared test data absent (%v): ../shared is not beside the checkout; skipping (this fails under CI)", err)
		}
		t.Fatalf("shared test data missing: %v (required under CI)", err)
	}
	return tariffCasesDir
}

func runPrice(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = runTariffsPrice(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

// pricedOutput is the part of the printed CDR the tests look at.
type pricedOutput struct {
	TotalCost        ocpi.Price   `json:"total_cost"`
	TotalTimeCost    *ocpi.Price  `json:"total_time_cost"`
	TotalParkingCost *ocpi.Price  `json:"total_parking_cost"`
	TotalFixedCost   *ocpi.Price  `json:"total_fixed_cost"`
	TotalEnergyCost  *ocpi.Price  `json:"total_energy_cost"`
	TotalTime        ocpi.Decimal `json:"total_time"`
	CdrLocation      struct {
		TimeZone string `json:"time_zone"`
	} `json:"cdr_location"`
}

func decodeOutput(t *testing.T, out string) pricedOutput {
	t.Helper()
	var p pricedOutput
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	return p
}

func requireAmount(t *testing.T, name string, got ocpi.Decimal, want string) {
	t.Helper()
	if !got.Equal(decimal.RequireFromString(want)) {
		t.Errorf("%s = %s, want %s", name, got, want)
	}
}

func TestTariffsPriceCase(t *testing.T) {
	dir := filepath.Join(tariffCases(t), "spec_complex_saturday")
	out, stderr, err := runPrice(t, "--tariff", filepath.Join(dir, "tariff.json"), "--cdr", filepath.Join(dir, "cdr.json"))
	if err != nil {
		t.Fatalf("%v (stderr %q)", err, stderr)
	}
	if stderr != "" {
		t.Errorf("unexpected stderr %q", stderr)
	}
	if !strings.HasSuffix(out, "}\n") || !strings.Contains(out, "\n  \"total_cost\": {") {
		t.Errorf("want indented, newline-terminated JSON, got:\n%s", out)
	}
	p := decodeOutput(t, out)
	requireAmount(t, "total_cost.excl_vat", p.TotalCost.ExclVat, "12.375")
	requireAmount(t, "total_cost.incl_vat", *p.TotalCost.InclVat, "13.975")
	requireAmount(t, "total_time_cost.excl_vat", p.TotalTimeCost.ExclVat, "2.375")
	requireAmount(t, "total_parking_cost.excl_vat", p.TotalParkingCost.ExclVat, "7.5")
	requireAmount(t, "total_fixed_cost.excl_vat", p.TotalFixedCost.ExclVat, "2.5")
	requireAmount(t, "total_energy_cost.excl_vat", p.TotalEnergyCost.ExclVat, "0")
	if p.CdrLocation.TimeZone != "Europe/Amsterdam" {
		t.Errorf("cdr_location.time_zone not kept: %q", p.CdrLocation.TimeZone)
	}
	// The output is a valid, complete OCPI CDR.
	var cdr ocpi.CDR
	if err := json.Unmarshal([]byte(out), &cdr); err != nil {
		t.Fatal(err)
	}
	if err := cdr.Validate(); err != nil {
		t.Errorf("printed CDR invalid: %v", err)
	}
}

// Every shared case priced through the command gives the expected total_cost (to the cent).
func TestTariffsPriceAllCases(t *testing.T) {
	dir := tariffCases(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		t.Fatal("no cases")
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			cdir := filepath.Join(dir, name)
			out, _, err := runPrice(t, "--tariff", filepath.Join(cdir, "tariff.json"), "--cdr", filepath.Join(cdir, "cdr.json"))
			if err != nil {
				t.Fatal(err)
			}
			var want struct {
				TotalCost ocpi.Price `json:"total_cost"`
			}
			b, err := os.ReadFile(filepath.Join(cdir, "expected.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			got := decodeOutput(t, out).TotalCost
			cent := decimal.RequireFromString("0.01")
			if got.ExclVat.Sub(want.TotalCost.ExclVat.Decimal).Abs().GreaterThanOrEqual(cent) ||
				got.InclVat.Sub(want.TotalCost.InclVat.Decimal).Abs().GreaterThanOrEqual(cent) {
				t.Errorf("total_cost %s/%s, want %s/%s", got.ExclVat, got.InclVat, want.TotalCost.ExclVat, want.TotalCost.InclVat)
			}
		})
	}
}

func TestTariffsPriceTimeZoneFlag(t *testing.T) {
	dir := filepath.Join(tariffCases(t), "spec_step_switch_2_time_only")
	args := []string{"--tariff", filepath.Join(dir, "tariff.json"), "--cdr", filepath.Join(dir, "cdr.json")}
	out, _, err := runPrice(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	requireAmount(t, "Amsterdam total", decodeOutput(t, out).TotalCost.ExclVat, "1.3") // 16:35-17:10 CET: 1.29996
	// Read in UTC the whole session (15:35-16:10) is before 17:00: 35 min -> 60 min at 1.20.
	out, _, err = runPrice(t, append(args, "--time-zone", "UTC")...)
	if err != nil {
		t.Fatal(err)
	}
	requireAmount(t, "UTC total", decodeOutput(t, out).TotalCost.ExclVat, "1.2")
}

func TestTariffsPriceWarnings(t *testing.T) {
	dir := filepath.Join(tariffCases(t), "td_grace_period_parking_time") // tariff without country_code/party_id
	tariffPath := filepath.Join(dir, "tariff.json")
	out, stderr, err := runPrice(t, "--tariff", tariffPath, "--cdr", filepath.Join(dir, "cdr.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := "warning: " + tariffPath + ": country_code: required (not used for pricing)\n"
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr %q, want it to contain %q", stderr, want)
	}
	requireAmount(t, "total", decodeOutput(t, out).TotalCost.ExclVat, "3.25")
}

func TestTariffsPriceErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	okTariff := write("ok_tariff.json", `{"country_code":"IN","party_id":"HUB","id":"T1","currency":"INR",
	  "elements":[{"price_components":[{"type":"ENERGY","price":18,"vat":18,"step_size":1}]}],"last_updated":"2025-01-01T00:00:00Z"}`)
	okCDR := write("ok_cdr.json", `{"country_code":"IN","party_id":"HUB","id":"C1",
	  "start_date_time":"2025-03-10T16:00:00Z","end_date_time":"2025-03-10T17:00:00Z",
	  "cdr_token":{"country_code":"IN","party_id":"EMP","uid":"U1","type":"RFID","contract_id":"IN-EMP-1"},
	  "auth_method":"WHITELIST",
	  "cdr_location":{"id":"L1","address":"12 MG Road","city":"Bengaluru","country":"IND",
	    "coordinates":{"latitude":"12.975600","longitude":"77.606500"},"evse_uid":"E1","evse_id":"IN*HUB*E1",
	    "connector_id":"1","connector_standard":"IEC_62196_T2","connector_format":"SOCKET","connector_power_type":"AC_3_PHASE",
	    "time_zone":"Asia/Kolkata"},
	  "currency":"INR",
	  "charging_periods":[{"start_date_time":"2025-03-10T16:00:00Z","dimensions":[{"type":"ENERGY","volume":10}]}],
	  "last_updated":"2025-03-10T17:00:00Z"}`)
	noPrice := write("no_price.json", `{"country_code":"IN","party_id":"HUB","id":"T1","currency":"INR",
	  "elements":[{"price_components":[{"type":"ENERGY","step_size":1}]}],"last_updated":"2025-01-01T00:00:00Z"}`)
	badEnum := write("bad_enum.json", `{"country_code":"IN","party_id":"HUB","id":"T1","currency":"INR",
	  "elements":[{"price_components":[{"type":"ENERGY","price":1,"step_size":1},{"type":"ENERGYX","price":1,"step_size":1}]}],
	  "last_updated":"2025-01-01T00:00:00Z"}`)
	eurTariff := write("eur.json", `{"country_code":"IN","party_id":"HUB","id":"T1","currency":"EUR",
	  "elements":[{"price_components":[{"type":"ENERGY","price":1,"step_size":1}]}],"last_updated":"2025-01-01T00:00:00Z"}`)
	broken := write("broken.json", "{\n  \"id\": \"T1\",\n  oops\n}")
	wrongType := write("wrong_type.json", `{"id":"T1","elements":"none"}`)
	badNumber := write("bad_number.json", `{"id":"T1","currency":"INR","elements":[{"price_components":[{"type":"ENERGY","price":"abc","step_size":1}]}]}`)
	badZoneCDR := write("bad_zone_cdr.json", strings.Replace(mustRead(t, okCDR), "Asia/Kolkata", "Mars/Olympus", 1))
	missing := filepath.Join(dir, "missing.json")

	for _, tc := range []struct {
		name string
		args []string
		want string // the whole one-line error, or a prefix ending in "..."
	}{
		{"no flags", nil, "tariffs price: --tariff FILE is required"},
		{"no cdr", []string{"--tariff", okTariff}, "tariffs price: --cdr FILE is required"},
		{"unknown flag", []string{"--tarif", okTariff}, "tariffs price: flag provided but not defined: -tarif"},
		{"extra argument", []string{"--tariff", okTariff, "--cdr", okCDR, "extra"}, `tariffs price: unexpected argument "extra"`},
		{"unreadable file", []string{"--tariff", missing, "--cdr", okCDR}, missing + ": cannot read: no such file or directory"},
		{"invalid JSON", []string{"--tariff", broken, "--cdr", okCDR}, broken + ":3:3: invalid JSON: ..."},
		{"wrong JSON type", []string{"--tariff", wrongType, "--cdr", okCDR}, wrongType + ": elements: cannot use a JSON string here: ..."},
		{"bad number", []string{"--tariff", badNumber, "--cdr", okCDR}, badNumber + ": ..."},
		{"missing price", []string{"--tariff", noPrice, "--cdr", okCDR},
			noPrice + ": elements[0].price_components[0].price: required"},
		{"unknown enum", []string{"--tariff", badEnum, "--cdr", okCDR},
			badEnum + `: elements[0].price_components[1].type: unknown value "ENERGYX"`},
		{"bad zone flag", []string{"--tariff", okTariff, "--cdr", okCDR, "--time-zone", "Nowhere/City"},
			`--time-zone: unknown time zone "Nowhere/City" (want an IANA name such as Asia/Kolkata)`},
		{"bad zone in CDR", []string{"--tariff", okTariff, "--cdr", badZoneCDR},
			badZoneCDR + `: cdr_location.time_zone: unknown time zone "Mars/Olympus" (want an IANA name such as Asia/Kolkata)`},
		{"currency mismatch", []string{"--tariff", eurTariff, "--cdr", okCDR}, "tariffs price: " + okCDR + " with " + eurTariff + ": ..."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := runPrice(t, tc.args...)
			if err == nil {
				t.Fatalf("no error; output:\n%s", out)
			}
			if strings.Contains(tc.name, "missing price") && !errors.Is(err, ocpi.ErrInvalid) {
				t.Errorf("validation error does not wrap ocpi.ErrInvalid: %v", err)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error is not one line: %q", msg)
			}
			if prefix, ok := strings.CutSuffix(tc.want, "..."); ok {
				if !strings.HasPrefix(msg, prefix) {
					t.Errorf("error %q, want prefix %q", msg, prefix)
				}
			} else if msg != tc.want {
				t.Errorf("error %q\n      want %q", msg, tc.want)
			}
			if out != "" {
				t.Errorf("stdout not empty on error: %q", out)
			}
		})
	}

	// The valid pair prices fine (INR, 18 % GST, Asia/Kolkata): 10 kWh x 18 = 180 / 212.4.
	out, _, err := runPrice(t, "--tariff", okTariff, "--cdr", okCDR)
	if err != nil {
		t.Fatal(err)
	}
	p := decodeOutput(t, out)
	requireAmount(t, "excl", p.TotalCost.ExclVat, "180")
	requireAmount(t, "incl", *p.TotalCost.InclVat, "212.4")
	requireAmount(t, "total_time", p.TotalTime, "1")
}

func TestTariffsPriceHelp(t *testing.T) {
	_, stderr, err := runPrice(t, "-h")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "usage: hub tariffs price --tariff FILE --cdr FILE [--time-zone IANA]") {
		t.Errorf("usage not printed: %q", stderr)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
