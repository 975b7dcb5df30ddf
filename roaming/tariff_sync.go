package roaming

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// TariffSyncOptions tune SyncTariffs; zero fields take the defaults.
type TariffSyncOptions struct {
	// Refresh re-sends a tariff a partner already holds when it was last sent longer ago (partners
	// that lost data get it back); 0 = never.
	Refresh time.Duration
	// RetryFailedAfter re-sends a tariff whose last push failed for good once the failure is this
	// old; default 1 h.
	RetryFailedAfter time.Duration
}

// TariffSyncResult counts what a tariff sync did.
type TariffSyncResult struct {
	Partners  int // Tariffs Receivers looked at
	Put       int // PUTs enqueued for tariffs a partner lacked or held in an older version
	Deleted   int // DELETEs enqueued for removed tariffs a partner still held
	Retried   int // pushes enqueued again after a failed one
	Refreshed int // PUTs of unchanged tariffs (Refresh)
	Recorded  int // pushes already queued or delivered (e.g. by the change's broadcast), only recorded
}

// currentTariff is a current tariff as pushed: its PUT body and the body's hash.
type currentTariff struct {
	t    ocpi.Tariff
	body json.RawMessage
	hash string
}

// SyncTariffs makes every Tariffs Receiver hold the current tariffs: it compares, per partner,
// what the hub last sent (PartnerTariff) and the partner's last tariff push in the outbox with the
// current tariffs, and enqueues a PUT for every tariff the partner lacks or holds in an older
// version (or whose last push failed), a DELETE for every removed tariff it still holds, and a PUT
// of every tariff last sent longer than Refresh ago. A push the change itself already queued or
// delivered is only recorded, so running the sync right after a change sends nothing twice. Each
// partner is synced in a transaction of its own; the first error stops the sync.
func (s *Service) SyncTariffs(ctx context.Context, o TariffSyncOptions) (TariffSyncResult, error) {
	if o.RetryFailedAfter <= 0 {
		o.RetryFailedAfter = time.Hour
	}
	var res TariffSyncResult
	targets, err := s.receivers(ctx, s.store, ocpi.ModuleIDTariffs)
	if err != nil {
		return res, fmt.Errorf("tariff sync: %w", err)
	}
	for _, t := range targets {
		res.Partners++
		if err := s.syncPartnerTariffs(ctx, t, o, &res); err != nil {
			return res, fmt.Errorf("tariff sync of partner %d: %w", t.partner.ID, err)
		}
	}
	return res, nil
}

// syncPartnerTariffs brings one partner's tariffs up to date (see SyncTariffs). The current
// tariffs are read in the partner's transaction: on SQLite its write lock orders a concurrent save
// after this sync; on PostgreSQL a tariff saved while the sync runs may have its PUT overtaken by
// the sync's older one, and the next sync (which then finds the partner holding the older body)
// sends the current version again.
func (s *Service) syncPartnerTariffs(ctx context.Context, t target, o TariffSyncOptions, res *TariffSyncResult) error {
	return s.inTx(ctx, func(tx Store, q *queue) error {
		vs, err := versionStore(tx)
		if err != nil {
			return err
		}
		current, err := currentTariffs(ctx, tx)
		if err != nil {
			return err
		}
		versions, err := vs.LatestTariffVersions(ctx)
		if err != nil {
			return err
		}
		held := map[string]PartnerTariff{}
		list, err := vs.ListPartnerTariffs(ctx, t.partner.ID)
		if err != nil {
			return err
		}
		for _, pt := range list {
			held[pt.TariffKey] = pt
		}
		now := s.clock.Now()
		for _, k := range sortedKeys(current) {
			cur := current[k]
			h, ok := held[k]
			last, found, err := lastPush(ctx, vs, t.partner.ID, k)
			if err != nil {
				return err
			}
			lastSame := found && last.Method == http.MethodPut && BodyHash(last.Body) == cur.hash
			upToDate := ok && !h.Deleted && h.BodyHash == cur.hash
			switch {
			case lastSame && last.Status == OutboxFailed:
				if now.Sub(last.UpdatedAt) < o.RetryFailedAfter {
					continue
				}
				res.Retried++
			case upToDate && (o.Refresh <= 0 || now.Sub(h.PushedAt) < o.Refresh):
				continue
			case !upToDate && lastSame:
				res.Recorded++
				if err := vs.PutPartnerTariff(ctx, PartnerTariff{PartnerID: t.partner.ID, TariffKey: k, Version: versions[k],
					BodyHash: cur.hash, PushedAt: last.CreatedAt}); err != nil {
					return err
				}
				continue
			case upToDate:
				res.Refreshed++
			default:
				res.Put++
			}
			s.pushTariff(q, t, cur.t.ID, http.MethodPut, cur.body)
			if err := vs.PutPartnerTariff(ctx, PartnerTariff{PartnerID: t.partner.ID, TariffKey: k, Version: versions[k],
				BodyHash: cur.hash, PushedAt: now}); err != nil {
				return err
			}
		}
		for _, k := range sortedKeys(held) {
			h := held[k]
			if _, ok := current[k]; ok || h.Deleted {
				continue
			}
			last, found, err := lastPush(ctx, vs, t.partner.ID, k)
			if err != nil {
				return err
			}
			if found && last.Method == http.MethodDelete && last.Status != OutboxFailed {
				res.Recorded++
			} else {
				res.Deleted++
				s.pushTariff(q, t, deletedID(ctx, vs, k), http.MethodDelete, nil)
			}
			if err := vs.PutPartnerTariff(ctx, PartnerTariff{PartnerID: t.partner.ID, TariffKey: k, Version: versions[k],
				Deleted: true, PushedAt: now}); err != nil {
				return err
			}
		}
		return nil
	})
}

// currentTariffs reads every current tariff with its PUT body and the body's hash.
func currentTariffs(ctx context.Context, st Store) (map[string]currentTariff, error) {
	current := map[string]currentTariff{}
	for offset := 0; ; offset += 500 {
		list, _, err := st.ListTariffs(ctx, ObjectFilter{Offset: offset, Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, t := range list {
			body, err := json.Marshal(t)
			if err != nil {
				return nil, fmt.Errorf("encode tariff %q: %w", t.ID, err)
			}
			current[idKey(t.ID)] = currentTariff{t: t, body: body, hash: BodyHash(body)}
		}
		if len(list) < 500 {
			return current, nil
		}
	}
}

// pushTariff queues a tariff push to one partner.
func (s *Service) pushTariff(q *queue, t target, id, method string, body json.RawMessage) {
	q.add(OutboxItem{PartnerID: t.partner.ID, ObjectKey: string(ocpi.ModuleIDTariffs) + "/" + idKey(id),
		Module: ocpi.ModuleIDTariffs, Path: s.ownPath(id), Method: method, Body: body, To: t.to, CorrelationID: s.ids.NewID()})
}

// lastPush returns the partner's newest outbox item of a tariff; found is false when there is none.
func lastPush(ctx context.Context, vs TariffVersionStore, partnerID int64, tariffKey string) (OutboxItem, bool, error) {
	it, err := vs.LatestOutbox(ctx, partnerID, string(ocpi.ModuleIDTariffs)+"/"+tariffKey)
	if charging.IsNotFound(err) {
		return OutboxItem{}, false, nil
	}
	return it, err == nil, err
}

// deletedID returns the id of a removed tariff as first written (its key when no version says).
func deletedID(ctx context.Context, vs TariffVersionStore, k string) string {
	if list, err := vs.TariffVersions(ctx, k); err == nil && len(list) > 0 {
		return list[len(list)-1].Tariff.ID
	}
	return k
}

// idKey is the stored form of a CiString object id.
func idKey(id string) string { return strings.ToUpper(id) }

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
