package web

import (
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"selfdata/internal/auth"
	"selfdata/internal/demo"
	"selfdata/internal/services"
)

// insightDemoEnd is the day the demo year of these tests ends.
var insightDemoEnd = time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC)

// insightDemo seeds the demo person's year into a new instance of ts, switches the
// built-in service id on through its consent screen for the doctypes given, and returns
// the dataset, the instance and a GET of that instance's pages in a language.
func insightDemo(t *testing.T, ts *testServer, id string, doctypes []string) (*demo.Dataset, string, func(path, lang string) string) {
	t.Helper()
	h, err := auth.HashPassphraseWith("demo pass", auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	in, err := ts.db.CreateInstance(bg, "demo", h)
	if err != nil {
		t.Fatal(err)
	}
	ds := demo.Generate(insightDemoEnd, 1)
	if err := demo.Seed(bg, ts.gate, in.ID, ds); err != nil {
		t.Fatal(err)
	}
	session, _, err := ts.auth.Login(bg, "demo", "demo pass", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	cookie := map[string]string{"Cookie": sessionCookie + "=" + session}
	// Switched on by the consent screen, with only doctypes left ticked.
	f := url.Values{"csrf": {testCSRF}, "decision": {"approve"}, "days": {"0"}, "doctype": doctypes}
	if res := ts.do(t, request{method: "POST", path: "/services/" + id + "/enable", body: f.Encode(), csrf: true, header: cookie}); res.status != http.StatusSeeOther {
		t.Fatalf("switching %s on: %d: %s", id, res.status, res.body)
	}
	return ds, in.ID, func(path, lang string) string {
		t.Helper()
		start := time.Now()
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		res := ts.do(t, request{method: "GET", path: path + sep + "lang=" + lang, header: cookie})
		t.Logf("%s (%s): %v", path, lang, time.Since(start))
		if res.status != http.StatusOK {
			t.Fatalf("%s: status %d: %s", path, res.status, res.body)
		}
		if dir := os.Getenv("INSIGHT_DUMP"); dir != "" { // to look at the pages: INSIGHT_DUMP=/tmp/x go test -run Demo
			name := strings.NewReplacer("/", "_", "?", "_", "&", "_", "=", "_").Replace(strings.TrimPrefix(path, "/services/"))
			os.WriteFile(filepath.Join(dir, name+"."+lang+".html"), []byte(res.body), 0o644)
		}
		return res.body
	}
}

// TestCommunicationDemo: the demo person's page adds up every call the generated records
// hold, counted here on its own, in both languages, with the 24 hours of the day, the rise
// of the last week in words and the idea it suggests.
func TestCommunicationDemo(t *testing.T) {
	ts := newTestServer(t)
	ds, _, get := insightDemo(t, ts, services.Communication, []string{"telecom.record"})
	calls, seconds := 0, 0
	for _, b := range ds.Docs {
		for _, d := range b.Docs {
			if b.Doctype == "telecom.record" && d.Data["kind"] == "call" {
				calls++
				seconds += d.Data["durationSeconds"].(int)
			}
		}
	}
	total := commDuration(time.Duration(seconds) * time.Second)
	t.Logf("the demo: %d calls, %s", calls, total)

	for _, c := range []struct {
		lang, calls string
		words       []string
	}{
		{"en", groupDigits(strconv.Itoa(calls), "en") + " calls", []string{"Time on calls by hour of the day", "more than the average over the 4 weeks before", "your evenings were the busiest", "15 Jun 2024 to 14 Jun 2025"}},
		{"fr", strings.ReplaceAll(groupDigits(strconv.Itoa(calls), "fr"), " ", "\u00a0") + " appels", []string{"Temps en appels selon l'heure de la journée", "de plus que la moyenne sur les 4 semaines d'avant", "vos soirées ont été les plus chargées", "du 15 juin 2024 au 14 juin 2025"}},
	} {
		body := html.UnescapeString(get("/services/"+services.Communication, c.lang))
		if !strings.Contains(body, "<dd>"+total+"</dd>") {
			t.Errorf("%s: the total %q is not on the page", c.lang, total)
		}
		if !strings.Contains(body, c.calls) {
			t.Errorf("%s: %q is not on the page", c.lang, c.calls)
		}
		for _, w := range c.words {
			if !strings.Contains(body, w) {
				t.Errorf("%s: no %q", c.lang, w)
			}
		}
		hours := regexp.MustCompile(`(?s)id="c-comm-hours-title".*?</svg>`).FindString(body)
		if n := strings.Count(hours, `fill="#0b5cad"><title>`); n != 24 {
			t.Errorf("%s: %d bars by hour, want 24", c.lang, n)
		}
		weeks := regexp.MustCompile(`(?s)id="c-comm-weeks-title".*?</svg>`).FindString(body)
		if n := strings.Count(weeks, `fill="#0b5cad"><title>`); n != 52 {
			t.Errorf("%s: %d bars by week, want 52", c.lang, n)
		}
		if strings.Contains(body, "%!") || strings.Contains(body, "comm.") {
			t.Errorf("%s: a text is missing or badly formatted", c.lang)
		}
	}
}

// TestCommunicationEmpty: switched on without records, the page says what will fill it.
func TestCommunicationEmpty(t *testing.T) {
	ts := newTestServer(t)
	if _, err := ts.cons.Grant(bg, ts.alice.in.ID, services.Communication, []string{"telecom.record"}, []string{"read"}, 0); err != nil {
		t.Fatal(err)
	}
	res := ts.do(t, request{method: "GET", path: "/services/" + services.Communication + "?lang=en", as: "session:alice"})
	if res.status != 200 || !strings.Contains(res.body, "No call, text message or data session in your store yet") {
		t.Fatalf("%d: %s", res.status, res.body)
	}
}

// TestCommWords: durations in words to the minute, and plurals in each language.
func TestCommWords(t *testing.T) {
	nb := func(s string) string { return strings.ReplaceAll(s, " ", "\u00a0") }
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0 s"}, {45 * time.Second, "45 s"}, {59*time.Second + 600*time.Millisecond, "1 min"}, {90 * time.Second, "2 min"},
		{59 * time.Minute, "59 min"}, {time.Hour, "1 h 0 min"}, {30*time.Hour + 12*time.Minute + 20*time.Second, "30 h 12 min"},
		{30*time.Hour + 59*time.Minute + 31*time.Second, "31 h 0 min"},
	} {
		if got := commDuration(c.d); got != nb(c.want) {
			t.Errorf("%v: %q, want %q", c.d, got, c.want)
		}
	}
	for _, c := range []struct {
		lang, key string
		n         int
		want      string
	}{
		{"fr", "comm.n.call", 0, "0 appel"}, {"fr", "comm.n.call", 1, "1 appel"}, {"fr", "comm.n.call", 2, "2 appels"},
		{"fr", "comm.n.call", 1234, "1\u202f234 appels"}, {"en", "comm.n.call", 0, "0 calls"}, {"en", "comm.n.call", 1, "1 call"},
		{"en", "comm.n.call", 1234, "1,234 calls"}, {"fr", "comm.n.sms", 2, "2 SMS"}, {"en", "comm.n.sms", 1, "1 text message"},
		{"en", "comm.n.weeksbefore", 1, "the week before"}, {"fr", "comm.n.weeksbefore", 3, "les 3 semaines d'avant"},
	} {
		if got := commCount(c.lang, textIn(communicationTexts, c.lang, c.key), c.n); got != c.want {
			t.Errorf("%s %s %d: %q, want %q", c.lang, c.key, c.n, got, c.want)
		}
	}
	for _, c := range []struct {
		lang  string
		names []string
		want  string
	}{
		{"en", nil, "—"}, {"en", []string{"EDF"}, "EDF"}, {"fr", []string{"EDF", "GRDF"}, "EDF et GRDF"},
		{"en", []string{"EDF", "GRDF", "Orange"}, "EDF, GRDF and Orange"},
		{"fr", []string{"Dr A, généraliste", "Pharmacie", "Dr B"}, "Dr A, généraliste\u202f; Pharmacie et Dr B"},
	} {
		if got := commList(c.lang, c.names); got != c.want {
			t.Errorf("%s %q: %q, want %q", c.lang, c.names, got, c.want)
		}
	}
}
