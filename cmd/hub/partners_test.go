package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/ocpitest"
	"github.com/chargehub/hub/store/storetest"
)

// cli runs a hub subcommand with the given environment and returns its output.
func cli(t testing.TB, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, &out, io.Discard, func(k string) string { return env[k] })
	return out.String(), err
}

var (
	tokenLine    = regexp.MustCompile(`(?m)^token A:\s+(\S+)$`)
	versionsLine = regexp.MustCompile(`(?m)^versions URL:\s+(\S+)$`)
)

func TestPartnersCLI(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		env := map[string]string{"HUB_DATABASE_URL": dbURL, "HUB_PUBLIC_URL": "https://hub.example.com/"}
		out, err := cli(t, env, "partners", "add", "--name", "Example eMSP", "--role", "EMSP", "--country", "NL", "--party", "EMP")
		require.NoError(t, err)
		require.Contains(t, out, "partner 1 created (EMSP NL*EMP, status PENDING)")
		require.Regexp(t, tokenLine, out)
		require.Equal(t, "https://hub.example.com/ocpi/versions", versionsLine.FindStringSubmatch(out)[1])

		_, err = cli(t, env, "partners", "add", "--name", "Twin", "--role", "emsp", "--country", "nl", "--party", "emp")
		require.ErrorContains(t, err, "already is EMSP")
		_, err = cli(t, env, "partners", "add", "--name", "X")
		require.ErrorContains(t, err, "--name and --role are required")
		_, err = cli(t, env, "partners", "add", "--name", "X", "--role", "CPO")
		require.ErrorContains(t, err, "must be EMSP")
		_, err = cli(t, env, "partners", "add", "--name", "X", "--role", "NSP", "--country", "NL")
		require.ErrorContains(t, err, "go together")
		_, err = cli(t, env, "partners", "register", "--versions-url", "http://127.0.0.1:1/versions")
		require.ErrorContains(t, err, "--token are required")
		_, err = cli(t, env, "partners", "register", "--versions-url", "http://127.0.0.1:1/versions", "--token", "x")
		require.ErrorContains(t, err, "cannot get the versions")
		_, err = cli(t, env, "partners", "fly")
		require.ErrorContains(t, err, "want add, register or list")

		out, err = cli(t, env, "partners", "list")
		require.NoError(t, err)
		require.Regexp(t, `(?m)^ID\s+NAME\s+ROLE\s+PARTY\s+STATUS`, out)
		require.Regexp(t, `(?m)^1\s+Example eMSP\s+EMSP\s+NL\*EMP\s+PENDING\s+-\s+0\s+0\s+0$`, out)
	})
}

// freeAddr returns a loopback address with a free port, for a hub whose public URL must be known
// before it starts.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// TestOCPIEndToEnd is the issue's definition of done on both databases: an eMSP registers with
// the token of `hub partners add`, pulls every CPO module with pagination and receives pushes,
// and everything it sees validates against the OCPI 2.2.1 schema; the hub also registers with a
// second eMSP through `hub partners register`.
func TestOCPIEndToEnd(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		schema := ocpitest.LoadSchema(t)
		addr := freeAddr(t)
		env := map[string]string{"HUB_DATABASE_URL": dbURL, "HUB_HTTP_ADDR": addr, "HUB_PUBLIC_URL": "http://" + addr,
			"HUB_OCPI_COUNTRY_CODE": "IN", "HUB_OCPI_PARTY_ID": "CHG"}
		out, err := cli(t, env, "partners", "add", "--name", "Example eMSP", "--role", "EMSP", "--country", "NL", "--party", "EMP")
		require.NoError(t, err)
		tokenA, versionsURL := tokenLine.FindStringSubmatch(out)[1], versionsLine.FindStringSubmatch(out)[1]

		h := startTestHub(t, dbURL, env)
		require.Equal(t, "http://"+addr, h.base)
		ctx := context.Background()
		_, err = h.svc.RegisterStation(ctx, "CP-1", nil, 0)
		require.NoError(t, err)
		loc := map[string]any{"id": "LOC-1", "publish": true, "name": "Mall", "address": "12 MG Road", "city": "Bengaluru",
			"postal_code": "560001", "country": "IND", "coordinates": map[string]string{"latitude": "12.975600", "longitude": "77.606500"},
			"time_zone": "Asia/Kolkata", "station_ids": []string{"CP-1"}, "evses": []map[string]any{{"uid": "CP-1-1", "evse_id": "IN*CHG*ECP1*1",
				"status": "AVAILABLE", "connectors": []map[string]any{{"id": "1", "standard": "IEC_62196_T2", "format": "SOCKET",
					"power_type": "AC_3_PHASE", "max_voltage": 230, "max_amperage": 32}}}}}
		require.Equal(t, http.StatusCreated, h.api(t, http.MethodPost, "/api/v1/locations", loc, nil))

		emsp := ocpitest.NewEMSP(t, schema, "NL", "EMP")
		require.NoError(t, emsp.Register(versionsURL, tokenA))
		for module, def := range map[ocpi.ModuleID]string{ocpi.ModuleIDLocations: "Location", ocpi.ModuleIDSessions: "Session",
			ocpi.ModuleIDCdrs: "CDR", ocpi.ModuleIDTariffs: "Tariff"} {
			u, err := emsp.HubURL(module, ocpi.InterfaceRoleSender)
			require.NoError(t, err)
			pages := emsp.Pull(u+"?limit=1", def)
			require.NotEmpty(t, pages, module)
		}
		// The registration pushed the location; an update pushes it again.
		ocpitest.Eventually(t, 10*time.Second, func() bool { _, ok := emsp.Object("locations/IN/CHG/LOC-1"); return ok },
			"the initial location push")
		loc["name"] = "Renamed"
		require.Equal(t, http.StatusOK, h.api(t, http.MethodPut, "/api/v1/locations/LOC-1", loc, nil))
		ocpitest.Eventually(t, 10*time.Second, func() bool {
			b, _ := emsp.Object("locations/IN/CHG/LOC-1")
			return strings.Contains(string(b), "Renamed")
		}, "the location update is pushed")

		// The hub registers with a second eMSP that handed over its token A.
		other := ocpitest.NewEMSP(t, schema, "DE", "ABC")
		out, err = cli(t, env, "partners", "register", "--versions-url", other.VersionsURL(), "--token", other.IssueTokenA())
		require.NoError(t, err, out)
		require.Contains(t, out, "registered: eMSP DE*ABC (EMSP DE*ABC), OCPI 2.2.1")
		out, err = cli(t, env, "partners", "list")
		require.NoError(t, err)
		require.Equal(t, 2, strings.Count(out, "REGISTERED"), out)

		var outbox struct {
			Total int `json:"total"`
		}
		require.Equal(t, http.StatusOK, h.api(t, http.MethodGet, "/api/v1/partners/1/outbox?status=delivered", nil, &outbox))
		require.GreaterOrEqual(t, outbox.Total, 2)
		resp, err := http.Get(h.base + "/metrics")
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Contains(t, string(body), `hub_ocpi_outbox_deliveries_total{result="delivered"}`)

		sctx, cancel := context.WithTimeout(ctx, shutdownBudget)
		defer cancel()
		require.NoError(t, h.stop(sctx))
		_, err = h.db.Roaming().GetPartner(ctx, 1)
		require.ErrorContains(t, err, "closed", "the database is closed after the OCPI side stopped")
	})
}
