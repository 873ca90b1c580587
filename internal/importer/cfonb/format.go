package cfonb

import (
	"bytes"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"selfdata/internal/importer"
)

// Name is the format's name.
const Name = "cfonb120"

// Format is the CFONB 120 account statement importer.
func Format() importer.Format {
	return importer.Format{Name: Name, Detect: Detect, Parse: parseAndAdapt}
}

// otherExtensions are the names of files of other formats: a CSV, XML, JSON, OFX... file is
// never claimed, whatever its first line looks like.
var otherExtensions = map[string]bool{
	".csv": true, ".xml": true, ".json": true, ".ndjson": true, ".ofx": true, ".qfx": true, ".qif": true,
	".ics": true, ".vcf": true, ".zip": true, ".pdf": true, ".html": true, ".htm": true,
}

// Detect claims a file whose first record is an old balance (01) laid out as the standard
// says — digits where digits must be, a currency code, a date at 35–40 and an amount at
// 91–104 — and whose other records in head start with a statement's record code. What
// else is wrong with them is for Parse to say, with the line.
func Detect(head []byte, name string) bool {
	if otherExtensions[strings.ToLower(path.Ext(name))] {
		return false
	}
	cs := chunks(headText(head))
	if len(cs) == 0 {
		return false
	}
	r, err := pad(cs[0].text, cs[0].line, 1)
	if err != nil || r.code() != codeOld || header(r) != nil {
		return false
	}
	if _, err := balance(r); err != nil {
		return false
	}
	for _, c := range cs[1:] {
		if _, known := minLen[c.text[:min(2, len(c.text))]]; !known {
			return false
		}
	}
	return true
}

// headText decodes the first bytes of a file, leaving out the last line when it may be
// cut (head is the file's first 8 KiB at most), or in a file without line breaks the last
// record, and a last character cut in two.
func headText(head []byte) string {
	if len(head) >= 8<<10 {
		if i := bytes.LastIndexAny(head, "\r\n"); i >= 0 {
			head = head[:i]
		}
		for k := 1; k <= 3 && k < len(head) && !utf8.Valid(head); k++ {
			if utf8.Valid(head[:len(head)-k]) {
				head = head[:len(head)-k]
			}
		}
	}
	s := text(head)
	if r := []rune(s); !strings.ContainsAny(s, "\r\n") && len(r) > recordLen {
		s = string(r[:len(r)-len(r)%recordLen]) // whole records only
	}
	return s
}

func parseAndAdapt(r io.Reader) (*importer.Result, error) {
	f, err := Parse(r)
	if err != nil {
		return nil, err
	}
	return adapt(f), nil
}
