// Package migrations embeds the hub's SQL schema migrations, one folder per dialect with identical version numbers.
//
// Both folders must define the same tables with the same column names; the store package's tests
// check it. Files are goose SQL migrations (-- +goose Up / -- +goose Down) named NNNNN_name.sql.
package migrations

import "embed"

// FS holds postgres/*.sql and sqlite/*.sql. Use fs.Sub(FS, dialect) to get one dialect's folder.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
