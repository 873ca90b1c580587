package places

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// The thresholds of the clustering. They are those of the usual stay-point detection on
// phone traces: a phone's fix wanders by tens of metres indoors, a building is under 150 m
// across, and a stop shorter than ten minutes is a traffic light, not a visit.
const (
	// Radius: stays whose centres are closer than this are one place.
	Radius = 150.0 // metres
	// MinStay: points of the trace that stay within Radius this long make a stay.
	MinStay = 10 * time.Minute
	// MergeGap: two stays at one place this close in time are one visit (an export splits a
	// stay now and then, and a phone loses its fix in a lift).
	MergeGap = 30 * time.Minute
	// TraceGap: points of the trace further apart in time than this are not one journey.
	TraceGap = time.Hour
)

// Place is a place the person spends time at, as the clustering found it.
type Place struct {
	// Name is that of the nearest place document (or of the visits, when an export named
	// them and gave no place); empty when nothing names the place.
	Name     string
	Category string // the place document's category, if any
	KnownID  string // the place document that names it, if any
	At       LatLon // the centre of its stays
	Total    time.Duration
	PerWeek  time.Duration // Total over the weeks the data covers
	Visits   int
	First    time.Time // the start of the first visit
	Last     time.Time // the start of the last visit
}

// Visit is one stay at a place: consecutive stays there make one.
type Visit struct {
	Place      int // index in Life.Places
	Start, End time.Time
}

// Journey is the way from one visit to the next: the trace between them when there is one,
// else a straight line.
type Journey struct {
	From, To       int // indices in Life.Places; -1 where the trace begins or ends away from any
	Depart, Arrive time.Time
	Path           []LatLon // from From's centre, through the trace, to To's centre
	Metres         float64  // along Path
}

// Life is what the trace says: the places most time is spent at, the visits and journeys in
// time order, and the local days that hold any of them.
type Life struct {
	Places   []Place   // most time first
	Visits   []Visit   // by start
	Journeys []Journey // by departure
	Days     []string  // YYYY-MM-DD in loc, in order
	// From and To bound the data; Weeks is the number of weeks between their days (at least
	// one), what PerWeek divides by.
	From, To   time.Time
	Weeks      float64
	Unreadable int // documents left out (Read.Unreadable, and visits that end before they start)
	loc        *time.Location
}

// stay is a stay before clustering: a visit document, or a run of points.
type stay struct {
	start, end  time.Time
	at          LatLon
	place, name string
	cluster     int
}

// point is a point of the trace; gap numbers the time between two stays it lies in.
type point struct {
	at  LatLon
	t   time.Time
	gap int
}

// Compute finds the places and the journeys of what Load read; days are those of loc.
func Compute(in Read, loc *time.Location) *Life {
	l := &Life{Unreadable: in.Unreadable, loc: loc}
	var stays []stay
	var pts []point
	for _, r := range in.Records {
		switch {
		case !r.End.IsZero() && r.End.Before(r.Start):
			l.Unreadable++
		case !r.End.IsZero() || r.Place != "" || r.Name != "":
			end := r.End
			if end.IsZero() {
				end = r.Start // a stay noted without its end: a visit, but no time spent
			}
			stays = append(stays, stay{start: r.Start, end: end, at: r.At, place: r.Place, name: r.Name})
		default:
			pts = append(pts, point{at: r.At, t: r.Start})
		}
	}
	slices.SortStableFunc(pts, func(a, b point) int { return a.t.Compare(b.t) })
	pts = outside(pts, stays)
	found, moving := stopPoints(pts)
	stays = append(stays, found...)
	if len(stays) == 0 && len(moving) == 0 {
		return l
	}
	centres := cluster(stays)
	l.name(centres, stays, in.Known)
	l.visits(stays)
	l.journeys(moving)
	l.period(pts)
	l.rank()
	l.days()
	return l
}

// outside keeps the points (sorted by time) that no stay covers, a stay already saying where
// the person was then, and numbers the gaps between stays they lie in.
func outside(pts []point, stays []stay) []point {
	if len(stays) == 0 {
		return pts
	}
	spans := make([][2]time.Time, 0, len(stays))
	for _, s := range stays {
		spans = append(spans, [2]time.Time{s.start, s.end})
	}
	spans = union(spans)
	var out []point
	i := 0
	for _, p := range pts {
		for i < len(spans) && spans[i][1].Before(p.t) {
			i++
		}
		if i < len(spans) && !p.t.Before(spans[i][0]) {
			continue
		}
		p.gap = i
		out = append(out, p)
	}
	return out
}

// union merges overlapping intervals, returning them sorted.
func union(spans [][2]time.Time) [][2]time.Time {
	slices.SortFunc(spans, func(a, b [2]time.Time) int { return a[0].Compare(b[0]) })
	var out [][2]time.Time
	for _, s := range spans {
		if n := len(out); n > 0 && !s[0].After(out[n-1][1]) {
			if s[1].After(out[n-1][1]) {
				out[n-1][1] = s[1]
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// stopPoints finds the stays in a trace (sorted by time): a run of points within Radius of
// its first one for at least MinStay, with no stay between them, is a stay at their mean
// position (the fixes on the way home and those on the way out the next morning are not a
// night's stay of their own). The other points are on the move.
func stopPoints(pts []point) (found []stay, moving []point) {
	for i := 0; i < len(pts); {
		j := i + 1
		for j < len(pts) && pts[j].gap == pts[i].gap && Distance(pts[i].at, pts[j].at) <= Radius {
			j++
		}
		if pts[j-1].t.Sub(pts[i].t) < MinStay {
			moving = append(moving, pts[i])
			i++
			continue
		}
		var lat, lon float64
		for _, p := range pts[i:j] {
			lat, lon = lat+p.at.Lat, lon+p.at.Lon
		}
		n := float64(j - i)
		found = append(found, stay{start: pts[i].t, end: pts[j-1].t, at: LatLon{lat / n, lon / n}})
		i = j
	}
	return found, moving
}

// centre is a cluster being built: the sum of its stays' positions.
type centre struct {
	lat, lon float64
	n        int
	dead     bool
}

func (c centre) at() LatLon { return LatLon{c.lat / float64(c.n), c.lon / float64(c.n)} }

// cluster gives each stay a cluster and returns the clusters' centres. Each stay, the longest
// first, joins the cluster of the same place document, else the one whose centre is nearest
// within Radius, else starts one; clusters whose centres end up within Radius of each other
// are then merged. This is a density clustering by centres rather than by neighbours: linking
// stays to their neighbours chains places together in a city (a home and the doctor's 230 m
// away merge once a few noisy fixes lie between them), while a centre moves only a little.
func cluster(stays []stay) []centre {
	order := make([]int, len(stays))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(stays[b].end.Sub(stays[b].start), stays[a].end.Sub(stays[a].start)), stays[a].start.Compare(stays[b].start))
	})
	var cs []centre
	byPlace := map[string]int{}
	for _, i := range order {
		s := &stays[i]
		c, ok := byPlace[s.place]
		if !ok || s.place == "" {
			c = nearest(cs, s.at)
		}
		if c < 0 {
			c = len(cs)
			cs = append(cs, centre{})
		}
		cs[c].lat, cs[c].lon, cs[c].n = cs[c].lat+s.at.Lat, cs[c].lon+s.at.Lon, cs[c].n+1
		s.cluster = c
		if _, ok := byPlace[s.place]; !ok && s.place != "" {
			byPlace[s.place] = c
		}
	}
	for merged := true; merged; {
		merged = false
		for a := range cs {
			for b := a + 1; b < len(cs) && !cs[a].dead; b++ {
				if cs[b].dead || Distance(cs[a].at(), cs[b].at()) > Radius {
					continue
				}
				cs[a].lat, cs[a].lon, cs[a].n = cs[a].lat+cs[b].lat, cs[a].lon+cs[b].lon, cs[a].n+cs[b].n
				cs[b].dead, merged = true, true
				for i := range stays {
					if stays[i].cluster == b {
						stays[i].cluster = a
					}
				}
			}
		}
	}
	return cs
}

// nearest is the live cluster whose centre is nearest to p within Radius, or -1.
func nearest(cs []centre, p LatLon) int {
	best, bestD := -1, math.Inf(1)
	for i, c := range cs {
		if c.dead {
			continue
		}
		if d := Distance(c.at(), p); d <= Radius && d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

// name makes the live clusters the places (in cluster order for now, see rank) and names
// each: by the place document its stays point to for the longest time, else the nearest one
// within Radius of its centre, else the name its visits carry most often.
func (l *Life) name(cs []centre, stays []stay, known []Known) {
	byID := map[string]Known{}
	for _, k := range known {
		byID[k.ID] = k
	}
	index := make([]int, len(cs)) // cluster → place
	for c := range cs {
		index[c] = -1
		if !cs[c].dead {
			index[c] = len(l.Places)
			l.Places = append(l.Places, Place{At: cs[c].at()})
		}
	}
	refTime := make([]map[string]time.Duration, len(l.Places))
	names := make([]map[string]int, len(l.Places))
	for i := range stays {
		s := &stays[i]
		s.cluster = index[s.cluster]
		if _, ok := byID[s.place]; ok {
			if refTime[s.cluster] == nil {
				refTime[s.cluster] = map[string]time.Duration{}
			}
			refTime[s.cluster][s.place] += s.end.Sub(s.start) + time.Nanosecond // a visit without an end still counts
		}
		if s.name != "" {
			if names[s.cluster] == nil {
				names[s.cluster] = map[string]int{}
			}
			names[s.cluster][s.name]++
		}
	}
	for i := range l.Places {
		p := &l.Places[i]
		k, ok := Known{}, false
		if id := maxKey(refTime[i]); id != "" {
			k, ok = byID[id], true
		} else {
			bestD := math.Inf(1)
			for _, c := range known {
				if d := Distance(c.At, p.At); d <= Radius && (d < bestD || d == bestD && c.ID < k.ID) {
					k, ok, bestD = c, true, d
				}
			}
		}
		if ok {
			p.Name, p.Category, p.KnownID = k.Name, k.Category, k.ID
		}
		if p.Name == "" {
			p.Name = maxKey(names[i])
		}
	}
}

// maxKey is the key with the largest value (the smallest key among equals), "" for none.
func maxKey[V cmp.Ordered](m map[string]V) string {
	best := ""
	for k, v := range m {
		if best == "" || v > m[best] || v == m[best] && k < best {
			best = k
		}
	}
	return best
}

// visits turns the stays into visits, in time order, joining consecutive stays at one place
// less than MergeGap apart, and adds up each place's time (overlapping visits count once).
func (l *Life) visits(stays []stay) {
	slices.SortStableFunc(stays, func(a, b stay) int { return cmp.Or(a.start.Compare(b.start), a.end.Compare(b.end)) })
	for _, s := range stays {
		if n := len(l.Visits); n > 0 && l.Visits[n-1].Place == s.cluster && s.start.Sub(l.Visits[n-1].End) <= MergeGap {
			if s.end.After(l.Visits[n-1].End) {
				l.Visits[n-1].End = s.end
			}
			continue
		}
		l.Visits = append(l.Visits, Visit{Place: s.cluster, Start: s.start, End: s.end})
	}
	spans := make([][][2]time.Time, len(l.Places))
	for _, v := range l.Visits {
		p := &l.Places[v.Place]
		p.Visits++
		if p.First.IsZero() || v.Start.Before(p.First) {
			p.First = v.Start
		}
		if v.Start.After(p.Last) {
			p.Last = v.Start
		}
		spans[v.Place] = append(spans[v.Place], [2]time.Time{v.Start, v.End})
	}
	for i, s := range spans {
		for _, u := range union(s) {
			l.Places[i].Total += u[1].Sub(u[0])
		}
	}
}
