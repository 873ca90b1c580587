package location

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"selfdata/internal/importer"
)

// fuzzFormat feeds arbitrary bytes to one importer: it must never panic, fail only with an
// *importer.Error, and succeed only with records that have a doctype and a unique key, and
// with visits and journeys that point at places present in the same Result; each record
// left out says where it is and why.
func fuzzFormat(f *testing.F, format importer.Format, seeds ...string) {
	if dir := samplesDir(); dir != "" {
		for _, name := range []string{"records.json", "semantic_history.json", "timeline_new_format.json"} {
			if b, err := os.ReadFile(filepath.Join(dir, "location", name)); err == nil {
				f.Add(b)
			}
		}
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		format.Detect(data[:min(len(data), 8<<10)], "f.json")
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
		if len(res.LeftOut) > res.Skipped {
			t.Fatalf("%d left out but %d skipped", len(res.LeftOut), res.Skipped)
		}
		for _, l := range res.LeftOut {
			if l.Line == 0 || l.Element == "" || l.Kind == "" || l.Reason == "" {
				t.Fatalf("left out without a place, kind or reason: %+v", l)
			}
		}
		seen := map[string]bool{}
		for _, r := range res.Records {
			if r.Doctype == "" || r.Key == "" || seen[r.Doctype+" "+r.Key] {
				t.Fatalf("record %q %q: empty or repeated", r.Doctype, r.Key)
			}
			seen[r.Doctype+" "+r.Key] = true
		}
		for _, r := range res.Records {
			for _, field := range []string{"place", "startPlace", "endPlace"} {
				if p, ok := r.Data[field].(string); ok && !seen["place "+p] {
					t.Fatalf("%s %q points at a missing place %q", r.Doctype, r.Key, p)
				}
			}
		}
	})
}

func FuzzRecords(f *testing.F) {
	fuzzFormat(f, FormatRecords(),
		`{"locations":[{"latitudeE7":4294967295,"longitudeE7":1,"timestampMs":"1356000000000"},{"latitudeE7":1,"longitudeE7":1,"timestamp":"2024-06-15T09:00:00+02:00"}]}`)
}

func FuzzSemantic(f *testing.F) {
	fuzzFormat(f, FormatSemantic(),
		`{"timelineObjects":[{"placeVisit":{"location":{"latitudeE7":1,"longitudeE7":2,"placeId":"P","address":"a\nb"},"duration":{"startTimestampMs":"1","endTimestamp":"2024-01-01T00:00:00Z"},"visitConfidence":50,"childVisits":[{"location":{"latitudeE7":1,"longitudeE7":2,"placeId":"Q"},"duration":{"startTimestamp":"2024-01-01T00:00:00Z"}}]}},{"activitySegment":{}}]}`,
		`{"timelineObjects":[{"activitySegment":{"startLocation":{"latitudeE7":1,"longitudeE7":2,"placeId":"H"},"duration":{"startTimestamp":"2024-01-01T00:00:00Z"},"activityType":"IN_BUS","distance":5,"simplifiedRawPath":{"points":[{"latE7":1,"lngE7":2,"timestampMs":"1"}]}}}]}`)
}

func FuzzTimeline(f *testing.F) {
	fuzzFormat(f, FormatTimeline(),
		`{"semanticSegments":[{"startTime":"2024-01-01T00:00:00+01:00","startTimeTimezoneUtcOffsetMinutes":60,"visit":{"probability":0.5,"topCandidate":{"placeId":"P","semanticType":"HOME","placeLocation":{"latLng":"1°, 2°"}}}}],"rawSignals":[{}],"userLocationProfile":{"frequentPlaces":[{"placeId":"W","placeLocation":"3, 4","label":"WORK"}]}}`,
		iPhoneTimeline)
}
