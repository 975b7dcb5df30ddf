package v201

import "fmt"

// Direction says which side sends an action's request (CALL).
type Direction int

const (
	// ToCSMS: the charger sends the request, the CSMS (the hub) answers.
	ToCSMS Direction = iota + 1
	// ToStation: the CSMS sends the request, the charger answers.
	ToStation
	// Both: either side may send the request (DataTransfer).
	Both
)

// String returns "ToCSMS", "ToStation" or "Both".
func (d Direction) String() string {
	switch d {
	case ToCSMS:
		return "ToCSMS"
	case ToStation:
		return "ToStation"
	case Both:
		return "Both"
	}
	return fmt.Sprintf("Direction(%d)", int(d))
}

// Profile names: the OCPP 2.0.1 functional blocks (Part 2), named without their letter.
const (
	ProfileSecurity                         = "Security"                         // A
	ProfileProvisioning                     = "Provisioning"                     // B
	ProfileAuthorization                    = "Authorization"                    // C
	ProfileLocalAuthorizationListManagement = "LocalAuthorizationListManagement" // D
	ProfileTransactions                     = "Transactions"                     // E
	ProfileRemoteControl                    = "RemoteControl"                    // F
	ProfileAvailability                     = "Availability"                     // G
	ProfileReservation                      = "Reservation"                      // H
	ProfileTariffAndCost                    = "TariffAndCost"                    // I
	ProfileMeterValues                      = "MeterValues"                      // J
	ProfileSmartCharging                    = "SmartCharging"                    // K
	ProfileFirmwareManagement               = "FirmwareManagement"               // L
	ProfileISO15118CertificateManagement    = "ISO15118CertificateManagement"    // M
	ProfileDiagnostics                      = "Diagnostics"                      // N
	ProfileDisplayMessage                   = "DisplayMessage"                   // O
	ProfileDataTransfer                     = "DataTransfer"                     // P
)

// Message describes one OCPP 2.0.1 action.
type Message struct {
	// Action is the action name as it appears in the CALL frame (case-sensitive).
	Action    string
	Direction Direction
	// Profile is one of the Profile* constants: the action's functional block.
	Profile string
	// NewRequest returns a pointer to a new zero request value (e.g. *BootNotificationRequest).
	NewRequest func() any
	// NewResponse returns a pointer to a new zero response value.
	NewResponse func() any
}

// actionCount is the number of 2.0.1 actions (all of ocpp-2.0.1-messages.md's index).
const actionCount = 64

// Catalogue returns every OCPP 2.0.1 action, in the order of the message reference
// (by functional block). The slice is new on every call; callers may keep or modify it.
func Catalogue() []Message {
	all := catalogue()
	return all[:]
}

// Lookup returns the catalogue entry of action (exact, case-sensitive match).
func Lookup(action string) (Message, bool) {
	all := catalogue()
	for i := range all {
		if all[i].Action == action {
			return all[i], true
		}
	}
	return Message{}, false
}

// catalogue builds the table as an array value: no package-level state, and Lookup
// scans it without a heap allocation.
func catalogue() [actionCount]Message {
	return [actionCount]Message{
		// A Security
		{"CertificateSigned", ToStation, ProfileSecurity, func() any { return new(CertificateSignedRequest) }, func() any { return new(CertificateSignedResponse) }},
		{"SecurityEventNotification", ToCSMS, ProfileSecurity, func() any { return new(SecurityEventNotificationRequest) }, func() any { return new(SecurityEventNotificationResponse) }},
		{"SignCertificate", ToCSMS, ProfileSecurity, func() any { return new(SignCertificateRequest) }, func() any { return new(SignCertificateResponse) }},
		// B Provisioning
		{"BootNotification", ToCSMS, ProfileProvisioning, func() any { return new(BootNotificationRequest) }, func() any { return new(BootNotificationResponse) }},
		{"GetBaseReport", ToStation, ProfileProvisioning, func() any { return new(GetBaseReportRequest) }, func() any { return new(GetBaseReportResponse) }},
		{"GetReport", ToStation, ProfileProvisioning, func() any { return new(GetReportRequest) }, func() any { return new(GetReportResponse) }},
		{"GetVariables", ToStation, ProfileProvisioning, func() any { return new(GetVariablesRequest) }, func() any { return new(GetVariablesResponse) }},
		{"NotifyReport", ToCSMS, ProfileProvisioning, func() any { return new(NotifyReportRequest) }, func() any { return new(NotifyReportResponse) }},
		{"Reset", ToStation, ProfileProvisioning, func() any { return new(ResetRequest) }, func() any { return new(ResetResponse) }},
		{"SetNetworkProfile", ToStation, ProfileProvisioning, func() any { return new(SetNetworkProfileRequest) }, func() any { return new(SetNetworkProfileResponse) }},
		{"SetVariables", ToStation, ProfileProvisioning, func() any { return new(SetVariablesRequest) }, func() any { return new(SetVariablesResponse) }},
		// C Authorization
		{"Authorize", ToCSMS, ProfileAuthorization, func() any { return new(AuthorizeRequest) }, func() any { return new(AuthorizeResponse) }},
		{"ClearCache", ToStation, ProfileAuthorization, func() any { return new(ClearCacheRequest) }, func() any { return new(ClearCacheResponse) }},
		// D LocalAuthorizationListManagement
		{"GetLocalListVersion", ToStation, ProfileLocalAuthorizationListManagement, func() any { return new(GetLocalListVersionRequest) }, func() any { return new(GetLocalListVersionResponse) }},
		{"SendLocalList", ToStation, ProfileLocalAuthorizationListManagement, func() any { return new(SendLocalListRequest) }, func() any { return new(SendLocalListResponse) }},
		// E Transactions
		{"GetTransactionStatus", ToStation, ProfileTransactions, func() any { return new(GetTransactionStatusRequest) }, func() any { return new(GetTransactionStatusResponse) }},
		{"TransactionEvent", ToCSMS, ProfileTransactions, func() any { return new(TransactionEventRequest) }, func() any { return new(TransactionEventResponse) }},
		// F RemoteControl
		{"RequestStartTransaction", ToStation, ProfileRemoteControl, func() any { return new(RequestStartTransactionRequest) }, func() any { return new(RequestStartTransactionResponse) }},
		{"RequestStopTransaction", ToStation, ProfileRemoteControl, func() any { return new(RequestStopTransactionRequest) }, func() any { return new(RequestStopTransactionResponse) }},
		{"TriggerMessage", ToStation, ProfileRemoteControl, func() any { return new(TriggerMessageRequest) }, func() any { return new(TriggerMessageResponse) }},
		{"UnlockConnector", ToStation, ProfileRemoteControl, func() any { return new(UnlockConnectorRequest) }, func() any { return new(UnlockConnectorResponse) }},
		// G Availability
		{"ChangeAvailability", ToStation, ProfileAvailability, func() any { return new(ChangeAvailabilityRequest) }, func() any { return new(ChangeAvailabilityResponse) }},
		{"Heartbeat", ToCSMS, ProfileAvailability, func() any { return new(HeartbeatRequest) }, func() any { return new(HeartbeatResponse) }},
		{"StatusNotification", ToCSMS, ProfileAvailability, func() any { return new(StatusNotificationRequest) }, func() any { return new(StatusNotificationResponse) }},
		// H Reservation
		{"CancelReservation", ToStation, ProfileReservation, func() any { return new(CancelReservationRequest) }, func() any { return new(CancelReservationResponse) }},
		{"ReservationStatusUpdate", ToCSMS, ProfileReservation, func() any { return new(ReservationStatusUpdateRequest) }, func() any { return new(ReservationStatusUpdateResponse) }},
		{"ReserveNow", ToStation, ProfileReservation, func() any { return new(ReserveNowRequest) }, func() any { return new(ReserveNowResponse) }},
		// I TariffAndCost
		{"CostUpdated", ToStation, ProfileTariffAndCost, func() any { return new(CostUpdatedRequest) }, func() any { return new(CostUpdatedResponse) }},
		// J MeterValues
		{"MeterValues", ToCSMS, ProfileMeterValues, func() any { return new(MeterValuesRequest) }, func() any { return new(MeterValuesResponse) }},
		// K SmartCharging
		{"ClearChargingProfile", ToStation, ProfileSmartCharging, func() any { return new(ClearChargingProfileRequest) }, func() any { return new(ClearChargingProfileResponse) }},
		{"ClearedChargingLimit", ToCSMS, ProfileSmartCharging, func() any { return new(ClearedChargingLimitRequest) }, func() any { return new(ClearedChargingLimitResponse) }},
		{"GetChargingProfiles", ToStation, ProfileSmartCharging, func() any { return new(GetChargingProfilesRequest) }, func() any { return new(GetChargingProfilesResponse) }},
		{"GetCompositeSchedule", ToStation, ProfileSmartCharging, func() any { return new(GetCompositeScheduleRequest) }, func() any { return new(GetCompositeScheduleResponse) }},
		{"NotifyChargingLimit", ToCSMS, ProfileSmartCharging, func() any { return new(NotifyChargingLimitRequest) }, func() any { return new(NotifyChargingLimitResponse) }},
		{"NotifyEVChargingNeeds", ToCSMS, ProfileSmartCharging, func() any { return new(NotifyEVChargingNeedsRequest) }, func() any { return new(NotifyEVChargingNeedsResponse) }},
		{"NotifyEVChargingSchedule", ToCSMS, ProfileSmartCharging, func() any { return new(NotifyEVChargingScheduleRequest) }, func() any { return new(NotifyEVChargingScheduleResponse) }},
		{"ReportChargingProfiles", ToCSMS, ProfileSmartCharging, func() any { return new(ReportChargingProfilesRequest) }, func() any { return new(ReportChargingProfilesResponse) }},
		{"SetChargingProfile", ToStation, ProfileSmartCharging, func() any { return new(SetChargingProfileRequest) }, func() any { return new(SetChargingProfileResponse) }},
		// L FirmwareManagement
		{"FirmwareStatusNotification", ToCSMS, ProfileFirmwareManagement, func() any { return new(FirmwareStatusNotificationRequest) }, func() any { return new(FirmwareStatusNotificationResponse) }},
		{"PublishFirmware", ToStation, ProfileFirmwareManagement, func() any { return new(PublishFirmwareRequest) }, func() any { return new(PublishFirmwareResponse) }},
		{"PublishFirmwareStatusNotification", ToCSMS, ProfileFirmwareManagement, func() any { return new(PublishFirmwareStatusNotificationRequest) }, func() any { return new(PublishFirmwareStatusNotificationResponse) }},
		{"UnpublishFirmware", ToStation, ProfileFirmwareManagement, func() any { return new(UnpublishFirmwareRequest) }, func() any { return new(UnpublishFirmwareResponse) }},
		{"UpdateFirmware", ToStation, ProfileFirmwareManagement, func() any { return new(UpdateFirmwareRequest) }, func() any { return new(UpdateFirmwareResponse) }},
		// M ISO15118CertificateManagement
		{"DeleteCertificate", ToStation, ProfileISO15118CertificateManagement, func() any { return new(DeleteCertificateRequest) }, func() any { return new(DeleteCertificateResponse) }},
		{"Get15118EVCertificate", ToCSMS, ProfileISO15118CertificateManagement, func() any { return new(Get15118EVCertificateRequest) }, func() any { return new(Get15118EVCertificateResponse) }},
		{"GetCertificateStatus", ToCSMS, ProfileISO15118CertificateManagement, func() any { return new(GetCertificateStatusRequest) }, func() any { return new(GetCertificateStatusResponse) }},
		{"GetInstalledCertificateIds", ToStation, ProfileISO15118CertificateManagement, func() any { return new(GetInstalledCertificateIdsRequest) }, func() any { return new(GetInstalledCertificateIdsResponse) }},
		{"InstallCertificate", ToStation, ProfileISO15118CertificateManagement, func() any { return new(InstallCertificateRequest) }, func() any { return new(InstallCertificateResponse) }},
		// N Diagnostics
		{"ClearVariableMonitoring", ToStation, ProfileDiagnostics, func() any { return new(ClearVariableMonitoringRequest) }, func() any { return new(ClearVariableMonitoringResponse) }},
		{"CustomerInformation", ToStation, ProfileDiagnostics, func() any { return new(CustomerInformationRequest) }, func() any { return new(CustomerInformationResponse) }},
		{"GetLog", ToStation, ProfileDiagnostics, func() any { return new(GetLogRequest) }, func() any { return new(GetLogResponse) }},
		{"GetMonitoringReport", ToStation, ProfileDiagnostics, func() any { return new(GetMonitoringReportRequest) }, func() any { return new(GetMonitoringReportResponse) }},
		{"LogStatusNotification", ToCSMS, ProfileDiagnostics, func() any { return new(LogStatusNotificationRequest) }, func() any { return new(LogStatusNotificationResponse) }},
		{"NotifyCustomerInformation", ToCSMS, ProfileDiagnostics, func() any { return new(NotifyCustomerInformationRequest) }, func() any { return new(NotifyCustomerInformationResponse) }},
		{"NotifyEvent", ToCSMS, ProfileDiagnostics, func() any { return new(NotifyEventRequest) }, func() any { return new(NotifyEventResponse) }},
		{"NotifyMonitoringReport", ToCSMS, ProfileDiagnostics, func() any { return new(NotifyMonitoringReportRequest) }, func() any { return new(NotifyMonitoringReportResponse) }},
		{"SetMonitoringBase", ToStation, ProfileDiagnostics, func() any { return new(SetMonitoringBaseRequest) }, func() any { return new(SetMonitoringBaseResponse) }},
		{"SetMonitoringLevel", ToStation, ProfileDiagnostics, func() any { return new(SetMonitoringLevelRequest) }, func() any { return new(SetMonitoringLevelResponse) }},
		{"SetVariableMonitoring", ToStation, ProfileDiagnostics, func() any { return new(SetVariableMonitoringRequest) }, func() any { return new(SetVariableMonitoringResponse) }},
		// O DisplayMessage
		{"ClearDisplayMessage", ToStation, ProfileDisplayMessage, func() any { return new(ClearDisplayMessageRequest) }, func() any { return new(ClearDisplayMessageResponse) }},
		{"GetDisplayMessages", ToStation, ProfileDisplayMessage, func() any { return new(GetDisplayMessagesRequest) }, func() any { return new(GetDisplayMessagesResponse) }},
		{"NotifyDisplayMessages", ToCSMS, ProfileDisplayMessage, func() any { return new(NotifyDisplayMessagesRequest) }, func() any { return new(NotifyDisplayMessagesResponse) }},
		{"SetDisplayMessage", ToStation, ProfileDisplayMessage, func() any { return new(SetDisplayMessageRequest) }, func() any { return new(SetDisplayMessageResponse) }},
		// P DataTransfer
		{"DataTransfer", Both, ProfileDataTransfer, func() any { return new(DataTransferRequest) }, func() any { return new(DataTransferResponse) }},
	}
}
