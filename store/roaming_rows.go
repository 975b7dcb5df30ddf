package store

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// Row structs of migrations/*/00002_roaming.sql. They never leave the package.

type partnerRow struct {
	ID             int64      `gorm:"column:id;primaryKey"`
	Name           string     `gorm:"column:name"`
	Role           string     `gorm:"column:role"`
	CountryCode    string     `gorm:"column:country_code"`
	PartyID        string     `gorm:"column:party_id"`
	Status         string     `gorm:"column:status"`
	Roles          string     `gorm:"column:roles"`
	VersionsURL    string     `gorm:"column:versions_url"`
	Version        string     `gorm:"column:version"`
	Endpoints      string     `gorm:"column:endpoints"`
	OutboundToken  string     `gorm:"column:outbound_token"`
	TokenEncoding  string     `gorm:"column:token_encoding"`
	MaxPageSize    int        `gorm:"column:max_page_size"`
	TokensSyncedAt *time.Time `gorm:"column:tokens_synced_at"`
	RegisteredAt   *time.Time `gorm:"column:registered_at"`
	CreatedAt      time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt      time.Time  `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (partnerRow) TableName() string { return "ocpi_partners" }

// partnerMutable lists the columns UpdatePartner writes.
var partnerMutable = []string{"name", "role", "country_code", "party_id", "status", "roles", "versions_url", "version",
	"endpoints", "outbound_token", "token_encoding", "max_page_size", "tokens_synced_at", "registered_at", "updated_at"}

// partnerCols lists every column of ocpi_partners, in the order of fields.
var partnerCols = append([]string{"id", "created_at"}, partnerMutable...)

// fields points at r's fields in the order of partnerCols, for Scan.
func (r *partnerRow) fields() []any {
	return []any{&r.ID, &r.CreatedAt,
		&r.Name, &r.Role, &r.CountryCode, &r.PartyID, &r.Status, &r.Roles, &r.VersionsURL, &r.Version,
		&r.Endpoints, &r.OutboundToken, &r.TokenEncoding, &r.MaxPageSize, &r.TokensSyncedAt, &r.RegisteredAt, &r.UpdatedAt}
}

func toPartnerRow(p *roaming.Partner) (partnerRow, error) {
	roles, err := marshalList(p.Roles)
	if err != nil {
		return partnerRow{}, err
	}
	eps, err := marshalList(p.Endpoints)
	if err != nil {
		return partnerRow{}, err
	}
	return partnerRow{
		ID: p.ID, Name: p.Name, Role: string(p.Role), CountryCode: p.Party.CountryCode, PartyID: p.Party.PartyID,
		Status: string(p.Status), Roles: roles, VersionsURL: p.VersionsURL, Version: string(p.Version), Endpoints: eps,
		OutboundToken: p.OutboundToken, TokenEncoding: string(p.TokenEncoding), MaxPageSize: p.MaxPageSize,
		TokensSyncedAt: dbTimePtr(p.TokensSyncedAt), RegisteredAt: dbTimePtr(p.RegisteredAt),
		CreatedAt: dbTime(p.CreatedAt), UpdatedAt: dbTime(p.UpdatedAt),
	}, nil
}

func (r partnerRow) domain() (roaming.Partner, error) {
	p := roaming.Partner{
		ID: r.ID, Name: r.Name, Role: ocpi.Role(r.Role), Party: roaming.Party{CountryCode: r.CountryCode, PartyID: r.PartyID},
		Status: roaming.PartnerStatus(r.Status), VersionsURL: r.VersionsURL, Version: ocpi.VersionNumber(r.Version),
		OutboundToken: r.OutboundToken, TokenEncoding: roaming.TokenEncoding(r.TokenEncoding), MaxPageSize: r.MaxPageSize,
		TokensSyncedAt: utcPtr(r.TokensSyncedAt), RegisteredAt: utcPtr(r.RegisteredAt),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
	if err := unmarshalList(r.Roles, &p.Roles); err != nil {
		return p, fmt.Errorf("store: partner %d roles: %w", r.ID, err)
	}
	if err := unmarshalList(r.Endpoints, &p.Endpoints); err != nil {
		return p, fmt.Errorf("store: partner %d endpoints: %w", r.ID, err)
	}
	return p, nil
}

// partnerTokenJoin is a partner row read through one of its tokens.
type partnerTokenJoin struct {
	Partner   partnerRow `gorm:"embedded"`
	TokenKind string     `gorm:"column:token_kind"`
}

type partnerTokenRow struct {
	TokenHash string    `gorm:"column:token_hash;primaryKey"`
	PartnerID int64     `gorm:"column:partner_id"`
	Kind      string    `gorm:"column:kind"`
	CreatedAt time.Time `gorm:"column:created_at;autoCreateTime:false"`
}

func (partnerTokenRow) TableName() string { return "ocpi_partner_tokens" }

type clientInfoRow struct {
	PartnerID   int64     `gorm:"column:partner_id;primaryKey;autoIncrement:false"`
	CountryCode string    `gorm:"column:country_code;primaryKey"`
	PartyID     string    `gorm:"column:party_id;primaryKey"`
	Role        string    `gorm:"column:role"`
	Status      string    `gorm:"column:status"`
	LastUpdated time.Time `gorm:"column:last_updated"`
	UpdatedAt   time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (clientInfoRow) TableName() string { return "ocpi_client_infos" }

func (r clientInfoRow) domain() ocpi.ClientInfo {
	return ocpi.ClientInfo{PartyID: r.PartyID, CountryCode: r.CountryCode, Role: ocpi.Role(r.Role),
		Status: ocpi.ConnectionStatus(r.Status), LastUpdated: ocpi.NewDateTime(r.LastUpdated)}
}

type tokenRow struct {
	CountryCode string    `gorm:"column:country_code;primaryKey"`
	PartyID     string    `gorm:"column:party_id;primaryKey"`
	UIDKey      string    `gorm:"column:uid_key;primaryKey"`
	Type        string    `gorm:"column:type;primaryKey"`
	PartnerID   int64     `gorm:"column:partner_id"`
	Valid       bool      `gorm:"column:valid"`
	Whitelist   string    `gorm:"column:whitelist"`
	Body        string    `gorm:"column:body"`
	LastUpdated time.Time `gorm:"column:last_updated"`
	UpdatedAt   time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (tokenRow) TableName() string { return "ocpi_tokens" }

func (r tokenRow) domain() (roaming.StoredToken, error) {
	st := roaming.StoredToken{PartnerID: r.PartnerID, UpdatedAt: r.UpdatedAt.UTC()}
	if err := json.Unmarshal([]byte(r.Body), &st.Token); err != nil {
		return st, fmt.Errorf("store: token %s/%s/%s body: %w", r.CountryCode, r.PartyID, r.UIDKey, err)
	}
	st.Token.Valid = r.Valid // InvalidateTokens changes the column only
	return st, nil
}

type locationRow struct {
	IDKey       string    `gorm:"column:id_key;primaryKey"`
	Visible     bool      `gorm:"column:visible"`
	Body        string    `gorm:"column:body"`
	LastUpdated time.Time `gorm:"column:last_updated"`
	CreatedAt   time.Time `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt   time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
	// ConfiguredAt is when an operator last saved the location (00004_bridge).
	ConfiguredAt *time.Time `gorm:"column:configured_at"`
	// Version counts the location's saves (00008_hot_paths).
	Version int64 `gorm:"column:version"`
}

func (locationRow) TableName() string { return "ocpi_locations" }

type locationStationRow struct {
	StationID   string `gorm:"column:station_id;primaryKey"`
	LocationKey string `gorm:"column:location_key"`
	Position    int    `gorm:"column:position"`
	// ConnectorDefaults is the JSON of the station's roaming.ConnectorDefaults ("" = none).
	ConnectorDefaults string `gorm:"column:connector_defaults"`
}

func (locationStationRow) TableName() string { return "ocpi_location_stations" }

// objectRow is a Session or CDR row: an OCPI body keyed by id, with its token owner.
type objectRow struct {
	IDKey           string    `gorm:"column:id_key;primaryKey"`
	EMSPCountryCode string    `gorm:"column:emsp_country_code"`
	EMSPPartyID     string    `gorm:"column:emsp_party_id"`
	Body            string    `gorm:"column:body"`
	LastUpdated     time.Time `gorm:"column:last_updated"`
	CreatedAt       time.Time `gorm:"column:created_at;autoCreateTime:false"`
}

type sessionRow struct {
	Object    objectRow `gorm:"embedded"`
	UpdatedAt time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (sessionRow) TableName() string { return "ocpi_sessions" }

type cdrRow struct {
	Object objectRow `gorm:"embedded"`
}

func (cdrRow) TableName() string { return "ocpi_cdrs" }

type tariffRow struct {
	IDKey       string    `gorm:"column:id_key;primaryKey"`
	Deleted     bool      `gorm:"column:deleted"`
	Body        string    `gorm:"column:body"`
	LastUpdated time.Time `gorm:"column:last_updated"`
	CreatedAt   time.Time `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt   time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (tariffRow) TableName() string { return "ocpi_tariffs" }

type commandRow struct {
	ID            string    `gorm:"column:id;primaryKey"`
	PartnerID     int64     `gorm:"column:partner_id"`
	CountryCode   string    `gorm:"column:country_code"`
	PartyID       string    `gorm:"column:party_id"`
	Kind          string    `gorm:"column:kind"`
	Ref           string    `gorm:"column:ref"`
	ResponseURL   string    `gorm:"column:response_url"`
	Request       string    `gorm:"column:request"`
	Response      string    `gorm:"column:response"`
	Result        string    `gorm:"column:result"`
	CorrelationID string    `gorm:"column:correlation_id"`
	Status        string    `gorm:"column:status"`
	ExpiresAt     time.Time `gorm:"column:expires_at"`
	CreatedAt     time.Time `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt     time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (commandRow) TableName() string { return "ocpi_commands" }

func toCommandRow(c *roaming.Command) commandRow {
	return commandRow{ID: c.ID, PartnerID: c.PartnerID, CountryCode: c.From.CountryCode, PartyID: c.From.PartyID,
		Kind: c.Kind, Ref: c.Ref, ResponseURL: c.ResponseURL, Request: string(c.Request), Response: c.Response,
		Result: c.Result, CorrelationID: c.CorrelationID, Status: string(c.Status), ExpiresAt: dbTime(c.ExpiresAt),
		CreatedAt: dbTime(c.CreatedAt), UpdatedAt: dbTime(c.UpdatedAt)}
}

func (r commandRow) domain() roaming.Command {
	c := roaming.Command{ID: r.ID, PartnerID: r.PartnerID, From: roaming.Party{CountryCode: r.CountryCode, PartyID: r.PartyID},
		Kind: r.Kind, Ref: r.Ref, ResponseURL: r.ResponseURL, Response: r.Response, Result: r.Result,
		CorrelationID: r.CorrelationID, Status: roaming.CommandStatus(r.Status), ExpiresAt: r.ExpiresAt.UTC(),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.Request != "" {
		c.Request = json.RawMessage(r.Request)
	}
	return c
}

type outboxRow struct {
	ID             int64      `gorm:"column:id;primaryKey"`
	PartnerID      int64      `gorm:"column:partner_id"`
	ObjectKey      string     `gorm:"column:object_key"`
	Module         string     `gorm:"column:module"`
	Path           string     `gorm:"column:path"`
	URL            string     `gorm:"column:url"`
	Method         string     `gorm:"column:method"`
	Body           string     `gorm:"column:body"`
	ToCountryCode  string     `gorm:"column:to_country_code"`
	ToPartyID      string     `gorm:"column:to_party_id"`
	CorrelationID  string     `gorm:"column:correlation_id"`
	Status         string     `gorm:"column:status"`
	Attempts       int        `gorm:"column:attempts"`
	NextAttemptAt  time.Time  `gorm:"column:next_attempt_at"`
	LockedUntil    *time.Time `gorm:"column:locked_until"`
	LockedBy       string     `gorm:"column:locked_by"` // node id of the lease (00008_hot_paths)
	LastError      string     `gorm:"column:last_error"`
	ResultLocation string     `gorm:"column:result_location"`
	CreatedAt      time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt      time.Time  `gorm:"column:updated_at;autoUpdateTime:false"`
	DeliveredAt    *time.Time `gorm:"column:delivered_at"`
}

func (outboxRow) TableName() string { return "ocpi_outbox" }

func toOutboxRow(it *roaming.OutboxItem) outboxRow {
	return outboxRow{ID: it.ID, PartnerID: it.PartnerID, ObjectKey: it.ObjectKey, Module: string(it.Module), Path: it.Path,
		URL: it.URL, Method: it.Method, Body: string(it.Body), ToCountryCode: it.To.CountryCode, ToPartyID: it.To.PartyID,
		CorrelationID: it.CorrelationID, Status: string(it.Status), Attempts: it.Attempts,
		NextAttemptAt: dbTime(it.NextAttemptAt), LastError: it.LastError, ResultLocation: it.ResultLocation,
		CreatedAt: dbTime(it.CreatedAt), UpdatedAt: dbTime(it.UpdatedAt), DeliveredAt: dbTimePtr(it.DeliveredAt)}
}

func (r outboxRow) domain() roaming.OutboxItem {
	it := roaming.OutboxItem{ID: r.ID, PartnerID: r.PartnerID, ObjectKey: r.ObjectKey, Module: ocpi.ModuleID(r.Module),
		Path: r.Path, URL: r.URL, Method: r.Method, To: roaming.Party{CountryCode: r.ToCountryCode, PartyID: r.ToPartyID},
		CorrelationID: r.CorrelationID, Status: roaming.OutboxStatus(r.Status), Attempts: r.Attempts,
		NextAttemptAt: r.NextAttemptAt.UTC(), LastError: r.LastError, ResultLocation: r.ResultLocation,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), DeliveredAt: utcPtr(r.DeliveredAt)}
	if r.Body != "" {
		it.Body = json.RawMessage(r.Body)
	}
	return it
}

// marshalList stores a list as JSON text; nil is "[]".
func marshalList[T any](list []T) (string, error) {
	if list == nil {
		return "[]", nil
	}
	b, err := json.Marshal(list)
	if err != nil {
		return "", fmt.Errorf("store: encode list: %w", err)
	}
	return string(b), nil
}

func unmarshalList[T any](s string, dst *[]T) error {
	if s == "" || s == "[]" {
		*dst = nil
		return nil
	}
	return json.Unmarshal([]byte(s), dst)
}
