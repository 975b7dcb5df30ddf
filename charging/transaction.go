package charging

import (
	"strconv"
	"time"
)

// TxStatus is the life-cycle state of a transaction in the hub.
type TxStatus string

// Transaction states.
const (
	TxActive    TxStatus = "Active"
	TxCompleted TxStatus = "Completed"
)

// Flags recorded on transactions and samples when the hub had to interpret messy input.
const (
	FlagTimestampNoZone = "ts_no_zone"        // a timestamp came without a zone and was read as UTC
	FlagTxUnresolved    = "tx_unresolved"     // a stop/meter value carried an id <= 0, unknown or out of range, and was matched by connector/time
	FlagTxOrphan        = "tx_orphan"         // a stop for a transaction the hub never saw; the record was created from the stop
	FlagStartUnknown    = "start_unknown"     // start data (meterStart, time) is inferred, not reported
	FlagMeterReset      = "meter_reset"       // the energy register dropped during the session
	FlagIDTagTrimmed    = "idtag_trimmed"     // control characters/space were stripped from the id tag
	FlagIDTagTooLong    = "idtag_too_long"    // the id tag exceeded the protocol limit
	FlagDecimalComma    = "decimal_comma"     // a meter value used a decimal comma
	FlagStopRepeated    = "stop_conflicting"  // a second, different stop arrived for an ended transaction
	FlagSeqGap          = "seq_gap"           // 2.0.1: TransactionEvent seqNos are missing
	FlagOfflineEvents   = "offline_events"    // 2.0.1: events were marked offline
	FlagLateEvent       = "late_event"        // 2.0.1: an event arrived after one with a higher seqNo
	FlagSkewCorrected   = "ts_skew_corrected" // timestamps were corrected by the station's clock offset
)

// TxEventRecord is one 2.0.1 TransactionEvent as received, kept to order events by seqNo,
// detect duplicates and gaps, and replay history.
type TxEventRecord struct {
	ID            int64
	StationID     string
	StationTxID   string
	SeqNo         int
	EventType     string // Started, Updated, Ended
	TriggerReason string
	Offline       bool
	Timestamp     time.Time
	ReceivedAt    time.Time
	Payload       string // the request JSON as received
}

// Transaction is one charging transaction, the same record for 1.6 and 2.0.1.
type Transaction struct {
	ID              int64 // hub id; for 1.6 this is the transactionId given to the station (1..2^31-1)
	StationID       string
	StationTxID     string // the id the station uses: 2.0.1 transactionId; 1.6: the decimal hub id
	EVSEID          int
	ConnectorID     int
	IDTag           string // token that started it
	StopIDTag       string // token that stopped it, if any
	ReservationID   *int
	StartKey        string // idempotency key of the start message, unique per station
	MeterStartWh    int64
	MeterStopWh     *int64
	LastMeterWh     *int64     // latest energy register seen (Wh)
	StartedAt       time.Time  // the station's start time (normalised to UTC)
	StartReceivedAt time.Time  // when the hub received the start
	StoppedAt       *time.Time // the station's stop time
	StopReceivedAt  *time.Time
	StopReason      string
	Status          TxStatus
	EnergyWh        int64    // delivered energy; never negative
	Flags           []string // data-quality flags (see Flag* constants)
	UpdatedAt       time.Time

	// OCPP 2.0.1 transaction state (empty for 1.6).
	IDTokenType        string // 2.0.1 IdTokenEnumType of IDTag (ISO14443, eMAID, Central...)
	ChargingState      string // Charging, EVConnected, SuspendedEV, SuspendedEVSE, Idle
	RemoteStartID      *int   // echo of RequestStartTransaction's remoteStartId
	LastSeqNo          *int   // highest TransactionEvent seqNo applied
	TimeSpentChargingS *int   // seconds, as reported by the station
}

// StationTransactionID is the id the station knows the transaction by: the 2.0.1 string
// id, or the decimal hub id for 1.6.
func (t *Transaction) StationTransactionID() string {
	if t.StationTxID != "" {
		return t.StationTxID
	}
	return strconv.FormatInt(t.ID, 10)
}

// HasFlag reports whether the transaction carries flag f.
func (t *Transaction) HasFlag(f string) bool {
	for _, x := range t.Flags {
		if x == f {
			return true
		}
	}
	return false
}

// AddFlag records flag f once.
func (t *Transaction) AddFlag(f string) {
	if !t.HasFlag(f) {
		t.Flags = append(t.Flags, f)
	}
}

// TransactionFilter selects transactions for listing; zero fields do not filter.
type TransactionFilter struct {
	StationID string
	IDTag     string
	Status    TxStatus
	From, To  *time.Time // on StartedAt, [From, To)
	Offset    int
	Limit     int
}
