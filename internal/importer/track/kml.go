package track

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// kmlNamespace tells the namespaces of KML: OGC's 2.2 (and later), Google Earth's older
// ones, and none, as some converters write it.
func kmlNamespace(ns string) bool {
	return ns == "" || strings.HasPrefix(ns, "http://www.opengis.net/kml/") || strings.HasPrefix(ns, "http://earth.google.com/kml/")
}

// kmlRepeated are the KML elements whose rank names them in a path.
var kmlRepeated = map[string]bool{"Document": true, "Folder": true, "Placemark": true, "LineString": true, "Track": true}

// geometry is the line or gx:Track being read inside a Placemark.
type geometry struct {
	at       string  // its path, for messages
	absolute bool    // altitudeMode absolute: its altitudes are heights above sea level
	whens    []stamp // a gx:Track's times, in order
	coords   []Point // a gx:Track's positions, in order
}

// kmlParser holds the Placemark and the geometry being read.
type kmlParser struct {
	w     *walker
	file  File
	mark  *Track
	depth int  // how many elements are open inside the Placemark's own
	lines bool // the Placemark has a line or a track
	other bool // the Placemark has a point or a polygon
	geo   *geometry
}

// ParseKML reads a KML file: the lines and tracks of its Placemarks, in file order.
func ParseKML(r io.Reader) (*File, error) {
	p := &kmlParser{w: newWalker(r, "KML", kmlRepeated)}
	if err := p.w.walk(p.open, p.close); err != nil {
		return nil, err
	}
	return &p.file, nil
}

// open acts on a start tag; outer(1) is the element itself.
func (p *kmlParser) open(t *xml.StartElement) error {
	w, name := p.w, t.Name.Local
	switch {
	case w.depth() == 1:
		if name != "kml" || !kmlNamespace(t.Name.Space) {
			return importer.Errorf(w.line, name, "the root element is not <kml> of KML 2.2: this is not a KML file")
		}
	case p.mark == nil && name == "Placemark":
		p.mark, p.depth, p.lines, p.other = &Track{Line: w.line, Element: w.path(), What: "placemark"}, w.depth(), false, false
	case p.mark == nil:
	case name == "LineString" || (name == "Track" && p.geo == nil):
		p.geo, p.lines = &geometry{at: w.path()}, true
	case name == "Point" || name == "Polygon":
		p.other = true
	}
	return nil
}

// close acts on an end tag; outer(1) is its parent.
func (p *kmlParser) close(name, text string) error {
	if p.mark == nil {
		return nil
	}
	w, in := p.w, p.w.outer(1)
	switch {
	case w.depth() < p.depth: // the Placemark itself
		p.endPlacemark()
	case name == "name" && w.depth() == p.depth:
		p.mark.Name = strings.TrimSpace(text)
	case (in == "TimeSpan" || in == "TimeStamp") && w.depth() == p.depth+1:
		return p.span(name, text)
	case p.geo == nil:
	case name == "altitudeMode" && (in == "LineString" || in == "Track"):
		p.geo.absolute = strings.TrimSpace(text) == "absolute"
	case name == "coordinates" && in == "LineString":
		return p.coordinates(text)
	case name == "when" && in == "Track":
		return p.when(text)
	case name == "coord" && in == "Track":
		return p.coord(text)
	case name == "Track":
		return p.endTrack()
	case name == "LineString":
		p.geo = nil
	}
	return nil
}

func (p *kmlParser) endPlacemark() {
	switch {
	case p.lines:
		p.file.Tracks = append(p.file.Tracks, *p.mark)
	case p.other:
		p.file.Others++
	}
	p.mark, p.geo = nil, nil
}

// span reads the Placemark's TimeSpan begin and end, or its TimeStamp when.
func (p *kmlParser) span(name, text string) error {
	if name != "begin" && name != "end" && name != "when" {
		return nil
	}
	s, err := instant(text)
	if err != nil {
		return importer.Errorf(p.w.line, p.w.path()+"/"+name, "%v", err)
	}
	if name == "end" {
		p.mark.End = s
	} else {
		p.mark.Begin = s
	}
	return nil
}

// coordinates reads a LineString's "lon,lat[,alt]" tuples, separated by whitespace. A
// wrong tuple is located on its own line, counted back from the closing tag.
func (p *kmlParser) coordinates(text string) error {
	for i, f := range fields(text) {
		parts := strings.Split(f.text, ",")
		if len(parts) < 2 || len(parts) > 3 {
			return p.tupleError(text, f, "tuple %d, %s, is not lon,lat or lon,lat,alt", i+1, input.Excerpt(f.text))
		}
		pt, err := p.point(parts)
		if err != nil {
			return p.tupleError(text, f, "tuple %d: %v", i+1, err)
		}
		p.add(pt, i == 0)
	}
	return nil
}

// tupleError locates a problem in a coordinates text: the closing tag's line, less the
// line breaks after the tuple.
func (p *kmlParser) tupleError(text string, f field, format string, args ...any) error {
	line := p.w.line - strings.Count(text[f.at:], "\n")
	return importer.Errorf(line, p.w.path()+"/coordinates", format, args...)
}

// point reads lon, lat and, when the geometry's altitudes are heights, alt.
func (p *kmlParser) point(parts []string) (Point, error) {
	lat, lon, err := position(parts[1], parts[0])
	if err != nil {
		return Point{}, err
	}
	pt := Point{Lat: lat, Lon: lon}
	if len(parts) == 3 && p.geo.absolute {
		if pt.Ele, err = number(parts[2]); err != nil {
			return Point{}, fmt.Errorf("altitude: %w", err)
		}
		pt.HasEle = true
	}
	return pt, nil
}

// add appends a point to the Placemark; the first of each geometry after the first breaks
// the way, the lines of a MultiGeometry being apart.
func (p *kmlParser) add(pt Point, first bool) {
	pt.Break = first && len(p.mark.Points) > 0
	p.mark.Points = append(p.mark.Points, pt)
}

func (p *kmlParser) when(text string) error {
	s, err := instant(text)
	if err != nil {
		return importer.Errorf(p.w.line, p.w.path()+"/when", "%v", err)
	}
	p.geo.whens = append(p.geo.whens, s)
	return nil
}

// coord reads a gx:coord, "lon lat alt" separated by spaces.
func (p *kmlParser) coord(text string) error {
	parts := strings.Fields(text)
	if len(parts) < 2 || len(parts) > 3 {
		return importer.Errorf(p.w.line, p.w.path()+"/coord", "%s is not \"lon lat alt\"", input.Excerpt(text))
	}
	pt, err := p.point(parts)
	if err != nil {
		return importer.Errorf(p.w.line, p.w.path()+"/coord", "%v", err)
	}
	p.geo.coords = append(p.geo.coords, pt)
	return nil
}

// endTrack pairs a gx:Track's times with its positions: KML gives one <when> per
// <gx:coord>, in order, or none at all.
func (p *kmlParser) endTrack() error {
	g := p.geo
	p.geo = nil
	if len(g.whens) > 0 && len(g.whens) != len(g.coords) {
		return importer.Errorf(p.w.line, g.at, "%d <when> for %d <gx:coord>: a track gives each position its time", len(g.whens), len(g.coords))
	}
	for i, pt := range g.coords {
		if len(g.whens) > 0 {
			pt.At = g.whens[i]
		}
		p.add(pt, i == 0)
	}
	return nil
}

// field is one whitespace-separated word of a text and its byte offset.
type field struct {
	text string
	at   int
}

// fields splits s at whitespace like strings.Fields, keeping where each word starts.
func fields(s string) []field {
	var out []field
	start := -1
	for i := 0; i <= len(s); i++ {
		space := i == len(s) || s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'
		switch {
		case space && start >= 0:
			out = append(out, field{s[start:i], start})
			start = -1
		case !space && start < 0:
			start = i
		}
	}
	return out
}
