package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chargehub/hub/ocpi"
)

// postCommand takes START_SESSION, STOP_SESSION, RESERVE_NOW, CANCEL_RESERVATION and
// UNLOCK_CONNECTOR and answers a CommandResponse (an unknown location: REJECTED with 2003).
func (s *Server) postCommand(c echo.Context) error {
	kind := ocpi.CommandType(param(c, "command"))
	if !kind.IsValid() {
		return notFound2001("unknown command %q (want START_SESSION, STOP_SESSION, RESERVE_NOW, CANCEL_RESERVATION or UNLOCK_CONNECTOR)", kind)
	}
	b, err := s.readBody(c)
	if err != nil {
		return err
	}
	cmd, err := decodeCommand(kind, b)
	if err != nil {
		return err
	}
	a, err := s.svc.HandleCommand(c.Request().Context(), caller(c), cmd)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ocpi.Response[any]{Data: a.Response, StatusCode: a.StatusCode, StatusMessage: a.Message,
		Timestamp: ocpi.NewDateTime(s.svc.Now())})
}

// decodeCommand decodes and validates a command body.
func decodeCommand(kind ocpi.CommandType, b []byte) (ocpi.CommandRequest, error) {
	cmd, err := ocpi.NewCommandRequest(kind)
	if err != nil {
		return nil, badRequest("%v", err)
	}
	if err := decodeJSON(b, cmd); err != nil {
		return nil, err
	}
	if err := cmd.Validate(); err != nil {
		return nil, badRequest("%s: %v", kind, err)
	}
	return cmd, nil
}
