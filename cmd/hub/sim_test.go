package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"
)

func TestRunSimChargersFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--count", "1"}, "--url is required"},
		{[]string{"--url", "ws://127.0.0.1:1/ocpp"}, "--count must be at least 1"},
		{[]string{"--url", "ws://127.0.0.1:1/ocpp", "--count", "0", "--protocol", "mixed"}, "--count must be at least 1"},
		{[]string{"--url", "ws://127.0.0.1:1/ocpp", "--count", "1", "--protocol", "ocpp1.5"}, "want ocpp1.6 or ocpp2.0.1"},
		{[]string{"--url", "ws://127.0.0.1:1/ocpp", "--count", "1", "--connectors", "0"}, "--connectors must be positive"},
		{[]string{"--url", "ws://127.0.0.1:1/ocpp", "--count", "1", "extra"}, "unexpected argument"},
		{[]string{"--bogus"}, "flag provided but not defined"},
	} {
		var out, errOut bytes.Buffer
		err := runSimChargers(context.Background(), tc.args, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want it to mention %q", tc.args, err, tc.want)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: error spans lines: %q", tc.args, err)
		}
	}
}

func TestRunSimChargersNothingConnects(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there any more
	var out, errOut bytes.Buffer
	err = runSimChargers(context.Background(), []string{"--url", "ws://" + addr + "/ocpp", "--count", "2", "--json"}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "no charger could connect") {
		t.Fatalf("error %v, want no charger could connect", err)
	}
	var rep struct {
		Stations   int `json:"stations"`
		DialErrors int `json:"dial_errors"`
	}
	if jerr := json.Unmarshal(out.Bytes(), &rep); jerr != nil || rep.Stations != 2 || rep.DialErrors != 2 {
		t.Errorf("report %s (%v)", out.String(), jerr)
	}
}
