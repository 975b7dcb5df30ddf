package ocpp

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpp/wire"
)

// ErrorCode is the hub's internal name of an OCPP-J CALLERROR code. The wire spelling
// depends on the negotiated version (see Spell).
type ErrorCode int

// CALLERROR codes (union of OCPP-J 1.6 and 2.0.1).
const (
	ErrGeneric ErrorCode = iota
	ErrNotImplemented
	ErrNotSupported
	ErrInternal
	ErrProtocol
	ErrSecurity
	ErrFormat               // 1.6 FormationViolation, 2.0.1 FormatViolation
	ErrPropertyConstraint   // PropertyConstraintViolation
	ErrOccurrenceConstraint // 1.6 OccurenceConstraintViolation, 2.0.1 OccurrenceConstraintViolation
	ErrTypeConstraint       // TypeConstraintViolation
	ErrMessageTypeNotSupported
	ErrRPCFramework
)

// Spell returns the wire spelling of c for protocol p. Codes that 1.6 lacks fall back to
// the nearest 1.6 code.
func (c ErrorCode) Spell(p charging.Protocol) string {
	v16 := p == charging.OCPP16
	switch c {
	case ErrNotImplemented:
		return "NotImplemented"
	case ErrNotSupported:
		return "NotSupported"
	case ErrInternal:
		return "InternalError"
	case ErrProtocol:
		return "ProtocolError"
	case ErrSecurity:
		return "SecurityError"
	case ErrFormat:
		if v16 {
			return "FormationViolation"
		}
		return "FormatViolation"
	case ErrPropertyConstraint:
		return "PropertyConstraintViolation"
	case ErrOccurrenceConstraint:
		if v16 {
			return "OccurenceConstraintViolation"
		}
		return "OccurrenceConstraintViolation"
	case ErrTypeConstraint:
		return "TypeConstraintViolation"
	case ErrMessageTypeNotSupported:
		if v16 {
			return "NotSupported"
		}
		return "MessageTypeNotSupported"
	case ErrRPCFramework:
		if v16 {
			return "FormationViolation"
		}
		return "RpcFrameworkError"
	default:
		return "GenericError"
	}
}

// ParseErrorCode reads a received error code in any spelling of either version; unknown
// codes are ErrGeneric.
func ParseErrorCode(s string) ErrorCode {
	switch s {
	case "NotImplemented":
		return ErrNotImplemented
	case "NotSupported":
		return ErrNotSupported
	case "InternalError":
		return ErrInternal
	case "ProtocolError":
		return ErrProtocol
	case "SecurityError":
		return ErrSecurity
	case "FormationViolation", "FormatViolation":
		return ErrFormat
	case "PropertyConstraintViolation":
		return ErrPropertyConstraint
	case "OccurenceConstraintViolation", "OccurrenceConstraintViolation":
		return ErrOccurrenceConstraint
	case "TypeConstraintViolation":
		return ErrTypeConstraint
	case "MessageTypeNotSupported":
		return ErrMessageTypeNotSupported
	case "RpcFrameworkError":
		return ErrRPCFramework
	default:
		return ErrGeneric
	}
}

// CallError is a CALLERROR, either one a handler wants sent or one a station answered.
type CallError struct {
	Code        ErrorCode
	Wire        string // the code as received (station answers only)
	Description string
	Details     json.RawMessage
}

func (e *CallError) Error() string {
	code := e.Wire
	if code == "" {
		code = e.Code.Spell(charging.OCPP201)
	}
	if e.Description == "" {
		return "CALLERROR " + code
	}
	return fmt.Sprintf("CALLERROR %s: %s", code, e.Description)
}

// NewCallError builds a CallError for a handler to return.
func NewCallError(code ErrorCode, format string, args ...any) *CallError {
	return &CallError{Code: code, Description: fmt.Sprintf(format, args...)}
}

// toCallError translates any handler error into the CALLERROR to send. This is the one place
// where domain codes and schema violations become OCPP error codes.
func toCallError(err error) *CallError {
	var ce *CallError
	if errors.As(err, &ce) {
		return ce
	}
	var v *wire.Violation
	if errors.As(err, &v) {
		return &CallError{Code: violationCode(v.Kind), Description: v.Error()}
	}
	switch charging.ErrorCode(err) {
	case charging.CodeInvalid:
		return &CallError{Code: ErrPropertyConstraint, Description: err.Error()}
	case charging.CodeUnauthorized:
		return &CallError{Code: ErrSecurity, Description: err.Error()}
	case charging.CodeNotSupported:
		return &CallError{Code: ErrNotSupported, Description: err.Error()}
	case charging.CodeNotFound:
		return &CallError{Code: ErrPropertyConstraint, Description: err.Error()}
	default:
		// internal details stay in the log, not on the wire
		return &CallError{Code: ErrInternal, Description: "internal error"}
	}
}

func violationCode(k wire.ViolationKind) ErrorCode {
	switch k {
	case wire.OccurrenceViolation:
		return ErrOccurrenceConstraint
	case wire.TypeViolation:
		return ErrTypeConstraint
	case wire.PropertyViolation:
		return ErrPropertyConstraint
	default:
		return ErrFormat
	}
}
