package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/ocpitest"
	v16 "github.com/chargehub/hub/ocpp/v16"
	"github.com/chargehub/hub/sim"
	"github.com/chargehub/hub/store/storetest"
)

// TestClusterIntegration runs three `hub serve` processes on one PostgreSQL schema and proves
// the scale-out issue: a command sent to node B's admin API reaches a station connected to
// node A and its answer (or CALLERROR) comes back; a station that reconnects to another node is
// taken over (the old node closes its socket with 1008); a node killed with SIGKILL loses
// nothing (the transaction it started is completed through another node, its stations that do
// not come back are marked offline); and three nodes' outbox workers deliver every push to an
// eMSP exactly once.
func TestClusterIntegration(t *testing.T) {
	dbURL := storetest.PostgresURL(t) // skips without HUB_TEST_POSTGRES_URL, fails under CI
	start := time.Now()
	bin := buildHub(t)
	t.Logf("hub built in %s", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	ctx := context.Background()

	// An eMSP registered with the hub, so that station changes become pushes.
	emsp := ocpitest.NewEMSP(t, nil, "NL", "EMP")
	addrs := []string{freeAddr(t), freeAddr(t), freeAddr(t)}
	out, err := cli(t, map[string]string{"HUB_DATABASE_URL": dbURL, "HUB_PUBLIC_URL": "http://" + addrs[0]},
		"partners", "add", "--name", "eMSP", "--role", "EMSP", "--country", "NL", "--party", "EMP")
	require.NoError(t, err)
	tokenA, versionsURL := tokenLine.FindStringSubmatch(out)[1], versionsLine.FindStringSubmatch(out)[1]

	a := startNode(t, bin, dbURL, "node-a", addrs[0])
	b := startNode(t, bin, dbURL, "node-b", addrs[1])
	c := startNode(t, bin, dbURL, "node-c", addrs[2])
	t.Logf("3 nodes up in %s", time.Since(start).Round(time.Millisecond))
	require.NoError(t, emsp.Register(versionsURL, tokenA))

	stations := []string{"CP-1", "CP-2", "CP-3"}
	defaults := map[string]any{}
	for _, id := range stations {
		require.Equal(t, http.StatusCreated, b.api(t, http.MethodPost, "/api/v1/stations", map[string]any{"id": id}, nil))
		defaults[id] = map[string]any{"standard": "IEC_62196_T2", "format": "SOCKET", "power_type": "AC_3_PHASE",
			"max_voltage": 230, "max_amperage": 32}
	}
	tokens, err := emsp.HubURL(ocpi.ModuleIDTokens, ocpi.InterfaceRoleReceiver) // the eMSP's token, for a pushed Session and CDR
	require.NoError(t, err)
	code, body, _ := emsp.Call(http.MethodPut, tokens+"/NL/EMP/04AB12CD?type=RFID", ocpi.Token{CountryCode: "NL", PartyID: "EMP",
		UID: "04AB12CD", Type: ocpi.TokenTypeRFID, ContractID: "NL-EMP-C12345678-X", Issuer: "eMSP", Valid: true,
		Whitelist: ocpi.WhitelistTypeAlways, LastUpdated: ocpi.NewDateTime(time.Now())}, "")
	require.Contains(t, []int{http.StatusOK, http.StatusCreated}, code, "%s", body)
	loc := map[string]any{"id": "LOC-1", "publish": true, "name": "Depot", "address": "1 Main St", "city": "Pune",
		"postal_code": "411001", "country": "IND", "coordinates": map[string]string{"latitude": "18.520400", "longitude": "73.856700"},
		"time_zone": "Asia/Kolkata", "station_ids": stations, "connector_defaults": defaults}
	require.Equal(t, http.StatusCreated, c.api(t, http.MethodPost, "/api/v1/locations", loc, nil))
	for i := range 12 { // a fleet spread over the nodes: its status changes keep every node's outbox workers busy
		id := fmt.Sprintf("FLEET-%02d", i)
		require.Equal(t, http.StatusCreated, b.api(t, http.MethodPost, "/api/v1/stations", map[string]any{"id": id}, nil))
		defaults[id] = defaults["CP-1"]
		loc["station_ids"] = append(loc["station_ids"].([]string), id)
	}
	require.Equal(t, http.StatusOK, c.api(t, http.MethodPut, "/api/v1/locations/LOC-1", loc, nil))
	var fleet sync.WaitGroup
	for i, n := range []*clusterNode{a, b, c, a, b, c, a, b, c, a, b, c} {
		ch := dial(t, n, fmt.Sprintf("FLEET-%02d", i), nil)
		fleet.Go(func() {
			for _, st := range []v16.ChargePointStatus{v16.ChargePointStatusPreparing, v16.ChargePointStatusAvailable,
				v16.ChargePointStatusUnavailable, v16.ChargePointStatusAvailable} {
				if err := ch.Status(ctx, 1, st); err != nil {
					t.Errorf("FLEET-%02d status: %v", i, err)
				}
			}
		})
	}
	fleet.Wait()

	// --- cross-node command routing --------------------------------------------------------
	cp1 := dial(t, a, "CP-1", func(_ *sim.Charger, action string, _ any, _ json.RawMessage) (any, bool, error) {
		if action == "UnlockConnector" {
			return nil, true, &sim.CallError{Code: "NotSupported", Description: "no motorised lock"}
		}
		return nil, false, nil
	})
	phase := time.Now()
	var cmd struct {
		StationID string          `json:"station_id"`
		Response  json.RawMessage `json:"response"`
	}
	require.Equal(t, http.StatusOK, b.api(t, http.MethodPost, "/api/v1/stations/CP-1/commands/GetConfiguration",
		map[string]any{"key": []string{"HeartbeatInterval"}}, &cmd))
	require.Contains(t, string(cmd.Response), "HeartbeatInterval")
	t.Logf("B → station on A: GetConfiguration answered in %s", time.Since(phase).Round(time.Millisecond))
	var failed map[string]any
	require.Equal(t, http.StatusBadGateway, c.api(t, http.MethodPost, "/api/v1/stations/CP-1/commands/UnlockConnector",
		map[string]any{"connectorId": 1}, &failed), "a station's CALLERROR through another node is a 502")
	require.Equal(t, "NotSupported", failed["call_error"].(map[string]any)["code"])
	require.Equal(t, http.StatusBadRequest, b.api(t, http.MethodPost, "/api/v1/stations/CP-1/commands/Reset",
		map[string]any{"type": "Sideways"}, nil), "the payload is validated by the node holding the socket")
	require.Equal(t, http.StatusServiceUnavailable, b.api(t, http.MethodPost, "/api/v1/stations/CP-3/commands/Reset",
		map[string]any{"type": "Soft"}, nil), "a station connected nowhere")

	// --- takeover: CP-1 reconnects to B; A closes the old socket -----------------------------
	phase = time.Now()
	cp1b := dial(t, b, "CP-1", nil)
	select {
	case <-cp1.Done():
		require.Equal(t, 1008, cp1.CloseCode(), "the old node closes with policy violation")
	case <-time.After(5 * time.Second):
		t.Fatal("node A kept the replaced socket open")
	}
	t.Logf("takeover A → B: old socket closed (1008) after %s", time.Since(phase).Round(time.Millisecond))
	require.Equal(t, http.StatusOK, a.api(t, http.MethodPost, "/api/v1/stations/CP-1/commands/GetConfiguration",
		map[string]any{}, nil), "A routes to the station's new node")
	requireOnline(t, c, "CP-1", true)

	// --- SIGKILL: a node dies in the middle of a transaction ---------------------------------
	cp2 := dial(t, c, "CP-2", nil)
	cp3 := dial(t, c, "CP-3", nil)
	require.NoError(t, cp2.Status(ctx, 1, v16.ChargePointStatusPreparing))
	txID, status, err := cp2.StartTransaction(ctx, 1, "04AB12CD", 1000, time.Now())
	require.NoError(t, err)
	require.Equal(t, v16.AuthorizationStatusAccepted, status)
	require.NoError(t, cp2.MeterValues(ctx, 1, txID, 1500, 11000, time.Now()))
	waitOutboxDrained(t, dbURL)
	// C holds a lease for an hour when it dies (as a worker that claimed an item and had not
	// delivered it yet): the live nodes must release it once C is dead, not wait it out.
	leaseHeldByC(t, dbURL)
	phase = time.Now()
	require.NoError(t, c.cmd.Process.Signal(syscall.SIGKILL))
	_ = c.cmd.Wait()
	<-cp2.Done()
	cp2 = dial(t, a, "CP-2", nil) // the charger reconnects to a live node (a load balancer would pick one)
	require.NoError(t, cp2.MeterValues(ctx, 1, txID, 2500, 11000, time.Now()))
	_, err = cp2.StopTransaction(ctx, txID, "04AB12CD", 3000, time.Now(), v16.ReasonLocal)
	require.NoError(t, err)
	require.NoError(t, cp2.Status(ctx, 1, v16.ChargePointStatusAvailable))
	t.Logf("SIGKILL of C: CP-2 reconnected to A and finished its transaction %s after the kill", time.Since(phase).Round(time.Millisecond))
	var txs struct {
		Data []struct {
			ID       int64  `json:"id"`
			Status   string `json:"status"`
			EnergyWh *int64 `json:"energy_wh"`
		} `json:"data"`
		Total int `json:"total"`
	}
	require.Equal(t, http.StatusOK, b.api(t, http.MethodGet, "/api/v1/transactions?station_id=CP-2", nil, &txs))
	require.Equal(t, 1, txs.Total, "one transaction, started on C and stopped on A")
	require.Equal(t, "Completed", txs.Data[0].Status)
	var tx struct {
		EnergyWh    int64 `json:"energy_wh"`
		MeterValues []struct {
			RawValue string `json:"raw_value"`
		} `json:"meter_values"`
	}
	require.Equal(t, http.StatusOK, a.api(t, http.MethodGet, fmt.Sprintf("/api/v1/transactions/%d", txs.Data[0].ID), nil, &tx))
	require.Equal(t, int64(2000), tx.EnergyWh, "meter start on C, stop on A")
	var raw []string
	for _, m := range tx.MeterValues {
		raw = append(raw, m.RawValue)
	}
	require.Subset(t, raw, []string{"1500", "2500", "3000"}, "samples sent to C before the kill and to A after it")
	require.Equal(t, http.StatusOK, b.api(t, http.MethodPost, "/api/v1/stations/CP-2/commands/GetConfiguration",
		map[string]any{}, nil), "CP-2 is reachable on A through B")
	// CP-3 does not come back: once C is dead its presence is reaped and it is offline.
	ocpitest.Eventually(t, 10*time.Second, func() bool { return !online(t, b, "CP-3") }, "CP-3 marked offline after C died")
	t.Logf("C's abandoned station CP-3 offline %s after the kill", time.Since(phase).Round(time.Millisecond))
	require.Equal(t, http.StatusServiceUnavailable, a.api(t, http.MethodPost, "/api/v1/stations/CP-3/commands/Reset",
		map[string]any{"type": "Soft"}, nil))
	_ = cp3
	var nodes struct {
		Nodes []struct {
			ID    string `json:"id"`
			Alive bool   `json:"alive"`
		} `json:"nodes"`
	}
	require.Equal(t, http.StatusOK, a.api(t, http.MethodGet, "/api/v1/cluster/nodes", nil, &nodes))
	alive := map[string]bool{}
	for _, n := range nodes.Nodes {
		alive[n.ID] = n.Alive
	}
	require.Equal(t, map[string]bool{"node-a": true, "node-b": true, "node-c": false}, alive)

	// --- outbox: every push delivered once by the nodes' competing workers -------------------
	waitOutboxDrained(t, dbURL)
	seen := map[string]int{}
	pushes := emsp.Received("/ocpi/emsp/2.2.1/")
	for _, r := range pushes {
		if r.Method == http.MethodGet {
			continue
		}
		seen[r.Header.Get("X-Correlation-ID")]++
	}
	for id, n := range seen {
		require.Equal(t, 1, n, "push %s delivered %d times", id, n)
	}
	delivered := countOutbox(t, dbURL, "delivered")
	require.Equal(t, delivered, len(seen), "every delivered outbox item reached the eMSP once")
	require.NotZero(t, len(emsp.Received("/ocpi/emsp/2.2.1/sessions/")), "the session was pushed")
	require.Len(t, emsp.Received("/ocpi/emsp/2.2.1/cdrs"), 1, "one CDR for the one transaction")
	t.Logf("outbox: %d items delivered once each; whole test %s after the build", delivered, time.Since(start).Round(time.Millisecond))
	_ = cp1b
}

// clusterNode is one `hub serve` process.
type clusterNode struct {
	name, base string
	cmd        *exec.Cmd
	log        *bytes.Buffer
}

func buildHub(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hub")
	args := []string{"build", "-o", bin}
	if raceEnabled { // reuse the packages the race-enabled test build compiled
		args = append(args, "-race")
	}
	out, err := exec.Command("go", append(args, ".")...).CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

func startNode(t *testing.T, bin, dbURL, name, addr string) *clusterNode {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "HUB_DATABASE_URL="+dbURL, "HUB_HTTP_ADDR="+addr, "HUB_PUBLIC_URL=http://"+addr,
		"HUB_ADMIN_TOKEN=cluster-test", "HUB_NODE_ID="+name, "HUB_NODE_HEARTBEAT=200ms", "HUB_OCPP_CALL_TIMEOUT=5s",
		"HUB_UNKNOWN_STATIONS=reject", "HUB_LOG_LEVEL=info")
	n := &clusterNode{name: name, base: "http://" + addr, cmd: cmd, log: &bytes.Buffer{}}
	cmd.Stderr = &lockedWriter{w: n.log}
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { _ = cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				<-done
			}
		}
		if t.Failed() {
			t.Logf("--- %s log:\n%s", name, n.log.String())
		}
	})
	ocpitest.Eventually(t, 20*time.Second, func() bool {
		resp, err := http.Get(n.base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, "%s ready", name)
	return n
}

// lockedWriter makes a buffer safe for the process's writes and the test's reads.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (n *clusterNode) api(t *testing.T, method, path string, body, out any) int {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, n.base+path, r)
	req.Header.Set("Authorization", "Bearer cluster-test")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 {
		require.NoError(t, json.Unmarshal(data, out), "%s %s: %s", method, path, data)
	}
	return resp.StatusCode
}

// dial connects a simulated 1.6 station to node n, boots it and waits until every node can
// route to it.
func dial(t *testing.T, n *clusterNode, id string, hook sim.CallHook) *sim.Charger {
	t.Helper()
	ctx := context.Background()
	ch, err := sim.Dial(ctx, sim.DialOptions{URL: "ws" + strings.TrimPrefix(n.base, "http") + "/ocpp", ID: id,
		CallTimeout: 10 * time.Second, OnCall: hook})
	require.NoError(t, err)
	t.Cleanup(func() { _ = ch.Close() })
	_, err = ch.Boot(ctx)
	require.NoError(t, err)
	require.NoError(t, ch.Status(ctx, 1, v16.ChargePointStatusAvailable))
	requireOnline(t, n, id, true)
	return ch
}

func online(t *testing.T, n *clusterNode, id string) bool {
	t.Helper()
	var st struct {
		Online bool `json:"online"`
	}
	require.Equal(t, http.StatusOK, n.api(t, http.MethodGet, "/api/v1/stations/"+id, nil, &st))
	return st.Online
}

func requireOnline(t *testing.T, n *clusterNode, id string, want bool) {
	t.Helper()
	ocpitest.Eventually(t, 5*time.Second, func() bool { return online(t, n, id) == want }, "%s online=%v", id, want)
}

// withPG runs fn on a fresh connection to dbURL.
func withPG(t *testing.T, dbURL string, fn func(ctx context.Context, conn *pgx.Conn)) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dbURL)
	require.NoError(t, err)
	defer conn.Close(ctx)
	fn(ctx, conn)
}

func countOutbox(t *testing.T, dbURL, status string) (n int) {
	t.Helper()
	withPG(t, dbURL, func(ctx context.Context, conn *pgx.Conn) {
		require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM ocpi_outbox WHERE status = $1", status).Scan(&n))
	})
	return n
}

// leaseHeldByC adds a pending outbox item leased by node-c for an hour: a copy of the last
// delivered push (PUTs are idempotent), with a correlation id of its own.
func leaseHeldByC(t *testing.T, dbURL string) {
	t.Helper()
	withPG(t, dbURL, func(ctx context.Context, conn *pgx.Conn) {
		tag, err := conn.Exec(ctx, `INSERT INTO ocpi_outbox (partner_id, object_key, module, path, url, method, body,
		to_country_code, to_party_id, correlation_id, status, attempts, next_attempt_at, locked_until, locked_by,
		created_at, updated_at)
		SELECT partner_id, object_key || '#lease', module, path, url, method, body, to_country_code, to_party_id,
		'lease-held-by-node-c', 'pending', 0, now(), now() + interval '1 hour', 'node-c', now(), now()
		FROM ocpi_outbox WHERE status = 'delivered' AND method = 'PUT' ORDER BY id DESC LIMIT 1`)
		require.NoError(t, err)
		require.Equal(t, int64(1), tag.RowsAffected())
	})
}

// waitOutboxDrained waits until no outbox item is pending.
func waitOutboxDrained(t *testing.T, dbURL string) {
	t.Helper()
	ocpitest.Eventually(t, 20*time.Second, func() bool { return countOutbox(t, dbURL, "pending") == 0 },
		"the outbox drained")
	require.Zero(t, countOutbox(t, dbURL, "failed"), "failed outbox items")
}
