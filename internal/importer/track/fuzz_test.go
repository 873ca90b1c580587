package track

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"selfdata/internal/importer"
)

// fuzzFormat feeds arbitrary bytes to one importer: it must never panic, fail only with an
// *importer.Error and no result, and succeed only with journeys that validate against the
// doctype, with unique keys and bounded paths.
func fuzzFormat(f *testing.F, format importer.Format, file string, seeds ...string) {
	if b, err := os.ReadFile("testdata/" + file); err == nil {
		f.Add(b)
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		format.Detect(data[:min(len(data), 8<<10)], file)
		res, err := format.Parse(bytes.NewReader(data))
		if err != nil {
			var e *importer.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T) is not an *importer.Error", err, err)
			}
			if res != nil {
				t.Fatal("a result came with the error")
			}
			return
		}
		checkRecords(t, res)
		if res.Skipped < len(res.LeftOut) {
			t.Fatalf("%d left out but %d skipped", len(res.LeftOut), res.Skipped)
		}
	})
}

func FuzzGPX(f *testing.F) {
	fuzzFormat(f, FormatGPX(), "garmin.gpx",
		gpxHead+`<trk><type>ride</type><trkseg><trkpt lat="-90" lon="180"><time>9999-12-31T23:59:59.999999999Z</time><ele>-1e3</ele></trkpt></trkseg><trkseg><trkpt lat="90" lon="-180"><time>0001-01-01T00:00:00+00:00</time></trkpt></trkseg></trk><rte><rtept lat="1" lon="1"/></rte><wpt lat="0" lon="0"/></gpx>`,
		`<?xml version="1.0" encoding="ISO-8859-1"?><gpx><trk><name>`+"\xe9"+`</name><trkseg><trkpt lat="1" lon="2"><time>2024-01-01T00:00:00</time></trkpt></trkseg></trk></gpx>`)
}

func FuzzKML(f *testing.F) {
	fuzzFormat(f, FormatKML(), "mymaps.kml",
		kmlHead+`<Folder><Placemark><name>x</name><TimeSpan><begin>2024</begin><end>2024-01-01T00:00:00-05:00</end></TimeSpan><MultiGeometry><LineString><altitudeMode>absolute</altitudeMode><coordinates>1,2,3 4,5</coordinates></LineString><gx:Track><when>2024-01-01T00:00:00Z</when><gx:coord>1 2 3</gx:coord></gx:Track><Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 1,1 0,0</coordinates></LinearRing></outerBoundaryIs></Polygon></MultiGeometry></Placemark></Folder></kml>`)
}
