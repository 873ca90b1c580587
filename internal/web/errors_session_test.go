package web

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSessionEnded: a page asked with a session that has ended leads to the login page,
// which says so in the person's language and names the page; the login leads back to it.
// Asked without any session, the login page only says where it leads; a form posted with
// an ended session says that it was not saved.
func TestSessionEnded(t *testing.T) {
	ts := newTestServer(t)
	dead := map[string]string{"Cookie": sessionCookie + "=ended-session-0123456789"}
	for _, tt := range []struct {
		name     string
		req      request
		location string
		cleared  bool
	}{
		{"ended, a page", request{method: "GET", path: "/settings", header: dead}, "/login?next=%2Fsettings&why=ended", true},
		{"ended, the home page", request{method: "GET", path: "/", header: dead}, "/login?why=ended", true},
		{"ended, a page with a query", request{method: "GET", path: "/data/bill?x=1", header: dead}, "/login?next=%2Fdata%2Fbill%3Fx%3D1&why=ended", true},
		{"ended, a form", request{method: "POST", path: "/consents/g/withdraw", body: "csrf=" + testCSRF, csrf: true,
			header: map[string]string{"Cookie": sessionCookie + "=ended-session-0123456789", "Referer": ts.http.URL + "/consents"}}, "/login?next=%2Fconsents&why=unsaved", true},
		{"no session", request{method: "GET", path: "/settings"}, "/login?next=%2Fsettings", false},
		{"no session, the home page", request{method: "GET", path: "/"}, "/login", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := ts.do(t, tt.req)
			if res.status != http.StatusSeeOther || res.header.Get("Location") != tt.location {
				t.Fatalf("%d to %q, want 303 to %q", res.status, res.header.Get("Location"), tt.location)
			}
			cleared := strings.Contains(strings.Join(res.header.Values("Set-Cookie"), "\n"), sessionCookie+"=;")
			if cleared != tt.cleared {
				t.Errorf("session cookie cleared: %v, want %v", cleared, tt.cleared)
			}
		})
	}
	for _, tt := range []struct{ path, lang, want string }{
		{"/login?next=%2Fsettings&why=ended", "fr", "Votre session a pris fin\u202f; reconnectez-vous pour revenir à la page « Réglages »."},
		{"/login?next=%2Fsettings&why=ended", "en", "Your session has ended; log in again to go back to the page “Settings”."},
		{"/login?why=ended", "fr", "revenir à la page « Qui a quoi »"},
		{"/login?next=%2Fconsents&why=unsaved", "fr", "ce que vous avez envoyé n'a pas été enregistré. Reconnectez-vous pour revenir à la page « Mes accords »"},
		{"/login?next=%2Fconsents&why=unsaved", "en", "what you sent was not saved. Log in again to go back to the page “Consents”"},
		{"/login?next=%2Fsettings", "fr", "Connectez-vous pour aller à la page « Réglages »."},
		{"/login?next=%2Fdata%2Fbill", "en", "Log in to go to the page “My data”."},
		{"/login?next=%2Foauth%2Fauthorize%3Fclient_id%3Dvolta", "en", "Log in to go to the page “A service asks for access”."},
		{"/login?next=%2F%2Fevil.example&why=ended", "en", "back to the page “Who has what”"}, // an unsafe next is dropped
		{"/login?why=<script>", "en", `<input id="instance" name="instance" autocomplete="username" required value="" autofocus>`},
	} {
		res := ts.do(t, request{method: "GET", path: tt.path, header: map[string]string{"Accept-Language": tt.lang}})
		if body := html.UnescapeString(res.body); res.status != http.StatusOK || !strings.Contains(body, tt.want) || strings.Contains(body, "<script>") {
			t.Errorf("GET %s (%s): %d, lacks %q", tt.path, tt.lang, res.status, tt.want)
		}
	}
	// The login leads back to the page.
	f := url.Values{"csrf": {testCSRF}, "instance": {"alice"}, "passphrase": {ts.alice.pass}, "next": {"/settings"}}
	if res := ts.do(t, request{method: "POST", path: "/login", body: f.Encode(), csrf: true}); res.status != http.StatusSeeOther || res.header.Get("Location") != "/settings" {
		t.Errorf("login: %d to %q, want /settings", res.status, res.header.Get("Location"))
	}
}

// TestLoginFailureKeepsTheName: a failed login shows the form again with the name typed —
// never the passphrase — and why, in the person's language; an expired login form too.
func TestLoginFailureKeepsTheName(t *testing.T) {
	ts := newTestServer(t)
	const pass = "wrong-passphrase-typed"
	for _, tt := range []struct {
		name, lang, csrf string
		status           int
		want             string
	}{
		{"wrong passphrase", "fr", testCSRF, http.StatusUnauthorized, "Nom inconnu ou phrase de passe incorrecte. Vérifiez le nom de votre espace"},
		{"wrong passphrase", "en", testCSRF, http.StatusUnauthorized, "Unknown name or wrong passphrase. Check the name of your store"},
		{"expired form", "fr", "an-old-token-from-a-closed-browser-0123", http.StatusForbidden, "Ce formulaire avait expiré\u202f: vous n'avez pas été connecté."},
		{"expired form", "en", "an-old-token-from-a-closed-browser-0123", http.StatusForbidden, "This form had expired, so you were not logged in."},
	} {
		t.Run(tt.name+" "+tt.lang, func(t *testing.T) {
			f := url.Values{"csrf": {tt.csrf}, "instance": {"  alice "}, "passphrase": {pass}, "next": {"/consents"}}
			res := ts.do(t, request{method: "POST", path: "/login", body: f.Encode(), csrf: true, header: map[string]string{"Accept-Language": tt.lang}})
			body := html.UnescapeString(res.body)
			if res.status != tt.status || !strings.Contains(body, tt.want) {
				t.Fatalf("%d, want %d with %q: %.500s", res.status, tt.status, tt.want, body)
			}
			for _, w := range []string{`name="instance" autocomplete="username" required value="alice"`, `autofocus aria-describedby="login-error"`, `name="next" value="/consents"`, `lang="` + tt.lang + `"`} {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			if strings.Contains(body, pass) {
				t.Error("the page shows the passphrase typed")
			}
		})
	}
	for range 12 {
		ts.postLogin(t, "bob", "wrong", "")
	}
	for lg, want := range map[string]string{"fr": "votre nom est gardé ci-dessous", "en": "your name is kept below"} {
		f := url.Values{"csrf": {testCSRF}, "instance": {"bob"}, "passphrase": {"wrong"}}
		res := ts.do(t, request{method: "POST", path: "/login", body: f.Encode(), csrf: true, header: map[string]string{"Accept-Language": lg}})
		if body := html.UnescapeString(res.body); res.status != http.StatusTooManyRequests || !strings.Contains(body, want) || !strings.Contains(body, `value="bob"`) {
			t.Errorf("rate-limited, %s: %d %.500s", lg, res.status, body)
		}
	}
}
