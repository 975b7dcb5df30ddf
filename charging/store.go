package charging

import (
	"context"
	"time"
)

// StationStore keeps stations and their connectors.
type StationStore interface {
	// GetStation returns CodeNotFound when id is unknown.
	GetStation(ctx context.Context, id string) (Station, error)
	// CreateStation inserts s; CodeConflict when the id exists.
	CreateStation(ctx context.Context, s Station) error
	// UpdateStation replaces every field of an existing station; CodeNotFound if absent.
	UpdateStation(ctx context.Context, s Station) error
	ListStations(ctx context.Context, f StationFilter) ([]Station, int, error)
	// SetOnline records connection state, last-seen time (never moved back) and, unless p is
	// empty, the protocol, touching no other column. CodeNotFound when the station is unknown.
	SetOnline(ctx context.Context, id string, online bool, p Protocol, at time.Time) error
	// TouchStations sets last_seen for many stations in one statement batch.
	TouchStations(ctx context.Context, seen map[string]time.Time) error
	// ResetOnline marks every station offline (a node starting with no sockets).
	ResetOnline(ctx context.Context) error

	// UpsertConnector inserts or replaces the connector keyed by (station, evse, connector),
	// unless the stored one has a later StatusAt (statuses may arrive out of order): then it
	// keeps the stored one and reports applied false. One statement.
	UpsertConnector(ctx context.Context, c Connector) (applied bool, err error)
	ListConnectors(ctx context.Context, stationID string) ([]Connector, error)

	AddStationEvent(ctx context.Context, e StationEvent) error
	ListStationEvents(ctx context.Context, stationID string, limit int) ([]StationEvent, error)
}

// TransactionStore keeps transactions.
type TransactionStore interface {
	// CreateTransaction inserts t and sets t.ID; CodeConflict when (station, start key) or
	// (station, station tx id) already exists.
	CreateTransaction(ctx context.Context, t *Transaction) error
	// UpdateTransaction stores every mutable field of t (matched by t.ID).
	UpdateTransaction(ctx context.Context, t Transaction) error
	// AddMeterReadings stores samples and the LastMeterWh and Flags of each of txs (distinct
	// ids) that is still active, all or none, in as few round trips as the database allows. It
	// needs no transaction of the caller's.
	AddMeterReadings(ctx context.Context, samples []MeterSample, txs []Transaction) error
	GetTransaction(ctx context.Context, id int64) (Transaction, error)
	// GetTransactions returns the transactions of ids that exist (ids may repeat), by id.
	GetTransactions(ctx context.Context, ids []int64) ([]Transaction, error)
	// FindTransactionByStartKey returns CodeNotFound when no transaction of the station has key.
	FindTransactionByStartKey(ctx context.Context, stationID, key string) (Transaction, error)
	// ActiveTransactions lists the station's active transactions on an EVSE, oldest first;
	// evseID < 0 = on every EVSE.
	ActiveTransactions(ctx context.Context, stationID string, evseID int) ([]Transaction, error)
	// ActiveTransactionsForTag lists active transactions started with idTag on any station.
	ActiveTransactionsForTag(ctx context.Context, idTag string) ([]Transaction, error)
	ListTransactions(ctx context.Context, f TransactionFilter) ([]Transaction, int, error)
	// FindTransactionByStationTxID finds a transaction by the station's own (2.0.1) id.
	FindTransactionByStationTxID(ctx context.Context, stationID, stationTxID string) (Transaction, error)
	// AddTransactionEvent stores a 2.0.1 event; CodeConflict when (station, tx id, seqNo) exists.
	AddTransactionEvent(ctx context.Context, e *TxEventRecord) error
	// ListTransactionEvents returns a transaction's events in seqNo order.
	ListTransactionEvents(ctx context.Context, stationID, stationTxID string) ([]TxEventRecord, error)
}

// DeviceModelStore keeps 2.0.1 device models.
type DeviceModelStore interface {
	// UpsertDeviceVariables inserts or replaces variables keyed by station, component
	// (name, instance, evse, connector), variable (name, instance) and attribute type.
	UpsertDeviceVariables(ctx context.Context, vars []DeviceVariable) error
	ListDeviceVariables(ctx context.Context, stationID string, f DeviceFilter) ([]DeviceVariable, error)
}

// VendorProfileStore keeps per-vendor leniency profiles.
type VendorProfileStore interface {
	PutVendorProfile(ctx context.Context, p VendorProfile) error
	DeleteVendorProfile(ctx context.Context, vendor, model string) error
	ListVendorProfiles(ctx context.Context) ([]VendorProfile, error)
}

// MeterStore keeps sampled meter values.
type MeterStore interface {
	AddMeterSamples(ctx context.Context, samples []MeterSample) error
	ListMeterSamples(ctx context.Context, transactionID int64) ([]MeterSample, error)
}

// IDTagStore keeps the tokens the hub authorizes.
type IDTagStore interface {
	GetIDTag(ctx context.Context, idTag string) (IDTag, error)
	UpsertIDTag(ctx context.Context, t IDTag) error
	DeleteIDTag(ctx context.Context, idTag string) error
	ListIDTags(ctx context.Context, offset, limit int) ([]IDTag, int, error)
}

// FrameStore keeps the OCPP frame audit log.
type FrameStore interface {
	AddFrames(ctx context.Context, frames []Frame) error
	ListFrames(ctx context.Context, stationID string, limit int) ([]Frame, error)
	// PruneFrames deletes frames older than before and returns how many went.
	PruneFrames(ctx context.Context, before time.Time) (int64, error)
}

// Store is everything the domain persists. InTx runs fn in one database transaction with a
// Store bound to it; services use it for every change that touches more than one row.
type Store interface {
	StationStore
	TransactionStore
	MeterStore
	IDTagStore
	FrameStore
	DeviceModelStore
	VendorProfileStore
	InTx(ctx context.Context, fn func(tx Store) error) error
	Ping(ctx context.Context) error
}

// GroupCommitter is a Store that may say whether its InTx shares one database transaction
// among concurrent callers (group commit), so that the service does not queue what the store
// batches already.
type GroupCommitter interface {
	GroupsCommits() bool
}
