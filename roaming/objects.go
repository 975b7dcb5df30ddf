package roaming

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/chargehub/hub/ocpi"
)

// Location is a Location the CPO publishes, with the charging stations whose EVSEs belong to
// it (the OCPP→OCPI mapping fills the EVSEs from them).
type Location struct {
	OCPI       ocpi.Location
	StationIDs []string
	// Connectors holds the operator's connector defaults per station id (see ConnectorDefaults);
	// a station without an entry has none.
	Connectors map[string]ConnectorDefaults
	// ConfiguredAt is when an operator last saved the location (zero for locations stored before
	// it was recorded); the EVSEs generated from the stations count their configuration from it.
	ConfiguredAt time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// Version counts the saves of the location (set by the store; 0 before the first save). A
	// location read at a version stays exactly as read while the version stands.
	Version int64
}

// Visible reports whether partners may see the location: published, or unpublished but
// restricted to listed tokens (partners then filter by token). A location with publish false and
// no publish_allowed_to is private: it is neither served nor pushed.
func (l *Location) Visible() bool { return l.OCPI.Publish || len(l.OCPI.PublishAllowedTo) > 0 }

// StoredToken is a Token an eMSP pushed to us or we pulled from it.
type StoredToken struct {
	PartnerID int64 // the partner it came from
	Token     ocpi.Token
	UpdatedAt time.Time // when the hub stored it
}

// TokenKey identifies a Token: owner party, uid and type (case-insensitive).
type TokenKey struct {
	Party Party
	UID   string
	Type  ocpi.TokenType // "" is read as RFID
}

// Norm returns the key as the store indexes it: upper case, type defaulted to RFID.
func (k TokenKey) Norm() TokenKey {
	if k.Type == "" {
		k.Type = ocpi.TokenTypeRFID
	}
	return TokenKey{Party: k.Party.Norm(), UID: strings.ToUpper(k.UID), Type: ocpi.TokenType(strings.ToUpper(string(k.Type)))}
}

// KeyOf returns the key of t.
func KeyOf(t *ocpi.Token) TokenKey {
	return TokenKey{Party: Party{CountryCode: t.CountryCode, PartyID: t.PartyID}, UID: t.UID, Type: t.Type}
}

// TokenFilter selects stored tokens.
type TokenFilter struct {
	PartnerID int64 // 0 = any
	UID       string
	Offset    int
	Limit     int
}

// ObjectFilter selects published objects for a partner's GET list: by last_updated in
// [DateFrom, DateTo) and, for Sessions and CDRs, by token owner.
type ObjectFilter struct {
	DateFrom *time.Time
	DateTo   *time.Time
	// Restrict limits Sessions and CDRs to those whose token owner is in Owners (an empty list
	// then matches nothing). Ignored for Locations and Tariffs.
	Restrict bool
	Owners   []Party
	// VisibleOnly limits Locations to visible ones (see Location.Visible).
	VisibleOnly bool
	Offset      int
	Limit       int // 0 = no limit
}

// CommandStatus is the lifecycle of a command or charging-profile request.
type CommandStatus string

// Command states.
const (
	CommandPending CommandStatus = "pending" // handed to the executor, result expected
	CommandDone    CommandStatus = "done"    // result sent (or none expected)
)

// Command kinds besides the five ocpi.CommandType values.
const (
	KindSetChargingProfile   = "SET_CHARGING_PROFILE"
	KindGetChargingProfile   = "GET_CHARGING_PROFILE"
	KindClearChargingProfile = "CLEAR_CHARGING_PROFILE"
)

// Command is a command or charging-profile request a partner sent, kept until its result is
// POSTed to ResponseURL.
type Command struct {
	ID            string // hub-generated
	PartnerID     int64
	From          Party  // the requesting party (OCPI-from-*, else the partner's primary party)
	Kind          string // an ocpi.CommandType or one of the Kind* charging profile kinds
	Ref           string // session id (STOP_SESSION, profiles) or reservation id (reservations)
	ResponseURL   string
	Request       json.RawMessage // the request body as received
	Response      string          // the synchronous answer (CommandResponseType / ChargingProfileResponseType)
	Result        string          // the asynchronous result, once sent
	CorrelationID string
	Status        CommandStatus
	ExpiresAt     time.Time // when a missing result becomes TIMEOUT
	CreatedAt     time.Time
	UpdatedAt     time.Time
}
