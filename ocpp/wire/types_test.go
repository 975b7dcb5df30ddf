package wire

import "encoding/json"

// Test types mirroring the shapes of real OCPP messages.

type tStatus string

func (tStatus) EnumValues() []string {
	return []string{"Available", "Charging", "SuspendedEV", "Faulted"}
}

type tErrorCode string

func (tErrorCode) EnumValues() []string { return []string{"NoError", "GroundFailure", "OtherError"} }

type tContext string

func (tContext) EnumValues() []string {
	return []string{"Sample.Periodic", "Transaction.Begin", "Other"}
}

type tUnit string

func (tUnit) EnumValues() []string {
	return []string{"Wh", "kWh", "W", "A", "V", "Celsius", "Percent"}
}

type tMeasurand string

func (tMeasurand) EnumValues() []string {
	return []string{"Energy.Active.Export.Register", "Energy.Active.Import.Register",
		"Energy.Reactive.Export.Register", "Energy.Reactive.Import.Register",
		"Power.Active.Export", "Power.Active.Import", "Power.Offered", "Current.Import",
		"Current.Export", "Current.Offered", "Voltage", "Frequency", "Temperature", "SoC"}
}

type tPhase string

func (tPhase) EnumValues() []string {
	return []string{"L1", "L2", "L3", "N", "L1-N", "L2-N", "L3-N", "L1-L2", "L2-L3", "L3-L1"}
}

type tSampled struct {
	Value     string     `json:"value" ocpp:"required"`
	Context   tContext   `json:"context,omitempty" ocpp:"fallback=Other"`
	Measurand tMeasurand `json:"measurand,omitempty" ocpp:"keepraw"`
	Phase     tPhase     `json:"phase,omitempty" ocpp:"keepraw"`
	Unit      tUnit      `json:"unit,omitempty" ocpp:"keepraw"`
}

type tMeter struct {
	Timestamp    DateTime   `json:"timestamp" ocpp:"required"`
	SampledValue []tSampled `json:"sampledValue" ocpp:"required,min=1"`
}

type tInfo struct {
	Status     tStatus   `json:"status" ocpp:"required"`
	ExpiryDate *DateTime `json:"expiryDate,omitempty"`
}

type tMsg struct {
	ConnectorID   int             `json:"connectorId" ocpp:"required,min=0,maxv=10"`
	IDTag         string          `json:"idTag" ocpp:"required,max=5"`
	Status        tStatus         `json:"status" ocpp:"required"`
	TransactionID *int            `json:"transactionId,omitempty"`
	Info          string          `json:"info,omitempty" ocpp:"max=10"`
	ErrorCode     tErrorCode      `json:"errorCode,omitempty" ocpp:"fallback=OtherError"`
	Limit         *float64        `json:"limit,omitempty" ocpp:"mult=0.1"`
	Small         *int8           `json:"small,omitempty"`
	Count         *uint           `json:"count,omitempty"`
	Enabled       *bool           `json:"enabled,omitempty"`
	Location      string          `json:"location,omitempty" ocpp:"uri"`
	Keys          []string        `json:"keys,omitempty" ocpp:"max=3,itemmax=4"`
	Tags          []tStatus       `json:"tags,omitempty"`
	When          *DateTime       `json:"when,omitempty"`
	MeterValue    []tMeter        `json:"meterValue,omitempty" ocpp:"min=1"`
	IDTagInfo     *tInfo          `json:"idTagInfo,omitempty"`
	Raw           json.RawMessage `json:"raw,omitempty"`
}

// tMeterValues is the 1.6 MeterValues.req shape, for the benchmark.
type tMeterValues struct {
	ConnectorID   int      `json:"connectorId" ocpp:"required"`
	TransactionID *int     `json:"transactionId,omitempty"`
	MeterValue    []tMeter `json:"meterValue" ocpp:"required"`
}

type tEmpty struct{}

type tEmbedded struct {
	tInner
	Outer string `json:"outer" ocpp:"required"`
}

type tInner struct {
	Inner int `json:"inner" ocpp:"required"`
}

type tBadRequiredOmitempty struct {
	A int `json:"a,omitempty" ocpp:"required"`
}

type tBadFallback struct {
	E tErrorCode `json:"e,omitempty" ocpp:"fallback=Nope"`
}

type tBadRule struct {
	A string `json:"a" ocpp:"maxlen=3"`
}

type tBadMult struct {
	A string `json:"a" ocpp:"mult=0.1"`
}
