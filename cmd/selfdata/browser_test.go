package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"golang.org/x/oauth2"

	"selfdata/internal/consent"
	"selfdata/internal/doctype"
	"selfdata/internal/importer/samples"
	"selfdata/internal/services"
	"selfdata/internal/store"
	"selfdata/internal/web"
)

// TestBrowser walks the pages the way a person does, in a real headless Chromium, against
// the demo served exactly like `selfdata demo`. It skips when Chromium is not installed;
// .ci/run installs it and checks that this test passed.
//
// The steps share one browser tab and one session, in order: each step starts by
// navigating to the page it checks and waits for what it looks for, never for a fixed time.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	chromium := findChromium(t)
	base, st, reg := startDemo(t)
	b := newBrowser(t, chromium)

	loggedIn := t.Run("login", func(t *testing.T) {
		b.open(t, base+"/login")
		b.do(t,
			chromedp.SendKeys(chromedp.ID("instance"), demoName),
			chromedp.SendKeys(chromedp.ID("passphrase"), demoPassphrase),
		)
		b.submit(t, chromedp.CSS(`form[action="/login"] button[type=submit]`))
		if u := b.location(t); u != base+"/" {
			t.Fatalf("after logging in the browser is at %s, want the home page %s/", u, base)
		}
	})
	if !loggedIn {
		t.FailNow() // every other step needs the session
	}

	t.Run("home shows who has what", func(t *testing.T) {
		main := b.open(t, base+"/")
		for _, want := range []string{"Who has what on me", "Enedis", "GRDF", "La Banque Postale", "Orange",
			"Operating the electricity network", "a legal obligation", "Bank operation"} {
			if !strings.Contains(main, want) {
				t.Errorf("the home page does not show %q", want)
			}
		}
		if n := b.count(t, "section.card h2"); n < 10 {
			t.Errorf("the home page has %d cards, want one per demo organization (10)", n)
		}
	})

	// The home page is read at a glance: on a desktop, before any card is opened, it is at
	// most two screens high, in both languages. On a phone it is longer; its height is told.
	t.Run("home at a glance", func(t *testing.T) {
		height := func() int {
			n, err := strconv.Atoi(b.eval(t, `String(document.documentElement.scrollHeight)`))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		defer b.do(t, chromedp.EmulateReset())
		for _, lang := range []string{"fr", "en"} {
			b.do(t, chromedp.EmulateViewport(1280, 900))
			b.open(t, base+"/?lang="+lang)
			if h := height(); h > 1800 {
				t.Errorf("in %s at 1280×900 the home page is %d px high, want at most 1800 (two screens)", lang, h)
			} else {
				t.Logf("in %s at 1280×900 the home page is %d px high", lang, h)
			}
			b.do(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
			b.open(t, base+"/?lang="+lang)
			t.Logf("in %s at 390×844 the home page is %d px high", lang, height())
		}
	})

	t.Run("chart", func(t *testing.T) {
		b.open(t, base+"/charts/electricity")
		if n := b.count(t, "main svg"); n == 0 {
			t.Fatal("/charts/electricity has no <svg>")
		}
		title := b.eval(t, `Array.from(document.querySelectorAll("main svg title")).map(e => e.textContent.trim()).filter(s => s).join(" | ")`)
		if title == "" {
			t.Error("the chart's <svg> has no <title> naming what it shows")
		}
	})

	t.Run("import a bank statement", func(t *testing.T) {
		file := samples.Path(t, "bank/checking.ofx")
		abs, err := filepath.Abs(file)
		if err != nil {
			t.Fatal(err)
		}
		b.open(t, base+"/import")
		b.do(t,
			chromedp.SetUploadFiles(chromedp.CSS(`main input[type=file]`), []string{abs}),
			chromedp.Click(chromedp.CSS(`main form:has(input[type=file]) button:not([type=button]):not([type=reset])`)),
		)
		// The page may send the file by script (to show progress) or as a plain form post:
		// wait for the report either way rather than for a navigation.
		report := b.waitText(t, "The file was imported.", "The file was refused.")
		if !regexp.MustCompile(`[1-9][0-9]* new records?`).MatchString(report) || !strings.Contains(report, "Bank operation") {
			t.Errorf("after the upload the page does not report the bank operations checking.ofx brought:\n%s", clip(report))
		}
		// The file's operations are listed with the bank operations, attributed to the
		// upload: filter the list by that source, as a person would to see what came from it.
		b.open(t, base+"/data/bank.operation")
		upload := b.eval(t, `(Array.from(document.querySelectorAll("main select#source option")).find(o => o.text.startsWith("Files you imported")) || {value: ""}).value`)
		if upload == "" {
			t.Fatalf("/data/bank.operation offers no \"Files you imported\" source to filter by")
		}
		b.do(t, chromedp.SetValue(chromedp.ID("source"), upload))
		list := b.submit(t, chromedp.CSS(`main form:has(select#source) button[type=submit]`))
		const label = "AUTOMATIC WITHDRAWAL, ELECTRIC BILL" // a <NAME> in checking.ofx
		if !strings.Contains(list, label) || !strings.Contains(list, "checking.ofx") {
			t.Errorf("the bank operations from the imported file do not list %q with its source checking.ofx:\n%s", label, clip(list))
		}
	})

	// The import policy: a well-formed file with a record that cannot be mapped imports the
	// rest, and the report lists the record left out, where and why.
	t.Run("import a file with a record left out", func(t *testing.T) {
		abs := filepath.Join(t.TempDir(), "remboursements.json")
		bundle := `{"resourceType": "Bundle", "type": "searchset", "entry": [
{"resource": {"resourceType": "ExplanationOfBenefit", "id": "demo-ok", "created": "2026-02-01", "total": [{"amount": {"value": 25}}], "payment": {"amount": {"value": 17.5}}}},
{"resource": {"resourceType": "ExplanationOfBenefit", "id": "demo-bad", "created": "2026-02-30", "total": [{"amount": {"value": 30}}]}}
]}`
		if err := os.WriteFile(abs, []byte(bundle), 0o600); err != nil {
			t.Fatal(err)
		}
		b.open(t, base+"/import")
		b.do(t,
			chromedp.SetUploadFiles(chromedp.CSS(`main input[type=file]`), []string{abs}),
			chromedp.Click(chromedp.CSS(`main form:has(input[type=file]) button:not([type=button]):not([type=reset])`)),
		)
		report := b.waitText(t, "The file was imported.", "The file was refused.")
		for _, want := range []string{"The file was imported.", "1 record of the file left out", "line 3, entry[1].resource", "a value cannot be read (entry[1].resource.created)"} {
			if !strings.Contains(report, want) {
				t.Errorf("the report of a file with an unmappable claim lacks %q:\n%s", want, clip(report))
			}
		}
	})

	// A bank CSV whose columns cannot be guessed: the page shows its first rows and asks
	// them once; the bank's next export of the same layout imports at once. On a phone the
	// preview scrolls inside its card, and the page does not.
	t.Run("a bank CSV's columns are confirmed once", func(t *testing.T) {
		defer b.do(t, chromedp.EmulateReset())
		b.do(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		upload := func(name string) string {
			abs, err := filepath.Abs(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			b.open(t, base+"/import?lang=en")
			b.do(t,
				chromedp.SetUploadFiles(chromedp.CSS(`main input[type=file]`), []string{abs}),
				chromedp.Click(chromedp.CSS(`main form:has(input[type=file]) button:not([type=button]):not([type=reset])`)),
			)
			return b.waitText(t, "The file was imported.", "Which column holds what?", "The file was refused.")
		}
		if page := upload("bank-odd-1.csv"); !strings.Contains(page, "Which column holds what?") {
			t.Fatalf("a bank CSV of unknown columns is not asked about:\n%s", clip(page))
		}
		if n := b.count(t, `main .import-preview tr.preamble`); n != 1 {
			t.Errorf("%d preamble rows dimmed in the preview, want 1", n)
		}
		if wide := b.eval(t, `String(document.documentElement.scrollWidth > window.innerWidth)`); wide != "false" {
			t.Errorf("the columns form makes the phone's page scroll sideways")
		}
		b.do(t,
			chromedp.SetValue(chromedp.ID("col-date"), "0"),
			chromedp.SetValue(chromedp.ID("col-label"), "1"),
			chromedp.SetValue(chromedp.ID("col-amount"), "2"),
			chromedp.SetValue(chromedp.ID("col-balance"), "3"),
			chromedp.SendKeys(chromedp.ID("col-bank"), "Banque Exemple"),
		)
		report := b.submit(t, chromedp.CSS(`main form[action="/import/columns"] button[type=submit]`))
		for _, want := range []string{"The file was imported.", "These columns are remembered for Banque Exemple"} {
			if !strings.Contains(report, want) {
				t.Errorf("the report of the confirmed columns lacks %q:\n%s", want, clip(report))
			}
		}
		report = upload("bank-odd-2.csv")
		for _, want := range []string{"The file was imported.", "Columns as you set them for Banque Exemple", "change them"} {
			if !strings.Contains(report, want) {
				t.Errorf("the bank's next export: the report lacks %q:\n%s", want, clip(report))
			}
		}
	})

	t.Run("revoke a connection", func(t *testing.T) {
		const org, name = "orange", "Orange"
		b.open(t, base+"/connections")
		if group := b.connectionGroup(t, name); group != "Connected" {
			t.Errorf("before Revoke, %s is listed under %q, want Connected", name, group)
		}
		id := b.connection(t, org).ID
		revoke := fmt.Sprintf(`a[href="/connections?confirm=%s&action=revoke"]`, id)
		if b.count(t, revoke) != 1 {
			t.Fatalf("/connections has no Revoke button for %s's active connection %s", name, id)
		}
		// Revoke asks first, and says what will happen; only its form revokes.
		ask := b.submit(t, chromedp.CSS(revoke))
		if !strings.Contains(ask, "Revoke the connection with "+name+"?") || !strings.Contains(ask, "What "+name+" already deposited stays in your store") {
			t.Errorf("Revoke's confirmation says:\n%s", clip(ask))
		}
		if c := b.connection(t, org); c.State != "active" {
			t.Errorf("the confirmation alone left %s's connection %q, want active", name, c.State)
		}
		page := b.submit(t, chromedp.CSS(fmt.Sprintf(`form[action="/connections/%s/revoke"] button`, id)))
		if !strings.Contains(page, "The connection is revoked") {
			t.Errorf("after Revoke, /connections does not confirm it:\n%s", clip(page))
		}
		if group := b.connectionGroup(t, name); group != "Ended" {
			t.Errorf("after Revoke, %s is listed under %q, want Ended (no longer Connected)", name, group)
		}
		if state := b.eval(t, `document.getElementById("conn-`+id+`")?.closest("section")?.querySelector(".conn-state")?.innerText ?? ""`); !strings.Contains(state, "Revoked") {
			t.Errorf("after Revoke, %s's connection says %q, want Revoked", name, state)
		}
		if b.count(t, revoke) != 0 {
			t.Errorf("after Revoke, /connections still offers to revoke %s's connection", name)
		}
		if c := b.connection(t, org); c.State != "revoked" {
			t.Errorf("after Revoke, the API says %s's connection is %q, want revoked", name, c.State)
		}
	})

	t.Run("consent to a service on a phone", func(t *testing.T) {
		// The service: a public client whose callback exchanges the code (PKCE) and reads.
		verifier := oauth2.GenerateVerifier()
		var cfg oauth2.Config
		svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tok, err := cfg.Exchange(r.Context(), r.URL.Query().Get("code"), oauth2.VerifierOption(verifier))
			if err != nil {
				fmt.Fprintf(w, "<main>exchange failed: %v</main>", err)
				return
			}
			api := cfg.Client(r.Context(), tok)
			fmt.Fprint(w, "<main>Connected.")
			for _, dt := range []string{"bill", "contract"} {
				if res, err := api.Get(base + "/api/v1/data/" + dt); err == nil {
					fmt.Fprintf(w, " %s: %d.", dt, res.StatusCode)
					res.Body.Close()
				}
			}
			fmt.Fprint(w, "</main>")
		}))
		defer svc.Close()
		cfg = oauth2.Config{ClientID: "kilowatt", RedirectURL: svc.URL + "/callback", Scopes: []string{"bill:read", "contract:read"},
			Endpoint: oauth2.Endpoint{AuthURL: base + "/oauth/authorize", TokenURL: base + "/oauth/token"}}
		if _, _, err := consent.NewServices(st, reg).Add(context.Background(), store.Service{ID: "kilowatt", Name: "Kilowatt", Company: "Kilowatt SAS",
			Description: "Tells you which of your bills could be lower.", PrivacyPolicy: "https://kilowatt.example/privacy", Public: true,
			RedirectURIs: []string{cfg.RedirectURL}, Access: store.ServiceAccess{Doctypes: []string{"bill", "contract"}, Verbs: []string{"read"},
				Purpose: "dpv:OptimisationForConsumer", LegalBasis: "consent", Retention: "90 days", RetentionDays: 90}}); err != nil {
			t.Fatal(err)
		}

		b.do(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		defer b.do(t, chromedp.EmulateReset())
		screen := b.open(t, cfg.AuthCodeURL("kw-state-0123456789", oauth2.S256ChallengeOption(verifier)))
		for _, want := range []string{"Kilowatt", "Bill", "Contract", "What this can reveal about you", "To help you use less or pay less"} {
			if !strings.Contains(screen, want) {
				t.Errorf("the consent screen does not say %q", want)
			}
		}
		if wide := b.eval(t, `String(document.documentElement.scrollWidth > window.innerWidth)`); wide != "false" {
			t.Errorf("the consent screen is wider than a phone's screen")
		}
		b.do(t, chromedp.Click(chromedp.CSS(`input[name=doctype][value=contract]`)))
		back := b.submit(t, chromedp.CSS(`button[name=decision][value=approve]`))
		if !strings.Contains(back, "bill: 200.") || !strings.Contains(back, "contract: 403.") {
			t.Errorf("after allowing bills only, the service says:\n%s", clip(back))
		}

		// On the consents page, still on the phone: the alert, what Kilowatt read and tried,
		// and the button that withdraws the consent.
		page := b.open(t, base+"/consents")
		for _, want := range []string{"New alerts", "Kilowatt read your data for the first time (Bill).", "What Kilowatt did with your data", "Refused attempts", "Withdraw my consent"} {
			if !strings.Contains(page, want) {
				t.Errorf("the consents page does not say %q", want)
			}
		}
		if wide := b.eval(t, `String(document.documentElement.scrollWidth > window.innerWidth)`); wide != "false" {
			t.Errorf("the consents page is wider than a phone's screen")
		}
		ask := b.submit(t, chromedp.CSS(`#svc-kilowatt a[href^="/consents?confirm="]`))
		if !strings.Contains(ask, "Withdraw your consent to Kilowatt?") {
			t.Errorf("Withdraw's confirmation says:\n%s", clip(ask))
		}
		if wide := b.eval(t, `String(document.documentElement.scrollWidth > window.innerWidth)`); wide != "false" {
			t.Errorf("the withdrawal's confirmation is wider than a phone's screen")
		}
		done := b.submit(t, chromedp.CSS(`form[action$="/withdraw"] button`))
		if !strings.Contains(done, "Your consent is withdrawn") || strings.Contains(done, "New alerts") {
			t.Errorf("after withdrawing, the page says:\n%s", clip(done))
		}
	})

	t.Run("every service page", func(t *testing.T) {
		// Each built-in service the demo person switched on, in both languages, on a desktop
		// and on a phone: its own page (not the "off" one), in the page's language, with no
		// text key or template slip showing and nothing wider than the screen.
		defer b.do(t, chromedp.EmulateReset())
		slips := regexp.MustCompile(`svc\.selfdata-|<no value>|%!|NaN|\{\{|Infinity`)
		for _, d := range services.Catalog() {
			for _, width := range []int64{1280, 390} {
				if width == 390 {
					b.do(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
				} else {
					b.do(t, chromedp.EmulateReset())
				}
				for _, lg := range []string{"en", "fr"} {
					url := fmt.Sprintf("%s/services/%s?lang=%s", base, d.ID, lg)
					main := b.open(t, url)
					if got := b.eval(t, `document.documentElement.lang`); got != lg {
						t.Errorf("%s: the page's language is %q", url, got)
					}
					if strings.Contains(main, "This service is off") || strings.Contains(main, "Ce service est désactivé") {
						t.Errorf("%s: the demo person switched it on, yet the page says it is off", url)
					}
					if m := slips.FindString(main); m != "" {
						t.Errorf("%s (%d px): the page shows %q:\n%s", url, width, m, clip(main))
					}
					if h1 := b.eval(t, `document.querySelector("main h1")?.innerText ?? ""`); h1 == "" {
						t.Errorf("%s: no heading", url)
					}
					if wide := b.eval(t, `String(document.documentElement.scrollWidth > window.innerWidth)`); wide != "false" {
						t.Errorf("%s: wider than a %d px screen", url, width)
					}
				}
			}
		}
	})

	t.Run("every page in both languages passes axe-core", func(t *testing.T) {
		b.checkEveryPage(t, base)
	})

	t.Run("switch a service off", func(t *testing.T) {
		id := services.Communication
		b.open(t, base+"/consents?lang=en")
		b.submit(t, chromedp.CSS(`#svc-`+id+` a[href^="/consents?confirm="]`))
		done := b.submit(t, chromedp.CSS(`form[action$="/withdraw"] button`))
		if !strings.Contains(done, "Your consent is withdrawn") {
			t.Errorf("after withdrawing, the consents page says:\n%s", clip(done))
		}
		if off := b.open(t, base+"/services/"+id); !strings.Contains(off, "This service is off") {
			t.Errorf("after withdrawing, the service's page says:\n%s", clip(off))
		}
	})

	t.Run("french", func(t *testing.T) {
		b.open(t, base+"/")
		main := b.submit(t, chromedp.CSS(`nav.langs a[lang=fr]`))
		if lang := b.eval(t, `document.documentElement.lang`); lang != "fr" {
			t.Errorf("after choosing Français the page's language is %q", lang)
		}
		for _, want := range []string{"Qui a quoi sur moi", "Ce qu'il détient", "une obligation légale"} {
			if !strings.Contains(main, want) {
				t.Errorf("the French home page does not say %q", want)
			}
		}
		// The choice is remembered on the next page.
		b.open(t, base+"/connections")
		if nav := b.eval(t, `document.querySelector("nav.menu").textContent`); !strings.Contains(nav, "Mes données") {
			t.Errorf("the menu of the next page is not in French: %q", nav)
		}
	})

	t.Run("no page scrolls sideways", func(t *testing.T) {
		// Each main page, on a phone (390×844) and a desktop (1280×900), in both languages:
		// nothing makes the page wider than the screen (wide tables turn into cards or scroll
		// in their own box); on the phone the header is one line, so the content starts near
		// the top, and the "Menu" disclosure opens from the keyboard.
		defer b.do(t, chromedp.EmulateReset())
		b.open(t, base+"/data?lang=en")
		list := b.eval(t, `document.querySelector('main a[href^="/data/"]')?.getAttribute("href") ?? ""`)
		if list == "" {
			t.Fatal("/data links to no list")
		}
		b.open(t, base+list)
		record := b.eval(t, `Array.from(document.querySelectorAll('main a[href^="/data/"]')).map(a => a.getAttribute("href")).find(h => h.split("/").length > 3) ?? ""`)
		if record == "" {
			t.Fatalf("%s links to no record", list)
		}
		paths := []string{"/", "/data", list, record, "/search?q=EDF", "/charts", "/charts/electricity", "/import",
			"/connections", "/consents", "/access-log", "/settings", "/services"}
		for _, d := range services.Catalog() {
			paths = append(paths, "/services/"+d.ID)
		}
		for _, width := range []int64{390, 1280} {
			if width == 390 {
				b.do(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
			} else {
				b.do(t, chromedp.EmulateViewport(1280, 900))
			}
			for _, lg := range []string{"fr", "en"} {
				for _, p := range paths {
					sep := "?"
					if strings.Contains(p, "?") {
						sep = "&"
					}
					url := base + p + sep + "lang=" + lg
					b.open(t, url)
					if wide := b.eval(t, `String(document.documentElement.scrollWidth <= window.innerWidth)`); wide != "true" {
						sizes := b.eval(t, `document.documentElement.scrollWidth + " > " + window.innerWidth`)
						t.Errorf("%s at %d px: the page scrolls sideways (%s)", url, width, sizes)
					}
					// The access log's and the consents' tables fit their box: cards on a phone.
					if cut := b.eval(t, `Array.from(document.querySelectorAll("main table.table-cards")).filter(t => t.getBoundingClientRect().width > t.parentElement.clientWidth + 1).map(t => t.caption?.textContent.trim()).join("; ")`); cut != "" {
						t.Errorf("%s at %d px: the table %q is cut at the right", url, width, cut)
					}
					if width != 390 {
						continue
					}
					if top := b.eval(t, `(t => t <= 120 ? "" : String(t))(Math.round(document.querySelector("main").getBoundingClientRect().top))`); top != "" {
						t.Errorf("%s at 390 px: the content starts %s px down, want within 120", url, top)
					}
				}
			}
		}
		// The phone's menu: closed, then opened from the keyboard on its summary.
		b.do(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		b.open(t, base+"/?lang=en")
		if shown := b.eval(t, `String(document.querySelector('nav.menu a[href="/settings"]').checkVisibility())`); shown != "false" {
			t.Error("on a phone the menu is open before it is asked for")
		}
		b.do(t, chromedp.Focus(chromedp.CSS("details.menu-toggle > summary")), chromedp.KeyEvent("\r"))
		if shown := b.eval(t, `String(document.querySelector('nav.menu a[href="/settings"]').checkVisibility())`); shown != "true" {
			t.Error("Enter on the menu's summary does not show the menu")
		}
	})
}

// findChromium returns the browser to drive, or skips the test.
func findChromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("Chromium is not installed (apt-get install chromium); .ci/run installs it and runs the browser tests")
	return ""
}

// startDemo seeds the demo person in a fresh data directory and serves it like
// `selfdata demo`, on a free port, until the test ends. It returns the base URL, and the
// store and registry the server uses (for the operator's part of a step).
func startDemo(t *testing.T) (string, store.Store, *doctype.Registry) {
	ctx, cancel := context.WithCancel(context.Background())
	var f serverFlags
	f.data = t.TempDir()
	f.maxBody, f.maxFile = web.DefaultConfig.MaxBodyBytes, web.DefaultConfig.MaxFileBytes
	st, reg, err := f.openIndexed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	e := env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: logs}
	if err := seedDemo(ctx, st, reg, e); err != nil {
		st.Close()
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, st, reg, f, e) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		st.Close()
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return "http://" + ln.Addr().String(), st, reg
}

// browser is one headless Chromium with one tab.
type browser struct{ ctx context.Context }

// stepTimeout bounds one step (a navigation, a click, a read). Pages answer in
// milliseconds; the margin is for a loaded CI machine, and a hung step fails rather than
// hanging the test run.
const stepTimeout = 30 * time.Second

func newBrowser(t *testing.T, chromium string) *browser {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox, // CI runs as root, where Chromium refuses its sandbox
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	// Start the browser with a context that has no deadline: the first run binds the
	// browser's life to its context. Starting takes a few seconds on a cold machine.
	start := time.Now()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", chromium, err)
	}
	t.Logf("%s started in %s", chromium, time.Since(start).Round(time.Millisecond))
	// A page that asks for confirmation (a Revoke button may) is answered yes, so a
	// dialog cannot block a click until the step times out.
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	return &browser{ctx: ctx}
}

// step is a context for one step, with its own deadline and the browser kept open.
func (b *browser) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, stepTimeout)
}

// do runs actions that return nothing.
func (b *browser) do(t *testing.T, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("in the browser at %s: %v", b.location(t), err)
	}
}

// open navigates to url, requires a 200, and returns the text of <main>.
func (b *browser) open(t *testing.T, url string) string {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return b.loaded(t, "GET "+url, res.Status)
}

// submit clicks what sel selects (a submit button, a link), waits for the page it leads
// to, requires a 200 (after redirects), and returns the text of <main>.
func (b *browser) submit(t *testing.T, sel chromedp.CSS) string {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.Click(sel))
	if err != nil {
		t.Fatalf("clicking %s at %s: %v", sel, b.location(t), err)
	}
	return b.loaded(t, "clicking "+string(sel), res.Status)
}

func (b *browser) loaded(t *testing.T, what string, status int64) string {
	t.Helper()
	main := b.eval(t, `(document.querySelector("main") || document.body).innerText`)
	if status != 200 {
		t.Fatalf("%s: HTTP %d, want 200; the page says:\n%s", what, status, clip(main))
	}
	return main
}

// waitText waits until the text of <main> contains one of wants, and returns it. It polls
// rather than waiting for one navigation, so it works whether the page changes by a form
// post, a redirect or a script; an evaluation that fails while a page is replaced is retried.
func (b *browser) waitText(t *testing.T, wants ...string) string {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	var text string
	var err error
	for {
		text, err = chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("main") || document.body || {innerText: ""}).innerText`))
		for _, w := range wants {
			if err == nil && strings.Contains(text, w) {
				return text
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("waited %s for the page to say one of %q; it says (err %v):\n%s", stepTimeout, wants, err, clip(text))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// eval evaluates a JavaScript expression that yields a string.
func (b *browser) eval(t *testing.T, js string) string {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return s
}

// count is how many elements a CSS selector matches now, without waiting.
func (b *browser) count(t *testing.T, css string) int {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	js, _ := json.Marshal(css)
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%s).length`, js)))
	if err != nil {
		t.Fatalf("counting %s: %v", css, err)
	}
	return n
}

func (b *browser) location(t *testing.T) string {
	t.Helper()
	return b.eval(t, `location.href`)
}

// connection reads the person's connection to org from the API, with the browser's
// session, so the test names a connection by its organization and not by the page's text.
func (b *browser) connection(t *testing.T, org string) connectionJSON {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`fetch("/api/v1/connections").then(r => r.ok ? r.text() : Promise.reject(new Error("HTTP " + r.status)))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("GET /api/v1/connections: %v", err)
	}
	var list struct{ Items []connectionJSON }
	if err := json.Unmarshal([]byte(raw), &list); err != nil {
		t.Fatalf("GET /api/v1/connections: %v", err)
	}
	for _, c := range list.Items {
		if c.Org == org {
			return c
		}
	}
	t.Fatalf("the demo person has no connection to %s: %s", org, raw)
	return connectionJSON{}
}

// connectionGroup is the heading of the group of /connections (Asking to connect,
// Connected, Ended) that lists the organization called name, or "" when it is not listed.
func (b *browser) connectionGroup(t *testing.T, name string) string {
	t.Helper()
	js, _ := json.Marshal(name)
	return b.eval(t, fmt.Sprintf(`(() => {
		const h = Array.from(document.querySelectorAll("main section h3")).find(e => e.textContent.trim() === %s);
		for (let e = h && h.closest("section"); e; e = e.previousElementSibling) {
			if (e.tagName === "H2") return e.textContent.trim();
		}
		return "";
	})()`, js))
}

type connectionJSON struct {
	ID    string `json:"id"`
	Org   string `json:"organization"`
	State string `json:"state"`
}

// clip shortens a page's text for a failure message.
func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// syncBuffer collects the server's log from its goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
