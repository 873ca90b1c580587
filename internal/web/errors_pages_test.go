package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"selfdata/internal/gate"
)

// TestNotFoundPages: an address no route has, or a record that is not there, is a page in
// the layout and the person's language (cookie, else Accept-Language), readable on a phone,
// with a way home; the API keeps its problem details.
func TestNotFoundPages(t *testing.T) {
	ts := newTestServer(t)
	fr := map[string]string{"Accept-Language": "fr-FR,fr;q=0.9"}
	en := map[string]string{"Accept-Language": "en-GB"}
	for _, tt := range []struct {
		name string
		req  request
		want []string
	}{
		{"unknown page, French", request{method: "GET", path: "/nope", header: fr}, []string{`<html lang="fr">`, "Page introuvable", "Il n'y a rien à cette adresse", "Retour à l'accueil"}},
		{"unknown page, English", request{method: "GET", path: "/nope", header: en}, []string{`<html lang="en">`, "Page not found", "There is nothing at this address", "Back to the home page"}},
		{"unknown page, logged in, French", request{method: "GET", path: "/nope", header: fr, as: "session:alice"}, []string{`<html lang="fr">`, "Page introuvable", `href="/data"`}},
		{"unknown record, French", request{method: "GET", path: "/data/nope/x", header: fr, as: "session:alice"}, []string{`<html lang="fr">`, "Page introuvable", "Il n'y a rien à cette adresse"}},
		{"unknown record, English", request{method: "GET", path: "/data/nope/x", header: en, as: "session:alice"}, []string{`<html lang="en">`, "Page not found"}},
		{"another's record, French cookie", request{method: "GET", path: "/data/bill/bill-bob", header: map[string]string{"Cookie": langCookie + "=fr"}, as: "session:alice"}, []string{`<html lang="fr">`, "Page introuvable"}},
		{"deep unknown page", request{method: "GET", path: "/settings/nope/more", header: fr}, []string{"Page introuvable"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := ts.do(t, tt.req)
			body := html.UnescapeString(res.body)
			if res.status != http.StatusNotFound || !strings.HasPrefix(res.header.Get("Content-Type"), "text/html") {
				t.Fatalf("%d %s: %.300s", res.status, res.header.Get("Content-Type"), body)
			}
			for _, w := range append(tt.want, `<meta name="viewport" content="width=device-width, initial-scale=1">`, `href="/"`) {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			if strings.Contains(body, "404 page not found") || strings.Contains(body, "not found:") {
				t.Errorf("a technical message: %s", body)
			}
		})
	}
	// A visitor who is not logged in is offered no menu (nor a way to log out).
	if res := ts.do(t, request{method: "GET", path: "/nope"}); strings.Contains(res.body, `class="menu"`) {
		t.Error("the 404 page shows the menu to a visitor who is not logged in")
	}
	for _, path := range []string{"/api/nope", "/api/v1/nope", "/.well-known/nope"} {
		res := ts.do(t, request{method: "GET", path: path, header: fr})
		var p Problem
		if res.status != http.StatusNotFound || res.header.Get("Content-Type") != "application/problem+json" || json.Unmarshal([]byte(res.body), &p) != nil || p.Status != 404 {
			t.Errorf("%s: %d %s %s, want a 404 problem", path, res.status, res.header.Get("Content-Type"), res.body)
		}
	}
}

// TestMethodNotAllowed: a method a route does not take is a 405 that names the methods it
// takes, as a page for a person and as a problem for the API.
func TestMethodNotAllowed(t *testing.T) {
	ts := newTestServer(t)
	res := ts.do(t, request{method: "DELETE", path: "/settings", header: map[string]string{"Accept-Language": "fr"}, as: "session:alice"})
	if res.status != http.StatusMethodNotAllowed || !strings.Contains(res.header.Get("Allow"), "GET") || !strings.Contains(html.UnescapeString(res.body), "Cette adresse ne s'utilise pas ainsi") || !strings.Contains(res.body, `lang="fr"`) {
		t.Errorf("DELETE /settings: %d Allow %q %.300s", res.status, res.header.Get("Allow"), res.body)
	}
	res = ts.do(t, request{method: "DELETE", path: "/api/v1/doctypes"})
	if res.status != http.StatusMethodNotAllowed || res.header.Get("Content-Type") != "application/problem+json" || !strings.Contains(res.body, "GET") {
		t.Errorf("DELETE /api/v1/doctypes: %d %s %s", res.status, res.header.Get("Content-Type"), res.body)
	}
	// The mux's redirects stay its own: /static lacks its trailing slash.
	if res := ts.do(t, request{method: "GET", path: "/static"}); res.status/100 != 3 || res.header.Get("Location") != "/static/" {
		t.Errorf("GET /static: %d to %q", res.status, res.header.Get("Location"))
	}
}

// TestServerErrorPages: a handler that panics or fails is a 500 that says nothing
// technical — a page in the person's language, or a problem for the API — and the log
// names the method, the path and the cause, never the query, the cookies or the form.
func TestServerErrorPages(t *testing.T) {
	ts := newTestServer(t)
	var logged bytes.Buffer
	ts.srv.log = slog.New(slog.NewTextHandler(&logged, nil))
	const secret = "s3cret-passphrase-value"
	mux := http.NewServeMux()
	mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("the store is gone") })
	mux.HandleFunc("GET /api/v1/boom", func(http.ResponseWriter, *http.Request) { panic("the store is gone") })
	mux.HandleFunc("GET /half", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("<p>half")); panic("late") })
	mux.Handle("GET /fails", ts.srv.wrap(route{"GET /fails", public, func(http.ResponseWriter, *http.Request, gate.Principal) error {
		return errors.New("database unreachable at 10.0.0.5")
	}}))
	h := ts.srv.fallbacks(mux)
	for _, tt := range []struct {
		path, lang string
		want       []string
		problem    bool
	}{
		{"/boom", "fr", []string{`<html lang="fr">`, "Un problème est survenu de notre côté", "Réessayez dans un moment"}, false},
		{"/boom", "en", []string{`<html lang="en">`, "Something went wrong on our side", "Try again in a moment"}, false},
		{"/fails", "fr", []string{`<html lang="fr">`, "Un problème est survenu de notre côté"}, false},
		{"/api/v1/boom", "fr", []string{`"status":500`}, true},
	} {
		logged.Reset()
		req := httptest.NewRequest("GET", tt.path+"?passphrase="+secret, nil)
		req.Header.Set("Accept-Language", tt.lang)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: secret})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		body := html.UnescapeString(rec.Body.String())
		if rec.Code != http.StatusInternalServerError {
			t.Fatalf("%s: %d %s", tt.path, rec.Code, body)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s %s lacks %q: %s", tt.path, tt.lang, w, body)
			}
		}
		if tt.problem != (rec.Header().Get("Content-Type") == "application/problem+json") {
			t.Errorf("%s: Content-Type %s", tt.path, rec.Header().Get("Content-Type"))
		}
		for _, leak := range []string{"the store is gone", "database unreachable", "10.0.0.5", "goroutine", secret} {
			if strings.Contains(body, leak) {
				t.Errorf("%s shows %q", tt.path, leak)
			}
		}
		if strings.Contains(logged.String(), secret) || !strings.Contains(logged.String(), tt.path) {
			t.Errorf("%s: the log %q names a secret or lacks the path", tt.path, logged.String())
		}
	}
	// A panic once the page has begun cannot become an error page: the connection is cut.
	func() {
		defer func() {
			if v := recover(); v != http.ErrAbortHandler {
				t.Errorf("a panic after the answer began: %v, want http.ErrAbortHandler", v)
			}
		}()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/half", nil))
	}()
}

// TestPageErrorsSpeakTheLanguage: a refusal of a handler (a bad parameter, a conflict)
// heads its page in the person's language; the handler's own detail, in English, is folded
// for the expert on a French page.
func TestPageErrorsSpeakTheLanguage(t *testing.T) {
	ts := newTestServer(t)
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"fr", []string{"Cette demande n'a pas pu être traitée", "<details", "Détail (en anglais)", `<p lang="en">`}},
		{"en", []string{"This request could not be handled", `class="error-detail"`}},
	} {
		res := ts.do(t, request{method: "POST", path: "/consents/" + ts.grantA + "/narrow", body: "csrf=" + testCSRF + "&doctype=meter&days=soon", csrf: true,
			header: map[string]string{"Accept-Language": tt.lang}, as: "session:alice"})
		body := html.UnescapeString(res.body)
		if res.status != http.StatusBadRequest {
			t.Fatalf("%s: %d %.300s", tt.lang, res.status, body)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q: %.600s", tt.lang, w, body)
			}
		}
	}
}

// TestBackTo: the way back after a failed post is the page the form was on, only when it is
// a page of this site.
func TestBackTo(t *testing.T) {
	for _, tt := range []struct{ path, referer, want string }{
		{"/consents/g1/withdraw", "http://example.test/consents?x=1", "/consents?x=1"},
		{"/consents/g1/withdraw", "https://evil.example/consents", "/consents"},
		{"/consents/g1/withdraw", "", "/consents"},
		{"/services/selfdata-energy/settings", "", "/services/selfdata-energy"},
		{"/logout", "http://example.test//evil.example", "/logout"},
		{"/", "", "/"},
	} {
		r := httptest.NewRequest("POST", "http://example.test"+tt.path, nil)
		if tt.referer != "" {
			r.Header.Set("Referer", tt.referer)
		}
		if got := backTo(r); got != tt.want {
			t.Errorf("backTo(%s, referer %q) = %q, want %q", tt.path, tt.referer, got, tt.want)
		}
	}
}
