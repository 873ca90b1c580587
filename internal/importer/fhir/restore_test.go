package fhir_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/importer/fhir"
	"selfdata/internal/restore/restoretest"
	"selfdata/internal/store"
)

// TestRestoreBundleWithBadClaim restores, through the real restore layer into SQLite, a
// Bundle of which one claim cannot be mapped: the others are written, nothing of the bad
// one is, and the report names it by its entry.
func TestRestoreBundleWithBadClaim(t *testing.T) {
	ctx := context.Background()
	im, db, p := restoretest.Open(t, fhir.Format())
	const bundle = `{"resourceType": "Bundle", "type": "searchset", "entry": [
{"resource": {"resourceType": "ExplanationOfBenefit", "id": "ok", "item": [{"servicedDate": "2024-03-01"}], "total": [{"amount": {"value": 9000}}], "payment": {"amount": {"value": 8000}}}},
{"resource": {"resourceType": "ExplanationOfBenefit", "id": "bad", "created": "2024-13-01", "total": [{"amount": {"value": 5}}], "payment": {"amount": {"value": 4}}}}
]}`
	src := store.Source{Kind: "upload", Name: "eob.json", At: time.Now()}
	rep, err := im.File(ctx, p, src, "eob.json", strings.NewReader(bundle), "", nil)
	if err != nil {
		t.Fatalf("the Bundle was refused whole: %v", err)
	}
	if rep.ByDoctype["health.claim"] != 1 || rep.ByDoctype["health.reimbursement"] != 1 || rep.Skipped != 1 {
		t.Errorf("report %+v: want one claim and its payment, one skipped", rep)
	}
	if len(rep.LeftOut) != 1 || rep.LeftOut[0].Element != "entry[1].resource" || rep.LeftOut[0].Reason != importer.ReasonBadValue ||
		len(rep.LeftOut[0].Params) != 1 || rep.LeftOut[0].Params[0] != "entry[1].resource.created" || rep.LeftOut[0].Line != 3 {
		t.Errorf("left out %+v: want the bad claim, by its entry, line and value", rep.LeftOut)
	}
	js, err := json.Marshal(rep)
	if err != nil || !strings.Contains(string(js), `"left_out":[{"line":3,"element":"entry[1].resource","kind":"health.claim","reason":"bad-value"`) {
		t.Errorf("report JSON %s (%v): no left_out naming the bad claim", js, err)
	}
	claims, err := db.Query(ctx, p.Instance, store.Query{Doctype: "health.claim"})
	if err != nil || len(claims.Items) != 1 {
		t.Fatalf("claims %+v (%v): want only the good one", claims, err)
	}
	pays, err := db.Query(ctx, p.Instance, store.Query{Doctype: "health.reimbursement"})
	if err != nil || len(pays.Items) != 1 || !strings.Contains(string(pays.Items[0].Data), `"claim":"`+claims.Items[0].ID+`"`) {
		t.Fatalf("reimbursements %d (%v): want only the good claim's, linked to it", len(pays.Items), err)
	}
}
