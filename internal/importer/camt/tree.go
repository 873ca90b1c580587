package camt

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// maxDepth bounds nesting inside one statement child; camt entries are about 12 deep.
const maxDepth = 200

// node is one XML element with where it starts, its Ccy attribute and its text.
type node struct {
	name  string
	ccy   string // the Ccy attribute of amounts
	text  string
	line  int    // line of the element's "<"
	col   int    // column (in bytes, from 1) of that "<"
	xpath string // from the root, e.g. Document/BkToCstmrStmt/Stmt[1]/Bal[2]
	kids  []*node
}

// repeated are the camt elements that may occur more than once under their parent: their
// path names the occurrence, as Stmt[1]/Bal[2], so that a one-line file's error locates.
var repeated = map[string]bool{"Stmt": true, "Bal": true, "Ntry": true, "NtryDtls": true, "TxDtls": true, "RmtInf": true, "Ustrd": true}

// step is the path step of the n-th (from 1) child called name.
func step(name string, n int) string {
	if repeated[name] {
		return fmt.Sprintf("%s[%d]", name, n)
	}
	return name
}

// errorf is an error about n, or about its child elem when elem is not "": the element is
// named by its path from the root and the reason ends with the column, which alone locates
// it in a file written on one line.
func (n *node) errorf(elem, format string, args ...any) *importer.Error {
	where := n.xpath
	if elem != "" {
		where += "/" + elem
	}
	return importer.Errorf(n.line, where, format+" (column %d)", append(args, n.col)...)
}

// child returns the first child with that local name, or nil.
func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// all returns the children with that local name.
func (n *node) all(name string) []*node {
	var out []*node
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

// path follows children name by name; nil when one is missing.
func (n *node) path(names ...string) *node {
	for _, name := range names {
		n = n.child(name)
	}
	return n
}

// get is the trimmed text at a path, or "".
func (n *node) get(names ...string) string {
	if p := n.path(names...); p != nil {
		return strings.TrimSpace(p.text)
	}
	return ""
}

// reader wraps a strict xml.Decoder: it refuses DOCTYPE/ENTITY and turns every failure into an
// *importer.Error with a line.
type reader struct {
	d *xml.Decoder
}

func newReader(r io.Reader) *reader {
	d := xml.NewDecoder(r)
	d.Strict = true
	d.CharsetReader = charsetReader
	return &reader{d: d}
}

func (r *reader) line() int {
	l, _ := r.d.InputPos()
	return l
}

// pos is where the decoder stands: read before a token, the start of that token.
type pos struct{ line, col int }

func (r *reader) pos() pos {
	l, c := r.d.InputPos()
	return pos{l, c}
}

// token returns the next token; io.EOF only at the very end of the input.
func (r *reader) token() (xml.Token, error) {
	tok, err := r.d.Token()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, importer.Errorf(se.Line, "", "malformed XML: %s", input.CutMessage(se.Msg))
		}
		return nil, importer.Errorf(r.line(), "", "reading the file: %v", err)
	}
	if dir, ok := tok.(xml.Directive); ok {
		if err := importer.RefuseDTD(dir, r.line(), "camt.053"); err != nil {
			return nil, err
		}
	}
	return xml.CopyToken(tok), nil
}

// truncated is the error for an input that ends inside an element.
func (r *reader) truncated(name string) error {
	return importer.Errorf(r.line(), name, "the file ends before </%s>: it looks truncated", input.Cut(name))
}

// children calls fn for each child element of the element just opened, with where the child
// starts; fn must consume the child whole (subtree or skip). It returns after the element's
// end tag.
func (r *reader) children(parent string, fn func(xml.StartElement, pos) error) error {
	for {
		at := r.pos()
		tok, err := r.token()
		if err == io.EOF {
			return r.truncated(parent)
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t, at); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// skip consumes the element just opened, without recursion (a hostile file may nest deep).
func (r *reader) skip(name string) error {
	for depth := 1; depth > 0; {
		tok, err := r.token()
		if err == io.EOF {
			return r.truncated(name)
		}
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// subtree reads the element just opened, which started at at and whose path is path, into
// a node tree, iteratively.
func (r *reader) subtree(start xml.StartElement, path string, at pos) (*node, error) {
	root := newNode(start, path, at)
	stack := []*node{root}
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		at := r.pos()
		tok, err := r.token()
		if err == io.EOF {
			return nil, r.truncated(top.name)
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return nil, importer.Errorf(r.line(), t.Name.Local, "elements are nested more than %d deep", maxDepth)
			}
			n := newNode(t, top.xpath+"/"+step(t.Name.Local, len(top.all(t.Name.Local))+1), at)
			top.kids = append(top.kids, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top.text += string(t)
		}
	}
	return root, nil
}

func newNode(s xml.StartElement, path string, at pos) *node {
	n := &node{name: s.Name.Local, line: at.line, col: at.col, xpath: path}
	for _, a := range s.Attr {
		if a.Name.Local == "Ccy" {
			n.ccy = strings.TrimSpace(a.Value)
		}
	}
	return n
}

// charsetReader accepts the encodings banks declare besides UTF-8: ASCII and Latin-1
// (ISO-8859-1), whose bytes are their own code points.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1":
		return &latin1{r: in}, nil
	}
	return nil, fmt.Errorf("the encoding %s is not supported (UTF-8 or ISO-8859-1 expected)", input.Excerpt(label))
}

type latin1 struct {
	r   io.Reader
	buf []byte
	out []byte
}

func (l *latin1) Read(p []byte) (int, error) {
	for len(l.out) == 0 {
		if cap(l.buf) == 0 {
			l.buf = make([]byte, 4096)
		}
		n, err := l.r.Read(l.buf[:cap(l.buf)])
		for _, c := range l.buf[:n] {
			l.out = append(l.out, string(rune(c))...)
		}
		if n == 0 && err != nil {
			return 0, err
		}
	}
	n := copy(p, l.out)
	l.out = l.out[n:]
	return n, nil
}
