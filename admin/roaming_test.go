package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/admin"
	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi/ocpitest"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store/storetest"
)

const adminToken = "test-admin"

// call sends an admin request and decodes the JSON answer into out (when not nil).
func call(t *testing.T, base, method, path, token string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		switch b := body.(type) {
		case string:
			rd = bytes.NewReader([]byte(b))
		default:
			raw, err := json.Marshal(b)
			require.NoError(t, err)
			rd = bytes.NewReader(raw)
		}
	}
	req, err := http.NewRequest(method, base+path, rd)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 {
		require.NoError(t, json.Unmarshal(data, out), "%s", data)
	}
	return resp.StatusCode
}

func newHub(t *testing.T, dbURL string) *ocpitest.Hub {
	return ocpitest.NewHub(t, dbURL, ocpitest.HubOptions{Mount: func(e *echo.Echo, svc *roaming.Service) {
		admin.NewRoaming(svc, adminToken, ocpitest.Logger()).Mount(e)
	}})
}

func TestAdminPartners(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		hub := newHub(t, dbURL)
		u := hub.URL

		require.Equal(t, http.StatusUnauthorized, call(t, u, http.MethodGet, "/api/v1/partners", "wrong", nil, nil))
		var created struct {
			Partner struct {
				ID     int64  `json:"id"`
				Status string `json:"status"`
			} `json:"partner"`
			TokenA      string `json:"token_a"`
			VersionsURL string `json:"versions_url"`
		}
		st := call(t, u, http.MethodPost, "/api/v1/partners", adminToken, map[string]any{"name": "Example", "role": "EMSP",
			"country_code": "NL", "party_id": "EMP"}, &created)
		require.Equal(t, http.StatusCreated, st)
		require.Equal(t, "PENDING", created.Partner.Status)
		require.Len(t, created.TokenA, 43)
		require.Equal(t, hub.VersionsURL(), created.VersionsURL)
		require.Equal(t, http.StatusConflict, call(t, u, http.MethodPost, "/api/v1/partners", adminToken, map[string]any{"name": "Twin",
			"role": "EMSP", "country_code": "nl", "party_id": "emp"}, nil))
		require.Equal(t, http.StatusBadRequest, call(t, u, http.MethodPost, "/api/v1/partners", adminToken, map[string]any{"name": "X",
			"role": "CPO"}, nil))
		require.Equal(t, http.StatusBadRequest, call(t, u, http.MethodPost, "/api/v1/partners", adminToken, `{"name":`, nil))

		// The eMSP registers with the token A; the partner shows its endpoints.
		emsp := ocpitest.NewEMSP(t, ocpitest.LoadSchema(t), "NL", "EMP")
		require.NoError(t, emsp.Register(created.VersionsURL, created.TokenA))
		var p struct {
			Status    string             `json:"status"`
			Endpoints []roaming.Endpoint `json:"endpoints"`
			Outbox    struct{ Pending, Failed int }
		}
		path := "/api/v1/partners/" + itoa(created.Partner.ID)
		require.Equal(t, http.StatusOK, call(t, u, http.MethodGet, path, adminToken, nil, &p))
		require.Equal(t, "REGISTERED", p.Status)
		require.Len(t, p.Endpoints, 7)

		var list struct {
			Data  []map[string]any `json:"data"`
			Total int              `json:"total"`
		}
		require.Equal(t, http.StatusOK, call(t, u, http.MethodGet, "/api/v1/partners?status=REGISTERED", adminToken, nil, &list))
		require.Equal(t, 1, list.Total)
		require.NotContains(t, list.Data[0], "outbound_token")
		require.Equal(t, http.StatusBadRequest, call(t, u, http.MethodGet, "/api/v1/partners?status=ASLEEP", adminToken, nil, nil))

		require.Equal(t, http.StatusOK, call(t, u, http.MethodPost, path+"/suspend", adminToken, nil, &p))
		require.Equal(t, "SUSPENDED", p.Status)
		require.Equal(t, http.StatusConflict, call(t, u, http.MethodPost, path+"/rotate", adminToken, nil, nil))
		require.Equal(t, http.StatusOK, call(t, u, http.MethodPost, path+"/resume", adminToken, nil, &p))
		require.Equal(t, "REGISTERED", p.Status)
		require.Equal(t, http.StatusOK, call(t, u, http.MethodPost, path+"/rotate", adminToken, nil, &p))
		var sync map[string]any
		require.Equal(t, http.StatusOK, call(t, u, http.MethodPost, path+"/sync-tokens?full=true", adminToken, nil, &sync))
		require.Equal(t, true, sync["full"])

		var outbox struct {
			Data []struct {
				Status string `json:"status"`
			} `json:"data"`
			Total   int `json:"total"`
			Pending int `json:"pending"`
		}
		require.Equal(t, http.StatusOK, call(t, u, http.MethodGet, path+"/outbox", adminToken, nil, &outbox))
		require.Equal(t, http.StatusBadRequest, call(t, u, http.MethodGet, path+"/outbox?status=lost", adminToken, nil, nil))
		require.Equal(t, http.StatusNotFound, call(t, u, http.MethodGet, "/api/v1/partners/999/outbox", adminToken, nil, nil))
		require.Equal(t, http.StatusBadRequest, call(t, u, http.MethodGet, "/api/v1/partners/x", adminToken, nil, nil))
		require.Equal(t, http.StatusNotFound, call(t, u, http.MethodPost, path+"/outbox/1/retry", adminToken, nil, nil))

		// The hub registers with another eMSP that handed us its token A.
		other := ocpitest.NewEMSP(t, ocpitest.LoadSchema(t), "DE", "ABC")
		var reg map[string]any
		st = call(t, u, http.MethodPost, "/api/v1/partners/register", adminToken, map[string]any{"versions_url": other.VersionsURL(),
			"token": other.IssueTokenA(), "name": "Other"}, &reg)
		require.Equal(t, http.StatusCreated, st, "%v", reg)
		require.Equal(t, "REGISTERED", reg["status"])
		require.Equal(t, http.StatusOK, call(t, u, http.MethodPost, "/api/v1/partners/"+itoa(int64(reg["id"].(float64)))+"/unregister", adminToken, nil, &p))
		require.Equal(t, "UNREGISTERED", p.Status)
		require.Equal(t, http.StatusServiceUnavailable, call(t, u, http.MethodPost, "/api/v1/partners/register", adminToken,
			map[string]any{"versions_url": "http://127.0.0.1:1/versions", "token": "x"}, nil))
	})
}

func TestAdminLocations(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		hub := newHub(t, dbURL)
		u := hub.URL
		require.NoError(t, hub.DB.CreateStation(ctx, charging.Station{ID: "CP-1"}))
		require.NoError(t, hub.DB.CreateStation(ctx, charging.Station{ID: "CP-2"}))
		loc := map[string]any{"id": "LOC-1", "publish": true, "name": "Mall", "address": "12 MG Road", "city": "Bengaluru",
			"country": "IND", "coordinates": map[string]string{"latitude": "12.975600", "longitude": "77.606500"},
			"time_zone": "Asia/Kolkata", "operator": map[string]string{"name": "Example Charging"},
			"opening_times": map[string]any{"twentyfourseven": true}, "station_ids": []string{"CP-1"}}
		var got map[string]any
		require.Equal(t, http.StatusCreated, call(t, u, http.MethodPost, "/api/v1/locations", adminToken, loc, &got), "%v", got)
		require.Equal(t, "IN", got["country_code"])
		require.NotEmpty(t, got["last_updated"])
		require.Equal(t, []any{"CP-1"}, got["station_ids"])
		require.Equal(t, http.StatusConflict, call(t, u, http.MethodPost, "/api/v1/locations", adminToken, loc, nil))

		loc["id"] = "LOC-2"
		require.Equal(t, http.StatusConflict, call(t, u, http.MethodPost, "/api/v1/locations", adminToken, loc, nil), "CP-1 is taken")
		loc["station_ids"] = []string{"CP-9"}
		require.Equal(t, http.StatusBadRequest, call(t, u, http.MethodPost, "/api/v1/locations", adminToken, loc, nil), "unknown station")
		loc["station_ids"] = []string{}
		loc["coordinates"] = map[string]string{"latitude": "12.9", "longitude": "77.6"}
		require.Equal(t, http.StatusBadRequest, call(t, u, http.MethodPost, "/api/v1/locations", adminToken, loc, nil), "coordinates")
		loc["coordinates"] = map[string]string{"latitude": "12.975600", "longitude": "77.606500"}
		loc["country_code"], loc["party_id"] = "DE", "XYZ"
		require.Equal(t, http.StatusBadRequest, call(t, u, http.MethodPost, "/api/v1/locations", adminToken, loc, nil), "not our party")
		delete(loc, "country_code")
		delete(loc, "party_id")
		loc["surprise"] = 1
		require.Equal(t, http.StatusBadRequest, call(t, u, http.MethodPost, "/api/v1/locations", adminToken, loc, nil), "unknown field")
		delete(loc, "surprise")

		upd := map[string]any{}
		for k, v := range loc {
			upd[k] = v
		}
		upd["id"] = "LOC-1"
		upd["name"] = "Renamed"
		upd["station_ids"] = []string{"CP-1", "CP-2"}
		require.Equal(t, http.StatusOK, call(t, u, http.MethodPut, "/api/v1/locations/LOC-1", adminToken, upd, &got))
		require.Equal(t, "Renamed", got["name"])
		require.Equal(t, []any{"CP-1", "CP-2"}, got["station_ids"])
		require.Equal(t, http.StatusNotFound, call(t, u, http.MethodPut, "/api/v1/locations/LOC-9", adminToken, map[string]any{
			"publish": true, "address": "a", "city": "b", "country": "IND", "time_zone": "UTC",
			"coordinates": map[string]string{"latitude": "12.975600", "longitude": "77.606500"}}, nil))
		require.Equal(t, http.StatusBadRequest, call(t, u, http.MethodPut, "/api/v1/locations/LOC-2", adminToken, upd, nil), "id mismatch")

		require.Equal(t, http.StatusOK, call(t, u, http.MethodGet, "/api/v1/locations/loc-1", adminToken, nil, &got))
		require.Equal(t, "LOC-1", got["id"])
		var list struct {
			Total int `json:"total"`
		}
		require.Equal(t, http.StatusOK, call(t, u, http.MethodGet, "/api/v1/locations", adminToken, nil, &list))
		require.Equal(t, 1, list.Total)
		require.Equal(t, http.StatusNotFound, call(t, u, http.MethodGet, "/api/v1/locations/NOPE", adminToken, nil, nil))
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
