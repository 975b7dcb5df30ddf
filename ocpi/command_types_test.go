package ocpi

import (
	"encoding/json"
	"strings"
	"testing"
)

func fullStartSession() StartSession {
	return StartSession{ResponseURL: "https://emsp.example.com/ocpi/2.2.1/commands/START_SESSION/8f1c",
		Token: fullToken(), LocationID: "LOC-0001", EvseUID: "EVSE-0001-1", ConnectorID: "1",
		AuthorizationReference: "AR-5521"}
}

func fullStopSession() StopSession {
	return StopSession{ResponseURL: "https://emsp.example.com/ocpi/2.2.1/commands/STOP_SESSION/8f1d", SessionID: "SES-0001"}
}

func fullReserveNow() ReserveNow {
	return ReserveNow{ResponseURL: "https://emsp.example.com/ocpi/2.2.1/commands/RESERVE_NOW/8f1e",
		Token: fullToken(), ExpiryDate: testAt("11:00:00"), ReservationID: "RES-1", LocationID: "LOC-0001",
		EvseUID: "EVSE-0001-1", AuthorizationReference: "AR-5523"}
}

func fullCancelReservation() CancelReservation {
	return CancelReservation{ResponseURL: "https://emsp.example.com/ocpi/2.2.1/commands/CANCEL_RESERVATION/8f1f",
		ReservationID: "RES-1"}
}

func fullUnlockConnector() UnlockConnector {
	return UnlockConnector{ResponseURL: "https://emsp.example.com/ocpi/2.2.1/commands/UNLOCK_CONNECTOR/8f20",
		LocationID: "LOC-0001", EvseUID: "EVSE-0001-1", ConnectorID: "1"}
}

func fullCommandResponse() CommandResponse {
	return CommandResponse{Result: CommandResponseAccepted, Timeout: 90,
		Message: []DisplayText{{Language: "en", Text: "Forwarded to the charger"}}}
}

func fullCommandResult() CommandResult {
	return CommandResult{Result: CommandResultEVSEOccupied, Message: []DisplayText{{Language: "en", Text: "EVSE in use"}}}
}

func TestDecodeCommand(t *testing.T) {
	// The START_SESSION request of ocpi-2.2.1.md 5.6.
	body := `{"response_url": "https://emsp.example.com/ocpi/2.2.1/commands/START_SESSION/8f1c",
	 "token": {"country_code": "DE", "party_id": "EMP", "uid": "APP-7781", "type": "APP_USER",
	           "contract_id": "DE-EMP-C12345678-X", "issuer": "Example eMSP", "valid": true,
	           "whitelist": "NEVER", "last_updated": "2025-01-14T08:59:00Z"},
	 "location_id": "LOC-0001", "evse_uid": "EVSE-0001-1", "authorization_reference": "AR-5521"}`
	req, err := DecodeCommand(CommandTypeStartSession, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := req.Validate(); err != nil {
		t.Fatal(err)
	}
	s, ok := req.(*StartSession)
	if !ok || s.Token.UID != "APP-7781" || req.Command() != CommandTypeStartSession ||
		CommandResponseURL(req) != "https://emsp.example.com/ocpi/2.2.1/commands/START_SESSION/8f1c" {
		t.Fatalf("decoded %#v", req)
	}
	if _, err := DecodeCommand("REBOOT", []byte(body)); err == nil {
		t.Error("unknown command accepted")
	}
	if _, err := DecodeCommand(CommandTypeStopSession, []byte(`{"session_id": 5}`)); err == nil {
		t.Error("bad JSON accepted")
	}
	for _, c := range []CommandType{CommandTypeStartSession, CommandTypeStopSession, CommandTypeReserveNow,
		CommandTypeCancelReservation, CommandTypeUnlockConnector} {
		req, err := NewCommandRequest(c)
		if err != nil || req.Command() != c {
			t.Errorf("%s: %v %v", c, req, err)
		}
		if err := req.Validate(); err == nil || !strings.Contains(err.Error(), "response_url: required") {
			t.Errorf("%s: empty body: %v", c, err)
		}
	}
}

func TestCommandResponseEnvelope(t *testing.T) {
	r := NewResponse(CommandResponse{Result: CommandResponseAccepted, Timeout: 90})
	r.Timestamp = testAt("09:00:01")
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"data":{"result":"ACCEPTED","timeout":90},"status_code":1000,"timestamp":"2025-01-14T09:00:01Z"}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}
