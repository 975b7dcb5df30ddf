package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/ocpi"
	v201 "github.com/chargehub/hub/ocpp/v201"
	"github.com/chargehub/hub/sim"
	"github.com/chargehub/hub/store/storetest"
)

var (
	simSessionLine = regexp.MustCompile(`(?m) session PUT IN/HUB/(\S+): (ACTIVE|COMPLETED), (\S+) kWh at LOC-1/SIM-1-1, token SIM-EMSP-0001`)
	simCDRLine     = regexp.MustCompile(`(?m) cdr POST (\S+): session (\S+), total_energy (\S+) kWh, total_time \S+ h, total_cost (\S+) EUR`)
)

// TestSimEMSPEndToEnd is issue #6's walk-through as a test, on both databases and both OCPP
// versions: the real hub with a partner from `hub partners add`, `hub sim emsp` registering,
// pushing its token and sending START_SESSION once the simulated charger's EVSE is AVAILABLE;
// the charger charges; the eMSP prints Session PUTs with growing kWh, sends STOP_SESSION after
// --stop-after and exits when the priced CDR arrived.
func TestSimEMSPEndToEnd(t *testing.T) {
	for _, proto := range []string{sim.ProtocolOCPP16, sim.ProtocolOCPP201} {
		t.Run(proto, func(t *testing.T) {
			storetest.ForEachDB(t, func(t *testing.T, dbURL string) { runSimEMSPEndToEnd(t, dbURL, proto) })
		})
	}
}

func runSimEMSPEndToEnd(t *testing.T, dbURL, proto string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	h, tokenA, versionsURL := startHubWithPartner(t, dbURL, nil)
	_, err := h.svc.RegisterStation(ctx, "SIM-1", nil, 0)
	require.NoError(t, err)
	require.NoError(t, h.roam.svc.PutTariff(ctx, ocpi.Tariff{ID: "AC-1", Currency: "EUR", Elements: []ocpi.TariffElement{{
		PriceComponents: []ocpi.PriceComponent{{Type: ocpi.TariffDimensionEnergy, Price: ocpi.MustDecimal("0.30"), StepSize: 1}}}}}))
	loc := map[string]any{"id": "LOC-1", "publish": true, "name": "Demo car park", "address": "1 Main Street", "city": "Amsterdam",
		"country": "NLD", "coordinates": map[string]string{"latitude": "52.370216", "longitude": "4.895168"},
		"time_zone": "Europe/Amsterdam", "station_ids": []string{"SIM-1"}, "connector_defaults": map[string]any{"*": map[string]any{
			"standard": "IEC_62196_T2", "format": "SOCKET", "power_type": "AC_3_PHASE", "max_voltage": 230, "max_amperage": 32,
			"tariff_ids": []string{"AC-1"}}}}
	require.Equal(t, http.StatusCreated, h.api(t, http.MethodPost, "/api/v1/locations", loc, nil))

	// The eMSP first, as in the README: it waits for the EVSE to become AVAILABLE.
	var buf bytes.Buffer
	stdout := &lockedWriter{w: &buf}
	output := func() string { stdout.mu.Lock(); defer stdout.mu.Unlock(); return buf.String() }
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"sim", "emsp", "--versions-url", versionsURL, "--token", tokenA, "--listen", freeAddr(t),
			"--start", "LOC-1/SIM-1-1", "--stop-after", "1500ms"}, stdout, io.Discard, func(string) string { return "" })
	}()
	require.Eventually(t, func() bool { return strings.Contains(output(), "waiting for EVSE SIM-1-1") }, 15*time.Second,
		10*time.Millisecond, "the eMSP registers and pushes its token")

	ch, err := sim.Dial(ctx, sim.DialOptions{URL: strings.TrimSuffix(h.ws, "/"), ID: "SIM-1", Protocol: proto,
		SessionMeterValues: 200, SessionInterval: 150 * time.Millisecond})
	require.NoError(t, err)
	defer ch.Close()
	if proto == sim.ProtocolOCPP201 {
		_, err = ch.Boot201(ctx, v201.BootReasonPowerUp)
		require.NoError(t, err)
		require.NoError(t, ch.Status201(ctx, 1, 1, v201.ConnectorStatusAvailable))
	} else {
		_, err = ch.Boot(ctx)
		require.NoError(t, err)
		require.NoError(t, ch.Status(ctx, 1, "Available"))
	}
	select {
	case err := <-done:
		require.NoError(t, err, "hub sim emsp:\n%s", output())
	case <-ctx.Done():
		t.Fatalf("hub sim emsp did not finish:\n%s", output())
	}
	text := output()
	t.Logf("hub sim emsp printed:\n%s", text)
	for _, want := range []string{"registered with the hub IN*HUB", "token SIM-EMSP-0001 pushed (APP_USER, whitelist ALWAYS, new)",
		"evse PUT IN/HUB/LOC-1/SIM-1-1: AVAILABLE", "START_SESSION LOC-1/SIM-1-1 sent: ACCEPTED", "command result POST START_SESSION/",
		"evse PATCH IN/HUB/LOC-1/SIM-1-1: status CHARGING", "STOP_SESSION", "command result POST STOP_SESSION/"} {
		require.Contains(t, text, want)
	}

	// Session PUTs with growing kWh, COMPLETED last; then exactly one CDR with that energy, priced.
	sessions := simSessionLine.FindAllStringSubmatch(text, -1)
	require.GreaterOrEqual(t, len(sessions), 3, "start, progress, stop")
	prev := decimal.NewFromInt(-1)
	for _, s := range sessions {
		kwh := decimal.RequireFromString(s[3])
		require.True(t, kwh.GreaterThanOrEqual(prev), "kWh went down: %v", sessions)
		prev = kwh
		require.Equal(t, sessions[0][1], s[1], "one session")
	}
	first := decimal.RequireFromString(sessions[0][3])
	require.True(t, prev.GreaterThan(first), "kWh grows: %v", sessions)
	require.Equal(t, "COMPLETED", sessions[len(sessions)-1][2])
	cdrs := simCDRLine.FindAllStringSubmatch(text, -1)
	require.Len(t, cdrs, 1)
	require.Equal(t, sessions[0][1], cdrs[0][2])
	require.Equal(t, prev.String(), cdrs[0][3], "total_energy = the last Session's kWh")
	cost := decimal.RequireFromString(cdrs[0][4])
	require.True(t, cost.Equal(prev.Mul(decimal.RequireFromString("0.30"))), "%s kWh at 0.30 EUR cost %s", prev, cost)
	require.Contains(t, text, "done: CDR "+cdrs[0][1])
}

// TestSimEMSPFlags: every bad flag and an unreachable hub end the command with a one-line error.
func TestSimEMSPFlags(t *testing.T) {
	ok := []string{"sim", "emsp", "--versions-url", "http://127.0.0.1:1/ocpi/versions", "--token", "A", "--listen", "127.0.0.1:0"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sim", "emsp"}, "--versions-url and --token are required"},
		{[]string{"sim", "emsp", "--versions-url", "localhost:8080", "--token", "A"}, "want an http(s) URL"},
		{append(ok[:len(ok):len(ok)], "--whitelist", "NEVER"), "--whitelist \"NEVER\": want ALWAYS or ALLOWED"},
		{append(ok[:len(ok):len(ok)], "--token-type", "CARD"), "--token-type \"CARD\""},
		{append(ok[:len(ok):len(ok)], "--start", "LOC-1"), "want LOCATION_ID/EVSE_UID"},
		{append(ok[:len(ok):len(ok)], "--stop-after", "1m"), "--stop-after needs --start"},
		{append(ok[:len(ok):len(ok)], "--country", "NLD"), "2-letter country code"},
		{append(ok[:len(ok):len(ok)], "extra"), "unexpected argument \"extra\""},
		{[]string{"sim", "emsp", "--versions-url", "http://127.0.0.1:1/ocpi/versions", "--token", "A", "--listen", "nonsense"}, "listen"},
		{ok, "read the versions"},
		{[]string{"sim", "emsp", "--bogus"}, "flag provided but not defined"},
		{[]string{"sim", "fly"}, "want chargers or emsp"},
	} {
		_, err := cli(t, nil, tc.args...)
		require.ErrorContains(t, err, tc.want, "%q", tc.args)
		require.NotContains(t, oneLine(err.Error()), "\n")
	}
}
