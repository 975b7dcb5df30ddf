package v16

// Enumerations used by Core profile messages (and shared with other profiles).

// AuthorizationStatus is the OCPP 1.6 AuthorizationStatus enumeration (used by Authorize, SendLocalList, StartTransaction, StopTransaction).
type AuthorizationStatus string

// AuthorizationStatus values.
const (
	AuthorizationStatusAccepted     AuthorizationStatus = "Accepted"
	AuthorizationStatusBlocked      AuthorizationStatus = "Blocked"
	AuthorizationStatusExpired      AuthorizationStatus = "Expired"
	AuthorizationStatusInvalid      AuthorizationStatus = "Invalid"
	AuthorizationStatusConcurrentTx AuthorizationStatus = "ConcurrentTx"
)

// EnumValues lists the allowed AuthorizationStatus values in schema order.
func (AuthorizationStatus) EnumValues() []string {
	return []string{"Accepted", "Blocked", "Expired", "Invalid", "ConcurrentTx"}
}

// AvailabilityStatus is the OCPP 1.6 AvailabilityStatus enumeration (used by ChangeAvailability).
type AvailabilityStatus string

// AvailabilityStatus values.
const (
	AvailabilityStatusAccepted  AvailabilityStatus = "Accepted"
	AvailabilityStatusRejected  AvailabilityStatus = "Rejected"
	AvailabilityStatusScheduled AvailabilityStatus = "Scheduled"
)

// EnumValues lists the allowed AvailabilityStatus values in schema order.
func (AvailabilityStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected", "Scheduled"}
}

// AvailabilityType is the OCPP 1.6 AvailabilityType enumeration (used by ChangeAvailability).
type AvailabilityType string

// AvailabilityType values.
const (
	AvailabilityTypeInoperative AvailabilityType = "Inoperative"
	AvailabilityTypeOperative   AvailabilityType = "Operative"
)

// EnumValues lists the allowed AvailabilityType values in schema order.
func (AvailabilityType) EnumValues() []string {
	return []string{"Inoperative", "Operative"}
}

// ChargePointErrorCode is the OCPP 1.6 ChargePointErrorCode enumeration (used by StatusNotification).
type ChargePointErrorCode string

// ChargePointErrorCode values.
const (
	ChargePointErrorCodeConnectorLockFailure ChargePointErrorCode = "ConnectorLockFailure"
	ChargePointErrorCodeEVCommunicationError ChargePointErrorCode = "EVCommunicationError"
	ChargePointErrorCodeGroundFailure        ChargePointErrorCode = "GroundFailure"
	ChargePointErrorCodeHighTemperature      ChargePointErrorCode = "HighTemperature"
	ChargePointErrorCodeInternalError        ChargePointErrorCode = "InternalError"
	ChargePointErrorCodeLocalListConflict    ChargePointErrorCode = "LocalListConflict"
	ChargePointErrorCodeNoError              ChargePointErrorCode = "NoError"
	ChargePointErrorCodeOtherError           ChargePointErrorCode = "OtherError"
	ChargePointErrorCodeOverCurrentFailure   ChargePointErrorCode = "OverCurrentFailure"
	ChargePointErrorCodePowerMeterFailure    ChargePointErrorCode = "PowerMeterFailure"
	ChargePointErrorCodePowerSwitchFailure   ChargePointErrorCode = "PowerSwitchFailure"
	ChargePointErrorCodeReaderFailure        ChargePointErrorCode = "ReaderFailure"
	ChargePointErrorCodeResetFailure         ChargePointErrorCode = "ResetFailure"
	ChargePointErrorCodeUnderVoltage         ChargePointErrorCode = "UnderVoltage"
	ChargePointErrorCodeOverVoltage          ChargePointErrorCode = "OverVoltage"
	ChargePointErrorCodeWeakSignal           ChargePointErrorCode = "WeakSignal"
)

// EnumValues lists the allowed ChargePointErrorCode values in schema order.
func (ChargePointErrorCode) EnumValues() []string {
	return []string{"ConnectorLockFailure", "EVCommunicationError", "GroundFailure", "HighTemperature", "InternalError", "LocalListConflict", "NoError", "OtherError", "OverCurrentFailure", "PowerMeterFailure", "PowerSwitchFailure", "ReaderFailure", "ResetFailure", "UnderVoltage", "OverVoltage", "WeakSignal"}
}

// ChargePointStatus is the OCPP 1.6 ChargePointStatus enumeration (used by StatusNotification).
type ChargePointStatus string

// ChargePointStatus values.
const (
	ChargePointStatusAvailable     ChargePointStatus = "Available"
	ChargePointStatusPreparing     ChargePointStatus = "Preparing"
	ChargePointStatusCharging      ChargePointStatus = "Charging"
	ChargePointStatusSuspendedEVSE ChargePointStatus = "SuspendedEVSE"
	ChargePointStatusSuspendedEV   ChargePointStatus = "SuspendedEV"
	ChargePointStatusFinishing     ChargePointStatus = "Finishing"
	ChargePointStatusReserved      ChargePointStatus = "Reserved"
	ChargePointStatusUnavailable   ChargePointStatus = "Unavailable"
	ChargePointStatusFaulted       ChargePointStatus = "Faulted"
)

// EnumValues lists the allowed ChargePointStatus values in schema order.
func (ChargePointStatus) EnumValues() []string {
	return []string{"Available", "Preparing", "Charging", "SuspendedEVSE", "SuspendedEV", "Finishing", "Reserved", "Unavailable", "Faulted"}
}

// ChargingProfileKindType is the OCPP 1.6 ChargingProfileKindType enumeration (used by RemoteStartTransaction, SetChargingProfile).
type ChargingProfileKindType string

// ChargingProfileKindType values.
const (
	ChargingProfileKindTypeAbsolute  ChargingProfileKindType = "Absolute"
	ChargingProfileKindTypeRecurring ChargingProfileKindType = "Recurring"
	ChargingProfileKindTypeRelative  ChargingProfileKindType = "Relative"
)

// EnumValues lists the allowed ChargingProfileKindType values in schema order.
func (ChargingProfileKindType) EnumValues() []string {
	return []string{"Absolute", "Recurring", "Relative"}
}

// ChargingProfilePurposeType is the OCPP 1.6 ChargingProfilePurposeType enumeration (used by ClearChargingProfile, RemoteStartTransaction, SetChargingProfile).
type ChargingProfilePurposeType string

// ChargingProfilePurposeType values.
const (
	ChargingProfilePurposeTypeChargePointMaxProfile ChargingProfilePurposeType = "ChargePointMaxProfile"
	ChargingProfilePurposeTypeTxDefaultProfile      ChargingProfilePurposeType = "TxDefaultProfile"
	ChargingProfilePurposeTypeTxProfile             ChargingProfilePurposeType = "TxProfile"
)

// EnumValues lists the allowed ChargingProfilePurposeType values in schema order.
func (ChargingProfilePurposeType) EnumValues() []string {
	return []string{"ChargePointMaxProfile", "TxDefaultProfile", "TxProfile"}
}

// ChargingRateUnitType is the OCPP 1.6 ChargingRateUnitType enumeration (used by GetCompositeSchedule, RemoteStartTransaction, SetChargingProfile).
type ChargingRateUnitType string

// ChargingRateUnitType values.
const (
	ChargingRateUnitTypeA ChargingRateUnitType = "A"
	ChargingRateUnitTypeW ChargingRateUnitType = "W"
)

// EnumValues lists the allowed ChargingRateUnitType values in schema order.
func (ChargingRateUnitType) EnumValues() []string {
	return []string{"A", "W"}
}

// ClearCacheStatus is the OCPP 1.6 ClearCacheStatus enumeration (used by ClearCache).
type ClearCacheStatus string

// ClearCacheStatus values.
const (
	ClearCacheStatusAccepted ClearCacheStatus = "Accepted"
	ClearCacheStatusRejected ClearCacheStatus = "Rejected"
)

// EnumValues lists the allowed ClearCacheStatus values in schema order.
func (ClearCacheStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected"}
}

// ConfigurationStatus is the OCPP 1.6 ConfigurationStatus enumeration (used by ChangeConfiguration).
type ConfigurationStatus string

// ConfigurationStatus values.
const (
	ConfigurationStatusAccepted       ConfigurationStatus = "Accepted"
	ConfigurationStatusRejected       ConfigurationStatus = "Rejected"
	ConfigurationStatusRebootRequired ConfigurationStatus = "RebootRequired"
	ConfigurationStatusNotSupported   ConfigurationStatus = "NotSupported"
)

// EnumValues lists the allowed ConfigurationStatus values in schema order.
func (ConfigurationStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected", "RebootRequired", "NotSupported"}
}

// DataTransferStatus is the OCPP 1.6 DataTransferStatus enumeration (used by DataTransfer).
type DataTransferStatus string

// DataTransferStatus values.
const (
	DataTransferStatusAccepted         DataTransferStatus = "Accepted"
	DataTransferStatusRejected         DataTransferStatus = "Rejected"
	DataTransferStatusUnknownMessageId DataTransferStatus = "UnknownMessageId"
	DataTransferStatusUnknownVendorId  DataTransferStatus = "UnknownVendorId"
)

// EnumValues lists the allowed DataTransferStatus values in schema order.
func (DataTransferStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected", "UnknownMessageId", "UnknownVendorId"}
}

// Location is the OCPP 1.6 Location enumeration (used by MeterValues, StopTransaction).
type Location string

// Location values.
const (
	LocationCable  Location = "Cable"
	LocationEV     Location = "EV"
	LocationInlet  Location = "Inlet"
	LocationOutlet Location = "Outlet"
	LocationBody   Location = "Body"
)

// EnumValues lists the allowed Location values in schema order.
func (Location) EnumValues() []string {
	return []string{"Cable", "EV", "Inlet", "Outlet", "Body"}
}

// Measurand is the OCPP 1.6 Measurand enumeration (used by MeterValues, StopTransaction).
type Measurand string

// Measurand values.
const (
	MeasurandEnergyActiveExportRegister   Measurand = "Energy.Active.Export.Register"
	MeasurandEnergyActiveImportRegister   Measurand = "Energy.Active.Import.Register"
	MeasurandEnergyReactiveExportRegister Measurand = "Energy.Reactive.Export.Register"
	MeasurandEnergyReactiveImportRegister Measurand = "Energy.Reactive.Import.Register"
	MeasurandEnergyActiveExportInterval   Measurand = "Energy.Active.Export.Interval"
	MeasurandEnergyActiveImportInterval   Measurand = "Energy.Active.Import.Interval"
	MeasurandEnergyReactiveExportInterval Measurand = "Energy.Reactive.Export.Interval"
	MeasurandEnergyReactiveImportInterval Measurand = "Energy.Reactive.Import.Interval"
	MeasurandPowerActiveExport            Measurand = "Power.Active.Export"
	MeasurandPowerActiveImport            Measurand = "Power.Active.Import"
	MeasurandPowerOffered                 Measurand = "Power.Offered"
	MeasurandPowerReactiveExport          Measurand = "Power.Reactive.Export"
	MeasurandPowerReactiveImport          Measurand = "Power.Reactive.Import"
	MeasurandPowerFactor                  Measurand = "Power.Factor"
	MeasurandCurrentImport                Measurand = "Current.Import"
	MeasurandCurrentExport                Measurand = "Current.Export"
	MeasurandCurrentOffered               Measurand = "Current.Offered"
	MeasurandVoltage                      Measurand = "Voltage"
	MeasurandFrequency                    Measurand = "Frequency"
	MeasurandTemperature                  Measurand = "Temperature"
	MeasurandSoC                          Measurand = "SoC"
	MeasurandRPM                          Measurand = "RPM"
)

// EnumValues lists the allowed Measurand values in schema order.
func (Measurand) EnumValues() []string {
	return []string{"Energy.Active.Export.Register", "Energy.Active.Import.Register", "Energy.Reactive.Export.Register", "Energy.Reactive.Import.Register", "Energy.Active.Export.Interval", "Energy.Active.Import.Interval", "Energy.Reactive.Export.Interval", "Energy.Reactive.Import.Interval", "Power.Active.Export", "Power.Active.Import", "Power.Offered", "Power.Reactive.Export", "Power.Reactive.Import", "Power.Factor", "Current.Import", "Current.Export", "Current.Offered", "Voltage", "Frequency", "Temperature", "SoC", "RPM"}
}

// Phase is the OCPP 1.6 Phase enumeration (used by MeterValues, StopTransaction).
type Phase string

// Phase values.
const (
	PhaseL1   Phase = "L1"
	PhaseL2   Phase = "L2"
	PhaseL3   Phase = "L3"
	PhaseN    Phase = "N"
	PhaseL1N  Phase = "L1-N"
	PhaseL2N  Phase = "L2-N"
	PhaseL3N  Phase = "L3-N"
	PhaseL1L2 Phase = "L1-L2"
	PhaseL2L3 Phase = "L2-L3"
	PhaseL3L1 Phase = "L3-L1"
)

// EnumValues lists the allowed Phase values in schema order.
func (Phase) EnumValues() []string {
	return []string{"L1", "L2", "L3", "N", "L1-N", "L2-N", "L3-N", "L1-L2", "L2-L3", "L3-L1"}
}

// ReadingContext is the OCPP 1.6 ReadingContext enumeration (used by MeterValues, StopTransaction).
type ReadingContext string

// ReadingContext values.
const (
	ReadingContextInterruptionBegin ReadingContext = "Interruption.Begin"
	ReadingContextInterruptionEnd   ReadingContext = "Interruption.End"
	ReadingContextSampleClock       ReadingContext = "Sample.Clock"
	ReadingContextSamplePeriodic    ReadingContext = "Sample.Periodic"
	ReadingContextTransactionBegin  ReadingContext = "Transaction.Begin"
	ReadingContextTransactionEnd    ReadingContext = "Transaction.End"
	ReadingContextTrigger           ReadingContext = "Trigger"
	ReadingContextOther             ReadingContext = "Other"
)

// EnumValues lists the allowed ReadingContext values in schema order.
func (ReadingContext) EnumValues() []string {
	return []string{"Interruption.Begin", "Interruption.End", "Sample.Clock", "Sample.Periodic", "Transaction.Begin", "Transaction.End", "Trigger", "Other"}
}

// Reason is the OCPP 1.6 Reason enumeration (used by StopTransaction).
type Reason string

// Reason values.
const (
	ReasonEmergencyStop  Reason = "EmergencyStop"
	ReasonEVDisconnected Reason = "EVDisconnected"
	ReasonHardReset      Reason = "HardReset"
	ReasonLocal          Reason = "Local"
	ReasonOther          Reason = "Other"
	ReasonPowerLoss      Reason = "PowerLoss"
	ReasonReboot         Reason = "Reboot"
	ReasonRemote         Reason = "Remote"
	ReasonSoftReset      Reason = "SoftReset"
	ReasonUnlockCommand  Reason = "UnlockCommand"
	ReasonDeAuthorized   Reason = "DeAuthorized"
)

// EnumValues lists the allowed Reason values in schema order.
func (Reason) EnumValues() []string {
	return []string{"EmergencyStop", "EVDisconnected", "HardReset", "Local", "Other", "PowerLoss", "Reboot", "Remote", "SoftReset", "UnlockCommand", "DeAuthorized"}
}

// RecurrencyKindType is the OCPP 1.6 RecurrencyKindType enumeration (used by RemoteStartTransaction, SetChargingProfile).
type RecurrencyKindType string

// RecurrencyKindType values.
const (
	RecurrencyKindTypeDaily  RecurrencyKindType = "Daily"
	RecurrencyKindTypeWeekly RecurrencyKindType = "Weekly"
)

// EnumValues lists the allowed RecurrencyKindType values in schema order.
func (RecurrencyKindType) EnumValues() []string {
	return []string{"Daily", "Weekly"}
}

// RegistrationStatus is the OCPP 1.6 RegistrationStatus enumeration (used by BootNotification).
type RegistrationStatus string

// RegistrationStatus values.
const (
	RegistrationStatusAccepted RegistrationStatus = "Accepted"
	RegistrationStatusPending  RegistrationStatus = "Pending"
	RegistrationStatusRejected RegistrationStatus = "Rejected"
)

// EnumValues lists the allowed RegistrationStatus values in schema order.
func (RegistrationStatus) EnumValues() []string {
	return []string{"Accepted", "Pending", "Rejected"}
}

// RemoteStartStopStatus is the OCPP 1.6 RemoteStartStopStatus enumeration (used by RemoteStartTransaction, RemoteStopTransaction).
type RemoteStartStopStatus string

// RemoteStartStopStatus values.
const (
	RemoteStartStopStatusAccepted RemoteStartStopStatus = "Accepted"
	RemoteStartStopStatusRejected RemoteStartStopStatus = "Rejected"
)

// EnumValues lists the allowed RemoteStartStopStatus values in schema order.
func (RemoteStartStopStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected"}
}

// ResetStatus is the OCPP 1.6 ResetStatus enumeration (used by Reset).
type ResetStatus string

// ResetStatus values.
const (
	ResetStatusAccepted ResetStatus = "Accepted"
	ResetStatusRejected ResetStatus = "Rejected"
)

// EnumValues lists the allowed ResetStatus values in schema order.
func (ResetStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected"}
}

// ResetType is the OCPP 1.6 ResetType enumeration (used by Reset).
type ResetType string

// ResetType values.
const (
	ResetTypeHard ResetType = "Hard"
	ResetTypeSoft ResetType = "Soft"
)

// EnumValues lists the allowed ResetType values in schema order.
func (ResetType) EnumValues() []string {
	return []string{"Hard", "Soft"}
}

// UnitOfMeasure is the OCPP 1.6 UnitOfMeasure enumeration (used by MeterValues, StopTransaction).
type UnitOfMeasure string

// UnitOfMeasure values.
const (
	UnitOfMeasureWh         UnitOfMeasure = "Wh"
	UnitOfMeasureKWh        UnitOfMeasure = "kWh"
	UnitOfMeasureVarh       UnitOfMeasure = "varh"
	UnitOfMeasureKvarh      UnitOfMeasure = "kvarh"
	UnitOfMeasureW          UnitOfMeasure = "W"
	UnitOfMeasureKW         UnitOfMeasure = "kW"
	UnitOfMeasureVA         UnitOfMeasure = "VA"
	UnitOfMeasureKVA        UnitOfMeasure = "kVA"
	UnitOfMeasureVar        UnitOfMeasure = "var"
	UnitOfMeasureKvar       UnitOfMeasure = "kvar"
	UnitOfMeasureA          UnitOfMeasure = "A"
	UnitOfMeasureV          UnitOfMeasure = "V"
	UnitOfMeasureK          UnitOfMeasure = "K"
	UnitOfMeasureCelcius    UnitOfMeasure = "Celcius"
	UnitOfMeasureCelsius    UnitOfMeasure = "Celsius"
	UnitOfMeasureFahrenheit UnitOfMeasure = "Fahrenheit"
	UnitOfMeasurePercent    UnitOfMeasure = "Percent"
)

// EnumValues lists the allowed UnitOfMeasure values in schema order.
func (UnitOfMeasure) EnumValues() []string {
	return []string{"Wh", "kWh", "varh", "kvarh", "W", "kW", "VA", "kVA", "var", "kvar", "A", "V", "K", "Celcius", "Celsius", "Fahrenheit", "Percent"}
}

// UnlockStatus is the OCPP 1.6 UnlockStatus enumeration (used by UnlockConnector).
type UnlockStatus string

// UnlockStatus values.
const (
	UnlockStatusUnlocked     UnlockStatus = "Unlocked"
	UnlockStatusUnlockFailed UnlockStatus = "UnlockFailed"
	UnlockStatusNotSupported UnlockStatus = "NotSupported"
)

// EnumValues lists the allowed UnlockStatus values in schema order.
func (UnlockStatus) EnumValues() []string {
	return []string{"Unlocked", "UnlockFailed", "NotSupported"}
}

// ValueFormat is the OCPP 1.6 ValueFormat enumeration (used by MeterValues, StopTransaction).
type ValueFormat string

// ValueFormat values.
const (
	ValueFormatRaw        ValueFormat = "Raw"
	ValueFormatSignedData ValueFormat = "SignedData"
)

// EnumValues lists the allowed ValueFormat values in schema order.
func (ValueFormat) EnumValues() []string {
	return []string{"Raw", "SignedData"}
}
