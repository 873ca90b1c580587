package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"testing"

	"selfdata/internal/store"
	"selfdata/internal/store/postgres/pgtest"
)

// TestSearchIndexesExistingDocuments: a database written before full-text search existed
// finds its documents once opened by this selfdata (the migration indexes them).
func TestSearchIndexesExistingDocuments(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	all := migrationNames
	migrationNames = all[:slices.Index(all, "0017_search.sql")]
	db, err := Open(ctx, u, pgtest.Key)
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
	raw, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	_, err = raw.Exec(`INSERT INTO docs (instance, doctype, id, rev, seq, created, updated, src_kind, src_id, src_name, src_batch, src_at, data, period)
		VALUES ($1, 'bill', 'b1', 1, 1, 0, 0, 'organization', 'edf', 'EDF', '', 0, $2, '2026-11')`, in.ID, `{"label":"Électricité","date":"2026-11-30"}`)
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, u, pgtest.Key)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	page, err := db.Search(ctx, in.ID, store.SearchQuery{Text: "electricite edf 30 novembre", Visible: store.Visible{All: true}})
	if err != nil || page.Total != 1 || len(page.Items) != 1 || page.Items[0].ID != "b1" {
		t.Fatalf("Search after the migration = %+v, %v", page, err)
	}
}

// FuzzSearch: whatever a person types, a search answers without an error, on a real
// PostgreSQL (its tsquery is cast from what TSQuery writes: a quoting fault would show).
func FuzzSearch(f *testing.F) {
	for _, s := range []string{`"`, `AND OR NOT *`, `'a':* & !b | (c)`, `\'`, `a:*B`, `électricité 30 novembre`, "\x00", "ǅ ﬁ İ"} {
		f.Add(s)
	}
	ctx := context.Background()
	db, err := Open(ctx, pgtest.URL(f), pgtest.Key)
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	in, err := db.CreateInstance(ctx, "alice", "h")
	if err == nil {
		err = db.Update(ctx, in.ID, func(w store.Writer) error {
			_, err := w.CreateDocs(ctx, "bill", []store.NewDoc{{ID: "b1", Data: json.RawMessage(`{"label":"Électricité AND OR NOT 'x' *","date":"2026-11-30"}`)}})
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
