package v16

// TriggerMessageRequest is TriggerMessage.req (CSMS → Charger).
type TriggerMessageRequest struct {
	RequestedMessage MessageTrigger `json:"requestedMessage" ocpp:"required"`
	ConnectorID      *int           `json:"connectorId,omitempty"`
}

// TriggerMessageResponse is TriggerMessage.conf.
type TriggerMessageResponse struct {
	Status TriggerMessageStatus `json:"status" ocpp:"required"`
}
