package track

import (
	"fmt"
	"math"
	"strings"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// MaxPathPoints bounds a journey's path. A watch recording every second writes 3,600
// points an hour, and a 100,000-point track would make a document of megabytes that every
// page and map reading the journey carries; 2,000 points draw any outing on a screen.
// The distance is measured on every point before the path is thinned.
const MaxPathPoints = 2000

// Adapt turns a file's tracks into journeys, in file order. A track without points adds
// nothing; one without any time is left out, and listed.
func Adapt(format string, f *File) *importer.Result {
	res := &importer.Result{Format: format}
	var keys importer.Keys
	empty, thinned := 0, 0
	for _, t := range f.Tracks {
		if len(t.Points) == 0 {
			empty++
			continue
		}
		data, ok := journey(t)
		if !ok {
			res.Skipped++
			res.Leave(importer.LeftOut{Line: t.Line, Element: t.Element, Kind: "journey", Reason: importer.ReasonNoDate,
				Text: fmt.Sprintf("%s %s has no time: a journey needs the time it started, and the file gives none", t.What, label(t))})
			continue
		}
		if len(t.Points) > MaxPathPoints {
			thinned++
		}
		key := "track " + data["start"].(string) + "/" + str(data["end"])
		res.Records = append(res.Records, importer.Record{Doctype: "journey", Key: keys.Unique(key), Data: data})
	}
	keys.Note(res, "journey")
	notes(res, f.Others, empty, thinned)
	return res
}

// notes tells the person what the file held that became no journey, and what was thinned.
func notes(res *importer.Result, others, empty, thinned int) {
	if others > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d waypoint(s) or placemark(s) of a single point or an area not imported: only tracks and routes become journeys", others))
	}
	if empty > 0 {
		res.Skipped += empty
		res.Notes = append(res.Notes, fmt.Sprintf("%d track(s) without any point skipped", empty))
	}
	if thinned > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d track(s) have more than %d points: their path keeps %d evenly spaced points, the first and the last among them; the distance counts every point", thinned, MaxPathPoints, MaxPathPoints))
	}
}

// label names a track in a message: its name, or where it is.
func label(t Track) string {
	if t.Name != "" {
		return input.Excerpt(t.Name)
	}
	return "at " + t.Element
}

// journey is the journey of a track, or false when the track gives no time: its start and
// end are the earliest and latest times of its points, else the Placemark's TimeSpan.
func journey(t Track) (map[string]any, bool) {
	start, end := span(t.Points)
	if start.t.IsZero() {
		start, end = t.Begin, t.End
	}
	if start.t.IsZero() {
		return nil, false
	}
	data := map[string]any{"start": utc(start.t)}
	if !end.t.IsZero() && !end.t.Before(start.t) {
		data["end"] = utc(end.t)
	}
	if start.zone != "" {
		data["tzOffset"] = start.zone
	}
	if t.Name != "" {
		data["name"] = t.Name
	}
	if m := mode(t.Type); m != "" {
		data["mode"] = m
	}
	if n := len(t.Points); n > 0 {
		first, last := t.Points[0], t.Points[n-1]
		data["startLat"], data["startLon"] = first.Lat, first.Lon
		data["endLat"], data["endLon"] = last.Lat, last.Lon
		data["path"] = path(t.Points)
	}
	if len(t.Points) > 1 {
		data["distanceMeters"] = math.Round(distance(t.Points)*10) / 10
	}
	return data, true
}

// span is the earliest and latest times of the points; zero stamps when none has one.
func span(points []Point) (first, last stamp) {
	for _, p := range points {
		if p.At.t.IsZero() {
			continue
		}
		if first.t.IsZero() || p.At.t.Before(first.t) {
			first = p.At
		}
		if last.t.IsZero() || p.At.t.After(last.t) {
			last = p.At
		}
	}
	return first, last
}

func utc(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// path is the journey's way, as the location importer writes it ({lat, lon, at}), with the
// elevation when the file gives it, thinned to MaxPathPoints.
func path(points []Point) []any {
	n := min(len(points), MaxPathPoints)
	out := make([]any, 0, n)
	for i := range n {
		p := points[i]
		if len(points) > MaxPathPoints {
			p = points[i*(len(points)-1)/(MaxPathPoints-1)] // i = 0 and n-1: the first and the last
		}
		pt := map[string]any{"lat": p.Lat, "lon": p.Lon}
		if !p.At.t.IsZero() {
			pt["at"] = utc(p.At.t)
		}
		if p.HasEle {
			pt["elevationMeters"] = p.Ele
		}
		out = append(out, pt)
	}
	return out
}

// earthRadius is the mean radius of the Earth in metres (IUGG), the haversine's sphere.
const earthRadius = 6_371_008.8

// distance is the length of the way in metres: the great-circle distance from each point
// to the next, except across a break between segments, where the device was not recording
// and a straight line would be a way nobody travelled.
func distance(points []Point) float64 {
	total := 0.0
	for i := 1; i < len(points); i++ {
		if !points[i].Break {
			total += haversine(points[i-1], points[i])
		}
	}
	return total
}

func haversine(a, b Point) float64 {
	rad := math.Pi / 180
	dLat, dLon := (b.Lat-a.Lat)*rad, (b.Lon-a.Lon)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadius * math.Asin(math.Sqrt(min(1, h)))
}

// mode maps the activity types apps write in GPX's <type> (Strava's "running", Garmin's
// "road_biking", Komoot's "hike", OsmAnd's "bicycle") to the journey doctype's modes; ""
// for one it has none for (swimming, skiing, Strava's numbers), so that the mode is left
// out rather than guessed.
func mode(t string) string {
	return modes[strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(t)))]
}

var modes = map[string]string{
	"walking": "walking", "walk": "walking", "hiking": "walking", "hike": "walking", "trekking": "walking",
	"nordic_walking": "walking", "casual_walking": "walking", "speed_walking": "walking", "mountaineering": "walking", "foot": "walking",
	"running": "running", "run": "running", "trail_running": "running", "trailrun": "running", "street_running": "running",
	"track_running": "running", "jogging": "running",
	"cycling": "cycling", "biking": "cycling", "bike": "cycling", "ride": "cycling", "bicycle": "cycling", "road_biking": "cycling",
	"road_cycling": "cycling", "mountain_biking": "cycling", "mtb": "cycling", "gravel_cycling": "cycling", "gravel_ride": "cycling",
	"gravelride": "cycling", "cyclocross": "cycling", "touringbicycle": "cycling", "racebike": "cycling", "e_bike_ride": "cycling",
	"ebikeride": "cycling", "mountainbikeride": "cycling",
	"driving": "driving", "drive": "driving", "car": "driving", "motorcar": "driving",
	"motorcycling": "motorcycling", "motorcycle": "motorcycling", "motorbike": "motorcycling",
	"bus": "bus", "train": "train", "subway": "subway", "tram": "tram",
	"ferry": "ferry", "boat": "ferry", "boating": "ferry", "sailing": "ferry",
	"flying": "flying", "flight": "flying", "plane": "flying",
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
