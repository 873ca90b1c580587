package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/mail"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"selfdata/internal/demo"
	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/store"
)

// homeISOInstant is an instant as the store writes it, which no page shows a person.
var homeISOInstant = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T`)

// connectOrg registers o, has who approve its connection and returns its deposit credential.
func (ts *testServer) connectOrg(t *testing.T, o store.Organization, who *person) string {
	t.Helper()
	key, err := ts.srv.orgs.Add(bg, o)
	if err != nil {
		t.Fatal(err)
	}
	org, err := ts.srv.orgs.Organization(bg, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ts.srv.orgs.Request(bg, org, who.name, o.Declaration.Doctypes)
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.srv.orgs.Decide(bg, who.in.ID, c.ID, "approve"); err != nil {
		t.Fatal(err)
	}
	_, cred, err := ts.srv.orgs.Claim(bg, org, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return cred
}

// depositBills deposits bills dated as given with the deposit credential cred.
func (ts *testServer) depositBills(t *testing.T, cred, prefix string, dates ...string) {
	t.Helper()
	var docs []string
	for i, d := range dates {
		docs = append(docs, fmt.Sprintf(`{"doctype":"bill","id":"%s%d","data":{"vendor":"%s","date":"%s","amount":"12.00","currency":"EUR"}}`, prefix, i, prefix, d))
	}
	res := ts.do(t, request{method: "POST", path: "/api/v1/deposits", as: "Bearer " + cred, body: `{"documents":[` + strings.Join(docs, ",") + `]}`})
	if res.status != 200 {
		t.Fatalf("deposit: %d %s", res.status, res.body)
	}
}

// hrefs are the links of a page, unescaped, each once, in order.
func hrefs(body string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		h := html.UnescapeString(m[1])
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	return out
}

// checkLinks GETs every link of page (the path it was read at) as who, and requires a 200;
// an e-mail address must be a mailto: link, and no link may leave the site.
func checkLinks(t *testing.T, ts *testServer, who, at, body string) {
	t.Helper()
	base, _ := url.Parse("http://selfdata.test" + at)
	for _, h := range hrefs(body) {
		if strings.HasPrefix(h, "mailto:") {
			if _, err := mail.ParseAddress(strings.TrimPrefix(h, "mailto:")); err != nil {
				t.Errorf("%s: %q is not an e-mail address: %v", at, h, err)
			}
			continue
		}
		u, err := base.Parse(h)
		if err != nil || u.Host != base.Host {
			t.Errorf("%s: the link %q leaves the site or does not parse (%v)", at, h, err)
			continue
		}
		u.Fragment = ""
		if res := ts.do(t, request{method: "GET", path: u.RequestURI(), as: who}); res.status != 200 {
			t.Errorf("%s: the link %q answers %d", at, h, res.status)
		}
	}
}

// recordLinks counts the distinct records of doctype a list page links to.
func recordLinks(body, doctype string) int {
	re := regexp.MustCompile(`href="/data/` + regexp.QuoteMeta(doctype) + `/([^"/?#]+)"`)
	seen := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		seen[m[1]] = true
	}
	return len(seen)
}

// homeCardHTML is the HTML of the card whose heading has this id on a home page.
func homeCardHTML(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<section class="card home-card" aria-labelledby="` + regexp.QuoteMeta(id) + `">.*?</section>`).FindString(body)
	if m == "" {
		t.Fatalf("no card %s on the page", id)
	}
	return m
}

// TestHome: at the top, the figures of what alice holds, counted here from what the test
// gave her; then per source a card whose links lead to exactly that source's records, with
// its declaration folded and its addresses as mailto: links, in both languages, with no
// instant written the store's way, and every link answering.
func TestHome(t *testing.T) {
	ts := newTestServer(t)
	// Two organizations deposit bills for alice; she has a health claim of her own, and the
	// harness gave her a bill, a file and a water series of two readings.
	grdf := store.Organization{ID: "grdf", Name: "GRDF", Contact: "Service clients, 69003 Lyon", DPO: "dpo@grdf.example",
		Declaration: store.Declaration{Purposes: []string{"gas network"}, LegalBasis: "legal_obligation", Doctypes: []string{"bill"}, Retention: "5 years"}}
	ts.depositBills(t, ts.connectOrg(t, grdf, ts.alice), "GRDF", "2025-03-01", "2025-04-01", "2025-05-01")
	ts.depositBills(t, ts.deposit, "Enedis", "2024-11-30", "2025-02-28")
	owner := gate.Owner(ts.alice.in.ID)
	if _, err := ts.gate.Create(bg, owner, "health.claim", []gate.Input{{Data: json.RawMessage(`{"date":"2025-03-01","amount":"25.00","currency":"EUR"}`)}}, owner.Source("", ts.gate)); err != nil {
		t.Fatal(err)
	}
	bills := map[string]int{"organization/enedis": 2, "organization/grdf": 3, "owner/": 1}
	records := bills["organization/enedis"] + bills["organization/grdf"] + bills["owner/"] + 1 + 1 // and her file and her claim
	// Volta reads alice's meters for the first time: one alert.
	vp, err := ts.cons.Principal(bg, ts.alice.in.ID, ts.grantA)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.gate.Query(bg, vp, store.Query{Doctype: "meter", Limit: 10}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang string
		want []string
	}{
		{"en", []string{"Who has what on me", "<strong>2</strong> organizations hold data on you",
			fmt.Sprintf("<strong>%d records</strong>:", records), `<a href="/data/bill">Bill</a>&nbsp;6`, `<a href="/data/file">File</a>&nbsp;1`, `<a href="/data/health.claim">Health care expense</a>&nbsp;1`,
			"<strong>2 readings</strong>:", `<a href="/charts/water">Water readings</a>&nbsp;2`,
			`Sensitive (health)</span>: <a href="/data/health.claim">Health care expense</a>&nbsp;1 (<a href="/data/health.claim?source=owner%2F">Added by you</a>)`,
			"Your first visit", `<a href="/connections">Connection requests waiting</a>: <strong>0</strong>`, `<a href="/consents#alerts">New alerts</a>: <strong class="home-due">1</strong>`,
			`<h2 id="c-organization-enedis">Enedis</h2>`, "2 records", "Nov 2024 – Feb 2025", "Mar – May 2025",
			"billing · network operation — a legal obligation", "3 years", "your electricity supplier", "What this can reveal about you", "Added by you",
			`<a href="mailto:dpo@example.org">dpo@example.org</a>`, `<a href="mailto:contact@example.org">contact@example.org</a>`, "<dd>Service clients, 69003 Lyon</dd>",
			"Services using your data", `<li id="s-volta">`, "To provide the service you use", `href="/consents#svc-volta"`}},
		{"fr", []string{"Qui a quoi sur moi", "<strong>2</strong> organismes détiennent des données sur vous", fmt.Sprintf("<strong>%d enregistrements</strong>\u202f:", records),
			`<a href="/data/bill">Facture</a>&nbsp;6`, `<a href="/charts/water">Relevés d&#39;eau</a>&nbsp;2`, "Sensible (santé)", "Votre première visite",
			"Demandes de connexion en attente", "Nouvelles alertes", "2 enregistrements", "nov. 2024 – févr. 2025", "mars – mai 2025", "une obligation légale",
			"Ce que cela peut révéler de vous", "Ajouté par vous", `lang="fr"`, "Les services qui utilisent vos données", "Peut utiliser (1)"}},
	}
	for _, tt := range tests {
		path := "/?lang=" + tt.lang
		res := ts.do(t, request{method: "GET", path: path, as: "session:alice"})
		if res.status != 200 {
			t.Fatalf("%s: %d", tt.lang, res.status)
		}
		for _, w := range tt.want {
			if !strings.Contains(res.body, w) {
				t.Errorf("%s home lacks %q", tt.lang, w)
			}
		}
		if m := homeISOInstant.FindString(res.body); m != "" {
			t.Errorf("%s home writes an instant the store's way: %q", tt.lang, m)
		}
		if n := strings.Count(res.body, "<details class=\"home-why\">"); n != 3 {
			t.Errorf("%s home has %d folded declarations, want one per card (3)", tt.lang, n)
		}
		if n, cards := strings.Count(res.body, `<h3>`+textIn(homeTexts, tt.lang, "reveals")), 3; n > cards {
			t.Errorf("%s home says what data can reveal %d times, want at most once per card", tt.lang, n)
		}
		checkLinks(t, ts, "session:alice", path, res.body)
		// Each card's bills lead to exactly that source's bills.
		for source, n := range bills {
			kind, id, _ := strings.Cut(source, "/")
			card := homeCardHTML(t, res.body, "c-"+kind+"-"+id)
			href := "/data/bill?" + url.Values{"source": {source}}.Encode()
			if !strings.Contains(card, `href="`+html.EscapeString(href)+`"`) {
				t.Errorf("%s: the card of %s does not link its bills to %s:\n%s", tt.lang, source, href, card)
				continue
			}
			list := ts.do(t, request{method: "GET", path: href + "&lang=" + tt.lang, as: "session:alice"})
			if got := recordLinks(list.body, "bill"); list.status != 200 || got != n {
				t.Errorf("%s: %s lists %d bills (status %d), want the card's %d", tt.lang, href, got, list.status, n)
			}
		}
	}
	// Bob sees nothing of alice's, and his pending request is counted. Once he withdraws
	// his consent to volta, it is no longer among the services using his data.
	res := ts.do(t, request{method: "GET", path: "/", as: "session:bob"})
	if strings.Contains(res.body, "Nov 2024") || strings.Contains(res.body, "GRDF") ||
		!strings.Contains(res.body, `Connection requests waiting</a>: <strong class="home-due">1</strong>`) {
		t.Errorf("bob's home: %s", res.body)
	}
	if _, err := ts.cons.Withdraw(bg, ts.bob.in.ID, ts.grantB); err != nil {
		t.Fatal(err)
	}
	if res := ts.do(t, request{method: "GET", path: "/", as: "session:bob"}); strings.Contains(res.body, "Services using your data") || strings.Contains(res.body, "s-volta") {
		t.Errorf("bob's home lists volta after he withdrew: %s", res.body)
	}
}

// TestHomeSinceLastVisit: what arrived since the person's previous visit, as the access log
// tells it; a reload does not make it the previous visit. On both backends, whose access
// logs the walk reads.
func TestHomeSinceLastVisit(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testSinceLastVisit(t, newTestServer(t)) })
	t.Run("postgres", func(t *testing.T) { testSinceLastVisit(t, newPGTestServer(t)) })
}

func testSinceLastVisit(t *testing.T, ts *testServer) {
	ts.depositBills(t, ts.deposit, "Enedis", "2025-01-31")
	// Alice looked at her store three hours ago, for ten minutes; since then Enedis
	// deposited a bill. Her water readings end in January 2025: not new.
	left := time.Now().Add(-3 * time.Hour).Truncate(time.Second)
	var entries []store.LogEntry
	for _, at := range []time.Time{left.Add(-10 * time.Minute), left} {
		entries = append(entries, store.LogEntry{At: at, Principal: "owner", ActorName: "you", Doctype: "*", Verb: "read", Times: 1})
	}
	if err := ts.db.AppendLogs(bg, []store.InstanceLog{{Instance: ts.alice.in.ID, Entries: entries}}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ lang, since, bill, water string }{
		{"en", "New since your last visit (" + formatInstant(left, "en") + ")", "Bill — Enedis", "Water readings — "},
		{"fr", "Nouveau depuis votre dernière visite (" + formatInstant(left, "fr") + ")", "Facture — Enedis", "Relevés d&#39;eau — "},
	} {
		for range 2 { // and again, as on a reload
			res := ts.do(t, request{method: "GET", path: "/?lang=" + tt.lang, as: "session:alice"})
			glance := regexp.MustCompile(`(?s)<section class="home-glance".*?</section>`).FindString(res.body)
			if !strings.Contains(glance, html.EscapeString(tt.since)) || !strings.Contains(glance, tt.bill) || strings.Contains(glance, tt.water) {
				t.Errorf("%s: the summary does not tell what is new since %s:\n%s", tt.lang, left, glance)
			}
		}
	}
	if res := ts.do(t, request{method: "GET", path: "/", as: "session:bob"}); !strings.Contains(res.body, "Your first visit") {
		t.Errorf("bob, who never looked, is not told it is his first visit")
	}
}

// TestVisitEnd: a visit is a run of the person's reads without a silence longer than
// visitGap; the previous one ended at the first read before such a silence.
func TestVisitEnd(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	read := func(ago time.Duration) store.LogEntry { return store.LogEntry{At: now.Add(-ago), Verb: "read"} }
	write := func(ago time.Duration) store.LogEntry { return store.LogEntry{At: now.Add(-ago), Verb: "write"} }
	tests := []struct {
		name    string
		entries []store.LogEntry
		want    time.Duration // how long ago the previous visit ended; 0: none found
	}{
		{"nothing", nil, 0},
		{"one visit going on", []store.LogEntry{read(time.Minute), read(20 * time.Minute), read(45 * time.Minute)}, 0},
		{"a visit yesterday", []store.LogEntry{read(time.Minute), read(24 * time.Hour), read(25 * time.Hour)}, 24 * time.Hour},
		{"the first page of this visit", []store.LogEntry{read(2 * time.Hour)}, 2 * time.Hour},
		{"writes are no visit", []store.LogEntry{read(time.Minute), write(3 * time.Hour), read(5 * time.Hour)}, 5 * time.Hour},
		{"refused reads are no visit", []store.LogEntry{{At: now.Add(-3 * time.Hour), Verb: "read", Refused: true}}, 0},
	}
	for _, tt := range tests {
		after := now
		got, found := visitEnd(tt.entries, &after)
		if found != (tt.want != 0) || found && !got.Equal(now.Add(-tt.want)) {
			t.Errorf("%s: ended %v (found %v), want %v ago", tt.name, got, found, tt.want)
		}
	}
}

// TestHomeSortKey: labels sort as a person reads them, accents and case aside.
func TestHomeSortKey(t *testing.T) {
	labels := []string{"Visite", "Événement d'agenda", "Facture", "compteur", "Élément"}
	sort.SliceStable(labels, func(i, j int) bool { return homeSortKey(labels[i]) < homeSortKey(labels[j]) })
	if got, want := strings.Join(labels, ", "), "compteur, Élément, Événement d'agenda, Facture, Visite"; got != want {
		t.Errorf("sorted: %s, want %s", got, want)
	}
}

// TestHomePeriod: periods as a person says them, never as the store writes them.
func TestHomePeriod(t *testing.T) {
	tests := []struct{ from, to, lang, want string }{
		{"2026-06-09", "2026-06-09", "en", "9 Jun 2026"},
		{"2026-06-01", "2026-06-30", "fr", "juin 2026"},
		{"2026-02-03", "2026-11-03", "en", "Feb – Nov 2026"},
		{"2026-02-03", "2026-11-03", "fr", "févr. – nov. 2026"},
		{"2024-12-02", "2026-12-01", "en", "Dec 2024 – Dec 2026"},
		{"2025-12-02T23:00:00Z", "2026-12-02T17:10:00Z", "en", "Dec 2025 – Dec 2026"}, // 23:00 UTC is the 3rd in Lyon
		{"2025-12-31T23:30:00Z", "2025-12-31T23:30:00Z", "fr", "1 janv. 2026"},
		{"", "2025-03-01", "en", "1 Mar 2025"},
		{"", "", "en", ""},
		{"soon", "later", "en", ""},
	}
	for _, tt := range tests {
		if got := homePeriod(tt.from, tt.to, tt.lang); got != tt.want {
			t.Errorf("homePeriod(%q, %q, %s) = %q, want %q", tt.from, tt.to, tt.lang, got, tt.want)
		}
	}
}

// TestHomeDemo: the demo person's home page, in French and in English: every link answers
// 200 — readings lead to their charts, never to a list that does not exist — each card's
// categories lead to as many records as the card counts, and no instant is written the
// store's way.
func TestHomeDemo(t *testing.T) {
	ts := newTestServer(t)
	for _, o := range demo.Organizations() {
		if _, err := ts.srv.orgs.Add(bg, o); err != nil && !errors.Is(err, store.ErrExists) {
			t.Fatal(err)
		}
	}
	if err := demo.Seed(bg, ts.gate, ts.alice.in.ID, demo.Generate(time.Now(), 1)); err != nil {
		t.Fatal(err)
	}
	for _, d := range services.Catalog() {
		if _, err := ts.cons.Grant(bg, ts.alice.in.ID, d.ID, d.Doctypes, []string{"read"}, 0); err != nil {
			t.Fatal(err)
		}
	}
	item := regexp.MustCompile(`<li><a href="(/data/([^"?]+)\?source=[^"]+)">[^<]*</a>(?: <span class="badge"[^>]*>[^<]*</span>)? <span class="home-n">([0-9,]+) `)
	for _, lang := range []string{"en", "fr"} {
		path := "/?lang=" + lang
		res := ts.do(t, request{method: "GET", path: path, as: "session:alice"})
		if res.status != 200 {
			t.Fatalf("%s: %d", lang, res.status)
		}
		if strings.Contains(res.body, `href="/data/reading.`) {
			t.Errorf("%s: the home page links readings to a list that does not exist", lang)
		}
		if m := homeISOInstant.FindString(res.body); m != "" {
			t.Errorf("%s: the home page writes an instant the store's way: %q", lang, m)
		}
		checkLinks(t, ts, "session:alice", path, res.body)
		if lang != "en" {
			continue
		}
		items := item.FindAllStringSubmatch(res.body, -1)
		if len(items) < 20 {
			t.Fatalf("found %d categories with a count on the cards, want the demo's (over 20)", len(items))
		}
		for _, m := range items {
			href, dt := html.UnescapeString(m[1]), m[2]
			n, _ := strconv.Atoi(strings.ReplaceAll(m[3], ",", ""))
			list := ts.do(t, request{method: "GET", path: href, as: "session:alice"})
			if got := recordLinks(list.body, dt); got != min(n, browsePageSize) || (n > browsePageSize) != strings.Contains(list.body, `rel="next"`) {
				t.Errorf("%s lists %d records, want the card's %d", href, got, n)
			}
		}
	}
}

// TestTexts: every text has both languages, no key is defined twice, and every key the
// templates use exists.
func TestTexts(t *testing.T) {
	seen := map[string]bool{}
	for _, table := range textTables() {
		for k, v := range table {
			if seen[k] {
				t.Errorf("text %q is defined twice", k)
			}
			seen[k] = true
			if strings.TrimSpace(v[0]) == "" || strings.TrimSpace(v[1]) == "" {
				t.Errorf("text %q lacks a language: %q", k, v)
			}
		}
	}
	files, _ := os.ReadDir("templates")
	use := regexp.MustCompile(`\bt (?:\$lang|\.Lang|\$\.Lang) "([^"]+)"`)
	for _, f := range files {
		b, _ := os.ReadFile("templates/" + f.Name())
		for _, m := range use.FindAllStringSubmatch(string(b), -1) {
			if !seen[m[1]] {
				t.Errorf("%s uses text %q, which no table defines", f.Name(), m[1])
			}
		}
	}
}
