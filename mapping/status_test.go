package mapping

import (
	"testing"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

func TestEVSEStatus16(t *testing.T) {
	for _, tc := range []struct {
		status  charging.ConnectorStatus
		online  bool
		session bool
		code    string
		want    ocpi.Status
	}{
		{charging.StatusAvailable, true, false, "NoError", ocpi.StatusAvailable},
		{charging.StatusAvailable, true, false, "HighTemperature", ocpi.StatusAvailable}, // a warning only
		{charging.StatusPreparing, true, false, "NoError", ocpi.StatusCharging},
		{charging.StatusCharging, true, true, "NoError", ocpi.StatusCharging},
		{charging.StatusSuspendedEV, true, true, "", ocpi.StatusCharging},
		{charging.StatusSuspendedEVSE, true, true, "", ocpi.StatusCharging},
		{charging.StatusFinishing, true, true, "NoError", ocpi.StatusCharging},
		{charging.StatusFinishing, true, false, "NoError", ocpi.StatusBlocked},
		{charging.StatusReserved, true, false, "NoError", ocpi.StatusReserved},
		{charging.StatusUnavailable, true, false, "NoError", ocpi.StatusInoperative},
		{charging.StatusUnavailable, true, false, "", ocpi.StatusInoperative},
		{charging.StatusUnavailable, true, false, "GroundFailure", ocpi.StatusOutOfOrder},
		{charging.StatusFaulted, true, false, "OtherError", ocpi.StatusOutOfOrder},
		{charging.StatusFaulted, true, false, "NoError", ocpi.StatusOutOfOrder},
		{"", true, false, "", ocpi.StatusUnknown},
		{"Bogus", true, false, "", ocpi.StatusUnknown},
		{charging.StatusCharging, false, true, "NoError", ocpi.StatusUnknown},
		{charging.StatusAvailable, false, false, "NoError", ocpi.StatusUnknown},
		{charging.StatusFaulted, false, false, "OtherError", ocpi.StatusUnknown},
	} {
		if got := EVSEStatus16(tc.status, tc.online, tc.session, tc.code); got != tc.want {
			t.Errorf("EVSEStatus16(%q, online %v, session %v, %q) = %s, want %s",
				tc.status, tc.online, tc.session, tc.code, got, tc.want)
		}
	}
}

func TestEVSEStatus201(t *testing.T) {
	for _, tc := range []struct {
		status  charging.ConnectorStatus
		state   string
		session bool
		online  bool
		want    ocpi.Status
	}{
		{charging.StatusAvailable, "", false, true, ocpi.StatusAvailable},
		{charging.StatusAvailable, "Idle", true, true, ocpi.StatusAvailable}, // authorized, no EV yet
		{charging.StatusAvailable, "EVConnected", true, true, ocpi.StatusCharging},
		{charging.StatusOccupied, "Charging", true, true, ocpi.StatusCharging},
		{charging.StatusOccupied, "SuspendedEV", true, true, ocpi.StatusCharging},
		{charging.StatusOccupied, "", false, true, ocpi.StatusBlocked},
		{charging.StatusCharging, "", false, true, ocpi.StatusBlocked}, // a 1.6 value read as Occupied
		{charging.StatusReserved, "", false, true, ocpi.StatusReserved},
		{charging.StatusUnavailable, "", false, true, ocpi.StatusInoperative},
		{charging.StatusFaulted, "", false, true, ocpi.StatusOutOfOrder},
		{"", "", false, true, ocpi.StatusUnknown},
		{charging.StatusOccupied, "Charging", true, false, ocpi.StatusUnknown},
		{charging.StatusAvailable, "", false, false, ocpi.StatusUnknown},
	} {
		if got := EVSEStatus201(tc.status, tc.state, tc.session, tc.online); got != tc.want {
			t.Errorf("EVSEStatus201(%q, %q, session %v, online %v) = %s, want %s",
				tc.status, tc.state, tc.session, tc.online, got, tc.want)
		}
	}
}

func TestApplyStationStatus(t *testing.T) {
	for _, tc := range []struct {
		evse    ocpi.Status
		station charging.ConnectorStatus
		want    ocpi.Status
	}{
		{ocpi.StatusAvailable, charging.StatusAvailable, ocpi.StatusAvailable},
		{ocpi.StatusCharging, charging.StatusAvailable, ocpi.StatusCharging},
		{ocpi.StatusAvailable, charging.StatusUnavailable, ocpi.StatusInoperative},
		{ocpi.StatusCharging, charging.StatusUnavailable, ocpi.StatusInoperative},
		{ocpi.StatusOutOfOrder, charging.StatusUnavailable, ocpi.StatusOutOfOrder},
		{ocpi.StatusAvailable, charging.StatusFaulted, ocpi.StatusOutOfOrder},
		{ocpi.StatusInoperative, charging.StatusFaulted, ocpi.StatusOutOfOrder},
		{ocpi.StatusUnknown, charging.StatusFaulted, ocpi.StatusUnknown},
		{ocpi.StatusReserved, "", ocpi.StatusReserved},
	} {
		if got := ApplyStationStatus(tc.evse, tc.station); got != tc.want {
			t.Errorf("ApplyStationStatus(%s, %q) = %s, want %s", tc.evse, tc.station, got, tc.want)
		}
	}
}

func TestAggregateStatus(t *testing.T) {
	for _, tc := range []struct {
		in   []ocpi.Status
		want ocpi.Status
	}{
		{nil, ocpi.StatusUnknown},
		{[]ocpi.Status{"BOGUS"}, ocpi.StatusUnknown},
		{[]ocpi.Status{ocpi.StatusAvailable}, ocpi.StatusAvailable},
		{[]ocpi.Status{ocpi.StatusAvailable, ocpi.StatusCharging}, ocpi.StatusCharging},
		{[]ocpi.Status{ocpi.StatusAvailable, ocpi.StatusBlocked}, ocpi.StatusBlocked},
		{[]ocpi.Status{ocpi.StatusBlocked, ocpi.StatusCharging}, ocpi.StatusCharging},
		{[]ocpi.Status{ocpi.StatusAvailable, ocpi.StatusReserved}, ocpi.StatusReserved},
		{[]ocpi.Status{ocpi.StatusOutOfOrder, ocpi.StatusAvailable}, ocpi.StatusAvailable},
		{[]ocpi.Status{ocpi.StatusOutOfOrder, ocpi.StatusInoperative}, ocpi.StatusInoperative},
		{[]ocpi.Status{ocpi.StatusUnknown, ocpi.StatusOutOfOrder}, ocpi.StatusOutOfOrder},
		{[]ocpi.Status{ocpi.StatusPlanned, ocpi.StatusPlanned}, ocpi.StatusPlanned},
		{[]ocpi.Status{ocpi.StatusRemoved, ocpi.StatusPlanned}, ocpi.StatusPlanned},
	} {
		if got := AggregateStatus(tc.in...); got != tc.want {
			t.Errorf("AggregateStatus(%v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
