package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/client"
	"github.com/chargehub/hub/ocpi/ocpitest"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store/storetest"
)

// env is a hub and an eMSP that registered with it through `hub partners add`'s token A.
type env struct {
	hub     *ocpitest.Hub
	emsp    *ocpitest.EMSP
	partner roaming.Partner
	schema  *ocpitest.Schema
}

// registered starts a hub on dbURL and an eMSP NL*EMP that registers with it.
func registered(t *testing.T, dbURL string, o ocpitest.HubOptions) *env {
	t.Helper()
	schema := ocpitest.LoadSchema(t)
	hub := ocpitest.NewHub(t, dbURL, o)
	emsp := ocpitest.NewEMSP(t, schema, "NL", "EMP")
	p, tokenA, err := hub.Svc.CreatePartner(context.Background(), roaming.NewPartner{Name: "Example eMSP", Role: ocpi.RoleEMSP,
		Party: roaming.Party{CountryCode: "NL", PartyID: "EMP"}})
	require.NoError(t, err)
	require.NoError(t, emsp.Register(hub.VersionsURL(), tokenA))
	p, err = hub.Svc.GetPartner(context.Background(), p.ID)
	require.NoError(t, err)
	return &env{hub: hub, emsp: emsp, partner: p, schema: schema}
}

// modURL is a hub module URL.
func (e *env) modURL(path string) string { return e.hub.URL + roaming.ModulesPath + path }

func TestHandshakePartnerRegistersWithTokenA(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		schema := ocpitest.LoadSchema(t)
		hub := ocpitest.NewHub(t, dbURL, ocpitest.HubOptions{})
		emsp := ocpitest.NewEMSP(t, schema, "NL", "EMP")
		p, tokenA, err := hub.Svc.CreatePartner(ctx, roaming.NewPartner{Name: "Example eMSP", Role: ocpi.RoleEMSP,
			Party: roaming.Party{CountryCode: "NL", PartyID: "EMP"}})
		require.NoError(t, err)
		require.Equal(t, roaming.PartnerPending, p.Status)
		authA := client.AuthorizationValue(tokenA, roaming.EncodingBase64)

		// Token A opens versions, details and credentials only.
		st, body, _ := emsp.CallWith(http.MethodGet, hub.VersionsURL(), authA, nil, nil)
		require.Equal(t, http.StatusOK, st, "%s", body)
		require.NoError(t, schema.ValidateEnvelope(body, "Version[]"))
		st, body, _ = emsp.CallWith(http.MethodGet, hub.URL+roaming.DetailsPath, "Token "+tokenA, nil, nil) // raw form too
		require.Equal(t, http.StatusOK, st, "%s", body)
		require.NoError(t, schema.ValidateEnvelope(body, "VersionDetails"))
		var details ocpi.Response[ocpi.VersionDetails]
		require.NoError(t, json.Unmarshal(body, &details))
		roles := map[ocpi.ModuleID]ocpi.InterfaceRole{}
		for _, ep := range details.Data.Endpoints {
			roles[ep.Identifier] = ep.Role
		}
		require.Equal(t, map[ocpi.ModuleID]ocpi.InterfaceRole{ocpi.ModuleIDCredentials: ocpi.InterfaceRoleSender,
			ocpi.ModuleIDLocations: ocpi.InterfaceRoleSender, ocpi.ModuleIDSessions: ocpi.InterfaceRoleSender,
			ocpi.ModuleIDCdrs: ocpi.InterfaceRoleSender, ocpi.ModuleIDTariffs: ocpi.InterfaceRoleSender,
			ocpi.ModuleIDTokens: ocpi.InterfaceRoleReceiver, ocpi.ModuleIDCommands: ocpi.InterfaceRoleReceiver,
			ocpi.ModuleIDChargingProfiles: ocpi.InterfaceRoleReceiver, ocpi.ModuleIDHubClientInfo: ocpi.InterfaceRoleReceiver}, roles)
		st, body, _ = emsp.CallWith(http.MethodGet, hub.URL+roaming.ModulesPath+"/locations", authA, nil, nil)
		require.Equal(t, http.StatusUnauthorized, st, "%s", body)
		// PUT and DELETE of credentials before registering: 405.
		for _, m := range []string{http.MethodPut, http.MethodDelete} {
			st, body, _ = emsp.CallWith(m, hub.URL+roaming.CredentialsPath, authA, nil, []byte(`{}`))
			require.Equal(t, http.StatusMethodNotAllowed, st, "%s %s", m, body)
		}

		require.NoError(t, emsp.Register(hub.VersionsURL(), tokenA))
		p, err = hub.Svc.GetPartner(ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, roaming.PartnerRegistered, p.Status)
		require.Equal(t, ocpi.VersionNumber221, p.Version)
		require.Equal(t, emsp.VersionsURL(), p.VersionsURL)
		require.True(t, emsp.HasInbound(p.OutboundToken), "the hub calls the eMSP with its token B")
		require.Equal(t, roaming.EncodingBase64, p.TokenEncoding)
		_, ok := p.Endpoint(ocpi.ModuleIDTokens, ocpi.InterfaceRoleSender)
		require.True(t, ok)
		require.Len(t, p.Endpoints, 7, "the custom module is ignored")

		// Token A is void; token C works everywhere.
		st, _, _ = emsp.CallWith(http.MethodGet, hub.VersionsURL(), authA, nil, nil)
		require.Equal(t, http.StatusUnauthorized, st)
		st, body, _ = emsp.Call(http.MethodGet, hub.URL+roaming.CredentialsPath, nil, "Credentials")
		require.Equal(t, http.StatusOK, st)
		var cred ocpi.Response[ocpi.Credentials]
		require.NoError(t, json.Unmarshal(body, &cred))
		require.Equal(t, emsp.HubToken(), cred.Data.Token, "GET returns the caller's own token")
		require.Equal(t, "IN", cred.Data.Roles[0].CountryCode)
		st, _, _ = emsp.Call(http.MethodGet, hub.URL+roaming.ModulesPath+"/locations", nil, "Location[]")
		require.Equal(t, http.StatusOK, st)

		// Registering again: 405 with an OCPI body.
		st, body, _ = emsp.Call(http.MethodPost, hub.URL+roaming.CredentialsPath, ocpi.Credentials{Token: "x", URL: emsp.VersionsURL(),
			Roles: []ocpi.CredentialsRole{{Role: ocpi.RoleEMSP, PartyID: "EMP", CountryCode: "NL", BusinessDetails: ocpi.BusinessDetails{Name: "x"}}}}, "")
		require.Equal(t, http.StatusMethodNotAllowed, st, "%s", body)
		require.Contains(t, string(body), `"status_code":2000`)
	})
}

func TestHandshakeHubRegistersWithPeer(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		schema := ocpitest.LoadSchema(t)
		hub := ocpitest.NewHub(t, dbURL, ocpitest.HubOptions{})
		emsp := ocpitest.NewEMSP(t, schema, "DE", "ABC")
		emsp.SetRawOnly(true) // a peer that only takes raw tokens: the hub falls back and remembers

		p, err := hub.Svc.RegisterWithPeer(ctx, emsp.VersionsURL(), emsp.IssueTokenA(), roaming.RegisterOptions{})
		require.NoError(t, err)
		require.Equal(t, roaming.PartnerRegistered, p.Status)
		require.Equal(t, "eMSP DE*ABC", p.Name)
		require.Equal(t, ocpi.RoleEMSP, p.Role)
		require.Equal(t, roaming.Party{CountryCode: "DE", PartyID: "ABC"}, p.Party)
		require.Equal(t, roaming.EncodingRaw, p.TokenEncoding)
		require.True(t, emsp.HasInbound(p.OutboundToken), "the hub keeps the peer's token C")
		require.NotEmpty(t, emsp.HubToken(), "the peer keeps our token B")

		// The peer calls us with B.
		st, body, _ := emsp.Call(http.MethodGet, hub.URL+roaming.ModulesPath+"/tariffs", nil, "Tariff[]")
		require.Equal(t, http.StatusOK, st, "%s", body)

		// A failed registration keeps nothing: a wrong token A.
		_, err = hub.Svc.RegisterWithPeer(ctx, emsp.VersionsURL(), "wrong", roaming.RegisterOptions{})
		require.Error(t, err)
		list, _, err := hub.Svc.ListPartners(ctx, roaming.PartnerFilter{})
		require.NoError(t, err)
		require.Len(t, list, 1)
	})
}

func TestRotationAndUnregisterBothWays(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		e := registered(t, dbURL, ocpitest.HubOptions{})
		locations := e.modURL("/locations")

		// The eMSP rotates: its old token (our C) stops working, the new one works; the hub
		// calls it with the new token it handed over.
		old := e.emsp.TokenHeader()
		require.NoError(t, e.emsp.Rotate())
		require.NotEqual(t, old, e.emsp.TokenHeader())
		st, _, _ := e.emsp.CallWith(http.MethodGet, locations, old, nil, nil)
		require.Equal(t, http.StatusUnauthorized, st)
		st, _, _ = e.emsp.Call(http.MethodGet, locations, nil, "Location[]")
		require.Equal(t, http.StatusOK, st)
		p, err := e.hub.Svc.GetPartner(ctx, e.partner.ID)
		require.NoError(t, err)
		require.NotEqual(t, e.partner.OutboundToken, p.OutboundToken)
		require.True(t, e.emsp.HasInbound(p.OutboundToken))

		// The hub rotates: the eMSP gets a new token B for us and gives a new C.
		before := e.emsp.TokenHeader()
		p2, err := e.hub.Svc.RotateCredentials(ctx, e.partner.ID)
		require.NoError(t, err)
		require.NotEqual(t, p.OutboundToken, p2.OutboundToken)
		require.True(t, e.emsp.HasInbound(p2.OutboundToken))
		require.False(t, e.emsp.HasInbound(p.OutboundToken))
		require.NotEqual(t, before, e.emsp.TokenHeader())
		st, _, _ = e.emsp.CallWith(http.MethodGet, locations, before, nil, nil)
		require.Equal(t, http.StatusUnauthorized, st, "the token we gave before is void")
		st, _, _ = e.emsp.Call(http.MethodGet, locations, nil, "Location[]")
		require.Equal(t, http.StatusOK, st)

		// The eMSP unregisters: its token is void, the partner is UNREGISTERED.
		require.NoError(t, e.emsp.Unregister())
		st, _, _ = e.emsp.Call(http.MethodGet, locations, nil, "")
		require.Equal(t, http.StatusUnauthorized, st)
		p, err = e.hub.Svc.GetPartner(ctx, e.partner.ID)
		require.NoError(t, err)
		require.Equal(t, roaming.PartnerUnregistered, p.Status)
		require.Empty(t, p.OutboundToken)

		// The hub unregisters from a partner it registered with.
		emsp2 := ocpitest.NewEMSP(t, e.schema, "DE", "ABC")
		p3, err := e.hub.Svc.RegisterWithPeer(ctx, emsp2.VersionsURL(), emsp2.IssueTokenA(), roaming.RegisterOptions{Name: "Second"})
		require.NoError(t, err)
		require.Equal(t, "Second", p3.Name)
		tok := p3.OutboundToken
		p3, err = e.hub.Svc.Unregister(ctx, p3.ID)
		require.NoError(t, err)
		require.Equal(t, roaming.PartnerUnregistered, p3.Status)
		require.False(t, emsp2.HasInbound(tok))
		st, _, _ = emsp2.Call(http.MethodGet, locations, nil, "")
		require.Equal(t, http.StatusUnauthorized, st)
		_, err = e.hub.Svc.Unregister(ctx, p3.ID)
		require.ErrorIs(t, err, roaming.ErrNotRegistered)
		require.True(t, strings.Contains(err.Error(), "not registered"))
	})
}
