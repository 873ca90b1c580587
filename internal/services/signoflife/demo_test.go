package signoflife_test

import (
	"strings"
	"testing"
	"time"

	"selfdata/internal/demo"
	"selfdata/internal/services"
	"selfdata/internal/services/signoflife"
)

// TestDemo: on the demo year (Camille Martin, Lyon, up around 7:00 on weekdays, two weeks
// in Barcelona in August), read through the gate as the service, a weekday morning is
// usual activity, a morning of the holiday is none by 10:00 (the notice is due), and the
// hourly water meter tells the same mornings from water alone.
func TestDemo(t *testing.T) {
	e := newEnv(t)
	inst := e.person(t, "demo")
	end := time.Date(2026, time.March, 10, 12, 0, 0, 0, signoflife.Paris())
	if err := demo.Seed(ctx, e.gate, inst, demo.Generate(end, 1)); err != nil {
		t.Fatal(err)
	}
	p, on, err := e.grants.BuiltIn(ctx, inst, services.SignOfLife)
	if err != nil || !on {
		t.Fatalf("the service is not on: %v", err)
	}
	rd := services.Through(e.gate, p)
	both := signoflife.Settings{Expect: 10, Signals: signoflife.Kinds()}
	paris := func(y int, m time.Month, d, h int) time.Time {
		return time.Date(y, m, d, h, 0, 0, 0, signoflife.Paris())
	}

	cases := []struct {
		name      string
		now       time.Time
		activity  signoflife.State
		water     signoflife.State
		from, to  int // the hours activity is first seen between, for Yes
		yesterday signoflife.State
		quiet     bool
	}{
		{"a Wednesday at 11:00", paris(2026, time.March, 4, 11), signoflife.Yes, signoflife.Yes, 6, 8, signoflife.Yes, false},
		{"a Wednesday at 6:00", paris(2026, time.March, 4, 6), signoflife.NotYet, signoflife.NotYet, 0, 0, signoflife.Yes, false},
		{"a Wednesday in Barcelona at 11:00", paris(2025, time.August, 6, 11), signoflife.No, signoflife.No, 0, 0, signoflife.No, true},
		// Back on Sunday 17 August, up late: the two weeks away are most of the four.
		{"back from Barcelona, Sunday 17 August at 12:00", paris(2025, time.August, 17, 12), signoflife.Yes, signoflife.Yes, 8, 11, signoflife.No, false},
		{"the Monday after", paris(2025, time.August, 18, 11), signoflife.Yes, signoflife.Yes, 6, 8, signoflife.Yes, false},
		// The demo's last day is the day before its end: the next has no readings.
		{"the day after the demo's year", paris(2026, time.March, 10, 11), signoflife.Unknown, signoflife.Unknown, 0, 0, signoflife.Yes, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			rep, err := signoflife.Compute(ctx, rd, both, c.now)
			if err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d > time.Second {
				t.Logf("computed in %v", d)
			}
			act, wat := rep.Today[0], rep.Today[1]
			if act.Kind != signoflife.UsualActivity || act.State != c.activity || rep.Quiet != c.quiet || rep.Yesterday == nil || rep.Yesterday.State != c.yesterday {
				t.Fatalf("activity %s since %v, yesterday %+v, quiet %v; want %s, %s, %v", act.State, act.Since, rep.Yesterday, rep.Quiet, c.activity, c.yesterday, c.quiet)
			}
			if c.activity == signoflife.Yes {
				if h := act.Since.Hour(); h < c.from || h > c.to || act.Since.Day() != c.now.Day() {
					t.Errorf("activity seen from %v, want between %d:00 and %d:00", act.Since, c.from, c.to)
				}
			}
			if wat.Kind != signoflife.WaterMorning || wat.State != c.water || len(wat.Doctypes) != 1 || wat.Doctypes[0] != "reading.water" {
				t.Errorf("water this morning: %+v, want %s from the water meter", wat, c.water)
			}
			if c.water == signoflife.Yes && (wat.Since.Day() != c.now.Day() || wat.Since.After(c.now)) {
				t.Errorf("water seen from %v, not this morning", wat.Since)
			}
			if got := strings.Join(act.Doctypes, " "); got != "reading.electricity reading.water" {
				t.Errorf("activity derived from %q, want both hourly meters", got)
			}
		})
	}
}
