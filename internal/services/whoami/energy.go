package whoami

import (
	"context"
	"fmt"
	"math"
	"time"

	"selfdata/internal/services"
	"selfdata/internal/store"
)

// Electricity is the doctype of meter readings whose load curve says when the home is lived
// in: the clearest thing energy data reveals about a person.
const Electricity = "reading.electricity"

// Load is the electricity a home used hour by hour over the last weeks, summed in the store.
type Load struct {
	Series  store.Series
	Buckets []store.Bucket // hourly sums (Wh), local hours
}

// loadDays is how many days of the load curve the portrait looks at: recent enough to be
// one season, long enough for a habit.
const loadDays = 28

// readLoad aggregates the finest electricity energy series by hour over its last loadDays
// full days, or returns nil when there is none at least hourly.
func readLoad(ctx context.Context, rd services.Reader, loc *time.Location) (*Load, error) {
	all, err := rd.Series(ctx)
	if err != nil {
		return nil, fmt.Errorf("read series: %w", err)
	}
	var best *store.Series
	interval := func(s store.Series) time.Duration {
		return s.Last.Sub(*s.First) / time.Duration(s.Count-1)
	}
	for i, s := range all {
		if s.Doctype != Electricity || s.Quantity != "energy" || s.Count < 2 || s.First == nil || s.Last == nil || interval(s) > time.Hour {
			continue
		}
		if best == nil || interval(s) < interval(*best) {
			best = &all[i]
		}
	}
	if best == nil {
		return nil, nil
	}
	to := midnight(best.Last.Add(time.Hour), loc) // a last reading at 23:30 closes its day
	bs, err := rd.Aggregate(ctx, best.ID, store.Aggregation{From: to.AddDate(0, 0, -loadDays), To: to, Step: store.Hour, Fn: store.Sum, Location: loc})
	if err != nil {
		return nil, fmt.Errorf("aggregate %s: %w", best.ID, err)
	}
	return &Load{Series: *best, Buckets: bs}, nil
}

// Thresholds of the load curve: an hour is "in use" above a quarter of the way from the
// night's level to the day's peak; a habit needs a few weekdays and a real difference.
const (
	inUse        = 0.25
	minWeekdays  = 5
	minRange     = 50.0 // Wh in an hour: below, the curve is flat and says nothing
	minEmptyRun  = 3    // hours
	minActiveRun = 2    // hours
)

// loadHabits reads weekdays' hours from a load curve: when the home's use stays at its
// night level during the day (nobody in), and when it is used in the evening (someone home).
func loadHabits(l *Load, loc *time.Location) []Statement {
	if l == nil {
		return nil
	}
	var sum [24]float64
	var n [24]int
	days := map[string]bool{}
	for _, b := range l.Buckets {
		t := b.Start.In(loc)
		if t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
			continue
		}
		sum[t.Hour()] += b.Value
		n[t.Hour()]++
		days[t.Format(time.DateOnly)] = true
	}
	if len(days) < minWeekdays {
		return nil
	}
	var avg [24]float64
	for h := range avg {
		if n[h] == 0 {
			return nil // a gap in the curve: no habit to read
		}
		avg[h] = sum[h] / float64(n[h])
	}
	night, peak := math.Inf(1), math.Inf(-1)
	for h, v := range avg {
		if h < 6 {
			night = math.Min(night, v)
		}
		peak = math.Max(peak, v)
	}
	if peak-night < minRange {
		return nil
	}
	used := func(h int) bool { return avg[h] > night+inUse*(peak-night) }
	ev := []Evidence{{Doctype: Electricity, ID: l.Series.ID, Label: l.Series.Name, Count: len(l.Buckets), Source: l.Series.Source, Series: true}}
	var out []Statement
	if from, to := longest(8, 19, func(h int) bool { return !used(h) }); to-from >= minEmptyRun {
		out = append(out, Statement{Key: "habits.empty", Args: []Arg{hour(from), hour(to), count(len(days), "weekday")}, Evidence: ev})
	}
	if from, to := longest(16, 24, used); to-from >= minActiveRun {
		out = append(out, Statement{Key: "habits.home", Args: []Arg{hour(from), hour(to), count(len(days), "weekday")}, Evidence: ev})
	}
	return out
}

// longest is the longest run [from, to) of hours in [lo, hi) where ok holds.
func longest(lo, hi int, ok func(int) bool) (from, to int) {
	for h := lo; h < hi; {
		if !ok(h) {
			h++
			continue
		}
		s := h
		for h < hi && ok(h) {
			h++
		}
		if h-s > to-from {
			from, to = s, h
		}
	}
	return from, to
}
