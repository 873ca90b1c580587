package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"selfdata/internal/alert"
	"selfdata/internal/gate"
	"selfdata/internal/rights/requests"
)

// TestBrowserRightsRequest walks a request to an organization as the demo person does, in a
// real headless Chromium: from Enedis's card to its letter, in English then French, the
// kind changed, "I sent it", and — the clock moved past its deadline — the reminder on the
// consents page and the request marked overdue.
func TestBrowserRightsRequest(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	chromium := findChromium(t)
	base, st, reg := startDemo(t)
	b := newBrowser(t, chromium)
	b.open(t, base+"/login?lang=en")
	b.do(t, chromedp.SendKeys(chromedp.ID("instance"), demoName), chromedp.SendKeys(chromedp.ID("passphrase"), demoPassphrase))
	b.submit(t, chromedp.CSS(`form[action="/login"] button[type=submit]`))

	b.open(t, base+"/connections?lang=en")
	main := b.submit(t, chromedp.CSS(`a[href="/rights/requests/new?org=enedis"]`))
	for _, want := range []string{"Request to exercise the right of access (Article 15 GDPR)", "dpo@enedis.example", "Article 12(3)", requests.FormatDate("en", requests.Due(time.Now()))} {
		if !strings.Contains(main, want) {
			t.Errorf("the English letter lacks %q:\n%s", want, clip(main))
		}
	}
	if href := b.eval(t, `document.querySelector("a[href^='mailto:']")?.getAttribute("href") ?? ""`); !strings.HasPrefix(href, "mailto:dpo@enedis.example?subject=") {
		t.Errorf("the email link is %q", href)
	}
	main = b.submit(t, chromedp.CSS(`a[lang="fr"]`))
	for _, want := range []string{"Demande d'exercice du droit d'accès (article 15 du RGPD)", "article 12, paragraphe 3", requests.FormatDate("fr", requests.Due(time.Now()))} {
		if !strings.Contains(main, want) {
			t.Errorf("the French letter lacks %q:\n%s", want, clip(main))
		}
	}
	b.do(t, chromedp.Click(`input[name=kind][value=erasure]`))
	main = b.submit(t, chromedp.CSS(`form.rights-who button[type=submit]`))
	if !strings.Contains(main, "droit à l'effacement (article 17 du RGPD)") {
		t.Errorf("after choosing erasure the letter says:\n%s", clip(main))
	}
	main = b.submit(t, chromedp.CSS(`form.rights-sent button[type=submit]`))
	if !strings.Contains(main, "Votre demande est notée") || !strings.Contains(main, "Effacement de mes données (art. 17) — Enedis") || !strings.Contains(main, "Envoyée, en attente de réponse") {
		t.Fatalf("after sending, the list says:\n%s", clip(main))
	}

	later := func() time.Time { return time.Now().AddDate(0, 1, 2) }
	m := &requests.Reminder{Gate: gate.New(st, reg), Instances: st, Alerts: alert.New(st, reg, nil, slog.New(slog.DiscardHandler)), Now: later, Loc: time.Local}
	if err := m.CheckAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	main = b.open(t, base+"/consents?lang=fr")
	if !strings.Contains(main, "Enedis n'a pas répondu à la demande que vous avez envoyée le") {
		t.Errorf("the consents page does not tell of the overdue request:\n%s", clip(main))
	}
	main = b.submit(t, chromedp.CSS(`a[href^="/rights/requests#req-"]`))
	if !strings.Contains(main, "Sans réponse dans le délai") {
		t.Errorf("the request is not shown overdue:\n%s", clip(main))
	}
}
