package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // IANA zones without depending on the host's zoneinfo (e.g. distroless images)

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/tariffs"
)

const tariffsPriceUsage = `usage: hub tariffs price --tariff FILE --cdr FILE [--time-zone IANA]

Prices an OCPI 2.2.1 CDR (its charging periods) under an OCPI 2.2.1 tariff and prints the CDR
JSON with every cost field filled (total_cost, total_fixed_cost, total_energy_cost,
total_time_cost, total_parking_cost, total_reservation_cost, total_energy, total_time,
total_parking_time). Tariff restrictions are read in --time-zone, else in the CDR's
cdr_location.time_zone if present, else in UTC.

Problems in fields that pricing does not read (e.g. a tariff without party_id) are reported as
warnings on stderr; problems in fields it reads are errors.

Flags:`

// runTariffsPrice implements `hub tariffs price --tariff FILE --cdr FILE [--time-zone IANA]`: it
// prices the CDR's charging periods under the tariff (package tariffs) and writes the CDR with
// every cost and total field filled to stdout as indented, newline-terminated JSON. Bad flags,
// an unreadable file, invalid JSON or an invalid tariff/CDR give a one-line error naming the
// file and the field, e.g. "tariff.json: elements[0].price_components[0].price: required".
func runTariffsPrice(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("tariffs price", flag.ContinueOnError)
	fset.SetOutput(stderr)
	tariffPath := fset.String("tariff", "", "OCPI Tariff JSON `FILE` (required)")
	cdrPath := fset.String("cdr", "", "OCPI CDR JSON `FILE` whose charging periods are priced (required)")
	zone := fset.String("time-zone", "", "`IANA` time zone of the tariff restrictions (default: the CDR's cdr_location.time_zone, else UTC)")
	fset.Usage = func() {
		fmt.Fprintln(fset.Output(), tariffsPriceUsage)
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("tariffs price: %w", err)
	}
	switch {
	case fset.NArg() > 0:
		return fmt.Errorf("tariffs price: unexpected argument %q", fset.Arg(0))
	case *tariffPath == "":
		return errors.New("tariffs price: --tariff FILE is required")
	case *cdrPath == "":
		return errors.New("tariffs price: --cdr FILE is required")
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("tariffs price: %w", err)
	}

	var tariff ocpi.Tariff
	if err := readJSONFile(*tariffPath, &tariff); err != nil {
		return err
	}
	var cdr ocpi.CDR
	if err := readJSONFile(*cdrPath, &cdr); err != nil {
		return err
	}
	// time_zone is not an OCPI 2.2.1 CdrLocation field; it is read (and written back) here only.
	var ext struct {
		CdrLocation struct {
			TimeZone string `json:"time_zone"`
		} `json:"cdr_location"`
	}
	if err := readJSONFile(*cdrPath, &ext); err != nil {
		return err
	}

	files := map[string]string{"tariff": *tariffPath, "cdr": *cdrPath}
	warnings, err := tariffs.ValidateForPricing(&tariff, &cdr)
	for _, w := range warnings {
		fmt.Fprintf(stderr, "warning: %s (not used for pricing)\n", describe(w, files))
	}
	if err != nil {
		return validationError(err, files)
	}

	loc, err := priceLocation(*zone, ext.CdrLocation.TimeZone, *cdrPath)
	if err != nil {
		return err
	}
	priced, err := tariffs.PriceCDR(tariff, cdr, loc)
	if err != nil {
		return fmt.Errorf("tariffs price: %s with %s: %w", *cdrPath, *tariffPath, err)
	}

	var out any = priced
	if ext.CdrLocation.TimeZone != "" {
		out = pricedCDRWithZone{CDR: priced, CdrLocation: cdrLocationWithZone{priced.CdrLocation, ext.CdrLocation.TimeZone}}
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("tariffs price: encode CDR: %w", err)
	}
	if _, err := stdout.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("tariffs price: write: %w", err)
	}
	return nil
}

// pricedCDRWithZone writes the CDR back with the non-OCPI cdr_location.time_zone it came with, so
// that the output can be priced again with the same result.
type pricedCDRWithZone struct {
	ocpi.CDR
	CdrLocation cdrLocationWithZone `json:"cdr_location"`
}

type cdrLocationWithZone struct {
	ocpi.CdrLocation
	TimeZone string `json:"time_zone,omitempty"`
}

// readJSONFile decodes a JSON file; errors name the file (and the line/column or field).
func readJSONFile(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return fmt.Errorf("%s: cannot read: %w", path, pe.Err)
		}
		return fmt.Errorf("%s: cannot read: %w", path, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			line, col := position(b, syn.Offset-1) // Offset is just after the offending byte
			return fmt.Errorf("%s:%d:%d: invalid JSON: %w", path, line, col, err)
		case errors.As(err, &typ) && typ.Field != "":
			return fmt.Errorf("%s: %s: cannot use a JSON %s here: %w", path, typ.Field, typ.Value, err)
		}
		return fmt.Errorf("%s: invalid JSON: %s", path, oneLineText(err.Error()))
	}
	return nil
}

// position converts a byte offset into a 1-based line and column.
func position(b []byte, offset int64) (line, col int) {
	line, col = 1, 1
	for i := int64(0); i < offset && i < int64(len(b)); i++ {
		if b[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// validationError formats validation problems as "FILE: field: message", joined on one line.
func validationError(err error, files map[string]string) error {
	var ves ocpi.ValidationErrors
	if !errors.As(err, &ves) {
		return fmt.Errorf("tariffs price: %w", err)
	}
	parts := make([]string, len(ves))
	for i, ve := range ves {
		parts[i] = describe(ve, files)
	}
	return &inputError{msg: strings.Join(parts, "; "), err: err}
}

// inputError is the one-line message about invalid input; it unwraps to the validation errors
// (so errors.Is(err, ocpi.ErrInvalid) holds).
type inputError struct {
	msg string
	err error
}

func (e *inputError) Error() string { return e.msg }
func (e *inputError) Unwrap() error { return e.err }

// describe names a validation problem by its file: "tariff.json: elements[0].price: required".
func describe(ve *ocpi.ValidationError, files map[string]string) string {
	root, _, _ := strings.Cut(ve.Path, ".")
	if f, ok := files[root]; ok {
		return f + ": " + ve.Field() + ": " + ve.Msg
	}
	return ve.Error()
}

// priceLocation picks the zone for the restrictions: the flag, else the CDR's
// cdr_location.time_zone, else UTC.
func priceLocation(flagZone, cdrZone, cdrPath string) (*time.Location, error) {
	name, source := flagZone, "--time-zone"
	if name == "" {
		name, source = cdrZone, cdrPath+": cdr_location.time_zone"
	}
	if name == "" {
		return time.UTC, nil
	}
	// "Local" would silently depend on the machine running the command.
	if name == "Local" {
		return nil, fmt.Errorf("%s: unknown time zone %q (want an IANA name such as Asia/Kolkata)", source, name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%s: unknown time zone %q (want an IANA name such as Asia/Kolkata)", source, name)
	}
	return loc, nil
}

func oneLineText(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
