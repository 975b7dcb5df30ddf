package bridge_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/bridge"
	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
)

// pubClock is a settable test clock.
type pubClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *pubClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *pubClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func pubQuiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

// pubFixture is a hub's charging and roaming services on one database, joined by the Publisher,
// with one registered eMSP (NL*EMP, Receiver of locations, sessions and CDRs) and a location
// LOC-1 grouping station CP-1 (connector defaults: Type 2 socket, 230 V, 32 A, tariff T1).
type pubFixture struct {
	db      *store.DB
	clk     *pubClock
	roam    *roaming.Service
	svc     *charging.Service
	pub     *bridge.Publisher
	partner roaming.Partner
	seen    int // outbox items news has returned
}

var pubEMSP = roaming.Party{CountryCode: "NL", PartyID: "EMP"}

func newPubFixture(t *testing.T, dbURL string) *pubFixture {
	t.Helper()
	ctx := context.Background()
	f := &pubFixture{clk: &pubClock{t: time.Date(2025, 1, 14, 8, 0, 0, 0, time.UTC)}}
	db, err := store.Open(ctx, dbURL, store.Options{Clock: f.clk, Logger: pubQuiet()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	f.db = db
	f.roam = roaming.NewService(roaming.Deps{Store: db.Roaming(), Clock: f.clk, Stations: db, Log: pubQuiet()},
		roaming.Config{PublicURL: "https://hub.example.com", Party: roaming.Party{CountryCode: "IN", PartyID: "HUB"}})
	f.svc = charging.NewService(db, f.clk, pubQuiet(), charging.Config{})
	f.pub, err = bridge.NewPublisher(bridge.PublisherDeps{Roaming: f.roam, Log: pubQuiet()}, bridge.PublisherConfig{Currency: "INR"})
	require.NoError(t, err)
	f.roam.SetEVSEBuilder(f.pub)
	f.svc.SetPublisher(f.pub)

	ep := func(m ocpi.ModuleID) roaming.Endpoint {
		return roaming.Endpoint{Module: m, Role: ocpi.InterfaceRoleReceiver, URL: "https://emsp.example.com/" + string(m)}
	}
	f.partner = roaming.Partner{Name: "eMSP", Role: ocpi.RoleEMSP, Party: pubEMSP, Status: roaming.PartnerRegistered,
		Version: ocpi.VersionNumber221, Endpoints: []roaming.Endpoint{ep(ocpi.ModuleIDLocations), ep(ocpi.ModuleIDSessions),
			ep(ocpi.ModuleIDCdrs)}, OutboundToken: "t"}
	require.NoError(t, db.Roaming().CreatePartner(ctx, &f.partner))

	_, err = f.svc.RegisterStation(ctx, "CP-1", nil, 0)
	require.NoError(t, err)
	require.NoError(t, f.roam.PutTariff(ctx, ocpi.Tariff{ID: "T1", Currency: "EUR", Elements: []ocpi.TariffElement{{
		PriceComponents: []ocpi.PriceComponent{{Type: ocpi.TariffDimensionEnergy, Price: ocpi.MustDecimal("0.30"), StepSize: 1}}}}}))
	_, err = f.roam.CreateLocation(ctx, roaming.LocationInput{Location: pubLocation(), StationIDs: []string{"CP-1"},
		Connectors: map[string]roaming.ConnectorDefaults{"*": {Standard: ocpi.ConnectorIEC62196T2, Format: ocpi.ConnectorFormatSocket,
			PowerType: ocpi.PowerTypeAC3Phase, MaxVoltage: 230, MaxAmperage: 32, TariffIDs: []string{"T1"}}}})
	require.NoError(t, err)
	return f
}

func pubLocation() ocpi.Location {
	return ocpi.Location{ID: "LOC-1", Publish: true, Name: "Mall", Address: "12 MG Road", City: "Bengaluru", Country: "IND",
		Coordinates: ocpi.GeoLocation{Latitude: "12.975600", Longitude: "77.606500"}, TimeZone: "Asia/Kolkata"}
}

// outbox returns the partner's outbox items in id order.
func (f *pubFixture) outbox(t *testing.T) []roaming.OutboxItem {
	t.Helper()
	items, _, err := f.roam.ListOutbox(context.Background(), roaming.OutboxFilter{PartnerID: f.partner.ID})
	require.NoError(t, err)
	slices.SortFunc(items, func(a, b roaming.OutboxItem) int { return int(a.ID - b.ID) })
	return items
}

// pubSince returns the items after the first n.
func pubSince(items []roaming.OutboxItem, n int) []roaming.OutboxItem {
	return items[min(n, len(items)):]
}

// news returns the outbox items added since the previous call.
func (f *pubFixture) news(t *testing.T) []roaming.OutboxItem {
	t.Helper()
	all := f.outbox(t)
	out := pubSince(all, f.seen)
	f.seen = len(all)
	return out
}

// status reports a connector status of CP-1 one second later than the previous change.
func (f *pubFixture) status(t *testing.T, evse int, s charging.ConnectorStatus) {
	t.Helper()
	f.clk.Advance(time.Second)
	require.NoError(t, f.svc.StatusChanged(context.Background(), charging.Connector{StationID: "CP-1", EVSEID: evse,
		ConnectorID: min(evse, 1), Status: s, ErrorCode: "NoError", StatusAt: f.clk.Now()}))
}

// preparing readies CP-1 for a session of the eMSP's token 04AB12CD: the token pushed, the
// station connected (OCPP 1.6), connector 1 Preparing.
func (f *pubFixture) preparing(t *testing.T) {
	t.Helper()
	f.pushToken(t, "04AB12CD", ocpi.WhitelistTypeAllowed)
	f.svc.Connected(context.Background(), "CP-1", charging.OCPP16, f.clk.Now())
	f.status(t, 1, charging.StatusPreparing)
}

// location returns the stored LOC-1.
func (f *pubFixture) location(t *testing.T) roaming.Location {
	t.Helper()
	l, err := f.roam.GetLocation(context.Background(), "LOC-1")
	require.NoError(t, err)
	return l
}

// body decodes an outbox item's body.
func pubBody[T any](t *testing.T, it roaming.OutboxItem) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(it.Body, &v), "%s", it.Body)
	return v
}

// energySample is an Energy.Active.Import.Register reading in Wh.
func pubEnergy(at time.Time, wh string, context string) charging.RawSample {
	return charging.RawSample{Timestamp: at, Value: wh, Unit: "Wh", Measurand: "Energy.Active.Import.Register", Context: context}
}
