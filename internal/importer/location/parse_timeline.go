package location

import (
	"bufio"
	"bytes"
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
	StartTimeTimezoneUtcOffsetMinutes *int              `json:"startTimeTimezoneUtcOffsetMinutes"`
	Visit                             *TimelineVisit    `json:"visit"`
	Activity                          *TimelineActivity `json:"activity"`
	TimelinePath                      []PathPoint       `json:"timelinePath"`
	TimelineMemory                    *struct{}         `json:"timelineMemory"`
}

// TimelineActivity is a journey between two stays, with the way Google thinks most likely.
type TimelineActivity struct {
	Start          LatLng  `json:"start"`
	End            LatLng  `json:"end"`
	DistanceMeters *Number `json:"distanceMeters"`
	TopCandidate   struct {
		// Type is "IN_PASSENGER_VEHICLE" on Android, "in passenger vehicle" on the iPhone.
		Type string `json:"type"`
	} `json:"topCandidate"`
}

// PathPoint is one point of a timelinePath: Android gives its time, the iPhone its minutes
// after the segment's start.
type PathPoint struct {
	Point                              LatLng  `json:"point"`
	Time                               string  `json:"time"`
	DurationMinutesOffsetFromStartTime *Number `json:"durationMinutesOffsetFromStartTime"`
}

// TimelineVisit is a stay, with the place Google thinks most likely.
type TimelineVisit struct {
	Probability  *Number   `json:"probability"`
	TopCandidate Candidate `json:"topCandidate"`
}

// Candidate is a place a stay may have been at. The iPhone spells placeId "placeID", which
// the decoder's case-insensitive match takes too.
type Candidate struct {
	PlaceID       string  `json:"placeId"`
	SemanticType  string  `json:"semanticType"`
	Probability   *Number `json:"probability"`
	PlaceLocation LatLng  `json:"placeLocation"`
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
// order; raw signals are counted, frequent places returned. It reads both shapes: Android's
// object ({"semanticSegments":[...], ...}) and the iPhone's top-level array of segments.
func ParseTimeline(r io.Reader, fn func(Segment) error) (*TimelineRest, error) {
	br := bufio.NewReader(importer.LimitReader(r))
	array := startsArray(br) // before the stream reads from br
	s := jsonstream.New(br, "a Google location export")
	if array {
		err := s.Array("", func(i int) error { return segment(s, fmt.Sprintf("[%d]", i), fn) })
		if err == nil {
			err = s.End()
		}
		if err != nil {
			return nil, err
		}
		return &TimelineRest{}, nil
	}
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

// startsArray tells whether the first byte after a byte order mark and blanks opens an
// array, without consuming anything: the iPhone's export is an array, Android's an object.
func startsArray(br *bufio.Reader) bool {
	head, _ := br.Peek(4096)
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\uFEFF")), " \t\r\n")
	return len(head) > 0 && head[0] == '['
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
