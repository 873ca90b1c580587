package cfonb_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/importer/cfonb"
	"selfdata/internal/restore/restoretest"
	"selfdata/internal/store"
)

// TestRestoreTwice restores a statement file through the real restore layer into SQLite
// twice: the second time adds and changes nothing, the two identical withdrawals stay two,
// and the operations point at their account.
func TestRestoreTwice(t *testing.T) {
	ctx := context.Background()
	im, db, p := restoretest.Open(t, cfonb.Format())
	content, err := os.ReadFile("testdata/two-accounts.txt")
	if err != nil {
		t.Fatal(err)
	}
	first, err := im.File(ctx, p, store.Source{Kind: "upload", Name: "releve.txt", At: time.Now()}, "releve.txt", strings.NewReader(string(content)), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.Format != "cfonb120" || first.Created != 9 || first.ByDoctype["bank.account"] != 2 || first.ByDoctype["bank.operation"] != 7 {
		t.Fatalf("first import: %+v", first)
	}
	again, err := im.File(ctx, p, store.Source{Kind: "upload", Name: "copie.txt", At: time.Now()}, "copie.txt", strings.NewReader(string(content)), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Created != 0 || again.Updated != 0 || again.Unchanged != 9 {
		t.Fatalf("second import: %+v", again)
	}
	accounts, err := db.Query(ctx, p.Instance, store.Query{Doctype: "bank.account"})
	if err != nil || len(accounts.Items) != 2 {
		t.Fatalf("accounts %+v (%v)", accounts, err)
	}
	ops, err := db.Query(ctx, p.Instance, store.Query{Doctype: "bank.operation", Limit: 100})
	if err != nil || len(ops.Items) != 7 {
		t.Fatalf("operations %d (%v)", len(ops.Items), err)
	}
	ids := map[string]bool{accounts.Items[0].ID: true, accounts.Items[1].ID: true}
	withdrawals := 0
	for _, op := range ops.Items {
		s := string(op.Data)
		if strings.Contains(s, `"label":"RETRAIT DAB LYON"`) {
			withdrawals++
		}
		var linked bool
		for id := range ids {
			linked = linked || strings.Contains(s, `"account":"`+id+`"`)
		}
		if !linked {
			t.Errorf("operation %s points at no stored account", s)
		}
	}
	if withdrawals != 2 {
		t.Errorf("%d withdrawals, want the two identical ones", withdrawals)
	}
}

// TestRestoreLeftOut: a movement whose amount cannot be read is reported by its line, and
// nothing of it is written; the rest of the file is.
func TestRestoreLeftOut(t *testing.T) {
	ctx := context.Background()
	im, db, p := restoretest.Open(t, cfonb.Format())
	f, err := os.Open("testdata/badamount.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := im.File(ctx, p, store.Source{Kind: "upload", Name: "releve.txt", At: time.Now()}, "releve.txt", f, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Skipped != 1 || len(rep.LeftOut) != 1 || rep.LeftOut[0].Line != 3 || rep.LeftOut[0].Reason != importer.ReasonBadValue {
		t.Errorf("report %+v", rep)
	}
	ops, err := db.Query(ctx, p.Instance, store.Query{Doctype: "bank.operation"})
	if err != nil || len(ops.Items) != 2 || strings.Contains(string(ops.Items[0].Data)+string(ops.Items[1].Data), "BOULANGERIE") {
		t.Errorf("operations %d (%v): want the two readable ones", len(ops.Items), err)
	}
}

// TestRestoreRefused: a statement that does not add up is refused with the file and the
// line of its new balance, and nothing is written, not even the file.
func TestRestoreRefused(t *testing.T) {
	ctx := context.Background()
	im, db, p := restoretest.Open(t, cfonb.Format())
	f, err := os.Open("testdata/unbalanced.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = im.File(ctx, p, store.Source{Kind: "upload", Name: "releve.txt", At: time.Now()}, "releve.txt", f, "", nil)
	var ie *importer.Error
	if !errors.As(err, &ie) || ie.File != "releve.txt" || ie.Line != 3 || ie.Format != "cfonb120" {
		t.Fatalf("error %v (%T)", err, err)
	}
	if hs, _ := db.Holdings(ctx, p.Instance, store.Visible{All: true}); len(hs) != 0 {
		t.Errorf("a refused file wrote %+v", hs)
	}
}
