package v201

// Functional block M: ISO15118CertificateManagement.

// DeleteCertificateRequest is DeleteCertificate.req (CSMS → Charger).
type DeleteCertificateRequest struct {
	CustomData          *CustomData         `json:"customData,omitempty"`
	CertificateHashData CertificateHashData `json:"certificateHashData" ocpp:"required"`
}

// DeleteCertificateResponse is DeleteCertificate.conf.
type DeleteCertificateResponse struct {
	CustomData *CustomData             `json:"customData,omitempty"`
	Status     DeleteCertificateStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo             `json:"statusInfo,omitempty"`
}

// Get15118EVCertificateRequest is Get15118EVCertificate.req (Charger → CSMS): an EV asks
// for a contract certificate to be installed or updated.
type Get15118EVCertificateRequest struct {
	CustomData            *CustomData       `json:"customData,omitempty"`
	ISO15118SchemaVersion string            `json:"iso15118SchemaVersion" ocpp:"required,max=50"`
	Action                CertificateAction `json:"action" ocpp:"required"`
	// EXIRequest is the base64-encoded raw EXI CertificateInstallationReq/CertificateUpdateReq.
	EXIRequest string `json:"exiRequest" ocpp:"required,max=5600"`
}

// Get15118EVCertificateResponse is Get15118EVCertificate.conf.
type Get15118EVCertificateResponse struct {
	CustomData *CustomData                 `json:"customData,omitempty"`
	Status     Iso15118EVCertificateStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo                 `json:"statusInfo,omitempty"`
	// EXIResponse is the base64-encoded raw EXI response for the EV.
	EXIResponse string `json:"exiResponse" ocpp:"required,max=5600"`
}

// GetCertificateStatusRequest is GetCertificateStatus.req (Charger → CSMS): the station
// asks the CSMS to run an OCSP request for it.
type GetCertificateStatusRequest struct {
	CustomData      *CustomData     `json:"customData,omitempty"`
	OCSPRequestData OCSPRequestData `json:"ocspRequestData" ocpp:"required"`
}

// GetCertificateStatusResponse is GetCertificateStatus.conf (status Accepted|Failed only,
// not the generic one: ocpp-field-quirks.md §21).
type GetCertificateStatusResponse struct {
	CustomData *CustomData          `json:"customData,omitempty"`
	Status     GetCertificateStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo          `json:"statusInfo,omitempty"`
	// OCSPResult is the base64-encoded DER OCSPResponse.
	OCSPResult string `json:"ocspResult,omitempty" ocpp:"max=5500"`
}

// GetInstalledCertificateIdsRequest is GetInstalledCertificateIds.req (CSMS → Charger).
// Without CertificateType all types are reported.
type GetInstalledCertificateIdsRequest struct {
	CustomData      *CustomData           `json:"customData,omitempty"`
	CertificateType []GetCertificateIdUse `json:"certificateType,omitempty" ocpp:"min=1"`
}

// CertificateHashDataChain is the 2.0.1 CertificateHashDataChainType: an installed
// certificate and its child certificates.
type CertificateHashDataChain struct {
	CustomData               *CustomData           `json:"customData,omitempty"`
	CertificateHashData      CertificateHashData   `json:"certificateHashData" ocpp:"required"`
	CertificateType          GetCertificateIdUse   `json:"certificateType" ocpp:"required"`
	ChildCertificateHashData []CertificateHashData `json:"childCertificateHashData,omitempty" ocpp:"min=1,max=4"`
}

// GetInstalledCertificateIdsResponse is GetInstalledCertificateIds.conf.
type GetInstalledCertificateIdsResponse struct {
	CustomData               *CustomData                   `json:"customData,omitempty"`
	Status                   GetInstalledCertificateStatus `json:"status" ocpp:"required"`
	StatusInfo               *StatusInfo                   `json:"statusInfo,omitempty"`
	CertificateHashDataChain []CertificateHashDataChain    `json:"certificateHashDataChain,omitempty" ocpp:"min=1"`
}

// InstallCertificateRequest is InstallCertificate.req (CSMS → Charger).
type InstallCertificateRequest struct {
	CustomData      *CustomData           `json:"customData,omitempty"`
	CertificateType InstallCertificateUse `json:"certificateType" ocpp:"required"`
	// Certificate is PEM-encoded.
	Certificate string `json:"certificate" ocpp:"required,max=5500"`
}

// InstallCertificateResponse is InstallCertificate.conf.
type InstallCertificateResponse struct {
	CustomData *CustomData              `json:"customData,omitempty"`
	Status     InstallCertificateStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo              `json:"statusInfo,omitempty"`
}
