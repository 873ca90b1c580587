package places

import (
	"math"
	"slices"
	"testing"
	"time"
)

var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}()

// base is a street corner in Lyon 3e.
var base = LatLon{45.7589, 4.8475}

// north is p moved m metres north (one degree of latitude is 111.195 km).
func north(p LatLon, m float64) LatLon { return LatLon{p.Lat + m/111195, p.Lon} }

// at is a local time in Paris, "2025-03-04 10:00".
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
	if err != nil {
		panic(err)
	}
	return t
}

// stayAt is a visit document with an end; pointAt a point of the trace.
func stayAt(p LatLon, from, to string) Record { return Record{Start: at(from), End: at(to), At: p} }
func pointAt(p LatLon, t string) Record       { return Record{Start: at(t), At: p} }

func TestCompute(t *testing.T) {
	far := north(base, 500)
	shop := north(base, 1000)
	tests := []struct {
		name     string
		in       Read
		places   int
		totals   []time.Duration // by rank
		visits   []int           // by rank
		names    []string        // by rank
		journeys int
		days     []string
		check    func(t *testing.T, l *Life)
	}{
		{name: "no data gives nothing", in: Read{}},
		{name: "only places, no visit, gives nothing", in: Read{Known: []Known{{ID: "p", Name: "Domicile", At: base}}}},
		{
			name: "two visits 100 m apart are one place",
			in: Read{Records: []Record{
				stayAt(base, "2025-03-04 10:00", "2025-03-04 11:00"),
				stayAt(north(base, 100), "2025-03-05 10:00", "2025-03-05 12:00"),
			}},
			places: 1, totals: []time.Duration{3 * time.Hour}, visits: []int{2}, names: []string{""},
			days: []string{"2025-03-04", "2025-03-05"},
			check: func(t *testing.T, l *Life) {
				if got := Distance(l.Places[0].At, north(base, 50)); got > 1 {
					t.Errorf("centre %.1f m from the middle of the two visits", got)
				}
				if !l.Places[0].First.Equal(at("2025-03-04 10:00")) || !l.Places[0].Last.Equal(at("2025-03-05 10:00")) {
					t.Errorf("first %v last %v", l.Places[0].First, l.Places[0].Last)
				}
			},
		},
		{
			name: "two visits 500 m apart are two places, and the way between them a journey",
			in: Read{Records: []Record{
				stayAt(base, "2025-03-04 07:00", "2025-03-04 08:00"),
				stayAt(far, "2025-03-04 08:10", "2025-03-04 10:10"),
			}},
			places: 2, totals: []time.Duration{2 * time.Hour, time.Hour}, visits: []int{1, 1}, names: []string{"", ""},
			journeys: 1, days: []string{"2025-03-04"},
			check: func(t *testing.T, l *Life) {
				j := l.Journeys[0]
				if j.From != 1 || j.To != 0 || !j.Depart.Equal(at("2025-03-04 08:00")) || !j.Arrive.Equal(at("2025-03-04 08:10")) {
					t.Errorf("journey %+v", j)
				}
				if math.Abs(j.Metres-500) > 1 || len(j.Path) != 2 {
					t.Errorf("journey of %.1f m along %d points, want 500 m in a straight line", j.Metres, len(j.Path))
				}
			},
		},
		{
			name: "a visit across midnight counts whole, on both days",
			in: Read{Records: []Record{
				stayAt(base, "2025-03-04 22:00", "2025-03-05 06:00"),
			}},
			places: 1, totals: []time.Duration{8 * time.Hour}, visits: []int{1}, names: []string{""},
			days: []string{"2025-03-04", "2025-03-05"},
			check: func(t *testing.T, l *Life) {
				d1, _ := l.Day("2025-03-04")
				d2, _ := l.Day("2025-03-05")
				if len(d1.Entries) != 1 || len(d2.Entries) != 1 {
					t.Fatalf("entries %d and %d, want one each day", len(d1.Entries), len(d2.Entries))
				}
				e1, e2 := d1.Entries[0], d2.Entries[0]
				if !e1.From.Equal(at("2025-03-04 22:00")) || !e1.To.Equal(at("2025-03-05 00:00")) || e1.Before || !e1.After {
					t.Errorf("first day %+v", e1)
				}
				if !e2.From.Equal(at("2025-03-05 00:00")) || !e2.To.Equal(at("2025-03-05 06:00")) || !e2.Before || e2.After {
					t.Errorf("second day %+v", e2)
				}
			},
		},
		{
			name:   "a visit ending at midnight does not touch the next day",
			in:     Read{Records: []Record{stayAt(base, "2025-03-04 20:00", "2025-03-05 00:00")}},
			places: 1, totals: []time.Duration{4 * time.Hour}, visits: []int{1}, names: []string{""},
			days: []string{"2025-03-04"},
		},
		{
			name: "stays at one place less than half an hour apart are one visit, the gap included",
			in: Read{Records: []Record{
				stayAt(base, "2025-03-04 10:00", "2025-03-04 11:00"),
				stayAt(base, "2025-03-04 11:20", "2025-03-04 12:00"),
				stayAt(base, "2025-03-04 14:00", "2025-03-04 15:00"),
			}},
			places: 1, totals: []time.Duration{3 * time.Hour}, visits: []int{2}, names: []string{""},
			days: []string{"2025-03-04"},
		},
		{
			name: "overlapping visits count their time once",
			in: Read{Records: []Record{
				stayAt(base, "2025-03-04 10:00", "2025-03-04 12:00"),
				stayAt(north(base, 40), "2025-03-04 11:00", "2025-03-04 13:00"),
			}},
			places: 1, totals: []time.Duration{3 * time.Hour}, visits: []int{1}, names: []string{""},
			days: []string{"2025-03-04"},
		},
		{
			name: "a trace alone gives its stays and the journey between them",
			in: Read{Records: []Record{
				pointAt(base, "2025-03-04 08:00"), pointAt(north(base, 20), "2025-03-04 08:10"), pointAt(north(base, 10), "2025-03-04 08:30"),
				pointAt(north(base, 250), "2025-03-04 08:33"), pointAt(north(base, 500), "2025-03-04 08:36"), pointAt(north(base, 750), "2025-03-04 08:39"),
				pointAt(shop, "2025-03-04 08:42"), pointAt(north(shop, 30), "2025-03-04 09:00"),
			}},
			places: 2, totals: []time.Duration{30 * time.Minute, 18 * time.Minute}, visits: []int{1, 1}, names: []string{"", ""},
			journeys: 1, days: []string{"2025-03-04"},
			check: func(t *testing.T, l *Life) {
				j := l.Journeys[0]
				if j.From != 0 || j.To != 1 || len(j.Path) != 5 || !j.Depart.Equal(at("2025-03-04 08:30")) || !j.Arrive.Equal(at("2025-03-04 08:42")) {
					t.Errorf("journey %d→%d, %d points, %v–%v", j.From, j.To, len(j.Path), j.Depart, j.Arrive)
				}
			},
		},
		{
			name: "points inside a stay add nothing",
			in: Read{Records: []Record{
				stayAt(base, "2025-03-04 10:00", "2025-03-04 12:00"),
				pointAt(north(base, 5), "2025-03-04 10:30"), pointAt(north(base, 300), "2025-03-04 11:00"), pointAt(base, "2025-03-04 12:00"),
			}},
			places: 1, totals: []time.Duration{2 * time.Hour}, visits: []int{1}, names: []string{""},
			days: []string{"2025-03-04"},
		},
		{
			name: "a trace that leaves a place and is lost is a journey to nowhere",
			in: Read{Records: []Record{
				stayAt(base, "2025-03-04 10:00", "2025-03-04 12:00"),
				pointAt(north(base, 300), "2025-03-04 12:05"), pointAt(north(base, 600), "2025-03-04 12:10"),
				pointAt(shop, "2025-03-04 18:00"),
			}},
			places: 1, totals: []time.Duration{2 * time.Hour}, visits: []int{1}, names: []string{""},
			journeys: 2, days: []string{"2025-03-04"},
			check: func(t *testing.T, l *Life) {
				a, b := l.Journeys[0], l.Journeys[1]
				if a.From != 0 || a.To != -1 || len(a.Path) != 3 || b.From != -1 || b.To != -1 || len(b.Path) != 1 {
					t.Errorf("journeys %+v, %+v", a, b)
				}
			},
		},
		{
			name: "a place is named by the place document its visits point to",
			in: Read{
				Known: []Known{{ID: "home", Name: "Domicile", Category: "home", At: base}, {ID: "baker", Name: "Boulangerie", At: north(base, 60)}},
				Records: []Record{
					{Start: at("2025-03-04 10:00"), End: at("2025-03-04 10:05"), At: north(base, 60), Place: "home"},
					stayAt(north(base, 60), "2025-03-05 10:00", "2025-03-05 10:05"),
				},
			},
			places: 1, totals: []time.Duration{10 * time.Minute}, visits: []int{2}, names: []string{"Domicile"},
			days: []string{"2025-03-04", "2025-03-05"},
			check: func(t *testing.T, l *Life) {
				if p := l.Places[0]; p.Category != "home" || p.KnownID != "home" {
					t.Errorf("category %q, place document %q", p.Category, p.KnownID)
				}
			},
		},
		{
			name: "else by the nearest place document within the radius, else by the visits' name",
			in: Read{
				Known: []Known{{ID: "a", Name: "Loin", At: north(base, 140)}, {ID: "b", Name: "Près", At: north(base, 100)}},
				Records: []Record{
					stayAt(base, "2025-03-04 10:00", "2025-03-04 12:00"),
					{Start: at("2025-03-04 13:00"), End: at("2025-03-04 14:00"), At: far, Name: "Musée"},
					pointAt(north(shop, -200), "2025-03-04 15:00"),
					{Start: at("2025-03-04 16:00"), At: shop, Name: "Boulangerie"}, // noted without its end
				},
			},
			places: 3, totals: []time.Duration{2 * time.Hour, time.Hour, 0}, visits: []int{1, 1, 1}, names: []string{"Près", "Musée", "Boulangerie"},
			journeys: 2, days: []string{"2025-03-04"},
			check: func(t *testing.T, l *Life) {
				a, b := l.Journeys[0], l.Journeys[1]
				if a.From != 0 || a.To != 1 || len(a.Path) != 2 || b.From != 1 || b.To != 2 || len(b.Path) != 3 {
					t.Errorf("journeys %+v, %+v; want a straight line, then one through the point", a, b)
				}
			},
		},
		{
			name: "a visit that ends before it starts is left out",
			in:   Read{Records: []Record{stayAt(base, "2025-03-04 10:00", "2025-03-04 09:00")}, Unreadable: 2},
			check: func(t *testing.T, l *Life) {
				if l.Unreadable != 3 {
					t.Errorf("unreadable %d, want 3", l.Unreadable)
				}
			},
		},
		{
			name: "time per week is the total over the weeks the data covers",
			in: Read{Records: []Record{
				stayAt(base, "2025-03-03 10:00", "2025-03-03 11:00"),
				stayAt(base, "2025-03-16 10:00", "2025-03-16 11:00"),
			}},
			places: 1, totals: []time.Duration{2 * time.Hour}, visits: []int{2}, names: []string{""},
			days: []string{"2025-03-03", "2025-03-16"},
			check: func(t *testing.T, l *Life) {
				if l.Weeks != 2 || l.Places[0].PerWeek != time.Hour {
					t.Errorf("%v weeks, %v per week; want 2 weeks (14 days), 1h", l.Weeks, l.Places[0].PerWeek)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := Compute(tt.in, paris)
			var totals []time.Duration
			var visits []int
			var names []string
			for _, p := range l.Places {
				totals, visits, names = append(totals, p.Total), append(visits, p.Visits), append(names, p.Name)
			}
			if len(l.Places) != tt.places || !slices.Equal(totals, tt.totals) || !slices.Equal(visits, tt.visits) || !slices.Equal(names, tt.names) {
				t.Errorf("%d places: time %v, visits %v, names %q; want %d: %v, %v, %q", len(l.Places), totals, visits, names, tt.places, tt.totals, tt.visits, tt.names)
			}
			if len(l.Journeys) != tt.journeys {
				t.Errorf("%d journeys, want %d: %+v", len(l.Journeys), tt.journeys, l.Journeys)
			}
			if !slices.Equal(l.Days, tt.days) {
				t.Errorf("days %q, want %q", l.Days, tt.days)
			}
			if want := ""; len(tt.days) > 0 {
				want = tt.days[len(tt.days)-1]
				if l.LastDay() != want {
					t.Errorf("last day %q, want %q", l.LastDay(), want)
				}
			} else if l.LastDay() != want {
				t.Errorf("last day %q of no data", l.LastDay())
			}
			if tt.check != nil {
				tt.check(t, l)
			}
		})
	}
}
