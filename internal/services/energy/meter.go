// Package energy is the Home energy service: electricity, gas and water together, in
// kWh, litres and euros, by day, week, month and year, each period next to the same span a
// year earlier; prices from the person's contracts and bills (or their own); a monthly goal
// and the week's savings in everyday terms; and the checks of the water utility's and the
// energy app's uses: a probable leak, consumption far above the person's own history, a
// water meter about to freeze.
//
// It is plain Go over what a services.Reader returns (the gate, reading as the service or,
// for the charts pages, as the person): no SQL, no HTTP. Sums are asked of the store
// (Reader.Aggregate); only small windows of readings are ever loaded.
package energy

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"selfdata/internal/services"
	"selfdata/internal/store"
)

// The kinds of supply, as the meter, contract and bill doctypes name them.
const (
	Electricity = "electricity"
	Gas         = "gas"
	Water       = "water"
)

// Kinds lists them in the order the pages show them.
var Kinds = []string{Electricity, Gas, Water}

// SettingsDoctype is where the person's own prices, goal and silenced alerts are kept.
const SettingsDoctype = "energy.settings"

// Source is what the service reads through, and when and where it stands.
type Source struct {
	Reader services.Reader
	// Readable tells whether the reader may read a document doctype (the person may have
	// unticked some on the consent screen); nil: every one. Series the reader may not read
	// are simply not listed.
	Readable func(doctype string) bool
	Loc      *time.Location // where days start: Europe/Paris
	Now      time.Time
}

func (s Source) docs(ctx context.Context, dt string) ([]store.Doc, error) {
	if s.Readable != nil && !s.Readable(dt) {
		return nil, nil
	}
	return s.Reader.Docs(ctx, dt)
}

func (s Source) loc() *time.Location {
	if s.Loc == nil {
		return time.UTC
	}
	return s.Loc
}

// Meter is the series a kind is measured by, with what it takes to read it in the units
// the pages show.
type Meter struct {
	Kind   string
	Series store.Series
	// Power: the readings are mean powers (W, as an Enedis load curve gives them), turned
	// into energy: Wh = mean W × the hours of each interval.
	Power bool
	// Interval is the time between two readings (the shortest gap seen at the end of the
	// series); a reading stands for the interval that starts at its instant.
	Interval time.Duration
	Unit     string // what is shown: kWh, L or m³
	// PriceUnit is what a unit price is per: kWh, or m³ for water.
	PriceUnit   string
	factor      float64 // store value × factor = value in Unit
	priceFactor float64 // value in Unit × priceFactor = value in PriceUnit
	First       time.Time
	// Until is where the readings stop covering: the last reading plus its interval.
	Until time.Time
}

// Meters finds, for each kind, the series that measures its consumption best, and the
// water meter's temperature series. Kinds without one are absent.
type Meters struct {
	ByKind      map[string]*Meter
	Temperature *store.Series // the water meter's temperature, if restored
	Hourly      *Meter        // a water series fine enough to see night flows (≤ 1 h), if any
}

// consumption units, by the series' unit: the factor to the shown unit.
var units = map[string]map[string]struct {
	shown  string
	factor float64
}{
	"energy": {"Wh": {"kWh", 1.0 / 1000}, "kWh": {"kWh", 1}, "MWh": {"kWh", 1000}},
	"power":  {"W": {"kWh", 1.0 / 1000}, "kW": {"kWh", 1}},
	"volume": {"L": {"L", 1}, "l": {"L", 1}, "m3": {"L", 1000}, "m³": {"L", 1000}},
}

// FindMeters lists the series once and reads the last day of each candidate to learn its
// interval.
func FindMeters(ctx context.Context, src Source) (Meters, error) {
	all, err := src.Reader.Series(ctx)
	if err != nil {
		return Meters{}, err
	}
	out := Meters{ByKind: map[string]*Meter{}}
	var cands []*Meter
	for _, s := range all {
		kind, ok := kindOf(s.Doctype)
		if !ok || s.Count == 0 || s.First == nil || s.Last == nil {
			continue
		}
		if kind == Water && s.Quantity == "temperature" {
			if out.Temperature == nil || s.Last.After(*out.Temperature.Last) {
				t := s
				out.Temperature = &t
			}
			continue
		}
		u, ok := units[s.Quantity][s.Unit]
		if !ok || kind == Water && s.Quantity != "volume" {
			continue
		}
		m := &Meter{Kind: kind, Series: s, Power: s.Quantity == "power", Unit: u.shown, factor: u.factor, PriceUnit: "kWh", priceFactor: 1, First: *s.First}
		switch {
		case kind == Water:
			m.PriceUnit, m.priceFactor = "m³", 1.0/1000
		case s.Quantity == "volume": // gas by volume only
			m.Unit, m.factor, m.PriceUnit = "m³", u.factor/1000, "m³"
		}
		cands = append(cands, m)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(cands))
	for i, m := range cands {
		wg.Go(func() { errs[i] = m.learnInterval(ctx, src) })
	}
	wg.Wait()
	for i, m := range cands {
		if errs[i] != nil {
			return Meters{}, errs[i]
		}
		if best := out.ByKind[m.Kind]; best == nil || m.better(best) {
			out.ByKind[m.Kind] = m
		}
		if m.Kind == Water && m.Interval <= time.Hour && (out.Hourly == nil || m.Until.After(out.Hourly.Until)) {
			out.Hourly = m
		}
	}
	return out, nil
}

func kindOf(doctype string) (string, bool) {
	for _, k := range Kinds {
		if doctype == "reading."+k {
			return k, true
		}
	}
	return "", false
}

// better: the longer history first (a comparison with last year needs it), then the finer
// interval, then energy over power (no conversion) and over volume (priced per kWh).
func (m *Meter) better(o *Meter) bool {
	sm, so := m.Until.Sub(m.First), o.Until.Sub(o.First)
	if d := sm - so; d > 24*time.Hour || d < -24*time.Hour {
		return d > 0
	}
	if m.Interval != o.Interval {
		return m.Interval < o.Interval
	}
	rank := func(q string) int { return slices.Index([]string{"energy", "power", "volume"}, q) }
	if rank(m.Series.Quantity) != rank(o.Series.Quantity) {
		return rank(m.Series.Quantity) < rank(o.Series.Quantity)
	}
	return m.Series.ID < o.Series.ID
}

// learnInterval reads the readings of the series' last 26 hours: the shortest gap between
// two is its interval. A series of one reading a day (or fewer readings) counts in days.
func (m *Meter) learnInterval(ctx context.Context, src Source) error {
	last := *m.Series.Last
	rs, err := src.Reader.Readings(ctx, m.Series.ID, last.Add(-26*time.Hour), last.Add(time.Millisecond), 0)
	if err != nil {
		return fmt.Errorf("readings of %s: %w", m.Series.ID, err)
	}
	gap := time.Duration(math.MaxInt64)
	for i := 1; i < len(rs); i++ {
		if d := rs[i].At.Sub(rs[i-1].At); d > 0 && d < gap {
			gap = d
		}
	}
	loc := src.loc()
	if gap >= 23*time.Hour {
		// Days are 23 to 25 hours long; a daily reading covers its local day, whatever the
		// hour it is stamped at.
		m.Interval = 24 * time.Hour
		l := last.In(loc)
		m.Until = time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, loc)
		m.First = midnight(m.First, loc)
		if m.Power {
			m.factor *= 24
		}
		return nil
	}
	m.Interval = gap
	m.Until = last.Add(gap)
	if m.Power {
		m.factor *= gap.Hours()
	}
	return nil
}

// sums asks the store for the consumption of [from, to) by step, in the meter's unit,
// keyed by each bucket's start (Unix seconds).
func (m *Meter) sums(ctx context.Context, src Source, from, to time.Time, step store.Step) (map[int64]float64, error) {
	out := map[int64]float64{}
	if !to.After(from) {
		return out, nil
	}
	bs, err := src.Reader.Aggregate(ctx, m.Series.ID, store.Aggregation{From: from, To: to, Step: step, Fn: store.Sum, Location: src.loc()})
	if err != nil {
		return nil, fmt.Errorf("aggregate %s: %w", m.Series.ID, err)
	}
	for _, b := range bs {
		out[b.Start.Unix()] = b.Value * m.factor
	}
	return out, nil
}

// total is the consumption of [from, to) in the meter's unit, and whether any reading
// lies there.
func (m *Meter) total(ctx context.Context, src Source, from, to time.Time) (float64, bool, error) {
	bs, err := m.sums(ctx, src, from, to, store.Year)
	if err != nil {
		return 0, false, err
	}
	v := 0.0
	for _, x := range bs {
		v += x
	}
	return v, len(bs) > 0, nil
}

// covers tells whether the readings span all of [from, to).
func (m *Meter) covers(from, to time.Time) bool {
	return !from.Before(m.First) && !to.After(m.Until)
}
