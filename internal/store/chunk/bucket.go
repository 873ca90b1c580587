package chunk

import (
	"cmp"
	"fmt"
	"time"

	"selfdata/internal/input"
	"selfdata/internal/store"
)

// Buckets are cut in the person's time zone, because "how much did I use on Sunday" means their
// Sunday. A local day therefore lasts 23 or 25 hours on daylight-saving change days, and a week
// or month containing such a day one hour less or more.
//
// Hour buckets are the exception: they are consecutive absolute hours, aligned on the local hour,
// so the hour repeated in autumn is two buckets (a local day then has 25 of them) and the hour
// skipped in spring is none. Every bucket is one hour long, which is what a power curve needs.
// Where an offset change is not a whole number of hours (Lord Howe Island's half-hour daylight
// saving, historical local mean time) the change instant also starts a bucket, so that buckets
// still tile time and Floor agrees with Next.
//
// Floor and Next take a step checked by ParseStep (or one of the store constants) and panic on
// any other: an unchecked step reaching them is a bug, not input. A nil loc means UTC.

// Floor returns the start of the bucket that holds t.
func Floor(t time.Time, step store.Step, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	lt := t.In(loc)
	switch step {
	case store.Hour:
		f := localHour(lt)
		if zs, _ := lt.ZoneBounds(); f.Before(zs) && offsetChanges(zs) {
			f = zs
		}
		return f
	case store.Day:
		y, m, d := lt.Date()
		return startOfDay(y, m, d, loc)
	case store.Week:
		y, m, d := lt.Date()
		return startOfDay(y, m, d-daysSinceMonday(lt.Weekday()), loc)
	case store.Month:
		y, m, _ := lt.Date()
		return startOfDay(y, m, 1, loc)
	case store.Year:
		return startOfDay(lt.Year(), time.January, 1, loc)
	}
	panic(fmt.Sprintf("chunk.Floor: unknown step %q", step))
}

// Next returns the start of the bucket after the one that holds start.
func Next(start time.Time, step store.Step, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	lt := start.In(loc)
	if step == store.Hour {
		n := localHour(lt).Add(time.Hour)
		if _, ze := lt.ZoneBounds(); !ze.IsZero() && ze.Before(n) && offsetChanges(ze) {
			n = ze
		}
		return n
	}
	y, m, d := lt.Date()
	switch step {
	case store.Day:
		return startOfDay(y, m, d+1, loc)
	case store.Week:
		return startOfDay(y, m, d-daysSinceMonday(lt.Weekday())+7, loc)
	case store.Month:
		return startOfDay(y, m+1, 1, loc)
	case store.Year:
		return startOfDay(y+1, time.January, 1, loc)
	}
	panic(fmt.Sprintf("chunk.Next: unknown step %q", step))
}

// Boundaries returns the bucket starts covering [from, to) followed by the end of the last
// bucket, so that bucket i is [b[i], b[i+1]). max bounds the work a request can ask for: more
// than max buckets is an error rather than a long loop and a large answer.
func Boundaries(from, to time.Time, step store.Step, loc *time.Location, max int) ([]time.Time, error) {
	if _, err := ParseStep(string(step)); err != nil {
		return nil, err
	}
	if !to.After(from) {
		return nil, fmt.Errorf("empty time range: to (%s) is not after from (%s)", to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	b := []time.Time{Floor(from, step, loc)}
	for last := b[0]; last.Before(to); {
		if len(b) > max {
			return nil, fmt.Errorf("more than %d %s buckets from %s to %s", max, step, from.Format(time.RFC3339), to.Format(time.RFC3339))
		}
		last = Next(last, step, loc)
		b = append(b, last)
	}
	return b, nil
}

// ParseStep checks a step named by a client.
func ParseStep(s string) (store.Step, error) {
	switch st := store.Step(s); st {
	case store.Hour, store.Day, store.Week, store.Month, store.Year:
		return st, nil
	}
	return "", fmt.Errorf("unknown step %s: valid steps are hour, day, week, month, year", input.Excerpt(s))
}

// ParseFn checks an aggregation function named by a client.
func ParseFn(s string) (store.AggFn, error) {
	switch fn := store.AggFn(s); fn {
	case store.Sum, store.Avg, store.Min, store.Max, store.Count:
		return fn, nil
	}
	return "", fmt.Errorf("unknown aggregation function %s: valid functions are sum, avg, min, max, count", input.Excerpt(s))
}

func daysSinceMonday(wd time.Weekday) int {
	return (int(wd) + 6) % 7
}

// startOfDay returns the first instant of a local date. time.Date alone is not enough where
// midnight is skipped or repeated (Cuba changes clocks at midnight, as did many zones in the
// past): for a skipped midnight it may answer an instant of the day before, for a repeated one
// the second occurrence, and either would misplace an hour of readings.
func startOfDay(y int, m time.Month, d int, loc *time.Location) time.Time {
	y, m, d = time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Date() // normalise a day 0 or 32
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	h, mi, s := t.Clock()
	switch c := cmpDate(t, y, m, d); {
	case c == 0 && h == 0 && mi == 0 && s == 0:
		// Midnight existed, perhaps twice if clocks went back across it. If t lies just after a
		// change to a smaller offset, midnight in the previous offset also existed, and came
		// first.
		zs, _ := t.ZoneBounds()
		if zs.IsZero() {
			return t
		}
		_, off := t.Zone()
		_, prevOff := zs.Add(-time.Nanosecond).Zone()
		if e := t.Add(-time.Duration(prevOff-off) * time.Second); prevOff > off && e.Before(zs) {
			return e
		}
	case c >= 0:
		// Midnight was skipped and Date answered an instant after the jump: the day began at the
		// jump (or, where a whole date was skipped, the next day did).
		if zs, _ := t.ZoneBounds(); !zs.IsZero() && cmpDate(zs.Add(-time.Nanosecond), y, m, d) < 0 {
			return zs
		}
	default:
		// Midnight was skipped and Date answered an instant before the jump.
		if _, ze := t.ZoneBounds(); !ze.IsZero() && cmpDate(ze.In(loc), y, m, d) >= 0 {
			return ze
		}
	}
	return t
}

// localHour returns the start of t's hour on the clock of t's own offset.
func localHour(t time.Time) time.Time {
	_, off := t.Zone()
	local := t.Unix() + int64(off)
	return time.Unix(floorDiv(local, 3600)*3600-int64(off), 0).In(t.Location())
}

// offsetChanges tells a real clock change from a zone bound where only the name or the source
// of the rule changes (Go's zone data ends its table in 2038 and continues by rule).
func offsetChanges(at time.Time) bool {
	_, before := at.Add(-time.Nanosecond).Zone()
	_, after := at.Zone()
	return before != after
}

// cmpDate compares t's local date with y-m-d.
func cmpDate(t time.Time, y int, m time.Month, d int) int {
	ty, tm, td := t.Date()
	return cmp.Or(cmp.Compare(ty, y), cmp.Compare(tm, m), cmp.Compare(td, d))
}
