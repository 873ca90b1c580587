package camt

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the importer: it must never panic, and a file it
// accepts must give records that have a doctype and a key, keys unique.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{v08, `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Acct><Id><Othr><Id>1</Id></Othr></Id></Acct></Stmt></BkToCstmrStmt></Document>`} {
		f.Add([]byte(seed))
	}
	if dir := fuzzSamples(); dir != "" {
		paths, _ := filepath.Glob(filepath.Join(dir, "bank", "*.xml"))
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Format().Parse(bytes.NewReader(data))
		if err != nil {
			if res != nil {
				t.Fatal("a result came with an error")
			}
			return
		}
		seen := map[string]bool{}
		for _, r := range res.Records {
			if r.Doctype == "" || r.Key == "" {
				t.Fatalf("record without doctype or key: %+v", r)
			}
			if seen[r.Doctype+" "+r.Key] {
				t.Fatalf("key %q twice", r.Key)
			}
			seen[r.Doctype+" "+r.Key] = true
			if r.Doctype == "bank.operation" && (r.Data["date"] == "" || r.Data["amount"] == "") {
				t.Fatalf("operation without date or amount: %+v", r)
			}
		}
	})
}

// fuzzSamples is the samples folder or "" (the fuzz seeds then come from the inline ones).
func fuzzSamples() string {
	if d := os.Getenv("SELFDATA_SAMPLES"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	for err == nil {
		if _, e := os.Stat(filepath.Join(dir, "go.mod")); e == nil {
			return filepath.Join(dir, "..", "shared", "samples")
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
		dir = filepath.Dir(dir)
	}
	return ""
}
