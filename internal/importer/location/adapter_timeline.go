package location

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// AdaptTimeline reads a 2024 on-device Timeline export: stays become visits and places,
// the places the person labelled home or work become places too, journeys and paths become
// journeys; raw signals and trip summaries are counted. It reads Android's object and the
// iPhone's array alike.
func AdaptTimeline(r io.Reader) (*importer.Result, error) {
	b := newBuilder(NameTimeline)
	rest, err := ParseTimeline(r, b.segment)
	if err != nil {
		return nil, err
	}
	for _, fp := range rest.FrequentPlaces {
		if err := b.frequentPlace(fp); err != nil {
			return nil, err
		}
	}
	b.skip(rest.RawSignals, "%d raw signal(s) (positions, Wi-Fi scans, activity records) not imported")
	return b.result(), nil
}

func (b *builder) segment(g Segment) error {
	if g.Activity != nil || len(g.TimelinePath) > 0 {
		if err := b.timelineJourney(g); err != nil {
			return err
		}
	}
	if g.TimelineMemory != nil {
		b.skip(1, "%d trip summary(ies) (timeline memories) not imported")
	}
	if g.Visit == nil {
		return nil
	}
	c := g.Visit.TopCandidate
	switch at := g.Path + ".visit"; {
	case c.PlaceLocation == "":
		b.leave(g.Line, at, "visit", importer.ReasonNoCoords, "visit without coordinates: left out")
		return nil
	case g.StartTime == "":
		b.leave(g.Line, at, "visit", importer.ReasonNoDate, "visit without a start time: left out")
		return nil
	}
	lat, lon, err := latLng(string(c.PlaceLocation))
	if err != nil {
		return importer.Errorf(g.Line, g.Path+".visit.topCandidate.placeLocation.latLng", "%v", err)
	}
	data, err := segmentTimes(g)
	if err != nil {
		return err
	}
	data["lat"], data["lon"] = lat.f, lon.f
	placeID := strings.TrimSpace(c.PlaceID)
	if placeID != "" {
		data["place"] = "place:" + placeID
		if err := b.place("place:"+placeID, newPlace("", "", category(c.SemanticType), lat.f, lon.f)); err != nil {
			return err
		}
	}
	for _, p := range []*Number{g.Visit.Probability, c.Probability} {
		if p != nil && *p >= 0 && *p <= 1 {
			data["confidence"] = float64(*p)
			break
		}
	}
	return b.add("visit", visitKey(placeID, data["start"].(string), lat.s, lon.s), data)
}

// segmentTimes reads start, end and the local offset, which the segment gives in minutes
// or, failing that, in its start time.
func segmentTimes(g Segment) (map[string]any, error) {
	start, tz, err := instant(g.StartTime)
	if err != nil {
		return nil, importer.Errorf(g.Line, g.Path+".startTime", "%v", err)
	}
	data := map[string]any{"start": start}
	if g.EndTime != "" {
		end, _, err := instant(g.EndTime)
		if err != nil {
			return nil, importer.Errorf(g.Line, g.Path+".endTime", "%v", err)
		}
		data["end"] = end
	}
	if m := g.StartTimeTimezoneUtcOffsetMinutes; m != nil {
		if *m < -18*60 || *m > 18*60 {
			return nil, importer.Errorf(g.Line, g.Path+".startTimeTimezoneUtcOffsetMinutes", "%d minutes is not a UTC offset", *m)
		}
		tz = offset(*m)
	}
	setIf(data, "tzOffset", tz)
	return data, nil
}

func (b *builder) frequentPlace(fp FrequentPlace) error {
	placeID := strings.TrimSpace(fp.PlaceID)
	switch {
	case placeID == "":
		b.leave(fp.Line, fp.Path, "place", importer.ReasonNoID, "frequent place without a place id: left out")
		return nil
	case fp.PlaceLocation == "":
		b.leave(fp.Line, fp.Path, "place", importer.ReasonNoCoords, "frequent place without a location: left out")
		return nil
	}
	lat, lon, err := latLng(fp.PlaceLocation)
	if err != nil {
		return importer.Errorf(fp.Line, fp.Path+".placeLocation", "%v", err)
	}
	return b.place("place:"+placeID, newPlace("", "", category(fp.Label), lat.f, lon.f))
}

// latLng reads "48.8566°, 2.3522°" (or without the degree signs), or the iPhone's
// "geo:48.8566,2.3522".
func latLng(s string) (lat, lon coord, err error) {
	a, o, ok := strings.Cut(strings.TrimPrefix(strings.ReplaceAll(s, "°", ""), "geo:"), ",")
	if ok {
		lat, err = degrees(a, 90)
		if err == nil {
			lon, err = degrees(o, 180)
		}
	}
	if !ok || err != nil {
		return coord{}, coord{}, fmt.Errorf("%s is not a latitude and longitude (\"48.8566°, 2.3522°\")", input.Excerpt(s))
	}
	return lat, lon, nil
}

func degrees(s string, limit float64) (coord, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.Abs(f) > limit {
		return coord{}, fmt.Errorf("bad coordinate %s", input.Excerpt(s))
	}
	return coord{f, strconv.FormatFloat(f, 'f', -1, 64)}, nil
}

// offset writes minutes east of UTC as "+02:00".
func offset(minutes int) string {
	sign := "+"
	if minutes < 0 {
		sign, minutes = "-", -minutes
	}
	return fmt.Sprintf("%s%02d:%02d", sign, minutes/60, minutes%60)
}
