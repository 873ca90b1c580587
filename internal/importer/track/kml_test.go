package track

import (
	"reflect"
	"strings"
	"testing"

	"selfdata/internal/importer"
)

// TestKML reads a My Maps-like export: a LineString timed by its TimeSpan, a point
// (no journey), a LineString without time in a nested Folder (left out and listed) and a
// gx:Track whose altitudes are heights (altitudeMode absolute).
func TestKML(t *testing.T) {
	res := parse(t, FormatKML(), readFile(t, "mymaps.kml"))
	if res.Format != "kml" || len(res.Records) != 2 {
		t.Fatalf("format %q, %d journeys, want kml, 2", res.Format, len(res.Records))
	}
	j := byName(res)
	walk := j["Walk to the lake"]
	if walk["start"] != "2024-07-01T08:00:00Z" || walk["end"] != "2024-07-01T09:30:00Z" || walk["tzOffset"] != "+02:00" ||
		walk["startLat"] != 46.2044 || walk["startLon"] != 6.1432 || walk["endLat"] != 46.215 || walk["mode"] != nil {
		t.Errorf("walk %v", walk)
	}
	wp := walk["path"].([]any)
	if len(wp) != 3 || wp[0].(map[string]any)["at"] != nil || wp[0].(map[string]any)["elevationMeters"] != nil {
		t.Errorf("walk path %v: no times, and altitudes clamped to the ground are no heights", wp)
	}
	if !near(walk["distanceMeters"], 1489.5, 0.5) {
		t.Errorf("walk distance %v", walk["distanceMeters"])
	}
	rec := j["Recorded"]
	rp := rec["path"].([]any)
	if rec["start"] != "2024-07-02T08:00:00Z" || rec["end"] != "2024-07-02T08:00:20Z" || rec["tzOffset"] != nil || len(rp) != 3 {
		t.Fatalf("track %v", rec)
	}
	if p := rp[1].(map[string]any); p["at"] != "2024-07-02T08:00:10.5Z" || p["elevationMeters"] != 376.5 || p["lon"] != 6.1433 {
		t.Errorf("track point %v", p)
	}
	if res.Skipped != 1 || len(res.LeftOut) != 1 {
		t.Fatalf("skipped %d, left out %+v", res.Skipped, res.LeftOut)
	}
	l := res.LeftOut[0]
	if l.Line != 24 || l.Element != "kml/Document[1]/Folder[1]/Folder[1]/Placemark[1]" || l.Reason != importer.ReasonNoDate || !strings.Contains(l.Text, `placemark "Drawn line" has no time`) {
		t.Errorf("left out %+v", l)
	}
	if !strings.Contains(strings.Join(res.Notes, "\n"), "1 waypoint(s) or placemark(s)") {
		t.Errorf("notes %q", res.Notes)
	}
}

const kmlHead = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">` + "\n"

// TestKMLGeometries: a MultiGeometry's lines and a gx:MultiTrack's tracks make one journey,
// the way between them not counted; a TimeStamp times a line; Google Earth's older
// namespace and prefixed elements read the same.
func TestKMLGeometries(t *testing.T) {
	multi := kmlHead + `<Placemark><name>Two lines</name><TimeStamp><when>2024-07-03T10:00:00Z</when></TimeStamp>
<MultiGeometry><LineString><coordinates>0,0 0,0.001</coordinates></LineString>
<Point><coordinates>5,5</coordinates></Point>
<LineString><coordinates>0,1 0,1.001</coordinates></LineString></MultiGeometry></Placemark>
<Placemark><name>Two tracks</name><gx:MultiTrack>
<gx:Track><when>2024-07-04T10:00:00Z</when><gx:coord>0 0 10</gx:coord></gx:Track>
<gx:Track><when>2024-07-04T11:00:00+01:00</when><when>2024-07-04T10:30:00Z</when><gx:coord>0 1 0</gx:coord><gx:coord>0 1.001 0</gx:coord></gx:Track>
</gx:MultiTrack></Placemark></kml>`
	res := parse(t, FormatKML(), []byte(multi))
	j := byName(res)
	lines, tracks := j["Two lines"], j["Two tracks"]
	if lines["start"] != "2024-07-03T10:00:00Z" || lines["end"] != nil || len(lines["path"].([]any)) != 4 || !near(lines["distanceMeters"], 222.4, 0.5) {
		t.Errorf("lines %v", lines)
	}
	// the earliest and the latest times, whatever their order in the file
	if tracks["start"] != "2024-07-04T10:00:00Z" || tracks["end"] != "2024-07-04T10:30:00Z" || !near(tracks["distanceMeters"], 111.2, 0.5) {
		t.Errorf("tracks %v", tracks)
	}
	if res.Notes != nil {
		t.Errorf("notes %q: a point beside lines is part of the placemark", res.Notes)
	}
	for _, b := range []string{
		strings.Replace(multi, "http://www.opengis.net/kml/2.2", "http://earth.google.com/kml/2.1", 1),
		string(prefixed("kml", []byte(multi))),
	} {
		if !FormatKML().Detect([]byte(b), "a.kml") {
			t.Fatalf("not detected: %.120s", b)
		}
		if got := parse(t, FormatKML(), []byte(b)); !reflect.DeepEqual(got, res) {
			t.Errorf("imports differently: %+v", got)
		}
	}
}

// TestKMLRefused: a malformed file is refused whole, with its line and element; a wrong
// tuple of a long coordinates text is located on its own line.
func TestKMLRefused(t *testing.T) {
	line := func(coords string) string {
		return kmlHead + "<Placemark>\n<LineString><coordinates>\n0,0\n" + coords + "\n</coordinates></LineString></Placemark></kml>"
	}
	track := func(body string) string {
		return kmlHead + "<Placemark>\n<gx:Track>\n" + body + "\n</gx:Track></Placemark></kml>"
	}
	const at = "kml/Placemark[1]/LineString[1]/coordinates"
	for _, tt := range []struct {
		name, file string
		line       int
		element    string
		reason     string
	}{
		{"DTD", `<!DOCTYPE kml [<!ENTITY a "b">]><kml/>`, 1, "", "DOCTYPE and ENTITY declarations are refused"},
		{"latitude off the globe", line("1,2\n3,91"), 7, at, `tuple 3: the position "91", "3" is off the globe`},
		{"spaces in a tuple", line("1, 2"), 6, at, `tuple 2: latitude: "" is not a number`},
		{"four numbers", line("1,2,3,4"), 6, at, `tuple 2, "1,2,3,4", is not lon,lat or lon,lat,alt`},
		{"bad number", line("1,x"), 6, at, `tuple 2: latitude: "x" is not a number`},
		{"when and coord", track("<when>2024-01-01T00:00:00Z</when><gx:coord>1 2 3</gx:coord><gx:coord>1 2 3</gx:coord>"), 6, "kml/Placemark[1]/Track[1]", "1 <when> for 2 <gx:coord>"},
		{"bad coord", track("<gx:coord>1,2,3</gx:coord>"), 5, "kml/Placemark[1]/Track[1]/coord", `"1,2,3" is not "lon lat alt"`},
		{"bad when", track("<when>yesterday</when>"), 5, "kml/Placemark[1]/Track[1]/when", `"yesterday" is not a date and time`},
		{"bad begin", kmlHead + "<Placemark><TimeSpan><begin>soon</begin></TimeSpan></Placemark></kml>", 3, "kml/Placemark[1]/TimeSpan/begin", `"soon" is not a date and time`},
		{"malformed", kmlHead + "<Placemark><name>a</Placemark></kml>", 3, "kml/Placemark[1]/name", "malformed XML"},
		{"not KML", `<gpx xmlns="http://www.topografix.com/GPX/1/1"/>`, 1, "gpx", "this is not a KML file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := refusal(t, FormatKML(), tt.file)
			if e.Line != tt.line || e.Element != tt.element || !strings.Contains(e.Reason, tt.reason) {
				t.Errorf("line %d element %q reason %q, want %d %q %q", e.Line, e.Element, e.Reason, tt.line, tt.element, tt.reason)
			}
		})
	}
}

// TestKMLDateOnly: a TimeSpan of dates alone is valid KML but no time to start at: the
// placemark is left out, and the file is read.
func TestKMLDateOnly(t *testing.T) {
	res := parse(t, FormatKML(), []byte(kmlHead+"<Placemark><TimeSpan><begin>2024-07-01</begin></TimeSpan><LineString><coordinates>1,2 1,3</coordinates></LineString></Placemark></kml>"))
	if len(res.Records) != 0 || len(res.LeftOut) != 1 || res.LeftOut[0].Element != "kml/Placemark[1]" {
		t.Errorf("%+v", res)
	}
}
