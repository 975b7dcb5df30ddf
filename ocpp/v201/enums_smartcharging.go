package v201

// Enumerations first used by the SmartCharging block (K).

// ChargingLimitSource is the OCPP 2.0.1 ChargingLimitSourceEnumType enumeration (used by ClearedChargingLimit, GetChargingProfiles, NotifyChargingLimit, ReportChargingProfiles).
type ChargingLimitSource string

// ChargingLimitSource values.
const (
	ChargingLimitSourceEMS   ChargingLimitSource = "EMS"
	ChargingLimitSourceOther ChargingLimitSource = "Other"
	ChargingLimitSourceSO    ChargingLimitSource = "SO"
	ChargingLimitSourceCSO   ChargingLimitSource = "CSO"
)

// EnumValues lists the allowed ChargingLimitSource values in schema order.
func (ChargingLimitSource) EnumValues() []string {
	return []string{"EMS", "Other", "SO", "CSO"}
}

// ChargingProfileStatus is the OCPP 2.0.1 ChargingProfileStatusEnumType enumeration (used by SetChargingProfile).
type ChargingProfileStatus string

// ChargingProfileStatus values.
const (
	ChargingProfileStatusAccepted ChargingProfileStatus = "Accepted"
	ChargingProfileStatusRejected ChargingProfileStatus = "Rejected"
)

// EnumValues lists the allowed ChargingProfileStatus values in schema order.
func (ChargingProfileStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected"}
}

// ClearChargingProfileStatus is the OCPP 2.0.1 ClearChargingProfileStatusEnumType enumeration (used by ClearChargingProfile).
type ClearChargingProfileStatus string

// ClearChargingProfileStatus values.
const (
	ClearChargingProfileStatusAccepted ClearChargingProfileStatus = "Accepted"
	ClearChargingProfileStatusUnknown  ClearChargingProfileStatus = "Unknown"
)

// EnumValues lists the allowed ClearChargingProfileStatus values in schema order.
func (ClearChargingProfileStatus) EnumValues() []string {
	return []string{"Accepted", "Unknown"}
}

// EnergyTransferMode is the OCPP 2.0.1 EnergyTransferModeEnumType enumeration (used by NotifyEVChargingNeeds).
type EnergyTransferMode string

// EnergyTransferMode values.
const (
	EnergyTransferModeDC            EnergyTransferMode = "DC"
	EnergyTransferModeACSinglePhase EnergyTransferMode = "AC_single_phase"
	EnergyTransferModeACTwoPhase    EnergyTransferMode = "AC_two_phase"
	EnergyTransferModeACThreePhase  EnergyTransferMode = "AC_three_phase"
)

// EnumValues lists the allowed EnergyTransferMode values in schema order.
func (EnergyTransferMode) EnumValues() []string {
	return []string{"DC", "AC_single_phase", "AC_two_phase", "AC_three_phase"}
}

// GetChargingProfileStatus is the OCPP 2.0.1 GetChargingProfileStatusEnumType enumeration (used by GetChargingProfiles).
type GetChargingProfileStatus string

// GetChargingProfileStatus values.
const (
	GetChargingProfileStatusAccepted   GetChargingProfileStatus = "Accepted"
	GetChargingProfileStatusNoProfiles GetChargingProfileStatus = "NoProfiles"
)

// EnumValues lists the allowed GetChargingProfileStatus values in schema order.
func (GetChargingProfileStatus) EnumValues() []string {
	return []string{"Accepted", "NoProfiles"}
}

// NotifyEVChargingNeedsStatus is the OCPP 2.0.1 NotifyEVChargingNeedsStatusEnumType enumeration (used by NotifyEVChargingNeeds).
type NotifyEVChargingNeedsStatus string

// NotifyEVChargingNeedsStatus values.
const (
	NotifyEVChargingNeedsStatusAccepted   NotifyEVChargingNeedsStatus = "Accepted"
	NotifyEVChargingNeedsStatusRejected   NotifyEVChargingNeedsStatus = "Rejected"
	NotifyEVChargingNeedsStatusProcessing NotifyEVChargingNeedsStatus = "Processing"
)

// EnumValues lists the allowed NotifyEVChargingNeedsStatus values in schema order.
func (NotifyEVChargingNeedsStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected", "Processing"}
}
