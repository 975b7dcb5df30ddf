package v201

import "github.com/chargehub/hub/ocpp/wire"

// Functional block N: Diagnostics (logs, customer information, monitoring, events).

// ClearVariableMonitoringRequest is ClearVariableMonitoring.req (CSMS → Charger).
type ClearVariableMonitoringRequest struct {
	CustomData *CustomData `json:"customData,omitempty"`
	ID         []int       `json:"id" ocpp:"required,min=1"`
}

// ClearMonitoringResult is the 2.0.1 ClearMonitoringResultType.
type ClearMonitoringResult struct {
	CustomData *CustomData           `json:"customData,omitempty"`
	Status     ClearMonitoringStatus `json:"status" ocpp:"required"`
	ID         int                   `json:"id" ocpp:"required"`
	StatusInfo *StatusInfo           `json:"statusInfo,omitempty"`
}

// ClearVariableMonitoringResponse is ClearVariableMonitoring.conf.
type ClearVariableMonitoringResponse struct {
	CustomData            *CustomData             `json:"customData,omitempty"`
	ClearMonitoringResult []ClearMonitoringResult `json:"clearMonitoringResult" ocpp:"required,min=1"`
}

// CustomerInformationRequest is CustomerInformation.req (CSMS → Charger): report and/or
// clear what the station holds about one customer (identified by exactly one of
// CustomerCertificate, IDToken, CustomerIdentifier).
type CustomerInformationRequest struct {
	CustomData          *CustomData          `json:"customData,omitempty"`
	CustomerCertificate *CertificateHashData `json:"customerCertificate,omitempty"`
	IDToken             *IdToken             `json:"idToken,omitempty"`
	RequestID           int                  `json:"requestId" ocpp:"required"`
	Report              bool                 `json:"report" ocpp:"required"`
	Clear               bool                 `json:"clear" ocpp:"required"`
	CustomerIdentifier  string               `json:"customerIdentifier,omitempty" ocpp:"max=64"`
}

// CustomerInformationResponse is CustomerInformation.conf.
type CustomerInformationResponse struct {
	CustomData *CustomData               `json:"customData,omitempty"`
	Status     CustomerInformationStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo               `json:"statusInfo,omitempty"`
}

// LogParameters is the 2.0.1 LogParametersType: where to upload which part of a log.
type LogParameters struct {
	CustomData      *CustomData    `json:"customData,omitempty"`
	RemoteLocation  string         `json:"remoteLocation" ocpp:"required,max=512"`
	OldestTimestamp *wire.DateTime `json:"oldestTimestamp,omitempty"`
	LatestTimestamp *wire.DateTime `json:"latestTimestamp,omitempty"`
}

// GetLogRequest is GetLog.req (CSMS → Charger); progress arrives as LogStatusNotification.
type GetLogRequest struct {
	CustomData *CustomData   `json:"customData,omitempty"`
	Log        LogParameters `json:"log" ocpp:"required"`
	LogType    Log           `json:"logType" ocpp:"required"`
	RequestID  int           `json:"requestId" ocpp:"required"`
	Retries    *int          `json:"retries,omitempty"`
	// RetryInterval is in seconds.
	RetryInterval *int `json:"retryInterval,omitempty"`
}

// GetLogResponse is GetLog.conf.
type GetLogResponse struct {
	CustomData *CustomData `json:"customData,omitempty"`
	Status     LogStatus   `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo `json:"statusInfo,omitempty"`
	Filename   string      `json:"filename,omitempty" ocpp:"max=255"`
}

// GetMonitoringReportRequest is GetMonitoringReport.req (CSMS → Charger); the report
// arrives as NotifyMonitoringReport messages carrying the same requestId.
type GetMonitoringReportRequest struct {
	CustomData         *CustomData           `json:"customData,omitempty"`
	ComponentVariable  []ComponentVariable   `json:"componentVariable,omitempty" ocpp:"min=1"`
	RequestID          int                   `json:"requestId" ocpp:"required"`
	MonitoringCriteria []MonitoringCriterion `json:"monitoringCriteria,omitempty" ocpp:"min=1,max=3"`
}

// GetMonitoringReportResponse is GetMonitoringReport.conf.
type GetMonitoringReportResponse struct {
	CustomData *CustomData              `json:"customData,omitempty"`
	Status     GenericDeviceModelStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo              `json:"statusInfo,omitempty"`
}

// LogStatusNotificationRequest is LogStatusNotification.req (Charger → CSMS).
type LogStatusNotificationRequest struct {
	CustomData *CustomData     `json:"customData,omitempty"`
	Status     UploadLogStatus `json:"status" ocpp:"required"`
	RequestID  *int            `json:"requestId,omitempty"`
}

// LogStatusNotificationResponse is LogStatusNotification.conf; its payload is empty.
type LogStatusNotificationResponse struct {
	CustomData *CustomData `json:"customData,omitempty"`
}

// NotifyCustomerInformationRequest is NotifyCustomerInformation.req (Charger → CSMS): one
// part of the answer to CustomerInformation; TBC true (absent means false) means more follow.
type NotifyCustomerInformationRequest struct {
	CustomData  *CustomData   `json:"customData,omitempty"`
	Data        string        `json:"data" ocpp:"required,max=512"`
	TBC         *bool         `json:"tbc,omitempty"`
	SeqNo       int           `json:"seqNo" ocpp:"required"`
	GeneratedAt wire.DateTime `json:"generatedAt" ocpp:"required"`
	RequestID   int           `json:"requestId" ocpp:"required"`
}

// NotifyCustomerInformationResponse is NotifyCustomerInformation.conf; its payload is empty.
type NotifyCustomerInformationResponse struct {
	CustomData *CustomData `json:"customData,omitempty"`
}

// EventData is the 2.0.1 EventDataType: one device-model event (a monitor tripped, a
// problem appeared or cleared, a connector changed state...).
type EventData struct {
	CustomData *CustomData   `json:"customData,omitempty"`
	EventID    int           `json:"eventId" ocpp:"required"`
	Timestamp  wire.DateTime `json:"timestamp" ocpp:"required"`
	Trigger    EventTrigger  `json:"trigger" ocpp:"required"`
	// Cause is the EventID of the event that caused this one.
	Cause                 *int              `json:"cause,omitempty"`
	ActualValue           string            `json:"actualValue" ocpp:"required,max=2500"`
	TechCode              string            `json:"techCode,omitempty" ocpp:"max=50"`
	TechInfo              string            `json:"techInfo,omitempty" ocpp:"max=500"`
	Cleared               *bool             `json:"cleared,omitempty"`
	TransactionID         string            `json:"transactionId,omitempty" ocpp:"max=36"`
	Component             Component         `json:"component" ocpp:"required"`
	VariableMonitoringID  *int              `json:"variableMonitoringId,omitempty"`
	EventNotificationType EventNotification `json:"eventNotificationType" ocpp:"required"`
	Variable              Variable          `json:"variable" ocpp:"required"`
}

// NotifyEventRequest is NotifyEvent.req (Charger → CSMS); TBC true (absent means false)
// means more parts follow.
type NotifyEventRequest struct {
	CustomData  *CustomData   `json:"customData,omitempty"`
	GeneratedAt wire.DateTime `json:"generatedAt" ocpp:"required"`
	TBC         *bool         `json:"tbc,omitempty"`
	SeqNo       int           `json:"seqNo" ocpp:"required"`
	EventData   []EventData   `json:"eventData" ocpp:"required,min=1"`
}

// NotifyEventResponse is NotifyEvent.conf; its payload is empty.
type NotifyEventResponse struct {
	CustomData *CustomData `json:"customData,omitempty"`
}

// VariableMonitoring is the 2.0.1 VariableMonitoringType: one monitor of a variable.
type VariableMonitoring struct {
	CustomData  *CustomData `json:"customData,omitempty"`
	ID          int         `json:"id" ocpp:"required"`
	Transaction bool        `json:"transaction" ocpp:"required"`
	Value       float64     `json:"value" ocpp:"required"`
	Type        Monitor     `json:"type" ocpp:"required"`
	// Severity is 0 (Danger) to 9 (Debug).
	Severity int `json:"severity" ocpp:"required"`
}

// MonitoringData is the 2.0.1 MonitoringDataType: the monitors of one variable.
type MonitoringData struct {
	CustomData         *CustomData          `json:"customData,omitempty"`
	Component          Component            `json:"component" ocpp:"required"`
	Variable           Variable             `json:"variable" ocpp:"required"`
	VariableMonitoring []VariableMonitoring `json:"variableMonitoring" ocpp:"required,min=1"`
}

// NotifyMonitoringReportRequest is NotifyMonitoringReport.req (Charger → CSMS): one part
// of the answer to GetMonitoringReport; TBC true (absent means false) means more follow.
type NotifyMonitoringReportRequest struct {
	CustomData  *CustomData      `json:"customData,omitempty"`
	Monitor     []MonitoringData `json:"monitor,omitempty" ocpp:"min=1"`
	RequestID   int              `json:"requestId" ocpp:"required"`
	TBC         *bool            `json:"tbc,omitempty"`
	SeqNo       int              `json:"seqNo" ocpp:"required"`
	GeneratedAt wire.DateTime    `json:"generatedAt" ocpp:"required"`
}

// NotifyMonitoringReportResponse is NotifyMonitoringReport.conf; its payload is empty.
type NotifyMonitoringReportResponse struct {
	CustomData *CustomData `json:"customData,omitempty"`
}

// SetMonitoringBaseRequest is SetMonitoringBase.req (CSMS → Charger).
type SetMonitoringBaseRequest struct {
	CustomData     *CustomData    `json:"customData,omitempty"`
	MonitoringBase MonitoringBase `json:"monitoringBase" ocpp:"required"`
}

// SetMonitoringBaseResponse is SetMonitoringBase.conf.
type SetMonitoringBaseResponse struct {
	CustomData *CustomData              `json:"customData,omitempty"`
	Status     GenericDeviceModelStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo              `json:"statusInfo,omitempty"`
}

// SetMonitoringLevelRequest is SetMonitoringLevel.req (CSMS → Charger): report only
// events of Severity or more severe (lower numbers).
type SetMonitoringLevelRequest struct {
	CustomData *CustomData `json:"customData,omitempty"`
	Severity   int         `json:"severity" ocpp:"required"`
}

// SetMonitoringLevelResponse is SetMonitoringLevel.conf.
type SetMonitoringLevelResponse struct {
	CustomData *CustomData   `json:"customData,omitempty"`
	Status     GenericStatus `json:"status" ocpp:"required"`
	StatusInfo *StatusInfo   `json:"statusInfo,omitempty"`
}

// SetMonitoringData is the 2.0.1 SetMonitoringDataType: one monitor to set (with ID:
// replace that monitor). Transaction absent means false.
type SetMonitoringData struct {
	CustomData  *CustomData `json:"customData,omitempty"`
	ID          *int        `json:"id,omitempty"`
	Transaction *bool       `json:"transaction,omitempty"`
	Value       float64     `json:"value" ocpp:"required"`
	Type        Monitor     `json:"type" ocpp:"required"`
	Severity    int         `json:"severity" ocpp:"required"`
	Component   Component   `json:"component" ocpp:"required"`
	Variable    Variable    `json:"variable" ocpp:"required"`
}

// SetVariableMonitoringRequest is SetVariableMonitoring.req (CSMS → Charger).
type SetVariableMonitoringRequest struct {
	CustomData        *CustomData         `json:"customData,omitempty"`
	SetMonitoringData []SetMonitoringData `json:"setMonitoringData" ocpp:"required,min=1"`
}

// SetMonitoringResult is the 2.0.1 SetMonitoringResultType.
type SetMonitoringResult struct {
	CustomData *CustomData         `json:"customData,omitempty"`
	ID         *int                `json:"id,omitempty"`
	StatusInfo *StatusInfo         `json:"statusInfo,omitempty"`
	Status     SetMonitoringStatus `json:"status" ocpp:"required"`
	Type       Monitor             `json:"type" ocpp:"required"`
	Component  Component           `json:"component" ocpp:"required"`
	Variable   Variable            `json:"variable" ocpp:"required"`
	Severity   int                 `json:"severity" ocpp:"required"`
}

// SetVariableMonitoringResponse is SetVariableMonitoring.conf.
type SetVariableMonitoringResponse struct {
	CustomData          *CustomData           `json:"customData,omitempty"`
	SetMonitoringResult []SetMonitoringResult `json:"setMonitoringResult" ocpp:"required,min=1"`
}
