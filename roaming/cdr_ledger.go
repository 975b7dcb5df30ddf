package roaming

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// The CDR ledger: every CDR the hub issued, as stored (immutable), read in issue order for
// finance exports, settlement reports and the CDR sync; the delivery of each CDR to each partner;
// and the corrections (credit CDR + replacement) made to CDRs. A CDR is never changed or deleted:
// a correction is a credit CDR that negates it plus, optionally, a new CDR.

// IssuedCDR is a stored CDR with the exact JSON the hub stored (and pushed), its key and the
// time the hub issued it.
type IssuedCDR struct {
	CDR      ocpi.CDR
	Body     json.RawMessage
	Key      string // upper-case id, the ledger's order key after IssuedAt
	IssuedAt time.Time
}

// CDRCursor is the position after which a CDRPage continues: (IssuedAt, Key) of the last CDR read.
type CDRCursor struct {
	IssuedAt time.Time
	Key      string
}

// CDRQuery selects issued CDRs in issue order (IssuedAt, then Key).
type CDRQuery struct {
	From, To *time.Time // IssuedAt in [From, To); nil = open
	// Restrict limits the CDRs to those whose token owner is in Owners (an empty list then
	// matches nothing).
	Restrict bool
	Owners   []Party
	After    *CDRCursor // continue after this CDR; nil = from the start
	Limit    int        // page size; 0 = 500
}

// CDRDelivery is the delivery of one CDR to one partner: the CDR's newest POST in the outbox,
// else what the CDR sync last recorded of it (delivered outbox items are pruned after a while).
type CDRDelivery struct {
	CDRKey       string
	PartnerID    int64
	Status       OutboxStatus
	OutboxID     int64 // 0: the outbox item is gone (pruned) or unknown
	Attempts     int
	Location     string // the Location header the partner answered (acknowledged CDRs)
	LastError    string
	BodyHash     string // BodyHash of the body POSTed
	DeliveredAt  *time.Time
	Redeliveries int // times the CDR sync sent the CDR again after a failure
	UpdatedAt    time.Time
	// Unrecorded says the outbox shows a state the ledger has not recorded yet (SaveCDRDelivery
	// would change something).
	Unrecorded bool
}

// CDRCorrection records that a CDR was credited: the credit CDR, the replacement issued with it
// (if any) and why. RootKey is the CDR its correction chain started from.
type CDRCorrection struct {
	CDRKey         string    `json:"cdr_id"`
	RootKey        string    `json:"root_id"`
	CreditKey      string    `json:"credit_id"`
	ReplacementKey string    `json:"replacement_id,omitempty"`
	Reason         string    `json:"reason"`
	CreatedAt      time.Time `json:"created_at"`
}

// CDRLedgerStore is the store side of the ledger. The store implements it next to Store; the
// Service finds it by a type assertion.
type CDRLedgerStore interface {
	// CDRPage returns the next page of issued CDRs matching q, in issue order.
	CDRPage(ctx context.Context, q CDRQuery) ([]IssuedCDR, error)
	// CDRDeliveries returns the deliveries of the CDRs with the given keys, per CDR key.
	CDRDeliveries(ctx context.Context, keys []string) (map[string][]CDRDelivery, error)
	// SaveCDRDelivery records a delivery (insert or replace).
	SaveCDRDelivery(ctx context.Context, d CDRDelivery) error
	// AddCDRCorrection records a correction; CodeConflict when the CDR was corrected already.
	AddCDRCorrection(ctx context.Context, c CDRCorrection) error
	// GetCDRCorrection returns the correction of a CDR; CodeNotFound when it has none.
	GetCDRCorrection(ctx context.Context, cdrKey string) (CDRCorrection, error)
	// CDRCorrectionByReplacement returns the correction that issued a CDR as its replacement;
	// CodeNotFound when it was not issued as one.
	CDRCorrectionByReplacement(ctx context.Context, cdrKey string) (CDRCorrection, error)
	// CountCDRCorrections counts the corrections of a chain.
	CountCDRCorrections(ctx context.Context, rootKey string) (int, error)
	// StalePendingSessions lists up to limit Sessions whose status is PENDING and whose
	// last_updated is before `before`, oldest first.
	StalePendingSessions(ctx context.Context, before time.Time, limit int) ([]ocpi.Session, error)
}

// ledger returns st as a CDRLedgerStore.
func ledger(st Store) (CDRLedgerStore, error) {
	ls, ok := st.(CDRLedgerStore)
	if !ok {
		return nil, fmt.Errorf("roaming: the store %T keeps no CDR ledger", st)
	}
	return ls, nil
}

// EachCDRPage calls fn with successive pages of the CDRs matching q, in issue order, until fn
// fails or the CDRs are exhausted. Only one page is held at a time, so any number of CDRs is read
// in constant memory; CDRs issued while the iteration runs are included if they sort after the
// cursor.
func (s *Service) EachCDRPage(ctx context.Context, q CDRQuery, fn func(page []IssuedCDR) error) error {
	ls, err := ledger(s.store)
	if err != nil {
		return err
	}
	if q.Limit <= 0 {
		q.Limit = 500
	}
	for {
		page, err := ls.CDRPage(ctx, q)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		if err := fn(page); err != nil {
			return err
		}
		if len(page) < q.Limit {
			return nil
		}
		last := page[len(page)-1]
		q.After = &CDRCursor{IssuedAt: last.IssuedAt, Key: last.Key}
	}
}

// GetIssuedCDR returns a CDR with its corrections and deliveries; CodeNotFound for an unknown id.
func (s *Service) GetIssuedCDR(ctx context.Context, id string) (ocpi.CDR, *CDRCorrection, []CDRDelivery, error) {
	ls, err := ledger(s.store)
	if err != nil {
		return ocpi.CDR{}, nil, nil, err
	}
	c, err := s.store.GetCDR(ctx, id)
	if err != nil {
		return ocpi.CDR{}, nil, nil, err
	}
	var corr *CDRCorrection
	if k, err := ls.GetCDRCorrection(ctx, idKey(id)); err == nil {
		corr = &k
	} else if !charging.IsNotFound(err) {
		return ocpi.CDR{}, nil, nil, err
	}
	ds, err := ls.CDRDeliveries(ctx, []string{idKey(id)})
	if err != nil {
		return ocpi.CDR{}, nil, nil, err
	}
	return c, corr, ds[idKey(id)], nil
}

// partyIndex maps token owner parties to the partner settling them: the partner whose own party
// it is, else a hub that announced it (the lowest partner id wins a tie). Partners of every status
// count, so that CDRs of an unregistered partner stay attributed to it.
type partyIndex struct {
	direct map[Party]int64
	hubs   map[Party]int64
	names  map[int64]string
}

// newPartyIndex reads every partner (and the parties hubs announced).
func (s *Service) newPartyIndex(ctx context.Context) (*partyIndex, error) {
	ix := &partyIndex{direct: map[Party]int64{}, hubs: map[Party]int64{}, names: map[int64]string{}}
	for offset := 0; ; offset += 500 {
		list, _, err := s.store.ListPartners(ctx, PartnerFilter{Offset: offset, Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, p := range list {
			ix.names[p.ID] = p.Name
			if p.Role == ocpi.RoleCPO {
				continue
			}
			for _, q := range p.Parties() {
				if _, ok := ix.direct[q.Norm()]; !ok && !p.IsHub() {
					ix.direct[q.Norm()] = p.ID
				}
			}
			if !p.IsHub() {
				continue
			}
			infos, err := s.store.ListClientInfos(ctx, p.ID)
			if err != nil {
				return nil, err
			}
			for _, ci := range infos {
				q := Party{CountryCode: ci.CountryCode, PartyID: ci.PartyID}.Norm()
				if _, ok := ix.hubs[q]; !ok {
					ix.hubs[q] = p.ID
				}
			}
		}
		if len(list) < 500 {
			return ix, nil
		}
	}
}

// partnerOf returns the partner settling the token owner (0: none).
func (ix *partyIndex) partnerOf(owner Party) int64 {
	n := owner.Norm()
	if id, ok := ix.direct[n]; ok {
		return id
	}
	return ix.hubs[n]
}

// partiesOf returns the token owner parties the partner settles.
func (ix *partyIndex) partiesOf(partnerID int64) []Party {
	var out []Party
	for q, id := range ix.direct {
		if id == partnerID {
			out = append(out, q)
		}
	}
	for q, id := range ix.hubs {
		if _, direct := ix.direct[q]; id == partnerID && !direct {
			out = append(out, q)
		}
	}
	return out
}
