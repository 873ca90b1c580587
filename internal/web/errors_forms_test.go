package web

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestExpiredForms: a form whose token this browser no longer holds changes nothing and
// says so in the person's language: the settings forms come back with what was typed
// (never a passphrase), the import form asks for the file again, and an action (withdraw a
// consent, revoke a connection, log out) is a page leading back to where the form was.
func TestExpiredForms(t *testing.T) {
	ts := newTestServer(t)
	const stale = "a-token-of-a-browser-that-was-closed-0123"
	const typedPass = "a typed passphrase never shown"
	for _, tt := range []struct {
		name, path, body string
		want             map[string][]string // by language
		absent           []string
	}{
		{"alert address", "/settings/email", url.Values{"csrf": {stale}, "email": {"camille@example.org"}}.Encode(), map[string][]string{
			"fr": {"Ce formulaire avait expiré\u202f: rien n'a été changé. Ce que vous aviez tapé est toujours là", `value="camille@example.org"`, `action="/settings/email"`},
			"en": {"This form had expired, so nothing was changed. What you typed is still here", `value="camille@example.org"`},
		}, nil},
		{"passphrase", "/settings/passphrase", url.Values{"csrf": {stale}, "current": {typedPass}, "new": {typedPass}, "confirm": {typedPass}}.Encode(), map[string][]string{
			"fr": {"Ce formulaire avait expiré", `action="/settings/passphrase"`},
			"en": {"This form had expired", `name="current"`},
		}, []string{typedPass}},
		{"withdraw a consent", "/consents/" + ts.grantA + "/withdraw", "csrf=" + stale, map[string][]string{
			"fr": {"Ce formulaire a expiré", "Rien n'a été changé", `href="/consents"`, "Revenir à la page où vous étiez"},
			"en": {"This form has expired", "Nothing was changed", `href="/consents"`, "Back to the page you were on"},
		}, nil},
		{"revoke a connection", "/connections/" + ts.connA + "/revoke", "csrf=" + stale, map[string][]string{
			"fr": {"Ce formulaire a expiré", `href="/connections"`},
			"en": {"This form has expired", `href="/connections"`},
		}, nil},
	} {
		for lg, want := range tt.want {
			t.Run(tt.name+" "+lg, func(t *testing.T) {
				res := ts.do(t, request{method: "POST", path: tt.path, body: tt.body, csrf: true, as: "session:alice",
					header: map[string]string{"Accept-Language": lg, "Referer": ts.http.URL + "/" + strings.SplitN(tt.path[1:], "/", 2)[0]}})
				body := html.UnescapeString(res.body)
				if res.status != http.StatusForbidden || !strings.Contains(res.body, `<html lang="`+lg+`"`) {
					t.Fatalf("%d %.300s", res.status, body)
				}
				for _, w := range want {
					if !strings.Contains(body, w) {
						t.Errorf("lacks %q", w)
					}
				}
				for _, a := range tt.absent {
					if strings.Contains(body, a) {
						t.Errorf("shows %q", a)
					}
				}
				if strings.Contains(body, "did not come from this site") {
					t.Error("the English problem detail is shown")
				}
			})
		}
	}
	// Nothing was changed: the grant and the connection are as they were.
	if res := ts.do(t, request{method: "GET", path: "/api/v1/consents", as: "session:alice"}); !strings.Contains(res.body, `"state":"active"`) {
		t.Errorf("a grant changed: %s", res.body)
	}
	if res := ts.do(t, request{method: "GET", path: "/api/v1/connections", as: "session:alice"}); strings.Contains(res.body, `"revoked"`) {
		t.Errorf("a connection changed: %s", res.body)
	}
	// The import form asks for its file again, in the person's language.
	for lg, want := range map[string]string{"fr": "Ce formulaire avait expiré\u202f: le fichier n'a pas été lu", "en": "This form had expired, so the file was not read"} {
		body, ct := multipartBody(t, stale, "eau.csv", manageWaterCSV)
		req, _ := http.NewRequest("POST", ts.http.URL+"/import", body)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Accept-Language", lg)
		req.AddCookie(&http.Cookie{Name: csrfCookie, Value: testCSRF})
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: ts.alice.session})
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if page := html.UnescapeString(string(b)); res.StatusCode != http.StatusForbidden || !strings.Contains(page, want) || !strings.Contains(page, `type="file"`) {
			t.Errorf("import, %s: %d %.500s", lg, res.StatusCode, page)
		}
	}
}
