package ocpi

// ConnectionStatus is the state of a party's connection to a hub (closed enum).
type ConnectionStatus string

// ConnectionStatus values.
const (
	// ConnectionStatusConnected: reachable; expect its client owned objects.
	ConnectionStatusConnected ConnectionStatus = "CONNECTED"
	// ConnectionStatusOffline: temporarily unreachable; do not send, do not queue.
	ConnectionStatusOffline ConnectionStatus = "OFFLINE"
	// ConnectionStatusPlanned: known but never connected; no traffic yet.
	ConnectionStatusPlanned ConnectionStatus = "PLANNED"
	// ConnectionStatusSuspended: gone for good; settle open business out of band.
	ConnectionStatusSuspended ConnectionStatus = "SUSPENDED"
)

// IsValid reports whether s is one of the defined values.
func (s ConnectionStatus) IsValid() bool {
	switch s {
	case ConnectionStatusConnected, ConnectionStatusOffline, ConnectionStatusPlanned, ConnectionStatusSuspended:
		return true
	}
	return false
}

// ClientInfo is what a hub tells about one party it connects (OCPI HubClientInfo module).
type ClientInfo struct {
	PartyID     string           `json:"party_id"`     // CiString(3)
	CountryCode string           `json:"country_code"` // CiString(2)
	Role        Role             `json:"role"`
	Status      ConnectionStatus `json:"status"`
	LastUpdated DateTime         `json:"last_updated"`
}

// Validate checks a ClientInfo; errors are rooted at "client_info".
func (c *ClientInfo) Validate() error {
	v := &validator{}
	checkPartyID(v, "client_info.party_id", c.PartyID)
	checkCountryCode(v, "client_info.country_code", c.CountryCode)
	v.closedEnum("client_info.role", string(c.Role), c.Role.IsValid(), true)
	v.closedEnum("client_info.status", string(c.Status), c.Status.IsValid(), true)
	checkDateTime(v, "client_info.last_updated", c.LastUpdated)
	return v.err()
}
