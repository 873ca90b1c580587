package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"selfdata/internal/oauth"
	"selfdata/internal/store"
)

// The principals of the table test, in the order they play each route: alice's own session
// comes last, so that her writes do not change what the others see.
var principalNames = []string{"anonymous", "bob", "deposit", "service", "service-without-grant", "expired-grant", "expired-token", "withdrawn-grant", "owner"}

// ok in a table stands for any 2xx status.
const ok = 2

// servicePrincipals gives, on ts, the Authorization of the service volta in each state of
// its consent from alice, each token got through the OAuth flow: one under a bill:read
// grant, one under a contract:read grant (used on bills), one under a grant past its end,
// one past its own end, and one whose grant was withdrawn.
func servicePrincipals(t *testing.T, ts *testServer) map[string]string {
	t.Helper()
	alice := ts.alice.in.ID
	bearer := func(tok *oauth2.Token) string { return "Bearer " + tok.AccessToken }
	out := map[string]string{
		"service":               bearer(ts.serviceToken(t, "", "bill")),
		"service-without-grant": bearer(ts.serviceToken(t, "", "contract")),
	}

	// A token past its own end: issued by a server whose tokens end a minute before they
	// are made, over the same store.
	expiring, err := oauth.New(bg, oauth.Config{AccessTTL: -time.Minute, RefreshTTL: time.Hour, CodeTTL: time.Minute}, ts.db, ts.cons)
	if err != nil {
		t.Fatal(err)
	}
	tokens := httptest.NewServer(http.HandlerFunc(expiring.Token))
	t.Cleanup(tokens.Close)
	out["expired-token"] = bearer(ts.serviceToken(t, tokens.URL, "bill"))

	// A grant past its end: its end is moved into the past in the store, as the passing of
	// its 30 days would.
	out["expired-grant"] = bearer(ts.serviceToken(t, "", "bill"))
	g := ts.newestGrant(t)
	ended := time.Now().UTC().Add(-time.Minute).Truncate(time.Microsecond)
	g.Expires = &ended
	if err := ts.db.UpdateGrant(bg, g, store.ConsentEvent{At: ended, Event: store.ConsentRenewed, Record: json.RawMessage(`{}`)}); err != nil {
		t.Fatal(err)
	}

	out["withdrawn-grant"] = bearer(ts.serviceToken(t, "", "bill"))
	if _, err := ts.cons.Withdraw(bg, alice, ts.newestGrant(t).ID); err != nil {
		t.Fatal(err)
	}
	return out
}

// principalRow is one API route: a request on alice's data, and what each principal gets.
type principalRow struct {
	req  request
	want map[string]int // by principal; see expect
	// contains, by principal, what a successful answer must hold.
	contains map[string][]string
	// absent, by principal, what no answer may hold (besides the other person's data).
	absent map[string][]string
}

// expect fills the statuses a route gives each principal. Tokens of a withdrawn or expired
// grant, or expired themselves, are no credential at all (401: the service must ask again),
// like no credential; the deposit credential reaches only the deposit routes.
func expect(owner, bob, service, without, deposit int) map[string]int {
	return map[string]int{"owner": owner, "bob": bob, "service": service, "service-without-grant": without, "deposit": deposit,
		"expired-grant": 401, "expired-token": 401, "withdrawn-grant": 401, "anonymous": 401}
}

func everyone(status int) map[string]int {
	m := map[string]int{}
	for _, p := range principalNames {
		m[p] = status
	}
	return m
}

// TestPrincipalsOnEveryRoute plays every API route of the routes table for each kind of
// principal against alice's data, and checks that none gets beyond what was granted: alice
// reaches all of hers; bob only his own; volta, with alice's bill:read grant, reads her bills
// and nothing else, and writes nothing; the same service under another grant, or with an
// expired or withdrawn one, reads no bill; Enedis' deposit credential only deposits. No
// answer ever holds the other person's data. A route without a row fails the test.
func TestPrincipalsOnEveryRoute(t *testing.T) {
	first := newTestServer(t)
	ifMatch := map[string]string{"If-Match": `"1"`}
	newBill := `{"vendor":"Orange","date":"2025-02-28","amount":"29.99","currency":"EUR"}`
	reading := `[{"at":"2025-01-03T00:00:00Z","value":1}]`
	waterCSV := "compteur;date;index_m3;consommation_l;temperature_c\nC22FA1;2024-03-01;10,000;120;12\nC22FA1;2024-03-02;10,130;130;12\n"
	series := `{"doctype":"reading.gas","name":"Gas","quantity":"energy","unit":"kWh"}`
	hers := []string{"bill-alice", "file-alice", "water-alice"}
	rows := func(ts *testServer) map[string]principalRow {
		return map[string]principalRow{
			"GET /api/v1/openapi.json": {req: request{method: "GET", path: "/api/v1/openapi.json"}, want: everyone(200)},
			"GET /api/v1/doctypes":     {req: request{method: "GET", path: "/api/v1/doctypes"}, want: everyone(200)},
			"GET /api/v1/jwks/{instance}": {req: request{method: "GET", path: "/api/v1/jwks/alice"}, want: everyone(200),
				contains: map[string][]string{"owner": {`"keys":[`}}},

			"GET /api/v1/data/{doctype}": {req: request{method: "GET", path: "/api/v1/data/bill"}, want: expect(200, 200, 200, 403, 403),
				contains: map[string][]string{"owner": {"bill-alice"}, "service": {"bill-alice"}, "bob": {"bill-bob"}}},
			"POST /api/v1/data/{doctype}":        {req: request{method: "POST", path: "/api/v1/data/bill", body: newBill}, want: expect(201, 201, 403, 403, 403)},
			"GET /api/v1/data/{doctype}/{id}":    {req: request{method: "GET", path: "/api/v1/data/bill/bill-alice"}, want: expect(200, 404, 200, 403, 403), contains: map[string][]string{"service": {"61.20"}}},
			"PUT /api/v1/data/{doctype}/{id}":    {req: request{method: "PUT", path: "/api/v1/data/bill/bill-alice", body: newBill, header: ifMatch}, want: expect(ok, 404, 403, 403, 403)},
			"DELETE /api/v1/data/{doctype}/{id}": {req: request{method: "DELETE", path: "/api/v1/data/bill/bill-alice", header: ifMatch}, want: expect(ok, 404, 403, 403, 403)},
			"GET /api/v1/changes": {req: request{method: "GET", path: "/api/v1/changes"}, want: expect(200, 200, 200, 200, 403),
				contains: map[string][]string{"owner": {"bill-alice", "file-alice"}, "service": {"bill-alice"}},
				absent:   map[string][]string{"service": {"file-alice", "water-alice"}, "service-without-grant": hers}},
			"GET /api/v1/holdings": {req: request{method: "GET", path: "/api/v1/holdings"}, want: expect(200, 200, 200, 200, 403),
				contains: map[string][]string{"service": {`"doctype":"bill"`}},
				absent:   map[string][]string{"service": {"reading.water"}, "service-without-grant": {`"doctype":"bill"`, "reading.water"}}},
			"GET /api/v1/access-log":            {req: request{method: "GET", path: "/api/v1/access-log"}, want: expect(200, 200, 403, 403, 403)},
			"GET /api/v1/export":                {req: request{method: "GET", path: "/api/v1/export"}, want: expect(200, 200, 403, 403, 403)},
			"GET /api/v1/consents":              {req: request{method: "GET", path: "/api/v1/consents"}, want: expect(200, 200, 403, 403, 403), contains: map[string][]string{"owner": {ts.grantA}}},
			"GET /api/v1/consents/{id}/receipt": {req: request{method: "GET", path: "/api/v1/consents/" + ts.grantA + "/receipt"}, want: expect(200, 404, 403, 403, 403)},
			"POST /api/v1/consents/{id}/withdraw": {req: request{method: "POST", path: "/api/v1/consents/" + ts.grantA + "/withdraw"}, want: expect(200, 404, 403, 403, 403),
				contains: map[string][]string{"owner": {`"state":"withdrawn"`}}},
			"POST /api/v1/consents/{id}/narrow": {req: request{method: "POST", path: "/api/v1/consents/" + ts.grantA + "/narrow",
				body: `{"doctypes":["meter"],"expires":"` + time.Now().Add(24*time.Hour).UTC().Format(time.RFC3339) + `"}`}, want: expect(200, 404, 403, 403, 403),
				contains: map[string][]string{"owner": {`"state":"active"`, `"doctypes":["meter"]`}}},
			"GET /api/v1/alerts": {req: request{method: "GET", path: "/api/v1/alerts"}, want: expect(200, 200, 403, 403, 403), contains: map[string][]string{"owner": {`"unread":`}}},

			"GET /api/v1/series": {req: request{method: "GET", path: "/api/v1/series"}, want: expect(200, 200, 200, 200, 403),
				contains: map[string][]string{"owner": {"water-alice"}}, absent: map[string][]string{"service": {"water-alice"}, "service-without-grant": {"water-alice"}}},
			"POST /api/v1/series":               {req: request{method: "POST", path: "/api/v1/series", body: series}, want: expect(201, 201, 403, 403, 403)},
			"GET /api/v1/series/{id}":           {req: request{method: "GET", path: "/api/v1/series/water-alice"}, want: expect(200, 404, 404, 404, 403)},
			"GET /api/v1/series/{id}/readings":  {req: request{method: "GET", path: "/api/v1/series/water-alice/readings"}, want: expect(200, 404, 404, 404, 403)},
			"POST /api/v1/series/{id}/readings": {req: request{method: "POST", path: "/api/v1/series/water-alice/readings", body: reading}, want: expect(ok, 404, 404, 404, 403)},
			"GET /api/v1/series/{id}/aggregate": {req: request{method: "GET", path: "/api/v1/series/water-alice/aggregate?step=month"}, want: expect(200, 404, 404, 404, 403)},

			"POST /api/v1/files": {req: request{method: "POST", path: "/api/v1/files?name=note.txt", body: "hello", header: map[string]string{"Content-Type": "text/plain"}},
				want: expect(201, 201, 403, 403, 403)},
			"GET /api/v1/files/{id}":      {req: request{method: "GET", path: "/api/v1/files/file-alice"}, want: expect(200, 404, 403, 403, 403)},
			"GET /api/v1/files/{id}/meta": {req: request{method: "GET", path: "/api/v1/files/file-alice/meta"}, want: expect(200, 404, 403, 403, 403)},
			"POST /api/v1/imports":        {req: request{method: "POST", path: "/api/v1/imports?name=eau.csv", body: waterCSV}, want: expect(200, 200, 403, 403, 403)},

			"GET /api/v1/connections":                {req: request{method: "GET", path: "/api/v1/connections"}, want: expect(200, 200, 403, 403, 403), contains: map[string][]string{"owner": {ts.connA}}},
			"POST /api/v1/connections/{id}/{action}": {req: request{method: "POST", path: "/api/v1/connections/" + ts.connA + "/revoke"}, want: expect(ok, 404, 403, 403, 403)},
			"GET /api/v1/pulls":                      {req: request{method: "GET", path: "/api/v1/pulls"}, want: expect(200, 200, 403, 403, 403)},

			"POST /api/v1/org/connections":     {req: request{method: "POST", path: "/api/v1/org/connections", body: `{"instance":"alice","doctypes":["meter"]}`}, want: expect(403, 403, 403, 403, 403)},
			"GET /api/v1/org/connections/{id}": {req: request{method: "GET", path: "/api/v1/org/connections/" + ts.connA}, want: expect(403, 403, 403, 403, 403)},
			"POST /api/v1/deposits": {req: request{method: "POST", path: "/api/v1/deposits", body: `{"documents":[{"doctype":"meter","id":"PRM-1","data":{"kind":"electricity","identifier":"12345678901234"}}]}`},
				want: expect(403, 403, 403, 403, 200)},
			"POST /api/v1/deposits/files": {req: request{method: "POST", path: "/api/v1/deposits/files?id=F1&name=facture.pdf&doctype=bill&record=B1", body: "%PDF-1.4", header: map[string]string{"Content-Type": "application/pdf"}},
				want: expect(403, 403, 403, 403, 201)},
		}
	}
	table := rows(first)
	for _, pattern := range first.srv.Patterns() {
		_, path, _ := strings.Cut(pattern, " ")
		if !strings.HasPrefix(path, "/api/") {
			continue
		}
		if _, found := table[pattern]; !found {
			t.Errorf("API route %q has no row in the principals table", pattern)
			continue
		}
		delete(table, pattern)
		t.Run(pattern, func(t *testing.T) {
			ts := newTestServer(t) // each route on a fresh store: one route's writes do not change the next's answers
			row := rows(ts)[pattern]
			as := servicePrincipals(t, ts)
			as["owner"], as["bob"], as["deposit"] = "session:alice", "session:bob", "deposit"
			mine := append([]string{ts.grantA, ts.connA}, hers...)
			theirs := []string{"bill-bob", "file-bob", "water-bob", ts.grantB, ts.connB}
			for _, who := range principalNames {
				want, found := row.want[who]
				if !found {
					t.Fatalf("no expected status for %s", who)
				}
				rq := row.req
				rq.as = as[who]
				res := ts.do(t, rq)
				if want == ok && (res.status < 200 || res.status > 299) || want != ok && res.status != want {
					t.Errorf("%s: status %d, want %d; body %s", who, res.status, want, res.body)
					continue
				}
				if res.status >= 300 && res.status != http.StatusNotModified && strings.Contains(res.body, "61.20") {
					t.Errorf("%s: a refusal holds a bill's data: %s", who, res.body)
				}
				other := theirs
				if who == "bob" {
					other = mine // bob reaches his store, never alice's
				}
				for _, s := range append(other, row.absent[who]...) {
					if res.status >= 400 && strings.Contains(rq.path, s) {
						continue // a refusal names what was asked for, and nothing more
					}
					if strings.Contains(res.body, s) {
						t.Errorf("%s: answer holds %q: %s", who, s, res.body)
					}
				}
				for _, s := range row.contains[who] {
					if !strings.Contains(res.body, s) {
						t.Errorf("%s: answer lacks %q: %s", who, s, res.body)
					}
				}
			}
		})
	}
	for pattern := range table {
		t.Errorf("row for %q, which is not an API route", pattern)
	}
}

// TestServiceInAccessLog checks that a service's reads show in the person's access log under
// its name and purpose, and in no one else's.
func TestServiceInAccessLog(t *testing.T) {
	ts := newTestServer(t)
	tok := ts.serviceToken(t, "", "bill")
	svc := request{method: "GET", path: "/api/v1/data/bill", as: "Bearer " + tok.AccessToken}
	if res := ts.do(t, svc); res.status != 200 || !strings.Contains(res.body, "bill-alice") || strings.Contains(res.body, "bill-bob") {
		t.Fatalf("service read: %d %s", res.status, res.body)
	}
	res := ts.do(t, request{method: "GET", path: "/api/v1/access-log", as: "session:alice"})
	for _, s := range []string{`"principal":"service"`, `"actor_name":"Volta"`, `"purpose":"dpv:ServiceProvision"`} {
		if !strings.Contains(res.body, s) {
			t.Errorf("access log lacks %s: %s", s, res.body)
		}
	}
	if res := ts.do(t, request{method: "GET", path: "/api/v1/access-log", as: "session:bob"}); strings.Contains(res.body, "Volta") {
		t.Errorf("bob's log shows alice's service: %s", res.body)
	}
}
