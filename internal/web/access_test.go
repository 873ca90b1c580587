package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// scenario is one request and what must come back.
type scenario struct {
	name     string
	req      request
	status   int
	contains []string // substrings the body must have
	absent   []string // substrings it must not have (the other person's data)
}

// TestAccessGate plays, for every route of the routes table, requests by alice (session and
// token), by a token limited to bills, and by nobody, against alice's and bob's data. A route
// without scenarios fails the test, so no route escapes it.
func TestAccessGate(t *testing.T) {
	ts := newTestServer(t)
	ts.seedContracts(t)       // an EDF contract each, My contracts on for alice only
	accountsAccessData(t, ts) // op-alice, rule-alice, op-bob, rule-bob

	reqA, reqB := rightsAccessData(t, ts) // a request each to Enedis
	bills, _, err := ts.auth.CreateToken(bg, ts.alice.in.ID, "bill:read", "bills only")
	if err != nil {
		t.Fatal(err)
	}
	billsOnly := "Bearer " + bills
	ifMatch := map[string]string{"If-Match": `"1"`}
	newBill := `{"vendor":"Orange","date":"2025-02-28","amount":"29.99","currency":"EUR"}`
	waterCSV := "compteur;date;index_m3;consommation_l;temperature_c\nC22FA1;2024-03-01;10,000;120;12\nC22FA1;2024-03-02;10,130;130;12\n"
	anon401 := func(method, path, body string) scenario {
		return scenario{name: "anonymous", req: request{method: method, path: path, body: body}, status: http.StatusUnauthorized}
	}
	// Sign of life: alice and bob share with a relative each; alice has one more to stop, and
	// an invitation not redeemed yet.
	ts.switchSignOfLifeOn(t, ts.alice)
	ts.switchSignOfLifeOn(t, ts.bob)
	relA, relACookie := ts.relativeOf(t, ts.alice, "Dominique Martin")
	relB, relBCookie := ts.relativeOf(t, ts.bob, "Sacha Durand")
	relStop, relStopCookie := ts.relativeOf(t, ts.alice, "Lou Petit")
	pending, _ := ts.invitation(t, ts.alice, "Camille Roux")
	taken, _ := ts.invitation(t, ts.alice, "Noa Blanc")
	asRelA, asRelB := asRelative(relACookie), asRelative(relBCookie)
	invite := "csrf=" + testCSRF + "&name=Yaël+Martin&person_name=Alice&expect=10&signal=usual_activity"
	stopA, stopB, stopLou := solPath+"/relatives/"+relA.ID+"/stop", solPath+"/relatives/"+relB.ID+"/stop", solPath+"/relatives/"+relStop.ID+"/stop"
	join := func(code, login string) string {
		return "csrf=" + testCSRF + "&code=" + code + "&login=" + login + "&passphrase=a+long+enough+passphrase&confirm=a+long+enough+passphrase"
	}
	scenarios := map[string][]scenario{
		"GET /healthz":             {{name: "anyone", req: request{method: "GET", path: "/healthz"}, status: 200}},
		"GET /api/v1/openapi.json": {{name: "anyone", req: request{method: "GET", path: "/api/v1/openapi.json"}, status: 200, contains: []string{`"openapi"`}}},
		"GET /api/v1/doctypes":     {{name: "anyone", req: request{method: "GET", path: "/api/v1/doctypes"}, status: 200, contains: []string{"bank.operation", "reveals"}}},
		"GET /api/v1/data/{doctype}": {
			{name: "alice's session lists her bills only", req: request{method: "GET", path: "/api/v1/data/bill", as: "session:alice"}, status: 200, contains: []string{"bill-alice"}, absent: []string{"bill-bob"}},
			{name: "alice's token lists her bills only", req: request{method: "GET", path: "/api/v1/data/bill", as: "token:alice"}, status: 200, contains: []string{"bill-alice"}, absent: []string{"bill-bob"}},
			{name: "bills-only token", req: request{method: "GET", path: "/api/v1/data/bill", as: billsOnly}, status: 200, contains: []string{"bill-alice"}, absent: []string{"bill-bob"}},
			{name: "bills-only token on contracts", req: request{method: "GET", path: "/api/v1/data/contract", as: billsOnly}, status: 403},
			{name: "unknown token", req: request{method: "GET", path: "/api/v1/data/bill", as: "Bearer sdp_forged"}, status: 401},
			{name: "a deposit credential is write-only", req: request{method: "GET", path: "/api/v1/data/bill", as: "deposit"}, status: 403},
			{name: "an organization key reads nothing", req: request{method: "GET", path: "/api/v1/data/bill", as: "org"}, status: 403},
			{name: "forged deposit credential", req: request{method: "GET", path: "/api/v1/data/bill", as: "Bearer sdd_forged"}, status: 401},
			{name: "not a bearer", req: request{method: "GET", path: "/api/v1/data/bill", as: "Basic YWxpY2U6eA=="}, status: 401},
			anon401("GET", "/api/v1/data/bill", ""),
			{name: "a relative's session", req: request{method: "GET", path: "/api/v1/data/bill", header: asRelA}, status: 401, absent: []string{"bill-alice"}},
		},
		"POST /api/v1/data/{doctype}": {
			{name: "alice creates in her store", req: request{method: "POST", path: "/api/v1/data/bill", body: newBill, as: "token:alice"}, status: 201, contains: []string{`"kind":"token"`}},
			{name: "bills-only token cannot write", req: request{method: "POST", path: "/api/v1/data/bill", body: newBill, as: billsOnly}, status: 403},
			anon401("POST", "/api/v1/data/bill", newBill),
			{name: "bob still has one bill", req: request{method: "GET", path: "/api/v1/data/bill", as: "token:bob"}, status: 200, contains: []string{"bill-bob"}, absent: []string{"Orange", "bill-alice"}},
		},
		"GET /api/v1/data/{doctype}/{id}": {
			{name: "alice's own bill", req: request{method: "GET", path: "/api/v1/data/bill/bill-alice", as: "session:alice"}, status: 200, contains: []string{"61.20"}},
			{name: "bob's bill by alice's session", req: request{method: "GET", path: "/api/v1/data/bill/bill-bob", as: "session:alice"}, status: 404, absent: []string{"61.20"}},
			{name: "bob's bill by alice's token", req: request{method: "GET", path: "/api/v1/data/bill/bill-bob", as: "token:alice"}, status: 404},
			anon401("GET", "/api/v1/data/bill/bill-alice", ""),
		},
		"PUT /api/v1/data/{doctype}/{id}": {
			{name: "bob's bill by alice", req: request{method: "PUT", path: "/api/v1/data/bill/bill-bob", body: newBill, header: ifMatch, as: "token:alice"}, status: 404},
			{name: "bills-only token", req: request{method: "PUT", path: "/api/v1/data/bill/bill-alice", body: newBill, header: ifMatch, as: billsOnly}, status: 403},
			anon401("PUT", "/api/v1/data/bill/bill-alice", newBill),
		},
		"DELETE /api/v1/data/{doctype}/{id}": {
			{name: "bob's bill by alice", req: request{method: "DELETE", path: "/api/v1/data/bill/bill-bob", header: ifMatch, as: "session:alice"}, status: 404},
			{name: "bills-only token", req: request{method: "DELETE", path: "/api/v1/data/bill/bill-alice", header: ifMatch, as: billsOnly}, status: 403},
			anon401("DELETE", "/api/v1/data/bill/bill-alice", ""),
			{name: "bob's bill is intact", req: request{method: "GET", path: "/api/v1/data/bill/bill-bob", as: "session:bob"}, status: 200, contains: []string{`"rev":"1"`}},
		},
		"GET /api/v1/changes": {
			{name: "alice's feed", req: request{method: "GET", path: "/api/v1/changes", as: "token:alice"}, status: 200, contains: []string{"bill-alice"}, absent: []string{"bill-bob", "file-bob"}},
			{name: "bills-only token sees bills only", req: request{method: "GET", path: "/api/v1/changes", as: billsOnly}, status: 200, contains: []string{"bill-alice"}, absent: []string{"file-alice"}},
			anon401("GET", "/api/v1/changes", ""),
		},
		"GET /api/v1/holdings": {
			{name: "alice's holdings", req: request{method: "GET", path: "/api/v1/holdings", as: "session:alice"}, status: 200, contains: []string{`"doctype":"reading.water"`}},
			{name: "bills-only token", req: request{method: "GET", path: "/api/v1/holdings", as: billsOnly}, status: 200, contains: []string{`"doctype":"bill"`}, absent: []string{"reading.water"}},
			anon401("GET", "/api/v1/holdings", ""),
		},
		"GET /api/v1/access-log": {
			{name: "bob reads with his token", req: request{method: "GET", path: "/api/v1/data/bill", as: "token:bob"}, status: 200},
			{name: "alice's log", req: request{method: "GET", path: "/api/v1/access-log", as: "session:alice"}, status: 200, contains: []string{"script-alice"}, absent: []string{"script-bob"}},
			{name: "a token cannot read the log", req: request{method: "GET", path: "/api/v1/access-log", as: billsOnly}, status: 403},
			anon401("GET", "/api/v1/access-log", ""),
		},
		"GET /api/v1/export": {
			{name: "alice's session", req: request{method: "GET", path: "/api/v1/export", as: "session:alice"}, status: 200, contains: []string{"README.md", "manifest.json", "documents/bill.jsonl", "access-log.jsonl"}},
			{name: "alice's token", req: request{method: "GET", path: "/api/v1/export", as: "token:alice"}, status: 200, contains: []string{"manifest.json"}},
			{name: "a bills-only token", req: request{method: "GET", path: "/api/v1/export", as: billsOnly}, status: 403, absent: []string{"manifest.json"}},
			anon401("GET", "/api/v1/export", ""),
		},
		"GET /api/v1/consents": {
			{name: "alice's grants", req: request{method: "GET", path: "/api/v1/consents", as: "session:alice"}, status: 200, contains: []string{ts.grantA, `"state":"active"`}, absent: []string{ts.grantB}},
			{name: "bob's grants", req: request{method: "GET", path: "/api/v1/consents", as: "session:bob"}, status: 200, contains: []string{ts.grantB}, absent: []string{ts.grantA}},
			{name: "a token may not read them", req: request{method: "GET", path: "/api/v1/consents", as: "token:alice"}, status: 403},
			{name: "a deposit credential", req: request{method: "GET", path: "/api/v1/consents", as: "deposit"}, status: 403},
			anon401("GET", "/api/v1/consents", ""),
		},
		"GET /api/v1/consents/{id}/receipt": {
			{name: "alice's receipt", req: request{method: "GET", path: "/api/v1/consents/" + ts.grantA + "/receipt", as: "session:alice"}, status: 200, contains: []string{"eyJ"}},
			{name: "bob's receipt by alice", req: request{method: "GET", path: "/api/v1/consents/" + ts.grantB + "/receipt", as: "session:alice"}, status: 404, absent: []string{"eyJ"}},
			{name: "a token", req: request{method: "GET", path: "/api/v1/consents/" + ts.grantA + "/receipt", as: "token:alice"}, status: 403},
			{name: "the organization key", req: request{method: "GET", path: "/api/v1/consents/" + ts.grantA + "/receipt", as: "org"}, status: 403},
			anon401("GET", "/api/v1/consents/"+ts.grantA+"/receipt", ""),
		},
		"POST /api/v1/consents/{id}/narrow": {
			{name: "bob's grant by alice", req: request{method: "POST", path: "/api/v1/consents/" + ts.grantB + "/narrow", body: `{"doctypes":["meter"]}`, as: "session:alice"}, status: 404},
			{name: "a token", req: request{method: "POST", path: "/api/v1/consents/" + ts.grantA + "/narrow", body: `{"doctypes":["meter"]}`, as: "token:alice"}, status: 403},
			anon401("POST", "/api/v1/consents/"+ts.grantA+"/narrow", `{"doctypes":["meter"]}`),
		},
		"POST /api/v1/consents/{id}/withdraw": {
			{name: "bob's grant by alice", req: request{method: "POST", path: "/api/v1/consents/" + ts.grantB + "/withdraw", as: "session:alice"}, status: 404},
			{name: "a token", req: request{method: "POST", path: "/api/v1/consents/" + ts.grantA + "/withdraw", as: "token:alice"}, status: 403},
			{name: "the organization key", req: request{method: "POST", path: "/api/v1/consents/" + ts.grantA + "/withdraw", as: "org"}, status: 403},
			anon401("POST", "/api/v1/consents/"+ts.grantA+"/withdraw", ""),
			{name: "alice withdraws hers", req: request{method: "POST", path: "/api/v1/consents/" + ts.grantA + "/withdraw", as: "session:alice"}, status: 200, contains: []string{ts.grantA, `"state":"withdrawn"`}},
			{name: "twice", req: request{method: "POST", path: "/api/v1/consents/" + ts.grantA + "/withdraw", as: "session:alice"}, status: 400, contains: []string{"already withdrawn"}},
			{name: "bob's grant is still active", req: request{method: "GET", path: "/api/v1/consents", as: "session:bob"}, status: 200, contains: []string{ts.grantB, `"state":"active"`}},
		},
		"GET /api/v1/alerts": {
			{name: "alice's alerts", req: request{method: "GET", path: "/api/v1/alerts?unread=true", as: "session:alice"}, status: 200, contains: []string{`"items":[]`, `"unread":0`}},
			{name: "not a boolean", req: request{method: "GET", path: "/api/v1/alerts?unread=maybe", as: "session:alice"}, status: 400},
			{name: "a token may not read them", req: request{method: "GET", path: "/api/v1/alerts", as: "token:alice"}, status: 403},
			{name: "a deposit credential", req: request{method: "GET", path: "/api/v1/alerts", as: "deposit"}, status: 403},
			anon401("GET", "/api/v1/alerts", ""),
		},
		"GET /api/v1/jwks/{instance}": {
			{name: "anyone, alice's keys", req: request{method: "GET", path: "/api/v1/jwks/alice"}, status: 200, contains: []string{`"keys":[`}},
			{name: "with a session too", req: request{method: "GET", path: "/api/v1/jwks/bob", as: "session:alice"}, status: 200, contains: []string{`"keys":[`}},
			{name: "an unknown instance", req: request{method: "GET", path: "/api/v1/jwks/nobody"}, status: 404},
		},
		"GET /api/v1/series": {
			{name: "alice's series", req: request{method: "GET", path: "/api/v1/series", as: "token:alice"}, status: 200, contains: []string{"water-alice"}, absent: []string{"water-bob"}},
			{name: "bills-only token lists none", req: request{method: "GET", path: "/api/v1/series", as: billsOnly}, status: 200, absent: []string{"water-alice"}},
			anon401("GET", "/api/v1/series", ""),
		},
		"POST /api/v1/series": {
			{name: "alice creates a series", req: request{method: "POST", path: "/api/v1/series", body: `{"doctype":"reading.gas","name":"Gas","quantity":"energy","unit":"kWh"}`, as: "token:alice"}, status: 201},
			{name: "bills-only token", req: request{method: "POST", path: "/api/v1/series", body: `{"doctype":"reading.gas","name":"Gas","quantity":"energy","unit":"kWh"}`, as: billsOnly}, status: 403},
			anon401("POST", "/api/v1/series", `{}`),
		},
		"GET /api/v1/series/{id}": {
			{name: "bob's series by alice", req: request{method: "GET", path: "/api/v1/series/water-bob", as: "token:alice"}, status: 404},
			{name: "bills-only token on water", req: request{method: "GET", path: "/api/v1/series/water-alice", as: billsOnly}, status: 404},
			anon401("GET", "/api/v1/series/water-alice", ""),
		},
		"GET /api/v1/series/{id}/readings": {
			{name: "alice's readings", req: request{method: "GET", path: "/api/v1/series/water-alice/readings", as: "token:alice"}, status: 200, contains: []string{"130"}},
			{name: "bob's readings by alice", req: request{method: "GET", path: "/api/v1/series/water-bob/readings", as: "session:alice"}, status: 404},
			anon401("GET", "/api/v1/series/water-alice/readings", ""),
			{name: "a relative's session", req: request{method: "GET", path: "/api/v1/series/water-alice/readings", header: asRelA}, status: 401, absent: []string{"130"}},
		},
		"POST /api/v1/series/{id}/readings": {
			{name: "into bob's series by alice", req: request{method: "POST", path: "/api/v1/series/water-bob/readings", body: `[{"at":"2025-01-03T00:00:00Z","value":1}]`, as: "token:alice"}, status: 404},
			{name: "bills-only token", req: request{method: "POST", path: "/api/v1/series/water-alice/readings", body: `[{"at":"2025-01-03T00:00:00Z","value":1}]`, as: billsOnly}, status: 404},
			anon401("POST", "/api/v1/series/water-alice/readings", `[]`),
		},
		"GET /api/v1/series/{id}/aggregate": {
			{name: "alice's month", req: request{method: "GET", path: "/api/v1/series/water-alice/aggregate?step=month", as: "token:alice"}, status: 200, contains: []string{`"value":250`}},
			{name: "bob's by alice", req: request{method: "GET", path: "/api/v1/series/water-bob/aggregate?step=month", as: "token:alice"}, status: 404},
			anon401("GET", "/api/v1/series/water-alice/aggregate", ""),
		},
		"POST /api/v1/files": {
			{name: "alice uploads", req: request{method: "POST", path: "/api/v1/files?name=note.txt", body: "hello", header: map[string]string{"Content-Type": "text/plain"}, as: "token:alice"}, status: 201, contains: []string{`"name":"note.txt"`}},
			{name: "bills-only token", req: request{method: "POST", path: "/api/v1/files?name=note.txt", body: "hello", as: billsOnly}, status: 403},
			anon401("POST", "/api/v1/files?name=x", "x"),
		},
		"GET /api/v1/files/{id}": {
			{name: "alice's file", req: request{method: "GET", path: "/api/v1/files/file-alice", as: "session:alice"}, status: 200, contains: []string{"%PDF-1.4 alice"}},
			{name: "bob's file by alice", req: request{method: "GET", path: "/api/v1/files/file-bob", as: "token:alice"}, status: 404, absent: []string{"%PDF"}},
			anon401("GET", "/api/v1/files/file-alice", ""),
		},
		"GET /api/v1/files/{id}/meta": {
			{name: "bob's file meta by alice", req: request{method: "GET", path: "/api/v1/files/file-bob/meta", as: "session:alice"}, status: 404},
			{name: "bills-only token", req: request{method: "GET", path: "/api/v1/files/file-alice/meta", as: billsOnly}, status: 403},
			anon401("GET", "/api/v1/files/file-alice/meta", ""),
		},
		"POST /api/v1/imports": {
			{name: "alice's token, a file of no known format", req: request{method: "POST", path: "/api/v1/imports?name=notes.txt", body: "hello", as: "token:alice"}, status: 422, contains: []string{"nothing was written"}},
			{name: "alice's token, a water CSV", req: request{method: "POST", path: "/api/v1/imports?name=eau.csv", body: waterCSV, as: "token:alice"}, status: 200, contains: []string{`"readings_added":6`, `"format":"water.csv"`}},
			{name: "bills-only token cannot import meters", req: request{method: "POST", path: "/api/v1/imports?name=eau.csv", body: waterCSV, as: billsOnly}, status: 403},
			{name: "bob did not get alice's import", req: request{method: "GET", path: "/api/v1/data/meter", as: "token:bob"}, status: 200, absent: []string{"C22FA"}},
			{name: "a deposit credential", req: request{method: "POST", path: "/api/v1/imports?name=notes.txt", body: "hello", as: "deposit"}, status: 403},
			anon401("POST", "/api/v1/imports?name=x", "x"),
		},
		"GET /api/v1/connections": {
			{name: "alice's connections", req: request{method: "GET", path: "/api/v1/connections", as: "session:alice"}, status: 200, contains: []string{ts.connA, "legal_obligation"}, absent: []string{ts.connB}},
			{name: "bob's", req: request{method: "GET", path: "/api/v1/connections", as: "session:bob"}, status: 200, contains: []string{ts.connB, `"state":"pending"`}, absent: []string{ts.connA}},
			{name: "a token may not manage connections", req: request{method: "GET", path: "/api/v1/connections", as: "token:alice"}, status: 403},
			anon401("GET", "/api/v1/connections", ""),
		},
		"POST /api/v1/connections/{id}/{action}": {
			{name: "alice approving bob's connection", req: request{method: "POST", path: "/api/v1/connections/" + ts.connB + "/approve", as: "session:alice"}, status: 404},
			{name: "a token", req: request{method: "POST", path: "/api/v1/connections/" + ts.connA + "/revoke", as: "token:alice"}, status: 403},
			{name: "the organization", req: request{method: "POST", path: "/api/v1/connections/" + ts.connB + "/approve", as: "org"}, status: 403},
			anon401("POST", "/api/v1/connections/"+ts.connB+"/approve", ""),
			{name: "bob's connection is still pending", req: request{method: "GET", path: "/api/v1/connections", as: "session:bob"}, status: 200, contains: []string{`"state":"pending"`}},
		},
		"GET /api/v1/pulls": {
			{name: "alice's runs (no connector here: none)", req: request{method: "GET", path: "/api/v1/pulls", as: "session:alice"}, status: 200, contains: []string{`"items":[]`}},
			{name: "a token may not read them", req: request{method: "GET", path: "/api/v1/pulls", as: "token:alice"}, status: 403},
			{name: "a deposit credential", req: request{method: "GET", path: "/api/v1/pulls", as: "deposit"}, status: 403},
			anon401("GET", "/api/v1/pulls", ""),
		},
		"GET /connect/{org}": {
			{name: "alice, no connector configured", req: request{method: "GET", path: "/connect/enedis", as: "session:alice"}, status: 404},
			{name: "a token gets no pages", req: request{method: "GET", path: "/connect/enedis", as: "token:alice"}, status: 303},
			{name: "anonymous goes to login", req: request{method: "GET", path: "/connect/enedis"}, status: 303},
		},
		"GET /connect/{org}/callback": {
			{name: "alice, no connector configured", req: request{method: "GET", path: "/connect/enedis/callback?code=c&state=s", as: "session:alice"}, status: 404},
			{name: "a token gets no pages", req: request{method: "GET", path: "/connect/enedis/callback?code=c&state=s", as: "token:alice"}, status: 303},
			{name: "anonymous goes to login", req: request{method: "GET", path: "/connect/enedis/callback?code=c&state=s"}, status: 303},
		},
		"POST /api/v1/org/connections": {
			{name: "the organization asks bob", req: request{method: "POST", path: "/api/v1/org/connections", body: `{"instance":"bob","doctypes":["meter"]}`, as: "org"}, status: 201, contains: []string{`"state":"pending"`}},
			{name: "outside its declaration", req: request{method: "POST", path: "/api/v1/org/connections", body: `{"instance":"bob","doctypes":["bank.operation"]}`, as: "org"}, status: 403},
			{name: "a person's token", req: request{method: "POST", path: "/api/v1/org/connections", body: `{"instance":"bob","doctypes":["meter"]}`, as: "token:alice"}, status: 403},
			{name: "a deposit credential", req: request{method: "POST", path: "/api/v1/org/connections", body: `{"instance":"bob","doctypes":["meter"]}`, as: "deposit"}, status: 403},
			anon401("POST", "/api/v1/org/connections", `{}`),
		},
		"GET /api/v1/org/connections/{id}": {
			{name: "the organization, credential already claimed", req: request{method: "GET", path: "/api/v1/org/connections/" + ts.connA, as: "org"}, status: 200, contains: []string{`"credential_issued":true`}, absent: []string{`"credential":`}},
			{name: "alice's session", req: request{method: "GET", path: "/api/v1/org/connections/" + ts.connA, as: "session:alice"}, status: 403},
			anon401("GET", "/api/v1/org/connections/"+ts.connA, ""),
		},
		"POST /api/v1/deposits": {
			{name: "Enedis deposits for alice", req: request{method: "POST", path: "/api/v1/deposits", body: `{"documents":[{"doctype":"meter","id":"PRM-1","data":{"kind":"electricity","identifier":"12345678901234"}}]}`, as: "deposit"}, status: 200, contains: []string{`"created":1`}},
			{name: "outside the connection's doctypes", req: request{method: "POST", path: "/api/v1/deposits", body: `{"documents":[{"doctype":"contract","id":"C-1","data":{"type":"electricity","provider":"EDF"}}]}`, as: "deposit"}, status: 403},
			{name: "alice's token", req: request{method: "POST", path: "/api/v1/deposits", body: `{}`, as: "token:alice"}, status: 403},
			{name: "the organization key", req: request{method: "POST", path: "/api/v1/deposits", body: `{}`, as: "org"}, status: 403},
			anon401("POST", "/api/v1/deposits", `{}`),
			{name: "bob got nothing", req: request{method: "GET", path: "/api/v1/data/meter", as: "token:bob"}, status: 200, absent: []string{"12345678901234"}},
		},
		"POST /api/v1/deposits/files": {
			{name: "Enedis deposits a PDF", req: request{method: "POST", path: "/api/v1/deposits/files?id=F1&name=facture.pdf&doctype=bill&record=B1", body: "%PDF-1.4", header: map[string]string{"Content-Type": "application/pdf"}, as: "deposit"}, status: 201},
			{name: "alice's token", req: request{method: "POST", path: "/api/v1/deposits/files?id=F1&name=x.pdf", body: "x", as: "token:alice"}, status: 403},
			anon401("POST", "/api/v1/deposits/files?id=F1&name=x.pdf", "x"),
		},
		"GET /data": {
			{name: "alice's data", req: request{method: "GET", path: "/data", as: "session:alice"}, status: 200, contains: []string{"/data/bill"}},
			{name: "a token gets no pages", req: request{method: "GET", path: "/data", as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "GET", path: "/data"}, status: 303},
			{name: "a relative's session gets no pages", req: request{method: "GET", path: "/data", header: asRelA}, status: 303},
		},
		"GET /data/{doctype}": {
			{name: "alice's bills", req: request{method: "GET", path: "/data/bill", as: "session:alice"}, status: 200, contains: []string{"/data/bill/bill-alice"}, absent: []string{"bill-bob"}},
			{name: "anonymous", req: request{method: "GET", path: "/data/bill"}, status: 303},
		},
		"GET /data/{doctype}/{id}": {
			{name: "alice's bill", req: request{method: "GET", path: "/data/bill/bill-alice", as: "session:alice"}, status: 200, contains: []string{"61.20"}},
			{name: "bob's bill by alice", req: request{method: "GET", path: "/data/bill/bill-bob", as: "session:alice"}, status: 404},
			{name: "anonymous", req: request{method: "GET", path: "/data/bill/bill-alice"}, status: 303},
		},
		"GET /data/{doctype}/{id}/correct": {
			{name: "alice's bill", req: request{method: "GET", path: "/data/bill/bill-alice/correct", as: "session:alice"}, status: 200, contains: []string{`name="f.amount" value="61.20"`}},
			{name: "bob's bill by alice", req: request{method: "GET", path: "/data/bill/bill-bob/correct", as: "session:alice"}, status: 404, absent: []string{"61.20"}},
			{name: "a token gets no pages", req: request{method: "GET", path: "/data/bill/bill-alice/correct", as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "GET", path: "/data/bill/bill-alice/correct"}, status: 303},
		},
		"POST /data/{doctype}/{id}/correct": {
			{name: "bob's bill by alice", req: request{method: "POST", path: "/data/bill/bill-bob/correct", body: "csrf=" + testCSRF + "&rev=1&f.amount=1.00", csrf: true, as: "session:alice"}, status: 404},
			{name: "alice at a revision that is not", req: request{method: "POST", path: "/data/bill/bill-alice/correct", body: "csrf=" + testCSRF + "&rev=9&f.amount=1.00", csrf: true, as: "session:alice"}, status: 409, contains: []string{`value="61.20"`}},
			{name: "alice changes nothing", req: request{method: "POST", path: "/data/bill/bill-alice/correct", body: "csrf=" + testCSRF + "&rev=1&f.amount=61.20", csrf: true, as: "session:alice"}, status: 303},
			{name: "without CSRF token", req: request{method: "POST", path: "/data/bill/bill-alice/correct", body: "rev=1&f.amount=1.00", as: "session:alice",
				header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, status: 403},
			{name: "a token", req: request{method: "POST", path: "/data/bill/bill-alice/correct", body: "csrf=" + testCSRF + "&rev=1&f.amount=1.00", csrf: true, as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "POST", path: "/data/bill/bill-alice/correct", body: "csrf=" + testCSRF + "&rev=1&f.amount=1.00", csrf: true}, status: 303},
		},
		"GET /data/{doctype}/{id}/delete": {
			{name: "alice's bill", req: request{method: "GET", path: "/data/bill/bill-alice/delete", as: "session:alice"}, status: 200,
				contains: []string{`action="/data/bill/bill-alice/delete"`, `name="csrf"`, `name="rev" value="1"`}},
			{name: "bob's bill by alice", req: request{method: "GET", path: "/data/bill/bill-bob/delete", as: "session:alice"}, status: 404, absent: []string{`action="/data/bill/bill-bob/delete"`, "61.20"}},
			{name: "a token", req: request{method: "GET", path: "/data/bill/bill-alice/delete", as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "GET", path: "/data/bill/bill-alice/delete"}, status: 303},
		},
		"POST /data/{doctype}/{id}/delete": {
			{name: "without CSRF token", req: request{method: "POST", path: "/data/bill/bill-alice/delete", body: "rev=1",
				header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"}, status: 403},
			{name: "bob's bill by alice", req: request{method: "POST", path: "/data/bill/bill-bob/delete", body: "csrf=" + testCSRF + "&rev=1", csrf: true, as: "session:alice"}, status: 404},
			{name: "a stale revision", req: request{method: "POST", path: "/data/bill/bill-alice/delete", body: "csrf=" + testCSRF + "&rev=7", csrf: true, as: "session:alice"}, status: 409},
			{name: "anonymous", req: request{method: "POST", path: "/data/bill/bill-alice/delete", body: "csrf=" + testCSRF + "&rev=1", csrf: true}, status: 303},
			{name: "bob's bill is still there", req: request{method: "GET", path: "/api/v1/data/bill/bill-bob", as: "token:bob"}, status: 200},
			{name: "alice's bill is still there", req: request{method: "GET", path: "/api/v1/data/bill/bill-alice", as: "token:alice"}, status: 200},
		},
		"GET /search": {
			{name: "alice searches", req: request{method: "GET", path: "/search?q=EDF", as: "session:alice"}, status: 200, contains: []string{"/data/bill/bill-alice"}, absent: []string{"bill-bob"}},
			{name: "anonymous", req: request{method: "GET", path: "/search?q=EDF"}, status: 303},
		},
		"GET /services": {
			{name: "alice's services", req: request{method: "GET", path: "/services", as: "session:alice"}, status: 200, contains: []string{"/services/selfdata-energy"}},
			{name: "a token", req: request{method: "GET", path: "/services", as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "GET", path: "/services"}, status: 303},
		},
		"GET /services/{id}": {
			{name: "off for alice", req: request{method: "GET", path: "/services/selfdata-energy", as: "session:alice"}, status: 200, contains: []string{"/services/selfdata-energy/enable"}},
			{name: "a token", req: request{method: "GET", path: "/services/selfdata-energy", as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "GET", path: "/services/selfdata-energy"}, status: 303},
			{name: "a relative's session", req: request{method: "GET", path: "/services/selfdata-signoflife", header: asRelA}, status: 303},
		},
		"GET /services/{id}/enable": {
			{name: "alice's consent screen", req: request{method: "GET", path: "/services/selfdata-energy/enable", as: "session:alice"}, status: 200, contains: []string{`name="doctype"`}},
			{name: "anonymous", req: request{method: "GET", path: "/services/selfdata-energy/enable"}, status: 303},
		},
		"POST /services/{id}/enable": {
			{name: "without CSRF token", req: request{method: "POST", path: "/services/selfdata-energy/enable", body: "decision=approve&doctype=bill&days=0",
				header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"}, status: 403},
			{name: "a token", req: request{method: "POST", path: "/services/selfdata-energy/enable", body: "csrf=" + testCSRF + "&decision=approve&doctype=bill&days=0", csrf: true, as: "token:alice"}, status: 303, absent: []string{"selfdata-energy"}},
			{name: "anonymous", req: request{method: "POST", path: "/services/selfdata-energy/enable", body: "csrf=" + testCSRF + "&decision=approve&doctype=bill&days=0", csrf: true}, status: 303},
		},
		"POST /services/selfdata-accounts/operations/{op}/category": {
			{name: "without CSRF token", req: request{method: "POST", path: "/services/selfdata-accounts/operations/op-alice/category", body: "category=leisure&scope=rule",
				header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"}, status: 403},
			{name: "a token", req: request{method: "POST", path: "/services/selfdata-accounts/operations/op-alice/category", body: "csrf=" + testCSRF + "&category=leisure&scope=rule", csrf: true, as: "token:alice"}, status: 303, absent: []string{"selfdata-accounts?"}},
			{name: "anonymous", req: request{method: "POST", path: "/services/selfdata-accounts/operations/op-alice/category", body: "csrf=" + testCSRF + "&category=leisure&scope=rule", csrf: true}, status: 303},
			{name: "bob's operation by alice", req: request{method: "POST", path: "/services/selfdata-accounts/operations/op-bob/category", body: "csrf=" + testCSRF + "&category=leisure&scope=rule", csrf: true, as: "session:alice"}, status: 404},
			{name: "not a category", req: request{method: "POST", path: "/services/selfdata-accounts/operations/op-alice/category", body: "csrf=" + testCSRF + "&category=shopping&scope=rule", csrf: true, as: "session:alice"}, status: 400, contains: []string{"category:"}},
			{name: "alice sorts her operation", req: request{method: "POST", path: "/services/selfdata-accounts/operations/op-alice/category", body: "csrf=" + testCSRF + "&category=groceries&scope=rule", csrf: true, as: "session:alice"}, status: 303},
			{name: "bob's operation is as it was", req: request{method: "GET", path: "/api/v1/data/bank.operation/op-bob", as: "token:bob"}, status: 200, contains: []string{`"category":"other"`, `"rev":"1"`}},
		},
		"POST /services/selfdata-accounts/rules/{rule}": {
			{name: "without CSRF token", req: request{method: "POST", path: "/services/selfdata-accounts/rules/rule-alice", body: "pattern=FNAC&category=leisure",
				header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"}, status: 403},
			{name: "a token", req: request{method: "POST", path: "/services/selfdata-accounts/rules/rule-alice", body: "csrf=" + testCSRF + "&pattern=FNAC&category=other", csrf: true, as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "POST", path: "/services/selfdata-accounts/rules/rule-alice", body: "csrf=" + testCSRF + "&pattern=FNAC&category=other", csrf: true}, status: 303},
			{name: "bob's rule by alice", req: request{method: "POST", path: "/services/selfdata-accounts/rules/rule-bob", body: "csrf=" + testCSRF + "&pattern=FNAC&category=other", csrf: true, as: "session:alice"}, status: 404},
			{name: "alice changes her rule", req: request{method: "POST", path: "/services/selfdata-accounts/rules/rule-alice", body: "csrf=" + testCSRF + "&pattern=FNAC+BELLECOUR&category=other", csrf: true, as: "session:alice"}, status: 303},
			{name: "bob's rule is as it was", req: request{method: "GET", path: "/api/v1/data/bank.rule/rule-bob", as: "token:bob"}, status: 200, contains: []string{`"pattern":"FNAC"`, `"rev":"1"`}},
		},
		"GET /services/selfdata-accounts/rules/{rule}/delete": {
			{name: "alice's rule", req: request{method: "GET", path: "/services/selfdata-accounts/rules/rule-alice/delete?rev=1", as: "session:alice"}, status: 200,
				contains: []string{`action="/services/selfdata-accounts/rules/rule-alice/delete"`, `name="csrf"`, `name="rev" value="1"`}},
			{name: "bob's rule by alice", req: request{method: "GET", path: "/services/selfdata-accounts/rules/rule-bob/delete", as: "session:alice"}, status: 404, absent: []string{"rule-bob/delete\""}},
			{name: "a token", req: request{method: "GET", path: "/services/selfdata-accounts/rules/rule-alice/delete", as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "GET", path: "/services/selfdata-accounts/rules/rule-alice/delete"}, status: 303},
		},
		"POST /services/selfdata-accounts/rules/{rule}/delete": {
			{name: "without CSRF token", req: request{method: "POST", path: "/services/selfdata-accounts/rules/rule-alice/delete",
				header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"}, status: 403},
			{name: "a token", req: request{method: "POST", path: "/services/selfdata-accounts/rules/rule-alice/delete", body: "csrf=" + testCSRF, csrf: true, as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "POST", path: "/services/selfdata-accounts/rules/rule-alice/delete", body: "csrf=" + testCSRF, csrf: true}, status: 303},
			{name: "bob's rule by alice", req: request{method: "POST", path: "/services/selfdata-accounts/rules/rule-bob/delete", body: "csrf=" + testCSRF, csrf: true, as: "session:alice"}, status: 404},
			{name: "alice deletes her rule", req: request{method: "POST", path: "/services/selfdata-accounts/rules/rule-alice/delete", body: "csrf=" + testCSRF, csrf: true, as: "session:alice"}, status: 303},
			{name: "it is gone", req: request{method: "GET", path: "/api/v1/data/bank.rule/rule-alice", as: "token:alice"}, status: 404},
			{name: "bob's rule is still there", req: request{method: "GET", path: "/api/v1/data/bank.rule/rule-bob", as: "token:bob"}, status: 200},
		},
		"POST /services/selfdata-signoflife/relatives": {
			{name: "alice invites a relative", req: request{method: "POST", path: solPath + "/relatives", body: invite, csrf: true, as: "session:alice"}, status: 200, contains: []string{"/relative/join?code=", "Yaël Martin"}, absent: []string{"Sacha Durand"}},
			{name: "without CSRF token", req: request{method: "POST", path: solPath + "/relatives", body: "name=x", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"}, status: 403},
			{name: "an hour out of range names the field", req: request{method: "POST", path: solPath + "/relatives", body: strings.Replace(invite, "expect=10", "expect=3", 1), csrf: true, as: "session:alice", header: map[string]string{"Accept-Language": "en"}}, status: 400, contains: []string{"Choose an hour between 06:00 and 22:00"}},
			{name: "no signal", req: request{method: "POST", path: solPath + "/relatives", body: strings.Replace(invite, "&signal=usual_activity", "", 1), csrf: true, as: "session:alice", header: map[string]string{"Accept-Language": "en"}}, status: 400, contains: []string{"Choose at least one sign"}},
			{name: "a signal of no such kind", req: request{method: "POST", path: solPath + "/relatives", body: invite + "&signal=readings", csrf: true, as: "session:alice"}, status: 400, contains: []string{"signal"}},
			{name: "a token", req: request{method: "POST", path: solPath + "/relatives", body: invite, csrf: true, as: "token:alice"}, status: 303},
			{name: "a relative's session", req: request{method: "POST", path: solPath + "/relatives", body: invite, csrf: true, header: asRelA}, status: 303},
			{name: "anonymous", req: request{method: "POST", path: solPath + "/relatives", body: invite, csrf: true}, status: 303},
		},
		"GET /services/selfdata-signoflife/relatives/{rid}/stop": {
			{name: "alice's relative", req: request{method: "GET", path: stopA, as: "session:alice"}, status: 200, contains: []string{"Dominique Martin", `name="csrf"`}},
			{name: "bob's relative by alice", req: request{method: "GET", path: stopB, as: "session:alice"}, status: 404, absent: []string{"Sacha"}},
			{name: "a relative's session", req: request{method: "GET", path: stopA, header: asRelA}, status: 303},
			{name: "a token", req: request{method: "GET", path: stopA, as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "GET", path: stopA}, status: 303},
		},
		"POST /services/selfdata-signoflife/relatives/{rid}/stop": {
			{name: "without CSRF token", req: request{method: "POST", path: stopLou, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"}, status: 403},
			{name: "bob's relative by alice", req: request{method: "POST", path: stopB, body: "csrf=" + testCSRF, csrf: true, as: "session:alice"}, status: 404},
			{name: "bob's relative still sees", req: request{method: "GET", path: "/relative", header: asRelB}, status: 200, contains: []string{"Bob"}},
			{name: "a relative stops their own share", req: request{method: "POST", path: stopLou, body: "csrf=" + testCSRF, csrf: true, header: asRelative(relStopCookie)}, status: 303},
			{name: "a token", req: request{method: "POST", path: stopLou, body: "csrf=" + testCSRF, csrf: true, as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "POST", path: stopLou, body: "csrf=" + testCSRF, csrf: true}, status: 303},
			{name: "alice stops Lou's share", req: request{method: "POST", path: stopLou, body: "csrf=" + testCSRF, csrf: true, as: "session:alice"}, status: 303},
			{name: "Lou's page says it ended", req: request{method: "GET", path: "/relative", header: map[string]string{"Cookie": relStopCookie, "Accept-Language": "en"}}, status: 200, contains: []string{"The share has ended"}, absent: []string{"Usual activity today"}},
		},
		"GET /relative": {
			{name: "alice's relative sees signals", req: request{method: "GET", path: "/relative", header: map[string]string{"Cookie": relACookie, "Accept-Language": "en"}}, status: 200,
				contains: []string{"Signs of life from Alice", "Usual activity today", "Water used this morning"}, absent: []string{"water-alice", "bill-alice", "61.20", "Bob"}},
			{name: "bob's relative sees bob's", req: request{method: "GET", path: "/relative", header: map[string]string{"Cookie": relBCookie, "Accept-Language": "en"}}, status: 200, contains: []string{"Signs of life from Bob"}, absent: []string{"Alice", "water-bob"}},
			{name: "alice's session is not a relative's", req: request{method: "GET", path: "/relative", as: "session:alice"}, status: 303},
			{name: "a token", req: request{method: "GET", path: "/relative", as: "token:alice"}, status: 303},
			{name: "a forged relative session", req: request{method: "GET", path: "/relative", header: asRelative(relativeCookie + "=sdr_forged")}, status: 303},
			{name: "a person's session secret as a relative's", req: request{method: "GET", path: "/relative", header: asRelative(relativeCookie + "=" + ts.alice.session)}, status: 303},
			{name: "anonymous", req: request{method: "GET", path: "/relative"}, status: 303},
		},
		"POST /relative/email": {
			{name: "without CSRF token", req: request{method: "POST", path: "/relative/email", body: "email=d%40example.org", header: map[string]string{"Cookie": relACookie, "Content-Type": "application/x-www-form-urlencoded"}}, status: 403},
			{name: "not an address", req: request{method: "POST", path: "/relative/email", body: "csrf=" + testCSRF + "&email=dominique", csrf: true, header: map[string]string{"Cookie": relACookie, "Accept-Language": "en"}}, status: 400, contains: []string{"email", "not an email address"}},
			{name: "an address", req: request{method: "POST", path: "/relative/email", body: "csrf=" + testCSRF + "&email=d%40example.org", csrf: true, header: asRelA}, status: 303},
			{name: "it shows on the relative's page only", req: request{method: "GET", path: "/relative", header: asRelB}, status: 200, absent: []string{"d@example.org"}},
			{name: "alice's session", req: request{method: "POST", path: "/relative/email", body: "csrf=" + testCSRF + "&email=x%40example.org", csrf: true, as: "session:alice"}, status: 303},
			{name: "anonymous", req: request{method: "POST", path: "/relative/email", body: "csrf=" + testCSRF + "&email=x%40example.org", csrf: true}, status: 303},
		},
		"GET /relative/login": {{name: "anyone", req: request{method: "GET", path: "/relative/login"}, status: 200, contains: []string{`name="csrf"`, `action="/relative/login"`}, absent: []string{`href="/data"`}}},
		"POST /relative/login": {
			{name: "without CSRF token", req: request{method: "POST", path: "/relative/login", body: "login=dominique-alice&passphrase=x", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, status: 403},
			{name: "a wrong passphrase", req: request{method: "POST", path: "/relative/login", body: "csrf=" + testCSRF + "&login=dominique-alice&passphrase=wrong", csrf: true}, status: 401},
			{name: "a store's name and passphrase are no relative's", req: request{method: "POST", path: "/relative/login", body: "csrf=" + testCSRF + "&login=alice&passphrase=" + url.QueryEscape(ts.alice.pass), csrf: true}, status: 401},
			{name: "the relative", req: request{method: "POST", path: "/relative/login", body: "csrf=" + testCSRF + "&login=dominique-alice&passphrase=a+long+enough+passphrase", csrf: true}, status: 303},
		},
		"POST /relative/logout": {
			{name: "without CSRF token", req: request{method: "POST", path: "/relative/logout", header: map[string]string{"Cookie": relACookie, "Content-Type": "application/x-www-form-urlencoded"}}, status: 403},
			{name: "anonymous", req: request{method: "POST", path: "/relative/logout", body: "csrf=" + testCSRF, csrf: true}, status: 303},
		},
		"GET /relative/join": {
			{name: "asks for the code", req: request{method: "GET", path: "/relative/join"}, status: 200, contains: []string{`name="code"`}},
			{name: "a wrong code", req: request{method: "GET", path: "/relative/join?code=0000-0000-0000-0000"}, status: 404},
			{name: "alice's invitation", req: request{method: "GET", path: "/relative/join?code=" + pending, header: map[string]string{"Accept-Language": "en"}}, status: 200, contains: []string{"Alice invites you, Camille Roux", `name="passphrase"`}},
		},
		"POST /relative/join": {
			{name: "without CSRF token", req: request{method: "POST", path: "/relative/join", body: join(pending, "camille"), header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, status: 403},
			{name: "a wrong code", req: request{method: "POST", path: "/relative/join", body: join("0000-0000-0000-0000", "camille"), csrf: true}, status: 404},
			{name: "a login taken", req: request{method: "POST", path: "/relative/join", body: join(taken, "dominique-alice"), csrf: true, header: map[string]string{"Accept-Language": "en"}}, status: 409, contains: []string{"Another relative already has this login"}},
			{name: "a short login", req: request{method: "POST", path: "/relative/join", body: join(taken, "no"), csrf: true, header: map[string]string{"Accept-Language": "en"}}, status: 400, contains: []string{"Choose a login of 3 to 64 characters"}},
			{name: "joins", req: request{method: "POST", path: "/relative/join", body: join(pending, "camille"), csrf: true}, status: 303},
			{name: "twice", req: request{method: "POST", path: "/relative/join", body: join(pending, "camille2"), csrf: true}, status: 404},
		},
		"POST /services/selfdata-energy/settings": {
			{name: "alice sets her prices", req: request{method: "POST", path: "/services/selfdata-energy/settings", body: "csrf=" + testCSRF + "&electricity.unit=0,2016&goal=90", csrf: true, as: "session:alice"}, status: 303},
			{name: "a price that is not one", req: request{method: "POST", path: "/services/selfdata-energy/settings", body: "csrf=" + testCSRF + "&gas.unit=-1", csrf: true, as: "session:alice"}, status: 400, contains: []string{"gas.unit"}},
			{name: "without CSRF token", req: request{method: "POST", path: "/services/selfdata-energy/settings", body: "goal=90",
				header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"}, status: 403},
			{name: "a token", req: request{method: "POST", path: "/services/selfdata-energy/settings", body: "csrf=" + testCSRF + "&goal=90", csrf: true, as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "POST", path: "/services/selfdata-energy/settings", body: "csrf=" + testCSRF + "&goal=90", csrf: true}, status: 303},
			{name: "bob's store holds no energy settings", req: request{method: "GET", path: "/api/v1/data/energy.settings", as: "token:bob"}, status: 200, absent: []string{"0.2016"}},
		},
		"POST /services/selfdata-energy/silence": {
			{name: "alice silences the frost alert", req: request{method: "POST", path: "/services/selfdata-energy/silence", body: "csrf=" + testCSRF + "&kind=freeze&silence=1", csrf: true, as: "session:alice"}, status: 303},
			{name: "an unknown kind", req: request{method: "POST", path: "/services/selfdata-energy/silence", body: "csrf=" + testCSRF + "&kind=flood&silence=1", csrf: true, as: "session:alice"}, status: 400, contains: []string{"kind"}},
			{name: "without CSRF token", req: request{method: "POST", path: "/services/selfdata-energy/silence", body: "kind=leak&silence=1",
				header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"}, status: 403},
			{name: "a token", req: request{method: "POST", path: "/services/selfdata-energy/silence", body: "csrf=" + testCSRF + "&kind=leak&silence=1", csrf: true, as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "POST", path: "/services/selfdata-energy/silence", body: "csrf=" + testCSRF + "&kind=leak&silence=1", csrf: true}, status: 303},
			{name: "alice's settings are hers", req: request{method: "GET", path: "/api/v1/data/energy.settings", as: "token:alice"}, status: 200, contains: []string{`"silenced":["freeze"]`}},
			{name: "bob's store holds none", req: request{method: "GET", path: "/api/v1/data/energy.settings", as: "token:bob"}, status: 200, absent: []string{"0.2016", "freeze"}},
		},
		"GET /charts": {
			{name: "alice's charts", req: request{method: "GET", path: "/charts", as: "session:alice"}, status: 200, contains: []string{"/charts/water"}},
			{name: "anonymous", req: request{method: "GET", path: "/charts"}, status: 303},
		},
		"GET /charts/{kind}": {
			{name: "alice's water", req: request{method: "GET", path: "/charts/water?step=month", as: "session:alice"}, status: 200, contains: []string{"<svg", "250"}},
			{name: "an unknown chart", req: request{method: "GET", path: "/charts/nope", as: "session:alice"}, status: 404},
			{name: "anonymous", req: request{method: "GET", path: "/charts/water"}, status: 303},
		},
		"GET /services/selfdata-contracts/letter/{id}": {
			{name: "alice's letter", req: request{method: "GET", path: "/services/selfdata-contracts/letter/contract-alice", as: "session:alice", header: map[string]string{"Accept-Language": "fr"}}, status: 200,
				contains: []string{"EDF-ALICE", "L224-14", "Holder alice"}, absent: []string{"EDF-BOB"}},
			{name: "bob's contract by alice", req: request{method: "GET", path: "/services/selfdata-contracts/letter/contract-bob", as: "session:alice"}, status: 404, absent: []string{"EDF-BOB", "Holder bob"}},
			{name: "bob's own, his service off", req: request{method: "GET", path: "/services/selfdata-contracts/letter/contract-bob", as: "session:bob", header: map[string]string{"Accept-Language": "en"}}, status: 200,
				contains: []string{"This service is off"}, absent: []string{"EDF-BOB"}},
			{name: "a bad name", req: request{method: "GET", path: "/services/selfdata-contracts/letter/contract-alice?name=%01", as: "session:alice"}, status: 400, contains: []string{"name"}},
			{name: "a token", req: request{method: "GET", path: "/services/selfdata-contracts/letter/contract-alice", as: "token:alice"}, status: 303, absent: []string{"EDF-ALICE"}},
			{name: "anonymous", req: request{method: "GET", path: "/services/selfdata-contracts/letter/contract-alice"}, status: 303},
		},
		"GET /import": {
			{name: "the import page", req: request{method: "GET", path: "/import", as: "session:alice"}, status: 200, contains: []string{`name="csrf"`, `type="file"`}},
			{name: "anonymous", req: request{method: "GET", path: "/import"}, status: 303},
		},
		"POST /import": {
			{name: "without CSRF token", req: request{method: "POST", path: "/import", body: "x", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"}, status: 403},
			{name: "anonymous", req: request{method: "POST", path: "/import", body: "x"}, status: 303},
		},
		"POST /import/choose": {
			{name: "without CSRF token", req: request{method: "POST", path: "/import/choose", body: "token=x&format=bank-csv", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"}, status: 403},
			{name: "an unknown token", req: request{method: "POST", path: "/import/choose", body: "csrf=" + testCSRF + "&token=00&format=bank-csv", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice", csrf: true}, status: 410, contains: []string{"no longer kept"}},
			{name: "a token", req: request{method: "POST", path: "/import/choose", body: "token=x", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "POST", path: "/import/choose", body: "x"}, status: 303},
		},
		"POST /import/columns": {
			{name: "without CSRF token", req: request{method: "POST", path: "/import/columns", body: "token=x&date=0", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"}, status: 403},
			{name: "an unknown token", req: request{method: "POST", path: "/import/columns", body: "csrf=" + testCSRF + "&token=00&date=0", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice", csrf: true}, status: 410, contains: []string{"no longer kept"}},
			{name: "a token", req: request{method: "POST", path: "/import/columns", body: "token=x", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "POST", path: "/import/columns", body: "x"}, status: 303},
		},
		"GET /connections": {
			{name: "alice's connections", req: request{method: "GET", path: "/connections", as: "session:alice"}, status: 200, contains: []string{"Enedis", ts.connA}, absent: []string{ts.connB}},
			{name: "alice confirms a revocation", req: request{method: "GET", path: "/connections?confirm=" + ts.connA + "&action=revoke", as: "session:alice"}, status: 200, contains: []string{`action="/connections/` + ts.connA + `/revoke"`, `name="csrf"`}},
			{name: "bob's connection by alice", req: request{method: "GET", path: "/connections?confirm=" + ts.connB + "&action=refuse", as: "session:alice"}, status: 404, absent: []string{ts.connB + "/refuse"}},
			{name: "a token gets no confirmation", req: request{method: "GET", path: "/connections?confirm=" + ts.connA + "&action=revoke", as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "GET", path: "/connections"}, status: 303},
		},
		"POST /connections/{id}/{action}": {
			{name: "without CSRF token", req: request{method: "POST", path: "/connections/" + ts.connA + "/pause", as: "session:alice"}, status: 403},
			{name: "bob's connection by alice", req: request{method: "POST", path: "/connections/" + ts.connB + "/approve", body: "csrf=" + testCSRF, csrf: true, as: "session:alice"}, status: 404},
			{name: "anonymous", req: request{method: "POST", path: "/connections/" + ts.connA + "/pause"}, status: 303},
		},
		"GET /connections/{id}/erase": {
			{name: "alice's connection", req: request{method: "GET", path: "/connections/" + ts.connA + "/erase", as: "session:alice"}, status: 200,
				contains: []string{"Enedis", `action="/connections/` + ts.connA + `/erase"`, `name="end"`}},
			{name: "bob's connection by alice", req: request{method: "GET", path: "/connections/" + ts.connB + "/erase", as: "session:alice"}, status: 404, absent: []string{`action="/connections/` + ts.connB + `/erase"`, "Enedis"}},
			{name: "anonymous", req: request{method: "GET", path: "/connections/" + ts.connA + "/erase"}, status: 303},
		},
		"POST /connections/{id}/erase": {
			{name: "without CSRF token", req: request{method: "POST", path: "/connections/" + ts.connA + "/erase", as: "session:alice"}, status: 403},
			{name: "bob's connection by alice", req: request{method: "POST", path: "/connections/" + ts.connB + "/erase", body: "csrf=" + testCSRF + "&end=1", csrf: true, as: "session:alice"}, status: 404},
			{name: "anonymous", req: request{method: "POST", path: "/connections/" + ts.connA + "/erase", body: "csrf=" + testCSRF, csrf: true}, status: 303},
			{name: "bob's connection still pending", req: request{method: "GET", path: "/api/v1/connections", as: "session:bob"}, status: 200, contains: []string{`"state":"pending"`}},
		},
		"GET /access-log": {
			{name: "alice's log", req: request{method: "GET", path: "/access-log", as: "session:alice"}, status: 200, contains: []string{"script-alice"}, absent: []string{"script-bob"}},
			{name: "anonymous", req: request{method: "GET", path: "/access-log"}, status: 303},
			{name: "a relative's session", req: request{method: "GET", path: "/access-log", header: asRelA}, status: 303},
		},
		"GET /rights/requests": {
			{name: "alice's requests", req: request{method: "GET", path: "/rights/requests", as: "session:alice"}, status: 200, contains: []string{"req-" + reqA}, absent: []string{reqB}},
			{name: "a token", req: request{method: "GET", path: "/rights/requests", as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "GET", path: "/rights/requests"}, status: 303},
		},
		"GET /rights/requests/new": {
			{name: "alice's letter to Enedis", req: request{method: "GET", path: "/rights/requests/new?org=enedis&kind=erasure&lang=en", as: "session:alice"}, status: 200, contains: []string{"Article 17", "dpo@example.org"}},
			{name: "an organization that is not", req: request{method: "GET", path: "/rights/requests/new?org=nobody", as: "session:alice"}, status: 404},
			{name: "a token", req: request{method: "GET", path: "/rights/requests/new?org=enedis", as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "GET", path: "/rights/requests/new?org=enedis"}, status: 303},
		},
		"POST /rights/requests": {
			{name: "alice sent one", req: request{method: "POST", path: "/rights/requests", body: "csrf=" + testCSRF + "&org=enedis&kind=access&sentAt=2026-01-05", csrf: true, as: "session:alice"}, status: 303},
			{name: "a kind that is not", req: request{method: "POST", path: "/rights/requests", body: "csrf=" + testCSRF + "&org=enedis&kind=deletion&sentAt=2026-01-05", csrf: true, as: "session:alice"}, status: 400},
			{name: "without CSRF token", req: request{method: "POST", path: "/rights/requests", body: "org=enedis&kind=access&sentAt=2026-01-05", as: "session:alice",
				header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, status: 403},
			{name: "a token", req: request{method: "POST", path: "/rights/requests", body: "csrf=" + testCSRF + "&org=enedis&kind=access&sentAt=2026-01-05", csrf: true, as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "POST", path: "/rights/requests", body: "csrf=" + testCSRF + "&org=enedis&kind=access&sentAt=2026-01-05", csrf: true}, status: 303},
		},
		"POST /rights/requests/{id}/answer": {
			{name: "bob cannot answer alice's", req: request{method: "POST", path: "/rights/requests/" + reqA + "/answer", body: "csrf=" + testCSRF + "&answeredAt=2026-01-20&answer=non", csrf: true, as: "session:bob"}, status: 404},
			{name: "alice answers hers", req: request{method: "POST", path: "/rights/requests/" + reqA + "/answer", body: "csrf=" + testCSRF + "&answeredAt=2026-01-20&answer=copie+jointe", csrf: true, as: "session:alice"}, status: 303},
			{name: "a token", req: request{method: "POST", path: "/rights/requests/" + reqB + "/answer", body: "csrf=" + testCSRF + "&answeredAt=2026-01-20&answer=x", csrf: true, as: "token:bob"}, status: 303},
			{name: "anonymous", req: request{method: "POST", path: "/rights/requests/" + reqB + "/answer", body: "csrf=" + testCSRF + "&answeredAt=2026-01-20&answer=x", csrf: true}, status: 303},
		},
		"GET /register": {{name: "anyone", req: request{method: "GET", path: "/register?lang=en"}, status: 200, contains: []string{"Register of processing activities", "personal-store"}, absent: []string{`href="/data"`}}},
		"GET /settings": {
			{name: "alice's settings", req: request{method: "GET", path: "/settings", as: "session:alice"}, status: 200, contains: []string{`name="csrf"`, `type="password"`}},
			{name: "anonymous", req: request{method: "GET", path: "/settings"}, status: 303},
		},
		"POST /settings/passphrase": {
			{name: "without CSRF token", req: request{method: "POST", path: "/settings/passphrase", body: "old=x&new=y", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"}, status: 403},
			{name: "anonymous", req: request{method: "POST", path: "/settings/passphrase", body: "x"}, status: 303},
		},
		"POST /settings/email": {
			{name: "without CSRF token", req: request{method: "POST", path: "/settings/email", body: "email=a%40example.org", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"}, status: 403},
			{name: "not an address", req: request{method: "POST", path: "/settings/email", body: "csrf=" + testCSRF + "&email=alice", csrf: true, as: "session:alice"}, status: 400, contains: []string{"This is not an email address", `value="alice"`}},
			{name: "an address", req: request{method: "POST", path: "/settings/email", body: "csrf=" + testCSRF + "&email=alice%40example.org", csrf: true, as: "session:alice"}, status: 303},
			{name: "it shows in alice's settings only", req: request{method: "GET", path: "/settings", as: "session:bob"}, status: 200, absent: []string{"alice@example.org"}},
			{name: "anonymous", req: request{method: "POST", path: "/settings/email", body: "x"}, status: 303},
		},
		"GET /settings/erase": {
			{name: "alice's", req: request{method: "GET", path: "/settings/erase", as: "session:alice"}, status: 200,
				contains: []string{`action="/settings/erase"`, `name="passphrase"`, `name="name"`, "/api/v1/export"}},
			{name: "a token", req: request{method: "GET", path: "/settings/erase", as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "GET", path: "/settings/erase"}, status: 303},
		},
		"POST /settings/erase": {
			{name: "without CSRF token", req: request{method: "POST", path: "/settings/erase", body: "passphrase=" + url.QueryEscape(ts.alice.pass) + "&name=alice",
				header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"}, status: 403},
			{name: "a wrong passphrase", req: request{method: "POST", path: "/settings/erase", body: "csrf=" + testCSRF + "&passphrase=wrong+one&name=alice", csrf: true, as: "session:alice"}, status: 400,
				contains: []string{"nothing was erased"}},
			{name: "bob's passphrase in alice's session", req: request{method: "POST", path: "/settings/erase", body: "csrf=" + testCSRF + "&passphrase=" + url.QueryEscape(ts.bob.pass) + "&name=bob", csrf: true, as: "session:alice"}, status: 400,
				contains: []string{"nothing was erased"}},
			{name: "a wrong name", req: request{method: "POST", path: "/settings/erase", body: "csrf=" + testCSRF + "&passphrase=" + url.QueryEscape(ts.alice.pass) + "&name=bob", csrf: true, as: "session:alice"}, status: 400,
				contains: []string{"nothing was erased"}},
			{name: "anonymous", req: request{method: "POST", path: "/settings/erase", body: "csrf=" + testCSRF + "&passphrase=x&name=alice", csrf: true}, status: 303},
			{name: "a token", req: request{method: "POST", path: "/settings/erase", body: "csrf=" + testCSRF + "&passphrase=" + url.QueryEscape(ts.alice.pass) + "&name=alice", csrf: true, as: "token:alice"}, status: 303},
			{name: "alice is still there", req: request{method: "GET", path: "/api/v1/data/bill/bill-alice", as: "token:alice"}, status: 200},
			{name: "bob is still there", req: request{method: "GET", path: "/api/v1/data/bill/bill-bob", as: "token:bob"}, status: 200},
		},
		"GET /consents": {
			{name: "alice's consents", req: request{method: "GET", path: "/consents", as: "session:alice"}, status: 200, contains: []string{"Volta", "Volta SAS", "/api/v1/consents/" + ts.grantA + "/receipt"}, absent: []string{ts.grantB}},
			{name: "alice's grant, withdrawn through the API, has nothing to confirm", req: request{method: "GET", path: "/consents?confirm=" + ts.grantA, as: "session:alice"}, status: 404, absent: []string{ts.grantA + "/withdraw"}},
			{name: "bob's grant by alice", req: request{method: "GET", path: "/consents?confirm=" + ts.grantB, as: "session:alice"}, status: 404, absent: []string{ts.grantB + "/withdraw"}},
		},
		"GET /consents/{id}/receipt": {
			{name: "alice's receipt", req: request{method: "GET", path: "/consents/" + ts.grantA + "/receipt", as: "session:alice"}, status: 200, contains: []string{"Consent receipt", "Volta", ts.grantA}, absent: []string{ts.grantB}},
			{name: "bob's receipt by alice", req: request{method: "GET", path: "/consents/" + ts.grantB + "/receipt", as: "session:alice"}, status: 404, absent: []string{"Consent receipt", "Signature"}},
			{name: "a token gets no pages", req: request{method: "GET", path: "/consents/" + ts.grantA + "/receipt", as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "GET", path: "/consents/" + ts.grantA + "/receipt"}, status: 303},
			{name: "a token gets no pages", req: request{method: "GET", path: "/consents", as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "GET", path: "/consents"}, status: 303},
		},
		"POST /consents/{id}/narrow": {
			{name: "without CSRF token", req: request{method: "POST", path: "/consents/" + ts.grantA + "/narrow", body: "doctype=meter&days=7", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"}, status: 403},
			{name: "bob's grant by alice", req: request{method: "POST", path: "/consents/" + ts.grantB + "/narrow", body: "csrf=" + testCSRF + "&doctype=meter&days=7", csrf: true, as: "session:alice"}, status: 404},
			{name: "a token gets no pages", req: request{method: "POST", path: "/consents/" + ts.grantA + "/narrow", as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "POST", path: "/consents/" + ts.grantA + "/narrow"}, status: 303},
		},
		"POST /consents/{id}/withdraw": {
			{name: "without CSRF token", req: request{method: "POST", path: "/consents/" + ts.grantA + "/withdraw", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"}, status: 403},
			{name: "bob's grant by alice", req: request{method: "POST", path: "/consents/" + ts.grantB + "/withdraw", body: "csrf=" + testCSRF, csrf: true, as: "session:alice"}, status: 404},
			{name: "a token gets no pages", req: request{method: "POST", path: "/consents/" + ts.grantA + "/withdraw", as: "token:alice"}, status: 303},
			{name: "anonymous", req: request{method: "POST", path: "/consents/" + ts.grantA + "/withdraw"}, status: 303},
		},
		"GET /{$}": {
			{name: "alice's home", req: request{method: "GET", path: "/", as: "session:alice"}, status: 200, contains: []string{"Who has what on me"}},
			{name: "a token gets no pages", req: request{method: "GET", path: "/", as: "token:alice"}, status: 303},
			{name: "anonymous goes to login", req: request{method: "GET", path: "/"}, status: 303},
		},
		"GET /oauth/authorize": {
			{name: "alice sees volta's request", req: request{method: "GET", path: voltaAuthorize, as: "session:alice"}, status: 200,
				contains: []string{"Volta", `name="doctype" value="bill"`, "What this can reveal about you", `name="csrf"`}},
			{name: "an unknown service is not sent anywhere", req: request{method: "GET", path: strings.Replace(voltaAuthorize, "client_id=volta", "client_id=nobody", 1), as: "session:alice"}, status: 400},
			{name: "a token gets no pages", req: request{method: "GET", path: voltaAuthorize, as: "token:alice"}, status: 303},
			{name: "anonymous goes to login, and back", req: request{method: "GET", path: voltaAuthorize}, status: 303},
		},
		"POST /oauth/authorize": {
			{name: "without CSRF token", req: request{method: "POST", path: voltaAuthorize, body: "decision=approve&doctype=bill&days=30", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"}, status: 403},
			{name: "anonymous", req: request{method: "POST", path: voltaAuthorize, body: "decision=approve"}, status: 303},
		},
		"POST /oauth/token": {
			{name: "a made-up code", req: request{method: "POST", path: "/oauth/token", body: "grant_type=authorization_code&code=sdac_x.y&redirect_uri=https%3A%2F%2Fvolta.example%2Fcallback&code_verifier=" + strings.Repeat("v", 43),
				header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: voltaBasic(ts)}, status: 400, contains: []string{"invalid_grant"}},
			{name: "a wrong client secret", req: request{method: "POST", path: "/oauth/token", body: "grant_type=refresh_token&refresh_token=sdrt_x.y",
				header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "Basic dm9sdGE6bm9wZQ=="}, status: 401, contains: []string{"invalid_client"}},
		},
		"POST /oauth/revoke": {
			{name: "an unknown token is no error (RFC 7009)", req: request{method: "POST", path: "/oauth/revoke", body: "token=sdat_x.y",
				header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: voltaBasic(ts)}, status: 200},
			{name: "without client authentication", req: request{method: "POST", path: "/oauth/revoke", body: "token=sdat_x.y",
				header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, status: 400, contains: []string{"invalid_request"}},
		},
		"GET /.well-known/oauth-authorization-server": {{name: "anyone", req: request{method: "GET", path: "/.well-known/oauth-authorization-server"}, status: 200,
			contains: []string{`"code_challenge_methods_supported":["S256"]`, `"revocation_endpoint":"http://`}}},
		"GET /login":   {{name: "anyone", req: request{method: "GET", path: "/login"}, status: 200, contains: []string{`name="csrf"`}}},
		"POST /login":  {{name: "without CSRF token", req: request{method: "POST", path: "/login", body: "instance=alice&passphrase=x", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, status: 403}},
		"POST /logout": {{name: "without CSRF token", req: request{method: "POST", path: "/logout", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, as: "session:alice"}, status: 403}},
		"GET /static/": {{name: "stylesheet", req: request{method: "GET", path: "/static/style.css"}, status: 200, contains: []string{"--accent"}}},
	}
	for _, rt := range ts.srv.routes() {
		pattern := rt.pattern
		list, ok := scenarios[pattern]
		if !ok {
			t.Errorf("route %q has no access scenario", pattern)
			continue
		}
		delete(scenarios, pattern)
		for _, sc := range list {
			t.Run(pattern+"/"+sc.name, func(t *testing.T) {
				res := ts.do(t, sc.req)
				if res.status != sc.status {
					t.Fatalf("status %d, want %d; body %s", res.status, sc.status, res.body)
				}
				for _, c := range sc.contains {
					if !strings.Contains(res.body, c) {
						t.Errorf("body lacks %q: %s", c, res.body)
					}
				}
				for _, a := range sc.absent {
					if strings.Contains(res.body, a) {
						t.Errorf("body has %q: %s", a, res.body)
					}
				}
				wantType := "application/problem+json" // the API answers problems; pages answer pages
				switch {
				case strings.HasPrefix(sc.req.path, "/api/") || sc.req.path == "/healthz":
				case isPage(rt):
					wantType = "text/html"
				default:
					wantType = "application/json" // the OAuth endpoints answer RFC 6749 errors
				}
				if res.status >= 400 && !strings.HasPrefix(res.header.Get("Content-Type"), wantType) {
					t.Errorf("error as %s, want %s", res.header.Get("Content-Type"), wantType)
				}
			})
		}
	}
	for pattern := range scenarios {
		t.Errorf("scenarios for %q, which is not a route", pattern)
	}
}
