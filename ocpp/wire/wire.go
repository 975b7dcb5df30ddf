// Package wire decodes and validates OCPP-J payloads against Go types annotated with ocpp struct tags.
package wire

import "fmt"

// ViolationKind classifies a schema violation; each kind maps onto one OCPP-J CALLERROR
// code (see ocpp-notes.md §2.4).
type ViolationKind int

const (
	// FormationViolation: not a JSON object, malformed JSON, duplicate key, unknown key in strict mode.
	FormationViolation ViolationKind = iota + 1
	// OccurrenceViolation: required field missing, array has too few/many items.
	OccurrenceViolation
	// TypeViolation: wrong JSON type that cannot be coerced.
	TypeViolation
	// PropertyViolation: bad enum value, string too long, out of range, bad date-time/uri, multipleOf.
	PropertyViolation
)

// String returns the kind's Go name, e.g. "OccurrenceViolation".
func (k ViolationKind) String() string {
	switch k {
	case FormationViolation:
		return "FormationViolation"
	case OccurrenceViolation:
		return "OccurrenceViolation"
	case TypeViolation:
		return "TypeViolation"
	case PropertyViolation:
		return "PropertyViolation"
	}
	return fmt.Sprintf("ViolationKind(%d)", int(k))
}

// Violation is a schema violation found by Decode or Validate.
type Violation struct {
	Kind ViolationKind
	// Path locates the offending value, e.g. "meterValue[0].sampledValue[1].unit";
	// empty when the payload as a whole is at fault.
	Path string
	// Msg is a short human-readable description.
	Msg string
}

// Error returns "<path>: <msg>" (or "payload: <msg>" when Path is empty).
func (v *Violation) Error() string {
	if v.Path == "" {
		return "payload: " + v.Msg
	}
	return v.Path + ": " + v.Msg
}

// Warning records a leniency that Decode applied in lenient mode (or a timestamp it
// normalised in either mode).
type Warning struct {
	// Path locates the value, in the same form as Violation.Path.
	Path string
	// Flag is one of the Flag* constants.
	Flag string
	// Raw is the original value (for extra_field: its JSON text, truncated to 256 bytes).
	Raw string
}

// Warning flags, as in the normalisation table of ocpp-field-quirks.md.
const (
	FlagNullField        = "null_field"         // null for an optional field, treated as absent
	FlagExtraField       = "extra_field"        // unknown key, ignored
	FlagTypeNumberValue  = "type_number_value"  // JSON number where a string was expected
	FlagTypeStringNumber = "type_string_number" // numeric string where a number was expected
	FlagEnumCase         = "enum_case"          // enum value in the wrong case, canonicalised
	FlagEnumUnknown      = "enum_unknown"       // enum value not in the list: fallback or kept raw
	FlagTooLong          = "too_long"           // string longer than maxLength, kept in full
	FlagMultipleOf       = "multiple_of"        // number not a multiple of the schema's multipleOf
	FlagTSOffsetForm     = "ts_offset_form"     // timestamp offset "+HHMM" or "+HH"
	FlagTSNoZone         = "ts_no_zone"         // timestamp without offset, read as UTC
	FlagTSSeparator      = "ts_separator"       // timestamp with a space instead of "T"
)

// Options controls Decode.
type Options struct {
	// Strict is certification mode: every schema deviation is a Violation and no
	// coercion is applied.
	Strict bool
	// Reject lists leniency flags (Flag* constants) that are refused even when not
	// strict: per-vendor profiles switch single leniencies off.
	Reject []string
}
