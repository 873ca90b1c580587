package energy

import (
	"testing"
	"time"
	_ "time/tzdata"
)

func paris(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestLeak: water running all night, night after night, is a probable leak; a family's
// night-time use, a night without readings, an old leak or two nights are not.
func TestLeak(t *testing.T) {
	loc := paris(t)
	today := time.Date(2025, 1, 10, 0, 0, 0, 0, loc)
	now := today.Add(8 * time.Hour)
	// hours are 7 days of hourly flows up to today's 6:00: each day, 150 L over the day
	// (showers at 7:00, dishes at 20:00) and 0 at night, changed by mod.
	hours := func(mod func(d, h int, v float64) (float64, bool)) map[time.Time]float64 {
		out := map[time.Time]float64{}
		for d := -7; d <= 0; d++ {
			for h := range 24 {
				if d == 0 && h > 6 {
					break
				}
				v := 0.0
				switch h {
				case 7:
					v = 100
				case 20:
					v = 50
				}
				if mod != nil {
					var keep bool
					if v, keep = mod(d, h, v); !keep {
						continue
					}
				}
				out[today.AddDate(0, 0, d).Add(time.Duration(h)*time.Hour)] = v
			}
		}
		return out
	}
	drip := func(from int, lph float64) func(d, h int, v float64) (float64, bool) {
		return func(d, h int, v float64) (float64, bool) {
			if d >= from {
				v += lph
			}
			return v, true
		}
	}
	tests := []struct {
		name   string
		hours  map[time.Time]float64
		now    time.Time
		raised bool
		run    int
		flow   float64
		since  time.Time
	}{
		{"a toilet running 3 L/h for four nights", hours(drip(-3, 3)), now, true, 4, 3, today.AddDate(0, 0, -3)},
		{"exactly three nights", hours(drip(-2, 0.5)), now, true, 3, 0.5, today.AddDate(0, 0, -2)},
		{"two nights are not enough", hours(drip(-1, 3)), now, false, 2, 3, today.AddDate(0, 0, -1)},
		{"a shower at 2am once", hours(func(d, h int, v float64) (float64, bool) {
			if d == -2 && h == 2 {
				v = 60
			}
			return v, true
		}), now, false, 0, 0, time.Time{}},
		{"a night worker's shower at 2am every night", hours(func(d, h int, v float64) (float64, bool) {
			if h == 2 {
				v = 60
			}
			return v, true
		}), now, false, 0, 0, time.Time{}},
		{"a night missing an hour breaks the run", hours(func(d, h int, v float64) (float64, bool) {
			if d >= -4 {
				v += 3
			}
			return v, !(d == -2 && h == 3)
		}), now, false, 2, 3, today.AddDate(0, 0, -1)},
		{"a whole night missing breaks the run", hours(func(d, h int, v float64) (float64, bool) {
			if d >= -4 {
				v += 3
			}
			return v, !(d == -2 && h >= 1 && h < 5)
		}), now, false, 2, 3, today.AddDate(0, 0, -1)},
		{"the leak was repaired last night", hours(func(d, h int, v float64) (float64, bool) {
			if d >= -5 && d < 0 {
				v += 3
			}
			return v, true
		}), now, false, 0, 0, time.Time{}},
		{"an old leak, data not arriving since", hours(drip(-5, 3)), now.AddDate(0, 0, 10), false, 0, 0, time.Time{}},
		{"a holiday: nothing at all flows", hours(func(d, h int, v float64) (float64, bool) { return 0, true }), now, false, 0, 0, time.Time{}},
		{"no readings", map[time.Time]float64{}, now, false, 0, 0, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Leak(tt.hours, loc, tt.now)
			if r.Raised != tt.raised || r.Run != tt.run || r.Flow != tt.flow || !r.Since.Equal(tt.since) {
				t.Errorf("raised %v, run %d, flow %v, since %v; want %v, %d, %v, %v", r.Raised, r.Run, r.Flow, r.Since, tt.raised, tt.run, tt.flow, tt.since)
			}
		})
	}
}

// TestExcess: the last 7 days far above the same season of earlier years is an excess; a
// holiday then or now, a warm winter, a cold snap within bounds, a small household's small
// rise, missing days and too little history are not.
func TestExcess(t *testing.T) {
	loc := paris(t)
	to := time.Date(2025, 1, 13, 0, 0, 0, 0, loc) // the 7 days are 6 to 12 January
	// days gives every day of three years before to the value base, changed by mod (d is
	// the day's offset from to, negative).
	days := func(base float64, mod func(d int, v float64) (float64, bool)) map[time.Time]float64 {
		out := map[time.Time]float64{}
		for d := -3 * 366; d < 0; d++ {
			v, keep := base, true
			if mod != nil {
				v, keep = mod(d, v)
			}
			if keep {
				out[to.AddDate(0, 0, d)] = v
			}
		}
		return out
	}
	week := func(d int) bool { return d >= -7 }
	lastYear := func(d int, from, until int) bool { return d >= -364+from && d < -364+until }
	tests := []struct {
		name        string
		days        map[time.Time]float64
		floor       float64
		known       bool
		raised      bool
		last, usual float64
	}{
		{"twice the usual", days(10, func(d int, v float64) (float64, bool) {
			if week(d) {
				v = 20
			}
			return v, true
		}), 7, true, true, 140, 70},
		{"the same weeks last year were a holiday", days(10, func(d int, v float64) (float64, bool) {
			if lastYear(d, -14, 7) {
				v = 0.5
			}
			return v, true
		}), 7, true, false, 70, 70},
		{"a holiday now", days(10, func(d int, v float64) (float64, bool) {
			if week(d) {
				v = 0.5
			}
			return v, true
		}), 7, true, false, 3.5, 70},
		{"a warm winter after cold ones", days(60, func(d int, v float64) (float64, bool) {
			if d >= -60 {
				v = 35
			}
			return v, true
		}), 14, true, false, 245, 420},
		{"a cold snap, 1.4 times the usual", days(40, func(d int, v float64) (float64, bool) {
			if week(d) {
				v = 56
			}
			return v, true
		}), 14, true, false, 392, 280},
		{"four times a tiny usual, under the floor", days(10, func(d int, v float64) (float64, bool) {
			if week(d) {
				v = 40
			}
			return v, true
		}), 350, true, false, 280, 70},
		{"a day missing this week", days(10, func(d int, v float64) (float64, bool) { return 20, d != -3 }), 7, false, false, 0, 0},
		{"two comparable weeks only", days(10, func(d int, v float64) (float64, bool) {
			if week(d) {
				v = 30
			}
			return v, d >= -364-7 && (week(d) || lastYear(d, -7, 7))
		}), 7, false, false, 210, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Excess(tt.days, to, tt.floor)
			if r.Known != tt.known || r.Raised != tt.raised || r.Last != tt.last || r.Usual != tt.usual {
				t.Errorf("known %v, raised %v, last %v, usual %v (%d weeks); want %v, %v, %v, %v", r.Known, r.Raised, r.Last, r.Usual, r.Weeks, tt.known, tt.raised, tt.last, tt.usual)
			}
		})
	}
}

// TestFreeze: a meter at 1 °C or below today is about to freeze; a warm winter, an old cold
// spell and no data are not.
func TestFreeze(t *testing.T) {
	loc := paris(t)
	today := time.Date(2025, 1, 20, 0, 0, 0, 0, loc)
	now := today.Add(9 * time.Hour)
	mins := func(vals ...float64) map[time.Time]float64 { // the last len(vals) days, up to today
		out := map[time.Time]float64{}
		for i, v := range vals {
			out[today.AddDate(0, 0, i-len(vals)+1)] = v
		}
		return out
	}
	tests := []struct {
		name   string
		mins   map[time.Time]float64
		now    time.Time
		known  bool
		raised bool
		since  time.Time
	}{
		{"two days near zero", mins(6, 4, 0.8, 0.4), now, true, true, today.AddDate(0, 0, -1)},
		{"exactly 1 °C", mins(5, 1), now, true, true, today},
		{"a warm winter", mins(5, 4, 3.2, 3.5), now, true, false, time.Time{}},
		{"it was cold, it is mild again", mins(0.5, 0.2, 4), now, true, false, time.Time{}},
		{"a cold spell long gone, nothing since", mins(0.5, 0.2), now.AddDate(0, 0, 10), false, false, time.Time{}},
		{"no temperature", map[time.Time]float64{}, now, false, false, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Freeze(tt.mins, tt.now)
			if r.Known != tt.known || r.Raised != tt.raised || !r.Since.Equal(tt.since) {
				t.Errorf("known %v, raised %v, since %v; want %v, %v, %v", r.Known, r.Raised, r.Since, tt.known, tt.raised, tt.since)
			}
		})
	}
}

// TestParsePrice: what a person types as a price, in French or English, or a refusal.
func TestParsePrice(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		decimals int
		ok       bool
	}{
		{"0,2016", "0.2016", 4, true}, {"0.2016", "0.2016", 4, true}, {" 15,65 € ", "15.65", 2, true}, {"1 234,50", "1234.50", 2, true},
		{"", "", 2, true}, {"-1", "", 2, false}, {"12.345", "", 2, false}, {"abc", "", 2, false}, {"1e3", "", 2, false},
	} {
		got, err := ParsePrice(tt.in, tt.decimals)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParsePrice(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
