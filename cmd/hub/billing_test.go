package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
	"github.com/chargehub/hub/store/storetest"
)

// TestTariffsAndCDRsCLI: `hub tariffs add|list` version tariffs; `hub cdrs export|report` write
// the export (CSV by default, JSON) and the settlement report (text, JSON) of a period.
func TestTariffsAndCDRsCLI(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		env := map[string]string{"HUB_DATABASE_URL": dbURL}
		dir := t.TempDir()
		file := filepath.Join(dir, "t1.json")
		write := func(price string) {
			require.NoError(t, os.WriteFile(file, []byte(`{"id":"T1","currency":"INR","elements":[{"price_components":[
				{"type":"ENERGY","price":`+price+`,"vat":18,"step_size":1}]}]}`), 0o600))
		}
		write("18")
		out, err := cli(t, env, "tariffs", "add", "--file", file)
		require.NoError(t, err)
		require.Regexp(t, `^tariff T1 version 1 saved, valid from \S+; queued for every Tariffs Receiver\n$`, out)
		out, err = cli(t, env, "tariffs", "add", file)
		require.NoError(t, err)
		require.Equal(t, "tariff T1 unchanged (version 1)\n", out)
		write("20")
		out, err = cli(t, env, "tariffs", "add", file)
		require.NoError(t, err)
		require.Contains(t, out, "tariff T1 version 2 saved")
		out, err = cli(t, env, "tariffs", "list")
		require.NoError(t, err)
		require.Regexp(t, `(?m)^ID\s+VERSION\s+CURRENCY\s+TYPE\s+ELEMENTS`, out)
		require.Regexp(t, `(?m)^T1\s+2\s+INR\s+-\s+1\s`, out)
		_, err = cli(t, env, "tariffs", "add")
		require.ErrorContains(t, err, "want one tariff file")
		require.NoError(t, os.WriteFile(file, []byte(`{"id":"T1","currency":"INR","elements":[],"extra":1}`), 0o600))
		_, err = cli(t, env, "tariffs", "add", file)
		require.ErrorContains(t, err, "unknown field")
		_, err = cli(t, env, "tariffs", "fly")
		require.ErrorContains(t, err, "want price, add or list")

		// One CDR issued through the roaming service on the same database.
		db, err := store.Open(context.Background(), dbURL, store.Options{})
		require.NoError(t, err)
		svc := roaming.NewService(roaming.Deps{Store: db.Roaming(), Stations: db}, roaming.Config{})
		start := time.Now().UTC().Truncate(time.Second).Add(-2 * time.Hour)
		require.NoError(t, svc.PostCDR(context.Background(), ocpi.CDR{ID: "CDR-1", StartDateTime: ocpi.NewDateTime(start),
			EndDateTime: ocpi.NewDateTime(start.Add(time.Hour)), CdrToken: ocpi.CdrToken{CountryCode: "NL", PartyID: "EMP", UID: "TAG",
				Type: ocpi.TokenTypeRFID, ContractID: "C"}, AuthMethod: ocpi.AuthMethodWhitelist, CdrLocation: ocpi.CdrLocation{ID: "L",
				Address: "a", City: "c", Country: "IND", Coordinates: ocpi.GeoLocation{Latitude: "1.000000", Longitude: "1.000000"},
				EvseUID: "E", EvseID: "IN*HUB*E1*1", ConnectorID: "1", ConnectorStandard: ocpi.ConnectorIEC62196T2,
				ConnectorFormat: ocpi.ConnectorFormatCable, ConnectorPowerType: ocpi.PowerTypeDC}, Currency: "INR",
			ChargingPeriods: []ocpi.ChargingPeriod{{StartDateTime: ocpi.NewDateTime(start), Dimensions: []ocpi.CdrDimension{
				{Type: ocpi.CdrDimensionTime, Volume: ocpi.MustDecimal("1")}}}}, TotalEnergy: ocpi.MustDecimal("3"),
			TotalTime: ocpi.MustDecimal("1"), TotalCost: ocpi.Price{ExclVat: ocpi.MustDecimal("54"), InclVat: ocpi.MustDecimal("63.72").Ptr()}}))
		require.NoError(t, db.Close())

		from, to := start.Add(-time.Hour).Format(time.RFC3339), time.Now().UTC().Add(time.Hour).Format(time.RFC3339)
		out, err = cli(t, env, "cdrs", "export", "--from", from, "--to", to)
		require.NoError(t, err)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		require.Len(t, lines, 2)
		require.Equal(t, roaming.CSVHeader, lines[0])
		require.Regexp(t, `^CDR-1,,\S+,,NL\*EMP,TAG,C,WHITELIST,L,E,IN\*HUB\*E1\*1,1,\S+,\S+,3,1,0,INR,54,63.72,`, lines[1])
		out, err = cli(t, env, "cdrs", "export", "--from", from, "--to", to, "--format", "json")
		require.NoError(t, err)
		var rows []map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &rows))
		require.Len(t, rows, 1)
		require.Equal(t, "63.72", rows[0]["total_cost_incl_vat"])
		out, err = cli(t, env, "cdrs", "report", "--from", from, "--to", to)
		require.NoError(t, err)
		require.Regexp(t, `(?m)^PARTNER\s+NAME\s+CDRS\s+CREDITS\s+NET_KWH\s+CURRENCY\s+EXCL_VAT\s+INCL_VAT`, out)
		require.Regexp(t, `(?m)^0\s+-\s+1\s+0\s+3\s+INR\s+54\s+63.72\s`, out)
		out, err = cli(t, env, "cdrs", "report", "--from", from, "--to", to, "--format", "json")
		require.NoError(t, err)
		var r roaming.Settlement
		require.NoError(t, json.Unmarshal([]byte(out), &r))
		require.Equal(t, 1, r.Partners[0].CDRs)

		for _, bad := range [][]string{{"cdrs", "export"}, {"cdrs", "export", "--from", "x", "--to", to},
			{"cdrs", "export", "--from", to, "--to", from}, {"cdrs", "export", "--from", from, "--to", to, "--format", "xml"},
			{"cdrs", "report", "--from", from, "--to", to, "--format", "csv"}, {"cdrs", "export", "--from", from, "--to", to, "--partner", "7"},
			{"cdrs", "fly"}} {
			_, err = cli(t, env, bad...)
			require.Error(t, err, "%v", bad)
		}
	})
}

// TestJobSchedules: schedules are cron specs, durations or off.
func TestJobSchedules(t *testing.T) {
	for spec, want := range map[string]time.Duration{"15m": 15 * time.Minute, "@every 1h": time.Hour, "*/5 * * * *": 5 * time.Minute,
		"@daily": 24 * time.Hour, "off": 0, "": 0} {
		s, every, err := parseSchedule(spec)
		require.NoError(t, err, spec)
		require.Equal(t, want, every, spec)
		require.Equal(t, want == 0, s == nil, spec)
	}
	for _, bad := range []string{"sometimes", "10ms", "61 * * * *"} {
		_, _, err := parseSchedule(bad)
		require.Error(t, err, bad)
	}
	env := map[string]string{"HUB_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "x.db"), "HUB_JOB_CDR_SYNC": "whenever"}
	_, err := cli(t, env, "tariffs", "list")
	require.ErrorContains(t, err, "CDR sync schedule")
	env["HUB_JOB_CDR_SYNC"], env["HUB_TX_ABANDON_AFTER"] = "off", "two days"
	_, err = cli(t, env, "tariffs", "list")
	require.ErrorContains(t, err, `HUB_TX_ABANDON_AFTER="two days" is not a duration`)
}

// TestJobsRun: a serving hub runs the maintenance jobs on their schedules, logs and counts every
// run, and serves the tariff and finance API.
func TestJobsRun(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		h := startTestHub(t, dbURL, map[string]string{"HUB_JOB_TARIFF_SYNC": "1s", "HUB_JOB_CDR_SYNC": "@every 1s",
			"HUB_JOB_HOUSEKEEPING": "1s"})
		runs := regexp.MustCompile(`hub_job_runs_total\{job="(tariff_sync|cdr_sync|housekeeping)",result="ok"\} [1-9]`)
		deadline := time.Now().Add(15 * time.Second)
		seen := map[string]bool{}
		for len(seen) < 3 {
			require.True(t, time.Now().Before(deadline), "jobs ran: %v", seen)
			resp, err := http.Get(h.base + "/metrics")
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			for _, m := range runs.FindAllStringSubmatch(string(body), -1) {
				seen[m[1]] = true
			}
			time.Sleep(200 * time.Millisecond)
		}
		req, err := http.NewRequest(http.MethodGet, h.base+"/api/v1/tariffs", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+h.token)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
	})
}
