package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpi/client"
	"github.com/chargehub/hub/roaming"
)

// runPartnersAdd is `hub partners add --name N --role EMSP|HUB|NSP [--country CC --party PID]`:
// it creates a partner that will register with the hub and prints its token A and our versions
// URL, to be handed over.
func runPartnersAdd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var name, role, country, party string
	var maxPage int
	db, cfg, pos, err := openStore(ctx, args, stderr, getenv, "partners add", func(fs *flag.FlagSet) {
		fs.StringVar(&name, "name", "", "partner name (required)")
		fs.StringVar(&role, "role", "", "EMSP, HUB, NSP, NAP, SCSP or OTHER (required)")
		fs.StringVar(&country, "country", "", "the partner's OCPI country code (with --party)")
		fs.StringVar(&party, "party", "", "the partner's OCPI party id (with --country)")
		fs.IntVar(&maxPage, "max-page-size", 0, "cap on the page size of the partner's pulls (0 = the server's)")
	})
	if err != nil {
		return err
	}
	defer db.Close()
	switch {
	case len(pos) != 0:
		return fmt.Errorf("partners add: unexpected argument %q", pos[0])
	case name == "" || role == "":
		return fmt.Errorf("partners add: --name and --role are required")
	case (country == "") != (party == ""):
		return fmt.Errorf("partners add: --country and --party go together")
	}
	svc := newRoaming(cfg, db, newLogger(cfg.LogLevel), nil, nil)
	p, tokenA, err := svc.CreatePartner(ctx, roaming.NewPartner{Name: name, Role: ocpi.Role(role),
		Party: roaming.Party{CountryCode: country, PartyID: party}, MaxPageSize: maxPage})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "partner %d created (%s %s, status %s)\n", p.ID, p.Role, dash(partyText(p.Party)), p.Status)
	fmt.Fprintf(stdout, "token A:      %s\n", tokenA)
	fmt.Fprintf(stdout, "versions URL: %s\n", svc.VersionsURL())
	fmt.Fprintln(stdout, "Hand both to the partner; it registers with a credentials POST. Token A is shown only once.")
	return nil
}

// runPartnersRegister is `hub partners register --versions-url URL --token TOKEN_A`: the hub
// registers with a partner. The hub must be serving at HUB_PUBLIC_URL, because the partner reads
// our versions during the handshake.
func runPartnersRegister(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var versionsURL, token, name string
	var maxPage int
	db, cfg, pos, err := openStore(ctx, args, stderr, getenv, "partners register", func(fs *flag.FlagSet) {
		fs.StringVar(&versionsURL, "versions-url", "", "the partner's versions URL (required)")
		fs.StringVar(&token, "token", "", "the token A the partner gave us (required)")
		fs.StringVar(&name, "name", "", "partner name (default: from its credentials)")
		fs.IntVar(&maxPage, "max-page-size", 0, "cap on the page size of the partner's pulls (0 = the server's)")
	})
	if err != nil {
		return err
	}
	defer db.Close()
	switch {
	case len(pos) != 0:
		return fmt.Errorf("partners register: unexpected argument %q", pos[0])
	case versionsURL == "" || token == "":
		return fmt.Errorf("partners register: --versions-url and --token are required")
	}
	log := newLogger(cfg.LogLevel)
	svc := newRoaming(cfg, db, log, client.New(nil, client.Config{}, log), nil)
	p, err := svc.RegisterWithPeer(ctx, versionsURL, token, roaming.RegisterOptions{Name: name, MaxPageSize: maxPage})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "partner %d registered: %s (%s %s), OCPI %s, %d endpoints, token encoding %s\n", p.ID, p.Name, p.Role,
		dash(partyText(p.Party)), p.Version, len(p.Endpoints), p.TokenEncoding)
	return nil
}

// runPartnersList is `hub partners list`.
func runPartnersList(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	db, cfg, pos, err := openStore(ctx, args, stderr, getenv, "partners list", nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if len(pos) != 0 {
		return fmt.Errorf("partners list: unexpected argument %q", pos[0])
	}
	svc := newRoaming(cfg, db, newLogger(cfg.LogLevel), nil, nil)
	list, _, err := svc.ListPartners(ctx, roaming.PartnerFilter{})
	if err != nil {
		return err
	}
	backlog, err := svc.OutboxBacklog(ctx)
	if err != nil {
		return err
	}
	counts := map[int64]roaming.OutboxCount{}
	for _, b := range backlog {
		counts[b.PartnerID] = b
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tROLE\tPARTY\tSTATUS\tVERSION\tENDPOINTS\tPENDING\tFAILED")
	for _, p := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\n", p.ID, p.Name, p.Role, dash(partyText(p.Party)), p.Status,
			dash(string(p.Version)), len(p.Endpoints), counts[p.ID].Pending, counts[p.ID].Failed)
	}
	return tw.Flush()
}

// partyText is "CC*PID", or "" for no party.
func partyText(p roaming.Party) string {
	if p.IsZero() {
		return ""
	}
	return strings.ToUpper(p.CountryCode) + "*" + strings.ToUpper(p.PartyID)
}
