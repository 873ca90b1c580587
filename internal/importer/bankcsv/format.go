package bankcsv

import (
	"bytes"
	"io"

	"selfdata/internal/importer"
)

// Format is the bank CSV importer as detection sees it: it claims a file only when the
// columns are guessed for sure, and Likely is true for every delimited file of a bank's
// shape, so that the import page can offer to name the columns.
func Format() importer.Format {
	return importer.Format{Name: Name, Detect: Detect, Likely: Likely, Parse: parseGuessed}
}

// Detect claims a file whose head sniffs as a bank's export and whose columns are guessed
// for sure. Utilities' CSVs (water, Enedis) have no label or amount column: never sure.
func Detect(head []byte, _ string) bool {
	t, ok := Sniff(head)
	if !ok {
		return false
	}
	_, sure := Guess(t)
	return sure
}

// Likely is true when the head sniffs as delimited text of a bank's shape.
func Likely(head []byte, _ string) bool {
	_, ok := Sniff(head)
	return ok
}

// parseGuessed reads a file through the mapping guessed from its head; when the guess is
// not sure, the person must name the columns (importer.KindNeedsMapping).
func parseGuessed(r io.Reader) (*importer.Result, error) {
	b, err := io.ReadAll(importer.LimitReader(r))
	if err != nil {
		return nil, &importer.Error{Reason: err.Error(), Err: err}
	}
	t, ok := Sniff(b[:min(len(b), HeadBytes)])
	if !ok {
		return nil, importer.Errorf(0, "", "the file is not a bank's delimited export (a header, then rows with a date and an amount)")
	}
	m, sure := Guess(t)
	if !sure {
		e := importer.Errorf(0, "", "the columns of this bank's export could not be told for sure: name them").WithKind(importer.KindNeedsMapping)
		e.Format = Name
		return nil, e
	}
	return Parse(bytes.NewReader(b), m)
}
