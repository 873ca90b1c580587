package location

import (
	"fmt"
	"math"
	"strings"
	"time"

	"selfdata/internal/importer"
)

// journeyNoStart is the text of a journey left out for having no start time.
const journeyNoStart = "journey without a start time: left out"

// activitySegment adds a Semantic Location History journey, and the places it leaves and
// reaches when the file names them. Key "<start>/<end>": one person makes one journey at a
// time, so its interval identifies it, and importing the file again adds nothing.
func (b *builder) activitySegment(a ActivitySegment, src Source) error {
	at := src.Path + ".activitySegment"
	start, end, tz, err := stay(a.Duration)
	if err != nil {
		return importer.Errorf(src.Line, at+".duration", "%v", err)
	}
	if start == "" {
		b.leave(src.Line, at, "journey", importer.ReasonNoDate, journeyNoStart)
		return nil
	}
	data := map[string]any{"start": start}
	setIf(data, "end", end)
	setIf(data, "tzOffset", tz)
	path, err := semanticPath(a)
	if err != nil {
		return importer.Errorf(src.Line, at+".waypointPath", "%v", err)
	}
	if err := b.semanticEnd(data, "start", a.StartLocation, first(path), src.Line, at+".startLocation"); err != nil {
		return err
	}
	if err := b.semanticEnd(data, "end", a.EndLocation, last(path), src.Line, at+".endLocation"); err != nil {
		return err
	}
	mode := a.ActivityType
	if mode == "" {
		mode = a.WaypointPath.TravelMode
	}
	if mode == "" && len(a.Activities) > 0 {
		mode = a.Activities[0].ActivityType
	}
	setIf(data, "mode", journeyMode(mode))
	for _, d := range []*float64{a.Distance, a.WaypointPath.DistanceMeters} {
		if d != nil && *d >= 0 && !math.IsInf(*d, 0) {
			data["distanceMeters"] = *d
			break
		}
	}
	if len(path) > 0 {
		data["path"] = path
	}
	return b.add("journey", start+"/"+end, data)
}

// semanticEnd sets the start or end of a journey (prefix "start" or "end") from the
// location the file gives, adding its place when it names one, or else from the first or
// last point of the path.
func (b *builder) semanticEnd(data map[string]any, prefix string, loc SemanticLocation, fallback map[string]any, line int, path string) error {
	if loc.LatitudeE7 == nil || loc.LongitudeE7 == nil {
		if fallback != nil {
			data[prefix+"Lat"], data[prefix+"Lon"] = fallback["lat"], fallback["lon"]
		}
		return nil
	}
	lat, lon, err := e7(*loc.LatitudeE7, *loc.LongitudeE7)
	if err != nil {
		return importer.Errorf(line, path, "%v", err)
	}
	data[prefix+"Lat"], data[prefix+"Lon"] = lat.f, lon.f
	id := strings.TrimSpace(loc.PlaceID)
	if id == "" {
		return nil
	}
	data[prefix+"Place"] = "place:" + id
	return b.place("place:"+id, newPlace(loc.Name, loc.Address, category(loc.SemanticType), lat.f, lon.f))
}

// semanticPath is the journey's way: its waypoints, or else its raw path, which has times.
func semanticPath(a ActivitySegment) ([]any, error) {
	points := a.WaypointPath.Waypoints
	if len(points) == 0 {
		points = a.SimplifiedRawPath.Points
	}
	var out []any
	for _, p := range points {
		if p.LatE7 == nil || p.LngE7 == nil {
			continue
		}
		lat, lon, err := e7(*p.LatE7, *p.LngE7)
		if err != nil {
			return nil, err
		}
		pt := map[string]any{"lat": lat.f, "lon": lon.f}
		at, _, err := pointTime(Point{Timestamp: p.Timestamp, TimestampMs: p.TimestampMs})
		if err != nil {
			return nil, err
		}
		setIf(pt, "at", at)
		out = append(out, pt)
	}
	return out, nil
}

// timelineJourney adds a 2024 Timeline journey: an activity, with its ends, way and
// distance, or a timelinePath alone, the points the phone recorded between two stays (a
// journey without a mode, key "path <start>/<end>" so that it never takes an activity's).
func (b *builder) timelineJourney(g Segment) error {
	if g.StartTime == "" {
		b.leave(g.Line, g.Path, "journey", importer.ReasonNoDate, journeyNoStart)
		return nil
	}
	data, err := segmentTimes(g)
	if err != nil {
		return err
	}
	start := data["start"].(string)
	path, err := timelinePath(g, start)
	if err != nil {
		return err
	}
	key := start + "/" + str(data["end"])
	var from, to LatLng
	if a := g.Activity; a != nil {
		from, to = a.Start, a.End
		setIf(data, "mode", journeyMode(a.TopCandidate.Type))
		if d := a.DistanceMeters; d != nil && *d >= 0 && !math.IsInf(float64(*d), 0) {
			data["distanceMeters"] = float64(*d)
		}
	} else {
		key = "path " + key
	}
	for _, end := range []struct {
		prefix, field string
		at            LatLng
		fallback      map[string]any
	}{{"start", ".activity.start", from, first(path)}, {"end", ".activity.end", to, last(path)}} {
		if end.at != "" {
			lat, lon, err := latLng(string(end.at))
			if err != nil {
				return importer.Errorf(g.Line, g.Path+end.field, "%v", err)
			}
			data[end.prefix+"Lat"], data[end.prefix+"Lon"] = lat.f, lon.f
		} else if end.fallback != nil {
			data[end.prefix+"Lat"], data[end.prefix+"Lon"] = end.fallback["lat"], end.fallback["lon"]
		}
	}
	if len(path) > 0 {
		data["path"] = path
	}
	return b.add("journey", key, data)
}

// timelinePath reads a segment's path points, with their time when the file gives it, or
// the minutes after the segment's start the iPhone writes instead.
func timelinePath(g Segment, start string) ([]any, error) {
	t0, _ := time.Parse(time.RFC3339Nano, start)
	var out []any
	for i, p := range g.TimelinePath {
		where := fmt.Sprintf("%s.timelinePath[%d]", g.Path, i)
		if p.Point == "" {
			continue
		}
		lat, lon, err := latLng(string(p.Point))
		if err != nil {
			return nil, importer.Errorf(g.Line, where+".point", "%v", err)
		}
		pt := map[string]any{"lat": lat.f, "lon": lon.f}
		switch m := p.DurationMinutesOffsetFromStartTime; {
		case p.Time != "":
			at, _, err := instant(p.Time)
			if err != nil {
				return nil, importer.Errorf(g.Line, where+".time", "%v", err)
			}
			pt["at"] = at
		case m != nil && *m >= 0 && *m <= 60*24*366:
			pt["at"] = t0.Add(time.Duration(float64(*m) * float64(time.Minute))).UTC().Format(time.RFC3339Nano)
		}
		out = append(out, pt)
	}
	return out, nil
}

func first(path []any) map[string]any {
	if len(path) == 0 {
		return nil
	}
	return path[0].(map[string]any)
}

func last(path []any) map[string]any {
	if len(path) == 0 {
		return nil
	}
	return path[len(path)-1].(map[string]any)
}

// journeyMode maps Google's ways of travel (activity types such as IN_BUS, the iPhone's
// "in bus", travel modes such as WALK) to the journey doctype's modes; "" when Google does
// not know, so that the mode is left out rather than guessed.
func journeyMode(t string) string {
	switch strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(t), " ", "_")) {
	case "", "UNKNOWN", "UNKNOWN_ACTIVITY_TYPE", "STILL":
		return ""
	case "WALKING", "WALK", "ON_FOOT", "HIKING", "WALKING_NORDIC":
		return "walking"
	case "RUNNING":
		return "running"
	case "CYCLING", "BICYCLE", "ON_BICYCLE":
		return "cycling"
	case "IN_BUS", "BUS":
		return "bus"
	case "IN_TRAIN", "TRAIN":
		return "train"
	case "IN_SUBWAY", "SUBWAY":
		return "subway"
	case "IN_TRAM", "TRAM":
		return "tram"
	case "IN_PASSENGER_VEHICLE", "IN_VEHICLE", "IN_CAR", "IN_TAXI", "DRIVING", "DRIVE":
		return "driving"
	case "MOTORCYCLING":
		return "motorcycling"
	case "IN_FERRY", "FERRY", "SAILING", "BOATING":
		return "ferry"
	case "FLYING":
		return "flying"
	}
	return "other"
}
