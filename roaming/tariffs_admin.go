package roaming

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// Tariff management: tariffs are created and changed through SaveTariff and retired through
// RemoveTariff (the admin API and `hub tariffs add`). Every change is a new, immutable version
// valid from the moment it was saved, stored beside the current tariff that the Tariffs Sender
// serves, and pushed (PUT, or DELETE on removal) to every Tariffs Receiver through the outbox in
// the change's transaction. Sessions are priced with the version valid at their start
// (TariffAt), so a tariff changed mid-session does not change what a running session costs, and
// each CDR carries a copy of the version it was priced with in its tariffs field.

// TariffVersion is one stored version of a tariff: version n is valid from ValidFrom until
// ValidTo (nil: it is the current one). A removal is a version of its own with Deleted set (its
// Tariff is the last body).
type TariffVersion struct {
	Tariff    ocpi.Tariff
	Version   int
	Deleted   bool
	ValidFrom time.Time
	ValidTo   *time.Time
}

// PartnerTariff is what the hub last sent one Tariffs Receiver of one tariff (the tariff sync
// job's memory).
type PartnerTariff struct {
	PartnerID int64
	TariffKey string // upper-case tariff id
	Version   int
	Deleted   bool   // a DELETE was sent
	BodyHash  string // BodyHash of the PUT body ("" after a DELETE)
	PushedAt  time.Time
}

// TariffVersionStore keeps tariff versions and what each partner was sent of each tariff. The
// store implements it next to Store; the Service finds it on its Store (and on a transaction's
// Store) by a type assertion.
type TariffVersionStore interface {
	// AddTariffVersion closes the tariff's open version at `at` and appends a new one valid from
	// `at` (deleted: the tariff was removed, t is its last body); it returns the new number.
	AddTariffVersion(ctx context.Context, t ocpi.Tariff, deleted bool, at time.Time) (int, error)
	// TariffVersions lists the versions of a tariff, oldest first (none for an unknown id).
	TariffVersions(ctx context.Context, id string) ([]TariffVersion, error)
	// TariffVersionAt returns the version valid at `at`, or the first version when `at` is
	// before it; CodeNotFound when no version of the tariff is recorded.
	TariffVersionAt(ctx context.Context, id string, at time.Time) (TariffVersion, error)
	// LatestTariffVersions maps every tariff key to its latest version number.
	LatestTariffVersions(ctx context.Context) (map[string]int, error)
	// ListPartnerTariffs returns what the partner was last sent of each tariff.
	ListPartnerTariffs(ctx context.Context, partnerID int64) ([]PartnerTariff, error)
	// PutPartnerTariff records what the partner was sent of a tariff (insert or replace).
	PutPartnerTariff(ctx context.Context, pt PartnerTariff) error
	// LatestOutbox returns the partner's newest outbox item of an object key; CodeNotFound if
	// there is none (or it was pruned).
	LatestOutbox(ctx context.Context, partnerID int64, objectKey string) (OutboxItem, error)
}

// versionStore returns st as a TariffVersionStore.
func versionStore(st Store) (TariffVersionStore, error) {
	vs, ok := st.(TariffVersionStore)
	if !ok {
		return nil, fmt.Errorf("roaming: the store %T keeps no tariff versions", st)
	}
	return vs, nil
}

// BodyHash is the hex SHA-256 of a stored or pushed JSON body; equal hashes mean byte-identical
// bodies.
func BodyHash(body []byte) string {
	h := sha256.Sum256(body)
	return hex.EncodeToString(h[:])
}

// SaveTariff stores a new version of a tariff and PUTs it to every Tariffs Receiver, in one
// transaction. create refuses an id that is current (CodeConflict); otherwise a missing tariff is
// created (or a removed one revived). country_code/party_id default to the hub's, last_updated is
// the save time. A tariff equal to the current one (last_updated aside) changes nothing: changed
// is false and the current version is returned.
func (s *Service) SaveTariff(ctx context.Context, t ocpi.Tariff, create bool) (v TariffVersion, changed bool, err error) {
	err = s.inTx(ctx, func(tx Store, q *queue) error {
		vs, err := versionStore(tx)
		if err != nil {
			return err
		}
		if err := s.own(&t.CountryCode, &t.PartyID, "tariff"); err != nil {
			return err
		}
		now := s.clock.Now()
		t.LastUpdated = ocpi.NewDateTime(now)
		if err := t.Validate(); err != nil {
			return validation("tariff", err)
		}
		old, err := tx.GetTariff(ctx, t.ID)
		switch {
		case err == nil && create:
			return charging.Errorf(charging.CodeConflict, "tariff %q exists; change it with PUT", t.ID)
		case err == nil && sameTariff(old, t):
			v, err = s.currentVersion(ctx, vs, old, now)
			return err
		case err == nil:
			t.ID = old.ID // keep the id as first written
		case !charging.IsNotFound(err):
			return err
		}
		if err := s.putTariff(ctx, tx, q, t); err != nil {
			return err
		}
		n, err := vs.AddTariffVersion(ctx, t, false, now)
		if err != nil {
			return err
		}
		v, changed = TariffVersion{Tariff: t, Version: n, ValidFrom: now}, true
		return nil
	})
	if err != nil {
		return TariffVersion{}, false, fmt.Errorf("save tariff %q: %w", t.ID, err)
	}
	return v, changed, nil
}

// currentVersion returns the open version of a stored tariff, recording one valid from now when
// none is (a tariff stored around SaveTariff).
func (s *Service) currentVersion(ctx context.Context, vs TariffVersionStore, cur ocpi.Tariff, now time.Time) (TariffVersion, error) {
	v, err := vs.TariffVersionAt(ctx, cur.ID, now)
	if err == nil && !v.Deleted && v.ValidTo == nil && sameTariff(v.Tariff, cur) {
		v.Tariff = cur
		return v, nil
	}
	if err != nil && !charging.IsNotFound(err) {
		return TariffVersion{}, err
	}
	n, err := vs.AddTariffVersion(ctx, cur, false, now)
	if err != nil {
		return TariffVersion{}, err
	}
	return TariffVersion{Tariff: cur, Version: n, ValidFrom: now}, nil
}

// RemoveTariff retires a current tariff: it is no longer served, a DELETE goes to every Tariffs
// Receiver and the removal is recorded as a version. Sessions that started before keep being
// priced with the version valid at their start. CodeNotFound for an unknown or removed tariff.
func (s *Service) RemoveTariff(ctx context.Context, id string) (TariffVersion, error) {
	var v TariffVersion
	err := s.inTx(ctx, func(tx Store, q *queue) error {
		vs, err := versionStore(tx)
		if err != nil {
			return err
		}
		t, err := tx.GetTariff(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteTariff(ctx, id); err != nil {
			return err
		}
		if err := s.broadcast(ctx, tx, q, ocpi.ModuleIDTariffs, t.ID, http.MethodDelete, nil, s.ownPath(t.ID)); err != nil {
			return err
		}
		now := s.clock.Now()
		n, err := vs.AddTariffVersion(ctx, t, true, now)
		if err != nil {
			return err
		}
		v = TariffVersion{Tariff: t, Version: n, Deleted: true, ValidFrom: now}
		return nil
	})
	if err != nil {
		return TariffVersion{}, fmt.Errorf("remove tariff %q: %w", id, err)
	}
	return v, nil
}

// CurrentTariff returns a current tariff with its version number (0 when none is recorded);
// CodeNotFound for an unknown or removed one.
func (s *Service) CurrentTariff(ctx context.Context, id string) (TariffVersion, error) {
	t, err := s.store.GetTariff(ctx, id)
	if err != nil {
		return TariffVersion{}, err
	}
	vs, err := versionStore(s.store)
	if err != nil {
		return TariffVersion{}, err
	}
	list, err := vs.TariffVersions(ctx, id)
	if err != nil {
		return TariffVersion{}, err
	}
	v := TariffVersion{Tariff: t}
	if n := len(list); n > 0 {
		v.Version, v.ValidFrom = list[n-1].Version, list[n-1].ValidFrom
	}
	return v, nil
}

// CurrentTariffs returns one page of current tariffs (oldest first) with their version numbers,
// and how many there are.
func (s *Service) CurrentTariffs(ctx context.Context, offset, limit int) ([]TariffVersion, int, error) {
	list, total, err := s.store.ListTariffs(ctx, ObjectFilter{Offset: offset, Limit: limit})
	if err != nil {
		return nil, 0, err
	}
	vs, err := versionStore(s.store)
	if err != nil {
		return nil, 0, err
	}
	latest, err := vs.LatestTariffVersions(ctx)
	if err != nil {
		return nil, 0, err
	}
	out := make([]TariffVersion, len(list))
	for i, t := range list {
		out[i] = TariffVersion{Tariff: t, Version: latest[idKey(t.ID)]}
	}
	return out, total, nil
}

// TariffHistory returns every version of a tariff, oldest first; CodeNotFound when none is
// recorded and the tariff is unknown.
func (s *Service) TariffHistory(ctx context.Context, id string) ([]TariffVersion, error) {
	vs, err := versionStore(s.store)
	if err != nil {
		return nil, err
	}
	list, err := vs.TariffVersions(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		if _, err := s.store.GetTariff(ctx, id); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// TariffAt returns the version of tariff id that was valid at `at` (a session's start), read
// through st (e.g. the roaming Store of the transaction publishing the session). A session that
// started before the tariff's first version gets the first version. CodeNotFound when the tariff
// was removed (or never existed) at `at`. A store without versions, or a tariff without recorded
// versions, gives the current tariff; so does a tariff changed around SaveTariff after its open
// version (the newer current body wins).
func TariffAt(ctx context.Context, st Store, id string, at time.Time) (ocpi.Tariff, error) {
	vs, ok := st.(TariffVersionStore)
	if !ok {
		return st.GetTariff(ctx, id)
	}
	v, err := vs.TariffVersionAt(ctx, id, at)
	if charging.IsNotFound(err) {
		return st.GetTariff(ctx, id)
	}
	if err != nil {
		return ocpi.Tariff{}, err
	}
	if v.Deleted {
		return ocpi.Tariff{}, charging.Errorf(charging.CodeNotFound, "tariff %q was removed at %s", id,
			v.ValidFrom.UTC().Format(time.RFC3339))
	}
	if v.ValidTo == nil {
		cur, err := st.GetTariff(ctx, id)
		switch {
		case err == nil && cur.LastUpdated.After(v.Tariff.LastUpdated.Time):
			return cur, nil
		case err != nil && !charging.IsNotFound(err):
			return ocpi.Tariff{}, err
		}
	}
	return v.Tariff, nil
}

// sameTariff reports whether two tariffs are equal but for last_updated.
func sameTariff(a, b ocpi.Tariff) bool {
	a.LastUpdated, b.LastUpdated = ocpi.DateTime{}, ocpi.DateTime{}
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}
