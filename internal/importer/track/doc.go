// Package track imports the tracks that sports and navigation apps (Strava, Garmin Connect,
// Komoot, OsmAnd, Google My Maps, Google Earth) let a person take away, as GPX 1.1 (and
// 1.0) or KML 2.2 files, into journeys.
//
// Why a package of its own: these files are how a person's outings come back from the apps
// that recorded them, and they are the same thing in two dialects — a line of positions,
// with times when a device recorded it. Each parser (gpx.go, kml.go) streams the XML with
// a strict decoder that refuses a DTD, compares elements by their local name (whatever
// prefix the file gives them) and returns the tracks as the file writes them; the adapter
// (adapter.go) turns each into one journey:
//
//   - GPX: a journey per <trk> (its segments joined) and per <rte>; the activity's <type>
//     gives the mode when it names one the journey doctype has; waypoints are not journeys;
//   - KML: a journey per Placemark holding a LineString, a gx:Track or several of them
//     (MultiGeometry, gx:MultiTrack), at any depth of Documents and Folders; times come
//     from the gx:Track's <when>, else from the Placemark's TimeSpan or TimeStamp.
//
// A journey's Key is "track <start>/<end>": one person makes one journey at a time, so its
// interval identifies it, importing the file again adds nothing, and the same outing
// exported as GPX and as KML is one journey. A track without any time cannot be a journey
// (the doctype requires its start): it is left out and listed in Result.LeftOut. A
// coordinate off the globe makes the file malformed, as GPX's and KML's schemas and the
// location importer have it. Instants are stored in UTC; the offset the file wrote the
// start with is kept in tzOffset.
package track
