package ocpi

import "strings"

// Status is the current (or scheduled) status of an EVSE (closed enum).
type Status string

// Status values.
const (
	StatusAvailable   Status = "AVAILABLE"   // able to start a new session
	StatusBlocked     Status = "BLOCKED"     // physically blocked, e.g. by a parked car
	StatusCharging    Status = "CHARGING"    // in use
	StatusInoperative Status = "INOPERATIVE" // not yet active or temporarily unavailable, not broken
	StatusOutOfOrder  Status = "OUTOFORDER"  // broken or defective
	StatusPlanned     Status = "PLANNED"     // coming soon
	StatusRemoved     Status = "REMOVED"     // discontinued; EVSEs are never deleted
	StatusReserved    Status = "RESERVED"    // reserved for a specific driver
	StatusUnknown     Status = "UNKNOWN"     // no information, also when the charger is offline
)

// IsValid reports whether s is one of the defined values.
func (s Status) IsValid() bool {
	switch s {
	case StatusAvailable, StatusBlocked, StatusCharging, StatusInoperative, StatusOutOfOrder,
		StatusPlanned, StatusRemoved, StatusReserved, StatusUnknown:
		return true
	}
	return false
}

// Capability is a functionality of an EVSE (open enum: other values are accepted).
type Capability string

// Capability values.
const (
	CapabilityChargingProfileCapable        Capability = "CHARGING_PROFILE_CAPABLE"
	CapabilityChargingPreferencesCapable    Capability = "CHARGING_PREFERENCES_CAPABLE"
	CapabilityChipCardSupport               Capability = "CHIP_CARD_SUPPORT"
	CapabilityContactlessCardSupport        Capability = "CONTACTLESS_CARD_SUPPORT"
	CapabilityCreditCardPayable             Capability = "CREDIT_CARD_PAYABLE"
	CapabilityDebitCardPayable              Capability = "DEBIT_CARD_PAYABLE"
	CapabilityPEDTerminal                   Capability = "PED_TERMINAL"
	CapabilityRemoteStartStopCapable        Capability = "REMOTE_START_STOP_CAPABLE"
	CapabilityReservable                    Capability = "RESERVABLE"
	CapabilityRFIDReader                    Capability = "RFID_READER"
	CapabilityStartSessionConnectorRequired Capability = "START_SESSION_CONNECTOR_REQUIRED"
	CapabilityTokenGroupCapable             Capability = "TOKEN_GROUP_CAPABLE"
	CapabilityUnlockCapable                 Capability = "UNLOCK_CAPABLE"
)

// IsKnown reports whether c is one of the values defined by OCPI 2.2.1.
func (c Capability) IsKnown() bool {
	switch c {
	case CapabilityChargingProfileCapable, CapabilityChargingPreferencesCapable, CapabilityChipCardSupport,
		CapabilityContactlessCardSupport, CapabilityCreditCardPayable, CapabilityDebitCardPayable,
		CapabilityPEDTerminal, CapabilityRemoteStartStopCapable, CapabilityReservable, CapabilityRFIDReader,
		CapabilityStartSessionConnectorRequired, CapabilityTokenGroupCapable, CapabilityUnlockCapable:
		return true
	}
	return false
}

// ParkingType is the general type of parking at a Location (open enum).
type ParkingType string

// ParkingType values.
const (
	ParkingTypeAlongMotorway     ParkingType = "ALONG_MOTORWAY"
	ParkingTypeParkingGarage     ParkingType = "PARKING_GARAGE"
	ParkingTypeParkingLot        ParkingType = "PARKING_LOT"
	ParkingTypeOnDriveway        ParkingType = "ON_DRIVEWAY"
	ParkingTypeOnStreet          ParkingType = "ON_STREET"
	ParkingTypeUndergroundGarage ParkingType = "UNDERGROUND_GARAGE"
)

// IsKnown reports whether p is one of the values defined by OCPI 2.2.1.
func (p ParkingType) IsKnown() bool {
	switch p {
	case ParkingTypeAlongMotorway, ParkingTypeParkingGarage, ParkingTypeParkingLot, ParkingTypeOnDriveway,
		ParkingTypeOnStreet, ParkingTypeUndergroundGarage:
		return true
	}
	return false
}

// ParkingRestriction is a restriction of the parking spot of an EVSE (open enum).
type ParkingRestriction string

// ParkingRestriction values.
const (
	ParkingRestrictionEVOnly      ParkingRestriction = "EV_ONLY"
	ParkingRestrictionPlugged     ParkingRestriction = "PLUGGED"
	ParkingRestrictionDisabled    ParkingRestriction = "DISABLED"
	ParkingRestrictionCustomers   ParkingRestriction = "CUSTOMERS"
	ParkingRestrictionMotorcycles ParkingRestriction = "MOTORCYCLES"
)

// IsKnown reports whether p is one of the values defined by OCPI 2.2.1.
func (p ParkingRestriction) IsKnown() bool {
	switch p {
	case ParkingRestrictionEVOnly, ParkingRestrictionPlugged, ParkingRestrictionDisabled,
		ParkingRestrictionCustomers, ParkingRestrictionMotorcycles:
		return true
	}
	return false
}

// Facility is a facility a Location belongs to or is near (open enum).
type Facility string

// Facility values.
const (
	FacilityHotel          Facility = "HOTEL"
	FacilityRestaurant     Facility = "RESTAURANT"
	FacilityCafe           Facility = "CAFE"
	FacilityMall           Facility = "MALL"
	FacilitySupermarket    Facility = "SUPERMARKET"
	FacilitySport          Facility = "SPORT"
	FacilityRecreationArea Facility = "RECREATION_AREA"
	FacilityNature         Facility = "NATURE"
	FacilityMuseum         Facility = "MUSEUM"
	FacilityBikeSharing    Facility = "BIKE_SHARING"
	FacilityBusStop        Facility = "BUS_STOP"
	FacilityTaxiStand      Facility = "TAXI_STAND"
	FacilityTramStop       Facility = "TRAM_STOP"
	FacilityMetroStation   Facility = "METRO_STATION"
	FacilityTrainStation   Facility = "TRAIN_STATION"
	FacilityAirport        Facility = "AIRPORT"
	FacilityParkingLot     Facility = "PARKING_LOT"
	FacilityCarpoolParking Facility = "CARPOOL_PARKING"
	FacilityFuelStation    Facility = "FUEL_STATION"
	FacilityWifi           Facility = "WIFI"
)

// IsKnown reports whether f is one of the values defined by OCPI 2.2.1.
func (f Facility) IsKnown() bool {
	switch f {
	case FacilityHotel, FacilityRestaurant, FacilityCafe, FacilityMall, FacilitySupermarket, FacilitySport,
		FacilityRecreationArea, FacilityNature, FacilityMuseum, FacilityBikeSharing, FacilityBusStop,
		FacilityTaxiStand, FacilityTramStop, FacilityMetroStation, FacilityTrainStation, FacilityAirport,
		FacilityParkingLot, FacilityCarpoolParking, FacilityFuelStation, FacilityWifi:
		return true
	}
	return false
}

// ImageCategory says what an Image is used for (open enum).
type ImageCategory string

// ImageCategory values.
const (
	ImageCategoryCharger  ImageCategory = "CHARGER"
	ImageCategoryEntrance ImageCategory = "ENTRANCE"
	ImageCategoryLocation ImageCategory = "LOCATION"
	ImageCategoryNetwork  ImageCategory = "NETWORK"
	ImageCategoryOperator ImageCategory = "OPERATOR"
	ImageCategoryOther    ImageCategory = "OTHER"
	ImageCategoryOwner    ImageCategory = "OWNER"
)

// IsKnown reports whether c is one of the values defined by OCPI 2.2.1.
func (c ImageCategory) IsKnown() bool {
	switch c {
	case ImageCategoryCharger, ImageCategoryEntrance, ImageCategoryLocation, ImageCategoryNetwork,
		ImageCategoryOperator, ImageCategoryOther, ImageCategoryOwner:
		return true
	}
	return false
}

// Location is a place with one or more EVSEs (OCPI Locations module, owned by the CPO).
type Location struct {
	CountryCode        string                  `json:"country_code"`                 // CiString(2), owner CPO
	PartyID            string                  `json:"party_id"`                     // CiString(3), owner CPO
	ID                 string                  `json:"id"`                           // CiString(36), immutable
	Publish            bool                    `json:"publish"`                      // false: only for publish_allowed_to
	PublishAllowedTo   []PublishTokenType      `json:"publish_allowed_to,omitempty"` // only when publish is false
	Name               string                  `json:"name,omitempty"`               // string(255)
	Address            string                  `json:"address"`                      // string(255) (errata; was 45)
	City               string                  `json:"city"`                         // string(45)
	PostalCode         string                  `json:"postal_code,omitempty"`        // string(10)
	State              string                  `json:"state,omitempty"`              // string(45) (errata; was 20)
	Country            string                  `json:"country"`                      // string(3), ISO 3166-1 alpha-3
	Coordinates        GeoLocation             `json:"coordinates"`                  //
	RelatedLocations   []AdditionalGeoLocation `json:"related_locations,omitempty"`  //
	ParkingType        ParkingType             `json:"parking_type,omitempty"`       //
	EVSEs              []EVSE                  `json:"evses,omitempty"`              //
	Directions         []DisplayText           `json:"directions,omitempty"`         //
	Operator           *BusinessDetails        `json:"operator,omitempty"`           // absent: from the credentials role
	Suboperator        *BusinessDetails        `json:"suboperator,omitempty"`        //
	Owner              *BusinessDetails        `json:"owner,omitempty"`              //
	Facilities         []Facility              `json:"facilities,omitempty"`         //
	TimeZone           string                  `json:"time_zone"`                    // string(255), IANA name
	OpeningTimes       *Hours                  `json:"opening_times,omitempty"`      // absent: no information
	ChargingWhenClosed *bool                   `json:"charging_when_closed,omitempty"`
	Images             []Image                 `json:"images,omitempty"`
	EnergyMix          *EnergyMix              `json:"energy_mix,omitempty"`
	LastUpdated        DateTime                `json:"last_updated"` // includes changes of EVSEs/connectors
}

// EVSE is the part of a Location that charges one EV at a time.
type EVSE struct {
	UID                 string               `json:"uid"`               // CiString(36), immutable
	EvseID              string               `json:"evse_id,omitempty"` // CiString(48), eMI3 EVSE ID
	Status              Status               `json:"status"`            //
	StatusSchedule      []StatusSchedule     `json:"status_schedule,omitempty"`
	Capabilities        []Capability         `json:"capabilities,omitempty"`
	Connectors          []Connector          `json:"connectors"`                   // at least one
	FloorLevel          string               `json:"floor_level,omitempty"`        // string(4)
	Coordinates         *GeoLocation         `json:"coordinates,omitempty"`        //
	PhysicalReference   string               `json:"physical_reference,omitempty"` // string(16)
	Directions          []DisplayText        `json:"directions,omitempty"`
	ParkingRestrictions []ParkingRestriction `json:"parking_restrictions,omitempty"`
	Images              []Image              `json:"images,omitempty"`
	LastUpdated         DateTime             `json:"last_updated"`
}

// Connector is a socket or cable of an EVSE.
type Connector struct {
	ID                 string          `json:"id"` // CiString(36), unique within the EVSE
	Standard           ConnectorType   `json:"standard"`
	Format             ConnectorFormat `json:"format"`
	PowerType          PowerType       `json:"power_type"`
	MaxVoltage         int             `json:"max_voltage"`                    // V (phase to neutral for AC_3_PHASE)
	MaxAmperage        int             `json:"max_amperage"`                   // A
	MaxElectricPower   *int            `json:"max_electric_power,omitempty"`   // W
	TariffIDs          []string        `json:"tariff_ids,omitempty"`           // CiString(36) each
	TermsAndConditions string          `json:"terms_and_conditions,omitempty"` // URL
	LastUpdated        DateTime        `json:"last_updated"`
}

// AdditionalGeoLocation is a related point of a Location, such as an entrance.
type AdditionalGeoLocation struct {
	Latitude  string       `json:"latitude"`  // string(10), P-LAT
	Longitude string       `json:"longitude"` // string(11), P-LON
	Name      *DisplayText `json:"name,omitempty"`
}

// BusinessDetails names an operator, suboperator, owner or credentials role.
type BusinessDetails struct {
	Name    string `json:"name"`              // string(100)
	Website string `json:"website,omitempty"` // URL
	Logo    *Image `json:"logo,omitempty"`
}

// Image references a picture (photo, logo, ...) by URL.
type Image struct {
	URL       string        `json:"url"`                 // URL of the full image
	Thumbnail string        `json:"thumbnail,omitempty"` // URL
	Category  ImageCategory `json:"category"`
	Type      string        `json:"type"`             // CiString(4): gif, jpeg, png, svg, ...
	Width     *int          `json:"width,omitempty"`  // int(5), pixels
	Height    *int          `json:"height,omitempty"` // int(5), pixels
}

// Hours are the opening times of a Location.
type Hours struct {
	TwentyFourSeven     bool                `json:"twentyfourseven"`
	RegularHours        []RegularHours      `json:"regular_hours,omitempty"`        // only (and then required) when not 24/7
	ExceptionalOpenings []ExceptionalPeriod `json:"exceptional_openings,omitempty"` // extra open periods
	ExceptionalClosings []ExceptionalPeriod `json:"exceptional_closings,omitempty"` // closed periods; win over openings
}

// RegularHours is a weekly recurring opening period, in the Location's local time.
type RegularHours struct {
	Weekday     int    `json:"weekday"`      // 1 = Monday ... 7 = Sunday
	PeriodBegin string `json:"period_begin"` // "HH:MM"
	PeriodEnd   string `json:"period_end"`   // "HH:MM", after period_begin
}

// ExceptionalPeriod is a one-off opening or closing period (UTC).
type ExceptionalPeriod struct {
	PeriodBegin DateTime `json:"period_begin"`
	PeriodEnd   DateTime `json:"period_end"`
}

// StatusSchedule is a planned status of an EVSE.
type StatusSchedule struct {
	PeriodBegin DateTime  `json:"period_begin"`
	PeriodEnd   *DateTime `json:"period_end,omitempty"` // absent: open-ended
	Status      Status    `json:"status"`
}

// PublishTokenType identifies tokens allowed to see an unpublished Location. At least one of uid,
// visual_number and group_id is set; uid needs type, visual_number needs issuer.
type PublishTokenType struct {
	UID          string    `json:"uid,omitempty"`           // CiString(36)
	Type         TokenType `json:"type,omitempty"`          //
	VisualNumber string    `json:"visual_number,omitempty"` // string(64)
	Issuer       string    `json:"issuer,omitempty"`        // string(64)
	GroupID      string    `json:"group_id,omitempty"`      // CiString(36)
}

// Validate checks a complete Location (as sent in a PUT or a GET answer) with its EVSEs and
// connectors; errors are rooted at "location".
func (l *Location) Validate() error {
	v := &validator{}
	l.validate(v, "location")
	return v.err()
}

func (l *Location) validate(v *validator, path string) {
	checkCountryCode(v, path+".country_code", l.CountryCode)
	checkPartyID(v, path+".party_id", l.PartyID)
	v.ciString(path+".id", l.ID, 36, true)
	if l.Publish && len(l.PublishAllowedTo) > 0 {
		v.add(path+".publish_allowed_to", "only allowed when publish is false")
	}
	for i := range l.PublishAllowedTo {
		l.PublishAllowedTo[i].validate(v, index(path+".publish_allowed_to", i))
	}
	v.str(path+".name", l.Name, 255, false)
	v.str(path+".address", l.Address, 255, true)
	v.str(path+".city", l.City, 45, true)
	v.str(path+".postal_code", l.PostalCode, 10, false)
	v.str(path+".state", l.State, 45, false)
	checkFixedStr(v, path+".country", l.Country, 3, true)
	l.Coordinates.validate(v, path+".coordinates")
	for i := range l.RelatedLocations {
		l.RelatedLocations[i].validate(v, index(path+".related_locations", i))
	}
	v.openEnum(path+".parking_type", string(l.ParkingType), false)
	validateEVSEList(v, path+".evses", l.EVSEs)
	checkDisplayTexts(v, path+".directions", l.Directions)
	validateBusinessDetails(v, path, l.Operator, l.Suboperator, l.Owner)
	for i, f := range l.Facilities {
		v.openEnum(index(path+".facilities", i), string(f), true)
	}
	v.str(path+".time_zone", l.TimeZone, 255, true)
	if l.OpeningTimes != nil {
		l.OpeningTimes.validate(v, path+".opening_times")
	}
	for i := range l.Images {
		l.Images[i].validate(v, index(path+".images", i))
	}
	if l.EnergyMix != nil {
		l.EnergyMix.validate(v, path+".energy_mix")
	}
	checkDateTime(v, path+".last_updated", l.LastUpdated)
}

// validateEVSEList checks EVSEs and that their uids are unique (case-insensitively).
func validateEVSEList(v *validator, path string, evses []EVSE) {
	uids := make(map[string]bool, len(evses))
	for i := range evses {
		ep := index(path, i)
		evses[i].validate(v, ep)
		if uid := strings.ToUpper(evses[i].UID); uid != "" {
			if uids[uid] {
				v.add(ep+".uid", "duplicate EVSE uid %q in this location", evses[i].UID)
			}
			uids[uid] = true
		}
	}
}

// validateBusinessDetails checks the operator, suboperator and owner of a Location(Patch).
func validateBusinessDetails(v *validator, path string, operator, suboperator, owner *BusinessDetails) {
	for _, b := range []struct {
		name string
		b    *BusinessDetails
	}{{"operator", operator}, {"suboperator", suboperator}, {"owner", owner}} {
		if b.b != nil {
			b.b.validate(v, path+"."+b.name)
		}
	}
}

// Validate checks a complete EVSE (as sent in a PUT on the EVSE URL) with its connectors; errors
// are rooted at "evse".
func (e *EVSE) Validate() error {
	v := &validator{}
	e.validate(v, "evse")
	return v.err()
}

func (e *EVSE) validate(v *validator, path string) {
	v.ciString(path+".uid", e.UID, 36, true)
	v.ciString(path+".evse_id", e.EvseID, 48, false)
	v.closedEnum(path+".status", string(e.Status), e.Status.IsValid(), true)
	validateEVSEParts(v, path, e.StatusSchedule, e.Capabilities, e.Connectors, e.Coordinates,
		e.FloorLevel, e.PhysicalReference, e.Directions, e.ParkingRestrictions, e.Images)
	if len(e.Connectors) == 0 {
		v.add(path+".connectors", "at least one connector required")
	}
	checkDateTime(v, path+".last_updated", e.LastUpdated)
}

// validateEVSEParts checks the optional parts shared by EVSE and EVSEPatch.
func validateEVSEParts(v *validator, path string, schedule []StatusSchedule, caps []Capability,
	connectors []Connector, coords *GeoLocation, floor, physRef string, dirs []DisplayText,
	restrictions []ParkingRestriction, images []Image) {
	for i := range schedule {
		schedule[i].validate(v, index(path+".status_schedule", i))
	}
	for i, c := range caps {
		v.openEnum(index(path+".capabilities", i), string(c), true)
	}
	ids := make(map[string]bool, len(connectors))
	for i := range connectors {
		cp := index(path+".connectors", i)
		connectors[i].validate(v, cp)
		if id := strings.ToUpper(connectors[i].ID); id != "" {
			if ids[id] {
				v.add(cp+".id", "duplicate connector id %q in this EVSE", connectors[i].ID)
			}
			ids[id] = true
		}
	}
	v.str(path+".floor_level", floor, 4, false)
	if coords != nil {
		coords.validate(v, path+".coordinates")
	}
	v.str(path+".physical_reference", physRef, 16, false)
	checkDisplayTexts(v, path+".directions", dirs)
	for i, r := range restrictions {
		v.openEnum(index(path+".parking_restrictions", i), string(r), true)
	}
	for i := range images {
		images[i].validate(v, index(path+".images", i))
	}
}

// Validate checks a complete Connector (as sent in a PUT on the connector URL); errors are rooted
// at "connector".
func (c *Connector) Validate() error {
	v := &validator{}
	c.validate(v, "connector")
	return v.err()
}

func (c *Connector) validate(v *validator, path string) {
	v.ciString(path+".id", c.ID, 36, true)
	v.openEnum(path+".standard", string(c.Standard), true)
	v.closedEnum(path+".format", string(c.Format), c.Format.IsValid(), true)
	v.closedEnum(path+".power_type", string(c.PowerType), c.PowerType.IsValid(), true)
	// A connector without voltage or amperage cannot exist; 0 also means "missing" in the JSON.
	if c.MaxVoltage <= 0 {
		v.add(path+".max_voltage", "required (a positive number of volts)")
	}
	if c.MaxAmperage <= 0 {
		v.add(path+".max_amperage", "required (a positive number of amperes)")
	}
	validateConnectorParts(v, path, c.MaxElectricPower, c.TariffIDs, c.TermsAndConditions)
	checkDateTime(v, path+".last_updated", c.LastUpdated)
}

// validateConnectorParts checks the optional parts shared by Connector and ConnectorPatch.
func validateConnectorParts(v *validator, path string, maxPower *int, tariffIDs []string, terms string) {
	if maxPower != nil && *maxPower <= 0 {
		v.add(path+".max_electric_power", "must be positive, got %d", *maxPower)
	}
	for i, id := range tariffIDs {
		v.ciString(index(path+".tariff_ids", i), id, 36, true)
	}
	checkURL(v, path+".terms_and_conditions", terms, false)
}

func (a *AdditionalGeoLocation) validate(v *validator, path string) {
	g := GeoLocation{Latitude: a.Latitude, Longitude: a.Longitude}
	g.validate(v, path)
	if a.Name != nil {
		a.Name.validate(v, path+".name")
	}
}

func (b *BusinessDetails) validate(v *validator, path string) {
	v.str(path+".name", b.Name, 100, true)
	checkURL(v, path+".website", b.Website, false)
	if b.Logo != nil {
		b.Logo.validate(v, path+".logo")
	}
}

func (im *Image) validate(v *validator, path string) {
	checkURL(v, path+".url", im.URL, true)
	checkURL(v, path+".thumbnail", im.Thumbnail, false)
	v.openEnum(path+".category", string(im.Category), true)
	v.ciString(path+".type", im.Type, 4, true)
	if im.Width != nil {
		checkIntRange(v, path+".width", *im.Width, 0, 99999)
	}
	if im.Height != nil {
		checkIntRange(v, path+".height", *im.Height, 0, 99999)
	}
}

// Validate checks opening Hours on their own; errors are rooted at "hours".
func (h *Hours) Validate() error {
	v := &validator{}
	h.validate(v, "hours")
	return v.err()
}

func (h *Hours) validate(v *validator, path string) {
	switch {
	case h.TwentyFourSeven && len(h.RegularHours) > 0:
		v.add(path+".regular_hours", "only allowed when twentyfourseven is false")
	case !h.TwentyFourSeven && len(h.RegularHours) == 0:
		v.add(path+".regular_hours", "at least one entry required when twentyfourseven is false")
	}
	for i := range h.RegularHours {
		rp := index(path+".regular_hours", i)
		r := &h.RegularHours[i]
		checkIntRange(v, rp+".weekday", r.Weekday, 1, 7)
		begin, errB := ParseTimeOfDay(r.PeriodBegin)
		if errB != nil {
			v.add(rp+".period_begin", "must be HH:MM (00:00-23:59), got %q", r.PeriodBegin)
		}
		end, errE := ParseTimeOfDay(r.PeriodEnd)
		if errE != nil {
			v.add(rp+".period_end", "must be HH:MM (00:00-23:59), got %q", r.PeriodEnd)
		}
		if errB == nil && errE == nil && end <= begin {
			v.add(rp+".period_end", "must be later than period_begin (split overnight periods)")
		}
	}
	for _, list := range []struct {
		name string
		ps   []ExceptionalPeriod
	}{{"exceptional_openings", h.ExceptionalOpenings}, {"exceptional_closings", h.ExceptionalClosings}} {
		for i := range list.ps {
			pp := index(path+"."+list.name, i)
			p := &list.ps[i]
			checkDateTime(v, pp+".period_begin", p.PeriodBegin)
			if checkDateTime(v, pp+".period_end", p.PeriodEnd) {
				checkAfter(v, pp+".period_end", p.PeriodBegin, p.PeriodEnd)
			}
		}
	}
}

func (s *StatusSchedule) validate(v *validator, path string) {
	checkDateTime(v, path+".period_begin", s.PeriodBegin)
	if checkOptDateTime(v, path+".period_end", s.PeriodEnd) && s.PeriodEnd != nil {
		checkAfter(v, path+".period_end", s.PeriodBegin, *s.PeriodEnd)
	}
	v.closedEnum(path+".status", string(s.Status), s.Status.IsValid(), true)
}

func (p *PublishTokenType) validate(v *validator, path string) {
	v.ciString(path+".uid", p.UID, 36, false)
	v.openEnum(path+".type", string(p.Type), false)
	v.str(path+".visual_number", p.VisualNumber, 64, false)
	v.str(path+".issuer", p.Issuer, 64, false)
	v.ciString(path+".group_id", p.GroupID, 36, false)
	if p.UID == "" && p.VisualNumber == "" && p.GroupID == "" {
		v.add(path, "at least one of uid, visual_number or group_id required")
	}
	if p.UID != "" && p.Type == "" {
		v.add(path+".type", "required when uid is set")
	}
	if p.VisualNumber != "" && p.Issuer == "" {
		v.add(path+".issuer", "required when visual_number is set")
	}
}
