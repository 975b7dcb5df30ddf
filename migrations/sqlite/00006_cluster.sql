-- Several hub nodes on one PostgreSQL (SQLite): a SQLite hub is one node, so these tables exist
-- for schema parity but stay empty. Keep table, column and index names identical to
-- postgres/00006_cluster.sql.

-- +goose Up
CREATE TABLE nodes (
    id           TEXT        PRIMARY KEY,
    advertise    TEXT        NOT NULL DEFAULT '',
    hostname     TEXT        NOT NULL DEFAULT '',
    pid          INTEGER     NOT NULL DEFAULT 0,
    started_at   DATETIME    NOT NULL,
    heartbeat_at DATETIME    NOT NULL
);

CREATE TABLE station_presence (
    station_id   TEXT        PRIMARY KEY,
    node_id      TEXT        NOT NULL,
    generation   INTEGER     NOT NULL,
    seq          INTEGER     NOT NULL,
    protocol     TEXT        NOT NULL DEFAULT '',
    connected_at DATETIME    NOT NULL
);
CREATE INDEX station_presence_node_idx ON station_presence (node_id);

CREATE TABLE cluster_rpc (
    id         INTEGER     PRIMARY KEY AUTOINCREMENT,
    node_id    TEXT        NOT NULL,
    body       TEXT        NOT NULL,
    created_at DATETIME    NOT NULL
);
CREATE INDEX cluster_rpc_created_idx ON cluster_rpc (created_at);

CREATE TABLE cluster_jobs (
    name        TEXT        PRIMARY KEY,
    node_id     TEXT        NOT NULL DEFAULT '',
    last_run_at DATETIME    NOT NULL
);

-- +goose Down
DROP TABLE cluster_jobs;
DROP TABLE cluster_rpc;
DROP TABLE station_presence;
DROP TABLE nodes;
