package store

import (
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/chargehub/hub/charging"
)

// Row structs mirror the tables of migrations/*/*.sql (those of tables added for OCPP 2.0.1
// live in ocpp201.go and profiles.go). They never leave the package.
// autoCreateTime/autoUpdateTime are off: the store sets housekeeping times itself.

type stationRow struct {
	ID                string     `gorm:"column:id;primaryKey"`
	Vendor            string     `gorm:"column:vendor"`
	Model             string     `gorm:"column:model"`
	SerialNumber      string     `gorm:"column:serial_number"`
	ChargeBoxSerial   string     `gorm:"column:charge_box_serial"`
	FirmwareVersion   string     `gorm:"column:firmware_version"`
	ICCID             string     `gorm:"column:iccid"`
	IMSI              string     `gorm:"column:imsi"`
	MeterType         string     `gorm:"column:meter_type"`
	MeterSerialNumber string     `gorm:"column:meter_serial_number"`
	Protocol          string     `gorm:"column:protocol"`
	Registration      string     `gorm:"column:registration"`
	AcceptedAt        *time.Time `gorm:"column:accepted_at"`
	SecurityProfile   int        `gorm:"column:security_profile"`
	PasswordHash      string     `gorm:"column:password_hash"`
	Online            bool       `gorm:"column:online"`
	LastSeen          *time.Time `gorm:"column:last_seen"`
	LastBootAt        *time.Time `gorm:"column:last_boot_at"`
	CreatedAt         time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt         time.Time  `gorm:"column:updated_at;autoUpdateTime:false"`

	ExpectedCN          string `gorm:"column:expected_cn"`
	PendingPasswordHash string `gorm:"column:pending_password_hash"`
	ClockOffsetMs       *int64 `gorm:"column:clock_offset_ms"`
}

func (stationRow) TableName() string { return "stations" }

// stationCols lists every column of stations, in the order of fields.
var stationCols = append([]string{"id", "created_at"}, stationMutable...)

// fields points at r's fields in the order of stationCols, for Scan.
func (r *stationRow) fields() []any {
	return []any{&r.ID, &r.CreatedAt,
		&r.Vendor, &r.Model, &r.SerialNumber, &r.ChargeBoxSerial, &r.FirmwareVersion, &r.ICCID,
		&r.IMSI, &r.MeterType, &r.MeterSerialNumber, &r.Protocol, &r.Registration, &r.AcceptedAt,
		&r.SecurityProfile, &r.PasswordHash, &r.Online, &r.LastSeen, &r.LastBootAt, &r.UpdatedAt,
		&r.ExpectedCN, &r.PendingPasswordHash, &r.ClockOffsetMs}
}

// mutableArgs are r's values of the columns of stationMutable, in its order.
func (r *stationRow) mutableArgs() []any {
	return []any{
		r.Vendor, r.Model, r.SerialNumber, r.ChargeBoxSerial, r.FirmwareVersion, r.ICCID,
		r.IMSI, r.MeterType, r.MeterSerialNumber, r.Protocol, r.Registration, r.AcceptedAt,
		r.SecurityProfile, r.PasswordHash, r.Online, r.LastSeen, r.LastBootAt, r.UpdatedAt,
		r.ExpectedCN, r.PendingPasswordHash, r.ClockOffsetMs,
	}
}

func toStationRow(s charging.Station) stationRow {
	return stationRow{
		ID: s.ID, Vendor: s.Vendor, Model: s.Model, SerialNumber: s.SerialNumber,
		ChargeBoxSerial: s.ChargeBoxSerial, FirmwareVersion: s.FirmwareVersion,
		ICCID: s.ICCID, IMSI: s.IMSI, MeterType: s.MeterType, MeterSerialNumber: s.MeterSerialNumber,
		Protocol: string(s.Protocol), Registration: string(s.Registration),
		AcceptedAt: dbTimePtr(s.AcceptedAt), SecurityProfile: s.SecurityProfile,
		PasswordHash: s.PasswordHash, Online: s.Online,
		LastSeen: dbTimePtr(s.LastSeen), LastBootAt: dbTimePtr(s.LastBootAt),
		CreatedAt: dbTime(s.CreatedAt), UpdatedAt: dbTime(s.UpdatedAt),
		ExpectedCN: s.ExpectedCN, PendingPasswordHash: s.PendingPasswordHash,
		ClockOffsetMs: durationMs(s.ClockOffset),
	}
}

func (r stationRow) domain() charging.Station {
	return charging.Station{
		ID: r.ID, Vendor: r.Vendor, Model: r.Model, SerialNumber: r.SerialNumber,
		ChargeBoxSerial: r.ChargeBoxSerial, FirmwareVersion: r.FirmwareVersion,
		ICCID: r.ICCID, IMSI: r.IMSI, MeterType: r.MeterType, MeterSerialNumber: r.MeterSerialNumber,
		Protocol: charging.Protocol(r.Protocol), Registration: charging.Registration(r.Registration),
		AcceptedAt: utcPtr(r.AcceptedAt), SecurityProfile: r.SecurityProfile,
		PasswordHash: r.PasswordHash, Online: r.Online,
		LastSeen: utcPtr(r.LastSeen), LastBootAt: utcPtr(r.LastBootAt),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		ExpectedCN: r.ExpectedCN, PendingPasswordHash: r.PendingPasswordHash,
		ClockOffset: msDuration(r.ClockOffsetMs),
	}
}

type connectorRow struct {
	StationID       string    `gorm:"column:station_id;primaryKey"`
	EVSEID          int       `gorm:"column:evse_id;primaryKey;autoIncrement:false"`
	ConnectorID     int       `gorm:"column:connector_id;primaryKey;autoIncrement:false"`
	Status          string    `gorm:"column:status"`
	ErrorCode       string    `gorm:"column:error_code"`
	Info            string    `gorm:"column:info"`
	VendorID        string    `gorm:"column:vendor_id"`
	VendorErrorCode string    `gorm:"column:vendor_error_code"`
	StatusAt        time.Time `gorm:"column:status_at"`
	UpdatedAt       time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (connectorRow) TableName() string { return "connectors" }

// connectorCols lists every column of connectors, in the order of fields and args.
var connectorCols = []string{"station_id", "evse_id", "connector_id", "status", "error_code", "info",
	"vendor_id", "vendor_error_code", "status_at", "updated_at"}

// fields points at r's fields in the order of connectorCols, for Scan.
func (r *connectorRow) fields() []any {
	return []any{&r.StationID, &r.EVSEID, &r.ConnectorID, &r.Status, &r.ErrorCode, &r.Info,
		&r.VendorID, &r.VendorErrorCode, &r.StatusAt, &r.UpdatedAt}
}

// args are r's values in the order of connectorCols.
func (r *connectorRow) args() []any {
	return []any{r.StationID, r.EVSEID, r.ConnectorID, r.Status, r.ErrorCode, r.Info,
		r.VendorID, r.VendorErrorCode, r.StatusAt, r.UpdatedAt}
}

func toConnectorRow(c charging.Connector) connectorRow {
	return connectorRow{
		StationID: c.StationID, EVSEID: c.EVSEID, ConnectorID: c.ConnectorID,
		Status: string(c.Status), ErrorCode: c.ErrorCode, Info: c.Info,
		VendorID: c.VendorID, VendorErrorCode: c.VendorErrorCode,
		StatusAt: dbTime(c.StatusAt), UpdatedAt: dbTime(c.UpdatedAt),
	}
}

func (r connectorRow) domain() charging.Connector {
	return charging.Connector{
		StationID: r.StationID, EVSEID: r.EVSEID, ConnectorID: r.ConnectorID,
		Status: charging.ConnectorStatus(r.Status), ErrorCode: r.ErrorCode, Info: r.Info,
		VendorID: r.VendorID, VendorErrorCode: r.VendorErrorCode,
		StatusAt: r.StatusAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
}

type stationEventRow struct {
	ID        int64     `gorm:"column:id;primaryKey"`
	StationID string    `gorm:"column:station_id"`
	Kind      string    `gorm:"column:kind"`
	Status    string    `gorm:"column:status"`
	Detail    string    `gorm:"column:detail"`
	At        time.Time `gorm:"column:at"`
}

func (stationEventRow) TableName() string { return "station_events" }

func toStationEventRow(e charging.StationEvent) stationEventRow {
	return stationEventRow{StationID: e.StationID, Kind: e.Kind, Status: e.Status, Detail: e.Detail, At: dbTime(e.At)}
}

func (r stationEventRow) domain() charging.StationEvent {
	return charging.StationEvent{ID: r.ID, StationID: r.StationID, Kind: r.Kind, Status: r.Status, Detail: r.Detail, At: r.At.UTC()}
}

type transactionRow struct {
	ID              int64      `gorm:"column:id;primaryKey"`
	StationID       string     `gorm:"column:station_id"`
	StationTxID     string     `gorm:"column:station_tx_id"`
	EVSEID          int        `gorm:"column:evse_id"`
	ConnectorID     int        `gorm:"column:connector_id"`
	IDTag           string     `gorm:"column:id_tag"`
	StopIDTag       string     `gorm:"column:stop_id_tag"`
	ReservationID   *int       `gorm:"column:reservation_id"`
	StartKey        string     `gorm:"column:start_key"`
	MeterStartWh    int64      `gorm:"column:meter_start_wh"`
	MeterStopWh     *int64     `gorm:"column:meter_stop_wh"`
	LastMeterWh     *int64     `gorm:"column:last_meter_wh"`
	StartedAt       time.Time  `gorm:"column:started_at"`
	StartReceivedAt time.Time  `gorm:"column:start_received_at"`
	StoppedAt       *time.Time `gorm:"column:stopped_at"`
	StopReceivedAt  *time.Time `gorm:"column:stop_received_at"`
	StopReason      string     `gorm:"column:stop_reason"`
	Status          string     `gorm:"column:status"`
	EnergyWh        int64      `gorm:"column:energy_wh"`
	Flags           string     `gorm:"column:flags"`
	UpdatedAt       time.Time  `gorm:"column:updated_at;autoUpdateTime:false"`

	IDTokenType        string `gorm:"column:id_token_type"`
	ChargingState      string `gorm:"column:charging_state"`
	RemoteStartID      *int   `gorm:"column:remote_start_id"`
	LastSeqNo          *int   `gorm:"column:last_seq_no"`
	TimeSpentChargingS *int   `gorm:"column:time_spent_charging_s"`
}

func (transactionRow) TableName() string { return "transactions" }

// transactionMutable lists the columns UpdateTransaction writes: all but id and station_id.
var transactionMutable = []string{
	"station_tx_id", "evse_id", "connector_id", "id_tag", "stop_id_tag", "reservation_id",
	"start_key", "meter_start_wh", "meter_stop_wh", "last_meter_wh", "started_at",
	"start_received_at", "stopped_at", "stop_received_at", "stop_reason", "status",
	"energy_wh", "flags", "updated_at",
	"id_token_type", "charging_state", "remote_start_id", "last_seq_no", "time_spent_charging_s",
}

// transactionIndexed lists the mutable columns that some index of transactions covers, as a key
// or in its predicate (TestTransactionIndexedColumns checks it against the schema), and
// transactionUnindexed the others, both in the order of transactionMutable.
var (
	transactionIndexed   = []string{"station_tx_id", "evse_id", "id_tag", "start_key", "started_at", "status"}
	transactionUnindexed = without(transactionMutable, transactionIndexed)
	// transactionSplit holds, for the arguments of txUpdateUnindexedSQL, the positions in
	// transactionMutable of the unindexed columns, then -1 for the id, then the indexed ones.
	transactionSplit = append(append(positions(transactionMutable, transactionUnindexed), -1),
		positions(transactionMutable, transactionIndexed)...)
)

// transactionSplitArgs orders mutableArgs and the id for txUpdateUnindexedSQL.
func transactionSplitArgs(mutable []any, id int64) []any {
	out := make([]any, len(transactionSplit))
	for i, p := range transactionSplit {
		if p < 0 {
			out[i] = id
		} else {
			out[i] = mutable[p]
		}
	}
	return out
}

// without returns the columns of cols not in drop, in order.
func without(cols, drop []string) []string {
	var out []string
	for _, c := range cols {
		if !slices.Contains(drop, c) {
			out = append(out, c)
		}
	}
	return out
}

// positions returns the index in cols of each of names; it panics on a name cols lacks (a
// programming error caught by every test that loads the package).
func positions(cols, names []string) []int {
	out := make([]int, len(names))
	for i, n := range names {
		if out[i] = slices.Index(cols, n); out[i] < 0 {
			panic("store: column " + n + " is not one of " + strings.Join(cols, ", "))
		}
	}
	return out
}

// transactionCols lists every column of transactions, in the order of fields.
var transactionCols = append([]string{"id", "station_id"}, transactionMutable...)

// fields points at r's fields in the order of transactionCols, for Scan.
func (r *transactionRow) fields() []any {
	return []any{&r.ID, &r.StationID,
		&r.StationTxID, &r.EVSEID, &r.ConnectorID, &r.IDTag, &r.StopIDTag, &r.ReservationID,
		&r.StartKey, &r.MeterStartWh, &r.MeterStopWh, &r.LastMeterWh, &r.StartedAt,
		&r.StartReceivedAt, &r.StoppedAt, &r.StopReceivedAt, &r.StopReason, &r.Status,
		&r.EnergyWh, &r.Flags, &r.UpdatedAt,
		&r.IDTokenType, &r.ChargingState, &r.RemoteStartID, &r.LastSeqNo, &r.TimeSpentChargingS}
}

// mutableArgs are r's values of the columns of transactionMutable, in its order.
func (r *transactionRow) mutableArgs() []any {
	return []any{
		r.StationTxID, r.EVSEID, r.ConnectorID, r.IDTag, r.StopIDTag, r.ReservationID,
		r.StartKey, r.MeterStartWh, r.MeterStopWh, r.LastMeterWh, r.StartedAt,
		r.StartReceivedAt, r.StoppedAt, r.StopReceivedAt, r.StopReason, r.Status,
		r.EnergyWh, r.Flags, r.UpdatedAt,
		r.IDTokenType, r.ChargingState, r.RemoteStartID, r.LastSeqNo, r.TimeSpentChargingS,
	}
}

func toTransactionRow(t *charging.Transaction) transactionRow {
	return transactionRow{
		ID: t.ID, StationID: t.StationID, StationTxID: t.StationTxID,
		EVSEID: t.EVSEID, ConnectorID: t.ConnectorID, IDTag: t.IDTag, StopIDTag: t.StopIDTag,
		ReservationID: copyPtr(t.ReservationID), StartKey: t.StartKey,
		MeterStartWh: t.MeterStartWh, MeterStopWh: copyPtr(t.MeterStopWh), LastMeterWh: copyPtr(t.LastMeterWh),
		StartedAt: dbTime(t.StartedAt), StartReceivedAt: dbTime(t.StartReceivedAt),
		StoppedAt: dbTimePtr(t.StoppedAt), StopReceivedAt: dbTimePtr(t.StopReceivedAt),
		StopReason: t.StopReason, Status: string(t.Status), EnergyWh: t.EnergyWh,
		Flags: joinFlags(t.Flags), UpdatedAt: dbTime(t.UpdatedAt),
		IDTokenType: t.IDTokenType, ChargingState: t.ChargingState,
		RemoteStartID: copyPtr(t.RemoteStartID), LastSeqNo: copyPtr(t.LastSeqNo),
		TimeSpentChargingS: copyPtr(t.TimeSpentChargingS),
	}
}

func (r transactionRow) domain() charging.Transaction {
	return charging.Transaction{
		ID: r.ID, StationID: r.StationID, StationTxID: r.StationTxID,
		EVSEID: r.EVSEID, ConnectorID: r.ConnectorID, IDTag: r.IDTag, StopIDTag: r.StopIDTag,
		ReservationID: r.ReservationID, StartKey: r.StartKey,
		MeterStartWh: r.MeterStartWh, MeterStopWh: r.MeterStopWh, LastMeterWh: r.LastMeterWh,
		StartedAt: r.StartedAt.UTC(), StartReceivedAt: r.StartReceivedAt.UTC(),
		StoppedAt: utcPtr(r.StoppedAt), StopReceivedAt: utcPtr(r.StopReceivedAt),
		StopReason: r.StopReason, Status: charging.TxStatus(r.Status), EnergyWh: r.EnergyWh,
		Flags: splitFlags(r.Flags), UpdatedAt: r.UpdatedAt.UTC(),
		IDTokenType: r.IDTokenType, ChargingState: r.ChargingState,
		RemoteStartID: r.RemoteStartID, LastSeqNo: r.LastSeqNo, TimeSpentChargingS: r.TimeSpentChargingS,
	}
}

type meterSampleRow struct {
	ID            int64               `gorm:"column:id;primaryKey"`
	StationID     string              `gorm:"column:station_id"`
	TransactionID *int64              `gorm:"column:transaction_id"`
	EVSEID        int                 `gorm:"column:evse_id"`
	ConnectorID   int                 `gorm:"column:connector_id"`
	Timestamp     time.Time           `gorm:"column:timestamp"`
	Measurand     string              `gorm:"column:measurand"`
	Phase         string              `gorm:"column:phase"`
	Location      string              `gorm:"column:location"`
	Context       string              `gorm:"column:context"`
	Format        string              `gorm:"column:format"`
	RawValue      string              `gorm:"column:raw_value"`
	RawUnit       string              `gorm:"column:raw_unit"`
	Value         decimal.NullDecimal `gorm:"column:value"`
	Unit          string              `gorm:"column:unit"`
	Flags         string              `gorm:"column:flags"`
	ReceivedAt    time.Time           `gorm:"column:received_at"`
}

func (meterSampleRow) TableName() string { return "meter_samples" }

// fields points at r's fields in the order of "id" and meterSampleCols, for Scan.
func (r *meterSampleRow) fields() []any {
	return []any{&r.ID, &r.StationID, &r.TransactionID, &r.EVSEID, &r.ConnectorID, &r.Timestamp, &r.Measurand,
		&r.Phase, &r.Location, &r.Context, &r.Format, &r.RawValue, &r.RawUnit, &r.Value, &r.Unit, &r.Flags, &r.ReceivedAt}
}

// meterSampleCols lists the columns a sample is inserted with (all but the id), in the order
// of meterSampleArgs.
var meterSampleCols = []string{
	"station_id", "transaction_id", "evse_id", "connector_id", "timestamp", "measurand", "phase",
	"location", "context", "format", "raw_value", "raw_unit", "value", "unit", "flags", "received_at",
}

// meterSampleArgs appends the values of s as stored, in the order of meterSampleCols.
func meterSampleArgs(to []any, s *charging.MeterSample) []any {
	value := decimal.NullDecimal{}
	if s.Value != nil {
		value = decimal.NullDecimal{Decimal: *s.Value, Valid: true}
	}
	return append(to, s.StationID, s.TransactionID, s.EVSEID, s.ConnectorID, dbTime(s.Timestamp), s.Measurand,
		s.Phase, s.Location, s.Context, s.Format, s.RawValue, s.RawUnit, value, s.Unit, joinFlags(s.Flags), dbTime(s.ReceivedAt))
}

func (r meterSampleRow) domain() charging.MeterSample {
	s := charging.MeterSample{
		ID: r.ID, StationID: r.StationID, TransactionID: r.TransactionID,
		EVSEID: r.EVSEID, ConnectorID: r.ConnectorID, Timestamp: r.Timestamp.UTC(),
		Measurand: r.Measurand, Phase: r.Phase, Location: r.Location, Context: r.Context,
		Format: r.Format, RawValue: r.RawValue, RawUnit: r.RawUnit, Unit: r.Unit,
		Flags: splitFlags(r.Flags), ReceivedAt: r.ReceivedAt.UTC(),
	}
	if r.Value.Valid {
		v := r.Value.Decimal
		s.Value = &v
	}
	return s
}

type idTagRow struct {
	IDTag       string     `gorm:"column:id_tag;primaryKey"`
	Status      string     `gorm:"column:status"`
	ExpiryDate  *time.Time `gorm:"column:expiry_date"`
	ParentIDTag string     `gorm:"column:parent_id_tag"`
	UpdatedAt   time.Time  `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (idTagRow) TableName() string { return "id_tags" }

// idTagCols lists every column of id_tags, in the order of fields.
var idTagCols = []string{"id_tag", "status", "expiry_date", "parent_id_tag", "updated_at"}

// fields points at r's fields in the order of idTagCols, for Scan.
func (r *idTagRow) fields() []any {
	return []any{&r.IDTag, &r.Status, &r.ExpiryDate, &r.ParentIDTag, &r.UpdatedAt}
}

func toIDTagRow(t charging.IDTag) idTagRow {
	return idTagRow{IDTag: t.IDTag, Status: string(t.Status), ExpiryDate: dbTimePtr(t.ExpiryDate), ParentIDTag: t.ParentIDTag, UpdatedAt: dbTime(t.UpdatedAt)}
}

func (r idTagRow) domain() charging.IDTag {
	return charging.IDTag{IDTag: r.IDTag, Status: charging.AuthStatus(r.Status), ExpiryDate: utcPtr(r.ExpiryDate), ParentIDTag: r.ParentIDTag, UpdatedAt: r.UpdatedAt.UTC()}
}

type frameRow struct {
	ID          int64     `gorm:"column:id;primaryKey"`
	StationID   string    `gorm:"column:station_id"`
	Direction   string    `gorm:"column:direction"`
	MessageType int       `gorm:"column:message_type"`
	MessageID   string    `gorm:"column:message_id"`
	Action      string    `gorm:"column:action"`
	Payload     string    `gorm:"column:payload"`
	At          time.Time `gorm:"column:at"`
}

func (frameRow) TableName() string { return "frames" }

func (r frameRow) domain() charging.Frame {
	return charging.Frame{
		ID: r.ID, StationID: r.StationID, Direction: charging.Direction(r.Direction),
		MessageType: r.MessageType, MessageID: r.MessageID, Action: r.Action, Payload: r.Payload, At: r.At.UTC(),
	}
}

// frameCols lists the columns a frame is inserted with (all but the id), in the order of
// frameArgs.
var frameCols = []string{"station_id", "direction", "message_type", "message_id", "action", "payload", "at"}

// frameArgs appends the values of f as stored, in the order of frameCols.
func frameArgs(to []any, f *charging.Frame) []any {
	return append(to, f.StationID, string(f.Direction), f.MessageType, f.MessageID, f.Action, f.Payload, dbTime(f.At))
}

// joinFlags stores flags as one comma-separated column.
func joinFlags(flags []string) string { return strings.Join(flags, ",") }

// splitFlags reads the flags column back; no flags is nil.
func splitFlags(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// durationMs is an optional duration as whole milliseconds (truncated toward zero).
func durationMs(d *time.Duration) *int64 {
	if d == nil {
		return nil
	}
	ms := d.Milliseconds()
	return &ms
}

// msDuration reads durationMs back.
func msDuration(ms *int64) *time.Duration {
	if ms == nil {
		return nil
	}
	d := time.Duration(*ms) * time.Millisecond
	return &d
}

// copyPtr copies an optional value so rows never alias the caller's memory.
func copyPtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
