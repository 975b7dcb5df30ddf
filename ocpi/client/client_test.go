package client_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/client"
	"github.com/chargehub/hub/roaming"
)

func newClient(cfg client.Config) *client.Client { return client.New(nil, cfg, nil) }

func envelope(w http.ResponseWriter, status, code int, data any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(ocpi.Response[any]{Data: data, StatusCode: code, Timestamp: ocpi.NewDateTime(time.Now())})
}

func TestNextLink(t *testing.T) {
	for in, want := range map[string]string{
		`<https://x/a?offset=10>; rel="next"`:                        "https://x/a?offset=10",
		`<https://x/a>;rel=next`:                                     "https://x/a",
		` <https://x/p>; rel="prev", <https://x/n>; rel="next" `:     "https://x/n",
		`<https://x/n>; title="a;b"; rel="last next"`:                "https://x/n",
		`<https://x/p>; rel="prev"`:                                  "",
		`garbage`:                                                    "",
		`<https://x/a,b>; REL="Next"`:                                "https://x/a,b",
		`<https://x/unterminated; rel="next"`:                        "",
		`<https://x/1>; rel="first", <https://x/2>; rel="next",<x3>`: "https://x/2",
	} {
		require.Equal(t, want, client.NextLink([]string{in}), in)
	}
	require.Equal(t, "https://x/b", client.NextLink([]string{`<https://x/a>; rel="prev"`, `<https://x/b>; rel="next"`}))
	require.Empty(t, client.NextLink(nil))
}

func TestDoHeadersAndErrors(t *testing.T) {
	var mu sync.Mutex
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = r.Header.Clone()
		mu.Unlock()
		switch r.URL.Path {
		case "/ok":
			envelope(w, http.StatusCreated, 1000, nil)
		case "/client-error":
			envelope(w, http.StatusOK, 2001, nil)
		case "/unknown-receiver":
			envelope(w, http.StatusOK, 4001, nil)
		case "/server-error":
			envelope(w, http.StatusOK, 3000, nil)
		case "/html":
			_, _ = w.Write([]byte("<html>oops</html>"))
		case "/404":
			w.WriteHeader(http.StatusNotFound)
		case "/503":
			envelope(w, http.StatusServiceUnavailable, 3000, nil)
		case "/429":
			w.WriteHeader(http.StatusTooManyRequests)
		case "/slow":
			time.Sleep(300 * time.Millisecond)
			envelope(w, http.StatusOK, 1000, nil)
		case "/big":
			_, _ = w.Write([]byte(`{"data":"` + strings.Repeat("x", 2000) + `","status_code":1000,"timestamp":"2025-01-14T08:00:00Z"}`))
		}
	}))
	defer srv.Close()
	c := newClient(client.Config{Timeout: 100 * time.Millisecond, MaxResponseBytes: 1000})
	ctx := context.Background()

	resp, err := c.Do(ctx, client.Request{Method: http.MethodPut, URL: srv.URL + "/ok", Cred: roaming.Credential{Token: "tok", Encoding: roaming.EncodingBase64},
		From: roaming.Party{CountryCode: "in", PartyID: "hub"}, To: roaming.Party{CountryCode: "NL", PartyID: "EMP"},
		Body: map[string]int{"a": 1}, CorrelationID: "corr-1"})
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, resp.HTTPStatus)
	mu.Lock()
	require.Equal(t, "Token "+base64.StdEncoding.EncodeToString([]byte("tok")), got.Get("Authorization"))
	require.Equal(t, "corr-1", got.Get("X-Correlation-ID"))
	require.NotEmpty(t, got.Get("X-Request-ID"))
	require.Equal(t, "IN", got.Get("OCPI-from-country-code"))
	require.Equal(t, "HUB", got.Get("OCPI-from-party-id"))
	require.Equal(t, "EMP", got.Get("OCPI-to-party-id"))
	require.Equal(t, "application/json", got.Get("Content-Type"))
	mu.Unlock()

	for path, want := range map[string]struct {
		permanent bool
		status    int
		code      int
	}{
		"/client-error": {true, 200, 2001}, "/unknown-receiver": {true, 200, 4001}, "/server-error": {false, 200, 3000},
		"/html": {false, 200, 0}, "/404": {true, 404, 0}, "/503": {false, 503, 3000}, "/429": {false, 429, 0},
		"/slow": {false, 0, 0}, "/big": {false, 200, 0},
	} {
		_, err := c.Do(ctx, client.Request{Method: http.MethodGet, URL: srv.URL + path, Cred: roaming.Credential{Token: "t", Encoding: roaming.EncodingRaw}})
		var ce *client.Error
		require.True(t, errors.As(err, &ce), "%s: %v", path, err)
		require.Equal(t, want.permanent, ce.Permanent(), "%s: %v", path, err)
		require.Equal(t, want.status, ce.HTTPStatus, path)
		require.Equal(t, want.code, ce.StatusCode, path)
		require.NotEmpty(t, ce.Error())
	}
	mu.Lock()
	require.Equal(t, "Token t", got.Get("Authorization"), "raw encoding")
	mu.Unlock()
}

func TestAutoEncodingFallsBackToRaw(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Token secret" {
			envelope(w, http.StatusUnauthorized, 2000, nil)
			return
		}
		envelope(w, http.StatusOK, 1000, []ocpi.Version{{Version: ocpi.VersionNumber221, URL: "https://x/2.2.1"}})
	}))
	defer srv.Close()
	c := newClient(client.Config{})
	vs, enc, err := c.Versions(context.Background(), srv.URL, roaming.Credential{Token: "secret"})
	require.NoError(t, err)
	require.Equal(t, roaming.EncodingRaw, enc)
	require.Len(t, vs, 1)
	_, _, err = c.Versions(context.Background(), srv.URL, roaming.Credential{Token: "secret", Encoding: roaming.EncodingBase64})
	require.Error(t, err, "a known encoding is not retried")
}

func TestRegistrationCallsCheckData(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/versions":
			envelope(w, http.StatusOK, 1000, []map[string]string{{"version": "2.2.1", "url": "not a url"}})
		case "/nodata":
			envelope(w, http.StatusOK, 1000, nil)
		case "/credentials":
			if r.Method == http.MethodDelete {
				envelope(w, http.StatusOK, 1000, nil)
				return
			}
			envelope(w, http.StatusOK, 1000, map[string]any{"token": "c", "url": "https://x/v", "roles": []any{}})
		}
	}))
	defer srv.Close()
	c := newClient(client.Config{})
	ctx := context.Background()
	cred := roaming.Credential{Token: "a", Encoding: roaming.EncodingBase64}
	_, _, err := c.Versions(ctx, srv.URL+"/versions", cred)
	require.ErrorContains(t, err, "invalid versions list")
	_, err = c.VersionDetails(ctx, srv.URL+"/nodata", cred)
	require.ErrorContains(t, err, "no data")
	got, err := c.PostCredentials(ctx, srv.URL+"/credentials", cred, ocpi.Credentials{Token: "b"})
	require.NoError(t, err)
	require.Equal(t, "c", got.Token)
	_, err = c.PutCredentials(ctx, srv.URL+"/credentials", cred, ocpi.Credentials{Token: "b"})
	require.NoError(t, err)
	require.NoError(t, c.DeleteCredentials(ctx, srv.URL+"/credentials", cred))
}

func TestPullListFollowsLinks(t *testing.T) {
	var mu sync.Mutex
	var queries []string
	var srvURL string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		queries = append(queries, r.URL.RawQuery)
		mu.Unlock()
		switch r.URL.Path {
		case "/loop":
			w.Header().Set("Link", "<"+srvURL+"/loop>; rel=\"next\"")
			envelope(w, http.StatusOK, 1000, []int{1})
			return
		case "/notlist":
			envelope(w, http.StatusOK, 1000, map[string]int{"a": 1})
			return
		}
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		items := []int{}
		for i := offset; i < min(offset+3, 8); i++ {
			items = append(items, i)
		}
		if offset+3 < 8 {
			// The server caps pages at 3 and adds a parameter of its own: the link is followed as is.
			w.Header().Set("Link", fmt.Sprintf("<%s/list?offset=%d&limit=3&srv=x>; rel=\"next\"", srvURL, offset+3))
		}
		envelope(w, http.StatusOK, 1000, items)
	}))
	defer srv.Close()
	srvURL = srv.URL
	c := newClient(client.Config{MaxPages: 5})
	ctx := context.Background()
	from := time.Date(2025, 1, 14, 8, 0, 0, 0, time.UTC)
	var all []string
	err := c.PullList(ctx, roaming.PullRequest{URL: srv.URL + "/list", DateFrom: &from, Limit: 100,
		Cred: roaming.Credential{Token: "t", Encoding: roaming.EncodingBase64}}, func(page []json.RawMessage) error {
		for _, raw := range page {
			all = append(all, string(raw))
		}
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, []string{"0", "1", "2", "3", "4", "5", "6", "7"}, all)
	mu.Lock()
	require.Equal(t, "date_from=2025-01-14T08%3A00%3A00Z&limit=100", queries[0])
	require.Equal(t, "offset=3&limit=3&srv=x", queries[1])
	mu.Unlock()

	cred := roaming.Credential{Token: "t", Encoding: roaming.EncodingBase64}
	nop := func([]json.RawMessage) error { return nil }
	require.ErrorContains(t, c.PullList(ctx, roaming.PullRequest{URL: srv.URL + "/loop", Cred: cred}, nop), "repeats a page")
	require.ErrorContains(t, c.PullList(ctx, roaming.PullRequest{URL: srv.URL + "/notlist", Cred: cred}, nop), "not a list")
	stop := errors.New("stop")
	require.ErrorIs(t, c.PullList(ctx, roaming.PullRequest{URL: srv.URL + "/list", Cred: cred}, func([]json.RawMessage) error { return stop }), stop)
	small := newClient(client.Config{MaxPages: 2})
	require.ErrorContains(t, small.PullList(ctx, roaming.PullRequest{URL: srv.URL + "/list", Cred: cred}, nop), "more than 2 pages")
	require.ErrorContains(t, c.PullList(ctx, roaming.PullRequest{URL: "::bad", Cred: cred}, nop), "bad URL")
}
