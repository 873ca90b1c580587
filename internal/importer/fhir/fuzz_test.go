package fhir

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"selfdata/internal/importer"
)

// FuzzParse feeds arbitrary bytes to the importer: it must never panic, fail only with an
// *importer.Error, and succeed only with records that have a doctype and a unique key.
func FuzzParse(f *testing.F) {
	if dir := samplesDir(); dir != "" {
		for _, name := range []string{"eob_read_carrier_v2.json", "patient_read_v2.json", "coverage_search_v2.json"} {
			if b, err := os.ReadFile(filepath.Join(dir, "fhir", name)); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(bundle))
	f.Add([]byte(`{"resourceType":"Coverage","id":"c","period":{"start":"2020"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data[:min(len(data), 8<<10)], "f.json")
		res, err := Format().Parse(bytes.NewReader(data))
		if err != nil {
			var e *importer.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T) is not an *importer.Error", err, err)
			}
			if res != nil {
				t.Fatal("a result came with the error")
			}
			return
		}
		seen := map[string]bool{}
		for _, r := range res.Records {
			if r.Doctype == "" || r.Key == "" || seen[r.Doctype+" "+r.Key] {
				t.Fatalf("record %q %q: empty or repeated", r.Doctype, r.Key)
			}
			seen[r.Doctype+" "+r.Key] = true
		}
	})
}
