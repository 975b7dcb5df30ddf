package ocpi

import (
	"encoding/json"
	"testing"
)

func fullCredentials() Credentials {
	return Credentials{Token: "7e1a9c4b-5d2f-4a8e-b3c1-0f6d2e9a8b71", URL: "https://hub.example.com/ocpi/versions",
		Roles: []CredentialsRole{{Role: RoleCPO, BusinessDetails: fullBusinessDetails("Example Charging"),
			PartyID: "HUB", CountryCode: "IN"}}}
}

func fullClientInfo() ClientInfo {
	return ClientInfo{PartyID: "EMP", CountryCode: "DE", Role: RoleEMSP, Status: ConnectionStatusConnected,
		LastUpdated: testAt("08:00:00")}
}

func TestCredentialsDocExample(t *testing.T) {
	// Our credentials of ocpi-2.2.1.md 4.1.
	doc := `{"token": "7e1a9c4b-5d2f-4a8e-b3c1-0f6d2e9a8b71", "url": "https://hub.example.com/ocpi/versions",
	  "roles": [{"role": "CPO", "party_id": "HUB", "country_code": "IN",
	             "business_details": {"name": "Example Charging"}}]}`
	var c Credentials
	if err := json.Unmarshal([]byte(doc), &c); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	// Same party with another role is fine; the same triple again (case-insensitively) is not.
	c.Roles = append(c.Roles, CredentialsRole{Role: RoleEMSP, PartyID: "HUB", CountryCode: "IN",
		BusinessDetails: BusinessDetails{Name: "Example eMSP"}})
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.Roles = append(c.Roles, CredentialsRole{Role: RoleCPO, PartyID: "hub", CountryCode: "in",
		BusinessDetails: BusinessDetails{Name: "Again"}})
	if es := validationErrors(t, c.Validate()); es[0].Path != "credentials.roles[2]" {
		t.Errorf("got %v", es)
	}
}

func TestClientInfoValidate(t *testing.T) {
	c := fullClientInfo()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.CountryCode, c.Role = "D", ""
	es := validationErrors(t, c.Validate())
	if len(es) != 2 || es[0].Path != "client_info.country_code" || es[1].Path != "client_info.role" {
		t.Errorf("got %v", es)
	}
}
