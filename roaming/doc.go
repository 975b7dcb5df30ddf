// Package roaming is the OCPI side of the hub's domain: partners and their credentials, tokens from eMSPs, the CPO's published locations, sessions, CDRs and tariffs as served to partners, the outbox of pushes and partner commands.
//
// The package knows OCPI objects (package ocpi) but no transport: the HTTP server (ocpi/server),
// the client (ocpi/client) and the outbox worker (ocpi/push) are edges that call into the
// Service, and the Service reaches remote platforms only through the Peer interface.
//
// Every change that must be pushed to partners is written together with its outbox rows in one
// database transaction (Store.InTx), so a push is never lost and never sent for a change that
// was rolled back. Outbox rows are delivered in id order per (partner, object key); the object
// key groups a Location with its EVSEs and connectors, a Session, a CDR, a Tariff or a command.
//
// Errors are charging.Error values; where the OCPI status code matters (registration 3001-3003,
// unknown location 2003, unknown token 2004) the cause is an *ocpi.StatusError, and the
// credentials state errors wrap ErrAlreadyRegistered or ErrNotRegistered (HTTP 405).
package roaming
