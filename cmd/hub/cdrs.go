package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/chargehub/hub/roaming"
)

// cdrPeriodFlags are the flags `hub cdrs export` and `hub cdrs report` share.
type cdrPeriodFlags struct {
	from, to string
	partner  int64
	format   string
}

func (f *cdrPeriodFlags) bind(fs *flag.FlagSet, formats, def string) {
	fs.StringVar(&f.from, "from", "", "start of the period, RFC 3339 (inclusive; on the CDRs' issue time) (required)")
	fs.StringVar(&f.to, "to", "", "end of the period, RFC 3339 (exclusive) (required)")
	fs.Int64Var(&f.partner, "partner", 0, "only the CDRs this partner (id) settles")
	fs.StringVar(&f.format, "format", def, formats)
}

// period parses --from and --to.
func (f *cdrPeriodFlags) period(cmd string) (from, to time.Time, err error) {
	if f.from == "" || f.to == "" {
		return from, to, fmt.Errorf("%s: --from and --to are required (RFC 3339)", cmd)
	}
	if from, err = time.Parse(time.RFC3339, f.from); err != nil {
		return from, to, fmt.Errorf("%s: --from %q is not an RFC 3339 time", cmd, f.from)
	}
	if to, err = time.Parse(time.RFC3339, f.to); err != nil {
		return from, to, fmt.Errorf("%s: --to %q is not an RFC 3339 time", cmd, f.to)
	}
	if !to.After(from) {
		return from, to, fmt.Errorf("%s: --to must be after --from", cmd)
	}
	return from.UTC(), to.UTC(), nil
}

// runCDRsExport is `hub cdrs export --from RFC3339 --to RFC3339 [--format csv|json] [--partner ID]`:
// it writes the CDRs issued in the period to stdout, one row per CDR (CSV header
// roaming.CSVHeader), streaming them page by page.
func runCDRsExport(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var f cdrPeriodFlags
	db, cfg, pos, err := openStore(ctx, args, stderr, getenv, "cdrs export", func(fs *flag.FlagSet) {
		f.bind(fs, "csv or json", "csv")
	})
	if err != nil {
		return err
	}
	defer db.Close()
	if len(pos) != 0 {
		return fmt.Errorf("cdrs export: unexpected argument %q", pos[0])
	}
	from, to, err := f.period("cdrs export")
	if err != nil {
		return err
	}
	if f.format != string(roaming.ExportCSV) && f.format != string(roaming.ExportJSON) {
		return fmt.Errorf("cdrs export: --format %q must be csv or json", f.format)
	}
	svc := newRoaming(cfg, db, newLogger(cfg.LogLevel), nil, nil)
	_, err = svc.ExportCDRs(ctx, stdout, roaming.ExportQuery{From: from, To: to, PartnerID: f.partner,
		Format: roaming.ExportFormat(f.format)})
	return err
}

// runCDRsReport is `hub cdrs report --from RFC3339 --to RFC3339 [--partner ID] [--format text|json]`:
// the settlement report of the period (per partner: CDRs, credits, energy, revenue per currency
// excl/incl VAT, delivery status).
func runCDRsReport(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var f cdrPeriodFlags
	db, cfg, pos, err := openStore(ctx, args, stderr, getenv, "cdrs report", func(fs *flag.FlagSet) {
		f.bind(fs, "text or json", "text")
	})
	if err != nil {
		return err
	}
	defer db.Close()
	if len(pos) != 0 {
		return fmt.Errorf("cdrs report: unexpected argument %q", pos[0])
	}
	from, to, err := f.period("cdrs report")
	if err != nil {
		return err
	}
	if f.format != "text" && f.format != "json" {
		return fmt.Errorf("cdrs report: --format %q must be text or json", f.format)
	}
	svc := newRoaming(cfg, db, newLogger(cfg.LogLevel), nil, nil)
	r, err := svc.SettlementReport(ctx, roaming.SettlementQuery{From: from, To: to, PartnerID: f.partner})
	if err != nil {
		return err
	}
	if f.format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return r.WriteText(stdout)
}
