package mapping

import (
	"strings"

	"github.com/chargehub/hub/ocpi"
)

// ConnectorSpec is the operator-configured description of a station's connectors, used for what
// the OCPP side does not report: standard, format and power type when the device model gives no
// (mappable) connector type, and always voltage, amperage, tariffs and terms. MaxElectricPower is
// used when the device model gives no EVSE power limit.
type ConnectorSpec struct {
	Standard           ocpi.ConnectorType
	Format             ocpi.ConnectorFormat
	PowerType          ocpi.PowerType
	MaxVoltage         int      // V (phase to neutral for AC_3_PHASE)
	MaxAmperage        int      // A
	MaxElectricPower   int      // W; 0: not stated
	TariffIDs          []string // the connector's tariff_ids
	TermsAndConditions string   // URL
}

// Override returns s with every non-zero field of o replacing s's.
func (s ConnectorSpec) Override(o ConnectorSpec) ConnectorSpec {
	if o.Standard != "" {
		s.Standard = o.Standard
	}
	if o.Format != "" {
		s.Format = o.Format
	}
	if o.PowerType != "" {
		s.PowerType = o.PowerType
	}
	if o.MaxVoltage != 0 {
		s.MaxVoltage = o.MaxVoltage
	}
	if o.MaxAmperage != 0 {
		s.MaxAmperage = o.MaxAmperage
	}
	if o.MaxElectricPower != 0 {
		s.MaxElectricPower = o.MaxElectricPower
	}
	if o.TariffIDs != nil {
		s.TariffIDs = o.TariffIDs
	}
	if o.TermsAndConditions != "" {
		s.TermsAndConditions = o.TermsAndConditions
	}
	return s
}

// currentKind says which power types a connector type allows.
type currentKind int

const (
	eitherCurrent currentKind = iota // AC or DC (configured)
	acCurrent                        // AC; phases configured, else the type's default
	fixedCurrent                     // exactly the type's power type
)

// deviceConnector is one row of the 2.0.1 ConnectorEnumType table.
type deviceConnector struct {
	standard ocpi.ConnectorType
	format   ocpi.ConnectorFormat
	kind     currentKind
	power    ocpi.PowerType // fixedCurrent: the power type; acCurrent: the default
}

// lookupDeviceConnector returns the row for a 2.0.1 ConnectorEnumType value (matched
// case-insensitively); ok false for values OCPI has no connector type for.
func lookupDeviceConnector(t string) (deviceConnector, bool) {
	const (
		cable  = ocpi.ConnectorFormatCable
		socket = ocpi.ConnectorFormatSocket
	)
	switch strings.ToLower(strings.TrimSpace(t)) {
	case "cccs1":
		return deviceConnector{ocpi.ConnectorIEC62196T1Combo, cable, fixedCurrent, ocpi.PowerTypeDC}, true
	case "cccs2":
		return deviceConnector{ocpi.ConnectorIEC62196T2Combo, cable, fixedCurrent, ocpi.PowerTypeDC}, true
	case "cg105":
		return deviceConnector{ocpi.ConnectorCHAdeMO, cable, fixedCurrent, ocpi.PowerTypeDC}, true
	case "ctesla":
		return deviceConnector{ocpi.ConnectorTeslaS, cable, eitherCurrent, ""}, true
	case "ctype1":
		return deviceConnector{ocpi.ConnectorIEC62196T1, cable, fixedCurrent, ocpi.PowerTypeAC1Phase}, true
	case "ctype2":
		return deviceConnector{ocpi.ConnectorIEC62196T2, cable, acCurrent, ocpi.PowerTypeAC3Phase}, true
	case "stype2":
		return deviceConnector{ocpi.ConnectorIEC62196T2, socket, acCurrent, ocpi.PowerTypeAC3Phase}, true
	case "stype3":
		return deviceConnector{ocpi.ConnectorIEC62196T3C, socket, acCurrent, ocpi.PowerTypeAC3Phase}, true
	case "s309-1p-16a":
		return deviceConnector{ocpi.ConnectorIEC60309Single16, socket, fixedCurrent, ocpi.PowerTypeAC1Phase}, true
	case "s309-3p-16a":
		return deviceConnector{ocpi.ConnectorIEC60309Three16, socket, fixedCurrent, ocpi.PowerTypeAC3Phase}, true
	case "s309-3p-32a":
		return deviceConnector{ocpi.ConnectorIEC60309Three32, socket, fixedCurrent, ocpi.PowerTypeAC3Phase}, true
	case "sbs1361":
		return deviceConnector{ocpi.ConnectorDomesticG, socket, fixedCurrent, ocpi.PowerTypeAC1Phase}, true
	case "scee-7-7":
		return deviceConnector{ocpi.ConnectorDomesticF, socket, fixedCurrent, ocpi.PowerTypeAC1Phase}, true
	case "pan":
		return deviceConnector{ocpi.ConnectorPantographTopDown, cable, fixedCurrent, ocpi.PowerTypeDC}, true
	}
	return deviceConnector{}, false
}

func isAC(p ocpi.PowerType) bool {
	switch p {
	case ocpi.PowerTypeAC1Phase, ocpi.PowerTypeAC2Phase, ocpi.PowerTypeAC2PhaseSplit, ocpi.PowerTypeAC3Phase:
		return true
	}
	return false
}

// ConnectorFromDeviceModel returns the OCPI standard, format and power type of a connector whose
// 2.0.1 device model reports connectorType (see the table in the package documentation). What
// the type does not fix comes from spec: the power type of a cTesla connector, the AC power type
// of Type 2/Type 3 connectors (when spec's is an AC one; AC_3_PHASE otherwise). mapped is false
// when the type is not in the table ("", Unknown, Other*, wireless, s309-1P-32A, any 1.6
// connector): then spec's standard, format and power type are returned as they are.
func ConnectorFromDeviceModel(connectorType string, spec ConnectorSpec) (standard ocpi.ConnectorType, format ocpi.ConnectorFormat, power ocpi.PowerType, mapped bool) {
	row, ok := lookupDeviceConnector(connectorType)
	if !ok {
		return spec.Standard, spec.Format, spec.PowerType, false
	}
	switch row.kind {
	case fixedCurrent:
		power = row.power
	case acCurrent:
		power = row.power
		if isAC(spec.PowerType) {
			power = spec.PowerType
		}
	default:
		power = spec.PowerType
	}
	return row.standard, row.format, power, true
}
