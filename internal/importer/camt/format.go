package camt

import (
	"io"
	"strings"

	"selfdata/internal/importer"
)

// Name is the format's name; Result.Format adds the version ("camt.053.001.04").
const Name = "camt.053"

// Format is the camt.053 importer.
func Format() importer.Format {
	return importer.Format{Name: Name, Detect: Detect, Parse: parseAndAdapt}
}

// Detect claims XML whose root is a Document in the camt.053 namespace, with or without a
// prefix (<Document xmlns=...>, <ns0:Document xmlns:ns0=...>). camt.052 (intraday report)
// and camt.054 (notifications) have other namespaces and are not claimed.
func Detect(head []byte, _ string) bool {
	root, ok := importer.XMLRoot(head)
	return ok && root.Local == "Document" && strings.HasPrefix(root.Space, namespacePrefix)
}

func parseAndAdapt(r io.Reader) (*importer.Result, error) {
	doc, err := Parse(r)
	if err != nil {
		return nil, err
	}
	return adapt(doc), nil
}
