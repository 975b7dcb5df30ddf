package roaming_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
	"github.com/chargehub/hub/store/storetest"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// peer is a fake roaming.Peer: versions and details as configured, credentials echoed back.
type peer struct {
	versions   []ocpi.Version
	details    ocpi.VersionDetails
	versionErr error
	posted     []ocpi.Credentials
}

func (p *peer) Versions(context.Context, string, roaming.Credential) ([]ocpi.Version, roaming.TokenEncoding, error) {
	return p.versions, roaming.EncodingBase64, p.versionErr
}
func (p *peer) VersionDetails(context.Context, string, roaming.Credential) (ocpi.VersionDetails, error) {
	return p.details, nil
}
func (p *peer) PostCredentials(_ context.Context, _ string, _ roaming.Credential, c ocpi.Credentials) (ocpi.Credentials, error) {
	p.posted = append(p.posted, c)
	return ocpi.Credentials{Token: "their-C", URL: "https://peer/versions", Roles: []ocpi.CredentialsRole{{Role: ocpi.RoleHub,
		CountryCode: "EU", PartyID: "HUB", BusinessDetails: ocpi.BusinessDetails{Name: "Roaming hub"}}}}, nil
}
func (p *peer) PutCredentials(ctx context.Context, u string, c roaming.Credential, b ocpi.Credentials) (ocpi.Credentials, error) {
	return p.PostCredentials(ctx, u, c, b)
}
func (p *peer) DeleteCredentials(context.Context, string, roaming.Credential) error { return nil }
func (p *peer) PullList(context.Context, roaming.PullRequest, func([]json.RawMessage) error) error {
	return errors.New("not here")
}

// hubPeer answers like a roaming hub with Receiver interfaces.
func hubPeer() *peer {
	ep := func(m ocpi.ModuleID, r ocpi.InterfaceRole) ocpi.Endpoint {
		return ocpi.Endpoint{Identifier: m, Role: r, URL: "https://peer/" + string(m)}
	}
	return &peer{versions: []ocpi.Version{{Version: "2.1.1", URL: "https://peer/2.1.1"}, {Version: ocpi.VersionNumber221, URL: "https://peer/2.2.1"}},
		details: ocpi.VersionDetails{Version: ocpi.VersionNumber221, Endpoints: []ocpi.Endpoint{ep(ocpi.ModuleIDCredentials, ocpi.InterfaceRoleSender),
			ep(ocpi.ModuleIDLocations, ocpi.InterfaceRoleReceiver), ep(ocpi.ModuleIDSessions, ocpi.InterfaceRoleReceiver),
			ep(ocpi.ModuleIDTariffs, ocpi.InterfaceRoleReceiver)}}}
}

func newService(t *testing.T, dbURL string, p roaming.Peer, c *clock) (*roaming.Service, *store.DB) {
	t.Helper()
	db, err := store.Open(context.Background(), dbURL, store.Options{Clock: c})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	svc := roaming.NewService(roaming.Deps{Store: db.Roaming(), Peer: p, Clock: c, Stations: db, Log: quiet()},
		roaming.Config{PublicURL: "https://hub.example.com/", Party: roaming.Party{CountryCode: "in", PartyID: "hub"},
			PushOnRegister: true, CommandTimeout: time.Minute})
	return svc, db
}

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

func code(err error) charging.Code { return charging.ErrorCode(err) }

func TestPartnerRules(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		svc, _ := newService(t, dbURL, hubPeer(), &clock{t: time.Date(2025, 1, 14, 8, 0, 0, 0, time.UTC)})
		require.Equal(t, "https://hub.example.com/ocpi/versions", svc.VersionsURL())
		for _, np := range []roaming.NewPartner{{Role: ocpi.RoleEMSP}, {Name: "x", Role: "PIRATE"}, {Name: "x", Role: ocpi.RoleCPO},
			{Name: "x", Role: ocpi.RoleEMSP, Party: roaming.Party{CountryCode: "NLD", PartyID: "E"}}, {Name: "x", Role: ocpi.RoleEMSP, MaxPageSize: -1}} {
			_, _, err := svc.CreatePartner(ctx, np)
			require.Equal(t, charging.CodeInvalid, code(err), "%+v", np)
		}
		p, tokenA, err := svc.CreatePartner(ctx, roaming.NewPartner{Name: "e", Role: "emsp", Party: roaming.Party{CountryCode: "nl", PartyID: "emp"}})
		require.NoError(t, err)
		require.Equal(t, ocpi.RoleEMSP, p.Role)
		require.Equal(t, "NL", p.Party.CountryCode)
		got, kind, err := svc.Authenticate(ctx, tokenA)
		require.NoError(t, err)
		require.Equal(t, p.ID, got.ID)
		require.Equal(t, roaming.TokenRegistration, kind)
		_, _, err = svc.Authenticate(ctx, "nope")
		require.Equal(t, charging.CodeUnauthorized, code(err))
		_, _, err = svc.Authenticate(ctx, "")
		require.Equal(t, charging.CodeUnauthorized, code(err))

		// Registration answers: roles must include the party the token was issued for.
		body := ocpi.Credentials{Token: "B", URL: "https://peer/versions", Roles: []ocpi.CredentialsRole{{Role: ocpi.RoleEMSP,
			CountryCode: "DE", PartyID: "XYZ", BusinessDetails: ocpi.BusinessDetails{Name: "x"}}}}
		_, err = svc.AcceptRegistration(ctx, p, kind, body)
		require.Equal(t, charging.CodeInvalid, code(err))
		_, err = svc.SuspendPartner(ctx, p.ID)
		require.Equal(t, charging.CodeConflict, code(err), "only a registered partner can be suspended")
	})
}

func TestRegistrationStatusCodes(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		fake := hubPeer()
		svc, _ := newService(t, dbURL, fake, &clock{t: time.Date(2025, 1, 14, 8, 0, 0, 0, time.UTC)})
		p, _, err := svc.CreatePartner(ctx, roaming.NewPartner{Name: "hub", Role: ocpi.RoleHub})
		require.NoError(t, err)
		body := ocpi.Credentials{Token: "B", URL: "https://peer/versions", Roles: []ocpi.CredentialsRole{{Role: ocpi.RoleHub,
			CountryCode: "EU", PartyID: "HUB", BusinessDetails: ocpi.BusinessDetails{Name: "x"}}}}
		status := func(err error) int {
			var se *ocpi.StatusError
			require.True(t, errors.As(err, &se), "%v", err)
			return se.Code
		}
		fake.versionErr = errors.New("connection refused")
		_, err = svc.AcceptRegistration(ctx, p, roaming.TokenRegistration, body)
		require.Equal(t, 3001, status(err))
		fake.versionErr = nil
		fake.versions = fake.versions[:1]
		_, err = svc.AcceptRegistration(ctx, p, roaming.TokenRegistration, body)
		require.Equal(t, 3002, status(err))
		fake.versions = hubPeer().versions
		fake.details.Endpoints = fake.details.Endpoints[1:]
		_, err = svc.AcceptRegistration(ctx, p, roaming.TokenRegistration, body)
		require.Equal(t, 3003, status(err))
		fake.details = hubPeer().details

		creds, err := svc.AcceptRegistration(ctx, p, roaming.TokenRegistration, body)
		require.NoError(t, err)
		require.Equal(t, "IN", creds.Roles[0].CountryCode)
		require.Len(t, creds.Token, 43)
		_, err = svc.AcceptRegistration(ctx, p, roaming.TokenRegistration, body)
		require.ErrorIs(t, err, roaming.ErrAlreadyRegistered)
		p, err = svc.GetPartner(ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, roaming.Party{CountryCode: "EU", PartyID: "HUB"}, p.Party, "learnt from the credentials")
		_, err = svc.UpdateCredentials(ctx, p, roaming.TokenRegistration, body)
		require.ErrorIs(t, err, roaming.ErrNotRegistered, "token A cannot update")
	})
}

// TestPushesThroughAHub: a hub gets broadcast locations (to = the hub) and the sessions of the
// parties it announced as connected (to = the token owner).
func TestPushesThroughAHub(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		c := &clock{t: time.Date(2025, 1, 14, 8, 0, 0, 0, time.UTC)}
		svc, db := newService(t, dbURL, hubPeer(), c)
		require.NoError(t, db.CreateStation(ctx, charging.Station{ID: "CP-1"}))
		p, err := svc.RegisterWithPeer(ctx, "https://peer/versions", "their-A", roaming.RegisterOptions{})
		require.NoError(t, err)
		require.Equal(t, ocpi.RoleHub, p.Role)
		require.Equal(t, "Roaming hub", p.Name)

		loc := ocpi.Location{ID: "L1", Publish: true, Address: "a", City: "b", Country: "IND", TimeZone: "Asia/Kolkata",
			Coordinates: ocpi.GeoLocation{Latitude: "12.975600", Longitude: "77.606500"}}
		_, err = svc.CreateLocation(ctx, roaming.LocationInput{Location: loc, StationIDs: []string{"CP-1", "CP-1", " "}})
		require.NoError(t, err)
		_, err = svc.CreateLocation(ctx, roaming.LocationInput{Location: loc})
		require.Equal(t, charging.CodeConflict, code(err))
		loc.ID, loc.CountryCode, loc.PartyID = "L2", "DE", "ABC"
		_, err = svc.CreateLocation(ctx, roaming.LocationInput{Location: loc})
		require.Equal(t, charging.CodeInvalid, code(err))
		loc.CountryCode, loc.PartyID = "", ""
		_, err = svc.CreateLocation(ctx, roaming.LocationInput{Location: loc, StationIDs: []string{"CP-9"}})
		require.Equal(t, charging.CodeInvalid, code(err))
		private := loc
		private.Publish = false
		_, err = svc.CreateLocation(ctx, roaming.LocationInput{Location: private})
		require.NoError(t, err)
		_, err = svc.PublishedLocation(ctx, "L2")
		require.Equal(t, charging.CodeNotFound, code(err), "a private location is not served")

		sess := ocpi.Session{ID: "S1", StartDateTime: ocpi.NewDateTime(c.Now()), KWh: ocpi.DecimalFromInt(0),
			CdrToken:   ocpi.CdrToken{CountryCode: "NL", PartyID: "EMP", UID: "U", Type: ocpi.TokenTypeRFID, ContractID: "C"},
			AuthMethod: ocpi.AuthMethodWhitelist, LocationID: "L1", EvseUID: "#NA", ConnectorID: "#NA", Currency: "EUR",
			Status: ocpi.SessionStatusActive}
		require.NoError(t, svc.PutSession(ctx, sess))
		_, err = svc.ReceiveClientInfo(ctx, p, roaming.Party{CountryCode: "NL", PartyID: "EMP"}, ocpi.ClientInfo{PartyID: "emp",
			CountryCode: "nl", Role: ocpi.RoleEMSP, Status: ocpi.ConnectionStatusConnected, LastUpdated: ocpi.NewDateTime(c.Now())})
		require.NoError(t, err)
		require.NoError(t, svc.PatchSession(ctx, "S1", ocpi.SessionPatch{KWh: new(ocpi.DecimalFromInt(2))}))

		items, _, err := svc.ListOutbox(ctx, roaming.OutboxFilter{PartnerID: p.ID})
		require.NoError(t, err)
		require.Len(t, items, 2, "the location broadcast and the session PATCH (the PUT came before the hub announced NL*EMP)")
		require.Equal(t, "sessions/S1", items[0].ObjectKey)
		require.Equal(t, roaming.Party{CountryCode: "NL", PartyID: "EMP"}, items[0].To)
		require.Equal(t, "locations/L1", items[1].ObjectKey)
		require.Equal(t, roaming.Party{CountryCode: "EU", PartyID: "HUB"}, items[1].To)
		require.Equal(t, "/IN/HUB/L1", items[1].Path)

		viewer, err := svc.Viewer(ctx, p, roaming.Party{})
		require.NoError(t, err)
		require.Len(t, viewer, 2, "the hub itself and the party it announced")
		list, _, err := svc.Sessions(ctx, viewer, roaming.ObjectFilter{})
		require.NoError(t, err)
		require.Len(t, list, 1)
	})
}

func TestCommandTimeouts(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		c := &clock{t: time.Date(2025, 1, 14, 8, 0, 0, 0, time.UTC)}
		db, err := store.Open(ctx, dbURL, store.Options{Clock: c})
		require.NoError(t, err)
		t.Cleanup(func() { _ = db.Close() })
		x := acceptAll{}
		svc := roaming.NewService(roaming.Deps{Store: db.Roaming(), Peer: hubPeer(), Clock: c, Commands: x, Profiles: x, Log: quiet()},
			roaming.Config{CommandTimeout: time.Minute})
		p, err := svc.RegisterWithPeer(ctx, "https://peer/versions", "A", roaming.RegisterOptions{})
		require.NoError(t, err)
		sess := ocpi.Session{ID: "S1", StartDateTime: ocpi.NewDateTime(c.Now()), KWh: ocpi.DecimalFromInt(0),
			CdrToken:   ocpi.CdrToken{CountryCode: "EU", PartyID: "HUB", UID: "U", Type: ocpi.TokenTypeRFID, ContractID: "C"},
			AuthMethod: ocpi.AuthMethodCommand, LocationID: "L1", EvseUID: "E1", ConnectorID: "1", Currency: "EUR", Status: ocpi.SessionStatusActive}
		require.NoError(t, svc.PutSession(ctx, sess))
		caller := roaming.Caller{Partner: p, CorrelationID: "corr"}
		a, err := svc.HandleCommand(ctx, caller, &ocpi.StopSession{ResponseURL: "https://peer/r/1", SessionID: "S1"})
		require.NoError(t, err)
		require.Equal(t, ocpi.CommandResponseAccepted, a.Response.Result)
		require.Equal(t, 60, a.Response.Timeout)
		r, err := svc.HandleChargingProfile(ctx, caller, roaming.ProfileRequest{Kind: roaming.KindGetChargingProfile, SessionID: "S1",
			Duration: 60, ResponseURL: "https://peer/r/2"})
		require.NoError(t, err)
		require.Equal(t, ocpi.ChargingProfileResponseAccepted, r.Result)

		n, err := svc.ExpireCommands(ctx)
		require.NoError(t, err)
		require.Zero(t, n)
		c.Advance(2 * time.Minute)
		n, err = svc.ExpireCommands(ctx)
		require.NoError(t, err)
		require.Equal(t, 2, n)
		items, _, err := svc.ListOutbox(ctx, roaming.OutboxFilter{PartnerID: p.ID})
		require.NoError(t, err)
		bodies := map[string]string{}
		for _, it := range items {
			if it.URL != "" { // the results, not the session push
				bodies[it.URL] = string(it.Body)
				require.Equal(t, "corr", it.CorrelationID, "results keep the command's correlation id")
			}
		}
		require.JSONEq(t, `{"result":"TIMEOUT"}`, bodies["https://peer/r/1"])
		require.JSONEq(t, `{"result":"REJECTED"}`, bodies["https://peer/r/2"])
	})
}

// acceptAll accepts every command and profile request.
type acceptAll struct{}

func (acceptAll) StartSession(context.Context, roaming.CommandRequest, ocpi.StartSession) (ocpi.CommandResponseType, error) {
	return ocpi.CommandResponseAccepted, nil
}
func (acceptAll) StopSession(context.Context, roaming.CommandRequest, ocpi.StopSession) (ocpi.CommandResponseType, error) {
	return ocpi.CommandResponseAccepted, nil
}
func (acceptAll) ReserveNow(context.Context, roaming.CommandRequest, ocpi.ReserveNow) (ocpi.CommandResponseType, error) {
	return ocpi.CommandResponseAccepted, nil
}
func (acceptAll) CancelReservation(context.Context, roaming.CommandRequest, ocpi.CancelReservation) (ocpi.CommandResponseType, error) {
	return ocpi.CommandResponseAccepted, nil
}
func (acceptAll) UnlockConnector(context.Context, roaming.CommandRequest, ocpi.UnlockConnector) (ocpi.CommandResponseType, error) {
	return ocpi.CommandResponseAccepted, nil
}
func (acceptAll) SetChargingProfile(context.Context, roaming.CommandRequest, ocpi.SetChargingProfile) (ocpi.ChargingProfileResponseType, error) {
	return ocpi.ChargingProfileResponseAccepted, nil
}
func (acceptAll) GetActiveChargingProfile(context.Context, roaming.CommandRequest, int) (ocpi.ChargingProfileResponseType, error) {
	return ocpi.ChargingProfileResponseAccepted, nil
}
func (acceptAll) ClearChargingProfile(context.Context, roaming.CommandRequest) (ocpi.ChargingProfileResponseType, error) {
	return ocpi.ChargingProfileResponseAccepted, nil
}
