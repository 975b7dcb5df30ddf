package v201

// Enumerations first used by the Transactions, RemoteControl, Availability, Reservation, TariffAndCost and MeterValues blocks (E-J).

// CancelReservationStatus is the OCPP 2.0.1 CancelReservationStatusEnumType enumeration (used by CancelReservation).
type CancelReservationStatus string

// CancelReservationStatus values.
const (
	CancelReservationStatusAccepted CancelReservationStatus = "Accepted"
	CancelReservationStatusRejected CancelReservationStatus = "Rejected"
)

// EnumValues lists the allowed CancelReservationStatus values in schema order.
func (CancelReservationStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected"}
}

// ChangeAvailabilityStatus is the OCPP 2.0.1 ChangeAvailabilityStatusEnumType enumeration (used by ChangeAvailability).
type ChangeAvailabilityStatus string

// ChangeAvailabilityStatus values.
const (
	ChangeAvailabilityStatusAccepted  ChangeAvailabilityStatus = "Accepted"
	ChangeAvailabilityStatusRejected  ChangeAvailabilityStatus = "Rejected"
	ChangeAvailabilityStatusScheduled ChangeAvailabilityStatus = "Scheduled"
)

// EnumValues lists the allowed ChangeAvailabilityStatus values in schema order.
func (ChangeAvailabilityStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected", "Scheduled"}
}

// ChargingProfileKind is the OCPP 2.0.1 ChargingProfileKindEnumType enumeration (used by ReportChargingProfiles, RequestStartTransaction, SetChargingProfile).
type ChargingProfileKind string

// ChargingProfileKind values.
const (
	ChargingProfileKindAbsolute  ChargingProfileKind = "Absolute"
	ChargingProfileKindRecurring ChargingProfileKind = "Recurring"
	ChargingProfileKindRelative  ChargingProfileKind = "Relative"
)

// EnumValues lists the allowed ChargingProfileKind values in schema order.
func (ChargingProfileKind) EnumValues() []string {
	return []string{"Absolute", "Recurring", "Relative"}
}

// ChargingProfilePurpose is the OCPP 2.0.1 ChargingProfilePurposeEnumType enumeration (used by ClearChargingProfile, GetChargingProfiles, ReportChargingProfiles, RequestStartTransaction, SetChargingProfile).
type ChargingProfilePurpose string

// ChargingProfilePurpose values.
const (
	ChargingProfilePurposeChargingStationExternalConstraints ChargingProfilePurpose = "ChargingStationExternalConstraints"
	ChargingProfilePurposeChargingStationMaxProfile          ChargingProfilePurpose = "ChargingStationMaxProfile"
	ChargingProfilePurposeTxDefaultProfile                   ChargingProfilePurpose = "TxDefaultProfile"
	ChargingProfilePurposeTxProfile                          ChargingProfilePurpose = "TxProfile"
)

// EnumValues lists the allowed ChargingProfilePurpose values in schema order.
func (ChargingProfilePurpose) EnumValues() []string {
	return []string{"ChargingStationExternalConstraints", "ChargingStationMaxProfile", "TxDefaultProfile", "TxProfile"}
}

// ChargingRateUnit is the OCPP 2.0.1 ChargingRateUnitEnumType enumeration (used by GetCompositeSchedule, NotifyChargingLimit, NotifyEVChargingSchedule, ReportChargingProfiles, RequestStartTransaction, SetChargingProfile).
type ChargingRateUnit string

// ChargingRateUnit values.
const (
	ChargingRateUnitW ChargingRateUnit = "W"
	ChargingRateUnitA ChargingRateUnit = "A"
)

// EnumValues lists the allowed ChargingRateUnit values in schema order.
func (ChargingRateUnit) EnumValues() []string {
	return []string{"W", "A"}
}

// ChargingState is the OCPP 2.0.1 ChargingStateEnumType enumeration (used by TransactionEvent).
type ChargingState string

// ChargingState values.
const (
	ChargingStateCharging      ChargingState = "Charging"
	ChargingStateEVConnected   ChargingState = "EVConnected"
	ChargingStateSuspendedEV   ChargingState = "SuspendedEV"
	ChargingStateSuspendedEVSE ChargingState = "SuspendedEVSE"
	ChargingStateIdle          ChargingState = "Idle"
)

// EnumValues lists the allowed ChargingState values in schema order.
func (ChargingState) EnumValues() []string {
	return []string{"Charging", "EVConnected", "SuspendedEV", "SuspendedEVSE", "Idle"}
}

// Connector is the OCPP 2.0.1 ConnectorEnumType enumeration (used by ReserveNow).
type Connector string

// Connector values.
const (
	ConnectorCCCS1           Connector = "cCCS1"
	ConnectorCCCS2           Connector = "cCCS2"
	ConnectorCG105           Connector = "cG105"
	ConnectorCTesla          Connector = "cTesla"
	ConnectorCType1          Connector = "cType1"
	ConnectorCType2          Connector = "cType2"
	ConnectorS3091P16A       Connector = "s309-1P-16A"
	ConnectorS3091P32A       Connector = "s309-1P-32A"
	ConnectorS3093P16A       Connector = "s309-3P-16A"
	ConnectorS3093P32A       Connector = "s309-3P-32A"
	ConnectorSBS1361         Connector = "sBS1361"
	ConnectorSCEE77          Connector = "sCEE-7-7"
	ConnectorSType2          Connector = "sType2"
	ConnectorSType3          Connector = "sType3"
	ConnectorOther1PhMax16A  Connector = "Other1PhMax16A"
	ConnectorOther1PhOver16A Connector = "Other1PhOver16A"
	ConnectorOther3Ph        Connector = "Other3Ph"
	ConnectorPan             Connector = "Pan"
	ConnectorWInductive      Connector = "wInductive"
	ConnectorWResonant       Connector = "wResonant"
	ConnectorUndetermined    Connector = "Undetermined"
	ConnectorUnknown         Connector = "Unknown"
)

// EnumValues lists the allowed Connector values in schema order.
func (Connector) EnumValues() []string {
	return []string{"cCCS1", "cCCS2", "cG105", "cTesla", "cType1", "cType2", "s309-1P-16A", "s309-1P-32A", "s309-3P-16A", "s309-3P-32A", "sBS1361", "sCEE-7-7", "sType2", "sType3", "Other1PhMax16A", "Other1PhOver16A", "Other3Ph", "Pan", "wInductive", "wResonant", "Undetermined", "Unknown"}
}

// ConnectorStatus is the OCPP 2.0.1 ConnectorStatusEnumType enumeration (used by StatusNotification).
type ConnectorStatus string

// ConnectorStatus values.
const (
	ConnectorStatusAvailable   ConnectorStatus = "Available"
	ConnectorStatusOccupied    ConnectorStatus = "Occupied"
	ConnectorStatusReserved    ConnectorStatus = "Reserved"
	ConnectorStatusUnavailable ConnectorStatus = "Unavailable"
	ConnectorStatusFaulted     ConnectorStatus = "Faulted"
)

// EnumValues lists the allowed ConnectorStatus values in schema order.
func (ConnectorStatus) EnumValues() []string {
	return []string{"Available", "Occupied", "Reserved", "Unavailable", "Faulted"}
}

// CostKind is the OCPP 2.0.1 CostKindEnumType enumeration (used by NotifyChargingLimit, NotifyEVChargingSchedule, ReportChargingProfiles, RequestStartTransaction, SetChargingProfile).
type CostKind string

// CostKind values.
const (
	CostKindCarbonDioxideEmission         CostKind = "CarbonDioxideEmission"
	CostKindRelativePricePercentage       CostKind = "RelativePricePercentage"
	CostKindRenewableGenerationPercentage CostKind = "RenewableGenerationPercentage"
)

// EnumValues lists the allowed CostKind values in schema order.
func (CostKind) EnumValues() []string {
	return []string{"CarbonDioxideEmission", "RelativePricePercentage", "RenewableGenerationPercentage"}
}

// Location is the OCPP 2.0.1 LocationEnumType enumeration (used by MeterValues, TransactionEvent).
type Location string

// Location values.
const (
	LocationBody   Location = "Body"
	LocationCable  Location = "Cable"
	LocationEV     Location = "EV"
	LocationInlet  Location = "Inlet"
	LocationOutlet Location = "Outlet"
)

// EnumValues lists the allowed Location values in schema order.
func (Location) EnumValues() []string {
	return []string{"Body", "Cable", "EV", "Inlet", "Outlet"}
}

// Measurand is the OCPP 2.0.1 MeasurandEnumType enumeration (used by MeterValues, TransactionEvent).
type Measurand string

// Measurand values.
const (
	MeasurandCurrentExport                Measurand = "Current.Export"
	MeasurandCurrentImport                Measurand = "Current.Import"
	MeasurandCurrentOffered               Measurand = "Current.Offered"
	MeasurandEnergyActiveExportRegister   Measurand = "Energy.Active.Export.Register"
	MeasurandEnergyActiveImportRegister   Measurand = "Energy.Active.Import.Register"
	MeasurandEnergyReactiveExportRegister Measurand = "Energy.Reactive.Export.Register"
	MeasurandEnergyReactiveImportRegister Measurand = "Energy.Reactive.Import.Register"
	MeasurandEnergyActiveExportInterval   Measurand = "Energy.Active.Export.Interval"
	MeasurandEnergyActiveImportInterval   Measurand = "Energy.Active.Import.Interval"
	MeasurandEnergyActiveNet              Measurand = "Energy.Active.Net"
	MeasurandEnergyReactiveExportInterval Measurand = "Energy.Reactive.Export.Interval"
	MeasurandEnergyReactiveImportInterval Measurand = "Energy.Reactive.Import.Interval"
	MeasurandEnergyReactiveNet            Measurand = "Energy.Reactive.Net"
	MeasurandEnergyApparentNet            Measurand = "Energy.Apparent.Net"
	MeasurandEnergyApparentImport         Measurand = "Energy.Apparent.Import"
	MeasurandEnergyApparentExport         Measurand = "Energy.Apparent.Export"
	MeasurandFrequency                    Measurand = "Frequency"
	MeasurandPowerActiveExport            Measurand = "Power.Active.Export"
	MeasurandPowerActiveImport            Measurand = "Power.Active.Import"
	MeasurandPowerFactor                  Measurand = "Power.Factor"
	MeasurandPowerOffered                 Measurand = "Power.Offered"
	MeasurandPowerReactiveExport          Measurand = "Power.Reactive.Export"
	MeasurandPowerReactiveImport          Measurand = "Power.Reactive.Import"
	MeasurandSoC                          Measurand = "SoC"
	MeasurandVoltage                      Measurand = "Voltage"
)

// EnumValues lists the allowed Measurand values in schema order.
func (Measurand) EnumValues() []string {
	return []string{"Current.Export", "Current.Import", "Current.Offered", "Energy.Active.Export.Register", "Energy.Active.Import.Register", "Energy.Reactive.Export.Register", "Energy.Reactive.Import.Register", "Energy.Active.Export.Interval", "Energy.Active.Import.Interval", "Energy.Active.Net", "Energy.Reactive.Export.Interval", "Energy.Reactive.Import.Interval", "Energy.Reactive.Net", "Energy.Apparent.Net", "Energy.Apparent.Import", "Energy.Apparent.Export", "Frequency", "Power.Active.Export", "Power.Active.Import", "Power.Factor", "Power.Offered", "Power.Reactive.Export", "Power.Reactive.Import", "SoC", "Voltage"}
}

// MessageTrigger is the OCPP 2.0.1 MessageTriggerEnumType enumeration (used by TriggerMessage).
type MessageTrigger string

// MessageTrigger values.
const (
	MessageTriggerBootNotification                  MessageTrigger = "BootNotification"
	MessageTriggerLogStatusNotification             MessageTrigger = "LogStatusNotification"
	MessageTriggerFirmwareStatusNotification        MessageTrigger = "FirmwareStatusNotification"
	MessageTriggerHeartbeat                         MessageTrigger = "Heartbeat"
	MessageTriggerMeterValues                       MessageTrigger = "MeterValues"
	MessageTriggerSignChargingStationCertificate    MessageTrigger = "SignChargingStationCertificate"
	MessageTriggerSignV2GCertificate                MessageTrigger = "SignV2GCertificate"
	MessageTriggerStatusNotification                MessageTrigger = "StatusNotification"
	MessageTriggerTransactionEvent                  MessageTrigger = "TransactionEvent"
	MessageTriggerSignCombinedCertificate           MessageTrigger = "SignCombinedCertificate"
	MessageTriggerPublishFirmwareStatusNotification MessageTrigger = "PublishFirmwareStatusNotification"
)

// EnumValues lists the allowed MessageTrigger values in schema order.
func (MessageTrigger) EnumValues() []string {
	return []string{"BootNotification", "LogStatusNotification", "FirmwareStatusNotification", "Heartbeat", "MeterValues", "SignChargingStationCertificate", "SignV2GCertificate", "StatusNotification", "TransactionEvent", "SignCombinedCertificate", "PublishFirmwareStatusNotification"}
}

// OperationalStatus is the OCPP 2.0.1 OperationalStatusEnumType enumeration (used by ChangeAvailability).
type OperationalStatus string

// OperationalStatus values.
const (
	OperationalStatusInoperative OperationalStatus = "Inoperative"
	OperationalStatusOperative   OperationalStatus = "Operative"
)

// EnumValues lists the allowed OperationalStatus values in schema order.
func (OperationalStatus) EnumValues() []string {
	return []string{"Inoperative", "Operative"}
}

// Phase is the OCPP 2.0.1 PhaseEnumType enumeration (used by MeterValues, TransactionEvent).
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

// ReadingContext is the OCPP 2.0.1 ReadingContextEnumType enumeration (used by MeterValues, TransactionEvent).
type ReadingContext string

// ReadingContext values.
const (
	ReadingContextInterruptionBegin ReadingContext = "Interruption.Begin"
	ReadingContextInterruptionEnd   ReadingContext = "Interruption.End"
	ReadingContextOther             ReadingContext = "Other"
	ReadingContextSampleClock       ReadingContext = "Sample.Clock"
	ReadingContextSamplePeriodic    ReadingContext = "Sample.Periodic"
	ReadingContextTransactionBegin  ReadingContext = "Transaction.Begin"
	ReadingContextTransactionEnd    ReadingContext = "Transaction.End"
	ReadingContextTrigger           ReadingContext = "Trigger"
)

// EnumValues lists the allowed ReadingContext values in schema order.
func (ReadingContext) EnumValues() []string {
	return []string{"Interruption.Begin", "Interruption.End", "Other", "Sample.Clock", "Sample.Periodic", "Transaction.Begin", "Transaction.End", "Trigger"}
}

// Reason is the OCPP 2.0.1 ReasonEnumType enumeration (used by TransactionEvent).
type Reason string

// Reason values.
const (
	ReasonDeAuthorized       Reason = "DeAuthorized"
	ReasonEmergencyStop      Reason = "EmergencyStop"
	ReasonEnergyLimitReached Reason = "EnergyLimitReached"
	ReasonEVDisconnected     Reason = "EVDisconnected"
	ReasonGroundFault        Reason = "GroundFault"
	ReasonImmediateReset     Reason = "ImmediateReset"
	ReasonLocal              Reason = "Local"
	ReasonLocalOutOfCredit   Reason = "LocalOutOfCredit"
	ReasonMasterPass         Reason = "MasterPass"
	ReasonOther              Reason = "Other"
	ReasonOvercurrentFault   Reason = "OvercurrentFault"
	ReasonPowerLoss          Reason = "PowerLoss"
	ReasonPowerQuality       Reason = "PowerQuality"
	ReasonReboot             Reason = "Reboot"
	ReasonRemote             Reason = "Remote"
	ReasonSOCLimitReached    Reason = "SOCLimitReached"
	ReasonStoppedByEV        Reason = "StoppedByEV"
	ReasonTimeLimitReached   Reason = "TimeLimitReached"
	ReasonTimeout            Reason = "Timeout"
)

// EnumValues lists the allowed Reason values in schema order.
func (Reason) EnumValues() []string {
	return []string{"DeAuthorized", "EmergencyStop", "EnergyLimitReached", "EVDisconnected", "GroundFault", "ImmediateReset", "Local", "LocalOutOfCredit", "MasterPass", "Other", "OvercurrentFault", "PowerLoss", "PowerQuality", "Reboot", "Remote", "SOCLimitReached", "StoppedByEV", "TimeLimitReached", "Timeout"}
}

// RecurrencyKind is the OCPP 2.0.1 RecurrencyKindEnumType enumeration (used by ReportChargingProfiles, RequestStartTransaction, SetChargingProfile).
type RecurrencyKind string

// RecurrencyKind values.
const (
	RecurrencyKindDaily  RecurrencyKind = "Daily"
	RecurrencyKindWeekly RecurrencyKind = "Weekly"
)

// EnumValues lists the allowed RecurrencyKind values in schema order.
func (RecurrencyKind) EnumValues() []string {
	return []string{"Daily", "Weekly"}
}

// RequestStartStopStatus is the OCPP 2.0.1 RequestStartStopStatusEnumType enumeration (used by RequestStartTransaction, RequestStopTransaction).
type RequestStartStopStatus string

// RequestStartStopStatus values.
const (
	RequestStartStopStatusAccepted RequestStartStopStatus = "Accepted"
	RequestStartStopStatusRejected RequestStartStopStatus = "Rejected"
)

// EnumValues lists the allowed RequestStartStopStatus values in schema order.
func (RequestStartStopStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected"}
}

// ReservationUpdateStatus is the OCPP 2.0.1 ReservationUpdateStatusEnumType enumeration (used by ReservationStatusUpdate).
type ReservationUpdateStatus string

// ReservationUpdateStatus values.
const (
	ReservationUpdateStatusExpired ReservationUpdateStatus = "Expired"
	ReservationUpdateStatusRemoved ReservationUpdateStatus = "Removed"
)

// EnumValues lists the allowed ReservationUpdateStatus values in schema order.
func (ReservationUpdateStatus) EnumValues() []string {
	return []string{"Expired", "Removed"}
}

// ReserveNowStatus is the OCPP 2.0.1 ReserveNowStatusEnumType enumeration (used by ReserveNow).
type ReserveNowStatus string

// ReserveNowStatus values.
const (
	ReserveNowStatusAccepted    ReserveNowStatus = "Accepted"
	ReserveNowStatusFaulted     ReserveNowStatus = "Faulted"
	ReserveNowStatusOccupied    ReserveNowStatus = "Occupied"
	ReserveNowStatusRejected    ReserveNowStatus = "Rejected"
	ReserveNowStatusUnavailable ReserveNowStatus = "Unavailable"
)

// EnumValues lists the allowed ReserveNowStatus values in schema order.
func (ReserveNowStatus) EnumValues() []string {
	return []string{"Accepted", "Faulted", "Occupied", "Rejected", "Unavailable"}
}

// TransactionEvent is the OCPP 2.0.1 TransactionEventEnumType enumeration (used by TransactionEvent).
type TransactionEvent string

// TransactionEvent values.
const (
	TransactionEventEnded   TransactionEvent = "Ended"
	TransactionEventStarted TransactionEvent = "Started"
	TransactionEventUpdated TransactionEvent = "Updated"
)

// EnumValues lists the allowed TransactionEvent values in schema order.
func (TransactionEvent) EnumValues() []string {
	return []string{"Ended", "Started", "Updated"}
}

// TriggerMessageStatus is the OCPP 2.0.1 TriggerMessageStatusEnumType enumeration (used by TriggerMessage).
type TriggerMessageStatus string

// TriggerMessageStatus values.
const (
	TriggerMessageStatusAccepted       TriggerMessageStatus = "Accepted"
	TriggerMessageStatusRejected       TriggerMessageStatus = "Rejected"
	TriggerMessageStatusNotImplemented TriggerMessageStatus = "NotImplemented"
)

// EnumValues lists the allowed TriggerMessageStatus values in schema order.
func (TriggerMessageStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected", "NotImplemented"}
}

// TriggerReason is the OCPP 2.0.1 TriggerReasonEnumType enumeration (used by TransactionEvent).
type TriggerReason string

// TriggerReason values.
const (
	TriggerReasonAuthorized           TriggerReason = "Authorized"
	TriggerReasonCablePluggedIn       TriggerReason = "CablePluggedIn"
	TriggerReasonChargingRateChanged  TriggerReason = "ChargingRateChanged"
	TriggerReasonChargingStateChanged TriggerReason = "ChargingStateChanged"
	TriggerReasonDeauthorized         TriggerReason = "Deauthorized"
	TriggerReasonEnergyLimitReached   TriggerReason = "EnergyLimitReached"
	TriggerReasonEVCommunicationLost  TriggerReason = "EVCommunicationLost"
	TriggerReasonEVConnectTimeout     TriggerReason = "EVConnectTimeout"
	TriggerReasonMeterValueClock      TriggerReason = "MeterValueClock"
	TriggerReasonMeterValuePeriodic   TriggerReason = "MeterValuePeriodic"
	TriggerReasonTimeLimitReached     TriggerReason = "TimeLimitReached"
	TriggerReasonTrigger              TriggerReason = "Trigger"
	TriggerReasonUnlockCommand        TriggerReason = "UnlockCommand"
	TriggerReasonStopAuthorized       TriggerReason = "StopAuthorized"
	TriggerReasonEVDeparted           TriggerReason = "EVDeparted"
	TriggerReasonEVDetected           TriggerReason = "EVDetected"
	TriggerReasonRemoteStop           TriggerReason = "RemoteStop"
	TriggerReasonRemoteStart          TriggerReason = "RemoteStart"
	TriggerReasonAbnormalCondition    TriggerReason = "AbnormalCondition"
	TriggerReasonSignedDataReceived   TriggerReason = "SignedDataReceived"
	TriggerReasonResetCommand         TriggerReason = "ResetCommand"
)

// EnumValues lists the allowed TriggerReason values in schema order.
func (TriggerReason) EnumValues() []string {
	return []string{"Authorized", "CablePluggedIn", "ChargingRateChanged", "ChargingStateChanged", "Deauthorized", "EnergyLimitReached", "EVCommunicationLost", "EVConnectTimeout", "MeterValueClock", "MeterValuePeriodic", "TimeLimitReached", "Trigger", "UnlockCommand", "StopAuthorized", "EVDeparted", "EVDetected", "RemoteStop", "RemoteStart", "AbnormalCondition", "SignedDataReceived", "ResetCommand"}
}

// UnlockStatus is the OCPP 2.0.1 UnlockStatusEnumType enumeration (used by UnlockConnector).
type UnlockStatus string

// UnlockStatus values.
const (
	UnlockStatusUnlocked                     UnlockStatus = "Unlocked"
	UnlockStatusUnlockFailed                 UnlockStatus = "UnlockFailed"
	UnlockStatusOngoingAuthorizedTransaction UnlockStatus = "OngoingAuthorizedTransaction"
	UnlockStatusUnknownConnector             UnlockStatus = "UnknownConnector"
)

// EnumValues lists the allowed UnlockStatus values in schema order.
func (UnlockStatus) EnumValues() []string {
	return []string{"Unlocked", "UnlockFailed", "OngoingAuthorizedTransaction", "UnknownConnector"}
}
