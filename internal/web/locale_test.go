package web

import (
	"html"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"selfdata/internal/money"
	"selfdata/internal/store"
)

// TestPlurals: a count picks its form by the language's CLDR rules — French "one" is 0 and
// 1, English "one" is 1 alone — whatever design the text uses (keyed forms or "a|b").
func TestPlurals(t *testing.T) {
	all := texts()
	for _, tt := range []struct {
		lang string
		n    int64
		key  string
		want string
	}{
		{"fr", 0, "records", "0 enregistrement"},
		{"fr", 1, "records", "1 enregistrement"},
		{"fr", 2, "records", "2 enregistrements"},
		{"fr", 12345, "records", "12\u202f345 enregistrements"},
		{"en", 0, "records", "0 records"},
		{"en", 1, "records", "1 record"},
		{"en", 2, "records", "2 records"},
		{"en", 1234, "records", "1,234 records"},
		{"fr", 0, "readings", "0 relevé"},
		{"en", 1, "readings", "1 reading"},
		{"fr", 1, "home.pending", "organisme demande à se connecter à votre espace."},
		{"fr", 3, "home.pending", "organismes demandent à se connecter à votre espace."},
		{"en", 1, "home.pending", "organization asks to connect to your store."},
		{"en", 0, "home.pending", "organizations ask to connect to your store."},
		{"fr", 0, "search.count", "résultat pour"},
		{"en", 0, "search.count", "results for"},
		{"fr", 0, "map.visits", "0 visite"},
		{"en", 1, "map.visits", "1 visit"},
		{"en", 2, "map.visits", "2 visits"},
		{"fr", 1000000, "records", "1\u202f000\u202f000 enregistrements"}, // CLDR "many", told with "other"
	} {
		if got := countIn(all, tt.lang, tt.key, tt.n); got != tt.want {
			t.Errorf("%s %d %s: %q, want %q", tt.lang, tt.n, tt.key, got, tt.want)
		}
	}
	// The services' own choosers follow the same rules.
	for _, tt := range []struct{ got, want string }{
		{commCount("fr", "%s appel|%s appels", 0), "0 appel"},
		{commCount("en", "%s call|%s calls", 0), "0 calls"},
		{commCount("en", "%s call|%s calls", 1), "1 call"},
		{householdPlural("fr", "%d facture|%d factures", 0), "0 facture"},
		{householdPlural("en", "%d bill|%d bills", 0), "0 bills"},
		{energyDays("fr", 0), "0 jour"},
		{energyDays("en", 1), "1 day"},
		{energyDays("en", 3), "3 days"},
	} {
		if tt.got != tt.want {
			t.Errorf("%q, want %q", tt.got, tt.want)
		}
	}
}

// TestCountedTexts: every text a count is told with (tn in the templates, countIn, tn and
// the services' choosers in Go) has its "one" and its "other" form, each in both languages;
// a "one|other" text has both halves in both.
func TestCountedTexts(t *testing.T) {
	all := texts()
	uses := []*regexp.Regexp{
		regexp.MustCompile(`\btn (?:\$lang|\.Lang|\$\.Lang) "([^"]+)"`),
		regexp.MustCompile(`countIn\([^,()]+, [^,()]+, "([^"]+)"`),
		regexp.MustCompile(`\.tn\([^,()]+, "([^"]+)"`),
		regexp.MustCompile(`accPlural\([^,()]+, "([^"]+)"`),
		regexp.MustCompile(`\.count\([^,()]+, "([^"]+)"\)`),
	}
	counted := 0
	for _, dir := range []string{"templates", "."} {
		files, _ := os.ReadDir(dir)
		for _, f := range files {
			if f.IsDir() || strings.HasSuffix(f.Name(), "_test.go") {
				continue
			}
			b, _ := os.ReadFile(dir + "/" + f.Name())
			for _, re := range uses {
				for _, m := range re.FindAllStringSubmatch(string(b), -1) {
					counted++
					for _, form := range []string{".one", ".other"} {
						if v, ok := all[m[1]+form]; !ok || v[0] == "" || v[1] == "" {
							t.Errorf("%s counts with %q, which lacks its %s form", f.Name(), m[1], form)
						}
					}
				}
			}
		}
	}
	if counted < 5 {
		t.Errorf("only %d counted texts found: the patterns no longer match the code", counted)
	}
	for k, v := range all {
		for i, s := range v {
			if strings.Contains(s, "%") && strings.Count(s, "|") == 1 {
				if one, other, _ := strings.Cut(s, "|"); strings.TrimSpace(one) == "" || strings.TrimSpace(other) == "" {
					t.Errorf("%s (%d): a form is empty in %q", k, i, s)
				}
			}
		}
	}
}

// TestLocaleFormatters: one formatter per kind of value, in both languages.
func TestLocaleFormatters(t *testing.T) {
	amount := func(s string) money.Amount {
		a, err := money.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tt := range []struct {
		what     string
		en, fr   string
		in       func(lang string) string
		needZone bool
	}{
		{"integer", "1,234,567", "1\u202f234\u202f567", func(l string) string { return formatInt(1234567, l) }, false},
		{"small integer", "12", "12", func(l string) string { return formatInt(12, l) }, false},
		{"negative integer", "-1,234", "-1\u202f234", func(l string) string { return formatInt(-1234, l) }, false},
		{"decimal", "1,234.5", "1\u202f234,5", func(l string) string { return formatDecimal(1234.5, 1, l) }, false},
		{"money", "€23,503.68", "23\u202f503,68\u00a0€", func(l string) string { return formatAmount(amount("23503.68"), "EUR", l) }, false},
		{"small money", "€64.44", "64,44\u00a0€", func(l string) string { return formatAmount(amount("64.44"), "EUR", l) }, false},
		{"negative money", "-€8.50", "-8,50\u00a0€", func(l string) string { return formatAmount(amount("-8.5"), "EUR", l) }, false},
		{"money from text", "€61.20", "61,20\u00a0€", func(l string) string { return moneyText(l, "61.2", "EUR") }, false},
		{"size", "100\u00a0MB", "100\u00a0Mo", func(l string) string { return formatBytes(100<<20, l) }, false},
		{"size in KB", "256\u00a0KB", "256\u00a0Ko", func(l string) string { return formatBytes(256<<10, l) }, false},
		{"size in GB", "1.5\u00a0GB", "1,5\u00a0Go", func(l string) string { return formatBytes(3<<29, l) }, false},
		{"bytes", "512\u00a0B", "512\u00a0o", func(l string) string { return formatBytes(512, l) }, false},
		{"percent", "42.0%", "42,0\u202f%", func(l string) string { return formatPercent(42, 1, l) }, false},
		{"change", "+12.5%", "+12,5\u202f%", func(l string) string { return chartPercent(0.125, l) }, false},
		{"fall", "-3.0%", "-3,0\u202f%", func(l string) string { return chartPercent(-0.03, l) }, false},
		{"number of a template", "1,234", "1\u202f234", func(l string) string { return numText(1234, l) }, false},
		{"float of a template", "2.5", "2,5", func(l string) string { return numText(2.5, l) }, false},
		{"date", "29 Mar 2026", "29/03/2026", func(l string) string { return dayText(l, "2026-03-29") }, false},
		{"winter instant", "29 Mar 2026, 01:30", "29/03/2026 à 01:30", func(l string) string { return formatInstant(at("2026-03-29T00:30:00Z"), l) }, true},
		{"summer instant", "1 Jul 2026, 14:00", "01/07/2026 à 14:00", func(l string) string { return formatInstant(at("2026-07-01T12:00:00Z"), l) }, true},
		{"day of a late instant", "2 Jul 2026", "02/07/2026", func(l string) string { return formatDay(at("2026-07-01T22:30:00Z"), l) }, true},
		{"clock", "14:00", "14:00", func(string) string { return formatClock(at("2026-07-01T12:00:00Z")) }, true},
		{"colon", ":", "\u202f:", colonIn, false},
		{"sentence", "Total: 3; more?", "Total\u202f: 3\u202f; more\u202f?", func(l string) string { return punctuate(l, "Total : 3 ; more ?") }, false},
	} {
		if tt.needZone && displayZone() == time.UTC {
			continue // no zone database on this system
		}
		if got := tt.in("en"); got != tt.en {
			t.Errorf("%s en: %q, want %q", tt.what, got, tt.en)
		}
		if got := tt.in("fr"); got != tt.fr {
			t.Errorf("%s fr: %q, want %q", tt.what, got, tt.fr)
		}
	}
}

// TestSetTimeZone: the operator's zone is the one pages show; a name the system does not
// know is refused.
func TestSetTimeZone(t *testing.T) {
	if displayZone() == time.UTC {
		t.Skip("no zone database on this system")
	}
	before := displayZone()
	t.Cleanup(func() { shownZone.Store(before) })
	if err := SetTimeZone("America/New_York"); err != nil {
		t.Fatal(err)
	}
	if got := formatClock(time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)); got != "08:00" {
		t.Errorf("New York: %s", got)
	}
	if err := SetTimeZone("Mars/Olympus"); err == nil {
		t.Error("an unknown zone was accepted")
	}
}

// TestPunctuationSpacing: no English text puts a space before ":", ";", "?" or "!", no
// template writes " :" after a text of the tables (colon does it in the language), and a
// French text leaves the tables with a narrow no-break space there.
func TestPunctuationSpacing(t *testing.T) {
	spaced := regexp.MustCompile(`[ \x{a0}\x{202f}][:;?!](\s|$|<)`)
	for k, v := range texts() {
		if spaced.MatchString(v[0]) {
			t.Errorf("English %s: %q", k, v[0])
		}
	}
	files, _ := os.ReadDir("templates")
	after := regexp.MustCompile(`\}\} ?: `)
	for _, f := range files {
		b, _ := os.ReadFile("templates/" + f.Name())
		for _, m := range after.FindAllString(string(b), -1) {
			t.Errorf("%s writes %q: use {{colon $lang}}", f.Name(), m)
		}
	}
	if got := textIn(texts(), "fr", "import.badrecs"); !strings.HasSuffix(got, "attendu\u202f:") {
		t.Errorf("French colon: %q", got)
	}
}

// localeLogAt is a read of alice's meters by Volta, at a time whose Paris hour is known.
func localeLogAt(at string) store.LogEntry {
	t, _ := time.Parse(time.RFC3339, at)
	return store.LogEntry{At: t, Principal: "service", ActorID: "volta", ActorName: "Volta", Doctype: "meter", Verb: "read", Count: 1, Times: 1}
}

// TestPagesShowParisTime: the access log, the consents page (a service's first and last
// reads) and its alerts show a time of winter and one of summer as Paris writes them,
// whatever the server's own zone, on both backends.
func TestPagesShowParisTime(t *testing.T) {
	if displayZone() == time.UTC {
		t.Skip("no zone database on this system")
	}
	winter, summer := "2026-03-29T00:30:00Z", "2026-07-01T12:00:00Z" // 01:30 CET, 14:00 CEST
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ts := b.open(t)
			in := ts.alice.in.ID
			err := ts.db.AppendLogs(bg, []store.InstanceLog{{Instance: in, Entries: []store.LogEntry{localeLogAt(winter), localeLogAt(summer)}}})
			if err != nil {
				t.Fatal(err)
			}
			for lang, want := range map[string][]string{
				"en": {"29 Mar 2026, 01:30", "1 Jul 2026, 14:00"},
				"fr": {"29/03/2026 à 01:30", "01/07/2026 à 14:00"},
			} {
				// Showing the alerts marks them read: each language gets its own.
				for _, at := range []string{winter, summer} {
					created, _ := time.Parse(time.RFC3339, at)
					al := store.Alert{ID: "al-" + lang + at, Created: created, Kind: store.AlertFirstAccess, Service: "volta", ServiceName: "Volta",
						Params: map[string]string{"doctype": "meter"}, Dedup: "locale-" + lang + at}
					if err := ts.db.CreateAlert(bg, in, al); err != nil {
						t.Fatal(err)
					}
				}
				logPage := ts.do(t, request{method: "GET", path: "/access-log?lang=" + lang, as: "session:alice"})
				consents := ts.do(t, request{method: "GET", path: "/consents?lang=" + lang, as: "session:alice"})
				alerts, _, _ := strings.Cut(consents.body, `id="svc-`) // the alerts come before the services
				for _, w := range want {
					w = html.EscapeString(w)
					if !strings.Contains(logPage.body, w) {
						t.Errorf("%s access log lacks %q", lang, w)
					}
					if strings.Count(consents.body, w) < 2 {
						t.Errorf("%s consents page shows %q fewer than twice (alert and activity)", lang, w)
					}
					if !strings.Contains(alerts, w) {
						t.Errorf("%s alerts lack %q", lang, w)
					}
				}
			}
		})
	}
}

// TestNoKeyOnPages: the pages of a person, in both languages, show no catalog key in place
// of its text (a key the tables lack is written as it is).
func TestNoKeyOnPages(t *testing.T) {
	ts := newTestServer(t)
	tag := regexp.MustCompile(`(?s)<script.*?</script>|<[^>]*>`)
	keyLike := regexp.MustCompile(`\b[a-z]+(?:\.[A-Za-z0-9_-]+)+`)
	// A key shows when the tables lack it: whatever starts like the keys do ("home.",
	// "cons.") is one.
	spaces := map[string]bool{}
	for k := range texts() {
		if ns, _, ok := strings.Cut(k, "."); ok {
			spaces[ns] = true
		}
	}
	for _, path := range []string{"/", "/data", "/data/bill", "/data/bill/bill-alice", "/search?q=edf", "/import", "/connections", "/access-log", "/consents", "/settings", "/services", "/charts"} {
		for _, lang := range []string{"en", "fr"} {
			res := ts.do(t, request{method: "GET", path: path + sep(path) + "lang=" + lang, as: "session:alice"})
			if res.status != 200 {
				t.Errorf("%s %s: %d", path, lang, res.status)
				continue
			}
			for _, k := range keyLike.FindAllString(tag.ReplaceAllString(res.body, "\n"), -1) {
				if ns, _, _ := strings.Cut(k, "."); spaces[ns] {
					t.Errorf("%s %s shows the key %q", path, lang, k)
				}
			}
			if lang == "en" && regexp.MustCompile(`[a-zA-Z)][ \x{a0}\x{202f}]:(\s|<)`).MatchString(res.body) {
				t.Errorf("%s en has a space before a colon: %q", path, regexp.MustCompile(`.{0,40}[a-zA-Z)][ \x{a0}\x{202f}]:(\s|<)`).FindString(res.body))
			}
		}
	}
}

// sep is what joins a query parameter to path.
func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}
