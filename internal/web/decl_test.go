package web

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"selfdata/internal/consent"
	"selfdata/internal/gate"
	"selfdata/internal/store"
)

// eauDuGrandLyon is an organization registered with its declaration in both languages.
var eauDuGrandLyon = store.Organization{ID: "eau", Name: "Eau du Grand Lyon", Website: "https://eau.example", Contact: "c@eau.example", DPO: "dpo@eau.example",
	Declaration: store.Declaration{LegalBasis: "public_task", Doctypes: []string{"bill"},
		Purposes: []string{"Water supply", "Leak detection"}, PurposesFR: []string{"Distribution de l'eau", "Détection des fuites"},
		Retention: "5 years after the end of the subscription", RetentionFR: "5 ans après la fin de l'abonnement",
		Recipients: []string{"The water office of the city"}, RecipientsFR: []string{"La régie des eaux"}}}

// connectEau registers eauDuGrandLyon, connects it to alice (approved) and gives alice a
// bill from it, so that its declaration shows on her home and connections pages.
func connectEau(t *testing.T, ts *testServer) {
	t.Helper()
	orgs := ts.srv.orgs
	if _, err := orgs.Add(bg, eauDuGrandLyon); err != nil {
		t.Fatal(err)
	}
	c, err := orgs.Request(bg, eauDuGrandLyon, "alice", []string{"bill"})
	if err != nil {
		t.Fatal(err)
	}
	if err := orgs.Decide(bg, ts.alice.in.ID, c.ID, "approve"); err != nil {
		t.Fatal(err)
	}
	src := store.Source{Kind: "organization", ID: "eau", Name: "Eau du Grand Lyon", At: time.Now()}
	bill := json.RawMessage(`{"vendor":"Eau du Grand Lyon","date":"2025-03-01","amount":"41.20","currency":"EUR"}`)
	if _, err := ts.gate.Create(bg, gate.Owner(ts.alice.in.ID), "bill", []gate.Input{{ID: "eau-1", Data: bill}}, src); err != nil {
		t.Fatal(err)
	}
}

// TestDeclarationsInPageLanguage: an organization's purposes, retention and recipients, and
// a service's description and retention, are shown in the page's language on every page
// that shows them; an organization registered in English only shows its English in both.
func TestDeclarationsInPageLanguage(t *testing.T) {
	ts := newTestServer(t)
	connectEau(t, ts)
	cat := consent.NewServices(ts.db, ts.gate.Registry())
	if _, _, err := cat.Add(bg, store.Service{ID: "watt", Name: "Watt'Lyon", Company: "Watt SAS", Public: true,
		Description: "Compares your bills with those of homes like yours.", DescriptionFR: "Compare votre consommation à celle de foyers semblables.",
		PrivacyPolicy: "https://watt.example/privacy", RedirectURIs: []string{"https://watt.example/cb"},
		Access: store.ServiceAccess{Doctypes: []string{"bill"}, Verbs: []string{"read"}, Purpose: "dpv:OptimisationForConsumer", LegalBasis: "consent",
			Retention: "90 days", RetentionFR: "90 jours", RetentionDays: 90}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.cons.Grant(bg, ts.alice.in.ID, "watt", []string{"bill"}, []string{"read"}, 0); err != nil {
		t.Fatal(err)
	}
	watt := &oauth2.Config{ClientID: "watt", RedirectURL: "https://watt.example/cb", Scopes: []string{"bill:read"},
		Endpoint: oauth2.Endpoint{AuthURL: ts.http.URL + "/oauth/authorize"}}
	u, _ := url.Parse(watt.AuthCodeURL("state-0123456789", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	en := []string{"Water supply · Leak detection", "5 years after the end of the subscription", "The water office of the city"}
	fr := []string{"Distribution de l&#39;eau · Détection des fuites", "5 ans après la fin de l&#39;abonnement", "La régie des eaux"}
	svcEN := []string{"Compares your bills with those of homes like yours.", "90 days"}
	svcFR := []string{"Compare votre consommation à celle de foyers semblables.", "90 jours"}
	for _, tt := range []struct {
		path      string
		want, not []string // in English; French is the other way round
		wantFR    []string
	}{
		{"/", en, fr, fr},
		{"/connections", append(en, "billing · network operation"), fr, append(fr, "billing · network operation")}, // Enedis: English only
		{"/consents", svcEN[:1], svcFR[:1], svcFR[:1]},
		{u.RequestURI(), svcEN, svcFR, svcFR},
	} {
		for _, lg := range []string{"en", "fr"} {
			want, not := tt.want, tt.not
			if lg == "fr" {
				want, not = tt.wantFR, tt.want[:len(tt.not)]
			}
			res := ts.do(t, request{method: "GET", path: tt.path, as: "session:alice", header: map[string]string{"Accept-Language": lg}})
			for _, w := range want {
				if !strings.Contains(res.body, w) {
					t.Errorf("%s in %s: %d, no %q", tt.path, lg, res.status, w)
				}
			}
			for _, n := range not {
				if strings.Contains(res.body, n) {
					t.Errorf("%s in %s shows %q, of the other language", tt.path, lg, n)
				}
			}
		}
	}
}

// TestAccessLogPlainPurposes: the access log never shows a DPV code: a service's purpose is
// its plain words in the page's language, and an organization's purposes are in the page's
// language too.
func TestAccessLogPlainPurposes(t *testing.T) {
	ts := newTestServer(t)
	connectEau(t, ts)
	err := ts.db.Update(bg, ts.alice.in.ID, func(w store.Writer) error {
		for _, e := range []store.LogEntry{
			{Principal: "service", ActorID: "kilowatt", ActorName: "Kilowatt", Doctype: "bill", Verb: "read", Count: 2, Purpose: "dpv:OptimisationForConsumer"},
			{Principal: "service", ActorID: "old", ActorName: "Old", Doctype: "bill", Verb: "read", Count: 1, Purpose: "dpv:ImproveHealthcare"},
			{Principal: "organization", ActorID: "eau", ActorName: "Eau du Grand Lyon", Doctype: "bill", Verb: "write", Count: 1, Purpose: "Water supply; Leak detection"},
		} {
			e.At = time.Now()
			if err := w.AppendLog(bg, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for lg, want := range map[string][]string{
		"en": {"To help you use less or pay less", "Improve healthcare", "Water supply; Leak detection"},
		"fr": {"Pour vous aider à moins consommer ou moins payer", "Improve healthcare", "Distribution de l&#39;eau ; Détection des fuites"},
	} {
		res := ts.do(t, request{method: "GET", path: "/access-log", as: "session:alice", header: map[string]string{"Accept-Language": lg}})
		if res.status != 200 || strings.Contains(res.body, "dpv:") {
			t.Errorf("access log in %s: %d, shows a DPV code: %s", lg, res.status, res.body)
		}
		for _, w := range want {
			if !strings.Contains(res.body, w) {
				t.Errorf("access log in %s: no %q", lg, w)
			}
		}
	}
}

// TestConsentProblemsInPersonsLanguage: a request that cannot go back to its service is
// explained to the person in their language, naming what is wrong.
func TestConsentProblemsInPersonsLanguage(t *testing.T) {
	ts := newTestServer(t)
	cfg := ts.voltaOAuth("bill:read")
	with := func(change func(c *oauth2.Config)) string {
		c := *cfg
		change(&c)
		u, _ := url.Parse(c.AuthCodeURL("state-0123456789", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
		return u.RequestURI()
	}
	for _, tt := range []struct {
		name, path string
		en, fr     string
	}{
		{"unknown service", with(func(c *oauth2.Config) { c.ClientID = "nobody" }),
			`No service &#34;nobody&#34; is registered here`, `Aucun service &#34;nobody&#34; n&#39;est enregistré ici`},
		{"no service named", "/oauth/authorize?response_type=code&state=state-0123456789",
			`It does not say which service it comes from.`, `Elle ne dit pas de quel service elle vient.`},
		{"unregistered return address", with(func(c *oauth2.Config) { c.RedirectURL = "https://evil.example/cb" }),
			`It would send your answer to &#34;https://evil.example/cb&#34;, an address Volta did not register`,
			`Elle enverrait votre réponse à &#34;https://evil.example/cb&#34;, une adresse que Volta n&#39;a pas déclarée`},
	} {
		for lg, want := range map[string]string{"en": tt.en, "fr": tt.fr} {
			res := ts.do(t, request{method: "GET", path: tt.path, as: "session:alice", header: map[string]string{"Accept-Language": lg}})
			if res.status != 400 || !strings.Contains(res.body, want) || strings.Contains(res.header.Get("Location"), "evil") {
				t.Errorf("%s in %s: %d %s; want %q", tt.name, lg, res.status, res.body, want)
			}
		}
	}
	f := url.Values{"csrf": {testCSRF}, "days": {"a month"}, "decision": {"approve"}, "doctype": {"bill"}}
	res := ts.do(t, request{method: "POST", path: with(func(*oauth2.Config) {}), body: f.Encode(), as: "session:alice", csrf: true, header: map[string]string{"Accept-Language": "fr"}})
	if res.status != 400 || !strings.Contains(res.body, "La durée &#34;a month&#34; n&#39;est pas un nombre de jours.") {
		t.Errorf("a duration that is no number, in French: %d %s", res.status, res.body)
	}
}

// TestPurposeIn: a DPV code in plain words, in each language; words stay words.
func TestPurposeIn(t *testing.T) {
	words := texts()
	for _, tt := range []struct{ lang, in, want string }{
		{"en", "dpv:OptimisationForConsumer", "To help you use less or pay less"},
		{"fr", "dpv:OptimisationForConsumer", "Pour vous aider à moins consommer ou moins payer"},
		{"fr", "dpv:ServiceProvision", "Pour vous rendre le service que vous utilisez"},
		{"en", "dpv:ImproveHealthcare", "Improve healthcare"},
		{"fr", "Billing; Metering", "Billing; Metering"},
		{"en", "", ""},
	} {
		if got := purposeIn(words, tt.lang, tt.in); got != tt.want {
			t.Errorf("purposeIn(%s, %q) = %q, want %q", tt.lang, tt.in, got, tt.want)
		}
	}
}
