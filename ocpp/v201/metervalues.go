package v201

import "github.com/chargehub/hub/ocpp/wire"

// Functional block J: MeterValues, and the meter value types TransactionEvent shares
// (ocpp-notes.md §8).

// SignedMeterValue is the 2.0.1 SignedMeterValueType: a signed reading (e.g. OCMF).
// Store it verbatim and forward it; never parse it for billing unless verified.
type SignedMeterValue struct {
	CustomData      *CustomData `json:"customData,omitempty"`
	SignedMeterData string      `json:"signedMeterData" ocpp:"required,max=2500"`
	SigningMethod   string      `json:"signingMethod" ocpp:"required,max=50"`
	EncodingMethod  string      `json:"encodingMethod" ocpp:"required,max=50"`
	PublicKey       string      `json:"publicKey" ocpp:"required,max=2500"`
}

// UnitOfMeasure is the 2.0.1 UnitOfMeasureType. Unit is free text (conventionally the
// 1.6 unit symbols); absent means "Wh". The value is scaled by 10^Multiplier (absent
// means 0).
type UnitOfMeasure struct {
	CustomData *CustomData `json:"customData,omitempty"`
	Unit       string      `json:"unit,omitempty" ocpp:"max=20"`
	Multiplier *int        `json:"multiplier,omitempty"`
}

// SampledValue is the 2.0.1 SampledValueType. Value is a JSON number kept as exact
// decimal text (Decimal). Absent context, measurand and location mean Sample.Periodic,
// Energy.Active.Import.Register and Outlet; absent phase means the total. In lenient mode
// an unknown context becomes Other, and unknown measurand, phase and location values are
// kept verbatim (ocpp-field-quirks.md §5, §8), each with an enum_unknown warning: check
// them with the type's EnumValues before billing on them.
type SampledValue struct {
	CustomData       *CustomData       `json:"customData,omitempty"`
	Value            Decimal           `json:"value" ocpp:"required"`
	Context          ReadingContext    `json:"context,omitempty" ocpp:"fallback=Other"`
	Measurand        Measurand         `json:"measurand,omitempty" ocpp:"keepraw"`
	Phase            Phase             `json:"phase,omitempty" ocpp:"keepraw"`
	Location         Location          `json:"location,omitempty" ocpp:"keepraw"`
	SignedMeterValue *SignedMeterValue `json:"signedMeterValue,omitempty"`
	UnitOfMeasure    *UnitOfMeasure    `json:"unitOfMeasure,omitempty"`
}

// MeterValue is the 2.0.1 MeterValueType: samples taken at one point in time.
type MeterValue struct {
	CustomData   *CustomData    `json:"customData,omitempty"`
	SampledValue []SampledValue `json:"sampledValue" ocpp:"required,min=1"`
	Timestamp    wire.DateTime  `json:"timestamp" ocpp:"required"`
}

// MeterValuesRequest is MeterValues.req (Charger → CSMS): samples outside a transaction,
// or clock-aligned ones (transaction samples travel in TransactionEvent). EVSEID 0 is the
// main meter of the station.
type MeterValuesRequest struct {
	CustomData *CustomData  `json:"customData,omitempty"`
	EVSEID     int          `json:"evseId" ocpp:"required"`
	MeterValue []MeterValue `json:"meterValue" ocpp:"required,min=1"`
}

// MeterValuesResponse is MeterValues.conf; its payload is empty.
type MeterValuesResponse struct {
	CustomData *CustomData `json:"customData,omitempty"`
}
