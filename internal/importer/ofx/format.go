package ofx

import (
	"bytes"
	"io"
	"strings"

	"selfdata/internal/importer"
)

// Name is the format's name, also Result.Format.
const Name = "ofx"

// Format is the OFX importer; it streams (Stream), and its Parse is Collect over Stream.
func Format() importer.Format {
	return importer.Format{Name: Name, Detect: Detect, Stream: Stream, Parse: func(r io.Reader) (*importer.Result, error) {
		return importer.Collect(r, Stream)
	}}
}

// Detect claims files whose first bytes have the OFX 1.x header or an <OFX> root (OFX 2.x,
// and the headerless files some banks write). The name is not needed: .ofx, .qfx and .qbo are
// all used for the same content.
//
// A headerless file is claimed by its root element's local name, whatever prefix it has.
func Detect(head []byte, _ string) bool {
	h := bytes.ToUpper(head)
	if bytes.Contains(h, []byte("OFXHEADER")) || bytes.Contains(h, []byte("<OFX>")) {
		return true
	}
	root, ok := importer.XMLRoot(head)
	return ok && strings.EqualFold(root.Local, "OFX")
}
