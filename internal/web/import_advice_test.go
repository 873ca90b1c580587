package web

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// postImportIn posts the import form for alice with the page in lang.
func postImportIn(t *testing.T, ts *testServer, lang, name, content string) (int, string) {
	t.Helper()
	body, ct := multipartBody(t, testCSRF, name, content)
	req, _ := http.NewRequest("POST", ts.http.URL+"/import", body)
	req.Header.Set("Content-Type", ct)
	for _, c := range []*http.Cookie{{Name: csrfCookie, Value: testCSRF}, {Name: sessionCookie, Value: ts.alice.session}, {Name: langCookie, Value: lang}} {
		req.AddCookie(c)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, html.UnescapeString(string(b))
}

// zipFiles is a zip archive of the files.
func zipFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, content := range files {
		w, _ := zw.Create(name)
		io.WriteString(w, content)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestImportAdvice: each kind of refusal says, in French and in English, what happened and
// what to do — where to download the file again — with the technical detail folded for the
// expert, and never a command-line flag.
func TestImportAdvice(t *testing.T) {
	ts := newTestServer(t)
	badLine := "compteur;date;index_m3;consommation_l;temperature_c\nD33GB2;2024-03-01;10,000;120;12\nD33GB2;2024-03-02;abc;130;12\n"
	noMeter := "compteur;date;index_m3;consommation_l;temperature_c\n;2024-03-01;10,000;120;12\n"
	for _, tt := range []struct {
		name, file, content string
		status              int
		en, fr              []string
	}{
		{"unknown format", "notes.txt", "hello", 422,
			[]string{"This file is not one selfdata reads.", "Download it again from your space on the organization's site", "For Enedis (electricity), in your customer area: Mon compte → Mes données → Télécharger (CSV)", "For GRDF (gas)", "For Eau du Grand Lyon (water)", "For your bank", "Green Button", "For Google", ".ics", ".vcf"},
			[]string{"Ce fichier n'est pas de ceux que selfdata sait lire.", "Téléchargez-le à nouveau depuis votre espace sur le site de l'organisme", "Pour Enedis (électricité), dans votre espace client\u202f: Mon compte → Mes données → Télécharger (CSV)", "Pour votre banque"}},
		{"a PDF", "releve-mars.pdf", "%PDF-1.7\n%âãÏÓ\n1 0 obj\n", 422,
			[]string{"This file is a PDF document.", "not PDF"},
			[]string{"Ce fichier est un document PDF.", "pas en PDF"}},
		{"a spreadsheet", "conso.xlsx", zipFiles(t, map[string]string{"xl/workbook.xml": "<workbook/>"}), 422,
			[]string{"This file was saved by a spreadsheet", "choosing CSV"},
			[]string{"Ce fichier a été enregistré par un tableur", "en choisissant CSV"}},
		{"an archive of nothing readable", "takeout.zip", zipFiles(t, map[string]string{"a.txt": "hello"}), 422,
			[]string{"No file in this archive is one selfdata reads."},
			[]string{"Aucun fichier de cette archive n'est de ceux que selfdata sait lire."}},
		{"empty", "eau.csv", "", 422,
			[]string{"This file is empty: its download probably did not finish.", "Download it again"},
			[]string{"Ce fichier est vide", "Téléchargez-le à nouveau"}},
		{"malformed at a line", "autre.csv", badLine, 422,
			[]string{"selfdata recognized the kind of file (water readings), but could not read it at line 3, field “index_m3”.", "opening and saving it again in a spreadsheet", "For Eau du Grand Lyon (water)", "<details", "<dt>Line</dt><dd>3</dd>", "<code>index_m3</code>", `<dd lang="en">`},
			[]string{"selfdata a reconnu le type de fichier (relevés d'eau), mais n'a pas pu le lire à la ligne 3, champ « index_m3 ».", "Pour Eau du Grand Lyon (eau)", "Détail technique", "<dt>Ligne</dt><dd>3</dd>"}},
		{"no meter", "eau.csv", noMeter, 422,
			[]string{"This file names no meter", "choose your meter before you download", "For Eau du Grand Lyon (water)"},
			[]string{"Ce fichier ne nomme aucun compteur", "choisissez votre compteur avant de télécharger"}},
		{"too large", "big.csv", manageWaterCSV + strings.Repeat("C22FA1;2024-03-03;10,260;130;12\n", 10000), 413,
			[]string{"The file is too large: the limit is 256\u00a0KB.", "Download a shorter period"},
			[]string{"Le fichier est trop gros\u202f: la limite est de 256\u00a0Ko.", "Téléchargez une période plus courte"}},
	} {
		for lg, want := range map[string][]string{"en": tt.en, "fr": tt.fr} {
			t.Run(tt.name+" "+lg, func(t *testing.T) {
				status, body := postImportIn(t, ts, lg, tt.file, tt.content)
				if status != tt.status || !strings.Contains(body, `<html lang="`+lg+`"`) {
					t.Fatalf("%d, want %d: %.400s", status, tt.status, body)
				}
				for _, w := range want {
					if !strings.Contains(body, w) {
						t.Errorf("lacks %q", w)
					}
				}
				for _, never := range []string{"--format", " --", "known formats", "plain number such as"} {
					if strings.Contains(body, never) {
						t.Errorf("shows %q", never)
					}
				}
			})
		}
	}
}

// TestImportAPIProblemLanguage: the API's refusal stays a problem; in English it is as it
// was, and a request asking for French gets the same advice as the page.
func TestImportAPIProblemLanguage(t *testing.T) {
	ts := newTestServer(t)
	for _, tt := range []struct {
		lang, name, content string
		status              int
		want                string
	}{
		{"", "notes.txt", "hello", 422, "The file was refused and nothing was written"},
		{"en-GB,en;q=0.8", "notes.txt", "hello", 422, "The file was refused and nothing was written"},
		{"fr-FR,fr;q=0.9,en;q=0.5", "notes.txt", "hello", 422, "Le fichier a été refusé. Rien n'a été écrit dans votre espace. Ce fichier n'est pas de ceux que selfdata sait lire."},
		{"fr", "eau.csv", "", 422, "Ce fichier est vide"},
		{"fr", "eau.csv", manageWaterCSV + strings.Repeat("C22FA1;2024-03-03;10,260;130;12\n", 10000), 413, "Le fichier est trop gros"},
	} {
		res := ts.do(t, request{method: "POST", path: "/api/v1/imports?name=" + url.QueryEscape(tt.name), body: tt.content, as: "token:alice",
			header: map[string]string{"Accept-Language": tt.lang, "Content-Type": "application/octet-stream"}})
		var p Problem
		if err := json.Unmarshal([]byte(res.body), &p); err != nil || res.status != tt.status || res.header.Get("Content-Type") != "application/problem+json" || !strings.Contains(p.Detail, tt.want) {
			t.Errorf("%q %s: %d %s, want %d with %q", tt.lang, tt.name, res.status, res.body, tt.status, tt.want)
		}
	}
}
