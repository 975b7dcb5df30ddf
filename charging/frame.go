package charging

import "time"

// Direction of an OCPP frame relative to the hub.
type Direction string

// Frame directions.
const (
	DirIn  Direction = "in"
	DirOut Direction = "out"
)

// Frame is one OCPP-J frame kept in the audit log.
type Frame struct {
	ID          int64
	StationID   string
	Direction   Direction
	MessageType int // 2 CALL, 3 CALLRESULT, 4 CALLERROR, 0 unreadable
	MessageID   string
	Action      string
	Payload     string // the frame text as sent or received
	At          time.Time
}
