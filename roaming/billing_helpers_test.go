package roaming_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/ocpitest"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/tariffs"
)

// billing is the hub's OCPI side on a database with a settable clock, no background outbox
// worker (drain delivers), and optionally one registered in-process eMSP NL*EMP.
type billing struct {
	hub     *ocpitest.Hub
	svc     *roaming.Service
	clk     *clock
	emsp    *ocpitest.EMSP
	partner roaming.Partner
}

var (
	emspParty = roaming.Party{CountryCode: "NL", PartyID: "EMP"}
	billStart = time.Date(2025, 1, 14, 8, 0, 0, 0, time.UTC)
)

func newBilling(t *testing.T, dbURL string, register bool) *billing {
	t.Helper()
	b := &billing{clk: &clock{t: billStart}}
	b.hub = ocpitest.NewHub(t, dbURL, ocpitest.HubOptions{Clock: b.clk, NoWorker: true})
	b.svc = b.hub.Svc
	if register {
		b.register(t)
	}
	return b
}

// register creates the partner NL*EMP and lets the in-process eMSP register with its token A.
func (b *billing) register(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	p, tokenA, err := b.svc.CreatePartner(ctx, roaming.NewPartner{Name: "eMSP NL*EMP", Role: ocpi.RoleEMSP, Party: emspParty})
	require.NoError(t, err)
	b.emsp = ocpitest.NewEMSP(t, ocpitest.LoadSchema(t), "NL", "EMP")
	require.NoError(t, b.emsp.Register(b.svc.VersionsURL(), tokenA))
	b.partner, err = b.svc.GetPartner(ctx, p.ID)
	require.NoError(t, err)
}

// drain delivers every due outbox item.
func (b *billing) drain(t *testing.T) {
	t.Helper()
	for range 100 {
		n, err := b.hub.Worker.RunOnce(context.Background())
		require.NoError(t, err)
		if n == 0 {
			return
		}
	}
	t.Fatal("the outbox does not drain")
}

// received returns the requests the eMSP got with that method below the module path.
func (b *billing) received(module, method string) []ocpitest.Received {
	var out []ocpitest.Received
	for _, r := range b.emsp.Received("/ocpi/emsp/2.2.1/" + module) {
		if r.Method == method {
			out = append(out, r)
		}
	}
	return out
}

// gst is 18 % GST.
var gst = ocpi.MustDecimal("18").Ptr()

// tariffINR is a tariff in rupees with 18 % GST: a 10 INR start fee, 18 INR/kWh and 60 INR per
// parking hour (billed per minute).
func tariffINR() ocpi.Tariff {
	return ocpi.Tariff{ID: "IN-AC", Currency: "INR", Type: ocpi.TariffTypeRegular, Elements: []ocpi.TariffElement{
		{PriceComponents: []ocpi.PriceComponent{{Type: ocpi.TariffDimensionFlat, Price: ocpi.MustDecimal("10"), VAT: gst}}},
		{PriceComponents: []ocpi.PriceComponent{{Type: ocpi.TariffDimensionEnergy, Price: ocpi.MustDecimal("18"), VAT: gst, StepSize: 1}}},
		{PriceComponents: []ocpi.PriceComponent{{Type: ocpi.TariffDimensionParkingTime, Price: ocpi.MustDecimal("60"), VAT: gst, StepSize: 60}}},
	}}
}

// tariffEUR is 0.30 EUR/kWh without VAT.
func tariffEUR(id, price string) ocpi.Tariff {
	return ocpi.Tariff{ID: id, Currency: "EUR", Elements: []ocpi.TariffElement{{PriceComponents: []ocpi.PriceComponent{
		{Type: ocpi.TariffDimensionEnergy, Price: ocpi.MustDecimal(price), StepSize: 1}}}}}
}

// knownCDR is a one-hour session at LOC-1 of a token of owner starting at start: half an hour
// charging kwh, half an hour parked, priced under t in Asia/Kolkata.
func knownCDR(t *testing.T, id string, owner roaming.Party, start time.Time, kwh string, tf ocpi.Tariff) ocpi.CDR {
	t.Helper()
	tz, err := time.LoadLocation("Asia/Kolkata")
	require.NoError(t, err)
	c := ocpi.CDR{ID: id, StartDateTime: ocpi.NewDateTime(start), EndDateTime: ocpi.NewDateTime(start.Add(time.Hour)),
		SessionID: "S-" + id, CdrToken: ocpi.CdrToken{CountryCode: owner.CountryCode, PartyID: owner.PartyID, UID: "04AB12CD",
			Type: ocpi.TokenTypeRFID, ContractID: "NL-EMP-C12345678-X"}, AuthMethod: ocpi.AuthMethodWhitelist,
		CdrLocation: ocpi.CdrLocation{ID: "LOC-1", Name: "Mall", Address: "12 MG Road", City: "Bengaluru", PostalCode: "560001",
			Country: "IND", Coordinates: ocpi.GeoLocation{Latitude: "12.975600", Longitude: "77.606500"}, EvseUID: "CP-1-1",
			EvseID: "IN*HUB*ECP1*1", ConnectorID: "1", ConnectorStandard: ocpi.ConnectorIEC62196T2,
			ConnectorFormat: ocpi.ConnectorFormatSocket, ConnectorPowerType: ocpi.PowerTypeAC3Phase},
		Currency: tf.Currency, Tariffs: []ocpi.Tariff{tf},
		ChargingPeriods: []ocpi.ChargingPeriod{
			{StartDateTime: ocpi.NewDateTime(start), TariffID: tf.ID, Dimensions: []ocpi.CdrDimension{
				{Type: ocpi.CdrDimensionEnergy, Volume: ocpi.MustDecimal(kwh)}, {Type: ocpi.CdrDimensionTime, Volume: ocpi.MustDecimal("0.5")}}},
			{StartDateTime: ocpi.NewDateTime(start.Add(30 * time.Minute)), TariffID: tf.ID, Dimensions: []ocpi.CdrDimension{
				{Type: ocpi.CdrDimensionParkingTime, Volume: ocpi.MustDecimal("0.5")}}},
		},
		TotalEnergy: ocpi.MustDecimal(kwh), TotalTime: ocpi.MustDecimal("1"), TotalParkingTime: ocpi.MustDecimal("0.5").Ptr(),
	}
	if tf.LastUpdated.IsZero() {
		c.Tariffs[0].CountryCode, c.Tariffs[0].PartyID, c.Tariffs[0].LastUpdated = "IN", "HUB", ocpi.NewDateTime(billStart)
	}
	priced, err := tariffs.PriceCDR(tf, c, tz)
	require.NoError(t, err)
	return priced
}

// issue stores and pushes a CDR at the clock's time.
func (b *billing) issue(t *testing.T, c ocpi.CDR) ocpi.CDR {
	t.Helper()
	require.NoError(t, b.svc.PostCDR(context.Background(), c))
	got, err := b.hub.Store.GetCDR(context.Background(), c.ID)
	require.NoError(t, err)
	return got
}

// cdrBodies returns every stored CDR body by id.
func (b *billing) cdrBodies(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := b.svc.EachCDRPage(context.Background(), roaming.CDRQuery{}, func(page []roaming.IssuedCDR) error {
		for _, ic := range page {
			out[ic.CDR.ID] = string(ic.Body)
		}
		return nil
	})
	require.NoError(t, err)
	return out
}

// decode unmarshals a request body.
func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(body, &v), "%s", body)
	return v
}

// hubTariffsURL is the hub's Tariffs Sender as the eMSP discovered it.
func (b *billing) hubTariffsURL(t *testing.T) string {
	t.Helper()
	u, err := b.emsp.HubURL(ocpi.ModuleIDTariffs, ocpi.InterfaceRoleSender)
	require.NoError(t, err)
	return u
}
