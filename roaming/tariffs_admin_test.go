package roaming_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store/storetest"
)

// TestTariffVersioning: every change of a tariff is a new version, PUT to the partner's Tariffs
// Receiver; an unchanged save changes nothing; the eMSP's pull sees the current version; a
// removal is a DELETE and a version of its own; TariffAt gives the version valid at a moment.
func TestTariffVersioning(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		b := newBilling(t, dbURL, true)
		b.drain(t)

		v1, changed, err := b.svc.SaveTariff(ctx, tariffEUR("T1", "0.30"), true)
		require.NoError(t, err)
		require.True(t, changed)
		require.Equal(t, 1, v1.Version)
		require.Equal(t, "IN", v1.Tariff.CountryCode, "country_code and party_id default to the hub's")
		_, _, err = b.svc.SaveTariff(ctx, tariffEUR("t1", "0.30"), true)
		require.Equal(t, charging.CodeConflict, charging.ErrorCode(err), "create refuses a current id: %v", err)
		b.clk.Advance(time.Minute)
		same, changed, err := b.svc.SaveTariff(ctx, tariffEUR("T1", "0.30"), false)
		require.NoError(t, err)
		require.False(t, changed, "an unchanged tariff is no new version")
		require.Equal(t, 1, same.Version)
		_, _, err = b.svc.SaveTariff(ctx, ocpi.Tariff{ID: "BAD", Currency: "EUR"}, false)
		require.Equal(t, charging.CodeInvalid, charging.ErrorCode(err), "a tariff without elements: %v", err)
		b.drain(t)
		puts := b.received("tariffs", http.MethodPut)
		require.Len(t, puts, 1, "one PUT for version 1, none for the unchanged save")
		require.Equal(t, "/ocpi/emsp/2.2.1/tariffs/IN/HUB/T1", puts[0].Path)

		b.clk.Advance(time.Hour)
		t2 := b.clk.Now()
		v2, changed, err := b.svc.SaveTariff(ctx, tariffEUR("T1", "0.50"), false)
		require.NoError(t, err)
		require.True(t, changed)
		require.Equal(t, 2, v2.Version)
		b.drain(t)
		puts = b.received("tariffs", http.MethodPut)
		require.Len(t, puts, 2)
		held := decode[ocpi.Tariff](t, puts[1].Body)
		require.Equal(t, "0.5", held.Elements[0].PriceComponents[0].Price.String(), "the partner holds version 2")

		pages := b.emsp.Pull(b.hubTariffsURL(t), "Tariff")
		require.Len(t, pages, 1)
		require.Len(t, pages[0].Items, 1)
		pulled := decode[ocpi.Tariff](t, pages[0].Items[0])
		require.Equal(t, "0.5", pulled.Elements[0].PriceComponents[0].Price.String(), "the pull sees the current version")

		hist, err := b.svc.TariffHistory(ctx, "t1")
		require.NoError(t, err)
		require.Len(t, hist, 2)
		require.NotNil(t, hist[0].ValidTo)
		require.True(t, hist[0].ValidTo.Equal(t2), "version 1 ends where version 2 starts")
		require.Nil(t, hist[1].ValidTo)
		for at, want := range map[time.Time]string{billStart.Add(-time.Hour): "0.3", billStart.Add(30 * time.Minute): "0.3",
			t2.Add(-time.Millisecond): "0.3", t2: "0.5", t2.Add(24 * time.Hour): "0.5"} {
			tf, err := roaming.TariffAt(ctx, b.hub.Store, "T1", at)
			require.NoError(t, err)
			require.Equal(t, want, tf.Elements[0].PriceComponents[0].Price.String(), "valid at %s", at)
		}
		cur, err := b.svc.CurrentTariff(ctx, "T1")
		require.NoError(t, err)
		require.Equal(t, 2, cur.Version)

		b.clk.Advance(time.Hour)
		t3 := b.clk.Now()
		v3, err := b.svc.RemoveTariff(ctx, "T1")
		require.NoError(t, err)
		require.True(t, v3.Deleted)
		require.Equal(t, 3, v3.Version)
		b.drain(t)
		dels := b.received("tariffs", http.MethodDelete)
		require.Len(t, dels, 1)
		require.Equal(t, "/ocpi/emsp/2.2.1/tariffs/IN/HUB/T1", dels[0].Path)
		_, ok := b.emsp.Object("tariffs/IN/HUB/T1")
		require.False(t, ok)
		require.Empty(t, b.emsp.Pull(b.hubTariffsURL(t), "Tariff")[0].Items)
		_, err = b.svc.CurrentTariff(ctx, "T1")
		require.True(t, charging.IsNotFound(err))
		_, err = roaming.TariffAt(ctx, b.hub.Store, "T1", t3)
		require.True(t, charging.IsNotFound(err), "removed at t3: %v", err)
		tf, err := roaming.TariffAt(ctx, b.hub.Store, "T1", t3.Add(-time.Minute))
		require.NoError(t, err, "a session started before the removal keeps its version")
		require.Equal(t, "0.5", tf.Elements[0].PriceComponents[0].Price.String())
		_, err = b.svc.RemoveTariff(ctx, "T1")
		require.True(t, charging.IsNotFound(err))

		v4, _, err := b.svc.SaveTariff(ctx, tariffEUR("T1", "0.40"), true)
		require.NoError(t, err, "a removed id may be created again")
		require.Equal(t, 4, v4.Version)
		list, total, err := b.svc.CurrentTariffs(ctx, 0, 10)
		require.NoError(t, err)
		require.Equal(t, 1, total)
		require.Equal(t, 4, list[0].Version)
	})
}

// TestTariffSync: the tariff sync records pushes the changes already queued, re-sends a push
// that failed (after RetryFailedAfter), DELETEs a removed tariff a partner still holds, refreshes
// tariffs last sent long ago, and otherwise sends nothing.
func TestTariffSync(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		b := newBilling(t, dbURL, false)
		for _, tf := range []ocpi.Tariff{tariffEUR("T1", "0.30"), tariffEUR("T2", "0.20")} {
			_, _, err := b.svc.SaveTariff(ctx, tf, true)
			require.NoError(t, err)
		}
		b.register(t) // its initial sync queues both tariffs
		res, err := b.svc.SyncTariffs(ctx, roaming.TariffSyncOptions{})
		require.NoError(t, err)
		require.Equal(t, roaming.TariffSyncResult{Partners: 1, Recorded: 2}, res, "queued by the registration: only recorded")
		b.drain(t)
		require.Len(t, b.received("tariffs", http.MethodPut), 2)
		res, err = b.svc.SyncTariffs(ctx, roaming.TariffSyncOptions{})
		require.NoError(t, err)
		require.Equal(t, roaming.TariffSyncResult{Partners: 1}, res, "nothing to do")

		// The partner refuses version 2 of T1 for good: the sync sends it again, but only once
		// the failure is an hour old.
		b.emsp.FailPushes(http.StatusBadRequest)
		_, _, err = b.svc.SaveTariff(ctx, tariffEUR("T1", "0.35"), false)
		require.NoError(t, err)
		b.drain(t)
		b.emsp.FailPushes(0)
		res, err = b.svc.SyncTariffs(ctx, roaming.TariffSyncOptions{})
		require.NoError(t, err)
		require.Equal(t, roaming.TariffSyncResult{Partners: 1, Recorded: 0}, res, "the failure is recent")
		b.clk.Advance(2 * time.Hour)
		res, err = b.svc.SyncTariffs(ctx, roaming.TariffSyncOptions{})
		require.NoError(t, err)
		require.Equal(t, 1, res.Retried)
		b.drain(t)
		body, ok := b.emsp.Object("tariffs/IN/HUB/T1")
		require.True(t, ok)
		require.Equal(t, "0.35", decode[ocpi.Tariff](t, body).Elements[0].PriceComponents[0].Price.String())

		// T2 disappears without a push (e.g. removed while the hub could not queue): DELETE.
		require.NoError(t, b.hub.Store.DeleteTariff(ctx, "T2"))
		res, err = b.svc.SyncTariffs(ctx, roaming.TariffSyncOptions{})
		require.NoError(t, err)
		require.Equal(t, 1, res.Deleted)
		b.drain(t)
		_, ok = b.emsp.Object("tariffs/IN/HUB/T2")
		require.False(t, ok, "the partner no longer holds T2")
		res, err = b.svc.SyncTariffs(ctx, roaming.TariffSyncOptions{})
		require.NoError(t, err)
		require.Equal(t, roaming.TariffSyncResult{Partners: 1}, res)

		// A refresh re-sends what was last sent longer ago.
		b.clk.Advance(25 * time.Hour)
		n := len(b.received("tariffs", http.MethodPut))
		res, err = b.svc.SyncTariffs(ctx, roaming.TariffSyncOptions{Refresh: 24 * time.Hour})
		require.NoError(t, err)
		require.Equal(t, roaming.TariffSyncResult{Partners: 1, Refreshed: 1}, res)
		b.drain(t)
		require.Len(t, b.received("tariffs", http.MethodPut), n+1)
	})
}
