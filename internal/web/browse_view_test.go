package web

import (
	"errors"
	"html"
	"regexp"
	"testing"
	"time"

	"selfdata/internal/demo"
	"selfdata/internal/gate"
	"selfdata/internal/store"
)

var (
	tags         = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]*>`)
	words        = regexp.MustCompile(`[\p{L}0-9_.-]+`)
	shownInstant = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T`)
	shownDay     = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
	// uuidOrHash are the ids the store and the restore make (a UUID, a base32 digest).
	uuidOrHash = regexp.MustCompile(`\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-|\b[a-z2-7]{32}\b`)
)

// visible is the text of a page as a person reads it: no markup, no attribute, entities read.
func visible(body string) string {
	return html.UnescapeString(tags.ReplaceAllString(body, " "))
}

// demoPages gives alice the demo person's year and the demo organizations, and returns the
// demo and every id and batch id it holds, which no page may show.
func demoPages(t *testing.T, ts *testServer) (*demo.Dataset, map[string]bool) {
	t.Helper()
	for _, o := range demo.Organizations() {
		if _, err := ts.srv.orgs.Add(bg, o); err != nil && !errors.Is(err, store.ErrExists) {
			t.Fatal(err)
		}
	}
	ds := demo.Generate(time.Date(2026, 3, 31, 10, 0, 0, 0, time.UTC), 1)
	if err := demo.Seed(bg, ts.gate, ts.alice.in.ID, ds); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, b := range ds.Docs {
		for _, d := range b.Docs {
			ids[d.ID] = true
		}
	}
	for _, f := range ds.Files {
		ids[f.ID] = true
	}
	return ds, ids
}

// firstDoc is the id of the first demo document of dt for which ok holds.
func firstDoc(t *testing.T, ds *demo.Dataset, dt string, ok func(map[string]any) bool) string {
	t.Helper()
	for _, b := range ds.Docs {
		if b.Doctype != dt {
			continue
		}
		for _, d := range b.Docs {
			if ok(d.Data) {
				return d.ID
			}
		}
	}
	t.Fatalf("the demo has no such %s", dt)
	return ""
}

// checkHuman fails when a page shows an instant or a day as the API writes it, or an id.
func checkHuman(t *testing.T, what, body string, ids map[string]bool) {
	t.Helper()
	text := visible(body)
	if m := shownInstant.FindString(text); m != "" {
		t.Errorf("%s shows an ISO instant %q", what, m)
	}
	if m := shownDay.FindString(text); m != "" {
		t.Errorf("%s shows an ISO day %q", what, m)
	}
	if m := uuidOrHash.FindString(text); m != "" {
		t.Errorf("%s shows an id %q", what, m)
	}
	for _, w := range words.FindAllString(text, -1) {
		if ids[w] {
			t.Errorf("%s shows the id %q", what, w)
		}
	}
}

// TestBrowseDemoHuman: the lists and record pages of the demo's bills, bank operations,
// calls and health expenses read as a person reads, in both languages: titles, enum labels
// and references by name, no id, no batch, no ISO date.
func TestBrowseDemoHuman(t *testing.T) {
	ts := newTestServer(t)
	ds, ids := demoPages(t, ts)
	is := func(field, value string) func(map[string]any) bool {
		return func(m map[string]any) bool { return m[field] == value }
	}
	groceries := firstDoc(t, ds, "bank.operation", is("category", "groceries"))
	bill := firstDoc(t, ds, "bill", func(m map[string]any) bool { return m["contract"] != nil && m["file"] != nil })
	call := firstDoc(t, ds, "telecom.record", is("kind", "call"))
	claim := firstDoc(t, ds, "health.claim", is("care", "consultation"))
	// Batch ids are ids too.
	for _, dt := range []string{"bank.operation", "bill", "telecom.record", "health.claim"} {
		for _, id := range []string{groceries, bill, call, claim} {
			if d, err := ts.gate.Get(bg, gate.Owner(ts.alice.in.ID), dt, id); err == nil && d.Source.Batch != "" {
				ids[d.Source.Batch] = true
			}
		}
	}
	pages := []struct {
		path   string
		en, fr []string
	}{
		{"/data/bank.operation", []string{"Groceries"}, []string{"Courses"}},
		{"/data/bank.operation/" + groceries, []string{"Groceries", "Card", `href="/data/bank.account/`}, []string{"Courses", "Carte", "Compte courant"}},
		{"/data/bill", []string{"Electricity"}, []string{"Électricité"}},
		{"/data/bill/" + bill, []string{`href="/data/contract/`, `href="/data/file/`, ".pdf</a>"}, []string{`href="/data/contract/`, "Fichier"}},
		{"/data/telecom.record", []string{"Call on ", "Sent"}, []string{"Appel du ", "Émis"}},
		{"/data/telecom.record/" + call, []string{"Call on ", "Duration", "Sent"}, []string{"Appel du ", "Durée", "Émis"}},
		{"/data/health.claim", []string{"Consultation", "Pharmacy", "Dental care"}, []string{"Consultation", "Pharmacie", "Soins dentaires"}},
		{"/data/health.claim/" + claim, []string{"Consultation"}, []string{"Consultation"}},
	}
	for _, pg := range pages {
		for lang, want := range map[string][]string{"en": pg.en, "fr": pg.fr} {
			body := ts.page(t, pg.path+"?lang="+lang, 200)
			what := lang + " " + pg.path
			wantAll(t, what, body, want...)
			checkHuman(t, what, body, ids)
		}
	}
	// An English word of one language never shows on the other's page.
	wantNone(t, "fr operations", visible(ts.page(t, "/data/bank.operation?lang=fr", 200)), "Groceries", "groceries", "restaurants")
	wantNone(t, "en operations", visible(ts.page(t, "/data/bank.operation?lang=en", 200)), "Courses")
	// An insurer's bill points to an insurance contract, named as such.
	maif := firstDoc(t, ds, "bill", is("type", "insurance"))
	body := ts.page(t, "/data/bill/"+maif+"?lang=fr", 200)
	wantAll(t, "MAIF bill", body, `href="/data/insurance.contract/`, "Habitation, MAIF")
	wantNone(t, "MAIF bill", body, "non disponible")
	wantNone(t, "fr claims", visible(ts.page(t, "/data/health.claim/"+firstDoc(t, ds, "health.claim", is("care", "pharmacy"))+"?lang=fr", 200)), "pharmacy")
}

// TestBrowseReferenceUnavailable: a reference to a record that is gone, or that is another
// person's, reads "not available", never the id it holds; one that exists links to its page
// under its title.
func TestBrowseReferenceUnavailable(t *testing.T) {
	ts := newTestServer(t)
	ts.create(t, "contract", `{"type":"electricity","provider":"EDF","start":"2024-01-01"}`)
	var contract string
	for _, m := range regexp.MustCompile(`href="/data/contract/([^"]+)"`).FindAllStringSubmatch(ts.page(t, "/data/contract", 200), -1) {
		contract = m[1]
	}
	ts.create(t, "bill",
		`{"vendor":"Gone SA","date":"2025-02-15","amount":"5.00","currency":"EUR","contract":"contract-gone-4711"}`,
		`{"vendor":"Bob's supplier","date":"2025-02-16","amount":"6.00","currency":"EUR","contract":"bill-bob","file":"file-bob"}`,
		`{"vendor":"EDF","date":"2025-02-17","amount":"7.00","currency":"EUR","type":"electricity","contract":"`+contract+`"}`)
	list := ts.page(t, "/data/bill?lang=en", 200)
	for _, tt := range []struct{ vendor, lang, want string }{
		{"Gone SA", "en", "not available"}, {"Gone SA", "fr", "non disponible"}, {"Bob's supplier", "en", "not available"},
		{"EDF", "en", `<a href="/data/contract/` + contract + `">Electricity, EDF</a>`},
		{"EDF", "fr", `<a href="/data/contract/` + contract + `">Électricité, EDF</a>`},
	} {
		m := regexp.MustCompile(`href="(/data/bill/[^"]+)">` + regexp.QuoteMeta(html.EscapeString(tt.vendor)) + `<`).FindStringSubmatch(list)
		if m == nil {
			t.Fatalf("no bill of %s in %s", tt.vendor, list)
		}
		body := ts.page(t, m[1]+"?lang="+tt.lang, 200)
		wantAll(t, tt.vendor+" "+tt.lang, body, tt.want)
		wantNone(t, tt.vendor+" "+tt.lang, visible(body), "contract-gone-4711", "bill-bob", "file-bob", "61.20", "61,20")
	}
	wantAll(t, "bill list", list, "not available", "Electricity, EDF")
}
