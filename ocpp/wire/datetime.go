package wire

import (
	"errors"
	"fmt"
	"time"
)

// ErrInvalidDateTime is wrapped by every date-time parse error of this package.
var ErrInvalidDateTime = errors.New("invalid date-time")

// wireLayout is the one form the hub sends: UTC, exactly 3 fraction digits, "Z".
const wireLayout = "2006-01-02T15:04:05.000Z"

// DateTime is an OCPP date-time. Time is always UTC and truncated to milliseconds.
// Flag is "" for a clean RFC 3339 value, otherwise the ts_* flag (FlagTSNoZone,
// FlagTSOffsetForm, FlagTSSeparator) describing the leniency applied when parsing it.
type DateTime struct {
	time.Time
	Flag string
}

// NewDateTime returns t in UTC, truncated to milliseconds, unflagged.
func NewDateTime(t time.Time) DateTime {
	return DateTime{Time: t.UTC().Truncate(time.Millisecond)}
}

// ParseDateTime parses s leniently: RFC 3339 (any number of fraction digits, truncated
// to milliseconds); an offset without colon ("+0530") or hour-only ("+05") gets
// FlagTSOffsetForm; no offset at all is read as UTC with FlagTSNoZone; a space instead
// of "T" is accepted with FlagTSSeparator. The result is in UTC. Errors wrap
// ErrInvalidDateTime.
func ParseDateTime(s string) (DateTime, error) {
	t, flag, msg := parseDateTime([]byte(s))
	if msg != "" {
		return DateTime{}, fmt.Errorf("%w %q: %s", ErrInvalidDateTime, s, msg)
	}
	return DateTime{Time: t, Flag: flag}, nil
}

// MarshalJSON writes the UTC form "2006-01-02T15:04:05.000Z".
func (d DateTime) MarshalJSON() ([]byte, error) {
	t := d.Time.UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		return nil, fmt.Errorf("%w: year %d outside 0000..9999", ErrInvalidDateTime, y)
	}
	b := make([]byte, 0, len(wireLayout)+2)
	b = append(b, '"')
	b = t.AppendFormat(b, wireLayout)
	return append(b, '"'), nil
}

// UnmarshalJSON parses a JSON string leniently (see ParseDateTime). JSON null leaves d
// unchanged, as encoding/json expects.
func (d *DateTime) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	if len(data) < 2 || data[0] != '"' || data[len(data)-1] != '"' {
		return fmt.Errorf("%w: not a JSON string", ErrInvalidDateTime)
	}
	raw := data[1 : len(data)-1]
	for _, c := range raw {
		if c == '\\' {
			return fmt.Errorf("%w: escape sequences are not allowed", ErrInvalidDateTime)
		}
	}
	t, flag, msg := parseDateTime(raw)
	if msg != "" {
		return fmt.Errorf("%w %q: %s", ErrInvalidDateTime, raw, msg)
	}
	*d = DateTime{Time: t, Flag: flag}
	return nil
}

// parseDateTime parses the lenient layers on bytes without allocating. It returns the
// UTC time, the flag ("" for strict RFC 3339) and an error message ("" on success).
func parseDateTime(b []byte) (time.Time, string, string) {
	if len(b) < 19 {
		return time.Time{}, "", "too short"
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hour, ok4 := digits(b[11:13])
	minute, ok5 := digits(b[14:16])
	sec, ok6 := digits(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || b[4] != '-' || b[7] != '-' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, "", "not of the form YYYY-MM-DDThh:mm:ss"
	}
	var spaceSep bool
	switch b[10] {
	case 'T', 't':
	case ' ':
		spaceSep = true
	default:
		return time.Time{}, "", "date and time must be separated by T"
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(month, year) ||
		hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, "", "field out of range"
	}
	i := 19
	nsec := 0
	if i < len(b) && b[i] == '.' {
		i++
		start := i
		scale := 100000000
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			nsec += int(b[i]-'0') * scale
			scale /= 10
			i++
		}
		if i == start {
			return time.Time{}, "", "empty fraction"
		}
		nsec -= nsec % int(time.Millisecond)
	}
	flag := ""
	offset := 0
	switch {
	case i == len(b):
		flag = FlagTSNoZone
	case b[i] == 'Z' || b[i] == 'z':
		i++
	case b[i] == '+' || b[i] == '-':
		sign := 1
		if b[i] == '-' {
			sign = -1
		}
		rest := b[i+1:]
		var oh, om int
		var ok bool
		switch {
		case len(rest) == 5 && rest[2] == ':':
			oh, ok = digits(rest[0:2])
			var okm bool
			om, okm = digits(rest[3:5])
			ok = ok && okm
		case len(rest) == 4:
			oh, ok = digits(rest[0:2])
			var okm bool
			om, okm = digits(rest[2:4])
			ok = ok && okm
			flag = FlagTSOffsetForm
		case len(rest) == 2:
			oh, ok = digits(rest)
			flag = FlagTSOffsetForm
		}
		if !ok || oh > 23 || om > 59 {
			return time.Time{}, "", "bad zone offset"
		}
		offset = sign * (oh*3600 + om*60)
		i = len(b)
	default:
		return time.Time{}, "", "unexpected characters after the time"
	}
	if i != len(b) {
		return time.Time{}, "", "unexpected characters after the zone"
	}
	if flag == "" && spaceSep {
		flag = FlagTSSeparator
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if offset != 0 {
		t = t.Add(-time.Duration(offset) * time.Second)
	}
	if y := t.Year(); y < 0 || y > 9999 {
		return time.Time{}, "", "year outside 0000..9999 in UTC"
	}
	return t, flag, ""
}

func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
