package places

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"time"
)

// period bounds the data (visits, journeys, every point of the trace) and spreads each
// place's time over its weeks.
func (l *Life) period(pts []point) {
	see := func(t time.Time) {
		if l.From.IsZero() || t.Before(l.From) {
			l.From = t
		}
		if t.After(l.To) {
			l.To = t
		}
	}
	for _, v := range l.Visits {
		see(v.Start)
		see(v.End)
	}
	for _, p := range pts {
		see(p.t)
	}
	last := l.To
	if last.After(l.From) {
		last = last.Add(-time.Nanosecond) // data that ends at midnight ends the day before
	}
	days := daysBetween(l.day(l.From), l.day(last)) + 1
	l.Weeks = max(1, float64(days)/7)
	for i := range l.Places {
		l.Places[i].PerWeek = time.Duration(float64(l.Places[i].Total) / l.Weeks)
	}
}

// rank sorts the places by time spent (then visits, then name, then position, so that the
// order never depends on the order documents were read in) and renumbers what points to them.
func (l *Life) rank() {
	order := make([]int, len(l.Places))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		pa, pb := l.Places[a], l.Places[b]
		return cmp.Or(cmp.Compare(pb.Total, pa.Total), cmp.Compare(pb.Visits, pa.Visits), cmp.Compare(pa.Name, pb.Name),
			cmp.Compare(pa.At.Lat, pb.At.Lat), cmp.Compare(pa.At.Lon, pb.At.Lon))
	})
	rank := make([]int, len(order))
	sorted := make([]Place, len(order))
	for r, i := range order {
		rank[i] = r
		sorted[r] = l.Places[i]
	}
	l.Places = sorted
	for i := range l.Visits {
		l.Visits[i].Place = rank[l.Visits[i].Place]
	}
	for i := range l.Journeys {
		j := &l.Journeys[i]
		if j.From >= 0 {
			j.From = rank[j.From]
		}
		if j.To >= 0 {
			j.To = rank[j.To]
		}
	}
}

// days lists the local days any visit or journey touches.
func (l *Life) days() {
	seen := map[string]bool{}
	mark := func(from, to time.Time) {
		if to.After(from) {
			to = to.Add(-time.Nanosecond) // a visit ending at midnight does not touch the next day
		}
		for d := l.day(from); !d.After(to); d = d.AddDate(0, 0, 1) {
			seen[d.Format(time.DateOnly)] = true
		}
	}
	for _, v := range l.Visits {
		mark(v.Start, v.End)
	}
	for _, j := range l.Journeys {
		mark(j.Depart, j.Arrive)
	}
	for d := range seen {
		l.Days = append(l.Days, d)
	}
	slices.Sort(l.Days)
}

// day is the local midnight that starts t's day.
func (l *Life) day(t time.Time) time.Time {
	t = t.In(l.loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, l.loc)
}

// daysBetween counts the calendar days from a to b (local midnights), whatever the clocks did.
func daysBetween(a, b time.Time) int {
	ua := time.Date(a.Year(), a.Month(), a.Day(), 12, 0, 0, 0, time.UTC)
	ub := time.Date(b.Year(), b.Month(), b.Day(), 12, 0, 0, 0, time.UTC)
	return int(ub.Sub(ua).Hours() / 24)
}

// Day is one day's itinerary: its visits and journeys in order, each clipped to the day.
type Day struct {
	Date       string    // YYYY-MM-DD
	Start, End time.Time // the local midnights around it
	Entries    []Entry
	// Places are the places of the day in the order first met: a map numbers them so.
	Places []int
	// Prev and Next are the nearest days before and after that hold data, "" when none.
	Prev, Next string
}

// Entry is a visit (Visit ≥ 0) or a journey (Journey ≥ 0) of a day.
type Entry struct {
	Visit, Journey int
	From, To       time.Time // clipped to the day
	Before, After  bool      // it began the day before, it goes on the next day
}

// Day is the itinerary of date (YYYY-MM-DD in the Life's zone); a day without data has no
// entries. An error says the date is not one.
func (l *Life) Day(date string) (Day, error) {
	start, err := time.ParseInLocation(time.DateOnly, date, l.loc)
	if err != nil {
		return Day{}, fmt.Errorf("%q is not a date in the form 2006-01-31", date)
	}
	d := Day{Date: start.Format(time.DateOnly), Start: start, End: start.AddDate(0, 0, 1)}
	within := func(from, to time.Time) bool {
		return from.Before(d.End) && (to.After(d.Start) || !from.Before(d.Start))
	}
	clip := func(e Entry, from, to time.Time) Entry {
		e.From, e.To = from, to
		if from.Before(d.Start) {
			e.From, e.Before = d.Start, true
		}
		if to.After(d.End) {
			e.To, e.After = d.End, true
		}
		return e
	}
	for i, v := range l.Visits {
		if within(v.Start, v.End) {
			d.Entries = append(d.Entries, clip(Entry{Visit: i, Journey: -1}, v.Start, v.End))
		}
	}
	for i, j := range l.Journeys {
		if within(j.Depart, j.Arrive) {
			d.Entries = append(d.Entries, clip(Entry{Visit: -1, Journey: i}, j.Depart, j.Arrive))
		}
	}
	slices.SortStableFunc(d.Entries, func(a, b Entry) int { return cmp.Or(a.From.Compare(b.From), a.To.Compare(b.To)) })
	seen := map[int]bool{}
	met := func(p int) {
		if p >= 0 && !seen[p] {
			seen[p] = true
			d.Places = append(d.Places, p)
		}
	}
	for _, e := range d.Entries {
		if e.Visit >= 0 {
			met(l.Visits[e.Visit].Place)
		} else {
			met(l.Journeys[e.Journey].From)
			met(l.Journeys[e.Journey].To)
		}
	}
	i := sort.SearchStrings(l.Days, d.Date)
	if i > 0 {
		d.Prev = l.Days[i-1]
	}
	if i < len(l.Days) && l.Days[i] == d.Date {
		i++
	}
	if i < len(l.Days) {
		d.Next = l.Days[i]
	}
	return d, nil
}

// LastDay is the last day that holds data, "" when none does.
func (l *Life) LastDay() string {
	if len(l.Days) == 0 {
		return ""
	}
	return l.Days[len(l.Days)-1]
}
