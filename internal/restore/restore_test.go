package restore

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/importer"
	"selfdata/internal/importer/water"
	"selfdata/internal/store"
	"selfdata/internal/store/sqlite/sqlitetest"
)

var ctx = context.Background()

func setup(t *testing.T) (*Importer, store.Store, gate.Principal) {
	t.Helper()
	db, reg := sqlitetest.Open(t)
	in, err := db.CreateInstance(ctx, "alice", "h")
	if err != nil {
		t.Fatal(err)
	}
	g := gate.New(db, reg)
	return NewImporter(g, []importer.Format{water.Format()}), db, gate.Owner(in.ID)
}

func upload(name string) store.Source {
	return store.Source{Kind: "upload", Name: name, At: time.Now()}
}

// TestImportTwice: the same file imported twice adds nothing the second time, and its
// records carry their provenance (the original file is kept and named by the batch).
func TestImportTwice(t *testing.T) {
	im, db, p := setup(t)
	content, err := os.ReadFile("../importer/water/testdata/eau-du-grand-lyon.csv")
	if err != nil {
		t.Fatal(err)
	}
	first, err := im.File(ctx, p, upload("eau.csv"), "eau.csv", bytes.NewReader(content), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.Created != 1 || first.ReadingsAdded != 179 || first.Series != 3 || first.File == "" {
		t.Fatalf("first import: %+v", first)
	}
	again, err := im.File(ctx, p, upload("renamed.csv"), "renamed.csv", bytes.NewReader(content), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Created != 0 || again.Updated != 0 || again.Unchanged != 1 || again.ReadingsAdded != 0 || again.File != first.File {
		t.Fatalf("second import: %+v", again)
	}
	meters, _ := db.Query(ctx, p.Instance, store.Query{Doctype: "meter"})
	if len(meters.Items) != 1 || meters.Items[0].Source.Kind != "upload" || meters.Items[0].Source.Batch != first.File {
		t.Fatalf("meter provenance: %+v", meters.Items)
	}
	if f, err := db.Doc(ctx, p.Instance, "file", first.File); err != nil || !strings.Contains(string(f.Data), `"name":"eau.csv"`) {
		t.Fatalf("original file: %s %v", f.Data, err)
	}
	series, _ := db.ListSeries(ctx, p.Instance, store.Visible{All: true})
	if len(series) != 3 || series[0].Meter != meters.Items[0].ID {
		t.Fatalf("series: %+v", series)
	}
}

// TestRefusedFileWritesNothing: a malformed file is refused with its line, and nothing is
// written — not even the original file.
func TestRefusedFileWritesNothing(t *testing.T) {
	im, db, p := setup(t)
	bad := "compteur;date;index_m3;consommation_l;temperature_c\nC1;2024-03-01;10,000;120;12\nC1;2024-03-02;10,130;abc;12\n"
	_, err := im.File(ctx, p, upload("eau.csv"), "eau.csv", strings.NewReader(bad), "", nil)
	var ie *importer.Error
	if !errors.As(err, &ie) || ie.File != "eau.csv" || ie.Line != 3 {
		t.Fatalf("error = %v", err)
	}
	if hs, _ := db.Holdings(ctx, p.Instance, store.Visible{All: true}); len(hs) != 0 {
		t.Fatalf("a refused file wrote %+v", hs)
	}
	_, err = im.File(ctx, p, upload("notes.txt"), "notes.txt", strings.NewReader("hello"), "", nil)
	if err == nil || !strings.Contains(err.Error(), "not one selfdata reads") {
		t.Fatalf("unknown format: %v", err)
	}
	_, err = im.File(ctx, p, upload("x.csv"), "x.csv", strings.NewReader("x"), "nope", nil)
	if err == nil || !strings.Contains(err.Error(), "unknown format") {
		t.Fatalf("unknown format name: %v", err)
	}
}

// TestArchive: a zip is imported whole — its known files together, unknown ones noted —
// and an archive with an unsafe path is refused without writing anything.
func TestArchive(t *testing.T) {
	im, db, p := setup(t)
	content, _ := os.ReadFile("../importer/water/testdata/eau-du-grand-lyon.csv")
	mk := func(files map[string][]byte) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for n, b := range files {
			w, _ := zw.Create(n)
			w.Write(b)
		}
		zw.Close()
		return buf.Bytes()
	}
	rep, err := im.File(ctx, p, upload("export.zip"), "export.zip", bytes.NewReader(mk(map[string][]byte{"eau/releves.csv": content, "LISEZMOI.txt": []byte("bonjour")})), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.ReadingsAdded != 179 || !strings.Contains(strings.Join(rep.Notes, "|"), "LISEZMOI.txt") || !strings.HasPrefix(rep.Format, "zip") {
		t.Fatalf("zip import: %+v", rep)
	}
	im2, db2, p2 := setup(t)
	_, err = im2.File(ctx, p2, upload("evil.zip"), "evil.zip", bytes.NewReader(mk(map[string][]byte{"../../evil.csv": content})), "", nil)
	if err == nil || !strings.Contains(err.Error(), "outside the archive") {
		t.Fatalf("path traversal: %v", err)
	}
	if hs, _ := db2.Holdings(ctx, p2.Instance, store.Visible{All: true}); len(hs) != 0 {
		t.Fatalf("a refused archive wrote %+v", hs)
	}
	_ = db
}

// TestIDs: ids depend on source, doctype and key only.
func TestIDs(t *testing.T) {
	a := ID(store.Source{Kind: "organization", ID: "enedis", Name: "Enedis", Batch: "1"}, "bill", "F1")
	b := ID(store.Source{Kind: "organization", ID: "enedis", Name: "ENEDIS SA", Batch: "2"}, "bill", "F1")
	c := ID(store.Source{Kind: "organization", ID: "grdf"}, "bill", "F1")
	d := ID(store.Source{Kind: "organization", ID: "enedis"}, "contract", "F1")
	if a != b || a == c || a == d || len(a) != 32 {
		t.Fatalf("ids %s %s %s %s", a, b, c, d)
	}
}

// untouched is an upload that fails the test if anyone reads it.
type untouched struct{ read bool }

func (u *untouched) Read(p []byte) (int, error) {
	u.read = true
	return 0, errors.New("the upload was read")
}

// TestNonWriterRefusedUnread: a principal that may not write files — a read-only token, a
// service granted reading — is refused with the gate's error before a byte of its upload is
// read, and the service's attempt is in the person's access log as the gate logs any.
func TestNonWriterRefusedUnread(t *testing.T) {
	im, db, owner := setup(t)
	principals := []gate.Principal{
		{Kind: "token", Instance: owner.Instance, ActorID: "t1", Scopes: []gate.Scope{{Doctype: "bill", Read: true}}},
		{Kind: gate.KindService, Instance: owner.Instance, ActorID: "volta", ActorName: "Volta", Scopes: []gate.Scope{{Doctype: "meter", Read: true}, {Doctype: "reading.water", Read: true}}},
	}
	for _, p := range principals {
		u := &untouched{}
		_, err := im.File(ctx, p, upload("export.zip"), "export.zip", u, "", nil)
		if !errors.Is(err, gate.ErrForbidden) || !strings.Contains(err.Error(), "may not write file") || u.read {
			t.Fatalf("%s: error %v, upload read: %v", p.Kind, err, u.read)
		}
	}
	log, err := db.AccessLog(ctx, owner.Instance, store.LogQuery{ActorID: "volta"})
	if err != nil || len(log) != 1 || !log[0].Refused || log[0].Doctype != "file" || log[0].Verb != "write" {
		t.Fatalf("the service's refused attempt in the log: %+v, %v", log, err)
	}
}

// TestRefusalKinds: a refusal says what kind it is and which format the file was read as,
// so that a page can give advice in the person's language rather than quote the reason.
func TestRefusalKinds(t *testing.T) {
	im, _, p := setup(t)
	for _, tt := range []struct {
		name, content string
		kind          importer.Kind
		format        string
	}{
		{"empty.csv", "", importer.KindEmpty, ""},
		{"notes.txt", "hello", importer.KindUnknownFormat, ""},
		{"eau.csv", "compteur;date;index_m3;consommation_l;temperature_c\n;2024-03-01;10,000;120;12\n", importer.KindNoMeter, water.Name},
		{"eau.csv", "compteur;date;index_m3;consommation_l;temperature_c\nC1;2024-03-01;abc;120;12\n", "", water.Name},
	} {
		_, err := im.File(ctx, p, upload(tt.name), tt.name, strings.NewReader(tt.content), "", nil)
		var ie *importer.Error
		if !errors.As(err, &ie) || ie.Kind != tt.kind || ie.Format != tt.format || ie.File != tt.name {
			t.Errorf("%s %q: %#v, want kind %q format %q", tt.name, tt.content, ie, tt.kind, tt.format)
		}
	}
}
