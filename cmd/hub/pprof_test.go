package main

import (
	"net/http"
	"testing"

	"github.com/chargehub/hub/store/storetest"
)

// TestPprofAndNodes: /debug/pprof/ exists only with HUB_PPROF=true and only behind the admin
// token; /api/v1/cluster/nodes answers on a single SQLite node too.
func TestPprofAndNodes(t *testing.T) {
	get := func(t *testing.T, h *testHub, path, token string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, h.base+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	off := startTestHub(t, storetest.SQLiteURL(t), nil)
	if code := get(t, off, "/debug/pprof/", off.token); code != http.StatusNotFound {
		t.Fatalf("pprof off by default: %d", code)
	}
	var nodes struct {
		NodeID    string `json:"node_id"`
		Clustered bool   `json:"clustered"`
		Nodes     []struct {
			ID    string `json:"id"`
			Alive bool   `json:"alive"`
		} `json:"nodes"`
	}
	if code := off.api(t, http.MethodGet, "/api/v1/cluster/nodes", nil, &nodes); code != http.StatusOK ||
		nodes.Clustered || len(nodes.Nodes) != 1 || nodes.Nodes[0].ID != nodes.NodeID || !nodes.Nodes[0].Alive {
		t.Fatalf("nodes: %d %+v", code, nodes)
	}
	on := startTestHub(t, storetest.SQLiteURL(t), map[string]string{"HUB_PPROF": "true"})
	for path, want := range map[string]int{"/debug/pprof/": 200, "/debug/pprof/heap?debug=1": 200, "/debug/pprof/goroutine": 200} {
		if code := get(t, on, path, ""); code != http.StatusUnauthorized {
			t.Fatalf("%s without the token: %d", path, code)
		}
		if code := get(t, on, path, on.token); code != want {
			t.Fatalf("%s with the token: %d", path, code)
		}
	}
}
