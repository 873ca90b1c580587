package sqlite

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"selfdata/internal/store"
)

// TestSearchIndexesExistingDocuments: a store written before full-text search existed finds
// its documents once opened by this selfdata (the migration indexes them).
func TestSearchIndexesExistingDocuments(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	all := migrationNames
	migrationNames = all[:slices.Index(all, "0017_search.sql")]
	db, err := Open(ctx, dir)
	migrationNames = all
	if err != nil {
		t.Fatal(err)
	}
	in, err := db.CreateInstance(ctx, "alice", "h")
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	// The document is written as the selfdata of then did: into docs alone.
	raw, err := openPool(File(dir), 1, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = raw.Exec(`INSERT INTO docs (instance, doctype, id, rev, seq, created, updated, src_kind, src_id, src_name, src_batch, src_at, data, period)
		VALUES (?, 'bill', 'b1', 1, 1, 0, 0, 'organization', 'edf', 'EDF', '', 0, ?, '2026-11')`, in.ID, `{"label":"Électricité","date":"2026-11-30"}`)
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	page, err := db.Search(ctx, in.ID, store.SearchQuery{Text: "electricite edf 30 novembre", Visible: store.Visible{All: true}})
	if err != nil || page.Total != 1 || len(page.Items) != 1 || page.Items[0].ID != "b1" {
		t.Fatalf("Search after the migration = %+v, %v", page, err)
	}
}

// FuzzSearch: whatever a person types, a search answers without an error, on a real store.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{`"`, `AND OR NOT *`, `"a" OR "b"*`, `NEAR(a b, 2)`, `a:*`, `'`, `\`, `électricité 30 novembre`, "\x00", "col:x", "^a", "-a", "a + b", "(", "ǅ ﬁ İ"} {
		f.Add(s)
	}
	ctx := context.Background()
	db, err := Open(ctx, f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	in, err := db.CreateInstance(ctx, "alice", "h")
	if err == nil {
		err = db.Update(ctx, in.ID, func(w store.Writer) error {
			_, err := w.CreateDocs(ctx, "bill", []store.NewDoc{{ID: "b1", Data: json.RawMessage(`{"label":"Électricité AND OR NOT \"x\" *","date":"2026-11-30"}`)}})
			return err
		})
	}
	if err != nil {
		f.Fatal(err)
	}
	names := map[string][]string{"bill": {"Bill", "Facture"}}
	f.Fuzz(func(t *testing.T, text string) {
		if _, err := db.Search(ctx, in.ID, store.SearchQuery{Text: text, Visible: store.Visible{All: true}, Names: names}); err != nil {
			t.Fatalf("Search(%q): %v", text, err)
		}
	})
}

// BenchmarkSearch searches 50,000 bank operations (ten years of a busy account), each
// holding "LYON": a search of a few matches, and a page of one that matches everything
// with its count.
func BenchmarkSearch(b *testing.B) {
	db, inst := openBench(b)
	putOperations(b, db, inst, 0, 50_000)
	ctx := context.Background()
	names := map[string][]string{"bank.operation": {"Bank operation", "Opération bancaire"}}
	for _, bc := range []struct{ name, text string }{
		{"few", "x0042 lyon"},
		{"date", "3 mars 2020"},
		{"all", "lyon"},
		{"all-whole-word", "lyon "},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				page, err := db.Search(ctx, inst, store.SearchQuery{Text: bc.text, Visible: store.Visible{All: true}, Names: names, Limit: 50})
				if err != nil || page.Total == 0 {
					b.Fatalf("%d found, %v", page.Total, err)
				}
			}
		})
	}
}
