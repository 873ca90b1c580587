package vcard

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"selfdata/internal/importer"
	"selfdata/internal/importer/samples"
)

// FuzzParse feeds the parser mutations of the real samples: it must never panic, fail
// only with an *importer.Error, and on success give records with a doctype, a unique
// key, a non-empty name and valid UTF-8.
func FuzzParse(f *testing.F) {
	for _, rel := range samples.GlobIfPresent("calendar/*.vcf") {
		if b, ok := samples.ReadIfPresent(rel); ok {
			f.Add(b)
		}
	}
	f.Add([]byte("BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=ISO-8859-1;QUOTED-PRINTABLE:Ren=E9=\r\n;A\r\nBDAY:--0229\r\nEND:VCARD\r\n"))
	f.Add([]byte(vcf("FN:A", lines("FN:B", "BDAY:1980-02-30"), "NOTE:nobody")))
	f.Fuzz(func(t *testing.T, in []byte) {
		res, err := ParseResult(strings.NewReader(string(in)))
		if err != nil {
			var ie *importer.Error
			if !errors.As(err, &ie) || res != nil {
				t.Fatalf("got %v, %v", res, err)
			}
			return
		}
		if len(res.LeftOut) > res.Skipped {
			t.Fatalf("%d left out but %d skipped", len(res.LeftOut), res.Skipped)
		}
		for _, l := range res.LeftOut {
			if l.Line == 0 || l.Reason == "" || l.Text == "" {
				t.Fatalf("left out without a line, reason or text: %+v", l)
			}
		}
		keys := map[string]bool{}
		for _, r := range res.Records {
			if r.Doctype != Doctype || r.Key == "" || keys[r.Key] {
				t.Fatalf("bad or duplicate record %+v", r)
			}
			keys[r.Key] = true
			name, _ := r.Data["fullName"].(string)
			if name == "" || !utf8.ValidString(name) {
				t.Fatalf("bad fullName %q", name)
			}
			if b, ok := r.Data["birthday"].(string); ok && len(b) != len("2006-01-02") {
				t.Fatalf("bad birthday %q", b)
			}
		}
	})
}
