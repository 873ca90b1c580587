package restore

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/importer"
	"selfdata/internal/importer/enedis"
	"selfdata/internal/store"
	"selfdata/internal/store/postgres"
	"selfdata/internal/store/postgres/pgtest"
	"selfdata/internal/store/sqlite/sqlitetest"
)

// backends opens a fresh store of each backend: SQLite, and PostgreSQL when
// SELFDATA_TEST_POSTGRES_URL names a server.
func backends(t *testing.T, run func(t *testing.T, db store.Store, reg *doctype.Registry)) {
	t.Run("sqlite", func(t *testing.T) {
		db, reg := sqlitetest.Open(t)
		run(t, db, reg)
	})
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.URL(t)
		db, err := postgres.Open(ctx, url, pgtest.Key)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		reg, err := doctype.Builtin()
		if err != nil {
			t.Fatal(err)
		}
		run(t, db, reg)
	})
}

// person makes alice in db, with an importer of formats writing as her.
func person(t *testing.T, db store.Store, reg *doctype.Registry, formats ...importer.Format) (*Importer, gate.Principal) {
	t.Helper()
	in, err := db.CreateInstance(ctx, "alice", "h")
	if err != nil {
		t.Fatal(err)
	}
	return NewImporter(gate.New(db, reg), formats), gate.Owner(in.ID)
}

// hdmDecade is ten years of a 30-minute HDM curve, as the benchmarks import it.
func hdmDecade(t testing.TB) []byte {
	return hdmFile(t, hdmReadings)
}

// TestStreamedImportRefusedWhole: a row malformed near the end of a decade of half hours,
// after batches of its readings were written, refuses the file with its line, and nothing of
// it is in the store, not even the original file.
func TestStreamedImportRefusedWhole(t *testing.T) {
	content := hdmDecade(t)
	bad := append(content[:len(content):len(content)], "2026-01-01T00:30:00+01:00;abc\n"...)
	backends(t, func(t *testing.T, db store.Store, reg *doctype.Registry) {
		im, p := person(t, db, reg, enedis.FormatHDM())
		_, err := im.File(ctx, p, upload("hdm.csv"), "hdm.csv", bytes.NewReader(bad), "", nil)
		var ie *importer.Error
		if want := 3 + hdmReadings + 1; !errors.As(err, &ie) || ie.Line != want || ie.File != "hdm.csv" || ie.Format != enedis.NameHDM {
			t.Fatalf("error %v, want hdm.csv line %d", err, want)
		}
		if hs, err := db.Holdings(ctx, p.Instance, store.Visible{All: true}); err != nil || len(hs) != 0 {
			t.Fatalf("a refused file left %+v (%v)", hs, err)
		}
		if series, _ := db.ListSeries(ctx, p.Instance, store.Visible{All: true}); len(series) != 0 {
			t.Fatalf("a refused file left series %+v", series)
		}
	})
}

// TestStreamedReportAsBefore: a streamed import reports what storing the parsed Result whole
// reports, on the same data; imported again, it adds nothing.
func TestStreamedReportAsBefore(t *testing.T) {
	content := hdmDecade(t)
	backends(t, func(t *testing.T, db store.Store, reg *doctype.Registry) {
		im, p := person(t, db, reg, enedis.FormatHDM())
		streamed, err := im.File(ctx, p, upload("hdm.csv"), "hdm.csv", bytes.NewReader(content), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		db2, reg2 := sqlitetest.Open(t)
		im2, p2 := person(t, db2, reg2, parseOnly(enedis.FormatHDM()))
		whole, err := im2.File(ctx, p2, upload("hdm.csv"), "hdm.csv", bytes.NewReader(content), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(streamed, whole) {
			t.Errorf("streamed report %+v\nwhole Result's %+v", streamed, whole)
		}
		if streamed.ReadingsAdded != hdmReadings || streamed.Series != 1 || streamed.Created != 1 || streamed.ByDoctype["meter"] != 1 {
			t.Errorf("report %+v", streamed)
		}
		again, err := im.File(ctx, p, upload("hdm.csv"), "hdm.csv", bytes.NewReader(content), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if again.ReadingsAdded != 0 || again.ReadingsReceived != hdmReadings || again.Created+again.Updated != 0 || again.Unchanged != 1 || again.File != streamed.File {
			t.Errorf("imported again: %+v", again)
		}
	})
}

// parseOnly is f without its streaming form: restore stores its Parse's Result whole.
func parseOnly(f importer.Format) importer.Format {
	f.Stream = nil
	return f
}

// testStream is a streaming format of meter records, one a line ("key" or "" for a record
// without its id, "!" for a malformed line), sent in batches of testBatch.
func testStream() importer.Format {
	stream := func(open importer.Open, sink importer.Sink) (*importer.Result, error) {
		body, err := io.ReadAll(open())
		if err != nil {
			return nil, err
		}
		var batch []importer.Record
		for i, line := range strings.Split(strings.TrimSuffix(strings.TrimPrefix(string(body), "meters\n"), "\n"), "\n") {
			if line == "!" {
				return nil, importer.Errorf(i+2, "", "malformed")
			}
			batch = append(batch, importer.Record{Doctype: "meter", Key: line, Data: map[string]any{"kind": "water", "identifier": "m" + line}})
			if len(batch) == testBatch {
				if err := sink.Records(batch); err != nil {
					return nil, err
				}
				batch = batch[:0]
			}
		}
		return &importer.Result{}, sink.Records(batch)
	}
	return importer.Format{Name: "meters", Stream: stream,
		Detect: func(head []byte, _ string) bool { return bytes.HasPrefix(head, []byte("meters\n")) },
		Parse:  func(r io.Reader) (*importer.Result, error) { return importer.Collect(r, stream) }}
}

// testBatch is testStream's batch: small, to keep the test short on PostgreSQL.
const testBatch = 500

// TestStreamedRefusalNamesRecordsInTheFile: records refused in several batches are named by
// their place in the file, all of them, and nothing is written; a malformed line after them
// is the refusal, as it is when the file is parsed whole first.
func TestStreamedRefusalNamesRecordsInTheFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("meters\n")
	n := 2*testBatch + 10
	bad := []int{testBatch + 3, 2*testBatch + 1}
	for i := range n {
		if i == bad[0] || i == bad[1] {
			b.WriteString("\n")
			continue
		}
		fmt.Fprintf(&b, "k%d\n", i)
	}
	content := b.String()
	backends(t, func(t *testing.T, db store.Store, reg *doctype.Registry) {
		im, p := person(t, db, reg, testStream())
		_, err := im.File(ctx, p, upload("m.txt"), "m.txt", strings.NewReader(content), "", nil)
		var be *gate.BatchError
		if !errors.As(err, &be) || len(be.Records) != 2 || be.Records[0].Index != bad[0] || be.Records[1].Index != bad[1] {
			t.Fatalf("error %v, want records %v refused", err, bad)
		}
		_, err = im.File(ctx, p, upload("m.txt"), "m.txt", strings.NewReader(content+"!\n"), "", nil)
		var ie *importer.Error
		if !errors.As(err, &ie) || ie.Line != n+2 {
			t.Fatalf("error %v, want the malformed line %d", err, n+2)
		}
		if hs, _ := db.Holdings(ctx, p.Instance, store.Visible{All: true}); len(hs) != 0 {
			t.Fatalf("a refused file left %+v", hs)
		}
		rep, err := im.File(ctx, p, upload("m.txt"), "m.txt", strings.NewReader(strings.ReplaceAll(content, "\n\n", "\nfixed\n")), "", nil)
		if err != nil || rep.Created != n-1 || rep.ByDoctype["meter"] != n {
			t.Fatalf("report %+v (%v): want %d created (two lines, one key), %d received", rep, err, n-1, n)
		}
	})
}
