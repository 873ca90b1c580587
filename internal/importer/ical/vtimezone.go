package ical

import (
	"strconv"
	"strings"
	"time"
)

// yearly is the one recurrence VTIMEZONE observances use in practice: once a year, in a
// given month, on the n-th (or last) given weekday — "the last Sunday of March".
type yearly struct {
	month      time.Month // 0: the month of DTSTART
	n          int        // week of the month, 1..5 or -1..-5; 0 with monthDays or none
	weekday    time.Weekday
	hasWeekday bool
	monthDays  []int // BYMONTHDAY; with a weekday, the first of them that falls on it
	until      time.Time
	count      int
}

// parseYearly reads an observance RRULE; ok is false for a rule beyond the yearly
// month-and-weekday pattern, so that the caller falls back rather than guesses.
func parseYearly(rule string) (y yearly, ok bool) {
	for _, part := range strings.Split(rule, ";") {
		k, v, _ := strings.Cut(part, "=")
		switch strings.ToUpper(k) {
		case "FREQ":
			ok = strings.EqualFold(v, "YEARLY")
		case "WKST":
		case "INTERVAL":
			if v != "1" {
				return y, false
			}
		case "BYMONTH":
			m, err := strconv.Atoi(v)
			if err != nil || m < 1 || m > 12 {
				return y, false
			}
			y.month = time.Month(m)
		case "BYDAY":
			if !y.setByDay(v) {
				return y, false
			}
		case "BYMONTHDAY":
			for _, d := range strings.Split(v, ",") {
				n, err := strconv.Atoi(d)
				if err != nil || n < 1 || n > 31 {
					return y, false
				}
				y.monthDays = append(y.monthDays, n)
			}
		case "UNTIL":
			t, err := parseUntil(v)
			if err != nil {
				return y, false
			}
			y.until = t
		case "COUNT":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return y, false
			}
			y.count = n
		default:
			return y, false
		}
	}
	return y, ok
}

var weekdays = map[string]time.Weekday{"SU": time.Sunday, "MO": time.Monday, "TU": time.Tuesday,
	"WE": time.Wednesday, "TH": time.Thursday, "FR": time.Friday, "SA": time.Saturday}

func (y *yearly) setByDay(v string) bool {
	if len(v) < 2 {
		return false
	}
	wd, ok := weekdays[strings.ToUpper(v[len(v)-2:])]
	if !ok {
		return false
	}
	y.weekday, y.hasWeekday = wd, true
	if num := v[:len(v)-2]; num != "" {
		n, err := strconv.Atoi(num)
		if err != nil || n == 0 || n < -5 || n > 5 {
			return false
		}
		y.n = n
	}
	return true
}

func parseUntil(v string) (time.Time, error) {
	v = strings.TrimSuffix(v, "Z")
	if len(v) == len(layoutDate) {
		t, err := time.Parse(layoutDate, v)
		return t.Add(24*time.Hour - time.Second), err
	}
	return time.Parse(layoutDateTime, v)
}

// onsetIn returns the onset in year yr, at DTSTART's time of day; ok is false when the
// rule has no such day that year (a fifth Sunday that does not exist).
func (y yearly) onsetIn(yr int, start time.Time) (time.Time, bool) {
	m := y.month
	if m == 0 {
		m = start.Month()
	}
	day := 0
	switch {
	case y.hasWeekday && y.n != 0:
		day = nthWeekday(yr, m, y.n, y.weekday)
	case y.hasWeekday:
		for _, d := range y.monthDays {
			if d <= daysIn(yr, m) && time.Date(yr, m, d, 0, 0, 0, 0, time.UTC).Weekday() == y.weekday {
				day = d
				break
			}
		}
	case len(y.monthDays) > 0:
		day = y.monthDays[0]
	default:
		day = start.Day()
	}
	if day < 1 || day > daysIn(yr, m) {
		return time.Time{}, false
	}
	return time.Date(yr, m, day, start.Hour(), start.Minute(), start.Second(), 0, time.UTC), true
}

func daysIn(yr int, m time.Month) int {
	return time.Date(yr, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// nthWeekday is the day of month of the n-th weekday wd (n < 0 counts from the end), or 0.
func nthWeekday(yr int, m time.Month, n int, wd time.Weekday) int {
	if n > 0 {
		first := time.Date(yr, m, 1, 0, 0, 0, 0, time.UTC).Weekday()
		d := 1 + (int(wd)-int(first)+7)%7 + (n-1)*7
		if d > daysIn(yr, m) {
			return 0
		}
		return d
	}
	last := daysIn(yr, m)
	lastWd := time.Date(yr, m, last, 0, 0, 0, 0, time.UTC).Weekday()
	d := last - (int(lastWd)-int(wd)+7)%7 + (n+1)*7
	if d < 1 {
		return 0
	}
	return d
}

// lastOnset is the latest onset of the observance at or before wall time w (zero when
// none); ok is false when its RRULE is not understood.
func (o Observance) lastOnset(w time.Time) (time.Time, bool) {
	var best time.Time
	consider := func(t time.Time) {
		if !t.After(w) && t.After(best) {
			best = t
		}
	}
	consider(o.Start)
	for _, t := range o.RDates {
		consider(t)
	}
	if o.RRule == "" {
		return best, true
	}
	y, ok := parseYearly(o.RRule)
	if !ok {
		return time.Time{}, false
	}
	last := w.Year()
	if !y.until.IsZero() && y.until.Year() < last {
		last = y.until.Year()
	}
	if y.count > 0 && o.Start.Year()+y.count-1 < last {
		last = o.Start.Year() + y.count - 1
	}
	for yr := last; yr >= last-1 && yr >= o.Start.Year(); yr-- {
		t, ok := y.onsetIn(yr, o.Start)
		if ok && !t.Before(o.Start) && (y.until.IsZero() || !t.After(y.until)) {
			consider(t)
		}
	}
	return best, true
}

// understood tells whether every observance's rule can be followed.
func (tz *TimeZone) understood() bool {
	for _, o := range tz.Observances {
		if o.RRule != "" {
			if _, ok := parseYearly(o.RRule); !ok {
				return false
			}
		}
	}
	return len(tz.Observances) > 0
}

// offsetAt is the offset (seconds east of UTC) in force at wall time w: that of the
// observance whose latest onset is the most recent.
func (tz *TimeZone) offsetAt(w time.Time) int {
	var best time.Time
	off, found := 0, false
	for _, o := range tz.Observances {
		t, _ := o.lastOnset(w)
		if !t.IsZero() && (!found || t.After(best)) {
			best, off, found = t, o.OffsetTo, true
		}
	}
	if !found {
		return tz.standardOffset()
	}
	return off
}

// standardOffset is the offset of the most recent STANDARD observance (else of the
// first one): the fallback when the rules cannot be followed.
func (tz *TimeZone) standardOffset() int {
	var best *Observance
	for i := range tz.Observances {
		o := &tz.Observances[i]
		if !o.Daylight && (best == nil || o.Start.After(best.Start)) {
			best = o
		}
	}
	if best == nil && len(tz.Observances) > 0 {
		best = &tz.Observances[0]
	}
	if best == nil {
		return 0
	}
	return best.OffsetTo
}
