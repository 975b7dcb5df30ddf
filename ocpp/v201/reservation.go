package v201

import "github.com/chargehub/hub/ocpp/wire"

// Functional blocks H (Reservation) and I (TariffAndCost).

// CancelReservationRequest is CancelReservation.req (CSMS → Charger).
type CancelReservationRequest struct {
	CustomData    *CustomData `json:"customData,omitempty"`
	ReservationID int         `json:"reservationId" ocpp:"required"`
}

// CancelReservationResponse is CancelReservation.conf.
type CancelReservationResponse struct {
	CustomData *CustomData             `json:"customData,omitempty"`
	Status     CancelReservationStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo             `json:"statusInfo,omitempty"`
}

// ReservationStatusUpdateRequest is ReservationStatusUpdate.req (Charger → CSMS): a
// reservation expired or was removed without being used.
type ReservationStatusUpdateRequest struct {
	CustomData              *CustomData             `json:"customData,omitempty"`
	ReservationID           int                     `json:"reservationId" ocpp:"required"`
	ReservationUpdateStatus ReservationUpdateStatus `json:"reservationUpdateStatus" ocpp:"required"`
}

// ReservationStatusUpdateResponse is ReservationStatusUpdate.conf; its payload is empty.
type ReservationStatusUpdateResponse struct {
	CustomData *CustomData `json:"customData,omitempty"`
}

// ReserveNowRequest is ReserveNow.req (CSMS → Charger). Without EVSEID any EVSE (of
// ConnectorType, when given) may be reserved.
type ReserveNowRequest struct {
	CustomData     *CustomData   `json:"customData,omitempty"`
	ID             int           `json:"id" ocpp:"required"`
	ExpiryDateTime wire.DateTime `json:"expiryDateTime" ocpp:"required"`
	ConnectorType  Connector     `json:"connectorType,omitempty"`
	IDToken        IdToken       `json:"idToken" ocpp:"required"`
	EVSEID         *int          `json:"evseId,omitempty"`
	GroupIDToken   *IdToken      `json:"groupIdToken,omitempty"`
}

// ReserveNowResponse is ReserveNow.conf.
type ReserveNowResponse struct {
	CustomData *CustomData      `json:"customData,omitempty"`
	Status     ReserveNowStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo      `json:"statusInfo,omitempty"`
}

// CostUpdatedRequest is CostUpdated.req (CSMS → Charger): the running cost of a
// transaction, taxes included, in TariffCostCtrlr.Currency.
type CostUpdatedRequest struct {
	CustomData    *CustomData `json:"customData,omitempty"`
	TotalCost     Decimal     `json:"totalCost" ocpp:"required"`
	TransactionID string      `json:"transactionId" ocpp:"required,max=36"`
}

// CostUpdatedResponse is CostUpdated.conf; its payload is empty.
type CostUpdatedResponse struct {
	CustomData *CustomData `json:"customData,omitempty"`
}
