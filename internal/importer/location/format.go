package location

import (
	"encoding/json"

	"selfdata/internal/importer"
	"selfdata/internal/importer/jsonstream"
)

// The formats' names in Results and reports.
const (
	NameRecords  = "google.location.records"
	NameSemantic = "google.location.semantic"
	NameTimeline = "google.location.timeline"
)

// FormatRecords is Takeout's raw Location History, Records.json.
func FormatRecords() importer.Format {
	return importer.Format{Name: NameRecords, Detect: detectKey("locations"), Parse: AdaptRecords}
}

// FormatSemantic is Takeout's Semantic Location History (one file per month).
func FormatSemantic() importer.Format {
	return importer.Format{Name: NameSemantic, Detect: detectKey("timelineObjects"), Parse: AdaptSemantic}
}

// FormatTimeline is the Timeline export Google Maps makes on the phone since 2024.
func FormatTimeline() importer.Format {
	return importer.Format{Name: NameTimeline, Detect: detectKey("semanticSegments"), Parse: AdaptTimeline}
}

// detectKey claims a JSON object that has the given top-level key holding an array: each of
// the three exports is told by its one array, and no other format here has them.
func detectKey(want string) func(head []byte, name string) bool {
	return func(head []byte, _ string) bool {
		found := false
		jsonstream.Sniff(head, func(depth int, key string, v json.Token) bool {
			if depth == 1 && key == want {
				found = v == json.Delim('[')
				return false
			}
			return true
		})
		return found
	}
}
