package mapping

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

const (
	ocmfPayloadB = `{"FV":"1.0","GI":"KEBA_KCP30","GS":"17619300","PG":"T32","MS":"BQ27400330016","IS":true,"IT":"ISO14443","ID":"1F2D3A4F5506C7","RD":[{"TM":"2025-01-14T10:00:00,000+0000 S","TX":"B","RV":1.0,"RI":"1-b:1.8.0","RU":"kWh"}]}`
	ocmfPayloadE = `{"FV":"1.0","GI":"KEBA_KCP30","GS":"17619300","PG":"T33","MS":"BQ27400330016","IS":true,"IT":"ISO14443","ID":"1F2D3A4F5506C7","RD":[{"TM":"2025-01-14T11:00:00,000+0000 S","TX":"E","RV":7.5,"RI":"1-b:1.8.0","RU":"kWh"}]}`
	ocmfSig      = `{"SD":"304402201F7E6C1D5B5F4D8E9D1C3C4B1A2E3F4050607080"}`
)

var (
	ocmfB = "OCMF|" + ocmfPayloadB + "|" + ocmfSig
	ocmfE = "OCMF|" + ocmfPayloadE + "|" + ocmfSig
)

func signedSample(ts time.Time, context, raw string) charging.MeterSample {
	return charging.MeterSample{TransactionID: ptr(int64(1)), Timestamp: ts, Measurand: charging.MeasurandEnergyImport,
		Location: "Outlet", Context: context, Format: "SignedData", RawValue: raw}
}

// blob201 is how the hub stores a 2.0.1 signedMeterValue (ocpp/v201 handler: the JSON of it).
func blob201(data, method, key string) string {
	b, _ := json.Marshal(map[string]string{"signedMeterData": data, "signingMethod": "ECDSA-secp256r1-SHA256",
		"encodingMethod": method, "publicKey": key})
	return string(b)
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestSignedDataFromSamples(t *testing.T) {
	begin, mid, end := at("10:00:00"), at("10:30:00"), at("11:00:00")
	raw := sample(1, mid, charging.MeasurandEnergyImport, "", "Wh", "4000") // not signed: ignored
	key := "3059301306072A8648CE3D020106082A8648CE3D03010703420004"
	for _, tc := range []struct {
		name    string
		samples []charging.MeterSample
		opts    SignedDataOptions
		want    *ocpi.SignedData
		omitted []string // substrings of the OnOmit reasons, in order
	}{
		{"1.6 OCMF text, begin and end, a resent end",
			[]charging.MeterSample{signedSample(end, "Transaction.End", ocmfE), raw,
				signedSample(begin, "Transaction.Begin", ocmfB), signedSample(end, "Transaction.End", ocmfE+"\n")},
			SignedDataOptions{PublicKey: key, URL: "https://verify.example.com/"},
			&ocpi.SignedData{EncodingMethod: "OCMF", PublicKey: key, URL: "https://verify.example.com/", SignedValues: []ocpi.SignedValue{
				{Nature: "Start", PlainData: ocmfPayloadB, SignedData: b64(ocmfB)},
				{Nature: "End", PlainData: ocmfPayloadE, SignedData: b64(ocmfE)}}}, nil},
		{"2.0.1 signedMeterValue with base64 OCMF and its key",
			[]charging.MeterSample{signedSample(begin, "Transaction.Begin", blob201(b64(ocmfB), "OCMF", key)),
				signedSample(mid, "Sample.Periodic", blob201(b64(ocmfE), "OCMF", "other-key"))},
			SignedDataOptions{PublicKey: "configured-key"},
			&ocpi.SignedData{EncodingMethod: "OCMF", PublicKey: key, SignedValues: []ocpi.SignedValue{
				{Nature: "Start", PlainData: ocmfPayloadB, SignedData: b64(ocmfB)},
				{Nature: "Intermediate", PlainData: ocmfPayloadE, SignedData: b64(ocmfE)}}}, nil},
		{"2.0.1 other format, forwarded verbatim",
			[]charging.MeterSample{signedSample(end, "Transaction.End", blob201("AABBCCDD", "EDL40 E-Mobility Extension", ""))},
			SignedDataOptions{},
			&ocpi.SignedData{EncodingMethod: "EDL40 E-Mobility Extension", SignedValues: []ocpi.SignedValue{
				{Nature: "End", PlainData: "AABBCCDD", SignedData: "AABBCCDD"}}}, nil},
		{"1.6 vendor JSON object",
			[]charging.MeterSample{signedSample(end, "Transaction.End",
				`{"signedMeterValue":"`+b64(ocmfE)+`","encodingMethod":"OCMF","publicKey":"`+key+`"}`)},
			SignedDataOptions{},
			&ocpi.SignedData{EncodingMethod: "OCMF", PublicKey: key, SignedValues: []ocpi.SignedValue{
				{Nature: "End", PlainData: ocmfPayloadE, SignedData: b64(ocmfE)}}}, nil},
		{"unknown format with a configured method",
			[]charging.MeterSample{signedSample(end, "Transaction.End", "AP;0;3;ALCV3ABBBISHMA2RYEGJURGE")},
			SignedDataOptions{EncodingMethod: "Alfen Eichrecht"},
			&ocpi.SignedData{EncodingMethod: "Alfen Eichrecht", SignedValues: []ocpi.SignedValue{
				{Nature: "End", PlainData: "AP;0;3;ALCV3ABBBISHMA2RYEGJURGE", SignedData: "AP;0;3;ALCV3ABBBISHMA2RYEGJURGE"}}}, nil},
		{"unknown format without one",
			[]charging.MeterSample{signedSample(end, "Transaction.End", "AP;0;3;ALCV3ABBBISHMA2RYEGJURGE"), raw},
			SignedDataOptions{}, nil, []string{"no default encoding method"}},
		{"too long, other method, control characters: omitted, never cut",
			[]charging.MeterSample{signedSample(begin, "Transaction.Begin", ocmfB),
				signedSample(mid, "Sample.Periodic", "OCMF|"+strings.Repeat("x", 4000)+"|{}"), // base64 > 5000
				signedSample(mid.Add(time.Minute), "Sample.Periodic", blob201("AABB", "EDL40", "")),
				signedSample(mid.Add(2*time.Minute), "Sample.Periodic", blob201("AA\u0007BB", "OCMF", "")),
				signedSample(mid.Add(3*time.Minute), "Sample.Periodic", blob201("AABB", strings.Repeat("M", 37), "")),
				signedSample(end, "Transaction.End", ocmfE)},
			SignedDataOptions{PublicKey: strings.Repeat("K", 513), URL: "https://x.example/" + strings.Repeat("u", 500)},
			&ocpi.SignedData{EncodingMethod: "OCMF", SignedValues: []ocpi.SignedValue{
				{Nature: "Start", PlainData: ocmfPayloadB, SignedData: b64(ocmfB)},
				{Nature: "End", PlainData: ocmfPayloadE, SignedData: b64(ocmfE)}}},
			[]string{"signed_data would be longer than 5000", `"EDL40" differs from "OCMF"`, "control characters",
				"not a CiString(36)", "public key longer than 512", "URL longer than 512"}},
		{"no signed samples", []charging.MeterSample{raw}, SignedDataOptions{EncodingMethod: "OCMF"}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var reasons []string
			tc.opts.OnOmit = func(_ charging.MeterSample, reason string) { reasons = append(reasons, reason) }
			got := SignedDataFromSamples(tc.samples, tc.opts)
			if (got == nil) != (tc.want == nil) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			if got != nil {
				gj, _ := json.Marshal(got)
				wj, _ := json.Marshal(tc.want)
				if string(gj) != string(wj) {
					t.Fatalf("got  %s\nwant %s", gj, wj)
				}
				checkOCPI(t, "SignedData", got)
			}
			if len(reasons) != len(tc.omitted) {
				t.Fatalf("omissions %q, want %q", reasons, tc.omitted)
			}
			for i, r := range reasons {
				if !strings.Contains(r, tc.omitted[i]) {
					t.Fatalf("omission %d %q, want it to mention %q", i, r, tc.omitted[i])
				}
			}
		})
	}
}

func TestBuildCDRWithSignedData(t *testing.T) {
	sd := SignedDataFromSamples([]charging.MeterSample{signedSample(at("10:00:00"), "Transaction.Begin", ocmfB),
		signedSample(at("11:00:00"), "Transaction.End", ocmfE)}, SignedDataOptions{})
	tf := tariffAC()
	c, err := BuildCDR(cpo, "CDR-S", buildA(t, SessionOptions{}), location16(t), &tf, sd)
	if err != nil {
		t.Fatal(err)
	}
	checkOCPI(t, "CDR", &c)
	if c.SignedData == nil || len(c.SignedData.SignedValues) != 2 {
		t.Fatalf("signed_data %+v", c.SignedData)
	}
}
