package ocpi

import (
	"fmt"
	"strconv"
)

// OCPI status codes, carried in the status_code field of every response envelope. The classes are
// 1xxx success, 2xxx client error, 3xxx server error and 4xxx hub error; x900-x999 of each class
// are reserved for custom codes, which the standard modules never use.
const (
	// StatusCodeSuccess: generic success.
	StatusCodeSuccess = 1000

	// StatusCodeClientError: generic client error.
	StatusCodeClientError = 2000
	// StatusCodeInvalidParameters: a parameter is missing or not valid (e.g. a PATCH without
	// last_updated, or an id in the URL that differs from the id in the body).
	StatusCodeInvalidParameters = 2001
	// StatusCodeNotEnoughInformation: not enough information (e.g. a real-time authorization
	// without usable location information).
	StatusCodeNotEnoughInformation = 2002
	// StatusCodeUnknownLocation: unknown Location (e.g. START_SESSION for a location we do not know).
	StatusCodeUnknownLocation = 2003
	// StatusCodeUnknownToken: unknown Token (e.g. real-time authorization of a token the eMSP does
	// not know).
	StatusCodeUnknownToken = 2004

	// StatusCodeServerError: generic server error.
	StatusCodeServerError = 3000
	// StatusCodeUnableToUseClientAPI: the server could not use the calling party's API (e.g. during
	// registration the receiver could not GET the initiator's versions or version details).
	StatusCodeUnableToUseClientAPI = 3001
	// StatusCodeUnsupportedVersion: no mutually supported version.
	StatusCodeUnsupportedVersion = 3002
	// StatusCodeNoMatchingEndpoints: no matching endpoints, or required endpoints missing
	// (registration).
	StatusCodeNoMatchingEndpoints = 3003

	// StatusCodeHubError: generic hub error (new in 2.2.1).
	StatusCodeHubError = 4000
	// StatusCodeUnknownReceiver: the hub does not know the receiver (OCPI-to-* headers).
	StatusCodeUnknownReceiver = 4001
	// StatusCodeHubTimeout: the forwarded request timed out.
	StatusCodeHubTimeout = 4002
	// StatusCodeConnectionProblem: the receiving party is not connected to the hub.
	StatusCodeConnectionProblem = 4003
)

var statusTexts = map[int]string{
	StatusCodeSuccess:              "success",
	StatusCodeClientError:          "generic client error",
	StatusCodeInvalidParameters:    "invalid or missing parameters",
	StatusCodeNotEnoughInformation: "not enough information",
	StatusCodeUnknownLocation:      "unknown location",
	StatusCodeUnknownToken:         "unknown token",
	StatusCodeServerError:          "generic server error",
	StatusCodeUnableToUseClientAPI: "unable to use the client's API",
	StatusCodeUnsupportedVersion:   "unsupported version",
	StatusCodeNoMatchingEndpoints:  "no matching endpoints or expected endpoints missing",
	StatusCodeHubError:             "generic hub error",
	StatusCodeUnknownReceiver:      "unknown receiver",
	StatusCodeHubTimeout:           "timeout on forwarded request",
	StatusCodeConnectionProblem:    "connection problem: receiving party is not connected",
}

// StatusText returns a short English description of an OCPI status code: the meaning of a defined
// code, else the meaning of its class ("custom client error", ...), else "unknown status code".
func StatusText(code int) string {
	if t, ok := statusTexts[code]; ok {
		return t
	}
	switch code / 1000 {
	case 1:
		return "custom success"
	case 2:
		return "custom client error"
	case 3:
		return "custom server error"
	case 4:
		return "custom hub error"
	}
	return "unknown status code"
}

// IsSuccessStatus reports whether code is in the success class 1000-1999.
func IsSuccessStatus(code int) bool { return code >= 1000 && code <= 1999 }

// IsClientErrorStatus reports whether code is in the client error class 2000-2999.
func IsClientErrorStatus(code int) bool { return code >= 2000 && code <= 2999 }

// IsServerErrorStatus reports whether code is in the server error class 3000-3999.
func IsServerErrorStatus(code int) bool { return code >= 3000 && code <= 3999 }

// IsHubErrorStatus reports whether code is in the hub error class 4000-4999.
func IsHubErrorStatus(code int) bool { return code >= 4000 && code <= 4999 }

// StatusError is a response whose status_code is not a success (see RawResponse.Err).
type StatusError struct {
	Code    int    // OCPI status code
	Message string // status_message, may be empty
}

// Error returns "ocpi: status 2001 (invalid or missing parameters): message".
func (e *StatusError) Error() string {
	s := "ocpi: status " + strconv.Itoa(e.Code) + " (" + StatusText(e.Code) + ")"
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// NewStatusError returns a StatusError with a formatted message.
func NewStatusError(code int, format string, args ...any) *StatusError {
	return &StatusError{Code: code, Message: fmt.Sprintf(format, args...)}
}
