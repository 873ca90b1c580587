package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"selfdata/internal/services"
	"selfdata/internal/web"
)

// axeScript is axe-core's browser build, which .ci/run installs from its npm package
// (.ci/axe/package.json); SELFDATA_AXE names another copy.
func axeScript(t *testing.T) string {
	path := os.Getenv("SELFDATA_AXE")
	if path == "" {
		path = filepath.Join("..", "..", ".ci", "axe", "node_modules", "axe-core", "axe.min.js")
	}
	js, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("axe-core is not installed (%v): `npm install --prefix .ci/axe` installs it, and .ci/run does", err)
	}
	return string(js)
}

// axeViolation is what the test reports of one axe-core rule a page breaks.
type axeViolation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// pagesToCheck are the demo person's pages, each as a path: the main menu's, one list and
// one record of each kind the demo has many of, a search, every chart and every service.
func (b *browser) pagesToCheck(t *testing.T, base string) []string {
	paths := []string{"/", "/data", "/search?q=EDF", "/charts", "/import", "/connections", "/consents", "/access-log", "/settings", "/services"}
	paths = append(paths, "/rights/requests", "/rights/requests/new?org=enedis", "/register")
	for _, kind := range []string{"electricity", "gas", "water"} {
		paths = append(paths, "/charts/"+kind)
	}
	for _, dt := range []string{"bill", "bank.operation", "health.claim", "telecom.record", "contract"} {
		paths = append(paths, "/data/"+dt)
		b.open(t, base+"/data/"+dt+"?lang=en")
		if href := b.eval(t, `document.querySelector("main a[href^='/data/`+dt+`/']")?.getAttribute("href") ?? ""`); href != "" {
			paths = append(paths, href)
		} else {
			t.Errorf("/data/%s lists no record to open", dt)
		}
	}
	for _, d := range services.Catalog() {
		paths = append(paths, "/services/"+d.ID)
	}
	return paths
}

// otherLanguage holds, per page language, the texts of the other language that must not
// show on its pages: the parts of each catalog entry between its verbs (%s, %d, …) that are
// long enough to be words of a sentence rather than a name, and that the entry's own
// language does not share.
func otherLanguage() map[string][]string {
	verbs := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)
	out := map[string]map[string]bool{"en": {}, "fr": {}}
	for _, v := range web.Catalog() {
		en, fr := v[0], v[1]
		if en == fr {
			continue
		}
		for i, lg := range []string{"fr", "en"} { // the other text of a French page is English, and back
			text, own := v[i], v[1-i]
			for _, part := range verbs.Split(text, -1) {
				part = strings.TrimSpace(part)
				if len(part) >= 18 && strings.Contains(part, " ") && !strings.Contains(own, part) {
					out[lg][part] = true
				}
			}
		}
	}
	lists := map[string][]string{}
	for lg, set := range out {
		for s := range set {
			lists[lg] = append(lists[lg], s)
		}
		sort.Strings(lists[lg])
	}
	return lists
}

// checkEveryPage loads each page in both languages, on a desktop and on a phone, and
// requires: axe-core finds no violation, no text of the other language shows, no catalog
// key shows in place of its text, and every link of the home page answers.
func (b *browser) checkEveryPage(t *testing.T, base string) {
	axe := axeScript(t)
	defer b.do(t, chromedp.EmulateReset())
	paths := b.pagesToCheck(t, base)
	other := otherLanguage()
	keys := regexp.MustCompile(`\b[a-z]+(\.[a-z_]+)+\.[a-z_]+\b`)
	catalog := web.Catalog()
	for _, width := range []int64{1280, 390} {
		if width == 390 {
			b.do(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		} else {
			b.do(t, chromedp.EmulateViewport(1280, 900))
		}
		for _, lg := range []string{"fr", "en"} {
			for _, path := range paths {
				sep := "?"
				if strings.Contains(path, "?") {
					sep = "&"
				}
				url := base + path + sep + "lang=" + lg
				b.open(t, url)
				where := fmt.Sprintf("%s (%s, %d px)", path, lg, width)
				text := b.eval(t, `document.body.innerText`)
				for _, s := range other[lg] {
					if strings.Contains(text, s) {
						t.Errorf("%s shows a text of the other language: %q", where, s)
					}
				}
				for _, k := range keys.FindAllString(text, -1) {
					if _, ok := catalog[k]; ok {
						t.Errorf("%s shows the catalog key %q instead of its text", where, k)
					}
				}
				b.axe(t, axe, where)
				if path == "/" {
					b.linksAnswer(t, where)
				}
			}
		}
	}
}

// axe injects axe-core into the page and fails the test with each violation it reports.
func (b *browser) axe(t *testing.T, script, where string) {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { if (!window.axe) { `+script+` }; return true })()`)); err != nil {
		t.Fatalf("%s: injecting axe-core: %v", where, err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: running axe-core: %v", where, err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatalf("%s: axe-core's answer: %v", where, err)
	}
	for _, v := range vs {
		var nodes []string
		for i, n := range v.Nodes {
			if i == 3 {
				nodes = append(nodes, fmt.Sprintf("… %d more", len(v.Nodes)-3))
				break
			}
			nodes = append(nodes, fmt.Sprintf("%v %s", n.Target, clip(n.HTML)))
		}
		t.Errorf("%s: axe-core %s: %s\n\t%s", where, v.ID, v.Help, strings.Join(nodes, "\n\t"))
	}
}

// linksAnswer follows every link of the page that stays on the site (the others are
// mailto: addresses) with the browser's session, and fails for each that does not answer
// 200 after redirects.
func (b *browser) linksAnswer(t *testing.T, where string) {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const hrefs = [...new Set([...document.querySelectorAll("a[href]")].map(a => a.getAttribute("href")))];
		const out = {checked: 0, bad: [], other: []};
		for (const h of hrefs) {
			if (h.startsWith("#")) continue;
			if (!h.startsWith("/")) { if (!h.startsWith("mailto:")) out.other.push(h); continue; }
			const r = await fetch(h, {credentials: "same-origin"});
			out.checked++;
			if (r.status !== 200) out.bad.push(h + " → " + r.status);
		}
		return JSON.stringify(out);
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: following its links: %v", where, err)
	}
	var res struct {
		Checked int
		Bad     []string
		Other   []string
	}
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	if res.Checked < 10 {
		t.Errorf("%s: only %d links to follow", where, res.Checked)
	}
	for _, b := range res.Bad {
		t.Errorf("%s links to %s", where, b)
	}
	for _, o := range res.Other {
		t.Errorf("%s links off the site, to %s", where, o)
	}
}
