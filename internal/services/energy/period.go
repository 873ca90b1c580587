package energy

import (
	"errors"
	"sync"
	"time"

	"selfdata/internal/store"
)

// Step is how consumption is grouped: day, week (Monday to Sunday), month or year.
type Step string

const (
	Day   Step = "day"
	Week  Step = "week"
	Month Step = "month"
	Year  Step = "year"
)

// Steps lists them in the order the pages offer them.
var Steps = []Step{Day, Week, Month, Year}

// ParseStep reads a step's name; ok is false for anything else.
func ParseStep(s string) (Step, bool) {
	for _, st := range Steps {
		if string(st) == s {
			return st, true
		}
	}
	return "", false
}

// Buckets is how many periods a chart of that step shows.
func (s Step) Buckets() int {
	switch s {
	case Day:
		return 31
	case Week:
		return 13
	case Month:
		return 12
	}
	return 5
}

func (s Step) store() store.Step {
	return map[Step]store.Step{Day: store.Day, Week: store.Week, Month: store.Month, Year: store.Year}[s]
}

// Start is the start of the period of step that holds t (a local midnight in t's zone).
func (s Step) Start(t time.Time) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	switch s {
	case Week:
		return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	case Month:
		return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, d.Location())
	case Year:
		return time.Date(d.Year(), 1, 1, 0, 0, 0, 0, d.Location())
	}
	return d
}

// Add moves a period start k periods on.
func (s Step) Add(t time.Time, k int) time.Time {
	switch s {
	case Week:
		return t.AddDate(0, 0, 7*k)
	case Month:
		return t.AddDate(0, k, 0)
	case Year:
		return t.AddDate(k, 0, 0)
	}
	return t.AddDate(0, 0, k)
}

// YearBefore is the same instant a year earlier, as the comparison takes it: 52 weeks
// (364 days) for days and weeks, so that a Monday is compared with a Monday and a weekend
// with a weekend; the same date for months and years.
func (s Step) YearBefore(t time.Time) time.Time {
	if s == Day || s == Week {
		return t.AddDate(0, 0, -364)
	}
	return t.AddDate(-1, 0, 0)
}

// midnight is the local midnight starting t's day.
func midnight(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// parallel runs the functions at once and joins their errors. The service's reads are
// each logged by the gate, which commits the entries of reads that come together in one
// transaction: reads made at once wait for one commit, not one each.
func parallel(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = fn() })
	}
	wg.Wait()
	return errors.Join(errs...)
}
