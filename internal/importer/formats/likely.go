package formats

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"selfdata/internal/importer"
)

// A kind of content, tested loosely from a file's first bytes.
type content int

const (
	jsonText  content = iota // a JSON value that opens with an object or an array
	xmlText                  // markup opening with "<"
	plainText                // text of lines (CSV, iCalendar, vCard, fixed-width statements)
)

// usual is, for each format, the kind of content and the file-name extensions it comes with.
// A file that no format claims for sure, or that two claim, but that is of a format's kind
// and bears one of its extensions, is offered to the person among the likely formats
// (restore's UnsureError): the person knows where they downloaded it, the sniff does not.
var usual = map[string]struct {
	kind content
	exts []string
}{
	"ofx":                      {plainText, []string{".ofx", ".qfx", ".qbo"}},
	"camt.053":                 {xmlText, []string{".xml", ".053"}},
	"cfonb120":                 {plainText, []string{".txt", ".cfo", ".cfonb", ".dat"}},
	"greenbutton":              {xmlText, []string{".xml"}},
	"enedis.sge-soap":          {xmlText, []string{".xml"}},
	"enedis.hdm":               {plainText, []string{".csv"}},
	"enedis.dataconnect":       {jsonText, []string{".json"}},
	"icalendar":                {plainText, []string{".ics", ".ical", ".ifb"}},
	"vcard":                    {plainText, []string{".vcf", ".vcard"}},
	"fhir.r4":                  {jsonText, []string{".json"}},
	"google.location.records":  {jsonText, []string{".json"}},
	"google.location.semantic": {jsonText, []string{".json"}},
	"google.location.timeline": {jsonText, []string{".json"}},
	"gpx":                      {xmlText, []string{".gpx"}},
	"kml":                      {xmlText, []string{".kml"}},
	"grdf.adict":               {jsonText, []string{".json", ".ndjson", ".jsonl"}},
	"grdf.portal":              {jsonText, []string{".json"}},
	"water.csv":                {plainText, []string{".csv"}},
}

// withLikely gives each format that has no loose test of its own the one of its usual
// content (usual). A format's own Likely (bank-csv's sniff of a bank's columns) is kept, and
// outranks the others: a file it finds likely is offered as that alone, not beside every
// format that merely comes in files of the same extension.
func withLikely(fs []importer.Format) []importer.Format {
	var own []func([]byte, string) bool
	for _, f := range fs {
		if f.Likely != nil {
			own = append(own, f.Likely)
		}
	}
	for i, f := range fs {
		u, ok := usual[f.Name]
		if f.Likely != nil || !ok {
			continue
		}
		fs[i].Likely = func(head []byte, name string) bool {
			ext := strings.ToLower(filepath.Ext(name))
			if !slices.Contains(u.exts, ext) || !looksLike(u.kind, head) {
				return false
			}
			for _, likely := range own {
				if likely(head, name) {
					return false
				}
			}
			return true
		}
	}
	return fs
}

// looksLike tells whether head may open a file of kind k.
func looksLike(k content, head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(head, 0) >= 0 {
		return false // binary, or UTF-16, which none of the formats is
	}
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	switch k {
	case jsonText:
		return len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[')
	case xmlText:
		return len(trimmed) > 0 && trimmed[0] == '<'
	default:
		// Text of lines: valid UTF-8 (but for a character cut at the head's end) or a
		// single-byte charset, and at least one line break or a long fixed-width record.
		return len(trimmed) > 0 && (utf8.Valid(head) || !bytes.ContainsAny(head, "\x01\x02\x03\x04\x05\x06\x07\x08")) &&
			(bytes.IndexByte(head, '\n') >= 0 || len(head) >= 120)
	}
}
