package places

import (
	"context"
	"testing"
	"time"

	"selfdata/internal/demo"
	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/store/sqlite/sqlitetest"
)

// demoLife seeds the demo person's year, ending on end, into a real SQLite store through the
// gate, and reads it back as the map service does: through its own grant.
func demoLife(t *testing.T, end time.Time) *Life {
	t.Helper()
	ctx := context.Background()
	db, reg := sqlitetest.Open(t)
	in, err := db.CreateInstance(ctx, "demo", "h")
	if err != nil {
		t.Fatal(err)
	}
	g := gate.New(db, reg)
	if err := demo.Seed(ctx, g, in.ID, demo.Generate(end, 1)); err != nil {
		t.Fatal(err)
	}
	d, _ := services.Lookup(services.Map)
	var scopes []gate.Scope
	for _, dt := range d.Doctypes {
		scopes = append(scopes, gate.Scope{Doctype: dt, Read: true})
	}
	rd, err := Load(ctx, services.Through(g, gate.BuiltIn(in.ID, d.ID, d.Name, d.Purpose, scopes)))
	if err != nil {
		t.Fatal(err)
	}
	if rd.Unreadable != 0 || len(rd.Known) != 10 || len(rd.Records) < 1000 {
		t.Fatalf("read %d places, %d visits, %d unreadable", len(rd.Known), len(rd.Records), rd.Unreadable)
	}
	return Compute(rd, paris)
}

// TestDemo: what the demo person's page must show. Home and work come first, with the hours
// of a week of nights and a week of office days; every place of hers is found, each under its
// name; the last day is the day before the year's end and has its journeys, drawn.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a year of demo data")
	}
	end := time.Date(2025, 6, 30, 10, 42, 0, 0, time.UTC) // a Monday: the last day is a Sunday
	l := demoLife(t, end)

	if len(l.Places) < 10 || l.Places[0].Name != "Domicile" || l.Places[1].Name != "Bureau — Rhône Conseil" {
		t.Fatalf("places %+v", l.Places)
	}
	home, work := l.Places[0], l.Places[1]
	if h := home.PerWeek.Hours(); h < 95 || h > 130 {
		t.Errorf("home %.1f h a week", h)
	}
	if h := work.PerWeek.Hours(); h < 35 || h > 50 {
		t.Errorf("work %.1f h a week", h)
	}
	if home.Category != "home" || work.Category != "work" || home.KnownID != "place-home" {
		t.Errorf("home %q %q, work %q", home.Category, home.KnownID, work.Category)
	}
	if l.Weeks < 52 || l.Weeks > 52.5 {
		t.Errorf("%.2f weeks", l.Weeks)
	}
	byName := map[string]Place{}
	for _, p := range l.Places {
		if p.Name == "" {
			t.Errorf("a place without a name at %v", p.At)
		}
		if _, dup := byName[p.Name]; dup {
			t.Errorf("%s found twice: a place split in two", p.Name)
		}
		byName[p.Name] = p
	}
	for name, visits := range map[string][2]int{
		"Cabinet médical Dr Lefèvre": {2, 2},   // the two appointments of the health generator
		"Hôtel Gràcia":               {15, 15}, // fifteen nights in Barcelona, out every day
		"Gare de Lyon Part-Dieu":     {2, 2},
		"Barcelona Sants":            {2, 2},
		"Chez mes parents":           {11, 13},
		"Lidl Guillotière":           {40, 100},
		"Keep Cool Part-Dieu":        {15, 60},
		"Sagrada Família":            {1, 15}, // named by the visits: no place document
	} {
		p, ok := byName[name]
		if !ok || p.Visits < visits[0] || p.Visits > visits[1] {
			t.Errorf("%s: %d visits, want %d..%d", name, p.Visits, visits[0], visits[1])
		}
	}

	last := l.LastDay()
	if last != "2025-06-29" {
		t.Fatalf("last day %q", last)
	}
	d, err := l.Day(last)
	if err != nil {
		t.Fatal(err)
	}
	var journeys, traced int
	for _, e := range d.Entries {
		if e.Journey >= 0 {
			journeys++
			if j := l.Journeys[e.Journey]; len(j.Path) > 2 && j.From >= 0 && j.To >= 0 {
				traced++
			}
		}
	}
	if journeys < 2 || traced != journeys || d.Places[0] != 0 || d.Next != "" || d.Prev != "2025-06-28" {
		t.Errorf("last day: %d journeys (%d through the trace), places %v, prev %q next %q", journeys, traced, d.Places, d.Prev, d.Next)
	}
	if e := d.Entries[0]; e.Visit < 0 || !e.Before || l.Visits[e.Visit].Place != 0 {
		t.Errorf("the day does not begin at home since the night before: %+v", e)
	}
	s := l.DaySketch(d)
	if len(s.Lines) != journeys || len(s.Markers) != len(d.Places) {
		t.Errorf("sketch: %d lines, %d markers", len(s.Lines), len(s.Markers))
	}
	for _, m := range s.Markers {
		if m.X < 0 || m.X > s.Width || m.Y < 0 || m.Y > s.Height {
			t.Errorf("marker %+v outside the drawing", m)
		}
	}

	// The day of the train: home and the station, then Sants and the hotel, are a few hundred
	// metres apart on a map 500 km tall, so each pair shares a marker.
	trip, err := l.Day("2024-08-03")
	if err != nil {
		t.Fatal(err)
	}
	ts := l.DaySketch(trip)
	if len(trip.Places) != 4 || len(ts.Markers) != 2 || len(ts.Markers[0].Ns) != 2 || len(ts.Markers[1].Ns) != 2 || ts.Markers[1].Ns[0] != 3 {
		t.Errorf("the train's day: places %v, markers %+v", trip.Places, ts.Markers)
	}

	// The overview keeps the town: Barcelona is left off, and said to be.
	o, far := l.Overview(10)
	for _, i := range far {
		if Distance(l.Places[i].At, home.At) < FarAway {
			t.Errorf("%s left off the overview", l.Places[i].Name)
		}
	}
	if len(far) == 0 || len(o.Markers)+len(far) != 10 {
		t.Errorf("overview: %d markers, %d far", len(o.Markers), len(far))
	}
}
