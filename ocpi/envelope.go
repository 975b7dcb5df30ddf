package ocpi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Response is the OCPI response envelope that wraps every response body.
//
// Data uses omitzero rather than omitempty: an absent value (nil slice, nil pointer, nil
// interface, zero struct) is left out, as OCPI wants where an endpoint defines no data, while an
// empty non-nil list is kept as "data": [], which OCPI requires for a list endpoint with no match
// (omitempty would drop it). Use NewListResponse for lists.
type Response[T any] struct {
	Data          T        `json:"data,omitzero"`
	StatusCode    int      `json:"status_code"`
	StatusMessage string   `json:"status_message,omitempty"`
	Timestamp     DateTime `json:"timestamp"`
}

// NewResponse returns a success (1000) envelope around data, timestamped now.
func NewResponse[T any](data T) Response[T] {
	return Response[T]{Data: data, StatusCode: StatusCodeSuccess, Timestamp: NewDateTime(time.Now())}
}

// NewListResponse returns a success (1000) envelope around a list; a nil list is sent as [].
func NewListResponse[T any](items []T) Response[[]T] {
	if items == nil {
		items = []T{}
	}
	return NewResponse(items)
}

// NewStatusResponse returns an envelope without data, for errors (2xxx-4xxx) and for successes
// whose endpoint defines no data (e.g. the answer to a PUT or PATCH push).
func NewStatusResponse(code int, message string) Response[any] {
	return Response[any]{StatusCode: code, StatusMessage: message, Timestamp: NewDateTime(time.Now())}
}

// RawResponse is the envelope with its data left undecoded, for reading responses: check the
// status first, then decode the data into the type the endpoint defines.
type RawResponse struct {
	Data          json.RawMessage `json:"data,omitempty"`
	StatusCode    int             `json:"status_code"`
	StatusMessage string          `json:"status_message,omitempty"`
	Timestamp     DateTime        `json:"timestamp"`
}

// HasData reports whether the envelope carries data (present and not null).
func (r *RawResponse) HasData() bool {
	d := bytes.TrimSpace(r.Data)
	return len(d) > 0 && !bytes.Equal(d, []byte("null"))
}

// IsSuccess reports whether the status code is in the success class 1000-1999.
func (r *RawResponse) IsSuccess() bool { return IsSuccessStatus(r.StatusCode) }

// Err returns a *StatusError when the status code is not a success, else nil.
func (r *RawResponse) Err() error {
	if r.IsSuccess() {
		return nil
	}
	return &StatusError{Code: r.StatusCode, Message: r.StatusMessage}
}

// DecodeData decodes the data into dst; absent or null data leaves dst unchanged.
func (r *RawResponse) DecodeData(dst any) error {
	if !r.HasData() {
		return nil
	}
	if err := json.Unmarshal(r.Data, dst); err != nil {
		return fmt.Errorf("ocpi: decode response data: %w", err)
	}
	return nil
}

// Validate checks the envelope fields (not the data); errors are rooted at "response".
func (r *RawResponse) Validate() error {
	v := &validator{}
	checkIntRange(v, "response.status_code", r.StatusCode, 1000, 4999)
	checkDateTime(v, "response.timestamp", r.Timestamp)
	return v.err()
}

// DecodeResponse reads a response body. On a success status the data (if any) is decoded into
// Data; on any other status Data is left zero (OCPI leaves it undefined) and the error is a
// *StatusError carrying the code and message. A body that is not an envelope is an error too.
func DecodeResponse[T any](body []byte) (Response[T], error) {
	var raw RawResponse
	if err := json.Unmarshal(body, &raw); err != nil {
		return Response[T]{}, fmt.Errorf("ocpi: decode response envelope: %w", err)
	}
	out := Response[T]{StatusCode: raw.StatusCode, StatusMessage: raw.StatusMessage, Timestamp: raw.Timestamp}
	if err := raw.Err(); err != nil {
		return out, err
	}
	if err := raw.DecodeData(&out.Data); err != nil {
		return out, err
	}
	return out, nil
}
