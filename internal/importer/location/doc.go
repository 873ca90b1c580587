// Package location imports the location history Google lets a person take away, in its three
// shapes: Takeout's raw Records.json, Takeout's monthly Semantic Location History files, and
// the Timeline export Google Maps makes on the phone since 2024 (when Google stopped keeping
// Timeline on its servers, this file became the only copy a person has).
//
// Why a package of its own: where a person goes is among the most revealing data there is,
// and these exports are how it comes back from the company that holds the most of it. The
// files can be hundreds of MB, so each parser (parse*.go) streams its top-level array with
// package jsonstream, decoding one element at a time with bounded size and depth, and
// hands each element to an adapter (adapter*.go) that turns it into records:
//
//   - Records.json: one visit per point (start, lat, lon, accuracyMeters), Key
//     "<start>,<lat>,<lon>" with exact decimal degrees;
//   - Semantic Location History: a place per Google place (Key "place:<placeId>", category
//     home/work/other from the semantic type), a visit per stay (Key "<placeId>@<start>")
//     and a journey per activity segment (Key "<start>/<end>": its mode, distance, ends and
//     waypoints; the ends fall back on the path's first and last points);
//   - Timeline, Android's object or the iPhone's top-level array alike: the same for visit
//     segments, plus places for the frequent places the person labelled HOME or WORK; a
//     journey per activity (Key "<start>/<end>") and per timelinePath (Key
//     "path <start>/<end>", the points with their times, no mode); raw signals and trip
//     summaries are counted in Result.Skipped.
//
// A point, visit, journey or place that cannot be a record (no coordinates, no start time,
// a place without its id, a stay nested deeper than four levels) is left out and listed in
// Result.LeftOut by its line and JSON path; the rest of the file imports.
//
// Fields that hold the Key of another record: visit.place, journey.startPlace and
// journey.endPlace (the place record's Key).
// Instants are stored in UTC; when the source gives a local offset it is kept in tzOffset.
package location
