package ocpi

// ChargingRateUnit is the unit of a ChargingProfile's limits (closed enum).
type ChargingRateUnit string

// ChargingRateUnit values.
const (
	ChargingRateUnitW ChargingRateUnit = "W" // total power over all phases
	ChargingRateUnitA ChargingRateUnit = "A" // current per phase
)

// IsValid reports whether u is one of the defined values.
func (u ChargingRateUnit) IsValid() bool { return u == ChargingRateUnitW || u == ChargingRateUnitA }

// ChargingProfileResponseType is the CPO's synchronous answer to a charging profile request
// (closed enum).
type ChargingProfileResponseType string

// ChargingProfileResponseType values.
const (
	ChargingProfileResponseAccepted       ChargingProfileResponseType = "ACCEPTED"
	ChargingProfileResponseNotSupported   ChargingProfileResponseType = "NOT_SUPPORTED"
	ChargingProfileResponseRejected       ChargingProfileResponseType = "REJECTED"
	ChargingProfileResponseTooOften       ChargingProfileResponseType = "TOO_OFTEN"
	ChargingProfileResponseUnknownSession ChargingProfileResponseType = "UNKNOWN_SESSION"
)

// IsValid reports whether r is one of the defined values.
func (r ChargingProfileResponseType) IsValid() bool {
	switch r {
	case ChargingProfileResponseAccepted, ChargingProfileResponseNotSupported, ChargingProfileResponseRejected,
		ChargingProfileResponseTooOften, ChargingProfileResponseUnknownSession:
		return true
	}
	return false
}

// ChargingProfileResultType is the asynchronous outcome of a charging profile request (closed
// enum).
type ChargingProfileResultType string

// ChargingProfileResultType values.
const (
	ChargingProfileResultAccepted ChargingProfileResultType = "ACCEPTED"
	ChargingProfileResultRejected ChargingProfileResultType = "REJECTED"
	ChargingProfileResultUnknown  ChargingProfileResultType = "UNKNOWN" // no matching profile found
)

// IsValid reports whether r is one of the defined values.
func (r ChargingProfileResultType) IsValid() bool {
	switch r {
	case ChargingProfileResultAccepted, ChargingProfileResultRejected, ChargingProfileResultUnknown:
		return true
	}
	return false
}

// ChargingProfile is a schedule of upper charging limits.
type ChargingProfile struct {
	StartDateTime         *DateTime               `json:"start_date_time,omitempty"` // absent: relative to charging start
	Duration              *int                    `json:"duration,omitempty"`        // seconds
	ChargingRateUnit      ChargingRateUnit        `json:"charging_rate_unit"`
	MinChargingRate       *Decimal                `json:"min_charging_rate,omitempty"` // at most one decimal
	ChargingProfilePeriod []ChargingProfilePeriod `json:"charging_profile_period,omitempty"`
}

// ChargingProfilePeriod is one limit of a ChargingProfile, valid from StartPeriod until the next
// period's start.
type ChargingProfilePeriod struct {
	StartPeriod int     `json:"start_period"` // seconds from the profile start
	Limit       Decimal `json:"limit"`        // in charging_rate_unit, at most one decimal
}

// SetChargingProfile is the body of a PUT {chargingprofiles_url}/{session_id}.
type SetChargingProfile struct {
	ChargingProfile ChargingProfile `json:"charging_profile"`
	ResponseURL     string          `json:"response_url"` // URL for the ChargingProfileResult
}

// ActiveChargingProfile is the schedule the charger computed for a session.
type ActiveChargingProfile struct {
	StartDateTime   DateTime        `json:"start_date_time"` // period offsets are relative to this
	ChargingProfile ChargingProfile `json:"charging_profile"`
}

// ChargingProfileResponse is the CPO's synchronous answer to a GET, PUT or DELETE of a charging
// profile.
type ChargingProfileResponse struct {
	Result  ChargingProfileResponseType `json:"result"`
	Timeout int                         `json:"timeout"` // seconds within which the result is POSTed
}

// ActiveChargingProfileResult is POSTed to the response_url after a GET.
type ActiveChargingProfileResult struct {
	Result  ChargingProfileResultType `json:"result"`
	Profile *ActiveChargingProfile    `json:"profile,omitempty"` // present when result is ACCEPTED
}

// ChargingProfileResult is POSTed to the response_url after a PUT.
type ChargingProfileResult struct {
	Result ChargingProfileResultType `json:"result"`
}

// ClearProfileResult is POSTed to the response_url after a DELETE.
type ClearProfileResult struct {
	Result ChargingProfileResultType `json:"result"`
}

// Validate checks a ChargingProfile; errors are rooted at "charging_profile".
func (p *ChargingProfile) Validate() error {
	v := &validator{}
	p.validate(v, "charging_profile")
	return v.err()
}

func (p *ChargingProfile) validate(v *validator, path string) {
	checkOptDateTime(v, path+".start_date_time", p.StartDateTime)
	if p.Duration != nil && *p.Duration < 0 {
		v.add(path+".duration", "must not be negative, got %d", *p.Duration)
	}
	v.closedEnum(path+".charging_rate_unit", string(p.ChargingRateUnit), p.ChargingRateUnit.IsValid(), true)
	if p.MinChargingRate != nil && p.MinChargingRate.IsNegative() {
		v.add(path+".min_charging_rate", "must not be negative")
	}
	for i := range p.ChargingProfilePeriod {
		pp := index(path+".charging_profile_period", i)
		per := &p.ChargingProfilePeriod[i]
		if per.StartPeriod < 0 {
			v.add(pp+".start_period", "must not be negative, got %d", per.StartPeriod)
		}
		if v.number(pp+".limit", per.Limit) && per.Limit.IsNegative() {
			v.add(pp+".limit", "must not be negative")
		}
	}
}

// Validate checks a SetChargingProfile; errors are rooted at "set_charging_profile".
func (s *SetChargingProfile) Validate() error {
	v := &validator{}
	s.ChargingProfile.validate(v, "set_charging_profile.charging_profile")
	checkURL(v, "set_charging_profile.response_url", s.ResponseURL, true)
	return v.err()
}

// Validate checks an ActiveChargingProfile; errors are rooted at "active_charging_profile".
func (a *ActiveChargingProfile) Validate() error {
	v := &validator{}
	a.validate(v, "active_charging_profile")
	return v.err()
}

func (a *ActiveChargingProfile) validate(v *validator, path string) {
	checkDateTime(v, path+".start_date_time", a.StartDateTime)
	a.ChargingProfile.validate(v, path+".charging_profile")
}

// Validate checks a ChargingProfileResponse; errors are rooted at "charging_profile_response". A
// timeout of 0 cannot be told apart from a missing one and is accepted.
func (r *ChargingProfileResponse) Validate() error {
	v := &validator{}
	v.closedEnum("charging_profile_response.result", string(r.Result), r.Result.IsValid(), true)
	if r.Timeout < 0 {
		v.add("charging_profile_response.timeout", "must not be negative, got %d", r.Timeout)
	}
	return v.err()
}

// Validate checks an ActiveChargingProfileResult; errors are rooted at
// "active_charging_profile_result".
func (r *ActiveChargingProfileResult) Validate() error {
	v := &validator{}
	path := "active_charging_profile_result"
	v.closedEnum(path+".result", string(r.Result), r.Result.IsValid(), true)
	if r.Profile != nil {
		r.Profile.validate(v, path+".profile")
	} else if r.Result == ChargingProfileResultAccepted {
		v.add(path+".profile", "required when result is ACCEPTED")
	}
	return v.err()
}

// Validate checks a ChargingProfileResult; errors are rooted at "charging_profile_result".
func (r *ChargingProfileResult) Validate() error {
	v := &validator{}
	v.closedEnum("charging_profile_result.result", string(r.Result), r.Result.IsValid(), true)
	return v.err()
}

// Validate checks a ClearProfileResult; errors are rooted at "clear_profile_result".
func (r *ClearProfileResult) Validate() error {
	v := &validator{}
	v.closedEnum("clear_profile_result.result", string(r.Result), r.Result.IsValid(), true)
	return v.err()
}
