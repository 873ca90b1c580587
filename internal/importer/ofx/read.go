package ofx

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"selfdata/internal/importer"
)

// readBody reads the whole file line by line (refusing over-long lines), skips the OFX 1.x
// "KEY:VALUE" header and returns a scanner positioned on the first tag, with the header's
// VERSION when there is one.
func readBody(r io.Reader) (*scanner, error) {
	data, err := readLines(r)
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(data) {
		// OFX 1.x files say CHARSET:1252 (or ISO-8859-1); both read right as Windows-1252.
		data = fromWindows1252(data)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	s := &scanner{data: data, line: 1}
	version := skipHeader(s)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, importer.Errorf(0, "", "the file is empty")
	}
	if version != "" {
		s.version = version
	}
	return s, nil
}

// readLines reads r through importer.LimitReader, refusing lines over importer.MaxLineBytes,
// and joins the lines with '\n' (CRLF files become LF).
func readLines(r io.Reader) ([]byte, error) {
	sc := bufio.NewScanner(importer.LimitReader(r))
	sc.Buffer(make([]byte, 64<<10), importer.MaxLineBytes)
	var out bytes.Buffer
	line := 0
	for sc.Scan() {
		line++
		out.Write(sc.Bytes())
		out.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, importer.Errorf(line+1, "", "line is longer than %d MiB: this is not an OFX file a bank would write", importer.MaxLineBytes>>20)
		}
		return nil, importer.Errorf(line+1, "", "reading the file: %v", err)
	}
	return out.Bytes(), nil
}

// skipHeader moves past the OFX 1.x header lines ("OFXHEADER:100", "DATA:OFXSGML", ...) up
// to the first '<' and returns the VERSION they give. OFX 2.x and headerless files have
// their first '<' first, and nothing is skipped.
func skipHeader(s *scanner) string {
	r := s.rest()
	if !bytes.HasPrefix(bytes.TrimSpace(r), []byte("OFXHEADER")) {
		return ""
	}
	i := bytes.IndexByte(r, '<')
	if i < 0 {
		i = len(r)
	}
	version := ""
	for _, l := range strings.Split(string(r[:i]), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(l), ":"); ok && strings.EqualFold(k, "VERSION") {
			version = strings.TrimSpace(v)
		}
	}
	s.advance(i)
	return version
}

// cp1252 maps the bytes 0x80-0x9F of Windows-1252 (the rest match Latin-1 and Unicode).
var cp1252 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}

// fromWindows1252 converts Windows-1252 (a superset of Latin-1's printable range) to UTF-8.
func fromWindows1252(b []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(b) + len(b)/8)
	for _, c := range b {
		switch {
		case c < 0x80:
			out.WriteByte(c)
		case c < 0xA0:
			out.WriteRune(cp1252[c-0x80])
		default:
			out.WriteRune(rune(c))
		}
	}
	return out.Bytes()
}
