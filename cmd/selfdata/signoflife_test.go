package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"selfdata/internal/services"
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

// TestBrowserSignOfLife: in a real browser, the demo person invites a relative and sees the
// invitation's link and code; the demo's relative logs in on their own page and sees the
// signs of life — in both languages, on a desktop and on a phone, with nothing wider than
// the screen and no text key showing.
func TestBrowserSignOfLife(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	chromium := findChromium(t)
	base, _, _ := startDemo(t)
	b := newBrowser(t, chromium)
	slips := regexp.MustCompile(`sol\.|svc\.selfdata-|<no value>|%!|\{\{|NaN`)
	fits := func(what string) {
		t.Helper()
		if wide := b.eval(t, `String(document.documentElement.scrollWidth > window.innerWidth)`); wide != "false" {
			t.Errorf("%s: wider than the screen", what)
		}
	}

	b.open(t, base+"/login?lang=en")
	b.do(t, chromedp.SendKeys(chromedp.ID("instance"), demoName), chromedp.SendKeys(chromedp.ID("passphrase"), demoPassphrase))
	b.submit(t, chromedp.CSS(`form[action="/login"] button[type=submit]`))
	b.do(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.open(t, base+"/services/"+services.SignOfLife+"?lang=en")
	b.do(t, chromedp.SendKeys(chromedp.ID("sol-name"), "Sacha Durand"), chromedp.SendKeys(chromedp.ID("sol-person"), "Camille"))
	done := b.submit(t, chromedp.CSS(`form[action$="/relatives"] button[type=submit]`))
	if !strings.Contains(done, "Invitation for Sacha Durand") || !strings.Contains(done, "/relative/join?code=") || !strings.Contains(done, "Dominique Martin") {
		t.Errorf("after inviting, the page says:\n%s", clip(done))
	}
	fits("the page with the invitation, on a phone")
	b.do(t, chromedp.EmulateReset())

	b.open(t, base+"/relative/login?lang=en")
	b.do(t, chromedp.SendKeys(chromedp.ID("sol-login"), demoRelativeLogin), chromedp.SendKeys(chromedp.ID("sol-pass"), demoRelativePassphrase))
	page := b.submit(t, chromedp.CSS(`form[action="/relative/login"] button[type=submit]`))
	if !strings.Contains(page, "Signs of life from Camille") {
		t.Fatalf("after the relative's login, the page says:\n%s", clip(page))
	}
	for _, width := range []int64{1280, 390} {
		if width == 390 {
			b.do(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		}
		for _, lg := range []string{"en", "fr"} {
			url := fmt.Sprintf("%s/relative?lang=%s", base, lg)
			main := b.open(t, url)
			if got := b.eval(t, `document.documentElement.lang`); got != lg {
				t.Errorf("%s: the page's language is %q", url, got)
			}
			if m := slips.FindString(main); m != "" {
				t.Errorf("%s (%d px): the page shows %q:\n%s", url, width, m, clip(main))
			}
			if n := b.count(t, "nav.menu"); n != 0 {
				t.Errorf("%s: the relative's page has the person's menu", url)
			}
			fits(fmt.Sprintf("%s at %d px", url, width))
		}
	}
}
