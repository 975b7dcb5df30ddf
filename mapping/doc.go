// Package mapping turns the hub's OCPP-side state into OCPI 2.2.1 objects: locations with EVSEs and connectors, sessions with charging periods, and CDRs. Pure functions: no I/O, no clock, no globals.
//
// Every builder validates what it produces (the objects' Validate methods) and returns an error
// instead of an object a strict peer would reject. Every last_updated comes from the inputs'
// timestamps, never from a wall clock. The one environment read is the IANA time-zone lookup of
// [BuildCDR] for pricing (time.LoadLocation); [BuildCDRInZone] takes the zone from the caller.
// Rules follow shared/docs/ocpi-2.2.1.md section 9 (the OCPP → OCPI mapping guide), 5.1-5.3 and 7.
//
// # Identifiers
//
// A 1.6 connector N is EVSE N with connector 1 (the domain stores it so); connector/EVSE 0 (the
// station as a whole) never becomes an OCPI EVSE. [EVSEUID] is the EVSE's technical uid and
// [EVSEID] its eMI3 evse_id; both are derived from the station id and the EVSE id, so they are
// stable without being stored, and neither is a hardware serial. [SessionID] is the hub's
// transaction id in decimal (unique in the hub, unlike a 2.0.1 station's transactionId).
//
// # EVSE status
//
// OCPP 1.6 (per connector; [EVSEStatus16]):
//
//	| ChargePointStatus                       | OCPI status                                   |
//	|-----------------------------------------|-----------------------------------------------|
//	| Available                               | AVAILABLE                                     |
//	| Preparing, Charging, SuspendedEV,       | CHARGING                                      |
//	|   SuspendedEVSE                         |                                               |
//	| Finishing                               | CHARGING with an active session, else BLOCKED |
//	| Reserved                                | RESERVED                                      |
//	| Unavailable                             | INOPERATIVE (OUTOFORDER when an errorCode     |
//	|                                         |   other than NoError comes with it: broken)   |
//	| Faulted                                 | OUTOFORDER                                    |
//	| none reported / unknown value           | UNKNOWN                                       |
//	| station offline (any status)            | UNKNOWN                                       |
//	| connector 0 Unavailable / Faulted       | every EVSE of the station INOPERATIVE /       |
//	|                                         |   OUTOFORDER (ApplyStationStatus)             |
//
// OCPP 2.0.1 (per connector; [EVSEStatus201]):
//
//	| ConnectorStatusEnumType | OCPI status                                                  |
//	|-------------------------|--------------------------------------------------------------|
//	| Available               | AVAILABLE; CHARGING when a session is active on the EVSE and |
//	|                         |   its chargingState says an EV is there (status lag)         |
//	| Occupied                | CHARGING with an active session, else BLOCKED                |
//	| Reserved                | RESERVED                                                     |
//	| Unavailable             | INOPERATIVE                                                  |
//	| Faulted                 | OUTOFORDER                                                   |
//	| none / unknown value    | UNKNOWN                                                      |
//	| station offline         | UNKNOWN                                                      |
//
// An EVSE with several connectors takes the busiest connector status ([AggregateStatus]):
// CHARGING, BLOCKED, RESERVED, AVAILABLE, INOPERATIVE, OUTOFORDER, UNKNOWN. The grace period
// before an offline station counts as offline is the caller's: pass stationOnline true within it.
//
// # Connector types
//
// The 2.0.1 device model's Connector.ConnectorType becomes standard, format and power type
// ([ConnectorFromDeviceModel]); values not in the table (s309-1P-32A, Other*, wInductive,
// wResonant, Undetermined, Unknown, none reported, every 1.6 connector) take the station's
// configured ConnectorSpec. Voltage, amperage and tariffs always come from the ConnectorSpec;
// max_electric_power from the EVSE's device-model power limit when known.
//
//	| ConnectorType | standard              | format | power type                          |
//	|---------------|-----------------------|--------|-------------------------------------|
//	| cCCS1         | IEC_62196_T1_COMBO    | CABLE  | DC                                  |
//	| cCCS2         | IEC_62196_T2_COMBO    | CABLE  | DC                                  |
//	| cG105         | CHADEMO               | CABLE  | DC                                  |
//	| cTesla        | TESLA_S               | CABLE  | configured (AC or DC)               |
//	| cType1        | IEC_62196_T1          | CABLE  | AC_1_PHASE                          |
//	| cType2        | IEC_62196_T2          | CABLE  | configured AC type, else AC_3_PHASE |
//	| sType2        | IEC_62196_T2          | SOCKET | configured AC type, else AC_3_PHASE |
//	| sType3        | IEC_62196_T3C         | SOCKET | configured AC type, else AC_3_PHASE |
//	| s309-1P-16A   | IEC_60309_2_single_16 | SOCKET | AC_1_PHASE                          |
//	| s309-3P-16A   | IEC_60309_2_three_16  | SOCKET | AC_3_PHASE                          |
//	| s309-3P-32A   | IEC_60309_2_three_32  | SOCKET | AC_3_PHASE                          |
//	| sBS1361       | DOMESTIC_G            | SOCKET | AC_1_PHASE                          |
//	| sCEE-7-7      | DOMESTIC_F            | SOCKET | AC_1_PHASE                          |
//	| Pan           | PANTOGRAPH_TOP_DOWN   | CABLE  | DC                                  |
//
// # Capabilities
//
// Unless a station lists its own: REMOTE_START_STOP_CAPABLE (1.6 RemoteStartTransaction, 2.0.1
// RequestStartTransaction) and RFID_READER; UNLOCK_CAPABLE when a connector is a SOCKET
// (unlocking a tethered cable frees nothing); START_SESSION_CONNECTOR_REQUIRED whenever an EVSE
// has more than one connector (always added). RESERVABLE and CHARGING_PROFILE_CAPABLE are not
// claimed until the hub wires those OCPI modules to OCPP.
//
// # Charging periods
//
// [BuildSession] cuts the session into periods at its start, at every instant with an energy
// register reading (Energy.Active.Import.Register, Outlet side, phase-less or summed over L1-L3)
// and at every charging-state change passed in SessionOptions.States; instants are truncated to
// whole seconds and samples outside the session are moved to its start or end. The start reading
// is meterStart (1.6) or the Transaction.Begin/first reading (2.0.1 without a meterStart), the end
// reading the stop register. Energy between readings follows the domain's rule
// (charging.SessionEnergyWh): a rise counts, a drop below half the previous reading is a meter
// reset (the new reading counts from zero), a smaller drop is jitter and counts nothing: ENERGY is
// never negative. A period is PARKING_TIME (hours) when the EV is connected but does not ask for
// power after energy has flowed in the session: its state is SuspendedEV, EVConnected or
// Finishing, or - with no state known - no energy was registered, active import power stayed at
// or below [IdlePowerW] at every sample of the interval (at least one measured), and no
// Power.Offered/Current.Offered sample showed the EVSE withholding power (offered 0 means a
// SuspendedEVSE-like pause, which is TIME). Everything else is TIME, including SuspendedEVSE,
// smart-charging pauses and time before the first energy. Energy between two readings goes to the
// non-parking parts in proportion to their duration. Each period carries ENERGY (kWh, up to 6
// decimals, 0 allowed), TIME or PARKING_TIME (hours, 6 decimals, cumulative rounding so the
// periods add up exactly to the session duration rounded like the tariff engine does), and where
// measured MIN_POWER/MAX_POWER/POWER (kW), MIN_CURRENT/MAX_CURRENT/CURRENT (A, summed over phases)
// and STATE_OF_CHARGE (%); measurements at an instant belong to the period that ends there.
// SessionOptions.MergeUpTo merges consecutive periods of the same kind up to that length. The
// domain's EnergyWh is authoritative for a completed transaction: a difference to the sum of the
// periods (fractional or revised readings) goes to the latest TIME periods, never below zero.
//
// CDRs copy the Session's periods without the Session-only dimensions, recompute each period's
// TIME/PARKING_TIME from its boundaries (idempotent for BuildSession's periods) and state totals
// equal to the sums of the periods.
package mapping
