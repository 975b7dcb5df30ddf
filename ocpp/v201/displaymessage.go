package v201

import (
	"encoding/json"

	"github.com/chargehub/hub/ocpp/wire"
)

// Functional blocks O (DisplayMessage) and P (DataTransfer).

// MessageInfo is the 2.0.1 MessageInfoType: a message to show on a station display.
type MessageInfo struct {
	CustomData *CustomData `json:"customData,omitempty"`
	// Display names the display component; absent means all displays.
	Display       *Component      `json:"display,omitempty"`
	ID            int             `json:"id" ocpp:"required"`
	Priority      MessagePriority `json:"priority" ocpp:"required"`
	State         MessageState    `json:"state,omitempty"`
	StartDateTime *wire.DateTime  `json:"startDateTime,omitempty"`
	EndDateTime   *wire.DateTime  `json:"endDateTime,omitempty"`
	// TransactionID limits the message to the lifetime of that transaction.
	TransactionID string         `json:"transactionId,omitempty" ocpp:"max=36"`
	Message       MessageContent `json:"message" ocpp:"required"`
}

// ClearDisplayMessageRequest is ClearDisplayMessage.req (CSMS → Charger).
type ClearDisplayMessageRequest struct {
	CustomData *CustomData `json:"customData,omitempty"`
	ID         int         `json:"id" ocpp:"required"`
}

// ClearDisplayMessageResponse is ClearDisplayMessage.conf.
type ClearDisplayMessageResponse struct {
	CustomData *CustomData        `json:"customData,omitempty"`
	Status     ClearMessageStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo        `json:"statusInfo,omitempty"`
}

// GetDisplayMessagesRequest is GetDisplayMessages.req (CSMS → Charger); the messages
// arrive as NotifyDisplayMessages carrying the same requestId.
type GetDisplayMessagesRequest struct {
	CustomData *CustomData     `json:"customData,omitempty"`
	ID         []int           `json:"id,omitempty" ocpp:"min=1"`
	RequestID  int             `json:"requestId" ocpp:"required"`
	Priority   MessagePriority `json:"priority,omitempty"`
	State      MessageState    `json:"state,omitempty"`
}

// GetDisplayMessagesResponse is GetDisplayMessages.conf.
type GetDisplayMessagesResponse struct {
	CustomData *CustomData              `json:"customData,omitempty"`
	Status     GetDisplayMessagesStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo              `json:"statusInfo,omitempty"`
}

// NotifyDisplayMessagesRequest is NotifyDisplayMessages.req (Charger → CSMS); TBC true
// (absent means false) means more parts follow.
type NotifyDisplayMessagesRequest struct {
	CustomData  *CustomData   `json:"customData,omitempty"`
	MessageInfo []MessageInfo `json:"messageInfo,omitempty" ocpp:"min=1"`
	RequestID   int           `json:"requestId" ocpp:"required"`
	TBC         *bool         `json:"tbc,omitempty"`
}

// NotifyDisplayMessagesResponse is NotifyDisplayMessages.conf; its payload is empty.
type NotifyDisplayMessagesResponse struct {
	CustomData *CustomData `json:"customData,omitempty"`
}

// SetDisplayMessageRequest is SetDisplayMessage.req (CSMS → Charger).
type SetDisplayMessageRequest struct {
	CustomData *CustomData `json:"customData,omitempty"`
	Message    MessageInfo `json:"message" ocpp:"required"`
}

// SetDisplayMessageResponse is SetDisplayMessage.conf.
type SetDisplayMessageResponse struct {
	CustomData *CustomData          `json:"customData,omitempty"`
	Status     DisplayMessageStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo          `json:"statusInfo,omitempty"`
}

// DataTransferRequest is DataTransfer.req (either direction). Data is any JSON value,
// kept verbatim.
type DataTransferRequest struct {
	CustomData *CustomData     `json:"customData,omitempty"`
	MessageID  string          `json:"messageId,omitempty" ocpp:"max=50"`
	Data       json.RawMessage `json:"data,omitempty"`
	VendorID   string          `json:"vendorId" ocpp:"required,max=255"`
}

// DataTransferResponse is DataTransfer.conf.
type DataTransferResponse struct {
	CustomData *CustomData        `json:"customData,omitempty"`
	Status     DataTransferStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo        `json:"statusInfo,omitempty"`
	Data       json.RawMessage    `json:"data,omitempty"`
}
