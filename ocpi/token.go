package ocpi

// WhitelistType says whether a CPO may decide on a Token locally or must ask the eMSP in real time
// (closed enum).
type WhitelistType string

// WhitelistType values.
const (
	// WhitelistTypeAlways: decide locally from the cache; real-time authorization not allowed.
	WhitelistTypeAlways WhitelistType = "ALWAYS"
	// WhitelistTypeAllowed: decide from the cache or ask in real time, the CPO's choice.
	WhitelistTypeAllowed WhitelistType = "ALLOWED"
	// WhitelistTypeAllowedOffline: ask in real time; allow when the eMSP cannot be reached.
	WhitelistTypeAllowedOffline WhitelistType = "ALLOWED_OFFLINE"
	// WhitelistTypeNever: always ask in real time; never decide locally.
	WhitelistTypeNever WhitelistType = "NEVER"
)

// IsValid reports whether w is one of the defined values.
func (w WhitelistType) IsValid() bool {
	switch w {
	case WhitelistTypeAlways, WhitelistTypeAllowed, WhitelistTypeAllowedOffline, WhitelistTypeNever:
		return true
	}
	return false
}

// AllowedType is the outcome of a real-time authorization (closed enum).
type AllowedType string

// AllowedType values.
const (
	AllowedTypeAllowed    AllowedType = "ALLOWED"
	AllowedTypeBlocked    AllowedType = "BLOCKED"
	AllowedTypeExpired    AllowedType = "EXPIRED"
	AllowedTypeNoCredit   AllowedType = "NO_CREDIT"
	AllowedTypeNotAllowed AllowedType = "NOT_ALLOWED" // valid, but not at this location
)

// IsValid reports whether a is one of the defined values.
func (a AllowedType) IsValid() bool {
	switch a {
	case AllowedTypeAllowed, AllowedTypeBlocked, AllowedTypeExpired, AllowedTypeNoCredit,
		AllowedTypeNotAllowed:
		return true
	}
	return false
}

// Token is a driver's means of identification issued by an eMSP (OCPI Tokens module). It is
// identified by (country_code, party_id, uid, type).
type Token struct {
	CountryCode        string          `json:"country_code"`                   // CiString(2), owner eMSP
	PartyID            string          `json:"party_id"`                       // CiString(3), owner eMSP
	UID                string          `json:"uid"`                            // CiString(36)
	Type               TokenType       `json:"type"`                           //
	ContractID         string          `json:"contract_id"`                    // CiString(36), eMAID recommended
	VisualNumber       string          `json:"visual_number,omitempty"`        // string(64)
	Issuer             string          `json:"issuer"`                         // string(64)
	GroupID            string          `json:"group_id,omitempty"`             // CiString(36)
	Valid              bool            `json:"valid"`                          //
	Whitelist          WhitelistType   `json:"whitelist"`                      //
	Language           string          `json:"language,omitempty"`             // string(2), ISO 639-1
	DefaultProfileType ProfileType     `json:"default_profile_type,omitempty"` //
	EnergyContract     *EnergyContract `json:"energy_contract,omitempty"`      //
	LastUpdated        DateTime        `json:"last_updated"`
}

// EnergyContract is a driver's own energy supplier contract.
type EnergyContract struct {
	SupplierName string `json:"supplier_name"`         // string(64)
	ContractID   string `json:"contract_id,omitempty"` // string(64)
}

// AuthorizationInfo is the eMSP's answer to a real-time authorization
// (POST {tokens_url}/{token_uid}/authorize).
type AuthorizationInfo struct {
	Allowed                AllowedType         `json:"allowed"`
	Token                  Token               `json:"token"`                             // the complete token
	Location               *LocationReferences `json:"location,omitempty"`                // EVSEs that may be used
	AuthorizationReference string              `json:"authorization_reference,omitempty"` // CiString(36)
	Info                   *DisplayText        `json:"info,omitempty"`                    // message for the driver
}

// LocationReferences is the body of a real-time authorization request: where the token is used.
type LocationReferences struct {
	LocationID string   `json:"location_id"`         // CiString(36)
	EvseUIDs   []string `json:"evse_uids,omitempty"` // CiString(36) each
}

// Validate checks a complete Token (as sent in a PUT or a GET answer); errors are rooted at
// "token".
func (t *Token) Validate() error {
	v := &validator{}
	t.validate(v, "token")
	return v.err()
}

func (t *Token) validate(v *validator, path string) {
	checkCountryCode(v, path+".country_code", t.CountryCode)
	checkPartyID(v, path+".party_id", t.PartyID)
	v.ciString(path+".uid", t.UID, 36, true)
	v.openEnum(path+".type", string(t.Type), true)
	v.ciString(path+".contract_id", t.ContractID, 36, true)
	v.str(path+".visual_number", t.VisualNumber, 64, false)
	v.str(path+".issuer", t.Issuer, 64, true)
	v.ciString(path+".group_id", t.GroupID, 36, false)
	v.closedEnum(path+".whitelist", string(t.Whitelist), t.Whitelist.IsValid(), true)
	checkFixedStr(v, path+".language", t.Language, 2, false)
	v.closedEnum(path+".default_profile_type", string(t.DefaultProfileType), t.DefaultProfileType.IsValid(), false)
	if t.EnergyContract != nil {
		t.EnergyContract.validate(v, path+".energy_contract")
	}
	checkDateTime(v, path+".last_updated", t.LastUpdated)
}

func (e *EnergyContract) validate(v *validator, path string) {
	v.str(path+".supplier_name", e.SupplierName, 64, true)
	v.str(path+".contract_id", e.ContractID, 64, false)
}

// Validate checks AuthorizationInfo with its Token; errors are rooted at "authorization_info".
func (a *AuthorizationInfo) Validate() error {
	v := &validator{}
	path := "authorization_info"
	v.closedEnum(path+".allowed", string(a.Allowed), a.Allowed.IsValid(), true)
	a.Token.validate(v, path+".token")
	if a.Location != nil {
		a.Location.validate(v, path+".location")
	}
	v.ciString(path+".authorization_reference", a.AuthorizationReference, 36, false)
	if a.Info != nil {
		a.Info.validate(v, path+".info")
	}
	return v.err()
}

// Validate checks LocationReferences; errors are rooted at "location_references".
func (l *LocationReferences) Validate() error {
	v := &validator{}
	l.validate(v, "location_references")
	return v.err()
}

func (l *LocationReferences) validate(v *validator, path string) {
	v.ciString(path+".location_id", l.LocationID, 36, true)
	for i, uid := range l.EvseUIDs {
		v.ciString(index(path+".evse_uids", i), uid, 36, true)
	}
}
