package web

import (
	"html"
	"regexp"
	"testing"
)

// TestLanguageSwitchKeepsThePage: the switch leads to the same page with the same query —
// search words, chart step and date — and only lang changed.
func TestLanguageSwitchKeepsThePage(t *testing.T) {
	ts := newTestServer(t)
	link := regexp.MustCompile(`<a href="([^"]*)" lang="(fr|en)"`)
	for _, c := range []struct {
		as, path string
		status   int
		to       string // the language linked to
		want     string
	}{
		{"session:alice", "/search?q=facture+EDF&lang=en", 200, "fr", "/search?lang=fr&q=facture+EDF"},
		{"session:alice", "/charts/electricity?step=week&at=2026-03-02", 200, "fr", "/charts/electricity?at=2026-03-02&lang=fr&step=week"},
		{"session:alice", "/data?lang=fr", 200, "en", "/data?lang=en"},
		// A page that refuses what it was sent (an unknown code) does not repeat it.
		{"", "/relative/join?code=ABCD-EFGH", 404, "fr", "/relative/join?lang=fr"},
	} {
		res := ts.do(t, request{method: "GET", path: c.path, as: c.as})
		if res.status != c.status {
			t.Errorf("GET %s: %d, want %d", c.path, res.status, c.status)
			continue
		}
		got := ""
		for _, m := range link.FindAllStringSubmatch(res.body, -1) {
			if m[2] == c.to {
				got = html.UnescapeString(m[1])
			}
		}
		if got != c.want {
			t.Errorf("GET %s: the switch to %s leads to %q, want %q", c.path, c.to, got, c.want)
		}
	}
}
