package chunk

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // zone rules fixed by the Go release, not by the host

	"selfdata/internal/store"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestFloorNext(t *testing.T) {
	tests := []struct {
		zone, at   string
		step       store.Step
		floor, nxt string
	}{
		// Paris, spring forward on 2025-03-30 at 02:00 (01:00Z): a 23-hour day.
		{"Europe/Paris", "2025-03-30T12:00:00Z", store.Day, "2025-03-29T23:00:00Z", "2025-03-30T22:00:00Z"},
		{"Europe/Paris", "2025-03-29T23:00:00Z", store.Day, "2025-03-29T23:00:00Z", "2025-03-30T22:00:00Z"},
		{"Europe/Paris", "2025-03-29T22:59:59.999Z", store.Day, "2025-03-28T23:00:00Z", "2025-03-29T23:00:00Z"},
		{"Europe/Paris", "2025-03-30T00:59:59Z", store.Hour, "2025-03-30T00:00:00Z", "2025-03-30T01:00:00Z"},
		{"Europe/Paris", "2025-03-30T01:00:00Z", store.Hour, "2025-03-30T01:00:00Z", "2025-03-30T02:00:00Z"}, // 03:00 CEST
		// Paris, fall back on 2025-10-26 at 03:00 (01:00Z): a 25-hour day, 02:00–03:00 twice.
		{"Europe/Paris", "2025-10-26T12:00:00Z", store.Day, "2025-10-25T22:00:00Z", "2025-10-26T23:00:00Z"},
		{"Europe/Paris", "2025-10-26T00:30:00Z", store.Hour, "2025-10-26T00:00:00Z", "2025-10-26T01:00:00Z"}, // 02:30 CEST
		{"Europe/Paris", "2025-10-26T01:30:00Z", store.Hour, "2025-10-26T01:00:00Z", "2025-10-26T02:00:00Z"}, // 02:30 CET
		// Weeks start on Monday: 2025-10-26 is a Sunday, its week is 7 days and 1 hour long.
		{"Europe/Paris", "2025-10-26T12:00:00Z", store.Week, "2025-10-19T22:00:00Z", "2025-10-26T23:00:00Z"},
		{"Europe/Paris", "2025-10-26T23:00:00Z", store.Week, "2025-10-26T23:00:00Z", "2025-11-02T23:00:00Z"}, // Monday 00:00 CET
		{"Europe/Paris", "2025-03-30T12:00:00Z", store.Week, "2025-03-23T23:00:00Z", "2025-03-30T22:00:00Z"},
		{"Europe/Paris", "2025-03-30T12:00:00Z", store.Month, "2025-02-28T23:00:00Z", "2025-03-31T22:00:00Z"},
		{"Europe/Paris", "2025-12-31T22:59:59Z", store.Month, "2025-11-30T23:00:00Z", "2025-12-31T23:00:00Z"},
		{"Europe/Paris", "2025-03-30T12:00:00Z", store.Year, "2024-12-31T23:00:00Z", "2025-12-31T23:00:00Z"},
		{"Europe/Paris", "2025-12-31T23:00:00Z", store.Year, "2025-12-31T23:00:00Z", "2026-12-31T23:00:00Z"},
		// UTC.
		{"UTC", "2025-01-01T10:59:59.999Z", store.Hour, "2025-01-01T10:00:00Z", "2025-01-01T11:00:00Z"},
		{"UTC", "2025-01-01T10:00:00Z", store.Day, "2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z"},
		{"UTC", "2025-01-01T10:00:00Z", store.Week, "2024-12-30T00:00:00Z", "2025-01-06T00:00:00Z"}, // a Wednesday
		{"UTC", "2024-02-29T10:00:00Z", store.Month, "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"},
		{"UTC", "2024-02-29T10:00:00Z", store.Year, "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z"},
		{"UTC", "1969-12-31T23:59:59Z", store.Day, "1969-12-31T00:00:00Z", "1970-01-01T00:00:00Z"},
		{"UTC", "1969-12-31T23:59:59Z", store.Hour, "1969-12-31T23:00:00Z", "1970-01-01T00:00:00Z"},
		// New York: spring forward 2025-03-09 02:00, fall back 2025-11-02 02:00.
		{"America/New_York", "2025-03-09T12:00:00Z", store.Day, "2025-03-09T05:00:00Z", "2025-03-10T04:00:00Z"},
		{"America/New_York", "2025-11-02T12:00:00Z", store.Day, "2025-11-02T04:00:00Z", "2025-11-03T05:00:00Z"},
		{"America/New_York", "2025-11-02T05:30:00Z", store.Hour, "2025-11-02T05:00:00Z", "2025-11-02T06:00:00Z"}, // 01:30 EDT
		{"America/New_York", "2025-11-02T06:30:00Z", store.Hour, "2025-11-02T06:00:00Z", "2025-11-02T07:00:00Z"}, // 01:30 EST
		{"America/New_York", "2025-11-02T12:00:00Z", store.Week, "2025-10-27T04:00:00Z", "2025-11-03T05:00:00Z"},
		{"America/New_York", "2025-01-01T04:59:59Z", store.Year, "2024-01-01T05:00:00Z", "2025-01-01T05:00:00Z"},
		{"America/New_York", "2025-03-31T12:00:00Z", store.Month, "2025-03-01T05:00:00Z", "2025-04-01T04:00:00Z"},
		// Kolkata (+05:30): hours follow the local clock.
		{"Asia/Kolkata", "2025-01-01T10:45:00Z", store.Hour, "2025-01-01T10:30:00Z", "2025-01-01T11:30:00Z"},
		{"Asia/Kolkata", "2025-01-01T10:45:00Z", store.Day, "2024-12-31T18:30:00Z", "2025-01-01T18:30:00Z"},
		// Havana changes clocks at midnight: 2025-03-09 has no 00:00, 2025-11-02 has two.
		{"America/Havana", "2025-03-09T12:00:00Z", store.Day, "2025-03-09T05:00:00Z", "2025-03-10T04:00:00Z"},
		{"America/Havana", "2025-03-08T12:00:00Z", store.Day, "2025-03-08T05:00:00Z", "2025-03-09T05:00:00Z"},
		{"America/Havana", "2025-03-09T12:00:00Z", store.Month, "2025-03-01T05:00:00Z", "2025-04-01T04:00:00Z"},
		{"America/Havana", "2025-11-02T04:30:00Z", store.Day, "2025-11-02T04:00:00Z", "2025-11-03T05:00:00Z"},
		{"America/Havana", "2025-11-02T05:30:00Z", store.Day, "2025-11-02T04:00:00Z", "2025-11-03T05:00:00Z"},
		{"America/Havana", "2025-11-01T12:00:00Z", store.Day, "2025-11-01T04:00:00Z", "2025-11-02T04:00:00Z"},
		// Samoa skipped 2011-12-30 altogether: Thursday 29 was followed by Saturday 31.
		{"Pacific/Apia", "2011-12-29T12:00:00Z", store.Day, "2011-12-29T10:00:00Z", "2011-12-30T10:00:00Z"},
		{"Pacific/Apia", "2011-12-30T12:00:00Z", store.Day, "2011-12-30T10:00:00Z", "2011-12-31T10:00:00Z"},
		// Lord Howe Island moves its clock by half an hour (02:00 +10:30 → 02:30 +11 on 2025-10-05,
		// at 2025-10-04T15:30Z): the change starts a half-hour bucket.
		{"Australia/Lord_Howe", "2025-10-04T15:00:00Z", store.Hour, "2025-10-04T14:30:00Z", "2025-10-04T15:30:00Z"},
		{"Australia/Lord_Howe", "2025-10-04T15:45:00Z", store.Hour, "2025-10-04T15:30:00Z", "2025-10-04T16:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.at+" "+string(tt.step), func(t *testing.T) {
			loc := mustLoc(t, tt.zone)
			f := Floor(utc(tt.at), tt.step, loc)
			if !f.Equal(utc(tt.floor)) {
				t.Errorf("Floor = %s, want %s", f.UTC().Format(time.RFC3339Nano), tt.floor)
			}
			n := Next(f, tt.step, loc)
			if !n.Equal(utc(tt.nxt)) {
				t.Errorf("Next = %s, want %s", n.UTC().Format(time.RFC3339Nano), tt.nxt)
			}
			if n2 := Next(utc(tt.at), tt.step, loc); !n2.Equal(n) {
				t.Errorf("Next(t) = %s, Next(Floor(t)) = %s", n2.UTC().Format(time.RFC3339), n.UTC().Format(time.RFC3339))
			}
		})
	}
}

// TestBucketsTile checks, in zones with every kind of change, that buckets cover time without
// gap or overlap: Floor(t) <= t < Next(t), Floor is idempotent and Next lands on a bucket start.
func TestBucketsTile(t *testing.T) {
	zones := []string{"UTC", "Europe/Paris", "America/New_York", "America/Havana", "Asia/Kolkata",
		"Australia/Lord_Howe", "America/Santiago", "Asia/Beirut", "Pacific/Apia", "Asia/Tehran", "Africa/Casablanca"}
	steps := []store.Step{store.Hour, store.Day, store.Week, store.Month, store.Year}
	r := rand.New(rand.NewPCG(3, 4))
	lo, hi := utc("1990-01-01T00:00:00Z").Unix(), utc("2040-01-01T00:00:00Z").Unix()
	for _, zone := range zones {
		loc := mustLoc(t, zone)
		// Random instants, plus instants around each of the zone's changes.
		var ats []time.Time
		for range 2000 {
			ats = append(ats, time.Unix(lo+r.Int64N(hi-lo), r.Int64N(1e9)))
		}
		for at := time.Unix(lo, 0).In(loc); at.Unix() < hi; {
			_, end := at.ZoneBounds()
			if end.IsZero() {
				break
			}
			for _, d := range []time.Duration{-25 * time.Hour, -time.Hour, -time.Nanosecond, 0, time.Hour, 25 * time.Hour} {
				ats = append(ats, end.Add(d))
			}
			at = end
		}
		for _, step := range steps {
			for _, at := range ats {
				f := Floor(at, step, loc)
				n := Next(at, step, loc)
				if f.After(at) || !n.After(at) {
					t.Fatalf("%s %s %s: Floor %s, Next %s do not surround it", zone, step, at.In(loc), f, n)
				}
				if ff := Floor(f, step, loc); !ff.Equal(f) {
					t.Fatalf("%s %s %s: Floor(Floor) %s != Floor %s", zone, step, at.In(loc), ff, f)
				}
				if fn := Floor(n, step, loc); !fn.Equal(n) {
					t.Fatalf("%s %s %s: Next %s is not a bucket start (%s)", zone, step, at.In(loc), n, fn)
				}
				if nf := Next(f, step, loc); !nf.Equal(n) {
					t.Fatalf("%s %s %s: Next(Floor) %s != Next %s", zone, step, at.In(loc), nf, n)
				}
				if step == store.Hour && n.Sub(f) > time.Hour {
					t.Fatalf("%s %s: hour bucket %s–%s longer than an hour", zone, at.In(loc), f, n)
				}
			}
		}
	}
}

func TestBoundaries(t *testing.T) {
	paris := mustLoc(t, "Europe/Paris")
	tests := []struct {
		name      string
		from, to  string
		step      store.Step
		loc       *time.Location
		max       int
		wantLen   int    // buckets
		wantFirst string // b[0]
		wantLast  string // b[len-1]
		wantErr   string
	}{
		{"Paris autumn day in hours", "2025-10-25T22:00:00Z", "2025-10-26T23:00:00Z", store.Hour, paris, 100, 25, "2025-10-25T22:00:00Z", "2025-10-26T23:00:00Z", ""},
		{"Paris spring day in hours", "2025-03-29T23:00:00Z", "2025-03-30T22:00:00Z", store.Hour, paris, 100, 23, "2025-03-29T23:00:00Z", "2025-03-30T22:00:00Z", ""},
		{"unaligned from and to", "2025-10-26T10:20:00Z", "2025-10-28T10:20:00Z", store.Day, paris, 100, 3, "2025-10-25T22:00:00Z", "2025-10-28T23:00:00Z", ""},
		{"to on a boundary is excluded", "2025-01-01T00:00:00Z", "2025-01-03T00:00:00Z", store.Day, time.UTC, 100, 2, "2025-01-01T00:00:00Z", "2025-01-03T00:00:00Z", ""},
		{"one instant", "2025-01-01T05:00:00Z", "2025-01-01T05:00:00.001Z", store.Year, time.UTC, 1, 1, "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z", ""},
		{"a year of months in Paris", "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z", store.Month, paris, 13, 13, "2024-12-31T23:00:00Z", "2026-01-31T23:00:00Z", ""},
		{"weeks", "2025-10-01T00:00:00Z", "2025-10-31T00:00:00Z", store.Week, paris, 10, 5, "2025-09-28T22:00:00Z", "2025-11-02T23:00:00Z", ""},
		{"nil location is UTC", "2025-01-01T10:00:00Z", "2025-01-01T12:00:00Z", store.Hour, nil, 10, 2, "2025-01-01T10:00:00Z", "2025-01-01T12:00:00Z", ""},
		{"exactly max", "2025-01-01T00:00:00Z", "2025-01-11T00:00:00Z", store.Day, time.UTC, 10, 10, "2025-01-01T00:00:00Z", "2025-01-11T00:00:00Z", ""},
		{"more than max", "2025-01-01T00:00:00Z", "2025-01-11T00:00:01Z", store.Day, time.UTC, 10, 0, "", "", "more than 10 day buckets"},
		{"a century of hours", "1925-01-01T00:00:00Z", "2025-01-01T00:00:00Z", store.Hour, time.UTC, 10000, 0, "", "", "more than 10000"},
		{"to equals from", "2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z", store.Day, time.UTC, 10, 0, "", "", "empty time range"},
		{"to before from", "2025-01-02T00:00:00Z", "2025-01-01T00:00:00Z", store.Day, time.UTC, 10, 0, "", "", "empty time range"},
		{"unknown step", "2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z", "fortnight", time.UTC, 10, 0, "", "", `unknown step "fortnight"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Boundaries(utc(tt.from), utc(tt.to), tt.step, tt.loc, tt.max)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(b)-1 != tt.wantLen {
				t.Errorf("%d buckets, want %d", len(b)-1, tt.wantLen)
			}
			if !b[0].Equal(utc(tt.wantFirst)) || !b[len(b)-1].Equal(utc(tt.wantLast)) {
				t.Errorf("boundaries %s … %s, want %s … %s", b[0].UTC().Format(time.RFC3339), b[len(b)-1].UTC().Format(time.RFC3339), tt.wantFirst, tt.wantLast)
			}
			for i := 1; i < len(b); i++ {
				if !b[i].After(b[i-1]) {
					t.Fatalf("boundary %d (%s) not after %d", i, b[i], i-1)
				}
			}
			if !b[len(b)-2].Before(utc(tt.to)) {
				t.Errorf("last bucket starts at %s, not before to", b[len(b)-2])
			}
		})
	}
}

func TestParseStepFn(t *testing.T) {
	for _, s := range []string{"hour", "day", "week", "month", "year"} {
		if got, err := ParseStep(s); err != nil || string(got) != s {
			t.Errorf("ParseStep(%q) = %q, %v", s, got, err)
		}
	}
	for _, s := range []string{"sum", "avg", "min", "max", "count"} {
		if got, err := ParseFn(s); err != nil || string(got) != s {
			t.Errorf("ParseFn(%q) = %q, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "Hour", "days", "minute"} {
		if _, err := ParseStep(s); err == nil || !strings.Contains(err.Error(), "hour, day, week, month, year") {
			t.Errorf("ParseStep(%q): error %v does not list the valid steps", s, err)
		}
	}
	for _, s := range []string{"", "SUM", "mean", "median"} {
		if _, err := ParseFn(s); err == nil || !strings.Contains(err.Error(), "sum, avg, min, max, count") {
			t.Errorf("ParseFn(%q): error %v does not list the valid functions", s, err)
		}
	}
}

func TestUnknownStepPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"Floor": func() { Floor(time.Now(), "fortnight", time.UTC) },
		"Next":  func() { Next(time.Now(), "fortnight", time.UTC) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}
