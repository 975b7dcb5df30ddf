package roaming

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// PutSession stores a Session (created or replaced) and PUTs it to the eMSP owning its token
// (through a hub that announced that eMSP if there is no direct connection).
func (s *Service) PutSession(ctx context.Context, sess ocpi.Session) error {
	return s.inTx(ctx, func(tx Store, q *queue) error { return s.putSession(ctx, tx, q, sess) })
}

func (s *Service) putSession(ctx context.Context, tx Store, q *queue, sess ocpi.Session) error {
	old, err := tx.GetSession(ctx, sess.ID)
	switch {
	case err == nil:
		return s.putSessionOn(ctx, tx, q, &old, sess)
	case charging.IsNotFound(err):
		return s.putSessionOn(ctx, tx, q, nil, sess)
	}
	return err
}

// putSessionOn is putSession with the stored Session as read in tx (nil: there is none).
func (s *Service) putSessionOn(ctx context.Context, tx Store, q *queue, stored *ocpi.Session, sess ocpi.Session) error {
	if err := s.own(&sess.CountryCode, &sess.PartyID, "session"); err != nil {
		return err
	}
	if sess.LastUpdated.IsZero() {
		sess.LastUpdated = ocpi.NewDateTime(s.clock.Now())
	}
	if err := sess.Validate(); err != nil {
		return validation("session", err)
	}
	if stored != nil {
		sess.ID = stored.ID // ids are compared case-insensitively: the stored spelling stays
	}
	if _, err := tx.PutSession(ctx, sess); err != nil {
		return err
	}
	return s.pushToOwner(ctx, tx, q, ocpi.ModuleIDSessions, sess.ID, tokenOwner(&sess.CdrToken), http.MethodPut,
		sess, s.ownPath(sess.ID))
}

// PatchSession applies a partial update to a stored Session (charging periods are appended) and
// PATCHes the eMSP owning its token.
func (s *Service) PatchSession(ctx context.Context, id string, p ocpi.SessionPatch) error {
	return s.inTx(ctx, func(tx Store, q *queue) error { return s.patchSession(ctx, tx, q, id, p) })
}

func (s *Service) patchSession(ctx context.Context, tx Store, q *queue, id string, p ocpi.SessionPatch) error {
	if p.LastUpdated.IsZero() {
		p.LastUpdated = ocpi.NewDateTime(s.clock.Now())
	}
	if err := p.Validate(); err != nil {
		return validation("session patch", err)
	}
	sess, err := tx.GetSession(ctx, id)
	if err != nil {
		return err
	}
	sess.ApplyPatch(&p)
	if err := sess.Validate(); err != nil {
		return validation("session", err)
	}
	if _, err := tx.PutSession(ctx, sess); err != nil {
		return err
	}
	return s.pushToOwner(ctx, tx, q, ocpi.ModuleIDSessions, sess.ID, tokenOwner(&sess.CdrToken), http.MethodPatch,
		p, s.ownPath(sess.ID))
}

// PostCDR stores a final CDR (CodeConflict if its id exists: CDRs are immutable) and POSTs it
// to the eMSP owning its token; deliveries are retried until accepted.
func (s *Service) PostCDR(ctx context.Context, c ocpi.CDR) error {
	return s.inTx(ctx, func(tx Store, q *queue) error { return s.postCDR(ctx, tx, q, c) })
}

func (s *Service) postCDR(ctx context.Context, tx Store, q *queue, c ocpi.CDR) error {
	if err := s.own(&c.CountryCode, &c.PartyID, "cdr"); err != nil {
		return err
	}
	if c.LastUpdated.IsZero() {
		c.LastUpdated = ocpi.NewDateTime(s.clock.Now())
	}
	if err := c.Validate(); err != nil {
		return validation("cdr", err)
	}
	if err := tx.CreateCDR(ctx, c); err != nil {
		return err
	}
	return s.pushToOwner(ctx, tx, q, ocpi.ModuleIDCdrs, c.ID, tokenOwner(&c.CdrToken), http.MethodPost, c, "")
}

// PutTariff stores a Tariff and PUTs it to every Tariffs Receiver.
func (s *Service) PutTariff(ctx context.Context, t ocpi.Tariff) error {
	return s.inTx(ctx, func(tx Store, q *queue) error { return s.putTariff(ctx, tx, q, t) })
}

func (s *Service) putTariff(ctx context.Context, tx Store, q *queue, t ocpi.Tariff) error {
	if err := s.own(&t.CountryCode, &t.PartyID, "tariff"); err != nil {
		return err
	}
	if t.LastUpdated.IsZero() {
		t.LastUpdated = ocpi.NewDateTime(s.clock.Now())
	}
	if err := t.Validate(); err != nil {
		return validation("tariff", err)
	}
	if old, err := tx.GetTariff(ctx, t.ID); err == nil {
		t.ID = old.ID
	} else if !charging.IsNotFound(err) {
		return err
	}
	if _, err := tx.PutTariff(ctx, t); err != nil {
		return err
	}
	return s.broadcast(ctx, tx, q, ocpi.ModuleIDTariffs, t.ID, http.MethodPut, t, s.ownPath(t.ID))
}

// DeleteTariff retires a Tariff and DELETEs it at every Tariffs Receiver.
func (s *Service) DeleteTariff(ctx context.Context, id string) error {
	return s.inTx(ctx, func(tx Store, q *queue) error {
		t, err := tx.GetTariff(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteTariff(ctx, id); err != nil {
			return err
		}
		return s.broadcast(ctx, tx, q, ocpi.ModuleIDTariffs, t.ID, http.MethodDelete, nil, s.ownPath(t.ID))
	})
}

// ownPath is "/{our cc}/{our pid}/{id}", the Receiver URL suffix of a client owned object.
func (s *Service) ownPath(id string) string {
	return pathOf(strings.ToUpper(s.cfg.Party.CountryCode), strings.ToUpper(s.cfg.Party.PartyID), id)
}

func tokenOwner(t *ocpi.CdrToken) Party {
	return Party{CountryCode: t.CountryCode, PartyID: t.PartyID}
}

// pushToOwner enqueues a push of a token owner's object (Session, CDR) to that owner's partner.
func (s *Service) pushToOwner(ctx context.Context, tx Store, q *queue, module ocpi.ModuleID, id string, owner Party,
	method string, body any, path string) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encode %s push: %w", module, err)
	}
	targets, err := s.ownerTargets(ctx, tx, module, owner)
	if err != nil {
		return err
	}
	if len(targets) == 0 {
		s.log.Debug("no partner to push to", "module", module, "id", id, "owner", owner.String())
	}
	for _, t := range targets {
		q.add(OutboxItem{PartnerID: t.partner.ID, ObjectKey: string(module) + "/" + strings.ToUpper(id), Module: module,
			Path: path, Method: method, Body: raw, To: t.to, CorrelationID: s.ids.NewID()})
	}
	return nil
}

// broadcast enqueues a push of a public object (Tariff) to every Receiver of the module.
func (s *Service) broadcast(ctx context.Context, tx Store, q *queue, module ocpi.ModuleID, id, method string, body any, path string) error {
	var raw json.RawMessage
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return fmt.Errorf("encode %s push: %w", module, err)
		}
	}
	targets, err := s.receivers(ctx, tx, module)
	if err != nil {
		return err
	}
	for _, t := range targets {
		q.add(OutboxItem{PartnerID: t.partner.ID, ObjectKey: string(module) + "/" + strings.ToUpper(id), Module: module,
			Path: path, Method: method, Body: raw, To: t.to, CorrelationID: s.ids.NewID()})
	}
	return nil
}

// initialPushes enqueues PUTs of every visible Location and every Tariff to a partner that just
// registered, when it has the Receiver interfaces (Config.PushOnRegister).
func (s *Service) initialPushes(ctx context.Context, tx Store, q *queue, p Partner) error {
	if !s.cfg.PushOnRegister || p.Role == ocpi.RoleCPO {
		return nil
	}
	to := p.Party
	if _, ok := p.Endpoint(ocpi.ModuleIDLocations, ocpi.InterfaceRoleReceiver); ok {
		for offset := 0; ; offset += 500 {
			list, _, err := tx.ListLocations(ctx, ObjectFilter{VisibleOnly: true, Offset: offset, Limit: 500})
			if err != nil {
				return err
			}
			for _, l := range list {
				raw, err := json.Marshal(l.OCPI)
				if err != nil {
					return fmt.Errorf("encode location push: %w", err)
				}
				q.add(OutboxItem{PartnerID: p.ID, ObjectKey: "locations/" + strings.ToUpper(l.OCPI.ID), Module: ocpi.ModuleIDLocations,
					Path: s.ownPath(l.OCPI.ID), Method: http.MethodPut, Body: raw, To: to, CorrelationID: s.ids.NewID()})
			}
			if len(list) < 500 {
				break
			}
		}
	}
	if _, ok := p.Endpoint(ocpi.ModuleIDTariffs, ocpi.InterfaceRoleReceiver); ok {
		for offset := 0; ; offset += 500 {
			list, _, err := tx.ListTariffs(ctx, ObjectFilter{Offset: offset, Limit: 500})
			if err != nil {
				return err
			}
			for _, t := range list {
				raw, err := json.Marshal(t)
				if err != nil {
					return fmt.Errorf("encode tariff push: %w", err)
				}
				q.add(OutboxItem{PartnerID: p.ID, ObjectKey: "tariffs/" + strings.ToUpper(t.ID), Module: ocpi.ModuleIDTariffs,
					Path: s.ownPath(t.ID), Method: http.MethodPut, Body: raw, To: to, CorrelationID: s.ids.NewID()})
			}
			if len(list) < 500 {
				break
			}
		}
	}
	return nil
}

// Viewer returns the token-owner parties whose Sessions and CDRs a partner may see: the party it
// named in OCPI-from-* (from, already checked against the partner), else all its parties and,
// for a hub, every party it announced through HubClientInfo.
func (s *Service) Viewer(ctx context.Context, p Partner, from Party) ([]Party, error) {
	if !from.IsZero() {
		return []Party{from.Norm()}, nil
	}
	parties := p.Parties()
	if p.IsHub() {
		infos, err := s.store.ListClientInfos(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		for _, ci := range infos {
			q := Party{CountryCode: ci.CountryCode, PartyID: ci.PartyID}
			if !p.HasParty(q) {
				parties = append(parties, q.Norm())
			}
		}
	}
	return parties, nil
}

// Sessions returns one page of the Sessions of the viewer parties.
func (s *Service) Sessions(ctx context.Context, viewer []Party, f ObjectFilter) ([]ocpi.Session, int, error) {
	f.Restrict, f.Owners = true, viewer
	return s.store.ListSessions(ctx, f)
}

// CDRs returns one page of the CDRs of the viewer parties.
func (s *Service) CDRs(ctx context.Context, viewer []Party, f ObjectFilter) ([]ocpi.CDR, int, error) {
	f.Restrict, f.Owners = true, viewer
	return s.store.ListCDRs(ctx, f)
}

// Tariffs returns one page of the current Tariffs.
func (s *Service) Tariffs(ctx context.Context, f ObjectFilter) ([]ocpi.Tariff, int, error) {
	return s.store.ListTariffs(ctx, f)
}

// SessionFor returns a Session that one of the viewer parties owns the token of; any other is
// CodeNotFound (the caller must not learn that it exists).
func (s *Service) SessionFor(ctx context.Context, viewer []Party, id string) (ocpi.Session, error) {
	sess, err := s.store.GetSession(ctx, id)
	if err != nil {
		return ocpi.Session{}, err
	}
	owner := tokenOwner(&sess.CdrToken)
	for _, v := range viewer {
		if v.Is(owner) {
			return sess, nil
		}
	}
	return ocpi.Session{}, charging.Errorf(charging.CodeNotFound, "unknown session %q", id)
}
