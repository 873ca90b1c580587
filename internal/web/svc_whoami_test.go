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
	"selfdata/internal/money"
	"selfdata/internal/services"
	"selfdata/internal/services/whoami"
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
		{"fr", []string{"Vous habitez 18 rue Paul Bert, 69003 Lyon.", "Votre logement mesure 50\u00a0m²", fmt.Sprintf("le 14 mai 1991\u202f: vous avez %d ans", age),
			"le samedi matin", "Vous téléphonez surtout le soir", "Movistar", "Rhône Conseil SAS", "Keep Cool Part-Dieu", "6 dépenses de santé", "Assurance Maladie\u202f: Soin de santé (6 enregistrements)"}},
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
		if e.Doctype != "*" && !slices.Contains(kept, e.Doctype) || e.Refused { // "*": the list of series
			t.Errorf("logged: %s on %s (refused %v)", e.ActorName, e.Doctype, e.Refused)
		}
	}
}

// TestWhoAmIWords: every sentence the service can state is written in both languages with
// all its values, including those the demo does not give.
func TestWhoAmIWords(t *testing.T) {
	ts := newTestServer(t)
	day := time.Date(2025, 5, 1, 0, 0, 0, 0, displayZone())
	txt := func(s string) whoami.Arg { return whoami.Arg{Kind: whoami.Text, Text: s} }
	n := func(k int64, noun string) whoami.Arg { return whoami.Arg{Kind: whoami.Count, N: k, Noun: noun} }
	eur := whoami.Arg{Kind: whoami.Money, Amount: money.MustParse("1234.50"), Currency: "EUR"}
	date := whoami.Arg{Kind: whoami.Date, Time: day}
	pct := whoami.Arg{Kind: whoami.Percent, N: 40}
	dur := whoami.Arg{Kind: whoami.Duration, Duration: 90 * time.Minute}
	h := func(k int64) whoami.Arg { return whoami.Arg{Kind: whoami.Hour, N: k} }
	cat := whoami.Arg{Kind: whoami.Enum, Text: "cat.housing"}
	for _, c := range []struct {
		key  string
		args []whoami.Arg
		en   string
		fr   string
	}{
		{"household.identity", []whoami.Arg{txt("Camille"), date, n(34, "year")}, "You are Camille, born on 1 May 2025: you are 34 years old.", "Vous êtes Camille\u202f; votre date de naissance est le 1er mai 2025\u202f: vous avez 34 ans."},
		{"household.name", []whoami.Arg{txt("Camille")}, "Your name is Camille.", "Vous vous appelez Camille."},
		{"household.contracts", []whoami.Arg{n(1, "contract"), n(1, "organization"), {Kind: whoami.List, List: []string{"EDF"}}}, "You have 1 contract with 1 organization: EDF.", "Vous avez 1 contrat avec 1 organisme\u202f: EDF."},
		{"household.car", []whoami.Arg{txt("Clio"), txt("MAIF")}, "", ""},
		{"home.address", []whoami.Arg{txt("1 rue A")}, "", ""},
		{"home.surface", []whoami.Arg{{Kind: whoami.Area, Text: "62.5"}}, "Your home measures 62.5\u00a0m².", "Votre logement mesure 62,5\u00a0m²."},
		{"home.cost", []whoami.Arg{eur, {Kind: whoami.Enum, Text: "val.month"}, txt("GLH")}, "Your home costs you €1,234.50 a month, paid to GLH.", "Votre logement vous coûte 1\u202f234,50\u00a0€ par mois, versés à GLH."},
		{"home.since", []whoami.Arg{{Kind: whoami.Month, Time: day}}, "You have lived there since May 2025 at least.", "Vous y habitez depuis mai 2025 au moins."},
		{"home.meters", []whoami.Arg{n(2, "meter"), {Kind: whoami.Enums, List: []string{"val.gas", "val.water"}}}, "Your home has 2 meters: gas and water.", "Votre logement a 2 compteurs\u202f: gaz et eau."},
		{"home.gas", []whoami.Arg{txt("GRDF")}, "", ""},
		{"habits.empty", []whoami.Arg{h(8), h(19), n(20, "weekday")}, "On weekdays, from 08:00 to 19:00, your electricity use stays near its night-time level: your home is probably empty then (from 20 weekdays).",
			"En semaine, de 8\u00a0h à 19\u00a0h, votre consommation d'électricité reste proche de son niveau de la nuit\u202f: votre logement est sans doute vide à ces heures-là (d'après 20 jours de semaine)."},
		{"habits.home", []whoami.Arg{h(19), h(24), n(1, "weekday")}, "On weekdays, from 19:00 to midnight, your electricity use is high: you are usually home then (from 1 weekday).",
			"En semaine, de 19\u00a0h à minuit, votre consommation d'électricité est élevée\u202f: vous êtes sans doute chez vous à ces heures-là (d'après 1 jour de semaine)."},
		{"habits.out", []whoami.Arg{{Kind: whoami.Slot, N: 2, Part: 3}, n(4, "visit")}, "You are often away from home on Tuesday evenings: 4 visits recorded then.", "Vous êtes souvent hors de chez vous le mardi soir\u202f: 4 visites notées à ce moment-là."},
		{"habits.calls", []whoami.Arg{{Kind: whoami.Part, Part: 1}, pct, dur, n(1, "call")}, "You call mostly in the morning: 40% of your 1\u00a0h\u00a030\u00a0min on the phone (1 call).", "Vous téléphonez surtout le matin\u202f: 40\u202f% de vos 1\u00a0h\u00a030\u00a0min au téléphone (1 appel)."},
		{"habits.contact", []whoami.Arg{txt("+33 6 •• •• 15 88"), n(2, "exchange"), pct}, "", ""},
		{"habits.abroad", []whoami.Arg{date, date, n(1, "day")}, "", ""},
		{"habits.abroad.network", []whoami.Arg{date, date, n(2, "day"), txt("Movistar")}, "", ""},
		{"spending.monthly", []whoami.Arg{eur, n(12, "month"), date, date}, "", ""},
		{"spending.top1", []whoami.Arg{cat, eur, pct}, "Your biggest expense: housing (€1,234.50, 40% of the total).", "Votre plus grosse dépense\u202f: logement (1\u202f234,50\u00a0€, 40\u202f% du total)."},
		{"spending.top2", []whoami.Arg{cat, eur, pct, {Kind: whoami.Enum, Text: "cat.unheard-of"}, eur, pct}, "Your biggest expenses: housing (€1,234.50, 40% of the total) and unheard-of (€1,234.50, 40%).", ""},
		{"spending.top3", []whoami.Arg{cat, eur, pct, cat, eur, pct, cat, eur, pct}, "", ""},
		{"spending.income", []whoami.Arg{txt("ACME"), eur, n(3, "month")}, "", ""},
		{"spending.accounts", []whoami.Arg{n(1, "account"), n(1, "bank"), {Kind: whoami.List, List: []string{"LBP"}}}, "", ""},
		{"spending.savings", []whoami.Arg{eur}, "", ""},
		{"spending.bills", []whoami.Arg{n(3, "bill"), n(1, "organization"), {Kind: whoami.List, List: []string{"EDF"}}}, "", ""},
		{"places.most", []whoami.Arg{txt("Gym"), n(1, "visit")}, "", ""},
		{"places.most.time", []whoami.Arg{txt("Gym"), n(3, "visit"), dur}, "", ""},
		{"places.also", []whoami.Arg{txt("Gym"), n(1, "visit")}, "", ""},
		{"places.also.time", []whoami.Arg{txt("Gym"), n(3, "visit"), dur}, "", ""},
		{"places.work", []whoami.Arg{txt("Office")}, "", ""},
		{"places.work.address", []whoami.Arg{txt("Office"), txt("1 bd X")}, "", ""},
		{"health.claims", []whoami.Arg{n(1, "claim"), eur, date, date}, "You had 1 health expense from 1 May 2025 to 1 May 2025, €1,234.50 in all.", "Vous avez eu 1 dépense de santé du 1er mai 2025 au 1er mai 2025, 1\u202f234,50\u00a0€ en tout."},
		{"health.providers", []whoami.Arg{n(2, "provider"), {Kind: whoami.List, List: []string{"Dr A", "Dr B"}}}, "", ""},
	} {
		for _, lg := range []string{"en", "fr"} {
			got := ts.srv.whoamiStatement(whoami.Statement{Key: c.key, Args: c.args}, lg).Text
			want := map[string]string{"en": c.en, "fr": c.fr}[lg]
			switch {
			case got == "whoami."+c.key || strings.Contains(got, "%!") || strings.Contains(got, "whoami.") || strings.Contains(got, "val.") || strings.Contains(got, "cat."):
				t.Errorf("%s %s: %q", lg, c.key, got)
			case want != "" && got != want:
				t.Errorf("%s %s:\n got %q\nwant %q", lg, c.key, got, want)
			}
		}
	}
}
