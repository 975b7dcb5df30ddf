-- OCPP→OCPI bridge (SQLite): what an operator configures for a location's stations. Keep names
-- identical to postgres/00004_bridge.sql.

-- +goose Up
-- When an operator last saved the location (its EVSEs are generated from its stations then);
-- NULL for locations stored before.
ALTER TABLE ocpi_locations ADD COLUMN configured_at DATETIME;

-- The station's connector defaults (JSON of roaming.ConnectorDefaults: standard, format,
-- power_type, max_voltage, max_amperage, max_electric_power, tariff_ids, per-EVSE overrides);
-- '' = none configured.
ALTER TABLE ocpi_location_stations ADD COLUMN connector_defaults TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE ocpi_location_stations DROP COLUMN connector_defaults;
ALTER TABLE ocpi_locations DROP COLUMN configured_at;
