package web

import (
	"net/url"
	"strings"
	"testing"

	"selfdata/internal/gate"
	"selfdata/internal/services"
	"selfdata/internal/store"
)

// builtinReads is what the access log of who holds about one built-in service's reads.
func (ts *testServer) builtinReads(t *testing.T, who *person, id string) []store.LogEntry {
	t.Helper()
	es, err := ts.gate.AccessLog(bg, gate.Owner(who.in.ID), store.LogQuery{Principal: string(gate.KindBuiltin), ActorID: id, Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// TestBuiltinServiceThroughOwnGrant: each built-in service is off until the person switches it
// on through the consent screen; then its page reads through the gate, logged under its own
// name in that person's log only; once the grant is withdrawn its page says it is off and the
// gate logs no read by it.
func TestBuiltinServiceThroughOwnGrant(t *testing.T) {
	ts := newTestServer(t)
	for _, d := range services.Catalog() {
		t.Run(d.ID, func(t *testing.T) {
			page := request{method: "GET", path: "/services/" + d.ID, as: "session:alice", header: map[string]string{"Accept-Language": "en"}}
			if res := ts.do(t, page); res.status != 200 || !strings.Contains(res.body, "This service is off") {
				t.Fatalf("before consent: %d, want the off page: %s", res.status, res.body)
			}
			if n := len(ts.builtinReads(t, ts.alice, d.ID)); n != 0 {
				t.Fatalf("off, it read %d times", n)
			}
			if res := ts.do(t, request{method: "GET", path: "/services/" + d.ID + "/enable", as: "session:alice"}); res.status != 200 || !strings.Contains(res.body, `action="/services/`+d.ID+`/enable"`) {
				t.Fatalf("consent screen: %d: %s", res.status, res.body)
			}
			f := url.Values{"csrf": {testCSRF}, "decision": {"approve"}, "days": {"0"}, "doctype": d.Doctypes}
			res := ts.do(t, request{method: "POST", path: "/services/" + d.ID + "/enable", body: f.Encode(), csrf: true, as: "session:alice"})
			if res.status != 303 || res.header.Get("Location") != "/services/"+d.ID {
				t.Fatalf("switch on: %d to %q: %s", res.status, res.header.Get("Location"), res.body)
			}
			if res := ts.do(t, page); res.status != 200 || strings.Contains(res.body, "This service is off") {
				t.Fatalf("on: %d: %s", res.status, res.body)
			}
			reads := ts.builtinReads(t, ts.alice, d.ID)
			if len(reads) == 0 {
				t.Fatal("its page read nothing through the gate")
			}
			for _, e := range reads {
				if e.ActorName != d.Name || e.Refused || (e.Doctype != "*" && !containsString(d.Doctypes, e.Doctype)) { // "*": the list of series
					t.Errorf("read logged as %q on %s (refused %v), want %q on its doctypes", e.ActorName, e.Doctype, e.Refused, d.Name)
				}
			}
			if n := len(ts.builtinReads(t, ts.bob, d.ID)); n != 0 {
				t.Errorf("bob's log holds %d reads by alice's service", n)
			}
			active, err := ts.cons.Active(bg, ts.alice.in.ID, d.ID)
			if err != nil || len(active) != 1 {
				t.Fatalf("active grants %v, %v", active, err)
			}
			if _, err := ts.cons.Withdraw(bg, ts.alice.in.ID, active[0].ID); err != nil {
				t.Fatal(err)
			}
			if res := ts.do(t, page); res.status != 200 || !strings.Contains(res.body, "This service is off") {
				t.Fatalf("after withdrawal: %d, want the off page: %s", res.status, res.body)
			}
			if n := len(ts.builtinReads(t, ts.alice, d.ID)); n != len(reads) {
				t.Errorf("after withdrawal the gate logged %d more reads", n-len(reads))
			}
		})
	}
}

// TestBuiltinServiceUnknown: an unknown service is a 404, and the operator's catalog refuses
// the built-in prefix.
func TestBuiltinServiceUnknown(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/services/selfdata-nothing", "/services/volta", "/services/volta/enable"} {
		if res := ts.do(t, request{method: "GET", path: path, as: "session:alice"}); res.status != 404 {
			t.Errorf("%s: %d, want 404", path, res.status)
		}
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
