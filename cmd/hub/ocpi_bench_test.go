package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/ocpitest"
	"github.com/chargehub/hub/sim"
	"github.com/chargehub/hub/store/storetest"
)

// Benchmarks of the OCPP→OCPI bridge (run with -benchtime=1x; figures in bench/README.md):
//
//	go test ./cmd/hub -run XXX -bench OCPIPushLatency -benchtime 1x        # BENCH_STATIONS (1000), BENCH_DB=postgres
//	go test ./cmd/hub -run XXX -bench OCPILocationsGET -benchtime 20000x   # BENCH_EVSES (10000)

func benchEnvInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func benchDB(b *testing.B) string {
	if os.Getenv("BENCH_DB") == "postgres" {
		return storetest.PostgresURL(b)
	}
	return storetest.SQLiteURL(b)
}

// benchHub starts a hub with a registered in-process eMSP (NL*EMP).
func benchHub(b *testing.B) (*testHub, *ocpitest.EMSP) {
	dbURL := benchDB(b)
	addr := freeAddr(b)
	env := map[string]string{"HUB_DATABASE_URL": dbURL, "HUB_HTTP_ADDR": addr, "HUB_PUBLIC_URL": "http://" + addr,
		"HUB_OCPI_COUNTRY_CODE": "IN", "HUB_OCPI_PARTY_ID": "HUB", "HUB_LOG_LEVEL": "error", "HUB_UNKNOWN_STATIONS": "accept"}
	out, err := cli(b, env, "partners", "add", "--name", "Bench eMSP", "--role", "EMSP", "--country", "NL", "--party", "EMP")
	if err != nil {
		b.Fatal(err)
	}
	tokenA, versionsURL := tokenLine.FindStringSubmatch(out)[1], versionsLine.FindStringSubmatch(out)[1]
	h := startTestHub(b, dbURL, env)
	emsp := ocpitest.NewEMSP(b, nil, "NL", "EMP") // no schema checks: the e2e tests do them, this measures
	if err := emsp.Register(versionsURL, tokenA); err != nil {
		b.Fatal(err)
	}
	return h, emsp
}

func locationJSON(id string, stationIDs []string, evses []ocpi.EVSE) map[string]any {
	loc := map[string]any{"id": id, "publish": true, "name": "Bench " + id, "address": "1 MG Road", "city": "Bengaluru",
		"postal_code": "560001", "country": "IND", "coordinates": map[string]string{"latitude": "12.975600", "longitude": "77.606500"},
		"time_zone": "Asia/Kolkata", "station_ids": stationIDs, "connector_defaults": map[string]any{"*": map[string]any{
			"standard": "IEC_62196_T2", "format": "SOCKET", "power_type": "AC_3_PHASE", "max_voltage": 230, "max_amperage": 32}}}
	if len(evses) > 0 {
		loc["evses"] = evses
	}
	return loc
}

// BenchmarkOCPIPushLatency: stations in locations of 10 charge at the same time (each comes
// online within BENCH_RAMP_S seconds, boots, and runs a session with BENCH_METER_VALUES meter
// values every BENCH_METER_INTERVAL_S seconds); every EVSE status PATCH and Session PUT the eMSP receives is
// timed from the hub's receipt of the OCPP message that caused it (the object's last_updated)
// to its arrival.
func BenchmarkOCPIPushLatency(b *testing.B) {
	n := benchEnvInt("BENCH_STATIONS", 1000)
	ramp := time.Duration(benchEnvInt("BENCH_RAMP_S", 30)) * time.Second
	meterValues := benchEnvInt("BENCH_METER_VALUES", 4)
	interval := time.Duration(benchEnvInt("BENCH_METER_INTERVAL_S", 15)) * time.Second
	for range b.N {
		b.StopTimer() // setup is not measured
		h, emsp := benchHub(b)
		ctx := context.Background()
		tokens, err := emsp.HubURL(ocpi.ModuleIDTokens, ocpi.InterfaceRoleReceiver)
		if err != nil {
			b.Fatal(err)
		}
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("PB%05d", i+1)
			if _, err := h.svc.RegisterStation(ctx, ids[i], nil, 0); err != nil {
				b.Fatal(err)
			}
			tag := sim.TagName("SIMTAG", i+1)
			if code, body, _ := emsp.Call(http.MethodPut, tokens+"/NL/EMP/"+tag+"?type=RFID", ocpi.Token{CountryCode: "NL",
				PartyID: "EMP", UID: tag, Type: ocpi.TokenTypeRFID, ContractID: "NL-EMP-C" + tag[6:], Issuer: "Bench", Valid: true,
				Whitelist: ocpi.WhitelistTypeAlways, LastUpdated: ocpi.NewDateTime(time.Now())}, ""); code >= 300 {
				b.Fatalf("token push: %d %s", code, body)
			}
		}
		for i := 0; i < n; i += 10 {
			if code := h.api(b, http.MethodPost, "/api/v1/locations", locationJSON(fmt.Sprintf("L%04d", i/10), ids[i:min(i+10, n)], nil), nil); code != http.StatusCreated {
				b.Fatalf("create location: %d", code)
			}
		}
		before := len(emsp.Received(""))
		b.StartTimer()
		var wg sync.WaitGroup
		var failed atomic.Int32
		sem := make(chan struct{}, 200)
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				time.Sleep(time.Duration(rand.Int64N(int64(ramp) + 1))) // stations come online over the ramp
				sem <- struct{}{}
				c, err := sim.Dial(ctx, sim.DialOptions{URL: strings.TrimSuffix(h.ws, "/"), ID: id, Protocol: "ocpp1.6"})
				<-sem
				if err != nil {
					failed.Add(1)
					return
				}
				defer c.Close()
				if _, err := c.Boot(ctx); err != nil {
					failed.Add(1)
					return
				}
				if r := c.RunSession(ctx, 1, sim.TagName("SIMTAG", i+1), meterValues, interval); r.Err() != nil {
					failed.Add(1)
				}
			}()
		}
		wg.Wait()
		if failed.Load() > 0 {
			b.Fatalf("%d stations failed", failed.Load())
		}
		deadline := time.Now().Add(2 * time.Minute)
		for len(emsp.Received("/ocpi/emsp/2.2.1/cdrs")) < n && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		b.StopTimer()
		var lat, evse, sess []time.Duration
		for _, r := range emsp.Received("")[before:] {
			isEVSE := r.Method == http.MethodPatch && strings.Contains(r.Path, "/locations/")
			isSession := r.Method == http.MethodPut && strings.Contains(r.Path, "/sessions/")
			if !isEVSE && !isSession {
				continue
			}
			var obj struct {
				LastUpdated ocpi.DateTime `json:"last_updated"`
			}
			if json.Unmarshal(r.Body, &obj) == nil && !obj.LastUpdated.IsZero() {
				d := r.At.Sub(obj.LastUpdated.Time)
				lat = append(lat, d)
				if isEVSE {
					evse = append(evse, d)
				} else {
					sess = append(sess, d)
				}
			}
		}
		if len(lat) == 0 || len(evse) == 0 || len(sess) == 0 {
			b.Fatal("no pushes received")
		}
		pctOf := func(l []time.Duration, p float64) float64 {
			sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
			return float64(l[int(p*float64(len(l)-1))].Microseconds()) / 1000
		}
		pct := func(p float64) float64 { return pctOf(lat, p) }
		b.ReportMetric(pctOf(evse, 0.99), "evse_p99_ms")
		b.ReportMetric(pctOf(sess, 0.99), "session_p99_ms")
		b.ReportMetric(float64(len(lat)), "pushes")
		b.ReportMetric(float64(len(emsp.Received("/ocpi/emsp/2.2.1/cdrs"))), "cdrs")
		b.ReportMetric(pct(0.50), "p50_ms")
		b.ReportMetric(pct(0.99), "p99_ms")
		b.ReportMetric(pct(1), "max_ms")
	}
}

// BenchmarkOCPILocationsGET: the eMSP pulls pages of 10 locations (and single locations)
// from a CPO with BENCH_EVSES EVSEs in locations of 10, from parallel clients.
func BenchmarkOCPILocationsGET(b *testing.B) {
	total := benchEnvInt("BENCH_EVSES", 10000)
	h, emsp := benchHub(b)
	now := ocpi.NewDateTime(time.Now())
	const perLoc = 10
	locs := (total + perLoc - 1) / perLoc
	for l := 0; l < locs; l++ {
		evses := make([]ocpi.EVSE, 0, perLoc)
		for e := 0; e < perLoc && l*perLoc+e < total; e++ {
			uid := fmt.Sprintf("E%04d-%03d", l, e)
			evses = append(evses, ocpi.EVSE{UID: uid, EvseID: fmt.Sprintf("IN*HUB*E%04d*%03d", l, e), Status: ocpi.StatusAvailable,
				Connectors: []ocpi.Connector{{ID: "1", Standard: ocpi.ConnectorIEC62196T2, Format: ocpi.ConnectorFormatSocket,
					PowerType: ocpi.PowerTypeAC3Phase, MaxVoltage: 230, MaxAmperage: 32, LastUpdated: now}}, LastUpdated: now})
		}
		if code := h.api(b, http.MethodPost, "/api/v1/locations", locationJSON(fmt.Sprintf("G%04d", l), []string{}, evses), nil); code != http.StatusCreated {
			b.Fatalf("create location: %d", code)
		}
	}
	locURL, err := emsp.HubURL(ocpi.ModuleIDLocations, ocpi.InterfaceRoleSender)
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	auth := emsp.TokenHeader()
	b.ResetTimer()
	start := time.Now()
	var bad atomic.Int32
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			url := fmt.Sprintf("%s?offset=%d&limit=10", locURL, rand.IntN(max(locs-10, 1)))
			if rand.IntN(2) == 0 {
				url = fmt.Sprintf("%s/G%04d", locURL, rand.IntN(locs))
			}
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			req.Header.Set("Authorization", auth)
			resp, err := client.Do(req)
			if err != nil {
				bad.Add(1)
				continue
			}
			body, err := io.ReadAll(resp.Body) // the load generator shares the cores: no JSON decoding here
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(`"status_code":1000`)) {
				bad.Add(1)
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
	if bad.Load() > 0 {
		b.Fatalf("%d requests failed", bad.Load())
	}
}
