package web

import (
	"bytes"
	"html"
	"mime/multipart"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"selfdata/internal/importer/bankcsv"
	"selfdata/internal/importer/formats"
	"selfdata/internal/importer/water"
	"selfdata/internal/restore"
	"selfdata/internal/store"
)

// Bank exports made for these tests: oddBank's header names nothing a guess knows, so its
// columns are asked; oddBankNext is the bank's next export, of the same layout.
const (
	oddBank     = "Compte;FR76 3000 4000 0500 0012 3456 789\nJour;Texte;Somme;Reste\n03/02/2025;CB BOULANGERIE;-4,20;100,00\n04/02/2025;VIR LOYER;-650,00;50,00\n05/02/2025;VIR SALAIRE;2 100,00;2 150,00\n"
	meterCSV    = "compteur;date;index_m3;consommation_l;temperature_c\nD33GB2;2024-03-01;10,000;120;12\nD33GB2;2024-03-02;10,130;130;12\n"
	oddBankNext = "Compte;FR76 3000 4000 0500 0012 3456 789\nJour;Texte;Somme;Reste\n05/02/2025;VIR SALAIRE;2 100,00;2 150,00\n06/02/2025;CB PRIMEUR;-12,30;2 137,70\n"
)

// oddColumns are oddBank's columns as the form sends them.
func oddColumns(token string) url.Values {
	return url.Values{"csrf": {testCSRF}, "token": {token}, "header_row": {"1"}, "date": {"0"}, "value_date": {"-1"}, "label": {"1"}, "label2": {"-1"},
		"amount": {"2"}, "debit": {"-1"}, "credit": {"-1"}, "balance": {"3"}, "comma": {";"}, "decimal": {"comma"}, "date_layout": {"02/01/2006"},
		"currency": {"EUR"}, "bank": {"Banque Exemple"}}
}

var tokenField = regexp.MustCompile(`name="token" value="([0-9a-f]{32})"`)

// tokenIn is the kept file's token in a page's form.
func tokenIn(t *testing.T, page string) string {
	t.Helper()
	m := tokenField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no token in the page:\n%s", page)
	}
	return m[1]
}

// postAnswer posts a question's form as who's browser, in lang.
func postAnswer(t *testing.T, ts *testServer, who, lang, path string, form url.Values) response {
	t.Helper()
	res := ts.do(t, request{method: "POST", path: path, body: form.Encode(), as: "session:" + who, csrf: true, header: map[string]string{"Cookie": langCookie + "=" + lang}})
	res.body = html.UnescapeString(res.body)
	return res
}

// withTwin serves ts with a second water format, so that a water CSV is claimed by two.
func withTwin(t *testing.T, ts *testServer) {
	twin := water.Format()
	twin.Name = "water.twin"
	d := Deps{Gate: ts.gate, Auth: ts.auth, Orgs: ts.srv.orgs, Importer: restore.NewImporter(ts.gate, append(formats.All(), twin)), Pull: ts.srv.pull, Consent: ts.srv.cons, OAuth: ts.srv.oauth, Alerts: ts.srv.alert}
	srv, err := New(ts.srv.cfg, d, ts.srv.log)
	if err != nil {
		t.Fatal(err)
	}
	ts.srv = srv
	ts.http.Config.Handler = srv.Handler()
	t.Cleanup(srv.Close)
}

// TestImportChoose: a file two formats claim is kept, and the page asks which it is, in
// the person's language; the answer imports it, once. The token of the kept file is
// nobody else's: another person's answer, or an answer after 30 minutes, is told to
// choose the file again, as for a token never given.
func TestImportChoose(t *testing.T) {
	ts := newTestServer(t)
	withTwin(t, ts)
	for _, tt := range []struct{ lang, question, kind, done string }{
		{"en", "Which kind of file is this?", "water meter readings (CSV)", "The file was imported."},
		{"fr", "Quel type de fichier est-ce\u202f?", "relevés de compteur d’eau (CSV)", "Le fichier a été importé."},
	} {
		status, page := postImportIn(t, ts, tt.lang, "eau.csv", meterCSV)
		if status != 200 || !strings.Contains(page, tt.question) || !strings.Contains(page, `value="water.csv"`) || !strings.Contains(page, `value="water.twin"`) || !strings.Contains(page, tt.kind) {
			t.Fatalf("%s: status %d, want the question with both formats:\n%s", tt.lang, status, page)
		}
		tok := tokenIn(t, page)
		if res := postAnswer(t, ts, "bob", tt.lang, "/import/choose", url.Values{"csrf": {testCSRF}, "token": {tok}, "format": {"water.csv"}}); res.status != 410 {
			t.Errorf("%s: bob answers for alice's file: %d", tt.lang, res.status)
		}
		if res := postAnswer(t, ts, "alice", tt.lang, "/import/choose", url.Values{"csrf": {testCSRF}, "token": {tok}, "format": {"ofx"}}); res.status != 422 {
			t.Errorf("%s: a format not offered: %d", tt.lang, res.status)
		} else {
			tok = tokenIn(t, res.body)
		}
		res := postAnswer(t, ts, "alice", tt.lang, "/import/choose", url.Values{"csrf": {testCSRF}, "token": {tok}, "format": {"water.csv"}})
		if res.status != 200 || !strings.Contains(res.body, tt.done) {
			t.Fatalf("%s: the answer: %d\n%s", tt.lang, res.status, res.body)
		}
		if res := postAnswer(t, ts, "alice", tt.lang, "/import/choose", url.Values{"csrf": {testCSRF}, "token": {tok}, "format": {"water.csv"}}); res.status != 410 {
			t.Errorf("%s: the same answer again: %d", tt.lang, res.status)
		}
	}
	if n := ts.srv.pending.count(ts.alice.in.ID); n != 0 {
		t.Errorf("%d files still kept after their import", n)
	}
	_, page := postImportIn(t, ts, "en", "eau.csv", meterCSV)
	tok := tokenIn(t, page)
	ts.srv.pending.now = func() time.Time { return time.Now().Add(31 * time.Minute) }
	res := postAnswer(t, ts, "alice", "fr", "/import/choose", url.Values{"csrf": {testCSRF}, "token": {tok}, "format": {"water.csv"}})
	if res.status != 410 || !strings.Contains(res.body, "n'est plus gardé sur le serveur") || !strings.Contains(res.body, `type="file"`) {
		t.Errorf("an expired token: %d\n%s", res.status, res.body)
	}
	if n := ts.srv.pending.count(ts.alice.in.ID); n != 0 {
		t.Errorf("%d files kept past their expiry", n)
	}
}

// TestImportColumns: a bank CSV of unknown columns shows its first rows and asks its
// columns; a wrong answer is said next to its field, in the person's language; confirmed,
// the file is imported and the columns remembered for the bank, so that its next export
// imports at once, saying so. Bob, with the same layout, is asked. On both backends: the
// saved columns are a document read and written through the gate.
func TestImportColumns(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testImportColumns(t, newTestServer(t)) })
	t.Run("postgres", func(t *testing.T) { testImportColumns(t, newPGTestServer(t)) })
}

func testImportColumns(t *testing.T, ts *testServer) {
	status, page := postImportIn(t, ts, "en", "releve.csv", oddBank)
	for _, want := range []string{"Which column holds what?", `class="preamble"`, `class="header-row"`, "FR76 3000", "CB BOULANGERIE", `<option value="1" selected>2</option>`, "Import and remember these columns for this bank"} {
		if status != 200 || !strings.Contains(page, want) {
			t.Errorf("the question (status %d) lacks %q", status, want)
		}
	}
	tok := tokenIn(t, page)
	for _, tt := range []struct {
		name, lang string
		change     map[string]string
		want       string
	}{
		{"no date", "en", map[string]string{"date": "-1"}, "Choose the column that holds it."},
		{"no date, in French", "fr", map[string]string{"date": "-1"}, "Choisissez la colonne qui la contient."},
		{"a column twice", "en", map[string]string{"balance": "2"}, "This column is already the amount."},
		{"amount and debit", "fr", map[string]string{"debit": "3", "balance": "-1"}, "Choisissez soit la colonne du montant"},
		{"dates written otherwise", "fr", map[string]string{"date_layout": "2006-01-02"}, "La ligne 3 du fichier ne se lit pas avec ce choix."},
		{"no currency", "en", map[string]string{"currency": "euro"}, "three-letter code"},
	} {
		form := oddColumns(tok)
		for k, v := range tt.change {
			form.Set(k, v)
		}
		res := postAnswer(t, ts, "alice", tt.lang, "/import/columns", form)
		if res.status != 422 || !strings.Contains(res.body, tt.want) || !strings.Contains(res.body, `aria-invalid="true"`) {
			t.Errorf("%s: %d, want %q next to its field", tt.name, res.status, tt.want)
		}
		tok = tokenIn(t, res.body)
	}
	form := oddColumns(tok)
	form.Set("comma", ",")
	res := postAnswer(t, ts, "alice", "en", "/import/columns", form)
	if res.status != 200 || !strings.Contains(res.body, `<option value="," selected>`) || !strings.Contains(res.body, "<td>03/02/2025;CB BOULANGERIE;-4</td><td>20;100</td>") {
		t.Errorf("another separator: %d, want the preview split at it", res.status)
	}
	tok = tokenIn(t, res.body)
	form = oddColumns(tok) // the columns read at ",": the amount's cents are a column of their own
	form.Set("split", ",")
	form.Set("comma", ",")
	if res := postAnswer(t, ts, "alice", "en", "/import/columns", form); res.status != 422 || !strings.Contains(res.body, `<option value="," selected>`) {
		t.Errorf("columns at the separator chosen: %d, want them checked against the rows split at it", res.status)
	} else {
		tok = tokenIn(t, res.body)
	}
	res = postAnswer(t, ts, "alice", "en", "/import/columns", oddColumns(tok))
	if res.status != 200 || !strings.Contains(res.body, "The file was imported.") || !strings.Contains(res.body, "These columns are remembered for Banque Exemple") {
		t.Fatalf("confirmed: %d\n%s", res.status, res.body)
	}
	status, page = postImportIn(t, ts, "fr", "releve-mars.csv", oddBankNext)
	if status != 200 || !strings.Contains(page, "Le fichier a été importé.") || !strings.Contains(page, "Colonnes telles que vous les avez indiquées pour Banque Exemple") || !strings.Contains(page, `href="/import?columns=1"`) {
		t.Errorf("the next export: %d\n%s", status, page)
	}
	ops, err := ts.db.CountDocs(bg, ts.alice.in.ID, store.Query{Doctype: "bank.operation"})
	if err != nil || ops != 4 {
		t.Errorf("%d operations, want the 3 of the first export and the 1 new of the next (%v)", ops, err)
	}
	res = ts.do(t, request{method: "GET", path: "/import?columns=1", as: "session:alice"})
	if !strings.Contains(res.body, `name="check" value="1" checked`) {
		t.Errorf("the link to change the columns does not tick the box")
	}
	body, ct := checkedUpload(t, "releve-mars.csv", oddBankNext)
	res = ts.do(t, request{method: "POST", path: "/import", body: body, as: "session:alice", header: map[string]string{"Content-Type": ct, "Cookie": csrfCookie + "=" + testCSRF}})
	if res.status != 200 || !strings.Contains(res.body, "These are the columns you set for this bank before") || !strings.Contains(res.body, `value="Banque Exemple"`) {
		t.Errorf("checking the columns again: %d\n%s", res.status, res.body)
	}
	bob := ts.do(t, request{method: "POST", path: "/api/v1/imports?name=releve.csv", body: oddBankNext, as: "token:bob"})
	if bob.status != 422 || !strings.Contains(bob.body, `"candidates":["bank-csv"]`) {
		t.Errorf("bob's import of the same layout: %d %s", bob.status, bob.body)
	}
	bob = ts.do(t, request{method: "POST", path: "/api/v1/imports?name=releve.csv&format=bank-csv", body: oddBankNext, as: "token:bob"})
	if bob.status != 422 || !strings.Contains(bob.body, `"header":["Jour","Texte","Somme","Reste"]`) || !strings.Contains(bob.body, `"guess":`) {
		t.Errorf("bob's import of the same layout: %d %s", bob.status, bob.body)
	}
	mapping := `{"comma":";","header_row":1,"date":0,"date_layout":"02/01/2006","label":1,"amount":2,"decimal_comma":true,"currency":"EUR"}`
	bob = ts.do(t, request{method: "POST", path: "/api/v1/imports?name=releve.csv&mapping=" + url.QueryEscape(mapping), body: oddBankNext, as: "token:bob"})
	if bob.status != 200 || !strings.Contains(bob.body, `"bank.operation":2`) {
		t.Errorf("bob's import with the columns named: %d %s", bob.status, bob.body)
	}
}

// checkedUpload is the import form with "let me check the columns" ticked.
func checkedUpload(t *testing.T, name, content string) (string, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("csrf", testCSRF)
	mw.WriteField("check", "1")
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(content))
	mw.Close()
	return b.String(), mw.FormDataContentType()
}

// FuzzReadColumns: whatever a columns form holds, reading it does not panic, and a form
// read without a problem maps the date and the label, an amount or a debit and a credit,
// each column of the file at most once.
func FuzzReadColumns(f *testing.F) {
	f.Add("1", "0", "1", "2", "-1", "-1", "3", "02/01/2006", "EUR", "Banque")
	f.Add("0", "0", "0", "-1", "1", "2", "-1", "2006-01-02", "usd", "")
	f.Add("x", "9", "-5", "", "", "", "", "", "", "\n")
	t := &bankcsv.Table{Comma: ";", Rows: [][]string{{"Compte", "FR76"}, {"Jour", "Texte", "Somme", "Reste"}, {"03/02/2025", "CB", "-4,20", "100,00"}}}
	f.Fuzz(func(tt *testing.T, header, date, label, amount, debit, credit, balance, layout, currency, bank string) {
		form := url.Values{"header_row": {header}, "date": {date}, "label": {label}, "amount": {amount}, "debit": {debit}, "credit": {credit},
			"balance": {balance}, "date_layout": {layout}, "currency": {currency}, "bank": {bank}, "decimal": {"comma"}}
		m, _, problems := readColumns(form, t)
		if len(problems) > 0 {
			return
		}
		if m.Date < 0 || m.Label < 0 || (m.Amount < 0) == (m.Debit < 0 || m.Credit < 0) || m.Amount < 0 && (m.Debit < 0 || m.Credit < 0) {
			tt.Fatalf("a form without problems maps %+v", m)
		}
		seen := map[int]bool{}
		for _, c := range []int{m.Date, m.ValueDate, m.Label, m.Label2, m.Amount, m.Debit, m.Credit, m.Balance} {
			if c >= 4 || c >= 0 && seen[c] {
				tt.Fatalf("a form without problems maps a column twice or past the file: %+v", m)
			}
			seen[c] = true
		}
	})
}

// TestImportChooseAmongJSON: a JSON file no format claims is not refused as unknown: the
// page asks among the formats that come as JSON, each named as people know the file.
func TestImportChooseAmongJSON(t *testing.T) {
	ts := newTestServer(t)
	status, page := postImportIn(t, ts, "fr", "export.json", `{"exportedAt": "2025-01-01", "items": []}`)
	if status != 200 {
		t.Fatalf("status %d:\n%s", status, page)
	}
	for _, w := range []string{"Quel type de fichier est-ce\u202f?", `value="google.location.records"`, "historique de localisation Google\u202f: tous les points (Records.json)", `value="fhir.r4"`, `value="grdf.portal"`} {
		if !strings.Contains(page, w) {
			t.Errorf("the question lacks %q", w)
		}
	}
	if strings.Contains(page, `value="ofx"`) || strings.Contains(page, `value="bank-csv"`) {
		t.Errorf("the question offers formats that are not JSON")
	}
}
