package v16

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

// Feature profile names. The first six are the values of the 1.6 configuration key
// SupportedFeatureProfiles; the Security* ones group the security whitepaper messages.
const (
	ProfileCore                    = "Core"
	ProfileFirmwareManagement      = "FirmwareManagement"
	ProfileLocalAuthListManagement = "LocalAuthListManagement"
	ProfileReservation             = "Reservation"
	ProfileSmartCharging           = "SmartCharging"
	ProfileRemoteTrigger           = "RemoteTrigger"
	ProfileSecurityCertificates    = "SecurityCertificates"
	ProfileSecurityEvents          = "SecurityEvents"
	ProfileSecurityLogging         = "SecurityLogging"
	ProfileSecuritySignedFirmware  = "SecuritySignedFirmware"
	ProfileSecurityExtendedTrigger = "SecurityExtendedTrigger"
)

// Message describes one OCPP 1.6 action.
type Message struct {
	// Action is the action name as it appears in the CALL frame (case-sensitive).
	Action    string
	Direction Direction
	// Profile is one of the Profile* constants.
	Profile string
	// NewRequest returns a pointer to a new zero request value (e.g. *BootNotificationRequest).
	NewRequest func() any
	// NewResponse returns a pointer to a new zero response value.
	NewResponse func() any
}

// actionCount is the number of 1.6 actions (all of ocpp-1.6-messages.md's index).
const actionCount = 39

// Catalogue returns every OCPP 1.6 action, in the order of the message reference. The
// slice is new on every call; callers may keep or modify it.
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
		// Core
		{"Authorize", ToCSMS, ProfileCore, func() any { return new(AuthorizeRequest) }, func() any { return new(AuthorizeResponse) }},
		{"BootNotification", ToCSMS, ProfileCore, func() any { return new(BootNotificationRequest) }, func() any { return new(BootNotificationResponse) }},
		{"ChangeAvailability", ToStation, ProfileCore, func() any { return new(ChangeAvailabilityRequest) }, func() any { return new(ChangeAvailabilityResponse) }},
		{"ChangeConfiguration", ToStation, ProfileCore, func() any { return new(ChangeConfigurationRequest) }, func() any { return new(ChangeConfigurationResponse) }},
		{"ClearCache", ToStation, ProfileCore, func() any { return new(ClearCacheRequest) }, func() any { return new(ClearCacheResponse) }},
		{"DataTransfer", Both, ProfileCore, func() any { return new(DataTransferRequest) }, func() any { return new(DataTransferResponse) }},
		{"GetConfiguration", ToStation, ProfileCore, func() any { return new(GetConfigurationRequest) }, func() any { return new(GetConfigurationResponse) }},
		{"Heartbeat", ToCSMS, ProfileCore, func() any { return new(HeartbeatRequest) }, func() any { return new(HeartbeatResponse) }},
		{"MeterValues", ToCSMS, ProfileCore, func() any { return new(MeterValuesRequest) }, func() any { return new(MeterValuesResponse) }},
		{"RemoteStartTransaction", ToStation, ProfileCore, func() any { return new(RemoteStartTransactionRequest) }, func() any { return new(RemoteStartTransactionResponse) }},
		{"RemoteStopTransaction", ToStation, ProfileCore, func() any { return new(RemoteStopTransactionRequest) }, func() any { return new(RemoteStopTransactionResponse) }},
		{"Reset", ToStation, ProfileCore, func() any { return new(ResetRequest) }, func() any { return new(ResetResponse) }},
		{"StartTransaction", ToCSMS, ProfileCore, func() any { return new(StartTransactionRequest) }, func() any { return new(StartTransactionResponse) }},
		{"StatusNotification", ToCSMS, ProfileCore, func() any { return new(StatusNotificationRequest) }, func() any { return new(StatusNotificationResponse) }},
		{"StopTransaction", ToCSMS, ProfileCore, func() any { return new(StopTransactionRequest) }, func() any { return new(StopTransactionResponse) }},
		{"UnlockConnector", ToStation, ProfileCore, func() any { return new(UnlockConnectorRequest) }, func() any { return new(UnlockConnectorResponse) }},
		// Firmware Management
		{"DiagnosticsStatusNotification", ToCSMS, ProfileFirmwareManagement, func() any { return new(DiagnosticsStatusNotificationRequest) }, func() any { return new(DiagnosticsStatusNotificationResponse) }},
		{"FirmwareStatusNotification", ToCSMS, ProfileFirmwareManagement, func() any { return new(FirmwareStatusNotificationRequest) }, func() any { return new(FirmwareStatusNotificationResponse) }},
		{"GetDiagnostics", ToStation, ProfileFirmwareManagement, func() any { return new(GetDiagnosticsRequest) }, func() any { return new(GetDiagnosticsResponse) }},
		{"UpdateFirmware", ToStation, ProfileFirmwareManagement, func() any { return new(UpdateFirmwareRequest) }, func() any { return new(UpdateFirmwareResponse) }},
		// Local Auth List Management
		{"GetLocalListVersion", ToStation, ProfileLocalAuthListManagement, func() any { return new(GetLocalListVersionRequest) }, func() any { return new(GetLocalListVersionResponse) }},
		{"SendLocalList", ToStation, ProfileLocalAuthListManagement, func() any { return new(SendLocalListRequest) }, func() any { return new(SendLocalListResponse) }},
		// Reservation
		{"CancelReservation", ToStation, ProfileReservation, func() any { return new(CancelReservationRequest) }, func() any { return new(CancelReservationResponse) }},
		{"ReserveNow", ToStation, ProfileReservation, func() any { return new(ReserveNowRequest) }, func() any { return new(ReserveNowResponse) }},
		// Smart Charging
		{"ClearChargingProfile", ToStation, ProfileSmartCharging, func() any { return new(ClearChargingProfileRequest) }, func() any { return new(ClearChargingProfileResponse) }},
		{"GetCompositeSchedule", ToStation, ProfileSmartCharging, func() any { return new(GetCompositeScheduleRequest) }, func() any { return new(GetCompositeScheduleResponse) }},
		{"SetChargingProfile", ToStation, ProfileSmartCharging, func() any { return new(SetChargingProfileRequest) }, func() any { return new(SetChargingProfileResponse) }},
		// Remote Trigger
		{"TriggerMessage", ToStation, ProfileRemoteTrigger, func() any { return new(TriggerMessageRequest) }, func() any { return new(TriggerMessageResponse) }},
		// Security whitepaper
		{"CertificateSigned", ToStation, ProfileSecurityCertificates, func() any { return new(CertificateSignedRequest) }, func() any { return new(CertificateSignedResponse) }},
		{"DeleteCertificate", ToStation, ProfileSecurityCertificates, func() any { return new(DeleteCertificateRequest) }, func() any { return new(DeleteCertificateResponse) }},
		{"GetInstalledCertificateIds", ToStation, ProfileSecurityCertificates, func() any { return new(GetInstalledCertificateIdsRequest) }, func() any { return new(GetInstalledCertificateIdsResponse) }},
		{"InstallCertificate", ToStation, ProfileSecurityCertificates, func() any { return new(InstallCertificateRequest) }, func() any { return new(InstallCertificateResponse) }},
		{"SignCertificate", ToCSMS, ProfileSecurityCertificates, func() any { return new(SignCertificateRequest) }, func() any { return new(SignCertificateResponse) }},
		{"SecurityEventNotification", ToCSMS, ProfileSecurityEvents, func() any { return new(SecurityEventNotificationRequest) }, func() any { return new(SecurityEventNotificationResponse) }},
		{"GetLog", ToStation, ProfileSecurityLogging, func() any { return new(GetLogRequest) }, func() any { return new(GetLogResponse) }},
		{"LogStatusNotification", ToCSMS, ProfileSecurityLogging, func() any { return new(LogStatusNotificationRequest) }, func() any { return new(LogStatusNotificationResponse) }},
		{"SignedFirmwareStatusNotification", ToCSMS, ProfileSecuritySignedFirmware, func() any { return new(SignedFirmwareStatusNotificationRequest) }, func() any { return new(SignedFirmwareStatusNotificationResponse) }},
		{"SignedUpdateFirmware", ToStation, ProfileSecuritySignedFirmware, func() any { return new(SignedUpdateFirmwareRequest) }, func() any { return new(SignedUpdateFirmwareResponse) }},
		{"ExtendedTriggerMessage", ToStation, ProfileSecurityExtendedTrigger, func() any { return new(ExtendedTriggerMessageRequest) }, func() any { return new(ExtendedTriggerMessageResponse) }},
	}
}
