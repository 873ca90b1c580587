package location_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"selfdata/internal/importer/location"
	"selfdata/internal/restore"
	"selfdata/internal/restore/restoretest"
	"selfdata/internal/store"
)

// TestJourneysReachTheStore imports an iPhone Timeline and a Semantic Location History file
// into a real store twice: the journeys are stored, their place references become the
// place documents' ids, and the second import adds and changes nothing.
func TestJourneysReachTheStore(t *testing.T) {
	ctx := context.Background()
	im, db, p := restoretest.Open(t, location.FormatRecords(), location.FormatSemantic(), location.FormatTimeline())
	src := store.Source{Kind: "upload", Name: "timeline.json", At: time.Now()}
	files := []struct{ name, content string }{
		{"location-history.json", `[
		  {"startTime": "2024-06-15T09:00:00+02:00", "endTime": "2024-06-15T10:00:00+02:00",
		   "visit": {"topCandidate": {"placeID": "H", "placeLocation": "geo:45.7578,4.832"}}},
		  {"startTime": "2024-06-15T10:00:00+02:00", "endTime": "2024-06-15T10:25:00+02:00",
		   "activity": {"start": "geo:45.7578,4.832", "end": "geo:45.7606,4.8596", "distanceMeters": "3120",
		     "topCandidate": {"type": "in bus"}}},
		  {"startTime": "2024-06-15T10:00:00+02:00", "endTime": "2024-06-15T12:00:00+02:00",
		   "timelinePath": [{"point": "geo:45.7578,4.832", "durationMinutesOffsetFromStartTime": "3"}]}
		]`},
		{"2023_MARCH.json", `{"timelineObjects": [{"activitySegment": {
		   "startLocation": {"latitudeE7": 457578000, "longitudeE7": 48320000, "placeId": "H"},
		   "endLocation": {"latitudeE7": 457606000, "longitudeE7": 48596000},
		   "duration": {"startTimestamp": "2023-03-01T07:40:00Z", "endTimestamp": "2023-03-01T07:55:00Z"},
		   "activityType": "CYCLING", "distance": 3000}}]}`},
	}
	for _, f := range files {
		first, err := im.File(ctx, p, src, f.name, strings.NewReader(f.content), "", nil)
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		again, err := im.File(ctx, p, src, f.name, strings.NewReader(f.content), "", nil)
		if err != nil {
			t.Fatalf("%s again: %v", f.name, err)
		}
		if first.Created == 0 || again.Created != 0 || again.Updated != 0 || again.Unchanged != first.Created+first.Unchanged {
			t.Errorf("%s: first %+v, again %+v", f.name, first, again)
		}
	}
	res, err := db.Query(ctx, p.Instance, store.Query{Doctype: "journey"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 3 {
		t.Fatalf("%d journeys stored, want 3", len(res.Items))
	}
	home := restore.ID(src, "place", "place:H")
	modes := map[string]string{}
	for _, d := range res.Items {
		var j struct{ Start, Mode, StartPlace string }
		if err := json.Unmarshal(d.Data, &j); err != nil {
			t.Fatal(err)
		}
		if j.Mode != "" { // the path alone, which starts with the bus journey, has none
			modes[j.Start] = j.Mode
		}
		if j.StartPlace != "" && j.StartPlace != home {
			t.Errorf("journey %s leaves %q, want the place's id %q", j.Start, j.StartPlace, home)
		}
		if j.Start == "2023-03-01T07:40:00Z" && j.StartPlace != home {
			t.Errorf("the semantic journey does not point to its place: %s", d.Data)
		}
	}
	if modes["2023-03-01T07:40:00Z"] != "cycling" || modes["2024-06-15T08:00:00Z"] != "bus" {
		t.Errorf("modes %v", modes)
	}
}
