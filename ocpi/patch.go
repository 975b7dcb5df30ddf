package ocpi

// Partial objects for PATCH requests (ocpi-2.2.1.md 2.11). Every field is optional: a nil pointer
// or nil slice is absent and leaves the stored value as it is; only last_updated is required.
// PATCH cannot remove data, so a present string must not be empty. List fields other than
// Session.charging_periods replace the whole stored list (the spec is silent; see 2.11), and a
// PATCHed Session.charging_periods is appended. The ApplyPatch methods implement these rules;
// they do not cascade last_updated to parent objects (a Connector PATCH also changes its EVSE's
// and Location's last_updated), which is the caller's job.

// LocationPatch is a partial Location.
type LocationPatch struct {
	Publish            *bool                   `json:"publish,omitempty"`
	PublishAllowedTo   []PublishTokenType      `json:"publish_allowed_to,omitempty"`
	Name               *string                 `json:"name,omitempty"`
	Address            *string                 `json:"address,omitempty"`
	City               *string                 `json:"city,omitempty"`
	PostalCode         *string                 `json:"postal_code,omitempty"`
	State              *string                 `json:"state,omitempty"`
	Country            *string                 `json:"country,omitempty"`
	Coordinates        *GeoLocation            `json:"coordinates,omitempty"`
	RelatedLocations   []AdditionalGeoLocation `json:"related_locations,omitempty"`
	ParkingType        *ParkingType            `json:"parking_type,omitempty"`
	EVSEs              []EVSE                  `json:"evses,omitempty"`
	Directions         []DisplayText           `json:"directions,omitempty"`
	Operator           *BusinessDetails        `json:"operator,omitempty"`
	Suboperator        *BusinessDetails        `json:"suboperator,omitempty"`
	Owner              *BusinessDetails        `json:"owner,omitempty"`
	Facilities         []Facility              `json:"facilities,omitempty"`
	TimeZone           *string                 `json:"time_zone,omitempty"`
	OpeningTimes       *Hours                  `json:"opening_times,omitempty"`
	ChargingWhenClosed *bool                   `json:"charging_when_closed,omitempty"`
	Images             []Image                 `json:"images,omitempty"`
	EnergyMix          *EnergyMix              `json:"energy_mix,omitempty"`
	LastUpdated        DateTime                `json:"last_updated"`
}

// EVSEPatch is a partial EVSE, e.g. {"status": "CHARGING", "last_updated": "..."}.
type EVSEPatch struct {
	EvseID              *string              `json:"evse_id,omitempty"`
	Status              *Status              `json:"status,omitempty"`
	StatusSchedule      []StatusSchedule     `json:"status_schedule,omitempty"`
	Capabilities        []Capability         `json:"capabilities,omitempty"`
	Connectors          []Connector          `json:"connectors,omitempty"`
	FloorLevel          *string              `json:"floor_level,omitempty"`
	Coordinates         *GeoLocation         `json:"coordinates,omitempty"`
	PhysicalReference   *string              `json:"physical_reference,omitempty"`
	Directions          []DisplayText        `json:"directions,omitempty"`
	ParkingRestrictions []ParkingRestriction `json:"parking_restrictions,omitempty"`
	Images              []Image              `json:"images,omitempty"`
	LastUpdated         DateTime             `json:"last_updated"`
}

// ConnectorPatch is a partial Connector.
type ConnectorPatch struct {
	Standard           *ConnectorType   `json:"standard,omitempty"`
	Format             *ConnectorFormat `json:"format,omitempty"`
	PowerType          *PowerType       `json:"power_type,omitempty"`
	MaxVoltage         *int             `json:"max_voltage,omitempty"`
	MaxAmperage        *int             `json:"max_amperage,omitempty"`
	MaxElectricPower   *int             `json:"max_electric_power,omitempty"`
	TariffIDs          []string         `json:"tariff_ids,omitempty"`
	TermsAndConditions *string          `json:"terms_and_conditions,omitempty"`
	LastUpdated        DateTime         `json:"last_updated"`
}

// SessionPatch is a partial Session; ChargingPeriods are appended to the stored ones.
type SessionPatch struct {
	StartDateTime          *DateTime        `json:"start_date_time,omitempty"`
	EndDateTime            *DateTime        `json:"end_date_time,omitempty"`
	KWh                    *Decimal         `json:"kwh,omitempty"`
	CdrToken               *CdrToken        `json:"cdr_token,omitempty"`
	AuthMethod             *AuthMethod      `json:"auth_method,omitempty"`
	AuthorizationReference *string          `json:"authorization_reference,omitempty"`
	LocationID             *string          `json:"location_id,omitempty"`
	EvseUID                *string          `json:"evse_uid,omitempty"`
	ConnectorID            *string          `json:"connector_id,omitempty"`
	MeterID                *string          `json:"meter_id,omitempty"`
	Currency               *string          `json:"currency,omitempty"`
	ChargingPeriods        []ChargingPeriod `json:"charging_periods,omitempty"`
	TotalCost              *Price           `json:"total_cost,omitempty"`
	Status                 *SessionStatus   `json:"status,omitempty"`
	LastUpdated            DateTime         `json:"last_updated"`
}

// TokenPatch is a partial Token, e.g. {"valid": false, "last_updated": "..."}.
type TokenPatch struct {
	CountryCode        *string         `json:"country_code,omitempty"`
	PartyID            *string         `json:"party_id,omitempty"`
	UID                *string         `json:"uid,omitempty"`
	Type               *TokenType      `json:"type,omitempty"`
	ContractID         *string         `json:"contract_id,omitempty"`
	VisualNumber       *string         `json:"visual_number,omitempty"`
	Issuer             *string         `json:"issuer,omitempty"`
	GroupID            *string         `json:"group_id,omitempty"`
	Valid              *bool           `json:"valid,omitempty"`
	Whitelist          *WhitelistType  `json:"whitelist,omitempty"`
	Language           *string         `json:"language,omitempty"`
	DefaultProfileType *ProfileType    `json:"default_profile_type,omitempty"`
	EnergyContract     *EnergyContract `json:"energy_contract,omitempty"`
	LastUpdated        DateTime        `json:"last_updated"`
}

// patchChecker validates the present fields of a patch rooted at path.
type patchChecker struct {
	v    *validator
	path string
}

func (c patchChecker) str(name string, s *string, max int) {
	if s != nil {
		c.v.str(c.path+"."+name, *s, max, true)
	}
}

func (c patchChecker) ci(name string, s *string, max int) {
	if s != nil {
		c.v.ciString(c.path+"."+name, *s, max, true)
	}
}

func (c patchChecker) fixed(name string, s *string, n int) {
	if s != nil {
		checkFixedStr(c.v, c.path+"."+name, *s, n, true)
	}
}

func (c patchChecker) enum(name string, s *string, valid bool) {
	if s != nil {
		c.v.closedEnum(c.path+"."+name, *s, valid, true)
	}
}

func (c patchChecker) open(name string, s *string) {
	if s != nil {
		c.v.openEnum(c.path+"."+name, *s, true)
	}
}

// strp converts a pointer to a string-based enum to *string for patchChecker.
func strp[S ~string](s *S) *string {
	if s == nil {
		return nil
	}
	str := string(*s)
	return &str
}

// Validate checks the present fields and last_updated; errors are rooted at "location_patch".
func (p *LocationPatch) Validate() error {
	v := &validator{}
	c := patchChecker{v, "location_patch"}
	if p.Publish != nil && *p.Publish && len(p.PublishAllowedTo) > 0 {
		v.add(c.path+".publish_allowed_to", "only allowed when publish is false")
	}
	for i := range p.PublishAllowedTo {
		p.PublishAllowedTo[i].validate(v, index(c.path+".publish_allowed_to", i))
	}
	c.str("name", p.Name, 255)
	c.str("address", p.Address, 255)
	c.str("city", p.City, 45)
	c.str("postal_code", p.PostalCode, 10)
	c.str("state", p.State, 45)
	c.fixed("country", p.Country, 3)
	if p.Coordinates != nil {
		p.Coordinates.validate(v, c.path+".coordinates")
	}
	for i := range p.RelatedLocations {
		p.RelatedLocations[i].validate(v, index(c.path+".related_locations", i))
	}
	c.open("parking_type", strp(p.ParkingType))
	validateEVSEList(v, c.path+".evses", p.EVSEs)
	checkDisplayTexts(v, c.path+".directions", p.Directions)
	validateBusinessDetails(v, c.path, p.Operator, p.Suboperator, p.Owner)
	for i, f := range p.Facilities {
		v.openEnum(index(c.path+".facilities", i), string(f), true)
	}
	c.str("time_zone", p.TimeZone, 255)
	if p.OpeningTimes != nil {
		p.OpeningTimes.validate(v, c.path+".opening_times")
	}
	for i := range p.Images {
		p.Images[i].validate(v, index(c.path+".images", i))
	}
	if p.EnergyMix != nil {
		p.EnergyMix.validate(v, c.path+".energy_mix")
	}
	checkDateTime(v, c.path+".last_updated", p.LastUpdated)
	return v.err()
}

// Validate checks the present fields and last_updated; errors are rooted at "evse_patch".
func (p *EVSEPatch) Validate() error {
	v := &validator{}
	c := patchChecker{v, "evse_patch"}
	c.ci("evse_id", p.EvseID, 48)
	if p.Status != nil {
		c.enum("status", strp(p.Status), p.Status.IsValid())
	}
	c.str("floor_level", p.FloorLevel, 4)
	c.str("physical_reference", p.PhysicalReference, 16)
	// floor_level and physical_reference are checked above (present means non-empty).
	validateEVSEParts(v, c.path, p.StatusSchedule, p.Capabilities, p.Connectors, p.Coordinates,
		"", "", p.Directions, p.ParkingRestrictions, p.Images)
	checkDateTime(v, c.path+".last_updated", p.LastUpdated)
	return v.err()
}

// Validate checks the present fields and last_updated; errors are rooted at "connector_patch".
func (p *ConnectorPatch) Validate() error {
	v := &validator{}
	c := patchChecker{v, "connector_patch"}
	c.open("standard", strp(p.Standard))
	if p.Format != nil {
		c.enum("format", strp(p.Format), p.Format.IsValid())
	}
	if p.PowerType != nil {
		c.enum("power_type", strp(p.PowerType), p.PowerType.IsValid())
	}
	if p.MaxVoltage != nil && *p.MaxVoltage <= 0 {
		v.add(c.path+".max_voltage", "must be positive, got %d", *p.MaxVoltage)
	}
	if p.MaxAmperage != nil && *p.MaxAmperage <= 0 {
		v.add(c.path+".max_amperage", "must be positive, got %d", *p.MaxAmperage)
	}
	if p.TermsAndConditions != nil {
		checkURL(v, c.path+".terms_and_conditions", *p.TermsAndConditions, true)
	}
	// terms_and_conditions is checked above (present means non-empty).
	validateConnectorParts(v, c.path, p.MaxElectricPower, p.TariffIDs, "")
	checkDateTime(v, c.path+".last_updated", p.LastUpdated)
	return v.err()
}

// Validate checks the present fields and last_updated; errors are rooted at "session_patch".
func (p *SessionPatch) Validate() error {
	v := &validator{}
	c := patchChecker{v, "session_patch"}
	checkOptDateTime(v, c.path+".start_date_time", p.StartDateTime)
	checkOptDateTime(v, c.path+".end_date_time", p.EndDateTime)
	if p.CdrToken != nil {
		p.CdrToken.validate(v, c.path+".cdr_token")
	}
	if p.AuthMethod != nil {
		c.enum("auth_method", strp(p.AuthMethod), p.AuthMethod.IsValid())
	}
	c.ci("authorization_reference", p.AuthorizationReference, 36)
	c.ci("location_id", p.LocationID, 36)
	c.ci("evse_uid", p.EvseUID, 36)
	c.ci("connector_id", p.ConnectorID, 36)
	c.str("meter_id", p.MeterID, 255)
	c.fixed("currency", p.Currency, 3)
	validateSessionPeriods(v, c.path+".charging_periods", p.ChargingPeriods)
	if p.TotalCost != nil {
		p.TotalCost.validate(v, c.path+".total_cost")
	}
	if p.Status != nil {
		c.enum("status", strp(p.Status), p.Status.IsValid())
	}
	checkDateTime(v, c.path+".last_updated", p.LastUpdated)
	return v.err()
}

// Validate checks the present fields and last_updated; errors are rooted at "token_patch".
func (p *TokenPatch) Validate() error {
	v := &validator{}
	c := patchChecker{v, "token_patch"}
	if p.CountryCode != nil {
		checkCountryCode(v, c.path+".country_code", *p.CountryCode)
	}
	if p.PartyID != nil {
		checkPartyID(v, c.path+".party_id", *p.PartyID)
	}
	c.ci("uid", p.UID, 36)
	c.open("type", strp(p.Type))
	c.ci("contract_id", p.ContractID, 36)
	c.str("visual_number", p.VisualNumber, 64)
	c.str("issuer", p.Issuer, 64)
	c.ci("group_id", p.GroupID, 36)
	if p.Whitelist != nil {
		c.enum("whitelist", strp(p.Whitelist), p.Whitelist.IsValid())
	}
	c.fixed("language", p.Language, 2)
	if p.DefaultProfileType != nil {
		c.enum("default_profile_type", strp(p.DefaultProfileType), p.DefaultProfileType.IsValid())
	}
	if p.EnergyContract != nil {
		p.EnergyContract.validate(v, c.path+".energy_contract")
	}
	checkDateTime(v, c.path+".last_updated", p.LastUpdated)
	return v.err()
}

// set copies *src into *dst when src is present.
func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// setPtr replaces *dst with a copy of src when src is present.
func setPtr[T any](dst **T, src *T) {
	if src != nil {
		c := *src
		*dst = &c
	}
}

// setList replaces *dst with a copy of src when src is present (non-nil).
func setList[T any](dst *[]T, src []T) {
	if src != nil {
		*dst = append([]T(nil), src...)
	}
}

// ApplyPatch merges a validated LocationPatch into l, including last_updated.
func (l *Location) ApplyPatch(p *LocationPatch) {
	set(&l.Publish, p.Publish)
	setList(&l.PublishAllowedTo, p.PublishAllowedTo)
	set(&l.Name, p.Name)
	set(&l.Address, p.Address)
	set(&l.City, p.City)
	set(&l.PostalCode, p.PostalCode)
	set(&l.State, p.State)
	set(&l.Country, p.Country)
	set(&l.Coordinates, p.Coordinates)
	setList(&l.RelatedLocations, p.RelatedLocations)
	set(&l.ParkingType, p.ParkingType)
	setList(&l.EVSEs, p.EVSEs)
	setList(&l.Directions, p.Directions)
	setPtr(&l.Operator, p.Operator)
	setPtr(&l.Suboperator, p.Suboperator)
	setPtr(&l.Owner, p.Owner)
	setList(&l.Facilities, p.Facilities)
	set(&l.TimeZone, p.TimeZone)
	setPtr(&l.OpeningTimes, p.OpeningTimes)
	setPtr(&l.ChargingWhenClosed, p.ChargingWhenClosed)
	setList(&l.Images, p.Images)
	setPtr(&l.EnergyMix, p.EnergyMix)
	l.LastUpdated = p.LastUpdated
}

// ApplyPatch merges a validated EVSEPatch into e, including last_updated.
func (e *EVSE) ApplyPatch(p *EVSEPatch) {
	set(&e.EvseID, p.EvseID)
	set(&e.Status, p.Status)
	setList(&e.StatusSchedule, p.StatusSchedule)
	setList(&e.Capabilities, p.Capabilities)
	setList(&e.Connectors, p.Connectors)
	set(&e.FloorLevel, p.FloorLevel)
	setPtr(&e.Coordinates, p.Coordinates)
	set(&e.PhysicalReference, p.PhysicalReference)
	setList(&e.Directions, p.Directions)
	setList(&e.ParkingRestrictions, p.ParkingRestrictions)
	setList(&e.Images, p.Images)
	e.LastUpdated = p.LastUpdated
}

// ApplyPatch merges a validated ConnectorPatch into c, including last_updated.
func (c *Connector) ApplyPatch(p *ConnectorPatch) {
	set(&c.Standard, p.Standard)
	set(&c.Format, p.Format)
	set(&c.PowerType, p.PowerType)
	set(&c.MaxVoltage, p.MaxVoltage)
	set(&c.MaxAmperage, p.MaxAmperage)
	setPtr(&c.MaxElectricPower, p.MaxElectricPower)
	setList(&c.TariffIDs, p.TariffIDs)
	set(&c.TermsAndConditions, p.TermsAndConditions)
	c.LastUpdated = p.LastUpdated
}

// ApplyPatch merges a validated SessionPatch into s, appending its charging periods, including
// last_updated.
func (s *Session) ApplyPatch(p *SessionPatch) {
	set(&s.StartDateTime, p.StartDateTime)
	setPtr(&s.EndDateTime, p.EndDateTime)
	set(&s.KWh, p.KWh)
	set(&s.CdrToken, p.CdrToken)
	set(&s.AuthMethod, p.AuthMethod)
	set(&s.AuthorizationReference, p.AuthorizationReference)
	set(&s.LocationID, p.LocationID)
	set(&s.EvseUID, p.EvseUID)
	set(&s.ConnectorID, p.ConnectorID)
	set(&s.MeterID, p.MeterID)
	set(&s.Currency, p.Currency)
	if len(p.ChargingPeriods) > 0 {
		s.ChargingPeriods = append(append([]ChargingPeriod(nil), s.ChargingPeriods...), p.ChargingPeriods...)
	}
	setPtr(&s.TotalCost, p.TotalCost)
	set(&s.Status, p.Status)
	s.LastUpdated = p.LastUpdated
}

// ApplyPatch merges a validated TokenPatch into t, including last_updated.
func (t *Token) ApplyPatch(p *TokenPatch) {
	set(&t.CountryCode, p.CountryCode)
	set(&t.PartyID, p.PartyID)
	set(&t.UID, p.UID)
	set(&t.Type, p.Type)
	set(&t.ContractID, p.ContractID)
	set(&t.VisualNumber, p.VisualNumber)
	set(&t.Issuer, p.Issuer)
	set(&t.GroupID, p.GroupID)
	set(&t.Valid, p.Valid)
	set(&t.Whitelist, p.Whitelist)
	set(&t.Language, p.Language)
	set(&t.DefaultProfileType, p.DefaultProfileType)
	setPtr(&t.EnergyContract, p.EnergyContract)
	t.LastUpdated = p.LastUpdated
}
