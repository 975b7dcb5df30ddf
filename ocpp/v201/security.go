package v201

import "github.com/chargehub/hub/ocpp/wire"

// Functional block A: Security.

// CertificateSignedRequest is CertificateSigned.req (CSMS → Charger).
type CertificateSignedRequest struct {
	CustomData *CustomData `json:"customData,omitempty"`
	// CertificateChain is the PEM-encoded signed certificate, optionally followed by intermediates.
	CertificateChain string                `json:"certificateChain" ocpp:"required,max=10000"`
	CertificateType  CertificateSigningUse `json:"certificateType,omitempty"`
}

// CertificateSignedResponse is CertificateSigned.conf.
type CertificateSignedResponse struct {
	CustomData *CustomData             `json:"customData,omitempty"`
	Status     CertificateSignedStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo             `json:"statusInfo,omitempty"`
}

// SecurityEventNotificationRequest is SecurityEventNotification.req (Charger → CSMS).
type SecurityEventNotificationRequest struct {
	CustomData *CustomData `json:"customData,omitempty"`
	// Type is a security event name from Part 2 Appendices (e.g. "FirmwareUpdated"); free text.
	Type      string        `json:"type" ocpp:"required,max=50"`
	Timestamp wire.DateTime `json:"timestamp" ocpp:"required"`
	TechInfo  string        `json:"techInfo,omitempty" ocpp:"max=255"`
}

// SecurityEventNotificationResponse is SecurityEventNotification.conf; its payload is empty.
type SecurityEventNotificationResponse struct {
	CustomData *CustomData `json:"customData,omitempty"`
}

// SignCertificateRequest is SignCertificate.req (Charger → CSMS).
type SignCertificateRequest struct {
	CustomData *CustomData `json:"customData,omitempty"`
	// CSR is the PEM-encoded PKCS#10 certificate signing request.
	CSR             string                `json:"csr" ocpp:"required,max=5500"`
	CertificateType CertificateSigningUse `json:"certificateType,omitempty"`
}

// SignCertificateResponse is SignCertificate.conf.
type SignCertificateResponse struct {
	CustomData *CustomData   `json:"customData,omitempty"`
	Status     GenericStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo   `json:"statusInfo,omitempty"`
}
