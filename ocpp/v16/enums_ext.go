package v16

// Enumerations used only by the optional feature profiles and the security whitepaper.

// CancelReservationStatus is the OCPP 1.6 CancelReservationStatus enumeration (used by CancelReservation).
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

// CertificateSignedStatusEnumType is the OCPP 1.6 CertificateSignedStatusEnumType enumeration (used by CertificateSigned).
type CertificateSignedStatusEnumType string

// CertificateSignedStatusEnumType values.
const (
	CertificateSignedStatusEnumTypeAccepted CertificateSignedStatusEnumType = "Accepted"
	CertificateSignedStatusEnumTypeRejected CertificateSignedStatusEnumType = "Rejected"
)

// EnumValues lists the allowed CertificateSignedStatusEnumType values in schema order.
func (CertificateSignedStatusEnumType) EnumValues() []string {
	return []string{"Accepted", "Rejected"}
}

// CertificateUseEnumType is the OCPP 1.6 CertificateUseEnumType enumeration (used by GetInstalledCertificateIds, InstallCertificate).
type CertificateUseEnumType string

// CertificateUseEnumType values.
const (
	CertificateUseEnumTypeCentralSystemRootCertificate CertificateUseEnumType = "CentralSystemRootCertificate"
	CertificateUseEnumTypeManufacturerRootCertificate  CertificateUseEnumType = "ManufacturerRootCertificate"
)

// EnumValues lists the allowed CertificateUseEnumType values in schema order.
func (CertificateUseEnumType) EnumValues() []string {
	return []string{"CentralSystemRootCertificate", "ManufacturerRootCertificate"}
}

// ChargingProfileStatus is the OCPP 1.6 ChargingProfileStatus enumeration (used by SetChargingProfile).
type ChargingProfileStatus string

// ChargingProfileStatus values.
const (
	ChargingProfileStatusAccepted     ChargingProfileStatus = "Accepted"
	ChargingProfileStatusRejected     ChargingProfileStatus = "Rejected"
	ChargingProfileStatusNotSupported ChargingProfileStatus = "NotSupported"
)

// EnumValues lists the allowed ChargingProfileStatus values in schema order.
func (ChargingProfileStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected", "NotSupported"}
}

// ClearChargingProfileStatus is the OCPP 1.6 ClearChargingProfileStatus enumeration (used by ClearChargingProfile).
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

// DeleteCertificateStatusEnumType is the OCPP 1.6 DeleteCertificateStatusEnumType enumeration (used by DeleteCertificate).
type DeleteCertificateStatusEnumType string

// DeleteCertificateStatusEnumType values.
const (
	DeleteCertificateStatusEnumTypeAccepted DeleteCertificateStatusEnumType = "Accepted"
	DeleteCertificateStatusEnumTypeFailed   DeleteCertificateStatusEnumType = "Failed"
	DeleteCertificateStatusEnumTypeNotFound DeleteCertificateStatusEnumType = "NotFound"
)

// EnumValues lists the allowed DeleteCertificateStatusEnumType values in schema order.
func (DeleteCertificateStatusEnumType) EnumValues() []string {
	return []string{"Accepted", "Failed", "NotFound"}
}

// DiagnosticsStatus is the OCPP 1.6 DiagnosticsStatus enumeration (used by DiagnosticsStatusNotification).
type DiagnosticsStatus string

// DiagnosticsStatus values.
const (
	DiagnosticsStatusIdle         DiagnosticsStatus = "Idle"
	DiagnosticsStatusUploaded     DiagnosticsStatus = "Uploaded"
	DiagnosticsStatusUploadFailed DiagnosticsStatus = "UploadFailed"
	DiagnosticsStatusUploading    DiagnosticsStatus = "Uploading"
)

// EnumValues lists the allowed DiagnosticsStatus values in schema order.
func (DiagnosticsStatus) EnumValues() []string {
	return []string{"Idle", "Uploaded", "UploadFailed", "Uploading"}
}

// FirmwareStatus is the OCPP 1.6 FirmwareStatus enumeration (used by FirmwareStatusNotification).
type FirmwareStatus string

// FirmwareStatus values.
const (
	FirmwareStatusDownloaded         FirmwareStatus = "Downloaded"
	FirmwareStatusDownloadFailed     FirmwareStatus = "DownloadFailed"
	FirmwareStatusDownloading        FirmwareStatus = "Downloading"
	FirmwareStatusIdle               FirmwareStatus = "Idle"
	FirmwareStatusInstallationFailed FirmwareStatus = "InstallationFailed"
	FirmwareStatusInstalling         FirmwareStatus = "Installing"
	FirmwareStatusInstalled          FirmwareStatus = "Installed"
)

// EnumValues lists the allowed FirmwareStatus values in schema order.
func (FirmwareStatus) EnumValues() []string {
	return []string{"Downloaded", "DownloadFailed", "Downloading", "Idle", "InstallationFailed", "Installing", "Installed"}
}

// FirmwareStatusEnumType is the OCPP 1.6 FirmwareStatusEnumType enumeration (used by SignedFirmwareStatusNotification).
type FirmwareStatusEnumType string

// FirmwareStatusEnumType values.
const (
	FirmwareStatusEnumTypeDownloaded                FirmwareStatusEnumType = "Downloaded"
	FirmwareStatusEnumTypeDownloadFailed            FirmwareStatusEnumType = "DownloadFailed"
	FirmwareStatusEnumTypeDownloading               FirmwareStatusEnumType = "Downloading"
	FirmwareStatusEnumTypeDownloadScheduled         FirmwareStatusEnumType = "DownloadScheduled"
	FirmwareStatusEnumTypeDownloadPaused            FirmwareStatusEnumType = "DownloadPaused"
	FirmwareStatusEnumTypeIdle                      FirmwareStatusEnumType = "Idle"
	FirmwareStatusEnumTypeInstallationFailed        FirmwareStatusEnumType = "InstallationFailed"
	FirmwareStatusEnumTypeInstalling                FirmwareStatusEnumType = "Installing"
	FirmwareStatusEnumTypeInstalled                 FirmwareStatusEnumType = "Installed"
	FirmwareStatusEnumTypeInstallRebooting          FirmwareStatusEnumType = "InstallRebooting"
	FirmwareStatusEnumTypeInstallScheduled          FirmwareStatusEnumType = "InstallScheduled"
	FirmwareStatusEnumTypeInstallVerificationFailed FirmwareStatusEnumType = "InstallVerificationFailed"
	FirmwareStatusEnumTypeInvalidSignature          FirmwareStatusEnumType = "InvalidSignature"
	FirmwareStatusEnumTypeSignatureVerified         FirmwareStatusEnumType = "SignatureVerified"
)

// EnumValues lists the allowed FirmwareStatusEnumType values in schema order.
func (FirmwareStatusEnumType) EnumValues() []string {
	return []string{"Downloaded", "DownloadFailed", "Downloading", "DownloadScheduled", "DownloadPaused", "Idle", "InstallationFailed", "Installing", "Installed", "InstallRebooting", "InstallScheduled", "InstallVerificationFailed", "InvalidSignature", "SignatureVerified"}
}

// GenericStatusEnumType is the OCPP 1.6 GenericStatusEnumType enumeration (used by SignCertificate).
type GenericStatusEnumType string

// GenericStatusEnumType values.
const (
	GenericStatusEnumTypeAccepted GenericStatusEnumType = "Accepted"
	GenericStatusEnumTypeRejected GenericStatusEnumType = "Rejected"
)

// EnumValues lists the allowed GenericStatusEnumType values in schema order.
func (GenericStatusEnumType) EnumValues() []string {
	return []string{"Accepted", "Rejected"}
}

// GetCompositeScheduleStatus is the OCPP 1.6 GetCompositeScheduleStatus enumeration (used by GetCompositeSchedule).
type GetCompositeScheduleStatus string

// GetCompositeScheduleStatus values.
const (
	GetCompositeScheduleStatusAccepted GetCompositeScheduleStatus = "Accepted"
	GetCompositeScheduleStatusRejected GetCompositeScheduleStatus = "Rejected"
)

// EnumValues lists the allowed GetCompositeScheduleStatus values in schema order.
func (GetCompositeScheduleStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected"}
}

// GetInstalledCertificateStatusEnumType is the OCPP 1.6 GetInstalledCertificateStatusEnumType enumeration (used by GetInstalledCertificateIds).
type GetInstalledCertificateStatusEnumType string

// GetInstalledCertificateStatusEnumType values.
const (
	GetInstalledCertificateStatusEnumTypeAccepted GetInstalledCertificateStatusEnumType = "Accepted"
	GetInstalledCertificateStatusEnumTypeNotFound GetInstalledCertificateStatusEnumType = "NotFound"
)

// EnumValues lists the allowed GetInstalledCertificateStatusEnumType values in schema order.
func (GetInstalledCertificateStatusEnumType) EnumValues() []string {
	return []string{"Accepted", "NotFound"}
}

// HashAlgorithmEnumType is the OCPP 1.6 HashAlgorithmEnumType enumeration (used by DeleteCertificate, GetInstalledCertificateIds).
type HashAlgorithmEnumType string

// HashAlgorithmEnumType values.
const (
	HashAlgorithmEnumTypeSHA256 HashAlgorithmEnumType = "SHA256"
	HashAlgorithmEnumTypeSHA384 HashAlgorithmEnumType = "SHA384"
	HashAlgorithmEnumTypeSHA512 HashAlgorithmEnumType = "SHA512"
)

// EnumValues lists the allowed HashAlgorithmEnumType values in schema order.
func (HashAlgorithmEnumType) EnumValues() []string {
	return []string{"SHA256", "SHA384", "SHA512"}
}

// InstallCertificateStatusEnumType is the OCPP 1.6 InstallCertificateStatusEnumType enumeration (used by InstallCertificate).
type InstallCertificateStatusEnumType string

// InstallCertificateStatusEnumType values.
const (
	InstallCertificateStatusEnumTypeAccepted InstallCertificateStatusEnumType = "Accepted"
	InstallCertificateStatusEnumTypeFailed   InstallCertificateStatusEnumType = "Failed"
	InstallCertificateStatusEnumTypeRejected InstallCertificateStatusEnumType = "Rejected"
)

// EnumValues lists the allowed InstallCertificateStatusEnumType values in schema order.
func (InstallCertificateStatusEnumType) EnumValues() []string {
	return []string{"Accepted", "Failed", "Rejected"}
}

// LogEnumType is the OCPP 1.6 LogEnumType enumeration (used by GetLog).
type LogEnumType string

// LogEnumType values.
const (
	LogEnumTypeDiagnosticsLog LogEnumType = "DiagnosticsLog"
	LogEnumTypeSecurityLog    LogEnumType = "SecurityLog"
)

// EnumValues lists the allowed LogEnumType values in schema order.
func (LogEnumType) EnumValues() []string {
	return []string{"DiagnosticsLog", "SecurityLog"}
}

// LogStatusEnumType is the OCPP 1.6 LogStatusEnumType enumeration (used by GetLog).
type LogStatusEnumType string

// LogStatusEnumType values.
const (
	LogStatusEnumTypeAccepted         LogStatusEnumType = "Accepted"
	LogStatusEnumTypeRejected         LogStatusEnumType = "Rejected"
	LogStatusEnumTypeAcceptedCanceled LogStatusEnumType = "AcceptedCanceled"
)

// EnumValues lists the allowed LogStatusEnumType values in schema order.
func (LogStatusEnumType) EnumValues() []string {
	return []string{"Accepted", "Rejected", "AcceptedCanceled"}
}

// MessageTrigger is the OCPP 1.6 MessageTrigger enumeration (used by TriggerMessage).
type MessageTrigger string

// MessageTrigger values.
const (
	MessageTriggerBootNotification              MessageTrigger = "BootNotification"
	MessageTriggerDiagnosticsStatusNotification MessageTrigger = "DiagnosticsStatusNotification"
	MessageTriggerFirmwareStatusNotification    MessageTrigger = "FirmwareStatusNotification"
	MessageTriggerHeartbeat                     MessageTrigger = "Heartbeat"
	MessageTriggerMeterValues                   MessageTrigger = "MeterValues"
	MessageTriggerStatusNotification            MessageTrigger = "StatusNotification"
)

// EnumValues lists the allowed MessageTrigger values in schema order.
func (MessageTrigger) EnumValues() []string {
	return []string{"BootNotification", "DiagnosticsStatusNotification", "FirmwareStatusNotification", "Heartbeat", "MeterValues", "StatusNotification"}
}

// MessageTriggerEnumType is the OCPP 1.6 MessageTriggerEnumType enumeration (used by ExtendedTriggerMessage).
type MessageTriggerEnumType string

// MessageTriggerEnumType values.
const (
	MessageTriggerEnumTypeBootNotification           MessageTriggerEnumType = "BootNotification"
	MessageTriggerEnumTypeLogStatusNotification      MessageTriggerEnumType = "LogStatusNotification"
	MessageTriggerEnumTypeFirmwareStatusNotification MessageTriggerEnumType = "FirmwareStatusNotification"
	MessageTriggerEnumTypeHeartbeat                  MessageTriggerEnumType = "Heartbeat"
	MessageTriggerEnumTypeMeterValues                MessageTriggerEnumType = "MeterValues"
	MessageTriggerEnumTypeSignChargePointCertificate MessageTriggerEnumType = "SignChargePointCertificate"
	MessageTriggerEnumTypeStatusNotification         MessageTriggerEnumType = "StatusNotification"
)

// EnumValues lists the allowed MessageTriggerEnumType values in schema order.
func (MessageTriggerEnumType) EnumValues() []string {
	return []string{"BootNotification", "LogStatusNotification", "FirmwareStatusNotification", "Heartbeat", "MeterValues", "SignChargePointCertificate", "StatusNotification"}
}

// ReservationStatus is the OCPP 1.6 ReservationStatus enumeration (used by ReserveNow).
type ReservationStatus string

// ReservationStatus values.
const (
	ReservationStatusAccepted    ReservationStatus = "Accepted"
	ReservationStatusFaulted     ReservationStatus = "Faulted"
	ReservationStatusOccupied    ReservationStatus = "Occupied"
	ReservationStatusRejected    ReservationStatus = "Rejected"
	ReservationStatusUnavailable ReservationStatus = "Unavailable"
)

// EnumValues lists the allowed ReservationStatus values in schema order.
func (ReservationStatus) EnumValues() []string {
	return []string{"Accepted", "Faulted", "Occupied", "Rejected", "Unavailable"}
}

// TriggerMessageStatus is the OCPP 1.6 TriggerMessageStatus enumeration (used by TriggerMessage).
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

// TriggerMessageStatusEnumType is the OCPP 1.6 TriggerMessageStatusEnumType enumeration (used by ExtendedTriggerMessage).
type TriggerMessageStatusEnumType string

// TriggerMessageStatusEnumType values.
const (
	TriggerMessageStatusEnumTypeAccepted       TriggerMessageStatusEnumType = "Accepted"
	TriggerMessageStatusEnumTypeRejected       TriggerMessageStatusEnumType = "Rejected"
	TriggerMessageStatusEnumTypeNotImplemented TriggerMessageStatusEnumType = "NotImplemented"
)

// EnumValues lists the allowed TriggerMessageStatusEnumType values in schema order.
func (TriggerMessageStatusEnumType) EnumValues() []string {
	return []string{"Accepted", "Rejected", "NotImplemented"}
}

// UpdateFirmwareStatusEnumType is the OCPP 1.6 UpdateFirmwareStatusEnumType enumeration (used by SignedUpdateFirmware).
type UpdateFirmwareStatusEnumType string

// UpdateFirmwareStatusEnumType values.
const (
	UpdateFirmwareStatusEnumTypeAccepted           UpdateFirmwareStatusEnumType = "Accepted"
	UpdateFirmwareStatusEnumTypeRejected           UpdateFirmwareStatusEnumType = "Rejected"
	UpdateFirmwareStatusEnumTypeAcceptedCanceled   UpdateFirmwareStatusEnumType = "AcceptedCanceled"
	UpdateFirmwareStatusEnumTypeInvalidCertificate UpdateFirmwareStatusEnumType = "InvalidCertificate"
	UpdateFirmwareStatusEnumTypeRevokedCertificate UpdateFirmwareStatusEnumType = "RevokedCertificate"
)

// EnumValues lists the allowed UpdateFirmwareStatusEnumType values in schema order.
func (UpdateFirmwareStatusEnumType) EnumValues() []string {
	return []string{"Accepted", "Rejected", "AcceptedCanceled", "InvalidCertificate", "RevokedCertificate"}
}

// UpdateStatus is the OCPP 1.6 UpdateStatus enumeration (used by SendLocalList).
type UpdateStatus string

// UpdateStatus values.
const (
	UpdateStatusAccepted        UpdateStatus = "Accepted"
	UpdateStatusFailed          UpdateStatus = "Failed"
	UpdateStatusNotSupported    UpdateStatus = "NotSupported"
	UpdateStatusVersionMismatch UpdateStatus = "VersionMismatch"
)

// EnumValues lists the allowed UpdateStatus values in schema order.
func (UpdateStatus) EnumValues() []string {
	return []string{"Accepted", "Failed", "NotSupported", "VersionMismatch"}
}

// UpdateType is the OCPP 1.6 UpdateType enumeration (used by SendLocalList).
type UpdateType string

// UpdateType values.
const (
	UpdateTypeDifferential UpdateType = "Differential"
	UpdateTypeFull         UpdateType = "Full"
)

// EnumValues lists the allowed UpdateType values in schema order.
func (UpdateType) EnumValues() []string {
	return []string{"Differential", "Full"}
}

// UploadLogStatusEnumType is the OCPP 1.6 UploadLogStatusEnumType enumeration (used by LogStatusNotification).
type UploadLogStatusEnumType string

// UploadLogStatusEnumType values.
const (
	UploadLogStatusEnumTypeBadMessage            UploadLogStatusEnumType = "BadMessage"
	UploadLogStatusEnumTypeIdle                  UploadLogStatusEnumType = "Idle"
	UploadLogStatusEnumTypeNotSupportedOperation UploadLogStatusEnumType = "NotSupportedOperation"
	UploadLogStatusEnumTypePermissionDenied      UploadLogStatusEnumType = "PermissionDenied"
	UploadLogStatusEnumTypeUploaded              UploadLogStatusEnumType = "Uploaded"
	UploadLogStatusEnumTypeUploadFailure         UploadLogStatusEnumType = "UploadFailure"
	UploadLogStatusEnumTypeUploading             UploadLogStatusEnumType = "Uploading"
)

// EnumValues lists the allowed UploadLogStatusEnumType values in schema order.
func (UploadLogStatusEnumType) EnumValues() []string {
	return []string{"BadMessage", "Idle", "NotSupportedOperation", "PermissionDenied", "Uploaded", "UploadFailure", "Uploading"}
}
