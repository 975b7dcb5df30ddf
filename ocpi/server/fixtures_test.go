package server_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/roaming"
)

// base is the fixed instant the fixtures' last_updated values count from.
var base = time.Date(2025, 1, 14, 8, 0, 0, 0, time.UTC)

func location(id string) ocpi.Location {
	maxPower := 22080
	return ocpi.Location{ID: id, Publish: true, Name: "Example Mall " + id, Address: "12 MG Road", City: "Bengaluru",
		PostalCode: "560001", Country: "IND", Coordinates: ocpi.GeoLocation{Latitude: "12.975600", Longitude: "77.606500"},
		TimeZone: "Asia/Kolkata", Operator: &ocpi.BusinessDetails{Name: "Example Charging"},
		OpeningTimes: &ocpi.Hours{TwentyFourSeven: false, RegularHours: []ocpi.RegularHours{{Weekday: 1, PeriodBegin: "08:00", PeriodEnd: "20:00"}}},
		EVSEs: []ocpi.EVSE{{UID: id + "-E1", EvseID: "IN*HUB*E" + id + "*1", Status: ocpi.StatusAvailable,
			Capabilities: []ocpi.Capability{ocpi.CapabilityRFIDReader, ocpi.CapabilityRemoteStartStopCapable},
			Connectors: []ocpi.Connector{{ID: "1", Standard: ocpi.ConnectorIEC62196T2, Format: ocpi.ConnectorFormatSocket,
				PowerType: ocpi.PowerTypeAC3Phase, MaxVoltage: 230, MaxAmperage: 32, MaxElectricPower: &maxPower,
				TariffIDs: []string{"T1"}}}}}}
}

func addLocation(t *testing.T, svc *roaming.Service, id string) roaming.Location {
	t.Helper()
	l, err := svc.CreateLocation(context.Background(), roaming.LocationInput{Location: location(id)})
	require.NoError(t, err)
	return l
}

func session(id string, owner roaming.Party, updated time.Time) ocpi.Session {
	return ocpi.Session{ID: id, StartDateTime: ocpi.NewDateTime(base), KWh: ocpi.MustDecimal("1.5"),
		CdrToken: ocpi.CdrToken{CountryCode: owner.CountryCode, PartyID: owner.PartyID, UID: "04AB12CD", Type: ocpi.TokenTypeRFID,
			ContractID: owner.CountryCode + "-" + owner.PartyID + "-C1"},
		AuthMethod: ocpi.AuthMethodWhitelist, LocationID: "LOC-1", EvseUID: "LOC-1-E1", ConnectorID: "1", Currency: "INR",
		Status: ocpi.SessionStatusActive, LastUpdated: ocpi.NewDateTime(updated)}
}

func cdr(id string, owner roaming.Party, updated time.Time) ocpi.CDR {
	s := session(id, owner, updated)
	return ocpi.CDR{ID: id, StartDateTime: ocpi.NewDateTime(base), EndDateTime: ocpi.NewDateTime(base.Add(time.Hour)),
		SessionID: id, CdrToken: s.CdrToken, AuthMethod: ocpi.AuthMethodWhitelist,
		CdrLocation: ocpi.CdrLocation{ID: "LOC-1", Address: "12 MG Road", City: "Bengaluru", Country: "IND",
			Coordinates: ocpi.GeoLocation{Latitude: "12.975600", Longitude: "77.606500"}, EvseUID: "LOC-1-E1", EvseID: "IN*HUB*E1*1",
			ConnectorID: "1", ConnectorStandard: ocpi.ConnectorIEC62196T2, ConnectorFormat: ocpi.ConnectorFormatSocket,
			ConnectorPowerType: ocpi.PowerTypeAC3Phase},
		Currency: "INR", ChargingPeriods: []ocpi.ChargingPeriod{{StartDateTime: ocpi.NewDateTime(base),
			Dimensions: []ocpi.CdrDimension{{Type: ocpi.CdrDimensionEnergy, Volume: ocpi.MustDecimal("1.5")}}}},
		TotalCost: ocpi.Price{ExclVat: ocpi.MustDecimal("0.375")}, TotalEnergy: ocpi.MustDecimal("1.5"),
		TotalTime: ocpi.MustDecimal("1"), LastUpdated: ocpi.NewDateTime(updated)}
}

func tariff(id string, updated time.Time) ocpi.Tariff {
	return ocpi.Tariff{ID: id, Currency: "INR", Elements: []ocpi.TariffElement{{PriceComponents: []ocpi.PriceComponent{
		{Type: ocpi.TariffDimensionEnergy, Price: ocpi.MustDecimal("0.25"), VAT: new(ocpi.MustDecimal("18")), StepSize: 1}}}},
		LastUpdated: ocpi.NewDateTime(updated)}
}

func token(owner roaming.Party, uid string, updated time.Time) ocpi.Token {
	return ocpi.Token{CountryCode: owner.CountryCode, PartyID: owner.PartyID, UID: uid, Type: ocpi.TokenTypeRFID,
		ContractID: fmt.Sprintf("%s-%s-%s", owner.CountryCode, owner.PartyID, uid), Issuer: "Example eMSP", Valid: true,
		Whitelist: ocpi.WhitelistTypeAllowed, LastUpdated: ocpi.NewDateTime(updated)}
}

var (
	emp = roaming.Party{CountryCode: "NL", PartyID: "EMP"}
	abc = roaming.Party{CountryCode: "DE", PartyID: "ABC"}
)
