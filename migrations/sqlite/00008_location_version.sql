-- Location versions (sqlite): every save of a location (its body, its stations or their connector
-- defaults) increments version, so that readers can keep a decoded location as long as its
-- version stands. Keep names identical to the other dialect's 00008_location_version.sql.

-- +goose Up
ALTER TABLE ocpi_locations ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE ocpi_locations DROP COLUMN version;
