package ocpi

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

const tariffFixtureJSON = `{
 "country_code":"IN","party_id":"HUB","id":"AC-1","currency":"INR","type":"REGULAR",
 "tariff_alt_text":[{"language":"en","text":"18 INR/kWh, 12 INR/kWh 22:00-06:00"}],
 "min_price":{"excl_vat":50},
 "elements":[
  {"price_components":[{"type":"ENERGY","price":12,"vat":18,"step_size":1}],
   "restrictions":{"start_time":"22:00","end_time":"06:00","day_of_week":["MONDAY","SUNDAY"],"min_kwh":0,"max_duration":7200}},
  {"price_components":[{"type":"FLAT","price":50,"vat":18,"step_size":1},{"type":"ENERGY","price":18,"vat":18,"step_size":1}]}],
 "energy_mix":{"is_green_energy":true,"energy_sources":[{"source":"SOLAR","percentage":100}]},
 "start_date_time":"2025-01-01T00:00:00Z",
 "last_updated":"2025-01-01T00:00:00Z",
 "some_future_field":{"x":1}
}`

func TestTariffValid(t *testing.T) {
	var tf Tariff
	require.NoError(t, json.Unmarshal([]byte(tariffFixtureJSON), &tf)) // unknown fields are ignored
	require.NoError(t, tf.Validate())
	out := string(noErr(json.Marshal(tf)))
	require.NotContains(t, out, "some_future_field")
	require.NotContains(t, out, "max_price") // optional and absent: omitted
	require.NotContains(t, out, "end_date_time")
	require.NotContains(t, out, "null")
	require.Contains(t, out, `"min_price":{"excl_vat":50}`)
	require.Contains(t, out, `"step_size":1`)
	var back Tariff
	require.NoError(t, json.Unmarshal([]byte(out), &back))
	require.Equal(t, out, string(noErr(json.Marshal(back))))
}

func TestTariffValidationErrors(t *testing.T) {
	for _, tc := range []struct{ name, patch, want string }{
		{"unknown dimension", `{"elements":[{"price_components":[{"type":"ENERGYX","price":1,"step_size":1}]}]}`,
			`tariff.elements[0].price_components[0].type: unknown value "ENERGYX"`},
		{"missing price", `{"elements":[{"price_components":[{"type":"ENERGY","step_size":1}]}]}`,
			`tariff.elements[0].price_components[0].price: required`},
		{"no elements", `{"elements":[]}`, `tariff.elements: at least one element required`},
		{"no components", `{"elements":[{"price_components":[]}]}`,
			`tariff.elements[0].price_components: at least one price component required`},
		{"bad time", `{"elements":[{"price_components":[{"type":"TIME","price":1,"step_size":1}],"restrictions":{"start_time":"24:00"}}]}`,
			`tariff.elements[0].restrictions.start_time: must be HH:MM (00:00-23:59), got "24:00"`},
		{"bad date", `{"elements":[{"price_components":[{"type":"TIME","price":1,"step_size":1}],"restrictions":{"end_date":"2025-02-30"}}]}`,
			`tariff.elements[0].restrictions.end_date: must be a date YYYY-MM-DD, got "2025-02-30"`},
		{"bad weekday", `{"elements":[{"price_components":[{"type":"TIME","price":1,"step_size":1}],"restrictions":{"day_of_week":["monday"]}}]}`,
			`tariff.elements[0].restrictions.day_of_week[0]: unknown value "monday"`},
		{"energy in reservation element", `{"elements":[{"price_components":[{"type":"ENERGY","price":1,"step_size":1}],"restrictions":{"reservation":"RESERVATION"}}]}`,
			`tariff.elements[0].price_components[0].type: ENERGY not allowed in a reservation element (only FLAT and TIME)`},
		{"negative step", `{"elements":[{"price_components":[{"type":"TIME","price":1,"step_size":-1}]}]}`,
			`tariff.elements[0].price_components[0].step_size: must not be negative`},
		{"long id", `{"id":"0123456789012345678901234567890123456"}`, `tariff.id: longer than 36 characters`},
		{"country code", `{"country_code":"IND"}`, `tariff.country_code: longer than 2 characters`},
		{"currency", `{"currency":"RUPEE"}`, `tariff.currency: longer than 3 characters`},
		{"max price", `{"max_price":{"incl_vat":1}}`, `tariff.max_price.excl_vat: required`},
		{"end before start", `{"end_date_time":"2024-01-01T00:00:00Z"}`, `tariff.end_date_time: must be after start_date_time`},
		{"last_updated", `{"last_updated":null}`, `tariff.last_updated: required`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var tf Tariff
			require.NoError(t, json.Unmarshal([]byte(tariffFixtureJSON), &tf))
			tf.Elements = nil
			require.NoError(t, json.Unmarshal([]byte(tc.patch), &tf))
			if tf.Elements == nil {
				tf.Elements = []TariffElement{{PriceComponents: []PriceComponent{{Type: TariffDimensionTime, Price: MustDecimal("1"), StepSize: 1}}}}
			}
			require.EqualError(t, tf.Validate(), tc.want)
		})
	}
}

func TestParseTimeOfDayAndDate(t *testing.T) {
	m, err := ParseTimeOfDay("22:30")
	require.NoError(t, err)
	require.Equal(t, 22*60+30, m)
	for _, bad := range []string{"7:00", "24:00", "12:60", "12-00", ""} {
		_, err := ParseTimeOfDay(bad)
		require.Error(t, err, bad)
	}
	_, _, _, err = ParseLocalDate("2024-02-29")
	require.NoError(t, err)
	_, _, _, err = ParseLocalDate("2025-02-29")
	require.Error(t, err)
}
