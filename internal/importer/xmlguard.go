package importer

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
)

// dtdWords are the declarations that only a DTD holds. None of the XML formats read here
// needs one, and a DTD lets a file define entities that expand (a "billion laughs") or name
// outside resources; refusing them is simpler and safer than reading them.
var dtdWords = []string{"DOCTYPE", "ENTITY", "ELEMENT", "ATTLIST", "NOTATION"}

// RefuseDTD checks the text of a markup declaration — what follows "<!", as encoding/xml
// gives it in an xml.Directive — and refuses a DOCTYPE or any other DTD declaration. line
// locates it; format names the format in the message ("camt.053", "OFX").
func RefuseDTD(directive []byte, line int, format string) error {
	word := strings.ToUpper(string(bytes.TrimSpace(directive[:min(len(directive), 16)])))
	for _, w := range dtdWords {
		if strings.HasPrefix(word, w) {
			return Errorf(line, "", "DOCTYPE and ENTITY declarations are refused: %s needs none, and they can make a parser expand or fetch data", format)
		}
	}
	return nil
}

// XMLRoot finds the root element of an XML document from its first bytes: its local name
// and namespace URI, whatever prefix the file gives it (<feed xmlns="...">, <ns1:feed
// xmlns:ns1="...">, <atom:feed ...>). It skips a byte order mark, the XML declaration,
// processing instructions, comments, a DOCTYPE (which the parser refuses later, with its
// reason) and whitespace. ok is false when head holds no root start tag it can read.
func XMLRoot(head []byte) (name xml.Name, ok bool) {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	d := xml.NewDecoder(bytes.NewReader(head))
	// The root's name is ASCII in every format read here; the declared charset matters only
	// to the text, which detection does not read.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for {
		tok, err := d.RawToken()
		if err != nil {
			return xml.Name{}, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return rootName(t), true
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return xml.Name{}, false // text before the root: not XML
			}
		}
	}
}

// rootName resolves the root's prefix with the namespace declarations on the root itself,
// which is where every real file puts them. RawToken is used because Token would fail on a
// head cut in the middle of the document.
func rootName(t xml.StartElement) xml.Name {
	want := "xmlns"
	if t.Name.Space != "" {
		want = "xmlns:" + t.Name.Space
	}
	for _, a := range t.Attr {
		n := a.Name.Local
		if a.Name.Space != "" {
			n = a.Name.Space + ":" + a.Name.Local
		}
		if n == want {
			return xml.Name{Space: a.Value, Local: t.Name.Local}
		}
	}
	return xml.Name{Local: t.Name.Local}
}
