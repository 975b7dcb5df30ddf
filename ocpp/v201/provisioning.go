package v201

import "github.com/chargehub/hub/ocpp/wire"

// Functional block B: Provisioning (boot, device model, reset, network profiles).

// Modem is the 2.0.1 ModemType: the station's wireless modem.
type Modem struct {
	CustomData *CustomData `json:"customData,omitempty"`
	ICCID      string      `json:"iccid,omitempty" ocpp:"max=20"`
	IMSI       string      `json:"imsi,omitempty" ocpp:"max=20"`
}

// ChargingStation is the 2.0.1 ChargingStationType: the station as described at boot.
type ChargingStation struct {
	CustomData      *CustomData `json:"customData,omitempty"`
	SerialNumber    string      `json:"serialNumber,omitempty" ocpp:"max=25"`
	Model           string      `json:"model" ocpp:"required,max=20"`
	Modem           *Modem      `json:"modem,omitempty"`
	VendorName      string      `json:"vendorName" ocpp:"required,max=50"`
	FirmwareVersion string      `json:"firmwareVersion,omitempty" ocpp:"max=50"`
}

// BootNotificationRequest is BootNotification.req (Charger → CSMS). In lenient mode an
// unknown reason becomes Unknown (warning enum_unknown with the raw value).
type BootNotificationRequest struct {
	CustomData      *CustomData     `json:"customData,omitempty"`
	ChargingStation ChargingStation `json:"chargingStation" ocpp:"required"`
	Reason          BootReason      `json:"reason" ocpp:"required,fallback=Unknown"`
}

// BootNotificationResponse is BootNotification.conf.
type BootNotificationResponse struct {
	CustomData  *CustomData   `json:"customData,omitempty"`
	CurrentTime wire.DateTime `json:"currentTime" ocpp:"required"`
	// Interval is the heartbeat interval (Accepted) or the retry wait (Pending/Rejected), in seconds.
	Interval   int                `json:"interval" ocpp:"required"`
	Status     RegistrationStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo        `json:"statusInfo,omitempty"`
}

// GetBaseReportRequest is GetBaseReport.req (CSMS → Charger); the report arrives as
// NotifyReport messages carrying the same requestId.
type GetBaseReportRequest struct {
	CustomData *CustomData `json:"customData,omitempty"`
	RequestID  int         `json:"requestId" ocpp:"required"`
	ReportBase ReportBase  `json:"reportBase" ocpp:"required"`
}

// GetBaseReportResponse is GetBaseReport.conf.
type GetBaseReportResponse struct {
	CustomData *CustomData              `json:"customData,omitempty"`
	Status     GenericDeviceModelStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo              `json:"statusInfo,omitempty"`
}

// GetReportRequest is GetReport.req (CSMS → Charger): a filtered GetBaseReport.
type GetReportRequest struct {
	CustomData        *CustomData          `json:"customData,omitempty"`
	ComponentVariable []ComponentVariable  `json:"componentVariable,omitempty" ocpp:"min=1"`
	RequestID         int                  `json:"requestId" ocpp:"required"`
	ComponentCriteria []ComponentCriterion `json:"componentCriteria,omitempty" ocpp:"min=1,max=4"`
}

// GetReportResponse is GetReport.conf.
type GetReportResponse struct {
	CustomData *CustomData              `json:"customData,omitempty"`
	Status     GenericDeviceModelStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo              `json:"statusInfo,omitempty"`
}

// GetVariableData is the 2.0.1 GetVariableDataType: one variable to read. An absent
// AttributeType means Actual.
type GetVariableData struct {
	CustomData    *CustomData `json:"customData,omitempty"`
	AttributeType Attribute   `json:"attributeType,omitempty"`
	Component     Component   `json:"component" ocpp:"required"`
	Variable      Variable    `json:"variable" ocpp:"required"`
}

// GetVariablesRequest is GetVariables.req (CSMS → Charger). Split large requests by
// DeviceDataCtrlr.ItemsPerMessage (ocpp-notes.md §14).
type GetVariablesRequest struct {
	CustomData      *CustomData       `json:"customData,omitempty"`
	GetVariableData []GetVariableData `json:"getVariableData" ocpp:"required,min=1"`
}

// GetVariableResult is the 2.0.1 GetVariableResultType: the outcome of one read.
// AttributeValue is set when AttributeStatus is Accepted.
type GetVariableResult struct {
	CustomData          *CustomData       `json:"customData,omitempty"`
	AttributeStatusInfo *StatusInfo       `json:"attributeStatusInfo,omitempty"`
	AttributeStatus     GetVariableStatus `json:"attributeStatus" ocpp:"required"`
	AttributeType       Attribute         `json:"attributeType,omitempty"`
	AttributeValue      string            `json:"attributeValue,omitempty" ocpp:"max=2500"`
	Component           Component         `json:"component" ocpp:"required"`
	Variable            Variable          `json:"variable" ocpp:"required"`
}

// GetVariablesResponse is GetVariables.conf.
type GetVariablesResponse struct {
	CustomData        *CustomData         `json:"customData,omitempty"`
	GetVariableResult []GetVariableResult `json:"getVariableResult" ocpp:"required,min=1"`
}

// VariableAttribute is the 2.0.1 VariableAttributeType: one attribute (Actual, Target,
// MinSet, MaxSet) of a reported variable. Absent fields mean Actual, ReadWrite, false, false.
type VariableAttribute struct {
	CustomData *CustomData `json:"customData,omitempty"`
	Type       Attribute   `json:"type,omitempty"`
	Value      string      `json:"value,omitempty" ocpp:"max=2500"`
	Mutability Mutability  `json:"mutability,omitempty"`
	Persistent *bool       `json:"persistent,omitempty"`
	Constant   *bool       `json:"constant,omitempty"`
}

// VariableCharacteristics is the 2.0.1 VariableCharacteristicsType: the fixed properties
// of a reported variable.
type VariableCharacteristics struct {
	CustomData *CustomData `json:"customData,omitempty"`
	Unit       string      `json:"unit,omitempty" ocpp:"max=16"`
	DataType   Data        `json:"dataType" ocpp:"required"`
	MinLimit   *float64    `json:"minLimit,omitempty"`
	MaxLimit   *float64    `json:"maxLimit,omitempty"`
	// ValuesList is the comma-separated list of allowed values (OptionList, MemberList, SequenceList).
	ValuesList         string `json:"valuesList,omitempty" ocpp:"max=1000"`
	SupportsMonitoring bool   `json:"supportsMonitoring" ocpp:"required"`
}

// ReportData is the 2.0.1 ReportDataType: one variable of a NotifyReport.
type ReportData struct {
	CustomData              *CustomData              `json:"customData,omitempty"`
	Component               Component                `json:"component" ocpp:"required"`
	Variable                Variable                 `json:"variable" ocpp:"required"`
	VariableAttribute       []VariableAttribute      `json:"variableAttribute" ocpp:"required,min=1,max=4"`
	VariableCharacteristics *VariableCharacteristics `json:"variableCharacteristics,omitempty"`
}

// NotifyReportRequest is NotifyReport.req (Charger → CSMS): one part of a report asked
// for by GetBaseReport or GetReport. Parts are ordered by SeqNo from 0; TBC true (absent
// means false) means more parts follow.
type NotifyReportRequest struct {
	CustomData  *CustomData   `json:"customData,omitempty"`
	RequestID   int           `json:"requestId" ocpp:"required"`
	GeneratedAt wire.DateTime `json:"generatedAt" ocpp:"required"`
	ReportData  []ReportData  `json:"reportData,omitempty" ocpp:"min=1"`
	TBC         *bool         `json:"tbc,omitempty"`
	SeqNo       int           `json:"seqNo" ocpp:"required"`
}

// NotifyReportResponse is NotifyReport.conf; its payload is empty.
type NotifyReportResponse struct {
	CustomData *CustomData `json:"customData,omitempty"`
}

// ResetRequest is Reset.req (CSMS → Charger). Without EVSEID the whole station resets.
type ResetRequest struct {
	CustomData *CustomData `json:"customData,omitempty"`
	Type       Reset       `json:"type" ocpp:"required"`
	EVSEID     *int        `json:"evseId,omitempty"`
}

// ResetResponse is Reset.conf.
type ResetResponse struct {
	CustomData *CustomData `json:"customData,omitempty"`
	Status     ResetStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo `json:"statusInfo,omitempty"`
}

// APN is the 2.0.1 APNType: mobile data settings of a network connection profile.
type APN struct {
	CustomData              *CustomData       `json:"customData,omitempty"`
	APN                     string            `json:"apn" ocpp:"required,max=512"`
	APNUserName             string            `json:"apnUserName,omitempty" ocpp:"max=20"`
	APNPassword             string            `json:"apnPassword,omitempty" ocpp:"max=20"`
	SIMPin                  *int              `json:"simPin,omitempty"`
	PreferredNetwork        string            `json:"preferredNetwork,omitempty" ocpp:"max=6"`
	UseOnlyPreferredNetwork *bool             `json:"useOnlyPreferredNetwork,omitempty"`
	APNAuthentication       APNAuthentication `json:"apnAuthentication" ocpp:"required"`
}

// VPN is the 2.0.1 VPNType: VPN settings of a network connection profile.
type VPN struct {
	CustomData *CustomData `json:"customData,omitempty"`
	Server     string      `json:"server" ocpp:"required,max=512"`
	User       string      `json:"user" ocpp:"required,max=20"`
	Group      string      `json:"group,omitempty" ocpp:"max=20"`
	Password   string      `json:"password" ocpp:"required,max=20"`
	Key        string      `json:"key" ocpp:"required,max=255"`
	Type       VPNEnumType `json:"type" ocpp:"required"`
}

// NetworkConnectionProfile is the 2.0.1 NetworkConnectionProfileType: how the station
// reaches the CSMS.
type NetworkConnectionProfile struct {
	CustomData    *CustomData   `json:"customData,omitempty"`
	APN           *APN          `json:"apn,omitempty"`
	OCPPVersion   OCPPVersion   `json:"ocppVersion" ocpp:"required"`
	OCPPTransport OCPPTransport `json:"ocppTransport" ocpp:"required"`
	OCPPCSMSURL   string        `json:"ocppCsmsUrl" ocpp:"required,max=512"`
	// MessageTimeout is in seconds.
	MessageTimeout  int           `json:"messageTimeout" ocpp:"required"`
	SecurityProfile int           `json:"securityProfile" ocpp:"required"`
	OCPPInterface   OCPPInterface `json:"ocppInterface" ocpp:"required"`
	VPN             *VPN          `json:"vpn,omitempty"`
}

// SetNetworkProfileRequest is SetNetworkProfile.req (CSMS → Charger).
type SetNetworkProfileRequest struct {
	CustomData        *CustomData              `json:"customData,omitempty"`
	ConfigurationSlot int                      `json:"configurationSlot" ocpp:"required"`
	ConnectionData    NetworkConnectionProfile `json:"connectionData" ocpp:"required"`
}

// SetNetworkProfileResponse is SetNetworkProfile.conf.
type SetNetworkProfileResponse struct {
	CustomData *CustomData             `json:"customData,omitempty"`
	Status     SetNetworkProfileStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo             `json:"statusInfo,omitempty"`
}

// SetVariableData is the 2.0.1 SetVariableDataType: one variable to write. Values are
// strings ("true"/"false" for booleans, comma-separated lists). An absent AttributeType
// means Actual.
type SetVariableData struct {
	CustomData     *CustomData `json:"customData,omitempty"`
	AttributeType  Attribute   `json:"attributeType,omitempty"`
	AttributeValue string      `json:"attributeValue" ocpp:"required,max=1000"`
	Component      Component   `json:"component" ocpp:"required"`
	Variable       Variable    `json:"variable" ocpp:"required"`
}

// SetVariablesRequest is SetVariables.req (CSMS → Charger).
type SetVariablesRequest struct {
	CustomData      *CustomData       `json:"customData,omitempty"`
	SetVariableData []SetVariableData `json:"setVariableData" ocpp:"required,min=1"`
}

// SetVariableResult is the 2.0.1 SetVariableResultType: the outcome of one write.
type SetVariableResult struct {
	CustomData          *CustomData       `json:"customData,omitempty"`
	AttributeType       Attribute         `json:"attributeType,omitempty"`
	AttributeStatus     SetVariableStatus `json:"attributeStatus" ocpp:"required"`
	AttributeStatusInfo *StatusInfo       `json:"attributeStatusInfo,omitempty"`
	Component           Component         `json:"component" ocpp:"required"`
	Variable            Variable          `json:"variable" ocpp:"required"`
}

// SetVariablesResponse is SetVariables.conf.
type SetVariablesResponse struct {
	CustomData        *CustomData         `json:"customData,omitempty"`
	SetVariableResult []SetVariableResult `json:"setVariableResult" ocpp:"required,min=1"`
}
