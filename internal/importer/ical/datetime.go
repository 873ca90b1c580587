package ical

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/importer/contentline"
	"selfdata/internal/input"
)

const (
	layoutDate     = "20060102"
	layoutDateTime = "20060102T150405"
)

// parseDateTime reads DTSTART, DTEND or RECURRENCE-ID: a DATE (VALUE=DATE, or eight
// digits), a DATE-TIME in UTC (trailing Z), or a local DATE-TIME with or without a TZID.
func parseDateTime(l contentline.Line) (*DateTime, error) {
	return parseValue(l, l.Value)
}

// appendDateTimes reads an EXDATE or RDATE line, which may hold several values separated
// by commas (RFC 5545 3.8.5.1 and 3.8.5.2), all with the line's TZID or VALUE=DATE. A
// VALUE=PERIOD of an RDATE ("start/end" or "start/duration") is kept as its start: the
// occurrence it adds.
func appendDateTimes(to *[]*DateTime, l contentline.Line) error {
	for _, v := range strings.Split(l.Value, ",") {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		if start, _, ok := strings.Cut(v, "/"); ok {
			v = start
		}
		dt, err := parseValue(l, v)
		if err != nil {
			return err
		}
		*to = append(*to, dt)
	}
	return nil
}

// parseValue reads one DATE or DATE-TIME value v of line l, with l's parameters.
func parseValue(l contentline.Line, v string) (*DateTime, error) {
	v = strings.TrimSpace(v)
	dt := &DateTime{Line: l.Num, Raw: v}
	if tzid, ok := l.Param("TZID"); ok {
		dt.TZID = strings.TrimSpace(tzid)
	}
	valueDate := l.Has("VALUE", "DATE")
	var err error
	switch {
	case valueDate || len(v) == len(layoutDate):
		dt.Date = true
		dt.Wall, err = time.Parse(layoutDate, v)
	case strings.HasSuffix(v, "Z"):
		dt.UTC, dt.TZID = true, ""
		dt.Wall, err = time.Parse(layoutDateTime, v[:len(v)-1])
	default:
		dt.Wall, err = time.Parse(layoutDateTime, v)
	}
	if err != nil {
		if valueDate {
			return nil, importer.Errorf(l.Num, l.Name, "%s is not a date (YYYYMMDD)", input.Excerpt(v))
		}
		return nil, importer.Errorf(l.Num, l.Name, "%s is not a date (YYYYMMDD) or a date and time (YYYYMMDDTHHMMSS, with Z for UTC)", input.Excerpt(v))
	}
	return dt, nil
}

// parseLocal reads the local DATE-TIME of a VTIMEZONE onset.
func parseLocal(v string) (time.Time, error) {
	t, err := time.Parse(layoutDateTime, strings.TrimSpace(v))
	if err != nil {
		return time.Time{}, fmt.Errorf("%s is not a date and time (YYYYMMDDTHHMMSS)", input.Excerpt(v))
	}
	return t, nil
}

// parseOffset reads a UTC-OFFSET: +HHMM or +HHMMSS (Thunderbird writes seconds).
func parseOffset(v string) (int, error) {
	v = strings.TrimSpace(v)
	bad := fmt.Errorf("%s is not a UTC offset (+HHMM)", input.Excerpt(v))
	if (len(v) != 5 && len(v) != 7) || (v[0] != '+' && v[0] != '-') {
		return 0, bad
	}
	n, err := strconv.Atoi(v[1:])
	if err != nil {
		return 0, bad
	}
	if len(v) == 5 {
		n *= 100
	}
	h, m, s := n/10000, n/100%100, n%100
	if h > 23 || m > 59 || s > 59 {
		return 0, bad
	}
	off := h*3600 + m*60 + s
	if v[0] == '-' {
		off = -off
	}
	return off, nil
}

// maxDuration bounds a DURATION far below what time.Duration holds (292 years).
const maxDuration = 100 * 366 * 24 * time.Hour

// parseDuration reads an RFC 5545 DURATION: [+-]P[nW] or [+-]P[nD][T[nH][nM][nS]].
func parseDuration(v string) (time.Duration, error) {
	s := strings.TrimSpace(v)
	bad := fmt.Errorf("%s is not a duration (such as PT1H30M or P1D)", input.Excerpt(v))
	sign := time.Duration(1)
	if s != "" && (s[0] == '+' || s[0] == '-') {
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
	}
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return 0, bad
	}
	units := map[byte]time.Duration{'W': 7 * 24 * time.Hour, 'D': 24 * time.Hour}
	timeUnits := map[byte]time.Duration{'H': time.Hour, 'M': time.Minute, 'S': time.Second}
	var total time.Duration
	num := -1
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if num < 0 {
				num = 0
			}
			if num > 1_000_000 {
				return 0, bad
			}
			num = num*10 + int(c-'0')
		case c == 'T' && num < 0:
			units = timeUnits
		case units[c] != 0 && num >= 0:
			if time.Duration(num) > maxDuration/units[c] {
				return 0, bad
			}
			total += time.Duration(num) * units[c]
			num = -1
		default:
			return 0, bad
		}
	}
	if num >= 0 || total > maxDuration {
		return 0, bad
	}
	return sign * total, nil
}
