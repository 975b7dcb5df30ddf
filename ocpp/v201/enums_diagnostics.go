package v201

// Enumerations first used by the FirmwareManagement, ISO15118CertificateManagement, Diagnostics, DisplayMessage and DataTransfer blocks (L-P).

// CertificateAction is the OCPP 2.0.1 CertificateActionEnumType enumeration (used by Get15118EVCertificate).
type CertificateAction string

// CertificateAction values.
const (
	CertificateActionInstall CertificateAction = "Install"
	CertificateActionUpdate  CertificateAction = "Update"
)

// EnumValues lists the allowed CertificateAction values in schema order.
func (CertificateAction) EnumValues() []string {
	return []string{"Install", "Update"}
}

// ClearMessageStatus is the OCPP 2.0.1 ClearMessageStatusEnumType enumeration (used by ClearDisplayMessage).
type ClearMessageStatus string

// ClearMessageStatus values.
const (
	ClearMessageStatusAccepted ClearMessageStatus = "Accepted"
	ClearMessageStatusUnknown  ClearMessageStatus = "Unknown"
)

// EnumValues lists the allowed ClearMessageStatus values in schema order.
func (ClearMessageStatus) EnumValues() []string {
	return []string{"Accepted", "Unknown"}
}

// ClearMonitoringStatus is the OCPP 2.0.1 ClearMonitoringStatusEnumType enumeration (used by ClearVariableMonitoring).
type ClearMonitoringStatus string

// ClearMonitoringStatus values.
const (
	ClearMonitoringStatusAccepted ClearMonitoringStatus = "Accepted"
	ClearMonitoringStatusRejected ClearMonitoringStatus = "Rejected"
	ClearMonitoringStatusNotFound ClearMonitoringStatus = "NotFound"
)

// EnumValues lists the allowed ClearMonitoringStatus values in schema order.
func (ClearMonitoringStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected", "NotFound"}
}

// CustomerInformationStatus is the OCPP 2.0.1 CustomerInformationStatusEnumType enumeration (used by CustomerInformation).
type CustomerInformationStatus string

// CustomerInformationStatus values.
const (
	CustomerInformationStatusAccepted CustomerInformationStatus = "Accepted"
	CustomerInformationStatusRejected CustomerInformationStatus = "Rejected"
	CustomerInformationStatusInvalid  CustomerInformationStatus = "Invalid"
)

// EnumValues lists the allowed CustomerInformationStatus values in schema order.
func (CustomerInformationStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected", "Invalid"}
}

// DataTransferStatus is the OCPP 2.0.1 DataTransferStatusEnumType enumeration (used by DataTransfer).
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

// DeleteCertificateStatus is the OCPP 2.0.1 DeleteCertificateStatusEnumType enumeration (used by DeleteCertificate).
type DeleteCertificateStatus string

// DeleteCertificateStatus values.
const (
	DeleteCertificateStatusAccepted DeleteCertificateStatus = "Accepted"
	DeleteCertificateStatusFailed   DeleteCertificateStatus = "Failed"
	DeleteCertificateStatusNotFound DeleteCertificateStatus = "NotFound"
)

// EnumValues lists the allowed DeleteCertificateStatus values in schema order.
func (DeleteCertificateStatus) EnumValues() []string {
	return []string{"Accepted", "Failed", "NotFound"}
}

// DisplayMessageStatus is the OCPP 2.0.1 DisplayMessageStatusEnumType enumeration (used by SetDisplayMessage).
type DisplayMessageStatus string

// DisplayMessageStatus values.
const (
	DisplayMessageStatusAccepted                  DisplayMessageStatus = "Accepted"
	DisplayMessageStatusNotSupportedMessageFormat DisplayMessageStatus = "NotSupportedMessageFormat"
	DisplayMessageStatusRejected                  DisplayMessageStatus = "Rejected"
	DisplayMessageStatusNotSupportedPriority      DisplayMessageStatus = "NotSupportedPriority"
	DisplayMessageStatusNotSupportedState         DisplayMessageStatus = "NotSupportedState"
	DisplayMessageStatusUnknownTransaction        DisplayMessageStatus = "UnknownTransaction"
)

// EnumValues lists the allowed DisplayMessageStatus values in schema order.
func (DisplayMessageStatus) EnumValues() []string {
	return []string{"Accepted", "NotSupportedMessageFormat", "Rejected", "NotSupportedPriority", "NotSupportedState", "UnknownTransaction"}
}

// EventNotification is the OCPP 2.0.1 EventNotificationEnumType enumeration (used by NotifyEvent).
type EventNotification string

// EventNotification values.
const (
	EventNotificationHardWiredNotification EventNotification = "HardWiredNotification"
	EventNotificationHardWiredMonitor      EventNotification = "HardWiredMonitor"
	EventNotificationPreconfiguredMonitor  EventNotification = "PreconfiguredMonitor"
	EventNotificationCustomMonitor         EventNotification = "CustomMonitor"
)

// EnumValues lists the allowed EventNotification values in schema order.
func (EventNotification) EnumValues() []string {
	return []string{"HardWiredNotification", "HardWiredMonitor", "PreconfiguredMonitor", "CustomMonitor"}
}

// EventTrigger is the OCPP 2.0.1 EventTriggerEnumType enumeration (used by NotifyEvent).
type EventTrigger string

// EventTrigger values.
const (
	EventTriggerAlerting EventTrigger = "Alerting"
	EventTriggerDelta    EventTrigger = "Delta"
	EventTriggerPeriodic EventTrigger = "Periodic"
)

// EnumValues lists the allowed EventTrigger values in schema order.
func (EventTrigger) EnumValues() []string {
	return []string{"Alerting", "Delta", "Periodic"}
}

// FirmwareStatus is the OCPP 2.0.1 FirmwareStatusEnumType enumeration (used by FirmwareStatusNotification).
type FirmwareStatus string

// FirmwareStatus values.
const (
	FirmwareStatusDownloaded                FirmwareStatus = "Downloaded"
	FirmwareStatusDownloadFailed            FirmwareStatus = "DownloadFailed"
	FirmwareStatusDownloading               FirmwareStatus = "Downloading"
	FirmwareStatusDownloadScheduled         FirmwareStatus = "DownloadScheduled"
	FirmwareStatusDownloadPaused            FirmwareStatus = "DownloadPaused"
	FirmwareStatusIdle                      FirmwareStatus = "Idle"
	FirmwareStatusInstallationFailed        FirmwareStatus = "InstallationFailed"
	FirmwareStatusInstalling                FirmwareStatus = "Installing"
	FirmwareStatusInstalled                 FirmwareStatus = "Installed"
	FirmwareStatusInstallRebooting          FirmwareStatus = "InstallRebooting"
	FirmwareStatusInstallScheduled          FirmwareStatus = "InstallScheduled"
	FirmwareStatusInstallVerificationFailed FirmwareStatus = "InstallVerificationFailed"
	FirmwareStatusInvalidSignature          FirmwareStatus = "InvalidSignature"
	FirmwareStatusSignatureVerified         FirmwareStatus = "SignatureVerified"
)

// EnumValues lists the allowed FirmwareStatus values in schema order.
func (FirmwareStatus) EnumValues() []string {
	return []string{"Downloaded", "DownloadFailed", "Downloading", "DownloadScheduled", "DownloadPaused", "Idle", "InstallationFailed", "Installing", "Installed", "InstallRebooting", "InstallScheduled", "InstallVerificationFailed", "InvalidSignature", "SignatureVerified"}
}

// GetCertificateIdUse is the OCPP 2.0.1 GetCertificateIdUseEnumType enumeration (used by GetInstalledCertificateIds).
type GetCertificateIdUse string

// GetCertificateIdUse values.
const (
	GetCertificateIdUseV2GRootCertificate          GetCertificateIdUse = "V2GRootCertificate"
	GetCertificateIdUseMORootCertificate           GetCertificateIdUse = "MORootCertificate"
	GetCertificateIdUseCSMSRootCertificate         GetCertificateIdUse = "CSMSRootCertificate"
	GetCertificateIdUseV2GCertificateChain         GetCertificateIdUse = "V2GCertificateChain"
	GetCertificateIdUseManufacturerRootCertificate GetCertificateIdUse = "ManufacturerRootCertificate"
)

// EnumValues lists the allowed GetCertificateIdUse values in schema order.
func (GetCertificateIdUse) EnumValues() []string {
	return []string{"V2GRootCertificate", "MORootCertificate", "CSMSRootCertificate", "V2GCertificateChain", "ManufacturerRootCertificate"}
}

// GetCertificateStatus is the OCPP 2.0.1 GetCertificateStatusEnumType enumeration (used by GetCertificateStatus).
type GetCertificateStatus string

// GetCertificateStatus values.
const (
	GetCertificateStatusAccepted GetCertificateStatus = "Accepted"
	GetCertificateStatusFailed   GetCertificateStatus = "Failed"
)

// EnumValues lists the allowed GetCertificateStatus values in schema order.
func (GetCertificateStatus) EnumValues() []string {
	return []string{"Accepted", "Failed"}
}

// GetDisplayMessagesStatus is the OCPP 2.0.1 GetDisplayMessagesStatusEnumType enumeration (used by GetDisplayMessages).
type GetDisplayMessagesStatus string

// GetDisplayMessagesStatus values.
const (
	GetDisplayMessagesStatusAccepted GetDisplayMessagesStatus = "Accepted"
	GetDisplayMessagesStatusUnknown  GetDisplayMessagesStatus = "Unknown"
)

// EnumValues lists the allowed GetDisplayMessagesStatus values in schema order.
func (GetDisplayMessagesStatus) EnumValues() []string {
	return []string{"Accepted", "Unknown"}
}

// GetInstalledCertificateStatus is the OCPP 2.0.1 GetInstalledCertificateStatusEnumType enumeration (used by GetInstalledCertificateIds).
type GetInstalledCertificateStatus string

// GetInstalledCertificateStatus values.
const (
	GetInstalledCertificateStatusAccepted GetInstalledCertificateStatus = "Accepted"
	GetInstalledCertificateStatusNotFound GetInstalledCertificateStatus = "NotFound"
)

// EnumValues lists the allowed GetInstalledCertificateStatus values in schema order.
func (GetInstalledCertificateStatus) EnumValues() []string {
	return []string{"Accepted", "NotFound"}
}

// InstallCertificateStatus is the OCPP 2.0.1 InstallCertificateStatusEnumType enumeration (used by InstallCertificate).
type InstallCertificateStatus string

// InstallCertificateStatus values.
const (
	InstallCertificateStatusAccepted InstallCertificateStatus = "Accepted"
	InstallCertificateStatusRejected InstallCertificateStatus = "Rejected"
	InstallCertificateStatusFailed   InstallCertificateStatus = "Failed"
)

// EnumValues lists the allowed InstallCertificateStatus values in schema order.
func (InstallCertificateStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected", "Failed"}
}

// InstallCertificateUse is the OCPP 2.0.1 InstallCertificateUseEnumType enumeration (used by InstallCertificate).
type InstallCertificateUse string

// InstallCertificateUse values.
const (
	InstallCertificateUseV2GRootCertificate          InstallCertificateUse = "V2GRootCertificate"
	InstallCertificateUseMORootCertificate           InstallCertificateUse = "MORootCertificate"
	InstallCertificateUseCSMSRootCertificate         InstallCertificateUse = "CSMSRootCertificate"
	InstallCertificateUseManufacturerRootCertificate InstallCertificateUse = "ManufacturerRootCertificate"
)

// EnumValues lists the allowed InstallCertificateUse values in schema order.
func (InstallCertificateUse) EnumValues() []string {
	return []string{"V2GRootCertificate", "MORootCertificate", "CSMSRootCertificate", "ManufacturerRootCertificate"}
}

// Iso15118EVCertificateStatus is the OCPP 2.0.1 Iso15118EVCertificateStatusEnumType enumeration (used by Get15118EVCertificate).
type Iso15118EVCertificateStatus string

// Iso15118EVCertificateStatus values.
const (
	Iso15118EVCertificateStatusAccepted Iso15118EVCertificateStatus = "Accepted"
	Iso15118EVCertificateStatusFailed   Iso15118EVCertificateStatus = "Failed"
)

// EnumValues lists the allowed Iso15118EVCertificateStatus values in schema order.
func (Iso15118EVCertificateStatus) EnumValues() []string {
	return []string{"Accepted", "Failed"}
}

// Log is the OCPP 2.0.1 LogEnumType enumeration (used by GetLog).
type Log string

// Log values.
const (
	LogDiagnosticsLog Log = "DiagnosticsLog"
	LogSecurityLog    Log = "SecurityLog"
)

// EnumValues lists the allowed Log values in schema order.
func (Log) EnumValues() []string {
	return []string{"DiagnosticsLog", "SecurityLog"}
}

// LogStatus is the OCPP 2.0.1 LogStatusEnumType enumeration (used by GetLog).
type LogStatus string

// LogStatus values.
const (
	LogStatusAccepted         LogStatus = "Accepted"
	LogStatusRejected         LogStatus = "Rejected"
	LogStatusAcceptedCanceled LogStatus = "AcceptedCanceled"
)

// EnumValues lists the allowed LogStatus values in schema order.
func (LogStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected", "AcceptedCanceled"}
}

// MessagePriority is the OCPP 2.0.1 MessagePriorityEnumType enumeration (used by GetDisplayMessages, NotifyDisplayMessages, SetDisplayMessage).
type MessagePriority string

// MessagePriority values.
const (
	MessagePriorityAlwaysFront MessagePriority = "AlwaysFront"
	MessagePriorityInFront     MessagePriority = "InFront"
	MessagePriorityNormalCycle MessagePriority = "NormalCycle"
)

// EnumValues lists the allowed MessagePriority values in schema order.
func (MessagePriority) EnumValues() []string {
	return []string{"AlwaysFront", "InFront", "NormalCycle"}
}

// MessageState is the OCPP 2.0.1 MessageStateEnumType enumeration (used by GetDisplayMessages, NotifyDisplayMessages, SetDisplayMessage).
type MessageState string

// MessageState values.
const (
	MessageStateCharging    MessageState = "Charging"
	MessageStateFaulted     MessageState = "Faulted"
	MessageStateIdle        MessageState = "Idle"
	MessageStateUnavailable MessageState = "Unavailable"
)

// EnumValues lists the allowed MessageState values in schema order.
func (MessageState) EnumValues() []string {
	return []string{"Charging", "Faulted", "Idle", "Unavailable"}
}

// Monitor is the OCPP 2.0.1 MonitorEnumType enumeration (used by NotifyMonitoringReport, SetVariableMonitoring).
type Monitor string

// Monitor values.
const (
	MonitorUpperThreshold       Monitor = "UpperThreshold"
	MonitorLowerThreshold       Monitor = "LowerThreshold"
	MonitorDelta                Monitor = "Delta"
	MonitorPeriodic             Monitor = "Periodic"
	MonitorPeriodicClockAligned Monitor = "PeriodicClockAligned"
)

// EnumValues lists the allowed Monitor values in schema order.
func (Monitor) EnumValues() []string {
	return []string{"UpperThreshold", "LowerThreshold", "Delta", "Periodic", "PeriodicClockAligned"}
}

// MonitoringBase is the OCPP 2.0.1 MonitoringBaseEnumType enumeration (used by SetMonitoringBase).
type MonitoringBase string

// MonitoringBase values.
const (
	MonitoringBaseAll            MonitoringBase = "All"
	MonitoringBaseFactoryDefault MonitoringBase = "FactoryDefault"
	MonitoringBaseHardWiredOnly  MonitoringBase = "HardWiredOnly"
)

// EnumValues lists the allowed MonitoringBase values in schema order.
func (MonitoringBase) EnumValues() []string {
	return []string{"All", "FactoryDefault", "HardWiredOnly"}
}

// MonitoringCriterion is the OCPP 2.0.1 MonitoringCriterionEnumType enumeration (used by GetMonitoringReport).
type MonitoringCriterion string

// MonitoringCriterion values.
const (
	MonitoringCriterionThresholdMonitoring MonitoringCriterion = "ThresholdMonitoring"
	MonitoringCriterionDeltaMonitoring     MonitoringCriterion = "DeltaMonitoring"
	MonitoringCriterionPeriodicMonitoring  MonitoringCriterion = "PeriodicMonitoring"
)

// EnumValues lists the allowed MonitoringCriterion values in schema order.
func (MonitoringCriterion) EnumValues() []string {
	return []string{"ThresholdMonitoring", "DeltaMonitoring", "PeriodicMonitoring"}
}

// PublishFirmwareStatus is the OCPP 2.0.1 PublishFirmwareStatusEnumType enumeration (used by PublishFirmwareStatusNotification).
type PublishFirmwareStatus string

// PublishFirmwareStatus values.
const (
	PublishFirmwareStatusIdle              PublishFirmwareStatus = "Idle"
	PublishFirmwareStatusDownloadScheduled PublishFirmwareStatus = "DownloadScheduled"
	PublishFirmwareStatusDownloading       PublishFirmwareStatus = "Downloading"
	PublishFirmwareStatusDownloaded        PublishFirmwareStatus = "Downloaded"
	PublishFirmwareStatusPublished         PublishFirmwareStatus = "Published"
	PublishFirmwareStatusDownloadFailed    PublishFirmwareStatus = "DownloadFailed"
	PublishFirmwareStatusDownloadPaused    PublishFirmwareStatus = "DownloadPaused"
	PublishFirmwareStatusInvalidChecksum   PublishFirmwareStatus = "InvalidChecksum"
	PublishFirmwareStatusChecksumVerified  PublishFirmwareStatus = "ChecksumVerified"
	PublishFirmwareStatusPublishFailed     PublishFirmwareStatus = "PublishFailed"
)

// EnumValues lists the allowed PublishFirmwareStatus values in schema order.
func (PublishFirmwareStatus) EnumValues() []string {
	return []string{"Idle", "DownloadScheduled", "Downloading", "Downloaded", "Published", "DownloadFailed", "DownloadPaused", "InvalidChecksum", "ChecksumVerified", "PublishFailed"}
}

// SetMonitoringStatus is the OCPP 2.0.1 SetMonitoringStatusEnumType enumeration (used by SetVariableMonitoring).
type SetMonitoringStatus string

// SetMonitoringStatus values.
const (
	SetMonitoringStatusAccepted               SetMonitoringStatus = "Accepted"
	SetMonitoringStatusUnknownComponent       SetMonitoringStatus = "UnknownComponent"
	SetMonitoringStatusUnknownVariable        SetMonitoringStatus = "UnknownVariable"
	SetMonitoringStatusUnsupportedMonitorType SetMonitoringStatus = "UnsupportedMonitorType"
	SetMonitoringStatusRejected               SetMonitoringStatus = "Rejected"
	SetMonitoringStatusDuplicate              SetMonitoringStatus = "Duplicate"
)

// EnumValues lists the allowed SetMonitoringStatus values in schema order.
func (SetMonitoringStatus) EnumValues() []string {
	return []string{"Accepted", "UnknownComponent", "UnknownVariable", "UnsupportedMonitorType", "Rejected", "Duplicate"}
}

// UnpublishFirmwareStatus is the OCPP 2.0.1 UnpublishFirmwareStatusEnumType enumeration (used by UnpublishFirmware).
type UnpublishFirmwareStatus string

// UnpublishFirmwareStatus values.
const (
	UnpublishFirmwareStatusDownloadOngoing UnpublishFirmwareStatus = "DownloadOngoing"
	UnpublishFirmwareStatusNoFirmware      UnpublishFirmwareStatus = "NoFirmware"
	UnpublishFirmwareStatusUnpublished     UnpublishFirmwareStatus = "Unpublished"
)

// EnumValues lists the allowed UnpublishFirmwareStatus values in schema order.
func (UnpublishFirmwareStatus) EnumValues() []string {
	return []string{"DownloadOngoing", "NoFirmware", "Unpublished"}
}

// UpdateFirmwareStatus is the OCPP 2.0.1 UpdateFirmwareStatusEnumType enumeration (used by UpdateFirmware).
type UpdateFirmwareStatus string

// UpdateFirmwareStatus values.
const (
	UpdateFirmwareStatusAccepted           UpdateFirmwareStatus = "Accepted"
	UpdateFirmwareStatusRejected           UpdateFirmwareStatus = "Rejected"
	UpdateFirmwareStatusAcceptedCanceled   UpdateFirmwareStatus = "AcceptedCanceled"
	UpdateFirmwareStatusInvalidCertificate UpdateFirmwareStatus = "InvalidCertificate"
	UpdateFirmwareStatusRevokedCertificate UpdateFirmwareStatus = "RevokedCertificate"
)

// EnumValues lists the allowed UpdateFirmwareStatus values in schema order.
func (UpdateFirmwareStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected", "AcceptedCanceled", "InvalidCertificate", "RevokedCertificate"}
}

// UploadLogStatus is the OCPP 2.0.1 UploadLogStatusEnumType enumeration (used by LogStatusNotification).
type UploadLogStatus string

// UploadLogStatus values.
const (
	UploadLogStatusBadMessage            UploadLogStatus = "BadMessage"
	UploadLogStatusIdle                  UploadLogStatus = "Idle"
	UploadLogStatusNotSupportedOperation UploadLogStatus = "NotSupportedOperation"
	UploadLogStatusPermissionDenied      UploadLogStatus = "PermissionDenied"
	UploadLogStatusUploaded              UploadLogStatus = "Uploaded"
	UploadLogStatusUploadFailure         UploadLogStatus = "UploadFailure"
	UploadLogStatusUploading             UploadLogStatus = "Uploading"
	UploadLogStatusAcceptedCanceled      UploadLogStatus = "AcceptedCanceled"
)

// EnumValues lists the allowed UploadLogStatus values in schema order.
func (UploadLogStatus) EnumValues() []string {
	return []string{"BadMessage", "Idle", "NotSupportedOperation", "PermissionDenied", "Uploaded", "UploadFailure", "Uploading", "AcceptedCanceled"}
}
