package web

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// scopedToken is a token of alice's with the given scopes.
func (ts *testServer) scopedToken(t *testing.T, scopes string) string {
	t.Helper()
	secret, _, err := ts.auth.CreateToken(bg, ts.alice.in.ID, scopes, "scoped "+scopes)
	if err != nil {
		t.Fatal(err)
	}
	return "Bearer " + secret
}

// TestChangeFeedProgresses: a principal that may read only some doctypes follows the feed
// to its end, however many changes it may not see come first: every answer moves "last"
// on, and what it may read arrives.
func TestChangeFeedProgresses(t *testing.T) {
	ts := newTestServer(t)
	ops := make([]string, 25)
	for i := range ops {
		ops[i] = fmt.Sprintf(`{"date":"2025-02-%02d","label":"CB %d","amount":"-1.00","currency":"EUR","account":"FR76"}`, i+1, i)
	}
	if res := ts.do(t, request{method: "POST", path: "/api/v1/data/bank.operation", body: "[" + strings.Join(ops, ",") + "]", as: "token:alice"}); res.status != 201 {
		t.Fatalf("bank operations: %d %s", res.status, res.body)
	}
	res := ts.do(t, request{method: "POST", path: "/api/v1/data/bill", body: `{"vendor":"Eau du Grand Lyon","date":"2025-03-01","amount":"20.00","currency":"EUR"}`, as: "token:alice"})
	if res.status != 201 {
		t.Fatalf("bill: %d %s", res.status, res.body)
	}
	var newBill struct{ ID string }
	json.Unmarshal([]byte(res.body), &newBill)

	bills := ts.scopedToken(t, "bill:read")
	since, seen := int64(-1), map[string]bool{}
	for calls := 0; ; calls++ {
		if calls > 10 {
			t.Fatalf("still not at the end of the feed after %d calls (since %d)", calls, since)
		}
		res := ts.do(t, request{method: "GET", path: fmt.Sprintf("/api/v1/changes?since=%d&limit=10", max(since, 0)), as: bills})
		if res.status != 200 {
			t.Fatalf("changes: %d %s", res.status, res.body)
		}
		var page struct {
			Items []struct{ Doctype, ID string }
			Last  int64
		}
		if err := json.Unmarshal([]byte(res.body), &page); err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Items {
			if c.Doctype != "bill" {
				t.Fatalf("a bills-only token got a change of %s", c.Doctype)
			}
			seen[c.ID] = true
		}
		if page.Last == since {
			break // at the end: nothing after since
		}
		if page.Last < since {
			t.Fatalf("last went back from %d to %d", since, page.Last)
		}
		since = page.Last
	}
	if !seen[newBill.ID] || !seen[ts.alice.billID] {
		t.Fatalf("the feed gave bills %v; want alice's two bills", seen)
	}
}

// TestNotYoursIsAbsent: what a principal may not read answers exactly as what does not
// exist — the same status, the same detail — for series by id (their ids are predictable
// from a meter number), their readings and aggregates, and documents' revisions for a token
// that may write but not read.
func TestNotYoursIsAbsent(t *testing.T) {
	ts := newTestServer(t)
	bills := ts.scopedToken(t, "bill:read")
	writeOnly := ts.scopedToken(t, "bill:write")
	elec := ts.scopedToken(t, "reading.electricity:read+write")
	pairs := []struct {
		name           string
		hidden, absent request
	}{
		{"series", request{method: "GET", path: "/api/v1/series/" + ts.alice.seriesID, as: bills},
			request{method: "GET", path: "/api/v1/series/" + ts.alice.seriesID + "-nope", as: bills}},
		{"readings", request{method: "GET", path: "/api/v1/series/" + ts.alice.seriesID + "/readings", as: bills},
			request{method: "GET", path: "/api/v1/series/" + ts.alice.seriesID + "-nope/readings", as: bills}},
		{"aggregate", request{method: "GET", path: "/api/v1/series/" + ts.alice.seriesID + "/aggregate", as: bills},
			request{method: "GET", path: "/api/v1/series/" + ts.alice.seriesID + "-nope/aggregate", as: bills}},
		{"readings written to a series of another doctype", request{method: "POST", path: "/api/v1/series/" + ts.alice.seriesID + "/readings", body: `[{"at":"2025-01-03T00:00:00Z","value":1}]`, as: elec},
			request{method: "POST", path: "/api/v1/series/" + ts.alice.seriesID + "-nope/readings", body: `[{"at":"2025-01-03T00:00:00Z","value":1}]`, as: elec}},
		{"bob's series", request{method: "GET", path: "/api/v1/series/" + ts.bob.seriesID, as: "token:alice"},
			request{method: "GET", path: "/api/v1/series/" + ts.bob.seriesID + "-nope", as: "token:alice"}},
		{"a stale revision to a write-only token", request{method: "PUT", path: "/api/v1/data/bill/" + ts.alice.billID, header: map[string]string{"If-Match": `"7"`}, body: `{"vendor":"EDF","date":"2025-01-31","amount":"1.00","currency":"EUR"}`, as: writeOnly},
			request{method: "PUT", path: "/api/v1/data/bill/" + ts.alice.billID + "-nope", header: map[string]string{"If-Match": `"7"`}, body: `{"vendor":"EDF","date":"2025-01-31","amount":"1.00","currency":"EUR"}`, as: writeOnly}},
		{"a stale delete by a write-only token", request{method: "DELETE", path: "/api/v1/data/bill/" + ts.alice.billID, header: map[string]string{"If-Match": `"7"`}, as: writeOnly},
			request{method: "DELETE", path: "/api/v1/data/bill/" + ts.alice.billID + "-nope", header: map[string]string{"If-Match": `"7"`}, as: writeOnly}},
	}
	for _, tt := range pairs {
		t.Run(tt.name, func(t *testing.T) {
			h, a := ts.do(t, tt.hidden), ts.do(t, tt.absent)
			if h.status != 404 || a.status != 404 {
				t.Fatalf("hidden %d %s; absent %d %s; want 404 both", h.status, h.body, a.status, a.body)
			}
			if detail(t, h.body) != strings.ReplaceAll(detail(t, a.body), "-nope", "") {
				t.Fatalf("the details differ:\nhidden: %s\nabsent: %s", detail(t, h.body), detail(t, a.body))
			}
			for _, leak := range []string{"reading.water", "revision 1", `"1"`, "forbidden"} {
				if strings.Contains(h.body, leak) {
					t.Fatalf("the answer tells %q: %s", leak, h.body)
				}
			}
		})
	}
	// The owner still learns the current revision from a conflict: they may read it.
	res := ts.do(t, request{method: "PUT", path: "/api/v1/data/bill/" + ts.alice.billID, header: map[string]string{"If-Match": `"7"`}, body: `{"vendor":"EDF","date":"2025-01-31","amount":"1.00","currency":"EUR"}`, as: "token:alice"})
	if res.status != 412 {
		t.Fatalf("the owner's stale write: %d %s, want 412", res.status, res.body)
	}
}

func detail(t *testing.T, body string) string {
	t.Helper()
	var p struct{ Detail string }
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatalf("not a problem: %s", body)
	}
	return p.Detail
}

// TestListsCutAfterFiltering: lists spanning doctypes hold only what the principal may read
// and are filtered in the store: the series list of a bills-only token is empty, holdings
// name no doctype it may not read.
func TestListsCutAfterFiltering(t *testing.T) {
	ts := newTestServer(t)
	bills := ts.scopedToken(t, "bill:read")
	res := ts.do(t, request{method: "GET", path: "/api/v1/series", as: bills})
	if res.status != 200 || strings.Contains(res.body, ts.alice.seriesID) {
		t.Fatalf("series listed to a bills-only token: %d %s", res.status, res.body)
	}
	res = ts.do(t, request{method: "GET", path: "/api/v1/holdings", as: bills})
	var hs struct{ Items []struct{ Doctype string } }
	json.Unmarshal([]byte(res.body), &hs)
	if res.status != 200 || len(hs.Items) == 0 {
		t.Fatalf("holdings: %d %s", res.status, res.body)
	}
	for _, h := range hs.Items {
		if h.Doctype != "bill" {
			t.Fatalf("holdings show %s to a bills-only token", h.Doctype)
		}
	}
}
