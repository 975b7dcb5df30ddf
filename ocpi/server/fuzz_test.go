package server

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/chargehub/hub/ocpi"
)

// checkDecodeError fails when a decoder's error would not be answered 400 (or 404) with 2000 or
// 2001: bad input must never become a 500.
func checkDecodeError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	status, code, msg := translate(err)
	if status != http.StatusBadRequest || (code != ocpi.StatusCodeClientError && code != ocpi.StatusCodeInvalidParameters) || msg == "" {
		t.Fatalf("decode error %v is answered %d/%d %q", err, status, code, msg)
	}
}

// remarshal checks that an accepted body can be sent back (e.g. stored and served).
func remarshal(t *testing.T, v any) {
	t.Helper()
	if _, err := json.Marshal(v); err != nil {
		t.Fatalf("accepted a body that cannot be encoded again: %v", err)
	}
}

func FuzzDecodeCredentials(f *testing.F) {
	f.Add([]byte(`{"token":"abc","url":"https://emsp.example.com/versions","roles":[{"role":"EMSP","party_id":"EMP","country_code":"NL","business_details":{"name":"x"}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeCredentials(b)
		checkDecodeError(t, err)
		if err == nil {
			remarshal(t, c)
		}
	})
}

func FuzzDecodeToken(f *testing.F) {
	f.Add([]byte(`{"country_code":"NL","party_id":"EMP","uid":"04AB","type":"RFID","contract_id":"C","issuer":"I","valid":true,"whitelist":"ALWAYS","last_updated":"2025-01-14T08:00:00Z"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tok, err := decodeToken(b)
		checkDecodeError(t, err)
		if err == nil && tok.Validate() == nil {
			remarshal(t, tok)
		}
	})
}

func FuzzDecodeTokenPatch(f *testing.F) {
	f.Add([]byte(`{"valid":false,"last_updated":"2025-01-14T08:00:00Z"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := decodeTokenPatch(b)
		checkDecodeError(t, err)
		if err == nil {
			remarshal(t, p)
		}
	})
}

func FuzzDecodeCommand(f *testing.F) {
	f.Add(uint8(0), []byte(`{"response_url":"https://e/r","session_id":"S1"}`))
	f.Fuzz(func(t *testing.T, which uint8, b []byte) {
		kinds := []ocpi.CommandType{ocpi.CommandTypeStartSession, ocpi.CommandTypeStopSession, ocpi.CommandTypeReserveNow,
			ocpi.CommandTypeCancelReservation, ocpi.CommandTypeUnlockConnector}
		cmd, err := decodeCommand(kinds[int(which)%len(kinds)], b)
		checkDecodeError(t, err)
		if err == nil {
			remarshal(t, cmd)
		}
	})
}

func FuzzDecodeSetChargingProfile(f *testing.F) {
	f.Add([]byte(`{"response_url":"https://e/r","charging_profile":{"charging_rate_unit":"W","charging_profile_period":[{"start_period":0,"limit":11000}]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := decodeSetChargingProfile(b)
		checkDecodeError(t, err)
		if err == nil {
			remarshal(t, p)
		}
	})
}

func FuzzDecodeClientInfo(f *testing.F) {
	f.Add([]byte(`{"party_id":"EMP","country_code":"NL","role":"EMSP","status":"CONNECTED","last_updated":"2025-01-14T08:00:00Z"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ci, err := decodeClientInfo(b)
		checkDecodeError(t, err)
		if err == nil && ci.Validate() == nil {
			remarshal(t, ci)
		}
	})
}

func FuzzDecodeChargingPreferences(f *testing.F) {
	f.Add([]byte(`{"profile_type":"FAST","departure_time":"2025-01-14T18:00:00Z","energy_need":20.5}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := decodeChargingPreferences(b)
		checkDecodeError(t, err)
		if err == nil {
			remarshal(t, p)
		}
	})
}

// FuzzTokenCandidates: any Authorization header yields only printable candidate tokens.
func FuzzTokenCandidates(f *testing.F) {
	f.Add("Token ZXhhbXBsZS10b2tlbgo=")
	f.Fuzz(func(t *testing.T, h string) {
		for _, c := range tokenCandidates(h) {
			if !printableToken(c) || len(c) > 512 {
				t.Fatalf("candidate %q from %q", c, h)
			}
		}
	})
}
