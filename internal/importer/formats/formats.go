// Package formats lists the importers in the order detection tries them: the most specific
// signatures first, so that a generic sniff (a CSV header, a JSON object) never claims a file
// that a stricter format recognizes.
package formats

import "selfdata/internal/importer"

// All returns every importer selfdata has.
func All() []importer.Format {
	return []importer.Format{}
}
