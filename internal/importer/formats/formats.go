// Package formats lists the importers in the order detection tries them: the most specific
// signatures first, so that a generic sniff (a CSV header, a JSON object) never claims a file
// that a stricter format recognizes.
package formats

import (
	"selfdata/internal/importer"
	"selfdata/internal/importer/bankcsv"
	"selfdata/internal/importer/camt"
	"selfdata/internal/importer/cfonb"
	"selfdata/internal/importer/enedis"
	"selfdata/internal/importer/fhir"
	"selfdata/internal/importer/grdf"
	"selfdata/internal/importer/greenbutton"
	"selfdata/internal/importer/ical"
	"selfdata/internal/importer/location"
	"selfdata/internal/importer/ofx"
	"selfdata/internal/importer/track"
	"selfdata/internal/importer/vcard"
	"selfdata/internal/importer/water"
)

// All returns every importer selfdata has.
func All() []importer.Format {
	return withLikely([]importer.Format{
		ofx.Format(),
		camt.Format(),
		cfonb.Format(),
		greenbutton.Format(),
		enedis.FormatSOAP(),
		enedis.FormatHDM(),
		enedis.FormatDataConnect(),
		ical.Format(),
		vcard.Format(),
		fhir.Format(),
		location.FormatRecords(),
		location.FormatSemantic(),
		location.FormatTimeline(),
		track.FormatGPX(), track.FormatKML(),
		grdf.FormatADICT(),
		grdf.FormatPortal(),
		bankcsv.Format(),
		water.Format(),
	})
}
