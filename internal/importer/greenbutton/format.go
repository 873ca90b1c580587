package greenbutton

import (
	"bytes"
	"io"

	"selfdata/internal/importer"
)

// Format is the Green Button importer.
func Format() importer.Format {
	return importer.Format{Name: Name, Detect: Detect, Parse: parse}
}

// Detect claims an Atom feed that uses the ESPI namespace. Both are needed: other Atom feeds
// are not meter data, and the ESPI namespace alone could sit in another XML document.
func Detect(head []byte, _ string) bool {
	return bytes.Contains(head, []byte("<feed")) &&
		bytes.Contains(head, []byte("http://www.w3.org/2005/Atom")) &&
		bytes.Contains(head, []byte("naesb.org/espi"))
}

func parse(r io.Reader) (*importer.Result, error) {
	f, err := Parse(importer.LimitReader(r))
	if err != nil {
		return nil, err
	}
	return Adapt(f)
}
