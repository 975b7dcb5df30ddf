package ocpitest

import (
	"strings"
	"testing"
)

// TestSchemaIsStrict makes sure the checks the other tests rely on do reject bad output.
func TestSchemaIsStrict(t *testing.T) {
	s := LoadSchema(t)
	good := `{"version":"2.2.1","url":"https://hub.example.com/ocpi/2.2.1"}`
	if err := s.Validate("Version", []byte(good)); err != nil {
		t.Fatalf("a valid Version: %v", err)
	}
	for name, doc := range map[string]string{
		"unknown field":   `{"version":"2.2.1","url":"https://hub.example.com/ocpi/2.2.1","extra":1}`,
		"relative url":    `{"version":"2.2.1","url":"/ocpi/2.2.1"}`,
		"missing version": `{"url":"https://hub.example.com/ocpi/2.2.1"}`,
	} {
		if err := s.Validate("Version", []byte(doc)); err == nil {
			t.Errorf("%s: accepted %s", name, doc)
		}
	}
	for name, body := range map[string]string{
		"offset timestamp": `{"status_code":1000,"timestamp":"2025-01-14T09:00:00+00:00"}`,
		"nano timestamp":   `{"status_code":1000,"timestamp":"2025-01-14T09:00:00.123456789Z"}`,
		"no timestamp":     `{"status_code":1000}`,
		"custom code":      `{"status_code":1234,"timestamp":"2025-01-14T09:00:00Z"}`,
		"bad data":         `{"status_code":1000,"timestamp":"2025-01-14T09:00:00Z","data":[{"version":"9"}]}`,
	} {
		if err := s.ValidateEnvelope([]byte(body), "Version[]"); err == nil {
			t.Errorf("%s: accepted %s", name, body)
		}
	}
	if err := s.ValidateEnvelope([]byte(`{"status_code":1000,"timestamp":"2025-01-14T09:00:00Z","data":[]}`), "Version[]"); err != nil {
		t.Errorf("an empty list: %v", err)
	}
	if err := s.Validate("Nothing", []byte(`{}`)); err == nil || !strings.Contains(err.Error(), "no definition") {
		t.Errorf("unknown definition: %v", err)
	}
}
