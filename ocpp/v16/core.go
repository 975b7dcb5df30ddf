// Package v16 is the OCPP 1.6J message set: request/response types, enums and the action catalogue.
package v16

import "github.com/chargehub/hub/ocpp/wire"

// IdTagInfo is the 1.6 IdTagInfo class: the authorization status of an idTag.
type IdTagInfo struct {
	ExpiryDate  *wire.DateTime      `json:"expiryDate,omitempty"`
	ParentIDTag string              `json:"parentIdTag,omitempty" ocpp:"max=20"`
	Status      AuthorizationStatus `json:"status" ocpp:"required"`
}

// AuthorizeRequest is Authorize.req (Charger → CSMS).
type AuthorizeRequest struct {
	IDTag string `json:"idTag" ocpp:"required,max=20"`
}

// AuthorizeResponse is Authorize.conf.
type AuthorizeResponse struct {
	IDTagInfo IdTagInfo `json:"idTagInfo" ocpp:"required"`
}

// BootNotificationRequest is BootNotification.req (Charger → CSMS).
type BootNotificationRequest struct {
	ChargePointVendor       string `json:"chargePointVendor" ocpp:"required,max=20"`
	ChargePointModel        string `json:"chargePointModel" ocpp:"required,max=20"`
	ChargePointSerialNumber string `json:"chargePointSerialNumber,omitempty" ocpp:"max=25"`
	ChargeBoxSerialNumber   string `json:"chargeBoxSerialNumber,omitempty" ocpp:"max=25"`
	FirmwareVersion         string `json:"firmwareVersion,omitempty" ocpp:"max=50"`
	ICCID                   string `json:"iccid,omitempty" ocpp:"max=20"`
	IMSI                    string `json:"imsi,omitempty" ocpp:"max=20"`
	MeterType               string `json:"meterType,omitempty" ocpp:"max=25"`
	MeterSerialNumber       string `json:"meterSerialNumber,omitempty" ocpp:"max=25"`
}

// BootNotificationResponse is BootNotification.conf.
type BootNotificationResponse struct {
	Status      RegistrationStatus `json:"status" ocpp:"required"`
	CurrentTime wire.DateTime      `json:"currentTime" ocpp:"required"`
	// Interval is the heartbeat interval (Accepted) or the retry wait (Pending/Rejected), in seconds.
	Interval int `json:"interval" ocpp:"required"`
}

// ChangeAvailabilityRequest is ChangeAvailability.req (CSMS → Charger).
type ChangeAvailabilityRequest struct {
	ConnectorID int              `json:"connectorId" ocpp:"required"`
	Type        AvailabilityType `json:"type" ocpp:"required"`
}

// ChangeAvailabilityResponse is ChangeAvailability.conf.
type ChangeAvailabilityResponse struct {
	Status AvailabilityStatus `json:"status" ocpp:"required"`
}

// ChangeConfigurationRequest is ChangeConfiguration.req (CSMS → Charger).
type ChangeConfigurationRequest struct {
	Key   string `json:"key" ocpp:"required,max=50"`
	Value string `json:"value" ocpp:"required,max=500"`
}

// ChangeConfigurationResponse is ChangeConfiguration.conf.
type ChangeConfigurationResponse struct {
	Status ConfigurationStatus `json:"status" ocpp:"required"`
}

// ClearCacheRequest is ClearCache.req (CSMS → Charger); its payload is empty.
type ClearCacheRequest struct{}

// ClearCacheResponse is ClearCache.conf.
type ClearCacheResponse struct {
	Status ClearCacheStatus `json:"status" ocpp:"required"`
}

// DataTransferRequest is DataTransfer.req (either direction).
type DataTransferRequest struct {
	VendorID  string `json:"vendorId" ocpp:"required,max=255"`
	MessageID string `json:"messageId,omitempty" ocpp:"max=50"`
	Data      string `json:"data,omitempty"`
}

// DataTransferResponse is DataTransfer.conf.
type DataTransferResponse struct {
	Status DataTransferStatus `json:"status" ocpp:"required"`
	Data   string             `json:"data,omitempty"`
}

// GetConfigurationRequest is GetConfiguration.req (CSMS → Charger). No keys means all keys.
type GetConfigurationRequest struct {
	Key []string `json:"key,omitempty" ocpp:"itemmax=50"`
}

// KeyValue is one configurationKey item of GetConfiguration.conf.
type KeyValue struct {
	Key      string `json:"key" ocpp:"required,max=50"`
	Readonly bool   `json:"readonly" ocpp:"required"`
	Value    string `json:"value,omitempty" ocpp:"max=500"`
}

// GetConfigurationResponse is GetConfiguration.conf.
type GetConfigurationResponse struct {
	ConfigurationKey []KeyValue `json:"configurationKey,omitempty"`
	UnknownKey       []string   `json:"unknownKey,omitempty" ocpp:"itemmax=50"`
}

// HeartbeatRequest is Heartbeat.req (Charger → CSMS); its payload is empty.
type HeartbeatRequest struct{}

// HeartbeatResponse is Heartbeat.conf.
type HeartbeatResponse struct {
	CurrentTime wire.DateTime `json:"currentTime" ocpp:"required"`
}

// SampledValue is the 1.6 SampledValue class. Value is a string in 1.6 (a JSON number
// is coerced in lenient mode with a type_number_value warning). In lenient mode an
// unknown context becomes Other, and unknown format, measurand, phase, location and
// unit values are kept verbatim (ocpp-field-quirks.md §5, §8), each with an
// enum_unknown warning; check them with a type's EnumValues before relying on them.
type SampledValue struct {
	Value     string         `json:"value" ocpp:"required"`
	Context   ReadingContext `json:"context,omitempty" ocpp:"fallback=Other"`
	Format    ValueFormat    `json:"format,omitempty" ocpp:"keepraw"`
	Measurand Measurand      `json:"measurand,omitempty" ocpp:"keepraw"`
	Phase     Phase          `json:"phase,omitempty" ocpp:"keepraw"`
	Location  Location       `json:"location,omitempty" ocpp:"keepraw"`
	Unit      UnitOfMeasure  `json:"unit,omitempty" ocpp:"keepraw"`
}

// MeterValue is the 1.6 MeterValue class: samples taken at one point in time.
type MeterValue struct {
	Timestamp    wire.DateTime  `json:"timestamp" ocpp:"required"`
	SampledValue []SampledValue `json:"sampledValue" ocpp:"required"`
}

// MeterValuesRequest is MeterValues.req (Charger → CSMS).
type MeterValuesRequest struct {
	ConnectorID   int          `json:"connectorId" ocpp:"required"`
	TransactionID *int         `json:"transactionId,omitempty"`
	MeterValue    []MeterValue `json:"meterValue" ocpp:"required"`
}

// MeterValuesResponse is MeterValues.conf; its payload is empty.
type MeterValuesResponse struct{}

// RemoteStartTransactionRequest is RemoteStartTransaction.req (CSMS → Charger).
type RemoteStartTransactionRequest struct {
	ConnectorID     *int             `json:"connectorId,omitempty"`
	IDTag           string           `json:"idTag" ocpp:"required,max=20"`
	ChargingProfile *ChargingProfile `json:"chargingProfile,omitempty"`
}

// RemoteStartTransactionResponse is RemoteStartTransaction.conf.
type RemoteStartTransactionResponse struct {
	Status RemoteStartStopStatus `json:"status" ocpp:"required"`
}

// RemoteStopTransactionRequest is RemoteStopTransaction.req (CSMS → Charger).
type RemoteStopTransactionRequest struct {
	TransactionID int `json:"transactionId" ocpp:"required"`
}

// RemoteStopTransactionResponse is RemoteStopTransaction.conf.
type RemoteStopTransactionResponse struct {
	Status RemoteStartStopStatus `json:"status" ocpp:"required"`
}

// ResetRequest is Reset.req (CSMS → Charger).
type ResetRequest struct {
	Type ResetType `json:"type" ocpp:"required"`
}

// ResetResponse is Reset.conf.
type ResetResponse struct {
	Status ResetStatus `json:"status" ocpp:"required"`
}

// StartTransactionRequest is StartTransaction.req (Charger → CSMS).
type StartTransactionRequest struct {
	ConnectorID   int           `json:"connectorId" ocpp:"required"`
	IDTag         string        `json:"idTag" ocpp:"required,max=20"`
	MeterStart    int           `json:"meterStart" ocpp:"required"`
	ReservationID *int          `json:"reservationId,omitempty"`
	Timestamp     wire.DateTime `json:"timestamp" ocpp:"required"`
}

// StartTransactionResponse is StartTransaction.conf.
type StartTransactionResponse struct {
	IDTagInfo     IdTagInfo `json:"idTagInfo" ocpp:"required"`
	TransactionID int       `json:"transactionId" ocpp:"required"`
}

// StatusNotificationRequest is StatusNotification.req (Charger → CSMS). In lenient mode
// an unknown errorCode becomes OtherError (warning enum_unknown with the raw value).
type StatusNotificationRequest struct {
	ConnectorID     int                  `json:"connectorId" ocpp:"required"`
	ErrorCode       ChargePointErrorCode `json:"errorCode" ocpp:"required,fallback=OtherError"`
	Info            string               `json:"info,omitempty" ocpp:"max=50"`
	Status          ChargePointStatus    `json:"status" ocpp:"required"`
	Timestamp       *wire.DateTime       `json:"timestamp,omitempty"`
	VendorID        string               `json:"vendorId,omitempty" ocpp:"max=255"`
	VendorErrorCode string               `json:"vendorErrorCode,omitempty" ocpp:"max=50"`
}

// StatusNotificationResponse is StatusNotification.conf; its payload is empty.
type StatusNotificationResponse struct{}

// StopTransactionRequest is StopTransaction.req (Charger → CSMS). In lenient mode an
// unknown reason becomes Other (warning enum_unknown with the raw value).
type StopTransactionRequest struct {
	IDTag           string        `json:"idTag,omitempty" ocpp:"max=20"`
	MeterStop       int           `json:"meterStop" ocpp:"required"`
	Timestamp       wire.DateTime `json:"timestamp" ocpp:"required"`
	TransactionID   int           `json:"transactionId" ocpp:"required"`
	Reason          Reason        `json:"reason,omitempty" ocpp:"fallback=Other"`
	TransactionData []MeterValue  `json:"transactionData,omitempty"`
}

// StopTransactionResponse is StopTransaction.conf.
type StopTransactionResponse struct {
	IDTagInfo *IdTagInfo `json:"idTagInfo,omitempty"`
}

// UnlockConnectorRequest is UnlockConnector.req (CSMS → Charger).
type UnlockConnectorRequest struct {
	ConnectorID int `json:"connectorId" ocpp:"required"`
}

// UnlockConnectorResponse is UnlockConnector.conf.
type UnlockConnectorResponse struct {
	Status UnlockStatus `json:"status" ocpp:"required"`
}
