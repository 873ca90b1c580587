package web

// This file renders "Mapping my life" (internal/services/places): the places the person visits
// most on an overview map and in a table, and one day's itinerary on a map with the same
// itinerary as a list. The maps are SVG drawn here from the service's sketches, so they need
// no script and no tile server; when the operator names one (Config.MapTiles), its tiles are
// laid beneath and the page's Content-Security-Policy lets the browser load them.

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/services"
	"selfdata/internal/services/places"
	"selfdata/internal/web/chart"
)

// mapRows is how many places the table and the overview show.
const mapRows = 10

// CheckMapTiles validates a tile server's address template (--map-tiles) and returns the
// origin the browser loads the tiles from; an empty template is no tile server.
func CheckMapTiles(template string) (origin string, err error) {
	if template == "" {
		return "", nil
	}
	for _, k := range []string{"{z}", "{x}", "{y}"} {
		if !strings.Contains(template, k) {
			return "", fmt.Errorf("%s has no %s: give an address such as https://tile.example/{z}/{x}/{y}.png", input.Excerpt(template), k)
		}
	}
	u, err := url.Parse(strings.NewReplacer("{z}", "0", "{x}", "0", "{y}", "0").Replace(template))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return "", fmt.Errorf("%s is not an http or https address such as https://tile.example/{z}/{x}/{y}.png", input.Excerpt(template))
	}
	return u.Scheme + "://" + u.Host, nil
}

// mapBadDay is the answer to a ?day= that is not a date.
func mapBadDay(day string) error {
	return errorf(http.StatusBadRequest, "The day %s is not a date: give it as YYYY-MM-DD (day=2025-06-29).", input.Excerpt(day))
}

// mapTileURL is the address of one tile.
func mapTileURL(template string, t places.Tile) string {
	return strings.NewReplacer("{z}", strconv.Itoa(t.Z), "{x}", strconv.Itoa(t.X), "{y}", strconv.Itoa(t.Y)).Replace(template)
}

// mapPage: GET /services/{id} for services.Map (?day=YYYY-MM-DD, default the last day with
// data).
func (s *Server) mapPage(w http.ResponseWriter, r *http.Request, _ gate.Principal, rd services.Reader) error {
	q := r.URL.Query()
	if _, ok := q["day"]; ok {
		if _, err := time.Parse(time.DateOnly, q.Get("day")); err != nil {
			return mapBadDay(q.Get("day")) // before anything is read
		}
	}
	origin, err := CheckMapTiles(s.cfg.MapTiles)
	if err != nil {
		return err // the flag was checked at start: a Config built in code is wrong
	}
	in, err := places.Load(r.Context(), rd)
	if err != nil {
		return err
	}
	life := places.Compute(in, displayZone())
	mw := mapWriter{s: s, lang: lang(r), life: life, tiles: s.cfg.MapTiles}
	v, err := mw.view(q.Get("day"))
	if err != nil {
		return err
	}
	if origin != "" {
		w.Header().Set("Content-Security-Policy", strings.Replace(contentPolicy(""), "img-src 'self' data:", "img-src 'self' data: "+origin, 1))
		v.TileNote = fmt.Sprintf(s.t(mw.lang, "map.tiles"), strings.TrimPrefix(strings.TrimPrefix(origin, "https://"), "http://"))
	}
	return s.render(w, r, http.StatusOK, "svc_map.html", page{Title: "svc." + services.Map, Data: v})
}

// mapView is the page.
type mapView struct {
	Empty      bool
	Period     string
	Unreadable string
	Overview   mapSVG
	Far        string
	Places     []mapPlaceRow
	More       string
	Day        mapDayView
	TileNote   string
}

type mapPlaceRow struct {
	N                                   int
	Name, Href, Category                string
	PerWeek, Total, Visits, First, Last string
}

type mapDayView struct {
	Date, Min, Max string // YYYY-MM-DD, for the date field
	Heading        string
	Prev, Next     string // links
	Empty          bool
	Summary        string
	Map            mapSVG
	Items          []mapItem
}

// mapItem is one line of the day's itinerary; N is the number of its place on the map.
type mapItem struct {
	Kind, Time, Text string
	N                int
}

// mapSVG is a sketch with every number written out, for the template "svc_map.svg".
type mapSVG struct {
	ID, Title, Desc string
	Width, Height   string
	Tiles           []mapTile
	GridX, GridY    []string
	Lines           []mapLine
	Markers         []mapMarker
	Bar             mapBar
}

type mapTile struct{ Href, X, Y, Size string }
type mapLine struct{ Points, Title string }
type mapMarker struct {
	X, Y, R, Title        string
	N                     string // "1", or "1,2" for places that share the marker
	Label, LX, LY, Anchor string
}
type mapBar struct{ X1, X2, Y, TextY, Label string }

// mapWriter turns the service's results into the page's words, in one language.
type mapWriter struct {
	s     *Server
	lang  string
	life  *places.Life
	tiles string
}

func (m mapWriter) t(key string, args ...any) string {
	if len(args) == 0 {
		return m.s.t(m.lang, key)
	}
	return fmt.Sprintf(m.s.t(m.lang, key), args...)
}

// count writes "1 visit", "2 visits" ("0 visite" in French, where zero is singular).
func (m mapWriter) count(n int, key string) string {
	form := ".other"
	if pluralForm(m.lang, int64(n)) == "one" {
		form = ".one"
	}
	return m.t(key+form, chart.Format(float64(n), 0, m.lang))
}

func (m mapWriter) view(day string) (mapView, error) {
	l := m.life
	v := mapView{Empty: len(l.Visits) == 0 && len(l.Journeys) == 0}
	if l.Unreadable > 0 {
		v.Unreadable = m.count(l.Unreadable, "map.unreadable")
	}
	if v.Empty {
		return v, nil
	}
	v.Period = m.t("map.period", formatDay(l.From, m.lang), formatDay(l.To.Add(-time.Nanosecond), m.lang),
		m.count(len(l.Visits), "map.visits"), m.count(len(l.Places), "map.nplaces"))
	if len(l.Places) > 0 { // a trace that never stops has journeys but no place
		v.Overview, v.Far = m.overview()
	}
	for i, p := range l.Places[:min(mapRows, len(l.Places))] {
		row := mapPlaceRow{N: i + 1, Name: m.name(i), PerWeek: m.perWeek(p.PerWeek), Total: m.total(p.Total),
			Visits: chart.Format(float64(p.Visits), 0, m.lang), First: formatDay(p.First, m.lang), Last: formatDay(p.Last, m.lang)}
		if p.KnownID != "" {
			row.Href = "/data/place/" + url.PathEscape(p.KnownID)
		}
		if p.Category != "" {
			row.Category = m.t("val." + p.Category)
		}
		v.Places = append(v.Places, row)
	}
	if n := len(l.Places) - mapRows; n > 0 {
		v.More = m.count(n, "map.more")
	}
	if day == "" {
		day = l.LastDay()
	}
	var err error
	v.Day, err = m.day(day)
	return v, err
}

// name is how the page calls place i.
func (m mapWriter) name(i int) string {
	if i < 0 {
		return m.t("map.somewhere")
	}
	if n := m.life.Places[i].Name; n != "" {
		return n
	}
	return m.t("map.unnamed")
}

// perWeek writes a weekly time: "105.3 h", "12 min", "under a minute".
func (m mapWriter) perWeek(d time.Duration) string {
	switch {
	case d >= time.Hour:
		return m.t("map.hours", chart.Format(d.Hours(), 1, m.lang))
	case d >= time.Minute:
		return m.t("map.minutes", int(d.Round(time.Minute)/time.Minute))
	}
	return m.t("map.lessmin")
}

// total writes a total time: "5,488 h" past two days, "9 h 55 min" below, "42 min" under an hour.
func (m mapWriter) total(d time.Duration) string {
	d = d.Round(time.Minute)
	switch {
	case d >= 48*time.Hour:
		return m.t("map.hours", chart.Format(d.Hours(), 0, m.lang))
	case d >= time.Hour:
		return m.t("map.hm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	case d >= time.Minute:
		return m.t("map.minutes", int(d/time.Minute))
	}
	return m.t("map.lessmin")
}

// distance writes metres: "850 m", "1.6 km", "512 km".
func (m mapWriter) distance(metres float64) string {
	switch {
	case metres < 1000:
		return m.t("map.m", int(metres/10+0.5)*10)
	case metres < 100_000:
		return m.t("map.km", chart.Format(metres/1000, 1, m.lang))
	}
	return m.t("map.km", chart.Format(metres/1000, 0, m.lang))
}

func mapClock(t time.Time) string { return t.In(displayZone()).Format("15:04") }

// overview is the map of the most frequent places and the sentence naming those left off.
func (m mapWriter) overview() (mapSVG, string) {
	l := m.life
	sk, far := l.Overview(mapRows)
	m.labels(&sk)
	sm := m.svg("map-overview", m.t("map.overview"), m.t("map.overview.desc", m.count(len(sk.Markers), "map.nplaces")), sk)
	for _, mk := range sk.Markers {
		sm.Markers = append(sm.Markers, m.marker(mk, func(i, n int) string {
			p := l.Places[i]
			return m.t("map.marker.place", n, m.name(i), m.perWeek(p.PerWeek), m.count(p.Visits, "map.visits"))
		}))
	}
	if len(far) == 0 {
		return sm, ""
	}
	var names []string
	for _, i := range far {
		names = append(names, fmt.Sprintf("%d. %s", i+1, m.name(i)))
	}
	return sm, m.t("map.far", strings.Join(names, ", "))
}

// day is the itinerary of one day.
func (m mapWriter) day(date string) (mapDayView, error) {
	l := m.life
	d, err := l.Day(date)
	if err != nil {
		return mapDayView{}, mapBadDay(date)
	}
	start := d.Start
	v := mapDayView{Date: d.Date, Min: l.Days[0], Max: l.LastDay(), Empty: len(d.Entries) == 0,
		Heading: m.t("map.day.heading", m.t("map.wd."+strconv.Itoa(int(start.Weekday()))), start.Day(), m.t("map.mo."+strconv.Itoa(int(start.Month()))), start.Year())}
	link := func(day string) string {
		if day == "" {
			return ""
		}
		return "/services/" + services.Map + "?day=" + day + "#day"
	}
	v.Prev, v.Next = link(d.Prev), link(d.Next)
	if v.Empty {
		return v, nil
	}
	number := map[int]int{} // place → its number on the day's map
	for i, p := range d.Places {
		number[p] = i + 1
	}
	stays := map[int][]string{} // place → its times of the day, for the marker's label
	var metres float64
	journeys := 0
	for _, e := range d.Entries {
		from, to := mapClock(e.From), mapClock(e.To)
		if e.To.Equal(d.End) {
			to = "24:00" // the day's end, not the next day's start
		}
		span := from + "–" + to
		if e.Visit >= 0 {
			vis := l.Visits[e.Visit]
			name := m.name(vis.Place)
			text := name + ", " + m.total(e.To.Sub(e.From))
			if !vis.End.After(vis.Start) {
				text, span = m.t("map.visit.instant", name), from
			}
			if e.Before {
				text += " (" + m.t("map.since") + ")"
			}
			if e.After {
				text += " (" + m.t("map.until") + ")"
			}
			stays[vis.Place] = append(stays[vis.Place], span)
			v.Items = append(v.Items, mapItem{Kind: "visit", Time: span, Text: text, N: number[vis.Place]})
			continue
		}
		j := l.Journeys[e.Journey]
		journeys++
		metres += j.Metres
		v.Items = append(v.Items, mapItem{Kind: "journey", Time: span,
			Text: m.t("map.journey", m.name(j.From), m.name(j.To), m.distance(j.Metres), m.total(j.Arrive.Sub(j.Depart)))})
	}
	v.Summary = m.t("map.day.summary", m.count(len(d.Places), "map.stops"), m.count(journeys, "map.journeys"), m.distance(metres))
	sk := l.DaySketch(d)
	m.labels(&sk)
	v.Map = m.svg("map-day", m.t("map.day.title", v.Heading), v.Summary, sk)
	for _, ln := range sk.Lines {
		j := l.Journeys[ln.Journey]
		pts := make([]string, len(ln.Points))
		for i, p := range ln.Points {
			pts[i] = mapNum(p.X) + "," + mapNum(p.Y)
		}
		v.Map.Lines = append(v.Map.Lines, mapLine{Points: strings.Join(pts, " "),
			Title: m.t("map.journey.line", mapClock(j.Depart), mapClock(j.Arrive), m.name(j.From), m.name(j.To), m.distance(j.Metres))})
	}
	for _, mk := range sk.Markers {
		v.Map.Markers = append(v.Map.Markers, m.marker(mk, func(p, n int) string {
			return m.t("map.marker.day", n, m.name(p), strings.Join(stays[p], ", "))
		}))
	}
	return v, nil
}

// svg writes out a sketch's frame: its size, tiles (if the operator named a server) and
// scale bar; the caller adds lines and markers with their labels.
func (m mapWriter) svg(id, title, desc string, sk places.Sketch) mapSVG {
	sm := mapSVG{ID: id, Title: title, Desc: desc, Width: mapNum(sk.Width), Height: mapNum(sk.Height)}
	if m.tiles != "" {
		for _, t := range sk.Tiles {
			sm.Tiles = append(sm.Tiles, mapTile{Href: mapTileURL(m.tiles, t), X: mapNum(t.Left), Y: mapNum(t.Top), Size: mapNum(t.Size)})
		}
	}
	if len(sm.Tiles) == 0 {
		for _, x := range sk.GridX {
			sm.GridX = append(sm.GridX, mapNum(x))
		}
		for _, y := range sk.GridY {
			sm.GridY = append(sm.GridY, mapNum(y))
		}
	}
	b := sk.Bar
	label := m.t("map.m", b.Metres)
	if b.Metres >= 1000 {
		label = m.t("map.km", chart.Format(float64(b.Metres)/1000, 0, m.lang))
	}
	sm.Bar = mapBar{X1: mapNum(b.X), X2: mapNum(b.X + b.Length), Y: mapNum(b.Y), TextY: mapNum(b.Y - 6), Label: label}
	return sm
}

// marker writes out a marker; title gives the label of each of its places by number.
func (m mapWriter) marker(mk places.Marker, title func(place, n int) string) mapMarker {
	ns, titles := make([]string, len(mk.Ns)), make([]string, len(mk.Ns))
	for i, n := range mk.Ns {
		ns[i], titles[i] = strconv.Itoa(n), title(mk.Places[i], n)
	}
	return mapMarker{X: mapNum(mk.X), Y: mapNum(mk.Y), R: mapNum(mk.R), N: strings.Join(ns, ","), Title: strings.Join(titles, "; "),
		Label: mk.Label, LX: mapNum(mk.LabelAt.X), LY: mapNum(mk.LabelAt.Y), Anchor: mk.Anchor}
}

// labels names the sketch's markers beside them, where there is room.
func (m mapWriter) labels(sk *places.Sketch) {
	names := make([]string, len(sk.Markers))
	for i, mk := range sk.Markers {
		var ns []string
		for _, p := range mk.Places {
			ns = append(ns, m.name(p))
		}
		names[i] = strings.Join(ns, " · ")
	}
	sk.Label(names)
}

// mapNum writes a drawing coordinate.
func mapNum(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
