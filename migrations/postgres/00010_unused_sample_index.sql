-- Drop an index nothing reads (postgres). Keep names identical to the other dialect's
-- 00010_unused_sample_index.sql.

-- +goose Up
-- Meter samples are read by transaction only (meter_samples_transaction_id_idx). The index by
-- station and time was kept up to date at every MeterValues, a random-order insert (samples of
-- thousands of stations interleave), and read by no statement.
DROP INDEX meter_samples_station_ts_idx;

-- +goose Down
CREATE INDEX meter_samples_station_ts_idx ON meter_samples (station_id, timestamp);
