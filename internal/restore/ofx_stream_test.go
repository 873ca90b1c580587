package restore

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"selfdata/internal/doctype"
	"selfdata/internal/importer"
	"selfdata/internal/importer/ofx"
	"selfdata/internal/store"
	"selfdata/internal/store/sqlite/sqlitetest"
)

// ofxTransactions is the size of the statements below: more than a batch of records.
const ofxTransactions = importer.StreamRecords + 500

// TestStreamedOFXRefusedWhole: a transaction malformed after the first batch's worth refuses
// the file with its line and element, and nothing of it is in the store, not even the
// original file (OFX's first reading finds it before any batch is sent; restore's rollback of
// batches sent is TestStreamedRefusalNamesRecordsInTheFile's); the same file made right then
// imports every transaction.
func TestStreamedOFXRefusedWhole(t *testing.T) {
	content := string(ofxFile(ofxTransactions))
	good := "<TRNAMT>-301.00\n<FITID>T00010200\n" // transaction 10,200
	i := strings.Index(content, good)
	if i < 0 {
		t.Fatal("the statement has no transaction 10200")
	}
	bad := content[:i] + "<TRNAMT>$301\n" + content[i+len("<TRNAMT>-301.00\n"):]
	line := strings.Count(content[:i], "\n") + 1
	backends(t, func(t *testing.T, db store.Store, reg *doctype.Registry) {
		im, p := person(t, db, reg, ofx.Format())
		_, err := im.File(ctx, p, upload("releve.ofx"), "releve.ofx", strings.NewReader(bad), "", nil)
		var ie *importer.Error
		if !errors.As(err, &ie) || ie.Line != line || ie.Element != "STMTTRN/TRNAMT" || ie.Format != ofx.Name {
			t.Fatalf("error %v, want STMTTRN/TRNAMT at line %d", err, line)
		}
		if hs, err := db.Holdings(ctx, p.Instance, store.Visible{All: true}); err != nil || len(hs) != 0 {
			t.Fatalf("a refused file left %+v (%v)", hs, err)
		}
		rep, err := im.File(ctx, p, upload("releve.ofx"), "releve.ofx", strings.NewReader(content), "", nil)
		if err != nil || rep.ByDoctype["bank.operation"] != ofxTransactions || rep.Created != ofxTransactions+1 {
			t.Fatalf("report %+v (%v): want %d operations and their account", rep, err, ofxTransactions)
		}
	})
}

// TestStreamedOFXAsWhole: a streamed OFX import reports what storing the whole Result
// reports, and imported again adds nothing: the keys are those of the whole reading.
func TestStreamedOFXAsWhole(t *testing.T) {
	content := ofxFile(ofxTransactions)
	backends(t, func(t *testing.T, db store.Store, reg *doctype.Registry) {
		im, p := person(t, db, reg, ofx.Format())
		streamed, err := im.File(ctx, p, upload("releve.ofx"), "releve.ofx", bytes.NewReader(content), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		db2, reg2 := sqlitetest.Open(t)
		im2, p2 := person(t, db2, reg2, parseOnly(ofx.Format()))
		whole, err := im2.File(ctx, p2, upload("releve.ofx"), "releve.ofx", bytes.NewReader(content), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(streamed, whole) {
			t.Errorf("streamed report %+v\nwhole Result's %+v", streamed, whole)
		}
		again, err := im.File(ctx, p, upload("releve.ofx"), "releve.ofx", bytes.NewReader(content), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if again.Created+again.Updated != 0 || again.Unchanged != ofxTransactions+1 {
			t.Errorf("imported again: %+v", again)
		}
	})
}
