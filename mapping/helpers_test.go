package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/shopspring/decimal"
)

// sharedTestdataDir is shared/testdata, read in place: ../shared beside the checkout.
const sharedTestdataDir = "../../shared/testdata"

const schemaID = "urn:ocpi:2.2.1:bundle"

// ocpiSchema is the official OCPI 2.2.1 JSON schema, compiled strictly as package ocpi's tests
// do: formats asserted (date-time as an OCPI DateTime) and additionalProperties false on every
// object, so an emitted field outside OCPI 2.2.1 fails too.
type ocpiSchema struct {
	defs     map[string]any
	mu       sync.Mutex
	compiler *jsonschema.Compiler
	compiled map[string]*jsonschema.Schema
}

var (
	schemaOnce sync.Once
	schemaVal  *ocpiSchema
	schemaErr  error
)

// loadSchema returns the schema; absent, the test is skipped, except under CI (env CI set).
func loadSchema(t testing.TB) *ocpiSchema {
	t.Helper()
	dir := filepath.Join(sharedTestdataDir, "ocpi-schema")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("shared test data %s is missing under CI: %v", dir, err)
		}
		t.Skipf("shared test data %s not found (expected ../shared beside the checkout): skipping", dir)
	}
	schemaOnce.Do(func() { schemaVal, schemaErr = newOCPISchema(filepath.Join(dir, "ocpi-2.2.1.schema.json")) })
	if schemaErr != nil {
		t.Fatalf("load schema: %v", schemaErr)
	}
	return schemaVal
}

var ocpiDateTimeRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z?$`)

func checkOCPIDateTime(v any) error {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	if len(s) > 25 || !ocpiDateTimeRE.MatchString(s) {
		return fmt.Errorf("%q is not an OCPI DateTime", s)
	}
	return nil
}

func newOCPISchema(file string) (*ocpiSchema, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	root, _ := doc.(map[string]any)
	defs, _ := root["$defs"].(map[string]any)
	if id, _ := root["$id"].(string); id != schemaID || len(defs) == 0 {
		return nil, fmt.Errorf("unexpected schema layout: $id %q, %d $defs", id, len(defs))
	}
	for _, d := range defs {
		if m, ok := d.(map[string]any); ok && m["type"] == "object" && m["properties"] != nil {
			m["additionalProperties"] = false
		}
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	c.RegisterFormat(&jsonschema.Format{Name: "date-time", Validate: checkOCPIDateTime})
	if err := c.AddResource(schemaID, doc); err != nil {
		return nil, err
	}
	return &ocpiSchema{defs: defs, compiler: c, compiled: map[string]*jsonschema.Schema{}}, nil
}

func (s *ocpiSchema) validate(def string, doc []byte) error {
	s.mu.Lock()
	sch, ok := s.compiled[def]
	if !ok {
		if _, found := s.defs[def]; !found {
			s.mu.Unlock()
			return fmt.Errorf("schema has no definition %q", def)
		}
		var err error
		if sch, err = s.compiler.Compile(schemaID + "#/$defs/" + def); err != nil {
			s.mu.Unlock()
			return fmt.Errorf("compile %s: %w", def, err)
		}
		s.compiled[def] = sch
	}
	s.mu.Unlock()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

type validatable interface{ Validate() error }

// checkOCPI validates v with its Validate method (when it has one) and its JSON against the
// schema definition def.
func checkOCPI(t testing.TB, def string, v any) {
	t.Helper()
	if val, ok := v.(validatable); ok {
		if err := val.Validate(); err != nil {
			t.Fatalf("%s Validate: %v", def, err)
		}
	}
	doc, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %s: %v", def, err)
	}
	if err := loadSchema(t).validate(def, doc); err != nil {
		t.Fatalf("%s fails the OCPI schema: %v\n%s", def, err, doc)
	}
}

// ---- fixtures ----

var cpo = Identity{CountryCode: "IN", PartyID: "HUB"}

// day is 2025-01-14, a Tuesday.
func at(clock string) time.Time {
	t, err := time.Parse("2006-01-02 15:04:05", "2025-01-14 "+clock)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func template() ocpi.Location {
	return ocpi.Location{
		ID: "LOC-1", Publish: true, Name: "Example Mall P2", Address: "12 MG Road", City: "Bengaluru",
		PostalCode: "560001", Country: "IND",
		Coordinates: ocpi.GeoLocation{Latitude: "12.975600", Longitude: "77.606500"},
		TimeZone:    "Asia/Kolkata", LastUpdated: ocpi.NewDateTime(at("08:00:00")),
	}
}

func acSpec() ConnectorSpec {
	return ConnectorSpec{Standard: ocpi.ConnectorIEC62196T2, Format: ocpi.ConnectorFormatSocket,
		PowerType: ocpi.PowerTypeAC3Phase, MaxVoltage: 230, MaxAmperage: 32, MaxElectricPower: 22000,
		TariffIDs: []string{"T-AC"}}
}

func token() ocpi.CdrToken {
	return ocpi.CdrToken{CountryCode: "IN", PartyID: "EMP", UID: "04AB12CD", Type: ocpi.TokenTypeRFID, ContractID: "IN-EMP-C00001"}
}

// sample returns a numeric sample of transaction txID.
func sample(txID int64, ts time.Time, measurand, phase, unit, value string) charging.MeterSample {
	v := dec(value)
	return charging.MeterSample{TransactionID: &txID, Timestamp: ts, Measurand: measurand, Phase: phase,
		Location: "Outlet", Context: "Sample.Periodic", Format: "Raw", RawValue: value, Value: &v, Unit: unit,
		ReceivedAt: ts.Add(2 * time.Second)}
}

func energy(txID int64, ts time.Time, wh string) charging.MeterSample {
	return sample(txID, ts, charging.MeasurandEnergyImport, "", "Wh", wh)
}

func power(txID int64, ts time.Time, w string) charging.MeterSample {
	return sample(txID, ts, measurandPower, "", "W", w)
}

// dims renders a period's dimensions as "TYPE=volume" joined by spaces.
func dims(p ocpi.ChargingPeriod) string {
	parts := make([]string, len(p.Dimensions))
	for i, d := range p.Dimensions {
		parts[i] = string(d.Type) + "=" + d.Volume.String()
	}
	return p.StartDateTime.String()[11:19] + " " + strings.Join(parts, " ")
}

func periodLines(ps []ocpi.ChargingPeriod) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = dims(p)
	}
	return out
}

func isInputErr(err error) bool { return errors.Is(err, ErrInput) }

// roundTrip returns v after encoding it to JSON and back.
func roundTrip[T any](t testing.TB, v T) T {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
