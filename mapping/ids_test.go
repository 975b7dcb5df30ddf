package mapping

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chargehub/hub/charging"
)

// evseIDPattern is the eMI3 EVSE id as Hubject checks it (the stricter of the two).
var evseIDPattern = regexp.MustCompile(`^[A-Z]{2}\*[A-Z0-9]{3}\*E[A-Z0-9][A-Z0-9*]{0,29}$`)

var uidPattern = regexp.MustCompile(`^[A-Za-z0-9._~-]{1,36}$`)

func TestEVSEID(t *testing.T) {
	long := strings.Repeat("A", 40)
	for _, tc := range []struct {
		station string
		evse    int
		want    string
	}{
		{"CP001", 1, "IN*HUB*ECP001*1"},
		{"cp001", 1, "IN*HUB*ECP001*1"}, // letter case is not lossy: OCPI ids ignore it
		{"CP001", 12, "IN*HUB*ECP001*12"},
		{"CP-001", 2, "IN*HUB*ECP001*" + hashID("CP-001", 6) + "*2"},
		{"CP_001", 2, "IN*HUB*ECP001*" + hashID("CP_001", 6) + "*2"},
		{"Depot 1/Bay", 3, "IN*HUB*EDEPOT1BAY*" + hashID("Depot 1/Bay", 6) + "*3"},
		{"äöü", 1, "IN*HUB*E" + hashID("äöü", 6) + "*1"},
		{"", 1, "IN*HUB*E" + hashID("", 6) + "*1"},
		// 28 characters fit beside "*1" (30 in all); 29 do not.
		{long[:28], 1, "IN*HUB*E" + long[:28] + "*1"},
		{long[:29], 1, "IN*HUB*E" + long[:21] + "*" + hashID(long[:29], 6) + "*1"},
		{long, 10, "IN*HUB*E" + long[:20] + "*" + hashID(long, 6) + "*10"},
	} {
		t.Run(fmt.Sprintf("%s/%d", tc.station, tc.evse), func(t *testing.T) {
			got := EVSEID(Identity{CountryCode: "in", PartyID: "hub"}, tc.station, tc.evse)
			if got != tc.want {
				t.Fatalf("EVSEID = %q, want %q", got, tc.want)
			}
			if !evseIDPattern.MatchString(got) || len(got) > 48 {
				t.Fatalf("EVSEID %q is not an eMI3 id within 48 characters", got)
			}
		})
	}
}

func TestEVSEUID(t *testing.T) {
	long := strings.Repeat("x", 40)
	for _, tc := range []struct {
		station string
		evse    int
		want    string
	}{
		{"CP-001", 1, "CP-001-1"},
		{"cp.001_a", 2, "cp.001_a-2"},
		{"Depot 1/Bay", 2, "Depot1Bay~" + hashID("Depot 1/Bay", 8) + "-2"},
		{"a~b", 1, "ab~" + hashID("a~b", 8) + "-1"},
		{"", 1, "~" + hashID("", 8) + "-1"},
		{long[:34], 1, long[:34] + "-1"},
		{long[:35], 1, long[:25] + "~" + hashID(long[:35], 8) + "-1"},
		{long, 123, long[:23] + "~" + hashID(long, 8) + "-123"},
	} {
		t.Run(fmt.Sprintf("%s/%d", tc.station, tc.evse), func(t *testing.T) {
			got := EVSEUID(tc.station, tc.evse)
			if got != tc.want {
				t.Fatalf("EVSEUID = %q, want %q", got, tc.want)
			}
			if !uidPattern.MatchString(got) {
				t.Fatalf("EVSEUID %q is not 1-36 URL-safe characters", got)
			}
		})
	}
}

// TestIDsDistinct: station ids that differ other than in letter case give distinct ids.
func TestIDsDistinct(t *testing.T) {
	stations := []string{"CP1", "CP-1", "CP_1", "CP 1", "CP.1", "C-P1", "CP1-1", "CP11", "Ümlaut", "Umlaut",
		strings.Repeat("L", 60), strings.Repeat("L", 60) + "2", strings.Repeat("L", 59) + "-"}
	evseIDs, uids := map[string]string{}, map[string]string{}
	for _, st := range stations {
		for _, e := range []int{1, 2, 11} {
			key := fmt.Sprintf("%s/%d", st, e)
			id, uid := EVSEID(cpo, st, e), strings.ToUpper(EVSEUID(st, e))
			if prev, dup := evseIDs[id]; dup {
				t.Errorf("EVSEID %q for both %s and %s", id, prev, key)
			}
			if prev, dup := uids[uid]; dup {
				t.Errorf("EVSEUID %q (case-insensitively) for both %s and %s", uid, prev, key)
			}
			evseIDs[id], uids[uid] = key, key
		}
	}
}

func TestSessionID(t *testing.T) {
	if got := SessionID(charging.Transaction{ID: 2147483647, StationTxID: "station-own-id"}); got != "2147483647" {
		t.Fatalf("SessionID = %q", got)
	}
}
