package camt

import (
	"bytes"
	"testing"

	"selfdata/internal/importer/samples"
)

// FuzzParse feeds arbitrary bytes to the importer: it must never panic, and a file it
// accepts must give records that have a doctype and a key, keys unique.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{v08, `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Acct><Id><Othr><Id>1</Id></Othr></Id></Acct></Stmt></BkToCstmrStmt></Document>`} {
		f.Add([]byte(seed))
	}
	for _, rel := range samples.GlobIfPresent("bank/*.xml") {
		if data, ok := samples.ReadIfPresent(rel); ok {
			f.Add(data)
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
