package web

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"selfdata/internal/gate"
)

// TestHome: the home page tells, per organization, what it holds, since when and why, in
// both languages, and marks what is sensitive.
func TestHome(t *testing.T) {
	ts := newTestServer(t)
	// Enedis deposits for alice, and alice holds a health claim (a special category).
	dep := ts.do(t, request{method: "POST", path: "/api/v1/deposits", as: "deposit", body: `{"documents":[{"doctype":"bill","id":"F1","data":{"vendor":"Enedis","date":"2024-11-30","amount":"12.00","currency":"EUR"}},
		{"doctype":"bill","id":"F2","data":{"vendor":"Enedis","date":"2025-02-28","amount":"13.00","currency":"EUR"}}]}`})
	if dep.status != 200 {
		t.Fatalf("deposit: %d %s", dep.status, dep.body)
	}
	owner := gate.Owner(ts.alice.in.ID)
	if _, err := ts.gate.Create(bg, owner, "health.claim", []gate.Input{{Data: json.RawMessage(`{"date":"2025-03-01","amount":"25.00","currency":"EUR"}`)}}, owner.Source("", ts.gate)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang string
		want []string
	}{
		{"en", []string{"Who has what on me", "<h2 id=\"c-organization-enedis\">Enedis</h2>", "Bill", "2 records", "2024-11-30", "2025-02-28",
			"billing", "a legal obligation", "3 years", "your electricity supplier", "What this can reveal about you", "Sensitive data (health)", "Added by you",
			"Services using your data", `<h3 id="s-volta">Volta`, "May use:</strong> Meter", "To provide the service you use", `href="/consents#svc-volta"`}},
		{"fr", []string{"Qui a quoi sur moi", "Facture", "2 enregistrements", "une obligation légale", "Ce que cela peut révéler de vous", "Donnée sensible (santé)", "Ajouté par vous", `lang="fr"`,
			"Les services qui utilisent vos données", "Peut utiliser\u202f:</strong> Compteur"}},
	}
	for _, tt := range tests {
		res := ts.do(t, request{method: "GET", path: "/?lang=" + tt.lang, as: "session:alice"})
		if res.status != 200 {
			t.Fatalf("%s: %d", tt.lang, res.status)
		}
		for _, w := range tt.want {
			if !strings.Contains(res.body, w) {
				t.Errorf("%s home lacks %q", tt.lang, w)
			}
		}
	}
	// Bob sees nothing of alice's, and a pending request is announced to him. Once he
	// withdraws his consent to volta, it is no longer among the services using his data.
	res := ts.do(t, request{method: "GET", path: "/", as: "session:bob"})
	if strings.Contains(res.body, "2024-11-30") || !regexp.MustCompile(`<strong>1</strong> organization asks`).MatchString(res.body) {
		t.Errorf("bob's home: %s", res.body)
	}
	if _, err := ts.cons.Withdraw(bg, ts.bob.in.ID, ts.grantB); err != nil {
		t.Fatal(err)
	}
	if res := ts.do(t, request{method: "GET", path: "/", as: "session:bob"}); strings.Contains(res.body, "Services using your data") || strings.Contains(res.body, "s-volta") {
		t.Errorf("bob's home lists volta after he withdrew: %s", res.body)
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
