package ical

import (
	"errors"
	"strings"
	"testing"

	"selfdata/internal/importer"
	"selfdata/internal/importer/samples"
)

// FuzzParse feeds the parser mutations of the real samples: it must never panic, fail
// only with an *importer.Error, and on success give records with a doctype, a unique key
// and the required fields.
func FuzzParse(f *testing.F) {
	for _, rel := range samples.GlobIfPresent("calendar/*.ics") {
		if b, ok := samples.ReadIfPresent(rel); ok {
			f.Add(b)
		}
	}
	f.Add([]byte(ics(winterRules, event("UID:c", "DTSTART;TZID=Custom Zone:20250115T090000", "DURATION:P1DT2H"))))
	f.Add([]byte(ics(oddRules, event("DTSTART;VALUE=DATE:20250115", "RECURRENCE-ID:20250115"))))
	f.Add([]byte(ics(event("UID:a", "DTSTART:20250115T090000Z"), event("UID:b", "DTEND:x"), event("UID:c"))))
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
			if s, _ := r.Data["start"].(string); !strings.HasSuffix(s, "Z") {
				t.Fatalf("start %q is not a UTC instant", s)
			}
			if _, ok := r.Data["summary"].(string); !ok {
				t.Fatalf("no summary in %+v", r)
			}
		}
	})
}
