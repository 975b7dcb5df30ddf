package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// translate turns an error into the HTTP status and OCPI status code of the answer, once for the
// whole server:
//
//   - credentials POST while registered, PUT/DELETE while not registered: 405 (2000)
//   - a cause *ocpi.StatusError gives the OCPI code (2001 invalid, 2003 unknown location, 2004
//     unknown token, 3001-3003 registration); registration failures (3xxx) are HTTP 200
//   - otherwise the domain code: invalid 400/2001, not found 404/2000, unauthorized 401/2000,
//     conflict 409/2000, unavailable 503/3000, timeout 504/3000, not supported 400/2000,
//     anything else 500/3000 (a bug or a database failure, never bad input)
//   - Echo's own errors (unknown path 404, method 405, body too large 413) keep their status.
func translate(err error) (httpStatus, code int, msg string) {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he.Code, ocpi.StatusCodeClientError, fmt.Sprint(he.Message)
	}
	if errors.Is(err, roaming.ErrAlreadyRegistered) || errors.Is(err, roaming.ErrNotRegistered) {
		return http.StatusMethodNotAllowed, ocpi.StatusCodeClientError, err.Error()
	}
	var ce *charging.Error
	isCoded := errors.As(err, &ce)
	dc := charging.ErrorCode(err)
	switch dc {
	case charging.CodeInvalid:
		httpStatus, code = http.StatusBadRequest, ocpi.StatusCodeInvalidParameters
	case charging.CodeNotFound:
		httpStatus, code = http.StatusNotFound, ocpi.StatusCodeClientError
	case charging.CodeUnauthorized:
		httpStatus, code = http.StatusUnauthorized, ocpi.StatusCodeClientError
	case charging.CodeConflict:
		httpStatus, code = http.StatusConflict, ocpi.StatusCodeClientError
	case charging.CodeUnavailable:
		httpStatus, code = http.StatusServiceUnavailable, ocpi.StatusCodeServerError
	case charging.CodeTimeout:
		httpStatus, code = http.StatusGatewayTimeout, ocpi.StatusCodeServerError
	case charging.CodeNotSupported:
		httpStatus, code = http.StatusBadRequest, ocpi.StatusCodeClientError
	default:
		httpStatus, code = http.StatusInternalServerError, ocpi.StatusCodeServerError
	}
	var se *ocpi.StatusError
	if errors.As(err, &se) {
		code = se.Code
		switch {
		case ocpi.IsServerErrorStatus(se.Code) && se.Code != ocpi.StatusCodeServerError:
			httpStatus = http.StatusOK // the request was fine; using the caller's API failed
		case !isCoded:
			httpStatus = httpFor(se.Code)
		}
	}
	if httpStatus == http.StatusInternalServerError {
		return httpStatus, code, "internal error"
	}
	return httpStatus, code, err.Error()
}

// httpFor is the HTTP status of a bare OCPI status error.
func httpFor(code int) int {
	switch {
	case code == ocpi.StatusCodeUnknownLocation || code == ocpi.StatusCodeUnknownToken:
		return http.StatusNotFound
	case ocpi.IsClientErrorStatus(code):
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// badRequest is an invalid-parameters (2001) error.
func badRequest(format string, args ...any) error {
	se := ocpi.NewStatusError(ocpi.StatusCodeInvalidParameters, format, args...)
	return &charging.Error{Code: charging.CodeInvalid, Msg: se.Message, Err: se}
}

// unauthorized is a 401 error.
func unauthorized(format string, args ...any) error {
	return charging.Errorf(charging.CodeUnauthorized, format, args...)
}

// notRegisterable is the 405 of a credentials POST by a partner that cannot register now.
func notRegisterable(p roaming.Partner) error {
	return charging.Errorf(charging.CodeConflict, "partner %d (%s): %w", p.ID, p.Status, roaming.ErrAlreadyRegistered)
}

// notRegistered is the 405 of a credentials PUT or DELETE by a partner that is not registered.
func notRegistered(p roaming.Partner) error {
	return charging.Errorf(charging.CodeConflict, "partner %d (%s): %w", p.ID, p.Status, roaming.ErrNotRegistered)
}
