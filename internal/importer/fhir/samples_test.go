package fhir

import (
	"bytes"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The expected values below were read by hand from the sample files.
func TestSamples(t *testing.T) {
	tests := []struct {
		file    string
		counts  map[string]int
		doctype string
		key     string
		want    map[string]any
	}{
		{
			file:    "fhir/patient_read_v2.json",
			counts:  map[string]int{"profile": 1},
			doctype: "profile", key: "Patient/-20140000008325",
			want: map[string]any{
				"givenName": "Jane X", "familyName": "Doe", "birthDate": "2014-06-01",
				"address": map[string]any{"postalCode": "99999", "state": "15"},
			},
		},
		{
			file:    "fhir/coverage_search_v2.json",
			counts:  map[string]int{"insurance.contract": 4},
			doctype: "insurance.contract", key: "Coverage/part-a--20140000008325",
			want: map[string]any{
				"insurer": "Centers for Medicare and Medicaid Services", "kind": "health",
				"reference": "2SW4N00AA00", "label": "Part A", "start": "1983-03-24",
				"status": "active", "beneficiary": "Patient/-20140000008325",
			},
		},
		{
			file:    "fhir/coverage_search_v2.json",
			counts:  map[string]int{"insurance.contract": 4},
			doctype: "insurance.contract", key: "Coverage/part-d--20140000008325",
			want: map[string]any{
				"insurer": "Centers for Medicare and Medicaid Services", "kind": "health",
				"reference": "2SW4N00AA00", "label": "Part D",
				"status": "active", "beneficiary": "Patient/-20140000008325",
			},
		},
		{
			// The total[] of this claim has no "submitted" category (its one total is coded
			// priorpayerpaid, 0.0), so the amount is the line's submitted charge, 250.0.
			file:    "fhir/eob_read_carrier_v2.json",
			counts:  map[string]int{"health.claim": 1, "health.reimbursement": 1},
			doctype: "health.claim", key: "ExplanationOfBenefit/carrier-22639159481",
			want: map[string]any{
				"date": "2015-12-01", "amount": "250.00", "currency": "USD",
				"provider":  "NPI 999999999999",
				"care":      "Local carrier non-durable medical equipment, prosthetics, orthotics, and supplies (DMEPOS) claim",
				"reference": "22639159481", "patient": "Patient/-20140000008325",
				"claimType": "CARRIER", "status": "active",
				"diagnoses": []string{"M810", "9999999"},
				"coverage":  "Coverage/part-b--20140000008325",
			},
		},
		{
			file:    "fhir/eob_read_carrier_v2.json",
			counts:  map[string]int{"health.claim": 1, "health.reimbursement": 1},
			doctype: "health.reimbursement", key: "ExplanationOfBenefit/carrier-22639159481/payment",
			want: map[string]any{
				"date": "2015-12-01", "amount": "50.00", "currency": "USD", "payer": "Medicare",
				"claim": "ExplanationOfBenefit/carrier-22639159481", "reference": "22639159481",
			},
		},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file)+"/"+tt.key, func(t *testing.T) {
			res, err := Format().Parse(bytes.NewReader(readSample(t, tt.file)))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkRecords(t, res)
			if res.Format != "fhir.r4" || res.Skipped != 0 || len(res.Notes) != 0 {
				t.Errorf("format %q skipped %d notes %v", res.Format, res.Skipped, res.Notes)
			}
			total := 0
			for dt, n := range tt.counts {
				total += n
				if got := count(res, dt); got != n {
					t.Errorf("%d %s records, want %d", got, dt, n)
				}
			}
			if len(res.Records) != total {
				t.Errorf("%d records, want %d", len(res.Records), total)
			}
			if got := find(res, tt.doctype, tt.key); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s %s:\n got %#v\nwant %#v", tt.doctype, tt.key, got, tt.want)
			}
		})
	}
}

func TestSampleCoverages(t *testing.T) {
	res, err := Format().Parse(bytes.NewReader(readSample(t, "fhir/coverage_search_v2.json")))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []struct{ key, label, start string }{
		{"Coverage/part-a--20140000008325", "Part A", "1983-03-24"},
		{"Coverage/part-b--20140000008325", "Part B", "1983-03-24"},
		{"Coverage/part-c--20140000008325", "Part C", ""},
		{"Coverage/part-d--20140000008325", "Part D", ""},
	}
	if len(res.Records) != len(want) {
		t.Fatalf("%d records, want %d", len(res.Records), len(want))
	}
	for i, w := range want {
		r := res.Records[i]
		start, _ := r.Data["start"].(string)
		if r.Key != w.key || r.Data["label"] != w.label || start != w.start || r.Data["end"] != nil {
			t.Errorf("coverage %d = %s %v, want %s %s start %q", i, r.Key, r.Data, w.key, w.label, w.start)
		}
	}
}

// TestDetectSamples runs Detect on every sample of every format: only FHIR files are claimed.
func TestDetectSamples(t *testing.T) {
	dir := samplesDir()
	if dir == "" {
		t.Skip("sample folder ../shared/samples not found (set SELFDATA_SAMPLES)")
	}
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "README.md" {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		head := readSample(t, rel)
		head = head[:min(len(head), 8<<10)]
		want := strings.HasPrefix(filepath.ToSlash(rel), "fhir/")
		if got := Format().Detect(head, d.Name()); got != want {
			t.Errorf("Detect(%s) = %v, want %v", rel, got, want)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 30 {
		t.Errorf("only %d sample files seen", n)
	}
}
