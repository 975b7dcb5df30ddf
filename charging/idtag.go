package charging

import "time"

// AuthStatus is the authorization verdict for an id tag (1.6 AuthorizationStatus names).
type AuthStatus string

// Authorization states.
const (
	AuthAccepted     AuthStatus = "Accepted"
	AuthBlocked      AuthStatus = "Blocked"
	AuthExpired      AuthStatus = "Expired"
	AuthInvalid      AuthStatus = "Invalid"
	AuthConcurrentTx AuthStatus = "ConcurrentTx"
	AuthUnknown      AuthStatus = "Unknown" // not known to the hub (1.6 answers Invalid)
)

// IDTag is a token the hub authorizes (RFID uid, app user, contract id).
type IDTag struct {
	IDTag       string
	Status      AuthStatus
	ExpiryDate  *time.Time
	ParentIDTag string
	UpdatedAt   time.Time
}

// AuthInfo is the verdict returned to a station.
type AuthInfo struct {
	Status      AuthStatus
	ExpiryDate  *time.Time
	ParentIDTag string
}
