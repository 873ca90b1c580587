package ofx

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"selfdata/internal/input"
)

// DateTime is an OFX datetime read as the bank wrote it.
type DateTime struct {
	Date    string    // "YYYY-MM-DD", the date part as written (the bank's day)
	Instant time.Time // the same moment in UTC
	Offset  string    // "-05:00" when the file gave an offset, else "" (OFX then means GMT)
	Zone    string    // the zone name the file gave ("EST"), informative only
}

const dateHint = "an OFX date is YYYYMMDD, optionally followed by HHMMSS, .XXX and [offset:zone], e.g. 20130313120000.000[-5:EST]"

// parseDateTime reads "YYYYMMDD[HHMM[SS[.XXX]]][[±H[.H]][:TZ]]".
func parseDateTime(s string) (DateTime, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DateTime{}, fmt.Errorf("the date is empty (%s)", dateHint)
	}
	main, tz, hasTZ := strings.Cut(s, "[")
	digitsPart, frac, hasFrac := strings.Cut(main, ".")
	if !allDigits(digitsPart) || hasFrac && !allDigits(frac) {
		return DateTime{}, fmt.Errorf("%s is not a date (%s)", input.Excerpt(s), dateHint)
	}
	if n := len(digitsPart); n != 8 && n != 10 && n != 12 && n != 14 {
		return DateTime{}, fmt.Errorf("%s has %d digits where 8 or 14 are expected (%s)", input.Excerpt(s), n, dateHint)
	}
	var f [6]int
	for i, b := range [6][2]int{{0, 4}, {4, 6}, {6, 8}, {8, 10}, {10, 12}, {12, 14}} {
		if b[1] <= len(digitsPart) {
			f[i], _ = strconv.Atoi(digitsPart[b[0]:b[1]])
		}
	}
	y, mo, d, h, mi, sec := f[0], f[1], f[2], f[3], f[4], f[5]
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) {
		return DateTime{}, fmt.Errorf("%s: there is no day %04d-%02d-%02d", input.Excerpt(s), y, mo, d)
	}
	if h > 23 || mi > 59 || sec > 60 {
		return DateTime{}, fmt.Errorf("%s: %02d:%02d:%02d is not a time of day", input.Excerpt(s), h, mi, sec)
	}
	ns := 0
	if hasFrac && frac != "" {
		frac = (frac + "000000000")[:9]
		ns, _ = strconv.Atoi(frac)
	}
	out := DateTime{Date: fmt.Sprintf("%04d-%02d-%02d", y, mo, d)}
	offset := 0
	if hasTZ {
		var err error
		if offset, out.Zone, err = parseZone(strings.TrimSuffix(tz, "]")); err != nil {
			return DateTime{}, fmt.Errorf("%s: %w", input.Excerpt(s), err)
		}
		out.Offset = formatOffset(offset)
	}
	local := time.Date(y, time.Month(mo), d, h, mi, min(sec, 59), ns, time.FixedZone(out.Zone, offset))
	out.Instant = local.UTC()
	return out, nil
}

// parseZone reads "-5:EST", "+5.5", "0:GMT" into seconds east of UTC and a zone name.
// The offset is in hours, possibly fractional ("+5.75" is 5h45).
func parseZone(tz string) (int, string, error) {
	off, name, _ := strings.Cut(tz, ":")
	off = strings.TrimSpace(off)
	sign := 1
	switch {
	case strings.HasPrefix(off, "-"):
		sign, off = -1, off[1:]
	case strings.HasPrefix(off, "+"):
		off = off[1:]
	}
	hours, frac, _ := strings.Cut(off, ".")
	h, err := strconv.Atoi(hours)
	if !allDigits(hours) {
		err = fmt.Errorf("no hours")
	}
	if err != nil || frac != "" && (!allDigits(frac) || len(frac) > 4) || h > 14 {
		return 0, "", fmt.Errorf("%s is not a GMT offset in hours", input.Excerpt(tz))
	}
	minutes := 0
	if frac != "" {
		// decimal hours to minutes, exactly: "75" -> 45, "5" -> 30
		num, _ := strconv.Atoi(frac)
		den := 1
		for range frac {
			den *= 10
		}
		minutes = num * 60 / den
	}
	return sign * (h*3600 + minutes*60), strings.TrimSpace(name), nil
}

func formatOffset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	return fmt.Sprintf("%c%02d:%02d", sign, sec/3600, sec%3600/60)
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
