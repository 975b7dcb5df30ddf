package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/chargehub/hub/bridge"
)

// startBridge connects the charging domain to the OCPI side started by startOCPI: every station,
// connector and transaction change publishes its OCPI consequences (EVSE statuses, Sessions,
// CDRs) to the outbox in its own transaction (a MeterValues' Session just after it, coalesced
// under load: bridge.Publisher.StartSessionRefresh), and saving a location generates its EVSEs
// from its stations. It then republishes every station's EVSEs once: the stations are all offline
// after a start until they reconnect (ResetOnline), and partners must not see them available
// meanwhile.
func (h *hub) startBridge(ctx context.Context) error {
	if h.roam == nil || h.roam.svc == nil {
		return errors.New("bridge: the OCPI side is not started")
	}
	log := h.log.With("part", "bridge")
	pub, err := bridge.NewPublisher(bridge.PublisherDeps{Roaming: h.roam.svc, Log: log},
		bridge.PublisherConfig{Currency: currencyOf(h.cfg.CountryCode)})
	if err != nil {
		return fmt.Errorf("bridge: %w", err)
	}
	h.roam.svc.SetEVSEBuilder(pub)
	h.svc.SetPublisher(pub)
	n, err := pub.Resync(ctx, h.db)
	if err != nil {
		return fmt.Errorf("bridge: %w", err)
	}
	if n > 0 {
		log.Info("station EVSEs republished", "stations", n)
	}
	h.stopRefresh = pub.StartSessionRefresh(h.db, sessionRefreshWorkers)
	h.metrics.SessionRefresh(func() int { return pub.SessionRefreshStats().Pending },
		func() uint64 { return pub.SessionRefreshStats().Coalesced }, func() uint64 { return pub.SessionRefreshStats().Failed })
	return nil
}

// sessionRefreshWorkers is how many Sessions are republished at once after MeterValues
// (bridge.Publisher.StartSessionRefresh): on SQLite their transactions share group commits, on
// PostgreSQL they run side by side.
const sessionRefreshWorkers = 4

// currencyOf returns the ISO 4217 currency of sessions without a tariff for the CPO's country
// (ISO 3166-1 alpha-2); EUR for countries not listed.
func currencyOf(countryCode string) string {
	switch strings.ToUpper(countryCode) {
	case "IN":
		return "INR"
	case "US":
		return "USD"
	case "GB":
		return "GBP"
	case "CH":
		return "CHF"
	case "SE":
		return "SEK"
	case "NO":
		return "NOK"
	case "DK":
		return "DKK"
	case "PL":
		return "PLN"
	case "CZ":
		return "CZK"
	case "HU":
		return "HUF"
	case "AU":
		return "AUD"
	case "CA":
		return "CAD"
	case "JP":
		return "JPY"
	}
	return "EUR"
}
