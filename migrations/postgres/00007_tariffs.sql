-- Tariff management and CDR settlement (PostgreSQL): tariff versions, what each partner was last
-- sent of every tariff, the delivery state of CDRs per partner (kept beyond the outbox's pruning)
-- and CDR corrections (credit + replacement). Keep table, column and index names identical to
-- sqlite/00007_tariffs.sql.

-- +goose Up
-- Every version of every tariff, immutable: version n is valid from valid_from until valid_to
-- (NULL: still current). A deletion is a version with deleted = true (body: the last tariff).
CREATE TABLE ocpi_tariff_versions (
    id_key     text        NOT NULL,
    version    integer     NOT NULL,
    deleted    boolean     NOT NULL DEFAULT false,
    body       text        NOT NULL,
    valid_from timestamptz NOT NULL,
    valid_to   timestamptz,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (id_key, version)
);
CREATE INDEX ocpi_tariff_versions_valid_idx ON ocpi_tariff_versions (id_key, valid_from);
-- Tariffs stored before versioning: their current body is version 1, valid since their creation;
-- a deleted one gets its deletion as version 2.
INSERT INTO ocpi_tariff_versions (id_key, version, deleted, body, valid_from, valid_to, created_at)
    SELECT id_key, 1, false, body, created_at, CASE WHEN deleted THEN updated_at END, updated_at FROM ocpi_tariffs;
INSERT INTO ocpi_tariff_versions (id_key, version, deleted, body, valid_from, valid_to, created_at)
    SELECT id_key, 2, true, body, updated_at, NULL, updated_at FROM ocpi_tariffs WHERE deleted;

-- What the hub last sent each Tariffs Receiver of each tariff (the tariff sync job's memory).
CREATE TABLE ocpi_partner_tariffs (
    partner_id bigint      NOT NULL REFERENCES ocpi_partners (id) ON DELETE CASCADE,
    id_key     text        NOT NULL,
    version    integer     NOT NULL DEFAULT 0,
    deleted    boolean     NOT NULL DEFAULT false,
    body_hash  text        NOT NULL DEFAULT '',
    pushed_at  timestamptz NOT NULL,
    PRIMARY KEY (partner_id, id_key)
);

-- The delivery of each CDR to each partner as last seen in the outbox (the CDR sync job copies
-- it here, so delivery history outlives the pruning of delivered outbox items).
CREATE TABLE ocpi_cdr_deliveries (
    cdr_key         text        NOT NULL,
    partner_id      bigint      NOT NULL REFERENCES ocpi_partners (id) ON DELETE CASCADE,
    status          text        NOT NULL,
    outbox_id       bigint      NOT NULL DEFAULT 0,
    attempts        integer     NOT NULL DEFAULT 0,
    result_location text        NOT NULL DEFAULT '',
    last_error      text        NOT NULL DEFAULT '',
    body_hash       text        NOT NULL DEFAULT '',
    delivered_at    timestamptz,
    redeliveries    integer     NOT NULL DEFAULT 0,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (cdr_key, partner_id)
);
CREATE INDEX ocpi_cdr_deliveries_partner_idx ON ocpi_cdr_deliveries (partner_id, status);

-- One correction per CDR: its credit CDR and, optionally, the replacement issued with it.
-- root_key is the CDR the correction chain started from (replacement ids count from it).
CREATE TABLE ocpi_cdr_corrections (
    cdr_key         text        PRIMARY KEY,
    root_key        text        NOT NULL,
    credit_key      text        NOT NULL,
    replacement_key text        NOT NULL DEFAULT '',
    reason          text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL
);
CREATE INDEX ocpi_cdr_corrections_root_idx ON ocpi_cdr_corrections (root_key);
CREATE INDEX ocpi_cdr_corrections_replacement_idx ON ocpi_cdr_corrections (replacement_key);

-- Housekeeping finds stale sessions by last_updated; the CDR sync job finds a CDR's pushes by
-- object key across partners.
CREATE INDEX ocpi_sessions_updated_idx ON ocpi_sessions (last_updated);
CREATE INDEX ocpi_outbox_objkey_idx ON ocpi_outbox (object_key, id);

-- +goose Down
DROP INDEX ocpi_outbox_objkey_idx;
DROP INDEX ocpi_sessions_updated_idx;
DROP TABLE ocpi_cdr_corrections;
DROP TABLE ocpi_cdr_deliveries;
DROP TABLE ocpi_partner_tariffs;
DROP TABLE ocpi_tariff_versions;
