package store

import (
	"cmp"
	"context"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chargehub/hub/charging"
)

// OCPP 2.0.1 state: transactions found by the station's id, TransactionEvent history, and
// the device model (migrations/*/00003_ocpp201.sql).

type txEventRow struct {
	ID            int64     `gorm:"column:id;primaryKey"`
	StationID     string    `gorm:"column:station_id"`
	StationTxID   string    `gorm:"column:station_tx_id"`
	SeqNo         int       `gorm:"column:seq_no"`
	EventType     string    `gorm:"column:event_type"`
	TriggerReason string    `gorm:"column:trigger_reason"`
	Offline       bool      `gorm:"column:offline"`
	Timestamp     time.Time `gorm:"column:timestamp"`
	ReceivedAt    time.Time `gorm:"column:received_at"`
	Payload       string    `gorm:"column:payload"`
}

func (txEventRow) TableName() string { return "transaction_events" }

func toTxEventRow(e *charging.TxEventRecord) txEventRow {
	return txEventRow{
		StationID: e.StationID, StationTxID: e.StationTxID, SeqNo: e.SeqNo, EventType: e.EventType,
		TriggerReason: e.TriggerReason, Offline: e.Offline, Timestamp: dbTime(e.Timestamp),
		ReceivedAt: dbTime(e.ReceivedAt), Payload: e.Payload,
	}
}

func (r txEventRow) domain() charging.TxEventRecord {
	return charging.TxEventRecord{
		ID: r.ID, StationID: r.StationID, StationTxID: r.StationTxID, SeqNo: r.SeqNo, EventType: r.EventType,
		TriggerReason: r.TriggerReason, Offline: r.Offline, Timestamp: r.Timestamp.UTC(),
		ReceivedAt: r.ReceivedAt.UTC(), Payload: r.Payload,
	}
}

type deviceVariableRow struct {
	StationID          string    `gorm:"column:station_id;primaryKey"`
	Component          string    `gorm:"column:component;primaryKey"`
	ComponentInstance  string    `gorm:"column:component_instance;primaryKey"`
	EVSEID             int       `gorm:"column:evse_id;primaryKey;autoIncrement:false"`
	ConnectorID        int       `gorm:"column:connector_id;primaryKey;autoIncrement:false"`
	Variable           string    `gorm:"column:variable;primaryKey"`
	VariableInstance   string    `gorm:"column:variable_instance;primaryKey"`
	AttributeType      string    `gorm:"column:attribute_type;primaryKey"`
	Value              string    `gorm:"column:value"`
	Mutability         string    `gorm:"column:mutability"`
	Persistent         bool      `gorm:"column:persistent"`
	Constant           bool      `gorm:"column:constant"`
	DataType           string    `gorm:"column:data_type"`
	Unit               string    `gorm:"column:unit"`
	MinLimit           *string   `gorm:"column:min_limit"`
	MaxLimit           *string   `gorm:"column:max_limit"`
	ValuesList         string    `gorm:"column:values_list"`
	SupportsMonitoring bool      `gorm:"column:supports_monitoring"`
	UpdatedAt          time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (deviceVariableRow) TableName() string { return "device_variables" }

// deviceVariableCols lists every column of device_variables, in the order of fields.
var deviceVariableCols = []string{"station_id", "component", "component_instance", "evse_id", "connector_id",
	"variable", "variable_instance", "attribute_type", "value", "mutability", "persistent", "constant", "data_type",
	"unit", "min_limit", "max_limit", "values_list", "supports_monitoring", "updated_at"}

// fields points at r's fields in the order of deviceVariableCols, for Scan.
func (r *deviceVariableRow) fields() []any {
	return []any{&r.StationID, &r.Component, &r.ComponentInstance, &r.EVSEID, &r.ConnectorID,
		&r.Variable, &r.VariableInstance, &r.AttributeType, &r.Value, &r.Mutability, &r.Persistent, &r.Constant, &r.DataType,
		&r.Unit, &r.MinLimit, &r.MaxLimit, &r.ValuesList, &r.SupportsMonitoring, &r.UpdatedAt}
}

func toDeviceVariableRow(v *charging.DeviceVariable) deviceVariableRow {
	return deviceVariableRow{
		StationID: v.StationID, Component: v.Component, ComponentInstance: v.ComponentInstance,
		EVSEID: v.EVSEID, ConnectorID: v.ConnectorID, Variable: v.Variable, VariableInstance: v.VariableInstance,
		AttributeType: v.AttributeType, Value: v.Value, Mutability: v.Mutability,
		Persistent: v.Persistent, Constant: v.Constant, DataType: v.DataType, Unit: v.Unit,
		MinLimit: copyPtr(v.MinLimit), MaxLimit: copyPtr(v.MaxLimit), ValuesList: v.ValuesList,
		SupportsMonitoring: v.SupportsMonitoring, UpdatedAt: dbTime(v.UpdatedAt),
	}
}

func (r deviceVariableRow) domain() charging.DeviceVariable {
	return charging.DeviceVariable{
		StationID: r.StationID, Component: r.Component, ComponentInstance: r.ComponentInstance,
		EVSEID: r.EVSEID, ConnectorID: r.ConnectorID, Variable: r.Variable, VariableInstance: r.VariableInstance,
		AttributeType: r.AttributeType, Value: r.Value, Mutability: r.Mutability,
		Persistent: r.Persistent, Constant: r.Constant, DataType: r.DataType, Unit: r.Unit,
		MinLimit: r.MinLimit, MaxLimit: r.MaxLimit, ValuesList: r.ValuesList,
		SupportsMonitoring: r.SupportsMonitoring, UpdatedAt: r.UpdatedAt.UTC(),
	}
}

// compareDeviceKey orders device variable rows by primary key (station first).
func compareDeviceKey(a, b deviceVariableRow) int {
	return cmp.Or(
		cmp.Compare(a.StationID, b.StationID),
		cmp.Compare(a.Component, b.Component),
		cmp.Compare(a.ComponentInstance, b.ComponentInstance),
		cmp.Compare(a.EVSEID, b.EVSEID),
		cmp.Compare(a.ConnectorID, b.ConnectorID),
		cmp.Compare(a.Variable, b.Variable),
		cmp.Compare(a.VariableInstance, b.VariableInstance),
		cmp.Compare(a.AttributeType, b.AttributeType),
	)
}

// deviceVariableKey is the primary key of device_variables; deviceVariableOrder sorts by it.
var (
	deviceVariableKey = []clause.Column{
		{Name: "station_id"}, {Name: "component"}, {Name: "component_instance"}, {Name: "evse_id"},
		{Name: "connector_id"}, {Name: "variable"}, {Name: "variable_instance"}, {Name: "attribute_type"},
	}
	deviceVariableOrder = "component, component_instance, evse_id, connector_id, variable, variable_instance, attribute_type"
	// deviceVariableUpsert replaces every non-key column of an existing row.
	deviceVariableUpsert = clause.OnConflict{
		Columns: deviceVariableKey,
		DoUpdates: clause.AssignmentColumns([]string{
			"value", "mutability", "persistent", "constant", "data_type", "unit", "min_limit",
			"max_limit", "values_list", "supports_monitoring", "updated_at",
		}),
	}
)

// FindTransactionByStationTxID returns the station's transaction with the station's own id
// (2.0.1 transactionId); CodeNotFound when there is none or stationTxID is empty.
func (db *DB) FindTransactionByStationTxID(ctx context.Context, stationID, stationTxID string) (charging.Transaction, error) {
	if stationTxID == "" {
		return charging.Transaction{}, notFound("transaction of %q with empty station tx id", stationID)
	}
	var r transactionRow
	// station_tx_id <> '' is the partial unique index's predicate, spelled out so it is used.
	err := db.q(ctx).Where("station_id = ? AND station_tx_id = ? AND station_tx_id <> ''", stationID, stationTxID).Take(&r).Error
	if err != nil {
		return charging.Transaction{}, translate(err, "transaction of %q with station tx id %q", stationID, stationTxID)
	}
	return r.domain(), nil
}

// AddTransactionEvent stores e and sets e.ID (and e's times as stored). CodeConflict when the
// station already sent seqNo for the transaction; like CreateTransaction's, the conflict is
// not a database error, so it does not abort an enclosing PostgreSQL transaction. The
// station and transaction need not exist (an event may be stored before either).
func (db *DB) AddTransactionEvent(ctx context.Context, e *charging.TxEventRecord) error {
	r := toTxEventRow(e)
	res := db.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&r)
	if res.Error != nil {
		return translate(res.Error, "add transaction event %s/%s/%d", e.StationID, e.StationTxID, e.SeqNo)
	}
	if res.RowsAffected == 0 || r.ID == 0 {
		return conflict("add transaction event %s/%s/%d", e.StationID, e.StationTxID, e.SeqNo)
	}
	*e = r.domain()
	return nil
}

// ListTransactionEvents returns the events of the station's transaction by ascending seqNo.
func (db *DB) ListTransactionEvents(ctx context.Context, stationID, stationTxID string) ([]charging.TxEventRecord, error) {
	var rows []txEventRow
	err := db.q(ctx).Where("station_id = ? AND station_tx_id = ?", stationID, stationTxID).Order("seq_no").Find(&rows).Error
	if err != nil {
		return nil, translate(err, "list events of transaction %s/%s", stationID, stationTxID)
	}
	out := make([]charging.TxEventRecord, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// UpsertDeviceVariables inserts or replaces (every non-key column) the variables, in batched
// INSERT ... ON CONFLICT DO UPDATE statements, all or none; UpdatedAt becomes now. When vars
// repeat a key the last one wins. CodeNotFound when a station does not exist.
func (db *DB) UpsertDeviceVariables(ctx context.Context, vars []charging.DeviceVariable) error {
	if len(vars) == 0 {
		return nil
	}
	now := db.now()
	rows := make([]deviceVariableRow, len(vars))
	for i := range vars {
		rows[i] = toDeviceVariableRow(&vars[i])
		rows[i].UpdatedAt = now
	}
	// Sort by key (a stable lock order keeps concurrent upserts from deadlocking) and keep the
	// last of equal keys: PostgreSQL refuses to update one row twice in a statement.
	slices.SortStableFunc(rows, compareDeviceKey)
	n := 0
	for i := range rows {
		if n > 0 && compareDeviceKey(rows[n-1], rows[i]) == 0 {
			rows[n-1] = rows[i]
			continue
		}
		rows[n] = rows[i]
		n++
	}
	rows = rows[:n]

	upsert := func(g *gorm.DB) error {
		for chunk := range slices.Chunk(rows, insertBatch) {
			if err := g.Clauses(deviceVariableUpsert).Create(&chunk).Error; err != nil {
				return err
			}
		}
		return nil
	}
	var err error
	if len(rows) <= insertBatch {
		err = upsert(db.q(ctx))
	} else {
		err = db.atomic(ctx, upsert)
	}
	return translate(err, "upsert %d device variables of %q", len(rows), vars[0].StationID)
}

// ListDeviceVariables lists the station's variables matching f, ordered by component (name,
// instance, evse, connector), variable (name, instance) and attribute type.
func (db *DB) ListDeviceVariables(ctx context.Context, stationID string, f charging.DeviceFilter) ([]charging.DeviceVariable, error) {
	shape, args := 0, make([]any, 1, 4)
	args[0] = stationID
	if f.Component != "" {
		shape, args = shape|dvByComponent, append(args, f.Component)
	}
	if f.Variable != "" {
		shape, args = shape|dvByVariable, append(args, f.Variable)
	}
	if f.EVSEID != nil {
		shape, args = shape|dvByEVSE, append(args, *f.EVSEID)
	}
	var r deviceVariableRow
	out, err := collect(ctx, db, deviceVariableListSQL[shape], r.fields(), func() charging.DeviceVariable { return r.domain() }, args...)
	if err != nil {
		return nil, translate(err, "list device variables of %q", stationID)
	}
	return out, nil
}

// The filter shapes of ListDeviceVariables: a bit set of the conditions after the station's.
const (
	dvByComponent = 1 << iota
	dvByVariable
	dvByEVSE
)

// deviceVariableListSQL holds ListDeviceVariables' statement of each filter shape (see raw.go).
var deviceVariableListSQL = func() (out [dvByEVSE << 1]sqlText) {
	for shape := range out {
		q := "SELECT " + columns(deviceVariableCols) + " FROM device_variables WHERE station_id = ?"
		if shape&dvByComponent != 0 {
			q += " AND component = ?"
		}
		if shape&dvByVariable != 0 {
			q += " AND variable = ?"
		}
		if shape&dvByEVSE != 0 {
			q += " AND evse_id = ?"
		}
		out[shape] = newSQL(q + " ORDER BY " + deviceVariableOrder)
	}
	return out
}()
