package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
)

// TestDemoRelative: the demo's relative logs in with what `selfdata demo` prints and sees the
// demo person's signs of life, and nothing else of theirs.
func TestDemoRelative(t *testing.T) {
	base, _, _ := startDemo(t)
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Accept-Language", "en")
		res, err := browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	get("/relative/login")
	u, _ := url.Parse(base + "/relative")
	csrf := ""
	for _, c := range jar.Cookies(u) {
		if c.Name == "selfdata_csrf" {
			csrf = c.Value
		}
	}
	res, err := browser.PostForm(base+"/relative/login", url.Values{"csrf": {csrf}, "login": {demoRelativeLogin}, "passphrase": {demoRelativePassphrase}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/relative" {
		t.Fatalf("login as the demo's relative: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	res, body := get("/relative")
	if res.StatusCode != 200 || !strings.Contains(body, "Signs of life from Camille") || !strings.Contains(body, "Usual activity yesterday") {
		t.Fatalf("the relative's page: %d %s", res.StatusCode, body)
	}
	for _, path := range []string{"/", "/data", "/services/selfdata-signoflife", "/access-log"} {
		if res, _ := get(path); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("GET %s as the relative: %d to %q, want the person's login", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	if res, _ := get("/api/v1/data/bill"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the API as the relative: %d", res.StatusCode)
	}
}
