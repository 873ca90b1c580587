package web

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/rights/requests"
	"selfdata/internal/store"
)

// rightsAccessData gives alice and bob a request each to Enedis, for the access tests.
func rightsAccessData(t testing.TB, ts *testServer) (alice, bob string) {
	t.Helper()
	var ids []string
	for _, p := range []*person{ts.alice, ts.bob} {
		r, err := requests.Record(bg, ts.gate, gate.Owner(p.in.ID), store.Organization{ID: "enedis", Name: "Enedis"}, requests.Access, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	return ids[0], ids[1]
}

// TestRightsRequestLifecycle: alice prepares a request to Enedis in French and in English,
// says she sent it, finds it in her list with its deadline, and records the answer.
func TestRightsRequestLifecycle(t *testing.T) {
	ts := newTestServer(t)
	now := time.Now()
	arts := map[string]string{requests.Access: "15", requests.Rectification: "16", requests.Erasure: "17", requests.Restriction: "18", requests.Portability: "20", requests.Objection: "21"}
	who := "&name=" + url.QueryEscape("Alice Martin") + "&address=" + url.QueryEscape("12 rue Garibaldi, 69003 Lyon")
	for _, lg := range []string{"fr", "en"} {
		due := requests.FormatDate(lg, requests.Due(now))
		for _, kind := range requests.Kinds {
			res := ts.do(t, request{method: "GET", path: "/rights/requests/new?org=enedis&kind=" + kind + "&lang=" + lg + who, as: "session:alice"})
			art := map[string]string{"fr": "article " + arts[kind] + " du RGPD", "en": "Article " + arts[kind] + " of Regulation"}[lg]
			for _, want := range []string{art, due, "dpo@example.org", `href="mailto:dpo@example.org?subject=`, "Alice Martin", "69003 Lyon", `lang="` + lg + `"`, `value="` + kind + `" checked`} {
				if res.status != http.StatusOK || !strings.Contains(res.body, want) {
					t.Errorf("%s %s: status %d, the page lacks %q", lg, kind, res.status, want)
				}
			}
		}
	}
	if res := ts.do(t, request{method: "GET", path: "/rights/requests/new?org=enedis&kind=deletion", as: "session:alice"}); res.status != http.StatusBadRequest || !strings.Contains(res.body, "deletion") {
		t.Errorf("an unknown kind: %d", res.status)
	}
	if res := ts.do(t, request{method: "GET", path: "/rights/requests/new?org=enedis&name=a%0Ab", as: "session:alice"}); res.status != http.StatusBadRequest {
		t.Errorf("a name on two lines: %d", res.status)
	}

	post := func(path, body string) response {
		return ts.do(t, request{method: "POST", path: path, body: "csrf=" + testCSRF + "&" + body, csrf: true, as: "session:alice"})
	}
	if res := post("/rights/requests", "org=enedis&kind=portability&sentAt="+now.AddDate(0, 0, 5).Format(time.DateOnly)); res.status != http.StatusBadRequest {
		t.Errorf("a day in the future: %d", res.status)
	}
	if res := post("/rights/requests", "org=nobody&kind=portability&sentAt=2026-01-31"); res.status != http.StatusNotFound {
		t.Errorf("an unknown organization: %d", res.status)
	}
	res := post("/rights/requests", "org=enedis&kind=portability&sentAt=2026-01-31")
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/rights/requests?done=sent" {
		t.Fatalf("sent: %d %q", res.status, res.header.Get("Location"))
	}
	list := ts.do(t, request{method: "GET", path: "/rights/requests?done=sent&lang=fr", as: "session:alice"})
	for _, want := range []string{"Portabilité de mes données (art. 20) — Enedis", "31 janvier 2026", "28 février 2026", "Envoyée, en attente de réponse", "Votre demande est notée", `action="/rights/requests/`} {
		if !strings.Contains(list.body, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
	rs, err := requests.List(bg, ts.gate, gate.Owner(ts.alice.in.ID))
	if err != nil || len(rs) != 1 {
		t.Fatalf("requests %+v, %v", rs, err)
	}
	if res := post("/rights/requests/"+rs[0].ID+"/answer", "answeredAt=2026-01-30&answer=trop+t%C3%B4t"); res.status != http.StatusBadRequest {
		t.Errorf("an answer before the request: %d", res.status)
	}
	if res := post("/rights/requests/"+rs[0].ID+"/answer", "answeredAt=2026-02-20&answer="+url.QueryEscape("Archive CSV jointe.")); res.status != http.StatusSeeOther {
		t.Fatalf("answer: %d %s", res.status, res.body)
	}
	list = ts.do(t, request{method: "GET", path: "/rights/requests?lang=en", as: "session:alice"})
	for _, want := range []string{"A copy to take elsewhere (Art. 20) — Enedis", "Answered on", "20 February 2026", "Archive CSV jointe."} {
		if !strings.Contains(list.body, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
	if strings.Contains(list.body, `/answer"`) {
		t.Error("an answered request still offers to record an answer")
	}
}

// TestRightsRequestFromProfile: the letter takes the person's name and address from their
// profile document, read through the gate.
func TestRightsRequestFromProfile(t *testing.T) {
	ts := newTestServer(t)
	owner := gate.Owner(ts.bob.in.ID)
	if _, err := ts.gate.Create(bg, owner, "profile", []gate.Input{{Data: []byte(`{"givenName":"Robert","familyName":"Durand","email":"robert@example.org","address":{"street":"3 place Bellecour","postalCode":"69002","city":"Lyon"}}`)}}, owner.Source("", ts.gate)); err != nil {
		t.Fatal(err)
	}
	res := ts.do(t, request{method: "GET", path: "/rights/requests/new?org=enedis&lang=en", as: "session:bob"})
	for _, want := range []string{"Robert Durand", "3 place Bellecour", "69002 Lyon", "robert@example.org", "Taken from your profile", "Article 15"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("status %d, the page lacks %q", res.status, want)
		}
	}
}

// TestRegisterPage: the public register in both languages, and linked from the login page.
func TestRegisterPage(t *testing.T) {
	ts := newTestServer(t)
	for lg, want := range map[string][]string{
		"fr": {"Registre des activités de traitement", "données personnelles de chaque personne", "Argon2id", "votre contrat", "opérateur de ce serveur selfdata", "03/12/2026"},
		"en": {"Register of processing activities", "personal data store", "Argon2id", "your contract", "The operator of this selfdata server", "3 Dec 2026"},
	} {
		res := ts.do(t, request{method: "GET", path: "/register?lang=" + lg})
		res.body = html.UnescapeString(res.body)
		if other := map[string]string{"fr": "The operator of", "en": "opérateur de ce serveur"}[lg]; strings.Contains(res.body, other) {
			t.Errorf("%s: the page also says the other language's %q", lg, other)
		}
		for _, w := range want {
			if res.status != http.StatusOK || !strings.Contains(res.body, w) {
				t.Errorf("%s: status %d, the page lacks %q", lg, res.status, w)
			}
		}
	}
	if res := ts.do(t, request{method: "GET", path: "/login"}); !strings.Contains(res.body, `href="/register"`) {
		t.Error("the login page does not link to the register")
	}
}

// TestRightsOverdueAlertShown: the reminder's alert appears on the consents page, worded for
// a request and linked to it.
func TestRightsOverdueAlertShown(t *testing.T) {
	ts := newTestServer(t)
	r, err := requests.Record(bg, ts.gate, gate.Owner(ts.alice.in.ID), store.Organization{ID: "enedis", Name: "Enedis"}, requests.Erasure, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	m := &requests.Reminder{Gate: ts.gate, Instances: ts.db, Alerts: ts.srv.alert, Now: func() time.Time { return time.Date(2026, 2, 3, 9, 0, 0, 0, time.UTC) }, Loc: time.UTC}
	if n, err := m.Check(bg, ts.alice.in.ID); err != nil || n != 1 {
		t.Fatalf("raised %d, %v", n, err)
	}
	res := ts.do(t, request{method: "GET", path: "/consents?lang=fr", as: "session:alice"})
	for _, want := range []string{"Enedis n&#39;a pas répondu à la demande que vous avez envoyée le 2 janvier 2026", "2 février 2026", `href="/rights/requests#req-` + r.ID + `"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the consents page lacks %q", want)
		}
	}
}

// TestRightsReminderInAccessLog: the reminder's reads are in the person's access log, under
// its name in the page's language.
func TestRightsReminderInAccessLog(t *testing.T) {
	ts := newTestServer(t)
	m := &requests.Reminder{Gate: ts.gate, Instances: ts.db, Alerts: ts.srv.alert, Now: time.Now, Loc: time.UTC}
	if _, err := m.Check(bg, ts.alice.in.ID); err != nil {
		t.Fatal(err)
	}
	res := ts.do(t, request{method: "GET", path: "/access-log?lang=en", as: "session:alice"})
	if !strings.Contains(res.body, "selfdata&#39;s reminders of your requests") {
		t.Errorf("the access log does not name the reminder (status %d)", res.status)
	}
}
