package ocpi

import "encoding/json"

// SessionStatus is the state of a charging Session (closed enum).
type SessionStatus string

// SessionStatus values.
const (
	SessionStatusActive      SessionStatus = "ACTIVE"      // accepted, the EV may charge
	SessionStatusCompleted   SessionStatus = "COMPLETED"   // finished; no further changes
	SessionStatusInvalid     SessionStatus = "INVALID"     // declared invalid, not billed
	SessionStatusPending     SessionStatus = "PENDING"     // created, preconditions not yet met
	SessionStatusReservation SessionStatus = "RESERVATION" // started by a reservation, not yet charging
)

// sessionStatusReservedAlias is the value the Sessions text (wrongly) uses for a reservation
// session; it is the EVSE Status value. See ocpi-2.2.1.md 8.2.
const sessionStatusReservedAlias = "RESERVED"

// IsValid reports whether s is one of the defined values.
func (s SessionStatus) IsValid() bool {
	switch s {
	case SessionStatusActive, SessionStatusCompleted, SessionStatusInvalid, SessionStatusPending,
		SessionStatusReservation:
		return true
	}
	return false
}

// UnmarshalJSON reads a SessionStatus and maps the non-standard "RESERVED", which some peers send
// because the Sessions text uses it, to RESERVATION.
func (s *SessionStatus) UnmarshalJSON(b []byte) error {
	var str string
	if err := json.Unmarshal(b, &str); err != nil {
		return err
	}
	if str == sessionStatusReservedAlias {
		str = string(SessionStatusReservation)
	}
	*s = SessionStatus(str)
	return nil
}

// ProfileType is a driver's charging preference (closed enum).
type ProfileType string

// ProfileType values.
const (
	ProfileTypeCheap   ProfileType = "CHEAP"
	ProfileTypeFast    ProfileType = "FAST"
	ProfileTypeGreen   ProfileType = "GREEN"
	ProfileTypeRegular ProfileType = "REGULAR"
)

// IsValid reports whether p is one of the defined values.
func (p ProfileType) IsValid() bool {
	switch p {
	case ProfileTypeCheap, ProfileTypeFast, ProfileTypeGreen, ProfileTypeRegular:
		return true
	}
	return false
}

// ChargingPreferencesResponse is the answer (the JSON string in "data") to a PUT of
// ChargingPreferences (closed enum).
type ChargingPreferencesResponse string

// ChargingPreferencesResponse values.
const (
	ChargingPreferencesAccepted                ChargingPreferencesResponse = "ACCEPTED"
	ChargingPreferencesDepartureRequired       ChargingPreferencesResponse = "DEPARTURE_REQUIRED"
	ChargingPreferencesEnergyNeedRequired      ChargingPreferencesResponse = "ENERGY_NEED_REQUIRED"
	ChargingPreferencesNotPossible             ChargingPreferencesResponse = "NOT_POSSIBLE"
	ChargingPreferencesProfileTypeNotSupported ChargingPreferencesResponse = "PROFILE_TYPE_NOT_SUPPORTED"
)

// IsValid reports whether r is one of the defined values.
func (r ChargingPreferencesResponse) IsValid() bool {
	switch r {
	case ChargingPreferencesAccepted, ChargingPreferencesDepartureRequired,
		ChargingPreferencesEnergyNeedRequired, ChargingPreferencesNotPossible,
		ChargingPreferencesProfileTypeNotSupported:
		return true
	}
	return false
}

// Session is a charging session (OCPI Sessions module, owned by the CPO).
type Session struct {
	CountryCode            string           `json:"country_code"`                      // CiString(2), owner CPO
	PartyID                string           `json:"party_id"`                          // CiString(3), owner CPO
	ID                     string           `json:"id"`                                // CiString(36)
	StartDateTime          DateTime         `json:"start_date_time"`                   // became ACTIVE (PENDING: created)
	EndDateTime            *DateTime        `json:"end_date_time,omitempty"`           //
	KWh                    Decimal          `json:"kwh"`                               // energy charged so far
	CdrToken               CdrToken         `json:"cdr_token"`                         // token that started it
	AuthMethod             AuthMethod       `json:"auth_method"`                       //
	AuthorizationReference string           `json:"authorization_reference,omitempty"` // CiString(36)
	LocationID             string           `json:"location_id"`                       // CiString(36)
	EvseUID                string           `json:"evse_uid"`                          // CiString(36), "#NA" allowed
	ConnectorID            string           `json:"connector_id"`                      // CiString(36), "#NA" allowed
	MeterID                string           `json:"meter_id,omitempty"`                // string(255)
	Currency               string           `json:"currency"`                          // string(3), ISO 4217
	ChargingPeriods        []ChargingPeriod `json:"charging_periods,omitempty"`        //
	TotalCost              *Price           `json:"total_cost,omitempty"`              // absent is not free
	Status                 SessionStatus    `json:"status"`                            //
	LastUpdated            DateTime         `json:"last_updated"`
}

// ChargingPreferences are a driver's smart-charging wishes for a Session (PUT
// {sessions_url}/{session_id}/charging_preferences).
type ChargingPreferences struct {
	ProfileType      ProfileType `json:"profile_type"`
	DepartureTime    *DateTime   `json:"departure_time,omitempty"`
	EnergyNeed       *Decimal    `json:"energy_need,omitempty"`       // kWh
	DischargeAllowed *bool       `json:"discharge_allowed,omitempty"` // default false
}

// Validate checks a complete Session (as sent in a PUT or a GET answer); errors are rooted at
// "session".
func (s *Session) Validate() error {
	v := &validator{}
	s.validate(v, "session")
	return v.err()
}

func (s *Session) validate(v *validator, path string) {
	checkCountryCode(v, path+".country_code", s.CountryCode)
	checkPartyID(v, path+".party_id", s.PartyID)
	v.ciString(path+".id", s.ID, 36, true)
	checkDateTime(v, path+".start_date_time", s.StartDateTime)
	if checkOptDateTime(v, path+".end_date_time", s.EndDateTime) && s.EndDateTime != nil &&
		!s.StartDateTime.IsZero() && s.EndDateTime.Before(s.StartDateTime.Time) {
		v.add(path+".end_date_time", "before start_date_time")
	}
	v.number(path+".kwh", s.KWh)
	s.CdrToken.validate(v, path+".cdr_token")
	v.closedEnum(path+".auth_method", string(s.AuthMethod), s.AuthMethod.IsValid(), true)
	v.ciString(path+".authorization_reference", s.AuthorizationReference, 36, false)
	v.ciString(path+".location_id", s.LocationID, 36, true)
	v.ciString(path+".evse_uid", s.EvseUID, 36, true)
	v.ciString(path+".connector_id", s.ConnectorID, 36, true)
	v.str(path+".meter_id", s.MeterID, 255, false)
	checkFixedStr(v, path+".currency", s.Currency, 3, true)
	validateSessionPeriods(v, path+".charging_periods", s.ChargingPeriods)
	if s.TotalCost != nil {
		s.TotalCost.validate(v, path+".total_cost")
	}
	v.closedEnum(path+".status", string(s.Status), s.Status.IsValid(), true)
	checkDateTime(v, path+".last_updated", s.LastUpdated)
}

// validateSessionPeriods checks Session charging periods (Session-only dimensions allowed).
func validateSessionPeriods(v *validator, path string, ps []ChargingPeriod) {
	for i := range ps {
		pp := index(path, i)
		ps[i].validate(v, pp, false)
		if !ps[i].StartDateTime.IsZero() {
			dateTimeInRange(v, pp+".start_date_time", ps[i].StartDateTime)
		}
	}
}

// Validate checks ChargingPreferences; errors are rooted at "charging_preferences".
func (p *ChargingPreferences) Validate() error {
	v := &validator{}
	v.closedEnum("charging_preferences.profile_type", string(p.ProfileType), p.ProfileType.IsValid(), true)
	checkOptDateTime(v, "charging_preferences.departure_time", p.DepartureTime)
	if p.EnergyNeed != nil && p.EnergyNeed.IsNegative() {
		v.add("charging_preferences.energy_need", "must not be negative")
	}
	return v.err()
}
