-- OCPP 2.0.1 state (SQLite). Keep table, column and index names identical to postgres/00003_ocpp201.sql.

-- +goose Up
ALTER TABLE transactions ADD COLUMN id_token_type         TEXT    NOT NULL DEFAULT '';
ALTER TABLE transactions ADD COLUMN charging_state        TEXT    NOT NULL DEFAULT '';
ALTER TABLE transactions ADD COLUMN remote_start_id       INTEGER;
ALTER TABLE transactions ADD COLUMN last_seq_no           INTEGER;
ALTER TABLE transactions ADD COLUMN time_spent_charging_s INTEGER;

ALTER TABLE stations ADD COLUMN expected_cn           TEXT    NOT NULL DEFAULT '';
ALTER TABLE stations ADD COLUMN pending_password_hash TEXT    NOT NULL DEFAULT '';
ALTER TABLE stations ADD COLUMN clock_offset_ms       INTEGER;

-- One row per TransactionEvent received. Keyed by the station's transaction id, not the hub's:
-- an event may be stored before the transaction it belongs to. No foreign key (a hot
-- append-only table, like meter_samples).
CREATE TABLE transaction_events (
    id             INTEGER     PRIMARY KEY AUTOINCREMENT,
    station_id     TEXT        NOT NULL,
    station_tx_id  TEXT        NOT NULL,
    seq_no         INTEGER     NOT NULL,
    event_type     TEXT        NOT NULL DEFAULT '',
    trigger_reason TEXT        NOT NULL DEFAULT '',
    offline        BOOLEAN     NOT NULL DEFAULT 0,
    timestamp      DATETIME    NOT NULL,
    received_at    DATETIME    NOT NULL,
    payload        TEXT        NOT NULL DEFAULT ''
);
-- Rejects a repeated seqNo and serves listing a transaction's events in seqNo order.
CREATE UNIQUE INDEX transaction_events_seq_uq ON transaction_events (station_id, station_tx_id, seq_no);

-- The device model a station reported (NotifyReport), one row per variable attribute. The
-- primary key also serves listing in (component, instance, evse, connector, variable, ...) order.
CREATE TABLE device_variables (
    station_id          TEXT        NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
    component           TEXT        NOT NULL DEFAULT '',
    component_instance  TEXT        NOT NULL DEFAULT '',
    evse_id             INTEGER     NOT NULL DEFAULT 0,
    connector_id        INTEGER     NOT NULL DEFAULT 0,
    variable            TEXT        NOT NULL DEFAULT '',
    variable_instance   TEXT        NOT NULL DEFAULT '',
    attribute_type      TEXT        NOT NULL DEFAULT '',
    value               TEXT        NOT NULL DEFAULT '',
    mutability          TEXT        NOT NULL DEFAULT '',
    persistent          BOOLEAN     NOT NULL DEFAULT 0,
    constant            BOOLEAN     NOT NULL DEFAULT 0,
    data_type           TEXT        NOT NULL DEFAULT '',
    unit                TEXT        NOT NULL DEFAULT '',
    min_limit           TEXT,
    max_limit           TEXT,
    values_list         TEXT        NOT NULL DEFAULT '',
    supports_monitoring BOOLEAN     NOT NULL DEFAULT 0,
    updated_at          DATETIME    NOT NULL,
    PRIMARY KEY (station_id, component, component_instance, evse_id, connector_id, variable, variable_instance, attribute_type)
);

-- Per-vendor (and optionally per-model) leniency profiles. vendor and model are stored lower
-- case (model '' = every model), so the key is case-insensitive.
CREATE TABLE vendor_profiles (
    vendor                 TEXT        NOT NULL,
    model                  TEXT        NOT NULL DEFAULT '',
    time_zone              TEXT        NOT NULL DEFAULT '',
    energy_wh_is_kwh       BOOLEAN     NOT NULL DEFAULT 0,
    reject                 TEXT        NOT NULL DEFAULT '',
    decimal_comma_rejected BOOLEAN     NOT NULL DEFAULT 0,
    strict                 BOOLEAN     NOT NULL DEFAULT 0,
    updated_at             DATETIME    NOT NULL,
    PRIMARY KEY (vendor, model)
);

-- +goose Down
DROP TABLE vendor_profiles;
DROP TABLE device_variables;
DROP TABLE transaction_events;
ALTER TABLE stations DROP COLUMN clock_offset_ms;
ALTER TABLE stations DROP COLUMN pending_password_hash;
ALTER TABLE stations DROP COLUMN expected_cn;
ALTER TABLE transactions DROP COLUMN time_spent_charging_s;
ALTER TABLE transactions DROP COLUMN last_seq_no;
ALTER TABLE transactions DROP COLUMN remote_start_id;
ALTER TABLE transactions DROP COLUMN charging_state;
ALTER TABLE transactions DROP COLUMN id_token_type;
