package ocpi

import "testing"

func fullChargingProfile() ChargingProfile {
	return ChargingProfile{StartDateTime: ptrTo(testAt("09:00:00")), Duration: ptrTo(3600), ChargingRateUnit: ChargingRateUnitA,
		MinChargingRate: MustDecimal("6.0").Ptr(),
		ChargingProfilePeriod: []ChargingProfilePeriod{{StartPeriod: 0, Limit: MustDecimal("32")},
			{StartPeriod: 1800, Limit: MustDecimal("16.5")}}}
}

func fullSetChargingProfile() SetChargingProfile {
	return SetChargingProfile{ChargingProfile: fullChargingProfile(),
		ResponseURL: "https://scsp.example.com/ocpi/2.2.1/chargingprofiles/result/42"}
}

func fullActiveChargingProfile() ActiveChargingProfile {
	return ActiveChargingProfile{StartDateTime: testAt("09:00:00"), ChargingProfile: fullChargingProfile()}
}

func fullActiveChargingProfileResult() ActiveChargingProfileResult {
	return ActiveChargingProfileResult{Result: ChargingProfileResultAccepted, Profile: ptrTo(fullActiveChargingProfile())}
}

func TestChargingProfileRules(t *testing.T) {
	p := fullChargingProfile()
	p.ChargingProfilePeriod[0].StartPeriod = -1
	p.Duration = ptrTo(-5)
	es := validationErrors(t, p.Validate())
	if len(es) != 2 || es[0].Path != "charging_profile.duration" ||
		es[1].Path != "charging_profile.charging_profile_period[0].start_period" {
		t.Errorf("got %v", es)
	}
	if err := (&ActiveChargingProfileResult{Result: ChargingProfileResultRejected}).Validate(); err != nil {
		t.Errorf("REJECTED without profile: %v", err)
	}
	if err := (&ChargingProfile{ChargingRateUnit: ChargingRateUnitW}).Validate(); err != nil {
		t.Errorf("minimal profile: %v", err)
	}
}
