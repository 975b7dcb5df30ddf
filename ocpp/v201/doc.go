// Package v201 is the OCPP 2.0.1 message set: request/response types, enums and the action catalogue.
//
// The types follow the generated field reference docs/ocpp-2.0.1-messages.md (from the
// OCA JSON schemas) and are checked against it field by field by schema_test.go. They are
// decoded and validated by package wire through their json and ocpp struct tags.
//
// # Naming
//
//   - Messages: <Action>Request and <Action>Response for every action of the catalogue
//     (both directions), e.g. TransactionEventRequest, GetVariablesResponse.
//   - Data types: the schema definition name without its "Type" suffix (IdTokenType →
//     IdToken, EVSEType → EVSE, ClearChargingProfileType → ClearChargingProfile); names
//     without the suffix (AuthorizationData) are kept as they are.
//   - Enumerations: the schema name without its "EnumType" suffix (MeasurandEnumType →
//     Measurand, GenericStatusEnumType → GenericStatus), except where that short name is a
//     data type; then the full schema name is kept: IdTokenEnumType (IdToken is the
//     token object) and VPNEnumType (VPN is the VPN object). Every enum is its own type,
//     even when two share their values, because the per-message enum sets differ
//     (ocpp-field-quirks.md §21).
//   - Enum constants: <GoEnumType><Value>, the value split at every non-alphanumeric
//     character and each part capitalised: MeasurandEnergyActiveImportRegister,
//     PhaseL1N, ConnectorS3091P16A, EnergyTransferModeACSinglePhase, IdTokenEnumTypeEMAID.
//   - Go field names are idiomatic Go (IDToken, EVSEID, TransactionID, OCPPCSMSURL); the
//     JSON names are the schema's.
//
// # Field conventions
//
// Required fields carry ocpp:"required" and never omitempty (a required 0, false or ""
// is sent); optional numbers, booleans, objects and date-times are pointers, optional
// strings, enums and arrays use omitempty. Date-times are wire.DateTime. Arrays bounded
// by the schema ("items 1..*", "items 1..3") carry min=/max=. Schema defaults are not
// filled in: an absent optional field means the default the reference lists (e.g. an
// absent SampledValue.Measurand means Energy.Active.Import.Register).
//
// Every object accepts an optional customData (CustomData), the schemas' one open object:
// it is decoded by its own UnmarshalJSON because wire has no rule for open objects (see
// CustomData).
//
// Numbers whose exact decimal text matters (sampledValue.value, totalCost) are Decimal;
// every other JSON number is float64, every integer int. DataTransfer's free-form data
// is json.RawMessage.
//
// # Leniency
//
// In lenient mode (wire.Options{Strict: false}) an unknown value of the following enums
// does not refuse the message (ocpp-field-quirks.md §0.2, §8): it is replaced by the
// fallback (fallback=) or kept verbatim (keepraw), with a wire.FlagEnumUnknown warning
// carrying the raw value. Check kept values with the type's EnumValues before relying on
// them.
//
//   - SampledValue (MeterValues, TransactionEvent): context → Other; measurand, phase and
//     location kept raw.
//   - TransactionEventRequest: triggerReason kept raw; transactionInfo.chargingState kept
//     raw; transactionInfo.stoppedReason → Other.
//   - IdToken.type (every message carrying a token, e.g. TransactionEvent) kept raw.
//   - BootNotificationRequest.reason → Unknown (a station that cannot boot cannot send
//     anything else).
//
// Strict mode and wire.Validate reject them all.
package v201
