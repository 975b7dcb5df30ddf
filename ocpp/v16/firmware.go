package v16

import "github.com/chargehub/hub/ocpp/wire"

// DiagnosticsStatusNotificationRequest is DiagnosticsStatusNotification.req (Charger → CSMS).
type DiagnosticsStatusNotificationRequest struct {
	Status DiagnosticsStatus `json:"status" ocpp:"required"`
}

// DiagnosticsStatusNotificationResponse is DiagnosticsStatusNotification.conf; its payload is empty.
type DiagnosticsStatusNotificationResponse struct{}

// FirmwareStatusNotificationRequest is FirmwareStatusNotification.req (Charger → CSMS).
type FirmwareStatusNotificationRequest struct {
	Status FirmwareStatus `json:"status" ocpp:"required"`
}

// FirmwareStatusNotificationResponse is FirmwareStatusNotification.conf; its payload is empty.
type FirmwareStatusNotificationResponse struct{}

// GetDiagnosticsRequest is GetDiagnostics.req (CSMS → Charger).
type GetDiagnosticsRequest struct {
	// Location is the absolute URI the station uploads the diagnostics file to.
	Location      string         `json:"location" ocpp:"required,uri"`
	Retries       *int           `json:"retries,omitempty"`
	RetryInterval *int           `json:"retryInterval,omitempty"`
	StartTime     *wire.DateTime `json:"startTime,omitempty"`
	StopTime      *wire.DateTime `json:"stopTime,omitempty"`
}

// GetDiagnosticsResponse is GetDiagnostics.conf. An empty FileName means no file will be uploaded.
type GetDiagnosticsResponse struct {
	FileName string `json:"fileName,omitempty" ocpp:"max=255"`
}

// UpdateFirmwareRequest is UpdateFirmware.req (CSMS → Charger).
type UpdateFirmwareRequest struct {
	// Location is the absolute URI of the firmware image.
	Location      string        `json:"location" ocpp:"required,uri"`
	Retries       *int          `json:"retries,omitempty"`
	RetrieveDate  wire.DateTime `json:"retrieveDate" ocpp:"required"`
	RetryInterval *int          `json:"retryInterval,omitempty"`
}

// UpdateFirmwareResponse is UpdateFirmware.conf; its payload is empty.
type UpdateFirmwareResponse struct{}
