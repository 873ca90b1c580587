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
// are not meter data, and the ESPI namespace alone could sit in another XML document. The
// root is found by its namespace and local name, so a prefixed <ns1:feed> (as utilities'
// production APIs write it) is claimed like <feed>.
func Detect(head []byte, _ string) bool {
	root, ok := importer.XMLRoot(head)
	return ok && root.Local == "feed" && root.Space == atomNS &&
		bytes.Contains(head, []byte("naesb.org/espi"))
}

// atomNS is the Atom namespace, that of the feed's root.
const atomNS = "http://www.w3.org/2005/Atom"

func parse(r io.Reader) (*importer.Result, error) {
	f, err := Parse(importer.LimitReader(r))
	if err != nil {
		return nil, err
	}
	return Adapt(f)
}
