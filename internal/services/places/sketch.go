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
)

// XY is a point of the drawing.
type XY struct{ X, Y float64 }

// Marker is a place on the drawing; N is the number written in it.
type Marker struct {
	XY
	R        float64
	Place, N int
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
	Tiles         []Tile // the tiles that cover it, drawn only where the operator named a tile server
}

// sketch fits the frame around pts and gives the scale bar and the tiles.
func sketch(pts []LatLon) (Sketch, Frame) {
	f := Fit(pts, SketchWidth, SketchHeight, sketchPad, minSpan)
	s := Sketch{Width: SketchWidth, Height: SketchHeight, Tiles: f.Tiles(maxTiles)}
	units, metres := f.ScaleBar(SketchWidth / 4)
	s.Bar = Bar{XY: XY{12, SketchHeight - 14}, Length: units, Metres: metres}
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
		s.Markers = append(s.Markers, Marker{XY: drawn(f, l.Places[p].At), R: 11, Place: p, N: i + 1})
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
			r += 10 * math.Sqrt(l.Places[i].Total.Seconds()/top)
		}
		s.Markers = append(s.Markers, Marker{XY: drawn(f, l.Places[i].At), R: r, Place: i, N: i + 1})
	}
	return s, far
}
