package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"selfdata/internal/store"
)

// pageStep is one request of a page test and what its answer must and must not hold.
type pageStep struct {
	name     string
	req      request
	status   int
	location string
	contains []string
	absent   []string
}

func playSteps(t *testing.T, ts *testServer, steps []pageStep) {
	t.Helper()
	for _, s := range steps {
		res := ts.do(t, s.req)
		if res.status != s.status || res.header.Get("Location") != s.location {
			t.Fatalf("%s: %d to %q, want %d to %q: %s", s.name, res.status, res.header.Get("Location"), s.status, s.location, res.body)
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

// TestConfirmConnection: revoke and refuse lead to a page that says what will happen and
// whether it can be undone, in both languages, with the real form; only that form's POST
// acts; pause acts at once and says how to resume. Another person's connection, or an
// action its state does not allow, has no confirmation.
func TestConfirmConnection(t *testing.T) {
	ts := newTestServer(t)
	revokeA := "/connections?confirm=" + ts.connA + "&action=revoke"
	post := func(who, id, action string) request {
		return request{method: "POST", path: "/connections/" + id + "/" + action, body: "csrf=" + testCSRF, csrf: true, as: "session:" + who}
	}
	playSteps(t, ts, []pageStep{
		{name: "the list links to the confirmation", req: request{method: "GET", path: "/connections", as: "session:alice"}, status: 200,
			contains: []string{`href="/connections?confirm=` + ts.connA + `&amp;action=revoke"`, `action="/connections/` + ts.connA + `/pause"`},
			absent:   []string{`action="/connections/` + ts.connA + `/revoke"`}},
		{name: "revoke, in English", req: request{method: "GET", path: revokeA, as: "session:alice"}, status: 200,
			contains: []string{"Revoke the connection with Enedis?", "Enedis will no longer be able to deposit your data", "What Enedis already deposited stays in your store",
				"a revoked connection does not come back", "a paused connection can be resumed", `action="/connections/` + ts.connA + `/revoke"`,
				`name="csrf"`, "Cancel: keep the connection", `href="/connections#conn-` + ts.connA + `"`}},
		{name: "revoke, in French", req: request{method: "GET", path: revokeA + "&lang=fr", as: "session:alice"}, status: 200,
			contains: []string{"Révoquer la connexion avec Enedis ?", "Ce que Enedis a déjà déposé reste dans votre espace", "Annuler\u202f: garder la connexion"}},
		{name: "the confirmation changed nothing", req: request{method: "GET", path: "/connections", as: "session:alice"}, status: 200,
			contains: []string{"Active: it can deposit data"}},
		{name: "pause needs no confirmation", req: request{method: "GET", path: "/connections?confirm=" + ts.connA + "&action=pause", as: "session:alice"}, status: 404},
		{name: "refuse is for a request only", req: request{method: "GET", path: "/connections?confirm=" + ts.connA + "&action=refuse", as: "session:alice"}, status: 404},
		{name: "bob's connection by alice", req: request{method: "GET", path: "/connections?confirm=" + ts.connB + "&action=refuse", as: "session:alice"}, status: 404,
			absent: []string{`action="/connections/` + ts.connB}},
		{name: "refuse, for bob's request", req: request{method: "GET", path: "/connections?confirm=" + ts.connB + "&action=refuse", as: "session:bob"}, status: 200,
			contains: []string{"Refuse the request of Enedis?", "Nothing in your store is deleted", `action="/connections/` + ts.connB + `/refuse"`}},
		{name: "refuse, in French", req: request{method: "GET", path: "/connections?confirm=" + ts.connB + "&action=refuse&lang=fr", as: "session:bob"}, status: 200,
			contains: []string{"Refuser la demande de l&#39;organisme Enedis ?", "Annuler\u202f: décider plus tard"}},
		{name: "pause", req: post("alice", ts.connA, "pause"), status: 303, location: "/connections?done=paused"},
		{name: "the page says how to resume", req: request{method: "GET", path: "/connections?done=paused", as: "session:alice"}, status: 200,
			contains: []string{"The connection is paused", "To let it deposit again, choose Resume below."}},
		{name: "and in French", req: request{method: "GET", path: "/connections?done=paused&lang=fr", as: "session:alice"}, status: 200,
			contains: []string{"choisissez Reprendre ci-dessous"}},
		{name: "a paused connection can still be revoked", req: request{method: "GET", path: revokeA, as: "session:alice"}, status: 200},
		{name: "the POST without the page still works, with its CSRF", req: post("alice", ts.connA, "revoke"), status: 303, location: "/connections?done=revoked"},
		{name: "the page says how to get it back", req: request{method: "GET", path: "/connections?done=revoked", as: "session:alice"}, status: 200,
			contains: []string{"The connection is revoked", "the organization has to ask to connect anew"}},
		{name: "nothing left to confirm", req: request{method: "GET", path: revokeA, as: "session:alice"}, status: 404},
		{name: "refused by bob", req: post("bob", ts.connB, "refuse"), status: 303, location: "/connections?done=refused"},
		{name: "bob's page says it can come back", req: request{method: "GET", path: "/connections?done=refused", as: "session:bob"}, status: 200,
			contains: []string{"If you change your mind, the organization has to ask again"}},
	})
	if res := ts.do(t, request{method: "POST", path: "/connections/" + ts.connA + "/resume", body: "", as: "session:alice",
		header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}); res.status != http.StatusForbidden {
		t.Errorf("a POST without its CSRF token: %d", res.status)
	}
}

// TestReceiptPage: the receipt as a page in the person's language, its signature checked
// against the store's keys; after a withdrawal it shows the withdrawal's date and event,
// not the former end. The .jws stays downloadable; bob cannot see alice's.
func TestReceiptPage(t *testing.T) {
	ts := newTestServer(t)
	ts.voltaReads(t)
	g := ts.newestGrant(t)
	path := "/consents/" + g.ID + "/receipt"
	withdraw := request{method: "POST", path: "/consents/" + g.ID + "/withdraw", body: "csrf=" + testCSRF, csrf: true, as: "session:alice"}
	until := "Until"
	if g.Expires != nil {
		until = dayText("en", *g.Expires)
	}
	playSteps(t, ts, []pageStep{
		{name: "linked from the consents page", req: request{method: "GET", path: "/consents", as: "session:alice"}, status: 200,
			contains: []string{`href="` + path + `"`, `href="/api/v1/consents/` + g.ID + `/receipt" download`}},
		{name: "in English", req: request{method: "GET", path: path, as: "session:alice"}, status: 200,
			contains: []string{"Consent receipt — Volta", "Volta SAS", "Bill", "To provide the service you use", "See this data", "Consent given on", until,
				"You gave your consent", g.ID, "Valid: signed by your store", "KI-CR-v1.1.0", "Save as PDF", "Active: it can use this data"},
			absent: []string{"Could not be checked", "Withdrawn on"}},
		{name: "in French", req: request{method: "GET", path: path + "?lang=fr", as: "session:alice"}, status: 200,
			contains: []string{"Reçu d&#39;accord — Volta", "Facture", "Pour vous rendre le service que vous utilisez", "Vous avez donné votre accord",
				"Valide\u202f: signé par la clé de votre espace", "Enregistrer au format PDF"}},
		{name: "bob's", req: request{method: "GET", path: path, as: "session:bob"}, status: 404, absent: []string{"Volta SAS"}},
		{name: "withdrawn", req: withdraw, status: 303, location: "/consents?done=withdrawn&svc=volta"},
		{name: "the receipt shows the withdrawal", req: request{method: "GET", path: path, as: "session:alice"}, status: 200,
			contains: []string{"Withdrawn on", "You withdrew your consent", "Withdrawn: it can no longer use your data", "Valid: signed"},
			absent:   []string{until, "Until you withdraw it"}},
		{name: "and in French", req: request{method: "GET", path: path + "?lang=fr", as: "session:alice"}, status: 200,
			contains: []string{"Retiré le", "Vous avez retiré votre accord"}, absent: []string{"Jusqu&#39;au"}},
		{name: "the signed file", req: request{method: "GET", path: "/api/v1/consents/" + g.ID + "/receipt", as: "session:alice"}, status: 200, contains: []string{"eyJ"}},
	})
	// On the consents page, the withdrawn grant (alice has another, active) says when.
	body := ts.do(t, request{method: "GET", path: "/consents?lang=fr", as: "session:alice"}).body
	start := strings.Index(body, `id="grant-`+g.ID+`"`)
	if start < 0 {
		t.Fatal("the consents page lacks the withdrawn grant")
	}
	card, _, _ := strings.Cut(body[start:], `<div class="grant"`)
	if !strings.Contains(card, "Retiré le") || strings.Contains(card, "Jusqu&#39;au") {
		t.Fatalf("the withdrawn grant's card:\n%s", card)
	}
}

// TestRefusedAttemptAlert: through the whole server, a service reading outside its grant
// gets its 403, and the person gets one alert for the day (not one per attempt), shown on
// the consents page in both languages; bob gets none.
func TestRefusedAttemptAlert(t *testing.T) {
	ts := newTestServer(t)
	bearer := "Bearer " + ts.serviceToken(t, "", "bill").AccessToken
	for _, path := range []string{"/api/v1/data/contract", "/api/v1/data/contract", "/api/v1/data/meter"} {
		if res := ts.do(t, request{method: "GET", path: path, as: bearer}); res.status != http.StatusForbidden {
			t.Fatalf("%s: %d, want 403", path, res.status)
		}
	}
	playSteps(t, ts, []pageStep{
		{name: "one alert", req: request{method: "GET", path: "/api/v1/alerts", as: "session:alice"}, status: 200,
			contains: []string{`"kind":"refused_attempt"`, `"service":"volta"`, `"doctype":"contract"`, `"unread":1`}},
		{name: "bob has none", req: request{method: "GET", path: "/api/v1/alerts", as: "session:bob"}, status: 200, contains: []string{`"unread":0`}},
		{name: "on the consents page", req: request{method: "GET", path: "/consents", as: "session:alice"}, status: 200,
			contains: []string{"Volta asked for data you did not allow (Contract): it was refused, and nothing was read.", `<strong class="refused">2</strong>`}},
	})
}

// TestAccessLogOthers: by default the access log shows what others did and says how many
// of the person's own views it leaves out; one link shows them, and keeps the filters.
func TestAccessLogOthers(t *testing.T) {
	ts := newTestServer(t)
	for range 3 { // the person's own views
		ts.do(t, request{method: "GET", path: "/data/bill", as: "session:alice"})
	}
	ts.do(t, request{method: "GET", path: "/api/v1/data/bill", as: "token:alice"})
	ts.voltaReads(t)
	youCell := `<td data-label="Who">You</td>`
	playSteps(t, ts, []pageStep{
		{name: "others by default", req: request{method: "GET", path: "/access-log", as: "session:alice"}, status: 200,
			contains: []string{"Service Volta", "tried to read — refused", "Your script", "are left out", `href="/access-log?mine=1"`, "Include my own views"},
			absent:   []string{youCell}},
		{name: "in French", req: request{method: "GET", path: "/access-log?lang=fr", as: "session:alice"}, status: 200,
			contains: []string{"Vos propres consultations de vos données (", "Inclure mes propres consultations"}, absent: []string{"<td>Vous</td>"}},
		{name: "the filter shows them", req: request{method: "GET", path: "/access-log?mine=1", as: "session:alice"}, status: 200,
			contains: []string{youCell, "Service Volta", "Your own views are included.", `href="/access-log?"`}},
		{name: "with the other filters kept", req: request{method: "GET", path: "/access-log?doctype=bill&mine=1", as: "session:alice"}, status: 200,
			contains: []string{youCell, `<input type="hidden" name="mine" value="1">`, `href="/access-log?doctype=bill"`}},
		{name: "the link keeps them too", req: request{method: "GET", path: "/access-log?doctype=bill", as: "session:alice"}, status: 200,
			contains: []string{`href="/access-log?doctype=bill&amp;mine=1"`}, absent: []string{youCell}},
		{name: "bob sees none of alice's", req: request{method: "GET", path: "/access-log?mine=1", as: "session:bob"}, status: 200, absent: []string{"Volta", "script-alice"}},
	})
	// The number said is the person's own accesses, as the log holds them.
	var log struct {
		Items []store.LogEntry `json:"items"`
	}
	if err := json.Unmarshal([]byte(ts.do(t, request{method: "GET", path: "/api/v1/access-log", as: "session:alice"}).body), &log); err != nil {
		t.Fatal(err)
	}
	own := 0
	for _, e := range log.Items {
		if e.Principal == "owner" {
			own += e.Occurrences()
		}
	}
	res := ts.do(t, request{method: "GET", path: "/access-log", as: "session:alice"})
	if want := fmt.Sprintf("Your own views of your data (%d) are left out", own); own < 3 || !strings.Contains(res.body, want) {
		t.Fatalf("the page does not say %q (%d own accesses)", want, own)
	}
}

// TestConfirmRuleDelete: a rule of My accounts is deleted only from its confirmation page,
// which says what becomes of the operations it sorted and carries the rule's revision and
// the view to come back to.
func TestConfirmRuleDelete(t *testing.T) {
	ts := newTestServer(t)
	accountsAccessData(t, ts)
	page := "/services/selfdata-accounts/rules/rule-alice/delete?rev=1&view_category=leisure"
	playSteps(t, ts, []pageStep{
		{name: "in English", req: request{method: "GET", path: page, as: "session:alice"}, status: 200,
			contains: []string{"Delete the rule “FNAC”?", "go back to the category they had before", "No operation is deleted", "that makes the rule again",
				`name="rev" value="1"`, `name="view_category" value="leisure"`, "Cancel: keep the rule", `href="/services/selfdata-accounts#rule-rule-alice"`}},
		{name: "in French", req: request{method: "GET", path: page + "&lang=fr", as: "session:alice"}, status: 200,
			contains: []string{"Supprimer la règle « FNAC » ?", "Annuler\u202f: garder la règle"}},
		{name: "the page changed nothing", req: request{method: "GET", path: "/api/v1/data/bank.rule/rule-alice", as: "token:alice"}, status: 200},
		{name: "bob's rule", req: request{method: "GET", path: "/services/selfdata-accounts/rules/rule-bob/delete", as: "session:alice"}, status: 404, absent: []string{"FNAC"}},
		{name: "its form deletes", req: request{method: "POST", path: "/services/selfdata-accounts/rules/rule-alice/delete", body: "csrf=" + testCSRF + "&rev=1&view_category=leisure", csrf: true, as: "session:alice"},
			status: 303, location: "/services/selfdata-accounts?category=leisure&done=deleted#rules"},
		{name: "gone", req: request{method: "GET", path: "/api/v1/data/bank.rule/rule-alice", as: "token:alice"}, status: 404},
	})
}
