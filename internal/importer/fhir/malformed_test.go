package fhir

import (
	"strings"
	"testing"
)

func TestMalformed(t *testing.T) {
	entry := func(resource string) string {
		return "{\n\"resourceType\": \"Bundle\",\n\"entry\": [\n{\"resource\": {\"resourceType\": \"Organization\"}},\n{\"resource\":\n" + resource + "\n}]}"
	}
	eob := func(body string) string {
		return entry(`{"resourceType": "ExplanationOfBenefit", "id": "e",` + "\n" + body + "}")
	}
	tests := []struct {
		name    string
		in      string
		line    int
		element string
		reason  string
	}{
		{"empty", "", 1, "", "empty"},
		{"blank", "  \n\n", 1, "", "empty"},
		{"truncated", "{\n  \"resourceType\": \"Patient\",\n  \"name\": [\n    {\"family\": \"Do", 4, "name", "truncated"},
		{"truncated bundle", entry(`{"resourceType": "Patient"`)[:len(entry(""))-5] + "\n{\"resourceType\": \"Pat", 6, "entry[1]", "truncated"},
		{"unbalanced", entry(`{"resourceType": "Patient"`), 7, "entry[1]", "invalid character ']' after object key:value pair"},
		{"syntax", "{\n  \"resourceType\": \"Patient\",\n  \"id\": \"x\",,\n  \"gender\": \"f\"\n}", 3, "", "invalid character ','"},
		{"syntax in entry", entry("{\"resourceType\": \"Patient\",\n\"id\": x}"), 7, "entry[1]", "invalid character 'x'"},
		{"wrong type", "{\n  \"resourceType\": \"Patient\",\n  \"birthDate\": 5\n}", 3, "birthDate", "expected a string, found number"},
		{"wrong type in entry", eob("\"total\": [{\"amount\":\n{\"value\": true}}]"), 8, "entry[1].resource.total.amount.value", "expected a number, found bool"},
		{"resourceType not a string", `{"resourceType": ["Patient"]}`, 1, "resourceType", "expected a string"},
		{"no resourceType", "{\n\"id\": \"x\"}", 2, "resourceType", "not a FHIR resource"},
		{"entry without resourceType", entry(`{"id": "x"}`), 6, "entry[1].resource.resourceType", "no resourceType"},
		{"top-level array", "\n[{\"resourceType\": \"Patient\"}]", 2, "", "expected an object, found '['"},
		{"trailing data", "{\"resourceType\": \"Patient\", \"id\": \"x\"}\n}", 2, "", "after the end"},
		{"bad date", eob(`"billablePeriod": {"start": "2015-13-01"}`), 6, "entry[1].resource.billablePeriod.start", `"2015-13-01" is not a date`},
		{"bad created", eob(`"created": "2015-12-01T25:00:00Z"`), 6, "entry[1].resource.created", "not a date-time"},
		{"no date", eob(`"total": []`), 6, "entry[1].resource", "no date"},
		{"bad amount", eob(`"created": "2020-01-01", "total": [{"category": {"coding": [{"code": "submitted"}]}, "amount": {"value": 1e3}}]`), 6, "entry[1].resource.total[0].amount", `"1e3" is not a decimal amount`},
		{"bad line amount", eob(`"created": "2020-01-01", "item": [{}, {"adjudication": [{}, {"category": {"coding": [{"code": "submitted"}]}, "amount": {"value": -1E-2}}]}]`), 6, "entry[1].resource.item[1].adjudication[1].amount", "not a decimal"},
		{"bad currency", eob(`"created": "2020-01-01", "payment": {"amount": {"value": 1, "currency": "US$"}}`), 6, "entry[1].resource.payment.amount", "ISO 4217"},
		{"bad birth date", "{\"resourceType\": \"Patient\", \"id\": \"p\",\n\"birthDate\": \"1984-02-30\"}", 1, "Patient.birthDate", "not a date"},
		{"bad coverage period", entry(`{"resourceType": "Coverage", "id": "c", "period": {"end": "yesterday"}}`), 6, "entry[1].resource.period.end", "not a date"},
		{"deep", "{\"resourceType\": \"Patient\",\n\"extension\": " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "}", 2, "extension", "nested more than 200 levels"},
		{"deep entry", entry(`{"resourceType": "Patient", "x": ` + strings.Repeat(`{"a":`, 250) + "1" + strings.Repeat("}", 250) + "}"), 6, "entry[1]", "nested more than 200 levels"},
		{"huge value", "{\"resourceType\": \"Patient\",\n\"id\": \"x\",\n\"text\": \"" + strings.Repeat("a", 5<<20) + "\"}", 3, "text", "larger than 4 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Format().Parse(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("no error; result %+v", res)
			}
			if res != nil {
				t.Error("a result came with the error")
			}
			e := asImportError(t, err)
			if e.Line != tt.line || e.Element != tt.element || !strings.Contains(e.Reason, tt.reason) {
				t.Errorf("error %q: line %d element %q; want line %d element %q reason containing %q",
					err, e.Line, e.Element, tt.line, tt.element, tt.reason)
			}
		})
	}
}
