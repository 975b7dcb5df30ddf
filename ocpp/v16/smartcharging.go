package v16

import "github.com/chargehub/hub/ocpp/wire"

// ChargingSchedulePeriod is the 1.6 ChargingSchedulePeriod class. Limit is in the
// schedule's chargingRateUnit and must be a multiple of 0.1 (round before sending).
type ChargingSchedulePeriod struct {
	// StartPeriod is the offset in seconds from the start of the schedule.
	StartPeriod  int     `json:"startPeriod" ocpp:"required"`
	Limit        float64 `json:"limit" ocpp:"required,mult=0.1"`
	NumberPhases *int    `json:"numberPhases,omitempty"`
}

// ChargingSchedule is the 1.6 ChargingSchedule class.
type ChargingSchedule struct {
	// Duration is the schedule's length in seconds.
	Duration               *int                     `json:"duration,omitempty"`
	StartSchedule          *wire.DateTime           `json:"startSchedule,omitempty"`
	ChargingRateUnit       ChargingRateUnitType     `json:"chargingRateUnit" ocpp:"required"`
	ChargingSchedulePeriod []ChargingSchedulePeriod `json:"chargingSchedulePeriod" ocpp:"required"`
	MinChargingRate        *float64                 `json:"minChargingRate,omitempty" ocpp:"mult=0.1"`
}

// ChargingProfile is the 1.6 ChargingProfile class (csChargingProfiles in
// SetChargingProfile, chargingProfile in RemoteStartTransaction).
type ChargingProfile struct {
	ChargingProfileID      int                        `json:"chargingProfileId" ocpp:"required"`
	TransactionID          *int                       `json:"transactionId,omitempty"`
	StackLevel             int                        `json:"stackLevel" ocpp:"required"`
	ChargingProfilePurpose ChargingProfilePurposeType `json:"chargingProfilePurpose" ocpp:"required"`
	ChargingProfileKind    ChargingProfileKindType    `json:"chargingProfileKind" ocpp:"required"`
	RecurrencyKind         RecurrencyKindType         `json:"recurrencyKind,omitempty"`
	ValidFrom              *wire.DateTime             `json:"validFrom,omitempty"`
	ValidTo                *wire.DateTime             `json:"validTo,omitempty"`
	ChargingSchedule       ChargingSchedule           `json:"chargingSchedule" ocpp:"required"`
}

// ClearChargingProfileRequest is ClearChargingProfile.req (CSMS → Charger). Absent
// fields do not filter.
type ClearChargingProfileRequest struct {
	ID                     *int                       `json:"id,omitempty"`
	ConnectorID            *int                       `json:"connectorId,omitempty"`
	ChargingProfilePurpose ChargingProfilePurposeType `json:"chargingProfilePurpose,omitempty"`
	StackLevel             *int                       `json:"stackLevel,omitempty"`
}

// ClearChargingProfileResponse is ClearChargingProfile.conf.
type ClearChargingProfileResponse struct {
	Status ClearChargingProfileStatus `json:"status" ocpp:"required"`
}

// GetCompositeScheduleRequest is GetCompositeSchedule.req (CSMS → Charger).
type GetCompositeScheduleRequest struct {
	ConnectorID int `json:"connectorId" ocpp:"required"`
	// Duration is the requested length in seconds.
	Duration         int                  `json:"duration" ocpp:"required"`
	ChargingRateUnit ChargingRateUnitType `json:"chargingRateUnit,omitempty"`
}

// GetCompositeScheduleResponse is GetCompositeSchedule.conf.
type GetCompositeScheduleResponse struct {
	Status           GetCompositeScheduleStatus `json:"status" ocpp:"required"`
	ConnectorID      *int                       `json:"connectorId,omitempty"`
	ScheduleStart    *wire.DateTime             `json:"scheduleStart,omitempty"`
	ChargingSchedule *ChargingSchedule          `json:"chargingSchedule,omitempty"`
}

// SetChargingProfileRequest is SetChargingProfile.req (CSMS → Charger).
type SetChargingProfileRequest struct {
	ConnectorID        int             `json:"connectorId" ocpp:"required"`
	CSChargingProfiles ChargingProfile `json:"csChargingProfiles" ocpp:"required"`
}

// SetChargingProfileResponse is SetChargingProfile.conf.
type SetChargingProfileResponse struct {
	Status ChargingProfileStatus `json:"status" ocpp:"required"`
}
