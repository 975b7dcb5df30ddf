package bridge

import (
	"context"
	"strings"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
)

// SessionAuths tells the Session publisher how a transaction's token was authorized
// (roaming.SessionAuthSource; install it with roaming.Service.SetSessionAuth): first a remote
// start (Commands.SessionAuth: the command's token, COMMAND, its authorization_reference), then
// what Tokens knows of the transaction's id tag: the eMSP token behind a 1.6 alias, and the
// authorization_reference of a real-time answer given for it at that location around the start
// (AUTH_REQUEST). Anything else is left to the publisher (known false).
type SessionAuths struct {
	Commands *Commands
	Tokens   *Tokens
}

var _ roaming.SessionAuthSource = SessionAuths{}

// SessionAuth implements roaming.SessionAuthSource; it reads through tx only.
func (s SessionAuths) SessionAuth(ctx context.Context, tx charging.Store, t charging.Transaction) (roaming.SessionAuth, bool, error) {
	if s.Commands != nil {
		a, ok, err := s.Commands.SessionAuth(ctx, tx, t)
		if err != nil || ok {
			return a, ok, err
		}
	}
	if s.Tokens == nil || t.IDTag == "" {
		return roaming.SessionAuth{}, false, nil
	}
	return s.Tokens.sessionAuth(ctx, tx, t)
}

// sessionAuth is Tokens' part of SessionAuths.
func (t *Tokens) sessionAuth(ctx context.Context, tx charging.Store, tr charging.Transaction) (roaming.SessionAuth, bool, error) {
	db, ok := tx.(*store.DB)
	if !ok {
		return roaming.SessionAuth{}, false, nil
	}
	rs := db.Roaming()
	var tok roaming.StoredToken
	aliased := strings.HasPrefix(tr.IDTag, "#")
	if aliased {
		k, err := db.BridgeCommands().TokenOfAlias(ctx, tr.IDTag)
		if charging.IsNotFound(err) {
			return roaming.SessionAuth{}, false, nil
		}
		if err != nil {
			return roaming.SessionAuth{}, false, err
		}
		if tok, err = rs.GetToken(ctx, k); err != nil {
			if charging.IsNotFound(err) {
				return roaming.SessionAuth{}, false, nil
			}
			return roaming.SessionAuth{}, false, err
		}
	} else {
		list, _, err := rs.ListTokens(ctx, roaming.TokenFilter{UID: tr.IDTag})
		if err != nil || len(list) == 0 {
			return roaming.SessionAuth{}, false, err
		}
		best := &list[0]
		for i := range list[1:] {
			if better(&list[i+1], best) {
				best = &list[i+1]
			}
		}
		tok = *best
	}
	var loc *ocpi.LocationReferences
	// the key is the upper-cased id, all cacheKey reads of it (no need to decode the location)
	if k, err := rs.LocationKeyOfStation(ctx, tr.StationID); err == nil {
		loc = &ocpi.LocationReferences{LocationID: k}
	} else if !charging.IsNotFound(err) {
		return roaming.SessionAuth{}, false, err
	}
	start := tr.StartReceivedAt
	if start.IsZero() {
		start = tr.StartedAt
	}
	t.mu.Lock()
	a, hit := t.cache[cacheKey(&tok, loc)]
	t.mu.Unlock()
	hit = hit && !a.at.Before(start.Add(-t.cfg.CacheTTL)) && !a.at.After(start.Add(linkSlack))
	if !hit && !aliased {
		return roaming.SessionAuth{}, false, nil
	}
	cdr := ocpi.CdrToken{CountryCode: strings.ToUpper(tok.Token.CountryCode), PartyID: strings.ToUpper(tok.Token.PartyID),
		UID: tok.Token.UID, Type: tok.Token.Type, ContractID: tok.Token.ContractID}
	out := roaming.SessionAuth{Token: &cdr, Method: ocpi.AuthMethodWhitelist, Rejected: !tok.Token.Valid}
	if tok.Token.Whitelist == ocpi.WhitelistTypeNever {
		out.Method = ocpi.AuthMethodAuthRequest
	}
	if hit {
		out.Method, out.AuthorizationReference, out.Rejected = ocpi.AuthMethodAuthRequest, a.ref, a.info.Status != charging.AuthAccepted
	}
	return out, true, nil
}
