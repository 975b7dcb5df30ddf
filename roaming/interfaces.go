package roaming

import (
	"context"
	"encoding/json"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// Peer is how the domain reaches another OCPI platform during registration and token pulls
// (ocpi/client implements it). Errors are returned as they come; the Service classifies them.
type Peer interface {
	// Versions GETs a versions list. With EncodingAuto the Base64 form is tried first and, on
	// HTTP 401, the raw form once; the encoding that worked is returned.
	Versions(ctx context.Context, url string, cred Credential) ([]ocpi.Version, TokenEncoding, error)
	// VersionDetails GETs a version details endpoint.
	VersionDetails(ctx context.Context, url string, cred Credential) (ocpi.VersionDetails, error)
	// PostCredentials registers (POST), PutCredentials updates (PUT) and DeleteCredentials
	// unregisters (DELETE) at a credentials endpoint.
	PostCredentials(ctx context.Context, url string, cred Credential, c ocpi.Credentials) (ocpi.Credentials, error)
	PutCredentials(ctx context.Context, url string, cred Credential, c ocpi.Credentials) (ocpi.Credentials, error)
	DeleteCredentials(ctx context.Context, url string, cred Credential) error
	// PullList GETs a paginated Sender list, following the Link headers, and calls fn with the
	// raw objects of each page in order. An error from fn stops the pull.
	PullList(ctx context.Context, req PullRequest, fn func(page []json.RawMessage) error) error
}

// PullRequest is a paginated GET of a partner's Sender interface.
type PullRequest struct {
	URL      string
	Cred     Credential
	From, To Party // routing headers
	DateFrom *time.Time
	DateTo   *time.Time
	Limit    int // page size asked for; 0 = the server's default
}

// StationLookup tells whether a charging station exists (charging.Store implements it).
type StationLookup interface {
	GetStation(ctx context.Context, id string) (charging.Station, error)
}

// CommandRequest is what the domain hands to a CommandExecutor: the stored command (its ID is
// what CommandResult takes), the partner that sent it and the resolved location.
type CommandRequest struct {
	Command  Command
	Partner  Partner
	Location *Location // START_SESSION, RESERVE_NOW, UNLOCK_CONNECTOR
	Session  *ocpi.Session
}

// CommandExecutor carries partner commands to the chargers (written with the OCPP→OCPI mapping).
// Each method answers synchronously; ACCEPTED means a result will follow through
// Service.CommandResult(ctx, req.Command.ID, ...). Any other answer closes the command. When no
// executor is configured, every command is answered NOT_SUPPORTED.
type CommandExecutor interface {
	StartSession(ctx context.Context, req CommandRequest, cmd ocpi.StartSession) (ocpi.CommandResponseType, error)
	StopSession(ctx context.Context, req CommandRequest, cmd ocpi.StopSession) (ocpi.CommandResponseType, error)
	ReserveNow(ctx context.Context, req CommandRequest, cmd ocpi.ReserveNow) (ocpi.CommandResponseType, error)
	CancelReservation(ctx context.Context, req CommandRequest, cmd ocpi.CancelReservation) (ocpi.CommandResponseType, error)
	UnlockConnector(ctx context.Context, req CommandRequest, cmd ocpi.UnlockConnector) (ocpi.CommandResponseType, error)
}

// ChargingProfileExecutor carries smart-charging requests to the chargers. ACCEPTED means a
// result follows through Service.ChargingProfileResult(ctx, req.Command.ID, result). When none
// is configured, every request is answered NOT_SUPPORTED.
type ChargingProfileExecutor interface {
	SetChargingProfile(ctx context.Context, req CommandRequest, p ocpi.SetChargingProfile) (ocpi.ChargingProfileResponseType, error)
	GetActiveChargingProfile(ctx context.Context, req CommandRequest, duration int) (ocpi.ChargingProfileResponseType, error)
	ClearChargingProfile(ctx context.Context, req CommandRequest) (ocpi.ChargingProfileResponseType, error)
}

// IDs makes identifiers and secrets.
type IDs interface {
	// NewID returns a unique id (a UUID), used for commands and correlation ids.
	NewID() string
	// NewToken returns a fresh credentials token: at least 32 random printable ASCII characters.
	NewToken() string
}
