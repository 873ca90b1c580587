package track

import (
	"io"

	"selfdata/internal/importer"
)

// The formats' names in Results and reports.
const (
	NameGPX = "gpx"
	NameKML = "kml"
)

// FormatGPX is GPX 1.1 (and 1.0), the exchange format of GPS tracks.
func FormatGPX() importer.Format {
	return importer.Format{Name: NameGPX, Detect: detectRoot("gpx", gpxNamespace), Parse: func(r io.Reader) (*importer.Result, error) {
		f, err := ParseGPX(r)
		if err != nil {
			return nil, err
		}
		return Adapt(NameGPX, f), nil
	}}
}

// FormatKML is KML 2.2, Google Earth's format, which Google My Maps exports too.
func FormatKML() importer.Format {
	return importer.Format{Name: NameKML, Detect: detectRoot("kml", kmlNamespace), Parse: func(r io.Reader) (*importer.Result, error) {
		f, err := ParseKML(r)
		if err != nil {
			return nil, err
		}
		return Adapt(NameKML, f), nil
	}}
}

// detectRoot claims XML whose root has that local name, whatever its prefix, in one of the
// format's namespaces: no other format read here has a <gpx> or <kml> root.
func detectRoot(local string, namespace func(string) bool) func(head []byte, name string) bool {
	return func(head []byte, _ string) bool {
		root, ok := importer.XMLRoot(head)
		return ok && root.Local == local && namespace(root.Space)
	}
}
