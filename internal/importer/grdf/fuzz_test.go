package grdf

import (
	"bytes"
	"testing"

	"selfdata/internal/importer"
	"selfdata/internal/importer/samples"
)

// addSamples seeds a fuzz target with the real files (skipped when absent) and a small one.
func addSamples(f *testing.F, seed string, names ...string) {
	f.Add([]byte(seed))
	for _, n := range names {
		if b, ok := samples.ReadIfPresent("grdf/" + n); ok {
			f.Add(b)
		}
	}
}

func fuzzFormat(t *testing.T, format importer.Format, data []byte) {
	res, err := format.Parse(bytes.NewReader(data))
	if err != nil {
		if res != nil {
			t.Fatalf("result with an error: %v", err)
		}
		return
	}
	for _, r := range res.Records {
		if r.Doctype != "meter" || r.Key == "" {
			t.Fatalf("bad record %+v", r)
		}
	}
	keys := map[string]bool{}
	for _, s := range res.Series {
		if s.Key == "" || keys[s.Key] || s.Doctype != "reading.gas" || s.MeterKey == "" || len(s.Readings) == 0 {
			t.Fatalf("bad series %+v", s)
		}
		keys[s.Key] = true
	}
}

func FuzzADICT(f *testing.F) {
	addSamples(f, adictOK, "adict_sample.ndjson")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzFormat(t, FormatADICT(), data) })
}

func FuzzPortal(f *testing.F) {
	addSamples(f, portalDoc(okReleve), "donnees_publiees.json", "donnees_informatives.json")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzFormat(t, FormatPortal(), data) })
}
