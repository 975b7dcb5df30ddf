package v201

// Functional blocks C (Authorization) and D (LocalAuthorizationListManagement).

// AuthorizeRequest is Authorize.req (Charger → CSMS).
type AuthorizeRequest struct {
	CustomData *CustomData `json:"customData,omitempty"`
	IDToken    IdToken     `json:"idToken" ocpp:"required"`
	// Certificate is the PEM-encoded contract certificate chain (ISO 15118 Plug & Charge).
	Certificate                 string            `json:"certificate,omitempty" ocpp:"max=5500"`
	ISO15118CertificateHashData []OCSPRequestData `json:"iso15118CertificateHashData,omitempty" ocpp:"min=1,max=4"`
}

// AuthorizeResponse is Authorize.conf.
type AuthorizeResponse struct {
	CustomData        *CustomData                `json:"customData,omitempty"`
	IDTokenInfo       IdTokenInfo                `json:"idTokenInfo" ocpp:"required"`
	CertificateStatus AuthorizeCertificateStatus `json:"certificateStatus,omitempty"`
}

// ClearCacheRequest is ClearCache.req (CSMS → Charger); its payload is empty.
type ClearCacheRequest struct {
	CustomData *CustomData `json:"customData,omitempty"`
}

// ClearCacheResponse is ClearCache.conf.
type ClearCacheResponse struct {
	CustomData *CustomData      `json:"customData,omitempty"`
	Status     ClearCacheStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo      `json:"statusInfo,omitempty"`
}

// GetLocalListVersionRequest is GetLocalListVersion.req (CSMS → Charger); its payload is empty.
type GetLocalListVersionRequest struct {
	CustomData *CustomData `json:"customData,omitempty"`
}

// GetLocalListVersionResponse is GetLocalListVersion.conf. VersionNumber 0 means no list.
type GetLocalListVersionResponse struct {
	CustomData    *CustomData `json:"customData,omitempty"`
	VersionNumber int         `json:"versionNumber" ocpp:"required"`
}

// AuthorizationData is the 2.0.1 AuthorizationData: one entry of a local authorization
// list. Without IDTokenInfo (in a Differential update) the token is removed from the list.
type AuthorizationData struct {
	CustomData  *CustomData  `json:"customData,omitempty"`
	IDToken     IdToken      `json:"idToken" ocpp:"required"`
	IDTokenInfo *IdTokenInfo `json:"idTokenInfo,omitempty"`
}

// SendLocalListRequest is SendLocalList.req (CSMS → Charger).
type SendLocalListRequest struct {
	CustomData             *CustomData         `json:"customData,omitempty"`
	LocalAuthorizationList []AuthorizationData `json:"localAuthorizationList,omitempty" ocpp:"min=1"`
	VersionNumber          int                 `json:"versionNumber" ocpp:"required"`
	UpdateType             Update              `json:"updateType" ocpp:"required"`
}

// SendLocalListResponse is SendLocalList.conf.
type SendLocalListResponse struct {
	CustomData *CustomData         `json:"customData,omitempty"`
	Status     SendLocalListStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo         `json:"statusInfo,omitempty"`
}
