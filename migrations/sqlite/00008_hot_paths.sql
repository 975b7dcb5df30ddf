-- Indexes and counters for the hot paths (sqlite). Keep names identical to the other dialect's
-- 00008_hot_paths.sql.

-- +goose Up
-- Every save of a location (its body, its stations or their connector defaults) increments
-- version, so that readers can keep a decoded location as long as its version stands.
ALTER TABLE ocpi_locations ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
-- Tokens changed since a cursor, in keyset order (local list syncs ask this of every
-- connected station on every pass; without it each asks for a scan and a sort of all tokens).
CREATE INDEX ocpi_tokens_changed_idx ON ocpi_tokens (updated_at, country_code, party_id, uid_key, type);
-- The node whose worker leased an outbox item: when that node dies, the live nodes release
-- its leases at once instead of waiting them out.
ALTER TABLE ocpi_outbox ADD COLUMN locked_by TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE ocpi_outbox DROP COLUMN locked_by;
DROP INDEX ocpi_tokens_changed_idx;
ALTER TABLE ocpi_locations DROP COLUMN version;
