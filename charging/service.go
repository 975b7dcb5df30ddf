package charging

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/chargehub/hub/admission"
)

// UnknownStationPolicy says what happens when an unregistered station connects.
type UnknownStationPolicy string

// Policies for unknown stations (HUB_UNKNOWN_STATIONS).
const (
	UnknownReject  UnknownStationPolicy = "reject"  // refuse the upgrade with 404
	UnknownPending UnknownStationPolicy = "pending" // register it, answer its boot Pending
	UnknownAccept  UnknownStationPolicy = "accept"  // register and accept it
)

// Config holds the domain's tunables.
type Config struct {
	UnknownStations   UnknownStationPolicy
	HeartbeatInterval time.Duration // sent in an Accepted BootNotification answer
	PendingInterval   time.Duration // sent with Pending/Rejected: wait before the next boot
	MaxClockAhead     time.Duration // station timestamps further in the future are replaced
	// ClockSkewTolerance: a station whose clock is off by more than this has its timestamps
	// corrected by the measured offset (0 = never correct).
	ClockSkewTolerance time.Duration
	// MaxConcurrentBoots bounds the BootNotifications handled at a time (see admission.go);
	// a boot that finds no room within BootWait is answered Pending. 0: 64; negative: no bound.
	MaxConcurrentBoots int
	BootWait           time.Duration // 0: 2 s
}

// DefaultConfig returns the domain defaults.
func DefaultConfig() Config {
	return Config{UnknownStations: UnknownReject, HeartbeatInterval: 300 * time.Second,
		PendingInterval: 60 * time.Second, MaxClockAhead: 24 * time.Hour, ClockSkewTolerance: 2 * time.Minute,
		MaxConcurrentBoots: 64, BootWait: 2 * time.Second}
}

// Service is the charging domain's application service: every OCPP message, whatever its
// version, ends up in one of its methods, which owns the database transaction.
type Service struct {
	store Store
	clock Clock
	log   *slog.Logger
	cfg   Config

	obs      Observer
	pub      Publisher
	tokens   TokenAuthorizer // nil: only local id tags
	clocks   clocks
	profiles profileCache
	boots    admission.Gate
	meters   meterBatcher
	events   batcher[TxEventIn, TxEventResult]
	// groupsCommits: the store's InTx shares one database transaction among concurrent
	// callers (see GroupCommitter)
	groupsCommits bool

	authMu   sync.Mutex
	authSeen map[string][32]byte // station id → sha256(password hash, password) of the last good check; guarded by authMu
}

// NewService builds the service.
func NewService(store Store, clock Clock, log *slog.Logger, cfg Config) *Service {
	d := DefaultConfig()
	if cfg.UnknownStations == "" {
		cfg.UnknownStations = d.UnknownStations
	}
	if cfg.HeartbeatInterval <= 0 {
		cfg.HeartbeatInterval = d.HeartbeatInterval
	}
	if cfg.PendingInterval <= 0 {
		cfg.PendingInterval = d.PendingInterval
	}
	if cfg.MaxClockAhead <= 0 {
		cfg.MaxClockAhead = d.MaxClockAhead
	}
	if cfg.MaxConcurrentBoots == 0 {
		cfg.MaxConcurrentBoots = d.MaxConcurrentBoots
	}
	if cfg.BootWait <= 0 {
		cfg.BootWait = d.BootWait
	}
	s := &Service{store: store, clock: clock, log: log, cfg: cfg, obs: nopObserver{}, pub: nopPublisher{},
		authSeen: map[string][32]byte{}, boots: admission.New(cfg.MaxConcurrentBoots, cfg.BootWait)}
	s.meters.store, s.events.store = s.storeMeterValues, s.storeTxEvents
	if g, ok := store.(GroupCommitter); ok {
		s.groupsCommits = g.GroupsCommits()
	}
	return s
}

// Config returns the service configuration.
func (s *Service) Config() Config { return s.cfg }

// RegisterStation creates a station or updates its password/profile (idempotent).
func (s *Service) RegisterStation(ctx context.Context, id string, password []byte, profile int) (Station, error) {
	id = strings.TrimSpace(id)
	if id == "" || strings.ContainsAny(id, "/:") {
		return Station{}, Errorf(CodeInvalid, "station id %q is not valid (empty, or contains / or :)", id)
	}
	if profile < 0 || profile > 3 {
		return Station{}, Errorf(CodeInvalid, "security profile %d is not 0..3", profile)
	}
	if profile > 0 && profile < 3 && len(password) == 0 {
		return Station{}, Errorf(CodeInvalid, "security profile %d needs a password", profile)
	}
	var hash string
	if len(password) > 0 {
		h, err := HashPassword(password)
		if err != nil {
			return Station{}, err
		}
		hash = h
	}
	now := s.clock.Now()
	var out Station
	err := s.store.InTx(ctx, func(tx Store) error {
		st, err := tx.GetStation(ctx, id)
		if IsNotFound(err) {
			out = Station{ID: id, Registration: RegistrationAccepted, SecurityProfile: profile, PasswordHash: hash,
				CreatedAt: now, UpdatedAt: now}
			return tx.CreateStation(ctx, out)
		}
		if err != nil {
			return err
		}
		st.SecurityProfile = profile
		st.Registration = RegistrationAccepted // registering a station is the operator's acceptance
		if hash != "" {
			st.PasswordHash = hash
		}
		st.UpdatedAt = now
		out = st
		return tx.UpdateStation(ctx, st)
	})
	s.forgetAuth(id)
	return out, err
}

// Authenticate decides whether a station may connect (ocpp.StationAuthority).
func (s *Service) Authenticate(ctx context.Context, req ConnectRequest) (Station, error) {
	st, err := s.store.GetStation(ctx, req.StationID)
	if IsNotFound(err) {
		return s.admitUnknown(ctx, req)
	}
	if err != nil {
		return Station{}, err
	}
	switch st.SecurityProfile {
	case 3:
		if !req.TLS || req.ClientCertCN == "" {
			return Station{}, Errorf(CodeConflict, "station %s is registered at security profile 3 and must present a client certificate over TLS", st.ID)
		}
		want := st.ID
		if st.ExpectedCN != "" {
			want = st.ExpectedCN
		}
		if req.ClientCertCN != want {
			return Station{}, Errorf(CodeUnauthorized, "client certificate CN %q is not station %s (expected CN %q)", req.ClientCertCN, st.ID, want)
		}
		return st, nil
	case 2:
		if !req.TLS {
			return Station{}, Errorf(CodeConflict, "station %s is registered at security profile 2 and must connect over TLS", st.ID)
		}
		return st, s.checkBasic(st, req)
	case 1:
		return st, s.checkBasic(st, req)
	default:
		return st, nil
	}
}

func (s *Service) checkBasic(st Station, req ConnectRequest) error {
	if !req.HasBasic {
		return Errorf(CodeUnauthorized, "station %s sent no Basic credentials", st.ID)
	}
	if req.BasicUser != st.ID {
		return Errorf(CodeUnauthorized, "Basic user %q is not station %s", req.BasicUser, st.ID)
	}
	if st.PasswordHash == "" && st.PendingPasswordHash == "" {
		return Errorf(CodeUnauthorized, "station %s has no password set", st.ID)
	}
	digest := sha256.Sum256(append([]byte(st.PasswordHash+"\x00"+st.PendingPasswordHash+"\x00"), req.BasicPassword...))
	s.authMu.Lock()
	cached, ok := s.authSeen[st.ID]
	s.authMu.Unlock()
	if ok && cached == digest {
		return nil
	}
	candidates := [][]byte{req.BasicPassword}
	// 1.6 keys travel hex-encoded in AuthorizationKey; some stations send that hex text as
	// the password instead of the bytes it encodes
	if n := len(req.BasicPassword); n >= 32 && n <= 40 && n%2 == 0 {
		if raw, err := hex.DecodeString(string(req.BasicPassword)); err == nil {
			candidates = append(candidates, raw)
		}
	}
	matched := ""
	for i, pw := range candidates {
		if st.PasswordHash != "" && CheckPassword(st.PasswordHash, pw) {
			matched = "current"
		} else if st.PendingPasswordHash != "" && CheckPassword(st.PendingPasswordHash, pw) {
			matched = "pending"
		}
		if matched != "" {
			if i > 0 {
				s.log.Warn("station sent its AuthorizationKey as hex text instead of the key bytes", "station", st.ID)
			}
			break
		}
	}
	switch matched {
	case "":
		return Errorf(CodeUnauthorized, "wrong password for station %s", st.ID)
	case "pending": // the station uses the new password: it is now the only one
		if err := s.updateStation(context.Background(), st.ID, func(x *Station) {
			x.PasswordHash, x.PendingPasswordHash = x.PendingPasswordHash, ""
		}); err != nil {
			return err
		}
		s.log.Info("station switched to its new password", "station", st.ID)
		s.forgetAuth(st.ID)
		return nil
	default:
		if st.PendingPasswordHash != "" { // the old one is still in use: forget the unconfirmed new one
			if err := s.updateStation(context.Background(), st.ID, func(x *Station) { x.PendingPasswordHash = "" }); err != nil {
				return err
			}
			s.forgetAuth(st.ID)
			return nil
		}
	}
	s.authMu.Lock()
	s.authSeen[st.ID] = digest
	s.authMu.Unlock()
	return nil
}

func (s *Service) forgetAuth(id string) {
	s.authMu.Lock()
	delete(s.authSeen, id)
	s.authMu.Unlock()
}

func (s *Service) admitUnknown(ctx context.Context, req ConnectRequest) (Station, error) {
	var reg Registration
	switch s.cfg.UnknownStations {
	case UnknownAccept:
		reg = RegistrationAccepted
	case UnknownPending:
		reg = RegistrationPending
	default:
		return Station{}, Errorf(CodeNotFound, "station %s is not registered", req.StationID)
	}
	now := s.clock.Now()
	st := Station{ID: req.StationID, Protocol: req.Protocol, Registration: reg, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateStation(ctx, st); err != nil {
		if ErrorCode(err) == CodeConflict { // registered concurrently
			return s.store.GetStation(ctx, req.StationID)
		}
		return Station{}, err
	}
	s.log.Info("unknown station registered on connect", "station", st.ID, "registration", reg)
	return st, nil
}

// Connected records that a station's socket is open (ocpp.StationAuthority).
func (s *Service) Connected(ctx context.Context, id string, p Protocol, at time.Time) {
	if err := s.presenceChanged(ctx, id, true, at, p); err != nil {
		s.log.Error("record station connect", "station", id, "err", err)
	}
}

// Disconnected records that a station's socket closed (ocpp.StationAuthority).
func (s *Service) Disconnected(ctx context.Context, id string, at time.Time) {
	if err := s.presenceChanged(ctx, id, false, at, ""); err != nil {
		s.log.Error("record station disconnect", "station", id, "err", err)
	}
}

// BootInfo is what a station reports about itself when it boots.
type BootInfo struct {
	Vendor, Model, SerialNumber, ChargeBoxSerial, FirmwareVersion string
	ICCID, IMSI, MeterType, MeterSerialNumber                     string
}

// BootResult is the hub's answer to a boot.
type BootResult struct {
	Status      Registration
	CurrentTime time.Time
	Interval    time.Duration
	// Deferred: answered Pending by boot admission (too many boots in progress); nothing was
	// recorded.
	Deferred bool
}

// Boot records a BootNotification and decides the answer.
func (s *Service) Boot(ctx context.Context, id string, p Protocol, info BootInfo) (BootResult, error) {
	done, admitted := s.boots.Enter(ctx)
	if !admitted {
		if err := ctx.Err(); err != nil {
			return BootResult{}, err
		}
		s.log.Info("boot deferred: too many boots in progress", "station", id)
		return BootResult{Status: RegistrationPending, CurrentTime: s.clock.Now(), Interval: deferredInterval(s.cfg.PendingInterval),
			Deferred: true}, nil
	}
	defer done()
	now := s.clock.Now()
	var res BootResult
	err := s.store.InTx(ctx, func(tx Store) error {
		st, err := tx.GetStation(ctx, id)
		if err != nil {
			return err
		}
		st.Vendor, st.Model, st.SerialNumber, st.ChargeBoxSerial = info.Vendor, info.Model, info.SerialNumber, info.ChargeBoxSerial
		st.FirmwareVersion, st.ICCID, st.IMSI = info.FirmwareVersion, info.ICCID, info.IMSI
		st.MeterType, st.MeterSerialNumber = info.MeterType, info.MeterSerialNumber
		// a station that boots is connected, whatever an older read of the row says
		st.Protocol, st.LastBootAt, st.LastSeen, st.UpdatedAt, st.Online = p, &now, &now, now, true
		if st.Registration == "" {
			st.Registration = RegistrationAccepted
		}
		if st.Registration == RegistrationAccepted && st.AcceptedAt == nil {
			st.AcceptedAt = &now
		}
		res = BootResult{Status: st.Registration, CurrentTime: now, Interval: s.cfg.PendingInterval}
		if st.Registration == RegistrationAccepted {
			res.Interval = s.cfg.HeartbeatInterval
		}
		return tx.UpdateStation(ctx, st)
	})
	return res, err
}

// Heartbeat answers with the hub's time.
func (s *Service) Heartbeat(ctx context.Context, id string) time.Time { return s.clock.Now() }

// StatusChanged stores a connector status unless a newer one is already stored (statuses
// may arrive out of order after a reconnect).
func (s *Service) StatusChanged(ctx context.Context, c Connector) error {
	now := s.clock.Now()
	if c.StatusAt.IsZero() {
		c.StatusAt = now
	} else {
		c.StatusAt, _ = s.stationTime(c.StationID, c.StatusAt, now)
	}
	c.UpdatedAt = now
	return s.store.InTx(ctx, func(tx Store) error {
		applied, err := tx.UpsertConnector(ctx, c)
		if err != nil {
			return err
		}
		if !applied {
			s.log.Info("older connector status ignored", "station", c.StationID, "evse", c.EVSEID, "connector", c.ConnectorID,
				"status", c.Status, "at", c.StatusAt)
			return nil
		}
		return s.pub.ConnectorChanged(ctx, tx, c)
	})
}

// RecordEvent keeps a station notification (firmware/diagnostics status, security event,
// DataTransfer) as history.
func (s *Service) RecordEvent(ctx context.Context, e StationEvent) error {
	if e.At.IsZero() {
		e.At = s.clock.Now()
	}
	return s.store.AddStationEvent(ctx, e)
}

// NormaliseIDTag strips trailing control characters and spaces and upper-cases the tag
// (id tags are case-insensitive); flags say what was changed.
func NormaliseIDTag(tag string, maxLen int) (string, []string) {
	var flags []string
	trimmed := strings.TrimRightFunc(tag, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) })
	trimmed = strings.TrimLeftFunc(trimmed, unicode.IsSpace)
	if trimmed != tag {
		flags = append(flags, FlagIDTagTrimmed)
	}
	if maxLen > 0 && len([]rune(trimmed)) > maxLen {
		flags = append(flags, FlagIDTagTooLong)
	}
	return strings.ToUpper(trimmed), flags
}

// Authorize looks an id tag up and returns the verdict.
func (s *Service) Authorize(ctx context.Context, stationID, idTag string) (AuthInfo, error) {
	return s.authorizeAt(ctx, s.store, stationID, 0, idTag)
}

// authorizeAt decides a token: a local id tag first, then the roaming partners' tokens.
func (s *Service) authorizeAt(ctx context.Context, st Store, stationID string, evseID int, idTag string) (AuthInfo, error) {
	t, err := st.GetIDTag(ctx, idTag)
	if IsNotFound(err) {
		if s.tokens != nil {
			info, known, err := s.tokens.AuthorizeToken(ctx, stationID, evseID, idTag)
			if err != nil {
				return AuthInfo{}, err
			}
			if known {
				return info, nil
			}
		}
		return AuthInfo{Status: AuthUnknown}, nil
	}
	if err != nil {
		return AuthInfo{}, err
	}
	info := AuthInfo{Status: t.Status, ExpiryDate: t.ExpiryDate, ParentIDTag: t.ParentIDTag}
	if info.Status == "" {
		info.Status = AuthAccepted
	}
	if info.Status == AuthAccepted && t.ExpiryDate != nil && !t.ExpiryDate.After(s.clock.Now()) {
		info.Status = AuthExpired
	}
	return info, nil
}

// PutIDTag creates or replaces an id tag.
func (s *Service) PutIDTag(ctx context.Context, t IDTag) (IDTag, error) {
	tag, _ := NormaliseIDTag(t.IDTag, 0)
	if tag == "" {
		return IDTag{}, Errorf(CodeInvalid, "id tag is empty")
	}
	t.IDTag = tag
	t.ParentIDTag, _ = NormaliseIDTag(t.ParentIDTag, 0)
	switch t.Status {
	case "":
		t.Status = AuthAccepted
	case AuthAccepted, AuthBlocked, AuthExpired, AuthInvalid:
	default:
		return IDTag{}, Errorf(CodeInvalid, "id tag status %q is not Accepted, Blocked, Expired or Invalid", t.Status)
	}
	t.UpdatedAt = s.clock.Now()
	return t, s.store.UpsertIDTag(ctx, t)
}
