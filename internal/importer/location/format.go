package location

import (
	"bytes"
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

// FormatTimeline is the Timeline export Google Maps makes on the phone since 2024: an object
// with semanticSegments on Android, a bare array of segments on the iPhone.
func FormatTimeline() importer.Format {
	object := detectKey("semanticSegments")
	return importer.Format{Name: NameTimeline, Parse: AdaptTimeline, Detect: func(head []byte, name string) bool {
		return object(head, name) || detectSegmentArray(head)
	}}
}

// detectSegmentArray claims the iPhone's Timeline: a top-level array whose elements have a
// startTime and a visit, activity, timelinePath or timelineMemory. Both keys are needed, so
// that another array of timed objects is not taken for it.
func detectSegmentArray(head []byte) bool {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\uFEFF")), " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '[' {
		return false
	}
	timed, kind := false, false
	jsonstream.Sniff(trimmed, func(depth int, key string, v json.Token) bool {
		if depth == 2 {
			switch key {
			case "startTime":
				_, timed = v.(string)
			case "visit", "activity", "timelineMemory":
				kind = kind || v == json.Delim('{')
			case "timelinePath":
				kind = kind || v == json.Delim('[')
			}
		}
		return !(timed && kind)
	})
	return timed && kind
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
