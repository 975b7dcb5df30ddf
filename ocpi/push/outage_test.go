package push_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/ocpitest"
	"github.com/chargehub/hub/ocpi/push"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store/storetest"
)

// TestPartnerDownThenBack stops the eMSP, changes things, lets the hub retry while it is down,
// and brings it back: every push arrives exactly once and, per object, in order.
func TestPartnerDownThenBack(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		hub, emsp, p := setup(t, dbURL, ocpitest.HubOptions{})
		waitIdle(t, hub, p.ID)
		before := len(emsp.Received("/ocpi/emsp/2.2.1/locations"))

		emsp.Stop()
		statuses := []ocpi.Status{ocpi.StatusCharging, ocpi.StatusAvailable, ocpi.StatusReserved, ocpi.StatusCharging,
			ocpi.StatusOutOfOrder, ocpi.StatusInoperative, ocpi.StatusAvailable, ocpi.StatusBlocked, ocpi.StatusCharging, ocpi.StatusAvailable}
		for i, st := range statuses {
			require.NoError(t, hub.Svc.PatchEVSE(ctx, "LOC-1", "LOC-1-E1", ocpi.EVSEPatch{Status: new(st),
				LastUpdated: ocpi.NewDateTime(base.Add(time.Duration(i) * time.Second))}))
		}
		require.NoError(t, hub.Svc.PutSession(ctx, session("S1")))
		for i := range 5 {
			require.NoError(t, hub.Svc.PatchSession(ctx, "S1", ocpi.SessionPatch{KWh: new(ocpi.DecimalFromInt(int64(i + 1)))}))
		}
		require.NoError(t, hub.Svc.PostCDR(ctx, cdr("C1")))

		// The hub tried and is backing off.
		ocpitest.Eventually(t, 5*time.Second, func() bool {
			items, _, err := hub.Svc.ListOutbox(ctx, roaming.OutboxFilter{PartnerID: p.ID, Status: roaming.OutboxPending})
			if err != nil {
				return false
			}
			for _, it := range items {
				if it.Attempts >= 2 && it.LastError != "" {
					return true
				}
			}
			return false
		}, "delivery attempts fail while the eMSP is down")
		require.Positive(t, metric(t, hub, "hub_ocpi_outbox_deliveries_total", map[string]string{"result": "retry"}))
		hub.Worker.RefreshBacklog(ctx)
		require.Equal(t, 17.0, metric(t, hub, "hub_ocpi_outbox_backlog", map[string]string{"partner": fmt.Sprint(p.ID), "status": "pending"}))

		emsp.Start()
		waitIdle(t, hub, p.ID)
		var got []ocpi.Status
		for _, r := range emsp.Received("/ocpi/emsp/2.2.1/locations")[before:] {
			var patch ocpi.EVSEPatch
			require.NoError(t, json.Unmarshal(r.Body, &patch))
			require.Equal(t, http.MethodPatch, r.Method)
			got = append(got, *patch.Status)
		}
		require.Equal(t, statuses, got, "every EVSE status, once, in order")
		var kwh []string
		for _, r := range emsp.Received("/ocpi/emsp/2.2.1/sessions") {
			if r.Method == http.MethodPatch {
				var patch ocpi.SessionPatch
				require.NoError(t, json.Unmarshal(r.Body, &patch))
				kwh = append(kwh, patch.KWh.String())
			}
		}
		require.Equal(t, []string{"1", "2", "3", "4", "5"}, kwh)
		require.Equal(t, http.MethodPut, emsp.Received("/ocpi/emsp/2.2.1/sessions")[0].Method, "the PUT came before the PATCHes")
		require.Len(t, emsp.Received("/ocpi/emsp/2.2.1/cdrs"), 1)
		_, failed, err := hub.Svc.ListOutbox(ctx, roaming.OutboxFilter{PartnerID: p.ID, Status: roaming.OutboxFailed})
		require.NoError(t, err)
		require.Zero(t, failed)
	})
}

// TestPermanentFailures: a push the eMSP refuses for good is failed at once, one that keeps
// failing is failed after MaxAttempts; an operator can put it back.
func TestPermanentFailures(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		hub, emsp, p := setup(t, dbURL, ocpitest.HubOptions{Push: push.Config{MaxAttempts: 3}})
		waitIdle(t, hub, p.ID)

		emsp.FailPushes(http.StatusBadRequest)
		require.NoError(t, hub.Svc.PutSession(ctx, session("S1")))
		waitIdle(t, hub, p.ID)
		items, n, err := hub.Svc.ListOutbox(ctx, roaming.OutboxFilter{PartnerID: p.ID, Status: roaming.OutboxFailed})
		require.NoError(t, err)
		require.Equal(t, 1, n)
		require.Equal(t, 1, items[0].Attempts, "a 400 is not retried")
		require.Contains(t, items[0].LastError, "HTTP 400")

		emsp.FailPushes(http.StatusServiceUnavailable)
		require.NoError(t, hub.Svc.PutSession(ctx, session("S2")))
		waitIdle(t, hub, p.ID)
		items, n, err = hub.Svc.ListOutbox(ctx, roaming.OutboxFilter{PartnerID: p.ID, Status: roaming.OutboxFailed})
		require.NoError(t, err)
		require.Equal(t, 2, n)
		require.Equal(t, 3, items[0].Attempts)
		require.Contains(t, items[0].LastError, "gave up after 3 attempts")
		hub.Worker.RefreshBacklog(ctx)
		require.Equal(t, 2.0, metric(t, hub, "hub_ocpi_outbox_backlog", map[string]string{"status": "failed"}))

		emsp.FailPushes(0)
		require.NoError(t, hub.Svc.RetryOutbox(ctx, p.ID, items[0].ID))
		require.NoError(t, hub.Svc.RetryOutbox(ctx, p.ID, items[1].ID))
		waitIdle(t, hub, p.ID)
		_, n, err = hub.Svc.ListOutbox(ctx, roaming.OutboxFilter{PartnerID: p.ID, Status: roaming.OutboxFailed})
		require.NoError(t, err)
		require.Zero(t, n)
		_, ok := emsp.Object("sessions/IN/HUB/S2")
		require.True(t, ok)
	})
}

// TestOutboxSurvivesRestart: pushes written while no worker runs are delivered by the next
// hub process; a suspended partner's pushes wait; an unregistered partner's are cancelled.
func TestOutboxSurvivesRestart(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		hub, emsp, p := setup(t, dbURL, ocpitest.HubOptions{NoWorker: true})
		require.NoError(t, hub.Svc.PutSession(ctx, session("S1")))
		_, err := hub.Svc.SuspendPartner(ctx, p.ID)
		require.NoError(t, err)
		n, err := hub.Worker.RunOnce(ctx)
		require.NoError(t, err)
		require.Zero(t, n, "nothing is sent to a suspended partner")
		_, err = hub.Svc.ResumePartner(ctx, p.ID)
		require.NoError(t, err)
		hub.Stop()
		require.Empty(t, emsp.Received("/ocpi/emsp/2.2.1/sessions"))

		// "Restart": a new hub process on the same database.
		next := ocpitest.NewHub(t, dbURL, ocpitest.HubOptions{})
		waitIdle(t, next, p.ID)
		require.Len(t, emsp.Received("/ocpi/emsp/2.2.1/sessions"), 1)
		require.Len(t, emsp.Received("/ocpi/emsp/2.2.1/locations"), 1, "the initial location push too")

		// Unregistering cancels what is still queued.
		next.Stop()
		require.NoError(t, next.Svc.PutSession(ctx, session("S2")))
		require.NoError(t, emsp.Unregister())
		items, n2, err := next.Svc.ListOutbox(ctx, roaming.OutboxFilter{PartnerID: p.ID, Status: roaming.OutboxFailed})
		require.NoError(t, err)
		require.Equal(t, 1, n2)
		require.Equal(t, "partner unregistered", items[0].LastError)
	})
}
