package roaming

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// fullSyncEvery is how old the last token pull may be before the periodic sync pulls the whole
// list again instead of the changes since then.
const fullSyncEvery = 24 * time.Hour

// unknownToken is CodeNotFound with OCPI status 2004.
func unknownToken(format string, args ...any) error {
	return statusErr(charging.CodeNotFound, ocpi.StatusCodeUnknownToken, format, args...)
}

// checkOwner verifies that a partner may act for the party in a client owned object's URL:
// one of its own parties, or any party behind a hub.
func checkOwner(p *Partner, owner Party) error {
	if p.IsHub() || p.HasParty(owner) {
		return nil
	}
	return statusErr(charging.CodeNotFound, ocpi.StatusCodeInvalidParameters,
		"party %s is not one of the parties of your credentials", owner)
}

// ReceiveToken stores a Token an eMSP PUT on our Tokens Receiver; key is what the URL says.
// created reports a new token.
func (s *Service) ReceiveToken(ctx context.Context, p Partner, key TokenKey, t ocpi.Token) (created bool, err error) {
	if err := checkOwner(&p, key.Party); err != nil {
		return false, err
	}
	if !KeyOf(&t).Norm().equal(key.Norm()) {
		return false, invalid("the token %s/%s/%s (%s) differs from the URL %s/%s/%s (%s)",
			t.CountryCode, t.PartyID, t.UID, t.Type, key.Party.CountryCode, key.Party.PartyID, key.UID, key.Norm().Type)
	}
	if err := t.Validate(); err != nil {
		return false, validation("token", err)
	}
	return s.store.PutToken(ctx, StoredToken{PartnerID: p.ID, Token: t})
}

func (k TokenKey) equal(o TokenKey) bool {
	return k.Party == o.Party && k.UID == o.UID && k.Type == o.Type
}

// PatchToken applies an eMSP's partial update to a stored Token; an unknown token is 2004.
func (s *Service) PatchToken(ctx context.Context, p Partner, key TokenKey, patch ocpi.TokenPatch) error {
	if err := checkOwner(&p, key.Party); err != nil {
		return err
	}
	if err := patch.Validate(); err != nil {
		return validation("token patch", err)
	}
	return s.store.InTx(ctx, func(tx Store) error {
		st, err := s.ownToken(ctx, tx, p, key)
		if err != nil {
			return err
		}
		before := KeyOf(&st.Token).Norm()
		st.Token.ApplyPatch(&patch)
		if !KeyOf(&st.Token).Norm().equal(before) {
			return invalid("a PATCH cannot change country_code, party_id, uid or type of a token")
		}
		if err := st.Token.Validate(); err != nil {
			return validation("token", err)
		}
		st.PartnerID = p.ID
		_, err = tx.PutToken(ctx, st)
		return err
	})
}

// Token returns a stored Token of the calling partner's parties; unknown is 2004.
func (s *Service) Token(ctx context.Context, p Partner, key TokenKey) (ocpi.Token, error) {
	if err := checkOwner(&p, key.Party); err != nil {
		return ocpi.Token{}, err
	}
	st, err := s.ownToken(ctx, s.store, p, key)
	return st.Token, err
}

// ownToken loads a token that belongs to partner p.
func (s *Service) ownToken(ctx context.Context, tx Store, p Partner, key TokenKey) (StoredToken, error) {
	st, err := tx.GetToken(ctx, key)
	if charging.IsNotFound(err) || (err == nil && st.PartnerID != p.ID) {
		return StoredToken{}, unknownToken("unknown token %s/%s (%s)", key.Party, key.UID, key.Norm().Type)
	}
	return st, err
}

// TokensByUID returns the stored tokens with this uid (any owner, any type), for charger
// authorization (the OCPP→OCPI mapping).
func (s *Service) TokensByUID(ctx context.Context, uid string) ([]StoredToken, error) {
	list, _, err := s.store.ListTokens(ctx, TokenFilter{UID: uid})
	return list, err
}

// ListTokens returns one page of stored tokens (an operator's view).
func (s *Service) ListTokens(ctx context.Context, f TokenFilter) ([]StoredToken, int, error) {
	return s.store.ListTokens(ctx, f)
}

// SyncResult says what a token pull did.
type SyncResult struct {
	Full        bool
	Stored      int   // tokens stored (new or newer than ours)
	Skipped     int   // tokens older than what we have
	Invalid     int   // objects that were not valid tokens of the partner (logged)
	Invalidated int64 // (full pull) tokens not in the list, now valid=false
}

// SyncTokens pulls the Tokens of a registered partner from its Tokens Sender, following the
// pagination links. A full pull replaces the partner's token set (tokens it did not list become
// invalid); otherwise only the changes since the last successful pull are fetched.
func (s *Service) SyncTokens(ctx context.Context, id int64, full bool) (SyncResult, error) {
	res := SyncResult{Full: full}
	p, err := s.store.GetPartner(ctx, id)
	if err != nil {
		return res, err
	}
	if p.Status != PartnerRegistered {
		return res, charging.Errorf(charging.CodeConflict, "token pull from partner %d: %w", id, ErrNotRegistered)
	}
	u, ok := p.Endpoint(ocpi.ModuleIDTokens, ocpi.InterfaceRoleSender)
	if !ok {
		return res, invalid("partner %d has no tokens Sender interface", id)
	}
	start := s.clock.Now()
	req := PullRequest{URL: u, Cred: p.Credential(), From: s.cfg.Party, To: p.Party}
	if !full && p.TokensSyncedAt != nil {
		from := p.TokensSyncedAt.Add(-time.Minute) // a little overlap for clock skew
		req.DateFrom = &from
	}
	err = s.peer.PullList(ctx, req, func(page []json.RawMessage) error {
		for _, raw := range page {
			if err := s.storePulled(ctx, &p, raw, &res); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return res, charging.Errorf(charging.CodeUnavailable, "token pull from partner %d: %w", id, err)
	}
	err = s.store.InTx(ctx, func(tx Store) error {
		if full {
			n, err := tx.InvalidateTokens(ctx, id, start)
			if err != nil {
				return err
			}
			res.Invalidated = n
		}
		cur, err := tx.GetPartner(ctx, id)
		if err != nil {
			return err
		}
		cur.TokensSyncedAt = &start
		return tx.UpdatePartner(ctx, cur)
	})
	if err != nil {
		return res, fmt.Errorf("token pull from partner %d: %w", id, err)
	}
	s.log.Info("ocpi tokens pulled", "partner", id, "full", full, "stored", res.Stored, "skipped", res.Skipped,
		"invalid", res.Invalid, "invalidated", res.Invalidated)
	return res, nil
}

// storePulled decodes, checks and stores one pulled token; bad objects are counted and logged.
func (s *Service) storePulled(ctx context.Context, p *Partner, raw json.RawMessage, res *SyncResult) error {
	var t ocpi.Token
	err := json.Unmarshal(raw, &t)
	if err == nil {
		err = t.Validate()
	}
	if err == nil {
		err = checkOwner(p, Party{CountryCode: t.CountryCode, PartyID: t.PartyID})
	}
	if err != nil {
		res.Invalid++
		s.log.Warn("ocpi: skipping an invalid pulled token", "partner", p.ID, "err", err)
		return nil
	}
	old, err := s.store.GetToken(ctx, KeyOf(&t))
	switch {
	case err == nil && old.Token.LastUpdated.After(t.LastUpdated.Time):
		res.Skipped++
		return nil
	case err != nil && !charging.IsNotFound(err):
		return err
	}
	if _, err := s.store.PutToken(ctx, StoredToken{PartnerID: p.ID, Token: t}); err != nil {
		return err
	}
	res.Stored++
	return nil
}

// SyncAllTokens pulls the tokens of every registered partner with a Tokens Sender: the whole
// list when the last pull is older than a day (or never happened), else the changes. Errors are
// logged per partner; the number of partners that failed is returned.
func (s *Service) SyncAllTokens(ctx context.Context) int {
	list, _, err := s.store.ListPartners(ctx, PartnerFilter{Status: PartnerRegistered})
	if err != nil {
		s.log.Error("token sync: list partners", "err", err)
		return 1
	}
	failed := 0
	for _, p := range list {
		if _, ok := p.Endpoint(ocpi.ModuleIDTokens, ocpi.InterfaceRoleSender); !ok {
			continue
		}
		full := p.TokensSyncedAt == nil || s.clock.Now().Sub(*p.TokensSyncedAt) > fullSyncEvery
		if _, err := s.SyncTokens(ctx, p.ID, full); err != nil {
			failed++
			s.log.Warn("token sync failed", "partner", p.ID, "err", err)
		}
	}
	return failed
}

// ReceiveClientInfo stores what a hub PUT on our HubClientInfo Receiver; created reports a new
// entry. The URL's party must equal the body's.
func (s *Service) ReceiveClientInfo(ctx context.Context, p Partner, party Party, ci ocpi.ClientInfo) (bool, error) {
	if !party.Is(Party{CountryCode: ci.CountryCode, PartyID: ci.PartyID}) {
		return false, invalid("client info of %s*%s PUT on the URL of %s", ci.CountryCode, ci.PartyID, party)
	}
	if err := ci.Validate(); err != nil {
		return false, validation("client info", err)
	}
	ci.CountryCode, ci.PartyID = strings.ToUpper(ci.CountryCode), strings.ToUpper(ci.PartyID)
	return s.store.PutClientInfo(ctx, p.ID, ci)
}

// ClientInfo returns what the calling hub told about a party; unknown is CodeNotFound.
func (s *Service) ClientInfo(ctx context.Context, p Partner, party Party) (ocpi.ClientInfo, error) {
	return s.store.GetClientInfo(ctx, p.ID, party)
}
