// Package ocpi holds the OCPI 2.2.1 object types, their validation and (later) the CPO server modules and client.
//
// Conventions used throughout the package (see shared/docs/ocpi-2.2.1.md, section 0):
//
//   - Required fields (cardinality 1) are value types without omitempty; optional fields (?) are
//     pointers or omitempty strings; lists (*) are slices with omitempty; lists with at least one
//     entry (+) are slices that Validate checks for length.
//   - Every OCPI "number" is a [Decimal]: exact, printed as a plain JSON number (never a quoted
//     string, never exponent notation), read from a JSON number or, leniently, a quoted number.
//   - Every OCPI DateTime is a [DateTime]: emitted as UTC "2006-01-02T15:04:05Z", read leniently.
//   - Unknown JSON fields from peers are ignored on input; only spec fields are emitted.
//   - Validate methods report every problem as a [ValidationError] naming the field path, for
//     example `tariff.elements[0].price_components[1].type: unknown value "ENERGYX"`.
package ocpi
