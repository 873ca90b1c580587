package web

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestDepositLifecycle plays an organization over HTTP: it asks to connect, the person
// approves, it claims its credential once, deposits (twice: the second changes nothing), has
// a bad batch refused record by record, and after the person revokes the connection its next
// deposit gets 403 and writes nothing. The access log shows each deposit under its name.
func TestDepositLifecycle(t *testing.T) {
	ts := newTestServer(t)
	res := ts.do(t, request{method: "POST", path: "/api/v1/org/connections", body: `{"instance":"bob","doctypes":["meter","reading.electricity","bill"]}`, as: "org"})
	var conn struct{ ID, State string }
	if json.Unmarshal([]byte(res.body), &conn); res.status != 201 || conn.State != "pending" {
		t.Fatalf("request: %d %s", res.status, res.body)
	}
	if res := ts.do(t, request{method: "GET", path: "/api/v1/org/connections/" + conn.ID, as: "org"}); !strings.Contains(res.body, `"credential_issued":false`) || strings.Contains(res.body, "sdd_") {
		t.Fatalf("before approval: %s", res.body)
	}
	if res := ts.do(t, request{method: "POST", path: "/api/v1/connections/" + conn.ID + "/approve", as: "session:bob"}); res.status != 200 || !strings.Contains(res.body, `"state":"active"`) {
		t.Fatalf("approve: %d %s", res.status, res.body)
	}
	res = ts.do(t, request{method: "GET", path: "/api/v1/org/connections/" + conn.ID, as: "org"})
	var claim struct{ Credential string }
	if json.Unmarshal([]byte(res.body), &claim); !strings.HasPrefix(claim.Credential, "sdd_") {
		t.Fatalf("claim: %s", res.body)
	}
	if res := ts.do(t, request{method: "GET", path: "/api/v1/org/connections/" + conn.ID, as: "org"}); strings.Contains(res.body, "sdd_") {
		t.Fatalf("the credential was given twice: %s", res.body)
	}
	cred := "Bearer " + claim.Credential
	batch := `{"documents":[
		{"doctype":"meter","id":"PRM-98765432109876","data":{"kind":"electricity","identifier":"98765432109876","provider":"Enedis"}},
		{"doctype":"bill","id":"F-2025-01","data":{"vendor":"Enedis","date":"2025-01-31","amount":"42.00","currency":"EUR"}}],
		"series":[{"id":"load","doctype":"reading.electricity","name":"Courbe de charge","quantity":"energy","unit":"Wh","meter":"PRM-98765432109876",
			"readings":[{"at":"2025-01-01T00:00:00Z","value":120},{"at":"2025-01-01T00:30:00Z","value":80}]}]}`
	res = ts.do(t, request{method: "POST", path: "/api/v1/deposits", body: batch, as: cred})
	if res.status != 200 || !strings.Contains(res.body, `"created":2`) || !strings.Contains(res.body, `"readings_added":2`) {
		t.Fatalf("deposit: %d %s", res.status, res.body)
	}
	res = ts.do(t, request{method: "POST", path: "/api/v1/deposits", body: batch, as: cred})
	if res.status != 200 || !strings.Contains(res.body, `"created":0,"updated":0,"unchanged":2`) || !strings.Contains(res.body, `"readings_added":0`) {
		t.Fatalf("same deposit again: %d %s", res.status, res.body)
	}
	// The series names its meter by the id the store gave the meter document.
	series := ts.do(t, request{method: "GET", path: "/api/v1/series", as: "token:bob"})
	meters := ts.do(t, request{method: "GET", path: "/api/v1/data/meter", as: "token:bob"})
	var ml struct{ Items []struct{ ID string } }
	json.Unmarshal([]byte(meters.body), &ml)
	if len(ml.Items) != 1 || !strings.Contains(series.body, `"meter":"`+ml.Items[0].ID+`"`) || !strings.Contains(series.body, `"kind":"organization","id":"enedis"`) {
		t.Fatalf("series %s\nmeters %s", series.body, meters.body)
	}
	// A batch with one bad record is refused whole, each bad record named by its id.
	bad := `{"documents":[
		{"doctype":"bill","id":"F-2025-02","data":{"vendor":"Enedis","date":"2025-02-28","amount":"43.00","currency":"EUR"}},
		{"doctype":"bill","id":"F-2025-03","data":{"vendor":"Enedis","date":"2025-03-31","amount":43,"currency":"EUR"}}]}`
	res = ts.do(t, request{method: "POST", path: "/api/v1/deposits", body: bad, as: cred})
	if res.status != 422 || !strings.Contains(res.body, `"id":"F-2025-03"`) || !strings.Contains(res.body, "/amount") || strings.Contains(res.body, `"id":"F-2025-02"`) {
		t.Fatalf("bad batch: %d %s", res.status, res.body)
	}
	if bills := ts.do(t, request{method: "GET", path: "/api/v1/data/bill", as: "token:bob"}); strings.Contains(bills.body, "2025-02-28") {
		t.Fatalf("a refused batch wrote a bill: %s", bills.body)
	}
	log := ts.do(t, request{method: "GET", path: "/api/v1/access-log?actor=enedis", as: "session:bob"})
	if !strings.Contains(log.body, `"principal":"organization","actor_id":"enedis","actor_name":"Enedis","doctype":"bill","verb":"write","count":1`) {
		t.Fatalf("access log: %s", log.body)
	}
	// Revoked: the very next deposit is refused and writes nothing.
	if res := ts.do(t, request{method: "POST", path: "/api/v1/connections/" + conn.ID + "/revoke", as: "session:bob"}); res.status != 200 {
		t.Fatalf("revoke: %d %s", res.status, res.body)
	}
	before := ts.do(t, request{method: "GET", path: "/api/v1/holdings", as: "session:bob"}).body
	late := strings.Replace(batch, "F-2025-01", "F-2025-04", 1)
	if res := ts.do(t, request{method: "POST", path: "/api/v1/deposits", body: late, as: cred}); res.status != 403 || !strings.Contains(res.body, "revoked") {
		t.Fatalf("deposit after revocation: %d %s", res.status, res.body)
	}
	if res := ts.do(t, request{method: "POST", path: "/api/v1/deposits/files?id=F9&name=x.pdf", body: "%PDF", as: cred}); res.status != 403 {
		t.Fatalf("file deposit after revocation: %d", res.status)
	}
	if after := ts.do(t, request{method: "GET", path: "/api/v1/holdings", as: "session:bob"}).body; after != before {
		t.Fatalf("holdings changed after a refused deposit:\n%s\n%s", before, after)
	}
}
