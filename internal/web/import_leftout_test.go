package web

import (
	"fmt"
	"strings"
	"testing"

	"selfdata/internal/importer"
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
		if strings.Contains(page, "empty value") || strings.Contains(page, "valeur vide") {
			t.Errorf("%s: the claim left out is counted among the empty values", tt.lang)
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

// TestLeftOutReasons: every reason code is said in both languages with its parameters, and
// a code the page does not know falls back to the importer's English text, marked English.
func TestLeftOutReasons(t *testing.T) {
	ts := newTestServer(t)
	s := ts.srv
	for _, tt := range []struct {
		l      importer.LeftOut
		en, fr string
	}{
		{importer.LeftOut{Line: 4, Element: "entry[3].resource", Kind: "health.claim", Reason: importer.ReasonNoAmount}, "line 4, entry[3].resource|it states no amount", "ligne 4, entry[3].resource|aucun montant n'y figure"},
		{importer.LeftOut{Line: 5, Element: "entry[4].resource", Kind: "health.claim", Reason: importer.ReasonNoDate}, "line 5, entry[4].resource|it states no date", "ligne 5, entry[4].resource|aucune date n'y figure"},
		{importer.LeftOut{Line: 9, Element: "Ntry", Kind: "bank.operation", Reason: importer.ReasonNotBooked, Params: []string{"PDNG"}}, "line 9, Ntry|not yet booked by the bank (status PDNG): it will come with a later statement", "ligne 9, Ntry|pas encore comptabilisée par la banque (statut PDNG)\u202f: elle viendra avec un relevé suivant"},
		{importer.LeftOut{Line: 2, Kind: "Courbe de charge", Reason: importer.ReasonUnit, Params: []string{"VA"}}, "line 2|its unit (VA) is not one selfdata stores", "ligne 2|son unité (VA) n'est pas de celles que selfdata enregistre"},
		{importer.LeftOut{Line: 30, Element: "REINVEST", Reason: importer.ReasonNoCash, Params: []string{"REINVEST"}}, "line 30, REINVEST|an investment transaction (REINVEST) that moved no money in the account", "ligne 30, REINVEST|une opération de placement (REINVEST) qui n'a fait entrer ni sortir aucune somme du compte"},
		{importer.LeftOut{Element: "x", Reason: importer.ReasonBadValue, Params: []string{"x.date"}}, "x|a value cannot be read (x.date)", "x|une valeur est illisible (x.date)"},
		{importer.LeftOut{Line: 3, Element: "VCARD", Kind: "contact", Reason: importer.ReasonNoName}, "line 3, VCARD|it has no name, e-mail address or phone number to be listed by", "ligne 3, VCARD|aucun nom, adresse e-mail ni numéro de téléphone n'y figure pour le désigner"},
		{importer.LeftOut{Line: 7, Element: "locations[2]", Kind: "visit", Reason: importer.ReasonNoCoords}, "line 7, locations[2]|it states no coordinates (latitude and longitude)", "ligne 7, locations[2]|aucune coordonnée (latitude et longitude) n'y figure"},
		{importer.LeftOut{Line: 8, Element: "frequentPlaces[0]", Kind: "place", Reason: importer.ReasonNoID}, "line 8, frequentPlaces[0]|it has no identifier by which to keep it", "ligne 8, frequentPlaces[0]|aucun identifiant permettant de le conserver n'y figure"},
		{importer.LeftOut{Line: 9, Element: "timelineObjects[0].placeVisit", Kind: "visit", Reason: importer.ReasonTooDeep, Params: []string{"4"}}, "line 9, timelineObjects[0].placeVisit|it is nested deeper than the 4 levels selfdata reads", "ligne 9, timelineObjects[0].placeVisit|il est imbriqué plus profondément que les 4 niveaux que selfdata lit"},
		{importer.LeftOut{Line: 12, Element: "MeterReading", Kind: "MeterReading", Reason: importer.ReasonNoMeasure}, "line 12, MeterReading|nothing in the file says what it measures (electricity, gas or water)", "ligne 12, MeterReading|rien dans le fichier ne dit ce qu'il mesure (électricité, gaz ou eau)"},
		{importer.LeftOut{Element: "x", Reason: "new-code", Text: "some English"}, "x|some English", "x|some English"},
		{importer.LeftOut{Element: "x", Reason: importer.ReasonUnit, Text: "unit missing"}, "x|unit missing", "x|unit missing"}, // a parameter missing
	} {
		for _, lg := range []string{"en", "fr"} {
			want := map[string]string{"en": tt.en, "fr": tt.fr}[lg]
			got := s.leftOut(lg, []importer.LeftOut{tt.l})[0]
			if got.Where+"|"+got.Why != want {
				t.Errorf("%s %s: got %q, want %q", lg, tt.l.Reason, got.Where+"|"+got.Why, want)
			}
			if english := strings.HasPrefix(want, "x|some") || strings.HasPrefix(want, "x|unit"); english != (got.WhyLang == "en") {
				t.Errorf("%s %s: lang %q", lg, tt.l.Reason, got.WhyLang)
			}
		}
	}
}

// TestImportLeftOutPastTheList: past importer.MaxLeftOut records left out, the page counts
// them all and lists the first ones, saying how many more there are.
func TestImportLeftOutPastTheList(t *testing.T) {
	ts := newTestServer(t)
	many := []string{goodClaim}
	for range importer.MaxLeftOut + 3 {
		many = append(many, badClaim)
	}
	for lg, want := range map[string][]string{
		"en": {"1,003</strong> records of the file left out", "…and 3 more, not listed one by one."},
		"fr": {"1\u202f003</strong> enregistrements du fichier laissés de côté", "…et 3 de plus, qui ne sont pas listés un par un."},
	} {
		status, page := postImportIn(t, ts, lg, "many-"+lg+".json", eobs(many...))
		if status != 200 {
			t.Fatalf("%s: status %d", lg, status)
		}
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: page lacks %q", lg, w)
			}
		}
		if n := strings.Count(page, "<tr><td"); n != importer.MaxLeftOut {
			t.Errorf("%s: %d rows listed, want %d", lg, n, importer.MaxLeftOut)
		}
	}
}
