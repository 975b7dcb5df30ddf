package mapping

import (
	"crypto/sha256"
	"encoding/base32"
	"strconv"
	"strings"

	"github.com/chargehub/hub/charging"
)

// Identity is the CPO the hub presents in OCPI: country code (ISO 3166-1 alpha-2) and party id.
type Identity struct {
	CountryCode string
	PartyID     string
}

func (id Identity) norm() Identity {
	return Identity{CountryCode: strings.ToUpper(id.CountryCode), PartyID: strings.ToUpper(id.PartyID)}
}

// maxOutletID is the length limit of the part of an eMI3 EVSE id after the "E": eMI3 allows 31
// characters, Hubject's validator 30; the stricter one is kept.
const maxOutletID = 30

// EVSEID returns the eMI3 EVSE id "<CC>*<PARTY>*E<station>*<evse>" of a station's EVSE, for
// example "IN*HUB*ECP001*1". The station part keeps the station id's letters (upper-cased) and
// digits and drops every other character; the EVSE number follows a '*'. The result is at most
// 8+30 characters of [A-Z0-9*], within both evse_id's CiString(48) and the eMI3/Hubject pattern
// (CC*PPP*E followed by 1-30 of [A-Z0-9*]).
//
// When characters were dropped, or the station id does not fit, the station part is shortened
// and "*" plus 6 characters of a hash of the exact station id are inserted before the EVSE
// number ("IN*HUB*ECP001*K3QZ7A*1" for "cp-001"). Station ids made of letters and digits only
// thus map one to one (up to letter case, which OCPI ids ignore anyway), and the others stay
// distinct up to a 30-bit hash collision; a hashed id has three '*' after the "E", a plain one two.
func EVSEID(id Identity, stationID string, evseID int) string {
	n := id.norm()
	prefix := n.CountryCode + "*" + n.PartyID + "*E"
	evse := strconv.Itoa(evseID)
	part, lossy := keepRunes(strings.ToUpper(stationID), isUpperAlnum)
	room := maxOutletID - 1 - len(evse)
	if !lossy && part != "" && len(part) <= room {
		return prefix + part + "*" + evse
	}
	h := hashID(stationID, 6)
	room -= 1 + len(h)
	if len(part) > room {
		part = part[:max(room, 0)]
	}
	if part == "" {
		return prefix + h + "*" + evse
	}
	return prefix + part + "*" + h + "*" + evse
}

// maxUID is the length of EVSE.uid (CiString(36)).
const maxUID = 36

// EVSEUID returns the OCPI EVSE.uid of a station's EVSE: "<station>-<evse>" (e.g. "CP-001-1")
// when the station id consists of URL-safe characters ([A-Za-z0-9._-]) and fits 36 characters
// with the suffix; otherwise the safe characters of the station id, shortened as needed, then
// "~" and 8 characters of a hash of the exact station id, then "-<evse>" (e.g.
// "Depot1~Q4M2ZK7A-2" for "Depot 1/Bay"). The uid is stable (a function of its inputs only),
// never longer than 36 characters, printable ASCII and safe in a URL path segment; the EVSE
// number is what follows the last '-', and a '~' marks a hashed form, so distinct station ids
// give distinct uids up to a 40-bit hash collision. OCPI compares uids case-insensitively: two
// stations whose ids differ only in letter case would share uids and must not be roamed together.
func EVSEUID(stationID string, evseID int) string {
	evse := strconv.Itoa(evseID)
	room := maxUID - 1 - len(evse)
	part, lossy := keepRunes(stationID, isUIDSafe)
	if !lossy && part != "" && len(part) <= room {
		return part + "-" + evse
	}
	h := hashID(stationID, 8)
	room -= 1 + len(h)
	if len(part) > room {
		part = part[:max(room, 0)]
	}
	return part + "~" + h + "-" + evse
}

// SessionID returns the OCPI Session id of a transaction: the hub's transaction id in decimal.
// It is unique in the hub (a 2.0.1 station's own transactionId is unique only per station) and
// at most 19 characters.
func SessionID(tx charging.Transaction) string { return strconv.FormatInt(tx.ID, 10) }

// keepRunes returns the runes of s that keep accepts and whether any rune was dropped.
func keepRunes(s string, keep func(rune) bool) (string, bool) {
	var b strings.Builder
	lossy := false
	for _, r := range s {
		if keep(r) {
			b.WriteRune(r)
		} else {
			lossy = true
		}
	}
	return b.String(), lossy
}

func isUpperAlnum(r rune) bool { return (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') }

func isUIDSafe(r rune) bool {
	return (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') ||
		r == '.' || r == '_' || r == '-'
}

// hashID returns n characters (A-Z, 2-7) of the base32 SHA-256 of s.
func hashID(s string, n int) string {
	sum := sha256.Sum256([]byte(s))
	return base32.StdEncoding.EncodeToString(sum[:])[:n]
}
