package track

import (
	"encoding/xml"
	"io"
	"strings"

	"selfdata/internal/importer"
)

// The namespaces of GPX 1.1 and 1.0; a file that declares none is read too, as GPX tools
// did before 1.0 made the namespace required.
const (
	nsGPX11 = "http://www.topografix.com/GPX/1/1"
	nsGPX10 = "http://www.topografix.com/GPX/1/0"
)

func gpxNamespace(ns string) bool { return ns == nsGPX11 || ns == nsGPX10 || ns == "" }

// gpxRepeated are the GPX elements whose rank names them in a path: "gpx/trk[2]/trkseg[1]".
var gpxRepeated = map[string]bool{"trk": true, "rte": true, "wpt": true, "trkseg": true, "trkpt": true, "rtept": true}

// gpxParser holds the track and point being read.
type gpxParser struct {
	w     *walker
	file  File
	track *Track
	point *Point
}

// ParseGPX reads a GPX 1.1 or 1.0 file: its tracks and routes, in file order.
func ParseGPX(r io.Reader) (*File, error) {
	p := &gpxParser{w: newWalker(r, "GPX", gpxRepeated)}
	if err := p.w.walk(p.open, p.close); err != nil {
		return nil, err
	}
	return &p.file, nil
}

// open acts on a start tag; the walker has pushed it, so outer(1) is the element itself.
func (p *gpxParser) open(t *xml.StartElement) error {
	w := p.w
	switch {
	case w.depth() == 1:
		if t.Name.Local != "gpx" || !gpxNamespace(t.Name.Space) {
			return importer.Errorf(w.line, t.Name.Local, "the root element is not <gpx> of GPX 1.1 or 1.0: this is not a GPX file")
		}
	case w.depth() == 2 && (t.Name.Local == "trk" || t.Name.Local == "rte"):
		what := map[string]string{"trk": "track", "rte": "route"}[t.Name.Local]
		p.track = &Track{Line: w.line, Element: w.path(), What: what}
	case w.depth() == 2 && t.Name.Local == "wpt":
		p.file.Others++
	case p.track != nil && p.isPoint(t.Name.Local):
		return p.openPoint(t)
	}
	return nil
}

// isPoint tells a track's point (trk/trkseg/trkpt) or a route's (rte/rtept), just opened.
func (p *gpxParser) isPoint(name string) bool {
	w := p.w
	return (name == "trkpt" && w.depth() == 4 && w.outer(2) == "trkseg") ||
		(name == "rtept" && w.depth() == 3 && w.outer(2) == "rte")
}

func (p *gpxParser) openPoint(t *xml.StartElement) error {
	lat, okLat := attr(t, "lat")
	lon, okLon := attr(t, "lon")
	if !okLat || !okLon {
		return importer.Errorf(p.w.line, p.w.path(), "a point needs both a lat and a lon attribute")
	}
	y, x, err := position(lat, lon)
	if err != nil {
		return importer.Errorf(p.w.line, p.w.path(), "%v", err)
	}
	// the trkseg is the third open element; its first trkpt after earlier points breaks
	firstOfSegment := t.Name.Local == "trkpt" && p.w.stack[2].kids["trkpt"] == 1
	p.point = &Point{Lat: y, Lon: x, Break: firstOfSegment && len(p.track.Points) > 0}
	return nil
}

// close acts on an end tag; the walker has popped it, so outer(1) is its parent.
func (p *gpxParser) close(name, text string) error {
	w := p.w
	switch {
	case p.point != nil && w.depth() == p.pointDepth() && (name == "ele" || name == "time"):
		return p.pointValue(name, text)
	case p.point != nil && (name == "trkpt" || name == "rtept") && w.depth() == p.pointDepth()-1:
		p.track.Points = append(p.track.Points, *p.point)
		p.point = nil
	case p.track != nil && w.depth() == 2 && (name == "name" || name == "type"):
		if name == "name" {
			p.track.Name = strings.TrimSpace(text)
		} else {
			p.track.Type = strings.TrimSpace(text)
		}
	case p.track != nil && w.depth() == 1:
		p.file.Tracks = append(p.file.Tracks, *p.track)
		p.track = nil
	}
	return nil
}

// pointDepth is how many elements are open around a point's own children.
func (p *gpxParser) pointDepth() int {
	if p.track.What == "route" {
		return 3
	}
	return 4
}

// pointValue reads a point's <ele> or <time>; line is the closing tag's, near enough for
// the one-line elements they are. An empty one is as good as none.
func (p *gpxParser) pointValue(name, text string) error {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	at := p.w.path() + "/" + name
	if name == "ele" {
		v, err := number(text)
		if err != nil {
			return importer.Errorf(p.w.line, at, "%v", err)
		}
		p.point.Ele, p.point.HasEle = v, true
		return nil
	}
	s, err := instant(text)
	if err != nil {
		return importer.Errorf(p.w.line, at, "%v", err)
	}
	p.point.At = s
	return nil
}
