package ocpi

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func fullImage() Image {
	return Image{URL: "https://hub.example.com/img/charger.jpg", Thumbnail: "https://hub.example.com/img/charger_t.jpg",
		Category: ImageCategoryCharger, Type: "jpeg", Width: ptrTo(800), Height: ptrTo(600)}
}

func fullBusinessDetails(name string) BusinessDetails {
	logo := fullImage()
	logo.Category = ImageCategoryOperator
	return BusinessDetails{Name: name, Website: "https://example.com", Logo: &logo}
}

func fullConnector() Connector {
	return Connector{ID: "1", Standard: ConnectorIEC62196T2, Format: ConnectorFormatSocket,
		PowerType: PowerTypeAC3Phase, MaxVoltage: 230, MaxAmperage: 32, MaxElectricPower: ptrTo(22080),
		TariffIDs: []string{"TARIFF-AC-STD"}, TermsAndConditions: "https://hub.example.com/terms",
		LastUpdated: testAt("08:00:00")}
}

func fullEVSE() EVSE {
	return EVSE{UID: "EVSE-0001-1", EvseID: "IN*HUB*E0001*1", Status: StatusAvailable,
		StatusSchedule: []StatusSchedule{{PeriodBegin: testAt("10:00:00"), PeriodEnd: ptrTo(testAt("12:00:00")), Status: StatusInoperative}},
		Capabilities:   []Capability{CapabilityRFIDReader, CapabilityRemoteStartStopCapable},
		Connectors:     []Connector{fullConnector()}, FloorLevel: "-1",
		Coordinates:       &GeoLocation{Latitude: "12.975700", Longitude: "77.606600"},
		PhysicalReference: "P2-01", Directions: []DisplayText{{Language: "en", Text: "Second bay on the left"}},
		ParkingRestrictions: []ParkingRestriction{ParkingRestrictionEVOnly}, Images: []Image{fullImage()},
		LastUpdated: testAt("08:00:00")}
}

func fullHours() Hours {
	return Hours{TwentyFourSeven: false,
		RegularHours:        []RegularHours{{Weekday: 1, PeriodBegin: "08:00", PeriodEnd: "20:00"}, {Weekday: 7, PeriodBegin: "10:00", PeriodEnd: "18:00"}},
		ExceptionalOpenings: []ExceptionalPeriod{{PeriodBegin: testAt("20:00:00"), PeriodEnd: testAt("22:00:00")}},
		ExceptionalClosings: []ExceptionalPeriod{{PeriodBegin: testAt("12:00:00"), PeriodEnd: testAt("13:00:00")}}}
}

func fullEnergyMix() EnergyMix {
	return EnergyMix{IsGreenEnergy: false,
		EnergySources: []EnergySource{{Source: EnergySourceSolar, Percentage: MustDecimal("60")}, {Source: EnergySourceCoal, Percentage: MustDecimal("40")}},
		EnvironImpact: []EnvironmentalImpact{{Category: EnvironmentalImpactCarbonDioxide, Amount: MustDecimal("372.5")}},
		SupplierName:  "Example Energy", EnergyProductName: "Example Mix"}
}

func fullLocation() Location {
	op, sub, owner := fullBusinessDetails("Example Charging"), fullBusinessDetails("Example Sub"), fullBusinessDetails("Mall Owner")
	hours, mix := fullHours(), fullEnergyMix()
	return Location{CountryCode: "IN", PartyID: "HUB", ID: "LOC-0001", Publish: false,
		PublishAllowedTo: []PublishTokenType{{UID: "04A2B3C4", Type: TokenTypeRFID, VisualNumber: "DF000-2001",
			Issuer: "Example eMSP", GroupID: "GROUP-1"}},
		Name: "Example Mall P2", Address: "12 MG Road", City: "Bengaluru", PostalCode: "560001", State: "Karnataka",
		Country: "IND", Coordinates: GeoLocation{Latitude: "12.975600", Longitude: "77.606500"},
		RelatedLocations: []AdditionalGeoLocation{{Latitude: "12.975800", Longitude: "77.606700",
			Name: &DisplayText{Language: "en", Text: "Entrance MG Road"}}},
		ParkingType: ParkingTypeParkingGarage, EVSEs: []EVSE{fullEVSE()},
		Directions: []DisplayText{{Language: "en", Text: "Level P2"}},
		Operator:   &op, Suboperator: &sub, Owner: &owner, Facilities: []Facility{FacilityMall, FacilityWifi},
		TimeZone: "Asia/Kolkata", OpeningTimes: &hours, ChargingWhenClosed: ptrTo(true), Images: []Image{fullImage()},
		EnergyMix: &mix, LastUpdated: testAt("08:00:00")}
}

func fullLocationPatch() LocationPatch {
	l := fullLocation()
	return LocationPatch{Publish: ptrTo(false), PublishAllowedTo: l.PublishAllowedTo, Name: ptrTo("New name"),
		Address: ptrTo("14 MG Road"), City: ptrTo("Bengaluru"), PostalCode: ptrTo("560002"), State: ptrTo("Karnataka"),
		Country: ptrTo("IND"), Coordinates: &l.Coordinates, RelatedLocations: l.RelatedLocations,
		ParkingType: ptrTo(ParkingTypeOnStreet), EVSEs: l.EVSEs, Directions: l.Directions, Operator: l.Operator,
		Suboperator: l.Suboperator, Owner: l.Owner, Facilities: l.Facilities, TimeZone: ptrTo("Asia/Kolkata"),
		OpeningTimes: l.OpeningTimes, ChargingWhenClosed: ptrTo(false), Images: l.Images, EnergyMix: l.EnergyMix,
		LastUpdated: testAt("09:00:00")}
}

func fullEVSEPatch() EVSEPatch {
	e := fullEVSE()
	return EVSEPatch{EvseID: ptrTo("IN*HUB*E0001*2"), Status: ptrTo(StatusCharging), StatusSchedule: e.StatusSchedule,
		Capabilities: e.Capabilities, Connectors: e.Connectors, FloorLevel: ptrTo("0"), Coordinates: e.Coordinates,
		PhysicalReference: ptrTo("P0-01"), Directions: e.Directions, ParkingRestrictions: e.ParkingRestrictions,
		Images: e.Images, LastUpdated: testAt("09:00:00")}
}

func fullConnectorPatch() ConnectorPatch {
	return ConnectorPatch{Standard: ptrTo(ConnectorIEC62196T2Combo), Format: ptrTo(ConnectorFormatCable),
		PowerType: ptrTo(PowerTypeDC), MaxVoltage: ptrTo(920), MaxAmperage: ptrTo(400), MaxElectricPower: ptrTo(150000),
		TariffIDs: []string{"TARIFF-DC"}, TermsAndConditions: ptrTo("https://hub.example.com/terms-dc"),
		LastUpdated: testAt("09:00:00")}
}

func TestLocationDocExampleValidates(t *testing.T) {
	// The minimal Location of ocpi-2.2.1.md 5.1.
	const doc = `{"country_code": "IN", "party_id": "HUB", "id": "LOC-0001", "publish": true,
	  "name": "Example Mall P2", "address": "12 MG Road", "city": "Bengaluru", "postal_code": "560001",
	  "country": "IND", "coordinates": {"latitude": "12.975600", "longitude": "77.606500"},
	  "time_zone": "Asia/Kolkata", "unknown_field": {"ignored": true},
	  "evses": [{"uid": "EVSE-0001-1", "evse_id": "IN*HUB*E0001*1", "status": "AVAILABLE",
	    "capabilities": ["RFID_READER", "REMOTE_START_STOP_CAPABLE"],
	    "connectors": [{"id": "1", "standard": "IEC_62196_T2", "format": "SOCKET", "power_type": "AC_3_PHASE",
	      "max_voltage": 230, "max_amperage": 32, "max_electric_power": 22080,
	      "tariff_ids": ["TARIFF-AC-STD"], "last_updated": "2025-01-14T08:00:00Z"}],
	    "last_updated": "2025-01-14T08:00:00Z"}],
	  "last_updated": "2025-01-14T08:00:00+00:00"}`
	var l Location
	if err := json.Unmarshal([]byte(doc), &l); err != nil {
		t.Fatal(err)
	}
	if err := l.Validate(); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(&l)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"last_updated":"2025-01-14T08:00:00Z"`, `"publish":true`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %s: %s", want, out)
		}
	}
	for _, absent := range []string{"unknown_field", "publish_allowed_to", "opening_times", "null"} {
		if strings.Contains(string(out), absent) {
			t.Errorf("output contains %s: %s", absent, out)
		}
	}
}

func TestLocationOpenEnumsAccepted(t *testing.T) {
	l := fullLocation()
	l.Facilities = append(l.Facilities, "ROOFTOP_BAR")
	l.EVSEs[0].Capabilities = append(l.EVSEs[0].Capabilities, "ISO_15118_2_PLUG_AND_CHARGE_CAPABLE")
	if err := l.Validate(); err != nil {
		t.Fatalf("open enum values must be accepted: %v", err)
	}
	if Facility("ROOFTOP_BAR").IsKnown() || !FacilityWifi.IsKnown() {
		t.Error("IsKnown")
	}
}

func TestHoursRules(t *testing.T) {
	cases := map[string]struct {
		h    Hours
		path string
	}{
		"24/7 with regular hours": {Hours{TwentyFourSeven: true, RegularHours: []RegularHours{{1, "08:00", "09:00"}}}, "hours.regular_hours"},
		"not 24/7 without hours":  {Hours{}, "hours.regular_hours"},
		"end before begin":        {Hours{RegularHours: []RegularHours{{1, "20:00", "08:00"}}}, "hours.regular_hours[0].period_end"},
		"24:00 is not a time":     {Hours{RegularHours: []RegularHours{{1, "08:00", "24:00"}}}, "hours.regular_hours[0].period_end"},
		"closing ends before begin": {Hours{TwentyFourSeven: true, ExceptionalClosings: []ExceptionalPeriod{
			{PeriodBegin: testAt("10:00:00"), PeriodEnd: testAt("09:00:00")}}}, "hours.exceptional_closings[0].period_end"},
	}
	for name, tc := range cases {
		err := tc.h.Validate()
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if es := validationErrors(t, err); es[0].Path != tc.path {
			t.Errorf("%s: got %v, want path %s", name, err, tc.path)
		}
	}
}

func TestPublishTokenTypeRules(t *testing.T) {
	for name, p := range map[string]PublishTokenType{
		"nothing set":              {Type: TokenTypeRFID},
		"visual_number w/o issuer": {VisualNumber: "123"},
		"uid w/o type":             {UID: "123"},
	} {
		l := fullLocation()
		l.PublishAllowedTo = []PublishTokenType{p}
		if err := l.Validate(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	l := fullLocation()
	l.PublishAllowedTo = []PublishTokenType{{GroupID: "G1"}, {VisualNumber: "1", Issuer: "X"}}
	if err := l.Validate(); err != nil {
		t.Error(err)
	}
}

func TestLocationDuplicateIDs(t *testing.T) {
	l := fullLocation()
	e2 := fullEVSE()
	e2.UID = strings.ToLower(e2.UID)
	e2.Connectors = append(e2.Connectors, e2.Connectors[0])
	l.EVSEs = append(l.EVSEs, e2)
	es := validationErrors(t, l.Validate())
	got := map[string]bool{}
	for _, e := range es {
		got[e.Path] = true
	}
	if !got["location.evses[1].uid"] || !got["location.evses[1].connectors[1].id"] {
		t.Errorf("duplicates not reported: %v", es)
	}
}

func TestDateTimeOutOfRangeRejected(t *testing.T) {
	// Valid input text whose UTC year is 10000 cannot be re-encoded; Validate must reject it.
	var c Connector
	doc := `{"id":"1","standard":"IEC_62196_T2","format":"SOCKET","power_type":"DC","max_voltage":400,
	  "max_amperage":100,"last_updated":"9999-12-31T23:30:00-05:00"}`
	if err := json.Unmarshal([]byte(doc), &c); err != nil {
		t.Fatal(err)
	}
	if es := validationErrors(t, c.Validate()); es[0].Path != "connector.last_updated" {
		t.Errorf("got %v", es)
	}
}

func TestLocationApplyPatch(t *testing.T) {
	l := fullLocation()
	var p LocationPatch
	if err := json.Unmarshal([]byte(`{"name": "Interparking Gent Zuid", "facilities": ["CAFE"],
	  "last_updated": "2025-01-14T09:30:00Z"}`), &p); err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	want := fullLocation()
	want.Name, want.Facilities, want.LastUpdated = "Interparking Gent Zuid", []Facility{FacilityCafe}, testAt("09:30:00")
	l.ApplyPatch(&p)
	if !reflect.DeepEqual(l, want) {
		t.Errorf("patched location:\n got %+v\nwant %+v", l, want)
	}

	e := fullEVSE()
	e.ApplyPatch(&EVSEPatch{Status: ptrTo(StatusCharging), LastUpdated: testAt("09:31:00")})
	if e.Status != StatusCharging || e.LastUpdated != testAt("09:31:00") || len(e.Connectors) != 1 || e.EvseID != "IN*HUB*E0001*1" {
		t.Errorf("patched EVSE: %+v", e)
	}
	c := fullConnector()
	c.ApplyPatch(&ConnectorPatch{TariffIDs: []string{"15"}, LastUpdated: testAt("09:32:00")})
	if !reflect.DeepEqual(c.TariffIDs, []string{"15"}) || c.MaxVoltage != 230 || c.LastUpdated != testAt("09:32:00") {
		t.Errorf("patched connector: %+v", c)
	}
	full := fullConnectorPatch()
	c.ApplyPatch(&full)
	if c.PowerType != PowerTypeDC || *c.MaxElectricPower != 150000 || c.TermsAndConditions != "https://hub.example.com/terms-dc" {
		t.Errorf("patched connector: %+v", c)
	}
}
