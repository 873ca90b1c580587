package web

import (
	"encoding/json"
	"strings"
	"testing"

	"selfdata/internal/restore"
	"selfdata/internal/store"
)

// enedisBill deposits Enedis's bill F1 for alice at that amount and returns the report.
func (ts *testServer) enedisBill(t *testing.T, amount string) map[string]any {
	t.Helper()
	res := ts.do(t, request{method: "POST", path: "/api/v1/deposits", as: "deposit", body: `{"documents":[
		{"doctype":"bill","id":"F1","data":{"vendor":"Enedis","date":"2024-11-30","amount":"` + amount + `","currency":"EUR"}}]}`})
	var rep map[string]any
	if res.status != 200 || json.Unmarshal([]byte(res.body), &rep) != nil {
		t.Fatalf("deposit: %d %s", res.status, res.body)
	}
	return rep
}

// putBill changes alice's bill id at revision rev to that amount, as the caller.
func (ts *testServer) putBill(t *testing.T, as, id, rev, amount string) (int, store.Doc, string) {
	t.Helper()
	res := ts.do(t, request{method: "PUT", path: "/api/v1/data/bill/" + id, as: as, header: map[string]string{"If-Match": `"` + rev + `"`},
		body: `{"vendor":"Enedis","date":"2024-11-30","amount":"` + amount + `","currency":"EUR"}`})
	var d store.Doc
	json.Unmarshal([]byte(res.body), &d)
	return res.status, d, res.body
}

// amountOf is a bill's amount.
func amountOf(data json.RawMessage) string {
	var b struct{ Amount string }
	json.Unmarshal(data, &b)
	return b.Amount
}

// TestOwnerCorrection: when alice changes a bill Enedis deposited, the bill still comes from
// Enedis, Enedis's value is kept, and the API and the record page say "corrected by you",
// when, and what Enedis sent. When Enedis sends the bill again, its new value becomes the
// original and her correction stays; setting the bill back to Enedis's value lifts it.
func TestOwnerCorrection(t *testing.T) {
	ts := newTestServer(t)
	ts.enedisBill(t, "1234.5")
	id := restore.ID(store.Source{Kind: "organization", ID: "enedis"}, "bill", "F1")

	status, d, body := ts.putBill(t, "session:alice", id, "1", "1200.00")
	if status != 200 || d.Source.Kind != "organization" || d.Source.ID != "enedis" || amountOf(d.Data) != "1200.00" {
		t.Fatalf("alice's correction: %d %s", status, body)
	}
	if c := d.Corrected; c == nil || c.At.IsZero() || c.By.Kind != "owner" || amountOf(c.Original) != "1234.5" {
		t.Fatalf("the corrected bill does not say so: %s", body)
	}
	if status, _, body := ts.putBill(t, "session:bob", id, "2", "1.00"); status != 404 {
		t.Errorf("bob correcting alice's bill: %d %s", status, body)
	}
	page := func(lang string) string { return ts.page(t, "/data/bill/"+id+"?lang="+lang, 200) }
	wantAll(t, "the corrected record", page("en"), "Corrected by you on", "€1,200.00", "Value sent by Enedis", "€1,234.50", "<dd>Enedis</dd>")
	wantAll(t, "the corrected record in French", page("fr"), "Corrigé par vous le", "Valeur envoyée par Enedis")
	wantNone(t, "the corrected record", page("en"), "sent this record again")
	if res := ts.do(t, request{method: "GET", path: "/data/bill/" + id, as: "session:bob"}); res.status != 404 || strings.Contains(res.body, "1,200") {
		t.Errorf("bob reads alice's corrected bill: %d", res.status)
	}

	// Enedis sends the same bill again: nothing changes. Then a new amount: it becomes the
	// original, and alice's correction stays, marked.
	if rep := ts.enedisBill(t, "1234.5"); rep["unchanged"] != 1.0 {
		t.Errorf("the same deposit again: %v", rep)
	}
	if rep := ts.enedisBill(t, "1300.00"); rep["updated"] != 1.0 {
		t.Errorf("a new amount: %v", rep)
	}
	res := ts.do(t, request{method: "GET", path: "/api/v1/data/bill/" + id, as: "token:alice"})
	if err := json.Unmarshal([]byte(res.body), &d); err != nil || amountOf(d.Data) != "1200.00" || d.Corrected == nil || amountOf(d.Corrected.Original) != "1300.00" {
		t.Fatalf("after Enedis's new deposit: %s", res.body)
	}
	wantAll(t, "the record sent again", page("en"), "Corrected by you on", "€1,200.00", "Enedis sent this record again on", "€1,300.00")
	wantAll(t, "the record sent again in French", page("fr"), "Enedis a renvoyé cet enregistrement le")

	// Alice's script sets the bill to Enedis's value: there is nothing corrected any more.
	status, d, body = ts.putBill(t, "token:alice", id, d.Rev, "1300.00")
	if status != 200 || d.Corrected != nil || strings.Contains(body, `"corrected"`) || amountOf(d.Data) != "1300.00" {
		t.Errorf("back to Enedis's value: %d %s", status, body)
	}
	wantNone(t, "the record back to Enedis's value", page("en"), "Corrected by you", "Value sent by Enedis")
}
