package ocpi

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func fullCdrToken() CdrToken {
	return CdrToken{CountryCode: "DE", PartyID: "EMP", UID: "04A2B3C4D5E6F7", Type: TokenTypeRFID,
		ContractID: "DE-EMP-C12345678-X"}
}

func fullSession() Session {
	return Session{CountryCode: "IN", PartyID: "HUB", ID: "SES-0001", StartDateTime: testAt("09:00:00"),
		EndDateTime: ptrTo(testAt("10:00:00")), KWh: MustDecimal("11.5"), CdrToken: fullCdrToken(),
		AuthMethod: AuthMethodWhitelist, AuthorizationReference: "AR-5521", LocationID: "LOC-0001",
		EvseUID: "EVSE-0001-1", ConnectorID: "1", MeterID: "METER-42", Currency: "INR",
		ChargingPeriods: []ChargingPeriod{{StartDateTime: testAt("09:00:00"), TariffID: "TARIFF-AC-STD",
			Dimensions: []CdrDimension{{Type: CdrDimensionEnergy, Volume: MustDecimal("11.5")},
				{Type: CdrDimensionPower, Volume: MustDecimal("11")}}}},
		TotalCost: &Price{ExclVat: MustDecimal("4.03"), InclVat: MustDecimal("4.80").Ptr()},
		Status:    SessionStatusCompleted, LastUpdated: testAt("10:00:00")}
}

func fullSessionPatch() SessionPatch {
	s := fullSession()
	return SessionPatch{StartDateTime: ptrTo(testAt("09:00:00")), EndDateTime: ptrTo(testAt("10:05:00")),
		KWh: MustDecimal("12.25").Ptr(), CdrToken: &s.CdrToken, AuthMethod: ptrTo(AuthMethodCommand),
		AuthorizationReference: ptrTo("AR-5522"), LocationID: ptrTo("LOC-0001"), EvseUID: ptrTo("EVSE-0001-1"),
		ConnectorID: ptrTo("1"), MeterID: ptrTo("METER-42"), Currency: ptrTo("INR"),
		ChargingPeriods: []ChargingPeriod{{StartDateTime: testAt("10:00:00"), TariffID: "TARIFF-AC-STD",
			Dimensions: []CdrDimension{{Type: CdrDimensionParkingTime, Volume: MustDecimal("0.0833")}}}},
		TotalCost: &Price{ExclVat: MustDecimal("4.20"), InclVat: MustDecimal("5.00").Ptr()},
		Status:    ptrTo(SessionStatusCompleted), LastUpdated: testAt("10:05:00")}
}

func fullChargingPreferences() ChargingPreferences {
	return ChargingPreferences{ProfileType: ProfileTypeGreen, DepartureTime: ptrTo(testAt("17:00:00")),
		EnergyNeed: MustDecimal("30.5").Ptr(), DischargeAllowed: ptrTo(true)}
}

func TestSessionStatusReservedAlias(t *testing.T) {
	var s SessionStatus
	if err := json.Unmarshal([]byte(`"RESERVED"`), &s); err != nil || s != SessionStatusReservation {
		t.Fatalf("got %q, %v", s, err)
	}
	if err := json.Unmarshal([]byte(`"ACTIVE"`), &s); err != nil || s != SessionStatusActive {
		t.Fatalf("got %q, %v", s, err)
	}
	out, _ := json.Marshal(SessionStatusReservation)
	if string(out) != `"RESERVATION"` {
		t.Fatal(string(out))
	}
	var p SessionPatch
	if err := json.Unmarshal([]byte(`{"status":"RESERVED","last_updated":"2025-01-14T09:00:00Z"}`), &p); err != nil ||
		*p.Status != SessionStatusReservation {
		t.Fatalf("patch status %v, %v", p.Status, err)
	}
}

func TestSessionPatchAppendsPeriods(t *testing.T) {
	s := fullSession()
	orig := s.ChargingPeriods
	var p SessionPatch
	// The PATCH of ocpi-2.2.1.md 5.2.
	doc := `{"kwh": 11.5, "charging_periods": [{"start_date_time": "2025-01-14T09:15:00Z",
	 "dimensions": [{"type": "ENERGY", "volume": 3.2}, {"type": "TIME", "volume": 0.25}]}],
	 "total_cost": {"excl_vat": 4.03, "incl_vat": 4.80}, "last_updated": "2025-01-14T09:30:00Z"}`
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	s.ApplyPatch(&p)
	if len(s.ChargingPeriods) != 2 || s.ChargingPeriods[1].StartDateTime != testAt("09:15:00") {
		t.Fatalf("periods not appended: %+v", s.ChargingPeriods)
	}
	if len(orig) != 1 {
		t.Fatal("ApplyPatch modified the original periods slice")
	}
	if s.LastUpdated != testAt("09:30:00") || s.Status != SessionStatusCompleted || s.TotalCost.ExclVat.String() != "4.03" {
		t.Errorf("patched session: %+v", s)
	}
	// An empty list leaves the periods untouched.
	s.ApplyPatch(&SessionPatch{ChargingPeriods: []ChargingPeriod{}, LastUpdated: testAt("09:45:00")})
	if len(s.ChargingPeriods) != 2 {
		t.Errorf("empty PATCH list changed periods")
	}
	full := fullSessionPatch()
	s.ApplyPatch(&full)
	if *s.EndDateTime != testAt("10:05:00") || s.AuthMethod != AuthMethodCommand || len(s.ChargingPeriods) != 3 {
		t.Errorf("patched session: %+v", s)
	}
}

func TestSessionAllowsNAAndSessionOnlyDimensions(t *testing.T) {
	s := fullSession()
	s.EvseUID, s.ConnectorID, s.Status = "#NA", "#NA", SessionStatusReservation
	s.ChargingPeriods[0].Dimensions = append(s.ChargingPeriods[0].Dimensions,
		CdrDimension{Type: CdrDimensionStateOfCharge, Volume: MustDecimal("80")})
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	s.EndDateTime = ptrTo(testAt("08:00:00"))
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "session.end_date_time") {
		t.Fatalf("end before start: %v", err)
	}
}

func TestSessionRoundTrip(t *testing.T) {
	s := fullSession()
	b, err := json.Marshal(&s)
	if err != nil {
		t.Fatal(err)
	}
	var back Session
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(normalized(s), normalized(back)) {
		t.Errorf("round trip changed the session:\n%+v\n%+v", s, back)
	}
	if !strings.Contains(string(b), `"kwh":11.5`) || !strings.Contains(string(b), `"incl_vat":4.8`) {
		t.Errorf("numbers not plain JSON numbers: %s", b)
	}
}
