package ocpi

import (
	"encoding/json"
	"testing"
)

func fullVersion() Version {
	return Version{Version: VersionNumber221, URL: "https://hub.example.com/ocpi/2.2.1"}
}

func fullVersionDetails() VersionDetails {
	return VersionDetails{Version: VersionNumber221, Endpoints: []Endpoint{
		{Identifier: ModuleIDCredentials, Role: InterfaceRoleSender, URL: "https://hub.example.com/ocpi/2.2.1/credentials"},
		{Identifier: ModuleIDLocations, Role: InterfaceRoleSender, URL: "https://hub.example.com/ocpi/cpo/2.2.1/locations"},
		{Identifier: ModuleIDTokens, Role: InterfaceRoleReceiver, URL: "https://hub.example.com/ocpi/cpo/2.2.1/tokens"},
	}}
}

func TestVersionDetailsEndpointURL(t *testing.T) {
	d := fullVersionDetails()
	d.Endpoints = append(d.Endpoints, Endpoint{Identifier: "nltnm-tokens", Role: InterfaceRoleSender,
		URL: "https://hub.example.com/ocpi/custom"})
	if err := d.Validate(); err != nil {
		t.Fatalf("custom module must be accepted: %v", err)
	}
	if u, ok := d.EndpointURL(ModuleIDTokens, InterfaceRoleReceiver); !ok || u != "https://hub.example.com/ocpi/cpo/2.2.1/tokens" {
		t.Errorf("tokens RECEIVER: %q %v", u, ok)
	}
	if _, ok := d.EndpointURL(ModuleIDTokens, InterfaceRoleSender); ok {
		t.Error("tokens SENDER found")
	}
	if _, ok := d.EndpointURL(ModuleIDCredentials, InterfaceRoleReceiver); !ok {
		t.Error("credentials must be found whatever its role")
	}
	if ModuleID("nltnm-tokens").IsKnown() || !VersionNumber221.IsKnown() || VersionNumber("3.0").IsKnown() {
		t.Error("IsKnown")
	}
}

func TestVersionURLMustBeAbsolute(t *testing.T) {
	for _, u := range []string{"", "/ocpi/2.2.1", "hub.example.com/ocpi", "https://", "https://a b.example.com"} {
		v := Version{Version: VersionNumber221, URL: u}
		if err := v.Validate(); err == nil {
			t.Errorf("%q accepted", u)
		}
	}
	var list []Version
	if err := json.Unmarshal([]byte(`[{"version":"2.1.1","url":"https://x.example.com/2.1.1"},{"version":"3.0","url":"https://x.example.com/3.0"}]`), &list); err != nil {
		t.Fatal(err)
	}
	for _, v := range list {
		if err := v.Validate(); err != nil {
			t.Error(err)
		}
	}
}
