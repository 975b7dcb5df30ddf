// Command hub is the OCPP↔OCPI roaming hub: it serves chargers (OCPP-J 1.6), partners
// (OCPI) and operators (admin API), and carries the operator's subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

const usage = `usage: hub <command> [flags]

commands:
  serve                     run the hub (the default with no command)
  migrate [up|status]       apply or list schema migrations
  stations add ID [--password P] [--profile 0|1|2|3]
  stations list
  tags add TAG... [--status S] [--expiry RFC3339] [--parent TAG]
  tags list
  partners add --name N --role EMSP|HUB|NSP [--country CC --party PID]
  partners register --versions-url URL --token TOKEN_A
  partners list
  sim chargers --url WS_URL --count N [--protocol ocpp1.6|ocpp2.0.1|mixed] [--sessions K]
  sim emsp --versions-url URL --token TOKEN_A [--listen :9090] [--start LOCATION_ID/EVSE_UID [--stop-after D]]
  tariffs price --tariff FILE --cdr FILE [--time-zone IANA]
  tariffs add --file FILE   (or FILE; - = stdin) save an OCPI tariff as a new version, push it
  tariffs list
  cdrs export --from RFC3339 --to RFC3339 [--format csv|json] [--partner ID]
  cdrs report --from RFC3339 --to RFC3339 [--format text|json] [--partner ID]

Run 'hub <command> -h' for the command's flags.`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "hub: "+oneLine(err.Error()))
		}
		os.Exit(1)
	}
}

// run dispatches a subcommand; it is main without the process around it, for tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return runServe(ctx, args, stdout, stderr, getenv)
	}
	cmd, rest := args[0], args[1:]
	sub := func() (string, []string) {
		if len(rest) == 0 {
			return "", nil
		}
		return rest[0], rest[1:]
	}
	switch cmd {
	case "serve":
		return runServe(ctx, rest, stdout, stderr, getenv)
	case "migrate":
		return runMigrate(ctx, rest, stdout, stderr, getenv)
	case "stations":
		switch s, r := sub(); s {
		case "add":
			return runStationsAdd(ctx, r, stdout, stderr, getenv)
		case "list":
			return runStationsList(ctx, r, stdout, stderr, getenv)
		default:
			return fmt.Errorf("stations: unknown subcommand %q (want add or list)", s)
		}
	case "tags":
		switch s, r := sub(); s {
		case "add":
			return runTagsAdd(ctx, r, stdout, stderr, getenv)
		case "list":
			return runTagsList(ctx, r, stdout, stderr, getenv)
		default:
			return fmt.Errorf("tags: unknown subcommand %q (want add or list)", s)
		}
	case "partners":
		switch s, r := sub(); s {
		case "add":
			return runPartnersAdd(ctx, r, stdout, stderr, getenv)
		case "register":
			return runPartnersRegister(ctx, r, stdout, stderr, getenv)
		case "list":
			return runPartnersList(ctx, r, stdout, stderr, getenv)
		default:
			return fmt.Errorf("partners: unknown subcommand %q (want add, register or list)", s)
		}
	case "sim":
		switch s, r := sub(); s {
		case "chargers":
			return runSimChargers(ctx, r, stdout, stderr)
		case "emsp":
			return runSimEMSP(ctx, r, stdout, stderr)
		default:
			return fmt.Errorf("sim: unknown subcommand %q (want chargers or emsp)", s)
		}
	case "tariffs":
		switch s, r := sub(); s {
		case "price":
			return runTariffsPrice(ctx, r, stdout, stderr)
		case "add":
			return runTariffsAdd(ctx, r, stdout, stderr, getenv)
		case "list":
			return runTariffsList(ctx, r, stdout, stderr, getenv)
		default:
			return fmt.Errorf("tariffs: unknown subcommand %q (want price, add or list)", s)
		}
	case "cdrs":
		switch s, r := sub(); s {
		case "export":
			return runCDRsExport(ctx, r, stdout, stderr, getenv)
		case "report":
			return runCDRsReport(ctx, r, stdout, stderr, getenv)
		default:
			return fmt.Errorf("cdrs: unknown subcommand %q (want export or report)", s)
		}
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	default:
		return fmt.Errorf("unknown command %q\n%s", cmd, usage)
	}
}

// oneLine keeps the first line of an error for the exit message.
func oneLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// newFlagSet builds a flag set that reports errors instead of exiting.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseInterleaved parses flags that may come after positional arguments
// (e.g. "stations add ID --password P") and returns the positionals.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
