package track

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"selfdata/internal/importer"
)

// TestGPX reads a Garmin-like export: two tracks (the first in two segments, times with an
// offset and fractional seconds, elevation), a track without time (left out and listed), a
// route whose times have no offset (UTC, as GPX says), an empty track and a waypoint.
func TestGPX(t *testing.T) {
	res := parse(t, FormatGPX(), readFile(t, "garmin.gpx"))
	if res.Format != "gpx" || len(res.Records) != 3 {
		t.Fatalf("format %q, %d journeys, want gpx, 3", res.Format, len(res.Records))
	}
	j := byName(res)
	run := j["Morning Run"]
	want := map[string]any{"start": "2024-06-15T06:00:00Z", "end": "2024-06-15T06:05:30.5Z", "tzOffset": "+02:00",
		"mode": "running", "startLat": 45.764, "startLon": 4.8357, "endLat": 45.771, "endLon": 4.8357}
	for k, v := range want {
		if run[k] != v {
			t.Errorf("run %s = %v, want %v", k, run[k], v)
		}
	}
	path := run["path"].([]any)
	if len(path) != 4 {
		t.Fatalf("run path %v", path)
	}
	p0, p1, p3 := path[0].(map[string]any), path[1].(map[string]any), path[3].(map[string]any)
	if p0["elevationMeters"] != 170.4 || p1["at"] != "2024-06-15T06:00:30.25Z" || p3["elevationMeters"] != nil {
		t.Errorf("run points %v %v %v", p0, p1, p3)
	}
	// 0.001° of latitude twice (111.2 m each); the 555 m between the segments is no way.
	if !near(run["distanceMeters"], 222.4, 0.5) {
		t.Errorf("run distance %v, want about 222.4", run["distanceMeters"])
	}
	ride := j["Evening Ride"]
	if ride["mode"] != "cycling" || ride["tzOffset"] != nil || ride["start"] != "2024-06-15T09:00:00Z" || !near(ride["distanceMeters"], 561.2, 0.5) {
		t.Errorf("ride %v", ride)
	}
	commute := j["Commute"]
	if commute["start"] != "2024-06-16T07:30:00Z" || commute["end"] != "2024-06-16T07:50:00Z" || commute["mode"] != "cycling" {
		t.Errorf("route %v", commute)
	}
	if res.Skipped != 2 || len(res.LeftOut) != 1 {
		t.Fatalf("skipped %d, left out %+v", res.Skipped, res.LeftOut)
	}
	l := res.LeftOut[0]
	if l.Line != 44 || l.Element != "gpx/trk[3]" || l.Reason != importer.ReasonNoDate || l.Kind != "journey" || !strings.Contains(l.Text, `"Planned loop" has no time`) {
		t.Errorf("left out %+v", l)
	}
	notes := strings.Join(res.Notes, "\n")
	if !strings.Contains(notes, "1 waypoint(s)") || !strings.Contains(notes, "1 track(s) without any point") {
		t.Errorf("notes %q", res.Notes)
	}
	if k := res.Records[0].Key; k != "track 2024-06-15T06:00:00Z/2024-06-15T06:05:30.5Z" {
		t.Errorf("key %q", k)
	}
}

// TestGPXPrefixed: the same file with every element prefixed (<gpx:gpx xmlns:gpx=...>) is
// detected and imported the same; so is a GPX 1.0 file.
func TestGPXPrefixed(t *testing.T) {
	orig := readFile(t, "garmin.gpx")
	want := parse(t, FormatGPX(), orig)
	for _, p := range []string{"gpx", "ns0"} {
		b := prefixed(p, orig)
		if !FormatGPX().Detect(b, "a.gpx") {
			t.Fatalf("prefix %s: not detected", p)
		}
		if got := parse(t, FormatGPX(), b); !reflect.DeepEqual(got, want) {
			t.Errorf("prefix %s imports differently: %+v", p, got)
		}
	}
	v10 := strings.ReplaceAll(string(orig), "GPX/1/1", "GPX/1/0")
	if got := parse(t, FormatGPX(), []byte(v10)); len(got.Records) != 3 {
		t.Errorf("GPX 1.0: %d journeys", len(got.Records))
	}
}

func TestDetect(t *testing.T) {
	for _, tt := range []struct {
		head     string
		gpx, kml bool
	}{
		{`<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">`, true, false},
		{"\ufeff<gpx xmlns=\"http://www.topografix.com/GPX/1/0\" version=\"1.0\">", true, false},
		{`<g:gpx xmlns:g="http://www.topografix.com/GPX/1/1"><g:trk>`, true, false},
		{`<gpx version="1.1" creator="x">`, true, false},
		{`<gpx xmlns="http://example.com/not-gpx">`, false, false},
		{`<kml xmlns="http://www.opengis.net/kml/2.2"><Document>`, false, true},
		{`<kml xmlns="http://earth.google.com/kml/2.1">`, false, true},
		{`<kml:kml xmlns:kml="http://www.opengis.net/kml/2.2">`, false, true},
		{`<feed xmlns="http://www.w3.org/2005/Atom">`, false, false},
		{`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">`, false, false},
		{`{"locations": []}`, false, false},
		{``, false, false},
	} {
		if g, k := FormatGPX().Detect([]byte(tt.head), "f"), FormatKML().Detect([]byte(tt.head), "f"); g != tt.gpx || k != tt.kml {
			t.Errorf("%.60s: gpx %v kml %v, want %v %v", tt.head, g, k, tt.gpx, tt.kml)
		}
	}
}

const gpxHead = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<gpx xmlns="http://www.topografix.com/GPX/1/1" version="1.1">` + "\n"

// TestGPXRefused: a malformed file is refused whole, with its line and element.
func TestGPXRefused(t *testing.T) {
	seg := func(pts string) string {
		return gpxHead + "<trk><trkseg>\n<trkpt lat=\"1\" lon=\"2\"/>\n" + pts + "\n</trkseg></trk>\n</gpx>\n"
	}
	for _, tt := range []struct {
		name, file string
		line       int
		element    string
		reason     string
	}{
		{"DTD", `<?xml version="1.0"?>` + "\n" + `<!DOCTYPE gpx [<!ENTITY lol "lol">]>` + "\n<gpx/>", 2, "", "DOCTYPE and ENTITY declarations are refused"},
		{"latitude off the globe", seg(`<trkpt lat="95" lon="2"/>`), 5, "gpx/trk[1]/trkseg[1]/trkpt[2]", "off the globe"},
		{"longitude off the globe", seg(`<trkpt lat="5" lon="-180.5"/>`), 5, "gpx/trk[1]/trkseg[1]/trkpt[2]", "off the globe"},
		{"NaN", seg(`<trkpt lat="NaN" lon="2"/>`), 5, "gpx/trk[1]/trkseg[1]/trkpt[2]", `latitude: "NaN" is not a number`},
		{"no lon", seg(`<trkpt lat="1"/>`), 5, "gpx/trk[1]/trkseg[1]/trkpt[2]", "needs both a lat and a lon"},
		{"bad time", seg(`<trkpt lat="1" lon="2"><time>15/06/2024</time></trkpt>`), 5, "gpx/trk[1]/trkseg[1]/trkpt[2]/time", `"15/06/2024" is not a date and time`},
		{"bad elevation", seg(`<trkpt lat="1" lon="2"><ele>high</ele></trkpt>`), 5, "gpx/trk[1]/trkseg[1]/trkpt[2]/ele", `"high" is not a number`},
		{"year out of range", seg(`<trkpt lat="1" lon="2"><time>0000-01-01T00:30:00+01:00</time></trkpt>`), 5, "gpx/trk[1]/trkseg[1]/trkpt[2]/time", "out of the years"},
		{"unclosed", seg(`<trkpt lat="1" lon="2"><time>2024-06-15T09:00:00Z</trkpt>`), 5, "gpx/trk[1]/trkseg[1]/trkpt[2]/time", "malformed XML: element <time> closed by </trkpt>"},
		{"truncated", gpxHead + "<trk><trkseg>\n<trkpt lat=\"1\" lon=\"2\">", 4, "gpx/trk[1]/trkseg[1]/trkpt[1]", "malformed XML: unexpected EOF"},
		{"not GPX", `<kml xmlns="http://www.opengis.net/kml/2.2"/>`, 1, "kml", "this is not a GPX file"},
		{"other namespace", `<gpx xmlns="http://www.topografix.com/GPX/2/0"/>`, 1, "gpx", "this is not a GPX file"},
		{"two roots", "<gpx/>\n<gpx/>", 2, "gpx", "a second root element"},
		{"text", "hello", 1, "", "text outside the root element"},
		{"empty", "", 1, "", "holds no XML element"},
		{"encoding", `<?xml version="1.0" encoding="EBCDIC"?><gpx/>`, 1, "", "not supported"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := refusal(t, FormatGPX(), tt.file)
			if e.Line != tt.line || e.Element != tt.element || !strings.Contains(e.Reason, tt.reason) {
				t.Errorf("line %d element %q reason %q, want %d %q %q", e.Line, e.Element, e.Reason, tt.line, tt.element, tt.reason)
			}
		})
	}
}

// TestGPXLatin1: a file declared ISO-8859-1 reads its names as such.
func TestGPXLatin1(t *testing.T) {
	b := []byte(`<?xml version="1.0" encoding="ISO-8859-1"?><gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Mont Blanc ` + "\xe9" + `t` + "\xe9" + `</name><trkseg><trkpt lat="45.8" lon="6.8"><time>2024-08-01T05:00:00Z</time></trkpt></trkseg></trk></gpx>`)
	res := parse(t, FormatGPX(), b)
	if len(res.Records) != 1 || res.Records[0].Data["name"] != "Mont Blanc été" {
		t.Errorf("%+v", res.Records)
	}
}

// TestThinnedPath: a track of 5,001 points keeps MaxPathPoints of them, evenly spaced,
// the first and the last among them, and its distance counts them all.
func TestThinnedPath(t *testing.T) {
	var b strings.Builder
	b.WriteString(gpxHead + "<trk><trkseg>\n")
	const n = 5001
	for i := range n {
		fmt.Fprintf(&b, `<trkpt lat="%.5f" lon="0"><time>2024-01-01T00:%02d:%02dZ</time></trkpt>`+"\n", float64(i)*0.0001, i/60%60, i%60)
	}
	b.WriteString("</trkseg></trk></gpx>")
	res := parse(t, FormatGPX(), []byte(b.String()))
	d := res.Records[0].Data
	path := d["path"].([]any)
	first, last := path[0].(map[string]any), path[len(path)-1].(map[string]any)
	if len(path) != MaxPathPoints || first["lat"] != 0.0 || last["lat"] != 0.5 {
		t.Errorf("%d points, first %v, last %v", len(path), first, last)
	}
	if mid := path[1000].(map[string]any); !near(mid["lat"], 0.25, 0.0002) {
		t.Errorf("point 1000 %v: not evenly spaced", mid)
	}
	if !near(d["distanceMeters"], 0.5*111195, 50) {
		t.Errorf("distance %v", d["distanceMeters"])
	}
	if !strings.Contains(strings.Join(res.Notes, "\n"), "1 track(s) have more than 2000 points") {
		t.Errorf("notes %q", res.Notes)
	}
}

// TestSameInterval: two tracks of one interval keep both, the second with "#2", and the
// keys are the same from one import to the next.
func TestSameInterval(t *testing.T) {
	trk := `<trk><trkseg><trkpt lat="1" lon="2"><time>2024-01-01T10:00:00Z</time></trkpt></trkseg></trk>`
	b := []byte(gpxHead + trk + trk + "</gpx>")
	a, again := parse(t, FormatGPX(), b), parse(t, FormatGPX(), b)
	if len(a.Records) != 2 || a.Records[1].Key != "track 2024-01-01T10:00:00Z/2024-01-01T10:00:00Z#2" || !reflect.DeepEqual(a, again) {
		t.Errorf("%+v", a.Records)
	}
}

func TestMode(t *testing.T) {
	for in, want := range map[string]string{
		"running": "running", "Trail Running": "running", "cycling": "cycling", "biking": "cycling", "Ride": "cycling",
		"road_biking": "cycling", "mountain-biking": "cycling", "hiking": "walking", "walking": "walking", "Walk": "walking",
		"driving": "driving", "swimming": "", "9": "", "": "", "alpine_skiing": "",
	} {
		if got := mode(in); got != want {
			t.Errorf("mode(%q) = %q, want %q", in, got, want)
		}
	}
}
