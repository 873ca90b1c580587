package web

import (
	"fmt"
	"strings"
	"testing"
)

// eobs is a FHIR Bundle of claims, one per line from line 2: each body is an
// ExplanationOfBenefit's fields (without braces), with id "e<i>".
func eobs(bodies ...string) string {
	var b strings.Builder
	b.WriteString(`{"resourceType": "Bundle", "type": "searchset", "entry": [` + "\n")
	for i, body := range bodies {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"resource": {"resourceType": "ExplanationOfBenefit", "id": "e%d", %s}}`, i, body)
	}
	b.WriteString("\n]}")
	return b.String()
}

const (
	goodClaim = `"created": "2024-02-01", "total": [{"amount": {"value": 5}}], "payment": {"amount": {"value": 4}}`
	badClaim  = `"created": "2024-02-31", "total": [{"amount": {"value": 5}}], "payment": {"amount": {"value": 4}}`
)

// TestImportLeftOut: a well-formed file with an unmappable record imports the rest, and the
// report lists the record left out — its line, its element, its kind and why — in the
// person's language; a long list is folded under its count.
func TestImportLeftOut(t *testing.T) {
	ts := newTestServer(t)
	one := eobs(goodClaim, badClaim)
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"en", []string{"The file was imported.", "1</strong> record of the file left out", "<code>line 3, entry[1].resource</code>", "a value cannot be read (entry[1].resource.created)", "nothing of them was written"}},
		{"fr", []string{"Le fichier a été importé.", "1</strong> enregistrement du fichier laissé de côté", "<code>ligne 3, entry[1].resource</code>", "une valeur est illisible (entry[1].resource.created)", "rien d'eux n'a été écrit"}},
	} {
		status, page := postImportIn(t, ts, tt.lang, "eob-"+tt.lang+".json", one)
		if status != 200 {
			t.Fatalf("%s: status %d:\n%s", tt.lang, status, page)
		}
		for _, w := range tt.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: page lacks %q", tt.lang, w)
			}
		}
		if !strings.Contains(page, `<details class="import-leftout" open>`) {
			t.Errorf("%s: one record left out is not listed unfolded", tt.lang)
		}
	}
	// In an archive, the place names the file of the archive.
	_, page := postImportIn(t, ts, "en", "export.zip", zipFiles(t, map[string]string{"soins/eob.json": one}))
	if !strings.Contains(page, "<code>soins/eob.json, line 3, entry[1].resource</code>") {
		t.Errorf("a record left out of an archive's file is not placed in that file")
	}
	many := []string{goodClaim}
	for range 11 {
		many = append(many, badClaim)
	}
	_, page = postImportIn(t, ts, "en", "many.json", eobs(many...))
	if !strings.Contains(page, `<details class="import-leftout">`) || !strings.Contains(page, "11</strong> records of the file left out") || strings.Count(page, "a value cannot be read") != 11 {
		t.Errorf("eleven records left out: want them all, folded under their count")
	}
}
