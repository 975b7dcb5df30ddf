package ocpi

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const cdrFixtureJSON = `{
 "country_code":"IN","party_id":"HUB","id":"CDR-1","start_date_time":"2025-01-14T09:00:00Z",
 "end_date_time":"2025-01-14T10:30:00Z","session_id":"S-1",
 "cdr_token":{"country_code":"IN","party_id":"EMP","uid":"04A2B3C4","type":"RFID","contract_id":"IN-EMP-C1"},
 "auth_method":"WHITELIST",
 "cdr_location":{"id":"LOC-1","address":"12 MG Road","city":"Bengaluru","postal_code":"560001","country":"IND",
  "coordinates":{"latitude":"12.975600","longitude":"77.606500"},"evse_uid":"E1","evse_id":"IN*HUB*E1*1",
  "connector_id":"1","connector_standard":"IEC_62196_T2","connector_format":"SOCKET","connector_power_type":"AC_3_PHASE"},
 "currency":"INR",
 "charging_periods":[{"start_date_time":"2025-01-14T09:00:00Z","tariff_id":"T1",
  "dimensions":[{"type":"ENERGY","volume":18.7654},{"type":"TIME","volume":1.25},{"type":"MAX_CURRENT","volume":32}]}],
 "total_cost":{"excl_vat":337.78,"incl_vat":398.58},
 "total_energy":18.7654,"total_time":1.5,
 "last_updated":"2025-01-14T10:31:00Z"
}`

func TestCDRValid(t *testing.T) {
	var c CDR
	require.NoError(t, json.Unmarshal([]byte(cdrFixtureJSON), &c))
	require.NoError(t, c.Validate())
	out := string(noErr(json.Marshal(c)))
	for _, absent := range []string{"total_fixed_cost", "signed_data", "credit", "remark", "tariffs", "null"} {
		require.NotContains(t, out, absent)
	}
	require.Contains(t, out, `"total_energy":18.7654`)
	require.Contains(t, out, `"latitude":"12.975600"`)
}

func TestCDRValidationErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*CDR)
		want   string
	}{
		{"session-only dimension", func(c *CDR) { c.ChargingPeriods[0].Dimensions[0].Type = CdrDimensionPower },
			"cdr.charging_periods[0].dimensions[0].type: POWER is only allowed in Sessions, not in CDRs"},
		{"no periods", func(c *CDR) { c.ChargingPeriods = nil }, "cdr.charging_periods: at least one charging period required"},
		{"no dimensions", func(c *CDR) { c.ChargingPeriods[0].Dimensions = nil },
			"cdr.charging_periods[0].dimensions: at least one dimension required"},
		{"address 45", func(c *CDR) { c.CdrLocation.Address = strings.Repeat("a", 46) },
			"cdr.cdr_location.address: longer than 45 characters"},
		{"state 20", func(c *CDR) { c.CdrLocation.State = strings.Repeat("a", 21) },
			"cdr.cdr_location.state: longer than 20 characters"},
		{"power type", func(c *CDR) { c.CdrLocation.ConnectorPowerType = "AC_4_PHASE" },
			`cdr.cdr_location.connector_power_type: unknown value "AC_4_PHASE"`},
		{"auth method", func(c *CDR) { c.AuthMethod = "" }, "cdr.auth_method: required"},
		{"token uid", func(c *CDR) { c.CdrToken.UID = "" }, "cdr.cdr_token.uid: required"},
		{"37-char id", func(c *CDR) { c.ID = strings.Repeat("x", 37) },
			"cdr.id: longer than 36 characters (only credit CDRs may use 39)"},
		{"credit without reference", func(c *CDR) { yes := true; c.Credit = &yes; c.ID = strings.Repeat("x", 39) },
			"cdr.credit_reference_id: required when credit is true"},
		{"end before start", func(c *CDR) { c.EndDateTime = c.StartDateTime; c.StartDateTime = c.LastUpdated },
			"cdr.end_date_time: before start_date_time"},
		{"total cost", func(c *CDR) { c.TotalCost = Price{} }, "cdr.total_cost.excl_vat: required"},
		{"coordinates", func(c *CDR) { c.CdrLocation.Coordinates.Longitude = "77.6" },
			`cdr.cdr_location.coordinates.longitude: must match -?[0-9]{1,3}\.[0-9]{5,7}, got "77.6"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c CDR
			require.NoError(t, json.Unmarshal([]byte(cdrFixtureJSON), &c))
			tc.mutate(&c)
			require.EqualError(t, c.Validate(), tc.want)
		})
	}
}

func TestCDRValidateUnpriced(t *testing.T) {
	var c CDR
	require.NoError(t, json.Unmarshal([]byte(cdrFixtureJSON), &c))
	c.TotalCost, c.TotalEnergy, c.TotalTime = Price{}, Decimal{}, Decimal{}
	require.NoError(t, c.ValidateUnpriced())
	require.EqualError(t, c.Validate(),
		"cdr.total_cost.excl_vat: required; cdr.total_energy: required; cdr.total_time: required")
}

func TestEnumSets(t *testing.T) {
	// Exact spellings from the OCPI 2.2.1 reference, including the mixed-case IEC 60309 values.
	require.Equal(t, ConnectorType("IEC_60309_2_single_16"), ConnectorIEC60309Single16)
	for _, d := range []CdrDimensionType{CdrDimensionCurrent, CdrDimensionEnergyExport, CdrDimensionEnergyImport,
		CdrDimensionPower, CdrDimensionStateOfCharge} {
		require.True(t, d.SessionOnly(), d)
	}
	for _, d := range []CdrDimensionType{CdrDimensionEnergy, CdrDimensionMaxCurrent, CdrDimensionMinCurrent,
		CdrDimensionMaxPower, CdrDimensionMinPower, CdrDimensionParkingTime, CdrDimensionReservationTime, CdrDimensionTime} {
		require.False(t, d.SessionOnly(), d)
	}
	for _, p := range []PowerType{"AC_1_PHASE", "AC_2_PHASE", "AC_2_PHASE_SPLIT", "AC_3_PHASE", "DC"} {
		require.True(t, p.IsValid(), p)
	}
	require.True(t, AuthMethod("COMMAND").IsValid())
	require.False(t, ConnectorFormat("PLUG").IsValid())
}
