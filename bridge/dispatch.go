package bridge

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/mapping"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpp"
	"github.com/chargehub/hub/ocpp/gateway"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
)

// Stations is what the bridge needs of the chargers; *gateway.Gateway implements it. Errors
// are charging errors (CodeUnavailable: not connected or gone, CodeTimeout: no answer, CodeInvalid:
// the request cannot be expressed) or *ocpp.CallError (the station answered CALLERROR).
type Stations interface {
	Connection(stationID string) (gateway.Connection, bool)
	RemoteStart(ctx context.Context, stationID string, r gateway.RemoteStart) (gateway.RemoteStartResult, error)
	RemoteStop(ctx context.Context, stationID string, tx charging.Transaction) (gateway.Outcome, error)
	ReserveNow(ctx context.Context, stationID string, r gateway.Reservation) (gateway.Outcome, error)
	CancelReservation(ctx context.Context, stationID string, reservationID int) (gateway.Outcome, error)
	UnlockConnector(ctx context.Context, stationID string, evseID, connectorID int) (gateway.Outcome, error)
	SetChargingProfile(ctx context.Context, stationID string, r gateway.TxProfile) (gateway.Outcome, error)
	GetCompositeSchedule(ctx context.Context, stationID string, evseID, duration int, unit string) (gateway.CompositeSchedule, error)
	ClearChargingProfile(ctx context.Context, stationID string, r gateway.ClearProfile) (gateway.Outcome, error)
	SendLocalList(ctx context.Context, stationID string, l gateway.LocalList) (gateway.Outcome, error)
	GetLocalListVersion(ctx context.Context, stationID string) (int, error)
}

var _ Stations = (*gateway.Gateway)(nil)

// ChargingState is what the bridge reads of the charging domain; *store.DB implements it.
type ChargingState interface {
	GetTransaction(ctx context.Context, id int64) (charging.Transaction, error)
	ActiveTransactions(ctx context.Context, stationID string, evseID int) ([]charging.Transaction, error)
	ListConnectors(ctx context.Context, stationID string) ([]charging.Connector, error)
	ListStations(ctx context.Context, f charging.StationFilter) ([]charging.Station, int, error)
}

// Results receives the asynchronous outcomes of accepted commands; *roaming.Service
// implements it.
type Results interface {
	CommandResult(ctx context.Context, commandID string, r ocpi.CommandResult) error
	ChargingProfileResult(ctx context.Context, id string, result any) error
}

var _ Results = (*roaming.Service)(nil)

// place is a station EVSE (and connector) named by an OCPI location, evse_uid and connector_id.
type place struct {
	StationID   string
	EVSEID      int // 0 = the station chooses (no evse_uid given)
	ConnectorID int // OCPP connector within the EVSE; 0 = not given
}

// resolvePlace finds the station EVSE behind an EVSE uid of a location: uids are
// mapping.EVSEUID(stationID, evseID), the EVSE number after the last '-'. Without an evse_uid
// the location must hold exactly one station.
func resolvePlace(loc *roaming.Location, evseUID, connectorID string) (place, error) {
	if loc == nil {
		return place{}, errors.New("the command names no location")
	}
	if evseUID == "" {
		if len(loc.StationIDs) != 1 {
			return place{}, fmt.Errorf("location %q has %d charging stations: name an evse_uid", loc.OCPI.ID, len(loc.StationIDs))
		}
		return place{StationID: loc.StationIDs[0]}, nil
	}
	i := strings.LastIndexByte(evseUID, '-')
	n, err := strconv.Atoi(evseUID[i+1:])
	if i < 0 || err != nil || n <= 0 {
		return place{}, fmt.Errorf("EVSE %q of location %q is not one of the hub's charging stations", evseUID, loc.OCPI.ID)
	}
	for _, st := range loc.StationIDs {
		if strings.EqualFold(mapping.EVSEUID(st, n), evseUID) {
			p := place{StationID: st, EVSEID: n}
			if connectorID != "" {
				if c, err := strconv.Atoi(connectorID); err == nil && c > 0 {
					p.ConnectorID = c
				}
			}
			return p, nil
		}
	}
	return place{}, fmt.Errorf("EVSE %q of location %q is not one of the hub's charging stations", evseUID, loc.OCPI.ID)
}

// evseUIDsOf returns the uids of a station's EVSEs in a location (evseID > 0: that one only,
// when the location lists it).
func evseUIDsOf(loc *roaming.Location, stationID string, evseID int) []string {
	var out []string
	for _, e := range loc.OCPI.EVSEs {
		i := strings.LastIndexByte(e.UID, '-')
		n, err := strconv.Atoi(e.UID[i+1:])
		if i < 0 || err != nil || !strings.EqualFold(mapping.EVSEUID(stationID, n), e.UID) {
			continue
		}
		if evseID > 0 && n != evseID {
			continue
		}
		out = append(out, e.UID)
	}
	return out
}

// aliasOf returns the stable 1.6 idTag standing for a token whose uid is longer than 20
// characters: "#" and 19 characters of the base32 SHA-256 of the token's normalised key.
func aliasOf(k roaming.TokenKey) string {
	n := k.Norm()
	sum := sha256.Sum256([]byte(n.Party.CountryCode + "*" + n.Party.PartyID + "*" + string(n.Type) + "*" + n.UID))
	return "#" + base32.StdEncoding.EncodeToString(sum[:])[:gateway.IDTagMax16-1]
}

// stationToken builds the token sent to a station for an OCPI token: the uid as 2.0.1 idToken
// (Central, or eMAID for an OTHER token whose uid is its contract id) and, when the uid is
// longer than 20 characters, its stored alias as 1.6 idTag. It also returns the tag the
// station will report back for that protocol (upper case).
func stationToken(ctx context.Context, aliases *store.BridgeCommands, t ocpi.Token, p charging.Protocol) (gateway.Token, string, error) {
	gt := gateway.Token{ID: t.UID, Type: "Central", Group: t.GroupID}
	if t.Type == ocpi.TokenTypeOther && strings.EqualFold(t.UID, t.ContractID) {
		gt.Type = "eMAID"
	}
	if p != charging.OCPP16 {
		return gt, strings.ToUpper(t.UID), nil
	}
	if len([]rune(t.UID)) > gateway.IDTagMax16 {
		k := roaming.KeyOf(&t)
		alias, err := aliases.PutTokenAlias(ctx, k, aliasOf(k))
		if err != nil {
			return gt, "", fmt.Errorf("alias of token %s: %w", t.UID, err)
		}
		gt.Tag16 = alias
		return gt, alias, nil
	}
	return gt, strings.ToUpper(t.UID), nil
}

// resultOfError maps a failed station call to a CommandResult: no answer is TIMEOUT, a
// CALLERROR NotImplemented/NotSupported is NOT_SUPPORTED, anything else (disconnected, other
// CALLERRORs, a request that cannot be sent) FAILED.
func resultOfError(err error) ocpi.CommandResultType {
	var ce *ocpp.CallError
	switch {
	case charging.ErrorCode(err) == charging.CodeTimeout, errors.Is(err, context.DeadlineExceeded):
		return ocpi.CommandResultTimeout
	case errors.As(err, &ce) && (ce.Code == ocpp.ErrNotImplemented || ce.Code == ocpp.ErrNotSupported):
		return ocpi.CommandResultNotSupported
	}
	return ocpi.CommandResultFailed
}

// unsupported reports whether err is a CALLERROR saying the station lacks the feature.
func unsupported(err error) bool {
	var ce *ocpp.CallError
	return errors.As(err, &ce) && (ce.Code == ocpp.ErrNotImplemented || ce.Code == ocpp.ErrNotSupported)
}

// message returns a DisplayText list for a result, nil for "".
func message(msg string) []ocpi.DisplayText {
	if msg == "" {
		return nil
	}
	if r := []rune(msg); len(r) > 512 {
		msg = string(r[:512])
	}
	return []ocpi.DisplayText{{Language: "en", Text: msg}}
}

// profileID is the chargingProfileId the hub uses for a transaction's TxProfile: a positive
// int32 derived from the hub's transaction id, so a new profile replaces the previous one and
// a DELETE can clear it by id.
func profileID(tx charging.Transaction) int {
	id := int(tx.ID % (1<<31 - 1))
	if id <= 0 {
		id = 1
	}
	return id
}

// sessionTransaction returns the transaction of an OCPI Session (its id is the hub's
// transaction id); ok is false for a session that is not the hub's.
func sessionTransaction(ctx context.Context, cs ChargingState, sess *ocpi.Session) (charging.Transaction, bool, error) {
	if sess == nil {
		return charging.Transaction{}, false, nil
	}
	id, err := strconv.ParseInt(sess.ID, 10, 64)
	if err != nil || id <= 0 {
		return charging.Transaction{}, false, nil
	}
	tx, err := cs.GetTransaction(ctx, id)
	if charging.IsNotFound(err) {
		return charging.Transaction{}, false, nil
	}
	if err != nil {
		return charging.Transaction{}, false, err
	}
	return tx, true, nil
}
