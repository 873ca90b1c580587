package web

import (
	"bytes"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/importer/formats"
	"selfdata/internal/store"
)

const manageWaterCSV = "compteur;date;index_m3;consommation_l;temperature_c\nC22FA1;2024-03-01;10,000;120;12\nC22FA1;2024-03-02;10,130;130;12\n"

// wantAll fails for each substring the body lacks.
func manageWant(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

// TestManagePages: each page in English and in French, with its key content.
func TestManagePages(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		path, lang string
		want       []string
	}{
		{"/import", "en", []string{"<h1 id=\"result\" tabindex=\"-1\">Import a file</h1>", `enctype="multipart/form-data"`, `name="csrf"`, `type="file"`, "Water: the daily readings", "Bank: account statements", "A zip archive", "256\u00a0KB", `src="/static/import.js"`, `<progress`}},
		{"/import", "fr", []string{"Importer un fichier", "Eau\u202f: les relevés quotidiens", "Fichiers que selfdata sait lire", `lang="fr"`}},
		{"/connections", "en", []string{"Connections", "Connected", "Enedis", "Active: it can deposit data", "Electricity", "a legal obligation", "3 years", "your electricity supplier", "dpo@example.org",
			`action="/connections/` + ts.connA + `/pause"`, `href="/connections?confirm=` + ts.connA + `&amp;action=revoke"`, `name="csrf"`, "Pausing stops deposits"}},
		{"/connections", "fr", []string{"Connexions", "Active\u202f: il peut déposer des données", "une obligation légale", "Suspendre", "Révoquer"}},
		{"/access-log", "en", []string{"Access log", "Filter the log", `<option value="enedis"`, "Organization: Enedis", `type="date"`, "Accesses to your data, most recent first", "Your script « script-alice »", "read"}},
		{"/access-log", "fr", []string{"Journal des accès", "Tout le monde", "Toutes les catégories", "Votre script « script-alice »", "a lu", "Facture"}},
		{"/settings", "en", []string{"Change your passphrase", `name="current"`, `name="new"`, `name="confirm"`, `autocomplete="new-password"`, `name="csrf"`}},
		{"/settings", "fr", []string{"Changer votre phrase de passe", "Phrase de passe actuelle", "Nouvelle phrase de passe"}},
	}
	// Something for the log to show: alice's script reads her bills.
	if res := ts.do(t, request{method: "GET", path: "/api/v1/data/bill", as: "token:alice"}); res.status != 200 {
		t.Fatal(res.status)
	}
	for _, tt := range tests {
		res := ts.do(t, request{method: "GET", path: tt.path + "?lang=" + tt.lang, as: "session:alice"})
		if res.status != 200 {
			t.Fatalf("%s %s: %d %s", tt.path, tt.lang, res.status, res.body)
		}
		manageWant(t, tt.path+" "+tt.lang, res.body, tt.want...)
	}
	// Bob sees his pending request with its buttons, and nothing of alice's.
	res := ts.do(t, request{method: "GET", path: "/connections", as: "session:bob"})
	manageWant(t, "bob's connections", res.body, "Asking to connect", "Waiting for your answer", "/connections/"+ts.connB+"/approve", "/connections?confirm="+ts.connB+"&amp;action=refuse")
	if strings.Contains(res.body, ts.connA) {
		t.Error("bob sees alice's connection")
	}
}

// multipartBody builds a form with csrf first, then the file (as import.html does).
func multipartBody(t *testing.T, csrf, name, content string) (io.Reader, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if csrf != "" {
		mw.WriteField("csrf", csrf)
	}
	if name != "-" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(fw, content)
	}
	mw.Close()
	return &b, mw.FormDataContentType()
}

// postImport posts a file through the import form as alice's browser.
func postImport(t *testing.T, ts *testServer, csrf, name, content string) response {
	t.Helper()
	body, ct := multipartBody(t, csrf, name, content)
	req, err := http.NewRequest("POST", ts.http.URL+"/import", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	req.AddCookie(&http.Cookie{Name: csrfCookie, Value: testCSRF})
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: ts.alice.session})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

// TestImportForm: a file imported through the form is reported in plain words; importing it
// again changes nothing; a refused file names its line and writes nothing.
func TestImportForm(t *testing.T) {
	ts := newTestServer(t)
	res := postImport(t, ts, testCSRF, "eau.csv", manageWaterCSV)
	if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "text/html") {
		t.Fatalf("import: %d %s", res.status, res.body)
	}
	manageWant(t, "report", res.body, "The file was imported.", "Kind of file recognized: <strong>water readings</strong>", "water.csv", "<strong>1</strong> new record<", `<a href="/data/meter"><strong>Meter</strong></a> — 1 record`,
		"series of meter readings: <strong>6</strong> readings added", "See what you hold")
	res = postImport(t, ts, testCSRF, "eau.csv", manageWaterCSV)
	manageWant(t, "second report", res.body, "<strong>0</strong> new records", "<strong>1</strong> record already in your store, unchanged", "<strong>0</strong> readings added, <strong>6</strong> readings were already in your store")

	// The report speaks French too (the language comes with the browser's cookie).
	body, ct := multipartBody(t, testCSRF, "eau.csv", manageWaterCSV)
	req, _ := http.NewRequest("POST", ts.http.URL+"/import", body)
	req.Header.Set("Content-Type", ct)
	for _, c := range []*http.Cookie{{Name: csrfCookie, Value: testCSRF}, {Name: sessionCookie, Value: ts.alice.session}, {Name: langCookie, Value: "fr"}} {
		req.AddCookie(c)
	}
	hres, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(hres.Body)
	hres.Body.Close()
	manageWant(t, "French report", string(b), "Le fichier a été importé.", "<strong>Compteur</strong>", "<strong>1</strong> enregistrement déjà présent, inchangé", "<strong>0</strong> nouvel enregistrement<")

	bad := "compteur;date;index_m3;consommation_l;temperature_c\nD33GB2;2024-03-01;10,000;120;12\nD33GB2;2024-03-02;abc;130;12\n"
	res = postImport(t, ts, testCSRF, "autre.csv", bad)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad file: %d %s", res.status, res.body)
	}
	manageWant(t, "refusal", res.body, "The file was refused. Nothing was written in your store.", "<dt>Line</dt><dd>3</dd>", "<code>index_m3</code>", "autre.csv", `type="file"`)

	res = postImport(t, ts, testCSRF, "notes.txt", "hello")
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "not one selfdata reads") {
		t.Errorf("unknown format: %d %s", res.status, res.body)
	}
	res = postImport(t, ts, testCSRF, "", "")
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "Choose a file first.") {
		t.Errorf("no file: %d %s", res.status, res.body)
	}
	res = postImport(t, ts, testCSRF, "big.csv", manageWaterCSV+strings.Repeat("C22FA1;2024-03-03;10,260;130;12\n", 10000))
	if res.status != http.StatusRequestEntityTooLarge || !strings.Contains(res.body, "The file is too large: the limit is 256\u00a0KB.") {
		t.Errorf("too large: %d %.300s", res.status, res.body)
	}

	// The refused file wrote nothing: its meter is not there, the first file's is.
	meters := ts.do(t, request{method: "GET", path: "/api/v1/data/meter", as: "token:alice"})
	if strings.Contains(meters.body, "D33GB2") || !strings.Contains(meters.body, "C22FA1") {
		t.Errorf("meters: %s", meters.body)
	}
}

// TestFormatFamilies: every format the importer reads is listed in plain words on the
// import page, not by its technical name.
func TestFormatFamilies(t *testing.T) {
	for _, f := range formats.All() {
		if formatKind(f.Name) == "" {
			t.Errorf("format %q has no family in formatFamilies", f.Name)
		}
	}
	if v := newTestServer(t).srv.newImportView(); len(v.Other) != 0 {
		t.Errorf("formats without a plain description: %v", v.Other)
	}
}

// TestManageCSRF: every form post without its token is refused, and changes nothing.
func TestManageCSRF(t *testing.T) {
	ts := newTestServer(t)
	for _, tt := range []struct{ name, csrf, file string }{
		{"no csrf part", "", "eau.csv"},
		{"wrong token", "forged-forged-forged-forged-forged-forged", "eau.csv"},
	} {
		if res := postImport(t, ts, tt.csrf, tt.file, manageWaterCSV); res.status != http.StatusForbidden {
			t.Errorf("import, %s: %d", tt.name, res.status)
		}
	}
	// The file before the token: refused before the file is read.
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", "eau.csv")
	io.WriteString(fw, manageWaterCSV)
	mw.WriteField("csrf", testCSRF)
	mw.Close()
	req, _ := http.NewRequest("POST", ts.http.URL+"/import", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: csrfCookie, Value: testCSRF})
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: ts.alice.session})
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusForbidden {
		t.Errorf("file before token: %v %v", res, err)
	}
	posts := []request{
		{method: "POST", path: "/connections/" + ts.connA + "/revoke", body: "csrf=wrong", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"},
		{method: "POST", path: "/connections/" + ts.connA + "/revoke", as: "session:alice"},
		{method: "POST", path: "/settings/passphrase", body: "current=" + url.QueryEscape(ts.alice.pass) + "&new=a+brand+new+passphrase&confirm=a+brand+new+passphrase", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"},
	}
	for _, rq := range posts {
		if res := ts.do(t, rq); res.status != http.StatusForbidden {
			t.Errorf("%s without token: %d", rq.path, res.status)
		}
	}
	res := ts.do(t, request{method: "GET", path: "/api/v1/connections", as: "session:alice"})
	if !strings.Contains(res.body, `"state":"active"`) {
		t.Errorf("the connection changed: %s", res.body)
	}
	if res := ts.do(t, request{method: "GET", path: "/api/v1/data/meter", as: "token:alice"}); strings.Contains(res.body, "C22FA1") {
		t.Error("a forged import wrote")
	}
	if res := ts.do(t, request{method: "GET", path: "/settings", as: "session:alice"}); res.status != 200 {
		t.Errorf("the passphrase changed (session closed): %d", res.status)
	}
}

// TestConnectionForms: approving and revoking through the buttons, and what the page says.
func TestConnectionForms(t *testing.T) {
	ts := newTestServer(t)
	act := func(who, id, action string) response {
		return ts.do(t, request{method: "POST", path: "/connections/" + id + "/" + action, body: "csrf=" + testCSRF, csrf: true, as: "session:" + who})
	}
	res := act("bob", ts.connB, "approve")
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/connections?done=approved" {
		t.Fatalf("approve: %d %q %s", res.status, res.header.Get("Location"), res.body)
	}
	page := ts.do(t, request{method: "GET", path: "/connections?done=approved", as: "session:bob"})
	manageWant(t, "after approval", page.body, "The connection is approved", "Active: it can deposit data", "/connections?confirm="+ts.connB+"&amp;action=revoke")
	if strings.Contains(page.body, "Waiting for your answer") {
		t.Error("still pending")
	}
	page = ts.do(t, request{method: "GET", path: "/connections?done=approved&lang=fr", as: "session:bob"})
	manageWant(t, "after approval, fr", page.body, "La connexion est acceptée")

	res = act("alice", ts.connA, "revoke")
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/connections?done=revoked" {
		t.Fatalf("revoke: %d %q", res.status, res.header.Get("Location"))
	}
	page = ts.do(t, request{method: "GET", path: res.header.Get("Location"), as: "session:alice"})
	manageWant(t, "after revocation", page.body, "The connection is revoked", "Ended", "Revoked")
	// No action is left on it but erasing what the organization deposited, which stays.
	if rest := strings.ReplaceAll(page.body, `href="/connections/`+ts.connA+`/erase"`, ""); strings.Contains(rest, "/connections/"+ts.connA+"/") {
		t.Error("a revoked connection still has buttons")
	}
	if !strings.Contains(page.body, `href="/connections/`+ts.connA+`/erase"`) {
		t.Error("a revoked connection offers no erasure of what its organization deposited")
	}
	// The organization can no longer deposit.
	if dep := ts.do(t, request{method: "POST", path: "/api/v1/deposits", as: "deposit", body: `{"documents":[]}`}); dep.status != http.StatusForbidden {
		t.Errorf("deposit after revocation: %d", dep.status)
	}
	// Revoking twice: back to the page, which says it had already changed.
	res = act("alice", ts.connA, "revoke")
	if res.header.Get("Location") != "/connections?error=conflict" {
		t.Errorf("second revoke: %d %q", res.status, res.header.Get("Location"))
	}
	page = ts.do(t, request{method: "GET", path: "/connections?error=conflict", as: "session:alice"})
	manageWant(t, "conflict", page.body, "This connection had already changed")
	if res := act("alice", ts.connA, "explode"); res.status != http.StatusBadRequest {
		t.Errorf("unknown action: %d", res.status)
	}
	if res := act("alice", ts.connB, "revoke"); res.status != http.StatusNotFound {
		t.Errorf("bob's connection by alice: %d", res.status)
	}
	// A confirmation the page does not know is not shown.
	page = ts.do(t, request{method: "GET", path: "/connections?done=<script>", as: "session:alice"})
	if strings.Contains(page.body, "&lt;script&gt;") || strings.Contains(page.body, "<script>") {
		t.Error("unknown done shown")
	}
}

// TestAccessLogPage: who did what, in plain words, filtered by actor, category and period,
// 100 entries at a time.
func TestAccessLogPage(t *testing.T) {
	ts := newTestServer(t)
	ts.do(t, request{method: "GET", path: "/api/v1/data/bill", as: "token:alice"})
	ts.do(t, request{method: "GET", path: "/api/v1/series", as: "token:alice"})
	dep := ts.do(t, request{method: "POST", path: "/api/v1/deposits", as: "deposit", body: `{"documents":[{"doctype":"meter","id":"PRM-1","data":{"kind":"electricity","identifier":"12345678901234"}}]}`})
	if dep.status != 200 {
		t.Fatalf("deposit: %d %s", dep.status, dep.body)
	}
	get := func(q string) response {
		t.Helper()
		res := ts.do(t, request{method: "GET", path: "/access-log" + q, as: "session:alice"})
		if res.status != 200 {
			t.Fatalf("%s: %d %s", q, res.status, res.body)
		}
		return res
	}
	rows := func(body string) string { // the table alone, without the filters' options
		i := strings.Index(body, "<tbody>")
		if i < 0 {
			return ""
		}
		return body[i:]
	}
	all := get("")
	manageWant(t, "all", rows(all.body), "Your script « script-alice »", "Organization Enedis", "deposited", `<td data-label="Category">Meter</td>`, `<td data-label="Category">Bill</td>`, "billing; network operation")
	manageWant(t, "actors", all.body, `<option value="enedis" >Organization: Enedis</option>`, "Your script: script-alice")

	byOrg := rows(get("?actor=enedis").body)
	if !strings.Contains(byOrg, "Organization Enedis") || strings.Contains(byOrg, "script-alice") {
		t.Errorf("filter by organization: %s", byOrg)
	}
	manageWant(t, "selected", get("?actor=enedis").body, `<option value="enedis" selected>`)
	byCat := rows(get("?doctype=bill").body)
	if !strings.Contains(byCat, `<td data-label="Category">Bill</td>`) || strings.Contains(byCat, "Meter") || strings.Contains(byCat, "Enedis") {
		t.Errorf("filter by category: %s", byCat)
	}
	today := time.Now().Format(time.DateOnly)
	tomorrow := time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	if r := rows(get("?from=" + today + "&to=" + today).body); !strings.Contains(r, "script-alice") {
		t.Errorf("today's entries: %s", r)
	}
	if r := get("?from=" + tomorrow).body; rows(r) != "" || !strings.Contains(r, "Nothing matches these filters.") {
		t.Error("entries from tomorrow")
	}
	bad := ts.do(t, request{method: "GET", path: "/access-log?from=31/01/2025", as: "session:alice"})
	if bad.status != http.StatusBadRequest || !strings.Contains(bad.body, "A date is not valid") {
		t.Errorf("bad date: %d", bad.status)
	}

	// 120 more reads by the script: a page of 100, then the rest.
	tok, err := ts.auth.Token(bg, ts.alice.token)
	if err != nil {
		t.Fatal(err)
	}
	p := gate.Token(ts.alice.in.ID, tok.ID, tok.Label, []gate.Scope{{Doctype: "*", Read: true}})
	for range 120 {
		if _, err := ts.gate.Get(bg, p, "bill", ts.alice.billID); err != nil {
			t.Fatal(err)
		}
	}
	first := get("?actor=" + tok.ID)
	if n := strings.Count(rows(first.body), "<tr>"); n != 100 {
		t.Errorf("first page: %d rows", n)
	}
	older := regexp.MustCompile(`<a href="(/access-log\?[^"]+)" rel="next">Older entries</a>`).FindStringSubmatch(first.body)
	if older == nil {
		t.Fatal("no link to older entries")
	}
	link := strings.ReplaceAll(older[1], "&amp;", "&")
	if !strings.Contains(link, "actor="+tok.ID) || !strings.Contains(link, "before=") {
		t.Errorf("older link: %s", link)
	}
	second := get(strings.TrimPrefix(link, "/access-log"))
	if n := strings.Count(rows(second.body), "<tr>"); n < 20 || n >= 100 {
		t.Errorf("second page: %d rows", n)
	}
	manageWant(t, "second page", second.body, "Back to the most recent")
	if strings.Contains(second.body, "Older entries") {
		t.Error("a third page")
	}
	// Bob's log has none of alice's.
	if r := ts.do(t, request{method: "GET", path: "/access-log", as: "session:bob"}); strings.Contains(r.body, "script-alice") || strings.Contains(rows(r.body), "Enedis") {
		t.Error("bob sees alice's log")
	}
}

// TestChangePassphraseForm: each refusal says why and changes nothing; success keeps this
// browser logged in, closes every other session and the new passphrase logs in.
func TestChangePassphraseForm(t *testing.T) {
	ts := newTestServer(t)
	post := func(session, current, next, confirm, lang string) response {
		t.Helper()
		f := url.Values{"csrf": {testCSRF}, "current": {current}, "new": {next}, "confirm": {confirm}}
		req, _ := http.NewRequest("POST", ts.http.URL+"/settings/passphrase"+lang, strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: csrfCookie, Value: testCSRF})
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		r, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return response{status: r.StatusCode, header: r.Header, body: string(b)}
	}
	s := ts.alice.session
	newPass := "four unrelated words here"
	for _, tt := range []struct {
		name, current, next, confirm, lang, want string
	}{
		{"wrong current", "not my passphrase", newPass, newPass, "", "The current passphrase is not right."},
		{"too short", ts.alice.pass, "short", "short", "", "The new passphrase is not accepted: use at least 12 characters"},
		{"confirmation differs", ts.alice.pass, newPass, newPass + "!", "", "The two new passphrases are not the same"},
		{"wrong current, fr", "pas la mienne", newPass, newPass, "?lang=fr", "La phrase de passe actuelle n&#39;est pas la bonne."},
	} {
		res := post(s, tt.current, tt.next, tt.confirm, tt.lang)
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, tt.want) || !strings.Contains(res.body, `aria-invalid="true"`) {
			t.Errorf("%s: %d %s", tt.name, res.status, res.body)
		}
	}
	if _, _, err := ts.auth.Login(bg, "alice", ts.alice.pass, "10.0.0.1"); err != nil {
		t.Fatalf("the old passphrase no longer works after refusals: %v", err)
	}
	other, _, err := ts.auth.Login(bg, "alice", ts.alice.pass, "10.0.0.2") // another device
	if err != nil {
		t.Fatal(err)
	}

	res := post(s, ts.alice.pass, newPass, newPass, "")
	cookies := (&http.Response{Header: res.header}).Cookies()
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/settings?done=passphrase" {
		t.Fatalf("change: %d %q %s", res.status, res.header.Get("Location"), res.body)
	}
	var fresh string
	for _, c := range cookies {
		if c.Name == sessionCookie {
			fresh = c.Value
		}
	}
	if fresh == "" || fresh == s {
		t.Fatal("no new session for this browser")
	}
	for _, old := range []string{s, other} {
		if _, err := ts.auth.Session(bg, old); err == nil {
			t.Error("an old session still works")
		}
	}
	req, _ := http.NewRequest("GET", ts.http.URL+"/settings?done=passphrase", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: fresh})
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != 200 || !strings.Contains(string(b), "Your passphrase has been changed.") {
		t.Errorf("after the change: %d %s", r.StatusCode, b)
	}
	if _, _, err := ts.auth.Login(bg, "alice", newPass, "10.0.0.3"); err != nil {
		t.Errorf("the new passphrase: %v", err)
	}
	if _, _, err := ts.auth.Login(bg, "alice", ts.alice.pass, "10.0.0.4"); err == nil {
		t.Error("the old passphrase still works")
	}
}

// TestAccessLogPageTimes: an entry that stands for identical reads made together says how
// many times, in the person's language.
func TestAccessLogPageTimes(t *testing.T) {
	ts := newTestServer(t)
	err := ts.db.AppendLogs(bg, []store.InstanceLog{{Instance: ts.alice.in.ID, Entries: []store.LogEntry{
		{At: time.Now(), Principal: "token", ActorID: "t1", ActorName: "sync", Doctype: "bill", Verb: "read", Count: 1, Times: 32},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"en": "1 <span class=\"times\">— 32 times</span>", "fr": "1 <span class=\"times\">— 32 fois</span>"} {
		res := ts.do(t, request{method: "GET", path: "/access-log?lang=" + lang, as: "session:alice"})
		if res.status != 200 || !strings.Contains(res.body, want) {
			t.Errorf("%s: %d, no %q in the page", lang, res.status, want)
		}
	}
}

// TestImportPageBrokenPartHeaders: a form whose part headers do not parse (here a raw NUL
// in the file's name) is refused with the page's "broken upload" in the person's language,
// a 400, not a 500.
func TestImportPageBrokenPartHeaders(t *testing.T) {
	ts := newTestServer(t)
	body := "--XYZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + testCSRF + "\r\n" +
		"--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\x00b.csv\"\r\nContent-Type: text/csv\r\n\r\n" + manageWaterCSV + "\r\n--XYZ--\r\n"
	for lang, want := range map[string]string{"en": "import.broken", "fr": "import.broken"} {
		res := ts.do(t, request{method: "POST", path: "/import?lang=" + lang, body: body, as: "session:alice",
			header: map[string]string{"Content-Type": "multipart/form-data; boundary=XYZ", "Cookie": csrfCookie + "=" + testCSRF}})
		if res.status != 400 {
			t.Fatalf("%s: %d %.300s; want 400", lang, res.status, res.body)
		}
		text := textIn(texts(), lang, want)
		if !strings.Contains(res.body, html.EscapeString(text)) {
			t.Errorf("%s: the page does not say %q", lang, text)
		}
	}
}
