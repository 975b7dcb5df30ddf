package v201

// example is a realistic request and response of one action, written in the canonical
// form the hub sends (UTC timestamps with milliseconds), so that a strict decode
// followed by a marshal reproduces it.
type example struct {
	name, action, request, response string
}

// The TransactionEvent of one session: Started (cable plugged in, token presented, with
// a signed Transaction.Begin register), Updated (periodic samples), Ended.
const (
	txStarted = `{"eventType":"Started","timestamp":"2025-01-31T10:20:30.000Z","triggerReason":"Authorized","seqNo":0,` +
		`"transactionInfo":{"transactionId":"7f3c2a9e-5b1d-4e8f-9a0b-1c2d3e4f5a6b","chargingState":"EVConnected","remoteStartId":4711},` +
		`"evse":{"id":1,"connectorId":1},"idToken":{"idToken":"04E91C5A123480","type":"ISO14443"},"reservationId":12,` +
		`"meterValue":[{"timestamp":"2025-01-31T10:20:30.000Z","sampledValue":[{"value":12345.60,"context":"Transaction.Begin",` +
		`"measurand":"Energy.Active.Import.Register","location":"Outlet","unitOfMeasure":{"unit":"kWh","multiplier":0},` +
		`"signedMeterValue":{"signedMeterData":"T0NNRnx7IkZWIjoiMS4wIiwiR0kiOiJBQkIifQ==","signingMethod":"ECDSA-secp256r1-SHA256",` +
		`"encodingMethod":"OCMF","publicKey":"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"}}]}]}`
	txUpdated = `{"eventType":"Updated","timestamp":"2025-01-31T10:35:30.000Z","triggerReason":"MeterValuePeriodic","seqNo":1,` +
		`"offline":false,"numberOfPhasesUsed":3,"cableMaxCurrent":32,` +
		`"transactionInfo":{"transactionId":"7f3c2a9e-5b1d-4e8f-9a0b-1c2d3e4f5a6b","chargingState":"Charging","timeSpentCharging":900},` +
		`"meterValue":[{"timestamp":"2025-01-31T10:35:30.000Z","sampledValue":[` +
		`{"value":14.72,"context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","unitOfMeasure":{"unit":"kWh"}},` +
		`{"value":10980,"measurand":"Power.Active.Import","unitOfMeasure":{"unit":"W"}},` +
		`{"value":15.9,"measurand":"Current.Import","phase":"L1","unitOfMeasure":{"unit":"A"}},` +
		`{"value":231.2,"measurand":"Voltage","phase":"L1-N","unitOfMeasure":{"unit":"V"}},` +
		`{"value":42,"measurand":"SoC","location":"EV","unitOfMeasure":{"unit":"Percent"}}]}]}`
	txEnded = `{"eventType":"Ended","timestamp":"2025-01-31T11:20:30.000Z","triggerReason":"EVDeparted","seqNo":2,` +
		`"transactionInfo":{"transactionId":"7f3c2a9e-5b1d-4e8f-9a0b-1c2d3e4f5a6b","chargingState":"Idle","timeSpentCharging":3540,` +
		`"stoppedReason":"EVDisconnected"},"meterValue":[{"timestamp":"2025-01-31T11:20:30.000Z","sampledValue":[` +
		`{"value":12378.413,"context":"Transaction.End","measurand":"Energy.Active.Import.Register","unitOfMeasure":{"unit":"Wh","multiplier":3}}]}]}`
)

var examples = []example{
	{"", "BootNotification",
		`{"chargingStation":{"serialNumber":"ACE0123456","model":"NG920-61023","modem":{"iccid":"8931440400012345678","imsi":"204043123456789"},` +
			`"vendorName":"Alfen BV","firmwareVersion":"7.1.0-4207"},"reason":"PowerUp"}`,
		`{"currentTime":"2025-01-31T10:20:30.123Z","interval":300,"status":"Accepted"}`},
	{"pending", "BootNotification",
		`{"chargingStation":{"model":"Pulsar Plus","vendorName":"Wallbox"},"reason":"FirmwareUpdate","customData":{"vendorId":"com.wallbox","bootCount":17}}`,
		`{"currentTime":"2025-01-31T10:20:30.000Z","interval":60,"status":"Pending","statusInfo":{"reasonCode":"Unregistered","additionalInfo":"awaiting operator approval"}}`},
	{"", "Heartbeat", `{}`, `{"currentTime":"2025-01-31T10:20:30.000Z"}`},
	{"", "StatusNotification",
		`{"timestamp":"2025-01-31T10:21:00.000Z","connectorStatus":"Occupied","evseId":1,"connectorId":1}`, `{}`},
	{"", "Authorize",
		`{"idToken":{"idToken":"NL-TNM-C00122045-K","type":"eMAID","additionalInfo":[{"additionalIdToken":"04E91C5A123480","type":"ISO14443"}]},` +
			`"iso15118CertificateHashData":[{"hashAlgorithm":"SHA256","issuerNameHash":"f2bd5b1f0b1d3c0b9a4e","issuerKeyHash":"a1b2c3d4e5f60718","serialNumber":"5A3C9E01",` +
			`"responderURL":"http://ocsp.example.com"}]}`,
		`{"idTokenInfo":{"status":"Accepted","cacheExpiryDateTime":"2025-02-01T00:00:00.000Z","chargingPriority":1,"language1":"nl",` +
			`"evseId":[1,2],"groupIdToken":{"idToken":"FLEET-42","type":"Central"},"personalMessage":{"format":"UTF8","language":"nl","content":"Welkom terug!"}},` +
			`"certificateStatus":"Accepted"}`},
	{"started", "TransactionEvent", txStarted,
		`{"idTokenInfo":{"status":"Accepted","groupIdToken":{"idToken":"FLEET-42","type":"Central"}},"chargingPriority":0}`},
	{"updated", "TransactionEvent", txUpdated, `{}`},
	{"ended", "TransactionEvent", txEnded,
		`{"totalCost":9.87,"updatedPersonalMessage":{"format":"ASCII","content":"Thank you: 33.1 kWh, EUR 9.87"}}`},
	{"", "MeterValues",
		`{"evseId":0,"meterValue":[{"timestamp":"2025-01-31T10:30:00.000Z","sampledValue":[` +
			`{"value":604.2130,"context":"Sample.Clock","measurand":"Energy.Active.Import.Register","location":"Inlet","unitOfMeasure":{"unit":"kWh"}},` +
			`{"value":-1.5e3,"context":"Sample.Clock","measurand":"Power.Active.Export","phase":"L2","location":"Inlet","unitOfMeasure":{"unit":"W"}},` +
			`{"value":0.98,"measurand":"Power.Factor"}]}]}`,
		`{}`},
	{"", "NotifyReport",
		`{"requestId":1,"generatedAt":"2025-01-31T10:22:00.000Z","seqNo":0,"tbc":true,"reportData":[` +
			`{"component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"},` +
			`"variableAttribute":[{"type":"Actual","value":"300","mutability":"ReadWrite","persistent":true,"constant":false}],` +
			`"variableCharacteristics":{"unit":"s","dataType":"integer","minLimit":1,"maxLimit":86400,"supportsMonitoring":true}},` +
			`{"component":{"name":"Connector","evse":{"id":1,"connectorId":1}},"variable":{"name":"AvailabilityState"},` +
			`"variableAttribute":[{"value":"Available","mutability":"ReadOnly"}],` +
			`"variableCharacteristics":{"dataType":"OptionList","valuesList":"Available,Occupied,Reserved,Unavailable,Faulted","supportsMonitoring":false}},` +
			`{"component":{"name":"TxCtrlr"},"variable":{"name":"TxStartPoint"},"variableAttribute":[{"value":"EVConnected,Authorized"},` +
			`{"type":"MaxSet","value":"4","mutability":"ReadOnly"}],"variableCharacteristics":{"dataType":"MemberList",` +
			`"valuesList":"ParkingBayOccupancy,EVConnected,Authorized,DataSigned,PowerPathClosed,EnergyTransfer","supportsMonitoring":false}}]}`,
		`{}`},
	{"", "GetBaseReport", `{"requestId":1,"reportBase":"FullInventory"}`, `{"status":"Accepted"}`},
	{"", "GetVariables",
		`{"getVariableData":[{"component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}},` +
			`{"attributeType":"Target","component":{"name":"EVSE","evse":{"id":1}},"variable":{"name":"Power","instance":"Max"}},` +
			`{"component":{"name":"SampledDataCtrlr"},"variable":{"name":"TxUpdatedMeasurands"}},` +
			`{"component":{"name":"NoSuchCtrlr"},"variable":{"name":"Enabled"}}]}`,
		`{"getVariableResult":[{"attributeStatus":"Accepted","attributeType":"Actual","attributeValue":"300","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}},` +
			`{"attributeStatus":"NotSupportedAttributeType","attributeType":"Target","component":{"name":"EVSE","evse":{"id":1}},"variable":{"name":"Power","instance":"Max"}},` +
			`{"attributeStatus":"Accepted","attributeValue":"Energy.Active.Import.Register,Power.Active.Import,SoC","component":{"name":"SampledDataCtrlr"},"variable":{"name":"TxUpdatedMeasurands"}},` +
			`{"attributeStatus":"UnknownComponent","attributeStatusInfo":{"reasonCode":"NotFound"},"component":{"name":"NoSuchCtrlr"},"variable":{"name":"Enabled"}}]}`},
	{"", "SetVariables",
		`{"setVariableData":[{"attributeValue":"300","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}},` +
			`{"attributeType":"Actual","attributeValue":"true","component":{"name":"AuthCtrlr"},"variable":{"name":"LocalPreAuthorize"}},` +
			`{"attributeValue":"EVConnected,PowerPathClosed","component":{"name":"TxCtrlr"},"variable":{"name":"TxStartPoint"}},` +
			`{"attributeValue":"","component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"}}]}`,
		`{"setVariableResult":[{"attributeStatus":"Accepted","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}},` +
			`{"attributeType":"Actual","attributeStatus":"RebootRequired","component":{"name":"AuthCtrlr"},"variable":{"name":"LocalPreAuthorize"}},` +
			`{"attributeStatus":"Accepted","component":{"name":"TxCtrlr"},"variable":{"name":"TxStartPoint"}},` +
			`{"attributeStatus":"Rejected","attributeStatusInfo":{"reasonCode":"InvalidValue","additionalInfo":"password must be 16..40 characters"},` +
			`"component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"}}]}`},
	{"", "RequestStartTransaction",
		`{"evseId":1,"remoteStartId":4711,"idToken":{"idToken":"HUB0000000000001","type":"Central"},"groupIdToken":{"idToken":"FLEET-42","type":"Central"},` +
			`"chargingProfile":{"id":12,"stackLevel":0,"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Relative",` +
			`"chargingSchedule":[{"id":1,"duration":7200,"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16},` +
			`{"startPeriod":3600,"limit":10.5,"numberPhases":1,"phaseToUse":2}],"minChargingRate":6}]}}`,
		`{"status":"Accepted"}`},
	{"running", "RequestStartTransaction",
		`{"remoteStartId":4712,"idToken":{"idToken":"HUB0000000000002","type":"Central"}}`,
		`{"status":"Accepted","transactionId":"7f3c2a9e-5b1d-4e8f-9a0b-1c2d3e4f5a6b"}`},
	{"", "RequestStopTransaction", `{"transactionId":"7f3c2a9e-5b1d-4e8f-9a0b-1c2d3e4f5a6b"}`,
		`{"status":"Rejected","statusInfo":{"reasonCode":"TxNotFound"}}`},
	{"", "SetChargingProfile",
		`{"evseId":0,"chargingProfile":{"id":1,"stackLevel":2,"chargingProfilePurpose":"ChargingStationMaxProfile","chargingProfileKind":"Recurring",` +
			`"recurrencyKind":"Daily","validFrom":"2025-01-01T00:00:00.000Z","validTo":"2026-01-01T00:00:00.000Z","chargingSchedule":[` +
			`{"id":1,"startSchedule":"2025-01-01T00:00:00.000Z","duration":86400,"chargingRateUnit":"W",` +
			`"chargingSchedulePeriod":[{"startPeriod":0,"limit":22000},{"startPeriod":61200,"limit":11000.5,"numberPhases":3}],` +
			`"salesTariff":{"id":3,"salesTariffDescription":"day/night","numEPriceLevels":2,"salesTariffEntry":[` +
			`{"relativeTimeInterval":{"start":0,"duration":61200},"ePriceLevel":1,"consumptionCost":[{"startValue":0,` +
			`"cost":[{"costKind":"RenewableGenerationPercentage","amount":40},{"costKind":"CarbonDioxideEmission","amount":230,"amountMultiplier":-1}]}]},` +
			`{"relativeTimeInterval":{"start":61200},"ePriceLevel":0}]}}]}}`,
		`{"status":"Accepted"}`},
	{"txprofile", "SetChargingProfile",
		`{"evseId":1,"chargingProfile":{"id":13,"stackLevel":1,"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Absolute",` +
			`"transactionId":"7f3c2a9e-5b1d-4e8f-9a0b-1c2d3e4f5a6b","chargingSchedule":[{"id":2,"startSchedule":"2025-01-31T10:40:00.000Z",` +
			`"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":8}]}]}}`,
		`{"status":"Rejected","statusInfo":{"reasonCode":"TxNotFound"}}`},
	{"", "GetCompositeSchedule", `{"duration":3600,"chargingRateUnit":"W","evseId":1}`,
		`{"status":"Accepted","schedule":{"evseId":1,"duration":3600,"scheduleStart":"2025-01-31T10:40:00.000Z","chargingRateUnit":"W",` +
			`"chargingSchedulePeriod":[{"startPeriod":0,"limit":5520,"numberPhases":1},{"startPeriod":1800,"limit":11040}]}}`},
	{"", "GetChargingProfiles",
		`{"requestId":9,"evseId":1,"chargingProfile":{"chargingProfilePurpose":"TxDefaultProfile","chargingLimitSource":["CSO","EMS"]}}`,
		`{"status":"NoProfiles"}`},
	{"", "ClearChargingProfile", `{"chargingProfileCriteria":{"evseId":0,"chargingProfilePurpose":"ChargingStationMaxProfile","stackLevel":2}}`,
		`{"status":"Unknown"}`},
	{"", "TriggerMessage", `{"requestedMessage":"StatusNotification","evse":{"id":1,"connectorId":1}}`, `{"status":"Accepted"}`},
	{"", "ChangeAvailability", `{"operationalStatus":"Inoperative","evse":{"id":2}}`, `{"status":"Scheduled"}`},
	{"", "Reset", `{"type":"OnIdle"}`, `{"status":"Scheduled"}`},
	{"", "UnlockConnector", `{"evseId":1,"connectorId":1}`, `{"status":"OngoingAuthorizedTransaction"}`},
	{"", "GetTransactionStatus", `{"transactionId":"7f3c2a9e-5b1d-4e8f-9a0b-1c2d3e4f5a6b"}`, `{"ongoingIndicator":false,"messagesInQueue":true}`},
	{"", "CostUpdated", `{"totalCost":4.20,"transactionId":"7f3c2a9e-5b1d-4e8f-9a0b-1c2d3e4f5a6b"}`, `{}`},
	{"", "ReserveNow",
		`{"id":7,"expiryDateTime":"2025-01-31T11:00:00.000Z","connectorType":"cCCS2","idToken":{"idToken":"04E91C5A123480","type":"ISO14443"},"evseId":2}`,
		`{"status":"Occupied"}`},
	{"", "ReservationStatusUpdate", `{"reservationId":7,"reservationUpdateStatus":"Expired"}`, `{}`},
	{"", "SendLocalList",
		`{"versionNumber":5,"updateType":"Differential","localAuthorizationList":[{"idToken":{"idToken":"04E91C5A123480","type":"ISO14443"},` +
			`"idTokenInfo":{"status":"Accepted","cacheExpiryDateTime":"2026-01-01T00:00:00.000Z"}},{"idToken":{"idToken":"DEADBEEF","type":"ISO14443"}}]}`,
		`{"status":"VersionMismatch"}`},
	{"", "ClearCache", `{}`, `{"status":"Accepted"}`},
	{"", "GetLocalListVersion", `{}`, `{"versionNumber":0}`},
	{"", "DataTransfer",
		`{"vendorId":"com.alfen","messageId":"PlugAndChargeStatus","data":{"enabled":true,"evses":[1,2]}}`,
		`{"status":"Accepted","data":"ok"}`},
	{"unknown vendor", "DataTransfer", `{"vendorId":"org.example"}`, `{"status":"UnknownVendorId"}`},
	{"", "SecurityEventNotification",
		`{"type":"InvalidCsmsCertificate","timestamp":"2025-01-31T10:20:30.000Z","techInfo":"CN mismatch: csms.example.com"}`, `{}`},
	{"", "SignCertificate",
		`{"csr":"-----BEGIN CERTIFICATE REQUEST-----\nMIIBVjCB\n-----END CERTIFICATE REQUEST-----\n","certificateType":"ChargingStationCertificate"}`,
		`{"status":"Accepted"}`},
	{"", "CertificateSigned",
		`{"certificateChain":"-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ==\n-----END CERTIFICATE-----\n","certificateType":"ChargingStationCertificate"}`,
		`{"status":"Rejected","statusInfo":{"reasonCode":"InvalidCertificate","additionalInfo":"key usage"}}`},
	{"", "GetInstalledCertificateIds", `{"certificateType":["CSMSRootCertificate","V2GCertificateChain"]}`,
		`{"status":"Accepted","certificateHashDataChain":[{"certificateType":"V2GCertificateChain",` +
			`"certificateHashData":{"hashAlgorithm":"SHA256","issuerNameHash":"aa11","issuerKeyHash":"bb22","serialNumber":"01"},` +
			`"childCertificateHashData":[{"hashAlgorithm":"SHA256","issuerNameHash":"cc33","issuerKeyHash":"dd44","serialNumber":"02"}]}]}`},
	{"", "FirmwareStatusNotification", `{"status":"Installed","requestId":3}`, `{}`},
	{"", "UpdateFirmware",
		`{"retries":3,"retryInterval":120,"requestId":3,"firmware":{"location":"https://fw.example.com/alfen/7.2.0.bin",` +
			`"retrieveDateTime":"2025-02-01T02:00:00.000Z","installDateTime":"2025-02-01T03:00:00.000Z",` +
			`"signingCertificate":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----","signature":"MEUCIQDx"}}`,
		`{"status":"Accepted"}`},
	{"", "GetLog",
		`{"log":{"remoteLocation":"https://logs.example.com/upload","oldestTimestamp":"2025-01-30T00:00:00.000Z","latestTimestamp":"2025-01-31T00:00:00.000Z"},` +
			`"logType":"DiagnosticsLog","requestId":42,"retries":1,"retryInterval":30}`,
		`{"status":"Accepted","filename":"diagnostics-42.tar.gz"}`},
	{"", "LogStatusNotification", `{"status":"Uploaded","requestId":42}`, `{}`},
	{"", "NotifyEvent",
		`{"generatedAt":"2025-01-31T10:25:00.000Z","seqNo":0,"eventData":[{"eventId":1001,"timestamp":"2025-01-31T10:24:59.000Z",` +
			`"trigger":"Delta","actualValue":"Faulted","techCode":"E042","techInfo":"ground fault","cleared":false,` +
			`"component":{"name":"Connector","evse":{"id":1,"connectorId":1}},"variable":{"name":"AvailabilityState"},"eventNotificationType":"HardWiredNotification"}]}`,
		`{}`},
	{"", "SetDisplayMessage",
		`{"message":{"id":5,"priority":"InFront","state":"Charging","startDateTime":"2025-01-31T10:00:00.000Z","endDateTime":"2025-01-31T18:00:00.000Z",` +
			`"message":{"format":"UTF8","language":"en","content":"Free parking while charging"},"display":{"name":"DisplayMessageCtrlr"}}}`,
		`{"status":"NotSupportedState"}`},
}
