package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/store"
)

func TestVendorProfiles(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		list := func() []charging.VendorProfile {
			t.Helper()
			ps, err := db.ListVendorProfiles(ctx)
			require.NoError(t, err)
			return ps
		}
		require.Empty(t, list())

		vendorWide := charging.VendorProfile{Vendor: "ACME", TimeZone: "Europe/Berlin", UpdatedAt: at(-time.Hour)}
		model := charging.VendorProfile{Vendor: "Acme", Model: "X1-Pro", EnergyWhIsKWh: true,
			Reject: []string{"extra_field", "enum_case"}, DecimalCommaRejected: true, Strict: true}
		other := charging.VendorProfile{Vendor: "Zeta", Model: "z"}
		for _, p := range []charging.VendorProfile{other, model, vendorWide} {
			require.NoError(t, db.PutVendorProfile(ctx, p))
		}
		wantWide := vendorWide
		wantWide.Vendor, wantWide.UpdatedAt = "acme", testNow
		wantModel := model
		wantModel.Vendor, wantModel.Model, wantModel.UpdatedAt = "acme", "x1-pro", testNow
		wantOther := other
		wantOther.Vendor, wantOther.UpdatedAt = "zeta", testNow
		require.Equal(t, []charging.VendorProfile{wantWide, wantModel, wantOther}, list())
		require.Nil(t, list()[0].Reject, "no flags read back as nil")

		// The key is case-insensitive: a put in other case replaces the profile.
		replaced := charging.VendorProfile{Vendor: "aCmE", Model: "x1-PRO", TimeZone: "UTC"}
		require.NoError(t, db.PutVendorProfile(ctx, replaced))
		wantModel = charging.VendorProfile{Vendor: "acme", Model: "x1-pro", TimeZone: "UTC", UpdatedAt: testNow}
		require.Equal(t, []charging.VendorProfile{wantWide, wantModel, wantOther}, list())

		// What the store returns works with the domain's matching.
		require.Equal(t, wantModel, charging.PickProfile(list(), "ACME", "X1-PRO"))
		require.Equal(t, wantWide, charging.PickProfile(list(), "Acme", "X2"))

		require.NoError(t, db.DeleteVendorProfile(ctx, "Acme", "X1-Pro"))
		requireCode(t, charging.CodeNotFound, db.DeleteVendorProfile(ctx, "acme", "x1-pro"))
		requireCode(t, charging.CodeNotFound, db.DeleteVendorProfile(ctx, "nobody", ""))
		require.NoError(t, db.DeleteVendorProfile(ctx, "ZETA", "Z"))
		require.Equal(t, []charging.VendorProfile{wantWide}, list())
	})
}
