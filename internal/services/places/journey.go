package places

import (
	"sort"
	"time"
)

// journeys links each visit to the next through the points of the trace between them. The
// points of a gap are cut where TraceGap passes without one; a run joins the visit before
// (after) when it starts (ends) within TraceGap of it. A gap without points between two
// places is a journey in a straight line; a gap without points at one place is none. A visit
// inside another (a shop in a shopping centre) has no journey to or from it.
func (l *Life) journeys(moving []point) {
	// between is the points strictly between lo and hi; a zero bound is no bound.
	between := func(lo, hi time.Time) []point {
		i := sort.Search(len(moving), func(i int) bool { return moving[i].t.After(lo) })
		j := len(moving)
		if !hi.IsZero() {
			j = sort.Search(len(moving), func(j int) bool { return !moving[j].t.Before(hi) })
		}
		return moving[i:max(i, j)]
	}
	var none time.Time
	last := -1 // the visit that ends latest so far
	for i, v := range l.Visits {
		switch {
		case last < 0:
			l.gap(-1, v.Place, none, v.Start, between(none, v.Start))
		case !v.Start.Before(l.Visits[last].End):
			p := l.Visits[last]
			l.gap(p.Place, v.Place, p.End, v.Start, between(p.End, v.Start))
		}
		if last < 0 || v.End.After(l.Visits[last].End) {
			last = i
		}
	}
	if last < 0 {
		l.gap(-1, -1, none, none, moving)
	} else {
		p := l.Visits[last]
		l.gap(p.Place, -1, p.End, none, between(p.End, none))
	}
}

// gap adds the journeys of the points between leaving from at depart and reaching to at
// arrive (-1: no visit on that side).
func (l *Life) gap(from, to int, depart, arrive time.Time, pts []point) {
	if len(pts) == 0 {
		if from >= 0 && to >= 0 && from != to {
			l.add(from, to, depart, arrive, nil)
		}
		return
	}
	var runs [][]point
	for i, p := range pts {
		if i == 0 || p.t.Sub(pts[i-1].t) > TraceGap {
			runs = append(runs, nil)
		}
		runs[len(runs)-1] = append(runs[len(runs)-1], p)
	}
	for i, r := range runs {
		f, t := -1, -1
		d, a := r[0].t, r[len(r)-1].t
		if i == 0 && from >= 0 && r[0].t.Sub(depart) <= TraceGap {
			f, d = from, depart
		}
		if i == len(runs)-1 && to >= 0 && arrive.Sub(r[len(r)-1].t) <= TraceGap {
			t, a = to, arrive
		}
		l.add(f, t, d, a, r)
	}
}

func (l *Life) add(from, to int, depart, arrive time.Time, pts []point) {
	j := Journey{From: from, To: to, Depart: depart, Arrive: arrive}
	if from >= 0 {
		j.Path = append(j.Path, l.Places[from].At)
	}
	for _, p := range pts {
		j.Path = append(j.Path, p.at)
	}
	if to >= 0 {
		j.Path = append(j.Path, l.Places[to].At)
	}
	for i := 1; i < len(j.Path); i++ {
		j.Metres += Distance(j.Path[i-1], j.Path[i])
	}
	l.Journeys = append(l.Journeys, j)
}
