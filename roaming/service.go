package roaming

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// Credentials state errors; they are wrapped in charging errors with CodeConflict and answered
// with HTTP 405 by the OCPI server.
var (
	// ErrAlreadyRegistered: a credentials POST by a registered partner.
	ErrAlreadyRegistered = errors.New("partner is already registered")
	// ErrNotRegistered: a credentials PUT or DELETE by a partner that is not registered.
	ErrNotRegistered = errors.New("partner is not registered")
)

// Paths of the hub's OCPI endpoints below Config.PublicURL.
const (
	VersionsPath = "/ocpi/versions"
	DetailsPath  = "/ocpi/2.2.1"
	// CredentialsPath is the credentials module; the functional modules live below ModulesPath.
	CredentialsPath = "/ocpi/2.2.1/credentials"
	ModulesPath     = "/ocpi/cpo/2.2.1"
)

// Config holds the roaming domain's settings.
type Config struct {
	PublicURL    string // base of every URL handed to partners, e.g. https://hub.example.com
	Party        Party  // the CPO identity (HUB_OCPI_COUNTRY_CODE / HUB_OCPI_PARTY_ID)
	BusinessName string // business_details.name in our credentials roles
	// CommandTimeout is the CommandResponse timeout: how long an eMSP waits for a result, and
	// after how long a missing result is sent as TIMEOUT.
	CommandTimeout time.Duration
	// HandshakeTimeout bounds a whole registration or credentials update.
	HandshakeTimeout time.Duration
	// PushOnRegister enqueues PUTs of every visible location and tariff to a partner that just
	// registered (its initial sync).
	PushOnRegister bool
}

// DefaultConfig returns the defaults for the fields a zero Config leaves empty.
func DefaultConfig() Config {
	return Config{PublicURL: "http://localhost:8080", Party: Party{CountryCode: "IN", PartyID: "HUB"},
		BusinessName: "chargehub", CommandTimeout: 90 * time.Second, HandshakeTimeout: 30 * time.Second,
		PushOnRegister: true}
}

// Deps are the Service's collaborators. Store, Peer and Clock are required.
type Deps struct {
	Store    Store
	Peer     Peer
	Clock    charging.Clock
	Log      *slog.Logger  // nil: slog.Default()
	IDs      IDs           // nil: RandomIDs
	Stations StationLookup // nil: station ids of locations are not checked
	Commands CommandExecutor
	Profiles ChargingProfileExecutor
	// OnEnqueue is called after a transaction that wrote outbox items committed (wakes the
	// outbox worker). It must not block.
	OnEnqueue func()
}

// Service is the roaming domain's application service. It is safe for concurrent use.
type Service struct {
	store    Store
	peer     Peer
	clock    charging.Clock
	log      *slog.Logger
	ids      IDs
	stations StationLookup
	commands CommandExecutor
	profiles ChargingProfileExecutor
	notify   func()
	cfg      Config
	evses    EVSEBuilder       // nil: locations keep the operator's EVSEs
	auth     SessionAuthSource // nil: nothing recorded of how tokens were authorized
	checks   authCache
}

// NewService builds the service; zero Config fields take DefaultConfig values.
func NewService(d Deps, cfg Config) *Service {
	def := DefaultConfig()
	if cfg.PublicURL == "" {
		cfg.PublicURL = def.PublicURL
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	if cfg.Party.IsZero() {
		cfg.Party = def.Party
	}
	if cfg.BusinessName == "" {
		cfg.BusinessName = def.BusinessName
	}
	if cfg.CommandTimeout <= 0 {
		cfg.CommandTimeout = def.CommandTimeout
	}
	if cfg.HandshakeTimeout <= 0 {
		cfg.HandshakeTimeout = def.HandshakeTimeout
	}
	s := &Service{store: d.Store, peer: d.Peer, clock: d.Clock, log: d.Log, ids: d.IDs, stations: d.Stations,
		commands: d.Commands, profiles: d.Profiles, notify: d.OnEnqueue, cfg: cfg}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.ids == nil {
		s.ids = RandomIDs{}
	}
	if s.clock == nil {
		s.clock = charging.SystemClock{}
	}
	return s
}

// Config returns the service configuration.
func (s *Service) Config() Config { return s.cfg }

// Party returns the CPO party the hub presents.
func (s *Service) Party() Party { return s.cfg.Party }

// Now returns the service clock's time.
func (s *Service) Now() time.Time { return s.clock.Now() }

// NewID returns a fresh unique id (for request and correlation ids).
func (s *Service) NewID() string { return s.ids.NewID() }

// URL returns the absolute public URL of a hub path.
func (s *Service) URL(path string) string { return s.cfg.PublicURL + path }

// VersionsURL is the URL handed to partners with their token A.
func (s *Service) VersionsURL() string { return s.URL(VersionsPath) }

// OurCredentials returns the hub's credentials object carrying token.
func (s *Service) OurCredentials(token string) ocpi.Credentials {
	return ocpi.Credentials{Token: token, URL: s.VersionsURL(), Roles: []ocpi.CredentialsRole{{
		Role: ocpi.RoleCPO, BusinessDetails: ocpi.BusinessDetails{Name: s.cfg.BusinessName},
		PartyID: strings.ToUpper(s.cfg.Party.PartyID), CountryCode: strings.ToUpper(s.cfg.Party.CountryCode),
	}}}
}

// inTx runs fn in a transaction and wakes the outbox worker after a successful commit that
// enqueued something.
func (s *Service) inTx(ctx context.Context, fn func(tx Store, q *queue) error) error {
	q := &queue{}
	err := s.store.InTx(ctx, func(tx Store) error {
		q.items = q.items[:0]
		if err := fn(tx, q); err != nil {
			return err
		}
		if len(q.items) == 0 {
			return nil
		}
		return tx.EnqueueOutbox(ctx, q.items...)
	})
	if err == nil && len(q.items) > 0 && s.notify != nil {
		s.notify()
	}
	return err
}

// queue collects the outbox items of one transaction; they are inserted after fn's own writes so
// that a later change of the same object always gets a higher outbox id.
type queue struct{ items []OutboxItem }

func (q *queue) add(it OutboxItem) { q.items = append(q.items, it) }

// pathOf joins escaped URL path segments: "/IN/HUB/LOC%201".
func pathOf(segments ...string) string {
	var b strings.Builder
	for _, seg := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(seg))
	}
	return b.String()
}

// invalid returns a CodeInvalid error whose OCPI status is 2001.
func invalid(format string, args ...any) error {
	return statusErr(charging.CodeInvalid, ocpi.StatusCodeInvalidParameters, format, args...)
}

// statusErr returns a coded error carrying an OCPI status code as its cause.
func statusErr(code charging.Code, status int, format string, args ...any) error {
	se := ocpi.NewStatusError(status, format, args...)
	return &charging.Error{Code: code, Msg: se.Message, Err: se}
}

// validation turns an ocpi Validate error into a CodeInvalid (2001) error.
func validation(what string, err error) error {
	if err == nil {
		return nil
	}
	return invalid("%s: %v", what, err)
}
