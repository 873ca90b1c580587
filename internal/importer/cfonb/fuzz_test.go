package cfonb

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"selfdata/internal/money"
)

// FuzzParse feeds arbitrary bytes to the importer: it must never panic; a file it accepts
// gives records with a doctype and a unique key, operations with a date and an exact
// amount, and every statement it read adds up unless a movement of it was left out.
func FuzzParse(f *testing.F) {
	tests, _ := filepath.Glob("testdata/*.txt")
	for _, p := range tests {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(strings.Join(statement(), "")))
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
			if r.Doctype == "" || r.Key == "" || seen[r.Doctype+" "+r.Key] {
				t.Fatalf("record without doctype or key, or twice: %+v", r)
			}
			seen[r.Doctype+" "+r.Key] = true
			if r.Doctype != "bank.operation" {
				continue
			}
			if a, _ := r.Data["amount"].(string); r.Data["date"] == "" || a == "" {
				t.Fatalf("operation without date or amount: %+v", r)
			} else if _, err := money.Parse(a); err != nil {
				t.Fatalf("amount %q: %v", a, err)
			}
		}
		file, err := Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("Format accepted what Parse refuses: %v", err)
		}
		for _, st := range file.Statements {
			sum := st.Old.Amount
			for _, m := range st.Movements {
				sum = sum.Add(m.Amount)
			}
			if len(st.Unread) == 0 && !sum.Equal(st.New.Amount) {
				t.Fatalf("statement of line %d accepted, but %s ≠ %s", st.Line, sum, st.New.Amount)
			}
		}
	})
}
