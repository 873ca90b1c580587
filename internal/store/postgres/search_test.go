package postgres

import (
	"context"
	"database/sql"
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
