package web

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"selfdata/internal/services"
)

func TestSearchPage(t *testing.T) {
	ts := newTestServer(t)
	ts.depositEnedis(t)
	ts.create(t, "contact", `{"fullName":"Jeanne EDFort"}`)
	for _, tt := range []struct {
		path string
		want []string
		none []string
	}{
		{"/search?q=EDF", []string{`href="/data/bill/bill-alice"`, `<span class="badge search-kind">Bill</span>`, `<span class="badge search-kind">Contact</span>`, "Jeanne <mark>EDFort</mark>", "2</strong> results for “EDF”", "€61.20", "Added by you"}, []string{"bill-bob", ">Enedis</a>", "Nothing found", `rel="next"`}},
		{"/search?q=edf&lang=fr", []string{`href="/data/bill/bill-alice"`, "Facture", "résultats pour « edf »", "61,20\u00a0€"}, nil},
		{"/search?q=facture+edf&lang=fr", []string{`href="/data/bill/bill-alice"`, "1</strong> résultat pour « facture edf »"}, []string{"Jeanne"}},
		{"/search?q=bill", []string{`href="/data/bill/bill-alice"`}, []string{"Jeanne"}},
		{"/search?q=enedis", []string{"results", "<mark>Enedis</mark></a>", "Source: Enedis"}, []string{"bill-alice"}},
		{"/search?q=31/01/2025", []string{"/data/bill/bill-alice", "result"}, nil},
		{"/search?q=31+janvier+2025&lang=fr", []string{"/data/bill/bill-alice"}, nil},
		{"/search?q=January+31", []string{"/data/bill/bill-alice"}, nil},
		{"/search?q=61,20", []string{"/data/bill/bill-alice", "<mark>61</mark>.<mark>20</mark>"}, nil},
		{"/search?q=zzzz", []string{"Nothing found for “zzzz”", "Check the spelling"}, []string{"/data/bill/"}},
		{"/search?q=zzzz&lang=fr", []string{"Rien trouvé pour « zzzz »"}, nil},
		{"/search?q=edf+zzzz", []string{"Nothing found for “edf zzzz”"}, []string{"/data/bill/"}}, // every word
		{"/search", []string{"Type words you remember", `name="q"`}, []string{"Nothing found", "results for"}},
		{"/search?q=+++", []string{"Type words you remember"}, []string{"Nothing found"}},
		{`/search?q=%22`, []string{"Nothing found for “&#34;”"}, nil},
		{`/search?q=AND+OR+NOT+*`, []string{"Nothing found"}, nil},
	} {
		body := ts.page(t, tt.path, 200)
		wantAll(t, tt.path, body, tt.want...)
		wantNone(t, tt.path, body, tt.none...)
	}
	// Bob finds his own bill, not alice's.
	res := ts.do(t, request{method: "GET", path: "/search?q=EDF", as: "session:bob"})
	wantAll(t, "bob's search", res.body, "/data/bill/bill-bob")
	wantNone(t, "bob's search", res.body, "bill-alice", "Jeanne")
	// A cursor that is not one the search gave is refused, not a page of something else.
	ts.page(t, "/search?q=edf&after=nope&from=51", 400)
}

// TestSearchHighlightEscaping: the words found are marked, and the record's text around
// them stays text.
func TestSearchHighlightEscaping(t *testing.T) {
	ts := newTestServer(t)
	ts.create(t, "bill", `{"vendor":"<script>alert(1)</script> Électricité","date":"2025-01-01","amount":"1.00","currency":"EUR"}`)
	body := ts.page(t, "/search?q=electricite+script", 200)
	wantAll(t, "highlight", body, ">&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; <mark>Électricité</mark>")
	wantNone(t, "highlight", body, "<script>alert")
}

// resultLinks are the records a search page links to.
var resultLinks = regexp.MustCompile(`<li><span class="badge search-kind">[^<]*</span>(?: <span class="badge">[^<]*</span>)?\s*<a href="(/data/[^"]+)"`)

// TestSearchDemo: the demo person, in French, finds their EDF bills, their electricity, a
// day of theirs; and "Lyon", on more than 200 records, is read to the end page after page,
// each record once.
func TestSearchDemo(t *testing.T) {
	ts := newTestServer(t)
	end := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	ts.seedDemoFor(t, end, services.Contracts)
	get := func(path string) string {
		t.Helper()
		return ts.do(t, request{method: "GET", path: path, as: "session:alice", header: map[string]string{"Accept-Language": "fr"}}).body
	}
	for _, q := range []string{"facture EDF", "électricité", "electricite", "30 novembre", "novembre 2026 facture"} {
		body := get("/search?q=" + url.QueryEscape(q))
		if !strings.Contains(body, "résultat") || len(resultLinks.FindAllString(body, -1)) == 0 {
			t.Errorf("%q finds nothing: %s", q, body)
		}
		if q == "facture EDF" {
			wantAll(t, q, body, `<span class="badge search-kind">Facture</span>`, "<mark>EDF</mark>")
		}
	}
	seen := map[string]int{}
	path, pages := "/search?q=Lyon", 0
	total := 0
	for path != "" && pages < 100 {
		body := get(path)
		pages++
		if m := regexp.MustCompile(`<strong>(\d+)</strong> résultats pour`).FindStringSubmatch(body); m != nil {
			total, _ = strconv.Atoi(m[1])
		}
		for _, m := range resultLinks.FindAllStringSubmatch(body, -1) {
			seen[m[1]]++
		}
		path = ""
		if m := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindStringSubmatch(body); m != nil {
			path = strings.ReplaceAll(m[1], "&amp;", "&")
		}
	}
	if total <= 200 || len(seen) != total || pages != (total+searchPageSize-1)/searchPageSize {
		t.Fatalf("Lyon: %d results said, %d read on %d pages", total, len(seen), pages)
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("%s shown %d times", id, n)
		}
	}
	t.Log(fmt.Sprintf("Lyon: %d results on %d pages", total, pages))
}
