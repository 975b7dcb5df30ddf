package ocpi

import (
	"encoding/json"
	"fmt"
)

// CommandType is the command in the URL of a Commands request, POST {commands_url}/{command}
// (closed enum).
type CommandType string

// CommandType values.
const (
	CommandTypeCancelReservation CommandType = "CANCEL_RESERVATION"
	CommandTypeReserveNow        CommandType = "RESERVE_NOW"
	CommandTypeStartSession      CommandType = "START_SESSION"
	CommandTypeStopSession       CommandType = "STOP_SESSION"
	CommandTypeUnlockConnector   CommandType = "UNLOCK_CONNECTOR"
)

// IsValid reports whether c is one of the defined values.
func (c CommandType) IsValid() bool {
	switch c {
	case CommandTypeCancelReservation, CommandTypeReserveNow, CommandTypeStartSession,
		CommandTypeStopSession, CommandTypeUnlockConnector:
		return true
	}
	return false
}

// CommandResponseType is the CPO's synchronous answer to a command (closed enum).
type CommandResponseType string

// CommandResponseType values.
const (
	CommandResponseNotSupported   CommandResponseType = "NOT_SUPPORTED"
	CommandResponseRejected       CommandResponseType = "REJECTED"
	CommandResponseAccepted       CommandResponseType = "ACCEPTED"
	CommandResponseUnknownSession CommandResponseType = "UNKNOWN_SESSION"
)

// IsValid reports whether r is one of the defined values.
func (r CommandResponseType) IsValid() bool {
	switch r {
	case CommandResponseNotSupported, CommandResponseRejected, CommandResponseAccepted,
		CommandResponseUnknownSession:
		return true
	}
	return false
}

// CommandResultType is the outcome of a command at the charger, POSTed to the response_url
// (closed enum).
type CommandResultType string

// CommandResultType values.
const (
	CommandResultAccepted            CommandResultType = "ACCEPTED"
	CommandResultCanceledReservation CommandResultType = "CANCELED_RESERVATION"
	CommandResultEVSEOccupied        CommandResultType = "EVSE_OCCUPIED"
	CommandResultEVSEInoperative     CommandResultType = "EVSE_INOPERATIVE"
	CommandResultFailed              CommandResultType = "FAILED"
	CommandResultNotSupported        CommandResultType = "NOT_SUPPORTED"
	CommandResultRejected            CommandResultType = "REJECTED"
	CommandResultTimeout             CommandResultType = "TIMEOUT"
	CommandResultUnknownReservation  CommandResultType = "UNKNOWN_RESERVATION"
)

// IsValid reports whether r is one of the defined values.
func (r CommandResultType) IsValid() bool {
	switch r {
	case CommandResultAccepted, CommandResultCanceledReservation, CommandResultEVSEOccupied,
		CommandResultEVSEInoperative, CommandResultFailed, CommandResultNotSupported,
		CommandResultRejected, CommandResultTimeout, CommandResultUnknownReservation:
		return true
	}
	return false
}

// CommandRequest is the body of one of the five commands.
type CommandRequest interface {
	// Command returns the command this body belongs to.
	Command() CommandType
	// responseURL returns where the CommandResult is to be POSTed.
	responseURL() string
	// Validate checks the body; errors are rooted at the snake_case name of the body type.
	Validate() error
}

// StartSession is the body of START_SESSION. The token is pre-authorized by the eMSP.
type StartSession struct {
	ResponseURL            string `json:"response_url"`                      // URL
	Token                  Token  `json:"token"`                             // complete Token
	LocationID             string `json:"location_id"`                       // CiString(36)
	EvseUID                string `json:"evse_uid,omitempty"`                // CiString(36); required with connector_id
	ConnectorID            string `json:"connector_id,omitempty"`            // CiString(36)
	AuthorizationReference string `json:"authorization_reference,omitempty"` // CiString(36)
}

// StopSession is the body of STOP_SESSION.
type StopSession struct {
	ResponseURL string `json:"response_url"` // URL
	SessionID   string `json:"session_id"`   // CiString(36)
}

// ReserveNow is the body of RESERVE_NOW. The token is pre-authorized by the eMSP.
type ReserveNow struct {
	ResponseURL            string   `json:"response_url"`                      // URL; also for CANCELED_RESERVATION
	Token                  Token    `json:"token"`                             // complete Token
	ExpiryDate             DateTime `json:"expiry_date"`                       // end of the reservation
	ReservationID          string   `json:"reservation_id"`                    // CiString(36), eMSP's id
	LocationID             string   `json:"location_id"`                       // CiString(36)
	EvseUID                string   `json:"evse_uid,omitempty"`                // CiString(36); absent: any EVSE
	AuthorizationReference string   `json:"authorization_reference,omitempty"` // CiString(36)
}

// CancelReservation is the body of CANCEL_RESERVATION.
type CancelReservation struct {
	ResponseURL   string `json:"response_url"`   // URL
	ReservationID string `json:"reservation_id"` // CiString(36)
}

// UnlockConnector is the body of UNLOCK_CONNECTOR.
type UnlockConnector struct {
	ResponseURL string `json:"response_url"` // URL
	LocationID  string `json:"location_id"`  // CiString(36)
	EvseUID     string `json:"evse_uid"`     // CiString(36)
	ConnectorID string `json:"connector_id"` // CiString(36)
}

// CommandResponse is the CPO's synchronous answer to a command (the "data" of the response).
type CommandResponse struct {
	Result  CommandResponseType `json:"result"`
	Timeout int                 `json:"timeout"` // seconds until the CommandResult can be expected
	Message []DisplayText       `json:"message,omitempty"`
}

// CommandResult is the asynchronous outcome of a command, POSTed to its response_url.
type CommandResult struct {
	Result  CommandResultType `json:"result"`
	Message []DisplayText     `json:"message,omitempty"`
}

// Command implements CommandRequest.
func (*StartSession) Command() CommandType { return CommandTypeStartSession }

// Command implements CommandRequest.
func (*StopSession) Command() CommandType { return CommandTypeStopSession }

// Command implements CommandRequest.
func (*ReserveNow) Command() CommandType { return CommandTypeReserveNow }

// Command implements CommandRequest.
func (*CancelReservation) Command() CommandType { return CommandTypeCancelReservation }

// Command implements CommandRequest.
func (*UnlockConnector) Command() CommandType { return CommandTypeUnlockConnector }

func (c *StartSession) responseURL() string      { return c.ResponseURL }
func (c *StopSession) responseURL() string       { return c.ResponseURL }
func (c *ReserveNow) responseURL() string        { return c.ResponseURL }
func (c *CancelReservation) responseURL() string { return c.ResponseURL }
func (c *UnlockConnector) responseURL() string   { return c.ResponseURL }

// CommandResponseURL returns the response_url of a command body: where its CommandResult is to be
// POSTed.
func CommandResponseURL(c CommandRequest) string { return c.responseURL() }

// NewCommandRequest returns an empty body for the command, or an error for an unknown command.
func NewCommandRequest(c CommandType) (CommandRequest, error) {
	switch c {
	case CommandTypeStartSession:
		return &StartSession{}, nil
	case CommandTypeStopSession:
		return &StopSession{}, nil
	case CommandTypeReserveNow:
		return &ReserveNow{}, nil
	case CommandTypeCancelReservation:
		return &CancelReservation{}, nil
	case CommandTypeUnlockConnector:
		return &UnlockConnector{}, nil
	}
	return nil, fmt.Errorf("ocpi: unknown command %q", c)
}

// DecodeCommand decodes the JSON body of the given command (unknown fields are ignored). It does
// not validate the body: call Validate on the result.
func DecodeCommand(c CommandType, body []byte) (CommandRequest, error) {
	req, err := NewCommandRequest(c)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(body, req); err != nil {
		return nil, fmt.Errorf("ocpi: decode %s: %w", c, err)
	}
	return req, nil
}

// Validate checks a StartSession; errors are rooted at "start_session".
func (c *StartSession) Validate() error {
	v := &validator{}
	p := "start_session"
	checkURL(v, p+".response_url", c.ResponseURL, true)
	c.Token.validate(v, p+".token")
	v.ciString(p+".location_id", c.LocationID, 36, true)
	v.ciString(p+".evse_uid", c.EvseUID, 36, false)
	v.ciString(p+".connector_id", c.ConnectorID, 36, false)
	if c.ConnectorID != "" && c.EvseUID == "" {
		v.add(p+".evse_uid", "required when connector_id is set")
	}
	v.ciString(p+".authorization_reference", c.AuthorizationReference, 36, false)
	return v.err()
}

// Validate checks a StopSession; errors are rooted at "stop_session".
func (c *StopSession) Validate() error {
	v := &validator{}
	checkURL(v, "stop_session.response_url", c.ResponseURL, true)
	v.ciString("stop_session.session_id", c.SessionID, 36, true)
	return v.err()
}

// Validate checks a ReserveNow; errors are rooted at "reserve_now".
func (c *ReserveNow) Validate() error {
	v := &validator{}
	p := "reserve_now"
	checkURL(v, p+".response_url", c.ResponseURL, true)
	c.Token.validate(v, p+".token")
	checkDateTime(v, p+".expiry_date", c.ExpiryDate)
	v.ciString(p+".reservation_id", c.ReservationID, 36, true)
	v.ciString(p+".location_id", c.LocationID, 36, true)
	v.ciString(p+".evse_uid", c.EvseUID, 36, false)
	v.ciString(p+".authorization_reference", c.AuthorizationReference, 36, false)
	return v.err()
}

// Validate checks a CancelReservation; errors are rooted at "cancel_reservation".
func (c *CancelReservation) Validate() error {
	v := &validator{}
	checkURL(v, "cancel_reservation.response_url", c.ResponseURL, true)
	v.ciString("cancel_reservation.reservation_id", c.ReservationID, 36, true)
	return v.err()
}

// Validate checks an UnlockConnector; errors are rooted at "unlock_connector".
func (c *UnlockConnector) Validate() error {
	v := &validator{}
	p := "unlock_connector"
	checkURL(v, p+".response_url", c.ResponseURL, true)
	v.ciString(p+".location_id", c.LocationID, 36, true)
	v.ciString(p+".evse_uid", c.EvseUID, 36, true)
	v.ciString(p+".connector_id", c.ConnectorID, 36, true)
	return v.err()
}

// Validate checks a CommandResponse; errors are rooted at "command_response". A timeout of 0
// cannot be told apart from a missing one and is accepted (e.g. with REJECTED).
func (r *CommandResponse) Validate() error {
	v := &validator{}
	v.closedEnum("command_response.result", string(r.Result), r.Result.IsValid(), true)
	if r.Timeout < 0 {
		v.add("command_response.timeout", "must not be negative, got %d", r.Timeout)
	}
	checkDisplayTexts(v, "command_response.message", r.Message)
	return v.err()
}

// Validate checks a CommandResult; errors are rooted at "command_result".
func (r *CommandResult) Validate() error {
	v := &validator{}
	v.closedEnum("command_result.result", string(r.Result), r.Result.IsValid(), true)
	checkDisplayTexts(v, "command_result.message", r.Message)
	return v.err()
}
