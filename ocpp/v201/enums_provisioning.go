package v201

// Enumerations first used by the Security, Provisioning, Authorization and LocalAuthorizationListManagement blocks (A-D).

// APNAuthentication is the OCPP 2.0.1 APNAuthenticationEnumType enumeration (used by SetNetworkProfile).
type APNAuthentication string

// APNAuthentication values.
const (
	APNAuthenticationCHAP APNAuthentication = "CHAP"
	APNAuthenticationNONE APNAuthentication = "NONE"
	APNAuthenticationPAP  APNAuthentication = "PAP"
	APNAuthenticationAUTO APNAuthentication = "AUTO"
)

// EnumValues lists the allowed APNAuthentication values in schema order.
func (APNAuthentication) EnumValues() []string {
	return []string{"CHAP", "NONE", "PAP", "AUTO"}
}

// Attribute is the OCPP 2.0.1 AttributeEnumType enumeration (used by GetVariables, NotifyReport, SetVariables).
type Attribute string

// Attribute values.
const (
	AttributeActual Attribute = "Actual"
	AttributeTarget Attribute = "Target"
	AttributeMinSet Attribute = "MinSet"
	AttributeMaxSet Attribute = "MaxSet"
)

// EnumValues lists the allowed Attribute values in schema order.
func (Attribute) EnumValues() []string {
	return []string{"Actual", "Target", "MinSet", "MaxSet"}
}

// AuthorizationStatus is the OCPP 2.0.1 AuthorizationStatusEnumType enumeration (used by Authorize, SendLocalList, TransactionEvent).
type AuthorizationStatus string

// AuthorizationStatus values.
const (
	AuthorizationStatusAccepted           AuthorizationStatus = "Accepted"
	AuthorizationStatusBlocked            AuthorizationStatus = "Blocked"
	AuthorizationStatusConcurrentTx       AuthorizationStatus = "ConcurrentTx"
	AuthorizationStatusExpired            AuthorizationStatus = "Expired"
	AuthorizationStatusInvalid            AuthorizationStatus = "Invalid"
	AuthorizationStatusNoCredit           AuthorizationStatus = "NoCredit"
	AuthorizationStatusNotAllowedTypeEVSE AuthorizationStatus = "NotAllowedTypeEVSE"
	AuthorizationStatusNotAtThisLocation  AuthorizationStatus = "NotAtThisLocation"
	AuthorizationStatusNotAtThisTime      AuthorizationStatus = "NotAtThisTime"
	AuthorizationStatusUnknown            AuthorizationStatus = "Unknown"
)

// EnumValues lists the allowed AuthorizationStatus values in schema order.
func (AuthorizationStatus) EnumValues() []string {
	return []string{"Accepted", "Blocked", "ConcurrentTx", "Expired", "Invalid", "NoCredit", "NotAllowedTypeEVSE", "NotAtThisLocation", "NotAtThisTime", "Unknown"}
}

// AuthorizeCertificateStatus is the OCPP 2.0.1 AuthorizeCertificateStatusEnumType enumeration (used by Authorize).
type AuthorizeCertificateStatus string

// AuthorizeCertificateStatus values.
const (
	AuthorizeCertificateStatusAccepted               AuthorizeCertificateStatus = "Accepted"
	AuthorizeCertificateStatusSignatureError         AuthorizeCertificateStatus = "SignatureError"
	AuthorizeCertificateStatusCertificateExpired     AuthorizeCertificateStatus = "CertificateExpired"
	AuthorizeCertificateStatusCertificateRevoked     AuthorizeCertificateStatus = "CertificateRevoked"
	AuthorizeCertificateStatusNoCertificateAvailable AuthorizeCertificateStatus = "NoCertificateAvailable"
	AuthorizeCertificateStatusCertChainError         AuthorizeCertificateStatus = "CertChainError"
	AuthorizeCertificateStatusContractCancelled      AuthorizeCertificateStatus = "ContractCancelled"
)

// EnumValues lists the allowed AuthorizeCertificateStatus values in schema order.
func (AuthorizeCertificateStatus) EnumValues() []string {
	return []string{"Accepted", "SignatureError", "CertificateExpired", "CertificateRevoked", "NoCertificateAvailable", "CertChainError", "ContractCancelled"}
}

// BootReason is the OCPP 2.0.1 BootReasonEnumType enumeration (used by BootNotification).
type BootReason string

// BootReason values.
const (
	BootReasonApplicationReset BootReason = "ApplicationReset"
	BootReasonFirmwareUpdate   BootReason = "FirmwareUpdate"
	BootReasonLocalReset       BootReason = "LocalReset"
	BootReasonPowerUp          BootReason = "PowerUp"
	BootReasonRemoteReset      BootReason = "RemoteReset"
	BootReasonScheduledReset   BootReason = "ScheduledReset"
	BootReasonTriggered        BootReason = "Triggered"
	BootReasonUnknown          BootReason = "Unknown"
	BootReasonWatchdog         BootReason = "Watchdog"
)

// EnumValues lists the allowed BootReason values in schema order.
func (BootReason) EnumValues() []string {
	return []string{"ApplicationReset", "FirmwareUpdate", "LocalReset", "PowerUp", "RemoteReset", "ScheduledReset", "Triggered", "Unknown", "Watchdog"}
}

// CertificateSignedStatus is the OCPP 2.0.1 CertificateSignedStatusEnumType enumeration (used by CertificateSigned).
type CertificateSignedStatus string

// CertificateSignedStatus values.
const (
	CertificateSignedStatusAccepted CertificateSignedStatus = "Accepted"
	CertificateSignedStatusRejected CertificateSignedStatus = "Rejected"
)

// EnumValues lists the allowed CertificateSignedStatus values in schema order.
func (CertificateSignedStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected"}
}

// CertificateSigningUse is the OCPP 2.0.1 CertificateSigningUseEnumType enumeration (used by CertificateSigned, SignCertificate).
type CertificateSigningUse string

// CertificateSigningUse values.
const (
	CertificateSigningUseChargingStationCertificate CertificateSigningUse = "ChargingStationCertificate"
	CertificateSigningUseV2GCertificate             CertificateSigningUse = "V2GCertificate"
)

// EnumValues lists the allowed CertificateSigningUse values in schema order.
func (CertificateSigningUse) EnumValues() []string {
	return []string{"ChargingStationCertificate", "V2GCertificate"}
}

// ClearCacheStatus is the OCPP 2.0.1 ClearCacheStatusEnumType enumeration (used by ClearCache).
type ClearCacheStatus string

// ClearCacheStatus values.
const (
	ClearCacheStatusAccepted ClearCacheStatus = "Accepted"
	ClearCacheStatusRejected ClearCacheStatus = "Rejected"
)

// EnumValues lists the allowed ClearCacheStatus values in schema order.
func (ClearCacheStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected"}
}

// ComponentCriterion is the OCPP 2.0.1 ComponentCriterionEnumType enumeration (used by GetReport).
type ComponentCriterion string

// ComponentCriterion values.
const (
	ComponentCriterionActive    ComponentCriterion = "Active"
	ComponentCriterionAvailable ComponentCriterion = "Available"
	ComponentCriterionEnabled   ComponentCriterion = "Enabled"
	ComponentCriterionProblem   ComponentCriterion = "Problem"
)

// EnumValues lists the allowed ComponentCriterion values in schema order.
func (ComponentCriterion) EnumValues() []string {
	return []string{"Active", "Available", "Enabled", "Problem"}
}

// Data is the OCPP 2.0.1 DataEnumType enumeration (used by NotifyReport).
type Data string

// Data values.
const (
	DataString       Data = "string"
	DataDecimal      Data = "decimal"
	DataInteger      Data = "integer"
	DataDateTime     Data = "dateTime"
	DataBoolean      Data = "boolean"
	DataOptionList   Data = "OptionList"
	DataSequenceList Data = "SequenceList"
	DataMemberList   Data = "MemberList"
)

// EnumValues lists the allowed Data values in schema order.
func (Data) EnumValues() []string {
	return []string{"string", "decimal", "integer", "dateTime", "boolean", "OptionList", "SequenceList", "MemberList"}
}

// GenericDeviceModelStatus is the OCPP 2.0.1 GenericDeviceModelStatusEnumType enumeration (used by GetBaseReport, GetMonitoringReport, GetReport, SetMonitoringBase).
type GenericDeviceModelStatus string

// GenericDeviceModelStatus values.
const (
	GenericDeviceModelStatusAccepted       GenericDeviceModelStatus = "Accepted"
	GenericDeviceModelStatusRejected       GenericDeviceModelStatus = "Rejected"
	GenericDeviceModelStatusNotSupported   GenericDeviceModelStatus = "NotSupported"
	GenericDeviceModelStatusEmptyResultSet GenericDeviceModelStatus = "EmptyResultSet"
)

// EnumValues lists the allowed GenericDeviceModelStatus values in schema order.
func (GenericDeviceModelStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected", "NotSupported", "EmptyResultSet"}
}

// GenericStatus is the OCPP 2.0.1 GenericStatusEnumType enumeration (used by GetCompositeSchedule, NotifyEVChargingSchedule, PublishFirmware, SetMonitoringLevel, SignCertificate).
type GenericStatus string

// GenericStatus values.
const (
	GenericStatusAccepted GenericStatus = "Accepted"
	GenericStatusRejected GenericStatus = "Rejected"
)

// EnumValues lists the allowed GenericStatus values in schema order.
func (GenericStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected"}
}

// GetVariableStatus is the OCPP 2.0.1 GetVariableStatusEnumType enumeration (used by GetVariables).
type GetVariableStatus string

// GetVariableStatus values.
const (
	GetVariableStatusAccepted                  GetVariableStatus = "Accepted"
	GetVariableStatusRejected                  GetVariableStatus = "Rejected"
	GetVariableStatusUnknownComponent          GetVariableStatus = "UnknownComponent"
	GetVariableStatusUnknownVariable           GetVariableStatus = "UnknownVariable"
	GetVariableStatusNotSupportedAttributeType GetVariableStatus = "NotSupportedAttributeType"
)

// EnumValues lists the allowed GetVariableStatus values in schema order.
func (GetVariableStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected", "UnknownComponent", "UnknownVariable", "NotSupportedAttributeType"}
}

// HashAlgorithm is the OCPP 2.0.1 HashAlgorithmEnumType enumeration (used by Authorize, CustomerInformation, DeleteCertificate, GetCertificateStatus, GetInstalledCertificateIds).
type HashAlgorithm string

// HashAlgorithm values.
const (
	HashAlgorithmSHA256 HashAlgorithm = "SHA256"
	HashAlgorithmSHA384 HashAlgorithm = "SHA384"
	HashAlgorithmSHA512 HashAlgorithm = "SHA512"
)

// EnumValues lists the allowed HashAlgorithm values in schema order.
func (HashAlgorithm) EnumValues() []string {
	return []string{"SHA256", "SHA384", "SHA512"}
}

// IdTokenEnumType is the OCPP 2.0.1 IdTokenEnumType enumeration (used by Authorize, CustomerInformation, RequestStartTransaction, ReserveNow, SendLocalList, TransactionEvent).
type IdTokenEnumType string

// IdTokenEnumType values.
const (
	IdTokenEnumTypeCentral         IdTokenEnumType = "Central"
	IdTokenEnumTypeEMAID           IdTokenEnumType = "eMAID"
	IdTokenEnumTypeISO14443        IdTokenEnumType = "ISO14443"
	IdTokenEnumTypeISO15693        IdTokenEnumType = "ISO15693"
	IdTokenEnumTypeKeyCode         IdTokenEnumType = "KeyCode"
	IdTokenEnumTypeLocal           IdTokenEnumType = "Local"
	IdTokenEnumTypeMacAddress      IdTokenEnumType = "MacAddress"
	IdTokenEnumTypeNoAuthorization IdTokenEnumType = "NoAuthorization"
)

// EnumValues lists the allowed IdTokenEnumType values in schema order.
func (IdTokenEnumType) EnumValues() []string {
	return []string{"Central", "eMAID", "ISO14443", "ISO15693", "KeyCode", "Local", "MacAddress", "NoAuthorization"}
}

// MessageFormat is the OCPP 2.0.1 MessageFormatEnumType enumeration (used by Authorize, NotifyDisplayMessages, SendLocalList, SetDisplayMessage, TransactionEvent).
type MessageFormat string

// MessageFormat values.
const (
	MessageFormatASCII MessageFormat = "ASCII"
	MessageFormatHTML  MessageFormat = "HTML"
	MessageFormatURI   MessageFormat = "URI"
	MessageFormatUTF8  MessageFormat = "UTF8"
)

// EnumValues lists the allowed MessageFormat values in schema order.
func (MessageFormat) EnumValues() []string {
	return []string{"ASCII", "HTML", "URI", "UTF8"}
}

// Mutability is the OCPP 2.0.1 MutabilityEnumType enumeration (used by NotifyReport).
type Mutability string

// Mutability values.
const (
	MutabilityReadOnly  Mutability = "ReadOnly"
	MutabilityWriteOnly Mutability = "WriteOnly"
	MutabilityReadWrite Mutability = "ReadWrite"
)

// EnumValues lists the allowed Mutability values in schema order.
func (Mutability) EnumValues() []string {
	return []string{"ReadOnly", "WriteOnly", "ReadWrite"}
}

// OCPPInterface is the OCPP 2.0.1 OCPPInterfaceEnumType enumeration (used by SetNetworkProfile).
type OCPPInterface string

// OCPPInterface values.
const (
	OCPPInterfaceWired0    OCPPInterface = "Wired0"
	OCPPInterfaceWired1    OCPPInterface = "Wired1"
	OCPPInterfaceWired2    OCPPInterface = "Wired2"
	OCPPInterfaceWired3    OCPPInterface = "Wired3"
	OCPPInterfaceWireless0 OCPPInterface = "Wireless0"
	OCPPInterfaceWireless1 OCPPInterface = "Wireless1"
	OCPPInterfaceWireless2 OCPPInterface = "Wireless2"
	OCPPInterfaceWireless3 OCPPInterface = "Wireless3"
)

// EnumValues lists the allowed OCPPInterface values in schema order.
func (OCPPInterface) EnumValues() []string {
	return []string{"Wired0", "Wired1", "Wired2", "Wired3", "Wireless0", "Wireless1", "Wireless2", "Wireless3"}
}

// OCPPTransport is the OCPP 2.0.1 OCPPTransportEnumType enumeration (used by SetNetworkProfile).
type OCPPTransport string

// OCPPTransport values.
const (
	OCPPTransportJSON OCPPTransport = "JSON"
	OCPPTransportSOAP OCPPTransport = "SOAP"
)

// EnumValues lists the allowed OCPPTransport values in schema order.
func (OCPPTransport) EnumValues() []string {
	return []string{"JSON", "SOAP"}
}

// OCPPVersion is the OCPP 2.0.1 OCPPVersionEnumType enumeration (used by SetNetworkProfile).
type OCPPVersion string

// OCPPVersion values.
const (
	OCPPVersionOCPP12 OCPPVersion = "OCPP12"
	OCPPVersionOCPP15 OCPPVersion = "OCPP15"
	OCPPVersionOCPP16 OCPPVersion = "OCPP16"
	OCPPVersionOCPP20 OCPPVersion = "OCPP20"
)

// EnumValues lists the allowed OCPPVersion values in schema order.
func (OCPPVersion) EnumValues() []string {
	return []string{"OCPP12", "OCPP15", "OCPP16", "OCPP20"}
}

// RegistrationStatus is the OCPP 2.0.1 RegistrationStatusEnumType enumeration (used by BootNotification).
type RegistrationStatus string

// RegistrationStatus values.
const (
	RegistrationStatusAccepted RegistrationStatus = "Accepted"
	RegistrationStatusPending  RegistrationStatus = "Pending"
	RegistrationStatusRejected RegistrationStatus = "Rejected"
)

// EnumValues lists the allowed RegistrationStatus values in schema order.
func (RegistrationStatus) EnumValues() []string {
	return []string{"Accepted", "Pending", "Rejected"}
}

// ReportBase is the OCPP 2.0.1 ReportBaseEnumType enumeration (used by GetBaseReport).
type ReportBase string

// ReportBase values.
const (
	ReportBaseConfigurationInventory ReportBase = "ConfigurationInventory"
	ReportBaseFullInventory          ReportBase = "FullInventory"
	ReportBaseSummaryInventory       ReportBase = "SummaryInventory"
)

// EnumValues lists the allowed ReportBase values in schema order.
func (ReportBase) EnumValues() []string {
	return []string{"ConfigurationInventory", "FullInventory", "SummaryInventory"}
}

// Reset is the OCPP 2.0.1 ResetEnumType enumeration (used by Reset).
type Reset string

// Reset values.
const (
	ResetImmediate Reset = "Immediate"
	ResetOnIdle    Reset = "OnIdle"
)

// EnumValues lists the allowed Reset values in schema order.
func (Reset) EnumValues() []string {
	return []string{"Immediate", "OnIdle"}
}

// ResetStatus is the OCPP 2.0.1 ResetStatusEnumType enumeration (used by Reset).
type ResetStatus string

// ResetStatus values.
const (
	ResetStatusAccepted  ResetStatus = "Accepted"
	ResetStatusRejected  ResetStatus = "Rejected"
	ResetStatusScheduled ResetStatus = "Scheduled"
)

// EnumValues lists the allowed ResetStatus values in schema order.
func (ResetStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected", "Scheduled"}
}

// SendLocalListStatus is the OCPP 2.0.1 SendLocalListStatusEnumType enumeration (used by SendLocalList).
type SendLocalListStatus string

// SendLocalListStatus values.
const (
	SendLocalListStatusAccepted        SendLocalListStatus = "Accepted"
	SendLocalListStatusFailed          SendLocalListStatus = "Failed"
	SendLocalListStatusVersionMismatch SendLocalListStatus = "VersionMismatch"
)

// EnumValues lists the allowed SendLocalListStatus values in schema order.
func (SendLocalListStatus) EnumValues() []string {
	return []string{"Accepted", "Failed", "VersionMismatch"}
}

// SetNetworkProfileStatus is the OCPP 2.0.1 SetNetworkProfileStatusEnumType enumeration (used by SetNetworkProfile).
type SetNetworkProfileStatus string

// SetNetworkProfileStatus values.
const (
	SetNetworkProfileStatusAccepted SetNetworkProfileStatus = "Accepted"
	SetNetworkProfileStatusRejected SetNetworkProfileStatus = "Rejected"
	SetNetworkProfileStatusFailed   SetNetworkProfileStatus = "Failed"
)

// EnumValues lists the allowed SetNetworkProfileStatus values in schema order.
func (SetNetworkProfileStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected", "Failed"}
}

// SetVariableStatus is the OCPP 2.0.1 SetVariableStatusEnumType enumeration (used by SetVariables).
type SetVariableStatus string

// SetVariableStatus values.
const (
	SetVariableStatusAccepted                  SetVariableStatus = "Accepted"
	SetVariableStatusRejected                  SetVariableStatus = "Rejected"
	SetVariableStatusUnknownComponent          SetVariableStatus = "UnknownComponent"
	SetVariableStatusUnknownVariable           SetVariableStatus = "UnknownVariable"
	SetVariableStatusNotSupportedAttributeType SetVariableStatus = "NotSupportedAttributeType"
	SetVariableStatusRebootRequired            SetVariableStatus = "RebootRequired"
)

// EnumValues lists the allowed SetVariableStatus values in schema order.
func (SetVariableStatus) EnumValues() []string {
	return []string{"Accepted", "Rejected", "UnknownComponent", "UnknownVariable", "NotSupportedAttributeType", "RebootRequired"}
}

// Update is the OCPP 2.0.1 UpdateEnumType enumeration (used by SendLocalList).
type Update string

// Update values.
const (
	UpdateDifferential Update = "Differential"
	UpdateFull         Update = "Full"
)

// EnumValues lists the allowed Update values in schema order.
func (Update) EnumValues() []string {
	return []string{"Differential", "Full"}
}

// VPNEnumType is the OCPP 2.0.1 VPNEnumType enumeration (used by SetNetworkProfile).
type VPNEnumType string

// VPNEnumType values.
const (
	VPNEnumTypeIKEv2 VPNEnumType = "IKEv2"
	VPNEnumTypeIPSec VPNEnumType = "IPSec"
	VPNEnumTypeL2TP  VPNEnumType = "L2TP"
	VPNEnumTypePPTP  VPNEnumType = "PPTP"
)

// EnumValues lists the allowed VPNEnumType values in schema order.
func (VPNEnumType) EnumValues() []string {
	return []string{"IKEv2", "IPSec", "L2TP", "PPTP"}
}
