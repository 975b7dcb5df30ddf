package bridge_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store/storetest"
)

// pushToken stores an eMSP token as if the eMSP PUT it.
func (f *pubFixture) pushToken(t *testing.T, uid string, whitelist ocpi.WhitelistType) {
	t.Helper()
	tok := ocpi.Token{CountryCode: "NL", PartyID: "EMP", UID: uid, Type: ocpi.TokenTypeRFID, ContractID: "NL-EMP-C12345678-X",
		Issuer: "EMP", Valid: true, Whitelist: whitelist, LastUpdated: ocpi.NewDateTime(f.clk.Now())}
	_, err := f.roam.ReceiveToken(context.Background(), f.partner, roaming.KeyOf(&tok), tok)
	require.NoError(t, err)
}

// sessionItems returns the outbox items of Sessions and CDRs among items.
func pubSessionItems(items []roaming.OutboxItem) (sessions, cdrs []roaming.OutboxItem) {
	for _, it := range items {
		switch it.Module {
		case ocpi.ModuleIDSessions:
			sessions = append(sessions, it)
		case ocpi.ModuleIDCdrs:
			cdrs = append(cdrs, it)
		}
	}
	return sessions, cdrs
}

// TestSessionsAndCDR: a 1.6 transaction of an eMSP's token is PUT to that eMSP at its start, at
// every new meter reading (kWh growing) and at its stop, then exactly one CDR is POSTed, priced
// with the connector's tariff, with totals equal to the sums of its periods; a resent stop
// changes nothing.
func TestSessionsAndCDR(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		f := newPubFixture(t, dbURL)
		f.preparing(t)
		n := len(f.outbox(t))

		t0 := f.clk.Now()
		tx, _, err := f.svc.StartTransaction(ctx, charging.StartTx{StationID: "CP-1", EVSEID: 1, ConnectorID: 1, IDTag: "04AB12CD",
			MeterStartWh: 10000, Timestamp: t0})
		require.NoError(t, err)
		txID := tx.ID
		n1 := len(f.outbox(t))
		require.NoError(t, f.db.InTx(ctx, func(st charging.Store) error { return f.pub.TransactionChanged(ctx, st, tx) }))
		require.Len(t, f.outbox(t), n1, "republishing an unchanged transaction pushes nothing")
		for i, wh := range []string{"11500", "13000", "13000"} {
			f.clk.Advance(10 * time.Minute)
			id := txID
			require.NoError(t, f.svc.MeterValues(ctx, charging.MeterValuesIn{StationID: "CP-1", EVSEID: 1, ConnectorID: 1,
				TransactionID: &id, Samples: []charging.RawSample{pubEnergy(t0.Add(time.Duration(i+1)*10*time.Minute), wh, "Sample.Periodic")}}))
		}
		f.clk.Advance(10 * time.Minute)
		stop := charging.StopTx{StationID: "CP-1", TransactionID: txID, IDTag: "04AB12CD", MeterStopWh: 14000,
			Timestamp: t0.Add(40 * time.Minute), Reason: "Local"}
		_, err = f.svc.StopTransaction(ctx, stop)
		require.NoError(t, err)

		sessions, cdrs := pubSessionItems(pubSince(f.outbox(t), n))
		require.Len(t, sessions, 4, "start, two new readings (the repeated one changes nothing), stop")
		prev := decimal.NewFromInt(-1)
		for i, it := range sessions {
			require.Equal(t, http.MethodPut, it.Method)
			require.Equal(t, "/IN/HUB/1", it.Path)
			require.Equal(t, pubEMSP, it.To, "sessions go to the token's eMSP")
			s := pubBody[ocpi.Session](t, it)
			require.True(t, s.KWh.GreaterThan(prev), "kWh grows: %s after %s", s.KWh, prev)
			prev = s.KWh.Decimal
			require.Equal(t, "NL-EMP-C12345678-X", s.CdrToken.ContractID)
			require.Equal(t, "EMP", s.CdrToken.PartyID)
			require.Equal(t, ocpi.AuthMethodWhitelist, s.AuthMethod)
			require.Equal(t, "CP-1-1", s.EvseUID)
			require.Equal(t, "EUR", s.Currency, "the tariff's currency")
			if i < len(sessions)-1 {
				require.Equal(t, ocpi.SessionStatusActive, s.Status)
			}
		}
		final := pubBody[ocpi.Session](t, sessions[3])
		require.Equal(t, ocpi.SessionStatusCompleted, final.Status)
		require.Equal(t, "4", final.KWh.String())

		require.Len(t, cdrs, 1)
		require.Equal(t, http.MethodPost, cdrs[0].Method)
		require.Equal(t, pubEMSP, cdrs[0].To)
		cdr := pubBody[ocpi.CDR](t, cdrs[0])
		require.Equal(t, "1", cdr.ID)
		require.Equal(t, "1", cdr.SessionID)
		energy, hours := decimal.Zero, decimal.Zero
		for _, p := range cdr.ChargingPeriods {
			require.Equal(t, "T1", p.TariffID)
			for _, d := range p.Dimensions {
				switch d.Type {
				case ocpi.CdrDimensionEnergy:
					energy = energy.Add(d.Volume.Decimal)
				case ocpi.CdrDimensionTime, ocpi.CdrDimensionParkingTime:
					hours = hours.Add(d.Volume.Decimal)
				}
			}
		}
		require.True(t, energy.Equal(cdr.TotalEnergy.Decimal), "total_energy %s = Σ ENERGY %s", cdr.TotalEnergy, energy)
		require.True(t, hours.Equal(cdr.TotalTime.Decimal), "total_time %s = Σ TIME+PARKING %s", cdr.TotalTime, hours)
		require.Equal(t, "4", cdr.TotalEnergy.String())
		require.Equal(t, "1.2", cdr.TotalCost.ExclVat.String(), "4 kWh at 0.30")
		require.Len(t, cdr.Tariffs, 1)
		require.Equal(t, "Mall", cdr.CdrLocation.Name)
		require.NotNil(t, final.TotalCost)
		require.Equal(t, cdr.TotalCost.ExclVat.String(), final.TotalCost.ExclVat.String(), "the Session ends at what the CDR bills")

		m := len(f.outbox(t))
		res, err := f.svc.StopTransaction(ctx, stop)
		require.NoError(t, err)
		require.True(t, res.Duplicate)
		require.Len(t, f.outbox(t), m, "a resent stop publishes nothing")
		// Even a republish of the completed transaction (e.g. a late event) issues no second CDR.
		got, err := f.db.GetTransaction(ctx, txID)
		require.NoError(t, err)
		require.NoError(t, f.db.InTx(ctx, func(tx charging.Store) error { return f.pub.TransactionChanged(ctx, tx, got) }))
		require.Len(t, f.outbox(t), m)
		list, total, err := f.db.Roaming().ListCDRs(ctx, roaming.ObjectFilter{})
		require.NoError(t, err)
		require.Equal(t, 1, total)
		require.Equal(t, "1", list[0].ID)

		// The EVSE followed the transaction: CHARGING while it ran, BLOCKED once Finishing without it.
		f.status(t, 1, charging.StatusFinishing)
		last := f.outbox(t)[len(f.outbox(t))-1]
		require.Equal(t, ocpi.StatusBlocked, *pubBody[ocpi.EVSEPatch](t, last).Status)
	})
}

// TestLocalAndUnknownTokens: sessions of local id tags and of unknown tokens are stored with the
// CPO's own party and go to no partner; a token the eMSP wants asked in real time is AUTH_REQUEST;
// a rolled-back start leaves no Session.
func TestLocalAndUnknownTokens(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		f := newPubFixture(t, dbURL)
		_, err := f.svc.PutIDTag(ctx, charging.IDTag{IDTag: "LOCAL1"})
		require.NoError(t, err)
		f.svc.Connected(ctx, "CP-1", charging.OCPP16, f.clk.Now())
		f.status(t, 1, charging.StatusAvailable)
		f.status(t, 2, charging.StatusAvailable)
		n := len(f.outbox(t))

		tx, _, err := f.svc.StartTransaction(ctx, charging.StartTx{StationID: "CP-1", EVSEID: 1, ConnectorID: 1, IDTag: "LOCAL1",
			Timestamp: f.clk.Now()})
		require.NoError(t, err)
		sessions, _ := pubSessionItems(pubSince(f.outbox(t), n))
		require.Empty(t, sessions, "a local token's session goes nowhere")
		s, err := f.db.Roaming().GetSession(ctx, "1")
		require.NoError(t, err, "but it is stored")
		require.Equal(t, "HUB", s.CdrToken.PartyID)
		require.Equal(t, ocpi.SessionStatusActive, s.Status)
		_, err = f.svc.StopTransaction(ctx, charging.StopTx{StationID: "CP-1", TransactionID: tx.ID, MeterStopWh: 500,
			Timestamp: f.clk.Now().Add(time.Minute)})
		require.NoError(t, err)
		_, cdrs := pubSessionItems(pubSince(f.outbox(t), n))
		require.Empty(t, cdrs)

		f.pushToken(t, "RT-1", ocpi.WhitelistTypeNever)
		n = len(f.outbox(t))
		_, _, err = f.svc.StartTransaction(ctx, charging.StartTx{StationID: "CP-1", EVSEID: 2, ConnectorID: 1, IDTag: "RT-1",
			Timestamp: f.clk.Now()})
		require.NoError(t, err)
		sessions, _ = pubSessionItems(pubSince(f.outbox(t), n))
		require.Len(t, sessions, 1)
		require.Equal(t, ocpi.AuthMethodAuthRequest, pubBody[ocpi.Session](t, sessions[0]).AuthMethod)

		n = len(f.outbox(t))
		_, _, err = f.svc.StartTransaction(ctx, charging.StartTx{StationID: "CP-1", EVSEID: 1, ConnectorID: 1, IDTag: "NOBODY",
			Timestamp: f.clk.Now()})
		require.NoError(t, err)
		sessions, _ = pubSessionItems(pubSince(f.outbox(t), n))
		require.Empty(t, sessions)
		s, err = f.db.Roaming().GetSession(ctx, "3")
		require.NoError(t, err)
		require.Equal(t, ocpi.SessionStatusPending, s.Status, "an unknown token is not authorized")
	})
}

// pubAuthSource is a recorded remote start: every transaction of tag came from a command.
type pubAuthSource struct{ tag string }

func (a pubAuthSource) SessionAuth(_ context.Context, _ charging.Store, t charging.Transaction) (roaming.SessionAuth, bool, error) {
	if t.IDTag != a.tag {
		return roaming.SessionAuth{}, false, nil
	}
	return roaming.SessionAuth{Token: &ocpi.CdrToken{CountryCode: "NL", PartyID: "EMP", UID: "APP-USER-1", Type: ocpi.TokenTypeAppUser,
		ContractID: "NL-EMP-C00000001-Y"}, Method: ocpi.AuthMethodCommand, AuthorizationReference: "REF-42"}, true, nil
}

// TestRemoteStartedSession: what the SessionAuthSource recorded (the command executor's remote
// start) gives the Session its token, auth_method COMMAND and authorization_reference, and the
// CDR the same.
func TestRemoteStartedSession(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		f := newPubFixture(t, dbURL)
		f.roam.SetSessionAuth(pubAuthSource{tag: "ALIAS1"})
		f.svc.Connected(ctx, "CP-1", charging.OCPP16, f.clk.Now())
		f.status(t, 1, charging.StatusPreparing)
		f.news(t)
		t0 := f.clk.Now()
		tx, _, err := f.svc.StartTransaction(ctx, charging.StartTx{StationID: "CP-1", EVSEID: 1, ConnectorID: 1, IDTag: "ALIAS1",
			MeterStartWh: 0, Timestamp: t0})
		require.NoError(t, err)
		f.clk.Advance(time.Hour)
		_, err = f.svc.StopTransaction(ctx, charging.StopTx{StationID: "CP-1", TransactionID: tx.ID, MeterStopWh: 7000,
			Timestamp: t0.Add(time.Hour)})
		require.NoError(t, err)
		sessions, cdrs := pubSessionItems(f.news(t))
		require.Len(t, sessions, 2)
		require.Len(t, cdrs, 1)
		for _, it := range sessions {
			s := pubBody[ocpi.Session](t, it)
			require.Equal(t, ocpi.AuthMethodCommand, s.AuthMethod)
			require.Equal(t, "REF-42", s.AuthorizationReference)
			require.Equal(t, "APP-USER-1", s.CdrToken.UID)
			require.Equal(t, pubEMSP, it.To)
		}
		cdr := pubBody[ocpi.CDR](t, cdrs[0])
		require.Equal(t, "REF-42", cdr.AuthorizationReference)
		require.Equal(t, ocpi.AuthMethodCommand, cdr.AuthMethod)
		require.Equal(t, "2.1", cdr.TotalCost.ExclVat.String(), "7 kWh at 0.30")
	})
}
