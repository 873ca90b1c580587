package location

import (
	"fmt"
	"io"

	"selfdata/internal/importer"
	"selfdata/internal/importer/jsonstream"
)

// Source locates an element in the file, for the adapter's error messages.
type Source struct {
	Line int    `json:"-"`
	Path string `json:"-"`
}

// Point is one raw position of Records.json (Takeout "Location History", until 2024).
type Point struct {
	Source
	LatitudeE7  *int64   `json:"latitudeE7"`
	LongitudeE7 *int64   `json:"longitudeE7"`
	Accuracy    *float64 `json:"accuracy"`
	// Origin is how the phone got the point: GPS, WIFI, CELL, UNKNOWN.
	Origin string `json:"source"`
	// Timestamp is RFC 3339 in exports since 2022; older ones give TimestampMs instead, the
	// milliseconds since 1970 as a decimal string.
	Timestamp   string `json:"timestamp"`
	TimestampMs string `json:"timestampMs"`
}

// ParseRecords streams Records.json ({"locations":[...]}) and calls fn with each point in
// file order; a file of hundreds of MB is never held in memory.
func ParseRecords(r io.Reader, fn func(Point) error) error {
	s := jsonstream.New(importer.LimitReader(r), "a Google location export")
	found := false
	err := s.Object("", func(key string) error {
		if key != "locations" {
			return s.Skip(key)
		}
		found = true
		return s.Array("locations", func(i int) error {
			path := fmt.Sprintf("locations[%d]", i)
			v, err := s.Value(path)
			if err != nil {
				return err
			}
			p := Point{Source: Source{Line: v.Line, Path: path}}
			if err := v.Decode(path, &p); err != nil {
				return err
			}
			return fn(p)
		})
	})
	if err == nil {
		err = s.End()
	}
	if err == nil && !found {
		err = importer.Errorf(1, "locations", "no \"locations\" array: this is not a Records.json location history")
	}
	return err
}
