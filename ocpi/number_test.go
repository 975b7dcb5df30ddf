package ocpi

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestDecimalJSON(t *testing.T) {
	for _, tc := range []struct{ in, out string }{
		{`0.25`, `0.25`},
		{`2.00`, `2`},
		{`-3.5`, `-3.5`},
		{`1e-7`, `0.0000001`}, // never exponent notation on output
		{`1.5E3`, `1500`},
		{`"0.25"`, `0.25`}, // lenient peers quote numbers; we never do
		{`" 7 "`, `7`},
	} {
		var d Decimal
		require.NoError(t, json.Unmarshal([]byte(tc.in), &d), tc.in)
		require.True(t, d.IsSet())
		b, err := json.Marshal(d)
		require.NoError(t, err)
		require.Equal(t, tc.out, string(b), tc.in)
	}
	var d Decimal
	require.NoError(t, json.Unmarshal([]byte(`null`), &d))
	require.False(t, d.IsSet())
	for _, bad := range []string{`"abc"`, `""`, `true`, `1e999999999`} {
		require.Error(t, json.Unmarshal([]byte(bad), &d), bad)
	}
	b, err := json.Marshal(struct {
		A Decimal  `json:"a"`
		B *Decimal `json:"b,omitempty"`
	}{A: MustDecimal("0.1")})
	require.NoError(t, err)
	require.Equal(t, `{"a":0.1}`, string(b))
	// The zero Decimal is absent but marshals as 0.
	b, _ = json.Marshal(Decimal{})
	require.Equal(t, `0`, string(b))
	require.True(t, NewDecimal(decimal.NewFromInt(3)).IsSet())
}

func TestDecimalSQL(t *testing.T) {
	var d Decimal
	require.NoError(t, d.Scan("1.25"))
	require.True(t, d.IsSet())
	v, err := d.Value()
	require.NoError(t, err)
	require.Equal(t, "1.25", v)
	require.NoError(t, d.Scan(nil))
	require.False(t, d.IsSet())
	v, _ = d.Value()
	require.Nil(t, v)
}
