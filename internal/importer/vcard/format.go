// Package vcard imports address books (.vcf; vCard 2.1, 3.0 and 4.0 — what Android,
// iPhone, Outlook, Google Contacts and Thunderbird export) as contact records, so that
// the people a person deals with sit next to the rest of their data.
//
// Each card becomes one record keyed by its UID; a card without one (Android and Outlook
// write none) is keyed by a digest of its name and first e-mail or phone, so importing
// the same file again changes nothing. No field holds another record's key.
//
// The three versions differ more than they look: 2.1 encodes values in quoted-printable,
// whose soft line breaks ("=" at the end of a line) continue on the next line without the
// leading space that 3.0 and 4.0 fold with, names its CHARSET, and writes bare parameters
// (TEL;CELL). The shared content-line reader (../contentline) unfolds both ways; decode.go
// undoes the encodings and charsets (UTF-8, ISO-8859-1, Windows-1252; other bytes become
// U+FFFD with a note).
//
// Minimum data: a contact keeps its names, e-mails, phones, organization, one address
// (the preferred one) and birthday. Photos, logos, sounds, keys and other binaries are
// dropped without being decoded, as are notes, URLs, social profiles, categories and
// vendor X- properties. A birthday without a year (--MMDD) is kept as birthdayNoYear.
//
// A card with nothing to list it by (no name, e-mail or phone), or with a value that cannot
// be read (a birthday, an encoding), is left out whole and listed in Result.LeftOut by its
// line, the rest of the book importing; a book of which no card imports is refused for its
// first unreadable value.
package vcard

import (
	"bytes"
	"io"

	"selfdata/internal/importer"
)

// Name is the format's name, also Result.Format.
const Name = "vcard"

// Format is the vCard importer.
func Format() importer.Format {
	return importer.Format{Name: Name, Detect: Detect, Parse: ParseResult}
}

// Detect claims a file whose first content line is BEGIN:VCARD (after an optional byte
// order mark and blank lines), whatever its name.
func Detect(head []byte, _ string) bool {
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	head = bytes.TrimLeft(head, " \t\r\n")
	const begin = "BEGIN:VCARD"
	return len(head) >= len(begin) && bytes.EqualFold(head[:len(begin)], []byte(begin))
}

// ParseResult parses a whole file and adapts it: nothing is returned on error.
func ParseResult(r io.Reader) (*importer.Result, error) {
	book, err := Parse(importer.LimitReader(r))
	if err != nil {
		return nil, err
	}
	return Adapt(book)
}
