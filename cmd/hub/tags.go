package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/chargehub/hub/charging"
)

func runTagsAdd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var status, expiry, parent string
	db, cfg, pos, err := openStore(ctx, args, stderr, getenv, "tags add", func(fs *flag.FlagSet) {
		fs.StringVar(&status, "status", "Accepted", "Accepted, Blocked, Expired or Invalid")
		fs.StringVar(&expiry, "expiry", "", "expiry date (RFC 3339)")
		fs.StringVar(&parent, "parent", "", "parent id tag (group)")
	})
	if err != nil {
		return err
	}
	defer db.Close()
	if len(pos) == 0 {
		return fmt.Errorf("tags add: want at least one id tag")
	}
	var exp *time.Time
	if expiry != "" {
		t, err := time.Parse(time.RFC3339, expiry)
		if err != nil {
			return fmt.Errorf("tags add: --expiry %q is not RFC 3339", expiry)
		}
		t = t.UTC()
		exp = &t
	}
	svc := charging.NewService(db, charging.SystemClock{}, newLogger(cfg.LogLevel), charging.Config{})
	for _, tag := range pos {
		if _, err := svc.PutIDTag(ctx, charging.IDTag{IDTag: tag, Status: charging.AuthStatus(status), ExpiryDate: exp, ParentIDTag: parent}); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "%d id tag(s) stored\n", len(pos))
	return nil
}

func runTagsList(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	db, _, _, err := openStore(ctx, args, stderr, getenv, "tags list", nil)
	if err != nil {
		return err
	}
	defer db.Close()
	list, _, err := db.ListIDTags(ctx, 0, 0)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID TAG\tSTATUS\tEXPIRY\tPARENT")
	for _, t := range list {
		exp := "-"
		if t.ExpiryDate != nil {
			exp = t.ExpiryDate.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.IDTag, t.Status, exp, dash(t.ParentIDTag))
	}
	return tw.Flush()
}
