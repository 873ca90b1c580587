// Package signoflife is the built-in service Sign of life: at the person's request, a relative
// they trust sees a few signals derived from the person's meters — "usual activity today:
// yes", "water used this morning: yes" — and gets a notice when there was no activity by an
// hour the person chose. It follows what the water department of the MesInfos pilot wanted
// for very isolated elderly people, turned around: the person decides, the relative never
// sees a reading or an amount, and every look is in the person's access log.
//
// The signals are computed here from hourly sums of the readings (Load, through the
// service's Reader), in plain Go (Evaluate): a signal is "yes", "no", "not yet" (the
// expected hour has not come) or "not known" (no readings to tell: a meter that sends its
// readings the next day, no history to compare with) — never "no" for want of data.
package signoflife

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
	// The signals are computed in Europe/Paris wherever the server runs.
	_ "time/tzdata"

	"selfdata/internal/services"
	"selfdata/internal/store"
)

// The signals a person can share.
const (
	// UsualActivity: the electricity and water used since the morning, above the night's
	// level, compared with the person's usual use at the same hour.
	UsualActivity = "usual_activity"
	// WaterMorning: water used between 5:00 and the expected hour.
	WaterMorning = "water_morning"
)

// Kinds lists the signals in the order the pages show them.
func Kinds() []string { return []string{UsualActivity, WaterMorning} }

// The doctypes the signals are derived from.
const (
	electricity = "reading.electricity"
	water       = "reading.water"
)

// Doctypes lists the doctypes the given signals rest on: what a relative's reads are
// narrowed to.
func Doctypes(signals []string) []string {
	var out []string
	add := func(dts ...string) {
		for _, dt := range dts {
			if !slices.Contains(out, dt) {
				out = append(out, dt)
			}
		}
	}
	for _, s := range signals {
		switch s {
		case UsualActivity:
			add(electricity, water)
		case WaterMorning:
			add(water)
		}
	}
	return out
}

// The rules of the signals.
const (
	// MorningStart is the hour the morning starts: what is used before is the night's.
	MorningStart = 5
	// MinExpect, MaxExpect bound the hour the person may expect activity by; DefaultExpect
	// is the form's first choice.
	MinExpect, MaxExpect, DefaultExpect = 6, 22, 10
	// HistoryDays is how far back the usual profile looks: four weeks.
	HistoryDays = 28
	// minHistory is the fewest days of history that make a usual: one week.
	minHistory = 7
	// usualShare: activity is "usual" from a quarter of the median of the same hours.
	usualShare = 4
	// waterFloor (L) and electricityFloor (Wh) are the least use above the night's level
	// that counts as activity at all: a toilet flush is 6 L, a kettle 100 Wh.
	waterFloor       = 5
	electricityFloor = 100
	// restMargin: what an hour at rest varies by (a fridge's cycles, a standby's), above
	// the night's least hour.
	restMargin = 0.25
	// fineHours: a series counts as hourly or finer when a day of it fills this many
	// hours; a series of daily totals (one reading a day) cannot tell a morning.
	fineHours = 6
)

// Settings are what the person chose for one relative.
type Settings struct {
	Expect  int      // the hour (Europe/Paris) activity is expected by
	Signals []string // the signals shared
}

// State is what a signal says.
type State string

const (
	Yes     State = "yes"
	No      State = "no"
	NotYet  State = "not_yet" // the expected hour has not come yet
	Unknown State = "unknown" // the readings cannot tell
)

// Signal is one signal of one day.
type Signal struct {
	Kind  string
	Day   time.Time // the day's midnight, Europe/Paris
	State State
	// Since is, for Yes, the start of the hour activity was first seen; for No, the
	// expected hour; zero otherwise.
	Since time.Time
	// Until is where the readings it rests on end (the end of the latest hour with
	// readings, up to now); zero when there are none.
	Until time.Time
	// Doctypes are the doctypes it was derived from: those that had readings to use.
	Doctypes []string
}

// Report is what a relative sees: today's signals, and yesterday's usual activity (the
// readings of many meters come the next day).
type Report struct {
	At        time.Time
	Expect    time.Time // today's expected hour
	Today     []Signal  // in the order of Kinds, the shared ones
	Yesterday *Signal   // usual activity yesterday, when it is shared
	// Quiet tells that the expected hour has come with no activity: a notice is due.
	Quiet bool
}

// Paris is the zone days and hours are counted in.
var Paris = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(fmt.Sprintf("signoflife: time zone database: %v", err)) // embedded by time/tzdata
	}
	return loc
})

// midnight is the start of t's day in loc.
func midnight(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}

// hourOf is hour h of the day starting at day.
func hourOf(day time.Time, h int) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), h, 0, 0, 0, day.Location())
}

// Compute loads what the signals need and evaluates them for s: what a relative's page
// and the periodic check ask.
func Compute(ctx context.Context, rd services.Reader, s Settings, now time.Time) (Report, error) {
	d, err := Load(ctx, rd, s.Signals, now)
	if err != nil {
		return Report{}, err
	}
	return d.Evaluate(s), nil
}

// Load reads, through rd, the hourly sums of the consumption series the signals need, from
// HistoryDays+1 days before today up to now: one aggregate per series, in the store.
// Series of other quantities (an index, a temperature) and of daily totals are left out.
func Load(ctx context.Context, rd services.Reader, signals []string, now time.Time) (*Data, error) {
	loc := Paris()
	today := midnight(now, loc)
	from := today.AddDate(0, 0, -(HistoryDays + 1))
	d := &Data{now: now, loc: loc, chans: map[string]*channel{}}
	need := Doctypes(signals)
	if len(need) == 0 {
		return d, nil
	}
	list, err := rd.Series(ctx)
	if err != nil {
		return nil, err
	}
	for _, sr := range list {
		scale, ok := unitScale(sr)
		if !ok || !slices.Contains(need, sr.Doctype) || sr.Last != nil && sr.Last.Before(from) {
			continue
		}
		bs, err := rd.Aggregate(ctx, sr.ID, store.Aggregation{From: from, To: now, Step: store.Hour, Fn: store.Sum, Location: loc})
		if err != nil {
			return nil, err
		}
		d.add(sr.Doctype, bs, scale)
	}
	return d, nil
}

// unitScale is what turns a series' values into Wh or L, for the series that measure a
// consumption; ok is false for the others.
func unitScale(s store.Series) (float64, bool) {
	switch {
	case s.Doctype == electricity && s.Quantity == "energy":
		switch s.Unit {
		case "Wh":
			return 1, true
		case "kWh":
			return 1000, true
		}
	case s.Doctype == water && s.Quantity == "volume":
		switch s.Unit {
		case "L", "l":
			return 1, true
		case "m3", "m³":
			return 1000, true
		}
	}
	return 0, false
}

// Evaluate says the signals s shares, as of the time the data was loaded.
func (d *Data) Evaluate(s Settings) Report {
	today := midnight(d.now, d.loc)
	rep := Report{At: d.now, Expect: hourOf(today, s.Expect)}
	for _, k := range Kinds() {
		if !slices.Contains(s.Signals, k) {
			continue
		}
		switch k {
		case UsualActivity:
			rep.Today = append(rep.Today, d.activity(today, d.now, s.Expect))
			y := d.activity(today.AddDate(0, 0, -1), today, s.Expect)
			rep.Yesterday = &y
		case WaterMorning:
			rep.Today = append(rep.Today, d.waterMorning(today, s.Expect))
		}
	}
	rep.Quiet = quiet(rep.Today, !d.now.Before(rep.Expect))
	return rep
}

// quiet: the expected hour has come, and no signal saw activity while one at least could
// tell there was none.
func quiet(today []Signal, due bool) bool {
	if !due || slices.ContainsFunc(today, func(s Signal) bool { return s.State == Yes }) {
		return false
	}
	return slices.ContainsFunc(today, func(s Signal) bool { return s.State == No })
}

// activity is the usual-activity signal of day, from the readings before cutoff: the first
// hour by which the day's use since MorningStart, above its night's level, reached a quarter
// of the median of the same hours over the HistoryDays before (and the floor), on either
// meter.
func (d *Data) activity(day, cutoff time.Time, expect int) Signal {
	sig := Signal{Kind: UsualActivity, Day: day, State: Unknown}
	var states []Signal
	for _, dt := range []string{electricity, water} {
		ch := d.chans[dt]
		if ch == nil {
			continue
		}
		sig.Doctypes = append(sig.Doctypes, dt)
		sig.Until = latest(sig.Until, ch.until(cutoff))
		floor := float64(electricityFloor)
		if dt == water {
			floor = waterFloor
		}
		states = append(states, ch.activity(day, cutoff, expect, floor))
	}
	combined := combine(states)
	sig.State, sig.Since = combined.State, combined.Since
	return sig
}

// combine: activity on one meter is activity; otherwise "no" from one meter is "no", for
// the other could only not tell.
func combine(states []Signal) Signal {
	best := Signal{State: Unknown}
	rank := map[State]int{Yes: 3, No: 2, NotYet: 1, Unknown: 0}
	for _, s := range states {
		switch {
		case rank[s.State] > rank[best.State]:
			best = s
		case s.State == Yes && best.State == Yes && s.Since.Before(best.Since):
			best = s
		}
	}
	return best
}

// waterMorning is the signal of water used today between MorningStart and the expected
// hour, above the night's level, reaching waterFloor.
func (d *Data) waterMorning(day time.Time, expect int) Signal {
	sig := Signal{Kind: WaterMorning, Day: day, State: Unknown}
	ch := d.chans[water]
	if ch == nil {
		return sig
	}
	sig.Doctypes = []string{water}
	sig.Until = ch.until(d.now)
	dp := ch.days[dayKey(day)]
	if dp == nil {
		return sig
	}
	night, ok := dp.night()
	if !ok {
		night = ch.usualNight(day) // 0 without history: no water at rest
	}
	use := 0.0
	for h := MorningStart; h < min(expect, 24); h++ {
		if !dp.has[h] {
			continue
		}
		use += max(0, dp.v[h]-night)
		if use >= waterFloor {
			sig.State, sig.Since = Yes, hourOf(day, h)
			return sig
		}
	}
	switch {
	case d.now.Before(hourOf(day, expect)):
		sig.State = NotYet
	case dp.covered() >= expect:
		sig.State, sig.Since = No, hourOf(day, expect)
	}
	return sig
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// median of vs, which it sorts; 0 for none.
func median(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	slices.Sort(vs)
	n := len(vs)
	if n%2 == 1 {
		return vs[n/2]
	}
	return (vs[n/2-1] + vs[n/2]) / 2
}
