// Package ocpitest is test support for the hub's OCPI side: an in-process eMSP peer built on the
// same OCPI types (EMSP), a hub assembled from the real store, service, server and outbox worker
// (Hub), and the official OCPI 2.2.1 JSON schema (Schema) that every object and envelope the hub
// emits is checked against. It is imported by tests only.
package ocpitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaRel is the schema below the shared folder that CI puts beside the checkout.
const schemaRel = "shared/testdata/ocpi-schema/ocpi-2.2.1.schema.json"

const schemaID = "urn:ocpi:2.2.1:bundle"

// Schema is the OCPI 2.2.1 JSON schema, made strict: every object definition forbids properties
// it does not define, so emitting a field that is not in OCPI 2.2.1 is an error. DateTime values
// must be UTC without offset and at most 25 characters. It is safe for concurrent use.
type Schema struct {
	defs map[string]any

	mu       sync.Mutex
	compiler *jsonschema.Compiler
	compiled map[string]*jsonschema.Schema
}

// LoadSchema finds ../shared/testdata/ocpi-schema (looking in the parent directories of the test's
// working directory) and compiles it. When it is absent the test is skipped, except under CI (env
// CI non-empty), where it fails.
func LoadSchema(tb testing.TB) *Schema {
	tb.Helper()
	path := ""
	dir, _ := os.Getwd()
	for range 6 {
		dir = filepath.Dir(dir)
		if p := filepath.Join(dir, schemaRel); fileExists(p) {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") != "" {
			tb.Fatalf("the OCPI schema (../%s) is missing under CI", schemaRel)
		}
		tb.Skipf("the OCPI schema (../%s beside the checkout) was not found: skipping", schemaRel)
	}
	s, err := newSchema(path)
	if err != nil {
		tb.Fatalf("load the OCPI schema: %v", err)
	}
	return s
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

var ocpiDateTimeRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z?$`)

func checkDateTime(v any) error {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	if len(s) > 25 || !ocpiDateTimeRE.MatchString(s) {
		return fmt.Errorf("%q is not an OCPI DateTime (string(25), UTC, no offset)", s)
	}
	if _, err := time.Parse("2006-01-02T15:04:05", strings.TrimSuffix(strings.SplitN(s, ".", 2)[0], "Z")); err != nil {
		return fmt.Errorf("%q is not a valid date and time", s)
	}
	return nil
}

func newSchema(file string) (*Schema, error) {
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
	c.RegisterFormat(&jsonschema.Format{Name: "date-time", Validate: checkDateTime})
	if err := c.AddResource(schemaID, doc); err != nil {
		return nil, err
	}
	return &Schema{defs: defs, compiler: c, compiled: map[string]*jsonschema.Schema{}}, nil
}

// Validate checks a JSON document against a definition, e.g. "Location". A definition ending in
// "[]" checks an array of that definition.
func (s *Schema) Validate(def string, doc []byte) error {
	if strings.HasSuffix(def, "[]") {
		var list []json.RawMessage
		if err := json.Unmarshal(doc, &list); err != nil {
			return fmt.Errorf("%s: not an array: %w", def, err)
		}
		for i, el := range list {
			if err := s.Validate(strings.TrimSuffix(def, "[]"), el); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
		return nil
	}
	sch, err := s.compile(def)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

func (s *Schema) compile(def string) (*jsonschema.Schema, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sch, ok := s.compiled[def]; ok {
		return sch, nil
	}
	if _, ok := s.defs[def]; !ok {
		return nil, fmt.Errorf("the schema has no definition %q", def)
	}
	sch, err := s.compiler.Compile(schemaID + "#/$defs/" + def)
	if err != nil {
		return nil, fmt.Errorf("compile %s: %w", def, err)
	}
	s.compiled[def] = sch
	return sch, nil
}

// ValidateEnvelope checks a response body: the OCPIResponse envelope with status_code and
// timestamp present, and its data against dataDef ("" = no data expected or not checked; a
// definition ending in "[]" = a list).
func (s *Schema) ValidateEnvelope(body []byte, dataDef string) error {
	if err := s.Validate("OCPIResponse", body); err != nil {
		return fmt.Errorf("envelope: %w", err)
	}
	var env struct {
		Data       json.RawMessage `json:"data"`
		StatusCode *int            `json:"status_code"`
		Timestamp  *string         `json:"timestamp"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return err
	}
	if env.StatusCode == nil || env.Timestamp == nil {
		return fmt.Errorf("envelope without status_code or timestamp: %s", body)
	}
	if err := s.Validate("StatusCode", []byte(fmt.Sprint(*env.StatusCode))); err != nil {
		return fmt.Errorf("status_code: %w", err)
	}
	if dataDef == "" || len(env.Data) == 0 || string(env.Data) == "null" {
		return nil
	}
	if err := s.Validate(dataDef, env.Data); err != nil {
		return fmt.Errorf("data (%s): %w", dataDef, err)
	}
	return nil
}
