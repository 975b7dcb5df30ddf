// Command crashkit is the crash-safety kit of bench/crash.sh: a fleet of OCPP 1.6 stations that
// reconnect and resend until their sessions complete (`fleet`), a minimal OCPI eMSP that records
// every push it receives (`emsp`), and the checker of the invariants after the run (`check`).
// Traffic stays on the loopback addresses it is given.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: crashkit fleet|emsp|check [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "fleet":
		err = runFleet(os.Args[2:])
	case "emsp":
		err = runEMSP(os.Args[2:])
	case "check":
		err = runCheck(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q (want fleet, emsp or check)", os.Args[1])
	}
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "crashkit: "+err.Error())
		}
		os.Exit(1)
	}
}
