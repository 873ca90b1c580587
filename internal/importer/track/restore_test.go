package track_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"selfdata/internal/importer/track"
	"selfdata/internal/restore/restoretest"
	"selfdata/internal/store"
)

// TestJourneysReachTheStore imports a GPX and a KML file into a real store twice: their
// journeys are stored with their mode, and the second import adds and changes nothing.
func TestJourneysReachTheStore(t *testing.T) {
	ctx := context.Background()
	im, db, p := restoretest.Open(t, track.FormatGPX(), track.FormatKML())
	src := store.Source{Kind: "upload", Name: "tracks", At: time.Now()}
	for _, name := range []string{"garmin.gpx", "mymaps.kml"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		first, err := im.File(ctx, p, src, name, bytes.NewReader(b), "", nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		again, err := im.File(ctx, p, src, name, bytes.NewReader(b), "", nil)
		if err != nil {
			t.Fatalf("%s again: %v", name, err)
		}
		if first.Created == 0 || again.Created != 0 || again.Updated != 0 || again.Unchanged != first.Created+first.Unchanged {
			t.Errorf("%s: first %+v, again %+v", name, first, again)
		}
	}
	res, err := db.Query(ctx, p.Instance, store.Query{Doctype: "journey"})
	if err != nil {
		t.Fatal(err)
	}
	modes := map[string]string{}
	for _, d := range res.Items {
		var j struct{ Name, Mode string }
		if err := json.Unmarshal(d.Data, &j); err != nil {
			t.Fatal(err)
		}
		modes[j.Name] = j.Mode
	}
	want := map[string]string{"Morning Run": "running", "Evening Ride": "cycling", "Commute": "cycling", "Walk to the lake": "", "Recorded": ""}
	if len(res.Items) != len(want) {
		t.Fatalf("%d journeys stored, want %d: %v", len(res.Items), len(want), modes)
	}
	for name, m := range want {
		if got, ok := modes[name]; !ok || got != m {
			t.Errorf("journey %q: mode %q (stored: %v), want %q", name, got, ok, m)
		}
	}
}
