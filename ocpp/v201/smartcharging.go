package v201

import "github.com/chargehub/hub/ocpp/wire"

// Functional block K: SmartCharging (ocpp-notes.md §12.2).

// ChargingSchedulePeriod is the 2.0.1 ChargingSchedulePeriodType. Limit is in the
// schedule's chargingRateUnit (W or A, per phase for A).
type ChargingSchedulePeriod struct {
	CustomData *CustomData `json:"customData,omitempty"`
	// StartPeriod is the offset in seconds from the start of the schedule.
	StartPeriod  int     `json:"startPeriod" ocpp:"required"`
	Limit        float64 `json:"limit" ocpp:"required"`
	NumberPhases *int    `json:"numberPhases,omitempty"`
	// PhaseToUse (1..3) is the phase to use when NumberPhases is 1.
	PhaseToUse *int `json:"phaseToUse,omitempty"`
}

// RelativeTimeInterval is the 2.0.1 RelativeTimeIntervalType; Start and Duration are in
// seconds from the start of the schedule.
type RelativeTimeInterval struct {
	CustomData *CustomData `json:"customData,omitempty"`
	Start      int         `json:"start" ocpp:"required"`
	Duration   *int        `json:"duration,omitempty"`
}

// Cost is the 2.0.1 CostType: one ISO 15118 cost indicator; the value is
// Amount × 10^AmountMultiplier.
type Cost struct {
	CustomData       *CustomData `json:"customData,omitempty"`
	CostKind         CostKind    `json:"costKind" ocpp:"required"`
	Amount           int         `json:"amount" ocpp:"required"`
	AmountMultiplier *int        `json:"amountMultiplier,omitempty"`
}

// ConsumptionCost is the 2.0.1 ConsumptionCostType: costs from a consumption threshold on.
type ConsumptionCost struct {
	CustomData *CustomData `json:"customData,omitempty"`
	StartValue float64     `json:"startValue" ocpp:"required"`
	Cost       []Cost      `json:"cost" ocpp:"required,min=1,max=3"`
}

// SalesTariffEntry is the 2.0.1 SalesTariffEntryType.
type SalesTariffEntry struct {
	CustomData           *CustomData          `json:"customData,omitempty"`
	RelativeTimeInterval RelativeTimeInterval `json:"relativeTimeInterval" ocpp:"required"`
	EPriceLevel          *int                 `json:"ePriceLevel,omitempty" ocpp:"min=0"`
	ConsumptionCost      []ConsumptionCost    `json:"consumptionCost,omitempty" ocpp:"min=1,max=3"`
}

// SalesTariff is the 2.0.1 SalesTariffType: an ISO 15118 sales tariff passed to the EV.
type SalesTariff struct {
	CustomData             *CustomData        `json:"customData,omitempty"`
	ID                     int                `json:"id" ocpp:"required"`
	SalesTariffDescription string             `json:"salesTariffDescription,omitempty" ocpp:"max=32"`
	NumEPriceLevels        *int               `json:"numEPriceLevels,omitempty"`
	SalesTariffEntry       []SalesTariffEntry `json:"salesTariffEntry" ocpp:"required,min=1,max=1024"`
}

// ChargingSchedule is the 2.0.1 ChargingScheduleType.
type ChargingSchedule struct {
	CustomData    *CustomData    `json:"customData,omitempty"`
	ID            int            `json:"id" ocpp:"required"`
	StartSchedule *wire.DateTime `json:"startSchedule,omitempty"`
	// Duration is the schedule's length in seconds; absent means until the last period ends.
	Duration               *int                     `json:"duration,omitempty"`
	ChargingRateUnit       ChargingRateUnit         `json:"chargingRateUnit" ocpp:"required"`
	ChargingSchedulePeriod []ChargingSchedulePeriod `json:"chargingSchedulePeriod" ocpp:"required,min=1,max=1024"`
	MinChargingRate        *float64                 `json:"minChargingRate,omitempty"`
	SalesTariff            *SalesTariff             `json:"salesTariff,omitempty"`
}

// ChargingProfile is the 2.0.1 ChargingProfileType. A TxProfile names its transaction in
// TransactionID; ChargingStationExternalConstraints profiles are set by the station only.
type ChargingProfile struct {
	CustomData             *CustomData            `json:"customData,omitempty"`
	ID                     int                    `json:"id" ocpp:"required"`
	StackLevel             int                    `json:"stackLevel" ocpp:"required"`
	ChargingProfilePurpose ChargingProfilePurpose `json:"chargingProfilePurpose" ocpp:"required"`
	ChargingProfileKind    ChargingProfileKind    `json:"chargingProfileKind" ocpp:"required"`
	RecurrencyKind         RecurrencyKind         `json:"recurrencyKind,omitempty"`
	ValidFrom              *wire.DateTime         `json:"validFrom,omitempty"`
	ValidTo                *wire.DateTime         `json:"validTo,omitempty"`
	ChargingSchedule       []ChargingSchedule     `json:"chargingSchedule" ocpp:"required,min=1,max=3"`
	TransactionID          string                 `json:"transactionId,omitempty" ocpp:"max=36"`
}

// ClearChargingProfile is the 2.0.1 ClearChargingProfileType: the criteria of
// ClearChargingProfile.req (absent fields do not filter).
type ClearChargingProfile struct {
	CustomData             *CustomData            `json:"customData,omitempty"`
	EVSEID                 *int                   `json:"evseId,omitempty"`
	ChargingProfilePurpose ChargingProfilePurpose `json:"chargingProfilePurpose,omitempty"`
	StackLevel             *int                   `json:"stackLevel,omitempty"`
}

// ClearChargingProfileRequest is ClearChargingProfile.req (CSMS → Charger).
type ClearChargingProfileRequest struct {
	CustomData              *CustomData           `json:"customData,omitempty"`
	ChargingProfileID       *int                  `json:"chargingProfileId,omitempty"`
	ChargingProfileCriteria *ClearChargingProfile `json:"chargingProfileCriteria,omitempty"`
}

// ClearChargingProfileResponse is ClearChargingProfile.conf.
type ClearChargingProfileResponse struct {
	CustomData *CustomData                `json:"customData,omitempty"`
	Status     ClearChargingProfileStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo                `json:"statusInfo,omitempty"`
}

// ClearedChargingLimitRequest is ClearedChargingLimit.req (Charger → CSMS).
type ClearedChargingLimitRequest struct {
	CustomData          *CustomData         `json:"customData,omitempty"`
	ChargingLimitSource ChargingLimitSource `json:"chargingLimitSource" ocpp:"required"`
	EVSEID              *int                `json:"evseId,omitempty"`
}

// ClearedChargingLimitResponse is ClearedChargingLimit.conf; its payload is empty.
type ClearedChargingLimitResponse struct {
	CustomData *CustomData `json:"customData,omitempty"`
}

// ChargingProfileCriterion is the 2.0.1 ChargingProfileCriterionType: the filter of
// GetChargingProfiles.req (required, but may be empty; absent fields do not filter).
type ChargingProfileCriterion struct {
	CustomData             *CustomData            `json:"customData,omitempty"`
	ChargingProfilePurpose ChargingProfilePurpose `json:"chargingProfilePurpose,omitempty"`
	StackLevel             *int                   `json:"stackLevel,omitempty"`
	ChargingProfileID      []int                  `json:"chargingProfileId,omitempty" ocpp:"min=1"`
	ChargingLimitSource    []ChargingLimitSource  `json:"chargingLimitSource,omitempty" ocpp:"min=1,max=4"`
}

// GetChargingProfilesRequest is GetChargingProfiles.req (CSMS → Charger); the profiles
// arrive as ReportChargingProfiles messages carrying the same requestId.
type GetChargingProfilesRequest struct {
	CustomData      *CustomData              `json:"customData,omitempty"`
	RequestID       int                      `json:"requestId" ocpp:"required"`
	EVSEID          *int                     `json:"evseId,omitempty"`
	ChargingProfile ChargingProfileCriterion `json:"chargingProfile" ocpp:"required"`
}

// GetChargingProfilesResponse is GetChargingProfiles.conf.
type GetChargingProfilesResponse struct {
	CustomData *CustomData              `json:"customData,omitempty"`
	Status     GetChargingProfileStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo              `json:"statusInfo,omitempty"`
}

// GetCompositeScheduleRequest is GetCompositeSchedule.req (CSMS → Charger).
type GetCompositeScheduleRequest struct {
	CustomData *CustomData `json:"customData,omitempty"`
	// Duration is the requested length in seconds.
	Duration         int              `json:"duration" ocpp:"required"`
	ChargingRateUnit ChargingRateUnit `json:"chargingRateUnit,omitempty"`
	EVSEID           int              `json:"evseId" ocpp:"required"`
}

// CompositeSchedule is the 2.0.1 CompositeScheduleType: the schedule an EVSE will follow.
type CompositeSchedule struct {
	CustomData             *CustomData              `json:"customData,omitempty"`
	ChargingSchedulePeriod []ChargingSchedulePeriod `json:"chargingSchedulePeriod" ocpp:"required,min=1"`
	EVSEID                 int                      `json:"evseId" ocpp:"required"`
	// Duration is in seconds.
	Duration         int              `json:"duration" ocpp:"required"`
	ScheduleStart    wire.DateTime    `json:"scheduleStart" ocpp:"required"`
	ChargingRateUnit ChargingRateUnit `json:"chargingRateUnit" ocpp:"required"`
}

// GetCompositeScheduleResponse is GetCompositeSchedule.conf.
type GetCompositeScheduleResponse struct {
	CustomData *CustomData        `json:"customData,omitempty"`
	Status     GenericStatus      `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo        `json:"statusInfo,omitempty"`
	Schedule   *CompositeSchedule `json:"schedule,omitempty"`
}

// ChargingLimit is the 2.0.1 ChargingLimitType: the source of an external limit.
type ChargingLimit struct {
	CustomData          *CustomData         `json:"customData,omitempty"`
	ChargingLimitSource ChargingLimitSource `json:"chargingLimitSource" ocpp:"required"`
	IsGridCritical      *bool               `json:"isGridCritical,omitempty"`
}

// NotifyChargingLimitRequest is NotifyChargingLimit.req (Charger → CSMS): an external
// system (EMS, DSO) set a limit on the station.
type NotifyChargingLimitRequest struct {
	CustomData       *CustomData        `json:"customData,omitempty"`
	ChargingSchedule []ChargingSchedule `json:"chargingSchedule,omitempty" ocpp:"min=1"`
	EVSEID           *int               `json:"evseId,omitempty"`
	ChargingLimit    ChargingLimit      `json:"chargingLimit" ocpp:"required"`
}

// NotifyChargingLimitResponse is NotifyChargingLimit.conf; its payload is empty.
type NotifyChargingLimitResponse struct {
	CustomData *CustomData `json:"customData,omitempty"`
}

// ACChargingParameters is the 2.0.1 ACChargingParametersType (ISO 15118 AC needs):
// energy in Wh, currents in A, voltage in V.
type ACChargingParameters struct {
	CustomData   *CustomData `json:"customData,omitempty"`
	EnergyAmount int         `json:"energyAmount" ocpp:"required"`
	EVMinCurrent int         `json:"evMinCurrent" ocpp:"required"`
	EVMaxCurrent int         `json:"evMaxCurrent" ocpp:"required"`
	EVMaxVoltage int         `json:"evMaxVoltage" ocpp:"required"`
}

// DCChargingParameters is the 2.0.1 DCChargingParametersType (ISO 15118 DC needs):
// energy in Wh, current in A, voltage in V, power in W, states of charge in percent.
type DCChargingParameters struct {
	CustomData       *CustomData `json:"customData,omitempty"`
	EVMaxCurrent     int         `json:"evMaxCurrent" ocpp:"required"`
	EVMaxVoltage     int         `json:"evMaxVoltage" ocpp:"required"`
	EnergyAmount     *int        `json:"energyAmount,omitempty"`
	EVMaxPower       *int        `json:"evMaxPower,omitempty"`
	StateOfCharge    *int        `json:"stateOfCharge,omitempty" ocpp:"min=0,maxv=100"`
	EVEnergyCapacity *int        `json:"evEnergyCapacity,omitempty"`
	FullSoC          *int        `json:"fullSoC,omitempty" ocpp:"min=0,maxv=100"`
	BulkSoC          *int        `json:"bulkSoC,omitempty" ocpp:"min=0,maxv=100"`
}

// ChargingNeeds is the 2.0.1 ChargingNeedsType.
type ChargingNeeds struct {
	CustomData              *CustomData           `json:"customData,omitempty"`
	ACChargingParameters    *ACChargingParameters `json:"acChargingParameters,omitempty"`
	DCChargingParameters    *DCChargingParameters `json:"dcChargingParameters,omitempty"`
	RequestedEnergyTransfer EnergyTransferMode    `json:"requestedEnergyTransfer" ocpp:"required"`
	DepartureTime           *wire.DateTime        `json:"departureTime,omitempty"`
}

// NotifyEVChargingNeedsRequest is NotifyEVChargingNeeds.req (Charger → CSMS).
type NotifyEVChargingNeedsRequest struct {
	CustomData        *CustomData   `json:"customData,omitempty"`
	MaxScheduleTuples *int          `json:"maxScheduleTuples,omitempty"`
	ChargingNeeds     ChargingNeeds `json:"chargingNeeds" ocpp:"required"`
	EVSEID            int           `json:"evseId" ocpp:"required"`
}

// NotifyEVChargingNeedsResponse is NotifyEVChargingNeeds.conf.
type NotifyEVChargingNeedsResponse struct {
	CustomData *CustomData                 `json:"customData,omitempty"`
	Status     NotifyEVChargingNeedsStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo                 `json:"statusInfo,omitempty"`
}

// NotifyEVChargingScheduleRequest is NotifyEVChargingSchedule.req (Charger → CSMS): the
// schedule the EV computed, relative to TimeBase.
type NotifyEVChargingScheduleRequest struct {
	CustomData       *CustomData      `json:"customData,omitempty"`
	TimeBase         wire.DateTime    `json:"timeBase" ocpp:"required"`
	ChargingSchedule ChargingSchedule `json:"chargingSchedule" ocpp:"required"`
	EVSEID           int              `json:"evseId" ocpp:"required"`
}

// NotifyEVChargingScheduleResponse is NotifyEVChargingSchedule.conf.
type NotifyEVChargingScheduleResponse struct {
	CustomData *CustomData   `json:"customData,omitempty"`
	Status     GenericStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo   `json:"statusInfo,omitempty"`
}

// ReportChargingProfilesRequest is ReportChargingProfiles.req (Charger → CSMS): one part
// of the answer to GetChargingProfiles; TBC true (absent means false) means more follow.
type ReportChargingProfilesRequest struct {
	CustomData          *CustomData         `json:"customData,omitempty"`
	RequestID           int                 `json:"requestId" ocpp:"required"`
	ChargingLimitSource ChargingLimitSource `json:"chargingLimitSource" ocpp:"required"`
	ChargingProfile     []ChargingProfile   `json:"chargingProfile" ocpp:"required,min=1"`
	TBC                 *bool               `json:"tbc,omitempty"`
	EVSEID              int                 `json:"evseId" ocpp:"required"`
}

// ReportChargingProfilesResponse is ReportChargingProfiles.conf; its payload is empty.
type ReportChargingProfilesResponse struct {
	CustomData *CustomData `json:"customData,omitempty"`
}

// SetChargingProfileRequest is SetChargingProfile.req (CSMS → Charger). EVSEID 0 is the
// station as a whole (ChargingStationMaxProfile, TxDefaultProfile for all EVSEs).
type SetChargingProfileRequest struct {
	CustomData      *CustomData     `json:"customData,omitempty"`
	EVSEID          int             `json:"evseId" ocpp:"required"`
	ChargingProfile ChargingProfile `json:"chargingProfile" ocpp:"required"`
}

// SetChargingProfileResponse is SetChargingProfile.conf.
type SetChargingProfileResponse struct {
	CustomData *CustomData           `json:"customData,omitempty"`
	Status     ChargingProfileStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo           `json:"statusInfo,omitempty"`
}
