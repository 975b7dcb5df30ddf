package roaming

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// discovered is what a peer's versions and version details tell.
type discovered struct {
	versionsURL string
	version     ocpi.VersionNumber
	endpoints   []Endpoint
	credURL     string
	encoding    TokenEncoding
}

// discover GETs a peer's versions list, picks 2.2.1 and GETs its details. Errors carry the OCPI
// status the credentials Receiver answers with: 3001 (cannot use the peer's API), 3002 (no
// mutual version) or 3003 (no credentials endpoint).
func (s *Service) discover(ctx context.Context, versionsURL string, cred Credential) (discovered, error) {
	d := discovered{versionsURL: versionsURL}
	versions, enc, err := s.peer.Versions(ctx, versionsURL, cred)
	if err != nil {
		return d, statusErr(charging.CodeUnavailable, ocpi.StatusCodeUnableToUseClientAPI,
			"cannot get the versions at %s: %v", versionsURL, err)
	}
	d.encoding = enc
	cred.Encoding = enc
	i := slices.IndexFunc(versions, func(v ocpi.Version) bool { return v.Version == ocpi.VersionNumber221 })
	if i < 0 {
		var list []string
		for _, v := range versions {
			list = append(list, string(v.Version))
		}
		return d, statusErr(charging.CodeNotSupported, ocpi.StatusCodeUnsupportedVersion,
			"no mutual OCPI version: the peer offers %v, the hub speaks 2.2.1", list)
	}
	details, err := s.peer.VersionDetails(ctx, versions[i].URL, cred)
	if err == nil {
		err = details.Validate()
	}
	if err != nil {
		return d, statusErr(charging.CodeUnavailable, ocpi.StatusCodeUnableToUseClientAPI,
			"cannot get the 2.2.1 version details at %s: %v", versions[i].URL, err)
	}
	d.version = ocpi.VersionNumber221
	for _, e := range details.Endpoints {
		if !e.Identifier.IsKnown() { // custom modules are ignored
			continue
		}
		d.endpoints = append(d.endpoints, Endpoint{Module: e.Identifier, Role: e.Role, URL: e.URL})
	}
	u, ok := details.EndpointURL(ocpi.ModuleIDCredentials, ocpi.InterfaceRoleSender)
	if !ok {
		return d, statusErr(charging.CodeInvalid, ocpi.StatusCodeNoMatchingEndpoints,
			"the peer's 2.2.1 version details list no credentials endpoint")
	}
	d.credURL = u
	return d, nil
}

// apply copies what discovery and the peer's credentials tell into p.
func (d *discovered) apply(p *Partner, c ocpi.Credentials) {
	p.VersionsURL, p.Version, p.Endpoints = c.URL, d.version, d.endpoints
	p.OutboundToken, p.TokenEncoding = c.Token, d.encoding
	p.Roles = c.Roles
	if p.Role == "" || p.Party.IsZero() {
		r := primaryRole(c.Roles)
		if p.Role == "" {
			p.Role = r.Role
		}
		if p.Party.IsZero() {
			p.Party = Party{CountryCode: r.CountryCode, PartyID: r.PartyID}.Norm()
		}
	}
	if p.Name == "" && len(c.Roles) > 0 {
		p.Name = primaryRole(c.Roles).BusinessDetails.Name
	}
}

// primaryRole picks the role a peer is known by: the first that is not a CPO, else the first.
func primaryRole(roles []ocpi.CredentialsRole) ocpi.CredentialsRole {
	for _, r := range roles {
		if r.Role != ocpi.RoleCPO {
			return r
		}
	}
	if len(roles) > 0 {
		return roles[0]
	}
	return ocpi.CredentialsRole{}
}

// checkRoles verifies that credentials from partner p include the party it was created for.
func checkRoles(p *Partner, c *ocpi.Credentials) error {
	if p.Party.IsZero() {
		return nil
	}
	for _, r := range c.Roles {
		if p.Party.Is(Party{CountryCode: r.CountryCode, PartyID: r.PartyID}) {
			return nil
		}
	}
	return invalid("the credentials roles do not include %s, the party this token was issued for", p.Party)
}

// AcceptRegistration handles a credentials POST by a partner calling with its token A (the
// partner is the credentials Sender): it reads the partner's versions and details with the
// partner's token, stores them, and returns our credentials with a fresh token C, which replaces
// token A.
func (s *Service) AcceptRegistration(ctx context.Context, p Partner, kind TokenKind, body ocpi.Credentials) (ocpi.Credentials, error) {
	defer s.checks.clear()
	if p.Status != PartnerPending || kind != TokenRegistration {
		return ocpi.Credentials{}, charging.Errorf(charging.CodeConflict, "credentials POST by partner %d (%s): %w",
			p.ID, p.Status, ErrAlreadyRegistered)
	}
	if err := body.Validate(); err != nil {
		return ocpi.Credentials{}, validation("credentials", err)
	}
	if err := checkRoles(&p, &body); err != nil {
		return ocpi.Credentials{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.HandshakeTimeout)
	defer cancel()
	d, err := s.discover(ctx, body.URL, Credential{Token: body.Token})
	if err != nil {
		return ocpi.Credentials{}, fmt.Errorf("registration of partner %d: %w", p.ID, err)
	}
	tokenC := s.ids.NewToken()
	err = s.inTx(ctx, func(tx Store, q *queue) error {
		cur, err := tx.GetPartner(ctx, p.ID)
		if err != nil {
			return err
		}
		if cur.Status != PartnerPending {
			return charging.Errorf(charging.CodeConflict, "partner %d: %w", p.ID, ErrAlreadyRegistered)
		}
		d.apply(&cur, body)
		now := s.clock.Now()
		cur.Status, cur.RegisteredAt = PartnerRegistered, &now
		if err := tx.UpdatePartner(ctx, cur); err != nil {
			return err
		}
		if err := tx.DeletePartnerTokens(ctx, cur.ID, ""); err != nil { // token A is void now
			return err
		}
		if err := tx.AddPartnerToken(ctx, PartnerToken{Hash: HashToken(tokenC), PartnerID: cur.ID, Kind: TokenCredentials, CreatedAt: now}); err != nil {
			return err
		}
		p = cur
		return s.initialPushes(ctx, tx, q, cur)
	})
	if err != nil {
		return ocpi.Credentials{}, fmt.Errorf("registration of partner %d: %w", p.ID, err)
	}
	s.log.Info("ocpi partner registered with the hub", "partner", p.ID, "party", p.Party.String(), "role", p.Role,
		"encoding", p.TokenEncoding)
	return s.OurCredentials(tokenC), nil
}

// UpdateCredentials handles a credentials PUT by a registered partner: it re-reads the
// partner's versions and details with the new token from the body and returns our credentials
// with a new token; every older token of the partner becomes invalid.
func (s *Service) UpdateCredentials(ctx context.Context, p Partner, kind TokenKind, body ocpi.Credentials) (ocpi.Credentials, error) {
	defer s.checks.clear()
	if kind != TokenCredentials || (p.Status != PartnerRegistered && p.Status != PartnerSuspended) {
		return ocpi.Credentials{}, charging.Errorf(charging.CodeConflict, "credentials PUT by partner %d (%s): %w",
			p.ID, p.Status, ErrNotRegistered)
	}
	if err := body.Validate(); err != nil {
		return ocpi.Credentials{}, validation("credentials", err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.HandshakeTimeout)
	defer cancel()
	d, err := s.discover(ctx, body.URL, Credential{Token: body.Token})
	if err != nil {
		return ocpi.Credentials{}, fmt.Errorf("credentials update of partner %d: %w", p.ID, err)
	}
	token := s.ids.NewToken()
	err = s.inTx(ctx, func(tx Store, _ *queue) error {
		cur, err := tx.GetPartner(ctx, p.ID)
		if err != nil {
			return err
		}
		d.apply(&cur, body)
		if err := tx.UpdatePartner(ctx, cur); err != nil {
			return err
		}
		if err := tx.DeletePartnerTokens(ctx, cur.ID, ""); err != nil {
			return err
		}
		p = cur
		return tx.AddPartnerToken(ctx, PartnerToken{Hash: HashToken(token), PartnerID: cur.ID, Kind: TokenCredentials, CreatedAt: s.clock.Now()})
	})
	if err != nil {
		return ocpi.Credentials{}, fmt.Errorf("credentials update of partner %d: %w", p.ID, err)
	}
	s.log.Info("ocpi partner updated its credentials", "partner", p.ID)
	if s.notify != nil {
		s.notify() // the endpoints may have changed: retry what waits
	}
	return s.OurCredentials(token), nil
}

// AcceptUnregister handles a credentials DELETE: both tokens become invalid, pending pushes are
// cancelled, history is kept.
func (s *Service) AcceptUnregister(ctx context.Context, p Partner, kind TokenKind) error {
	defer s.checks.clear()
	if kind != TokenCredentials || (p.Status != PartnerRegistered && p.Status != PartnerSuspended) {
		return charging.Errorf(charging.CodeConflict, "credentials DELETE by partner %d (%s): %w", p.ID, p.Status, ErrNotRegistered)
	}
	if err := s.unregisterLocally(ctx, p.ID, "partner unregistered"); err != nil {
		return err
	}
	s.log.Info("ocpi partner unregistered itself", "partner", p.ID)
	return nil
}

// unregisterLocally voids a partner's tokens both ways and cancels its pending pushes.
func (s *Service) unregisterLocally(ctx context.Context, id int64, reason string) error {
	defer s.checks.clear()
	return s.inTx(ctx, func(tx Store, _ *queue) error {
		cur, err := tx.GetPartner(ctx, id)
		if err != nil {
			return err
		}
		cur.Status, cur.OutboundToken = PartnerUnregistered, ""
		if err := tx.UpdatePartner(ctx, cur); err != nil {
			return err
		}
		if err := tx.DeletePartnerTokens(ctx, id, ""); err != nil {
			return err
		}
		_, err = tx.CancelOutbox(ctx, id, reason)
		return err
	})
}

// RegisterOptions complete what the hub knows of a peer it registers with.
type RegisterOptions struct {
	Name        string
	MaxPageSize int
}

// RegisterWithPeer runs the credentials handshake as its Sender: the peer gave us its versions
// URL and token A. The hub reads the peer's versions and details with A, stores a new partner
// with a fresh token B (so the peer can call back while our POST is open), POSTs our credentials
// and stores the token C it answers with. On failure nothing is kept.
func (s *Service) RegisterWithPeer(ctx context.Context, versionsURL, tokenA string, opts RegisterOptions) (Partner, error) {
	defer s.checks.clear()
	versionsURL = strings.TrimSpace(versionsURL)
	if versionsURL == "" || tokenA == "" {
		return Partner{}, invalid("a versions URL and a token A are required")
	}
	if opts.MaxPageSize < 0 || opts.MaxPageSize > maxPageSizeLimit {
		return Partner{}, invalid("max page size %d is not in 0..%d", opts.MaxPageSize, maxPageSizeLimit)
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.HandshakeTimeout)
	defer cancel()
	d, err := s.discover(ctx, versionsURL, Credential{Token: tokenA})
	if err != nil {
		return Partner{}, fmt.Errorf("register with %s: %w", versionsURL, err)
	}
	tokenB := s.ids.NewToken()
	p := Partner{Name: strings.TrimSpace(opts.Name), Status: PartnerPending, VersionsURL: versionsURL,
		Version: d.version, Endpoints: d.endpoints, OutboundToken: tokenA, TokenEncoding: d.encoding,
		MaxPageSize: opts.MaxPageSize}
	err = s.inTx(ctx, func(tx Store, _ *queue) error {
		if err := tx.CreatePartner(ctx, &p); err != nil {
			return err
		}
		return tx.AddPartnerToken(ctx, PartnerToken{Hash: HashToken(tokenB), PartnerID: p.ID, Kind: TokenCredentials, CreatedAt: s.clock.Now()})
	})
	if err != nil {
		return Partner{}, fmt.Errorf("register with %s: %w", versionsURL, err)
	}
	answer, err := s.peer.PostCredentials(ctx, d.credURL, Credential{Token: tokenA, Encoding: d.encoding}, s.OurCredentials(tokenB))
	if err == nil {
		err = validation("the peer's credentials", answer.Validate())
	}
	if err != nil {
		if derr := s.store.DeletePartner(context.WithoutCancel(ctx), p.ID); derr != nil {
			s.log.Error("drop failed registration", "partner", p.ID, "err", derr)
		}
		return Partner{}, charging.Errorf(charging.CodeUnavailable, "register with %s: credentials POST failed: %w", versionsURL, err)
	}
	err = s.inTx(ctx, func(tx Store, q *queue) error {
		cur, err := tx.GetPartner(ctx, p.ID)
		if err != nil {
			return err
		}
		d.apply(&cur, answer)
		now := s.clock.Now()
		cur.Status, cur.RegisteredAt = PartnerRegistered, &now
		if err := tx.UpdatePartner(ctx, cur); err != nil {
			return err
		}
		p = cur
		return s.initialPushes(ctx, tx, q, cur)
	})
	if err != nil {
		return Partner{}, fmt.Errorf("register with %s: store the peer's credentials: %w", versionsURL, err)
	}
	s.log.Info("hub registered with ocpi partner", "partner", p.ID, "party", p.Party.String(), "role", p.Role)
	return p, nil
}

// RotateCredentials updates the hub's credentials at a registered partner (credentials PUT as
// initiator): a new token for the partner to call us with, and the partner answers a new token
// for us. The old tokens stay valid until the exchange succeeded.
func (s *Service) RotateCredentials(ctx context.Context, id int64) (Partner, error) {
	defer s.checks.clear()
	p, err := s.store.GetPartner(ctx, id)
	if err != nil {
		return Partner{}, err
	}
	if p.Status != PartnerRegistered {
		return Partner{}, charging.Errorf(charging.CodeConflict, "rotate credentials of partner %d: %w", id, ErrNotRegistered)
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.HandshakeTimeout)
	defer cancel()
	d, err := s.discover(ctx, p.VersionsURL, p.Credential())
	if err != nil {
		return Partner{}, fmt.Errorf("rotate credentials of partner %d: %w", id, err)
	}
	token := s.ids.NewToken()
	hash := HashToken(token)
	if err := s.store.AddPartnerToken(ctx, PartnerToken{Hash: hash, PartnerID: id, Kind: TokenCredentials, CreatedAt: s.clock.Now()}); err != nil {
		return Partner{}, fmt.Errorf("rotate credentials of partner %d: %w", id, err)
	}
	answer, err := s.peer.PutCredentials(ctx, d.credURL, p.Credential(), s.OurCredentials(token))
	if err == nil {
		err = validation("the peer's credentials", answer.Validate())
	}
	if err != nil {
		if derr := s.dropToken(context.WithoutCancel(ctx), id, hash); derr != nil {
			s.log.Error("drop unused rotated token", "partner", id, "err", derr)
		}
		return Partner{}, charging.Errorf(charging.CodeUnavailable, "rotate credentials of partner %d: credentials PUT failed: %w", id, err)
	}
	err = s.inTx(ctx, func(tx Store, _ *queue) error {
		cur, err := tx.GetPartner(ctx, id)
		if err != nil {
			return err
		}
		d.encoding = p.TokenEncoding
		d.apply(&cur, answer)
		if err := tx.UpdatePartner(ctx, cur); err != nil {
			return err
		}
		p = cur
		return tx.DeletePartnerTokens(ctx, id, hash)
	})
	if err != nil {
		return Partner{}, fmt.Errorf("rotate credentials of partner %d: %w", id, err)
	}
	s.log.Info("hub rotated its credentials with ocpi partner", "partner", id)
	return p, nil
}

// dropToken deletes one inbound token of a partner, keeping the others.
func (s *Service) dropToken(ctx context.Context, partnerID int64, hash string) error {
	defer s.checks.clear()
	return s.store.DeletePartnerToken(ctx, partnerID, hash)
}

// Unregister deletes the hub's credentials at a partner (credentials DELETE as initiator) and
// voids both tokens locally.
func (s *Service) Unregister(ctx context.Context, id int64) (Partner, error) {
	defer s.checks.clear()
	p, err := s.store.GetPartner(ctx, id)
	if err != nil {
		return Partner{}, err
	}
	if p.Status != PartnerRegistered && p.Status != PartnerSuspended {
		return Partner{}, charging.Errorf(charging.CodeConflict, "unregister partner %d: %w", id, ErrNotRegistered)
	}
	credURL, ok := p.Endpoint(ocpi.ModuleIDCredentials, ocpi.InterfaceRoleSender)
	if !ok {
		return Partner{}, charging.Errorf(charging.CodeInvalid, "unregister partner %d: it lists no credentials endpoint", id)
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.HandshakeTimeout)
	defer cancel()
	if err := s.peer.DeleteCredentials(ctx, credURL, p.Credential()); err != nil {
		return Partner{}, charging.Errorf(charging.CodeUnavailable, "unregister partner %d: credentials DELETE failed: %w", id, err)
	}
	if err := s.unregisterLocally(ctx, id, "hub unregistered the partner"); err != nil {
		return Partner{}, err
	}
	s.log.Info("hub unregistered from ocpi partner", "partner", id)
	return s.store.GetPartner(ctx, id)
}
