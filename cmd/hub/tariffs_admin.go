package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/chargehub/hub/ocpi"
)

// runTariffsAdd is `hub tariffs add --file FILE` (or `hub tariffs add FILE`; "-" reads stdin):
// it saves the OCPI Tariff in the file as a new version (creating the tariff if needed) and queues
// a PUT to every Tariffs Receiver; a running hub delivers it. An unchanged tariff keeps its version
// and sends nothing.
func runTariffsAdd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var file string
	db, cfg, pos, err := openStore(ctx, args, stderr, getenv, "tariffs add", func(fs *flag.FlagSet) {
		fs.StringVar(&file, "file", "", "OCPI 2.2.1 Tariff JSON file; - reads stdin")
	})
	if err != nil {
		return err
	}
	defer db.Close()
	switch {
	case file == "" && len(pos) == 1:
		file = pos[0]
	case file == "" || len(pos) != 0:
		return fmt.Errorf("tariffs add: want one tariff file (--file FILE or FILE)")
	}
	var raw []byte
	if file == "-" {
		raw, err = io.ReadAll(io.LimitReader(os.Stdin, 1<<20))
	} else {
		raw, err = os.ReadFile(file)
	}
	if err != nil {
		return fmt.Errorf("tariffs add: %w", err)
	}
	var t ocpi.Tariff
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return fmt.Errorf("tariffs add: %s: %w", file, err)
	}
	svc := newRoaming(cfg, db, newLogger(cfg.LogLevel), nil, nil)
	v, changed, err := svc.SaveTariff(ctx, t, false)
	if err != nil {
		return err
	}
	if !changed {
		fmt.Fprintf(stdout, "tariff %s unchanged (version %d)\n", v.Tariff.ID, v.Version)
		return nil
	}
	fmt.Fprintf(stdout, "tariff %s version %d saved, valid from %s; queued for every Tariffs Receiver\n", v.Tariff.ID, v.Version,
		v.ValidFrom.UTC().Format(time.RFC3339))
	return nil
}

// runTariffsList is `hub tariffs list`: the current tariffs with their versions.
func runTariffsList(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	db, cfg, pos, err := openStore(ctx, args, stderr, getenv, "tariffs list", nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if len(pos) != 0 {
		return fmt.Errorf("tariffs list: unexpected argument %q", pos[0])
	}
	svc := newRoaming(cfg, db, newLogger(cfg.LogLevel), nil, nil)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tVERSION\tCURRENCY\tTYPE\tELEMENTS\tVALID\tLAST UPDATED")
	for offset := 0; ; offset += 500 {
		list, _, err := svc.CurrentTariffs(ctx, offset, 500)
		if err != nil {
			return err
		}
		for _, v := range list {
			t := v.Tariff
			valid := dash(dateText(t.StartDateTime)) + " – " + dash(dateText(t.EndDateTime))
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", t.ID, strconv.Itoa(v.Version), t.Currency, dash(string(t.Type)),
				len(t.Elements), valid, t.LastUpdated.String())
		}
		if len(list) < 500 {
			break
		}
	}
	return tw.Flush()
}

// dateText formats an optional OCPI DateTime ("" when absent).
func dateText(d *ocpi.DateTime) string {
	if d == nil || d.IsZero() {
		return ""
	}
	return d.String()
}
