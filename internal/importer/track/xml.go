package track

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/charmap"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// maxDepth bounds nesting: real GPX files nest about 6 deep (extensions included), KML
// files a few more for their Folders; a hostile file must not grow the stack unbounded.
const maxDepth = 200

// frame is one open element.
type frame struct {
	name string         // local name
	step string         // path step, "trk[2]" for an element that repeats
	kids map[string]int // how many children of each repeated name were met so far
}

// walker streams an XML document with a strict decoder, refusing a DTD, and keeps the path
// of open elements by local name, so that a format reads elements whatever their prefix.
type walker struct {
	d        *xml.Decoder
	format   string          // for the DTD refusal's message
	repeated map[string]bool // the elements whose path step carries their rank
	stack    []frame
	text     strings.Builder // the character data since the last start tag
	line     int             // the line where the token just read starts
	rooted   bool            // the root element was met
}

func newWalker(r io.Reader, format string, repeated map[string]bool) *walker {
	d := xml.NewDecoder(importer.LimitReader(r))
	d.Strict = true
	d.CharsetReader = charsetReader
	return &walker{d: d, format: format, repeated: repeated}
}

// event is what next returns: a start tag (start set) or an end tag (text is the character
// data the element holds, when it holds no element).
type event struct {
	start *xml.StartElement
	end   string
	text  string
	done  bool // the document ended
}

// next reads up to the next start or end tag. The document must have one root and nothing
// but comments and processing instructions after it.
func (w *walker) next() (event, error) {
	for {
		w.line, _ = w.d.InputPos()
		tok, err := w.d.Token()
		if err == io.EOF {
			if !w.rooted {
				return event{}, importer.Errorf(w.line, "", "the file holds no XML element: this is not a %s file", w.format)
			}
			return event{done: true}, nil
		}
		if err != nil {
			return event{}, w.failure(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return w.open(t)
		case xml.EndElement:
			return w.close(), nil
		case xml.CharData:
			if len(w.stack) == 0 && len(strings.TrimSpace(string(t))) > 0 {
				return event{}, importer.Errorf(w.line, "", "text outside the root element: this is not a %s file", w.format)
			}
			w.text.Write(t)
		case xml.Directive:
			if err := importer.RefuseDTD(t, w.line, w.format); err != nil {
				return event{}, err
			}
		}
	}
}

func (w *walker) open(t xml.StartElement) (event, error) {
	if len(w.stack) == 0 && w.rooted {
		return event{}, importer.Errorf(w.line, t.Name.Local, "a second root element: an XML document has one")
	}
	if len(w.stack) >= maxDepth {
		return event{}, importer.Errorf(w.line, w.path(), "elements are nested more than %d deep", maxDepth)
	}
	w.rooted = true
	step := t.Name.Local
	if n := len(w.stack); n > 0 && w.repeated[step] {
		top := &w.stack[n-1]
		if top.kids == nil {
			top.kids = map[string]int{}
		}
		top.kids[step]++
		step = fmt.Sprintf("%s[%d]", step, top.kids[step])
	}
	w.stack = append(w.stack, frame{name: t.Name.Local, step: step})
	w.text.Reset()
	return event{start: &t}, nil
}

func (w *walker) close() event {
	top := w.stack[len(w.stack)-1]
	w.stack = w.stack[:len(w.stack)-1]
	text := w.text.String()
	w.text.Reset()
	return event{end: top.name, text: text}
}

// failure locates a decoder error: a syntax error has its line, others the reader's.
func (w *walker) failure(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return importer.Errorf(se.Line, w.path(), "malformed XML: %s", input.CutMessage(se.Msg))
	}
	var ie *importer.Error
	if errors.As(err, &ie) {
		return ie
	}
	e := importer.Errorf(w.line, w.path(), "reading the file: %v", err)
	e.Err = err // a file too large (importer.ErrTooLarge) gets its own advice
	return e
}

// path names the open element from the root, "gpx/trk[2]/trkseg[1]/trkpt[40]".
func (w *walker) path() string {
	steps := make([]string, len(w.stack))
	for i, f := range w.stack {
		steps[i] = f.step
	}
	return strings.Join(steps, "/")
}

// outer is the local name of the n-th innermost open element (1: the innermost, which is
// the element just opened, or the parent of the element just closed), "" past the root.
func (w *walker) outer(n int) string {
	if i := len(w.stack) - n; i >= 0 && i < len(w.stack) {
		return w.stack[i].name
	}
	return ""
}

// depth is how many elements are open.
func (w *walker) depth() int { return len(w.stack) }

// attr is the value of the attribute of that local name, and whether it is there.
func attr(t *xml.StartElement, name string) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Local == name && a.Name.Space != "xmlns" {
			return a.Value, true
		}
	}
	return "", false
}

// charsetReader accepts the encodings apps declare besides UTF-8: ASCII, ISO-8859-1 and
// Windows-1252 (older Garmin and desktop tools).
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1":
		return charmap.ISO8859_1.NewDecoder().Reader(in), nil
	case "windows-1252", "cp1252":
		return charmap.Windows1252.NewDecoder().Reader(in), nil
	}
	return nil, fmt.Errorf("the encoding %s is not supported (UTF-8, ISO-8859-1 or Windows-1252 expected)", input.Excerpt(label))
}

// walk reads the whole document, handing each start tag to open and each end tag, with the
// character data it closes, to close: the loop both GPX and KML parsers run.
func (w *walker) walk(open func(*xml.StartElement) error, close func(name, text string) error) error {
	for {
		ev, err := w.next()
		if err != nil {
			return err
		}
		switch {
		case ev.done:
			return nil
		case ev.start != nil:
			err = open(ev.start)
		default:
			err = close(ev.end, ev.text)
		}
		if err != nil {
			return err
		}
	}
}
