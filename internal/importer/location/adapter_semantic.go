package location

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"selfdata/internal/importer"
)

// AdaptSemantic reads a Semantic Location History file: each stay becomes a visit and its
// place a place record, each journey (activity segment) a journey.
func AdaptSemantic(r io.Reader) (*importer.Result, error) {
	b := newBuilder(NameSemantic)
	err := ParseSemantic(r, func(o TimelineObject) error {
		if o.ActivitySegment != nil {
			if err := b.activitySegment(*o.ActivitySegment, o.Source); err != nil {
				return err
			}
		}
		if o.PlaceVisit != nil {
			return b.placeVisit(*o.PlaceVisit, o.Source, o.Source.Path+".placeVisit", 0)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return b.result(), nil
}

// maxChildDepth is how deep child visits are read: nesting is one level in real files.
const maxChildDepth = 4

// placeVisit adds a stay, its place, and the stays inside it (childVisits); at is where
// the stay is in the file, for a stay left out.
func (b *builder) placeVisit(v PlaceVisit, src Source, at string, depth int) error {
	loc := v.Location
	if loc.LatitudeE7 == nil || loc.LongitudeE7 == nil {
		b.leave(src.Line, at, "visit", importer.ReasonNoCoords, "visit without coordinates: left out")
		return nil
	}
	lat, lon, err := e7(*loc.LatitudeE7, *loc.LongitudeE7)
	if err != nil {
		return importer.Errorf(src.Line, src.Path+".placeVisit.location", "%v", err)
	}
	start, end, tz, err := stay(v.Duration)
	if err != nil {
		return importer.Errorf(src.Line, src.Path+".placeVisit.duration", "%v", err)
	}
	if start == "" {
		b.leave(src.Line, at, "visit", importer.ReasonNoDate, "visit without a start time: left out")
		return nil
	}
	placeID := strings.TrimSpace(loc.PlaceID)
	data := map[string]any{"start": start, "lat": lat.f, "lon": lon.f}
	if placeID != "" {
		data["place"] = "place:" + placeID
		p := newPlace(loc.Name, loc.Address, category(loc.SemanticType), lat.f, lon.f)
		if err := b.place("place:"+placeID, p); err != nil {
			return err
		}
	}
	setIf(data, "end", end)
	setIf(data, "tzOffset", tz)
	setIf(data, "name", loc.Name)
	if c := v.VisitConfidence; c != nil && *c >= 0 && *c <= 100 {
		data["confidence"] = *c / 100
	}
	if err := b.add("visit", visitKey(placeID, start, lat.s, lon.s), data); err != nil {
		return err
	}
	for i, child := range v.ChildVisits {
		childAt := fmt.Sprintf("%s.childVisits[%d]", at, i)
		if depth >= maxChildDepth {
			b.leave(src.Line, childAt, "visit", importer.ReasonTooDeep, fmt.Sprintf("visit nested more than %d levels deep: left out", maxChildDepth), strconv.Itoa(maxChildDepth))
			continue
		}
		if err := b.placeVisit(child, src, childAt, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// stay reads a duration in either of its two spellings.
func stay(d Duration) (start, end, tz string, err error) {
	read := func(iso, ms string) (string, string, error) {
		if iso != "" {
			return instant(iso)
		}
		return millis(ms)
	}
	if start, tz, err = read(d.StartTimestamp, d.StartTimestampMs); err != nil {
		return "", "", "", err
	}
	if end, _, err = read(d.EndTimestamp, d.EndTimestampMs); err != nil {
		return "", "", "", err
	}
	return start, end, tz, nil
}

// visitKey identifies a stay by its place and start, or by where and when without a place.
func visitKey(placeID, start, lat, lon string) string {
	if placeID != "" {
		return placeID + "@" + start
	}
	return start + "," + lat + "," + lon
}

// category maps Google's semantic types (TYPE_HOME, INFERRED_WORK, HOME...) to the place
// doctype's categories.
func category(semanticType string) string {
	switch t := strings.ToUpper(semanticType); {
	case strings.Contains(t, "HOME"):
		return "home"
	case strings.Contains(t, "WORK"):
		return "work"
	}
	return "other"
}
