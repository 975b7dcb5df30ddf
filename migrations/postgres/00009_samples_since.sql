-- A transaction's meter samples by id (postgres). Keep names identical to the other dialect's
-- 00009_samples_since.sql.

-- +goose Up
-- The store reads a transaction's samples added since the last read (and counts them) at every
-- MeterValues instead of all of them: (transaction_id, id) answers both from the index.
CREATE INDEX meter_samples_transaction_id_idx ON meter_samples (transaction_id, id);
DROP INDEX meter_samples_transaction_idx;

-- +goose Down
CREATE INDEX meter_samples_transaction_idx ON meter_samples (transaction_id);
DROP INDEX meter_samples_transaction_id_idx;
