package ocpi

import (
	"net/url"
	"strings"
)

// VersionNumber is an OCPI version (open enum: a peer may list versions this package does not know,
// such as a later 2.x or 3.0; they are accepted and simply not selected).
type VersionNumber string

// VersionNumber values.
const (
	VersionNumber20  VersionNumber = "2.0"
	VersionNumber21  VersionNumber = "2.1" // deprecated
	VersionNumber211 VersionNumber = "2.1.1"
	VersionNumber22  VersionNumber = "2.2" // deprecated
	VersionNumber221 VersionNumber = "2.2.1"
)

// IsKnown reports whether n is one of the versions defined by OCPI 2.2.1.
func (n VersionNumber) IsKnown() bool {
	switch n {
	case VersionNumber20, VersionNumber21, VersionNumber211, VersionNumber22, VersionNumber221:
		return true
	}
	return false
}

// ModuleID identifies an OCPI module in an Endpoint (open enum: custom modules such as
// "nltnm-tokens" may be listed by peers and are to be ignored, not rejected).
type ModuleID string

// ModuleID values.
const (
	ModuleIDCdrs             ModuleID = "cdrs"
	ModuleIDChargingProfiles ModuleID = "chargingprofiles"
	ModuleIDCommands         ModuleID = "commands"
	ModuleIDCredentials      ModuleID = "credentials"
	ModuleIDHubClientInfo    ModuleID = "hubclientinfo"
	ModuleIDLocations        ModuleID = "locations"
	ModuleIDSessions         ModuleID = "sessions"
	ModuleIDTariffs          ModuleID = "tariffs"
	ModuleIDTokens           ModuleID = "tokens"
)

// IsKnown reports whether m is one of the modules defined by OCPI 2.2.1.
func (m ModuleID) IsKnown() bool {
	switch m {
	case ModuleIDCdrs, ModuleIDChargingProfiles, ModuleIDCommands, ModuleIDCredentials,
		ModuleIDHubClientInfo, ModuleIDLocations, ModuleIDSessions, ModuleIDTariffs, ModuleIDTokens:
		return true
	}
	return false
}

// InterfaceRole says which interface of a module an Endpoint implements (closed enum).
type InterfaceRole string

// InterfaceRole values.
const (
	// InterfaceRoleSender is the interface of the data owner, used by others to pull (GET).
	InterfaceRoleSender InterfaceRole = "SENDER"
	// InterfaceRoleReceiver is the interface of the data consumer, used by the owner to push.
	InterfaceRoleReceiver InterfaceRole = "RECEIVER"
)

// IsValid reports whether r is one of the defined values.
func (r InterfaceRole) IsValid() bool { return r == InterfaceRoleSender || r == InterfaceRoleReceiver }

// Version is one entry of the versions list (GET {versions_url}).
type Version struct {
	Version VersionNumber `json:"version"`
	URL     string        `json:"url"` // URL of the version details endpoint
}

// VersionDetails is the answer of the version details endpoint: the module endpoints of one version.
type VersionDetails struct {
	Version   VersionNumber `json:"version"`
	Endpoints []Endpoint    `json:"endpoints"` // at least one
}

// Endpoint is the URL of one interface of one module.
type Endpoint struct {
	Identifier ModuleID      `json:"identifier"`
	Role       InterfaceRole `json:"role"` // for credentials meaningless: send SENDER, ignore on input
	URL        string        `json:"url"`
}

// Validate checks a Version; errors are rooted at "version".
func (x *Version) Validate() error {
	v := &validator{}
	x.validate(v, "version")
	return v.err()
}

func (x *Version) validate(v *validator, path string) {
	v.openEnum(path+".version", string(x.Version), true)
	checkURL(v, path+".url", x.URL, true)
}

// Validate checks VersionDetails and every endpoint; errors are rooted at "version_details".
func (d *VersionDetails) Validate() error {
	v := &validator{}
	d.validate(v, "version_details")
	return v.err()
}

func (d *VersionDetails) validate(v *validator, path string) {
	v.openEnum(path+".version", string(d.Version), true)
	if len(d.Endpoints) == 0 {
		v.add(path+".endpoints", "at least one endpoint required")
	}
	for i := range d.Endpoints {
		d.Endpoints[i].validate(v, index(path+".endpoints", i))
	}
}

// Validate checks an Endpoint; errors are rooted at "endpoint".
func (e *Endpoint) Validate() error {
	v := &validator{}
	e.validate(v, "endpoint")
	return v.err()
}

func (e *Endpoint) validate(v *validator, path string) {
	v.openEnum(path+".identifier", string(e.Identifier), true)
	v.closedEnum(path+".role", string(e.Role), e.Role.IsValid(), true)
	checkURL(v, path+".url", e.URL, true)
}

// EndpointURL returns the URL of the given module and interface role, and whether it is listed.
// For credentials the role is ignored (it is meaningless there).
func (d *VersionDetails) EndpointURL(id ModuleID, role InterfaceRole) (string, bool) {
	for _, e := range d.Endpoints {
		if e.Identifier == id && (e.Role == role || id == ModuleIDCredentials) {
			return e.URL, true
		}
	}
	return "", false
}

// ---------------------------------------------------------------------------------------------
// Validation helpers used by the Locations, Sessions, Tokens, Commands, ChargingProfiles,
// Credentials, Versions and HubClientInfo types. They complement the validator of common.go.

// checkURL checks an OCPI URL: string(255) holding an absolute URL (scheme and host).
func checkURL(v *validator, path, s string, required bool) bool {
	if s == "" {
		return v.str(path, s, 255, required)
	}
	if !v.str(path, s, 255, true) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" || strings.ContainsAny(s, " \t") {
		v.add(path, "must be an absolute URL, got %q", s)
		return false
	}
	return true
}

// checkDateTime checks a required DateTime: present, and within the years 0000-9999 that the
// OCPI text form (and DateTime.MarshalJSON) can express.
func checkDateTime(v *validator, path string, d DateTime) bool {
	return v.dateTime(path, d) && dateTimeInRange(v, path, d)
}

// checkOptDateTime checks an optional DateTime: absent (nil) or a valid DateTime.
func checkOptDateTime(v *validator, path string, d *DateTime) bool {
	if d == nil {
		return true
	}
	if d.IsZero() {
		v.add(path, "must be a DateTime when present")
		return false
	}
	return dateTimeInRange(v, path, *d)
}

func dateTimeInRange(v *validator, path string, d DateTime) bool {
	if y := d.UTC().Year(); y < 0 || y > 9999 {
		v.add(path, "year %d out of range", y)
		return false
	}
	return true
}

// checkAfter reports end <= begin (both set) at path.
func checkAfter(v *validator, path string, begin, end DateTime) {
	if !begin.IsZero() && !end.IsZero() && !end.After(begin.Time) {
		v.add(path, "must be after the begin of the period")
	}
}

// checkCountryCode checks a CiString(2) ISO 3166-1 alpha-2 country code.
func checkCountryCode(v *validator, path, s string) bool { return v.ciStringLen(path, s, 2, 2, true) }

// checkPartyID checks a CiString(3) ISO 15118 party id.
func checkPartyID(v *validator, path, s string) bool { return v.ciStringLen(path, s, 3, 3, true) }

// checkFixedStr checks a string(n) that must have exactly n characters when present, such as an
// ISO 639-1 language (2), an ISO 4217 currency (3) or an ISO 3166-1 alpha-3 country (3).
func checkFixedStr(v *validator, path, s string, n int, required bool) bool {
	if !v.str(path, s, n, required) {
		return false
	}
	if s != "" && len(s) != n {
		v.add(path, "must have exactly %d characters, got %q", n, s)
		return false
	}
	return true
}

// checkIntRange checks min <= n <= max.
func checkIntRange(v *validator, path string, n, min, max int) bool {
	if n < min || n > max {
		v.add(path, "must be between %d and %d, got %d", min, max, n)
		return false
	}
	return true
}

// checkDisplayTexts validates a list of DisplayText.
func checkDisplayTexts(v *validator, path string, ts []DisplayText) {
	for i := range ts {
		ts[i].validate(v, index(path, i))
	}
}
