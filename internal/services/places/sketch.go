package places

import "math"

// A sketch is a map worked out to the last coordinate, in the units of an SVG viewBox, so that
// the page only writes elements out: where each place's marker goes and how big it is, the
// journeys' lines, a scale bar, and the tiles that would lie beneath.

// The drawing's size, in viewBox units: 3:2 fits a phone held upright as well as a desktop,
// and at 480 units across, 14-unit text stays readable when a phone shows it 350 px wide.
const (
	SketchWidth  = 480.0
	SketchHeight = 320.0
	sketchPad    = 28.0   // room for the markers at the edges
	minSpan      = 600.0  // metres: a day spent at one place still shows its street
	maxTiles     = 30     // a drawing needs about 12; more means a zoom gone wrong
	FarAway      = 50_000 // metres from the most frequent place beyond which the overview leaves a place out
	dayMarker    = 11.0   // the radius of a day map's markers
)

// XY is a point of the drawing.
type XY struct{ X, Y float64 }

// Marker is a place on the drawing, and N the number written in it. On a day's map, places
// too close to be told apart at its scale (home and the station, on the day of a train to
// Barcelona) share one marker: Places and Ns hold them all, Place and N the first. Label,
// when Label placed one, is the text beside it, anchored at LabelAt to its "start" or "end".
type Marker struct {
	XY
	R        float64
	Place, N int
	Places   []int
	Ns       []int
	Label    string
	LabelAt  XY
	Anchor   string
}

// Line is a journey on the drawing.
type Line struct {
	Journey int
	Points  []XY
}

// Bar is the scale bar: Length units stand for Metres.
type Bar struct {
	XY
	Length float64
	Metres int
}

// Sketch is a map ready to write out.
type Sketch struct {
	Width, Height float64
	Markers       []Marker
	Lines         []Line
	Bar           Bar
	// GridX and GridY are the lines of a grid whose squares are the scale bar's length, for a
	// drawing without tiles: a sense of distance where there is no street to give one.
	GridX, GridY []float64
	Tiles        []Tile // the tiles that cover it, drawn only where the operator named a tile server
}

// sketch fits the frame around pts and gives the scale bar and the tiles.
func sketch(pts []LatLon) (Sketch, Frame) {
	f := Fit(pts, SketchWidth, SketchHeight, sketchPad, minSpan)
	s := Sketch{Width: SketchWidth, Height: SketchHeight, Tiles: f.Tiles(maxTiles)}
	units, metres := f.ScaleBar(SketchWidth / 4)
	s.Bar = Bar{XY: XY{12, SketchHeight - 14}, Length: units, Metres: metres}
	for x := units; x < SketchWidth; x += units {
		s.GridX = append(s.GridX, x)
	}
	for y := units; y < SketchHeight; y += units {
		s.GridY = append(s.GridY, y)
	}
	return s, f
}

func drawn(f Frame, p LatLon) XY {
	x, y := f.XY(p)
	return XY{x, y}
}

// DaySketch draws d: its places numbered in the order first met, and its journeys.
func (l *Life) DaySketch(d Day) Sketch {
	var pts []LatLon
	for _, p := range d.Places {
		pts = append(pts, l.Places[p].At)
	}
	for _, e := range d.Entries {
		if e.Journey >= 0 {
			pts = append(pts, l.Journeys[e.Journey].Path...)
		}
	}
	s, f := sketch(pts)
	for _, e := range d.Entries {
		if e.Journey < 0 {
			continue
		}
		ln := Line{Journey: e.Journey}
		for _, p := range l.Journeys[e.Journey].Path {
			ln.Points = append(ln.Points, drawn(f, p))
		}
		s.Lines = append(s.Lines, ln)
	}
	for i, p := range d.Places {
		at := drawn(f, l.Places[p].At)
		shared := false
		for k := range s.Markers {
			m := &s.Markers[k]
			if math.Hypot(m.X-at.X, m.Y-at.Y) < 2*dayMarker {
				m.Places, m.Ns = append(m.Places, p), append(m.Ns, i+1)
				m.R = dayMarker + 4*float64(len(m.Ns)-1) // room for "1,2" in the circle
				shared = true
				break
			}
		}
		if !shared {
			s.Markers = append(s.Markers, Marker{XY: at, R: dayMarker, Place: p, N: i + 1, Places: []int{p}, Ns: []int{i + 1}})
		}
	}
	return s
}

// Overview draws the most frequent places, at most n, numbered by rank and sized by the time
// spent there. Those further than FarAway from the first are left off (a holiday would shrink
// the town to a dot) and listed in far.
func (l *Life) Overview(n int) (s Sketch, far []int) {
	var shown []int
	var pts []LatLon
	for i := range min(n, len(l.Places)) {
		if i > 0 && Distance(l.Places[0].At, l.Places[i].At) > FarAway {
			far = append(far, i)
			continue
		}
		shown = append(shown, i)
		pts = append(pts, l.Places[i].At)
	}
	s, f := sketch(pts)
	if len(shown) == 0 {
		return s, far
	}
	top := l.Places[0].Total.Seconds()
	// In rank order: the largest marker first, the smaller ones over it, so none hides another.
	for _, i := range shown {
		r := 8.0
		if top > 0 {
			r += 8 * math.Sqrt(l.Places[i].Total.Seconds()/top)
		}
		s.Markers = append(s.Markers, Marker{XY: drawn(f, l.Places[i].At), R: r, Place: i, N: i + 1, Places: []int{i}, Ns: []int{i + 1}})
	}
	return s, far
}

// Label sizes, in drawing units, for a 14-unit system font (10 px on a phone): an average
// character is about 0.55 em wide, and a name longer than labelChars is cut.
const (
	labelSize  = 14.0
	labelChar  = 7.7
	labelChars = 28
)

// box is a rectangle of the drawing.
type box struct{ x0, y0, x1, y1 float64 }

func (a box) overlaps(b box) bool { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 }

// Label writes texts[i] beside Markers[i], in marker order (the most important first): to
// the right of the marker, else to its left, else above or below, wherever it overlaps no
// marker, line, label already placed or the scale bar, and stays inside the drawing. A marker
// whose label fits nowhere keeps its number only; the page lists every place anyway.
func (s *Sketch) Label(texts []string) {
	var taken []box
	for _, m := range s.Markers {
		taken = append(taken, box{m.X - m.R, m.Y - m.R, m.X + m.R, m.Y + m.R})
	}
	for _, ln := range s.Lines {
		for i := 1; i < len(ln.Points); i++ {
			a, b := ln.Points[i-1], ln.Points[i]
			n := math.Ceil(math.Hypot(b.X-a.X, b.Y-a.Y) / 6)
			for k := 0.0; k <= n; k++ {
				x, y := a.X+(b.X-a.X)*k/max(n, 1), a.Y+(b.Y-a.Y)*k/max(n, 1)
				taken = append(taken, box{x - 3, y - 3, x + 3, y + 3})
			}
		}
	}
	taken = append(taken, box{s.Bar.X - 2, s.Bar.Y - labelSize - 8, s.Bar.X + s.Bar.Length + 2, s.Bar.Y + 4})
	for i := range s.Markers {
		if i >= len(texts) || texts[i] == "" {
			continue
		}
		m := &s.Markers[i]
		text := []rune(texts[i])
		if len(text) > labelChars {
			text = append(text[:labelChars-1], '…')
		}
		w, h := float64(len(text))*labelChar, labelSize
		base := m.Y + h*0.35 // the baseline that centres the text on the marker
		for _, c := range []struct {
			at     XY
			anchor string
			b      box
		}{
			{XY{m.X + m.R + 4, base}, "start", box{m.X + m.R + 2, m.Y - h/2, m.X + m.R + 6 + w, m.Y + h/2}},
			{XY{m.X - m.R - 4, base}, "end", box{m.X - m.R - 6 - w, m.Y - h/2, m.X - m.R - 2, m.Y + h/2}},
			{XY{m.X - w/2, m.Y - m.R - 5}, "start", box{m.X - w/2, m.Y - m.R - 4 - h, m.X + w/2, m.Y - m.R - 2}},
			{XY{m.X - w/2, m.Y + m.R + 4 + h*0.8}, "start", box{m.X - w/2, m.Y + m.R + 2, m.X + w/2, m.Y + m.R + 4 + h}},
		} {
			inside := c.b.x0 >= 2 && c.b.y0 >= 2 && c.b.x1 <= s.Width-2 && c.b.y1 <= s.Height-2
			free := inside
			for _, t := range taken {
				free = free && !c.b.overlaps(t)
			}
			if free {
				m.Label, m.LabelAt, m.Anchor = string(text), c.at, c.anchor
				taken = append(taken, c.b)
				break
			}
		}
	}
}
