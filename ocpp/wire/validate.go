package wire

import (
	"encoding/json"
	"fmt"
	"reflect"
)

// Validate checks an outgoing value strictly: exactly what encoding/json would put on
// the wire must satisfy the schema described by the type's tags (required fields present,
// required slices non-nil, maxLength, enums, ranges, multipleOf, date-time form). A
// DateTime holding the zero time is rejected too (a required timestamp left unset).
// Empty strings are allowed, as in the schemas. v is a struct or a pointer to one.
// Schema failures are returned as *Violation; any other error is a programming error.
func Validate(v any) error {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return fmt.Errorf("wire: Validate of a nil %T", v)
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return fmt.Errorf("wire: Validate needs a struct, got %T", v)
	}
	c, err := codecFor(rv.Type())
	if err != nil {
		return err
	}
	data, err := json.Marshal(v)
	if err != nil {
		return &Violation{Kind: PropertyViolation, Msg: "cannot be marshalled: " + err.Error()}
	}
	d := decoder{data: data, strict: true, out: true}
	if vio := d.run(c, reflect.New(rv.Type()).Elem()); vio != nil {
		return vio
	}
	return nil
}
