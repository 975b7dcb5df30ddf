// Package ocpp is the hub's OCPP-J transport: the RPC frame codec, per-station WebSocket
// connections (one reader goroutine each; a single writer and a worker started on demand;
// correlated calls, keepalive), subprotocol negotiation and station authentication on the
// HTTP upgrade, and the route table that hands each inbound CALL of a message set (v16,
// later v201) to its handler.
package ocpp

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// MessageType is the first element of an OCPP-J frame.
type MessageType int

// OCPP-J message types.
const (
	TypeCall       MessageType = 2
	TypeCallResult MessageType = 3
	TypeCallError  MessageType = 4
)

// MaxMessageIDLen is the spec's limit on messageId; longer ids are answered but logged.
const MaxMessageIDLen = 36

// Frame is one decoded OCPP-J frame.
type Frame struct {
	Type             MessageType
	ID               string
	Action           string          // CALL only
	Payload          json.RawMessage // CALL and CALLRESULT: the JSON object
	ErrorCode        string          // CALLERROR only, as received
	ErrorDescription string          // CALLERROR only
	ErrorDetails     json.RawMessage // CALLERROR only
}

// FrameError is a frame that could not be decoded. ID is the messageId when it could be
// read ("" otherwise), so that a CALL can still be answered.
type FrameError struct {
	ID     string
	Type   MessageType // 0 when unreadable
	Code   ErrorCode
	Reason string
}

func (e *FrameError) Error() string { return "bad frame: " + e.Reason }

// ParseFrame decodes one WebSocket text message. Unknown message types return a FrameError
// with Code ErrMessageTypeNotSupported and the readable id.
func ParseFrame(data []byte) (Frame, error) {
	var parts []json.RawMessage
	if err := json.Unmarshal(data, &parts); err != nil {
		return Frame{}, &FrameError{Code: ErrFormat, Reason: "not a JSON array: " + shortJSONError(err)}
	}
	if len(parts) < 3 {
		return Frame{}, &FrameError{Code: ErrFormat, Reason: fmt.Sprintf("frame has %d elements, want at least 3", len(parts))}
	}
	var typ int
	if err := json.Unmarshal(parts[0], &typ); err != nil {
		return Frame{}, &FrameError{Code: ErrFormat, Reason: "message type is not an integer"}
	}
	var id string
	if err := json.Unmarshal(parts[1], &id); err != nil {
		return Frame{}, &FrameError{Type: MessageType(typ), Code: ErrRPCFramework, Reason: "messageId is not a string"}
	}
	f := Frame{Type: MessageType(typ), ID: id}
	fail := func(code ErrorCode, format string, args ...any) (Frame, error) {
		return Frame{}, &FrameError{ID: id, Type: f.Type, Code: code, Reason: fmt.Sprintf(format, args...)}
	}
	switch f.Type {
	case TypeCall:
		if len(parts) != 4 {
			return fail(ErrFormat, "CALL has %d elements, want 4", len(parts))
		}
		if err := json.Unmarshal(parts[2], &f.Action); err != nil || f.Action == "" {
			return fail(ErrFormat, "action is not a non-empty string")
		}
		if !isObject(parts[3]) {
			return fail(ErrFormat, "payload of %s is not a JSON object", f.Action)
		}
		f.Payload = parts[3]
	case TypeCallResult:
		if len(parts) != 3 {
			return fail(ErrFormat, "CALLRESULT has %d elements, want 3", len(parts))
		}
		if !isObject(parts[2]) {
			return fail(ErrFormat, "CALLRESULT payload is not a JSON object")
		}
		f.Payload = parts[2]
	case TypeCallError:
		if len(parts) != 5 {
			return fail(ErrFormat, "CALLERROR has %d elements, want 5", len(parts))
		}
		if err := json.Unmarshal(parts[2], &f.ErrorCode); err != nil {
			return fail(ErrFormat, "errorCode is not a string")
		}
		if err := json.Unmarshal(parts[3], &f.ErrorDescription); err != nil {
			return fail(ErrFormat, "errorDescription is not a string")
		}
		if !isObject(parts[4]) {
			return fail(ErrFormat, "errorDetails is not a JSON object")
		}
		f.ErrorDetails = parts[4]
	default:
		return fail(ErrMessageTypeNotSupported, "message type %d is not supported", typ)
	}
	return f, nil
}

func isObject(raw json.RawMessage) bool {
	b := bytes.TrimLeft(raw, " \t\r\n")
	return len(b) > 0 && b[0] == '{'
}

func shortJSONError(err error) string {
	s := err.Error()
	if len(s) > 120 {
		s = s[:120]
	}
	return s
}

// MarshalCall encodes a CALL frame; payload must already be a JSON object.
func MarshalCall(id, action string, payload json.RawMessage) []byte {
	b := make([]byte, 0, len(payload)+len(id)+len(action)+16)
	b = append(b, `[2,`...)
	b = appendJSONString(b, id)
	b = append(b, ',')
	b = appendJSONString(b, action)
	b = append(b, ',')
	b = append(b, payload...)
	return append(b, ']')
}

// MarshalCallResult encodes a CALLRESULT frame.
func MarshalCallResult(id string, payload json.RawMessage) []byte {
	b := make([]byte, 0, len(payload)+len(id)+8)
	b = append(b, `[3,`...)
	b = appendJSONString(b, id)
	b = append(b, ',')
	b = append(b, payload...)
	return append(b, ']')
}

// MarshalCallError encodes a CALLERROR frame with the given wire error code; description
// is cut to 255 characters (2.0.1's limit, harmless for 1.6) and details default to {}.
func MarshalCallError(id, code, description string, details json.RawMessage) []byte {
	if r := []rune(description); len(r) > 255 {
		description = string(r[:255])
	}
	if len(details) == 0 {
		details = json.RawMessage(`{}`)
	}
	b := make([]byte, 0, len(id)+len(code)+len(description)+len(details)+16)
	b = append(b, `[4,`...)
	b = appendJSONString(b, id)
	b = append(b, ',')
	b = appendJSONString(b, code)
	b = append(b, ',')
	b = appendJSONString(b, description)
	b = append(b, ',')
	b = append(b, details...)
	return append(b, ']')
}

// appendJSONString appends s as a JSON string (encoding/json escaping rules).
func appendJSONString(b []byte, s string) []byte {
	enc, _ := json.Marshal(s) // a string always marshals
	return append(b, enc...)
}
