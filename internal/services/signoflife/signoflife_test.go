package signoflife

import (
	"slices"
	"testing"
	"time"

	"selfdata/internal/store"
)

// profile is one day's use by local hour (Wh or L); hours it returns < 0 have no reading.
type profile func(h int) float64

// The days of the cases, in Wh per hour of electricity.
var (
	// usual: asleep until 7, breakfast, out from 10; 150 Wh an hour at rest. From 5:00 it
	// uses, above the night's 150: 0 by 7:00, 750 by 8:00, 1,200 by 9:00, 1,450 by 10:00.
	usual profile = func(h int) float64 {
		switch h {
		case 7:
			return 900
		case 8:
			return 600
		case 9:
			return 400
		case 19, 20:
			return 800
		}
		return 150
	}
	// lateRiser is the usual morning two hours later.
	lateRiser profile = func(h int) float64 { return usual(h - 2 + 24*b2i(h < 2)) }
	// still: nothing but the fridge and the standby all day (away, or not up).
	still profile = func(int) float64 { return 150 }
	// fridge: the fridge's cycles, 130 and 170 Wh every other hour.
	fridge profile = func(h int) float64 { return float64(130 + 40*(h%2)) }
	// kettle: one cup of tea at 8:00, nothing else.
	kettle profile = func(h int) float64 {
		if h == 8 {
			return 250
		}
		return 150
	}
	// heatedBed: the convectors run all night and all morning (400 an hour), nobody up.
	heatedBed profile = func(int) float64 { return 400 }
	// heatedUsual: the same heating, and the usual morning on top.
	heatedUsual profile = func(h int) float64 { return 250 + usual(h) }
	// until8 is the usual... nothing, with readings only up to 8:00 (a meter late to send).
	until8 profile = func(h int) float64 {
		if h >= 8 {
			return -1
		}
		return 150
	}
)

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Water in L per hour.
var (
	// shower at 7:00 and the dishes in the evening.
	shower profile = func(h int) float64 {
		switch h {
		case 7:
			return 40
		case 20:
			return 15
		}
		return 0
	}
	dry profile = func(int) float64 { return 0 }
	// nightFlush: 6 L at 3:00, nothing after.
	nightFlush profile = func(h int) float64 {
		if h == 3 {
			return 6
		}
		return 0
	}
	// trickle: 4 L at 8:00, under the floor.
	trickle profile = func(h int) float64 {
		if h == 8 {
			return 4
		}
		return 0
	}
	// leak: 3 L every hour, day and night; leakShower is the leak and the shower.
	leak       profile = func(int) float64 { return 3 }
	leakShower profile = func(h int) float64 { return 3 + shower(h) }
)

// hourly makes the buckets of one local day from p, as the store's hourly aggregate gives
// them: one per hour that exists that day (23 or 25 on the days the clocks change), at its
// start. The two hours from 2:00 on the day clocks go back each get p(2).
func hourly(day time.Time, p profile) []store.Bucket {
	var out []store.Bucket
	for t := day; t.Before(day.AddDate(0, 0, 1)); t = t.Add(time.Hour) {
		if v := p(t.In(Paris()).Hour()); v >= 0 {
			out = append(out, store.Bucket{Start: t.UTC(), Value: v, Count: 2})
		}
	}
	return out
}

// input is one meter's readings: days of history before today, then today's up to now.
type input struct {
	doctype string
	hist    []profile // the days before today, yesterday first; cycled to HistoryDays days
	days    int       // how many days of history (0: HistoryDays; -1: none)
	today   profile   // nil: no reading today
	scale   float64   // 0: 1
}

func dataOf(now time.Time, ins ...input) *Data {
	loc := Paris()
	d := &Data{now: now, loc: loc, chans: map[string]*channel{}}
	today := midnight(now, loc)
	for _, in := range ins {
		var bs []store.Bucket
		n := in.days
		switch n {
		case 0:
			n = HistoryDays
		case -1:
			n = 0
		}
		for i := n; i >= 1; i-- {
			bs = append(bs, hourly(today.AddDate(0, 0, -i), in.hist[(i-1)%len(in.hist)])...)
		}
		if in.today != nil {
			for _, b := range hourly(today, in.today) {
				if b.Start.Before(now) {
					bs = append(bs, b)
				}
			}
		}
		scale := in.scale
		if scale == 0 {
			scale = 1
		}
		d.add(in.doctype, bs, scale)
	}
	return d
}

// paris is a time in Europe/Paris.
func paris(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, Paris())
}

// A Thursday in March, with no change of clocks within four weeks.
var thursday = func(h, m int) time.Time { return paris(2026, time.March, 12, h, m) }

// holiday is two weeks away among four: the most recent fortnight spent elsewhere.
func holiday() []profile {
	h := make([]profile, HistoryDays)
	for i := range h {
		h[i] = usual
		if i < 14 {
			h[i] = still
		}
	}
	return h
}

func TestUsualActivity(t *testing.T) {
	elec := func(today profile, hist ...profile) input {
		if len(hist) == 0 {
			hist = []profile{usual}
		}
		return input{doctype: electricity, hist: hist, today: today}
	}
	cases := []struct {
		name   string
		now    time.Time
		in     []input
		state  State
		since  time.Time // zero: none
		quiet  bool
		expect int // 0: 10
	}{
		{"a usual morning", thursday(11, 0), []input{elec(usual)}, Yes, thursday(7, 0), false, 0},
		{"a usual morning, seen as it happens", thursday(7, 40), []input{elec(usual)}, Yes, thursday(7, 0), false, 0},
		{"up two hours late, by 10:00", thursday(11, 0), []input{elec(lateRiser)}, Yes, thursday(9, 0), false, 0},
		{"up two hours late, at 8:30", thursday(8, 30), []input{elec(lateRiser)}, NotYet, time.Time{}, false, 0},
		{"nothing by 10:00", thursday(10, 5), []input{elec(still)}, No, thursday(10, 0), true, 0},
		{"nothing by 10:00, in the afternoon", thursday(15, 0), []input{elec(still)}, No, thursday(10, 0), true, 0},
		{"nothing yet at 9:30", thursday(9, 30), []input{elec(still)}, NotYet, time.Time{}, false, 0},
		{"a fridge that cycles, all day long, is not activity", thursday(20, 30), []input{elec(fridge)}, No, thursday(10, 0), true, 0},
		{"a kettle is not a morning", thursday(11, 0), []input{elec(kettle)}, No, thursday(10, 0), true, 0},
		{"a kettle, expected by 8:00: nothing by then", thursday(9, 0), []input{elec(kettle)}, No, thursday(8, 0), true, 8},
		{"heating all night and morning, nobody up", thursday(11, 0), []input{elec(heatedBed, heatedUsual)}, No, thursday(10, 0), true, 0},
		{"heating, and up as usual", thursday(11, 0), []input{elec(heatedUsual, heatedUsual)}, Yes, thursday(7, 0), false, 0},
		{"no reading today says not known, not no", thursday(11, 0), []input{elec(nil)}, Unknown, time.Time{}, false, 0},
		{"readings stop at 8:00: not known at 11:00", thursday(11, 0), []input{elec(until8)}, Unknown, time.Time{}, false, 0},
		{"readings stop at 8:00: not yet at 9:00", thursday(9, 0), []input{elec(until8)}, NotYet, time.Time{}, false, 0},
		{"six days of history are no usual", thursday(11, 0), []input{{doctype: electricity, hist: []profile{usual}, days: 6, today: still}}, Unknown, time.Time{}, false, 0},
		{"seven days are", thursday(11, 0), []input{{doctype: electricity, hist: []profile{usual}, days: 7, today: still}}, No, thursday(10, 0), true, 0},
		{"no meter at all", thursday(11, 0), nil, Unknown, time.Time{}, false, 0},
		{"back from a fortnight away, a usual morning", thursday(11, 0), []input{elec(usual, holiday()...)}, Yes, thursday(7, 0), false, 0},
		{"still away after a fortnight away", thursday(11, 0), []input{elec(still, holiday()...)}, No, thursday(10, 0), true, 0},
		{"away for a month: nothing is usual, nothing is seen", thursday(11, 0), []input{elec(still, still)}, No, thursday(10, 0), true, 0},
		{"daily totals cannot tell a morning", thursday(11, 0), []input{{doctype: electricity, hist: []profile{daily(3000)}, today: daily(2000)}}, Unknown, time.Time{}, false, 0},
		{"no electricity today, a shower", thursday(11, 0), []input{elec(nil), {doctype: water, hist: []profile{shower}, today: shower}}, Yes, thursday(7, 0), false, 0},
		{"the fridge runs, no water by 10:00", thursday(11, 0), []input{elec(nil), {doctype: water, hist: []profile{shower}, today: dry}}, No, thursday(10, 0), true, 0},
		{"the shower alone, with a leak", thursday(11, 0), []input{{doctype: water, hist: []profile{leakShower}, today: leakShower}}, Yes, thursday(7, 0), false, 0},
		{"a leak alone is not activity", thursday(11, 0), []input{{doctype: water, hist: []profile{leakShower}, today: leak}}, No, thursday(10, 0), true, 0},
		// The clocks go forward on Sunday 29 March 2026 (no 2:00) and back on Sunday 25
		// October 2026 (2:00 twice): the morning is still the morning.
		{"the day clocks go forward", paris(2026, time.March, 29, 11, 0), []input{elec(usual)}, Yes, paris(2026, time.March, 29, 7, 0), false, 0},
		{"the day clocks go forward, nothing", paris(2026, time.March, 29, 11, 0), []input{elec(still)}, No, paris(2026, time.March, 29, 10, 0), true, 0},
		{"the day after clocks went forward", paris(2026, time.March, 30, 11, 0), []input{elec(usual)}, Yes, paris(2026, time.March, 30, 7, 0), false, 0},
		{"the day clocks go back", paris(2026, time.October, 25, 11, 0), []input{elec(usual)}, Yes, paris(2026, time.October, 25, 7, 0), false, 0},
		{"the day clocks go back, at 9:30", paris(2026, time.October, 25, 9, 30), []input{elec(still)}, NotYet, time.Time{}, false, 0},
		{"the day clocks go back, nothing", paris(2026, time.October, 25, 10, 30), []input{elec(still)}, No, paris(2026, time.October, 25, 10, 0), true, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expect := c.expect
			if expect == 0 {
				expect = 10
			}
			rep := dataOf(c.now, c.in...).Evaluate(Settings{Expect: expect, Signals: []string{UsualActivity}})
			if len(rep.Today) != 1 || rep.Today[0].Kind != UsualActivity {
				t.Fatalf("today: %+v", rep.Today)
			}
			s := rep.Today[0]
			if s.State != c.state || !s.Since.Equal(c.since) {
				t.Errorf("%s since %v, want %s since %v", s.State, s.Since, c.state, c.since)
			}
			if rep.Quiet != c.quiet {
				t.Errorf("quiet %v, want %v", rep.Quiet, c.quiet)
			}
			if !s.Day.Equal(midnight(c.now, Paris())) || !rep.Expect.Equal(hourOf(s.Day, expect)) {
				t.Errorf("day %v expect %v", s.Day, rep.Expect)
			}
			if s.Until.After(c.now) {
				t.Errorf("readings until %v, after now %v", s.Until, c.now)
			}
		})
	}
}

// daily is one reading a day at midnight: a daily total.
func daily(v float64) profile {
	return func(h int) float64 {
		if h == 0 {
			return v
		}
		return -1
	}
}

func TestWaterMorning(t *testing.T) {
	w := func(today profile, hist ...profile) []input {
		if len(hist) == 0 {
			hist = []profile{shower}
		}
		return []input{{doctype: water, hist: hist, today: today}}
	}
	cases := []struct {
		name  string
		now   time.Time
		in    []input
		state State
		since time.Time
		quiet bool
	}{
		{"a shower at 7:00", thursday(11, 0), w(shower), Yes, thursday(7, 0), false},
		{"a shower at 7:00, seen at 7:30", thursday(7, 30), w(shower), Yes, thursday(7, 0), false},
		{"nothing at 9:00", thursday(9, 0), w(dry), NotYet, time.Time{}, false},
		{"nothing by 10:00", thursday(10, 0), w(dry), No, thursday(10, 0), true},
		{"a flush at night is not the morning", thursday(11, 0), w(nightFlush), No, thursday(10, 0), true},
		{"4 L is under the threshold", thursday(11, 0), w(trickle), No, thursday(10, 0), true},
		{"a leak is the night's level", thursday(11, 0), w(leak, leak), No, thursday(10, 0), true},
		{"a shower above a leak", thursday(11, 0), w(leakShower, leak), Yes, thursday(7, 0), false},
		{"a shower with no history", thursday(11, 0), []input{{doctype: water, hist: []profile{shower}, days: -1, today: shower}}, Yes, thursday(7, 0), false},
		{"no reading today", thursday(11, 0), w(nil), Unknown, time.Time{}, false},
		{"readings stop at 8:00, nothing by then", thursday(11, 0), w(until8Water), Unknown, time.Time{}, false},
		{"daily totals", thursday(11, 0), w(daily(130), daily(120)), Unknown, time.Time{}, false},
		{"no water meter", thursday(11, 0), []input{{doctype: electricity, hist: []profile{usual}, today: usual}}, Unknown, time.Time{}, false},
		{"in m3, a shower of 0.04", thursday(11, 0), []input{{doctype: water, hist: []profile{m3(shower)}, today: m3(shower), scale: 1000}}, Yes, thursday(7, 0), false},
		{"the day clocks go forward", paris(2026, time.March, 29, 11, 0), w(shower), Yes, paris(2026, time.March, 29, 7, 0), false},
		{"the day clocks go back", paris(2026, time.October, 25, 11, 0), w(dry), No, paris(2026, time.October, 25, 10, 0), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := dataOf(c.now, c.in...).Evaluate(Settings{Expect: 10, Signals: []string{WaterMorning}})
			if len(rep.Today) != 1 || rep.Today[0].Kind != WaterMorning || rep.Yesterday != nil {
				t.Fatalf("today: %+v, yesterday %+v", rep.Today, rep.Yesterday)
			}
			s := rep.Today[0]
			if s.State != c.state || !s.Since.Equal(c.since) || rep.Quiet != c.quiet {
				t.Errorf("%s since %v quiet %v, want %s since %v quiet %v", s.State, s.Since, rep.Quiet, c.state, c.since, c.quiet)
			}
		})
	}
}

var until8Water profile = func(h int) float64 {
	if h >= 8 {
		return -1
	}
	return 0
}

func m3(p profile) profile { return func(h int) float64 { return p(h) / 1000 } }

// TestSignalsTogether: the notice is due when no shared signal saw activity and one at least
// saw none; yesterday is told from the whole of yesterday; the signals come in one order
// and say what they were derived from.
func TestSignalsTogether(t *testing.T) {
	both := Settings{Expect: 10, Signals: []string{WaterMorning, UsualActivity}}
	cases := []struct {
		name      string
		in        []input
		now       time.Time
		activity  State
		water     State
		yesterday State
		quiet     bool
	}{
		{"up and showered", []input{{doctype: electricity, hist: []profile{usual}, today: usual}, {doctype: water, hist: []profile{shower}, today: shower}}, thursday(11, 0), Yes, Yes, Yes, false},
		{"up, no shower", []input{{doctype: electricity, hist: []profile{usual}, today: usual}, {doctype: water, hist: []profile{shower}, today: dry}}, thursday(11, 0), Yes, No, Yes, false},
		{"nothing on either meter", []input{{doctype: electricity, hist: []profile{usual}, today: still}, {doctype: water, hist: []profile{shower}, today: dry}}, thursday(11, 0), No, No, Yes, true},
		{"electricity only, nothing", []input{{doctype: electricity, hist: []profile{usual}, today: still}}, thursday(11, 0), No, Unknown, Yes, true},
		{"nothing known today", []input{{doctype: electricity, hist: []profile{usual}}, {doctype: water, hist: []profile{shower}}}, thursday(11, 0), Unknown, Unknown, Yes, false},
		{"yesterday still", []input{{doctype: electricity, hist: []profile{still, usual}, today: usual}}, thursday(11, 0), Yes, Unknown, No, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := dataOf(c.now, c.in...).Evaluate(both)
			kinds := []string{}
			for _, s := range rep.Today {
				kinds = append(kinds, s.Kind)
			}
			if !slices.Equal(kinds, Kinds()) {
				t.Fatalf("signals %v, want %v", kinds, Kinds())
			}
			if rep.Today[0].State != c.activity || rep.Today[1].State != c.water || rep.Yesterday == nil || rep.Yesterday.State != c.yesterday || rep.Quiet != c.quiet {
				t.Errorf("activity %s water %s yesterday %+v quiet %v; want %s %s %s %v", rep.Today[0].State, rep.Today[1].State, rep.Yesterday, rep.Quiet, c.activity, c.water, c.yesterday, c.quiet)
			}
			if rep.Yesterday.State == No && !rep.Yesterday.Since.Equal(thursday(10, 0).AddDate(0, 0, -1)) {
				t.Errorf("yesterday no since %v", rep.Yesterday.Since)
			}
			var want []string
			for _, in := range c.in {
				want = append(want, in.doctype)
			}
			if got := rep.Today[0].Doctypes; !slices.Equal(got, want) {
				t.Errorf("activity derived from %v, want %v", got, want)
			}
		})
	}
	if got := Doctypes([]string{WaterMorning}); !slices.Equal(got, []string{water}) {
		t.Errorf("Doctypes(water) = %v", got)
	}
	if got := Doctypes([]string{UsualActivity, WaterMorning}); !slices.Equal(got, []string{electricity, water}) {
		t.Errorf("Doctypes(both) = %v", got)
	}
	if got := Doctypes(nil); len(got) != 0 {
		t.Errorf("Doctypes(none) = %v", got)
	}
}
