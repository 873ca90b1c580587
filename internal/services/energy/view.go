package energy

import (
	"context"
	"errors"
	"math/big"
	"sync"
	"time"

	"selfdata/internal/money"
	"selfdata/internal/store"
)

// View is the service's page: the three kinds side by side for one period, their charts,
// the month's goal, the week's savings, the water meter's temperature and the checks.
type View struct {
	Step     Step
	At       time.Time // the day shown (local midnight)
	Latest   time.Time // the last day with readings, over the kinds
	Usages   []Usage   // by kind, in Kinds order, for those measured
	Missing  []string  // kinds without a meter
	Prices   map[string]Price
	Settings Settings
	// Cost and PrevCost add the kinds' costs for the period shown (the window's last),
	// over those with a price; Costed counts them.
	Cost, PrevCost money.Amount
	Costed         int
	Goal           Goal
	Savings        []Saving
	Temperature    *Temperature
	Findings       []Finding
}

// Overview computes the page for the period of step holding the day at (zero: the latest
// day with readings).
func Overview(ctx context.Context, src Source, step Step, at time.Time) (View, error) {
	loc := src.loc()
	v := View{Step: step}
	var ms Meters
	if err := parallel(
		func() (err error) { ms, err = FindMeters(ctx, src); return err },
		func() (err error) { v.Settings, err = ReadSettings(ctx, src); return err },
	); err != nil {
		return v, err
	}
	var err error
	if v.Prices, err = Prices(ctx, src, ms, v.Settings); err != nil {
		return v, err
	}
	for _, k := range Kinds {
		if m := ms.ByKind[k]; m != nil {
			if l := midnight(m.Until.Add(-time.Millisecond), loc); l.After(v.Latest) {
				v.Latest = l
			}
		} else {
			v.Missing = append(v.Missing, k)
		}
	}
	if at.IsZero() {
		at = v.Latest
	}
	v.At = midnight(at, loc)
	if v.At.IsZero() || v.At.Year() < 1 {
		v.At = midnight(src.Now, loc)
	}

	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	usages := make([]*Usage, len(Kinds))
	goals := make([]monthCost, len(Kinds))
	for i, k := range Kinds {
		m := ms.ByKind[k]
		if m == nil {
			continue
		}
		wg.Go(func() {
			u, err := Consumption(ctx, src, m, v.Prices[k], step, v.At, 0)
			if err != nil {
				fail(err)
				return
			}
			usages[i] = &u
			if b := u.Last(); step == Month && b.Start.Equal(Month.Start(v.Latest)) {
				// The page shows the latest month: its last period is the goal's month.
				goals[i] = monthCost{measured: true, kind: k, priced: b.HasCost, cost: b.Cost, from: b.From, to: b.To}
				if !b.Has {
					goals[i].priced = false
				}
				return
			}
			if goals[i], err = costOfMonth(ctx, src, m, v.Prices[k], v.Latest); err != nil {
				fail(err)
			}
		})
	}
	wg.Go(func() {
		f, err := Check(ctx, src, ms)
		if err != nil {
			fail(err)
			return
		}
		v.Findings = f
	})
	if ms.Temperature != nil {
		wg.Go(func() {
			t, err := readTemperature(ctx, src, *ms.Temperature)
			if err != nil {
				fail(err)
				return
			}
			v.Temperature = t
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return v, err
	}
	for _, u := range usages {
		if u == nil {
			continue
		}
		v.Usages = append(v.Usages, *u)
		if b := u.Last(); b.HasCost {
			v.Cost = v.Cost.Add(b.Cost)
			v.PrevCost = v.PrevCost.Add(b.PrevCost)
			v.Costed++
		}
	}
	v.Goal = goal(v.Settings, goals, v.Latest)
	v.Savings = savings(v.Findings)
	return v, nil
}

// Goal is how the month holding the latest readings stands against the person's goal.
type Goal struct {
	Set        bool
	Goal       money.Amount
	Month      time.Time // its first day
	Known      bool      // every measured kind has a price
	Spent      money.Amount
	Days, Of   int          // days of the month the readings cover, of its days
	Projected  money.Amount // Spent at the same pace over the whole month
	Percent    int          // Spent as a share of Goal, in %
	Over       bool         // the projection passes the goal
	Unpriced   []string     // kinds without a price, when not Known
	ProjectedP int          // Projected as a share of Goal, in %
}

type monthCost struct {
	measured bool
	priced   bool
	kind     string
	cost     money.Amount
	from, to time.Time
}

// costOfMonth is what the kind cost so far in the month holding the day latest.
func costOfMonth(ctx context.Context, src Source, m *Meter, p Price, latest time.Time) (monthCost, error) {
	mc := monthCost{measured: true, kind: m.Kind}
	from := maxTime(Month.Start(latest), m.First)
	to := minTime(Month.Add(Month.Start(latest), 1), m.Until)
	if !to.After(from) || !p.Known() {
		return mc, nil
	}
	q, _, err := m.total(ctx, src, from, to)
	if err != nil {
		return mc, err
	}
	mc.cost, mc.priced = p.cost(m, q, from, to)
	mc.from, mc.to = from, to
	return mc, nil
}

func goal(set Settings, costs []monthCost, latest time.Time) Goal {
	g := Goal{Set: set.HasGoal, Goal: set.Goal, Month: Month.Start(latest), Known: true}
	start := g.Month
	next := Month.Add(start, 1)
	g.Of = int(next.Sub(start).Hours()/24 + 0.5)
	var covered time.Time
	measured := 0
	for _, c := range costs {
		if !c.measured {
			continue
		}
		measured++
		if !c.priced {
			g.Known = false
			g.Unpriced = append(g.Unpriced, c.kind)
			continue
		}
		g.Spent = g.Spent.Add(c.cost)
		covered = maxTime(covered, c.to)
	}
	if measured == 0 || !g.Known || covered.IsZero() {
		g.Known = false
		return g
	}
	g.Days = int(covered.Sub(start).Hours()/24 + 0.5)
	if g.Days <= 0 {
		g.Known = false
		return g
	}
	proj := new(big.Rat).Mul(rat(g.Spent), big.NewRat(int64(g.Of), int64(g.Days)))
	g.Projected = amount(proj, 2)
	if g.Set && g.Goal.Sign() > 0 {
		pct := func(a money.Amount) int {
			r := new(big.Rat).Quo(rat(a), rat(g.Goal))
			r.Mul(r, big.NewRat(100, 1))
			f, _ := r.Float64()
			return int(f + 0.5)
		}
		g.Percent, g.ProjectedP = pct(g.Spent), pct(g.Projected)
		g.Over = g.Projected.Cmp(g.Goal) > 0
	}
	return g
}

// Saving is one kind's last 7 days next to the same 7 days a year earlier (52 weeks, so
// the same weekdays), from the excess check's reading of them.
type Saving struct {
	Supply      string
	Unit        string
	Last, Then  float64
	Saved       float64 // Then − Last: positive when less was used
	From, To    time.Time
	Equivalents []Equivalent
}

// Equivalent is a saving (or an excess) told in everyday terms.
type Equivalent struct {
	Key   string  // what it counts: "tv" (hours of television), "shower" (showers)
	Count float64 // how many
	// Factor is how much of the kind's unit one of them takes, and Source where that
	// figure comes from (a text key of the page).
	Factor float64
	Source string
}

// The factors of the equivalents, each with where it comes from.
const (
	// TVkWhPerHour: a television drawing 100 W uses 0.1 kWh an hour (1 kWh ÷ 100 W = 10 h).
	TVkWhPerHour = 0.1
	// ShowerLitres: a short shower; ADEME counts 35 to 60 litres, the upper figure here.
	ShowerLitres = 60.0
	// ShowerGaskWh: the heat of that shower's water, 60 L warmed by 25 °C (12 to 37 °C),
	// at 4.186 kJ per kg and °C: 60 × 25 × 4.186 / 3600 = 1.744 kWh.
	ShowerGaskWh = 60 * 25 * 4.186 / 3600
)

func savings(fs []Finding) []Saving {
	var out []Saving
	for _, f := range fs {
		if f.Kind != KindExcess || f.Excess == nil || !f.Excess.HasLastYear {
			continue
		}
		e := f.Excess
		s := Saving{Supply: f.Supply, Unit: f.Unit, Last: e.Last, Then: e.LastYear, Saved: e.LastYear - e.Last, From: e.From, To: e.To.AddDate(0, 0, -1)}
		amountOf := s.Saved
		if amountOf < 0 {
			amountOf = -amountOf
		}
		switch {
		case f.Supply == Electricity && f.Unit == "kWh":
			s.Equivalents = []Equivalent{{Key: "tv", Count: amountOf / TVkWhPerHour, Factor: TVkWhPerHour, Source: "tv"}}
		case f.Supply == Water:
			s.Equivalents = []Equivalent{{Key: "shower", Count: amountOf / ShowerLitres, Factor: ShowerLitres, Source: "shower"}}
		case f.Supply == Gas && f.Unit == "kWh":
			s.Equivalents = []Equivalent{{Key: "showerheat", Count: amountOf / ShowerGaskWh, Factor: ShowerGaskWh, Source: "showerheat"}}
		}
		out = append(out, s)
	}
	return out
}

// Temperature is the water meter's temperature: the latest reading and each day's range.
type Temperature struct {
	Series   string
	Name     string
	Latest   float64
	LatestAt time.Time
	Days     []TempDay // the last 30 days, oldest first
}

// TempDay is one day's lowest and highest temperature.
type TempDay struct {
	Date     time.Time
	Min, Max float64
}

// readTemperature reads the latest temperature and the range of each of the last 30 days.
func readTemperature(ctx context.Context, src Source, s store.Series) (*Temperature, error) {
	loc := src.loc()
	last := *s.Last
	t := &Temperature{Series: s.ID, Name: s.Name}
	from, to := midnight(last, loc).AddDate(0, 0, -(tempDaysRead-1)), last.Add(time.Millisecond)
	var rs []store.Reading
	mins, maxs := map[int64]float64{}, map[int64]float64{}
	agg := func(fn store.AggFn, into map[int64]float64) func() error {
		return func() error {
			bs, err := src.Reader.Aggregate(ctx, s.ID, store.Aggregation{From: from, To: to, Step: store.Day, Fn: fn, Location: loc})
			for _, b := range bs {
				into[b.Start.Unix()] = b.Value
			}
			return err
		}
	}
	if err := parallel(
		func() (err error) {
			rs, err = src.Reader.Readings(ctx, s.ID, last, last.Add(time.Millisecond), 1)
			return err
		},
		agg(store.Min, mins), agg(store.Max, maxs),
	); err != nil {
		return nil, err
	}
	if len(rs) == 1 {
		t.Latest, t.LatestAt = rs[0].Value, rs[0].At
	}
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		if lo, ok := mins[d.Unix()]; ok {
			t.Days = append(t.Days, TempDay{Date: d, Min: lo, Max: maxs[d.Unix()]})
		}
	}
	return t, nil
}
