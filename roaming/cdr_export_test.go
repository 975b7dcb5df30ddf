package roaming_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
	"github.com/chargehub/hub/store/storetest"
)

// goldenHeader is the CSV export's header as documented in the README. Finance scripts depend on
// it: a change here is a breaking change (new columns go at the end).
const goldenHeader = "cdr_id,session_id,issued_at,partner_id,emsp_party,token_uid,contract_id,auth_method," +
	"location_id,evse_uid,evse_id,connector_id,start_date_time,end_date_time,energy_kwh,time_h,parking_time_h," +
	"currency,total_cost_excl_vat,total_cost_incl_vat,fixed_cost_excl_vat,fixed_cost_incl_vat," +
	"energy_cost_excl_vat,energy_cost_incl_vat,time_cost_excl_vat,time_cost_incl_vat," +
	"parking_cost_excl_vat,parking_cost_incl_vat,reservation_cost_excl_vat,reservation_cost_incl_vat," +
	"tariff_id,credit,credit_reference_id,remark"

// TestCDRExport: the CSV export has the golden header and, for a known INR CDR with 18 % GST,
// exactly the expected row; the JSON export is an array of objects with the same keys in the same
// order; the period and the partner filter select by issue time and token owner.
func TestCDRExport(t *testing.T) {
	t.Parallel()
	require.Equal(t, goldenHeader, roaming.CSVHeader)
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		b := newBilling(t, dbURL, true)
		b.clk.Advance(65 * time.Minute)
		b.issue(t, knownCDR(t, "CDR-1", emspParty, billStart, "10", tariffINR()))
		b.clk.Advance(time.Hour)
		local := knownCDR(t, "CDR-2", roaming.Party{CountryCode: "IN", PartyID: "HUB"}, billStart.Add(time.Hour), "5", tariffINR())
		local.Remark = `stopped "early", by the driver`
		b.issue(t, local)
		day := roaming.ExportQuery{From: billStart, To: billStart.Add(24 * time.Hour)}

		var out bytes.Buffer
		n, err := b.svc.ExportCDRs(ctx, &out, day)
		require.NoError(t, err)
		require.Equal(t, 2, n)
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		require.Len(t, lines, 3)
		require.Equal(t, goldenHeader, lines[0])
		// 10 kWh at 18 INR/kWh = 180 (212.4 with 18 % GST), a 10 INR start fee (11.8) and half an
		// hour parked at 60 INR/h = 30 (35.4): 220 INR, 259.6 INR with GST.
		require.Equal(t, "CDR-1,S-CDR-1,2025-01-14T09:05:00Z,1,NL*EMP,04AB12CD,NL-EMP-C12345678-X,WHITELIST,LOC-1,CP-1-1,"+
			"IN*HUB*ECP1*1,1,2025-01-14T08:00:00Z,2025-01-14T09:00:00Z,10,1,0.5,INR,220,259.6,10,11.8,180,212.4,0,0,30,35.4,,,"+
			"IN-AC,false,,", lines[1])
		recs, err := csv.NewReader(strings.NewReader(out.String())).ReadAll()
		require.NoError(t, err)
		require.Len(t, recs[2], len(strings.Split(goldenHeader, ",")))
		require.Equal(t, "", recs[2][3], "no partner settles the hub's own tokens")
		require.Equal(t, `stopped "early", by the driver`, recs[2][33], "quoted as RFC 4180 wants")

		out.Reset()
		q := day
		q.Format = roaming.ExportJSON
		_, err = b.svc.ExportCDRs(ctx, &out, q)
		require.NoError(t, err)
		var rows []map[string]any
		require.NoError(t, json.Unmarshal(out.Bytes(), &rows), "%s", out.String())
		require.Len(t, rows, 2)
		require.Equal(t, "259.6", rows[0]["total_cost_incl_vat"])
		require.Equal(t, "212.4", rows[0]["energy_cost_incl_vat"])
		require.Equal(t, float64(1), rows[0]["partner_id"])
		require.Nil(t, rows[0]["reservation_cost_excl_vat"])
		require.Equal(t, false, rows[0]["credit"])
		require.Nil(t, rows[1]["partner_id"])
		first := out.String()[:strings.Index(out.String(), "}")]
		last := -1
		for _, col := range strings.Split(goldenHeader, ",") { // keys in header order
			i := strings.Index(first, `"`+col+`":`)
			require.Greater(t, i, last, "key %s", col)
			last = i
		}

		// Partner filter and period.
		out.Reset()
		q = day
		q.PartnerID = b.partner.ID
		n, err = b.svc.ExportCDRs(ctx, &out, q)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		require.Contains(t, out.String(), "CDR-1,")
		out.Reset()
		n, err = b.svc.ExportCDRs(ctx, &out, roaming.ExportQuery{From: billStart, To: billStart.Add(65 * time.Minute)})
		require.NoError(t, err)
		require.Zero(t, n, "to is exclusive: CDR-1 was issued at 09:05")
		require.Equal(t, goldenHeader+"\n", out.String())
		out.Reset()
		_, err = b.svc.ExportCDRs(ctx, &out, roaming.ExportQuery{From: billStart, To: billStart.Add(time.Hour), Format: roaming.ExportJSON})
		require.NoError(t, err)
		require.Equal(t, "[]\n", out.String())
		_, err = b.svc.ExportCDRs(ctx, &out, roaming.ExportQuery{From: billStart, To: billStart, Format: "xml"})
		require.Equal(t, charging.CodeInvalid, charging.ErrorCode(err))
		q.PartnerID = 99
		_, err = b.svc.ExportCDRs(ctx, &out, q)
		require.True(t, charging.IsNotFound(err))
	})
}

// countingStore counts the CDR pages read through it.
type countingStore struct {
	*store.Roaming
	pages atomic.Int64
}

func (c *countingStore) CDRPage(ctx context.Context, q roaming.CDRQuery) ([]roaming.IssuedCDR, error) {
	c.pages.Add(1)
	return c.Roaming.CDRPage(ctx, q)
}

// streamWriter checks that an export streams: how many pages were read when the first byte
// arrived, and how far rows written lag behind rows read.
type streamWriter struct {
	src        *countingStore
	pageSize   int64
	writes     int
	firstPages int64
	rows       int64
	bytes      int
	maxLag     int64
}

func (w *streamWriter) Write(p []byte) (int, error) {
	w.writes++
	if w.writes == 1 {
		w.firstPages = w.src.pages.Load()
	}
	w.rows += int64(bytes.Count(p, []byte("\n")))
	if lag := w.src.pages.Load()*w.pageSize - w.rows; lag > w.maxLag {
		w.maxLag = lag
	}
	w.bytes += len(p)
	return len(p), nil
}

// TestCDRExportStreams: a month of CDRs (5,000) is exported in constant memory: rows are written
// as soon as their page is read (the first bytes before the second page is queried), never more
// than one page behind, and every CDR exactly once, in issue order, ties broken by id.
func TestCDRExportStreams(t *testing.T) {
	t.Parallel()
	storetest.ForEachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		b := newBilling(t, dbURL, true)
		proto := knownCDR(t, "X", emspParty, billStart, "7.5", tariffINR())
		const total = 5000
		err := b.hub.Store.InTx(ctx, func(tx roaming.Store) error {
			for i := range total {
				c := proto
				c.ID = "CDR-" + strings.Repeat("0", 5-len(itoa(int64(i)))) + itoa(int64(i))
				c.SessionID = c.ID
				if i%7 == 0 {
					b.clk.Advance(time.Millisecond) // ties on issue time, broken by id
				}
				if err := tx.CreateCDR(ctx, c); err != nil {
					return err
				}
			}
			return nil
		})
		require.NoError(t, err)
		for _, format := range []roaming.ExportFormat{roaming.ExportCSV, roaming.ExportJSON} {
			src := &countingStore{Roaming: b.hub.Store}
			svc := roaming.NewService(roaming.Deps{Store: src, Clock: b.clk, Log: quiet()},
				roaming.Config{Party: roaming.Party{CountryCode: "IN", PartyID: "HUB"}})
			const pageSize = 100
			w := &streamWriter{src: src, pageSize: pageSize}
			n, err := svc.ExportCDRs(ctx, w, roaming.ExportQuery{From: billStart, To: billStart.Add(24 * time.Hour), Format: format,
				PageSize: pageSize})
			require.NoError(t, err)
			require.Equal(t, total, n)
			require.Equal(t, int64(total/pageSize+1), src.pages.Load(), "one query per page (the last one finds none)")
			require.Equal(t, int64(1), w.firstPages, "%s: rows are written before the next page is read", format)
			require.LessOrEqual(t, w.maxLag, int64(pageSize), "%s: at most one page is held", format)
			require.Greater(t, w.writes, total/pageSize/2, "%s: written in many pieces", format)
			if format == roaming.ExportCSV {
				require.Equal(t, int64(total+1), w.rows, "header and one line per CDR")
			}
		}
		var out bytes.Buffer
		_, err = b.svc.ExportCDRs(ctx, &out, roaming.ExportQuery{From: billStart, To: billStart.Add(24 * time.Hour)})
		require.NoError(t, err)
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		require.Len(t, lines, total+1)
		for i, l := range lines[1:] {
			require.True(t, strings.HasPrefix(l, "CDR-"+strings.Repeat("0", 5-len(itoa(int64(i))))+itoa(int64(i))+","), "line %d: %s", i, l)
		}
	})
}

func itoa(i int64) string { return ocpi.DecimalFromInt(i).String() }

// TestCSVHeaderDocumented: the README documents the CSV header exactly.
func TestCSVHeaderDocumented(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	require.Contains(t, string(readme), "\n"+goldenHeader+"\n")
}
