package track

// File is what a GPX or KML file holds, in its own terms.
type File struct {
	Tracks []Track
	// Others counts what holds a position but is no journey: GPX waypoints, KML Placemarks
	// of a point or a polygon.
	Others int
}

// Track is one line of positions: a GPX track (its segments joined) or route, or a KML
// Placemark's lines and tracks.
type Track struct {
	Line    int    // where its element starts
	Element string // its path from the root, "gpx/trk[2]", "kml/Document/Placemark[3]"
	What    string // "track", "route" or "placemark", for messages
	Name    string
	Type    string // GPX <type>: the activity as the app names it ("running", "cycling")
	// Begin and End are a KML Placemark's TimeSpan (or TimeStamp, Begin alone): the times of
	// a line whose points have none.
	Begin, End stamp
	Points     []Point
}

// Point is one position.
type Point struct {
	Lat, Lon float64
	Ele      float64 // metres above sea level, when HasEle
	HasEle   bool
	At       stamp
	// Break is set on the first point of each segment after the first: the device stopped
	// recording before it, so the way from the previous point is not known.
	Break bool
}
