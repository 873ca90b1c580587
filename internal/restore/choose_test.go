package restore

import (
	"errors"
	"strings"
	"testing"

	"selfdata/internal/gate"
	"selfdata/internal/importer"
	"selfdata/internal/importer/bankcsv"
	"selfdata/internal/importer/water"
	"selfdata/internal/store"
	"selfdata/internal/store/sqlite/sqlitetest"
)

// Bank exports made for these tests. oddBank's header names nothing a guess knows, so its
// columns must be named; its later export has the same layout and one more operation.
const (
	oddBank     = "Compte;FR76 3000 4000 0500 0012 3456 789\nJour;Texte;Somme;Reste\n03/02/2025;CB BOULANGERIE;-4,20;100,00\n04/02/2025;VIR LOYER;-650,00;50,00\n05/02/2025;VIR SALAIRE;2 100,00;2 150,00\n"
	oddBankNext = "Compte;FR76 3000 4000 0500 0012 3456 789\nJour;Texte;Somme;Reste\n05/02/2025;VIR SALAIRE;2 100,00;2 150,00\n06/02/2025;CB PRIMEUR;-12,30;2 137,70\n"
	plainBank   = "Date;Libellé;Montant\n03/02/2025;CB BOULANGERIE;-4,20\n04/02/2025;VIR LOYER;-650,00\n"
	waterCSV    = "compteur;date;index_m3;consommation_l;temperature_c\nD33GB2;2024-03-01;10,000;120;12\n"
)

// oddColumns are oddBank's columns, as a person names them.
var oddColumns = bankcsv.Mapping{Comma: ";", HeaderRow: 1, Date: 0, DateLayout: "02/01/2006", ValueDate: -1, Label: 1, Label2: -1,
	Amount: 2, Debit: -1, Credit: -1, DecimalComma: true, Currency: "EUR", Balance: 3}

func bankSetup(t *testing.T, formats ...importer.Format) (*Importer, store.Store, gate.Principal, gate.Principal) {
	t.Helper()
	db, reg := sqlitetest.Open(t)
	var ps []gate.Principal
	for _, name := range []string{"alice", "bob"} {
		in, err := db.CreateInstance(ctx, name, "h")
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, gate.Owner(in.ID))
	}
	return NewImporter(gate.New(db, reg), formats), db, ps[0], ps[1]
}

// TestChooseCandidates: a file one format claims is read as it; one that none claims but
// some may be is a question naming them, as is one that two claim; one that none may be is
// the unknown-format refusal. Nothing is written for a question.
func TestChooseCandidates(t *testing.T) {
	twin := water.Format()
	twin.Name = "water.twin"
	for _, tt := range []struct {
		name, file string
		formats    []importer.Format
		format     string   // the format read, when imported
		candidates []string // or the question's
		unknown    bool     // or the unknown-format refusal
	}{
		{"water", waterCSV, []importer.Format{water.Format(), bankcsv.Format()}, "water.csv", nil, false},
		{"a bank CSV guessed for sure", plainBank, []importer.Format{water.Format(), bankcsv.Format()}, "bank-csv", nil, false},
		{"a bank CSV of unknown columns", oddBank, []importer.Format{water.Format(), bankcsv.Format()}, "", []string{"bank-csv"}, false},
		{"two formats claim it", waterCSV, []importer.Format{water.Format(), twin}, "", []string{"water.csv", "water.twin"}, false},
		{"none may be it", "hello", []importer.Format{water.Format(), bankcsv.Format()}, "", nil, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			im, db, alice, _ := bankSetup(t, tt.formats...)
			rep, err := im.FileWith(ctx, alice, upload("f.csv"), "f.csv", strings.NewReader(tt.file), Options{}, nil)
			var unsure *UnsureError
			var ie *importer.Error
			switch {
			case tt.format != "":
				if err != nil || rep.Format != tt.format {
					t.Fatalf("got %v, %v; want read as %s", rep, err, tt.format)
				}
				return
			case tt.unknown:
				if !errors.As(err, &ie) || ie.Kind != importer.KindUnknownFormat {
					t.Fatalf("got %v; want the unknown-format refusal", err)
				}
			case !errors.As(err, &unsure) || strings.Join(unsure.Candidates, ",") != strings.Join(tt.candidates, ",") || unsure.File != "f.csv":
				t.Fatalf("got %#v; want a question among %v", err, tt.candidates)
			}
			if n := countDocs(t, db, alice, "file"); n != 0 {
				t.Errorf("%d files written for a question", n)
			}
		})
	}
}

// TestColumnsSavedThenReused: a bank CSV whose columns cannot be guessed asks for them
// (with its rows and the guess); imported with the columns named, then saved, the next
// export of the same layout imports at once with them, and the rows both hold are not
// written twice. Another person's saved columns are not used: bob is asked again.
func TestColumnsSavedThenReused(t *testing.T) {
	im, db, alice, bob := bankSetup(t, water.Format(), bankcsv.Format())
	_, err := im.FileWith(ctx, alice, upload("a.csv"), "a.csv", strings.NewReader(oddBank), Options{Format: MappingFormat}, nil)
	var need *MappingError
	if !errors.As(err, &need) || need.Table == nil || need.Sure || need.Saved || need.Signature == "" {
		t.Fatalf("got %#v; want the columns asked, with the table", err)
	}
	var ie *importer.Error
	if !errors.As(err, &ie) || ie.Kind != importer.KindNeedsMapping {
		t.Errorf("the question is not the needs-mapping refusal: %v", err)
	}
	bad := oddColumns
	bad.DateLayout = "2006-01-02" // its dates are 03/02/2025
	if _, err := im.FileWith(ctx, alice, upload("a.csv"), "a.csv", strings.NewReader(oddBank), Options{Format: MappingFormat, Mapping: &bad}, nil); !errors.As(err, &need) || !strings.Contains(err.Error(), "row 3") {
		t.Errorf("columns that do not fit: got %v, want the row that does not read", err)
	}
	m := oddColumns
	rep, err := im.FileWith(ctx, alice, upload("a.csv"), "a.csv", strings.NewReader(oddBank), Options{Format: MappingFormat, Mapping: &m}, nil)
	if err != nil || rep.ByDoctype["bank.operation"] != 3 || rep.Columns != nil {
		t.Fatalf("with the columns named: %+v, %v", rep, err)
	}
	if err := im.SaveColumns(ctx, alice, SavedColumns{Signature: need.Signature, Bank: "Banque Exemple", Mapping: m}); err != nil {
		t.Fatal(err)
	}
	if err := im.SaveColumns(ctx, alice, SavedColumns{Signature: need.Signature, Bank: "Banque Exemple", Mapping: m}); err != nil {
		t.Fatal(err)
	}
	if n := countDocs(t, db, alice, MappingDoctype); n != 1 {
		t.Errorf("%d saved columns after confirming twice, want 1", n)
	}
	rep, err = im.FileWith(ctx, alice, upload("b.csv"), "b.csv", strings.NewReader(oddBankNext), Options{}, nil)
	if err != nil {
		t.Fatalf("the next export: %v", err)
	}
	if rep.Columns == nil || rep.Columns.Bank != "Banque Exemple" || rep.Created != 1 || rep.Unchanged != 1 {
		t.Errorf("the next export: %+v, columns %+v; want 1 new operation, 1 known, read with the saved columns", rep, rep.Columns)
	}
	if _, err := im.FileWith(ctx, bob, upload("b.csv"), "b.csv", strings.NewReader(oddBankNext), Options{}, nil); !errors.As(err, new(*UnsureError)) {
		t.Errorf("bob's import used alice's columns: %v", err)
	}
	if _, found, err := im.SavedColumns(ctx, bob, need.Signature); found || err != nil {
		t.Errorf("bob reads alice's columns: %v %v", found, err)
	}
}

func countDocs(t *testing.T, db store.Store, p gate.Principal, dt string) int {
	t.Helper()
	n, err := db.CountDocs(ctx, p.Instance, store.Query{Doctype: dt})
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}
