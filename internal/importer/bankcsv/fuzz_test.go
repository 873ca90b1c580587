package bankcsv

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"selfdata/internal/importer"
)

// seeds are the test exports and a few odd shapes.
func seeds(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("testdata", "*.csv"))
	for _, n := range names {
		if b, err := os.ReadFile(n); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"Date;Libellé;Montant\n01/02/2024;\"a;b\";-1 234,56\n;Total;1\n",
		"Date,Description,Amount\n01/31/2024,X,(1.00)\n",
		"Date;Libellé;Débit;Crédit\n01/02/24;X;1,00;2,00\n02/02/24;Y;;\n",
		"\xef\xbb\xbfDate|Libelle|Montant\n2024-02-01|\xe9t\xe9|+1.234,00\n",
	} {
		f.Add([]byte(s))
	}
}

// FuzzParse feeds arbitrary bytes to the importer: it never panics, fails only with an
// *importer.Error and no result, and what it accepts validates against the doctypes, with
// unique keys and every left-out row counted.
func FuzzParse(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Format().Parse(bytes.NewReader(data))
		if err != nil {
			var e *importer.Error
			if !errors.As(err, &e) || res != nil {
				t.Fatalf("error %v (%T) with result %v", err, err, res)
			}
			return
		}
		checkRecords(t, res)
	})
}

// FuzzSniffGuess: Sniff, Guess, Check and Signature never panic; a sure guess checks, and
// reading the file through it gives records that validate; a signature is always csv1- and
// 16 hex digits.
func FuzzSniffGuess(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		head := data[:min(len(data), HeadBytes)]
		tab, ok := Sniff(head)
		if !ok {
			if Format().Likely(head, "f.csv") || Format().Detect(head, "f.csv") {
				t.Fatal("Likely or Detect without Sniff")
			}
			return
		}
		if len(tab.Rows) > PreviewRows || !isComma(tab.Comma) {
			t.Fatalf("table of %d rows, comma %q", len(tab.Rows), tab.Comma)
		}
		if s := Signature(tab); len(s) != 21 || !strings.HasPrefix(s, "csv1-") {
			t.Fatalf("signature %q", s)
		}
		m, sure := Guess(tab)
		err := m.Check(tab)
		if !sure {
			return
		}
		if err != nil {
			t.Fatalf("a sure guess does not check: %v (%+v)", err, m)
		}
		res, err := Parse(bytes.NewReader(data), m)
		if err != nil {
			var e *importer.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T)", err, err)
			}
			return
		}
		checkRecords(t, res)
	})
}
