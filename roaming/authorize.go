package roaming

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// ErrUnknownToken is wrapped by RealTimeAuthorizer errors when the eMSP does not know the token
// (HTTP 404 or OCPI status 2004): the token must be refused.
var ErrUnknownToken = errors.New("the eMSP does not know the token")

// AuthorizeRequest is a real-time authorization: POST {tokens Sender URL}/{uid}/authorize?type=.
type AuthorizeRequest struct {
	URL           string // the complete URL, query included
	Cred          Credential
	From, To      Party                    // routing headers: the CPO, the token's owner
	Location      *ocpi.LocationReferences // the body; nil = none
	CorrelationID string
}

// RealTimeAuthorizer asks an eMSP to authorize one of its tokens in real time (ocpi/client
// implements it beside Peer). It returns the eMSP's AuthorizationInfo, an error wrapping
// ErrUnknownToken when the eMSP does not know the token, or any other error when it could not
// answer (unreachable, timeout, server error).
type RealTimeAuthorizer interface {
	AuthorizeToken(ctx context.Context, req AuthorizeRequest) (ocpi.AuthorizationInfo, error)
}

// ErrNoRealTime is wrapped when a token's eMSP cannot be asked in real time: it is not
// registered, has no Tokens Sender interface, or the Peer has no real-time authorization.
var ErrNoRealTime = errors.New("real-time authorization is not possible")

// AuthorizeRealTime asks the eMSP owning a stored token whether it may charge at loc (nil:
// no location is sent). The caller bounds the call with ctx (charger-side timeouts are short).
// Errors wrap ErrUnknownToken (refuse), ErrNoRealTime, or the eMSP's failure to answer.
func (s *Service) AuthorizeRealTime(ctx context.Context, t StoredToken, loc *ocpi.LocationReferences) (ocpi.AuthorizationInfo, error) {
	rt, ok := s.peer.(RealTimeAuthorizer)
	if !ok {
		return ocpi.AuthorizationInfo{}, fmt.Errorf("token %s: %w (no client)", t.Token.UID, ErrNoRealTime)
	}
	p, err := s.store.GetPartner(ctx, t.PartnerID)
	if err != nil {
		if charging.IsNotFound(err) {
			return ocpi.AuthorizationInfo{}, fmt.Errorf("token %s: partner %d is gone: %w", t.Token.UID, t.PartnerID, ErrNoRealTime)
		}
		return ocpi.AuthorizationInfo{}, err
	}
	if p.Status != PartnerRegistered {
		return ocpi.AuthorizationInfo{}, fmt.Errorf("token %s: partner %d is %s: %w", t.Token.UID, p.ID, p.Status, ErrNoRealTime)
	}
	u, ok := p.Endpoint(ocpi.ModuleIDTokens, ocpi.InterfaceRoleSender)
	if !ok {
		return ocpi.AuthorizationInfo{}, fmt.Errorf("token %s: partner %d has no tokens Sender: %w", t.Token.UID, p.ID, ErrNoRealTime)
	}
	typ := t.Token.Type
	if typ == "" {
		typ = ocpi.TokenTypeRFID
	}
	req := AuthorizeRequest{URL: strings.TrimRight(u, "/") + pathOf(t.Token.UID, "authorize") + "?type=" + string(typ),
		Cred: p.Credential(), From: s.cfg.Party, To: Party{CountryCode: t.Token.CountryCode, PartyID: t.Token.PartyID}.Norm(),
		Location: loc, CorrelationID: s.ids.NewID()}
	info, err := rt.AuthorizeToken(ctx, req)
	if err != nil {
		return ocpi.AuthorizationInfo{}, fmt.Errorf("real-time authorization of token %s at partner %d: %w", t.Token.UID, p.ID, err)
	}
	if !info.Allowed.IsValid() {
		return ocpi.AuthorizationInfo{}, fmt.Errorf("real-time authorization of token %s at partner %d: allowed %q is not an AllowedType",
			t.Token.UID, p.ID, info.Allowed)
	}
	return info, nil
}
