package ocpi

import "strings"

// Role is the market role of a party (closed enum). It is an OCPI shared type, used by
// Credentials and HubClientInfo.
type Role string

// Role values.
const (
	RoleCPO   Role = "CPO"   // Charge Point Operator
	RoleEMSP  Role = "EMSP"  // e-Mobility Service Provider
	RoleHub   Role = "HUB"   // roaming hub
	RoleNAP   Role = "NAP"   // National Access Point
	RoleNSP   Role = "NSP"   // Navigation Service Provider
	RoleOther Role = "OTHER" // anything else, treated like an eMSP-type role
	RoleSCSP  Role = "SCSP"  // Smart Charging Service Provider
)

// IsValid reports whether r is one of the defined values.
func (r Role) IsValid() bool {
	switch r {
	case RoleCPO, RoleEMSP, RoleHub, RoleNAP, RoleNSP, RoleOther, RoleSCSP:
		return true
	}
	return false
}

// Credentials is the object exchanged by the credentials module: the token the other party must
// use to call the sender of this object, the sender's versions URL and its roles.
type Credentials struct {
	Token string            `json:"token"` // string(64), printable non-whitespace ASCII, plain (not Base64)
	URL   string            `json:"url"`   // the sender's versions-list URL
	Roles []CredentialsRole `json:"roles"` // at least one
}

// CredentialsRole is one role hosted by a platform.
type CredentialsRole struct {
	Role            Role            `json:"role"`
	BusinessDetails BusinessDetails `json:"business_details"`
	PartyID         string          `json:"party_id"`     // CiString(3)
	CountryCode     string          `json:"country_code"` // CiString(2)
}

// Validate checks Credentials, including that every (role, party_id, country_code) combination is
// unique (case-insensitively); errors are rooted at "credentials".
func (c *Credentials) Validate() error {
	v := &validator{}
	path := "credentials"
	checkCredentialsToken(v, path+".token", c.Token)
	checkURL(v, path+".url", c.URL, true)
	if len(c.Roles) == 0 {
		v.add(path+".roles", "at least one role required")
	}
	seen := make(map[string]bool, len(c.Roles))
	for i := range c.Roles {
		rp := index(path+".roles", i)
		r := &c.Roles[i]
		v.closedEnum(rp+".role", string(r.Role), r.Role.IsValid(), true)
		r.BusinessDetails.validate(v, rp+".business_details")
		checkPartyID(v, rp+".party_id", r.PartyID)
		checkCountryCode(v, rp+".country_code", r.CountryCode)
		key := strings.ToUpper(string(r.Role) + "/" + r.CountryCode + "/" + r.PartyID)
		if seen[key] {
			v.add(rp, "duplicate role %s %s/%s", r.Role, r.CountryCode, r.PartyID)
		}
		seen[key] = true
	}
	return v.err()
}

// checkCredentialsToken checks a credentials token: 1 to 64 characters from U+0021 to U+007E.
func checkCredentialsToken(v *validator, path, s string) {
	if s == "" {
		v.add(path, "required")
		return
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			v.add(path, "only printable non-whitespace ASCII allowed")
			return
		}
	}
	if len(s) > 64 {
		v.add(path, "longer than 64 characters")
	}
}
