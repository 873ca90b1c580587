package web

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"selfdata/internal/auth"
	"selfdata/internal/demo"
	"selfdata/internal/gate"
	"selfdata/internal/services"
)

// mapDemo gives the test server a demo person with the demo's year (ending on Monday 30 June
// 2025, so its last day is Sunday 29 June) and "Mapping my life" switched on; it returns a GET
// of the person's map page.
func mapDemo(t testing.TB, ts *testServer) func(query string, lang string) response {
	t.Helper()
	h, err := auth.HashPassphraseWith("demo pass", auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	in, err := ts.db.CreateInstance(bg, "demo", h)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(bg, ts.gate, in.ID, demo.Generate(time.Date(2025, 6, 30, 10, 42, 0, 0, time.UTC), 1)); err != nil {
		t.Fatal(err)
	}
	d, _ := services.Lookup(services.Map)
	if _, err := ts.cons.Grant(bg, in.ID, d.ID, d.Doctypes, []string{"read"}, 0); err != nil {
		t.Fatal(err)
	}
	session, _, err := ts.auth.Login(bg, "demo", "demo pass", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return func(query, lang string) response {
		t.Helper()
		res := ts.do(t, request{method: "GET", path: "/services/" + services.Map + query,
			header: map[string]string{"Cookie": sessionCookie + "=" + session, "Accept-Language": lang}})
		if dir := os.Getenv("MAP_DUMP"); dir != "" { // to look at the pages: MAP_DUMP=/tmp/x go test -run TestMapPage
			os.WriteFile(filepath.Join(dir, "map"+strings.NewReplacer("?", "_", "=", "_", "&", "_").Replace(query)+"-"+lang+".html"), []byte(res.body), 0o644)
		}
		return res
	}
}

var svgRE = regexp.MustCompile(`(?s)<svg .*?</svg>`)

// wellFormed parses every SVG of a page as XML and returns them.
func wellFormed(t *testing.T, body string) []string {
	t.Helper()
	svgs := svgRE.FindAllString(body, -1)
	for _, s := range svgs {
		dec := xml.NewDecoder(strings.NewReader(s))
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("the SVG is not well-formed XML: %v\n%s", err, s)
			}
		}
	}
	return svgs
}

// TestMapPage: the demo person's map page shows home and work first with their hours a week,
// defaults to the last day with data and draws its journeys, in both languages; each map is
// well-formed SVG whose places and journeys are labelled; a day is chosen with ?day=, a wrong
// one is a 400 naming the field.
func TestMapPage(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a year of demo data")
	}
	ts := newTestServer(t)
	get := mapDemo(t, ts)

	res := get("", "en")
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	body := res.body
	for _, want := range []string{
		"The places you visit most",
		// the table: home first, then work, with their time a week (105.3 h and 47.0 h)
		`<td>1</td>
      <th scope="row"><a href="/data/place/place-home">Domicile</a><br><span class="meta">Home</span></th>
      <td class="num">105.3 h</td>`,
		`<a href="/data/place/place-work">Bureau — Rhône Conseil</a><br><span class="meta">Work</span></th>
      <td class="num">47.0 h</td>`,
		"Not on this map, more than 50 km from the first place: 3. Hôtel Gràcia",
		"From 30 Jun 2024 to 29 Jun 2025: 856 visits at 18 places.",
		// the last day: a Sunday, the market in the morning, the park in the afternoon
		"Sunday 29 June 2025",
		`href="/services/selfdata-map?day=2025-06-28#day" rel="prev"`,
		`value="2025-06-29" min="2024-06-30" max="2025-06-29"`,
		"3 places, 4 journeys,",
		`<span class="map-time">00:00–09:55</span>`,
		"Domicile, 9 h 55 min (since the day before)",
		"Journey from Domicile to Marché du quai Saint-Antoine: 1.6 km in 20 min",
		`<span class="map-time">18:01–24:00</span>`,
		"Drawn without a background map",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(body, "Later day") {
		t.Error("a later day than the last one")
	}
	svgs := wellFormed(t, body)
	if len(svgs) != 2 {
		t.Fatalf("%d maps, want the overview and the day", len(svgs))
	}
	day := svgs[1]
	if n := strings.Count(day, "<polyline"); n != 8 {
		t.Errorf("%d polylines, want 4 journeys drawn twice (casing and line)", n)
	}
	for _, want := range []string{"<title>1. Domicile: 00:00–09:55, 10:50–14:35, 18:01–24:00</title>", "<title>Journey 09:55–10:15 from Domicile to Marché du quai Saint-Antoine, 1.6 km</title>", ">500 m</text>"} {
		if !strings.Contains(day, want) {
			t.Errorf("the day's map lacks %q:\n%s", want, day)
		}
	}
	if strings.Contains(body, "<image") || strings.Contains(res.header.Get("Content-Security-Policy"), "tile.example") {
		t.Error("tiles without a tile server")
	}

	fr := get("", "fr").body
	for _, want := range []string{"Les lieux où vous allez le plus", "dimanche 29 juin 2025", "<td class=\"num\">105,3 h</td>",
		"Trajet de Domicile à Marché du quai Saint-Antoine\u202f: 1,6 km en 20 min", "depuis la veille", "856 visites dans 18 lieux", "Du 30/06/2024 au 29/06/2025"} {
		if !strings.Contains(fr, want) {
			t.Errorf("the French page lacks %q", want)
		}
	}
	wellFormed(t, fr)

	// The first day of the holiday: Lyon to Barcelona by train, along the railway.
	trip := get("?day=2024-08-03", "en").body
	for _, want := range []string{"Saturday 3 August 2024", "Journey from Gare de Lyon Part-Dieu to Barcelona Sants: 567 km in 5 h 00 min", "Hôtel Gràcia, ", `rel="next"`} {
		if !strings.Contains(trip, want) {
			t.Errorf("the trip's page lacks %q", want)
		}
	}
	wellFormed(t, trip)
	if sat := get("?day=2025-06-28", "en").body; !strings.Contains(sat, "(until the next day)") || !strings.Contains(sat, "–24:00</span>") {
		t.Errorf("the day before the last does not say its last stay goes on")
	}

	// A day before the data: nothing recorded, and the way to the first day.
	before := get("?day=2024-01-01", "en")
	if before.status != 200 || !strings.Contains(before.body, "Nothing is recorded on this day") || !strings.Contains(before.body, `?day=2024-06-30#day" rel="next"`) {
		t.Errorf("a day without data: %d\n%s", before.status, before.body)
	}
	for _, q := range []string{"?day=yesterday", "?day=2025-02-30", "?day="} {
		if res := get(q, "en"); res.status != http.StatusBadRequest || !strings.Contains(res.body, "day=") {
			t.Errorf("%s: %d %s", q, res.status, res.body)
		}
	}

	// With a tile server, its tiles lie beneath and the policy lets the browser load them.
	ts.srv.cfg.MapTiles = "https://tile.example/{z}/{x}/{y}.png"
	tiled := get("", "en")
	csp := tiled.header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "img-src 'self' data: https://tile.example;") || !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("policy %q", csp)
	}
	if n := strings.Count(tiled.body, `<image href="https://tile.example/`); n < 4 || !strings.Contains(tiled.body, "tiles from tile.example") {
		t.Errorf("%d tiles", n)
	}
	wellFormed(t, tiled.body)
}

// TestMapPageEmpty: with no visit, the page says so and leads to the import page.
func TestMapPageEmpty(t *testing.T) {
	ts := newTestServer(t)
	d, _ := services.Lookup(services.Map)
	if _, err := ts.cons.Grant(bg, ts.alice.in.ID, d.ID, d.Doctypes, []string{"read"}, 0); err != nil {
		t.Fatal(err)
	}
	for _, lg := range []string{"en", "fr"} {
		res := ts.do(t, request{method: "GET", path: "/services/" + d.ID + "?lang=" + lg, as: "session:alice"})
		want := map[string]string{"en": "Your store holds no visit yet", "fr": "Votre espace ne contient encore aucune visite"}[lg]
		if res.status != 200 || !strings.Contains(res.body, want) || !strings.Contains(res.body, `href="/import"`) || strings.Contains(res.body, "<svg") {
			t.Errorf("%s: %d %s", lg, res.status, res.body)
		}
	}
}

// TestMapPageTraceOnly: a trace that never stops long anywhere is journeys without places:
// the page has no table of places but draws the day.
func TestMapPageTraceOnly(t *testing.T) {
	ts := newTestServer(t)
	d, _ := services.Lookup(services.Map)
	if _, err := ts.cons.Grant(bg, ts.alice.in.ID, d.ID, d.Doctypes, []string{"read"}, 0); err != nil {
		t.Fatal(err)
	}
	owner := gate.Owner(ts.alice.in.ID)
	err := ts.gate.Write(bg, owner, func(b *gate.Batch) error {
		var in []gate.Input
		for i, p := range []string{
			`{"start":"2025-03-04T07:00:00Z","lat":45.7589,"lon":4.8475}`,
			`{"start":"2025-03-04T07:02:00Z","lat":45.7609,"lon":4.8475}`,
			`{"start":"2025-03-04T07:04:00Z","lat":45.7629,"lon":4.8475}`,
		} {
			in = append(in, gate.Input{ID: fmt.Sprintf("p%d", i), Data: json.RawMessage(p)})
		}
		checked, err := ts.gate.Check("visit", in)
		if err != nil {
			return err
		}
		_, err = b.Create("visit", checked, owner.Source("", ts.gate))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	res := ts.do(t, request{method: "GET", path: "/services/" + d.ID + "?lang=en", as: "session:alice"})
	if res.status != 200 || strings.Contains(res.body, "The places you visit most") || !strings.Contains(res.body, "Tuesday 4 March 2025") ||
		!strings.Contains(res.body, "Journey from a place the trace does not show to a place the trace does not show") {
		t.Errorf("%d %s", res.status, res.body)
	}
	wellFormed(t, res.body)
}

func TestCheckMapTiles(t *testing.T) {
	tests := []struct {
		in, origin string
		ok         bool
	}{
		{"", "", true},
		{"https://tile.example/{z}/{x}/{y}.png", "https://tile.example", true},
		{"http://127.0.0.1:8090/tiles/{z}/{x}/{y}", "http://127.0.0.1:8090", true},
		{"https://tile.example/{z}/{x}.png", "", false},
		{"ftp://tile.example/{z}/{x}/{y}.png", "", false},
		{"javascript:alert(1)//{z}{x}{y}", "", false},
		{"https://user:pw@tile.example/{z}/{x}/{y}.png", "", false},
		{"/tiles/{z}/{x}/{y}.png", "", false},
	}
	for _, tt := range tests {
		origin, err := CheckMapTiles(tt.in)
		if origin != tt.origin || (err == nil) != tt.ok {
			t.Errorf("CheckMapTiles(%q) = %q, %v", tt.in, origin, err)
		}
	}
}

// BenchmarkMapPage renders the demo person's map page, a year of visits and three weeks of
// trace, through the whole handler.
func BenchmarkMapPage(b *testing.B) {
	ts := newTestServer(b)
	get := mapDemo(b, ts)
	for b.Loop() {
		if res := get("", "en"); res.status != 200 {
			b.Fatalf("status %d", res.status)
		}
	}
}
