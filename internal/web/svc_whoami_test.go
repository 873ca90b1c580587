package web

import (
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/store"
)

// whoamiSections cuts the page into its category sections, by category.
func whoamiSections(t *testing.T, body string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`(?s)<section class="card whoami" aria-labelledby="whoami-(\w+)-h">(.*?)</section>`).FindAllStringSubmatch(body, -1) {
		out[m[1]] = m[2]
	}
	if len(out) != 6 {
		t.Fatalf("%d sections: %v", len(out), out)
	}
	return out
}

var whoamiHref = regexp.MustCompile(`href="(/data/[^"]+)"`)

// TestWhoAmIDemo: the demo person's portrait states something in every category, in both
// languages; every statement links to records, and every link opens a page of records that
// exist; health carries the sensitive badge.
func TestWhoAmIDemo(t *testing.T) {
	ts := newTestServer(t)
	def, _ := services.Lookup(services.WhoAmI)
	_, _, get := insightDemo(t, ts, services.WhoAmI, def.Doctypes)
	// The page counts the demo person's age (born 14 May 1991) today.
	now := time.Now().In(displayZone())
	age := now.Year() - 1991
	if now.Before(time.Date(now.Year(), 5, 14, 0, 0, 0, 0, displayZone())) {
		age--
	}
	for _, c := range []struct {
		lang  string
		words []string
	}{
		{"en", []string{"You live at 18 rue Paul Bert, 69003 Lyon.", "Your home measures 50\u00a0m²", fmt.Sprintf("born on 14 May 1991: you are %d years old", age),
			"on Saturday mornings", "You call mostly in the evening", "Movistar", "Rhône Conseil SAS", "Keep Cool Part-Dieu", "6 health expenses", "Assurance Maladie: Health care expense (6 records)"}},
		{"fr", []string{"Vous habitez 18 rue Paul Bert, 69003 Lyon.", "Votre logement mesure 50\u00a0m²", fmt.Sprintf("le 14 mai 1991 : vous avez %d ans", age),
			"le samedi matin", "Vous téléphonez surtout le soir", "Movistar", "Rhône Conseil SAS", "Keep Cool Part-Dieu", "6 dépenses de santé", "Assurance Maladie : Soin de santé (6 enregistrements)"}},
	} {
		raw := get("/services/"+services.WhoAmI, c.lang)
		body := html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(raw, ""))
		for _, w := range c.words {
			if !strings.Contains(body, w) {
				t.Errorf("%s: no %q", c.lang, w)
			}
		}
		if strings.Contains(body, "%!") || strings.Contains(body, "whoami.") || strings.Contains(body, "val.") || strings.Contains(body, "cat.") {
			t.Errorf("%s: a text is missing or badly formatted", c.lang)
		}
		sensitive := html.UnescapeString(textIn(commonTexts, c.lang, "sensitive"))
		for cat, sec := range whoamiSections(t, raw) {
			items := strings.Count(sec, "<li>\n")
			if items == 0 {
				t.Errorf("%s: %s says nothing", c.lang, cat)
			}
			if n := strings.Count(sec, `<ul class="whoami-ev">`+"\n"+`        <li><strong>`); n != items {
				t.Errorf("%s: %s: %d statements, %d with records", c.lang, cat, items, n)
			}
			if has := strings.Contains(html.UnescapeString(sec), sensitive); has != (cat == "health") {
				t.Errorf("%s: %s: sensitive badge %v", c.lang, cat, has)
			}
		}
		if c.lang != "en" {
			continue
		}
		// Every link opens: a record, or a source's records of a doctype.
		seen := map[string]bool{}
		for _, m := range whoamiHref.FindAllStringSubmatch(raw, -1) {
			href := html.UnescapeString(m[1])
			if seen[href] {
				continue
			}
			seen[href] = true
			page := get(href, "en")
			if strings.Contains(href, "?source=") && !strings.Contains(page, `class="record`) {
				t.Errorf("%s lists no record", href)
			}
		}
		if len(seen) < 20 {
			t.Errorf("only %d distinct links", len(seen))
		}
	}
}

// TestWhoAmINarrowed: with health and visits unticked on the consent screen, the page says
// what it was not allowed to read, health says nothing, and the service asked the gate for
// neither.
func TestWhoAmINarrowed(t *testing.T) {
	ts := newTestServer(t)
	def, _ := services.Lookup(services.WhoAmI)
	kept := slices.DeleteFunc(slices.Clone(def.Doctypes), func(dt string) bool { return dt == "health.claim" || dt == "visit" })
	_, in, get := insightDemo(t, ts, services.WhoAmI, kept)
	body := html.UnescapeString(get("/services/"+services.WhoAmI, "en"))
	for _, w := range []string{"What it was not allowed to read", "you left these out: Visit and Health care expense",
		"You did not allow this service to read Health care expense, so it says nothing about this.", "Not read, as you chose: Visit."} {
		if !strings.Contains(body, w) {
			t.Errorf("no %q", w)
		}
	}
	secs := whoamiSections(t, body)
	if strings.Contains(secs["health"], "<li>") || strings.Contains(secs["places"], "visit") {
		t.Errorf("health or places speak of what was not read:\n%s\n%s", secs["health"], secs["places"])
	}
	log, err := ts.gate.AccessLog(bg, gate.Owner(in), store.LogQuery{Principal: string(gate.KindBuiltin), ActorID: def.ID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range log {
		if !slices.Contains(kept, e.Doctype) || e.Refused {
			t.Errorf("logged: %s on %s (refused %v)", e.ActorName, e.Doctype, e.Refused)
		}
	}
}
