package wire

import (
	"strconv"
	"strings"
)

// maxShift bounds the exponent a number may carry when it is rewritten as a plain
// decimal string (1e64 is far beyond any meter reading; it keeps strings short).
const maxShift = 64

// canonicalDecimal rewrites a valid JSON number literal as a plain decimal: no exponent,
// no leading zeros, no trailing fraction zeros, "-0" as "0" (604.2130 → "604.213",
// 1.5e3 → "1500", 5.0 → "5"). ok is false when the exponent is too large to expand.
func canonicalDecimal(lit []byte) (string, bool) {
	neg := len(lit) > 0 && lit[0] == '-'
	if neg {
		lit = lit[1:]
	}
	var mant []byte
	point := -1
	exp := 0
	for i := 0; i < len(lit); i++ {
		c := lit[i]
		switch {
		case c >= '0' && c <= '9':
			mant = append(mant, c)
		case c == '.':
			point = len(mant)
		case c == 'e' || c == 'E':
			e, err := strconv.Atoi(string(lit[i+1:]))
			if err != nil || e > maxShift || e < -maxShift {
				if strings.Trim(string(mant), "0") == "" {
					return "0", true
				}
				return "", false
			}
			exp = e
			i = len(lit)
		}
	}
	if point < 0 {
		point = len(mant)
	}
	point += exp
	// strip leading zeros
	for len(mant) > 0 && mant[0] == '0' {
		mant = mant[1:]
		point--
	}
	if len(mant) == 0 {
		return "0", true
	}
	var intPart, frac string
	switch {
	case point <= 0:
		intPart, frac = "0", strings.Repeat("0", -point)+string(mant)
	case point >= len(mant):
		intPart = string(mant) + strings.Repeat("0", point-len(mant))
	default:
		intPart, frac = string(mant[:point]), string(mant[point:])
	}
	frac = strings.TrimRight(frac, "0")
	if intPart == "0" && frac == "" {
		return "0", true
	}
	s := intPart
	if frac != "" {
		s += "." + frac
	}
	if neg {
		s = "-" + s
	}
	return s, true
}

type intStatus uint8

const (
	intOK intStatus = iota
	intNotIntegral
	intOutOfRange
)

// parseInt parses a JSON number literal as an int64. A literal with a zero fraction or
// an exponent is fine as long as its value is integral (5.0, 1.5e1).
func parseInt(lit []byte) (int64, intStatus) {
	neg := len(lit) > 0 && lit[0] == '-'
	digits := lit
	if neg {
		digits = lit[1:]
	}
	simple := len(digits) > 0 && len(digits) <= 18
	for _, c := range digits {
		if c < '0' || c > '9' {
			simple = false
			break
		}
	}
	if simple { // fast path: cannot overflow
		var n int64
		for _, c := range digits {
			n = n*10 + int64(c-'0')
		}
		if neg {
			n = -n
		}
		return n, intOK
	}
	s, ok := canonicalDecimal(lit)
	if !ok {
		if e := strings.IndexAny(string(lit), "eE"); e >= 0 && lit[e+1] == '-' {
			return 0, intNotIntegral
		}
		return 0, intOutOfRange
	}
	if strings.Contains(s, ".") {
		return 0, intNotIntegral
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, intOutOfRange
	}
	return n, intOK
}
