// Package places is the service "Mapping my life": the places a person visits most and each
// day's itinerary, from the place and visit documents their store holds (their own, or what
// a Google location history export gave back: stays with an end, and the raw trace of points
// without one). Everything is computed here, in the store, each time the page is opened: the
// places are found by clustering, not taken from any company's guess, so the person sees in
// a totally controlled way what their trace says.
//
// The steps (Compute): visits that name a place or have an end are stays; visits with
// neither are points of the location history. Points inside a stay add nothing; a run of
// points that stays within Radius for MinStay becomes a stay of its own; the others are the
// journeys' paths. Stays are clustered into places and consecutive stays at one place become
// one visit (cluster.go); the gaps between visits are the journeys (journey.go); a day is the
// visits and journeys that touch it (day.go). Drawing a map is a projection and a fit
// (project.go, sketch.go): the web only writes it out.
package places

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"selfdata/internal/services"
	"selfdata/internal/store"
)

// Known is a place document: a place the person, or an export, named.
type Known struct {
	ID, Name, Category, Address string
	At                          LatLon
}

// Record is a visit document as read: a stay when it has an end or names a place, a point of
// the location history otherwise. End is zero when the document has none.
type Record struct {
	ID         string
	Start, End time.Time
	At         LatLon
	Place      string // the id of a place document
	Name       string
}

// Read is what Load found in the store.
type Read struct {
	Known   []Known
	Records []Record
	// Unreadable counts documents whose time or coordinates could not be read (a document
	// written before its doctype required them): they are left out, and the page says so.
	Unreadable int
}

// Load reads every place and visit document through rd.
func Load(ctx context.Context, rd services.Reader) (Read, error) {
	var out Read
	placeDocs, err := rd.Docs(ctx, "place")
	if err != nil {
		return Read{}, fmt.Errorf("places: %w", err)
	}
	visitDocs, err := rd.Docs(ctx, "visit")
	if err != nil {
		return Read{}, fmt.Errorf("visits: %w", err)
	}
	for _, d := range placeDocs {
		k, ok := known(d)
		if !ok {
			out.Unreadable++
			continue
		}
		out.Known = append(out.Known, k)
	}
	for _, d := range visitDocs {
		r, ok := record(d)
		if !ok {
			out.Unreadable++
			continue
		}
		out.Records = append(out.Records, r)
	}
	return out, nil
}

func known(d store.Doc) (Known, bool) {
	var v struct {
		Name, Category string
		Lat, Lon       *float64
		Address        any // a text, or an object the page does not show (the name is enough)
	}
	if json.Unmarshal(d.Data, &v) != nil || !valid(v.Lat, v.Lon) {
		return Known{}, false
	}
	k := Known{ID: d.ID, Name: v.Name, Category: v.Category, At: LatLon{*v.Lat, *v.Lon}}
	k.Address, _ = v.Address.(string)
	return k, true
}

func record(d store.Doc) (Record, bool) {
	var v struct {
		Start, End  string
		Lat, Lon    *float64
		Place, Name string
	}
	if json.Unmarshal(d.Data, &v) != nil || !valid(v.Lat, v.Lon) {
		return Record{}, false
	}
	r := Record{ID: d.ID, At: LatLon{*v.Lat, *v.Lon}, Place: v.Place, Name: v.Name}
	var err error
	if r.Start, err = time.Parse(time.RFC3339Nano, v.Start); err != nil {
		return Record{}, false
	}
	if v.End != "" {
		if r.End, err = time.Parse(time.RFC3339Nano, v.End); err != nil {
			return Record{}, false
		}
	}
	return r, true
}

func valid(lat, lon *float64) bool {
	return lat != nil && lon != nil && *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180
}
