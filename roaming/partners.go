package roaming

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// maxPageSizeLimit bounds what an operator may configure as a partner's page size cap.
const maxPageSizeLimit = 1000

// CreatePartner creates a partner that will register with the hub (the hub is the credentials
// Receiver) and returns it with its token A, to be handed over with VersionsURL.
func (s *Service) CreatePartner(ctx context.Context, np NewPartner) (Partner, string, error) {
	np.Name = strings.TrimSpace(np.Name)
	np.Role = ocpi.Role(strings.ToUpper(string(np.Role)))
	switch {
	case np.Name == "" || len(np.Name) > 100:
		return Partner{}, "", invalid("partner name must have 1 to 100 characters")
	case !np.Role.IsValid() || np.Role == ocpi.RoleCPO:
		return Partner{}, "", invalid("partner role %q must be EMSP, HUB, NSP, NAP, SCSP or OTHER", np.Role)
	case !np.Party.IsZero() && !np.Party.Valid():
		return Partner{}, "", invalid("party %q/%q needs a 2-character country code and a 3-character party id",
			np.Party.CountryCode, np.Party.PartyID)
	case np.MaxPageSize < 0 || np.MaxPageSize > maxPageSizeLimit:
		return Partner{}, "", invalid("max page size %d is not in 0..%d", np.MaxPageSize, maxPageSizeLimit)
	}
	token := s.ids.NewToken()
	p := Partner{Name: np.Name, Role: np.Role, Party: np.Party.Norm(), Status: PartnerPending, MaxPageSize: np.MaxPageSize}
	err := s.inTx(ctx, func(tx Store, _ *queue) error {
		if !p.Party.IsZero() {
			if err := s.checkPartyFree(ctx, tx, p.Role, p.Party, 0); err != nil {
				return err
			}
		}
		if err := tx.CreatePartner(ctx, &p); err != nil {
			return err
		}
		return tx.AddPartnerToken(ctx, PartnerToken{Hash: HashToken(token), PartnerID: p.ID, Kind: TokenRegistration,
			CreatedAt: s.clock.Now()})
	})
	if err != nil {
		return Partner{}, "", fmt.Errorf("create partner %q: %w", np.Name, err)
	}
	s.log.Info("ocpi partner created", "partner", p.ID, "name", p.Name, "role", p.Role, "party", p.Party.String())
	return p, token, nil
}

// checkPartyFree fails with CodeConflict when another live partner (not unregistered) already
// has role and party.
func (s *Service) checkPartyFree(ctx context.Context, tx Store, role ocpi.Role, party Party, self int64) error {
	list, _, err := tx.ListPartners(ctx, PartnerFilter{})
	if err != nil {
		return err
	}
	for _, o := range list {
		if o.ID != self && o.Status != PartnerUnregistered && o.Role == role && o.Party.Is(party) {
			return charging.Errorf(charging.CodeConflict, "partner %d already is %s %s", o.ID, role, party)
		}
	}
	return nil
}

// GetPartner returns a partner; CodeNotFound if unknown.
func (s *Service) GetPartner(ctx context.Context, id int64) (Partner, error) {
	return s.store.GetPartner(ctx, id)
}

// ListPartners returns one page of partners and how many match.
func (s *Service) ListPartners(ctx context.Context, f PartnerFilter) ([]Partner, int, error) {
	if f.Status != "" && !f.Status.Valid() {
		return nil, 0, invalid("partner status %q is not PENDING, REGISTERED, SUSPENDED or UNREGISTERED", f.Status)
	}
	return s.store.ListPartners(ctx, f)
}

// Authenticate finds the partner calling with an inbound credentials token and what the token
// may be used for. Unknown tokens and unregistered partners are CodeUnauthorized.
func (s *Service) Authenticate(ctx context.Context, token string) (Partner, TokenKind, error) {
	if token == "" {
		return Partner{}, "", charging.Errorf(charging.CodeUnauthorized, "no credentials token")
	}
	hash := HashToken(token)
	now := s.clock.Now()
	if p, kind, ok := s.checks.get(hash, now); ok {
		return p, kind, nil
	}
	p, kind, err := s.store.PartnerByTokenHash(ctx, hash)
	if charging.IsNotFound(err) {
		return Partner{}, "", charging.Errorf(charging.CodeUnauthorized, "unknown credentials token")
	}
	if err != nil {
		return Partner{}, "", err
	}
	if p.Status == PartnerUnregistered {
		return Partner{}, "", charging.Errorf(charging.CodeUnauthorized, "partner %d is unregistered", p.ID)
	}
	s.checks.put(hash, p, kind, now)
	return p, kind, nil
}

// SuspendPartner pauses a registered partner: its functional calls are refused and pushes wait
// (they stay in the outbox) until ResumePartner.
func (s *Service) SuspendPartner(ctx context.Context, id int64) (Partner, error) {
	return s.setStatus(ctx, id, PartnerRegistered, PartnerSuspended)
}

// ResumePartner ends a suspension; queued pushes are delivered again.
func (s *Service) ResumePartner(ctx context.Context, id int64) (Partner, error) {
	return s.setStatus(ctx, id, PartnerSuspended, PartnerRegistered)
}

func (s *Service) setStatus(ctx context.Context, id int64, from, to PartnerStatus) (Partner, error) {
	defer s.checks.clear()
	var p Partner
	err := s.inTx(ctx, func(tx Store, _ *queue) error {
		var err error
		if p, err = tx.GetPartner(ctx, id); err != nil {
			return err
		}
		if p.Status == to {
			return nil
		}
		if p.Status != from {
			return charging.Errorf(charging.CodeConflict, "partner %d is %s, not %s", id, p.Status, from)
		}
		p.Status = to
		return tx.UpdatePartner(ctx, p)
	})
	if err == nil && to == PartnerRegistered && s.notify != nil {
		s.notify()
	}
	return p, err
}

// ListOutbox returns one page of a partner's outbox items, newest first.
func (s *Service) ListOutbox(ctx context.Context, f OutboxFilter) ([]OutboxItem, int, error) {
	if f.Status != "" && !f.Status.Valid() {
		return nil, 0, invalid("outbox status %q is not pending, delivered or failed", f.Status)
	}
	if f.PartnerID != 0 {
		if _, err := s.store.GetPartner(ctx, f.PartnerID); err != nil {
			return nil, 0, err
		}
	}
	return s.store.ListOutbox(ctx, f)
}

// OutboxBacklog returns the pending and failed counts per partner.
func (s *Service) OutboxBacklog(ctx context.Context) ([]OutboxCount, error) {
	return s.store.OutboxBacklog(ctx)
}

// RetryOutbox puts a failed outbox item back in the queue, due now (an operator's decision).
func (s *Service) RetryOutbox(ctx context.Context, partnerID, itemID int64) error {
	err := s.store.RetryOutbox(ctx, partnerID, itemID, s.clock.Now())
	if err == nil && s.notify != nil {
		s.notify()
	}
	return err
}

// PruneOutbox deletes items delivered more than `keep` ago.
func (s *Service) PruneOutbox(ctx context.Context, keep time.Duration) (int64, error) {
	return s.store.PruneOutbox(ctx, s.clock.Now().Add(-keep))
}

// receivers returns the registered (then the suspended) partners implementing module's
// Receiver interface (not CPOs), each with the routing party to address: a hub gets a broadcast
// (to = the hub itself).
func (s *Service) receivers(ctx context.Context, tx Store, module ocpi.ModuleID) ([]target, error) {
	all, _, err := tx.ListPartners(ctx, PartnerFilter{}) // one query: a hub has tens of partners
	if err != nil {
		return nil, err
	}
	var out []target
	for _, st := range []PartnerStatus{PartnerRegistered, PartnerSuspended} { // registered first, as before
		for _, p := range all {
			if p.Status != st {
				continue
			}
			if _, ok := p.Endpoint(module, ocpi.InterfaceRoleReceiver); ok && p.Role != ocpi.RoleCPO {
				out = append(out, target{partner: p, to: p.Party})
			}
		}
	}
	return out, nil
}

// ownerTargets returns the partners to push an object of the token owner `owner` to: the
// partner hosting that party, else the hubs that announced it as connected.
func (s *Service) ownerTargets(ctx context.Context, tx Store, module ocpi.ModuleID, owner Party) ([]target, error) {
	all, err := s.receivers(ctx, tx, module)
	if err != nil {
		return nil, err
	}
	var direct, hubs []target
	for _, t := range all {
		switch {
		case t.partner.HasParty(owner):
			direct = append(direct, target{partner: t.partner, to: owner.Norm()})
		case t.partner.IsHub():
			ci, err := tx.GetClientInfo(ctx, t.partner.ID, owner)
			if err == nil && ci.Status == ocpi.ConnectionStatusConnected {
				hubs = append(hubs, target{partner: t.partner, to: owner.Norm()})
			} else if err != nil && !charging.IsNotFound(err) {
				return nil, err
			}
		}
	}
	if len(direct) > 0 {
		return direct, nil
	}
	return hubs, nil
}

// target is one partner to push to, with the OCPI-to-* party.
type target struct {
	partner Partner
	to      Party
}
