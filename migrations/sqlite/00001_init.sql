-- Initial schema (SQLite). Keep table and column names identical to postgres/00001_init.sql.
-- Times are DATETIME columns holding UTC text 'YYYY-MM-DD HH:MM:SS.SSS' (the store's DSN sets
-- _timefmt accordingly), which sorts and compares chronologically. Decimals are TEXT to keep them exact.

-- +goose Up
CREATE TABLE stations (
    id                  TEXT        PRIMARY KEY,
    vendor              TEXT        NOT NULL DEFAULT '',
    model               TEXT        NOT NULL DEFAULT '',
    serial_number       TEXT        NOT NULL DEFAULT '',
    charge_box_serial   TEXT        NOT NULL DEFAULT '',
    firmware_version    TEXT        NOT NULL DEFAULT '',
    iccid               TEXT        NOT NULL DEFAULT '',
    imsi                TEXT        NOT NULL DEFAULT '',
    meter_type          TEXT        NOT NULL DEFAULT '',
    meter_serial_number TEXT        NOT NULL DEFAULT '',
    protocol            TEXT        NOT NULL DEFAULT '',
    registration        TEXT        NOT NULL DEFAULT '',
    accepted_at         DATETIME,
    security_profile    INTEGER     NOT NULL DEFAULT 0,
    password_hash       TEXT        NOT NULL DEFAULT '',
    online              BOOLEAN     NOT NULL DEFAULT 0,
    last_seen           DATETIME,
    last_boot_at        DATETIME,
    created_at          DATETIME    NOT NULL,
    updated_at          DATETIME    NOT NULL
);
CREATE INDEX stations_created_idx ON stations (created_at, id);

CREATE TABLE connectors (
    station_id        TEXT        NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
    evse_id           INTEGER     NOT NULL,
    connector_id      INTEGER     NOT NULL,
    status            TEXT        NOT NULL DEFAULT '',
    error_code        TEXT        NOT NULL DEFAULT '',
    info              TEXT        NOT NULL DEFAULT '',
    vendor_id         TEXT        NOT NULL DEFAULT '',
    vendor_error_code TEXT        NOT NULL DEFAULT '',
    status_at         DATETIME    NOT NULL,
    updated_at        DATETIME    NOT NULL,
    PRIMARY KEY (station_id, evse_id, connector_id)
);

CREATE TABLE station_events (
    id         INTEGER     PRIMARY KEY AUTOINCREMENT,
    station_id TEXT        NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
    kind       TEXT        NOT NULL DEFAULT '',
    status     TEXT        NOT NULL DEFAULT '',
    detail     TEXT        NOT NULL DEFAULT '',
    at         DATETIME    NOT NULL
);
CREATE INDEX station_events_station_at_idx ON station_events (station_id, at);

CREATE TABLE transactions (
    id                INTEGER     PRIMARY KEY AUTOINCREMENT,
    station_id        TEXT        NOT NULL REFERENCES stations (id),
    station_tx_id     TEXT        NOT NULL DEFAULT '',
    evse_id           INTEGER     NOT NULL DEFAULT 0,
    connector_id      INTEGER     NOT NULL DEFAULT 0,
    id_tag            TEXT        NOT NULL DEFAULT '',
    stop_id_tag       TEXT        NOT NULL DEFAULT '',
    reservation_id    INTEGER,
    start_key         TEXT        NOT NULL DEFAULT '',
    meter_start_wh    INTEGER     NOT NULL DEFAULT 0,
    meter_stop_wh     INTEGER,
    last_meter_wh     INTEGER,
    started_at        DATETIME    NOT NULL,
    start_received_at DATETIME    NOT NULL,
    stopped_at        DATETIME,
    stop_received_at  DATETIME,
    stop_reason       TEXT        NOT NULL DEFAULT '',
    status            TEXT        NOT NULL,
    energy_wh         INTEGER     NOT NULL DEFAULT 0,
    flags             TEXT        NOT NULL DEFAULT '',
    updated_at        DATETIME    NOT NULL
);
CREATE UNIQUE INDEX transactions_start_key_uq ON transactions (station_id, start_key) WHERE start_key <> '';
CREATE UNIQUE INDEX transactions_station_tx_id_uq ON transactions (station_id, station_tx_id) WHERE station_tx_id <> '';
CREATE INDEX transactions_active_idx ON transactions (station_id, evse_id, id) WHERE status = 'Active';
CREATE INDEX transactions_station_idx ON transactions (station_id, id);
CREATE INDEX transactions_id_tag_idx ON transactions (id_tag, status);
CREATE INDEX transactions_started_at_idx ON transactions (started_at);

-- No foreign keys on the two hot append-only tables (on PostgreSQL a key check locks the parent row).
CREATE TABLE meter_samples (
    id             INTEGER     PRIMARY KEY AUTOINCREMENT,
    station_id     TEXT        NOT NULL,
    transaction_id INTEGER,
    evse_id        INTEGER     NOT NULL DEFAULT 0,
    connector_id   INTEGER     NOT NULL DEFAULT 0,
    timestamp      DATETIME    NOT NULL,
    measurand      TEXT        NOT NULL DEFAULT '',
    phase          TEXT        NOT NULL DEFAULT '',
    location       TEXT        NOT NULL DEFAULT '',
    context        TEXT        NOT NULL DEFAULT '',
    format         TEXT        NOT NULL DEFAULT '',
    raw_value      TEXT        NOT NULL DEFAULT '',
    raw_unit       TEXT        NOT NULL DEFAULT '',
    value          TEXT,
    unit           TEXT        NOT NULL DEFAULT '',
    flags          TEXT        NOT NULL DEFAULT '',
    received_at    DATETIME    NOT NULL
);
CREATE INDEX meter_samples_transaction_idx ON meter_samples (transaction_id);
CREATE INDEX meter_samples_station_ts_idx ON meter_samples (station_id, timestamp);

CREATE TABLE id_tags (
    id_tag        TEXT        PRIMARY KEY,
    status        TEXT        NOT NULL,
    expiry_date   DATETIME,
    parent_id_tag TEXT        NOT NULL DEFAULT '',
    updated_at    DATETIME    NOT NULL
);

CREATE TABLE frames (
    id           INTEGER     PRIMARY KEY AUTOINCREMENT,
    station_id   TEXT        NOT NULL,
    direction    TEXT        NOT NULL,
    message_type INTEGER     NOT NULL DEFAULT 0,
    message_id   TEXT        NOT NULL DEFAULT '',
    action       TEXT        NOT NULL DEFAULT '',
    payload      TEXT        NOT NULL DEFAULT '',
    at           DATETIME    NOT NULL
);
CREATE INDEX frames_at_idx ON frames (at);
CREATE INDEX frames_station_at_idx ON frames (station_id, at);

-- +goose Down
DROP TABLE frames;
DROP TABLE id_tags;
DROP TABLE meter_samples;
DROP TABLE transactions;
DROP TABLE station_events;
DROP TABLE connectors;
DROP TABLE stations;
