package energy

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"
	"time"

	"selfdata/internal/store"
)

// Finding is one check's outcome on the person's data: raised or not, with its evidence.
type Finding struct {
	Kind   string // KindLeak, KindExcess or KindFreeze
	Supply string // the kind of supply it is about: electricity, gas or water
	Series string // the series the evidence is in, to link to it
	Unit   string
	Raised bool
	// Dedup names the event, so that it is raised once however often it is checked: the
	// leak's first night, the excess's week, the cold run's first day.
	Dedup string
	// Params is the evidence, for the alert kept and the sentences that word it: numbers
	// with a point, dates as YYYY-MM-DD.
	Params map[string]string
	Leak   *LeakResult
	Excess *ExcessResult
	Freeze *FreezeResult
	// Temps are the daily lowest temperatures the freeze check looked at (the page draws
	// them).
	Temps map[time.Time]float64
}

// Check runs the three checks on what the reader returns, as of src.Now: the leak on the
// water meter's hourly flows, the excess on each kind, the freeze on the water meter's
// temperature. Kinds without data give no finding; a leak check on daily data says it
// cannot tell.
func Check(ctx context.Context, src Source, ms Meters) ([]Finding, error) {
	type job struct {
		f   *Finding
		run func(*Finding) error
	}
	var jobs []job
	if w := ms.ByKind[Water]; w != nil || ms.Hourly != nil {
		jobs = append(jobs, job{&Finding{Kind: KindLeak, Supply: Water}, func(f *Finding) error { return checkLeak(ctx, src, ms, f) }})
	}
	for _, k := range Kinds {
		if m := ms.ByKind[k]; m != nil {
			jobs = append(jobs, job{&Finding{Kind: KindExcess, Supply: k}, func(f *Finding) error { return checkExcess(ctx, src, m, f) }})
		}
	}
	if ms.Temperature != nil {
		jobs = append(jobs, job{&Finding{Kind: KindFreeze, Supply: Water}, func(f *Finding) error { return checkFreeze(ctx, src, *ms.Temperature, f) }})
	}
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Go(func() { errs[i] = j.run(j.f) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := make([]Finding, len(jobs))
	for i, j := range jobs {
		out[i] = *j.f
	}
	return out, nil
}

// leakNightsRead is how many days of hourly flows the leak check reads: a week of nights.
const leakNightsRead = 8

func checkLeak(ctx context.Context, src Source, ms Meters, f *Finding) error {
	m := ms.Hourly
	if m == nil {
		f.Series, f.Unit = ms.ByKind[Water].Series.ID, "L"
		f.Leak = &LeakResult{CannotTell: true}
		return nil
	}
	loc := src.loc()
	f.Series, f.Unit = m.Series.ID, m.Unit
	to := m.Until
	sums, err := m.sums(ctx, src, midnight(to, loc).AddDate(0, 0, -leakNightsRead), to, store.Hour)
	if err != nil {
		return err
	}
	hours := make(map[time.Time]float64, len(sums))
	for k, v := range sums {
		hours[time.Unix(k, 0).In(loc)] = v
	}
	r := Leak(hours, loc, src.Now)
	f.Leak, f.Raised = &r, r.Raised
	if r.Run > 0 {
		f.Params = map[string]string{"nights": strconv.Itoa(r.Run), "since": day(r.Since), "flow": num(r.Flow, 1), "from": hour(r.Since, NightFromHour), "to": hour(r.Nights[len(r.Nights)-1].Date, NightToHour)}
		f.Dedup = "leak:" + m.Series.ID + ":" + day(r.Since)
	}
	return nil
}

func checkExcess(ctx context.Context, src Source, m *Meter, f *Finding) error {
	loc := src.loc()
	f.Series, f.Unit = m.Series.ID, m.Unit
	to := midnight(m.Until, loc) // complete days only
	if src.Now.Sub(to) > Stale {
		f.Excess = &ExcessResult{From: to.AddDate(0, 0, -7), To: to}
		return nil
	}
	days := map[time.Time]float64{}
	spans := [][2]time.Time{{to.AddDate(0, 0, -7), to}}
	for y := 1; y <= ExcessYears; y++ {
		end := to.AddDate(0, 0, -364*y)
		spans = append(spans, [2]time.Time{maxTime(end.AddDate(0, 0, -7-21), m.First), minTime(end.AddDate(0, 0, 21), m.Until)})
	}
	got := make([]map[int64]float64, len(spans))
	var fns []func() error
	for i, s := range spans {
		if s[1].After(s[0]) {
			fns = append(fns, func() (err error) { got[i], err = m.sums(ctx, src, s[0], s[1], store.Day); return err })
		}
	}
	if err := parallel(fns...); err != nil {
		return err
	}
	for _, sums := range got {
		for k, v := range sums {
			d := time.Unix(k, 0).In(loc)
			if m.covers(d, d.AddDate(0, 0, 1)) {
				days[d] = v
			}
		}
	}
	r := Excess(days, to, ExcessFloor(m.Kind, m.Unit))
	f.Excess, f.Raised = &r, r.Raised
	if r.Known {
		f.Params = map[string]string{"supply": m.Kind, "unit": m.Unit, "last": num(r.Last, decimals(r.Last)), "usual": num(r.Usual, decimals(r.Usual)),
			"ratio": num(r.Ratio, 1), "weeks": strconv.Itoa(r.Weeks), "from": day(r.From), "to": day(r.To.AddDate(0, 0, -1))}
		y, w := r.To.AddDate(0, 0, -1).ISOWeek()
		f.Dedup = fmt.Sprintf("excess:%s:%d-W%02d", m.Kind, y, w)
	}
	return nil
}

// tempDaysRead is how many days of the meter's temperature are read: the page draws them,
// the check looks at the latest.
const tempDaysRead = 30

func checkFreeze(ctx context.Context, src Source, s store.Series, f *Finding) error {
	loc := src.loc()
	f.Series, f.Unit = s.ID, "°C"
	last := *s.Last
	bs, err := src.Reader.Aggregate(ctx, s.ID, store.Aggregation{From: midnight(last, loc).AddDate(0, 0, -(tempDaysRead - 1)), To: last.Add(time.Millisecond), Step: store.Day, Fn: store.Min, Location: loc})
	if err != nil {
		return fmt.Errorf("aggregate %s: %w", s.ID, err)
	}
	f.Temps = map[time.Time]float64{}
	for _, b := range bs {
		f.Temps[b.Start.In(loc)] = b.Value
	}
	r := Freeze(f.Temps, src.Now)
	f.Freeze, f.Raised = &r, r.Raised
	if r.Known {
		f.Params = map[string]string{"min": num(r.Min, 1), "day": day(r.Day)}
	}
	if r.Raised {
		f.Params["since"] = day(r.Since)
		f.Dedup = "freeze:" + s.ID + ":" + day(r.Since)
	}
	return nil
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

func hour(d time.Time, h int) string {
	return time.Date(d.Year(), d.Month(), d.Day(), h, 0, 0, 0, d.Location()).Format(time.RFC3339)
}

// num writes a number with a point and n decimals, as Params hold them.
func num(v float64, n int) string {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return "0"
	}
	return strconv.FormatFloat(v, 'f', n, 64)
}

// decimals gives small numbers some decimals and big ones none.
func decimals(v float64) int {
	switch v = math.Abs(v); {
	case v < 10:
		return 2
	case v < 100:
		return 1
	}
	return 0
}
