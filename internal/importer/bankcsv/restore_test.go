package bankcsv_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"selfdata/internal/importer/bankcsv"
	"selfdata/internal/restore/restoretest"
	"selfdata/internal/store"
)

// TestRestoreTwiceAndOverlap restores an export into a real store twice, then the same
// bank's next export, which repeats one operation of the first: the second import adds
// nothing, the third only its new operation, and the two identical payments of one day
// stay two.
func TestRestoreTwiceAndOverlap(t *testing.T) {
	ctx := context.Background()
	im, db, p := restoretest.Open(t, bankcsv.Format())
	src := store.Source{Kind: "upload", Name: "releve.csv", At: time.Now()}
	restoreFile := func(name string) (created, updated, unchanged int) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		rep, err := im.File(ctx, p, src, name, bytes.NewReader(b), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Format != bankcsv.Name {
			t.Fatalf("format %q", rep.Format)
		}
		return rep.Created, rep.Updated, rep.Unchanged
	}
	if c, u, n := restoreFile("signed_preamble_1252.csv"); c != 7 || u != 0 || n != 0 {
		t.Fatalf("first import: created %d, updated %d, unchanged %d", c, u, n)
	}
	if c, u, n := restoreFile("signed_preamble_1252.csv"); c != 0 || u != 0 || n != 7 {
		t.Fatalf("second import: created %d, updated %d, unchanged %d", c, u, n)
	}
	if c, u, n := restoreFile("signed_next_1252.csv"); c != 1 || u != 0 || n != 2 {
		t.Fatalf("next export: created %d, updated %d, unchanged %d", c, u, n)
	}
	accounts, err := db.Query(ctx, p.Instance, store.Query{Doctype: "bank.account"})
	if err != nil || len(accounts.Items) != 1 {
		t.Fatalf("accounts: %d, %v", len(accounts.Items), err)
	}
	ops, err := db.Query(ctx, p.Instance, store.Query{Doctype: "bank.operation"})
	if err != nil || len(ops.Items) != 7 {
		t.Fatalf("operations: %d, %v", len(ops.Items), err)
	}
	for _, doc := range ops.Items {
		var d map[string]any
		if err := json.Unmarshal(doc.Data, &d); err != nil {
			t.Fatal(err)
		}
		if d["account"] != accounts.Items[0].ID {
			t.Errorf("operation %s points at %v, want the account's id %s", doc.ID, d["account"], accounts.Items[0].ID)
		}
	}
}
