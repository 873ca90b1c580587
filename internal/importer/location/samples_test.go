package location

import (
	"bytes"
	"io/fs"
	"path/filepath"
	"reflect"
	"testing"

	"selfdata/internal/importer"
)

func formats() []importer.Format {
	return []importer.Format{FormatRecords(), FormatSemantic(), FormatTimeline()}
}

// The expected values below were read by hand from the sample files.
func TestSampleRecords(t *testing.T) {
	res, err := FormatRecords().Parse(bytes.NewReader(readSample(t, "location/records.json")))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	checkRecords(t, res)
	want := []importer.Record{
		{Doctype: "visit", Key: "2012-12-15T14:21:29.46Z,53.3690550,83.6950010", Data: map[string]any{
			"start": "2012-12-15T14:21:29.46Z", "lat": 53.369055, "lon": 83.695001, "accuracyMeters": 150.0, "source": "UNKNOWN"}},
		{Doctype: "visit", Key: "2013-01-04T10:22:43.225Z,53.3563380,83.7616500", Data: map[string]any{
			"start": "2013-01-04T10:22:43.225Z", "lat": 53.356338, "lon": 83.76165, "accuracyMeters": 18000.0, "source": "UNKNOWN"}},
		{Doctype: "visit", Key: "2013-03-01T05:17:39.849Z,53.3690589,83.6951347", Data: map[string]any{
			"start": "2013-03-01T05:17:39.849Z", "lat": 53.3690589, "lon": 83.6951347, "accuracyMeters": 22.0, "source": "WIFI"}},
	}
	if !reflect.DeepEqual(res.Records, want) {
		t.Errorf("records\n got %#v\nwant %#v", res.Records, want)
	}
	if res.Format != "google.location.records" || res.Skipped != 0 || len(res.Notes) != 0 {
		t.Errorf("format %q skipped %d notes %q", res.Format, res.Skipped, res.Notes)
	}
}

// The sample holds three journeys and no stay: nothing to import, three skipped.
func TestSampleSemantic(t *testing.T) {
	res, err := FormatSemantic().Parse(bytes.NewReader(readSample(t, "location/semantic_history.json")))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	wantNotes := []string{"3 journey(s) (activity segments) not imported: no doctype yet"}
	if len(res.Records) != 0 || res.Skipped != 3 || !reflect.DeepEqual(res.Notes, wantNotes) {
		t.Errorf("records %d skipped %d notes %q", len(res.Records), res.Skipped, res.Notes)
	}
}

func TestSampleTimeline(t *testing.T) {
	res, err := FormatTimeline().Parse(bytes.NewReader(readSample(t, "location/timeline_new_format.json")))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	checkRecords(t, res)
	want := []importer.Record{
		// Named and classed from userLocationProfile, which comes after the segments.
		{Doctype: "place", Key: "place:ChIJtest123", Data: map[string]any{
			"name": "Home", "category": "home", "lat": 48.8566, "lon": 2.3522}},
		{Doctype: "visit", Key: "ChIJtest123@2024-06-15T07:00:00Z", Data: map[string]any{
			"start": "2024-06-15T07:00:00Z", "end": "2024-06-15T08:00:00Z", "tzOffset": "+02:00",
			"lat": 48.8566, "lon": 2.3522, "place": "place:ChIJtest123", "confidence": 0.95}},
		{Doctype: "place", Key: "place:ChIJtest456", Data: map[string]any{
			"name": "Work", "category": "work", "lat": 48.8606, "lon": 2.3376}},
	}
	if !reflect.DeepEqual(res.Records, want) {
		t.Errorf("records\n got %#v\nwant %#v", res.Records, want)
	}
	wantNotes := []string{
		"1 journey(s) (activity segments) not imported: no doctype yet",
		"2 timeline path point(s) not imported",
		"1 raw signal(s) (positions, Wi-Fi scans, activity records) not imported",
	}
	if res.Skipped != 4 || !reflect.DeepEqual(res.Notes, wantNotes) {
		t.Errorf("skipped %d notes %q", res.Skipped, res.Notes)
	}
}

// TestDetectSamples runs each Detect on every sample of every format: each location sample
// is claimed by its own format only, and nothing else is claimed.
func TestDetectSamples(t *testing.T) {
	dir := samplesDir()
	if dir == "" {
		t.Skip("sample folder ../shared/samples not found (set SELFDATA_SAMPLES)")
	}
	mine := map[string]string{
		"location/records.json":             NameRecords,
		"location/semantic_history.json":    NameSemantic,
		"location/timeline_new_format.json": NameTimeline,
	}
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "README.md" {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		head := readSample(t, rel)
		head = head[:min(len(head), 8<<10)]
		for _, f := range formats() {
			if got, want := f.Detect(head, d.Name()), mine[rel] == f.Name; got != want {
				t.Errorf("%s Detect(%s) = %v, want %v", f.Name, rel, got, want)
			}
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 30 {
		t.Errorf("only %d sample files seen", n)
	}
}
