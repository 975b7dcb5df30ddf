package v201

// Functional block F: RemoteControl.

// RequestStartTransactionRequest is RequestStartTransaction.req (CSMS → Charger). The
// station echoes RemoteStartID in the transactionInfo of its TransactionEvents, which is
// how the CSMS matches the remote start to the transaction.
type RequestStartTransactionRequest struct {
	CustomData      *CustomData      `json:"customData,omitempty"`
	EVSEID          *int             `json:"evseId,omitempty"`
	GroupIDToken    *IdToken         `json:"groupIdToken,omitempty"`
	IDToken         IdToken          `json:"idToken" ocpp:"required"`
	RemoteStartID   int              `json:"remoteStartId" ocpp:"required"`
	ChargingProfile *ChargingProfile `json:"chargingProfile,omitempty"`
}

// RequestStartTransactionResponse is RequestStartTransaction.conf. TransactionID is set
// when a transaction was already running (e.g. started by cable plug-in).
type RequestStartTransactionResponse struct {
	CustomData    *CustomData            `json:"customData,omitempty"`
	Status        RequestStartStopStatus `json:"status" ocpp:"required"`
	StatusInfo    *StatusInfo            `json:"statusInfo,omitempty"`
	TransactionID string                 `json:"transactionId,omitempty" ocpp:"max=36"`
}

// RequestStopTransactionRequest is RequestStopTransaction.req (CSMS → Charger).
type RequestStopTransactionRequest struct {
	CustomData    *CustomData `json:"customData,omitempty"`
	TransactionID string      `json:"transactionId" ocpp:"required,max=36"`
}

// RequestStopTransactionResponse is RequestStopTransaction.conf.
type RequestStopTransactionResponse struct {
	CustomData *CustomData            `json:"customData,omitempty"`
	Status     RequestStartStopStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo            `json:"statusInfo,omitempty"`
}

// TriggerMessageRequest is TriggerMessage.req (CSMS → Charger).
type TriggerMessageRequest struct {
	CustomData       *CustomData    `json:"customData,omitempty"`
	EVSE             *EVSE          `json:"evse,omitempty"`
	RequestedMessage MessageTrigger `json:"requestedMessage" ocpp:"required"`
}

// TriggerMessageResponse is TriggerMessage.conf.
type TriggerMessageResponse struct {
	CustomData *CustomData          `json:"customData,omitempty"`
	Status     TriggerMessageStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo          `json:"statusInfo,omitempty"`
}

// UnlockConnectorRequest is UnlockConnector.req (CSMS → Charger).
type UnlockConnectorRequest struct {
	CustomData  *CustomData `json:"customData,omitempty"`
	EVSEID      int         `json:"evseId" ocpp:"required"`
	ConnectorID int         `json:"connectorId" ocpp:"required"`
}

// UnlockConnectorResponse is UnlockConnector.conf.
type UnlockConnectorResponse struct {
	CustomData *CustomData  `json:"customData,omitempty"`
	Status     UnlockStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo  `json:"statusInfo,omitempty"`
}
