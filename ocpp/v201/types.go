package v201

import "github.com/chargehub/hub/ocpp/wire"

// Data types shared by several functional blocks.

// StatusInfo is the 2.0.1 StatusInfoType: more detail on a status in a response.
type StatusInfo struct {
	CustomData *CustomData `json:"customData,omitempty"`
	// ReasonCode is a predefined code (e.g. "InvalidValue"), case-insensitive.
	ReasonCode     string `json:"reasonCode" ocpp:"required,max=20"`
	AdditionalInfo string `json:"additionalInfo,omitempty" ocpp:"max=512"`
}

// EVSE is the 2.0.1 EVSEType: an EVSE (id > 0; 0 is the station as a whole where a
// message allows it), optionally one of its connectors.
type EVSE struct {
	CustomData  *CustomData `json:"customData,omitempty"`
	ID          int         `json:"id" ocpp:"required"`
	ConnectorID *int        `json:"connectorId,omitempty"`
}

// Component is the 2.0.1 ComponentType: a device-model component (ocpp-notes.md §14).
type Component struct {
	CustomData *CustomData `json:"customData,omitempty"`
	EVSE       *EVSE       `json:"evse,omitempty"`
	Name       string      `json:"name" ocpp:"required,max=50"`
	Instance   string      `json:"instance,omitempty" ocpp:"max=50"`
}

// Variable is the 2.0.1 VariableType: a device-model variable of a component.
type Variable struct {
	CustomData *CustomData `json:"customData,omitempty"`
	Name       string      `json:"name" ocpp:"required,max=50"`
	Instance   string      `json:"instance,omitempty" ocpp:"max=50"`
}

// ComponentVariable is the 2.0.1 ComponentVariableType: a component and optionally one of
// its variables (GetReport, GetMonitoringReport filters).
type ComponentVariable struct {
	CustomData *CustomData `json:"customData,omitempty"`
	Component  Component   `json:"component" ocpp:"required"`
	Variable   *Variable   `json:"variable,omitempty"`
}

// AdditionalInfo is the 2.0.1 AdditionalInfoType: an extra identifier of an IdToken.
type AdditionalInfo struct {
	CustomData        *CustomData `json:"customData,omitempty"`
	AdditionalIDToken string      `json:"additionalIdToken" ocpp:"required,max=36"`
	Type              string      `json:"type" ocpp:"required,max=50"`
}

// IdToken is the 2.0.1 IdTokenType: an identifier used for authorization (an RFID UID,
// an eMAID, a key code...). In lenient mode an unknown type is kept verbatim (warning
// enum_unknown), so a transaction message carrying an odd token type is not refused.
type IdToken struct {
	CustomData     *CustomData      `json:"customData,omitempty"`
	AdditionalInfo []AdditionalInfo `json:"additionalInfo,omitempty" ocpp:"min=1"`
	IDToken        string           `json:"idToken" ocpp:"required,max=36"`
	Type           IdTokenEnumType  `json:"type" ocpp:"required,keepraw"`
}

// MessageContent is the 2.0.1 MessageContentType: a text to show to the driver.
type MessageContent struct {
	CustomData *CustomData   `json:"customData,omitempty"`
	Format     MessageFormat `json:"format" ocpp:"required"`
	// Language is an RFC 5646 language code, e.g. "en" or "nl-BE".
	Language string `json:"language,omitempty" ocpp:"max=8"`
	Content  string `json:"content" ocpp:"required,max=512"`
}

// IdTokenInfo is the 2.0.1 IdTokenInfoType: the CSMS's authorization verdict on an IdToken.
type IdTokenInfo struct {
	CustomData          *CustomData         `json:"customData,omitempty"`
	Status              AuthorizationStatus `json:"status" ocpp:"required"`
	CacheExpiryDateTime *wire.DateTime      `json:"cacheExpiryDateTime,omitempty"`
	ChargingPriority    *int                `json:"chargingPriority,omitempty"`
	Language1           string              `json:"language1,omitempty" ocpp:"max=8"`
	// EVSEID lists the EVSEs the token may be used at; absent means all.
	EVSEID          []int           `json:"evseId,omitempty" ocpp:"min=1"`
	GroupIDToken    *IdToken        `json:"groupIdToken,omitempty"`
	Language2       string          `json:"language2,omitempty" ocpp:"max=8"`
	PersonalMessage *MessageContent `json:"personalMessage,omitempty"`
}

// CertificateHashData is the 2.0.1 CertificateHashDataType: identifies one certificate.
type CertificateHashData struct {
	CustomData     *CustomData   `json:"customData,omitempty"`
	HashAlgorithm  HashAlgorithm `json:"hashAlgorithm" ocpp:"required"`
	IssuerNameHash string        `json:"issuerNameHash" ocpp:"required,max=128"`
	IssuerKeyHash  string        `json:"issuerKeyHash" ocpp:"required,max=128"`
	SerialNumber   string        `json:"serialNumber" ocpp:"required,max=40"`
}

// OCSPRequestData is the 2.0.1 OCSPRequestDataType: a certificate plus the OCSP
// responder to ask about it.
type OCSPRequestData struct {
	CustomData     *CustomData   `json:"customData,omitempty"`
	HashAlgorithm  HashAlgorithm `json:"hashAlgorithm" ocpp:"required"`
	IssuerNameHash string        `json:"issuerNameHash" ocpp:"required,max=128"`
	IssuerKeyHash  string        `json:"issuerKeyHash" ocpp:"required,max=128"`
	SerialNumber   string        `json:"serialNumber" ocpp:"required,max=40"`
	ResponderURL   string        `json:"responderURL" ocpp:"required,max=512"`
}
