package v201

import "github.com/chargehub/hub/ocpp/wire"

// Functional block G: Availability.

// ChangeAvailabilityRequest is ChangeAvailability.req (CSMS → Charger). Without EVSE the
// whole station changes; an EVSE without ConnectorID means all its connectors.
type ChangeAvailabilityRequest struct {
	CustomData        *CustomData       `json:"customData,omitempty"`
	EVSE              *EVSE             `json:"evse,omitempty"`
	OperationalStatus OperationalStatus `json:"operationalStatus" ocpp:"required"`
}

// ChangeAvailabilityResponse is ChangeAvailability.conf. Scheduled (after the running
// transaction) is a success.
type ChangeAvailabilityResponse struct {
	CustomData *CustomData              `json:"customData,omitempty"`
	Status     ChangeAvailabilityStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo              `json:"statusInfo,omitempty"`
}

// HeartbeatRequest is Heartbeat.req (Charger → CSMS); its payload is empty.
type HeartbeatRequest struct {
	CustomData *CustomData `json:"customData,omitempty"`
}

// HeartbeatResponse is Heartbeat.conf.
type HeartbeatResponse struct {
	CustomData  *CustomData   `json:"customData,omitempty"`
	CurrentTime wire.DateTime `json:"currentTime" ocpp:"required"`
}

// StatusNotificationRequest is StatusNotification.req (Charger → CSMS): the status of one
// connector of one EVSE. Charging detail comes from TransactionEvent.chargingState.
type StatusNotificationRequest struct {
	CustomData      *CustomData     `json:"customData,omitempty"`
	Timestamp       wire.DateTime   `json:"timestamp" ocpp:"required"`
	ConnectorStatus ConnectorStatus `json:"connectorStatus" ocpp:"required"`
	EVSEID          int             `json:"evseId" ocpp:"required"`
	ConnectorID     int             `json:"connectorId" ocpp:"required"`
}

// StatusNotificationResponse is StatusNotification.conf; its payload is empty.
type StatusNotificationResponse struct {
	CustomData *CustomData `json:"customData,omitempty"`
}
