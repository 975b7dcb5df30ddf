package mapping

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// station16 is a 1.6 station CP-1 with connectors 1 and 2 and the station-wide connector 0.
func station16() StationInput {
	return StationInput{
		Station: charging.Station{ID: "CP-1", Protocol: charging.OCPP16, Online: true,
			CreatedAt: at("07:00:00"), UpdatedAt: at("09:00:00"), LastSeen: ptr(at("09:59:00"))},
		Connectors: []charging.Connector{
			{StationID: "CP-1", Status: charging.StatusAvailable, ErrorCode: "NoError", UpdatedAt: at("09:00:01")},
			{StationID: "CP-1", EVSEID: 1, ConnectorID: 1, Status: charging.StatusCharging, ErrorCode: "NoError",
				StatusAt: at("09:30:00"), UpdatedAt: at("09:30:01")},
			{StationID: "CP-1", EVSEID: 2, ConnectorID: 1, Status: charging.StatusFinishing, ErrorCode: "NoError",
				StatusAt: at("09:40:00"), UpdatedAt: at("09:40:01")},
		},
		ActiveTx: []charging.Transaction{
			{ID: 7, StationID: "CP-1", EVSEID: 1, ConnectorID: 1, Status: charging.TxActive,
				StartedAt: at("09:29:58"), StartReceivedAt: at("09:30:02"), UpdatedAt: at("09:55:00")},
			{ID: 6, StationID: "CP-1", EVSEID: 2, ConnectorID: 1, Status: charging.TxCompleted,
				StartedAt: at("08:00:00"), StartReceivedAt: at("08:00:01"),
				StoppedAt: ptr(at("09:41:00")), StopReceivedAt: ptr(at("09:41:02"))},
		},
		ConnectorDefaults: acSpec(),
	}
}

// station201 is a 2.0.1 DC station with a CCS2+CHAdeMO EVSE and an AC socket EVSE.
func station201() StationInput {
	p := dec("150000")
	return StationInput{
		Station: charging.Station{ID: "DC 7", Protocol: charging.OCPP201, Online: true,
			CreatedAt: at("07:00:00"), UpdatedAt: at("09:10:00")},
		Inventory: []charging.EVSEInventory{
			{EVSEID: 1, MaxPowerW: &p, Connectors: []charging.ConnectorInventory{
				{ConnectorID: 1, ConnectorType: "cCCS2", Status: charging.StatusOccupied},
				{ConnectorID: 2, ConnectorType: "cG105", Status: charging.StatusAvailable}}},
			{EVSEID: 2, Connectors: []charging.ConnectorInventory{
				{ConnectorID: 1, ConnectorType: "sType2", Status: charging.StatusAvailable}}},
		},
		Connectors: []charging.Connector{
			{StationID: "DC 7", EVSEID: 1, ConnectorID: 1, Status: charging.StatusOccupied, UpdatedAt: at("09:20:00")},
		},
		ActiveTx: []charging.Transaction{{ID: 9, StationID: "DC 7", StationTxID: "tx-a", EVSEID: 1, ConnectorID: 1,
			Status: charging.TxActive, ChargingState: "Charging", StartedAt: at("09:19:00"), StartReceivedAt: at("09:19:01")}},
		ConnectorDefaults: ConnectorSpec{PowerType: ocpi.PowerTypeDC, MaxVoltage: 920, MaxAmperage: 400,
			TariffIDs: []string{"T-DC"}},
		EVSESpecs:    map[int]ConnectorSpec{2: {PowerType: ocpi.PowerTypeAC3Phase, MaxVoltage: 230, MaxAmperage: 32, TariffIDs: []string{"T-AC"}}},
		ConfiguredAt: at("08:30:00"),
	}
}

func TestBuildLocation16(t *testing.T) {
	loc, err := BuildLocation(cpo, LocationInput{Template: template(), Stations: []StationInput{station16()}})
	if err != nil {
		t.Fatal(err)
	}
	checkOCPI(t, "Location", &loc)
	if loc.CountryCode != "IN" || loc.PartyID != "HUB" || len(loc.EVSEs) != 2 {
		t.Fatalf("location %s*%s with %d EVSEs", loc.CountryCode, loc.PartyID, len(loc.EVSEs))
	}
	for i, want := range []struct {
		uid, evseID string
		status      ocpi.Status
		updated     time.Time
	}{
		// EVSE 1: Charging with the active transaction; latest input: the status record 09:30:01
		// vs the start received 09:30:02.
		{"CP-1-1", "IN*HUB*ECP1*" + hashID("CP-1", 6) + "*1", ocpi.StatusCharging, at("09:30:02")},
		// EVSE 2: Finishing after its transaction stopped: BLOCKED as of the stop (09:41:02).
		{"CP-1-2", "IN*HUB*ECP1*" + hashID("CP-1", 6) + "*2", ocpi.StatusBlocked, at("09:41:02")},
	} {
		e := loc.EVSEs[i]
		if e.UID != want.uid || e.EvseID != want.evseID || e.Status != want.status || !e.LastUpdated.Equal(want.updated) {
			t.Errorf("EVSE %d = %s %s %s %s, want %s %s %s %s", i, e.UID, e.EvseID, e.Status, e.LastUpdated,
				want.uid, want.evseID, want.status, ocpi.NewDateTime(want.updated))
		}
		if len(e.Connectors) != 1 {
			t.Fatalf("EVSE %d has %d connectors", i, len(e.Connectors))
		}
		c := e.Connectors[0]
		if c.ID != "1" || c.Standard != ocpi.ConnectorIEC62196T2 || c.Format != ocpi.ConnectorFormatSocket ||
			c.PowerType != ocpi.PowerTypeAC3Phase || c.MaxVoltage != 230 || c.MaxAmperage != 32 ||
			c.MaxElectricPower == nil || *c.MaxElectricPower != 22000 || !slices.Equal(c.TariffIDs, []string{"T-AC"}) ||
			!c.LastUpdated.Equal(at("08:00:00")) {
			t.Errorf("EVSE %d connector = %+v", i, c)
		}
		wantCaps := []ocpi.Capability{ocpi.CapabilityRemoteStartStopCapable, ocpi.CapabilityRFIDReader, ocpi.CapabilityUnlockCapable}
		if !slices.Equal(e.Capabilities, wantCaps) {
			t.Errorf("EVSE %d capabilities %v, want %v", i, e.Capabilities, wantCaps)
		}
	}
	if !loc.LastUpdated.Equal(at("09:41:02")) {
		t.Errorf("location last_updated %s, want the latest EVSE's", loc.LastUpdated)
	}
}

func TestBuildLocation201(t *testing.T) {
	loc, err := BuildLocation(cpo, LocationInput{Template: template(), Stations: []StationInput{station201()}})
	if err != nil {
		t.Fatal(err)
	}
	checkOCPI(t, "Location", &loc)
	if len(loc.EVSEs) != 2 {
		t.Fatalf("%d EVSEs", len(loc.EVSEs))
	}
	e1, e2 := loc.EVSEs[0], loc.EVSEs[1]
	if e1.UID != "DC7~"+hashID("DC 7", 8)+"-1" || e1.Status != ocpi.StatusCharging || len(e1.Connectors) != 2 ||
		!e1.LastUpdated.Equal(at("09:20:00")) {
		t.Errorf("EVSE 1 = %s %s, %d connectors, %s", e1.UID, e1.Status, len(e1.Connectors), e1.LastUpdated)
	}
	ccs, chademo := e1.Connectors[0], e1.Connectors[1]
	if ccs.Standard != ocpi.ConnectorIEC62196T2Combo || ccs.Format != ocpi.ConnectorFormatCable ||
		ccs.PowerType != ocpi.PowerTypeDC || ccs.MaxVoltage != 920 || *ccs.MaxElectricPower != 150000 {
		t.Errorf("CCS connector %+v", ccs)
	}
	if chademo.Standard != ocpi.ConnectorCHAdeMO || chademo.ID != "2" || !slices.Equal(chademo.TariffIDs, []string{"T-DC"}) {
		t.Errorf("CHAdeMO connector %+v", chademo)
	}
	wantCaps := []ocpi.Capability{ocpi.CapabilityRemoteStartStopCapable, ocpi.CapabilityRFIDReader,
		ocpi.CapabilityStartSessionConnectorRequired}
	if !slices.Equal(e1.Capabilities, wantCaps) {
		t.Errorf("EVSE 1 capabilities %v, want %v", e1.Capabilities, wantCaps)
	}
	ac := e2.Connectors[0]
	if e2.Status != ocpi.StatusAvailable || ac.Standard != ocpi.ConnectorIEC62196T2 || ac.Format != ocpi.ConnectorFormatSocket ||
		ac.PowerType != ocpi.PowerTypeAC3Phase || ac.MaxVoltage != 230 || ac.MaxAmperage != 32 || ac.MaxElectricPower != nil ||
		!slices.Equal(ac.TariffIDs, []string{"T-AC"}) || !slices.Contains(e2.Capabilities, ocpi.CapabilityUnlockCapable) {
		t.Errorf("EVSE 2 %s, connector %+v, capabilities %v", e2.Status, ac, e2.Capabilities)
	}
	// Connectors change only with the configuration: the template (08:00) or ConfiguredAt (08:30).
	if !ac.LastUpdated.Equal(at("08:30:00")) {
		t.Errorf("connector last_updated %s", ac.LastUpdated)
	}
}

func TestBuildLocationStationWide(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*StationInput)
		want   []ocpi.Status
	}{
		{"connector 0 faulted", func(s *StationInput) { s.Connectors[0].Status = charging.StatusFaulted },
			[]ocpi.Status{ocpi.StatusOutOfOrder, ocpi.StatusOutOfOrder}},
		{"connector 0 unavailable", func(s *StationInput) { s.Connectors[0].Status = charging.StatusUnavailable },
			[]ocpi.Status{ocpi.StatusInoperative, ocpi.StatusInoperative}},
		{"offline", func(s *StationInput) { s.Station.Online = false },
			[]ocpi.Status{ocpi.StatusUnknown, ocpi.StatusUnknown}},
		{"no status reported for EVSE 2", func(s *StationInput) {
			s.Connectors = s.Connectors[:2]
			s.Inventory = []charging.EVSEInventory{{EVSEID: 2, Connectors: []charging.ConnectorInventory{{ConnectorID: 1}}}}
		},
			[]ocpi.Status{ocpi.StatusCharging, ocpi.StatusUnknown}},
		{"transaction gone", func(s *StationInput) { s.ActiveTx = nil },
			[]ocpi.Status{ocpi.StatusCharging, ocpi.StatusBlocked}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := station16()
			tc.mutate(&st)
			loc, err := BuildLocation(cpo, LocationInput{Template: template(), Stations: []StationInput{st}})
			if err != nil {
				t.Fatal(err)
			}
			checkOCPI(t, "Location", &loc)
			var got []ocpi.Status
			for _, e := range loc.EVSEs {
				got = append(got, e.Status)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("statuses %v, want %v", got, tc.want)
			}
		})
	}
	// Going offline moves last_updated to the last contact.
	st := station16()
	st.Station.Online, st.Station.LastSeen = false, ptr(at("10:05:00"))
	loc, err := BuildLocation(cpo, LocationInput{Template: template(), Stations: []StationInput{st}})
	if err != nil {
		t.Fatal(err)
	}
	if !loc.EVSEs[0].LastUpdated.Equal(at("10:05:00")) || !loc.LastUpdated.Equal(at("10:05:00")) {
		t.Fatalf("offline EVSE last_updated %s, location %s", loc.EVSEs[0].LastUpdated, loc.LastUpdated)
	}
}

func TestBuildLocationTwoStationsAndConfiguredCapabilities(t *testing.T) {
	a, b := station16(), station201()
	a.Capabilities = []ocpi.Capability{ocpi.CapabilityRFIDReader}
	loc, err := BuildLocation(cpo, LocationInput{Template: template(), Stations: []StationInput{a, b}})
	if err != nil {
		t.Fatal(err)
	}
	checkOCPI(t, "Location", &loc)
	if len(loc.EVSEs) != 4 || !slices.Equal(loc.EVSEs[0].Capabilities, []ocpi.Capability{ocpi.CapabilityRFIDReader}) {
		t.Fatalf("%d EVSEs, first capabilities %v", len(loc.EVSEs), loc.EVSEs[0].Capabilities)
	}
}

func TestBuildLocationErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*LocationInput)
		input  bool // an ErrInput (else an ocpi validation error)
	}{
		{"no voltage", func(in *LocationInput) { in.Stations[0].ConnectorDefaults.MaxVoltage = 0 }, true},
		{"no standard", func(in *LocationInput) { in.Stations[0].ConnectorDefaults.Standard = "" }, true},
		{"unmapped type without default", func(in *LocationInput) {
			in.Stations[0].Inventory = []charging.EVSEInventory{{EVSEID: 1, Connectors: []charging.ConnectorInventory{
				{ConnectorID: 1, ConnectorType: "wInductive"}}}}
			in.Stations[0].ConnectorDefaults.Format = ""
		}, true},
		{"other party's template", func(in *LocationInput) { in.Template.PartyID = "ABC" }, true},
		{"template without time zone", func(in *LocationInput) { in.Template.TimeZone = "" }, false},
		{"coordinates", func(in *LocationInput) { in.Template.Coordinates.Latitude = "12.97" }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := LocationInput{Template: template(), Stations: []StationInput{station16()}}
			tc.mutate(&in)
			_, err := BuildLocation(cpo, in)
			switch {
			case err == nil:
				t.Fatal("no error")
			case tc.input != isInputErr(err) || tc.input == errors.Is(err, ocpi.ErrInvalid):
				t.Fatalf("error %v: ErrInput %v, ocpi.ErrInvalid %v", err, isInputErr(err), errors.Is(err, ocpi.ErrInvalid))
			}
		})
	}
}

func TestConnectorFromDeviceModel(t *testing.T) {
	acDefault := ConnectorSpec{Standard: ocpi.ConnectorIEC62196T2, Format: ocpi.ConnectorFormatSocket, PowerType: ocpi.PowerTypeAC1Phase}
	dcDefault := ConnectorSpec{Standard: ocpi.ConnectorIEC62196T2Combo, Format: ocpi.ConnectorFormatCable, PowerType: ocpi.PowerTypeDC}
	for _, tc := range []struct {
		typ    string
		spec   ConnectorSpec
		std    ocpi.ConnectorType
		format ocpi.ConnectorFormat
		power  ocpi.PowerType
		mapped bool
	}{
		{"cType2", dcDefault, ocpi.ConnectorIEC62196T2, ocpi.ConnectorFormatCable, ocpi.PowerTypeAC3Phase, true},
		{"cType2", acDefault, ocpi.ConnectorIEC62196T2, ocpi.ConnectorFormatCable, ocpi.PowerTypeAC1Phase, true},
		{"sType2", dcDefault, ocpi.ConnectorIEC62196T2, ocpi.ConnectorFormatSocket, ocpi.PowerTypeAC3Phase, true},
		{"stype2", acDefault, ocpi.ConnectorIEC62196T2, ocpi.ConnectorFormatSocket, ocpi.PowerTypeAC1Phase, true},
		{"cCCS1", acDefault, ocpi.ConnectorIEC62196T1Combo, ocpi.ConnectorFormatCable, ocpi.PowerTypeDC, true},
		{"cCCS2", acDefault, ocpi.ConnectorIEC62196T2Combo, ocpi.ConnectorFormatCable, ocpi.PowerTypeDC, true},
		{"cG105", acDefault, ocpi.ConnectorCHAdeMO, ocpi.ConnectorFormatCable, ocpi.PowerTypeDC, true},
		{"cType1", dcDefault, ocpi.ConnectorIEC62196T1, ocpi.ConnectorFormatCable, ocpi.PowerTypeAC1Phase, true},
		{"cTesla", dcDefault, ocpi.ConnectorTeslaS, ocpi.ConnectorFormatCable, ocpi.PowerTypeDC, true},
		{"sType3", acDefault, ocpi.ConnectorIEC62196T3C, ocpi.ConnectorFormatSocket, ocpi.PowerTypeAC1Phase, true},
		{"s309-1P-16A", dcDefault, ocpi.ConnectorIEC60309Single16, ocpi.ConnectorFormatSocket, ocpi.PowerTypeAC1Phase, true},
		{"s309-3P-16A", acDefault, ocpi.ConnectorIEC60309Three16, ocpi.ConnectorFormatSocket, ocpi.PowerTypeAC3Phase, true},
		{"s309-3P-32A", acDefault, ocpi.ConnectorIEC60309Three32, ocpi.ConnectorFormatSocket, ocpi.PowerTypeAC3Phase, true},
		{"sBS1361", acDefault, ocpi.ConnectorDomesticG, ocpi.ConnectorFormatSocket, ocpi.PowerTypeAC1Phase, true},
		{"sCEE-7-7", acDefault, ocpi.ConnectorDomesticF, ocpi.ConnectorFormatSocket, ocpi.PowerTypeAC1Phase, true},
		{"Pan", acDefault, ocpi.ConnectorPantographTopDown, ocpi.ConnectorFormatCable, ocpi.PowerTypeDC, true},
		{"s309-1P-32A", acDefault, ocpi.ConnectorIEC62196T2, ocpi.ConnectorFormatSocket, ocpi.PowerTypeAC1Phase, false},
		{"Other3Ph", dcDefault, ocpi.ConnectorIEC62196T2Combo, ocpi.ConnectorFormatCable, ocpi.PowerTypeDC, false},
		{"", acDefault, ocpi.ConnectorIEC62196T2, ocpi.ConnectorFormatSocket, ocpi.PowerTypeAC1Phase, false},
	} {
		std, format, power, mapped := ConnectorFromDeviceModel(tc.typ, tc.spec)
		if std != tc.std || format != tc.format || power != tc.power || mapped != tc.mapped {
			t.Errorf("ConnectorFromDeviceModel(%q, %s) = %s %s %s %v, want %s %s %s %v", tc.typ, tc.spec.PowerType,
				std, format, power, mapped, tc.std, tc.format, tc.power, tc.mapped)
		}
	}
}
