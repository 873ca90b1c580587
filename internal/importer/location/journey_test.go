package location

import (
	"reflect"
	"strings"
	"testing"

	"selfdata/internal/importer"
)

// iPhoneTimeline is the on-device Timeline as the iPhone exports it: a bare array, numbers
// written as strings, positions as "geo:" URIs, placeID spelled with a capital D, path
// points timed in minutes after the segment's start.
const iPhoneTimeline = `[
  {"endTime": "2024-06-15T10:00:00.000+02:00", "startTime": "2024-06-15T09:00:00.000+02:00",
   "visit": {"hierarchyLevel": "0", "probability": "0.75",
     "topCandidate": {"probability": "0.85", "semanticType": "Home", "placeID": "ChIJhome", "placeLocation": "geo:45.757800,4.832000"}}},
  {"endTime": "2024-06-15T10:25:00.000+02:00", "startTime": "2024-06-15T10:00:00.000+02:00",
   "activity": {"probability": "0.9", "end": "geo:45.760600,4.859600", "start": "geo:45.757800,4.832000",
     "distanceMeters": "3120.5", "topCandidate": {"type": "cycling", "probability": "0.8"}}},
  {"endTime": "2024-06-15T12:00:00.000+02:00", "startTime": "2024-06-15T10:00:00.000+02:00",
   "timelinePath": [{"point": "geo:45.757800,4.832000", "durationMinutesOffsetFromStartTime": "3"},
     {"point": "geo:45.760600,4.859600", "durationMinutesOffsetFromStartTime": "24"}]},
  {"endTime": "2024-06-15T13:00:00.000+02:00", "startTime": "2024-06-15T12:30:00.000+02:00",
   "activity": {"start": "geo:45.760600,4.859600", "end": "geo:45.757800,4.832000", "topCandidate": {"type": "in passenger vehicle"}}}
]`

func TestTimelineIPhoneArray(t *testing.T) {
	res := parse(t, FormatTimeline(), iPhoneTimeline)
	want := []importer.Record{
		{Doctype: "place", Key: "place:ChIJhome", Data: map[string]any{
			"name": "Home", "category": "home", "lat": 45.7578, "lon": 4.832}},
		{Doctype: "visit", Key: "ChIJhome@2024-06-15T07:00:00Z", Data: map[string]any{
			"start": "2024-06-15T07:00:00Z", "end": "2024-06-15T08:00:00Z", "tzOffset": "+02:00",
			"lat": 45.7578, "lon": 4.832, "place": "place:ChIJhome", "confidence": 0.75}},
		{Doctype: "journey", Key: "2024-06-15T08:00:00Z/2024-06-15T08:25:00Z", Data: map[string]any{
			"start": "2024-06-15T08:00:00Z", "end": "2024-06-15T08:25:00Z", "tzOffset": "+02:00",
			"mode": "cycling", "distanceMeters": 3120.5,
			"startLat": 45.7578, "startLon": 4.832, "endLat": 45.7606, "endLon": 4.8596}},
		{Doctype: "journey", Key: "path 2024-06-15T08:00:00Z/2024-06-15T10:00:00Z", Data: map[string]any{
			"start": "2024-06-15T08:00:00Z", "end": "2024-06-15T10:00:00Z", "tzOffset": "+02:00",
			"startLat": 45.7578, "startLon": 4.832, "endLat": 45.7606, "endLon": 4.8596, "path": []any{
				map[string]any{"lat": 45.7578, "lon": 4.832, "at": "2024-06-15T08:03:00Z"},
				map[string]any{"lat": 45.7606, "lon": 4.8596, "at": "2024-06-15T08:24:00Z"}}}},
		{Doctype: "journey", Key: "2024-06-15T10:30:00Z/2024-06-15T11:00:00Z", Data: map[string]any{
			"start": "2024-06-15T10:30:00Z", "end": "2024-06-15T11:00:00Z", "tzOffset": "+02:00", "mode": "driving",
			"startLat": 45.7606, "startLon": 4.8596, "endLat": 45.7578, "endLon": 4.832}},
	}
	if !reflect.DeepEqual(res.Records, want) {
		t.Errorf("records\n got %#v\nwant %#v", res.Records, want)
	}
	if res.Format != NameTimeline || res.Skipped != 0 || len(res.Notes) != 0 {
		t.Errorf("format %q skipped %d notes %q", res.Format, res.Skipped, res.Notes)
	}
	if !FormatTimeline().Detect([]byte(iPhoneTimeline[:200]), "location-history.json") {
		t.Error("the iPhone array is not detected from its head")
	}
}

// Semantic journeys name their places when the file does, take the activity type before
// the travel mode, and keep a raw path's times.
func TestSemanticJourneys(t *testing.T) {
	res := parse(t, FormatSemantic(), `{"timelineObjects": [
	  {"activitySegment": {
	     "startLocation": {"latitudeE7": 457578000, "longitudeE7": 48320000, "placeId": "H", "semanticType": "TYPE_HOME"},
	     "endLocation": {"latitudeE7": 457606000, "longitudeE7": 48596000, "placeId": "S", "name": "Gare Part-Dieu"},
	     "duration": {"startTimestamp": "2023-03-01T07:40:00+01:00", "endTimestamp": "2023-03-01T07:55:00+01:00"},
	     "activityType": "IN_BUS", "activities": [{"activityType": "IN_BUS", "probability": 90}],
	     "waypointPath": {"distanceMeters": 2900.5, "travelMode": "DRIVE"},
	     "simplifiedRawPath": {"points": [{"latE7": 457590000, "lngE7": 48400000, "timestamp": "2023-03-01T06:45:00Z"}]}}},
	  {"activitySegment": {"duration": {"startTimestampMs": "1677656400000", "endTimestampMs": "1677657000000"},
	     "activities": [{"activityType": "SKIING"}], "distance": -3}},
	  {"activitySegment": {"duration": {"endTimestamp": "2023-03-01T09:00:00Z"}, "activityType": "WALKING"}}
	]}`)
	want := []importer.Record{
		{Doctype: "place", Key: "place:H", Data: map[string]any{
			"name": "Home", "category": "home", "lat": 45.7578, "lon": 4.832}},
		{Doctype: "place", Key: "place:S", Data: map[string]any{
			"name": "Gare Part-Dieu", "category": "other", "lat": 45.7606, "lon": 4.8596}},
		{Doctype: "journey", Key: "2023-03-01T06:40:00Z/2023-03-01T06:55:00Z", Data: map[string]any{
			"start": "2023-03-01T06:40:00Z", "end": "2023-03-01T06:55:00Z", "tzOffset": "+01:00",
			"mode": "bus", "distanceMeters": 2900.5,
			"startLat": 45.7578, "startLon": 4.832, "startPlace": "place:H",
			"endLat": 45.7606, "endLon": 4.8596, "endPlace": "place:S",
			"path": []any{map[string]any{"lat": 45.759, "lon": 4.84, "at": "2023-03-01T06:45:00Z"}}}},
		{Doctype: "journey", Key: "2023-03-01T07:40:00Z/2023-03-01T07:50:00Z", Data: map[string]any{
			"start": "2023-03-01T07:40:00Z", "end": "2023-03-01T07:50:00Z", "mode": "other"}},
	}
	if !reflect.DeepEqual(res.Records, want) {
		t.Errorf("records\n got %#v\nwant %#v", res.Records, want)
	}
	if res.Skipped != 1 || len(res.Notes) != 0 {
		t.Errorf("skipped %d notes %q", res.Skipped, res.Notes)
	}
	if got, want := leftOut(res), []string{"11|timelineObjects[2].activitySegment|journey|no-date|"}; !reflect.DeepEqual(got, want) {
		t.Errorf("left out %q, want %q", got, want)
	}
}

// Bad positions and numbers in a journey are refused with where they are.
func TestTimelineJourneyErrors(t *testing.T) {
	tests := []struct{ name, in, path string }{
		{"bad geo", `[{"startTime": "2024-06-15T10:00:00Z", "activity": {"start": "geo:north"}}]`, "[0].activity.start"},
		{"bad number", `[{"startTime": "2024-06-15T10:00:00Z", "activity": {"distanceMeters": "far"}}]`, "[0]"},
		{"bad point", `{"semanticSegments": [{"startTime": "2024-06-15T10:00:00Z", "timelinePath": [{"point": "1°"}]}]}`, "semanticSegments[0].timelinePath[0].point"},
		{"bad time", `[{"startTime": "2024-06-15T10:00:00Z", "timelinePath": [{"point": "1,2", "time": "noon"}]}]`, "[0].timelinePath[0].time"},
		{"garbage after", `[{"startTime": "2024-06-15T10:00:00Z", "activity": {}}] []`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FormatTimeline().Parse(strings.NewReader(tt.in))
			if err == nil {
				t.Fatal("accepted")
			}
			if e := asImportError(t, err); e.Element != tt.path {
				t.Errorf("element %q, want %q (%v)", e.Element, tt.path, err)
			}
		})
	}
}
