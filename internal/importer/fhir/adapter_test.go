package fhir

import (
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"selfdata/internal/importer"
)

const bundle = `{
  "resourceType": "Bundle",
  "type": "searchset",
  "entry": [
    {"fullUrl": "https://x/Patient/p1", "resource": {
      "resourceType": "Patient", "id": "p1",
      "name": [{"use": "nickname", "given": ["Al"]}, {"use": "official", "family": "Martin", "given": ["Camille", " Anne "]}],
      "telecom": [{"system": "email", "value": "c@example.org"}, {"system": "phone", "value": "+1 555 0100"}, {"system": "email", "value": "other@example.org"}],
      "birthDate": "1984",
      "address": [{"use": "work", "city": "Nowhere"}, {"use": "home", "line": ["1 Main St", "Apt 2"], "city": "Springfield", "postalCode": "12345", "country": "US"}]
    }},
    {"resource": {
      "resourceType": "ExplanationOfBenefit", "id": "e1",
      "type": {"text": "Pharmacy"},
      "identifier": [{"system": "https://bluebutton.cms.gov/resources/variables/pde_id", "value": "777"}],
      "patient": {"reference": "https://x/fhir/Patient/p1/_history/3"},
      "created": "2024-02-03T23:30:00-05:00",
      "insurer": {"display": "Acme Health"},
      "provider": {"display": "Dr Who"},
      "total": [
        {"category": {"coding": [{"code": "benefit"}]}, "amount": {"value": 1}},
        {"category": {"coding": [{"display": "Submitted Amount"}]}, "amount": {"value": 12.3, "currency": "usd"}}
      ],
      "item": [{"adjudication": [{"category": {"coding": [{"code": "submitted"}]}, "amount": {"value": 99}}]}],
      "payment": {"amount": {"value": 10.125, "currency": "EUR"}, "date": "2024-03-01"}
    }},
    {"resource": {
      "resourceType": "ExplanationOfBenefit", "id": "e2",
      "billablePeriod": {"start": "2023-05-01", "end": "2023-05-03"},
      "careTeam": [
        {"provider": {"identifier": {"value": "A1"}}, "role": {"coding": [{"code": "referring"}]}},
        {"provider": {"display": "Clinic B"}, "role": {"coding": [{"code": "performing"}]}}
      ],
      "item": [
        {"adjudication": [{"category": {"coding": [{"code": "submitted"}]}, "amount": {"value": 0.005}}]},
        {"adjudication": [{"category": {"coding": [{"code": "submitted"}]}, "amount": {"value": 20}},
                          {"category": {"coding": [{"code": "eligible"}]}, "amount": {"value": 5}}]}
      ],
      "payment": {"amount": {"value": 0.0}}
    }},
    {"resource": {"resourceType": "ExplanationOfBenefit", "id": "e3", "created": "2024-01-01", "payment": {"amount": {"value": 5}}}},
    {"resource": {"resourceType": "Patient", "id": "p1"}},
    {"resource": {"resourceType": "Patient"}},
    {"resource": {"resourceType": "Organization", "id": "o1"}},
    {"resource": {"resourceType": "Organization", "id": "o2"}},
    {"search": {"mode": "outcome"}}
  ],
  "total": 9
}`

func TestBundle(t *testing.T) {
	res := parseString(t, bundle)
	checkRecords(t, res)
	tests := []struct {
		doctype, key string
		want         map[string]any
	}{
		{"profile", "Patient/p1", map[string]any{
			"givenName": "Camille Anne", "familyName": "Martin", // official name; partial birthDate left out
			"email": "c@example.org", "phone": "+1 555 0100",
			"address": map[string]any{"street": "1 Main St, Apt 2", "city": "Springfield", "postalCode": "12345", "country": "US"},
		}},
		{"health.claim", "ExplanationOfBenefit/e1", map[string]any{
			// the submitted total wins over the lines; the date is the day as written
			"date": "2024-02-03", "amount": "12.30", "currency": "USD", "care": "Pharmacy",
			"provider": "Dr Who", "reference": "777", "patient": "Patient/p1",
		}},
		{"health.reimbursement", "ExplanationOfBenefit/e1/payment", map[string]any{
			"date": "2024-03-01", "amount": "10.125", "currency": "EUR", "payer": "Acme Health",
			"claim": "ExplanationOfBenefit/e1", "reference": "777",
		}},
		{"health.claim", "ExplanationOfBenefit/e2", map[string]any{
			// 0.005 + 20 summed exactly; the performing member of the care team is the provider
			"date": "2023-05-01", "amount": "20.005", "currency": "USD", "provider": "Clinic B",
			"periodEnd": "2023-05-03", "reference": "e2",
		}},
		{"health.reimbursement", "ExplanationOfBenefit/e3/payment", map[string]any{
			// no submitted amount: no claim to point to, but the payment is kept
			"date": "2024-01-01", "amount": "5.00", "currency": "USD", "payer": "Medicare", "reference": "e3",
		}},
	}
	for _, tt := range tests {
		if got := find(res, tt.doctype, tt.key); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s %s:\n got %#v\nwant %#v", tt.doctype, tt.key, got, tt.want)
		}
	}
	if n := len(res.Records); n != 5 {
		t.Errorf("%d records, want 5 (no reimbursement for e2's zero payment, no claim for e3)", n)
	}
	// 2 Organizations + 1 empty entry + 1 Patient without id + 1 duplicate Patient + e3's claim
	if res.Skipped != 6 {
		t.Errorf("skipped %d, want 6; notes %q", res.Skipped, res.Notes)
	}
	wantNotes := []string{
		"2 Organization resource(s) not imported: no doctype for them",
		"1 Bundle entry(ies) without a resource skipped",
		"1 resource(s) without an id skipped: they could not be imported again without duplicates",
		"1 resource(s) listed more than once imported once",
	}
	if !reflect.DeepEqual(res.Notes, wantNotes) {
		t.Errorf("notes\n got %q\nwant %q", res.Notes, wantNotes)
	}
	if len(res.LeftOut) != 1 || res.LeftOut[0].Reason != importer.ReasonNoAmount || res.LeftOut[0].Element != "entry[3].resource" || res.LeftOut[0].Kind != "health.claim" ||
		!strings.Contains(res.LeftOut[0].Text, "claim ExplanationOfBenefit/e3 has no amount") {
		t.Errorf("left out %+v: want e3's claim, for having no amount", res.LeftOut)
	}
}

// TestSingleResource checks a top-level resource whose resourceType is not its first
// property, minified, behind a byte order mark.
func TestSingleResource(t *testing.T) {
	res := parseString(t, "\uFEFF"+`{"id":"c9","payor":[{"reference":"Organization/acme"}],"class":[{"type":{"coding":[{"code":"plan"}]},"name":"Gold"}],"period":{"end":"2030-12-31"},"resourceType":"Coverage"}`)
	checkRecords(t, res)
	want := map[string]any{"insurer": "Organization/acme", "kind": "health", "reference": "c9", "label": "Gold", "end": "2030-12-31"}
	if got := find(res, "insurance.contract", "Coverage/c9"); !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v\nwant %#v", got, want)
	}
}

func TestKeysStable(t *testing.T) {
	a, b := parseString(t, bundle), parseString(t, bundle)
	if !reflect.DeepEqual(a, b) {
		t.Error("two imports of the same file differ")
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		head string
		want bool
	}{
		{`{"resourceType": "Patient", "id": "1"}`, true},
		{`{"id": "1", "meta": {"x": [1, {"resourceType": "Coverage"}]}, "resourceType": "Coverage"}`, true},
		{`{"resourceType": "OperationOutcome", "issue": []}`, false},
		{`{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Observation"`, true},
		{`{"link": [], "entry": [{"resource": {"resourceType": "ExplanationOfBenefit", "id": "x`, true},
		{`{"link": [], "entry": [{"resource": {"resourceType": "Observation", "id": "x`, false},
		{`{"locations": []}`, false},
		{`[{"resourceType": "Patient"}]`, false},
		{`resourceType Patient`, false},
		{``, false},
	}
	for _, tt := range tests {
		if got := Detect([]byte(tt.head), "x.json"); got != tt.want {
			t.Errorf("Detect(%s) = %v, want %v", tt.head, got, tt.want)
		}
	}
}

// TestBundleStream imports a Bundle larger than the one-value limit: it passes only if the
// parser forgets each entry once read, i.e. streams.
func TestBundleStream(t *testing.T) {
	const n = 40_000 // about 5 MB
	pr, pw := io.Pipe()
	go func() {
		fmt.Fprint(pw, "{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"entry\": [\n")
		for i := range n {
			if i > 0 {
				fmt.Fprint(pw, ",\n")
			}
			fmt.Fprintf(pw, `{"resource": {"resourceType": "Coverage", "id": "c%d", "status": "active", "period": {"start": "2020-01-01"}}}`, i)
		}
		fmt.Fprint(pw, "\n], \"link\": [{\"relation\": \"self\", \"url\": \"x\"}]}\n")
		pw.Close()
	}()
	res, err := Format().Parse(pr)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(res.Records) != n || res.Records[n-1].Key != fmt.Sprintf("Coverage/c%d", n-1) {
		t.Errorf("%d records, last %q", len(res.Records), res.Records[len(res.Records)-1].Key)
	}
}
