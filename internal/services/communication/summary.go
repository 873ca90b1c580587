package communication

import (
	"math"
	"slices"
	"time"
)

// Totals is what a span of time holds.
type Totals struct {
	Calls        int
	CallTime     time.Duration // time on calls within the span (a call is split at its edges)
	SMS          int
	DataSessions int
	DataBytes    int64
}

func (t *Totals) add(o Totals) {
	t.Calls += o.Calls
	t.CallTime += o.CallTime
	t.SMS += o.SMS
	t.DataSessions += o.DataSessions
	t.DataBytes += o.DataBytes
}

// Part is a part of the day, in local time.
type Part int

// The parts of the day: night 0–6 h, morning 6–12 h, afternoon 12–18 h, evening 18–24 h.
const (
	Night Part = iota
	Morning
	Afternoon
	Evening
)

// PartOf is the part of the day of a local hour.
func PartOf(hour int) Part { return Part(hour / 6) }

// Day is one local calendar day.
type Day struct {
	Start time.Time // local midnight
	Totals
	ByPart [4]time.Duration // time on calls in each part of the day
}

// Week is seven local days [Start, End).
type Week struct {
	Start, End time.Time
	Totals
	ByPart [4]time.Duration
}

// Hour is one hour of the day over the whole period.
type Hour struct {
	Hour     int           // 0–23, local
	CallTime time.Duration // time on calls during that hour
	Calls    int           // calls started in that hour
	SMS      int
}

// Direction says how a measure of this week compares with the weeks before.
type Direction int

const (
	// Unknown: no earlier week to compare with.
	Unknown Direction = iota
	// Quiet: nothing this week, nothing before either.
	Quiet
	// Same: within a tenth of the usual.
	Same
	More
	Less
	// Started: something this week where there was nothing before.
	Started
)

// sameBand is how far from the usual still reads as "as usual", in percent.
const sameBand = 10

// Measure compares one quantity of this week with its average over the previous weeks.
type Measure struct {
	ThisWeek  int64 // nanoseconds for time, a count, or bytes
	Usual     int64 // the average over the previous weeks, rounded
	Percent   int   // (ThisWeek − Usual) / Usual, rounded; 0 when Usual is 0
	Direction Direction
}

func measure(now int64, before []int64) Measure {
	m := Measure{ThisWeek: now}
	if len(before) == 0 {
		return m
	}
	var sum float64
	for _, b := range before {
		sum += float64(b)
	}
	n := float64(len(before))
	m.Usual = int64(math.Round(sum / n))
	switch {
	case sum == 0 && now == 0:
		m.Direction = Quiet
	case sum == 0:
		m.Direction = Started
	default:
		m.Percent = int(math.Round(100 * (float64(now)*n - sum) / sum))
		switch {
		case m.Percent >= sameBand:
			m.Direction = More
		case m.Percent <= -sameBand:
			m.Direction = Less
		default:
			m.Direction = Same
		}
	}
	return m
}

// Trend is the last full seven days against the (up to) four weeks before them.
type Trend struct {
	This     Week
	Previous int // how many earlier weeks the usual is the average of (0–4)
	CallTime Measure
	Calls    Measure
	SMS      Measure
	Data     Measure
	Busiest  Part // the part of the day with the most time on calls this week
}

// compared is how many earlier weeks a trend looks at.
const compared = 4

// Suggestion is the idea the page offers when calls take clearly more time than usual.
type Suggestion struct {
	Percent int  // how much more time than usual
	Part    Part // when this week was busiest
}

// When a suggestion is worth making: calls took at least this much more time than usual,
// and at least this long in the week (twelve minutes instead of eight is no reason to
// suggest anything).
const (
	suggestFrom    = 25
	suggestMinimum = 30 * time.Minute
)

// Report is everything the page shows.
type Report struct {
	Records    int // records read
	Unreadable int // records left out (see Parse); set by the caller
	Total      Totals
	First      time.Time // the first record's instant
	Last       time.Time // the last record's instant
	// Through is the end of the last full day the records cover: the trend and the weeks end
	// there. It is the local midnight before the latest deposit (or before now).
	Through     time.Time
	Days        []Day  // every local day from the first record's to the last one with anything
	Weeks       []Week // seven-day periods ending at Through, back to the first full one
	Hours       [24]Hour
	Trend       *Trend // nil without a full week of records before Through
	Suggestion  *Suggestion
	RoamingDays int      // local days with at least one record abroad
	Operators   []string // who restored the records (their sources' names)
}

// Summarize adds records up, in local time loc. now bounds the period the trend may look
// at; so does the latest deposit of the records, since a day after it is not a day
// without calls but a day the operator has not restored yet.
func Summarize(recs []Record, now time.Time, loc *time.Location) Report {
	rep := Report{Records: len(recs)}
	if len(recs) == 0 {
		return rep
	}
	recs = slices.Clone(recs)
	slices.SortStableFunc(recs, func(a, b Record) int { return a.At.Compare(b.At) })
	rep.First, rep.Last = recs[0].At, recs[len(recs)-1].At

	asOf := now
	var deposited time.Time
	for _, r := range recs {
		if r.Source.At.After(deposited) {
			deposited = r.Source.At
		}
		if r.Source.Name != "" && !slices.Contains(rep.Operators, r.Source.Name) {
			rep.Operators = append(rep.Operators, r.Source.Name)
		}
	}
	if !deposited.IsZero() && deposited.Before(asOf) {
		asOf = deposited
	}
	rep.Through = midnight(asOf, loc)
	first := midnight(rep.First, loc)

	// Days, indexed by their distance from the first; grown as records reach further.
	var days []Day
	day := func(t time.Time) *Day {
		i := civil(t, loc) - civil(first, loc)
		for int64(len(days)) <= i {
			days = append(days, Day{Start: first.AddDate(0, 0, len(days))})
		}
		return &days[i]
	}
	roaming := map[int64]bool{}
	for _, r := range recs {
		l := r.At.In(loc)
		d := day(r.At)
		h := &rep.Hours[l.Hour()]
		if r.Roaming {
			roaming[civil(r.At, loc)] = true
		}
		switch r.Kind {
		case Call:
			d.Calls++
			h.Calls++
			split(r.At, r.Duration, func(at time.Time, part time.Duration) {
				pd := day(at)
				hour := at.In(loc).Hour()
				pd.CallTime += part
				pd.ByPart[PartOf(hour)] += part
				rep.Hours[hour].CallTime += part
			})
		case SMS:
			d.SMS++
			h.SMS++
		case Data:
			d.DataSessions++
			d.DataBytes += r.Bytes
		}
	}
	// The days run at least to Through, so that quiet last days are there as zeros.
	if rep.Through.After(first) {
		day(rep.Through.AddDate(0, 0, -1))
	}
	for i := range days {
		rep.Total.add(days[i].Totals)
	}
	for i := range rep.Hours {
		rep.Hours[i].Hour = i
	}
	rep.RoamingDays = len(roaming)
	rep.Days = days
	rep.Weeks = weeks(days, first, rep.Through)
	rep.Trend = trend(rep.Weeks)
	if t := rep.Trend; t != nil && t.CallTime.Direction == More && t.CallTime.Percent >= suggestFrom && t.This.CallTime >= suggestMinimum {
		rep.Suggestion = &Suggestion{Percent: t.CallTime.Percent, Part: t.Busiest}
	}
	return rep
}

// weeks cuts the days into seven-day periods ending at through, oldest first; a period
// starting before the first day of records is not a full week and is left out.
func weeks(days []Day, first, through time.Time) []Week {
	var out []Week
	for end := through; ; end = end.AddDate(0, 0, -7) {
		start := end.AddDate(0, 0, -7)
		if start.Before(first) {
			break
		}
		w := Week{Start: start, End: end}
		for _, d := range days {
			if !d.Start.Before(start) && d.Start.Before(end) {
				w.add(d.Totals)
				for p := range w.ByPart {
					w.ByPart[p] += d.ByPart[p]
				}
			}
		}
		out = append(out, w)
	}
	slices.Reverse(out)
	return out
}

// trend compares the last week with up to four before it.
func trend(ws []Week) *Trend {
	if len(ws) == 0 {
		return nil
	}
	this := ws[len(ws)-1]
	prev := ws[max(0, len(ws)-1-compared) : len(ws)-1]
	pick := func(f func(Week) int64) Measure {
		before := make([]int64, len(prev))
		for i, w := range prev {
			before[i] = f(w)
		}
		return measure(f(this), before)
	}
	t := &Trend{This: this, Previous: len(prev),
		CallTime: pick(func(w Week) int64 { return int64(w.CallTime) }),
		Calls:    pick(func(w Week) int64 { return int64(w.Calls) }),
		SMS:      pick(func(w Week) int64 { return int64(w.SMS) }),
		Data:     pick(func(w Week) int64 { return w.DataBytes }),
	}
	for p := range this.ByPart {
		if this.ByPart[p] > this.ByPart[t.Busiest] {
			t.Busiest = Part(p)
		}
	}
	return t
}

// split hands fn a call's time in quarter-hour pieces on the absolute clock. Every zone in
// use is offset from UTC by a multiple of a quarter hour, so each piece lies in one local
// hour and one local day, whatever the zone and across a change of summer time.
func split(start time.Time, d time.Duration, fn func(at time.Time, part time.Duration)) {
	const q = 15 * time.Minute
	end := start.Add(d)
	for t := start; t.Before(end); {
		next := t.Truncate(q).Add(q)
		if next.After(end) {
			next = end
		}
		fn(t, next.Sub(t))
		t = next
	}
}

// midnight is the local midnight starting the day of t.
func midnight(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}

// civil numbers the local day of t (days since 1970-01-01), so that days compare and
// subtract whatever the length of the hours between them.
func civil(t time.Time, loc *time.Location) int64 {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400
}
