package wire

import (
	"unicode/utf16"
	"unicode/utf8"
)

// scanString consumes a JSON string (d.data[d.pos] == '"') and returns its raw content
// (between the quotes, escapes not yet decoded), whether it contains escapes, and whether
// it contains non-ASCII bytes.
func (d *decoder) scanString() (raw []byte, esc, high bool, vio *Violation) {
	start := d.pos + 1
	i := start
	for i < len(d.data) {
		c := d.data[i]
		switch {
		case c == '"':
			d.pos = i + 1
			return d.data[start:i], esc, high, nil
		case c == '\\':
			esc = true
			if i+1 >= len(d.data) {
				d.pos = i
				return nil, false, false, d.fail(FormationViolation, "unterminated string")
			}
			switch d.data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(d.data) || !isHex4(d.data[i+2:i+6]) {
					d.pos = i
					return nil, false, false, d.fail(FormationViolation, "invalid \\u escape in string")
				}
				i += 6
			default:
				d.pos = i
				return nil, false, false, d.fail(FormationViolation, "invalid escape in string")
			}
		case c < 0x20:
			d.pos = i
			return nil, false, false, d.fail(FormationViolation, "control character in string")
		default:
			if c >= utf8.RuneSelf {
				high = true
			}
			i++
		}
	}
	d.pos = i
	return nil, false, false, d.fail(FormationViolation, "unterminated string")
}

func isHex4(b []byte) bool {
	for _, c := range b[:4] {
		if !isHex(c) {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func hexVal(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c - 'a' + 10)
	default:
		return rune(c - 'A' + 10)
	}
}

func hex4(b []byte) rune {
	return hexVal(b[0])<<12 | hexVal(b[1])<<8 | hexVal(b[2])<<4 | hexVal(b[3])
}

// decodeString turns raw string content (already validated by scanString) into a Go
// string. Invalid UTF-8 bytes and lone surrogates become U+FFFD, as in encoding/json.
func decodeString(raw []byte, esc, high bool) string {
	if !esc && (!high || utf8.Valid(raw)) {
		return string(raw)
	}
	b := make([]byte, 0, len(raw)+8)
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\':
			switch e := raw[i+1]; e {
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r := hex4(raw[i+2:])
				i += 6
				if utf16.IsSurrogate(r) {
					if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
						if r2 := utf16.DecodeRune(r, hex4(raw[i+2:])); r2 != utf8.RuneError {
							b = utf8.AppendRune(b, r2)
							i += 6
							continue
						}
					}
					r = utf8.RuneError
				}
				b = utf8.AppendRune(b, r)
				continue
			default: // '"', '\\', '/'
				b = append(b, e)
			}
			i += 2
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && size == 1 {
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, raw[i:i+size]...)
			}
			i += size
		}
	}
	return string(b)
}

// scanNumber consumes a JSON number and returns its literal.
func (d *decoder) scanNumber() ([]byte, *Violation) {
	n := numberLen(d.data[d.pos:])
	if n == 0 {
		return nil, d.fail(FormationViolation, "invalid number")
	}
	lit := d.data[d.pos : d.pos+n]
	d.pos += n
	return lit, nil
}

// numberLen returns the length of the JSON number at the start of b, or 0 if there is none.
func numberLen(b []byte) int {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return 0
	}
	if i < len(b) && b[i] == '.' {
		i++
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == start {
			return 0
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == start {
			return 0
		}
	}
	return i
}

// validNumber reports whether b is exactly one JSON number.
func validNumber(b []byte) bool {
	return len(b) > 0 && numberLen(b) == len(b)
}

// literal consumes the JSON literal lit (true, false, null).
func (d *decoder) literal(lit string) *Violation {
	if len(d.data)-d.pos < len(lit) || string(d.data[d.pos:d.pos+len(lit)]) != lit {
		return d.fail(FormationViolation, "invalid JSON literal")
	}
	d.pos += len(lit)
	return nil
}

// skipValue consumes any JSON value, checking its syntax.
func (d *decoder) skipValue() *Violation {
	switch d.peek() {
	case '{':
		return d.skipContainer('}')
	case '[':
		return d.skipContainer(']')
	case '"':
		_, _, _, vio := d.scanString()
		return vio
	case 't':
		return d.literal("true")
	case 'f':
		return d.literal("false")
	case 'n':
		return d.literal("null")
	default:
		_, vio := d.scanNumber()
		return vio
	}
}

// skipContainer consumes an object or array whose opening byte is at d.pos.
func (d *decoder) skipContainer(end byte) *Violation {
	d.pos++
	if d.depth++; d.depth > maxDepth {
		return d.fail(FormationViolation, "nesting too deep")
	}
	d.skipWS()
	if d.peek() == end {
		d.pos++
		d.depth--
		return nil
	}
	for {
		d.skipWS()
		if end == '}' {
			if d.peek() != '"' {
				return d.fail(FormationViolation, "expected a member name")
			}
			if _, _, _, vio := d.scanString(); vio != nil {
				return vio
			}
			d.skipWS()
			if d.peek() != ':' {
				return d.fail(FormationViolation, "expected ':' after a member name")
			}
			d.pos++
			d.skipWS()
		}
		if vio := d.skipValue(); vio != nil {
			return vio
		}
		d.skipWS()
		switch d.peek() {
		case ',':
			d.pos++
		case end:
			d.pos++
			d.depth--
			return nil
		default:
			return d.fail(FormationViolation, "expected ',' or '%c'", end)
		}
	}
}
