package location

import (
	"fmt"
	"io"

	"selfdata/internal/importer"
	"selfdata/internal/importer/jsonstream"
)

// Segment is one element of semanticSegments in the Timeline export Google Maps makes on
// the phone since 2024 (Settings → Location → Timeline → Export): a visit, a journey
// (activity), a path of raw points, or a trip summary (memory).
type Segment struct {
	Source
	StartTime string `json:"startTime"`
	EndTime   string `json:"endTime"`
	// StartTimeTimezoneUtcOffsetMinutes is the local offset at the start, e.g. 120.
	StartTimeTimezoneUtcOffsetMinutes *int           `json:"startTimeTimezoneUtcOffsetMinutes"`
	Visit                             *TimelineVisit `json:"visit"`
	Activity                          *struct{}      `json:"activity"`
	TimelinePath                      []struct{}     `json:"timelinePath"`
	TimelineMemory                    *struct{}      `json:"timelineMemory"`
}

// TimelineVisit is a stay, with the place Google thinks most likely.
type TimelineVisit struct {
	Probability  *float64  `json:"probability"`
	TopCandidate Candidate `json:"topCandidate"`
}

// Candidate is a place a stay may have been at.
type Candidate struct {
	PlaceID       string   `json:"placeId"`
	SemanticType  string   `json:"semanticType"`
	Probability   *float64 `json:"probability"`
	PlaceLocation struct {
		// LatLng is written "48.8566°, 2.3522°".
		LatLng string `json:"latLng"`
	} `json:"placeLocation"`
}

// FrequentPlace is a place of userLocationProfile, labelled HOME or WORK by the person.
type FrequentPlace struct {
	Source
	PlaceID       string `json:"placeId"`
	PlaceLocation string `json:"placeLocation"`
	Label         string `json:"label"`
}

// TimelineRest is what a Timeline export holds besides its segments.
type TimelineRest struct {
	RawSignals     int // positions, Wi-Fi scans, activity records: counted, not kept
	FrequentPlaces []FrequentPlace
}

// ParseTimeline streams a Timeline export and calls fn with each semantic segment in file
// order; raw signals are counted, frequent places returned.
func ParseTimeline(r io.Reader, fn func(Segment) error) (*TimelineRest, error) {
	s := jsonstream.New(importer.LimitReader(r), "a Google location export")
	rest := &TimelineRest{}
	found := false
	err := s.Object("", func(key string) error {
		switch key {
		case "semanticSegments":
			found = true
			return s.Array(key, func(i int) error { return segment(s, fmt.Sprintf("%s[%d]", key, i), fn) })
		case "rawSignals":
			return s.Array(key, func(i int) error {
				rest.RawSignals++
				return s.Skip(fmt.Sprintf("%s[%d]", key, i))
			})
		case "userLocationProfile":
			return s.Object(key, func(k string) error {
				if k != "frequentPlaces" {
					return s.Skip(key + "." + k)
				}
				return s.Array(key+"."+k, func(i int) error {
					return frequentPlace(s, fmt.Sprintf("%s.%s[%d]", key, k, i), rest)
				})
			})
		}
		return s.Skip(key)
	})
	if err == nil {
		err = s.End()
	}
	if err == nil && !found {
		err = importer.Errorf(1, "semanticSegments", "no \"semanticSegments\" array: this is not a Google Timeline export")
	}
	if err != nil {
		return nil, err
	}
	return rest, nil
}

func segment(s *jsonstream.Stream, path string, fn func(Segment) error) error {
	v, err := s.Value(path)
	if err != nil {
		return err
	}
	g := Segment{Source: Source{Line: v.Line, Path: path}}
	if err := v.Decode(path, &g); err != nil {
		return err
	}
	return fn(g)
}

func frequentPlace(s *jsonstream.Stream, path string, rest *TimelineRest) error {
	v, err := s.Value(path)
	if err != nil {
		return err
	}
	p := FrequentPlace{Source: Source{Line: v.Line, Path: path}}
	if err := v.Decode(path, &p); err != nil {
		return err
	}
	if len(rest.FrequentPlaces) < 10_000 { // a profile lists a handful; more is not a profile
		rest.FrequentPlaces = append(rest.FrequentPlaces, p)
	}
	return nil
}
