package fhir

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"selfdata/internal/importer"
)

// eobBundle wraps ExplanationOfBenefit bodies (without their braces) in a searchset Bundle,
// each with resourceType and id "e<i>".
func eobBundle(bodies ...string) string {
	entries := make([]string, len(bodies))
	for i, body := range bodies {
		entries[i] = fmt.Sprintf(`{"resource": {"resourceType": "ExplanationOfBenefit", "id": "e%d", %s}}`, i, body)
	}
	return `{"resourceType": "Bundle", "type": "searchset", "entry": [` + strings.Join(entries, ",\n") + "]}"
}

// TestPartDBundle imports a Bundle of Part D prescription claims as Blue Button serves
// them: dated only by the line's servicedDate, costed only by the drug cost.
func TestPartDBundle(t *testing.T) {
	const n = 10
	bodies := make([]string, n)
	for i := range bodies {
		bodies[i] = fmt.Sprintf(`"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "pharmacy"}]},
			"item": [{"servicedDate": "2024-03-%02d", "adjudication": [{"category": {"coding": [{"code": "drugcost"}]}, "amount": {"value": %d.5}}]}],
			"total": [{"category": {"coding": [{"system": "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication", "code": "drugcost"}]}, "amount": {"value": %d.25, "currency": "USD"}}],
			"payment": {"amount": {"value": 3}}`, i+1, i, i)
	}
	res := parseString(t, eobBundle(bodies...))
	checkRecords(t, res)
	if c, r := count(res, "health.claim"), count(res, "health.reimbursement"); c != n || r != n {
		t.Fatalf("%d claims and %d reimbursements, want %d of each; notes %q", c, r, n, res.Notes)
	}
	got := find(res, "health.claim", "ExplanationOfBenefit/e9")
	if got["date"] != "2024-03-10" || got["amount"] != "9.25" {
		t.Errorf("claim e9: date %v amount %v, want 2024-03-10 and the drug-cost total 9.25", got["date"], got["amount"])
	}
	if pay := find(res, "health.reimbursement", "ExplanationOfBenefit/e9/payment"); pay["claim"] != "ExplanationOfBenefit/e9" || pay["date"] != "2024-03-10" {
		t.Errorf("payment of e9 %v: want it linked to its claim and dated by it", pay)
	}
	want := []string{"10 claim(s) without a submitted amount took the drug cost (the prescription's total cost) as their amount"}
	if !reflect.DeepEqual(res.Notes, want) || res.Skipped != 0 {
		t.Errorf("skipped %d, notes %q; want 0 and %q", res.Skipped, res.Notes, want)
	}
}

// TestClaimDateAndAmount checks the order in which a claim's date and amount are read.
func TestClaimDateAndAmount(t *testing.T) {
	const submitted, drugcost = `{"coding": [{"code": "submitted"}]}`, `{"coding": [{"code": "drugcost"}]}`
	tests := []struct {
		name, body   string
		date, amount string
		note         string // the note saying where the amount was read, "" for submitted
	}{
		{"billable period first", `"billablePeriod": {"start": "2024-01-02"}, "created": "2024-02-01", "item": [{"servicedDate": "2023-12-01"}],
			"total": [{"category": ` + submitted + `, "amount": {"value": 10}}, {"category": ` + drugcost + `, "amount": {"value": 7}}]`,
			"2024-01-02", "10.00", ""},
		{"earliest served line", `"created": "2024-02-01", "item": [{"servicedDate": "2024-01-20"}, {"servicedPeriod": {"start": "2024-01-05T10:00:00Z"}}],
			"total": [{"category": ` + submitted + `, "amount": {"value": 1}}]`, "2024-01-05", "1.00", ""},
		{"created last", `"billablePeriod": {"end": "2024-03-01"}, "created": "2024-02-01", "item": [{}],
			"total": [{"category": ` + submitted + `, "amount": {"value": 1}}]`, "2024-02-01", "1.00", ""},
		{"lines' drug cost", `"created": "2024-02-01", "item": [{"adjudication": [{"category": ` + drugcost + `, "amount": {"value": 2.5}}]},
			{"adjudication": [{"category": ` + drugcost + `, "amount": {"value": 1}}]}]`, "2024-02-01", "3.50", "drug cost"},
		{"one uncategorised total", `"created": "2024-02-01", "total": [{"amount": {"value": 12000.5}}]`, "2024-02-01", "12000.50", "uncategorised total"},
		{"two uncategorised totals, lines' net", `"created": "2024-02-01", "total": [{"amount": {"value": 1}}, {"amount": {"value": 2}}],
			"item": [{"net": {"value": 4}}, {"unitPrice": {"value": 0.125}, "quantity": {"value": 3}}, {"unitPrice": {"value": 1}}]`,
			"2024-02-01", "5.375", "sum of their lines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseString(t, eobBundle(tt.body+`, "payment": {"amount": {"value": 1}}`))
			checkRecords(t, res)
			got := find(res, "health.claim", "ExplanationOfBenefit/e0")
			if got["date"] != tt.date || got["amount"] != tt.amount {
				t.Errorf("date %v amount %v, want %s %s; notes %q", got["date"], got["amount"], tt.date, tt.amount, res.Notes)
			}
			if pay := find(res, "health.reimbursement", "ExplanationOfBenefit/e0/payment"); pay["claim"] != "ExplanationOfBenefit/e0" {
				t.Errorf("payment %v not linked to its claim", pay)
			}
			notes := strings.Join(res.Notes, "\n")
			if tt.note == "" && notes != "" || !strings.Contains(notes, tt.note) {
				t.Errorf("notes %q, want one naming %q", res.Notes, tt.note)
			}
		})
	}
}

// TestUnmappableClaimReported checks that a claim that cannot be mapped is left out whole
// (claim and payment), named by its place in the file, while the others import.
func TestUnmappableClaimReported(t *testing.T) {
	const good = `"created": "2024-02-01", "total": [{"category": {"coding": [{"code": "submitted"}]}, "amount": {"value": 5}}], "payment": {"amount": {"value": 4}}`
	res := parseString(t, eobBundle(
		good,
		`"created": "2024-02-31", "total": [{"amount": {"value": 5}}], "payment": {"amount": {"value": 4}}`,
		`"created": "2024-02-01", "total": [{"amount": {"value": 5}}], "payment": {"amount": {"value": 4, "currency": "US$"}}`,
		`"total": [{"amount": {"value": 5}}]`,
		good,
	))
	checkRecords(t, res)
	for _, k := range []string{"e0", "e4"} {
		if find(res, "health.claim", "ExplanationOfBenefit/"+k) == nil || find(res, "health.reimbursement", "ExplanationOfBenefit/"+k+"/payment") == nil {
			t.Errorf("claim %s or its payment missing", k)
		}
	}
	if len(res.Records) != 4 || res.Skipped != 3 {
		t.Errorf("%d records, %d skipped; want 4 and 3 (nothing of e1, e2, e3)", len(res.Records), res.Skipped)
	}
	want := []struct {
		line          int
		element, what string
		text          string
	}{
		{2, "entry[1].resource", "entry[1].resource.created", "claim ExplanationOfBenefit/e1 not imported, nor its payment: line 2: entry[1].resource.created: \"2024-02-31\" is not a date"},
		{3, "entry[2].resource", "entry[2].resource.payment.amount", "claim ExplanationOfBenefit/e2 not imported, nor its payment: line 3: entry[2].resource.payment.amount: \"US$\" is not an ISO 4217"},
		{4, "entry[3].resource", "", "claim ExplanationOfBenefit/e3 not imported, nor its payment: line 4: entry[3].resource: the claim has no date"},
	}
	if len(res.LeftOut) != len(want) {
		t.Fatalf("left out %+v, want %d claims", res.LeftOut, len(want))
	}
	for i, w := range want {
		l := res.LeftOut[i]
		reason, params := importer.ReasonBadValue, []string{w.what}
		if w.what == "" {
			reason, params = importer.ReasonNoDate, nil
		}
		if l.Line != w.line || l.Element != w.element || l.Kind != "health.claim" || l.Reason != reason ||
			!slices.Equal(l.Params, params) || !strings.HasPrefix(l.Text, w.text) {
			t.Errorf("left out %d: %+v, want line %d, %s, bad value at %s, %q", i, l, w.line, w.element, w.what, w.text)
		}
	}
}
