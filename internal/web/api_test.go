package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestBadInput: every malformed request gets a 4xx problem saying what is wrong, and
// nothing is written.
func TestBadInput(t *testing.T) {
	ts := newTestServer(t)
	big := `{"vendor":"` + strings.Repeat("x", 70<<10) + `"}`
	tests := []struct {
		name   string
		req    request
		status int
		detail string
	}{
		{"invalid JSON", request{method: "POST", path: "/api/v1/data/bill", body: "{\n\"vendor\": \"EDF\",,\n}"}, 400, "line 2"},
		{"empty body", request{method: "POST", path: "/api/v1/data/bill"}, 400, "empty"},
		{"schema violation", request{method: "POST", path: "/api/v1/data/bill", body: `{"vendor":"EDF","date":"2025-02-30","amount":61.2,"currency":"EUR"}`}, 422, "/amount"},
		{"one bad record refuses the batch", request{method: "POST", path: "/api/v1/data/bill", body: `[{"vendor":"A","date":"2025-01-01","amount":"1.00","currency":"EUR"},{"vendor":"B"}]`}, 422, `"index":1`},
		{"unknown doctype", request{method: "POST", path: "/api/v1/data/nope", body: `{}`}, 404, "nope"},
		{"unknown doctype list", request{method: "GET", path: "/api/v1/data/nope"}, 404, "doctypes"},
		{"body too large", request{method: "POST", path: "/api/v1/data/bill", body: big}, 413, "limit"},
		{"file too large", request{method: "POST", path: "/api/v1/files?name=big.bin", body: strings.Repeat("x", 300<<10)}, 413, "limit"},
		{"stale revision", request{method: "PUT", path: "/api/v1/data/bill/bill-alice", body: `{"vendor":"EDF","date":"2025-01-31","amount":"1.00","currency":"EUR"}`, header: map[string]string{"If-Match": "7"}}, 412, "revision 1"},
		{"missing If-Match", request{method: "DELETE", path: "/api/v1/data/bill/bill-alice"}, 428, "If-Match"},
		{"malformed revision", request{method: "DELETE", path: "/api/v1/data/bill/bill-alice", header: map[string]string{"If-Match": "abc"}}, 400, "revision"},
		{"malformed cursor", request{method: "GET", path: "/api/v1/data/bill?cursor=zzz"}, 400, "cursor"},
		{"filter on a non-index field", request{method: "GET", path: "/api/v1/data/bill?amount=3"}, 400, "vendor, date, type"},
		{"unknown comparison", request{method: "GET", path: "/api/v1/data/bill?date[like]=2025"}, 400, "gte"},
		{"bad limit", request{method: "GET", path: "/api/v1/data/bill?limit=0"}, 400, "1 to 1000"},
		{"bad sort", request{method: "GET", path: "/api/v1/data/bill?sort=-amount"}, 400, "index field"},
		{"bad step", request{method: "GET", path: "/api/v1/series/water-alice/aggregate?step=fortnight"}, 400, "step"},
		{"bad time zone", request{method: "GET", path: "/api/v1/series/water-alice/aggregate?tz=Mars/Olympus"}, 400, "IANA"},
		{"bad instant", request{method: "GET", path: "/api/v1/series/water-alice/readings?from=yesterday"}, 400, "RFC 3339"},
		{"to before from", request{method: "GET", path: "/api/v1/series/water-alice/aggregate?from=2025-02-01&to=2025-01-01"}, 400, ""},
		{"reading without value", request{method: "POST", path: "/api/v1/series/water-alice/readings", body: `[{"at":"2025-03-01T00:00:00Z","value":"x"}]`}, 400, "array"},
		{"series without unit", request{method: "POST", path: "/api/v1/series", body: `{"doctype":"reading.gas","name":"Gas"}`}, 422, "unit"},
		{"series of a document doctype", request{method: "POST", path: "/api/v1/series", body: `{"doctype":"bill","name":"x","quantity":"q","unit":"u"}`}, 404, "bill"},
		{"bad id on create", request{method: "POST", path: "/api/v1/series", body: `{"id":"../x","doctype":"reading.gas","name":"Gas","quantity":"energy","unit":"kWh"}`}, 400, "id"},
		{"upload without name", request{method: "POST", path: "/api/v1/files", body: "x"}, 400, "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.as = "token:alice"
			res := ts.do(t, tt.req)
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.body)
			}
			var p Problem
			if err := json.Unmarshal([]byte(res.body), &p); err != nil || p.Status != tt.status || p.Detail == "" {
				t.Fatalf("not a problem document: %s", res.body)
			}
			if res.header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("Content-Type %q", res.header.Get("Content-Type"))
			}
			if !strings.Contains(res.body, tt.detail) {
				t.Fatalf("problem does not say %q: %s", tt.detail, res.body)
			}
		})
	}
	// Nothing of the refused requests was written: alice still holds exactly her fixtures.
	res := ts.do(t, request{method: "GET", path: "/api/v1/holdings", as: "session:alice"})
	var h struct {
		Items []struct {
			Doctype string
			Count   int
		}
	}
	json.Unmarshal([]byte(res.body), &h)
	got := fmt.Sprint(h.Items)
	if got != "[{bill 1} {file 1} {reading.water 2}]" {
		t.Fatalf("holdings after refused requests: %s", got)
	}
	if ss := ts.do(t, request{method: "GET", path: "/api/v1/series", as: "session:alice"}); strings.Count(ss.body, `"id"`) != 1 {
		t.Fatalf("a refused series was created: %s", ss.body)
	}
}

// TestDocumentLifecycle: create, list with filters and pages, update with If-Match, delete.
func TestDocumentLifecycle(t *testing.T) {
	ts := newTestServer(t)
	var items []string
	for i := 1; i <= 25; i++ {
		items = append(items, fmt.Sprintf(`{"vendor":"V%d","date":"2025-03-%02d","amount":"%d.00","currency":"EUR","type":"telecom"}`, i%3, i, i))
	}
	res := ts.do(t, request{method: "POST", path: "/api/v1/data/bill", body: "[" + strings.Join(items, ",") + "]", as: "token:alice"})
	if res.status != 201 || strings.Count(res.body, `"rev":"1"`) != 25 {
		t.Fatalf("bulk create: %d %s", res.status, res.body)
	}
	// Page through March bills from the 10th, newest first, 4 at a time.
	path := "/api/v1/data/bill?date[gte]=2025-03-10&type=telecom&sort=-date&limit=4"
	var dates []string
	for pages := 0; path != ""; pages++ {
		res := ts.do(t, request{method: "GET", path: path, as: "session:alice"})
		var page struct {
			Items []struct {
				Data struct{ Date string }
			}
			Next *string
		}
		if err := json.Unmarshal([]byte(res.body), &page); err != nil || res.status != 200 {
			t.Fatalf("page %d: %d %s", pages, res.status, res.body)
		}
		for _, it := range page.Items {
			dates = append(dates, it.Data.Date[8:])
		}
		path = ""
		if page.Next != nil {
			path = "/api/v1/data/bill?date[gte]=2025-03-10&type=telecom&sort=-date&limit=4&cursor=" + *page.Next
		}
	}
	if want := "[25 24 23 22 21 20 19 18 17 16 15 14 13 12 11 10]"; fmt.Sprint(dates) != want {
		t.Fatalf("pages gave %v, want %v", dates, want)
	}
	// Update with the right revision, then the stale one.
	upd := `{"vendor":"EDF","date":"2025-01-31","amount":"62.00","currency":"EUR"}`
	res = ts.do(t, request{method: "PUT", path: "/api/v1/data/bill/bill-alice", body: upd, header: map[string]string{"If-Match": `"1"`}, as: "session:alice"})
	if res.status != 200 || !strings.Contains(res.body, `"rev":"2"`) || res.header.Get("ETag") != `"2"` {
		t.Fatalf("update: %d %s", res.status, res.body)
	}
	if res := ts.do(t, request{method: "PUT", path: "/api/v1/data/bill/bill-alice", body: upd, header: map[string]string{"If-Match": `"1"`}, as: "session:alice"}); res.status != 412 {
		t.Fatalf("stale update: %d", res.status)
	}
	if res := ts.do(t, request{method: "DELETE", path: "/api/v1/data/bill/bill-alice", header: map[string]string{"If-Match": `"2"`}, as: "session:alice"}); res.status != 204 {
		t.Fatalf("delete: %d %s", res.status, res.body)
	}
	if res := ts.do(t, request{method: "GET", path: "/api/v1/data/bill/bill-alice", as: "session:alice"}); res.status != 404 {
		t.Fatalf("after delete: %d", res.status)
	}
	// Every write and read above is in alice's access log.
	res = ts.do(t, request{method: "GET", path: "/api/v1/access-log?limit=1000", as: "session:alice"})
	if !strings.Contains(res.body, `"principal":"token","actor_id"`) || !strings.Contains(res.body, `"verb":"write","count":25`) {
		t.Fatalf("access log: %s", res.body)
	}
}

// TestLogin: the login form sets an HttpOnly, SameSite session cookie after a CSRF-checked
// post; wrong passphrases are limited; logout ends the session.
func TestLogin(t *testing.T) {
	ts := newTestServer(t)
	c := ts.browser(t)
	res, err := c.Get(ts.http.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(res)
	if !strings.Contains(body, "Log in") || !strings.Contains(body, `autocomplete="current-password"`) {
		t.Fatalf("login page: %s", body)
	}
	if fr := ts.do(t, request{method: "GET", path: "/login", header: map[string]string{"Accept-Language": "fr-FR,fr;q=0.9"}}); !strings.Contains(fr.body, "Phrase de passe") || !strings.Contains(fr.body, `lang="fr"`) {
		t.Fatalf("French login page: %s", fr.body)
	}
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF field in %s", body)
	}
	post := func(path string, vals map[string]string) *http.Response {
		vals["csrf"] = m[1]
		res, err := c.Post(ts.http.URL+path, "application/x-www-form-urlencoded", form(vals))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	if res := post("/login", map[string]string{"instance": "alice", "passphrase": "wrong"}); res.StatusCode != 401 {
		t.Fatalf("wrong passphrase: %d", res.StatusCode)
	}
	res = post("/login", map[string]string{"instance": "alice", "passphrase": ts.alice.pass})
	if res.StatusCode != 303 {
		t.Fatalf("login: %d", res.StatusCode)
	}
	var session *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == sessionCookie {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Value == "" {
		t.Fatalf("session cookie %+v", session)
	}
	res, _ = c.Get(ts.http.URL + "/")
	if home := readAll(res); res.StatusCode != 200 || !strings.Contains(home, "EDF") && !strings.Contains(home, "you") {
		t.Fatalf("home after login: %d %s", res.StatusCode, home)
	}
	res, _ = c.Get(ts.http.URL + "/?lang=fr")
	if home := readAll(res); !strings.Contains(home, "Qui a quoi sur moi") {
		t.Fatalf("French home: %s", home)
	}
	if res := post("/logout", map[string]string{}); res.StatusCode != 303 {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	if res := ts.do(t, request{method: "GET", path: "/api/v1/data/bill", header: map[string]string{"Cookie": sessionCookie + "=" + session.Value}}); res.status != 401 {
		t.Fatalf("the session still works after logout: %d", res.status)
	}
	// A cross-site form post is refused even with a valid token.
	req, _ := http.NewRequest("POST", ts.http.URL+"/logout", form(map[string]string{"csrf": m[1]}))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res, _ := c.Do(req); res.StatusCode != 403 {
		t.Fatalf("cross-site post: %d", res.StatusCode)
	}
	// Ten wrong passphrases lock the instance for a while, right one included.
	for range 10 {
		post("/login", map[string]string{"instance": "bob", "passphrase": "wrong"})
	}
	if res := post("/login", map[string]string{"instance": "bob", "passphrase": ts.bob.pass}); res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
		t.Fatalf("after 10 failures: %d", res.StatusCode)
	}
}

func readAll(res *http.Response) string {
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}

// TestImportErrors: a file too large is 413, an unknown format name is 400, a malformed
// file is 422 naming the line — and none writes anything.
func TestImportErrors(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		path, body string
		status     int
		detail     string
	}{
		{"/api/v1/imports?name=big.csv", strings.Repeat("x", 300<<10), 413, "limit"},
		{"/api/v1/imports?name=eau.csv&format=klingon", "x", 400, "unknown format"},
		{"/api/v1/imports?name=eau.csv", "compteur;date;index_m3;consommation_l;temperature_c\nC1;2024-02-30;1;1;1\n", 422, "line 2"},
		{"/api/v1/imports", "x", 400, "name"},
	}
	for _, tt := range tests {
		res := ts.do(t, request{method: "POST", path: tt.path, body: tt.body, as: "token:alice"})
		if res.status != tt.status || !strings.Contains(res.body, tt.detail) {
			t.Errorf("POST %s: %d %s; want %d with %q", tt.path, res.status, res.body, tt.status, tt.detail)
		}
	}
	if res := ts.do(t, request{method: "GET", path: "/api/v1/data/meter", as: "token:alice"}); !strings.Contains(res.body, `"items":[]`) {
		t.Fatalf("refused imports wrote meters: %s", res.body)
	}
}

// TestAggregateOverflow: a sum or a mean whose total exceeds the largest float64 is a 422
// saying so, on both backends, whichever way the store aggregates (readings folded one by
// one for hours, the chunks' stats summed by the database for months).
func TestAggregateOverflow(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ts := b.open(t)
			res := ts.do(t, request{method: "POST", path: "/api/v1/series", body: `{"id":"huge","doctype":"reading.water","name":"Huge","quantity":"volume","unit":"L"}`, as: "token:alice"})
			if res.status != 201 {
				t.Fatalf("create: %d %s", res.status, res.body)
			}
			res = ts.do(t, request{method: "POST", path: "/api/v1/series/huge/readings", as: "token:alice",
				body: `[{"at":"2025-01-01T10:00:00Z","value":1.7e308},{"at":"2025-01-01T10:30:00Z","value":1.7e308},{"at":"2025-01-02T10:00:00Z","value":1.7e308},{"at":"2025-01-03T10:00:00Z","value":1e308}]`})
			if res.status != 200 {
				t.Fatalf("readings: %d %s", res.status, res.body)
			}
			for _, q := range []string{"fn=sum&step=hour", "fn=sum&step=day", "fn=sum&step=month", "fn=sum&step=month&from=2025-01-02", "fn=avg&step=month", "fn=avg&step=hour&tz=UTC&from=2025-01-01&to=2025-01-02"} {
				res := ts.do(t, request{method: "GET", path: "/api/v1/series/huge/aggregate?" + q, as: "token:alice"})
				if res.status != 422 || !strings.Contains(res.body, "larger than the largest number") {
					t.Errorf("%s: %d %s", q, res.status, res.body)
				}
			}
			// What does not overflow is still answered: the maximum, and a day holding one reading.
			for _, q := range []string{"fn=max&step=month", "fn=sum&step=day&from=2025-01-03&to=2025-01-04"} {
				if res := ts.do(t, request{method: "GET", path: "/api/v1/series/huge/aggregate?" + q, as: "token:alice"}); res.status != 200 || !strings.Contains(res.body, "e+308") {
					t.Errorf("%s: %d %s", q, res.status, res.body)
				}
			}
		})
	}
}
