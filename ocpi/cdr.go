package ocpi

// AuthMethod says how a session was authorized (closed enum).
type AuthMethod string

// AuthMethod values.
const (
	AuthMethodAuthRequest AuthMethod = "AUTH_REQUEST" // real-time authorization asked from the eMSP
	AuthMethodCommand     AuthMethod = "COMMAND"      // StartSession/ReserveNow command
	AuthMethodWhitelist   AuthMethod = "WHITELIST"    // local/whitelist decision
)

// IsValid reports whether a is one of the defined values.
func (a AuthMethod) IsValid() bool {
	return a == AuthMethodAuthRequest || a == AuthMethodCommand || a == AuthMethodWhitelist
}

// TokenType is the kind of token (open enum: other values are accepted).
type TokenType string

// TokenType values.
const (
	TokenTypeAdHocUser TokenType = "AD_HOC_USER"
	TokenTypeAppUser   TokenType = "APP_USER"
	TokenTypeOther     TokenType = "OTHER"
	TokenTypeRFID      TokenType = "RFID"
)

// ConnectorFormat says whether the connector is a socket or a tethered cable (closed enum).
type ConnectorFormat string

// ConnectorFormat values.
const (
	ConnectorFormatSocket ConnectorFormat = "SOCKET"
	ConnectorFormatCable  ConnectorFormat = "CABLE"
)

// IsValid reports whether f is one of the defined values.
func (f ConnectorFormat) IsValid() bool {
	return f == ConnectorFormatSocket || f == ConnectorFormatCable
}

// PowerType is the kind of current of a connector (closed enum).
type PowerType string

// PowerType values.
const (
	PowerTypeAC1Phase      PowerType = "AC_1_PHASE"
	PowerTypeAC2Phase      PowerType = "AC_2_PHASE"
	PowerTypeAC2PhaseSplit PowerType = "AC_2_PHASE_SPLIT"
	PowerTypeAC3Phase      PowerType = "AC_3_PHASE"
	PowerTypeDC            PowerType = "DC"
)

// IsValid reports whether p is one of the defined values.
func (p PowerType) IsValid() bool {
	switch p {
	case PowerTypeAC1Phase, PowerTypeAC2Phase, PowerTypeAC2PhaseSplit, PowerTypeAC3Phase, PowerTypeDC:
		return true
	}
	return false
}

// ConnectorType is the plug/socket standard (open enum: other values are accepted). Note the
// mixed case of the IEC 60309 values.
type ConnectorType string

// ConnectorType values.
const (
	ConnectorCHAdeMO            ConnectorType = "CHADEMO"
	ConnectorChaoJi             ConnectorType = "CHAOJI"
	ConnectorDomesticA          ConnectorType = "DOMESTIC_A"
	ConnectorDomesticB          ConnectorType = "DOMESTIC_B"
	ConnectorDomesticC          ConnectorType = "DOMESTIC_C"
	ConnectorDomesticD          ConnectorType = "DOMESTIC_D"
	ConnectorDomesticE          ConnectorType = "DOMESTIC_E"
	ConnectorDomesticF          ConnectorType = "DOMESTIC_F"
	ConnectorDomesticG          ConnectorType = "DOMESTIC_G"
	ConnectorDomesticH          ConnectorType = "DOMESTIC_H"
	ConnectorDomesticI          ConnectorType = "DOMESTIC_I"
	ConnectorDomesticJ          ConnectorType = "DOMESTIC_J"
	ConnectorDomesticK          ConnectorType = "DOMESTIC_K"
	ConnectorDomesticL          ConnectorType = "DOMESTIC_L"
	ConnectorDomesticM          ConnectorType = "DOMESTIC_M"
	ConnectorDomesticN          ConnectorType = "DOMESTIC_N"
	ConnectorDomesticO          ConnectorType = "DOMESTIC_O"
	ConnectorGBTAC              ConnectorType = "GBT_AC"
	ConnectorGBTDC              ConnectorType = "GBT_DC"
	ConnectorIEC60309Single16   ConnectorType = "IEC_60309_2_single_16"
	ConnectorIEC60309Three16    ConnectorType = "IEC_60309_2_three_16"
	ConnectorIEC60309Three32    ConnectorType = "IEC_60309_2_three_32"
	ConnectorIEC60309Three64    ConnectorType = "IEC_60309_2_three_64"
	ConnectorIEC62196T1         ConnectorType = "IEC_62196_T1"
	ConnectorIEC62196T1Combo    ConnectorType = "IEC_62196_T1_COMBO"
	ConnectorIEC62196T2         ConnectorType = "IEC_62196_T2"
	ConnectorIEC62196T2Combo    ConnectorType = "IEC_62196_T2_COMBO"
	ConnectorIEC62196T3A        ConnectorType = "IEC_62196_T3A"
	ConnectorIEC62196T3C        ConnectorType = "IEC_62196_T3C"
	ConnectorNEMA520            ConnectorType = "NEMA_5_20"
	ConnectorNEMA630            ConnectorType = "NEMA_6_30"
	ConnectorNEMA650            ConnectorType = "NEMA_6_50"
	ConnectorNEMA1030           ConnectorType = "NEMA_10_30"
	ConnectorNEMA1050           ConnectorType = "NEMA_10_50"
	ConnectorNEMA1430           ConnectorType = "NEMA_14_30"
	ConnectorNEMA1450           ConnectorType = "NEMA_14_50"
	ConnectorPantographBottomUp ConnectorType = "PANTOGRAPH_BOTTOM_UP"
	ConnectorPantographTopDown  ConnectorType = "PANTOGRAPH_TOP_DOWN"
	ConnectorTeslaR             ConnectorType = "TESLA_R"
	ConnectorTeslaS             ConnectorType = "TESLA_S"
)

// CdrDimensionType is the kind of a CdrDimension (open enum: other values are accepted).
type CdrDimensionType string

// CdrDimensionType values. The ones marked "Session only" must not appear in a CDR.
const (
	CdrDimensionCurrent         CdrDimensionType = "CURRENT"          // Session only: average current, A
	CdrDimensionEnergy          CdrDimensionType = "ENERGY"           // kWh in the period
	CdrDimensionEnergyExport    CdrDimensionType = "ENERGY_EXPORT"    // Session only: kWh to the grid
	CdrDimensionEnergyImport    CdrDimensionType = "ENERGY_IMPORT"    // Session only: kWh charged
	CdrDimensionMaxCurrent      CdrDimensionType = "MAX_CURRENT"      // highest current, A (sum of phases)
	CdrDimensionMinCurrent      CdrDimensionType = "MIN_CURRENT"      // lowest current, A (sum of phases)
	CdrDimensionMaxPower        CdrDimensionType = "MAX_POWER"        // highest power, kW
	CdrDimensionMinPower        CdrDimensionType = "MIN_POWER"        // lowest power, kW
	CdrDimensionParkingTime     CdrDimensionType = "PARKING_TIME"     // hours the vehicle does not ask for power
	CdrDimensionPower           CdrDimensionType = "POWER"            // Session only: average power, kW
	CdrDimensionReservationTime CdrDimensionType = "RESERVATION_TIME" // hours reserved, not yet used
	CdrDimensionStateOfCharge   CdrDimensionType = "STATE_OF_CHARGE"  // Session only: %, 0-100
	CdrDimensionTime            CdrDimensionType = "TIME"             // hours charging
)

// SessionOnly reports whether the dimension may only be used in Sessions, never in CDRs.
func (t CdrDimensionType) SessionOnly() bool {
	switch t {
	case CdrDimensionCurrent, CdrDimensionEnergyExport, CdrDimensionEnergyImport, CdrDimensionPower,
		CdrDimensionStateOfCharge:
		return true
	}
	return false
}

// CDR is the OCPI Charge Detail Record.
type CDR struct {
	CountryCode              string           `json:"country_code"`                      // CiString(2), owner CPO
	PartyID                  string           `json:"party_id"`                          // CiString(3), owner CPO
	ID                       string           `json:"id"`                                // CiString(39); 36 for non-credit CDRs
	StartDateTime            DateTime         `json:"start_date_time"`                   // session (or reservation) start
	EndDateTime              DateTime         `json:"end_date_time"`                     // session end
	SessionID                string           `json:"session_id,omitempty"`              // CiString(36)
	CdrToken                 CdrToken         `json:"cdr_token"`                         //
	AuthMethod               AuthMethod       `json:"auth_method"`                       //
	AuthorizationReference   string           `json:"authorization_reference,omitempty"` // CiString(36)
	CdrLocation              CdrLocation      `json:"cdr_location"`                      //
	MeterID                  string           `json:"meter_id,omitempty"`                // string(255)
	Currency                 string           `json:"currency"`                          // string(3), ISO 4217
	Tariffs                  []Tariff         `json:"tariffs,omitempty"`                 // the tariffs that applied
	ChargingPeriods          []ChargingPeriod `json:"charging_periods"`                  // at least one
	SignedData               *SignedData      `json:"signed_data,omitempty"`             //
	TotalCost                Price            `json:"total_cost"`                        // everything payable
	TotalFixedCost           *Price           `json:"total_fixed_cost,omitempty"`        // FLAT costs except parking/reservation
	TotalEnergy              Decimal          `json:"total_energy"`                      // kWh, measured
	TotalEnergyCost          *Price           `json:"total_energy_cost,omitempty"`       //
	TotalTime                Decimal          `json:"total_time"`                        // hours, start to end
	TotalTimeCost            *Price           `json:"total_time_cost,omitempty"`         //
	TotalParkingTime         *Decimal         `json:"total_parking_time,omitempty"`      // hours not asking for power
	TotalParkingCost         *Price           `json:"total_parking_cost,omitempty"`      //
	TotalReservationCost     *Price           `json:"total_reservation_cost,omitempty"`  //
	Remark                   string           `json:"remark,omitempty"`                  // string(255)
	InvoiceReferenceID       string           `json:"invoice_reference_id,omitempty"`    // CiString(39)
	Credit                   *bool            `json:"credit,omitempty"`                  // true: credit CDR
	CreditReferenceID        string           `json:"credit_reference_id,omitempty"`     // CiString(39)
	HomeChargingCompensation *bool            `json:"home_charging_compensation,omitempty"`
	LastUpdated              DateTime         `json:"last_updated"`
}

// CdrToken is the copy of the token at session start.
type CdrToken struct {
	CountryCode string    `json:"country_code"` // CiString(2), token owner (eMSP)
	PartyID     string    `json:"party_id"`     // CiString(3), token owner (eMSP)
	UID         string    `json:"uid"`          // CiString(36)
	Type        TokenType `json:"type"`
	ContractID  string    `json:"contract_id"` // CiString(36)
}

// CdrLocation is the frozen copy of the Location, EVSE and connector at session start.
type CdrLocation struct {
	ID                 string          `json:"id"`                    // CiString(36)
	Name               string          `json:"name,omitempty"`        // string(255)
	Address            string          `json:"address"`               // string(45)
	City               string          `json:"city"`                  // string(45)
	PostalCode         string          `json:"postal_code,omitempty"` // string(10)
	State              string          `json:"state,omitempty"`       // string(20)
	Country            string          `json:"country"`               // string(3), ISO 3166-1 alpha-3
	Coordinates        GeoLocation     `json:"coordinates"`
	EvseUID            string          `json:"evse_uid"`     // CiString(36)
	EvseID             string          `json:"evse_id"`      // CiString(48)
	ConnectorID        string          `json:"connector_id"` // CiString(36)
	ConnectorStandard  ConnectorType   `json:"connector_standard"`
	ConnectorFormat    ConnectorFormat `json:"connector_format"`
	ConnectorPowerType PowerType       `json:"connector_power_type"`
}

// ChargingPeriod is a part of a session with constant tariff conditions. It lasts until the next
// period's start; the last one until the session's end.
type ChargingPeriod struct {
	StartDateTime DateTime       `json:"start_date_time"`
	Dimensions    []CdrDimension `json:"dimensions"`          // at least one
	TariffID      string         `json:"tariff_id,omitempty"` // CiString(36)
}

// CdrDimension is one measured value of a charging period.
type CdrDimension struct {
	Type   CdrDimensionType `json:"type"`
	Volume Decimal          `json:"volume"`
}

// SignedData is calibration-law signed meter data.
type SignedData struct {
	EncodingMethod        string        `json:"encoding_method"` // CiString(36)
	EncodingMethodVersion *int          `json:"encoding_method_version,omitempty"`
	PublicKey             string        `json:"public_key,omitempty"` // string(512)
	SignedValues          []SignedValue `json:"signed_values"`        // at least one
	URL                   string        `json:"url,omitempty"`        // string(512)
}

// SignedValue is one signed meter value.
type SignedValue struct {
	Nature     string `json:"nature"`      // CiString(32)
	PlainData  string `json:"plain_data"`  // string(5000)
	SignedData string `json:"signed_data"` // string(5000)
}

// Validate checks a complete CDR against OCPI 2.2.1 (required fields including total_cost,
// total_energy and total_time, lengths, enums, patterns); errors are rooted at "cdr".
func (c *CDR) Validate() error {
	v := &validator{}
	c.validate(v, "cdr", true)
	return v.err()
}

// ValidateUnpriced is Validate for a CDR whose cost and total fields are still to be computed
// (for example by the tariff engine): total_cost, total_energy and total_time may be absent.
func (c *CDR) ValidateUnpriced() error {
	v := &validator{}
	c.validate(v, "cdr", false)
	return v.err()
}

func (c *CDR) validate(v *validator, path string, priced bool) {
	v.ciStringLen(path+".country_code", c.CountryCode, 2, 2, true)
	v.ciStringLen(path+".party_id", c.PartyID, 3, 3, true)
	credit := c.Credit != nil && *c.Credit
	if v.ciString(path+".id", c.ID, 39, true) && !credit && len(c.ID) > 36 {
		v.add(path+".id", "longer than 36 characters (only credit CDRs may use 39)")
	}
	v.dateTime(path+".start_date_time", c.StartDateTime)
	if v.dateTime(path+".end_date_time", c.EndDateTime) && c.EndDateTime.Before(c.StartDateTime.Time) {
		v.add(path+".end_date_time", "before start_date_time")
	}
	v.ciString(path+".session_id", c.SessionID, 36, false)
	c.CdrToken.validate(v, path+".cdr_token")
	v.closedEnum(path+".auth_method", string(c.AuthMethod), c.AuthMethod.IsValid(), true)
	v.ciString(path+".authorization_reference", c.AuthorizationReference, 36, false)
	c.CdrLocation.validate(v, path+".cdr_location")
	v.str(path+".meter_id", c.MeterID, 255, false)
	if v.str(path+".currency", c.Currency, 3, true) && len(c.Currency) != 3 {
		v.add(path+".currency", "must be a 3-letter ISO 4217 code, got %q", c.Currency)
	}
	for i := range c.Tariffs {
		c.Tariffs[i].validate(v, index(path+".tariffs", i))
	}
	if len(c.ChargingPeriods) == 0 {
		v.add(path+".charging_periods", "at least one charging period required")
	}
	for i := range c.ChargingPeriods {
		c.ChargingPeriods[i].validate(v, index(path+".charging_periods", i), true)
	}
	if c.SignedData != nil {
		c.SignedData.validate(v, path+".signed_data")
	}
	if priced {
		c.TotalCost.validate(v, path+".total_cost")
		v.number(path+".total_energy", c.TotalEnergy)
		v.number(path+".total_time", c.TotalTime)
	}
	for _, p := range []struct {
		name string
		p    *Price
	}{{"total_fixed_cost", c.TotalFixedCost}, {"total_energy_cost", c.TotalEnergyCost},
		{"total_time_cost", c.TotalTimeCost}, {"total_parking_cost", c.TotalParkingCost},
		{"total_reservation_cost", c.TotalReservationCost}} {
		if p.p != nil {
			p.p.validate(v, path+"."+p.name)
		}
	}
	v.str(path+".remark", c.Remark, 255, false)
	v.ciString(path+".invoice_reference_id", c.InvoiceReferenceID, 39, false)
	v.ciString(path+".credit_reference_id", c.CreditReferenceID, 39, false)
	if credit && c.CreditReferenceID == "" {
		v.add(path+".credit_reference_id", "required when credit is true")
	}
	v.dateTime(path+".last_updated", c.LastUpdated)
}

func (t *CdrToken) validate(v *validator, path string) {
	v.ciStringLen(path+".country_code", t.CountryCode, 2, 2, true)
	v.ciStringLen(path+".party_id", t.PartyID, 3, 3, true)
	v.ciString(path+".uid", t.UID, 36, true)
	v.openEnum(path+".type", string(t.Type), true)
	v.ciString(path+".contract_id", t.ContractID, 36, true)
}

func (l *CdrLocation) validate(v *validator, path string) {
	v.ciString(path+".id", l.ID, 36, true)
	v.str(path+".name", l.Name, 255, false)
	v.str(path+".address", l.Address, 45, true)
	v.str(path+".city", l.City, 45, true)
	v.str(path+".postal_code", l.PostalCode, 10, false)
	v.str(path+".state", l.State, 20, false)
	if v.str(path+".country", l.Country, 3, true) && len(l.Country) != 3 {
		v.add(path+".country", "must be a 3-letter ISO 3166-1 alpha-3 code, got %q", l.Country)
	}
	l.Coordinates.validate(v, path+".coordinates")
	v.ciString(path+".evse_uid", l.EvseUID, 36, true)
	v.ciString(path+".evse_id", l.EvseID, 48, true)
	v.ciString(path+".connector_id", l.ConnectorID, 36, true)
	v.openEnum(path+".connector_standard", string(l.ConnectorStandard), true)
	v.closedEnum(path+".connector_format", string(l.ConnectorFormat), l.ConnectorFormat.IsValid(), true)
	v.closedEnum(path+".connector_power_type", string(l.ConnectorPowerType), l.ConnectorPowerType.IsValid(), true)
}

// validate checks a period; inCDR rejects the Session-only dimensions.
func (p *ChargingPeriod) validate(v *validator, path string, inCDR bool) {
	v.dateTime(path+".start_date_time", p.StartDateTime)
	if len(p.Dimensions) == 0 {
		v.add(path+".dimensions", "at least one dimension required")
	}
	for i := range p.Dimensions {
		dp := index(path+".dimensions", i)
		d := &p.Dimensions[i]
		if v.openEnum(dp+".type", string(d.Type), true) && inCDR && d.Type.SessionOnly() {
			v.add(dp+".type", "%s is only allowed in Sessions, not in CDRs", d.Type)
		}
		v.number(dp+".volume", d.Volume)
	}
	v.ciString(path+".tariff_id", p.TariffID, 36, false)
}

func (s *SignedData) validate(v *validator, path string) {
	v.ciString(path+".encoding_method", s.EncodingMethod, 36, true)
	v.str(path+".public_key", s.PublicKey, 512, false)
	if len(s.SignedValues) == 0 {
		v.add(path+".signed_values", "at least one signed value required")
	}
	for i := range s.SignedValues {
		sp := index(path+".signed_values", i)
		sv := &s.SignedValues[i]
		v.ciString(sp+".nature", sv.Nature, 32, true)
		v.str(sp+".plain_data", sv.PlainData, 5000, true)
		v.str(sp+".signed_data", sv.SignedData, 5000, true)
	}
	v.str(path+".url", s.URL, 512, false)
}
