package whoami

import (
	"testing"
	"time"

	"selfdata/internal/store"
)

// curve is a load of hourly buckets for the days from Monday 2 June 2025, each day's 24
// values given by perHour, the weekend's by weekend.
func curve(days int, perHour, weekend func(h int) float64) *Load {
	l := &Load{Series: store.Series{ID: "load", Doctype: Electricity, Name: "Courbe de charge", Source: store.Source{Kind: "organization", ID: "enedis", Name: "Enedis"}}}
	start := time.Date(2025, 6, 2, 0, 0, 0, 0, paris)
	for d := range days {
		day := start.AddDate(0, 0, d)
		f := perHour
		if day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			f = weekend
		}
		for h := range 24 {
			l.Buckets = append(l.Buckets, store.Bucket{Start: day.Add(time.Duration(h) * time.Hour), Value: f(h), Count: 2})
		}
	}
	return l
}

// workday: standby at night, breakfast, nobody in from 8 h to 18 h, dinner and evening.
func workday(h int) float64 {
	switch {
	case h < 6:
		return 100
	case h < 8:
		return 500
	case h < 18:
		return 110
	case h < 23:
		return 800
	}
	return 300
}

func flat(int) float64 { return 150 }

// TestLoadHabits: weekdays' hours of a load curve, and the curves that say nothing.
func TestLoadHabits(t *testing.T) {
	for _, c := range []struct {
		name string
		load *Load
		want map[string]string
	}{
		{"a working week", curve(14, workday, flat), map[string]string{"habits.empty": "8 | 18 | 10 weekday", "habits.home": "18 | 24 | 10 weekday"}},
		{"weekends do not count", curve(14, workday, workday), map[string]string{"habits.empty": "8 | 18 | 10 weekday", "habits.home": "18 | 24 | 10 weekday"}},
		{"a flat curve says nothing", curve(14, flat, workday), nil},
		{"four weekdays are no habit", curve(4, workday, flat), nil},
		{"no curve", nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := map[string]string{}
			for _, st := range loadHabits(c.load, paris) {
				got[st.Key] = argText(st)
				if len(st.Evidence) != 1 || !st.Evidence[0].Series || st.Evidence[0].ID != "load" {
					t.Errorf("%s rests on %+v", st.Key, st.Evidence)
				}
			}
			if len(got) != len(c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
			for k, w := range c.want {
				if got[k] != w {
					t.Errorf("%s: %q, want %q", k, got[k], w)
				}
			}
		})
	}
}
