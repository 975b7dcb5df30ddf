package store

import "database/sql"

// A transaction's statements that touch a station's rows anyway (GetTransaction, and
// UpsertConnector when it writes) also read the key of the location the station belongs to, and
// keep it for the transaction (TxValue), so that the OCPI publisher's LocationKeyOfStation, asked
// after every charging change, needs no statement of its own: on PostgreSQL that is one round
// trip of the five or six a MeterValues costs. What is kept is as current as what
// LocationKeyOfStation would have read a moment later in the same transaction: a link written by
// the transaction itself (PutLocation) makes every key kept before it stale (linksGenMemo), and
// one written by another transaction is no more visible to the later read than to the earlier
// one until this transaction locks the location.

// locationKeyColumn is the select-list item that reads the location key of the station of
// table's row (NULL: none), for statements that keep it (keepLocationKey).
func locationKeyColumn(table string) string {
	return "(SELECT l.location_key FROM ocpi_location_stations l WHERE l.station_id = " + table + ".station_id)"
}

// stationLocationMemo is the TxValue key of a station's location key read with another row.
type stationLocationMemo string

// keptLocationKey is what a stationLocationMemo holds: the key ("" = the station belongs to no
// location) and the transaction's link generation when it was read.
type keptLocationKey struct {
	key string
	gen int
}

// linksGenMemo is the TxValue key of how many times the transaction wrote station links.
type linksGenMemo struct{}

// linksGen is the transaction's link generation (0 outside a transaction).
func (db *DB) linksGen() int {
	v, _ := db.TxValue(linksGenMemo{})
	n, _ := v.(int)
	return n
}

// linksWritten makes the location keys kept so far in the transaction stale.
func (db *DB) linksWritten() {
	if db.memo != nil {
		db.SetTxValue(linksGenMemo{}, db.linksGen()+1)
	}
}

// keepLocationKey remembers the station's location key as read by a statement of the
// transaction (NULL: none).
func (db *DB) keepLocationKey(stationID string, key sql.NullString) {
	if db.memo != nil {
		db.SetTxValue(stationLocationMemo(stationID), keptLocationKey{key: key.String, gen: db.linksGen()})
	}
}

// keptLocationKeyOf returns the station's location key kept in the transaction, if current.
func (db *DB) keptLocationKeyOf(stationID string) (key string, ok bool) {
	v, ok := db.TxValue(stationLocationMemo(stationID))
	if !ok {
		return "", false
	}
	k := v.(keptLocationKey)
	if k.gen != db.linksGen() {
		return "", false
	}
	return k.key, true
}
