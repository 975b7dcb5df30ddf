package bridge_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/bridge"
	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
	"github.com/chargehub/hub/store/storetest"
)

// billingState is everything that must never change once issued: every CDR as stored, every
// CDR push ever queued, the export and the settlement report of a fixed period.
type billingState struct {
	cdrs       map[string]string
	cdrPushes  []string
	export     string
	settlement string
}

func readBillingState(t *testing.T, db *store.DB, roam *roaming.Service) billingState {
	t.Helper()
	ctx := context.Background()
	st := billingState{cdrs: map[string]string{}}
	require.NoError(t, roam.EachCDRPage(ctx, roaming.CDRQuery{Limit: 2}, func(page []roaming.IssuedCDR) error {
		for _, ic := range page {
			st.cdrs[ic.CDR.ID] = string(ic.Body)
		}
		return nil
	}))
	items, _, err := db.Roaming().ListOutbox(ctx, roaming.OutboxFilter{})
	require.NoError(t, err)
	for _, it := range items {
		if it.Module == ocpi.ModuleIDCdrs {
			st.cdrPushes = append(st.cdrPushes, it.ObjectKey+" "+it.Method+" "+roaming.BodyHash(it.Body))
		}
	}
	from, to := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	_, err = roam.ExportCDRs(ctx, &buf, roaming.ExportQuery{From: from, To: to})
	require.NoError(t, err)
	st.export = buf.String()
	r, err := roam.SettlementReport(ctx, roaming.SettlementQuery{From: from, To: to})
	require.NoError(t, err)
	raw, err := json.Marshal(r)
	require.NoError(t, err)
	st.settlement = string(raw)
	return st
}

// reopen opens the database again with fresh services, as a restarted hub has them.
func reopen(t *testing.T, dbURL string, clk *pubClock) (*store.DB, *roaming.Service, *charging.Service, *bridge.Publisher) {
	t.Helper()
	db, err := store.Open(context.Background(), dbURL, store.Options{Clock: clk, Logger: pubQuiet()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	roam := roaming.NewService(roaming.Deps{Store: db.Roaming(), Clock: clk, Stations: db, Log: pubQuiet()},
		roaming.Config{PublicURL: "https://hub.example.com", Party: roaming.Party{CountryCode: "IN", PartyID: "HUB"}})
	svc := charging.NewService(db, clk, pubQuiet(), charging.Config{})
	pub, err := bridge.NewPublisher(bridge.PublisherDeps{Roaming: roam, Log: pubQuiet()}, bridge.PublisherConfig{Currency: "INR"})
	require.NoError(t, err)
	roam.SetEVSEBuilder(pub)
	svc.SetPublisher(pub)
	return db, roam, svc, pub
}

// TestNoCDRChangesAcrossRestarts: CDRs issued, credited, replaced and delivered stay exactly as
// issued when the database is reopened and the publisher and every job run again (twice): no
// CDR is lost, duplicated or changed, nothing is pushed again, and the export and the settlement
// report of the period are byte-identical.
func TestNoCDRChangesAcrossRestarts(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		f := newPubFixture(t, dbURL)
		f.pushToken(t, "04AB12CD", ocpi.WhitelistTypeAllowed)
		f.svc.Connected(ctx, "CP-1", charging.OCPP16, f.clk.Now())
		f.status(t, 1, charging.StatusPreparing)
		_, _, err := f.roam.SaveTariff(ctx, tariffT1("0.30"), false)
		require.NoError(t, err)
		f.clk.Advance(time.Minute)
		f.session(t, "04AB12CD", 0, []string{"2000"}, 3000, nil)
		f.clk.Advance(time.Minute)
		f.session(t, "04AB12CD", 3000, []string{"5000", "7000"}, 8000, nil)
		f.clk.Advance(time.Minute)
		_, err = f.roam.CreditCDR(ctx, "1", roaming.CreditRequest{Reason: "meter fault",
			Replacement: &roaming.Replacement{TariffID: "T1"}})
		require.NoError(t, err)
		// The partner acknowledged every CDR push.
		now := f.clk.Now()
		items, err := f.db.Roaming().ClaimOutbox(ctx, now, time.Minute, 1000, nil)
		require.NoError(t, err)
		for _, it := range items {
			res := roaming.OutboxResult{Outcome: roaming.OutcomeDelivered, At: now}
			if it.Module == ocpi.ModuleIDCdrs {
				res.ResultLocation = "https://emsp.example.com/cdrs/" + it.ObjectKey
			}
			require.NoError(t, f.db.Roaming().CompleteOutbox(ctx, it.ID, res))
		}
		_, err = f.roam.SyncCDRs(ctx, roaming.CDRSyncOptions{})
		require.NoError(t, err)
		want := readBillingState(t, f.db, f.roam)
		require.Len(t, want.cdrs, 4, "two CDRs, a credit and a replacement")
		require.Len(t, want.cdrPushes, 4)
		require.NoError(t, f.db.Close())

		for restart := range 2 {
			f.clk.Advance(24 * time.Hour)
			db, roam, svc, pub := reopen(t, dbURL, f.clk)
			require.NoError(t, db.ResetOnline(ctx))
			_, err := pub.Resync(ctx, db)
			require.NoError(t, err)
			list, _, err := db.ListTransactions(ctx, charging.TransactionFilter{})
			require.NoError(t, err)
			require.Len(t, list, 2)
			for _, tx := range list { // the publisher sees every transaction again
				require.NoError(t, db.InTx(ctx, func(st charging.Store) error { return pub.TransactionChanged(ctx, st, tx) }))
			}
			for range 2 { // and every job runs, twice
				_, err = roam.SyncTariffs(ctx, roaming.TariffSyncOptions{Refresh: time.Hour})
				require.NoError(t, err)
				r, err := roam.SyncCDRs(ctx, roaming.CDRSyncOptions{Window: 30 * 24 * time.Hour})
				require.NoError(t, err)
				require.Empty(t, r.Mismatches, "restart %d", restart)
				_, err = roam.ExpirePendingSessions(ctx, time.Minute, 0)
				require.NoError(t, err)
				_, err = svc.CloseAbandoned(ctx, time.Minute)
				require.NoError(t, err)
			}
			_, err = roam.CreditCDR(ctx, "1", roaming.CreditRequest{Reason: "again"})
			require.Equal(t, charging.CodeConflict, charging.ErrorCode(err), "a CDR is credited once, restarts or not")
			got := readBillingState(t, db, roam)
			require.Equal(t, want, got, "restart %d", restart)
			require.NoError(t, db.Close())
		}
	})
}
