package charging

import "time"

// Protocol is the OCPP version a station speaks on its current (or last) connection.
type Protocol string

// Supported protocols, spelled as their WebSocket subprotocol names.
const (
	OCPP16  Protocol = "ocpp1.6"
	OCPP201 Protocol = "ocpp2.0.1"
)

// Registration is the answer the hub gives a station's BootNotification.
type Registration string

// Registration states.
const (
	RegistrationAccepted Registration = "Accepted"
	RegistrationPending  Registration = "Pending"
	RegistrationRejected Registration = "Rejected"
)

// Station is a charging station (1.6 Charge Point / 2.0.1 Charging Station).
type Station struct {
	ID                string // OCPP identity, the last path segment of its URL
	Vendor            string
	Model             string
	SerialNumber      string // 1.6 chargePointSerialNumber / 2.0.1 serialNumber
	ChargeBoxSerial   string // 1.6 chargeBoxSerialNumber
	FirmwareVersion   string
	ICCID             string
	IMSI              string
	MeterType         string
	MeterSerialNumber string
	Protocol          Protocol
	Registration      Registration // what the next BootNotification is answered with
	AcceptedAt        *time.Time   // first time the hub accepted the station; gates pre-boot traffic
	SecurityProfile   int          // 0 none, 1 Basic over ws, 2 Basic over TLS, 3 client certificate
	PasswordHash      string       // salted hash of the Basic-auth password; "" = none
	Online            bool         // a socket is open on this hub
	LastSeen          *time.Time   // last frame received
	LastBootAt        *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time

	ExpectedCN          string         // profile 3: the client-certificate CN to expect when it is not the id
	PendingPasswordHash string         // a password pushed to the station, accepted once it confirmed or used it
	ClockOffset         *time.Duration // hub time minus station time, from live messages
}

// EverAccepted reports whether the station was accepted by the hub at least once; such a
// station is accepted on any new connection without a new BootNotification.
func (s Station) EverAccepted() bool { return s.AcceptedAt != nil }

// ConnectorStatus is the hub's unified connector state (1.6 ChargePointStatus; 2.0.1
// ConnectorStatusEnumType values map onto it).
type ConnectorStatus string

// Connector states (1.6 names; 2.0.1 Occupied is stored as Occupied).
const (
	StatusAvailable     ConnectorStatus = "Available"
	StatusPreparing     ConnectorStatus = "Preparing"
	StatusCharging      ConnectorStatus = "Charging"
	StatusSuspendedEVSE ConnectorStatus = "SuspendedEVSE"
	StatusSuspendedEV   ConnectorStatus = "SuspendedEV"
	StatusFinishing     ConnectorStatus = "Finishing"
	StatusReserved      ConnectorStatus = "Reserved"
	StatusUnavailable   ConnectorStatus = "Unavailable"
	StatusFaulted       ConnectorStatus = "Faulted"
	StatusOccupied      ConnectorStatus = "Occupied"
)

// Connector is one connector of one EVSE. A 1.6 connector N is EVSE N / connector 1; the
// 1.6 connector 0 (the station as a whole) is EVSE 0 / connector 0.
type Connector struct {
	StationID       string
	EVSEID          int
	ConnectorID     int
	Status          ConnectorStatus
	ErrorCode       string
	Info            string
	VendorID        string
	VendorErrorCode string
	StatusAt        time.Time // the station's timestamp of the status (receive time if absent)
	UpdatedAt       time.Time // when the hub stored it
}

// StationFilter selects stations for listing.
type StationFilter struct {
	Online *bool
	Offset int
	Limit  int // 0 = no limit
}

// DeviceVariable is one attribute of one variable of one component of a 2.0.1 station's
// device model, as reported by NotifyReport (and kept current by GetVariables/SetVariables).
type DeviceVariable struct {
	StationID          string
	Component          string
	ComponentInstance  string
	EVSEID             int // 0 = not EVSE-specific
	ConnectorID        int // 0 = not connector-specific
	Variable           string
	VariableInstance   string
	AttributeType      string // Actual, Target, MinSet, MaxSet
	Value              string
	Mutability         string
	Persistent         bool
	Constant           bool
	DataType           string
	Unit               string
	MinLimit           *string // decimal text
	MaxLimit           *string
	ValuesList         string
	SupportsMonitoring bool
	UpdatedAt          time.Time
}

// DeviceFilter narrows a device-model query; empty fields do not filter.
type DeviceFilter struct {
	Component string
	Variable  string
	EVSEID    *int
}

// StationEvent is a notification a station sent that the hub keeps as history:
// firmware and diagnostics status, security events, vendor DataTransfer payloads.
type StationEvent struct {
	ID        int64
	StationID string
	Kind      string    // e.g. FirmwareStatusNotification, DiagnosticsStatusNotification, DataTransfer, SecurityEventNotification
	Status    string    // the status or type the event carried
	Detail    string    // JSON of the rest of the payload
	At        time.Time // the station's timestamp, or receive time
}

// ConnectRequest is what the hub knows of a station's WebSocket upgrade request.
type ConnectRequest struct {
	StationID     string
	Protocol      Protocol
	HasBasic      bool   // an Authorization: Basic header was sent
	BasicUser     string // its user name
	BasicPassword []byte // its password, as bytes (1.6 keys may be binary)
	TLS           bool   // the request came over TLS
	ClientCertCN  string // CN of a verified client certificate ("" = none)
	RemoteAddr    string
}
