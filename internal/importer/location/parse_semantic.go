package location

import (
	"fmt"
	"io"

	"selfdata/internal/importer"
	"selfdata/internal/importer/jsonstream"
)

// TimelineObject is one element of a Semantic Location History file (Takeout, one file per
// month, "2019_JANUARY.json"): a stay at a place or a journey between two.
type TimelineObject struct {
	Source
	PlaceVisit      *PlaceVisit      `json:"placeVisit"`
	ActivitySegment *ActivitySegment `json:"activitySegment"`
}

// PlaceVisit is a stay at a place.
type PlaceVisit struct {
	Location        SemanticLocation `json:"location"`
	Duration        Duration         `json:"duration"`
	PlaceConfidence string           `json:"placeConfidence"`
	// VisitConfidence is 0..100.
	VisitConfidence *float64 `json:"visitConfidence"`
	// ChildVisits are stays inside the place (a shop in a shopping centre).
	ChildVisits []PlaceVisit `json:"childVisits"`
}

// SemanticLocation is the place Google matched a stay to.
type SemanticLocation struct {
	LatitudeE7   *int64 `json:"latitudeE7"`
	LongitudeE7  *int64 `json:"longitudeE7"`
	PlaceID      string `json:"placeId"`
	Address      string `json:"address"`
	Name         string `json:"name"`
	SemanticType string `json:"semanticType"`
}

// Duration bounds a stay or a journey: RFC 3339 since 2022, milliseconds before.
type Duration struct {
	StartTimestamp   string `json:"startTimestamp"`
	EndTimestamp     string `json:"endTimestamp"`
	StartTimestampMs string `json:"startTimestampMs"`
	EndTimestampMs   string `json:"endTimestampMs"`
}

// ActivitySegment is a journey between two stays.
type ActivitySegment struct {
	StartLocation SemanticLocation `json:"startLocation"`
	EndLocation   SemanticLocation `json:"endLocation"`
	Duration      Duration         `json:"duration"`
	// Distance is Google's estimate in metres; waypointPath.distanceMeters is the fallback.
	Distance *float64 `json:"distance"`
	// ActivityType is the most likely way (WALKING, IN_BUS...); Activities lists them all,
	// most likely first, and some files give only that list or waypointPath.travelMode.
	ActivityType string `json:"activityType"`
	Activities   []struct {
		ActivityType string `json:"activityType"`
	} `json:"activities"`
	WaypointPath struct {
		Waypoints      []E7Point `json:"waypoints"`
		DistanceMeters *float64  `json:"distanceMeters"`
		TravelMode     string    `json:"travelMode"`
	} `json:"waypointPath"`
	SimplifiedRawPath struct {
		Points []E7Point `json:"points"`
	} `json:"simplifiedRawPath"`
}

// E7Point is a point of a journey's path, in degrees × 10⁷, with a time in raw paths.
type E7Point struct {
	LatE7       *int64 `json:"latE7"`
	LngE7       *int64 `json:"lngE7"`
	Timestamp   string `json:"timestamp"`
	TimestampMs string `json:"timestampMs"`
}

// ParseSemantic streams a Semantic Location History file ({"timelineObjects":[...]}) and
// calls fn with each timeline object in file order.
func ParseSemantic(r io.Reader, fn func(TimelineObject) error) error {
	s := jsonstream.New(importer.LimitReader(r), "a Google location export")
	found := false
	err := s.Object("", func(key string) error {
		if key != "timelineObjects" {
			return s.Skip(key)
		}
		found = true
		return s.Array("timelineObjects", func(i int) error {
			path := fmt.Sprintf("timelineObjects[%d]", i)
			v, err := s.Value(path)
			if err != nil {
				return err
			}
			o := TimelineObject{Source: Source{Line: v.Line, Path: path}}
			if err := v.Decode(path, &o); err != nil {
				return err
			}
			return fn(o)
		})
	})
	if err == nil {
		err = s.End()
	}
	if err == nil && !found {
		err = importer.Errorf(1, "timelineObjects", "no \"timelineObjects\" array: this is not a Semantic Location History file")
	}
	return err
}
