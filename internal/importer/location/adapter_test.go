package location

import (
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"selfdata/internal/importer"
)

func parse(t *testing.T, f importer.Format, in string) *importer.Result {
	t.Helper()
	res, err := f.Parse(strings.NewReader(in))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	checkRecords(t, res)
	return res
}

func TestRecordsShapes(t *testing.T) {
	res := parse(t, FormatRecords(), `{"locations": [
	  {"latitudeE7": 4294967295, "longitudeE7": -1, "timestampMs": "1356000000000", "accuracy": 5, "activity": [{"type": [{"type": "STILL"}]}]},
	  {"latitudeE7": 488566000, "longitudeE7": 23522000, "timestamp": "2024-06-15T09:00:00.5+02:00"},
	  {"latitudeE7": 488566000, "longitudeE7": 23522000, "timestamp": "2024-06-15T07:00:00.5Z"},
	  {"timestamp": "2024-06-15T09:00:00Z"},
	  {"latitudeE7": 1, "longitudeE7": 1}
	], "other": {"deep": [[[1]]]}}`)
	want := []importer.Record{
		// 4294967295 is -1 written as an unsigned 32-bit integer
		{Doctype: "visit", Key: "2012-12-20T10:40:00Z,-0.0000001,-0.0000001", Data: map[string]any{
			"start": "2012-12-20T10:40:00Z", "lat": -1e-7, "lon": -1e-7, "accuracyMeters": 5.0}},
		{Doctype: "visit", Key: "2024-06-15T07:00:00.5Z,48.8566000,2.3522000", Data: map[string]any{
			"start": "2024-06-15T07:00:00.5Z", "tzOffset": "+02:00", "lat": 48.8566, "lon": 2.3522}},
	}
	if !reflect.DeepEqual(res.Records, want) {
		t.Errorf("records\n got %#v\nwant %#v", res.Records, want)
	}
	wantNotes := []string{
		"1 duplicate(s) of an earlier point, visit or journey skipped",
	}
	if res.Skipped != 3 || !reflect.DeepEqual(res.Notes, wantNotes) {
		t.Errorf("skipped %d notes %q", res.Skipped, res.Notes)
	}
	// the points without coordinates or time are listed, each by its line and place
	wantLeft := []string{"5|locations[3]|visit|no-coords|", "6|locations[4]|visit|no-date|"}
	if got := leftOut(res); !reflect.DeepEqual(got, wantLeft) {
		t.Errorf("left out %q, want %q", got, wantLeft)
	}
}

func TestSemanticVisits(t *testing.T) {
	res := parse(t, FormatSemantic(), `{"timelineObjects": [
	  {"placeVisit": {"location": {"latitudeE7": 457578000, "longitudeE7": 48320000, "placeId": "P1",
	     "address": "12 rue Garibaldi\n69003 Lyon", "semanticType": "TYPE_SEARCHED_ADDRESS"},
	   "duration": {"startTimestampMs": "1700000000000", "endTimestampMs": "1700003600000"}, "visitConfidence": 85,
	   "childVisits": [{"location": {"latitudeE7": 457579000, "longitudeE7": 48321000, "placeId": "P2", "name": "Boulangerie"},
	     "duration": {"startTimestamp": "2023-11-14T22:20:00+01:00"}, "visitConfidence": 250}]}},
	  {"activitySegment": {"duration": {"startTimestamp": "2023-11-15T08:00:00Z"}}},
	  {"placeVisit": {"location": {"latitudeE7": 457578000, "longitudeE7": 48320000, "placeId": "P1",
	     "name": "Chez moi", "semanticType": "TYPE_HOME"},
	   "duration": {"startTimestamp": "2023-11-15T18:00:00Z", "endTimestamp": "2023-11-16T07:30:00Z"}}},
	  {"placeVisit": {"location": {"latitudeE7": 1, "longitudeE7": 2}, "duration": {"startTimestamp": "2023-11-16T12:00:00Z"}}},
	  {"placeVisit": {"location": {"placeId": "P3"}, "duration": {"startTimestamp": "2023-11-16T13:00:00Z"}}},
	  {"placeVisit": {"location": {"latitudeE7": 1, "longitudeE7": 2}, "duration": {"endTimestamp": "2023-11-16T14:00:00Z"}}},
	  {"placeVisit": {"location": {"latitudeE7": 1, "longitudeE7": 3}, "duration": {"startTimestamp": "2023-11-17T12:00:00Z"},
	   "childVisits": [{"location": {"latitudeE7": 1, "longitudeE7": 4}, "duration": {"startTimestamp": "2023-11-17T12:01:00Z"},
	    "childVisits": [{"location": {"latitudeE7": 1, "longitudeE7": 5}, "duration": {"startTimestamp": "2023-11-17T12:02:00Z"},
	     "childVisits": [{"location": {"latitudeE7": 1, "longitudeE7": 6}, "duration": {"startTimestamp": "2023-11-17T12:03:00Z"},
	      "childVisits": [{"location": {"latitudeE7": 1, "longitudeE7": 7}, "duration": {"startTimestamp": "2023-11-17T12:04:00Z"},
	       "childVisits": [{"location": {"latitudeE7": 1, "longitudeE7": 8}, "duration": {"startTimestamp": "2023-11-17T12:05:00Z"}}]}]}]}]}]}}
	]}`)
	want := []importer.Record{
		// the first visit names the place by its address; the second tells its real name and
		// that it is home, and the place is completed
		{Doctype: "place", Key: "place:P1", Data: map[string]any{
			"name": "Chez moi", "address": "12 rue Garibaldi\n69003 Lyon", "category": "home", "lat": 45.7578, "lon": 4.832}},
		{Doctype: "visit", Key: "P1@2023-11-14T22:13:20Z", Data: map[string]any{
			"start": "2023-11-14T22:13:20Z", "end": "2023-11-14T23:13:20Z", "lat": 45.7578, "lon": 4.832,
			"place": "place:P1", "confidence": 0.85}},
		{Doctype: "place", Key: "place:P2", Data: map[string]any{
			"name": "Boulangerie", "category": "other", "lat": 45.7579, "lon": 4.8321}},
		{Doctype: "visit", Key: "P2@2023-11-14T21:20:00Z", Data: map[string]any{
			"start": "2023-11-14T21:20:00Z", "tzOffset": "+01:00", "lat": 45.7579, "lon": 4.8321,
			"place": "place:P2", "name": "Boulangerie"}},
		{Doctype: "journey", Key: "2023-11-15T08:00:00Z/", Data: map[string]any{"start": "2023-11-15T08:00:00Z"}},
		{Doctype: "visit", Key: "P1@2023-11-15T18:00:00Z", Data: map[string]any{
			"start": "2023-11-15T18:00:00Z", "end": "2023-11-16T07:30:00Z", "lat": 45.7578, "lon": 4.832,
			"place": "place:P1", "name": "Chez moi"}},
		{Doctype: "visit", Key: "2023-11-16T12:00:00Z,0.0000001,0.0000002", Data: map[string]any{
			"start": "2023-11-16T12:00:00Z", "lat": 1e-7, "lon": 2e-7}},
	}
	for i := range 5 { // the stay and four levels of stays inside it; the fifth is left out
		want = append(want, importer.Record{Doctype: "visit", Key: fmt.Sprintf("2023-11-17T12:%02d:00Z,0.0000001,0.000000%d", i, 3+i), Data: map[string]any{
			"start": fmt.Sprintf("2023-11-17T12:%02d:00Z", i), "lat": 1e-7, "lon": float64(3+i) * 1e-7}})
	}
	if !reflect.DeepEqual(res.Records, want) {
		t.Errorf("records\n got %#v\nwant %#v", res.Records, want)
	}
	if res.Skipped != 3 || len(res.Notes) != 0 {
		t.Errorf("skipped %d notes %q", res.Skipped, res.Notes)
	}
	wantLeft := []string{
		"12|timelineObjects[4].placeVisit|visit|no-coords|",
		"13|timelineObjects[5].placeVisit|visit|no-date|",
		"14|timelineObjects[6].placeVisit.childVisits[0].childVisits[0].childVisits[0].childVisits[0].childVisits[0]|visit|too-deep|4",
	}
	if got := leftOut(res); !reflect.DeepEqual(got, wantLeft) {
		t.Errorf("left out %q, want %q", got, wantLeft)
	}
}

func TestTimelineSegments(t *testing.T) {
	res := parse(t, FormatTimeline(), `{
	  "userLocationProfile": null,
	  "semanticSegments": [
	    {"startTime": "2024-01-02T08:00:00.000-05:00", "endTime": "2024-01-02T12:00:00.000-05:00",
	     "startTimeTimezoneUtcOffsetMinutes": -330,
	     "visit": {"probability": 0.7, "topCandidate": {"placeId": "W", "semanticType": "INFERRED_WORK",
	       "probability": 0.4, "placeLocation": {"latLng": "-33.8688°, 151.2093°"}}}},
	    {"startTime": "2024-01-02T12:00:00Z", "timelineMemory": {"trip": {}}},
	    {"startTime": "2024-01-03T08:00:00Z", "visit": {"topCandidate": {"probability": 7,
	       "placeLocation": {"latLng": "1.5°,2.5°"}}}},
	    {"startTime": "2024-01-04T08:00:00Z", "visit": {"topCandidate": {"placeId": "X"}}},
	    {"visit": {"topCandidate": {"placeLocation": {"latLng": "1.5°,2.5°"}}}},
	    {"endTime": "2024-01-05T08:00:00Z", "activity": {"topCandidate": {"type": "WALKING"}}}
	  ],
	  "rawSignals": [{"position": {}}, {"wifiScan": {"devices": [{"mac": 1}]}}, {"activityRecord": {}}],
	  "future": {"a": [{"b": [1, 2, {"c": null}]}]}
	}`)
	want := []importer.Record{
		{Doctype: "place", Key: "place:W", Data: map[string]any{
			"name": "Work", "category": "work", "lat": -33.8688, "lon": 151.2093}},
		{Doctype: "visit", Key: "W@2024-01-02T13:00:00Z", Data: map[string]any{
			"start": "2024-01-02T13:00:00Z", "end": "2024-01-02T17:00:00Z", "tzOffset": "-05:30",
			"lat": -33.8688, "lon": 151.2093, "place": "place:W", "confidence": 0.7}},
		{Doctype: "visit", Key: "2024-01-03T08:00:00Z,1.5,2.5", Data: map[string]any{
			"start": "2024-01-03T08:00:00Z", "lat": 1.5, "lon": 2.5}},
	}
	if !reflect.DeepEqual(res.Records, want) {
		t.Errorf("records\n got %#v\nwant %#v", res.Records, want)
	}
	wantNotes := []string{
		"1 trip summary(ies) (timeline memories) not imported",
		"3 raw signal(s) (positions, Wi-Fi scans, activity records) not imported",
	}
	if res.Skipped != 7 || !reflect.DeepEqual(res.Notes, wantNotes) {
		t.Errorf("skipped %d notes %q", res.Skipped, res.Notes)
	}
	wantLeft := []string{
		"11|semanticSegments[3].visit|visit|no-coords|",
		"12|semanticSegments[4].visit|visit|no-date|",
		"13|semanticSegments[5]|journey|no-date|",
	}
	if got := leftOut(res); !reflect.DeepEqual(got, wantLeft) {
		t.Errorf("left out %q, want %q", got, wantLeft)
	}
}

// A frequent place without its place id or its location is listed as left out; the others
// become places.
func TestTimelineFrequentPlacesLeftOut(t *testing.T) {
	res := parse(t, FormatTimeline(), `{"semanticSegments": [],
	  "userLocationProfile": {"frequentPlaces": [
	    {"placeLocation": "1.5°,2.5°", "label": "HOME"},
	    {"placeId": "Y", "label": "WORK"},
	    {"placeId": "Z", "placeLocation": "3.5°,4.5°", "label": "WORK"}
	  ]}}`)
	if len(res.Records) != 1 || res.Records[0].Key != "place:Z" || res.Skipped != 2 || len(res.Notes) != 0 {
		t.Errorf("records %+v, skipped %d, notes %q; want place Z alone, 2 skipped", res.Records, res.Skipped, res.Notes)
	}
	want := []string{"3|userLocationProfile.frequentPlaces[0]|place|no-id|", "4|userLocationProfile.frequentPlaces[1]|place|no-coords|"}
	if got := leftOut(res); !reflect.DeepEqual(got, want) {
		t.Errorf("left out %q, want %q", got, want)
	}
}

// pointsReader writes a Records.json of n points without holding it in memory.
func pointsReader(n int) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		fmt.Fprint(pw, "{\"locations\": [\n")
		for i := range n {
			sep := ",\n"
			if i == n-1 {
				sep = "\n"
			}
			fmt.Fprintf(pw, `  {"latitudeE7": %d, "longitudeE7": 23522000, "accuracy": 10, "source": "GPS", "timestamp": "2024-01-01T00:00:00Z"}%s`, 488566000+i, sep)
		}
		fmt.Fprint(pw, "]}\n")
		pw.Close()
	}()
	return pr
}

// TestRecordsStream imports a file larger than the one-value limit: it passes only if the
// parser forgets each point once read, i.e. streams.
func TestRecordsStream(t *testing.T) {
	const n = 45_000 // about 5.3 MB: more than jsonstream.MaxValueBytes, less than importer.MaxFileBytes
	res, err := FormatRecords().Parse(pointsReader(n))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(res.Records) != n {
		t.Fatalf("%d records, want %d", len(res.Records), n)
	}
	if last := res.Records[n-1]; last.Key != "2024-01-01T00:00:00Z,48.8610999,2.3522000" {
		t.Errorf("last key %q", last.Key)
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		head string
		want string
	}{
		{`{"locations": [{"latitudeE7": 1`, NameRecords},
		{"\uFEFF" + `{"timelineObjects": [`, NameSemantic},
		{`{"semanticSegments": [{"startTime": "2024`, NameTimeline},
		{`{"rawSignals": [], "semanticSegments": []}`, NameTimeline},
		{`{"locations": {}}`, ""},
		{`{"data": {"locations": []}}`, ""},
		{`[{"semanticSegments": []}]`, ""},
		{"\uFEFF [\n" + `{"endTime": "2024-06-15T10:00:00+02:00", "startTime": "2024-06-15T09:00:00+02:00", "visit": {"topCand`, NameTimeline},
		{`[{"startTime": "2024-06-15T09:00:00+02:00", "timelinePath": [{"point": "geo:1,2"`, NameTimeline},
		{`[{"startTime": "2024-06-15T09:00:00+02:00", "title": "meeting"}]`, ""},
		{`[{"visit": {}, "start": "2024"}]`, ""},
		{`{"x": {"startTime": "2024", "visit": {}}}`, ""},
		{`{"resourceType": "Location", "locations": "x"}`, ""},
		{``, ""},
	}
	for _, tt := range tests {
		for _, f := range formats() {
			if got := f.Detect([]byte(tt.head), "x.json"); got != (f.Name == tt.want) {
				t.Errorf("%s Detect(%s) = %v", f.Name, tt.head, got)
			}
		}
	}
}
