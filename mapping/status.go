package mapping

import (
	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// noError is the 1.6 ChargePointErrorCode of a healthy connector.
const noError = "NoError"

// EVSEStatus16 maps an OCPP 1.6 connector status to the OCPI status of its (virtual) EVSE; see
// the package documentation for the table. hasSession says whether a transaction is active on
// the connector; errorCode is the StatusNotification's errorCode ("" or NoError when healthy).
// The station-wide connector 0 is applied afterwards with [ApplyStationStatus].
func EVSEStatus16(connector charging.ConnectorStatus, stationOnline bool, hasSession bool, errorCode string) ocpi.Status {
	if !stationOnline {
		return ocpi.StatusUnknown
	}
	switch connector {
	case charging.StatusAvailable:
		return ocpi.StatusAvailable
	case charging.StatusPreparing, charging.StatusCharging, charging.StatusSuspendedEV, charging.StatusSuspendedEVSE:
		return ocpi.StatusCharging
	case charging.StatusFinishing:
		if hasSession {
			return ocpi.StatusCharging
		}
		return ocpi.StatusBlocked
	case charging.StatusReserved:
		return ocpi.StatusReserved
	case charging.StatusUnavailable:
		if errorCode != "" && errorCode != noError {
			return ocpi.StatusOutOfOrder // unavailable because something is broken
		}
		return ocpi.StatusInoperative
	case charging.StatusFaulted:
		return ocpi.StatusOutOfOrder
	case charging.StatusOccupied: // a 2.0.1 value in a 1.6 context: in use
		if hasSession {
			return ocpi.StatusCharging
		}
		return ocpi.StatusBlocked
	}
	return ocpi.StatusUnknown
}

// EVSEStatus201 maps an OCPP 2.0.1 connector status to an OCPI EVSE status; see the package
// documentation for the table. chargingState is the TransactionEvent chargingState of the
// transaction active on the EVSE ("" when none), hasSession whether one is active. 1.6 in-use
// values (Preparing, Charging, ...) are read as Occupied.
func EVSEStatus201(connectorStatus charging.ConnectorStatus, chargingState string, hasSession, stationOnline bool) ocpi.Status {
	if !stationOnline {
		return ocpi.StatusUnknown
	}
	switch connectorStatus {
	case charging.StatusAvailable:
		if hasSession && chargingState != "" && chargingState != "Idle" {
			return ocpi.StatusCharging // the transaction reports an EV before the StatusNotification
		}
		return ocpi.StatusAvailable
	case charging.StatusOccupied, charging.StatusPreparing, charging.StatusCharging, charging.StatusSuspendedEV,
		charging.StatusSuspendedEVSE, charging.StatusFinishing:
		if hasSession {
			return ocpi.StatusCharging
		}
		return ocpi.StatusBlocked
	case charging.StatusReserved:
		return ocpi.StatusReserved
	case charging.StatusUnavailable:
		return ocpi.StatusInoperative
	case charging.StatusFaulted:
		return ocpi.StatusOutOfOrder
	}
	return ocpi.StatusUnknown
}

// ApplyStationStatus applies the station-wide status (1.6 connector 0) to an EVSE's status:
// Faulted makes it OUTOFORDER, Unavailable INOPERATIVE unless it is already OUTOFORDER; UNKNOWN
// (offline) stays UNKNOWN; any other station status leaves the EVSE's own status.
func ApplyStationStatus(evse ocpi.Status, station charging.ConnectorStatus) ocpi.Status {
	if evse == ocpi.StatusUnknown {
		return evse
	}
	switch station {
	case charging.StatusFaulted:
		return ocpi.StatusOutOfOrder
	case charging.StatusUnavailable:
		if evse != ocpi.StatusOutOfOrder {
			return ocpi.StatusInoperative
		}
	}
	return evse
}

// statusRank orders statuses from busiest (0) to least busy for AggregateStatus; -1 is not a
// status.
func statusRank(s ocpi.Status) int {
	switch s {
	case ocpi.StatusCharging:
		return 0
	case ocpi.StatusBlocked:
		return 1
	case ocpi.StatusReserved:
		return 2
	case ocpi.StatusAvailable:
		return 3
	case ocpi.StatusInoperative:
		return 4
	case ocpi.StatusOutOfOrder:
		return 5
	case ocpi.StatusUnknown:
		return 6
	case ocpi.StatusPlanned:
		return 7
	case ocpi.StatusRemoved:
		return 8
	}
	return -1
}

// AggregateStatus returns the status of an EVSE from the statuses of its connectors: the busiest
// one, in the order CHARGING, BLOCKED, RESERVED, AVAILABLE, INOPERATIVE, OUTOFORDER, UNKNOWN (then
// PLANNED, REMOVED). No statuses, or only unknown values, give UNKNOWN.
func AggregateStatus(statuses ...ocpi.Status) ocpi.Status {
	best, bestRank := ocpi.StatusUnknown, -1
	for _, s := range statuses {
		if r := statusRank(s); r >= 0 && (bestRank < 0 || r < bestRank) {
			best, bestRank = s, r
		}
	}
	return best
}
