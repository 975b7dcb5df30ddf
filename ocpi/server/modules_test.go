package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/ocpitest"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store/storetest"
)

// ids returns the "id" of raw objects.
func ids(t *testing.T, pages []ocpitest.Page) []string {
	t.Helper()
	var out []string
	for _, p := range pages {
		for _, raw := range p.Items {
			var o struct{ ID string }
			require.NoError(t, json.Unmarshal(raw, &o))
			out = append(out, o.ID)
		}
	}
	return out
}

func TestPaginationWithDateFilters(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		e := registered(t, dbURL, ocpitest.HubOptions{})
		for i := range 25 {
			require.NoError(t, e.hub.Svc.PutSession(ctx, session(fmt.Sprintf("S%02d", i), emp, base.Add(time.Duration(i)*time.Minute))))
			require.NoError(t, e.hub.Svc.PostCDR(ctx, cdr(fmt.Sprintf("C%02d", i), emp, base.Add(time.Duration(i)*time.Minute))))
		}
		// Sessions of another eMSP are not counted.
		require.NoError(t, e.hub.Svc.PutSession(ctx, session("OTHER", abc, base)))

		from := url.QueryEscape(base.Add(5 * time.Minute).Format(time.RFC3339))
		to := url.QueryEscape(base.Add(20 * time.Minute).Format(time.RFC3339))
		pages := e.emsp.Pull(e.modURL("/sessions?limit=4&date_from="+from+"&date_to="+to), "Session")
		require.Len(t, pages, 4, "15 sessions in [5, 20) in pages of 4")
		want := []string{}
		for i := 5; i < 20; i++ {
			want = append(want, fmt.Sprintf("S%02d", i))
		}
		require.Equal(t, want, ids(t, pages))
		for _, p := range pages {
			require.Equal(t, "15", p.TotalCount)
			require.Equal(t, "1000", p.Limit)
		}
		require.Contains(t, pages[1].URL, "offset=4")
		require.Contains(t, pages[1].URL, "date_from=")
		require.True(t, strings.HasPrefix(pages[1].URL, e.hub.URL), "the Link is absolute on the public URL")

		// An unescaped offset ("+" read as a space) is read leniently.
		pages = e.emsp.Pull(e.modURL("/sessions?date_from=2025-01-14T09:20:00+01:00"), "Session")
		require.Equal(t, []string{"S20", "S21", "S22", "S23", "S24"}, ids(t, pages), "sessions from 08:20Z")

		pages = e.emsp.Pull(e.modURL("/cdrs?limit=10"), "CDR")
		require.Len(t, pages, 3)
		require.Len(t, ids(t, pages), 25)

		// Offset beyond the end: an empty list, no Link.
		st, body, h := e.emsp.Call(http.MethodGet, e.modURL("/sessions?offset=100"), nil, "Session[]")
		require.Equal(t, http.StatusOK, st)
		require.Contains(t, string(body), `"data":[]`)
		require.Empty(t, h.Get("Link"))
		require.Equal(t, "25", h.Get("X-Total-Count"))
	})
}

func TestPaginationPartnerCap(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		schema := ocpitest.LoadSchema(t)
		hub := ocpitest.NewHub(t, dbURL, ocpitest.HubOptions{})
		emsp := ocpitest.NewEMSP(t, schema, "NL", "EMP")
		_, tokenA, err := hub.Svc.CreatePartner(ctx, roaming.NewPartner{Name: "Capped", Role: ocpi.RoleEMSP, MaxPageSize: 3})
		require.NoError(t, err)
		require.NoError(t, emsp.Register(hub.VersionsURL(), tokenA))
		for i := range 8 {
			addLocation(t, hub.Svc, fmt.Sprintf("LOC-%d", i))
			require.NoError(t, hub.Svc.PutTariff(ctx, tariff(fmt.Sprintf("T%d", i), base)))
		}
		pages := emsp.Pull(hub.URL+roaming.ModulesPath+"/locations?limit=100", "Location")
		require.Len(t, pages, 3)
		require.Equal(t, "3", pages[0].Limit, "X-Limit is the partner's cap")
		require.Equal(t, "8", pages[0].TotalCount)
		require.Equal(t, []string{"LOC-0", "LOC-1", "LOC-2", "LOC-3", "LOC-4", "LOC-5", "LOC-6", "LOC-7"}, ids(t, pages))
		pages = emsp.Pull(hub.URL+roaming.ModulesPath+"/tariffs", "Tariff")
		require.Len(t, pages, 3)

		// Single objects of the Locations Sender.
		st, body, _ := emsp.Call(http.MethodGet, hub.URL+roaming.ModulesPath+"/locations/loc-1", nil, "Location")
		require.Equal(t, http.StatusOK, st, "%s", body)
		st, body, _ = emsp.Call(http.MethodGet, hub.URL+roaming.ModulesPath+"/locations/LOC-1/LOC-1-E1", nil, "EVSE")
		require.Equal(t, http.StatusOK, st, "%s", body)
		st, body, _ = emsp.Call(http.MethodGet, hub.URL+roaming.ModulesPath+"/locations/LOC-1/LOC-1-E1/1/", nil, "Connector")
		require.Equal(t, http.StatusOK, st, "%s", body)
		for _, p := range []string{"/locations/NOPE", "/locations/LOC-1/NOPE", "/locations/LOC-1/LOC-1-E1/9"} {
			st, body, _ = emsp.Call(http.MethodGet, hub.URL+roaming.ModulesPath+p, nil, "")
			require.Equal(t, http.StatusNotFound, st, p)
			require.Contains(t, string(body), `"status_code":2003`, p)
		}
	})
}

func TestAuthIsolationBetweenPartners(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		e := registered(t, dbURL, ocpitest.HubOptions{})
		other := ocpitest.NewEMSP(t, e.schema, "DE", "ABC")
		_, tokenA, err := e.hub.Svc.CreatePartner(ctx, roaming.NewPartner{Name: "Other", Role: ocpi.RoleEMSP, Party: abc})
		require.NoError(t, err)
		require.NoError(t, other.Register(e.hub.VersionsURL(), tokenA))

		require.NoError(t, e.hub.Svc.PutSession(ctx, session("S-EMP", emp, base)))
		require.NoError(t, e.hub.Svc.PutSession(ctx, session("S-ABC", abc, base)))
		require.NoError(t, e.hub.Svc.PostCDR(ctx, cdr("C-EMP", emp, base)))
		require.Equal(t, []string{"S-EMP"}, ids(t, e.emsp.Pull(e.modURL("/sessions"), "Session")))
		require.Equal(t, []string{"S-ABC"}, ids(t, other.Pull(e.modURL("/sessions"), "Session")))
		require.Equal(t, []string{"C-EMP"}, ids(t, e.emsp.Pull(e.modURL("/cdrs"), "CDR")))
		require.Empty(t, ids(t, other.Pull(e.modURL("/cdrs"), "CDR")))

		// Tokens: a partner pushes only under its own party and sees only its own tokens.
		tokURL := e.modURL("/tokens/NL/EMP/04AB12CD")
		st, body, _ := e.emsp.Call(http.MethodPut, tokURL, token(emp, "04AB12CD", base), "")
		require.Equal(t, http.StatusCreated, st, "%s", body)
		st, _, _ = other.Call(http.MethodPut, tokURL, token(emp, "04AB12CD", base), "")
		require.Equal(t, http.StatusNotFound, st)
		st, body, _ = other.Call(http.MethodGet, tokURL, nil, "")
		require.Equal(t, http.StatusNotFound, st)
		require.Contains(t, string(body), `"status_code":2001`)
		st, body, _ = other.Call(http.MethodGet, e.modURL("/tokens/DE/ABC/04AB12CD"), nil, "")
		require.Equal(t, http.StatusNotFound, st)
		require.Contains(t, string(body), `"status_code":2004`)
		st, _, _ = e.emsp.Call(http.MethodGet, tokURL, nil, "Token")
		require.Equal(t, http.StatusOK, st)

		// A partner cannot act as another one through OCPI-from-*.
		st, body, _ = other.CallWith(http.MethodGet, e.modURL("/sessions"), other.TokenHeader(),
			map[string]string{"OCPI-from-country-code": "NL", "OCPI-from-party-id": "EMP"}, nil)
		require.Equal(t, http.StatusBadRequest, st, "%s", body)
		require.Contains(t, string(body), `"status_code":2001`)

		// STOP_SESSION of another eMSP's session: REJECTED.
		stop := ocpi.StopSession{ResponseURL: other.URL() + "/ocpi/emsp/2.2.1/commands/STOP_SESSION/1", SessionID: "S-EMP"}
		st, body, _ = other.Call(http.MethodPost, e.modURL("/commands/STOP_SESSION"), stop, "CommandResponse")
		require.Equal(t, http.StatusOK, st)
		require.Contains(t, string(body), `"result":"REJECTED"`)

		// Suspension: the partner is refused until it is resumed.
		_, err = e.hub.Svc.SuspendPartner(ctx, e.partner.ID)
		require.NoError(t, err)
		st, _, _ = e.emsp.Call(http.MethodGet, e.modURL("/sessions"), nil, "")
		require.Equal(t, http.StatusUnauthorized, st)
		_, err = e.hub.Svc.ResumePartner(ctx, e.partner.ID)
		require.NoError(t, err)
		st, _, _ = e.emsp.Call(http.MethodGet, e.modURL("/sessions"), nil, "Session[]")
		require.Equal(t, http.StatusOK, st)
	})
}

func TestRoutingHeaders(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		e := registered(t, dbURL, ocpitest.HubOptions{})
		u := e.modURL("/locations")
		auth := e.emsp.TokenHeader()

		// Without routing headers on a direct connection: accepted; the answer is addressed to
		// the partner's party, from ours; request ids are generated.
		st, _, h := e.emsp.CallWith(http.MethodGet, u, auth, nil, nil)
		require.Equal(t, http.StatusOK, st)
		require.Equal(t, "NL", h.Get("OCPI-to-country-code"))
		require.Equal(t, "EMP", h.Get("OCPI-to-party-id"))
		require.Equal(t, "IN", h.Get("OCPI-from-country-code"))
		require.Equal(t, "HUB", h.Get("OCPI-from-party-id"))
		require.NotEmpty(t, h.Get("X-Request-ID"))
		require.NotEmpty(t, h.Get("X-Correlation-ID"))

		// Echoed ids; lower-case header values are fine.
		st, _, h = e.emsp.CallWith(http.MethodGet, u, auth, map[string]string{"X-Request-ID": "r-1", "X-Correlation-ID": "c-1",
			"OCPI-from-country-code": "nl", "OCPI-from-party-id": "emp", "OCPI-to-country-code": "IN", "OCPI-to-party-id": "HUB"}, nil)
		require.Equal(t, http.StatusOK, st)
		require.Equal(t, "r-1", h.Get("X-Request-ID"))
		require.Equal(t, "c-1", h.Get("X-Correlation-ID"))

		for name, hdr := range map[string]map[string]string{
			"half a pair":   {"OCPI-from-country-code": "NL"},
			"bad party id":  {"OCPI-from-country-code": "NL", "OCPI-from-party-id": "TOOLONG"},
			"not our party": {"OCPI-to-country-code": "DE", "OCPI-to-party-id": "XYZ"},
		} {
			st, body, _ := e.emsp.CallWith(http.MethodGet, u, auth, hdr, nil)
			require.Equal(t, http.StatusBadRequest, st, name)
			require.Contains(t, string(body), `"status_code":2001`, name)
		}

		// Configuration modules carry no routing headers.
		st, _, h = e.emsp.CallWith(http.MethodGet, e.hub.VersionsURL(), auth, nil, nil)
		require.Equal(t, http.StatusOK, st)
		require.Empty(t, h.Get("OCPI-from-country-code"))
	})
}

// TestBadInput sends what an eMSP gets wrong; every answer is an OCPI envelope with the right
// status, never a 500.
func TestBadInput(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		e := registered(t, dbURL, ocpitest.HubOptions{})
		addLocation(t, e.hub.Svc, "LOC-1")
		auth := e.emsp.TokenHeader()
		tok := token(emp, "04AB12CD", base)
		good, _ := json.Marshal(tok)
		other := token(emp, "OTHER", base)
		mismatch, _ := json.Marshal(other)
		cases := []struct {
			name, method, path, auth string
			body                     string
			status, code             int
		}{
			{"no auth", http.MethodGet, "/locations", "", "", 401, 2000},
			{"unknown token", http.MethodGet, "/locations", "Token dW5rbm93bg==", "", 401, 2000},
			{"other scheme", http.MethodGet, "/locations", "Bearer x", "", 401, 2000},
			{"unknown path", http.MethodGet, "/nothing", auth, "", 404, 2000},
			{"method n/a", http.MethodPost, "/locations", auth, "{}", 405, 2000},
			{"delete token n/a", http.MethodDelete, "/tokens/NL/EMP/04AB12CD", auth, "", 405, 2000},
			{"bad offset", http.MethodGet, "/locations?offset=-1", auth, "", 400, 2001},
			{"bad limit", http.MethodGet, "/locations?limit=abc", auth, "", 400, 2001},
			{"bad date", http.MethodGet, "/sessions?date_from=yesterday", auth, "", 400, 2001},
			{"malformed JSON", http.MethodPut, "/tokens/NL/EMP/04AB12CD", auth, `{"uid": `, 400, 2000},
			{"no body", http.MethodPut, "/tokens/NL/EMP/04AB12CD", auth, "", 400, 2001},
			{"wrong types", http.MethodPut, "/tokens/NL/EMP/04AB12CD", auth, `{"uid": 42, "valid": "yes"}`, 400, 2001},
			{"array body", http.MethodPut, "/tokens/NL/EMP/04AB12CD", auth, `[1,2]`, 400, 2001},
			{"invalid token", http.MethodPut, "/tokens/NL/EMP/04AB12CD", auth, `{"uid":"04AB12CD"}`, 400, 2001},
			{"url and body differ", http.MethodPut, "/tokens/NL/EMP/04AB12CD", auth, string(mismatch), 400, 2001},
			{"bad party in url", http.MethodPut, "/tokens/NLD/EMP/04AB12CD", auth, string(good), 400, 2001},
			{"patch unknown token", http.MethodPatch, "/tokens/NL/EMP/NOPE", auth, `{"valid":false,"last_updated":"2025-01-14T08:00:00Z"}`, 404, 2004},
			{"patch without last_updated", http.MethodPatch, "/tokens/NL/EMP/04AB12CD", auth, `{"valid":false}`, 400, 2001},
			{"get unknown token", http.MethodGet, "/tokens/NL/EMP/NOPE?type=APP_USER", auth, "", 404, 2004},
			{"unknown location", http.MethodGet, "/locations/NOPE", auth, "", 404, 2003},
			{"unknown command", http.MethodPost, "/commands/SELF_DESTRUCT", auth, "{}", 404, 2001},
			{"command wrong types", http.MethodPost, "/commands/STOP_SESSION", auth, `{"session_id": {}}`, 400, 2001},
			{"command missing fields", http.MethodPost, "/commands/UNLOCK_CONNECTOR", auth, `{}`, 400, 2001},
			{"profile without duration", http.MethodGet, "/chargingprofiles/S1?response_url=https://x/y", auth, "", 400, 2001},
			{"profile bad response_url", http.MethodDelete, "/chargingprofiles/S1?response_url=nope", auth, "", 400, 2001},
			{"profile bad body", http.MethodPut, "/chargingprofiles/S1", auth, `{"charging_profile":{}}`, 400, 2001},
			{"preferences unknown session", http.MethodPut, "/sessions/NOPE/charging_preferences", auth, `{"profile_type":"FAST"}`, 404, 2001},
			{"preferences bad body", http.MethodPut, "/sessions/NOPE/charging_preferences", auth, `{"profile_type":"WARP"}`, 400, 2001},
			{"client info mismatch", http.MethodPut, "/hubclientinfo/NL/EMP", auth, `{"party_id":"ABC","country_code":"DE","role":"EMSP","status":"CONNECTED","last_updated":"2025-01-14T08:00:00Z"}`, 400, 2001},
			{"client info unknown", http.MethodGet, "/hubclientinfo/DE/ABC", auth, "", 404, 2001},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				st, body, _ := e.emsp.CallWith(c.method, e.modURL(c.path), c.auth, nil, []byte(c.body))
				require.Equal(t, c.status, st, "%s", body)
				var env ocpi.RawResponse
				require.NoError(t, json.Unmarshal(body, &env), "%s", body)
				require.Equal(t, c.code, env.StatusCode, "%s", body)
				require.NotEmpty(t, env.StatusMessage)
			})
		}
		// Credentials: bad bodies while pending are checked too (a fresh partner).
		_, tokenA, err := e.hub.Svc.CreatePartner(context.Background(), roaming.NewPartner{Name: "New", Role: ocpi.RoleNSP})
		require.NoError(t, err)
		authA := "Token " + tokenA
		for body, code := range map[string]int{`nope`: 2000, `{"token":"x"}`: 2001, `{"token":5}`: 2001} {
			st, b, _ := e.emsp.CallWith(http.MethodPost, e.hub.URL+roaming.CredentialsPath, authA, nil, []byte(body))
			require.Equal(t, http.StatusBadRequest, st, "%s", b)
			require.Contains(t, string(b), `"status_code":`+strconv.Itoa(code))
		}
		// An unreachable versions URL: 3001 with HTTP 200.
		cred := `{"token":"abc","url":"http://127.0.0.1:1/versions","roles":[{"role":"NSP","party_id":"NSP","country_code":"NL","business_details":{"name":"x"}}]}`
		st, b, _ := e.emsp.CallWith(http.MethodPost, e.hub.URL+roaming.CredentialsPath, authA, nil, []byte(cred))
		require.Equal(t, http.StatusOK, st, "%s", b)
		require.Contains(t, string(b), `"status_code":3001`)
	})
}
