package v16

import "github.com/chargehub/hub/ocpp/wire"

// Messages of the "Improved security for OCPP 1.6-J" whitepaper.

// CertificateSignedRequest is CertificateSigned.req (CSMS → Charger).
type CertificateSignedRequest struct {
	// CertificateChain is the PEM-encoded signed certificate, optionally followed by intermediates.
	CertificateChain string `json:"certificateChain" ocpp:"required,max=10000"`
}

// CertificateSignedResponse is CertificateSigned.conf.
type CertificateSignedResponse struct {
	Status CertificateSignedStatusEnumType `json:"status" ocpp:"required"`
}

// CertificateHashData is the whitepaper CertificateHashDataType: identifies one certificate.
type CertificateHashData struct {
	HashAlgorithm  HashAlgorithmEnumType `json:"hashAlgorithm" ocpp:"required"`
	IssuerNameHash string                `json:"issuerNameHash" ocpp:"required,max=128"`
	IssuerKeyHash  string                `json:"issuerKeyHash" ocpp:"required,max=128"`
	SerialNumber   string                `json:"serialNumber" ocpp:"required,max=40"`
}

// DeleteCertificateRequest is DeleteCertificate.req (CSMS → Charger).
type DeleteCertificateRequest struct {
	CertificateHashData CertificateHashData `json:"certificateHashData" ocpp:"required"`
}

// DeleteCertificateResponse is DeleteCertificate.conf.
type DeleteCertificateResponse struct {
	Status DeleteCertificateStatusEnumType `json:"status" ocpp:"required"`
}

// GetInstalledCertificateIdsRequest is GetInstalledCertificateIds.req (CSMS → Charger).
type GetInstalledCertificateIdsRequest struct {
	CertificateType CertificateUseEnumType `json:"certificateType" ocpp:"required"`
}

// GetInstalledCertificateIdsResponse is GetInstalledCertificateIds.conf. When present,
// CertificateHashData must hold at least one item.
type GetInstalledCertificateIdsResponse struct {
	CertificateHashData []CertificateHashData                 `json:"certificateHashData,omitempty" ocpp:"min=1"`
	Status              GetInstalledCertificateStatusEnumType `json:"status" ocpp:"required"`
}

// InstallCertificateRequest is InstallCertificate.req (CSMS → Charger).
type InstallCertificateRequest struct {
	CertificateType CertificateUseEnumType `json:"certificateType" ocpp:"required"`
	// Certificate is PEM-encoded.
	Certificate string `json:"certificate" ocpp:"required,max=5500"`
}

// InstallCertificateResponse is InstallCertificate.conf.
type InstallCertificateResponse struct {
	Status InstallCertificateStatusEnumType `json:"status" ocpp:"required"`
}

// SignCertificateRequest is SignCertificate.req (Charger → CSMS).
type SignCertificateRequest struct {
	// CSR is the PEM-encoded certificate signing request.
	CSR string `json:"csr" ocpp:"required,max=5500"`
}

// SignCertificateResponse is SignCertificate.conf.
type SignCertificateResponse struct {
	Status GenericStatusEnumType `json:"status" ocpp:"required"`
}

// SecurityEventNotificationRequest is SecurityEventNotification.req (Charger → CSMS).
// Type is free text (the whitepaper lists well-known values).
type SecurityEventNotificationRequest struct {
	Type      string        `json:"type" ocpp:"required,max=50"`
	Timestamp wire.DateTime `json:"timestamp" ocpp:"required"`
	TechInfo  string        `json:"techInfo,omitempty" ocpp:"max=255"`
}

// SecurityEventNotificationResponse is SecurityEventNotification.conf; its payload is empty.
type SecurityEventNotificationResponse struct{}

// LogParameters is the whitepaper LogParametersType.
type LogParameters struct {
	RemoteLocation  string         `json:"remoteLocation" ocpp:"required,max=512"`
	OldestTimestamp *wire.DateTime `json:"oldestTimestamp,omitempty"`
	LatestTimestamp *wire.DateTime `json:"latestTimestamp,omitempty"`
}

// GetLogRequest is GetLog.req (CSMS → Charger).
type GetLogRequest struct {
	Log           LogParameters `json:"log" ocpp:"required"`
	LogType       LogEnumType   `json:"logType" ocpp:"required"`
	RequestID     int           `json:"requestId" ocpp:"required"`
	Retries       *int          `json:"retries,omitempty"`
	RetryInterval *int          `json:"retryInterval,omitempty"`
}

// GetLogResponse is GetLog.conf.
type GetLogResponse struct {
	Status   LogStatusEnumType `json:"status" ocpp:"required"`
	Filename string            `json:"filename,omitempty" ocpp:"max=255"`
}

// LogStatusNotificationRequest is LogStatusNotification.req (Charger → CSMS).
type LogStatusNotificationRequest struct {
	Status    UploadLogStatusEnumType `json:"status" ocpp:"required"`
	RequestID *int                    `json:"requestId,omitempty"`
}

// LogStatusNotificationResponse is LogStatusNotification.conf; its payload is empty.
type LogStatusNotificationResponse struct{}

// SignedFirmwareStatusNotificationRequest is SignedFirmwareStatusNotification.req (Charger → CSMS).
type SignedFirmwareStatusNotificationRequest struct {
	Status    FirmwareStatusEnumType `json:"status" ocpp:"required"`
	RequestID *int                   `json:"requestId,omitempty"`
}

// SignedFirmwareStatusNotificationResponse is SignedFirmwareStatusNotification.conf; its payload is empty.
type SignedFirmwareStatusNotificationResponse struct{}

// Firmware is the whitepaper FirmwareType: a signed firmware image to install.
type Firmware struct {
	Location           string         `json:"location" ocpp:"required,max=512"`
	RetrieveDateTime   wire.DateTime  `json:"retrieveDateTime" ocpp:"required"`
	InstallDateTime    *wire.DateTime `json:"installDateTime,omitempty"`
	SigningCertificate string         `json:"signingCertificate" ocpp:"required,max=5500"`
	Signature          string         `json:"signature" ocpp:"required,max=800"`
}

// SignedUpdateFirmwareRequest is SignedUpdateFirmware.req (CSMS → Charger).
type SignedUpdateFirmwareRequest struct {
	Retries       *int     `json:"retries,omitempty"`
	RetryInterval *int     `json:"retryInterval,omitempty"`
	RequestID     int      `json:"requestId" ocpp:"required"`
	Firmware      Firmware `json:"firmware" ocpp:"required"`
}

// SignedUpdateFirmwareResponse is SignedUpdateFirmware.conf.
type SignedUpdateFirmwareResponse struct {
	Status UpdateFirmwareStatusEnumType `json:"status" ocpp:"required"`
}

// ExtendedTriggerMessageRequest is ExtendedTriggerMessage.req (CSMS → Charger).
type ExtendedTriggerMessageRequest struct {
	RequestedMessage MessageTriggerEnumType `json:"requestedMessage" ocpp:"required"`
	ConnectorID      *int                   `json:"connectorId,omitempty"`
}

// ExtendedTriggerMessageResponse is ExtendedTriggerMessage.conf.
type ExtendedTriggerMessageResponse struct {
	Status TriggerMessageStatusEnumType `json:"status" ocpp:"required"`
}
