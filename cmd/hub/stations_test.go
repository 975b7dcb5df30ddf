package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/store/storetest"
)

// TestStationsAddCLI: `hub stations add` registers one station or several, idempotently, and
// refuses a call without any.
func TestStationsAddCLI(t *testing.T) {
	env := map[string]string{"HUB_DATABASE_URL": storetest.SQLiteURL(t)}
	out, err := cli(t, env, "stations", "add", "CP-A")
	require.NoError(t, err)
	require.Equal(t, "station CP-A registered (security profile 0, password none)\n", out)
	out, err = cli(t, env, "stations", "add", "CP-B", "CP-C", "CP-A", "--password", "0123456789abcdef")
	require.NoError(t, err)
	require.Equal(t, "station CP-B registered (security profile 1, password set)\n"+
		"station CP-C registered (security profile 1, password set)\n"+
		"station CP-A registered (security profile 1, password set)\n", out)
	_, err = cli(t, env, "stations", "add")
	require.ErrorContains(t, err, "at least one station ID")
	out, err = cli(t, env, "stations", "list")
	require.NoError(t, err)
	for _, id := range []string{"CP-A", "CP-B", "CP-C"} {
		require.Contains(t, out, id)
	}
}
