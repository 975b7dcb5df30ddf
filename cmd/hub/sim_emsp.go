package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/sim"
)

// simEMSPOptions are the flags of "hub sim emsp".
type simEMSPOptions struct {
	versionsURL, tokenA            string
	listen, publicURL              string
	country, party, name           string
	tokenUID, tokenType, whitelist string
	start                          string // LOCATION_ID/EVSE_UID
	stopAfter, timeout             time.Duration
}

// runSimEMSP is "hub sim emsp": a simulated OCPI 2.2.1 eMSP that registers with the hub, pushes
// a token, optionally starts (and stops) a session with commands, and prints one line per
// object the hub sends until interrupted (or, with --stop-after, until the session's CDR).
func runSimEMSP(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sim emsp", stderr)
	var o simEMSPOptions
	fs.StringVar(&o.versionsURL, "versions-url", "", "the hub's versions URL, as `hub partners add` printed it (required)")
	fs.StringVar(&o.tokenA, "token", "", "the token A `hub partners add` printed (required)")
	fs.StringVar(&o.listen, "listen", ":9090", "address the eMSP serves its OCPI API on")
	fs.StringVar(&o.publicURL, "public-url", "", "base URL the hub reaches the eMSP at (default http://localhost:PORT, the port of --listen)")
	fs.StringVar(&o.country, "country", "NL", "the eMSP's OCPI country code (as given to `hub partners add`)")
	fs.StringVar(&o.party, "party", "EMP", "the eMSP's OCPI party id (as given to `hub partners add`)")
	fs.StringVar(&o.name, "name", "Simulated eMSP", "business name in the eMSP's credentials")
	fs.StringVar(&o.tokenUID, "token-uid", "SIM-EMSP-0001", "uid of the token pushed to the hub (and used by --start)")
	fs.StringVar(&o.tokenType, "token-type", string(ocpi.TokenTypeAppUser), "type of that token: RFID, APP_USER, AD_HOC_USER or OTHER")
	fs.StringVar(&o.whitelist, "whitelist", string(ocpi.WhitelistTypeAlways), "whitelist of that token: ALWAYS or ALLOWED (the hub asks the eMSP in real time)")
	fs.StringVar(&o.start, "start", "", "send START_SESSION for LOCATION_ID/EVSE_UID once the hub shows that EVSE AVAILABLE")
	fs.DurationVar(&o.stopAfter, "stop-after", 0, "with --start: send STOP_SESSION this long after the session started, then exit when its CDR arrives")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "how long each request to the hub may take")
	if err := fs.Parse(args); err != nil {
		return err
	}
	locationID, evseUID, err := o.check(fs.Args())
	if err != nil {
		return fmt.Errorf("sim emsp: %w", err)
	}
	out := &linePrinter{w: stdout}
	e, err := sim.StartEMSP(sim.EMSPConfig{Listen: o.listen, PublicURL: o.publicURL, Name: o.name, Timeout: o.timeout,
		Party: roaming.Party{CountryCode: o.country, PartyID: o.party}, OnEvent: func(ev sim.Event) { out.printf("%s", ev) },
		Log: slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		return fmt.Errorf("sim emsp: %w", err)
	}
	defer e.Close()
	out.printf("eMSP %s listening on %s, versions URL %s", e.Party(), o.listen, e.VersionsURL())
	if err := e.Register(ctx, o.versionsURL, o.tokenA); err != nil {
		return fmt.Errorf("sim emsp: %w", err)
	}
	out.printf("registered with the hub %s at %s", e.HubParty(), o.versionsURL)
	tok := e.NewToken(o.tokenUID, ocpi.TokenType(o.tokenType), ocpi.WhitelistType(o.whitelist))
	created, err := e.PushToken(ctx, tok)
	if err != nil {
		return fmt.Errorf("sim emsp: %w", err)
	}
	out.printf("token %s pushed (%s, whitelist %s, %s)", tok.UID, tok.Type, tok.Whitelist, map[bool]string{true: "new", false: "updated"}[created])
	if locationID == "" {
		<-ctx.Done()
		return nil
	}
	err = simEMSPSession(ctx, e, out, tok, locationID, evseUID, o.stopAfter)
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return nil // interrupted
	}
	return err
}

// check validates the flags and splits --start.
func (o *simEMSPOptions) check(rest []string) (locationID, evseUID string, err error) {
	switch {
	case len(rest) > 0:
		return "", "", fmt.Errorf("unexpected argument %q", rest[0])
	case o.versionsURL == "" || o.tokenA == "":
		return "", "", errors.New("--versions-url and --token are required (from `hub partners add`)")
	case !strings.HasPrefix(o.versionsURL, "http://") && !strings.HasPrefix(o.versionsURL, "https://"):
		return "", "", fmt.Errorf("--versions-url %q: want an http(s) URL", o.versionsURL)
	case !slices.Contains([]ocpi.TokenType{ocpi.TokenTypeRFID, ocpi.TokenTypeAppUser, ocpi.TokenTypeAdHocUser, ocpi.TokenTypeOther}, ocpi.TokenType(o.tokenType)):
		return "", "", fmt.Errorf("--token-type %q: want RFID, APP_USER, AD_HOC_USER or OTHER", o.tokenType)
	case o.whitelist != string(ocpi.WhitelistTypeAlways) && o.whitelist != string(ocpi.WhitelistTypeAllowed):
		return "", "", fmt.Errorf("--whitelist %q: want ALWAYS or ALLOWED", o.whitelist)
	case o.tokenUID == "" || len(o.tokenUID) > 36:
		return "", "", fmt.Errorf("--token-uid %q: want 1 to 36 characters", o.tokenUID)
	case o.stopAfter < 0 || o.timeout <= 0:
		return "", "", errors.New("--stop-after must not be negative and --timeout must be positive")
	case o.stopAfter > 0 && o.start == "":
		return "", "", errors.New("--stop-after needs --start")
	}
	if o.start != "" {
		var ok bool
		if locationID, evseUID, ok = strings.Cut(o.start, "/"); !ok || locationID == "" || evseUID == "" || strings.Contains(evseUID, "/") {
			return "", "", fmt.Errorf("--start %q: want LOCATION_ID/EVSE_UID", o.start)
		}
	}
	return locationID, evseUID, nil
}

// simEMSPSession waits for the EVSE, starts a session there, and with stopAfter > 0 stops it
// after that long and returns once its CDR arrived; else it waits for ctx.
func simEMSPSession(ctx context.Context, e *sim.EMSP, out *linePrinter, tok ocpi.Token, locationID, evseUID string, stopAfter time.Duration) error {
	out.printf("waiting for EVSE %s of location %s to be AVAILABLE", evseUID, locationID)
	if err := e.Wait(ctx, func() bool { s, _ := e.EVSEStatus(locationID, evseUID); return s == ocpi.StatusAvailable }); err != nil {
		return err
	}
	cmd, err := e.StartSession(ctx, tok, locationID, evseUID, "")
	if err != nil {
		return fmt.Errorf("sim emsp: %w", err)
	}
	out.printf("START_SESSION %s/%s sent: %s%s", locationID, evseUID, cmd.Response.Result, displayText(cmd.Response.Message))
	if cmd.Response.Result != ocpi.CommandResponseAccepted {
		return fmt.Errorf("sim emsp: START_SESSION at %s/%s: %s%s", locationID, evseUID, cmd.Response.Result, displayText(cmd.Response.Message))
	}
	if res, err := e.WaitCommandResult(ctx, cmd.Ref); err != nil {
		return err
	} else if res.Result != ocpi.CommandResultAccepted {
		return fmt.Errorf("sim emsp: START_SESSION at %s/%s: the charger answered %s%s", locationID, evseUID, res.Result, displayText(res.Message))
	}
	session, err := e.WaitSession(ctx, cmd.Ref, nil)
	if err != nil {
		return err
	}
	if stopAfter == 0 {
		<-ctx.Done()
		return nil
	}
	ended := func(s ocpi.Session) bool {
		return s.Status == ocpi.SessionStatusCompleted || s.Status == ocpi.SessionStatusInvalid
	}
	wait, cancel := context.WithTimeout(ctx, stopAfter)
	_, err = e.WaitSession(wait, cmd.Ref, ended)
	cancel()
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case err == nil:
		out.printf("session %s ended before --stop-after", session.ID)
	default:
		stop, err := e.StopSession(ctx, session.ID)
		if err != nil {
			return fmt.Errorf("sim emsp: %w", err)
		}
		out.printf("STOP_SESSION %s sent: %s%s", session.ID, stop.Response.Result, displayText(stop.Response.Message))
		if stop.Response.Result != ocpi.CommandResponseAccepted {
			return fmt.Errorf("sim emsp: STOP_SESSION %s: %s%s", session.ID, stop.Response.Result, displayText(stop.Response.Message))
		}
		if res, err := e.WaitCommandResult(ctx, stop.Ref); err != nil {
			return err
		} else if res.Result != ocpi.CommandResultAccepted {
			return fmt.Errorf("sim emsp: STOP_SESSION %s: the charger answered %s%s", session.ID, res.Result, displayText(res.Message))
		}
	}
	cdr, err := e.WaitCDR(ctx, session.ID)
	if err != nil {
		return err
	}
	// The final Session PUT and the CDR are separate pushes: give the Session a moment.
	wait, cancel = context.WithTimeout(ctx, 5*time.Second)
	_, _ = e.WaitSession(wait, cmd.Ref, ended)
	cancel()
	out.printf("done: CDR %s, %s kWh, total_cost %s %s", cdr.ID, cdr.TotalEnergy.String(), cdr.TotalCost.ExclVat.String(), cdr.Currency)
	return nil
}

// displayText is ": text" of the first message, or "".
func displayText(m []ocpi.DisplayText) string {
	if len(m) == 0 {
		return ""
	}
	return ": " + m[0].Text
}

// linePrinter writes timestamped lines, one at a time.
type linePrinter struct {
	mu sync.Mutex
	w  io.Writer
}

func (p *linePrinter) printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintln(p.w, time.Now().Format("15:04:05.000")+" "+fmt.Sprintf(format, args...))
}
