// Package bridge connects the charging domain to the roaming domain: it turns station, connector and transaction changes into OCPI pushes (through mapping/) inside the same database transaction, and carries partner commands and tokens to the chargers.
//
// # Publishing (publish*.go)
//
// [Publisher] implements charging.Publisher. The charging service calls it inside the database
// transaction of every station, connector and transaction change; the Publisher writes the OCPI
// consequences (the stored Location, Session and CDR, and their outbox rows) through the roaming
// Store bound to that same transaction, so a push exists exactly when its cause committed:
//
//	| change                                 | pushed (outbox, to every Locations Receiver / the token owner) |
//	|----------------------------------------|----------------------------------------------------------------|
//	| connector status, station on/offline,  | per EVSE of the station whose OCPI form changed: PATCH         |
//	|   transaction start/stop on an EVSE    |   {status, last_updated}; PUT of the EVSE when it is new or    |
//	|                                        |   anything but status/last_updated changed; nothing otherwise  |
//	| transaction start, meter values, stop  | Session PUT to the eMSP owning the token (not for local or     |
//	|                                        |   unknown tokens, which are stored only), when the Session     |
//	|                                        |   differs from the stored one beyond last_updated              |
//	| transaction completed                  | the final Session PUT, then one CDR POST (id = Session id)     |
//
// EVSEs come from mapping.BuildLocation for the one station (status table, connector 0, station
// online state, active transactions) with the connector defaults the operator stored with the
// location; only stations listed in a location's station_ids are published. The location's row
// lock is taken before the station's state is read, so concurrent changes of one location apply
// in commit order on PostgreSQL (SQLite serializes write transactions anyway), and the outbox ids
// of one object follow the order of the changes.
//
// One exception: while StartSessionRefresh runs (the hub runs it), the Session of a MeterValues
// (or of a 2.0.1 Updated event that brings readings only) is rebuilt in a transaction of its own
// just after that commits (refresh.go), and readings that arrive while it waits share the one
// rebuild: a reading moves no EVSE status, and the Session is rebuilt from the database whenever
// it is, so a lost or merged rebuild only delays the figures until the next one, the stop's at
// the latest.
//
// Sessions are PUT whole (periods are recomputed from all samples, so an append-only PATCH of
// charging_periods would not be correct). A Session becomes immutable once its CDR exists: the
// CDR id is the Session id (the hub's transaction id), the CDR is created only when none with
// that id exists, and later changes of the transaction are logged, not published. A resent stop
// never reaches the Publisher (the charging service applies a stop once).
//
// The Publisher also implements roaming.EVSEBuilder: when an operator creates or updates a
// location, its stations' EVSEs are generated from their current state in the transaction that
// saves it, and an EVSE of a station that left the location is kept as REMOVED (OCPI never
// deletes EVSEs).
//
// Mapping problems (a station without connector defaults, a token uid OCPI cannot carry, a
// tariff that cannot price the session) never fail the OCPP change: they are logged and the
// object is not published (a CDR that cannot be priced is issued unpriced, with a remark).
// Database errors do fail it, rolling back the change and its pushes together.
//
// How a Session's token was authorized comes from a roaming.SessionAuthSource: the roaming
// service's (roaming.Service.SetSessionAuth), else its CommandExecutor when that is one —
// [Commands] is (publish_auth.go): a transaction a START_SESSION began gets the command's token,
// auth_method COMMAND and its authorization_reference. Otherwise the Publisher looks the id tag
// up, in the change's transaction: a local id tag, else the eMSP tokens with that uid.
//
// # Commands and tokens
//
// [Commands] carries partner commands to the chargers, [Tokens] authorizes tokens of roaming
// partners for the charging service, and [LocalLists] keeps the chargers' local lists.
package bridge
