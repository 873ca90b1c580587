package move

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"selfdata/internal/auth"
	"selfdata/internal/consent"
	"selfdata/internal/demo"
	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/rights/export"
	"selfdata/internal/services"
	"selfdata/internal/store"
	"selfdata/internal/store/postgres"
	"selfdata/internal/store/postgres/pgtest"
	"selfdata/internal/store/sqlite/sqlitetest"
)

var ctx = context.Background()

func openSQLite(t testing.TB) (store.Store, *doctype.Registry) { return sqlitetest.Open(t) }

func openPostgres(t testing.TB) (store.Store, *doctype.Registry) {
	db, err := postgres.Open(ctx, pgtest.URL(t), pgtest.Key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	reg, err := doctype.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return db, reg
}

// oddName is a file name that must not climb out of its folder of the archive.
const oddName = "../../etc/relevé d'août.txt"

// seed fills alice's store as export's tests do: the demo person's year, a grant to a
// built-in service, a file of her own with an awkward name, a correction and reads in her
// log; bob holds a document of his own.
func seed(t testing.TB, st store.Store, reg *doctype.Registry) store.Instance {
	t.Helper()
	a, err := st.CreateInstance(ctx, "alice", "h")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := st.CreateInstance(ctx, "bob", "h")
	g := gate.New(st, reg)
	if err := demo.Seed(ctx, g, a.ID, demo.Generate(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), 1)); err != nil {
		t.Fatal(err)
	}
	if err := services.Ensure(ctx, st, "http://127.0.0.1/services"); err != nil {
		t.Fatal(err)
	}
	grants := consent.NewGrants(st, reg)
	d := services.Catalog()[0]
	if _, err := grants.Grant(ctx, a.ID, d.ID, d.Doctypes, []string{"read"}, 0); err != nil {
		t.Fatal(err)
	}
	own := gate.Owner(a.ID)
	err = g.Write(ctx, own, func(bt *gate.Batch) error {
		_, err := bt.PutFile("mine", oddName, "text/plain", strings.NewReader("a file of alice's own\n"), nil, own.Source("", g))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	page, err := g.Query(ctx, own, store.Query{Doctype: "bill", Limit: 3})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("bills: %v, %d", err, len(page.Items))
	}
	// alice corrects a bill the demo deposited: the correction must move too.
	bill := page.Items[0]
	var data map[string]any
	json.Unmarshal(bill.Data, &data)
	data["amount"] = "1.23"
	nd, _ := json.Marshal(data)
	if _, err := g.Update(ctx, own, "bill", bill.ID, bill.Rev, nd); err != nil {
		t.Fatal(err)
	}
	bob := gate.Owner(b.ID)
	if _, err := g.Create(ctx, bob, "bill", []gate.Input{{ID: "bobs", Data: json.RawMessage(`{"vendor":"BOB-ONLY-MARKER","date":"2025-01-31","amount":"61.20","currency":"EUR"}`)}}, bob.Source("", g)); err != nil {
		t.Fatal(err)
	}
	return a
}

// exportedAt is the export's own timestamp in these tests, which the issue sets aside: the
// manifest and the standard formats stamp every archive with it (an Atom feed's updated, a
// FHIR bundle's timestamp), so two exports a second apart would differ by it alone.
var exportedAt = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

// exportOf writes the instance's archive as the person would, at exportedAt.
func exportOf(t testing.TB, st store.Store, reg *doctype.Registry, id string) []byte {
	t.Helper()
	x := &export.Exporter{Gate: gate.New(st, reg), Grants: consent.NewGrants(st, reg), Instances: st, Now: func() time.Time { return exportedAt }}
	var buf bytes.Buffer
	if _, err := x.Write(ctx, gate.Owner(id), &buf, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func importInto(st store.Store, reg *doctype.Registry, archive []byte, name string) (Report, error) {
	hash, err := auth.HashPassphrase("correct horse battery staple")
	if err != nil {
		return Report{}, err
	}
	im := &Importer{Store: st, Registry: reg}
	return im.Import(ctx, bytes.NewReader(archive), int64(len(archive)), Options{Name: name, PassphraseHash: hash})
}

// TestMoveRoundTrip is the acceptance test of the move, both ways: the demo person on one
// backend, exported, imported into a fresh store of the other, exported again: the two
// archives hold the same store (sameStore says what may differ), the moved log verifies,
// and the person logs in with the new passphrase.
func TestMoveRoundTrip(t *testing.T) {
	ways := []struct {
		name     string
		from, to func(testing.TB) (store.Store, *doctype.Registry)
	}{
		{"sqlite to postgres", openSQLite, openPostgres},
		{"postgres to sqlite", openPostgres, openSQLite},
	}
	for _, w := range ways {
		t.Run(w.name, func(t *testing.T) {
			src, sreg := w.from(t)
			a := seed(t, src, sreg)
			first := exportOf(t, src, sreg, a.ID)

			dst, dreg := w.to(t)
			if err := services.Ensure(ctx, dst, "http://127.0.0.1/services"); err != nil {
				t.Fatal(err)
			}
			var calls int64
			hash, _ := auth.HashPassphrase("correct horse battery staple")
			im := &Importer{Store: dst, Registry: dreg}
			rep, err := im.Import(ctx, bytes.NewReader(first), int64(len(first)), Options{PassphraseHash: hash,
				Progress: func(done, total int64) {
					if done > total {
						t.Errorf("progress %d of %d", done, total)
					}
					calls++
				}})
			if err != nil {
				t.Fatal(err)
			}
			if calls == 0 || rep.Documents < 100 || rep.Readings < 1000 || rep.Files < 2 || rep.Grants != 1 || rep.Keys != 1 || len(rep.Ended) != 0 || rep.LogEntries < 3 {
				t.Errorf("report %+v", rep)
			}
			if rep.Instance.Name != "alice" || !rep.Instance.Created.Equal(a.Created) || rep.Instance.ID == a.ID {
				t.Errorf("moved instance %+v, from %+v", rep.Instance, a)
			}
			v, err := dst.VerifyLog(ctx, rep.Instance.ID)
			if err != nil || len(v.Problems) != 0 || v.Entries != rep.LogEntries+1 {
				t.Fatalf("VerifyLog of the moved store: %+v, %v", v, err)
			}
			if stored, _ := dst.PassphraseHash(ctx, rep.Instance.ID); stored != hash {
				t.Error("the passphrase given is not the moved instance's")
			}

			second := exportOf(t, dst, dreg, rep.Instance.ID)
			if err := sameStore(first, second, a.ID, rep.Instance.ID); err != nil {
				t.Fatal(err)
			}
			// and the comparison sees a difference, naming the entry and the line.
			changed := rewrite(t, second, "series.jsonl", func(b []byte) []byte { return bytes.Replace(b, []byte(`"unit":"`), []byte(`"unit":"k`), 1) })
			if err := sameStore(first, changed, a.ID, rep.Instance.ID); err == nil || !strings.HasPrefix(err.Error(), "series.jsonl: line 1: ") {
				t.Errorf("a unit changed: %v", err)
			}
			cut := rewrite(t, second, "access-log.jsonl", func(b []byte) []byte { return bytes.Replace(b, []byte(`"count":`), []byte(`"count":1`), 1) })
			if err := sameStore(first, cut, a.ID, rep.Instance.ID); err == nil || !strings.HasPrefix(err.Error(), "access-log.jsonl: line 1: ") {
				t.Errorf("a log entry changed: %v", err)
			}
			// The moved log goes on: a later append verifies too.
			g := gate.New(dst, dreg)
			if _, err := g.Query(ctx, gate.Owner(rep.Instance.ID), store.Query{Doctype: "bill", Limit: 1}); err != nil {
				t.Fatal(err)
			}
			if v, err := dst.VerifyLog(ctx, rep.Instance.ID); err != nil || len(v.Problems) != 0 {
				t.Fatalf("VerifyLog after an append: %+v, %v", v, err)
			}
			// Moving the moved store again keeps the chain hashed under the first id.
			third, err := importInto(dst, dreg, second, "alice-again")
			if err != nil {
				t.Fatal(err)
			}
			if v, err := dst.VerifyLog(ctx, third.Instance.ID); err != nil || len(v.Problems) != 0 {
				t.Fatalf("VerifyLog of the store moved twice: %+v, %v", v, err)
			}
			if third.Renamed[firstGrant(t, first)] == "" {
				t.Errorf("the grant id, taken on this server, was not renamed: %+v", third.Renamed)
			}
		})
	}
}

// firstGrant is the id of the archive's one grant.
func firstGrant(t *testing.T, archive []byte) string {
	t.Helper()
	zr, _ := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	es, err := entries(zr)
	if err != nil {
		t.Fatal(err)
	}
	var g store.Grant
	json.Unmarshal(bytes.SplitN(es["consents/grants.jsonl"], []byte("\n"), 2)[0], &g)
	return g.ID
}

// TestMoveRefused: a name taken is refused before anything is written; a tampered archive —
// a line of the log changed, a file's content changed, the zip cut short, a document
// changed — is refused, says where, and leaves no instance behind.
func TestMoveRefused(t *testing.T) {
	src, reg := openSQLite(t)
	a := seed(t, src, reg)
	good := exportOf(t, src, reg, a.ID)

	dst, dreg := openSQLite(t)
	if err := services.Ensure(ctx, dst, "http://127.0.0.1/services"); err != nil {
		t.Fatal(err)
	}
	if _, err := dst.CreateInstance(ctx, "taken", "h"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		archive []byte
		as      string
		want    string
	}{
		{"a name taken", good, "taken", `instance "taken": already exists`},
		{"a log line changed", rewrite(t, good, "access-log.jsonl", func(b []byte) []byte {
			lines := bytes.Split(b, []byte("\n"))
			lines[1] = bytes.Replace(lines[1], []byte(`"principal":"`), []byte(`"principal":"x`), 1)
			return bytes.Join(lines, []byte("\n"))
		}), "", "access-log.jsonl line 2: position 2: the entry does not match its hash"},
		{"the log cut at its end", rewrite(t, good, "access-log.jsonl", func(b []byte) []byte {
			lines := bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n"))
			return append(bytes.Join(lines[:len(lines)-1], []byte("\n")), '\n')
		}), "", "access-log.jsonl: "},
		{"a file's content changed", rewrite(t, good, "files/mine/.._.._etc_relevé d'août.txt", func(b []byte) []byte {
			return bytes.Replace(b, []byte("alice"), []byte("alicf"), 1)
		}), "", "files/mine/.._.._etc_relevé d'août.txt: its content hashes to"},
		{"a document changed", rewrite(t, good, "documents/bill.jsonl", func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"currency":"EUR"`), []byte(`"currency":"euros"`), 1)
		}), "", "documents/bill.jsonl line "},
		{"the zip cut short", good[:len(good)*2/3], "", "not a readable zip file"},
		{"another format", rewrite(t, good, "manifest.json", func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"selfdata-export"`), []byte(`"other-export"`), 1)
		}), "", `manifest.json: format "other-export"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := importInto(dst, dreg, tt.archive, tt.as)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Import: %v, want an error saying %q", err, tt.want)
			}
			ins, err := dst.ListInstances(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(ins) != 1 || ins[0].Name != "taken" {
				t.Errorf("instances left after a refused import: %+v", ins)
			}
		})
	}
}

// TestMoveEndsGrantsWithoutService: a grant to a service this server's catalog lacks is kept,
// ended, with the end in its record, and the report says so.
func TestMoveEndsGrantsWithoutService(t *testing.T) {
	src, reg := openSQLite(t)
	a := seed(t, src, reg)
	archive := exportOf(t, src, reg, a.ID)
	dst, dreg := openSQLite(t) // no services in its catalog
	rep, err := importInto(dst, dreg, archive, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Ended) != 1 {
		t.Fatalf("ended grants %+v", rep.Ended)
	}
	g, err := dst.Grant(ctx, rep.Instance.ID, rep.Ended[0].ID)
	if err != nil || g.State != store.GrantEnded {
		t.Fatalf("grant %+v, %v", g, err)
	}
	h, err := dst.ConsentHistory(ctx, rep.Instance.ID, g.ID)
	if err != nil || len(h) != 2 || h[1].Event != store.ConsentServiceRemoved || h[0].Event != store.ConsentGiven {
		t.Fatalf("record %+v, %v", h, err)
	}
}

// rewrite copies an archive, changing one entry's content with fn.
func rewrite(t *testing.T, archive []byte, name string, fn func([]byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		t.Fatal(err)
	}
	es, err := entries(zr)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := es[name]; !ok {
		t.Fatalf("the archive has no %s", name)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: f.Method, Modified: f.Modified})
		if err != nil {
			t.Fatal(err)
		}
		b := es[f.Name]
		if f.Name == name {
			b = fn(b)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
