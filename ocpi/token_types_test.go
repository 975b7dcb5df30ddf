package ocpi

import (
	"encoding/json"
	"testing"
)

func fullToken() Token {
	return Token{CountryCode: "DE", PartyID: "EMP", UID: "04A2B3C4D5E6F7", Type: TokenTypeRFID,
		ContractID: "DE-EMP-C12345678-X", VisualNumber: "DF000-2001-8999-1", Issuer: "Example eMSP",
		GroupID: "DF000-2001-8999", Valid: true, Whitelist: WhitelistTypeAllowed, Language: "de",
		DefaultProfileType: ProfileTypeGreen,
		EnergyContract:     &EnergyContract{SupplierName: "Greenpeace Energy eG", ContractID: "0123456789"},
		LastUpdated:        testAt("08:59:00")}
}

func fullTokenPatch() TokenPatch {
	t := fullToken()
	return TokenPatch{CountryCode: ptrTo("DE"), PartyID: ptrTo("EMP"), UID: ptrTo(t.UID), Type: ptrTo(TokenTypeRFID),
		ContractID: ptrTo(t.ContractID), VisualNumber: ptrTo("DF000-2001-8999-2"), Issuer: ptrTo("Example eMSP"),
		GroupID: ptrTo("DF000-2001-9000"), Valid: ptrTo(false), Whitelist: ptrTo(WhitelistTypeNever), Language: ptrTo("en"),
		DefaultProfileType: ptrTo(ProfileTypeCheap), EnergyContract: &EnergyContract{SupplierName: "Other Energy", ContractID: "C-2"},
		LastUpdated: testAt("09:10:00")}
}

func fullLocationReferences() LocationReferences {
	return LocationReferences{LocationID: "LOC-0001", EvseUIDs: []string{"EVSE-0001-1", "EVSE-0001-2"}}
}

func fullAuthorizationInfo() AuthorizationInfo {
	return AuthorizationInfo{Allowed: AllowedTypeAllowed, Token: fullToken(), Location: ptrTo(fullLocationReferences()),
		AuthorizationReference: "AR-1", Info: &DisplayText{Language: "en", Text: "Welcome"}}
}

func TestTokenApplyPatch(t *testing.T) {
	tok := fullToken()
	var p TokenPatch
	if err := json.Unmarshal([]byte(`{"valid": false, "last_updated": "2025-01-14T09:11:00Z"}`), &p); err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	tok.ApplyPatch(&p)
	if tok.Valid || tok.Whitelist != WhitelistTypeAllowed || tok.LastUpdated != testAt("09:11:00") {
		t.Errorf("patched token: %+v", tok)
	}
	full := fullTokenPatch()
	tok.ApplyPatch(&full)
	if tok.Whitelist != WhitelistTypeNever || tok.EnergyContract.SupplierName != "Other Energy" || tok.Language != "en" {
		t.Errorf("patched token: %+v", tok)
	}
	if err := tok.Validate(); err != nil {
		t.Error(err)
	}
}

func TestTokenOpenTypeAndOptionalEnum(t *testing.T) {
	tok := fullToken()
	tok.Type = "EMAID" // TokenType is an open enum
	tok.DefaultProfileType = ""
	if err := tok.Validate(); err != nil {
		t.Fatal(err)
	}
	tok.DefaultProfileType = "SLOW"
	if err := tok.Validate(); err == nil {
		t.Fatal("bad default_profile_type accepted")
	}
}
