package bridge_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/store/storetest"
)

// tariffT1 is the fixture's tariff T1 at another energy price (EUR per kWh).
func tariffT1(price string) ocpi.Tariff {
	return ocpi.Tariff{ID: "T1", Currency: "EUR", Elements: []ocpi.TariffElement{{PriceComponents: []ocpi.PriceComponent{
		{Type: ocpi.TariffDimensionEnergy, Price: ocpi.MustDecimal(price), StepSize: 1}}}}}
}

// session runs a 1.6 transaction of tag on EVSE 1 of CP-1 starting now: one meter reading every
// 10 minutes (Wh register values), the stop 10 minutes after the last one; between readings
// between(i) runs. It returns the transaction id.
func (f *pubFixture) session(t *testing.T, tag string, startWh int64, readings []string, stopWh int64, between func(i int)) int64 {
	t.Helper()
	ctx := context.Background()
	t0 := f.clk.Now()
	tx, _, err := f.svc.StartTransaction(ctx, charging.StartTx{StationID: "CP-1", EVSEID: 1, ConnectorID: 1, IDTag: tag,
		MeterStartWh: startWh, Timestamp: t0})
	require.NoError(t, err)
	id := tx.ID
	for i, wh := range readings {
		if between != nil {
			between(i)
		}
		f.clk.Advance(10 * time.Minute)
		require.NoError(t, f.svc.MeterValues(ctx, charging.MeterValuesIn{StationID: "CP-1", EVSEID: 1, ConnectorID: 1,
			TransactionID: &id, Samples: []charging.RawSample{pubEnergy(f.clk.Now(), wh, "Sample.Periodic")}}))
	}
	f.clk.Advance(10 * time.Minute)
	_, err = f.svc.StopTransaction(ctx, charging.StopTx{StationID: "CP-1", TransactionID: id, IDTag: tag, MeterStopWh: stopWh,
		Timestamp: f.clk.Now(), Reason: "Local"})
	require.NoError(t, err)
	return id
}

// TestTariffFrozenAtSessionStart: Sessions carry a running total_cost priced with the tariff
// version valid at their start; a tariff changed mid-session changes neither the running cost nor
// the CDR, which keeps a copy of that version; sessions started after the change use the new
// version, sessions started after the removal are unpriced; the CDR issued before never changes.
func TestTariffFrozenAtSessionStart(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		f := newPubFixture(t, dbURL)
		f.preparing(t)
		v, _, err := f.roam.SaveTariff(ctx, tariffT1("0.30"), false) // T1 as the fixture stored it, now versioned
		require.NoError(t, err)
		require.Equal(t, 1, v.Version)
		f.news(t)

		f.clk.Advance(time.Minute)
		first := f.session(t, "04AB12CD", 10000, []string{"12000", "14000"}, 15000, func(i int) {
			if i == 1 { // mid-session, after the first reading
				_, changed, err := f.roam.SaveTariff(ctx, tariffT1("0.50"), false)
				require.NoError(t, err)
				require.True(t, changed)
			}
		})
		sessions, cdrs := pubSessionItems(f.news(t))
		var costs []string
		for _, it := range sessions {
			s := pubBody[ocpi.Session](t, it)
			require.NotNil(t, s.TotalCost, "a running session carries its cost so far")
			costs = append(costs, s.TotalCost.ExclVat.String())
		}
		require.Equal(t, []string{"0", "0.6", "1.2", "1.5"}, costs, "2, 4 and 5 kWh at 0.30, before and after the change")
		require.Len(t, cdrs, 1)
		cdr := pubBody[ocpi.CDR](t, cdrs[0])
		require.Equal(t, "1.5", cdr.TotalCost.ExclVat.String(), "5 kWh at the 0.30 valid at the start")
		require.Equal(t, "0.3", cdr.Tariffs[0].Elements[0].PriceComponents[0].Price.String(), "the CDR keeps the version it was priced with")
		stored, err := f.db.Roaming().GetCDR(ctx, "1")
		require.NoError(t, err)
		before, err := ocpiJSON(stored)
		require.NoError(t, err)

		f.clk.Advance(time.Minute)
		f.session(t, "04AB12CD", 15000, []string{"16000"}, 17000, nil)
		_, cdrs = pubSessionItems(f.news(t))
		require.Len(t, cdrs, 1)
		require.Equal(t, "1", pubBody[ocpi.CDR](t, cdrs[0]).TotalCost.ExclVat.String(), "2 kWh at the new 0.50")

		_, err = f.roam.RemoveTariff(ctx, "T1")
		require.NoError(t, err)
		f.clk.Advance(time.Minute)
		f.session(t, "04AB12CD", 17000, nil, 18000, nil)
		_, cdrs = pubSessionItems(f.news(t))
		require.Len(t, cdrs, 1)
		unpriced := pubBody[ocpi.CDR](t, cdrs[0])
		require.Empty(t, unpriced.Tariffs, "no tariff after the removal")
		require.Equal(t, "INR", unpriced.Currency)

		stored, err = f.db.Roaming().GetCDR(ctx, "1")
		require.NoError(t, err)
		after, err := ocpiJSON(stored)
		require.NoError(t, err)
		require.Equal(t, before, after, "the first CDR is a snapshot: tariff changes never touch it")
		require.Equal(t, first, int64(1))
	})
}

// ocpiJSON is v as JSON text.
func ocpiJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
