package sim

import (
	"slices"
	"strconv"
	"strings"
	"time"

	v201 "github.com/chargehub/hub/ocpp/v201"
)

// The 2.0.1 device model of a simulated station (ocpp-notes.md §14): a small, realistic
// set of components and variables, built on demand from the charger's state so that an
// idle charger holds none of it. SetVariables stores the values it changes in
// state201.overrides; GetVariables, SetVariables and GetBaseReport read the same model.

// dmVar is one variable of the device model (the Actual attribute only).
type dmVar struct {
	component, compInstance string
	evse, connector         int // component.evse.id / connectorId; 0 = none
	name, instance          string
	value                   string
	mutability              v201.Mutability
	dataType                v201.Data
	unit                    string
	maxLimit                *float64
	valuesList              string
	summary                 bool // reported in SummaryInventory (availability and problems)
}

// key identifies the variable: component[instance]@evse/connector.variable[instance].
func (v *dmVar) key() string {
	return varKey(v.component, v.compInstance, v.evse, v.connector, v.name, v.instance)
}

func varKey(component, compInstance string, evse, connector int, name, instance string) string {
	return component + "[" + compInstance + "]@" + strconv.Itoa(evse) + "/" + strconv.Itoa(connector) + "." + name + "[" + instance + "]"
}

// componentKey identifies the component of a variable.
func componentKey(name, instance string, evse, connector int) string {
	return name + "[" + instance + "]@" + strconv.Itoa(evse) + "/" + strconv.Itoa(connector)
}

// txPointValues are the allowed members of TxCtrlr.TxStartPoint and TxStopPoint.
const txPointValues = "ParkingBayOccupancy,EVConnected,Authorized,DataSigned,PowerPathClosed,EnergyTransfer"

// measurandValues are the measurands the simulated meter can sample.
const measurandValues = "Energy.Active.Import.Register,Power.Active.Import"

// deviceModel returns the station's variables in report order, with the current values.
func (c *Charger) deviceModel() []dmVar {
	s := c.v2
	hb := int(time.Duration(c.hbInterval.Load()) / time.Second)
	sampleS := int(c.opts.SessionInterval / time.Second)
	ro, rw, wo := v201.MutabilityReadOnly, v201.MutabilityReadWrite, v201.MutabilityWriteOnly
	str, integer, boolean := v201.DataString, v201.DataInteger, v201.DataBoolean
	maxPower := float64(evseMaxPowerW)
	availability := "Available,Occupied,Reserved,Unavailable,Faulted"
	securityProfile := "0"
	if c.opts.Password != "" {
		securityProfile = "1"
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	stationState := "Available"
	if len(s.evses) > 1 && allInoperative(s.evses[1:]) {
		stationState = "Unavailable"
	}
	vars := []dmVar{
		{component: "ChargingStation", name: "AvailabilityState", value: stationState, mutability: ro, dataType: v201.DataOptionList, valuesList: availability, summary: true},
		{component: "ChargingStation", name: "Available", value: "true", mutability: ro, dataType: boolean, summary: true},
		{component: "ChargingStation", name: "Model", value: Model, mutability: ro, dataType: str},
		{component: "ChargingStation", name: "VendorName", value: Vendor, mutability: ro, dataType: str},
		{component: "ChargingStation", name: "Problem", value: "false", mutability: ro, dataType: boolean, summary: true},
		{component: "ChargingStation", name: "SupplyPhases", value: "3", mutability: ro, dataType: integer},
	}
	for i := 1; i < len(s.evses); i++ {
		e := &s.evses[i]
		state, available := string(e.status), strconv.FormatBool(!e.inoperative)
		vars = append(vars,
			dmVar{component: "EVSE", evse: i, name: "AvailabilityState", value: state, mutability: ro, dataType: v201.DataOptionList, valuesList: availability, summary: true},
			dmVar{component: "EVSE", evse: i, name: "Available", value: available, mutability: ro, dataType: boolean, summary: true},
			dmVar{component: "EVSE", evse: i, name: "Power", value: strconv.Itoa(e.power), mutability: ro, dataType: v201.DataDecimal, unit: "W", maxLimit: &maxPower},
			dmVar{component: "EVSE", evse: i, name: "SupplyPhases", value: "3", mutability: ro, dataType: integer},
			dmVar{component: "Connector", evse: i, connector: 1, name: "AvailabilityState", value: state, mutability: ro, dataType: v201.DataOptionList, valuesList: availability, summary: true},
			dmVar{component: "Connector", evse: i, connector: 1, name: "Available", value: available, mutability: ro, dataType: boolean, summary: true},
			dmVar{component: "Connector", evse: i, connector: 1, name: "ConnectorType", value: string(v201.ConnectorCType2), mutability: ro, dataType: str},
		)
	}
	vars = append(vars,
		dmVar{component: "OCPPCommCtrlr", name: "HeartbeatInterval", value: strconv.Itoa(hb), mutability: rw, dataType: integer, unit: "s"},
		dmVar{component: "OCPPCommCtrlr", name: "MessageTimeout", instance: "Default", value: strconv.Itoa(int(c.opts.CallTimeout / time.Second)), mutability: ro, dataType: integer, unit: "s"},
		dmVar{component: "OCPPCommCtrlr", name: "OfflineThreshold", value: "300", mutability: rw, dataType: integer, unit: "s"},
		dmVar{component: "OCPPCommCtrlr", name: "WebSocketPingInterval", value: "0", mutability: rw, dataType: integer, unit: "s"},
		dmVar{component: "SecurityCtrlr", name: "BasicAuthPassword", mutability: wo, dataType: str},
		dmVar{component: "SecurityCtrlr", name: "Identity", value: c.id, mutability: ro, dataType: str},
		dmVar{component: "SecurityCtrlr", name: "OrganizationName", value: Vendor, mutability: rw, dataType: str},
		dmVar{component: "SecurityCtrlr", name: "SecurityProfile", value: securityProfile, mutability: ro, dataType: integer},
		dmVar{component: "TxCtrlr", name: "EVConnectionTimeOut", value: "60", mutability: rw, dataType: integer, unit: "s"},
		dmVar{component: "TxCtrlr", name: "StopTxOnEVSideDisconnect", value: "true", mutability: ro, dataType: boolean},
		dmVar{component: "TxCtrlr", name: "StopTxOnInvalidId", value: "true", mutability: rw, dataType: boolean},
		dmVar{component: "TxCtrlr", name: "TxStartPoint", value: "PowerPathClosed", mutability: rw, dataType: v201.DataMemberList, valuesList: txPointValues},
		dmVar{component: "TxCtrlr", name: "TxStopPoint", value: "PowerPathClosed", mutability: rw, dataType: v201.DataMemberList, valuesList: txPointValues},
		dmVar{component: "SampledDataCtrlr", name: "TxEndedMeasurands", value: "Energy.Active.Import.Register", mutability: rw, dataType: v201.DataMemberList, valuesList: measurandValues},
		dmVar{component: "SampledDataCtrlr", name: "TxStartedMeasurands", value: "Energy.Active.Import.Register", mutability: rw, dataType: v201.DataMemberList, valuesList: measurandValues},
		dmVar{component: "SampledDataCtrlr", name: "TxUpdatedInterval", value: strconv.Itoa(sampleS), mutability: rw, dataType: integer, unit: "s"},
		dmVar{component: "SampledDataCtrlr", name: "TxUpdatedMeasurands", value: measurandValues, mutability: rw, dataType: v201.DataMemberList, valuesList: measurandValues},
		dmVar{component: "AuthCtrlr", name: "AuthorizeRemoteStart", value: "false", mutability: rw, dataType: boolean},
		dmVar{component: "AuthCtrlr", name: "LocalAuthorizeOffline", value: "false", mutability: rw, dataType: boolean},
		dmVar{component: "AuthCtrlr", name: "LocalPreAuthorize", value: "false", mutability: rw, dataType: boolean},
		dmVar{component: "LocalAuthListCtrlr", name: "Enabled", value: "true", mutability: rw, dataType: boolean},
		dmVar{component: "LocalAuthListCtrlr", name: "Entries", value: strconv.Itoa(s.listEntries), mutability: ro, dataType: integer},
		dmVar{component: "ReservationCtrlr", name: "Enabled", value: "true", mutability: rw, dataType: boolean},
		dmVar{component: "ReservationCtrlr", name: "NonEvseSpecific", value: "true", mutability: rw, dataType: boolean},
		dmVar{component: "SmartChargingCtrlr", name: "Enabled", value: "true", mutability: rw, dataType: boolean},
		dmVar{component: "SmartChargingCtrlr", name: "RateUnit", value: "A,W", mutability: ro, dataType: v201.DataMemberList, valuesList: "A,W"},
		dmVar{component: "DeviceDataCtrlr", name: "ItemsPerMessage", instance: "GetReport", value: "20", mutability: ro, dataType: integer},
		dmVar{component: "DeviceDataCtrlr", name: "ItemsPerMessage", instance: "GetVariables", value: "50", mutability: ro, dataType: integer},
		dmVar{component: "DeviceDataCtrlr", name: "ItemsPerMessage", instance: "SetVariables", value: "50", mutability: ro, dataType: integer},
	)
	for i := range vars {
		if v, ok := s.overrides[vars[i].key()]; ok && vars[i].name != "HeartbeatInterval" {
			vars[i].value = v
		}
	}
	return vars
}

func allInoperative(evses []evse201) bool {
	for _, e := range evses {
		if !e.inoperative {
			return false
		}
	}
	return true
}

// lookupVar finds the variable a GetVariables/SetVariables entry names; status is ""
// when found, else UnknownComponent or UnknownVariable.
func lookupVar(vars []dmVar, comp v201.Component, v v201.Variable) (*dmVar, string) {
	evse, connector := 0, 0
	if comp.EVSE != nil {
		evse = comp.EVSE.ID
		if comp.EVSE.ConnectorID != nil {
			connector = *comp.EVSE.ConnectorID
		}
	}
	want := componentKey(comp.Name, comp.Instance, evse, connector)
	knownComponent := false
	for i := range vars {
		if componentKey(vars[i].component, vars[i].compInstance, vars[i].evse, vars[i].connector) != want {
			continue
		}
		knownComponent = true
		if vars[i].name == v.Name && vars[i].instance == v.Instance {
			return &vars[i], ""
		}
	}
	if knownComponent {
		return nil, "UnknownVariable"
	}
	return nil, "UnknownComponent"
}

// getVariables answers GetVariables from the device model: only the Actual attribute
// exists, WriteOnly variables (BasicAuthPassword) are Rejected.
func (c *Charger) getVariables(r *v201.GetVariablesRequest) *v201.GetVariablesResponse {
	vars := c.deviceModel()
	resp := &v201.GetVariablesResponse{GetVariableResult: make([]v201.GetVariableResult, 0, len(r.GetVariableData))}
	for _, d := range r.GetVariableData {
		res := v201.GetVariableResult{Component: d.Component, Variable: d.Variable, AttributeType: d.AttributeType}
		v, miss := lookupVar(vars, d.Component, d.Variable)
		switch {
		case miss != "":
			res.AttributeStatus = v201.GetVariableStatus(miss)
		case d.AttributeType != "" && d.AttributeType != v201.AttributeActual:
			res.AttributeStatus = v201.GetVariableStatusNotSupportedAttributeType
		case v.mutability == v201.MutabilityWriteOnly:
			res.AttributeStatus = v201.GetVariableStatusRejected
			res.AttributeStatusInfo = &v201.StatusInfo{ReasonCode: "WriteOnly"}
		default:
			res.AttributeStatus, res.AttributeValue = v201.GetVariableStatusAccepted, v.value
		}
		resp.GetVariableResult = append(resp.GetVariableResult, res)
	}
	return resp
}

// setVariables applies SetVariables: ReadOnly variables and values that do not fit the
// data type are Rejected; OCPPCommCtrlr.HeartbeatInterval takes effect at once;
// SecurityCtrlr.BasicAuthPassword (16 to 40 characters) is accepted and kept.
func (c *Charger) setVariables(r *v201.SetVariablesRequest) *v201.SetVariablesResponse {
	vars := c.deviceModel()
	resp := &v201.SetVariablesResponse{SetVariableResult: make([]v201.SetVariableResult, 0, len(r.SetVariableData))}
	for _, d := range r.SetVariableData {
		res := v201.SetVariableResult{Component: d.Component, Variable: d.Variable, AttributeType: d.AttributeType}
		v, miss := lookupVar(vars, d.Component, d.Variable)
		switch {
		case miss != "":
			res.AttributeStatus = v201.SetVariableStatus(miss)
		case d.AttributeType != "" && d.AttributeType != v201.AttributeActual:
			res.AttributeStatus = v201.SetVariableStatusNotSupportedAttributeType
		case v.mutability == v201.MutabilityReadOnly:
			res.AttributeStatus = v201.SetVariableStatusRejected
			res.AttributeStatusInfo = &v201.StatusInfo{ReasonCode: "ReadOnly"}
		case !validValue(v, d.AttributeValue):
			res.AttributeStatus = v201.SetVariableStatusRejected
			res.AttributeStatusInfo = &v201.StatusInfo{ReasonCode: "InvalidValue"}
		default:
			res.AttributeStatus = v201.SetVariableStatusAccepted
			if v.component == "OCPPCommCtrlr" && v.name == "HeartbeatInterval" {
				n, _ := strconv.Atoi(d.AttributeValue)
				c.SetHeartbeatInterval(time.Duration(n) * time.Second)
			}
			c.v2.mu.Lock()
			if c.v2.overrides == nil {
				c.v2.overrides = make(map[string]string)
			}
			c.v2.overrides[v.key()] = d.AttributeValue
			c.v2.mu.Unlock()
		}
		resp.SetVariableResult = append(resp.SetVariableResult, res)
	}
	return resp
}

// validValue checks value against the variable's data type and values list.
func validValue(v *dmVar, value string) bool {
	if v.component == "SecurityCtrlr" && v.name == "BasicAuthPassword" {
		n := len([]rune(value))
		return n >= 16 && n <= 40
	}
	switch v.dataType {
	case v201.DataInteger:
		n, err := strconv.Atoi(value)
		return err == nil && n >= 0
	case v201.DataBoolean:
		return value == "true" || value == "false"
	case v201.DataMemberList, v201.DataOptionList:
		allowed := strings.Split(v.valuesList, ",")
		parts := []string{value}
		if v.dataType == v201.DataMemberList {
			parts = strings.Split(value, ",")
		}
		for _, p := range parts {
			if !slices.Contains(allowed, p) {
				return false
			}
		}
	}
	return true
}

// reportData is the device model selected by base, as NotifyReport entries: Full is
// everything, Configuration the writable variables, Summary availability and problems.
func (c *Charger) reportData(base v201.ReportBase) []v201.ReportData {
	var out []v201.ReportData
	for _, v := range c.deviceModel() {
		switch base {
		case v201.ReportBaseConfigurationInventory:
			if v.mutability == v201.MutabilityReadOnly {
				continue
			}
		case v201.ReportBaseSummaryInventory:
			if !v.summary {
				continue
			}
		}
		comp := v201.Component{Name: v.component, Instance: v.compInstance}
		if v.evse > 0 {
			comp.EVSE = &v201.EVSE{ID: v.evse}
			if v.connector > 0 {
				connector := v.connector
				comp.EVSE.ConnectorID = &connector
			}
		}
		attr := v201.VariableAttribute{Type: v201.AttributeActual, Mutability: v.mutability}
		if v.mutability != v201.MutabilityWriteOnly {
			attr.Value = v.value
		}
		out = append(out, v201.ReportData{
			Component:         comp,
			Variable:          v201.Variable{Name: v.name, Instance: v.instance},
			VariableAttribute: []v201.VariableAttribute{attr},
			VariableCharacteristics: &v201.VariableCharacteristics{
				Unit: v.unit, DataType: v.dataType, MaxLimit: v.maxLimit, ValuesList: v.valuesList,
			},
		})
	}
	return out
}
