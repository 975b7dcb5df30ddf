package v16

// examples holds a realistic request and response payload for every action, written in
// the canonical form the hub sends (UTC timestamps with milliseconds), so that a strict
// decode followed by a marshal reproduces them.
var examples = map[string][2]string{
	"Authorize": {
		`{"idTag":"04E91C5A123480"}`,
		`{"idTagInfo":{"status":"Accepted","expiryDate":"2025-12-31T23:59:59.000Z","parentIdTag":"FLEET-42"}}`,
	},
	"BootNotification": {
		`{"chargePointVendor":"Alfen BV","chargePointModel":"NG910-60023","chargePointSerialNumber":"ACE0123456",` +
			`"chargeBoxSerialNumber":"ACE0123456","firmwareVersion":"6.2.0-4120","iccid":"8931440400012345678",` +
			`"imsi":"204043123456789","meterType":"Kamstrup 382","meterSerialNumber":"K38200012345"}`,
		`{"status":"Accepted","currentTime":"2025-01-31T10:20:30.123Z","interval":300}`,
	},
	"ChangeAvailability": {
		`{"connectorId":0,"type":"Inoperative"}`,
		`{"status":"Scheduled"}`,
	},
	"ChangeConfiguration": {
		`{"key":"HeartbeatInterval","value":"300"}`,
		`{"status":"RebootRequired"}`,
	},
	"ClearCache": {`{}`, `{"status":"Accepted"}`},
	"DataTransfer": {
		`{"vendorId":"com.alfen","messageId":"PlugAndChargeStatus","data":"{\"enabled\":true}"}`,
		`{"status":"Accepted","data":"ok"}`,
	},
	"GetConfiguration": {
		`{"key":["HeartbeatInterval","MeterValueSampleInterval","NoSuchKey"]}`,
		`{"configurationKey":[{"key":"HeartbeatInterval","readonly":false,"value":"300"},` +
			`{"key":"NumberOfConnectors","readonly":true,"value":"2"},{"key":"AuthorizationKey","readonly":false}],` +
			`"unknownKey":["NoSuchKey"]}`,
	},
	"Heartbeat": {`{}`, `{"currentTime":"2025-01-31T10:20:30.000Z"}`},
	"MeterValues": {
		`{"connectorId":1,"transactionId":170,"meterValue":[{"timestamp":"2025-01-31T10:25:00.000Z","sampledValue":[` +
			`{"value":"12345.6","context":"Sample.Periodic","format":"Raw","measurand":"Energy.Active.Import.Register","location":"Outlet","unit":"Wh"},` +
			`{"value":"16.2","context":"Sample.Periodic","measurand":"Current.Import","phase":"L1","unit":"A"},` +
			`{"value":"230.4","context":"Sample.Periodic","measurand":"Voltage","phase":"L1-N","unit":"V"},` +
			`{"value":"21.5","measurand":"Temperature","location":"Body","unit":"Celsius"},` +
			`{"value":"67","measurand":"SoC","location":"EV","unit":"Percent"}]}]}`,
		`{}`,
	},
	"RemoteStartTransaction": {
		`{"connectorId":1,"idTag":"HUB0000000000001","chargingProfile":{"chargingProfileId":12,"stackLevel":0,` +
			`"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Relative","chargingSchedule":{"duration":3600,` +
			`"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16},{"startPeriod":1800,"limit":10.5,"numberPhases":1}],` +
			`"minChargingRate":6.1}}}`,
		`{"status":"Accepted"}`,
	},
	"RemoteStopTransaction": {`{"transactionId":170}`, `{"status":"Rejected"}`},
	"Reset":                 {`{"type":"Soft"}`, `{"status":"Accepted"}`},
	"StartTransaction": {
		`{"connectorId":1,"idTag":"04E91C5A123480","meterStart":0,"reservationId":7,"timestamp":"2025-01-31T10:20:30.000Z"}`,
		`{"idTagInfo":{"status":"Accepted"},"transactionId":170}`,
	},
	"StatusNotification": {
		`{"connectorId":1,"errorCode":"NoError","info":"cable locked","status":"SuspendedEV",` +
			`"timestamp":"2025-01-31T10:21:00.000Z","vendorId":"com.alfen","vendorErrorCode":"E0"}`,
		`{}`,
	},
	"StopTransaction": {
		`{"idTag":"04E91C5A123480","meterStop":18234,"timestamp":"2025-01-31T11:20:30.000Z","transactionId":170,"reason":"EVDisconnected",` +
			`"transactionData":[{"timestamp":"2025-01-31T10:20:30.000Z","sampledValue":[{"value":"0","context":"Transaction.Begin","unit":"Wh"}]},` +
			`{"timestamp":"2025-01-31T11:20:30.000Z","sampledValue":[{"value":"18.234","context":"Transaction.End","unit":"kWh"}]}]}`,
		`{"idTagInfo":{"status":"Accepted"}}`,
	},
	"UnlockConnector":               {`{"connectorId":2}`, `{"status":"Unlocked"}`},
	"DiagnosticsStatusNotification": {`{"status":"Uploaded"}`, `{}`},
	"FirmwareStatusNotification":    {`{"status":"InstallationFailed"}`, `{}`},
	"GetDiagnostics": {
		`{"location":"ftp://user:pass@diag.example.com/uploads/","retries":3,"retryInterval":60,` +
			`"startTime":"2025-01-30T00:00:00.000Z","stopTime":"2025-01-31T00:00:00.000Z"}`,
		`{"fileName":"diag-ACE0123456-20250131.tar.gz"}`,
	},
	"UpdateFirmware": {
		`{"location":"https://fw.example.com/alfen/6.3.0.bin","retries":2,"retrieveDate":"2025-02-01T02:00:00.000Z","retryInterval":300}`,
		`{}`,
	},
	"GetLocalListVersion": {`{}`, `{"listVersion":0}`},
	"SendLocalList": {
		`{"listVersion":5,"localAuthorizationList":[{"idTag":"04E91C5A123480","idTagInfo":{"status":"Accepted","expiryDate":"2026-01-01T00:00:00.000Z"}},` +
			`{"idTag":"DEADBEEF"}],"updateType":"Differential"}`,
		`{"status":"VersionMismatch"}`,
	},
	"CancelReservation": {`{"reservationId":7}`, `{"status":"Accepted"}`},
	"ReserveNow": {
		`{"connectorId":1,"expiryDate":"2025-01-31T11:00:00.000Z","idTag":"04E91C5A123480","parentIdTag":"FLEET-42","reservationId":7}`,
		`{"status":"Occupied"}`,
	},
	"ClearChargingProfile": {
		`{"id":12,"connectorId":1,"chargingProfilePurpose":"TxDefaultProfile","stackLevel":1}`,
		`{"status":"Unknown"}`,
	},
	"GetCompositeSchedule": {
		`{"connectorId":1,"duration":86400,"chargingRateUnit":"W"}`,
		`{"status":"Accepted","connectorId":1,"scheduleStart":"2025-01-31T00:00:00.000Z","chargingSchedule":{"duration":86400,` +
			`"startSchedule":"2025-01-31T00:00:00.000Z","chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":11000},` +
			`{"startPeriod":28800,"limit":7400.5,"numberPhases":3}]}}`,
	},
	"SetChargingProfile": {
		`{"connectorId":0,"csChargingProfiles":{"chargingProfileId":1,"transactionId":170,"stackLevel":2,"chargingProfilePurpose":"ChargePointMaxProfile",` +
			`"chargingProfileKind":"Recurring","recurrencyKind":"Daily","validFrom":"2025-01-01T00:00:00.000Z","validTo":"2026-01-01T00:00:00.000Z",` +
			`"chargingSchedule":{"duration":86400,"startSchedule":"2025-01-01T00:00:00.000Z","chargingRateUnit":"A",` +
			`"chargingSchedulePeriod":[{"startPeriod":0,"limit":32},{"startPeriod":61200,"limit":16.5}],"minChargingRate":6}}}`,
		`{"status":"NotSupported"}`,
	},
	"TriggerMessage": {`{"requestedMessage":"StatusNotification","connectorId":1}`, `{"status":"NotImplemented"}`},
	"CertificateSigned": {
		`{"certificateChain":"-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ==\n-----END CERTIFICATE-----\n"}`,
		`{"status":"Accepted"}`,
	},
	"DeleteCertificate": {
		`{"certificateHashData":{"hashAlgorithm":"SHA256","issuerNameHash":"2d9d0d1f6a1e8a6c3b5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c",` +
			`"issuerKeyHash":"7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b","serialNumber":"5A3C9E01"}}`,
		`{"status":"NotFound"}`,
	},
	"GetInstalledCertificateIds": {
		`{"certificateType":"CentralSystemRootCertificate"}`,
		`{"certificateHashData":[{"hashAlgorithm":"SHA384","issuerNameHash":"aa11","issuerKeyHash":"bb22","serialNumber":"01"}],"status":"Accepted"}`,
	},
	"InstallCertificate": {
		`{"certificateType":"ManufacturerRootCertificate","certificate":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"}`,
		`{"status":"Rejected"}`,
	},
	"SignCertificate": {
		`{"csr":"-----BEGIN CERTIFICATE REQUEST-----\nMIIBVjCB\n-----END CERTIFICATE REQUEST-----"}`,
		`{"status":"Accepted"}`,
	},
	"SecurityEventNotification": {
		`{"type":"InvalidCentralSystemCertificate","timestamp":"2025-01-31T10:20:30.000Z","techInfo":"CN mismatch"}`,
		`{}`,
	},
	"GetLog": {
		`{"log":{"remoteLocation":"https://logs.example.com/upload","oldestTimestamp":"2025-01-30T00:00:00.000Z","latestTimestamp":"2025-01-31T00:00:00.000Z"},` +
			`"logType":"SecurityLog","requestId":42,"retries":1,"retryInterval":30}`,
		`{"status":"Accepted","filename":"security-42.log"}`,
	},
	"LogStatusNotification":            {`{"status":"Uploading","requestId":42}`, `{}`},
	"SignedFirmwareStatusNotification": {`{"status":"SignatureVerified","requestId":9}`, `{}`},
	"SignedUpdateFirmware": {
		`{"retries":3,"retryInterval":120,"requestId":9,"firmware":{"location":"https://fw.example.com/signed/6.3.0.bin",` +
			`"retrieveDateTime":"2025-02-01T02:00:00.000Z","installDateTime":"2025-02-01T03:00:00.000Z",` +
			`"signingCertificate":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----","signature":"MEUCIQDx"}}`,
		`{"status":"InvalidCertificate"}`,
	},
	"ExtendedTriggerMessage": {`{"requestedMessage":"SignChargePointCertificate"}`, `{"status":"Accepted"}`},
}
