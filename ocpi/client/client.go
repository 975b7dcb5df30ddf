// Package client is the hub's OCPI 2.2.1 HTTP client: typed requests to a partner with its
// token encoding, timeouts, X-Request-ID/X-Correlation-ID and the hub routing headers, envelope
// decoding, the registration calls (versions, version details, credentials) and Link-following
// pagination. *Client implements roaming.Peer.
package client

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// Header names of OCPI requests and responses.
const (
	HeaderRequestID         = "X-Request-ID"
	HeaderCorrelationID     = "X-Correlation-ID"
	HeaderFromCountryCode   = "OCPI-from-country-code"
	HeaderFromPartyID       = "OCPI-from-party-id"
	HeaderToCountryCode     = "OCPI-to-country-code"
	HeaderToPartyID         = "OCPI-to-party-id"
	HeaderTotalCount        = "X-Total-Count"
	HeaderLimit             = "X-Limit"
	HeaderLink              = "Link"
	defaultTimeout          = 30 * time.Second
	defaultMaxPages         = 1000
	defaultMaxResponseBytes = 16 << 20
)

// Config tunes a Client. The zero value is usable.
type Config struct {
	Timeout          time.Duration // per HTTP request; 0 = 30 s
	MaxPages         int           // pages one PullList follows at most; 0 = 1000
	MaxResponseBytes int64         // larger response bodies are an error; 0 = 16 MiB
	UserAgent        string        // "" = "chargehub-ocpi/2.2.1"
	NewID            func() string // request and correlation ids; nil = roaming.RandomIDs
}

// Client calls OCPI partners. It is safe for concurrent use.
type Client struct {
	http *http.Client
	cfg  Config
	log  *slog.Logger
}

var _ roaming.Peer = (*Client)(nil)

// New builds a client on hc (nil = a default http.Client).
func New(hc *http.Client, cfg Config, log *slog.Logger) *Client {
	if hc == nil {
		hc = &http.Client{}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = defaultTimeout
	}
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = defaultMaxPages
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = defaultMaxResponseBytes
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "chargehub-ocpi/2.2.1"
	}
	if cfg.NewID == nil {
		cfg.NewID = roaming.RandomIDs{}.NewID
	}
	if log == nil {
		log = slog.Default()
	}
	return &Client{http: hc, cfg: cfg, log: log}
}

// Request is one OCPI call.
type Request struct {
	Method string
	URL    string
	Cred   roaming.Credential
	// From and To are sent as the OCPI-from-* and OCPI-to-* routing headers when not zero
	// (functional modules only; never on versions, credentials or hubclientinfo).
	From, To      roaming.Party
	Body          any // JSON-encoded; a json.RawMessage or []byte is sent as is; nil = no body
	CorrelationID string
}

// Response is a successful OCPI answer.
type Response struct {
	HTTPStatus int
	Header     http.Header
	Envelope   ocpi.RawResponse
	Encoding   roaming.TokenEncoding // the token encoding that was accepted
	RequestID  string
}

// Error is a failed OCPI call: no answer, a non-2xx HTTP status, a body that is not an OCPI
// envelope, or a status_code outside 1000-1999.
type Error struct {
	Method     string
	URL        string
	HTTPStatus int    // 0 when no response came
	StatusCode int    // the envelope's status_code, 0 when none
	Message    string // status_message or a description
	Err        error  // transport or decoding cause
}

// Error describes the failure on one line.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ocpi %s %s: ", e.Method, e.URL)
	switch {
	case e.HTTPStatus == 0:
		b.WriteString("no answer")
	default:
		fmt.Fprintf(&b, "HTTP %d", e.HTTPStatus)
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, ", status %d (%s)", e.StatusCode, ocpi.StatusText(e.StatusCode))
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Permanent reports whether repeating the request cannot succeed: an HTTP 4xx other than 401,
// 403, 408, 425 and 429 (401/403 may be a token rotation in progress), an OCPI client error
// (2xxx) or an unknown receiver (4001). Transport errors, 5xx, 3xxx and the other 4xxx statuses
// may go away.
func (e *Error) Permanent() bool {
	switch {
	case e.StatusCode >= 2000 && e.StatusCode <= 2999, e.StatusCode == ocpi.StatusCodeUnknownReceiver:
		return true
	case e.HTTPStatus >= 400 && e.HTTPStatus <= 499:
		switch e.HTTPStatus {
		case http.StatusUnauthorized, http.StatusForbidden, http.StatusRequestTimeout, http.StatusTooEarly, http.StatusTooManyRequests:
			return false
		}
		return true
	}
	return false
}

// AuthorizationValue returns the Authorization header for a token in an encoding (base64 for
// EncodingAuto).
func AuthorizationValue(token string, enc roaming.TokenEncoding) string {
	if enc == roaming.EncodingRaw {
		return "Token " + token
	}
	return "Token " + base64.StdEncoding.EncodeToString([]byte(token))
}

// Do sends an OCPI request. With EncodingAuto the Base64 token is tried first and, on HTTP 401,
// the raw token once.
func (c *Client) Do(ctx context.Context, req Request) (*Response, error) {
	var body []byte
	switch b := req.Body.(type) {
	case nil:
	case json.RawMessage:
		body = b
	case []byte:
		body = b
	default:
		var err error
		if body, err = json.Marshal(b); err != nil {
			return nil, &Error{Method: req.Method, URL: req.URL, Message: "encode body", Err: err}
		}
	}
	if req.CorrelationID == "" {
		req.CorrelationID = c.cfg.NewID()
	}
	enc := req.Cred.Encoding
	if enc == roaming.EncodingAuto {
		resp, err := c.send(ctx, req, body, roaming.EncodingBase64)
		var e *Error
		if !errors.As(err, &e) || e.HTTPStatus != http.StatusUnauthorized {
			return resp, err
		}
		c.log.Info("ocpi: Base64 token refused, retrying with the raw token", "url", req.URL)
		enc = roaming.EncodingRaw
	}
	return c.send(ctx, req, body, enc)
}

func (c *Client) send(ctx context.Context, req Request, body []byte, enc roaming.TokenEncoding) (*Response, error) {
	fail := func(status int, msg string, err error) error {
		return &Error{Method: req.Method, URL: req.URL, HTTPStatus: status, Message: msg, Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	hr, err := http.NewRequestWithContext(ctx, req.Method, req.URL, rd)
	if err != nil {
		return nil, fail(0, "build request", err)
	}
	reqID := c.cfg.NewID()
	h := hr.Header
	h.Set("Authorization", AuthorizationValue(req.Cred.Token, enc))
	h.Set("Accept", "application/json")
	h.Set("User-Agent", c.cfg.UserAgent)
	h.Set(HeaderRequestID, reqID)
	h.Set(HeaderCorrelationID, req.CorrelationID)
	if body != nil {
		h.Set("Content-Type", "application/json")
	}
	setParty(h, HeaderFromCountryCode, HeaderFromPartyID, req.From)
	setParty(h, HeaderToCountryCode, HeaderToPartyID, req.To)
	start := time.Now()
	hresp, err := c.http.Do(hr)
	if err != nil {
		return nil, fail(0, "", err)
	}
	defer hresp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(hresp.Body, c.cfg.MaxResponseBytes+1))
	if err != nil {
		return nil, fail(hresp.StatusCode, "read body", err)
	}
	c.log.Debug("ocpi request", "method", req.Method, "url", req.URL, "status", hresp.StatusCode,
		"request_id", reqID, "correlation_id", req.CorrelationID, "elapsed", time.Since(start))
	if int64(len(data)) > c.cfg.MaxResponseBytes {
		return nil, fail(hresp.StatusCode, fmt.Sprintf("response body larger than %d bytes", c.cfg.MaxResponseBytes), nil)
	}
	resp := &Response{HTTPStatus: hresp.StatusCode, Header: hresp.Header, Encoding: enc, RequestID: reqID}
	envErr := json.Unmarshal(data, &resp.Envelope)
	if envErr == nil && resp.Envelope.StatusCode == 0 {
		envErr = errors.New("no status_code")
	}
	e := &Error{Method: req.Method, URL: req.URL, HTTPStatus: hresp.StatusCode}
	if envErr == nil {
		e.StatusCode, e.Message = resp.Envelope.StatusCode, resp.Envelope.StatusMessage
	}
	switch {
	case hresp.StatusCode < 200 || hresp.StatusCode > 299:
		if envErr != nil {
			e.Message = snippet(data)
		}
		return nil, e
	case envErr != nil:
		e.Message, e.Err = "the answer is not an OCPI envelope: "+snippet(data), envErr
		return nil, e
	case !resp.Envelope.IsSuccess():
		return nil, e
	}
	return resp, nil
}

// setParty sets a pair of routing headers.
func setParty(h http.Header, ccHeader, pidHeader string, p roaming.Party) {
	if p.IsZero() {
		return
	}
	h.Set(ccHeader, strings.ToUpper(p.CountryCode))
	h.Set(pidHeader, strings.ToUpper(p.PartyID))
}

// snippet returns the start of a body for an error message.
func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}

// decodeData decodes a response's data into dst.
func decodeData(resp *Response, url string, dst any) error {
	if !resp.Envelope.HasData() {
		return &Error{Method: http.MethodGet, URL: url, HTTPStatus: resp.HTTPStatus, StatusCode: resp.Envelope.StatusCode,
			Message: "the answer has no data"}
	}
	if err := resp.Envelope.DecodeData(dst); err != nil {
		return &Error{Method: http.MethodGet, URL: url, HTTPStatus: resp.HTTPStatus, StatusCode: resp.Envelope.StatusCode,
			Message: "unexpected data", Err: err}
	}
	return nil
}
