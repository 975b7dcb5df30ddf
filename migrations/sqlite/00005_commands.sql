-- Partner commands carried to the chargers (SQLite): remote starts and their transactions,
-- reservations, 1.6 idTag aliases of long token uids, and the local authorization lists sent to
-- stations. Keep table, column and index names identical to postgres/00005_commands.sql.

-- +goose Up
-- One row per START_SESSION forwarded to a station. id is the 2.0.1 remoteStartId. A row is
-- linked to the transaction it started (transaction_id) once, by remoteStartId (2.0.1) or by
-- station, EVSE and idTag within a window (1.6).
CREATE TABLE remote_starts (
    id                      INTEGER     PRIMARY KEY AUTOINCREMENT,
    command_id              TEXT        NOT NULL,
    partner_id              INTEGER     NOT NULL REFERENCES ocpi_partners (id) ON DELETE CASCADE,
    country_code            TEXT        NOT NULL DEFAULT '',
    party_id                TEXT        NOT NULL DEFAULT '',
    station_id              TEXT        NOT NULL,
    evse_id                 INTEGER     NOT NULL DEFAULT 0,
    id_tag                  TEXT        NOT NULL,
    token                   TEXT        NOT NULL,
    authorization_reference TEXT        NOT NULL DEFAULT '',
    status                  TEXT        NOT NULL,
    station_tx_id           TEXT        NOT NULL DEFAULT '',
    transaction_id          INTEGER,
    created_at              DATETIME    NOT NULL,
    expires_at              DATETIME    NOT NULL,
    updated_at              DATETIME    NOT NULL
);
CREATE UNIQUE INDEX remote_starts_command_uq ON remote_starts (command_id);
CREATE UNIQUE INDEX remote_starts_transaction_uq ON remote_starts (transaction_id);
CREATE INDEX remote_starts_match_idx ON remote_starts (station_id, id_tag, created_at);

-- Reservations made for partners' RESERVE_NOW. id is the OCPP reservation id; the partner's own
-- reservation_id (upper case) maps to it.
CREATE TABLE remote_reservations (
    id              INTEGER     PRIMARY KEY AUTOINCREMENT,
    partner_id      INTEGER     NOT NULL REFERENCES ocpi_partners (id) ON DELETE CASCADE,
    reservation_key TEXT        NOT NULL,
    location_key    TEXT        NOT NULL DEFAULT '',
    station_id      TEXT        NOT NULL,
    evse_id         INTEGER     NOT NULL DEFAULT 0,
    command_id      TEXT        NOT NULL,
    id_tag          TEXT        NOT NULL DEFAULT '',
    status          TEXT        NOT NULL,
    expires_at      DATETIME    NOT NULL,
    created_at      DATETIME    NOT NULL,
    updated_at      DATETIME    NOT NULL
);
CREATE UNIQUE INDEX remote_reservations_key_uq ON remote_reservations (partner_id, reservation_key);
CREATE INDEX remote_reservations_station_idx ON remote_reservations (station_id, id);

-- 1.6 idTags standing for token uids longer than 20 characters (never truncated).
CREATE TABLE token_aliases (
    alias        TEXT        PRIMARY KEY,
    country_code TEXT        NOT NULL,
    party_id     TEXT        NOT NULL,
    uid_key      TEXT        NOT NULL,
    type         TEXT        NOT NULL,
    created_at   DATETIME    NOT NULL
);
CREATE UNIQUE INDEX token_aliases_token_uq ON token_aliases (country_code, party_id, uid_key, type);

-- The local authorization list of each station as the hub last sent it.
CREATE TABLE local_auth_lists (
    station_id        TEXT        PRIMARY KEY REFERENCES stations (id) ON DELETE CASCADE,
    version           INTEGER     NOT NULL DEFAULT 0,
    full_needed       BOOLEAN     NOT NULL DEFAULT 1,
    token_cursor      DATETIME   ,
    unsupported_until DATETIME   ,
    last_result       TEXT        NOT NULL DEFAULT '',
    updated_at        DATETIME    NOT NULL
);
CREATE TABLE local_auth_list_entries (
    station_id    TEXT NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
    id_tag        TEXT NOT NULL,
    token_type    TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    parent_id_tag TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (station_id, id_tag)
);

-- +goose Down
DROP TABLE local_auth_list_entries;
DROP TABLE local_auth_lists;
DROP TABLE token_aliases;
DROP TABLE remote_reservations;
DROP TABLE remote_starts;
