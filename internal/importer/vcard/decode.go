package vcard

import (
	"encoding/base64"
	"fmt"
	"io"
	"mime/quotedprintable"
	"strings"
	"unicode/utf8"

	"selfdata/internal/importer"
	"selfdata/internal/importer/contentline"
	"selfdata/internal/input"
)

// decode returns a property's value as UTF-8 text, still escaped (\; \, \n): it undoes
// the vCard 2.1 transfer encodings (QUOTED-PRINTABLE, BASE64) and the CHARSET parameter.
// Bytes that no charset explains are replaced by U+FFFD with a note rather than refused:
// one broken character should not cost a person their whole address book.
func (p *parser) decode(l contentline.Line) (string, error) {
	raw := []byte(l.Value)
	switch {
	case l.QuotedPrintable():
		b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(l.Value)))
		if err != nil {
			return "", importer.Errorf(l.Num, l.Name, "bad quoted-printable value: %v", err)
		}
		raw = b
	case l.Has("ENCODING", "B") || l.Has("ENCODING", "BASE64") || l.Has("", "BASE64"):
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(l.Value), ""))
		if err != nil {
			return "", importer.Errorf(l.Num, l.Name, "bad base64 value: %v", err)
		}
		raw = b
	}
	return p.toUTF8(raw, l), nil
}

func (p *parser) toUTF8(b []byte, l contentline.Line) string {
	cs, hasCharset := l.Param("CHARSET")
	cs = strings.ToUpper(strings.TrimSpace(cs))
	switch {
	case cs == "ISO-8859-1" || cs == "LATIN1" || cs == "ISO_8859-1" || cs == "US-ASCII":
		return latin1(b, false)
	case cs == "WINDOWS-1252" || cs == "CP1252":
		return latin1(b, true)
	case utf8.Valid(b):
		return string(b)
	case !hasCharset:
		// vCard 2.1 files from Windows often carry Windows-1252 bytes and no CHARSET.
		p.note(l.Num, fmt.Sprintf("%s is not UTF-8 and names no charset: read as Windows-1252", input.Cut(l.Name)))
		return latin1(b, true)
	case cs != "UTF-8" && cs != "UTF8":
		p.note(l.Num, fmt.Sprintf("%s: charset %s is not supported; unreadable bytes were replaced by \uFFFD", input.Cut(l.Name), input.Cut(cs)))
	default:
		p.note(l.Num, fmt.Sprintf("%s is not valid UTF-8; unreadable bytes were replaced by \uFFFD", input.Cut(l.Name)))
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// cp1252 is what Windows-1252 puts in 0x80–0x9F, where ISO-8859-1 has control codes.
var cp1252 = [32]rune{
	'€', '\uFFFD', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\uFFFD', 'Ž', '\uFFFD',
	'\uFFFD', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\uFFFD', 'ž', 'Ÿ',
}

// latin1 maps each byte to the code point of the same number (ISO-8859-1), or through
// the Windows-1252 table for 0x80–0x9F.
func latin1(b []byte, windows bool) string {
	var s strings.Builder
	s.Grow(len(b) * 2)
	for _, c := range b {
		switch {
		case windows && c >= 0x80 && c < 0xA0:
			s.WriteRune(cp1252[c-0x80])
		default:
			s.WriteRune(rune(c))
		}
	}
	return s.String()
}
