package admin_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/admin"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/ocpitest"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store/storetest"
)

func newBillingHub(t *testing.T, dbURL string) *ocpitest.Hub {
	return ocpitest.NewHub(t, dbURL, ocpitest.HubOptions{NoWorker: true, Mount: func(e *echo.Echo, svc *roaming.Service) {
		admin.NewRoaming(svc, adminToken, ocpitest.Logger()).Mount(e)
		admin.NewBilling(svc, adminToken, ocpitest.Logger()).Mount(e)
	}})
}

// get fetches a raw answer.
func get(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(b)
}

func energyTariff(price string) map[string]any {
	return map[string]any{"id": "T1", "currency": "INR", "elements": []any{map[string]any{"price_components": []any{
		map[string]any{"type": "ENERGY", "price": price, "vat": 18, "step_size": 1}}}}}
}

// TestAdminTariffs: tariffs are created, versioned, listed and removed through the API.
func TestAdminTariffs(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		u := newBillingHub(t, dbURL).URL
		require.Equal(t, http.StatusUnauthorized, call(t, u, http.MethodGet, "/api/v1/tariffs", "wrong", nil, nil))
		var v struct {
			ID          string     `json:"id"`
			CountryCode string     `json:"country_code"`
			Version     int        `json:"version"`
			ValidFrom   *time.Time `json:"valid_from"`
			LastUpdated string     `json:"last_updated"`
		}
		require.Equal(t, http.StatusCreated, call(t, u, http.MethodPost, "/api/v1/tariffs", adminToken, energyTariff("18"), &v))
		require.Equal(t, 1, v.Version)
		require.Equal(t, "IN", v.CountryCode)
		require.NotNil(t, v.ValidFrom)
		require.Equal(t, http.StatusConflict, call(t, u, http.MethodPost, "/api/v1/tariffs", adminToken, energyTariff("18"), nil))
		require.Equal(t, http.StatusBadRequest, call(t, u, http.MethodPost, "/api/v1/tariffs", adminToken,
			map[string]any{"id": "X", "currency": "INR"}, nil), "no elements")
		require.Equal(t, http.StatusBadRequest, call(t, u, http.MethodPut, "/api/v1/tariffs/T2", adminToken, energyTariff("18"), nil),
			"ids differ")
		require.Equal(t, http.StatusOK, call(t, u, http.MethodPut, "/api/v1/tariffs/T1", adminToken, energyTariff("20"), &v))
		require.Equal(t, 2, v.Version)
		require.Equal(t, http.StatusOK, call(t, u, http.MethodPut, "/api/v1/tariffs/t1", adminToken, energyTariff("20"), &v))
		require.Equal(t, 2, v.Version, "unchanged: no new version")
		other := energyTariff("5")
		other["id"] = "T2"
		require.Equal(t, http.StatusCreated, call(t, u, http.MethodPut, "/api/v1/tariffs/T2", adminToken, other, nil))

		var list struct {
			Data []struct {
				ID      string `json:"id"`
				Version int    `json:"version"`
			} `json:"data"`
			Total int `json:"total"`
		}
		require.Equal(t, http.StatusOK, call(t, u, http.MethodGet, "/api/v1/tariffs", adminToken, nil, &list))
		require.Equal(t, 2, list.Total)
		require.Equal(t, "T1", list.Data[0].ID)
		require.Equal(t, 2, list.Data[0].Version)
		var versions struct {
			Data []struct {
				Version  int                  `json:"version"`
				ValidTo  *time.Time           `json:"valid_to"`
				Deleted  bool                 `json:"deleted"`
				Elements []ocpi.TariffElement `json:"elements"`
			} `json:"data"`
		}
		require.Equal(t, http.StatusOK, call(t, u, http.MethodDelete, "/api/v1/tariffs/T1", adminToken, nil, nil))
		require.Equal(t, http.StatusNotFound, call(t, u, http.MethodGet, "/api/v1/tariffs/T1", adminToken, nil, nil))
		require.Equal(t, http.StatusNotFound, call(t, u, http.MethodDelete, "/api/v1/tariffs/T1", adminToken, nil, nil))
		require.Equal(t, http.StatusOK, call(t, u, http.MethodGet, "/api/v1/tariffs/T1/versions", adminToken, nil, &versions))
		require.Len(t, versions.Data, 3)
		require.Equal(t, "18", versions.Data[0].Elements[0].PriceComponents[0].Price.String())
		require.NotNil(t, versions.Data[0].ValidTo)
		require.True(t, versions.Data[2].Deleted)
		require.Equal(t, http.StatusNotFound, call(t, u, http.MethodGet, "/api/v1/tariffs/NOPE/versions", adminToken, nil, nil))
	})
}

// TestAdminCDRs: the export (JSON and CSV, streamed with a file name), a CDR with its delivery,
// a credit with a replacement, the settlement report and the reconciliation.
func TestAdminCDRs(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		hub := newBillingHub(t, dbURL)
		u := hub.URL
		require.Equal(t, http.StatusCreated, call(t, u, http.MethodPost, "/api/v1/tariffs", adminToken, energyTariff("18"), nil))
		tf, err := hub.Svc.CurrentTariff(ctx, "T1")
		require.NoError(t, err)
		start := time.Now().UTC().Truncate(time.Second).Add(-2 * time.Hour)
		cdr := ocpi.CDR{ID: "CDR-1", StartDateTime: ocpi.NewDateTime(start), EndDateTime: ocpi.NewDateTime(start.Add(time.Hour)),
			CdrToken:   ocpi.CdrToken{CountryCode: "NL", PartyID: "EMP", UID: "TAG1", Type: ocpi.TokenTypeRFID, ContractID: "C1"},
			AuthMethod: ocpi.AuthMethodWhitelist, CdrLocation: ocpi.CdrLocation{ID: "LOC-1", Address: "1 Road", City: "Pune",
				Country: "IND", Coordinates: ocpi.GeoLocation{Latitude: "18.520400", Longitude: "73.856700"}, EvseUID: "E1",
				EvseID: "IN*HUB*E1*1", ConnectorID: "1", ConnectorStandard: ocpi.ConnectorIEC62196T2,
				ConnectorFormat: ocpi.ConnectorFormatSocket, ConnectorPowerType: ocpi.PowerTypeAC3Phase},
			Currency: "INR", Tariffs: []ocpi.Tariff{tf.Tariff}, ChargingPeriods: []ocpi.ChargingPeriod{{StartDateTime: ocpi.NewDateTime(start),
				TariffID: "T1", Dimensions: []ocpi.CdrDimension{{Type: ocpi.CdrDimensionEnergy, Volume: ocpi.MustDecimal("10")},
					{Type: ocpi.CdrDimensionTime, Volume: ocpi.MustDecimal("1")}}}},
			TotalEnergy: ocpi.MustDecimal("10"), TotalTime: ocpi.MustDecimal("1"),
			TotalCost: ocpi.Price{ExclVat: ocpi.MustDecimal("180"), InclVat: ocpi.MustDecimal("212.4").Ptr()}}
		require.NoError(t, hub.Svc.PostCDR(ctx, cdr))

		from, to := start.Add(-time.Hour).Format(time.RFC3339), time.Now().UTC().Add(time.Hour).Format(time.RFC3339)
		q := "?from=" + from + "&to=" + to
		status, h, body := get(t, u+"/api/v1/cdrs"+q)
		require.Equal(t, http.StatusOK, status, body)
		require.Contains(t, h.Get("Content-Type"), "application/json")
		require.Contains(t, h.Get("Content-Disposition"), ".json")
		require.Contains(t, body, `"total_cost_incl_vat":"212.4"`)
		status, h, body = get(t, u+"/api/v1/cdrs"+q+"&format=csv")
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, "text/csv; charset=utf-8", h.Get("Content-Type"))
		require.True(t, strings.HasPrefix(body, roaming.CSVHeader+"\nCDR-1,"), body)
		for _, bad := range []string{"", "?from=" + from, q + "&format=xml", q + "&partner=x", "?from=" + to + "&to=" + from} {
			status, _, _ = get(t, u+"/api/v1/cdrs"+bad)
			require.Equal(t, http.StatusBadRequest, status, bad)
		}
		status, _, _ = get(t, u+"/api/v1/cdrs"+q+"&partner=42")
		require.Equal(t, http.StatusNotFound, status)

		var one struct {
			CDR        ocpi.CDR `json:"cdr"`
			Deliveries []any    `json:"deliveries"`
		}
		require.Equal(t, http.StatusOK, call(t, u, http.MethodGet, "/api/v1/cdrs/cdr-1", adminToken, nil, &one))
		require.Equal(t, "CDR-1", one.CDR.ID)
		require.Equal(t, http.StatusNotFound, call(t, u, http.MethodGet, "/api/v1/cdrs/NOPE", adminToken, nil, nil))

		var credited struct {
			Credit      ocpi.CDR  `json:"credit"`
			Replacement *ocpi.CDR `json:"replacement"`
			Correction  struct {
				CDRID         string `json:"cdr_id"`
				ReplacementID string `json:"replacement_id"`
			} `json:"correction"`
		}
		require.Equal(t, http.StatusBadRequest, call(t, u, http.MethodPost, "/api/v1/cdrs/CDR-1/credit", adminToken, map[string]any{}, nil))
		require.Equal(t, http.StatusCreated, call(t, u, http.MethodPost, "/api/v1/cdrs/CDR-1/credit", adminToken,
			map[string]any{"reason": "wrong tariff", "replacement": map[string]any{"tariff_id": "T1"}}, &credited))
		require.Equal(t, "CDR-1-C", credited.Credit.ID)
		require.Equal(t, "-212.4", credited.Credit.TotalCost.InclVat.String())
		require.Equal(t, "CDR-1-R1", credited.Replacement.ID)
		require.Equal(t, "CDR-1-R1", credited.Correction.ReplacementID)
		require.Equal(t, http.StatusConflict, call(t, u, http.MethodPost, "/api/v1/cdrs/CDR-1/credit", adminToken,
			map[string]any{"reason": "again"}, nil))
		require.Equal(t, http.StatusNotFound, call(t, u, http.MethodPost, "/api/v1/cdrs/NOPE/credit", adminToken,
			map[string]any{"reason": "x"}, nil))

		var settlement roaming.Settlement
		require.Equal(t, http.StatusOK, call(t, u, http.MethodGet, "/api/v1/settlement"+q, adminToken, nil, &settlement))
		require.Len(t, settlement.Partners, 1)
		p := settlement.Partners[0]
		require.Equal(t, 2, p.CDRs)
		require.Equal(t, 1, p.Credits)
		require.Equal(t, "INR", p.Revenue[0].Currency)
		require.Equal(t, "424.8", p.Revenue[0].InclVat.String())
		require.Equal(t, "212.4", p.Revenue[0].NetInclVat.String())
		require.Equal(t, http.StatusBadRequest, call(t, u, http.MethodGet, "/api/v1/settlement", adminToken, nil, nil))

		var rec roaming.CDRReconciliation
		require.Equal(t, http.StatusOK, call(t, u, http.MethodGet, "/api/v1/cdrs/reconciliation", adminToken, nil, &rec))
		require.Empty(t, rec.Partners, "no partner settles NL*EMP yet")
	})
}
