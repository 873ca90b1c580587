package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserRectify corrects, in a real headless Chromium, the amount of a bill EDF sent
// the demo person: the form, the record page showing the corrected amount beside EDF's
// (side by side on a desktop, one under the other on a phone), then the Art. 16 letter to
// EDF it links to, naming both amounts, in English then in French.
func TestBrowserRectify(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	chromium := findChromium(t)
	base, _, _ := startDemo(t)
	b := newBrowser(t, chromium)
	b.open(t, base+"/login?lang=en")
	b.do(t, chromedp.SendKeys(chromedp.ID("instance"), demoName), chromedp.SendKeys(chromedp.ID("passphrase"), demoPassphrase))
	b.submit(t, chromedp.CSS(`form[action="/login"] button[type=submit]`))

	b.open(t, base+"/data/bill?source=organization/edf&lang=en")
	href := b.eval(t, `document.querySelector("main a[href^='/data/bill/']")?.getAttribute("href") ?? ""`)
	if href == "" {
		t.Fatal("the demo person has no bill from EDF to correct")
	}
	b.open(t, base+href+"?lang=en")
	main := b.submit(t, chromedp.CSS(`a.rectify-correct`))
	if !strings.Contains(main, "Correct this record") || !strings.Contains(main, "Save the correction") {
		t.Fatalf("the form says:\n%s", clip(main))
	}
	held := b.eval(t, `document.getElementById("f-amount").value`)
	if held == "" || held == "1.23" {
		t.Fatalf("the amount input holds %q", held)
	}
	b.do(t, chromedp.Clear(chromedp.ID("f-amount")), chromedp.SendKeys(chromedp.ID("f-amount"), "1.23"))
	main = b.submit(t, chromedp.CSS(`form.rectify-form button[type=submit]`))
	for _, want := range []string{"Your correction is saved.", "What you corrected", "Your value", "€1.23", "Value sent by EDF", "Ask EDF to correct it too"} {
		if !strings.Contains(main, want) {
			t.Errorf("the corrected record lacks %q:\n%s", want, clip(main))
		}
	}
	sideBySide := `(() => { const n = document.querySelector("#diff-amount .rectify-now").getBoundingClientRect(), o = document.querySelector("#diff-amount .rectify-orig").getBoundingClientRect();
		return Math.abs(n.top - o.top) < 2 && o.left > n.right ? "beside" : (o.top >= n.bottom ? "under" : "overlap"); })()`
	if got := b.eval(t, sideBySide); got != "beside" {
		t.Errorf("on a desktop the two amounts are %s each other", got)
	}
	b.do(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	if got := b.eval(t, sideBySide); got != "under" {
		t.Errorf("on a phone the two amounts are %s each other", got)
	}
	if w := b.eval(t, `String(document.documentElement.scrollWidth <= window.innerWidth)`); w != "true" {
		t.Error("on a phone the corrected record is wider than the screen")
	}
	b.do(t, chromedp.EmulateViewport(1280, 900))

	b.open(t, base+href+"/correct?lang=en")
	if got := b.eval(t, `document.getElementById("o-amount")?.innerText ?? ""`); !strings.Contains(got, "Value sent by EDF") {
		t.Errorf("the form shows beside the amount %q", got)
	}

	b.open(t, base+href+"?lang=en")
	main = b.submit(t, chromedp.CSS(`a.rectify-ask`))
	for _, want := range []string{"Request to exercise the right to rectification (Article 16 GDPR)", "you sent me holds inaccurate data:", "– Amount: you hold “€", "the correct value is “€1.23”."} {
		if !strings.Contains(main, want) {
			t.Errorf("the English letter lacks %q:\n%s", want, clip(main))
		}
	}
	if mailto := b.eval(t, `decodeURIComponent(document.querySelector("a[href^='mailto:']")?.getAttribute("href") ?? "")`); !strings.Contains(mailto, "the correct value is “€1.23”") {
		t.Errorf("the email does not name the corrected amount: %q", clip(mailto))
	}
	main = b.submit(t, chromedp.CSS(`a[lang="fr"]`))
	for _, want := range []string{"Demande d'exercice du droit de rectification (article 16 du RGPD)", "que vous m'avez transmis contient des données inexactes", "– Montant\u202f: vous détenez «\u202f", "la valeur exacte est «\u202f1,23\u00a0€\u202f»."} {
		if !strings.Contains(main, want) {
			t.Errorf("the French letter lacks %q:\n%s", want, clip(main))
		}
	}
	if strings.Contains(main, "the correct value") {
		t.Error("the French letter has English words")
	}
}
