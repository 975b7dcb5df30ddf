package v201

import "github.com/chargehub/hub/ocpp/wire"

// Functional block L: FirmwareManagement.

// FirmwareStatusNotificationRequest is FirmwareStatusNotification.req (Charger → CSMS).
type FirmwareStatusNotificationRequest struct {
	CustomData *CustomData    `json:"customData,omitempty"`
	Status     FirmwareStatus `json:"status" ocpp:"required"`
	RequestID  *int           `json:"requestId,omitempty"`
}

// FirmwareStatusNotificationResponse is FirmwareStatusNotification.conf; its payload is empty.
type FirmwareStatusNotificationResponse struct {
	CustomData *CustomData `json:"customData,omitempty"`
}

// PublishFirmwareRequest is PublishFirmware.req (CSMS → Charger): publish a firmware
// file for other stations (a Local Controller).
type PublishFirmwareRequest struct {
	CustomData *CustomData `json:"customData,omitempty"`
	Location   string      `json:"location" ocpp:"required,max=512"`
	Retries    *int        `json:"retries,omitempty"`
	// Checksum is the file's MD5 checksum in hex.
	Checksum  string `json:"checksum" ocpp:"required,max=32"`
	RequestID int    `json:"requestId" ocpp:"required"`
	// RetryInterval is in seconds.
	RetryInterval *int `json:"retryInterval,omitempty"`
}

// PublishFirmwareResponse is PublishFirmware.conf.
type PublishFirmwareResponse struct {
	CustomData *CustomData   `json:"customData,omitempty"`
	Status     GenericStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo   `json:"statusInfo,omitempty"`
}

// PublishFirmwareStatusNotificationRequest is PublishFirmwareStatusNotification.req
// (Charger → CSMS). Location lists the URIs of the published file once Published.
type PublishFirmwareStatusNotificationRequest struct {
	CustomData *CustomData           `json:"customData,omitempty"`
	Status     PublishFirmwareStatus `json:"status" ocpp:"required"`
	Location   []string              `json:"location,omitempty" ocpp:"min=1,itemmax=512"`
	RequestID  *int                  `json:"requestId,omitempty"`
}

// PublishFirmwareStatusNotificationResponse is PublishFirmwareStatusNotification.conf;
// its payload is empty.
type PublishFirmwareStatusNotificationResponse struct {
	CustomData *CustomData `json:"customData,omitempty"`
}

// UnpublishFirmwareRequest is UnpublishFirmware.req (CSMS → Charger).
type UnpublishFirmwareRequest struct {
	CustomData *CustomData `json:"customData,omitempty"`
	// Checksum is the MD5 checksum (hex) of the published file.
	Checksum string `json:"checksum" ocpp:"required,max=32"`
}

// UnpublishFirmwareResponse is UnpublishFirmware.conf.
type UnpublishFirmwareResponse struct {
	CustomData *CustomData             `json:"customData,omitempty"`
	Status     UnpublishFirmwareStatus `json:"status" ocpp:"required"`
}

// Firmware is the 2.0.1 FirmwareType: what to download and when to install it.
type Firmware struct {
	CustomData       *CustomData    `json:"customData,omitempty"`
	Location         string         `json:"location" ocpp:"required,max=512"`
	RetrieveDateTime wire.DateTime  `json:"retrieveDateTime" ocpp:"required"`
	InstallDateTime  *wire.DateTime `json:"installDateTime,omitempty"`
	// SigningCertificate is the PEM-encoded certificate whose key signed the firmware.
	SigningCertificate string `json:"signingCertificate,omitempty" ocpp:"max=5500"`
	// Signature is the base64-encoded firmware signature.
	Signature string `json:"signature,omitempty" ocpp:"max=800"`
}

// UpdateFirmwareRequest is UpdateFirmware.req (CSMS → Charger).
type UpdateFirmwareRequest struct {
	CustomData *CustomData `json:"customData,omitempty"`
	Retries    *int        `json:"retries,omitempty"`
	// RetryInterval is in seconds.
	RetryInterval *int     `json:"retryInterval,omitempty"`
	RequestID     int      `json:"requestId" ocpp:"required"`
	Firmware      Firmware `json:"firmware" ocpp:"required"`
}

// UpdateFirmwareResponse is UpdateFirmware.conf.
type UpdateFirmwareResponse struct {
	CustomData *CustomData          `json:"customData,omitempty"`
	Status     UpdateFirmwareStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo          `json:"statusInfo,omitempty"`
}
