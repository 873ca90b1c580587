// Package contentline reads the "content lines" that iCalendar (RFC 5545 §3.1) and vCard
// (RFC 6350 §3.2, and the older 2.1 and 3.0) share: `group.NAME;PARAM=value:value`, folded
// over several physical lines. Both the ical and the vcard importers sit on it, so folding,
// quoting and line numbers are handled once, and an error names the line a person can open.
//
// What it accepts, because real exports do it:
//   - CRLF, LF and even CR CR LF (iPhone) line ends, and a UTF-8 byte order mark;
//   - folding: a physical line starting with a space or a tab continues the previous one;
//   - vCard 2.1 quoted-printable soft line breaks: a QUOTED-PRINTABLE value ending in "="
//     goes on with the next physical line as it is (2.1 folds that way, not with a space);
//   - vCard 2.1 BASE64 values whose lines are not indented;
//   - bare vCard 2.1 parameters (TEL;CELL;PREF), kept with an empty Name;
//   - blank lines, skipped.
//
// What it refuses, with the line: a line longer than importer.MaxLineBytes once unfolded, a
// line without the ':' between name and value, a bad property name, an unclosed quote.
// Values are returned raw: escapes (\n, \;) and encodings are for the caller, which knows
// whether the property is text, structured or binary.
package contentline

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"

	"selfdata/internal/importer"
)

// Param is one parameter of a content line.
type Param struct {
	// Name is upper-cased; "" for a vCard 2.1 bare parameter such as CELL in TEL;CELL.
	Name string
	// Values are unquoted; a bare parameter has its word as its only value.
	Values []string
}

// Line is one unfolded content line.
type Line struct {
	Num    int    // 1-based physical line where the content line starts
	Group  string // "item1" in item1.TEL; "" when none
	Name   string // upper-cased property name
	Params []Param
	Value  string // raw value: escapes and encodings are left to the caller
}

// Param returns the first value of the named parameter (case-insensitive).
func (l Line) Param(name string) (string, bool) {
	name = strings.ToUpper(name)
	for _, p := range l.Params {
		if p.Name == name && len(p.Values) > 0 {
			return p.Values[0], true
		}
	}
	return "", false
}

// Has tells whether a parameter named name (or, for name "", a bare parameter) has the
// value v, case-insensitively: Has("ENCODING", "QUOTED-PRINTABLE"), Has("TYPE", "pref").
func (l Line) Has(name, v string) bool {
	name = strings.ToUpper(name)
	for _, p := range l.Params {
		if p.Name != name {
			continue
		}
		for _, pv := range p.Values {
			if strings.EqualFold(pv, v) {
				return true
			}
		}
	}
	return false
}

// QuotedPrintable tells whether the value is quoted-printable (vCard 2.1, vCalendar 1.0),
// written either ENCODING=QUOTED-PRINTABLE or as a bare parameter.
func (l Line) QuotedPrintable() bool {
	return l.Has("ENCODING", "QUOTED-PRINTABLE") || l.Has("", "QUOTED-PRINTABLE")
}

type physical struct {
	text string
	num  int
}

// Reader reads content lines one by one, so that a large file is never held whole.
type Reader struct {
	sc      *bufio.Scanner
	num     int
	peeked  *physical
	err     error
	started bool
}

// NewReader reads content lines from r. The caller bounds r (importer.LimitReader).
func NewReader(r io.Reader) *Reader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), importer.MaxLineBytes+8)
	sc.Split(splitLF)
	return &Reader{sc: sc}
}

// splitLF cuts at LF and drops every CR before it, so CRLF, LF and CR CR LF all work.
func splitLF(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return i + 1, bytes.TrimRight(data[:i], "\r"), nil
	}
	if atEOF && len(data) > 0 {
		return len(data), bytes.TrimRight(data, "\r"), nil
	}
	return 0, nil, nil
}

// physicalLine returns the next physical line; ok is false at the end of the input.
func (r *Reader) physicalLine() (physical, bool, error) {
	if r.peeked != nil {
		p := *r.peeked
		r.peeked = nil
		return p, true, nil
	}
	if r.err != nil {
		return physical{}, false, r.err
	}
	if !r.sc.Scan() {
		r.err = r.scanError()
		return physical{}, false, r.err
	}
	r.num++
	text := r.sc.Text()
	if !r.started {
		r.started = true
		text = strings.TrimPrefix(text, "\uFEFF")
	}
	return physical{text: text, num: r.num}, true, nil
}

func (r *Reader) scanError() error {
	err := r.sc.Err()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, bufio.ErrTooLong):
		return importer.Errorf(r.num+1, "", "line longer than %d bytes", importer.MaxLineBytes)
	default:
		return importer.Errorf(r.num+1, "", "cannot read the file: %v", err)
	}
}

func (r *Reader) peek() (physical, bool, error) {
	p, ok, err := r.physicalLine()
	if ok {
		r.peeked = &p
	}
	return p, ok, err
}

// Next returns the next content line, io.EOF after the last one, or an *importer.Error.
func (r *Reader) Next() (Line, error) {
	first, err := r.firstLine()
	if err != nil {
		return Line{}, err
	}
	b := []byte(first.text)
	qp, b64 := encodingHead(first.text)
	for {
		next, ok, err := r.peek()
		if err != nil {
			return Line{}, err
		}
		if !ok {
			break
		}
		switch t := next.text; {
		case qp && len(b) > 0 && b[len(b)-1] == '=':
			b = append(b[:len(b)-1], t...)
		case t != "" && (t[0] == ' ' || t[0] == '\t'):
			b = append(b, t[1:]...)
		case b64 && t != "" && !strings.ContainsRune(t, ':'):
			b = append(b, t...)
		default:
			return r.finish(string(b), first.num)
		}
		r.peeked = nil
		if len(b) > importer.MaxLineBytes {
			return Line{}, importer.Errorf(first.num, "", "line longer than %d bytes once unfolded", importer.MaxLineBytes)
		}
	}
	return r.finish(string(b), first.num)
}

// firstLine skips blank lines and returns the line a content line starts on.
func (r *Reader) firstLine() (physical, error) {
	for {
		p, ok, err := r.physicalLine()
		if err != nil {
			return physical{}, err
		}
		if !ok {
			return physical{}, io.EOF
		}
		if strings.TrimSpace(p.text) == "" {
			continue
		}
		if p.text[0] == ' ' || p.text[0] == '\t' {
			return physical{}, importer.Errorf(p.num, "", "a folded continuation line (starting with a space) follows no property")
		}
		return p, nil
	}
}

func (r *Reader) finish(s string, num int) (Line, error) {
	if len(s) > importer.MaxLineBytes {
		return Line{}, importer.Errorf(num, "", "line longer than %d bytes", importer.MaxLineBytes)
	}
	l, err := Parse(s)
	if err != nil {
		return Line{}, importer.Errorf(num, "", "%v", err)
	}
	l.Num = num
	return l, nil
}

// encodingHead tells, before unfolding, whether a line's parameters announce a
// quoted-printable value, whose soft line breaks must be followed, or a vCard 2.1 base64
// value, whose lines some writers do not indent (2.1 ends such a value with a blank line;
// a line without ':' cannot be a property anyway).
func encodingHead(s string) (qp, b64 bool) {
	head := s
	if i := strings.IndexByte(s, ':'); i >= 0 {
		head = s[:i]
	}
	head = strings.ToUpper(head)
	return strings.Contains(head, "QUOTED-PRINTABLE"), strings.Contains(head, "BASE64")
}
