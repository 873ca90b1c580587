package web

import (
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"selfdata/internal/gate"
)

// get fetches a page as alice and fails on an unexpected status.
func (ts *testServer) page(t *testing.T, path string, status int) string {
	t.Helper()
	res := ts.do(t, request{method: "GET", path: path, as: "session:alice"})
	if res.status != status {
		t.Fatalf("GET %s: status %d, want %d; body %s", path, res.status, status, res.body)
	}
	return res.body
}

func wantAll(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func wantNone(t *testing.T, what, body string, absent ...string) {
	t.Helper()
	for _, a := range absent {
		if strings.Contains(body, a) {
			t.Errorf("%s has %q", what, a)
		}
	}
}

// depositEnedis has Enedis restore two bills to alice.
func (ts *testServer) depositEnedis(t *testing.T) {
	t.Helper()
	res := ts.do(t, request{method: "POST", path: "/api/v1/deposits", as: "deposit", body: `{"documents":[
		{"doctype":"bill","id":"F1","data":{"vendor":"Enedis","date":"2024-11-30","amount":"1234.5","currency":"EUR"}},
		{"doctype":"bill","id":"F2","data":{"vendor":"Enedis","date":"2025-02-28","amount":"13.00","currency":"EUR"}}]}`})
	if res.status != 200 {
		t.Fatalf("deposit: %d %s", res.status, res.body)
	}
}

// create writes documents into alice's store as alice.
func (ts *testServer) create(t *testing.T, dt string, docs ...string) {
	t.Helper()
	owner := gate.Owner(ts.alice.in.ID)
	in := make([]gate.Input, len(docs))
	for i, d := range docs {
		in[i] = gate.Input{Data: json.RawMessage(d)}
	}
	if _, err := ts.gate.Create(bg, owner, dt, in, owner.Source("", ts.gate)); err != nil {
		t.Fatal(err)
	}
}

func TestBrowseIndex(t *testing.T) {
	ts := newTestServer(t)
	ts.depositEnedis(t)
	ts.create(t, "health.claim", `{"date":"2025-03-01","amount":"25.00","currency":"EUR","care":"consultation"}`)
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"en", []string{"<h1>My data</h1>", "By kind of data", "By source", `href="/data/bill"`, "Bill", "3 records", "1 record<",
			`href="/data/bill?source=organization%2Fenedis"`, "Enedis", "2 records", "Added by you", `href="/charts/water"`, "2 readings",
			"Health care expense", "Sensitive data (health)"}},
		{"fr", []string{"<h1>Mes données</h1>", "Par type de donnée", "Par provenance", "Facture", "3 enregistrements", "Ajouté par vous",
			"2 relevés", "Donnée sensible (santé)", `lang="fr"`}},
	} {
		body := ts.page(t, "/data?lang="+tt.lang, 200)
		wantAll(t, tt.lang+" index", body, tt.want...)
	}
	// Bob holds only his own: one bill, no Enedis deposit, no health claim.
	res := ts.do(t, request{method: "GET", path: "/data", as: "session:bob"})
	wantAll(t, "bob's index", res.body, "1 record")
	wantNone(t, "bob's index", res.body, "Enedis", "health.claim", "3 records")
}

func TestBrowseList(t *testing.T) {
	ts := newTestServer(t)
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"en", []string{"<h1>Bill", "A bill from a supplier", "What this can reveal about you:", "Your suppliers",
			`href="/data/bill/bill-alice"`, ">EDF</a>", "Amount", "€61.20", "Date", "31 Jan 2025", "Type", "Electricity",
			"Added by you", "received on", "1 record", `<option value="owner/"`, "All sources"}},
		{"fr", []string{"<h1>Facture", "Une facture d&#39;un fournisseur", "Ce que cela peut révéler de vous\u202f:", "Montant", "61,20\u00a0€",
			"31/01/2025", "Électricité", "Ajouté par vous", "reçu le", "1 enregistrement", "Toutes les provenances"}},
	} {
		body := ts.page(t, "/data/bill?lang="+tt.lang, 200)
		wantAll(t, tt.lang+" list", body, tt.want...)
		wantNone(t, tt.lang+" list", body, "bill-bob", "Sensitive data", "Donnée sensible", `rel="next"`)
	}
	ts.create(t, "health.claim", `{"date":"2025-03-01","amount":"25.00","currency":"EUR","care":"consultation"}`)
	wantAll(t, "health claims", ts.page(t, "/data/health.claim", 200), "Sensitive data (health)", "consultation", "€25.00", "1 Mar 2025")
	// Empty list of a known doctype: a plain message.
	wantAll(t, "contacts", ts.page(t, "/data/contact", 200), "No record here.", "0 records")
	// Unknown doctypes and series are not lists.
	ts.page(t, "/data/nope", 404)
	ts.page(t, "/data/reading.water", 404)
	ts.page(t, "/data/reading.water/water-alice", 404)
	ts.page(t, "/data/bill?cursor=garbage", 400)
	ts.page(t, "/data/bill?source=nokind", 400)
}

var recordLink = regexp.MustCompile(`href="/data/bill/([^"]+)"`)

// TestBrowsePagination: 50 records a page, newest first, the next page from the cursor,
// nothing skipped or repeated; the filter by source keeps the same pages.
func TestBrowsePagination(t *testing.T) {
	ts := newTestServer(t)
	var docs []string
	day := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 60 {
		docs = append(docs, fmt.Sprintf(`{"vendor":"V%02d","date":%q,"amount":"%d.00","currency":"EUR"}`, i, day.AddDate(0, 0, i).Format(time.DateOnly), i))
	}
	ts.create(t, "bill", docs...)
	ts.depositEnedis(t)

	seen := map[string]bool{}
	var vendors []string
	path, pages := "/data/bill", 0
	for path != "" {
		pages++
		body := ts.page(t, path, 200)
		links := recordLink.FindAllStringSubmatch(body, -1)
		if pages == 1 && len(links) != 50 {
			t.Fatalf("first page has %d records, want 50", len(links))
		}
		for _, l := range links {
			if seen[l[1]] {
				t.Errorf("record %s on two pages", l[1])
			}
			seen[l[1]] = true
		}
		vendors = append(vendors, regexp.MustCompile(`>(V\d\d|EDF|Enedis)</a>`).FindAllString(body, -1)...)
		path = ""
		if m := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(body); m != nil {
			path = html.UnescapeString(m[1])
			if !strings.Contains(path, "cursor=") {
				t.Fatalf("next link without cursor: %s", path)
			}
		} else if pages > 1 {
			wantAll(t, "last page", body, "Back to the first page")
		}
	}
	if pages != 2 || len(seen) != 63 {
		t.Errorf("%d pages, %d records; want 2 pages of 63", pages, len(seen))
	}
	// Newest first: Enedis's 2025-02-28 bill, then EDF 2025-01-31, then Enedis 2024-11-30, then V59..V00.
	if len(vendors) < 4 || vendors[0] != ">Enedis</a>" || vendors[1] != ">EDF</a>" || vendors[3] != ">V59</a>" || vendors[len(vendors)-1] != ">V00</a>" {
		t.Errorf("order: %v", vendors)
	}

	// Filter: Enedis holds two bills, found on one page past 60 of alice's own.
	body := ts.page(t, "/data/bill?source=organization/enedis", 200)
	if n := len(recordLink.FindAllString(body, -1)); n != 2 {
		t.Errorf("Enedis's bills: %d records", n)
	}
	wantAll(t, "Enedis's bills", body, `value="organization/enedis" selected`, "2 records", "1,234.50", "Enedis")
	wantNone(t, "Enedis's bills", body, "bill-alice", `rel="next"`)
	// alice's own: 61, in two pages, the next link keeping the filter.
	body = ts.page(t, "/data/bill?source=owner/", 200)
	wantAll(t, "alice's own bills", body, "61 records")
	if m := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(body); m == nil || !strings.Contains(m[1], "source=owner%2F") {
		t.Errorf("the next page forgets the filter: %v", m)
	}
	wantNone(t, "alice's own bills", body, ">Enedis</a>")
	if n := len(recordLink.FindAllString(body, -1)); n != 50 {
		t.Errorf("alice's own bills, first page: %d", n)
	}
	// A source that holds nothing.
	body = ts.page(t, "/data/bill?source=organization/grdf", 200)
	wantAll(t, "GRDF's bills", body, "No record here.")
}

func TestBrowseRecord(t *testing.T) {
	ts := newTestServer(t)
	ts.create(t, "bill", `{"vendor":"Eau du Grand Lyon","date":"2025-02-15","amount":"-5","currency":"EUR","type":"water","file":"file-alice","periodStart":"2024-12-01","extraInfo":{"meterPoint":"PDL 123","lines":[{"label":"Abonnement","amount":"3.10"},"note"]}}`)
	list := ts.page(t, "/data/bill", 200)
	var id string
	for _, m := range recordLink.FindAllStringSubmatch(list, -1) {
		if m[1] != "bill-alice" {
			id = m[1]
		}
	}
	if id == "" {
		t.Fatalf("no new bill in %s", list)
	}
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"en", []string{"<h1>Eau du Grand Lyon <small>Bill</small>", "What it contains", "Supplier", "Amount", "-€5.00", "15 Feb 2025",
			"Period from", "1 Dec 2024", "Water", "Extra info", "Meter point", "PDL 123", "Abonnement", "€3.10", "note",
			`href="/api/v1/files/file-alice"`, "Download the file", "Where it comes from", "Added by you", "Arrived in your store",
			`<a href="/data/file/file-alice">bill.pdf</a>`}},
		{"fr", []string{"Facture", "Ce qu&#39;il contient", "Fournisseur", "Montant", "-5,00\u00a0€", "15/02/2025", "Période du", "01/12/2024",
			"Eau", "Télécharger le fichier", "D&#39;où cela vient", "Ajouté par vous", "Arrivé dans votre espace"}},
	} {
		body := ts.page(t, "/data/bill/"+id+"?lang="+tt.lang, 200)
		wantAll(t, tt.lang+" record", body, tt.want...)
	}
	// The fixture bill: the same amount the API gives, with no download link.
	body := ts.page(t, "/data/bill/bill-alice", 200)
	wantAll(t, "alice's bill", body, "€61.20", "31 Jan 2025")
	wantNone(t, "alice's bill", body, "/api/v1/files/")
	// The download link works with the session.
	if res := ts.do(t, request{method: "GET", path: "/api/v1/files/file-alice", as: "session:alice"}); res.status != 200 || !strings.Contains(res.body, "%PDF") {
		t.Errorf("download: %d %s", res.status, res.body)
	}
	// A file record links to its content.
	wantAll(t, "file record", ts.page(t, "/data/file/file-alice", 200), `href="/api/v1/files/file-alice"`, "bill.pdf", "application/pdf")
	// Another person's record, or none: not found.
	res := ts.do(t, request{method: "GET", path: "/data/bill/bill-bob", as: "session:alice"})
	if res.status != 404 || strings.Contains(res.body, "61.20") || strings.Contains(res.body, "61,20") {
		t.Errorf("bob's bill by alice: %d %s", res.status, res.body)
	}
	ts.page(t, "/data/bill/nope", 404)
	ts.page(t, "/data/nope/bill-alice", 404)
}

// TestBrowseEscaping: data restored by an organization is text, never markup.
func TestBrowseEscaping(t *testing.T) {
	ts := newTestServer(t)
	ts.create(t, "bill", `{"vendor":"<script>alert(1)</script>","date":"2025-01-01","amount":"1.00","currency":"EUR","reference":"\"><img src=x onerror=alert(1)>"}`)
	list := ts.page(t, "/data/bill", 200)
	var id string
	for _, m := range recordLink.FindAllStringSubmatch(list, -1) {
		if m[1] != "bill-alice" {
			id = m[1]
		}
	}
	for path, body := range map[string]string{
		"list":   list,
		"record": ts.page(t, "/data/bill/"+id, 200),
		"search": ts.page(t, "/search?q=script", 200),
		"query":  ts.page(t, "/search?q=%3Cscript%3Ealert(2)%3C/script%3E", 200),
	} {
		wantNone(t, path, body, "<script>", "<img src=x")
		if path != "query" && path != "search" { // a search marks the words found: TestSearchHighlightEscaping
			wantAll(t, path, body, "&lt;script&gt;alert(1)&lt;/script&gt;")
		}
	}
}

func TestFormatMoney(t *testing.T) {
	for _, tt := range []struct{ amount, currency, en, fr string }{
		{"61.20", "EUR", "€61.20", "61,20\u00a0€"},
		{"61.2", "EUR", "€61.20", "61,20\u00a0€"},
		{"61", "EUR", "€61.00", "61,00\u00a0€"},
		{"-12.34", "EUR", "-€12.34", "-12,34\u00a0€"},
		{"1234567.89", "EUR", "€1,234,567.89", "1\u202f234\u202f567,89\u00a0€"},
		{"0.1740", "EUR", "€0.174", "0,174\u00a0€"},
		{"0.00", "EUR", "€0.00", "0,00\u00a0€"},
		{"-0.00", "EUR", "€0.00", "0,00\u00a0€"},
		{"007.5", "USD", "$7.50", "7,50\u00a0$"},
		{"99999999999999999999.99", "GBP", "£99,999,999,999,999,999,999.99", "99\u202f999\u202f999\u202f999\u202f999\u202f999\u202f999,99\u00a0£"},
		{"12.5", "CHF", "CHF\u00a012.50", "12,50\u00a0CHF"},
		{"12.5", "", "12.50", "12,50"},
	} {
		if got, ok := formatMoney(tt.amount, tt.currency, "en"); !ok || got != tt.en {
			t.Errorf("en %s %s: %q, want %q", tt.amount, tt.currency, got, tt.en)
		}
		if got, ok := formatMoney(tt.amount, tt.currency, "fr"); !ok || got != tt.fr {
			t.Errorf("fr %s %s: %q, want %q", tt.amount, tt.currency, got, tt.fr)
		}
	}
	for _, bad := range []string{"", "abc", "1.2.3", "1,20", "-", ".5", "1e3", "+1", "1 000"} {
		if got, ok := formatMoney(bad, "EUR", "fr"); ok || got != bad {
			t.Errorf("%q accepted as %q", bad, got)
		}
	}
}

func TestFormatDates(t *testing.T) {
	for _, tt := range []struct{ in, en, fr string }{
		{"2025-01-31", "31 Jan 2025", "31/01/2025"},
		{"2024-02-29", "29 Feb 2024", "29/02/2024"},
		{"2025-12-01", "1 Dec 2025", "01/12/2025"},
		{"2025-02-30", "2025-02-30", "2025-02-30"},
		{"soon", "soon", "soon"},
	} {
		if got := formatDate(tt.in, "en"); got != tt.en {
			t.Errorf("en %s: %q, want %q", tt.in, got, tt.en)
		}
		if got := formatDate(tt.in, "fr"); got != tt.fr {
			t.Errorf("fr %s: %q, want %q", tt.in, got, tt.fr)
		}
	}
	at := time.Date(2025, 1, 31, 7, 5, 0, 0, time.UTC) // 08:05 in Paris
	if displayZone() != time.UTC {
		if got := formatInstant(at, "fr"); got != "31/01/2025 à 08:05" {
			t.Errorf("instant fr: %q", got)
		}
		if got := formatInstant(at, "en"); got != "31 Jan 2025, 08:05" {
			t.Errorf("instant en: %q", got)
		}
		if got := formatDay(time.Date(2025, 1, 31, 23, 30, 0, 0, time.UTC), "fr"); got != "01/02/2025" {
			t.Errorf("day in Paris: %q", got)
		}
	}
	if got := formatInstant(time.Time{}, "en"); got != "—" {
		t.Errorf("zero instant: %q", got)
	}
}

func TestFormatOther(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{formatDuration(45), "45 s"},
		{formatDuration(200), "3 min 20 s"},
		{formatDuration(3725), "1 h 02 min 05 s"},
		{formatBytes(512, "en"), "512\u00a0B"},
		{formatBytes(1572864, "en"), "1.5\u00a0MB"},
		{formatBytes(1572864, "fr"), "1,5\u00a0Mo"},
		{formatBytes(2048, "fr"), "2\u00a0Ko"},
		{formatNumber("1234.5", "fr"), "1\u202f234,5"},
		{formatNumber("-45.75", "en"), "-45.75"},
		{formatNumber("1e5", "en"), "1e5"},
		{humanize("meterPoint"), "Meter point"},
		{humanize("tarif_option"), "Tarif option"},
		{countText("fr", 12345, true), "12\u202f345 relevés"},
		{countText("en", 1, false), "1 record"},
		{countText("en", 0, false), "0 records"},
	} {
		if tt.got != tt.want {
			t.Errorf("%q, want %q", tt.got, tt.want)
		}
	}
}
