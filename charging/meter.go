package charging

import (
	"time"

	"github.com/shopspring/decimal"
)

// MeterSample is one sampled value as received, with its normalised reading.
type MeterSample struct {
	ID            int64
	StationID     string
	TransactionID *int64 // hub transaction id, when the sample belongs to one
	EVSEID        int
	ConnectorID   int
	Timestamp     time.Time
	Measurand     string
	Phase         string
	Location      string
	Context       string
	Format        string // Raw or SignedData
	RawValue      string // exactly as received (a signed blob for SignedData)
	RawUnit       string
	Value         *decimal.Decimal // normalised value in Unit; nil when not numeric (signed data, garbage)
	Unit          string           // normalised unit: Wh, varh, W, var, VA, A, V, Celsius, Percent, ...
	Flags         []string
	ReceivedAt    time.Time
}
