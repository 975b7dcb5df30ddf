package v16

import "github.com/chargehub/hub/ocpp/wire"

// CancelReservationRequest is CancelReservation.req (CSMS → Charger).
type CancelReservationRequest struct {
	ReservationID int `json:"reservationId" ocpp:"required"`
}

// CancelReservationResponse is CancelReservation.conf.
type CancelReservationResponse struct {
	Status CancelReservationStatus `json:"status" ocpp:"required"`
}

// ReserveNowRequest is ReserveNow.req (CSMS → Charger).
type ReserveNowRequest struct {
	ConnectorID   int           `json:"connectorId" ocpp:"required"`
	ExpiryDate    wire.DateTime `json:"expiryDate" ocpp:"required"`
	IDTag         string        `json:"idTag" ocpp:"required,max=20"`
	ParentIDTag   string        `json:"parentIdTag,omitempty" ocpp:"max=20"`
	ReservationID int           `json:"reservationId" ocpp:"required"`
}

// ReserveNowResponse is ReserveNow.conf.
type ReserveNowResponse struct {
	Status ReservationStatus `json:"status" ocpp:"required"`
}
