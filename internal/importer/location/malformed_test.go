package location

import (
	"strings"
	"testing"

	"selfdata/internal/importer"
)

func TestMalformed(t *testing.T) {
	records := func(point string) string {
		return "{\"locations\": [\n{\"latitudeE7\": 1, \"longitudeE7\": 1, \"timestamp\": \"2020-01-01T00:00:00Z\"},\n" + point + "\n]}"
	}
	semantic := func(obj string) string { return "{\"timelineObjects\": [\n" + obj + "\n]}" }
	timeline := func(seg string) string { return "{\"semanticSegments\": [\n" + seg + "\n]}" }
	visit := func(latLng, extra string) string {
		return timeline(`{"startTime": "2024-01-01T00:00:00Z", ` + extra + `"visit": {"topCandidate": {"placeLocation": {"latLng": "` + latLng + `"}}}}`)
	}
	tests := []struct {
		name    string
		f       importer.Format
		in      string
		line    int
		element string
		reason  string
	}{
		{"empty", FormatRecords(), "", 1, "", "empty"},
		{"truncated", FormatRecords(), "{\"locations\": [\n{\"latitudeE7\": 1,\n\"longitudeE7\": 1", 3, "locations[0]", "truncated"},
		{"truncated between points", FormatRecords(), "{\"locations\": [\n{\"latitudeE7\": 1, \"longitudeE7\": 1, \"timestamp\": \"2020-01-01T00:00:00Z\"},\n", 2, "locations[1]", "truncated"},
		{"syntax", FormatRecords(), records("{\"latitudeE7\": 1,\n\"longitudeE7\": 1 \"x\": 2}"), 4, "locations[1]", "invalid character '\"' after object key:value pair"},
		{"syntax between points", FormatRecords(), records("{}\n{}"), 4, "locations[2]", "expected comma after array element"},
		{"not an integer", FormatRecords(), records("{\"latitudeE7\": 1.5}"), 3, "locations[1].latitudeE7", "expected an integer, found number 1.5"},
		{"wrong type", FormatRecords(), records("{\"timestamp\":\n 12}"), 4, "locations[1].timestamp", "expected a string, found number"},
		{"bad timestamp", FormatRecords(), records(`{"latitudeE7": 1, "longitudeE7": 1, "timestamp": "2020-02-30T00:00:00Z"}`), 3, "locations[1].timestamp", "not an RFC 3339 time"},
		{"bad timestampMs", FormatRecords(), records(`{"latitudeE7": 1, "longitudeE7": 1, "timestampMs": "soon"}`), 3, "locations[1].timestamp", "milliseconds"},
		{"off the globe", FormatRecords(), records(`{"latitudeE7": 1, "longitudeE7": -1900000000, "timestamp": "2020-01-01T00:00:00Z"}`), 3, "locations[1].latitudeE7", "off the globe"},
		{"no locations", FormatRecords(), "{\"version\": 1}", 1, "locations", "not a Records.json"},
		{"locations not an array", FormatRecords(), "{\n\"locations\": {}}", 2, "locations", "expected an array, found '{'"},
		{"top-level array", FormatRecords(), "[]", 1, "", "expected an object"},
		{"trailing data", FormatRecords(), "{\"locations\": []}\n\n[]", 3, "", "after the end"},
		{"deep point", FormatRecords(), records("{\"activity\":\n" + strings.Repeat("[", 250) + strings.Repeat("]", 250) + "}"), 4, "locations[1]", "nested more than 200 levels"},
		{"deep skipped key", FormatRecords(), "{\"locations\": [],\n\"x\": " + strings.Repeat("[", 250) + strings.Repeat("]", 250) + "}", 2, "x" + strings.Repeat("[0]", 199), "nested more than 200 levels"},
		{"huge point", FormatRecords(), records("{\"source\":\n\"" + strings.Repeat("x", 5<<20) + "\"}"), 3, "locations[1]", "larger than 4 MiB"},
		{"bad duration", FormatSemantic(), semantic(`{"placeVisit": {"location": {"latitudeE7": 1, "longitudeE7": 1}, "duration": {"startTimestamp": "yesterday"}}}`), 2, "timelineObjects[0].placeVisit.duration", "not an RFC 3339 time"},
		{"bad end", FormatSemantic(), semantic(`{"placeVisit": {"location": {"latitudeE7": 1, "longitudeE7": 1}, "duration": {"startTimestamp": "2020-01-01T00:00:00Z", "endTimestampMs": "-5"}}}`), 2, "timelineObjects[0].placeVisit.duration", "milliseconds"},
		{"placeVisit not an object", FormatSemantic(), semantic("{},\n{\"placeVisit\": [1]}"), 3, "timelineObjects[1].placeVisit", "expected an object, found array"},
		{"visit off the globe", FormatSemantic(), semantic(`{"placeVisit": {"location": {"latitudeE7": -950000000, "longitudeE7": 1}}}`), 2, "timelineObjects[0].placeVisit.location", "off the globe"},
		{"no timelineObjects", FormatSemantic(), "{\"locations\": []}", 1, "timelineObjects", "not a Semantic Location History"},
		{"bad latLng", FormatTimeline(), visit("48.8°", ""), 2, "semanticSegments[0].visit.topCandidate.placeLocation.latLng", "not a latitude and longitude"},
		{"latLng off the globe", FormatTimeline(), visit("91°, 2°", ""), 2, "semanticSegments[0].visit.topCandidate.placeLocation.latLng", "not a latitude"},
		{"latLng NaN", FormatTimeline(), visit("NaN°, 2°", ""), 2, "semanticSegments[0].visit.topCandidate.placeLocation.latLng", "not a latitude"},
		{"bad offset", FormatTimeline(), visit("1°, 2°", `"startTimeTimezoneUtcOffsetMinutes": 6000, `), 2, "semanticSegments[0].startTimeTimezoneUtcOffsetMinutes", "not a UTC offset"},
		{"bad startTime", FormatTimeline(), timeline(`{"startTime": "2024-01-01 00:00", "visit": {"topCandidate": {"placeLocation": {"latLng": "1°, 2°"}}}}`), 2, "semanticSegments[0].startTime", "not an RFC 3339 time"},
		{"bad endTime", FormatTimeline(), visit("1°, 2°", `"endTime": "x", `), 2, "semanticSegments[0].endTime", "not an RFC 3339 time"},
		{"bad frequent place", FormatTimeline(), "{\"semanticSegments\": [], \"userLocationProfile\": {\"frequentPlaces\": [\n{\"placeId\": \"a\", \"placeLocation\": \"north\"}]}}", 2, "userLocationProfile.frequentPlaces[0].placeLocation", "not a latitude"},
		{"truncated raw signals", FormatTimeline(), "{\"semanticSegments\": [],\n\"rawSignals\": [{\"position\":\n{\"LatLng\": \"1", 3, "rawSignals[0].position.LatLng", "truncated"},
		{"no semanticSegments", FormatTimeline(), "{\"rawSignals\": []}", 1, "semanticSegments", "not a Google Timeline export"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := tt.f.Parse(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("no error; result %+v", res)
			}
			if res != nil {
				t.Error("a result came with the error")
			}
			e := asImportError(t, err)
			if e.Line != tt.line || e.Element != tt.element || !strings.Contains(e.Reason, tt.reason) {
				t.Errorf("error %q: line %d element %q; want line %d element %q reason containing %q",
					err, e.Line, e.Element, tt.line, tt.element, tt.reason)
			}
		})
	}
}
