package web

import (
	"strings"
	"testing"
	"time"
)

// voltaReads lets volta in on alice's bills through the consent screen, then has it read
// her bills once and try her contracts (refused). It returns volta's Authorization.
func (ts *testServer) voltaReads(t *testing.T) string {
	t.Helper()
	bearer := "Bearer " + ts.serviceToken(t, "", "bill").AccessToken
	if res := ts.do(t, request{method: "GET", path: "/api/v1/data/bill", as: bearer}); res.status != 200 || !strings.Contains(res.body, "bill-alice") {
		t.Fatalf("volta reads bills: %d %s", res.status, res.body)
	}
	if res := ts.do(t, request{method: "GET", path: "/api/v1/data/contract", as: bearer}); res.status != 403 {
		t.Fatalf("volta reads contracts: %d %s", res.status, res.body)
	}
	return bearer
}

// TestRefusedServiceRequest: a service's request outside its grant gets the refusal it got
// before refusals were logged, and leaves one refused line in the person's log, shown as such
// on the access log page; the person's own refused token leaves none.
func TestRefusedServiceRequest(t *testing.T) {
	ts := newTestServer(t)
	bearer := "Bearer " + ts.serviceToken(t, "", "bill").AccessToken
	res := ts.do(t, request{method: "GET", path: "/api/v1/data/contract", as: bearer})
	if res.status != 403 || !strings.Contains(res.body, `"detail":"forbidden: this service may not read contract"`) {
		t.Fatalf("refusal = %d %s", res.status, res.body)
	}
	bills, _, err := ts.auth.CreateToken(bg, ts.alice.in.ID, "bill:read", "bills only")
	if err != nil {
		t.Fatal(err)
	}
	if res := ts.do(t, request{method: "GET", path: "/api/v1/data/contract", as: "Bearer " + bills}); res.status != 403 {
		t.Fatalf("alice's bills-only token on contracts: %d", res.status)
	}
	tests := []struct {
		name     string
		req      request
		contains []string
		count    map[string]int // substrings and how many times the answer holds them
	}{
		{"the log, as JSON", request{method: "GET", path: "/api/v1/access-log", as: "session:alice"},
			[]string{`"actor_name":"Volta","doctype":"contract","verb":"read","count":0,"purpose":"dpv:ServiceProvision","refused":true`},
			map[string]int{`"refused":true`: 1}},
		{"the log page", request{method: "GET", path: "/access-log", as: "session:alice"},
			[]string{"Service Volta", "tried to read — refused"}, map[string]int{"— refused": 1}},
		{"in French", request{method: "GET", path: "/access-log?lang=fr", as: "session:alice"},
			[]string{"a tenté de lire — refusé"}, nil},
		{"bob's log", request{method: "GET", path: "/api/v1/access-log", as: "session:bob"}, nil, map[string]int{"refused": 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ts.do(t, tt.req)
			if res.status != 200 {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			for _, s := range tt.contains {
				if !strings.Contains(res.body, s) {
					t.Errorf("answer lacks %q: %s", s, res.body)
				}
			}
			for s, n := range tt.count {
				if got := strings.Count(res.body, s); got != n {
					t.Errorf("answer holds %q %d times, want %d", s, got, n)
				}
			}
		})
	}
}

// TestConsentsPage: after volta's first read, alice has an alert (badge in the menu, list at
// the top of the consents page, in both languages); the page shows her grants to volta
// and what volta did per category; seeing the page marks the alert read. Bob sees none of it.
func TestConsentsPage(t *testing.T) {
	ts := newTestServer(t)
	ts.voltaReads(t)
	steps := []struct {
		name     string
		req      request
		contains []string
		absent   []string
	}{
		{"the badge on another page", request{method: "GET", path: "/settings", as: "session:alice"},
			[]string{`<span class="alert-count">2<span class="visually-hidden"> new alerts</span>`}, nil},
		{"the alerts, as JSON", request{method: "GET", path: "/api/v1/alerts", as: "session:alice"},
			[]string{`"kind":"first_access"`, `"service":"volta"`, `"service_name":"Volta"`, `"doctype":"bill"`, `"read":false`, `"kind":"refused_attempt"`, `"doctype":"contract"`, `"unread":2`}, nil},
		{"bob has no alert", request{method: "GET", path: "/api/v1/alerts", as: "session:bob"}, []string{`"items":[]`, `"unread":0`}, []string{"volta"}},
		{"the page, in French", request{method: "GET", path: "/consents?lang=fr", as: "session:alice"}, []string{
			"<h1>Mes accords</h1>", "Nouvelles alertes", "Volta a lu vos données pour la première fois (Facture).",
			"Proposé par Volta SAS", "Pour vous rendre le service que vous utilisez", "votre consentement", "Voir ces données",
			"Volta a demandé des données que vous n", "(Contrat)\u202f: la demande a été refusée",
			"Actif\u202f: il peut utiliser ces données", "Voir le reçu", "Télécharger le fichier signé", "Retirer mon accord", "Ce que Volta a fait de vos données, par catégorie",
			`<td class="num" data-label="Tentatives refusées"><strong class="refused">1</strong></td>`, `href="/access-log?actor=volta"`}, nil},
		{"seen: the badge is gone", request{method: "GET", path: "/consents", as: "session:alice"},
			[]string{"<h1>Consents</h1>", "Consent given on", "What Volta did with your data, by category", "/api/v1/consents/" + ts.grantA + "/receipt"},
			[]string{"alert-count", "New alerts"}},
		{"and the alert is read", request{method: "GET", path: "/api/v1/alerts?unread=true", as: "session:alice"}, []string{`"items":[]`, `"unread":0`}, nil},
		{"bob's page", request{method: "GET", path: "/consents", as: "session:bob"}, []string{"Volta", ts.grantB, "It has not read anything yet."},
			[]string{ts.grantA, "What Volta did with your data"}},
	}
	for _, s := range steps {
		res := ts.do(t, s.req)
		if res.status != 200 {
			t.Fatalf("%s: status %d: %s", s.name, res.status, res.body)
		}
		for _, c := range s.contains {
			if !strings.Contains(res.body, c) {
				t.Errorf("%s: lacks %q", s.name, c)
			}
		}
		for _, a := range s.absent {
			if strings.Contains(res.body, a) {
				t.Errorf("%s: holds %q", s.name, a)
			}
		}
	}
	// The activity table: bills read once (one record), contracts tried once; volta may
	// not write, so there is no column for what it wrote.
	res := ts.do(t, request{method: "GET", path: "/consents", as: "session:alice"})
	page := strings.Join(strings.Fields(res.body), " ")
	for _, row := range []string{
		`<th scope="row">Bill</th> <td class="num" data-label="Times it read">1</td> <td class="num" data-label="Records read">1</td> <td class="num" data-label="Refused attempts">0</td> <td data-label="First time">`,
		`<th scope="row">Contract</th> <td class="num" data-label="Times it read">0</td> <td class="num" data-label="Records read">0</td> <td class="num" data-label="Refused attempts"><strong class="refused">1</strong></td> <td data-label="First time">`,
	} {
		if !strings.Contains(page, row) {
			t.Errorf("the activity table lacks\n%s\n%s", row, page)
		}
	}
	if strings.Contains(page, "Records added or changed") {
		t.Error("the activity table has a column for writes of a service that may not write")
	}
}

// TestWithdrawFromPage: the withdraw button ends the grant, the service's next request fails,
// and a second click says it was already done.
func TestWithdrawFromPage(t *testing.T) {
	ts := newTestServer(t)
	bearer := ts.voltaReads(t)
	grant := ts.newestGrant(t)
	form := request{method: "POST", path: "/consents/" + grant.ID + "/withdraw", body: "csrf=" + testCSRF, csrf: true, as: "session:alice"}
	steps := []struct {
		name     string
		req      request
		status   int
		location string
		contains []string
	}{
		{"the button leads to a confirmation", request{method: "GET", path: "/consents", as: "session:alice"}, 200, "",
			[]string{`href="/consents?confirm=` + grant.ID + `"`}},
		{"which says what will happen", request{method: "GET", path: "/consents?confirm=" + grant.ID, as: "session:alice"}, 200, "",
			[]string{"Withdraw your consent to Volta?", "Volta loses access to your data at once", "you can give a new one to Volta",
				`action="/consents/` + grant.ID + `/withdraw"`, `name="csrf"`, `href="/consents#grant-` + grant.ID + `"`}},
		{"in French", request{method: "GET", path: "/consents?confirm=" + grant.ID + "&lang=fr", as: "session:alice"}, 200, "",
			[]string{"Retirer votre accord à Volta ?", "Annuler\u202f: garder mon accord"}},
		{"bob's grant is no confirmation", request{method: "GET", path: "/consents?confirm=" + ts.grantB, as: "session:alice"}, 404, "", nil},
		{"the confirmation alone withdraws nothing", request{method: "GET", path: "/api/v1/consents", as: "session:alice"}, 200, "", []string{`"state":"active"`}},
		{"withdraw", form, 303, "/consents?done=withdrawn&svc=volta", nil},
		{"the page says so", request{method: "GET", path: "/consents?done=withdrawn&svc=volta", as: "session:alice"}, 200, "",
			[]string{"Your consent is withdrawn", "Withdrawn: it can no longer use your data", "To let Volta in again, start from the service itself",
				"Withdrawn on", "<time datetime=\"" + time.Now().Format("2006-01-02") + "\">"}},
		{"and no longer its former end", request{method: "GET", path: "/consents", as: "session:alice"}, 200, "",
			[]string{"Withdrawn on"}},
		{"no confirmation for a withdrawn consent", request{method: "GET", path: "/consents?confirm=" + grant.ID, as: "session:alice"}, 404, "", nil},
		{"the service is out", request{method: "GET", path: "/api/v1/data/bill", as: bearer}, 401, "", nil},
		{"a second click", form, 303, "/consents?error=withdrawn", nil},
		{"the page says it already was", request{method: "GET", path: "/consents?error=withdrawn", as: "session:alice"}, 200, "",
			[]string{"had already been withdrawn"}},
		{"bob's grant stays", request{method: "GET", path: "/api/v1/consents", as: "session:bob"}, 200, "", []string{ts.grantB, `"state":"active"`}},
	}
	for _, s := range steps {
		res := ts.do(t, s.req)
		if res.status != s.status || res.header.Get("Location") != s.location {
			t.Fatalf("%s: %d to %q, want %d to %q: %s", s.name, res.status, res.header.Get("Location"), s.status, s.location, res.body)
		}
		for _, c := range s.contains {
			if !strings.Contains(res.body, c) {
				t.Errorf("%s: lacks %q: %s", s.name, c, res.body)
			}
		}
	}
}

// TestEmailSetting: the person sets, corrects and clears the address alerts go to; this
// server has no relay, and the page says so.
func TestEmailSetting(t *testing.T) {
	ts := newTestServer(t)
	post := func(email string) request {
		return request{method: "POST", path: "/settings/email", body: "csrf=" + testCSRF + "&email=" + email, csrf: true, as: "session:alice"}
	}
	steps := []struct {
		name     string
		req      request
		status   int
		contains []string
		absent   []string
	}{
		{"the form", request{method: "GET", path: "/settings", as: "session:alice"}, 200,
			[]string{"Alerts by email", `action="/settings/email"`, `type="email"`, `value=""`, "This server does not send emails for now"}, nil},
		{"an address", post("alice%40example.org"), 303, nil, nil},
		{"saved", request{method: "GET", path: "/settings?done=email", as: "session:alice"}, 200,
			[]string{`value="alice@example.org"`, "Your address is saved"}, []string{"Your passphrase has been changed"}},
		{"a name is no address", post("Alice+%3Calice%40example.org%3E"), 400,
			[]string{"This is not an email address", `aria-invalid="true"`}, []string{"Your address is saved"}},
		{"nothing changed", request{method: "GET", path: "/settings", as: "session:alice"}, 200, []string{`value="alice@example.org"`}, nil},
		{"in French", request{method: "POST", path: "/settings/email?lang=fr", body: "csrf=" + testCSRF + "&email=nope", csrf: true, as: "session:alice"}, 400,
			[]string{"pas une adresse e-mail\u202f: écrivez-la"}, nil},
		{"bob's settings", request{method: "GET", path: "/settings", as: "session:bob"}, 200, nil, []string{"alice@example.org"}},
		{"cleared", post(""), 303, nil, nil},
		{"no address", request{method: "GET", path: "/settings?done=email&lang=fr", as: "session:alice"}, 200,
			[]string{"aucune alerte ne sera envoyée par e-mail", `value=""`}, nil},
	}
	for _, s := range steps {
		res := ts.do(t, s.req)
		if res.status != s.status {
			t.Fatalf("%s: status %d, want %d: %s", s.name, res.status, s.status, res.body)
		}
		for _, c := range s.contains {
			if !strings.Contains(res.body, c) {
				t.Errorf("%s: lacks %q", s.name, c)
			}
		}
		for _, a := range s.absent {
			if strings.Contains(res.body, a) {
				t.Errorf("%s: holds %q", s.name, a)
			}
		}
	}
}
