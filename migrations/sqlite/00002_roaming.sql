-- OCPI roaming (SQLite): partners, their tokens, the CPO's published objects, eMSP tokens,
-- hub client infos, partner commands and the outbox. Keep names identical to postgres/00002_roaming.sql.
-- Times are UTC text (see 00001_init.sql). Object ids are CiStrings: *_key columns hold the upper-case form and are what lookups use;
-- bodies are the OCPI JSON as served.

-- +goose Up
CREATE TABLE ocpi_partners (
    id               INTEGER     PRIMARY KEY AUTOINCREMENT,
    name             TEXT        NOT NULL DEFAULT '',
    role             TEXT        NOT NULL DEFAULT '',
    country_code     TEXT        NOT NULL DEFAULT '',
    party_id         TEXT        NOT NULL DEFAULT '',
    status           TEXT        NOT NULL,
    roles            TEXT        NOT NULL DEFAULT '[]',
    versions_url     TEXT        NOT NULL DEFAULT '',
    version          TEXT        NOT NULL DEFAULT '',
    endpoints        TEXT        NOT NULL DEFAULT '[]',
    outbound_token   TEXT        NOT NULL DEFAULT '',
    token_encoding   TEXT        NOT NULL DEFAULT '',
    max_page_size    INTEGER     NOT NULL DEFAULT 0,
    tokens_synced_at DATETIME,
    registered_at    DATETIME,
    created_at       DATETIME    NOT NULL,
    updated_at       DATETIME    NOT NULL
);
CREATE INDEX ocpi_partners_status_idx ON ocpi_partners (status, id);

CREATE TABLE ocpi_partner_tokens (
    token_hash TEXT        PRIMARY KEY,
    partner_id INTEGER     NOT NULL REFERENCES ocpi_partners (id) ON DELETE CASCADE,
    kind       TEXT        NOT NULL,
    created_at DATETIME    NOT NULL
);
CREATE INDEX ocpi_partner_tokens_partner_idx ON ocpi_partner_tokens (partner_id);

CREATE TABLE ocpi_client_infos (
    partner_id   INTEGER     NOT NULL REFERENCES ocpi_partners (id) ON DELETE CASCADE,
    country_code TEXT        NOT NULL,
    party_id     TEXT        NOT NULL,
    role         TEXT        NOT NULL,
    status       TEXT        NOT NULL,
    last_updated DATETIME    NOT NULL,
    updated_at   DATETIME    NOT NULL,
    PRIMARY KEY (partner_id, country_code, party_id)
);

CREATE TABLE ocpi_tokens (
    country_code TEXT        NOT NULL,
    party_id     TEXT        NOT NULL,
    uid_key      TEXT        NOT NULL,
    type         TEXT        NOT NULL,
    partner_id   INTEGER     NOT NULL REFERENCES ocpi_partners (id) ON DELETE CASCADE,
    valid        BOOLEAN     NOT NULL,
    whitelist    TEXT        NOT NULL DEFAULT '',
    body         TEXT        NOT NULL,
    last_updated DATETIME    NOT NULL,
    updated_at   DATETIME    NOT NULL,
    PRIMARY KEY (country_code, party_id, uid_key, type)
);
CREATE INDEX ocpi_tokens_uid_idx ON ocpi_tokens (uid_key);
CREATE INDEX ocpi_tokens_partner_idx ON ocpi_tokens (partner_id, updated_at);

CREATE TABLE ocpi_locations (
    id_key       TEXT        PRIMARY KEY,
    visible      BOOLEAN     NOT NULL,
    body         TEXT        NOT NULL,
    last_updated DATETIME    NOT NULL,
    created_at   DATETIME    NOT NULL,
    updated_at   DATETIME    NOT NULL
);
CREATE INDEX ocpi_locations_created_idx ON ocpi_locations (created_at, id_key);
CREATE INDEX ocpi_locations_updated_idx ON ocpi_locations (last_updated);

-- A station belongs to at most one location. No foreign key to stations: a location may name a
-- station before it connects for the first time only through the service, which checks it.
CREATE TABLE ocpi_location_stations (
    station_id   TEXT NOT NULL PRIMARY KEY,
    location_key TEXT NOT NULL REFERENCES ocpi_locations (id_key) ON DELETE CASCADE,
    position     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ocpi_location_stations_location_idx ON ocpi_location_stations (location_key);

CREATE TABLE ocpi_sessions (
    id_key            TEXT        PRIMARY KEY,
    emsp_country_code TEXT        NOT NULL,
    emsp_party_id     TEXT        NOT NULL,
    body              TEXT        NOT NULL,
    last_updated      DATETIME    NOT NULL,
    created_at        DATETIME    NOT NULL,
    updated_at        DATETIME    NOT NULL
);
CREATE INDEX ocpi_sessions_owner_idx ON ocpi_sessions (emsp_country_code, emsp_party_id, created_at);
CREATE INDEX ocpi_sessions_created_idx ON ocpi_sessions (created_at, id_key);

CREATE TABLE ocpi_cdrs (
    id_key            TEXT        PRIMARY KEY,
    emsp_country_code TEXT        NOT NULL,
    emsp_party_id     TEXT        NOT NULL,
    body              TEXT        NOT NULL,
    last_updated      DATETIME    NOT NULL,
    created_at        DATETIME    NOT NULL
);
CREATE INDEX ocpi_cdrs_owner_idx ON ocpi_cdrs (emsp_country_code, emsp_party_id, created_at);
CREATE INDEX ocpi_cdrs_created_idx ON ocpi_cdrs (created_at, id_key);

CREATE TABLE ocpi_tariffs (
    id_key       TEXT        PRIMARY KEY,
    deleted      BOOLEAN     NOT NULL DEFAULT 0,
    body         TEXT        NOT NULL,
    last_updated DATETIME    NOT NULL,
    created_at   DATETIME    NOT NULL,
    updated_at   DATETIME    NOT NULL
);
CREATE INDEX ocpi_tariffs_created_idx ON ocpi_tariffs (created_at, id_key);

CREATE TABLE ocpi_commands (
    id             TEXT        PRIMARY KEY,
    partner_id     INTEGER     NOT NULL REFERENCES ocpi_partners (id) ON DELETE CASCADE,
    country_code   TEXT        NOT NULL DEFAULT '',
    party_id       TEXT        NOT NULL DEFAULT '',
    kind           TEXT        NOT NULL,
    ref            TEXT        NOT NULL DEFAULT '',
    response_url   TEXT        NOT NULL DEFAULT '',
    request        TEXT        NOT NULL DEFAULT '',
    response       TEXT        NOT NULL DEFAULT '',
    result         TEXT        NOT NULL DEFAULT '',
    correlation_id TEXT        NOT NULL DEFAULT '',
    status         TEXT        NOT NULL,
    expires_at     DATETIME    NOT NULL,
    created_at     DATETIME    NOT NULL,
    updated_at     DATETIME    NOT NULL
);
CREATE INDEX ocpi_commands_pending_idx ON ocpi_commands (status, expires_at);
CREATE INDEX ocpi_commands_ref_idx ON ocpi_commands (partner_id, kind, ref);

CREATE TABLE ocpi_outbox (
    id              INTEGER     PRIMARY KEY AUTOINCREMENT,
    partner_id      INTEGER     NOT NULL REFERENCES ocpi_partners (id) ON DELETE CASCADE,
    object_key      TEXT        NOT NULL,
    module          TEXT        NOT NULL DEFAULT '',
    path            TEXT        NOT NULL DEFAULT '',
    url             TEXT        NOT NULL DEFAULT '',
    method          TEXT        NOT NULL,
    body            TEXT        NOT NULL DEFAULT '',
    to_country_code TEXT        NOT NULL DEFAULT '',
    to_party_id     TEXT        NOT NULL DEFAULT '',
    correlation_id  TEXT        NOT NULL DEFAULT '',
    status          TEXT        NOT NULL,
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at DATETIME    NOT NULL,
    locked_until    DATETIME,
    last_error      TEXT        NOT NULL DEFAULT '',
    result_location TEXT        NOT NULL DEFAULT '',
    created_at      DATETIME    NOT NULL,
    updated_at      DATETIME    NOT NULL,
    delivered_at    DATETIME   
);
-- The claim query walks pending items by id; the head-of-line check looks up earlier pending
-- items of the same (partner, object).
CREATE INDEX ocpi_outbox_pending_idx ON ocpi_outbox (status, id);
CREATE INDEX ocpi_outbox_object_idx ON ocpi_outbox (partner_id, object_key, id);
CREATE INDEX ocpi_outbox_partner_idx ON ocpi_outbox (partner_id, status, id);
CREATE INDEX ocpi_outbox_delivered_idx ON ocpi_outbox (delivered_at);

-- +goose Down
DROP TABLE ocpi_outbox;
DROP TABLE ocpi_commands;
DROP TABLE ocpi_tariffs;
DROP TABLE ocpi_cdrs;
DROP TABLE ocpi_sessions;
DROP TABLE ocpi_location_stations;
DROP TABLE ocpi_locations;
DROP TABLE ocpi_tokens;
DROP TABLE ocpi_client_infos;
DROP TABLE ocpi_partner_tokens;
DROP TABLE ocpi_partners;
