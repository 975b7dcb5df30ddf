package client_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/client"
	"github.com/chargehub/hub/roaming"
)

func TestAuthorizeToken(t *testing.T) {
	var mu sync.Mutex
	var body []byte
	var hdr http.Header
	var query string
	tok := ocpi.Token{CountryCode: "NL", PartyID: "EMP", UID: "04AB12CD", Type: ocpi.TokenTypeRFID, ContractID: "NL-EMP-C1",
		Issuer: "EMP", Valid: true, Whitelist: ocpi.WhitelistTypeNever, LastUpdated: ocpi.NewDateTime(time.Now())}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		body, hdr, query = b, r.Header.Clone(), r.URL.RawQuery
		mu.Unlock()
		switch r.URL.Path {
		case "/tokens/04AB12CD/authorize":
			envelope(w, http.StatusOK, 1000, ocpi.AuthorizationInfo{Allowed: ocpi.AllowedTypeNotAllowed, Token: tok, AuthorizationReference: "AR-1"})
		case "/tokens/GONE/authorize":
			w.WriteHeader(http.StatusNotFound)
		case "/tokens/UNKNOWN/authorize":
			envelope(w, http.StatusOK, ocpi.StatusCodeUnknownToken, nil)
		case "/tokens/BROKEN/authorize":
			envelope(w, http.StatusInternalServerError, 3000, nil)
		case "/tokens/SLOW/authorize":
			time.Sleep(500 * time.Millisecond)
			envelope(w, http.StatusOK, 1000, nil)
		}
	}))
	defer srv.Close()
	cl := newClient(client.Config{})
	ctx := context.Background()
	req := roaming.AuthorizeRequest{URL: srv.URL + "/tokens/04AB12CD/authorize?type=RFID", Cred: roaming.Credential{Token: "tok"},
		From: roaming.Party{CountryCode: "IN", PartyID: "HUB"}, To: roaming.Party{CountryCode: "NL", PartyID: "EMP"},
		Location: &ocpi.LocationReferences{LocationID: "LOC-1", EvseUIDs: []string{"CP-1-1"}}}
	info, err := cl.AuthorizeToken(ctx, req)
	require.NoError(t, err)
	require.Equal(t, ocpi.AllowedTypeNotAllowed, info.Allowed)
	require.Equal(t, "AR-1", info.AuthorizationReference)
	mu.Lock()
	require.JSONEq(t, `{"location_id":"LOC-1","evse_uids":["CP-1-1"]}`, string(body))
	require.Equal(t, "type=RFID", query)
	require.Equal(t, "NL", hdr.Get(client.HeaderToCountryCode))
	require.Equal(t, "HUB", hdr.Get(client.HeaderFromPartyID))
	mu.Unlock()

	req.Location = nil
	for _, uid := range []string{"GONE", "UNKNOWN"} {
		req.URL = srv.URL + "/tokens/" + uid + "/authorize"
		_, err = cl.AuthorizeToken(ctx, req)
		require.ErrorIs(t, err, roaming.ErrUnknownToken, uid)
	}
	mu.Lock()
	require.Empty(t, body, "no LocationReferences, no body")
	mu.Unlock()
	req.URL = srv.URL + "/tokens/BROKEN/authorize"
	_, err = cl.AuthorizeToken(ctx, req)
	require.Error(t, err)
	require.False(t, errors.Is(err, roaming.ErrUnknownToken))

	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	req.URL = srv.URL + "/tokens/SLOW/authorize"
	start := time.Now()
	_, err = cl.AuthorizeToken(short, req)
	require.Error(t, err)
	require.Less(t, time.Since(start), 400*time.Millisecond, "the caller's deadline bounds the call")
	var ce *client.Error
	require.True(t, errors.As(err, &ce))
}
