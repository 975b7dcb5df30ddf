package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

var _ roaming.RealTimeAuthorizer = (*Client)(nil)

// AuthorizeToken POSTs a real-time authorization to an eMSP's Tokens Sender
// ({tokens}/{uid}/authorize?type=) with the LocationReferences as body (none when nil). An
// HTTP 404 or OCPI status 2004 is the eMSP not knowing the token: the error wraps
// roaming.ErrUnknownToken. The answer is read leniently: only a valid `allowed` is required
// (AuthorizeRealTime checks it); other deviations are logged. ctx bounds the call.
func (c *Client) AuthorizeToken(ctx context.Context, req roaming.AuthorizeRequest) (ocpi.AuthorizationInfo, error) {
	r := Request{Method: http.MethodPost, URL: req.URL, Cred: req.Cred, From: req.From, To: req.To, CorrelationID: req.CorrelationID}
	if req.Location != nil {
		r.Body = req.Location
	}
	resp, err := c.Do(ctx, r)
	if err != nil {
		var e *Error
		if errors.As(err, &e) && (e.HTTPStatus == http.StatusNotFound || e.StatusCode == ocpi.StatusCodeUnknownToken) {
			return ocpi.AuthorizationInfo{}, fmt.Errorf("%w: %w", roaming.ErrUnknownToken, err)
		}
		return ocpi.AuthorizationInfo{}, err
	}
	var info ocpi.AuthorizationInfo
	if err := decodeData(resp, req.URL, &info); err != nil {
		return ocpi.AuthorizationInfo{}, err
	}
	if err := info.Validate(); err != nil {
		c.log.Warn("ocpi: the real-time authorization answer does not validate; reading it leniently", "url", req.URL, "err", err)
	}
	return info, nil
}
