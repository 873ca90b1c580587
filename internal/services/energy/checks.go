package energy

// This file holds the three checks, as pure functions over series the caller has summed
// (Check reads them): a probable leak, consumption far above the person's own history, a
// water meter about to freeze. Each says what it saw in numbers a sentence can carry, so
// that an alert states its evidence.

import (
	"math"
	"slices"
	"sort"
	"time"
)

// The alert kinds, as store.Alert.Kind and the settings' silenced list name them.
const (
	KindLeak   = "leak"
	KindExcess = "excess"
	KindFreeze = "freeze"
)

// AlertKinds lists them in the order the page shows them.
var AlertKinds = []string{KindLeak, KindExcess, KindFreeze}

// What the checks call a leak, an excess and a freeze.
const (
	// LeakNights consecutive nights whose smallest hourly flow between 1:00 and 5:00 never
	// fell to zero: water ran all night, every night, which no household does.
	LeakNights    = 3
	NightFromHour = 1
	NightToHour   = 5
	// ExcessFactor: the last 7 days above this many times the usual of the same season
	// (the median of comparable weeks of earlier years), and by more than the kind's floor.
	ExcessFactor = 1.5
	// ExcessMinWeeks comparable weeks at least, or there is no usual to compare with.
	ExcessMinWeeks = 3
	// FreezeAt: a water meter at or below 1 °C is about to freeze.
	FreezeAt = 1.0
	// Stale: a check looks at data no older than this before now; older data says
	// nothing about today.
	Stale = 72 * time.Hour
)

// ExcessFloor is, per kind and unit, how much above the usual a week must be: a few kWh
// more in a small week is no excess.
func ExcessFloor(kind, unit string) float64 {
	switch {
	case kind == Water:
		return 350 // L a week: 50 a day
	case unit == "m³":
		return 1.3 // m³ of gas a week, about 14 kWh
	case kind == Gas:
		return 14 // kWh a week
	}
	return 7 // kWh of electricity a week
}

// Night is the smallest hourly flow of one night (1:00 to 5:00, local).
type Night struct {
	Date     time.Time // the local midnight the night belongs to
	Min      float64   // L per hour
	Complete bool      // every hour of the night has a reading
}

// LeakResult is what the leak check saw.
type LeakResult struct {
	// CannotTell: the water readings are daily (or coarser), so no night can be seen.
	CannotTell bool
	Nights     []Night // the nights looked at, oldest first
	// Run is how many consecutive complete nights, up to the latest, never fell to zero;
	// Since is the first of them and Flow the smallest flow seen over them.
	Run    int
	Since  time.Time
	Flow   float64
	Raised bool
}

// Leak finds the nights in hourly sums (L per hour, keyed by each hour's start) and checks
// whether water ran through the last LeakNights of them. A night with an hour missing
// breaks the run: nothing can be said of it. The nights of the last 8 days are looked at,
// and the latest must have ended no more than Stale before now.
func Leak(hours map[time.Time]float64, loc *time.Location, now time.Time) LeakResult {
	var r LeakResult
	byNight := map[time.Time]*Night{}
	at := map[int64]bool{}
	for t := range hours {
		at[t.Unix()] = true
	}
	for t, v := range hours {
		l := t.In(loc)
		if l.Hour() < NightFromHour || l.Hour() >= NightToHour {
			continue
		}
		d := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
		n := byNight[d]
		if n == nil {
			n = &Night{Date: d, Min: math.Inf(1)}
			byNight[d] = n
		}
		n.Min = math.Min(n.Min, v)
	}
	for d, n := range byNight {
		count := 0
		for h := NightFromHour; h < NightToHour; h++ {
			if at[time.Date(d.Year(), d.Month(), d.Day(), h, 0, 0, 0, loc).Unix()] {
				count++
			}
		}
		n.Complete = count == NightToHour-NightFromHour
		end := time.Date(d.Year(), d.Month(), d.Day(), NightToHour, 0, 0, 0, loc)
		if now.Sub(end) <= 8*24*time.Hour && !end.After(now) {
			r.Nights = append(r.Nights, *n)
		}
	}
	sort.Slice(r.Nights, func(i, j int) bool { return r.Nights[i].Date.Before(r.Nights[j].Date) })
	// Walk back from the latest night; a calendar night that is absent breaks the run too.
	r.Flow = math.Inf(1)
	var next time.Time
	for i := len(r.Nights) - 1; i >= 0; i-- {
		n := r.Nights[i]
		if next.IsZero() && now.Sub(n.Date.Add(NightToHour*time.Hour)) > Stale {
			break // the latest night is old: nothing is known of the nights since
		}
		if !next.IsZero() && !n.Date.AddDate(0, 0, 1).Equal(next) || !n.Complete || n.Min <= 0 {
			break
		}
		r.Run++
		r.Since, r.Flow, next = n.Date, math.Min(r.Flow, n.Min), n.Date
	}
	if r.Run == 0 {
		r.Flow = 0
	}
	r.Raised = r.Run >= LeakNights
	return r
}

// ExcessResult is what the excess check saw.
type ExcessResult struct {
	From, To time.Time // the last 7 days, [From, To)
	Last     float64   // their consumption
	// Usual is the median of the comparable weeks: the same 7 days of each earlier year
	// and the weeks around them (three before, three after); Weeks is how many there were.
	Usual float64
	Weeks int
	// LastYear is the same 7 days a year earlier (52 weeks), when known.
	LastYear    float64
	HasLastYear bool
	Ratio       float64 // Last / Usual
	Known       bool    // there were 7 full days and ExcessMinWeeks comparable weeks
	Raised      bool
}

// Excess compares the 7 days ending with the day before `to` (a local midnight; days keyed
// by their local midnight, complete days only) with the person's own usual for the season.
// floor is ExcessFloor of the kind.
func Excess(days map[time.Time]float64, to time.Time, floor float64) ExcessResult {
	r := ExcessResult{From: to.AddDate(0, 0, -7), To: to}
	byUnix := make(map[int64]float64, len(days))
	for d, v := range days {
		byUnix[d.Unix()] = v
	}
	week := func(end time.Time) (float64, bool) {
		v := 0.0
		for d := end.AddDate(0, 0, -7); d.Before(end); d = d.AddDate(0, 0, 1) {
			x, ok := byUnix[d.Unix()]
			if !ok {
				return 0, false
			}
			v += x
		}
		return v, true
	}
	var ok bool
	if r.Last, ok = week(to); !ok {
		return r
	}
	var usual []float64
	for y := 1; y <= ExcessYears; y++ {
		for k := -3; k <= 3; k++ {
			if v, ok := week(to.AddDate(0, 0, -364*y+7*k)); ok {
				usual = append(usual, v)
				if y == 1 && k == 0 {
					r.LastYear, r.HasLastYear = v, true
				}
			}
		}
	}
	r.Weeks = len(usual)
	if r.Weeks < ExcessMinWeeks {
		return r
	}
	slices.Sort(usual)
	if n := len(usual); n%2 == 1 {
		r.Usual = usual[n/2]
	} else {
		r.Usual = (usual[n/2-1] + usual[n/2]) / 2
	}
	r.Known = true
	if r.Usual > 0 {
		r.Ratio = r.Last / r.Usual
	}
	r.Raised = r.Last > ExcessFactor*r.Usual && r.Last-r.Usual >= floor
	return r
}

// ExcessYears is how many earlier years the usual is taken from.
const ExcessYears = 3

// FreezeResult is what the freeze check saw.
type FreezeResult struct {
	Known  bool      // recent temperatures were there
	Day    time.Time // the latest day with a temperature
	Min    float64   // its lowest temperature, °C
	Since  time.Time // the first day of the cold run (consecutive days at or below FreezeAt)
	Raised bool
}

// Freeze looks at the lowest temperature of each day (keyed by local midnight): when the
// latest day, no older than Stale before now, went down to FreezeAt, the meter is about to
// freeze.
func Freeze(mins map[time.Time]float64, now time.Time) FreezeResult {
	var r FreezeResult
	var days []time.Time
	for d := range mins {
		days = append(days, d)
	}
	if len(days) == 0 {
		return r
	}
	slices.SortFunc(days, func(a, b time.Time) int { return a.Compare(b) })
	last := days[len(days)-1]
	if now.Sub(last.AddDate(0, 0, 1)) > Stale {
		return r
	}
	r.Known, r.Day, r.Min = true, last, mins[last]
	if r.Min > FreezeAt {
		return r
	}
	r.Raised, r.Since = true, last
	for i := len(days) - 2; i >= 0 && mins[days[i]] <= FreezeAt && days[i].AddDate(0, 0, 1).Equal(days[i+1]); i-- {
		r.Since = days[i]
	}
	return r
}
