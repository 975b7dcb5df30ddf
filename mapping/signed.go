package mapping

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// Length limits of OCPI SignedData (string(n) counts characters; CiString is ASCII).
const (
	maxSignedValue    = 5000 // SignedValue.plain_data and signed_data
	maxEncodingMethod = 36   // SignedData.encoding_method
	maxPublicKey      = 512  // SignedData.public_key
	maxSignedURL      = 512  // SignedData.url
)

// Natures of signed values.
const (
	NatureStart        = "Start"
	NatureEnd          = "End"
	NatureIntermediate = "Intermediate"
)

// SignedDataOptions are the optional inputs of SignedDataFromSamples.
type SignedDataOptions struct {
	// EncodingMethod names the format of values that do not name one themselves (1.6 blobs that
	// are neither OCMF nor a JSON object), e.g. "Alfen Eichrecht"; "" omits such values.
	EncodingMethod string
	// PublicKey is used when no value carries a public key (e.g. the meter key from the
	// station's configuration); URL is the verification page for the driver.
	PublicKey string
	URL       string
	// OnOmit, when set, is told about every value or field left out and why (the sample is the
	// zero value for PublicKey and URL). Nothing is ever truncated.
	OnOmit func(sample charging.MeterSample, reason string)
}

// signedBlob is a signed value in JSON: the 2.0.1 SignedMeterValueType as the hub stores it, or
// the same object in a 1.6 SignedData value (some vendors name the data signedMeterValue).
type signedBlob struct {
	SignedMeterData  string `json:"signedMeterData"`
	SignedMeterValue string `json:"signedMeterValue"`
	EncodingMethod   string `json:"encodingMethod"`
	PublicKey        string `json:"publicKey"`
}

// SignedDataFromSamples builds OCPI signed_data from a transaction's SignedData samples (Format
// "SignedData"; other samples are ignored), in time order, each distinct signed blob once. nil
// when no value remains.
//
// Reading a sample's RawValue:
//   - a JSON object (2.0.1 signedMeterValue, or a 1.6 vendor object): encodingMethod, the data
//     (signedMeterData, else signedMeterValue) and publicKey;
//   - text starting "OCMF|": encoding method OCMF, the text is the data;
//   - anything else: opts.EncodingMethod, the text is the data (omitted when that is "").
//
// Each value becomes a SignedValue with nature Start (context Transaction.Begin), End
// (Transaction.End) or Intermediate (any other context). OCMF data (as text, or base64 of it) gets
// plain_data = its payload section (between "OCMF|" and the last '|') and signed_data = the OCMF
// text in standard base64, so receivers always get one form; other formats are forwarded verbatim
// in both fields (the hub does not decode them). encoding_method is the first value's; the
// public key the first one a value carries, else opts.PublicKey.
//
// Nothing is truncated. Omitted, with a call to opts.OnOmit: a value whose plain_data or
// signed_data would exceed 5000 characters, is empty, or holds control characters; a value with a
// different encoding method than the first kept one, or one longer than 36 characters or not
// printable ASCII; a public key longer than 512 characters (public_key is then absent: it is
// optional); a URL longer than 512 characters.
func SignedDataFromSamples(samples []charging.MeterSample, opts SignedDataOptions) *ocpi.SignedData {
	omit := func(s charging.MeterSample, reason string) {
		if opts.OnOmit != nil {
			opts.OnOmit(s, reason)
		}
	}
	signed := make([]charging.MeterSample, 0, len(samples))
	for _, s := range samples {
		if strings.EqualFold(s.Format, "SignedData") && strings.TrimSpace(s.RawValue) != "" {
			signed = append(signed, s)
		}
	}
	slices.SortStableFunc(signed, func(a, b charging.MeterSample) int { return a.Timestamp.Compare(b.Timestamp) })

	var out ocpi.SignedData
	seen := map[string]bool{}
	keyFrom := charging.MeterSample{}
	for _, s := range signed {
		raw := strings.TrimSpace(s.RawValue)
		if seen[raw] {
			continue
		}
		seen[raw] = true
		method, data, key := readSigned(raw, opts.EncodingMethod)
		switch {
		case method == "":
			omit(s, "unknown signed-data format and no default encoding method configured")
			continue
		case len(method) > maxEncodingMethod || !printableASCII(method):
			omit(s, "encoding method "+quote(method)+" is not a CiString(36)")
			continue
		case out.EncodingMethod != "" && !strings.EqualFold(method, out.EncodingMethod):
			omit(s, "encoding method "+quote(method)+" differs from "+quote(out.EncodingMethod))
			continue
		}
		plain, sig := data, data
		if ocmf, ok := ocmfText(data); ok {
			plain, sig = ocmfPayload(ocmf), base64.StdEncoding.EncodeToString([]byte(ocmf))
		}
		if reason := signedTextProblem(plain, "plain_data"); reason != "" {
			omit(s, reason)
			continue
		}
		if reason := signedTextProblem(sig, "signed_data"); reason != "" {
			omit(s, reason)
			continue
		}
		if out.EncodingMethod == "" {
			out.EncodingMethod = method
		}
		if out.PublicKey == "" && key != "" {
			out.PublicKey, keyFrom = key, s
		}
		out.SignedValues = append(out.SignedValues, ocpi.SignedValue{Nature: nature(s.Context), PlainData: plain, SignedData: sig})
	}
	if len(out.SignedValues) == 0 {
		return nil
	}
	if out.PublicKey == "" {
		out.PublicKey, keyFrom = opts.PublicKey, charging.MeterSample{}
	}
	if utf8.RuneCountInString(out.PublicKey) > maxPublicKey || hasControl(out.PublicKey) {
		omit(keyFrom, "public key longer than 512 characters (or with control characters): public_key left out")
		out.PublicKey = ""
	}
	out.URL = opts.URL
	if utf8.RuneCountInString(out.URL) > maxSignedURL || hasControl(out.URL) {
		omit(charging.MeterSample{}, "URL longer than 512 characters (or with control characters): url left out")
		out.URL = ""
	}
	return &out
}

// readSigned returns the encoding method, data and public key of a signed raw value.
func readSigned(raw, defaultMethod string) (method, data, key string) {
	if strings.HasPrefix(raw, "{") {
		var b signedBlob
		if json.Unmarshal([]byte(raw), &b) == nil {
			data = b.SignedMeterData
			if data == "" {
				data = b.SignedMeterValue
			}
			if data != "" {
				method = strings.TrimSpace(b.EncodingMethod)
				if method == "" {
					if _, ok := ocmfText(data); ok {
						method = "OCMF"
					} else {
						method = defaultMethod
					}
				}
				return method, data, strings.TrimSpace(b.PublicKey)
			}
		}
	}
	if strings.HasPrefix(raw, "OCMF|") {
		return "OCMF", raw, ""
	}
	return defaultMethod, raw, ""
}

// ocmfText returns the OCMF text of data given as text or as (standard or URL-safe) base64.
func ocmfText(data string) (string, bool) {
	data = strings.TrimSpace(data)
	if strings.HasPrefix(data, "OCMF|") {
		return data, true
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(data); err == nil && strings.HasPrefix(string(b), "OCMF|") && utf8.Valid(b) {
			return strings.TrimSpace(string(b)), true
		}
	}
	return "", false
}

// ocmfPayload returns the payload section of an OCMF text "OCMF|<payload>|<signature>".
func ocmfPayload(text string) string {
	body := strings.TrimPrefix(text, "OCMF|")
	if i := strings.LastIndex(body, "|"); i >= 0 {
		return body[:i]
	}
	return body
}

// signedTextProblem says why s cannot be a SignedValue field ("" when it can).
func signedTextProblem(s, field string) string {
	switch {
	case s == "":
		return field + " would be empty"
	case utf8.RuneCountInString(s) > maxSignedValue:
		return field + " would be longer than 5000 characters"
	case !utf8.ValidString(s) || hasControl(s):
		return field + " would hold invalid UTF-8 or control characters"
	}
	return ""
}

// nature maps a sampled value's reading context to a SignedValue nature.
func nature(context string) string {
	switch context {
	case "Transaction.Begin":
		return NatureStart
	case "Transaction.End":
		return NatureEnd
	}
	return NatureIntermediate
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

func quote(s string) string { return `"` + s + `"` }
