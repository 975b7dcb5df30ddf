// Package charging is the hub's domain: stations, connectors, transactions, meter values and
// id tags, the services that change them, and the narrow interfaces (store, station gateway,
// clock) through which the edges reach them. It imports no transport or database package.
package charging

import (
	"errors"
	"fmt"
)

// Code classifies a domain error. Each edge (OCPP CallError, OCPI status, admin HTTP status)
// translates codes exactly once.
type Code string

// Error codes.
const (
	CodeInvalid      Code = "invalid"      // the input is malformed or violates a rule
	CodeNotFound     Code = "not_found"    // the object does not exist
	CodeConflict     Code = "conflict"     // the change collides with existing state
	CodeUnauthorized Code = "unauthorized" // bad or missing credentials
	CodeUnavailable  Code = "unavailable"  // a station or dependency cannot be reached now
	CodeTimeout      Code = "timeout"      // a peer did not answer in time
	CodeNotSupported Code = "not_supported"
	CodeInternal     Code = "internal" // a bug or an unexpected failure
)

// Error is the hub's one coded error type.
type Error struct {
	Code Code
	Msg  string // the whole message, cause included
	Err  error  // optional cause, for errors.Is/As
}

func (e *Error) Error() string {
	if e.Msg == "" && e.Err != nil {
		return e.Err.Error()
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds a coded error; %w in format wraps a cause.
func Errorf(code Code, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &Error{Code: code, Msg: err.Error(), Err: errors.Unwrap(err)}
}

// ErrorCode returns the code of the first *Error in err's chain, CodeInternal for any other
// non-nil error and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// IsNotFound reports whether err carries CodeNotFound.
func IsNotFound(err error) bool { return ErrorCode(err) == CodeNotFound }
