package vcard

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"selfdata/internal/importer"
	"selfdata/internal/importer/contentline"
	"selfdata/internal/input"
)

// Book is the cards of one .vcf file, with what the parser had to guess.
type Book struct {
	Cards []Card
	Notes []string
}

// Card is one vCard, reduced to the properties a contact record keeps. Values are
// decoded and unescaped.
type Card struct {
	Line      int // of BEGIN:VCARD
	Version   string
	UID       string
	FN        string
	N         [][]string // family, given, additional names, prefixes, suffixes
	Emails    []string
	Phones    []string // as written; a 4.0 "tel:" URI keeps its scheme here
	Org       []string // organization name, then units
	Addresses []Address
	Birthday  *Birthday
	// Bad is the first value of the card that cannot be read (a birthday, an encoding):
	// the card is then left out whole, and the rest of the address book still imports.
	Bad *importer.Error
}

// Address is an ADR: post office box, extended address, street, locality, region,
// postal code, country — each a list of values.
type Address struct {
	Pref  bool
	Parts [][]string
}

// Birthday is a BDAY that is a calendar date; Year is 0 when the card omits it
// (--MMDD, or Apple's X-APPLE-OMIT-YEAR).
type Birthday struct {
	Year, Month, Day int
}

type parser struct {
	book   Book
	card   *Card
	nested int // depth inside a vCard 2.1 AGENT card, which is not kept
	seen   bool
}

// maxNotes keeps a broken file from burying the person under notes.
const maxNotes = 20

// maxNested bounds AGENT cards inside cards.
const maxNested = 8

// Parse reads a vCard stream (versions 2.1, 3.0 and 4.0). It returns an *importer.Error
// naming the line for a malformed file.
func Parse(r io.Reader) (*Book, error) {
	p := &parser{}
	cr := contentline.NewReader(r)
	for {
		l, err := cr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := p.line(l); err != nil {
			return nil, err
		}
	}
	if p.card != nil {
		return nil, importer.Errorf(p.card.Line, "VCARD", "BEGIN:VCARD is never closed (END:VCARD missing: the file may be truncated)")
	}
	if !p.seen {
		return nil, importer.Errorf(0, "VCARD", "no BEGIN:VCARD: the file is empty or not a vCard file")
	}
	return &p.book, nil
}

func (p *parser) note(line int, msg string) {
	switch n := len(p.book.Notes); {
	case n < maxNotes:
		p.book.Notes = append(p.book.Notes, fmt.Sprintf("line %d: %s", line, msg))
	case n == maxNotes:
		p.book.Notes = append(p.book.Notes, "more problems of the same kind were not listed")
	}
}

func (p *parser) line(l contentline.Line) error {
	switch l.Name {
	case "BEGIN":
		return p.begin(l)
	case "END":
		return p.end(l)
	}
	if p.card == nil {
		return importer.Errorf(l.Num, l.Name, "property outside BEGIN:VCARD … END:VCARD")
	}
	if p.nested > 0 {
		return nil
	}
	var bad *importer.Error
	if err := p.prop(l); errors.As(err, &bad) && p.card.Bad == nil {
		p.card.Bad = bad // the file is well-formed: it is the card that is left out
	}
	return nil
}

func (p *parser) begin(l contentline.Line) error {
	if v := strings.TrimSpace(l.Value); !strings.EqualFold(v, "VCARD") {
		return importer.Errorf(l.Num, "BEGIN", "expected BEGIN:VCARD, found BEGIN:%s", input.Cut(v))
	}
	switch {
	case p.card == nil:
		if len(p.book.Cards) >= importer.MaxRecords {
			return importer.Errorf(l.Num, "VCARD", "more than %d cards", importer.MaxRecords)
		}
		p.card, p.seen = &Card{Line: l.Num}, true
	case p.nested >= maxNested:
		return importer.Errorf(l.Num, "VCARD", "cards nested more than %d deep", maxNested)
	default:
		p.nested++
	}
	return nil
}

func (p *parser) end(l contentline.Line) error {
	v := strings.TrimSpace(l.Value)
	switch {
	case !strings.EqualFold(v, "VCARD"):
		return importer.Errorf(l.Num, "END", "expected END:VCARD, found END:%s", input.Cut(v))
	case p.card == nil:
		return importer.Errorf(l.Num, "END", "END:VCARD without a BEGIN:VCARD")
	case p.nested > 0:
		p.nested--
	default:
		p.book.Cards = append(p.book.Cards, *p.card)
		p.card = nil
	}
	return nil
}

// prop keeps the properties a contact needs and drops the rest (PHOTO, NOTE, X-...)
// without decoding them.
func (p *parser) prop(l contentline.Line) error {
	c := p.card
	if l.Name == "VERSION" {
		c.Version = strings.TrimSpace(l.Value)
		return nil
	}
	if !kept[l.Name] || c.has(l.Name) {
		return nil
	}
	v, err := p.decode(l)
	if err != nil {
		return err
	}
	switch l.Name {
	case "UID":
		c.UID = strings.TrimSpace(contentline.Unescape(v))
	case "FN":
		c.FN = strings.TrimSpace(contentline.Unescape(v))
	case "N":
		c.N = contentline.Components(v)
	case "EMAIL":
		c.Emails = appendText(c.Emails, v)
	case "TEL":
		c.Phones = appendText(c.Phones, v)
	case "ORG":
		for _, part := range contentline.Split(v, ';') {
			c.Org = append(c.Org, strings.TrimSpace(contentline.Unescape(part)))
		}
	case "ADR":
		c.Addresses = append(c.Addresses, Address{Pref: isPref(l), Parts: contentline.Components(v)})
	case "BDAY":
		return p.birthday(l, v)
	}
	return nil
}

var kept = map[string]bool{"UID": true, "FN": true, "N": true, "EMAIL": true, "TEL": true,
	"ORG": true, "ADR": true, "BDAY": true}

// has tells whether a property kept once per card (the first wins) is already set, so
// that a second one is neither decoded nor noted.
func (c *Card) has(name string) bool {
	switch name {
	case "UID":
		return c.UID != ""
	case "FN":
		return c.FN != ""
	case "N":
		return c.N != nil
	case "ORG":
		return c.Org != nil
	case "BDAY":
		return c.Birthday != nil
	}
	return false
}

func appendText(list []string, v string) []string {
	if s := strings.TrimSpace(contentline.Unescape(v)); s != "" {
		return append(list, s)
	}
	return list
}

// isPref tells whether a property is marked preferred, in any version's spelling:
// TYPE=pref (3.0), a bare PREF (2.1), PREF=1 (4.0).
func isPref(l contentline.Line) bool {
	return l.Has("TYPE", "pref") || l.Has("", "PREF") || l.Has("PREF", "1")
}
