package ocpi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sharedTestdataDir is shared/testdata, read in place: CI has ../shared beside the checkout, so
// from this package's directory it is ../../shared.
const sharedTestdataDir = "../../shared/testdata"

// sharedTestdata returns shared/testdata/sub. When it is absent the test is skipped, except under
// CI (env CI non-empty), where it fails.
func sharedTestdata(t testing.TB, sub string) string {
	t.Helper()
	dir := filepath.Join(sharedTestdataDir, sub)
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("shared test data %s is missing under CI: %v", dir, err)
		}
		t.Skipf("shared test data %s not found (expected ../shared beside the checkout): skipping", dir)
	}
	return dir
}

// ocpiSchema is shared/testdata/ocpi-schema/ocpi-2.2.1.schema.json, compiled with format
// assertions (date-time checked as OCPI DateTime, uri as absolute URI) and made strict: every
// object definition gets additionalProperties false, so emitting a field that is not in the
// OCPI 2.2.1 object is an error too.
type ocpiSchema struct {
	defs map[string]any

	mu       sync.Mutex
	compiler *jsonschema.Compiler
	compiled map[string]*jsonschema.Schema
}

const schemaID = "urn:ocpi:2.2.1:bundle"

var (
	schemaOnce sync.Once
	schemaVal  *ocpiSchema
	schemaErr  error
)

func loadSchema(t testing.TB) *ocpiSchema {
	t.Helper()
	dir := sharedTestdata(t, "ocpi-schema")
	schemaOnce.Do(func() { schemaVal, schemaErr = newOCPISchema(filepath.Join(dir, "ocpi-2.2.1.schema.json")) })
	if schemaErr != nil {
		t.Fatalf("load schema: %v", schemaErr)
	}
	return schemaVal
}

// ocpiDateTimeRE is the OCPI DateTime: RFC 3339 in UTC with an optional Z and no offset.
var ocpiDateTimeRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z?$`)

func checkOCPIDateTime(v any) error {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	if len(s) > 25 || !ocpiDateTimeRE.MatchString(s) {
		return fmt.Errorf("%q is not an OCPI DateTime (string(25), UTC, no offset)", s)
	}
	if _, err := time.Parse("2006-01-02T15:04:05", strings.TrimSuffix(s, "Z")); err != nil {
		return fmt.Errorf("%q is not a valid date and time", s)
	}
	return nil
}

func newOCPISchema(file string) (*ocpiSchema, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	root, _ := doc.(map[string]any)
	defs, _ := root["$defs"].(map[string]any)
	if id, _ := root["$id"].(string); id != schemaID || len(defs) == 0 {
		return nil, fmt.Errorf("unexpected schema layout: $id %q, %d $defs", id, len(defs))
	}
	for _, d := range defs {
		if m, ok := d.(map[string]any); ok && m["type"] == "object" && m["properties"] != nil {
			m["additionalProperties"] = false
		}
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	c.RegisterFormat(&jsonschema.Format{Name: "date-time", Validate: checkOCPIDateTime})
	if err := c.AddResource(schemaID, doc); err != nil {
		return nil, err
	}
	return &ocpiSchema{defs: defs, compiler: c, compiled: map[string]*jsonschema.Schema{}}, nil
}

// validate checks a JSON document against the definition def.
func (s *ocpiSchema) validate(def string, doc []byte) error {
	s.mu.Lock()
	sch, ok := s.compiled[def]
	if !ok {
		if _, found := s.defs[def]; !found {
			s.mu.Unlock()
			return fmt.Errorf("schema has no definition %q", def)
		}
		var err error
		if sch, err = s.compiler.Compile(schemaID + "#/$defs/" + def); err != nil {
			s.mu.Unlock()
			return fmt.Errorf("compile %s: %w", def, err)
		}
		s.compiled[def] = sch
	}
	s.mu.Unlock()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

// missing lists the properties of def (recursively, through $ref, objects and arrays) that are
// absent from doc, and the arrays that are empty.
func (s *ocpiSchema) missing(def string, doc []byte) []string {
	var inst any
	if err := json.Unmarshal(doc, &inst); err != nil {
		return []string{"<invalid JSON: " + err.Error() + ">"}
	}
	var out []string
	s.walkMissing(map[string]any{"$ref": "#/$defs/" + def}, inst, def, &out)
	sort.Strings(out)
	return out
}

func (s *ocpiSchema) walkMissing(node map[string]any, inst any, path string, out *[]string) {
	if ref, ok := node["$ref"].(string); ok {
		node, _ = s.defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
	}
	switch x := inst.(type) {
	case map[string]any:
		props, _ := node["properties"].(map[string]any)
		for name, sub := range props {
			val, ok := x[name]
			if !ok {
				*out = append(*out, path+"."+name)
				continue
			}
			subNode, _ := sub.(map[string]any)
			s.walkMissing(subNode, val, path+"."+name, out)
		}
	case []any:
		if len(x) == 0 {
			*out = append(*out, path+"[] (empty)")
		}
		items, _ := node["items"].(map[string]any)
		for i, el := range x {
			if items != nil {
				s.walkMissing(items, el, fmt.Sprintf("%s[%d]", path, i), out)
			}
		}
	}
}

// enumValues returns the values of an enum definition and whether it is closed ("enum") rather
// than open ("x-ocpi-open-enum").
func (s *ocpiSchema) enumValues(def string) (values []string, closed bool) {
	d, _ := s.defs[def].(map[string]any)
	list, closed := d["enum"].([]any)
	if !closed {
		list, _ = d["x-ocpi-open-enum"].([]any)
	}
	for _, v := range list {
		values = append(values, fmt.Sprint(v))
	}
	sort.Strings(values)
	return values, closed
}

// ---- helpers shared by the tests of this package ----

func ptrTo[T any](v T) *T { return &v }

// testAt returns a DateTime on 2025-01-14 at the given UTC time of day "15:04:05".
func testAt(clock string) DateTime {
	t, err := time.Parse("2006-01-02 15:04:05", "2025-01-14 "+clock)
	if err != nil {
		panic(err)
	}
	return NewDateTime(t)
}

type validatable interface{ Validate() error }

// validationErrors returns the single problems of a Validate error.
func validationErrors(t testing.TB, err error) ValidationErrors {
	t.Helper()
	var es ValidationErrors
	if !errors.As(err, &es) {
		t.Fatalf("error %v (%T) is not ValidationErrors", err, err)
	}
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("errors.Is(%v, ErrInvalid) is false", err)
	}
	return es
}

// ---- tests ----

// fullValues has one fully populated value (every optional field set) of each top-level type,
// keyed by its schema definition.
func fullValues() map[string]validatable {
	loc := fullLocation()
	evse := fullEVSE()
	conn := fullConnector()
	hours := fullHours()
	return map[string]validatable{
		"Location": &loc, "EVSE": &evse, "Connector": &conn, "Hours": &hours,
		"LocationPatch": ptrTo(fullLocationPatch()), "EVSEPatch": ptrTo(fullEVSEPatch()),
		"ConnectorPatch": ptrTo(fullConnectorPatch()),
		"Session":        ptrTo(fullSession()), "SessionPatch": ptrTo(fullSessionPatch()),
		"ChargingPreferences": ptrTo(fullChargingPreferences()),
		"Token":               ptrTo(fullToken()), "TokenPatch": ptrTo(fullTokenPatch()),
		"AuthorizationInfo": ptrTo(fullAuthorizationInfo()), "LocationReferences": ptrTo(fullLocationReferences()),
		"StartSession": ptrTo(fullStartSession()), "StopSession": ptrTo(fullStopSession()),
		"ReserveNow": ptrTo(fullReserveNow()), "CancelReservation": ptrTo(fullCancelReservation()),
		"UnlockConnector": ptrTo(fullUnlockConnector()), "CommandResponse": ptrTo(fullCommandResponse()),
		"CommandResult":   ptrTo(fullCommandResult()),
		"ChargingProfile": ptrTo(fullChargingProfile()), "SetChargingProfile": ptrTo(fullSetChargingProfile()),
		"ActiveChargingProfile":       ptrTo(fullActiveChargingProfile()),
		"ActiveChargingProfileResult": ptrTo(fullActiveChargingProfileResult()),
		"ChargingProfileResult":       &ChargingProfileResult{Result: ChargingProfileResultRejected},
		"ClearProfileResult":          &ClearProfileResult{Result: ChargingProfileResultUnknown},
		"ChargingProfileResponse":     &ChargingProfileResponse{Result: ChargingProfileResponseTooOften, Timeout: 30},
		"Credentials":                 ptrTo(fullCredentials()), "Version": ptrTo(fullVersion()),
		"VersionDetails": ptrTo(fullVersionDetails()), "ClientInfo": ptrTo(fullClientInfo()),
	}
}

func TestSchemaFullyPopulatedValues(t *testing.T) {
	s := loadSchema(t)
	for def, val := range fullValues() {
		t.Run(def, func(t *testing.T) {
			if err := val.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			doc, err := json.Marshal(val)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.validate(def, doc); err != nil {
				t.Fatalf("schema %s: %v\n%s", def, err, doc)
			}
			if m := s.missing(def, doc); len(m) > 0 {
				t.Errorf("not fully populated, missing: %s", strings.Join(m, ", "))
			}
		})
	}
}

func TestSchemaEnvelopeAndStringData(t *testing.T) {
	s := loadSchema(t)
	tok := fullToken()
	for name, v := range map[string]any{
		"object":      Response[Token]{Data: tok, StatusCode: StatusCodeSuccess, StatusMessage: "Success", Timestamp: testAt("09:00:00")},
		"empty list":  NewListResponse[Token](nil),
		"no data":     NewStatusResponse(StatusCodeInvalidParameters, "last_updated missing"),
		"string data": NewResponse(ChargingPreferencesAccepted),
	} {
		doc, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.validate("OCPIResponse", doc); err != nil {
			t.Errorf("%s: %v\n%s", name, err, doc)
		}
	}
	if err := s.validate("ChargingPreferencesResponse", []byte(`"PROFILE_TYPE_NOT_SUPPORTED"`)); err != nil {
		t.Error(err)
	}
}

// TestSchemaEnums checks every enum of this package's files against the schema: same values, and
// IsValid for closed enums ("enum") or IsKnown for open ones ("x-ocpi-open-enum").
func TestSchemaEnums(t *testing.T) {
	s := loadSchema(t)
	type known interface{ IsKnown() bool }
	type valid interface{ IsValid() bool }
	enums := map[string][]any{
		"Status": {StatusAvailable, StatusBlocked, StatusCharging, StatusInoperative, StatusOutOfOrder,
			StatusPlanned, StatusRemoved, StatusReserved, StatusUnknown},
		"Capability": {CapabilityChargingProfileCapable, CapabilityChargingPreferencesCapable,
			CapabilityChipCardSupport, CapabilityContactlessCardSupport, CapabilityCreditCardPayable,
			CapabilityDebitCardPayable, CapabilityPEDTerminal, CapabilityRemoteStartStopCapable,
			CapabilityReservable, CapabilityRFIDReader, CapabilityStartSessionConnectorRequired,
			CapabilityTokenGroupCapable, CapabilityUnlockCapable},
		"ParkingType": {ParkingTypeAlongMotorway, ParkingTypeParkingGarage, ParkingTypeParkingLot,
			ParkingTypeOnDriveway, ParkingTypeOnStreet, ParkingTypeUndergroundGarage},
		"ParkingRestriction": {ParkingRestrictionEVOnly, ParkingRestrictionPlugged, ParkingRestrictionDisabled,
			ParkingRestrictionCustomers, ParkingRestrictionMotorcycles},
		"Facility": {FacilityHotel, FacilityRestaurant, FacilityCafe, FacilityMall, FacilitySupermarket,
			FacilitySport, FacilityRecreationArea, FacilityNature, FacilityMuseum, FacilityBikeSharing,
			FacilityBusStop, FacilityTaxiStand, FacilityTramStop, FacilityMetroStation, FacilityTrainStation,
			FacilityAirport, FacilityParkingLot, FacilityCarpoolParking, FacilityFuelStation, FacilityWifi},
		"ImageCategory": {ImageCategoryCharger, ImageCategoryEntrance, ImageCategoryLocation,
			ImageCategoryNetwork, ImageCategoryOperator, ImageCategoryOther, ImageCategoryOwner},
		"SessionStatus": {SessionStatusActive, SessionStatusCompleted, SessionStatusInvalid,
			SessionStatusPending, SessionStatusReservation},
		"ProfileType": {ProfileTypeCheap, ProfileTypeFast, ProfileTypeGreen, ProfileTypeRegular},
		"ChargingPreferencesResponse": {ChargingPreferencesAccepted, ChargingPreferencesDepartureRequired,
			ChargingPreferencesEnergyNeedRequired, ChargingPreferencesNotPossible,
			ChargingPreferencesProfileTypeNotSupported},
		"WhitelistType": {WhitelistTypeAlways, WhitelistTypeAllowed, WhitelistTypeAllowedOffline, WhitelistTypeNever},
		"AllowedType": {AllowedTypeAllowed, AllowedTypeBlocked, AllowedTypeExpired, AllowedTypeNoCredit,
			AllowedTypeNotAllowed},
		"CommandType": {CommandTypeCancelReservation, CommandTypeReserveNow, CommandTypeStartSession,
			CommandTypeStopSession, CommandTypeUnlockConnector},
		"CommandResponseType": {CommandResponseNotSupported, CommandResponseRejected, CommandResponseAccepted,
			CommandResponseUnknownSession},
		"CommandResultType": {CommandResultAccepted, CommandResultCanceledReservation, CommandResultEVSEOccupied,
			CommandResultEVSEInoperative, CommandResultFailed, CommandResultNotSupported, CommandResultRejected,
			CommandResultTimeout, CommandResultUnknownReservation},
		"ChargingRateUnit": {ChargingRateUnitW, ChargingRateUnitA},
		"ChargingProfileResponseType": {ChargingProfileResponseAccepted, ChargingProfileResponseNotSupported,
			ChargingProfileResponseRejected, ChargingProfileResponseTooOften, ChargingProfileResponseUnknownSession},
		"ChargingProfileResultType": {ChargingProfileResultAccepted, ChargingProfileResultRejected,
			ChargingProfileResultUnknown},
		"ConnectionStatus": {ConnectionStatusConnected, ConnectionStatusOffline, ConnectionStatusPlanned,
			ConnectionStatusSuspended},
		"Role":          {RoleCPO, RoleEMSP, RoleHub, RoleNAP, RoleNSP, RoleOther, RoleSCSP},
		"InterfaceRole": {InterfaceRoleSender, InterfaceRoleReceiver},
		"ModuleID": {ModuleIDCdrs, ModuleIDChargingProfiles, ModuleIDCommands, ModuleIDCredentials,
			ModuleIDHubClientInfo, ModuleIDLocations, ModuleIDSessions, ModuleIDTariffs, ModuleIDTokens},
		"VersionNumber": {VersionNumber20, VersionNumber21, VersionNumber211, VersionNumber22, VersionNumber221},
	}
	for def, consts := range enums {
		want, closed := s.enumValues(def)
		var got []string
		for _, c := range consts {
			got = append(got, fmt.Sprint(c))
			switch x := c.(type) {
			case valid:
				if !closed {
					t.Errorf("%s is open in the schema but has IsValid (closed) in Go", def)
				} else if !x.IsValid() {
					t.Errorf("%s %v: IsValid false", def, c)
				}
			case known:
				if closed {
					t.Errorf("%s is closed in the schema but has IsKnown (open) in Go", def)
				} else if !x.IsKnown() {
					t.Errorf("%s %v: IsKnown false", def, c)
				}
			default:
				t.Errorf("%s has neither IsValid nor IsKnown", def)
			}
		}
		sort.Strings(got)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: Go values %v, schema values %v", def, got, want)
		}
	}
}

// TestValidateFailures checks that Validate reports missing required fields, over-long strings and
// bad enum values at the right field path.
func TestValidateFailures(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		name   string
		val    func() validatable
		path   string
		substr string
	}{
		{"location id missing", func() validatable { l := fullLocation(); l.ID = ""; return &l }, "location.id", "required"},
		{"location coordinates missing", func() validatable { l := fullLocation(); l.Coordinates = GeoLocation{}; return &l }, "location.coordinates.latitude", "required"},
		{"location last_updated missing", func() validatable { l := fullLocation(); l.LastUpdated = DateTime{}; return &l }, "location.last_updated", "required"},
		{"location address too long", func() validatable { l := fullLocation(); l.Address = long(256); return &l }, "location.address", "longer than 255"},
		{"location city too long", func() validatable { l := fullLocation(); l.City = long(46); return &l }, "location.city", "longer than 45"},
		{"location country alpha-2", func() validatable { l := fullLocation(); l.Country = "IN"; return &l }, "location.country", "exactly 3"},
		{"location party_id too long", func() validatable { l := fullLocation(); l.PartyID = "HUBX"; return &l }, "location.party_id", "longer than 3"},
		{"location publish with allowed list", func() validatable { l := fullLocation(); l.Publish = true; return &l }, "location.publish_allowed_to", "only allowed"},
		{"evse status bad enum", func() validatable { l := fullLocation(); l.EVSEs[0].Status = "FREE"; return &l }, "location.evses[0].status", `unknown value "FREE"`},
		{"evse no connectors", func() validatable { l := fullLocation(); l.EVSEs[0].Connectors = nil; return &l }, "location.evses[0].connectors", "at least one"},
		{"connector power_type bad enum", func() validatable { l := fullLocation(); l.EVSEs[0].Connectors[0].PowerType = "AC"; return &l }, "location.evses[0].connectors[0].power_type", `unknown value "AC"`},
		{"connector tariff id too long", func() validatable {
			l := fullLocation()
			l.EVSEs[0].Connectors[0].TariffIDs = []string{long(37)}
			return &l
		}, "location.evses[0].connectors[0].tariff_ids[0]", "longer than 36"},
		{"connector max_voltage missing", func() validatable { c := fullConnector(); c.MaxVoltage = 0; return &c }, "connector.max_voltage", "required"},
		{"evse floor_level too long", func() validatable { e := fullEVSE(); e.FloorLevel = "-1234"; return &e }, "evse.floor_level", "longer than 4"},
		{"image type too long", func() validatable { l := fullLocation(); l.Images[0].Type = "jpegx"; return &l }, "location.images[0].type", "longer than 4"},
		{"image url relative", func() validatable { l := fullLocation(); l.Images[0].URL = "/img.png"; return &l }, "location.images[0].url", "absolute URL"},
		{"hours bad time", func() validatable { h := fullHours(); h.RegularHours[0].PeriodBegin = "8:00"; return &h }, "hours.regular_hours[0].period_begin", "HH:MM"},
		{"hours weekday 0", func() validatable { h := fullHours(); h.RegularHours[0].Weekday = 0; return &h }, "hours.regular_hours[0].weekday", "between 1 and 7"},
		{"latitude pattern", func() validatable { l := fullLocation(); l.Coordinates.Latitude = "52.37"; return &l }, "location.coordinates.latitude", "must match"},
		{"publish token without type", func() validatable { l := fullLocation(); l.PublishAllowedTo[0].Type = ""; return &l }, "location.publish_allowed_to[0].type", "required when uid"},
		{"session kwh missing", func() validatable { s := fullSession(); s.KWh = Decimal{}; return &s }, "session.kwh", "required"},
		{"session status bad enum", func() validatable { s := fullSession(); s.Status = "DONE"; return &s }, "session.status", `unknown value "DONE"`},
		{"session currency", func() validatable { s := fullSession(); s.Currency = "EURO"; return &s }, "session.currency", "longer than 3"},
		{"session cdr_token uid missing", func() validatable { s := fullSession(); s.CdrToken.UID = ""; return &s }, "session.cdr_token.uid", "required"},
		{"session period without dimensions", func() validatable { s := fullSession(); s.ChargingPeriods[0].Dimensions = nil; return &s }, "session.charging_periods[0].dimensions", "at least one"},
		{"token issuer missing", func() validatable { tk := fullToken(); tk.Issuer = ""; return &tk }, "token.issuer", "required"},
		{"token whitelist bad enum", func() validatable { tk := fullToken(); tk.Whitelist = "SOMETIMES"; return &tk }, "token.whitelist", `unknown value "SOMETIMES"`},
		{"token uid too long", func() validatable { tk := fullToken(); tk.UID = long(37); return &tk }, "token.uid", "longer than 36"},
		{"token uid not ASCII", func() validatable { tk := fullToken(); tk.UID = "äbc"; return &tk }, "token.uid", "printable ASCII"},
		{"token visual_number control char", func() validatable { tk := fullToken(); tk.VisualNumber = "a\tb"; return &tk }, "token.visual_number", "control"},
		{"token language", func() validatable { tk := fullToken(); tk.Language = "e"; return &tk }, "token.language", "exactly 2"},
		{"token energy contract supplier missing", func() validatable { tk := fullToken(); tk.EnergyContract.SupplierName = ""; return &tk }, "token.energy_contract.supplier_name", "required"},
		{"start_session token invalid", func() validatable { c := fullStartSession(); c.Token.Type = ""; return &c }, "start_session.token.type", "required"},
		{"start_session connector without evse", func() validatable { c := fullStartSession(); c.EvseUID = ""; return &c }, "start_session.evse_uid", "required when connector_id"},
		{"reserve_now expiry missing", func() validatable { c := fullReserveNow(); c.ExpiryDate = DateTime{}; return &c }, "reserve_now.expiry_date", "required"},
		{"unlock response_url missing", func() validatable { c := fullUnlockConnector(); c.ResponseURL = ""; return &c }, "unlock_connector.response_url", "required"},
		{"command response bad enum", func() validatable { r := fullCommandResponse(); r.Result = "OK"; return &r }, "command_response.result", `unknown value "OK"`},
		{"command result missing", func() validatable { return &CommandResult{} }, "command_result.result", "required"},
		{"charging profile rate unit", func() validatable {
			p := fullSetChargingProfile()
			p.ChargingProfile.ChargingRateUnit = "kW"
			return &p
		}, "set_charging_profile.charging_profile.charging_rate_unit", `unknown value "kW"`},
		{"charging profile limit missing", func() validatable {
			p := fullChargingProfile()
			p.ChargingProfilePeriod[1].Limit = Decimal{}
			return &p
		}, "charging_profile.charging_profile_period[1].limit", "required"},
		{"active result accepted without profile", func() validatable { return &ActiveChargingProfileResult{Result: ChargingProfileResultAccepted} }, "active_charging_profile_result.profile", "required when result"},
		{"credentials token whitespace", func() validatable { c := fullCredentials(); c.Token = "a b"; return &c }, "credentials.token", "non-whitespace"},
		{"credentials token too long", func() validatable { c := fullCredentials(); c.Token = long(65); return &c }, "credentials.token", "longer than 64"},
		{"credentials no roles", func() validatable { c := fullCredentials(); c.Roles = nil; return &c }, "credentials.roles", "at least one"},
		{"credentials role bad enum", func() validatable { c := fullCredentials(); c.Roles[0].Role = "MSP"; return &c }, "credentials.roles[0].role", `unknown value "MSP"`},
		{"credentials business name too long", func() validatable { c := fullCredentials(); c.Roles[0].BusinessDetails.Name = long(101); return &c }, "credentials.roles[0].business_details.name", "longer than 100"},
		{"credentials duplicate role", func() validatable { c := fullCredentials(); c.Roles = append(c.Roles, c.Roles[0]); return &c }, "credentials.roles[1]", "duplicate"},
		{"version details no endpoints", func() validatable { return &VersionDetails{Version: VersionNumber221} }, "version_details.endpoints", "at least one"},
		{"endpoint role bad enum", func() validatable { d := fullVersionDetails(); d.Endpoints[0].Role = "BOTH"; return &d }, "version_details.endpoints[0].role", `unknown value "BOTH"`},
		{"client info status bad enum", func() validatable { c := fullClientInfo(); c.Status = "ONLINE"; return &c }, "client_info.status", `unknown value "ONLINE"`},
		{"patch without last_updated", func() validatable { return &EVSEPatch{Status: ptrTo(StatusCharging)} }, "evse_patch.last_updated", "required"},
		{"patch bad status", func() validatable { return &EVSEPatch{Status: ptrTo(Status("BUSY")), LastUpdated: testAt("09:00:00")} }, "evse_patch.status", `unknown value "BUSY"`},
		{"patch empty name", func() validatable { return &LocationPatch{Name: ptrTo(""), LastUpdated: testAt("09:00:00")} }, "location_patch.name", "required"},
		{"session patch period", func() validatable {
			p := fullSessionPatch()
			p.ChargingPeriods[0].StartDateTime = DateTime{}
			return &p
		}, "session_patch.charging_periods[0].start_date_time", "required"},
		{"token patch whitelist", func() validatable {
			return &TokenPatch{Whitelist: ptrTo(WhitelistType("X")), LastUpdated: testAt("09:00:00")}
		}, "token_patch.whitelist", `unknown value "X"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.val().Validate()
			if err == nil {
				t.Fatal("Validate passed, want an error")
			}
			for _, e := range validationErrors(t, err) {
				if e.Path == tc.path && strings.Contains(e.Msg, tc.substr) {
					return
				}
			}
			t.Fatalf("no error at %s containing %q; got: %v", tc.path, tc.substr, err)
		})
	}
}

// TestSchemaIsStrict makes sure the schema checks used above have teeth: unknown fields, OCPI
// DateTime shape and absolute URLs are enforced.
func TestSchemaIsStrict(t *testing.T) {
	s := loadSchema(t)
	good := `{"version": "2.2.1", "url": "https://x.example.com/2.2.1"}`
	if err := s.validate("Version", []byte(good)); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{
		`{"version": "2.2.1", "url": "https://x.example.com/2.2.1", "extra": 1}`,
		`{"version": "2.2.1", "url": "/2.2.1"}`,
		`{"version": "2.2.1"}`,
	} {
		if s.validate("Version", []byte(bad)) == nil {
			t.Errorf("schema accepted %s", bad)
		}
	}
	ci := `{"party_id": "EMP", "country_code": "DE", "role": "EMSP", "status": "CONNECTED", "last_updated": %q}`
	for _, bad := range []string{"2025-01-14T09:00:00+00:00", "2025-01-14T09:00:00.123456789Z", "2025-01-14"} {
		if s.validate("ClientInfo", []byte(fmt.Sprintf(ci, bad))) == nil {
			t.Errorf("schema accepted DateTime %q", bad)
		}
	}
	if err := s.validate("ClientInfo", []byte(fmt.Sprintf(ci, "2025-01-14T09:00:00.123"))); err != nil {
		t.Errorf("schema rejected a valid DateTime: %v", err)
	}
}
