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

// The sample holds three journeys and no stay: three journeys, their ends taken from their
// waypoints (the start and end locations are empty), the mode from the travel mode (every
// activity has probability 0), the distance from "distance" when there is one.
func TestSampleSemantic(t *testing.T) {
	res, err := FormatSemantic().Parse(bytes.NewReader(readSample(t, "location/semantic_history.json")))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	checkRecords(t, res)
	pt := func(lat, lon float64) map[string]any { return map[string]any{"lat": lat, "lon": lon} }
	want := []importer.Record{
		{Doctype: "journey", Key: "2013-12-01T07:05:14.222Z/2013-12-01T07:11:13.214Z", Data: map[string]any{
			"start": "2013-12-01T07:05:14.222Z", "end": "2013-12-01T07:11:13.214Z", "mode": "walking",
			"distanceMeters": 209.65263509609417, "startLat": 53.340744, "startLon": 83.7026901,
			"endLat": 53.3410301, "endLon": 83.705101, "path": []any{pt(53.340744, 83.7026901), pt(53.3410301, 83.705101)}}},
		{Doctype: "journey", Key: "2013-12-01T07:11:13.214Z/2013-12-01T08:25:17.226Z", Data: map[string]any{
			"start": "2013-12-01T07:11:13.214Z", "end": "2013-12-01T08:25:17.226Z", "mode": "driving",
			"distanceMeters": 3853.0, "startLat": 53.3410301, "startLon": 83.705101,
			"endLat": 53.3519706, "endLon": 83.7596359, "path": []any{pt(53.3410301, 83.705101), pt(53.3519706, 83.7596359)}}},
		{Doctype: "journey", Key: "2013-12-01T08:25:17.226Z/2013-12-01T09:11:45.637Z", Data: map[string]any{
			"start": "2013-12-01T08:25:17.226Z", "end": "2013-12-01T09:11:45.637Z", "mode": "walking",
			"distanceMeters": 413.0, "startLat": 53.3519706, "startLon": 83.7596359,
			"endLat": 53.3481369, "endLon": 83.7608337, "path": []any{pt(53.3519706, 83.7596359), pt(53.3481369, 83.7608337)}}},
	}
	if !reflect.DeepEqual(res.Records, want) {
		t.Errorf("records\n got %#v\nwant %#v", res.Records, want)
	}
	if res.Skipped != 0 || len(res.Notes) != 0 {
		t.Errorf("skipped %d notes %q", res.Skipped, res.Notes)
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
		{Doctype: "journey", Key: "2024-06-15T08:00:00Z/2024-06-15T08:30:00Z", Data: map[string]any{
			"start": "2024-06-15T08:00:00Z", "end": "2024-06-15T08:30:00Z", "tzOffset": "+02:00", "mode": "driving",
			"startLat": 48.8566, "startLon": 2.3522, "endLat": 48.8606, "endLon": 2.3376}},
		{Doctype: "journey", Key: "path 2024-06-15T08:30:00Z/2024-06-15T09:00:00Z", Data: map[string]any{
			"start": "2024-06-15T08:30:00Z", "end": "2024-06-15T09:00:00Z", "tzOffset": "+02:00",
			"startLat": 48.8606, "startLon": 2.3376, "endLat": 48.862, "endLon": 2.335, "path": []any{
				map[string]any{"lat": 48.8606, "lon": 2.3376, "at": "2024-06-15T08:35:00Z"},
				map[string]any{"lat": 48.862, "lon": 2.335, "at": "2024-06-15T08:40:00Z"}}}},
		{Doctype: "place", Key: "place:ChIJtest456", Data: map[string]any{
			"name": "Work", "category": "work", "lat": 48.8606, "lon": 2.3376}},
	}
	if !reflect.DeepEqual(res.Records, want) {
		t.Errorf("records\n got %#v\nwant %#v", res.Records, want)
	}
	wantNotes := []string{
		"1 raw signal(s) (positions, Wi-Fi scans, activity records) not imported",
	}
	if res.Skipped != 1 || !reflect.DeepEqual(res.Notes, wantNotes) {
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
